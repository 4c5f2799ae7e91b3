//! The Applications API's requests (`super::apps`) on the sandbox's one port: through the
//! same fault layer (rate limit, latency, faults, answers lost after the change) and
//! credentials as the Numbers API; an application changed wakes the state file's writer.

use axum::http::Method;
use axum::http::request::Parts;
use axum::response::Response;

use super::Shared;
use super::apps::AppRoute;
use super::faults::{Verdict, lock};
use super::query::Params;

/// One request: its head, route, credentials, query and body.
pub(crate) type Request<'a> = (
    &'a Parts,
    AppRoute,
    Option<(String, String)>,
    &'a Params,
    &'a [u8],
);

/// The Applications API and the balance (`super::apps`): the same fault layer (rate limit,
/// latency) and credentials as the Numbers API.
pub(crate) async fn answer(
    shared: &Shared,
    (parts, route, creds, params, body): Request<'_>,
    rate_key: &str,
) -> Response {
    let (method, path) = (parts.method.as_str(), parts.uri.path());
    if shared.runtime.after_change() {
        // The request runs, then the fault layer may replace (or hold) its answer: a change
        // made whose answer is lost.
        let handled = apps_handle(shared, &parts.method, &route, creds, params, body);
        return match shared.runtime.apply_to(rate_key, method, path).await {
            Verdict::Answer(response) => response,
            Verdict::Proceed => handled,
            Verdict::Hold(hold) => {
                tokio::time::sleep(hold).await;
                handled
            }
        };
    }
    match shared.runtime.apply_to(rate_key, method, path).await {
        Verdict::Answer(response) => return response,
        Verdict::Hold(hold) => tokio::time::sleep(hold).await,
        Verdict::Proceed => {}
    }
    apps_handle(shared, &parts.method, &route, creds, params, body)
}

fn apps_handle(
    shared: &Shared,
    method: &Method,
    route: &AppRoute,
    creds: Option<(String, String)>,
    params: &Params,
    body: &[u8],
) -> Response {
    let account = creds.and_then(|(key, secret)| {
        let ok = shared.credentials.get(&key).is_some_and(|s| *s == secret);
        ok.then_some(key)
    });
    let Some(account) = account else {
        return super::apps::unauthorized();
    };
    let mut state = lock(&shared.state);
    let credit = state.credit_cents(&account);
    let response = super::apps::handle(&mut state.apps, credit, method, route, params, body);
    if *method == Method::PUT && response.status().is_success() {
        // An application changed: the state file keeps it.
        state.touch();
        drop(state);
        shared.changed();
    }
    response
}
