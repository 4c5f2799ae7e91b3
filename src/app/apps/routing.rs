//! Where a number's calls and messages actually go, from the number and its application:
//! sip/tel forwarding overrides the application's voice webhooks; the number's own SMS webhook
//! takes inbound SMS; otherwise the linked application's webhooks, when it has the capability.

use crate::api::apps::Application;
use crate::api::{Feature, OwnedNumber};

use super::Apps;

/// The routes of one number, as sentences for the detail view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routes {
    /// Where inbound calls go (`None`: the number has no VOICE feature).
    pub voice: Option<String>,
    /// Where inbound messages go (`None`: the number has no SMS feature).
    pub messages: Option<String>,
}

/// `GET https://…` of the application's `capability`.`name` webhook.
fn hook(app: &Application, capability: &str, name: &str) -> Option<String> {
    let w = app
        .webhooks
        .iter()
        .find(|w| w.capability == capability && w.name == name)?;
    Some(match &w.http_method {
        Some(m) => format!("{m} {}", w.address),
        None => w.address.clone(),
    })
}

/// What the linked application is, for a sentence: `app "Name"`.
fn named(app: &Application, shown: &str) -> String {
    if app.name.trim().is_empty() {
        format!("app {}", app.id)
    } else {
        format!("app \"{shown}\"")
    }
}

/// Where `n`'s calls and messages go, given the applications as known.
pub fn routes(n: &OwnedNumber, apps: &Apps) -> Routes {
    let id = n.app_id.as_deref().filter(|a| !a.is_empty());
    let app = id.and_then(|id| apps.get(id));
    let shown = id.map(|id| apps.display(id)).unwrap_or_default();
    let has = |f: Feature| n.features.contains(&f);
    // Why a linked app's webhooks cannot be told, when they cannot.
    let not_known = |id: &str| match (&apps.unavailable, apps.is_unknown(id)) {
        (_, true) => format!("nowhere: the linked application {id} does not exist"),
        (Some(why), _) => format!("app {id} (its webhooks cannot be read: {why})"),
        (None, _) => format!("app {id} (the applications are not loaded yet)"),
    };

    let voice_type = n.voice_callback_type.as_deref().unwrap_or("");
    let voice_value = n.voice_callback_value.as_deref().filter(|v| !v.is_empty());
    let voice = has(Feature::Voice).then(|| {
        if let (Some(_), "sip" | "tel") = (voice_value, voice_type) {
            let target = crate::app::owned::voice_summary(n);
            return match app {
                Some(a) if a.has("voice") => {
                    format!(
                        "forwarded to {target} (overrides {}'s answer_url)",
                        named(a, &shown)
                    )
                }
                _ => format!("forwarded to {target}"),
            };
        }
        match (id, app) {
            (None, _) => "nowhere: no application and no forwarding".to_string(),
            (Some(id), None) => not_known(id),
            (Some(_), Some(a)) if !a.has("voice") => {
                format!("nowhere: {} has no voice capability", named(a, &shown))
            }
            (Some(_), Some(a)) => match hook(a, "voice", "answer_url") {
                Some(h) => format!("{} answer_url {h}", named(a, &shown)),
                None => format!("{}, which has no answer_url", named(a, &shown)),
            },
        }
    });

    let sms_url = n.mo_http_url.as_deref().filter(|u| !u.is_empty());
    let messages = has(Feature::Sms).then(|| {
        if let Some(url) = sms_url {
            // Which one the account's default SMS setting picks is not in the API's answers.
            return match app.and_then(|a| hook(a, "messages", "inbound_url").map(|h| (a, h))) {
                Some((a, h)) => format!(
                    "the number's SMS webhook {url} (or {} inbound_url {h}, when the account's SMS setting is the Messages API)",
                    named(a, &shown)
                ),
                None => format!("the number's SMS webhook {url}"),
            };
        }
        match (id, app) {
            (None, _) => "nowhere: no application and no SMS webhook".to_string(),
            (Some(id), None) => not_known(id),
            (Some(_), Some(a)) if !a.has("messages") => {
                format!("nowhere: {} has no messages capability", named(a, &shown))
            }
            (Some(_), Some(a)) => match hook(a, "messages", "inbound_url") {
                Some(h) => format!("{} inbound_url {h}", named(a, &shown)),
                None => format!("{}, which has no inbound_url", named(a, &shown)),
            },
        }
    });
    Routes { voice, messages }
}
