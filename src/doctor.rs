//! The routing doctor: what is wrong with where each number's calls and messages go, found
//! from the owned list and the applications alone (no I/O here; the caller fetches both).
//! Each finding says how to fix it.

use std::collections::HashMap;
use std::net::IpAddr;

use serde::Serialize;

use crate::api::apps::Application;
use crate::api::{Feature, OwnedNumber};

/// What kind of problem a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Linked to an application id no application has.
    UnknownApp,
    /// VOICE feature, linked to an application without a voice capability.
    VoiceGoesNowhere,
    /// SMS feature, linked to an application without a messages capability.
    MessagesGoNowhere,
    /// No application, no SMS webhook, no voice forwarding: nothing reaches anyone.
    Unrouted,
    /// sip/tel forwarding set: it overrides the linked application's voice webhooks.
    ForwardingOverridesApp,
    /// The deprecated `app` voice callback type (the application carries the voice webhooks).
    DeprecatedVoiceApp,
    /// A deprecated `messagesCallbackType`.
    DeprecatedMessagesCallback,
    /// The linked application sends webhooks over plain http or to a private address.
    InsecureWebhook,
    /// The number's SMS webhook does not answer the GET Vonage sends with 200 (only when
    /// asked: it sends requests).
    SmsWebhookFails,
}

impl Kind {
    /// Broken: calls or messages are lost. The others are warnings.
    pub fn is_broken(self) -> bool {
        matches!(
            self,
            Kind::UnknownApp
                | Kind::VoiceGoesNowhere
                | Kind::MessagesGoNowhere
                | Kind::Unrouted
                | Kind::SmsWebhookFails
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub country: String,
    pub msisdn: String,
    pub kind: Kind,
    pub broken: bool,
    /// What is wrong, with the values involved.
    pub detail: String,
    /// How to fix it (a command where there is one).
    pub fix: String,
}

/// True for a webhook address that is plain http, or whose host is loopback, private,
/// link-local or `localhost`: Vonage cannot (or should not) reach it.
pub fn insecure_address(address: &str) -> Option<&'static str> {
    let url = url::Url::parse(address).ok()?;
    if url.scheme() == "http" {
        return Some("plain http");
    }
    let private = match url.host()? {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => {
            ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified()
        }
        url::Host::Ipv6(ip) => {
            let ip = IpAddr::V6(ip);
            ip.is_loopback() || ip.is_unspecified()
        }
    };
    private.then_some("a loopback or private address")
}

/// The distinct SMS webhook URLs of `numbers`, sorted: what the GET check sends to.
pub fn sms_webhook_urls(numbers: &[OwnedNumber]) -> Vec<String> {
    let mut urls: Vec<String> = numbers
        .iter()
        .filter_map(|n| n.mo_http_url.as_deref())
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

/// A finding per number whose SMS webhook failed the GET check: `answers` holds, per URL, the
/// status it answered with or why there was no answer (a URL not in it was not checked).
pub fn webhook_findings(
    numbers: &[OwnedNumber],
    answers: &HashMap<String, Result<u16, String>>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for n in numbers {
        let Some(url) = n.mo_http_url.as_deref().map(str::trim) else {
            continue;
        };
        let why = match answers.get(url) {
            Some(Ok(200)) | None => continue,
            Some(Ok(status)) => format!("answered {status}"),
            Some(Err(e)) => format!("did not answer ({e})"),
        };
        let country = n.country.as_deref().unwrap_or("").to_string();
        let msisdn = n.msisdn.clone().unwrap_or_default();
        out.push(Finding {
            fix: format!(
                "make {url} answer 200 to a GET, or switchboard update {country} {msisdn} --sms-url URL"
            ),
            country,
            msisdn,
            kind: Kind::SmsWebhookFails,
            broken: true,
            detail: format!(
                "the SMS webhook {url} {why} to the GET Vonage sends: inbound messages to it fail"
            ),
        });
    }
    out
}

/// Every finding for `numbers`, given every application of the account (`None`: they could
/// not be read, so links are not checked).
pub fn diagnose(numbers: &[OwnedNumber], apps: Option<&[Application]>) -> Vec<Finding> {
    let by_id: HashMap<&str, &Application> = apps
        .unwrap_or_default()
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    let mut out = Vec::new();
    for n in numbers {
        let country = n.country.as_deref().unwrap_or("").to_string();
        let msisdn = n.msisdn.clone().unwrap_or_default();
        let mut add = |kind: Kind, detail: String, fix: String| {
            out.push(Finding {
                country: country.clone(),
                msisdn: msisdn.clone(),
                kind,
                broken: kind.is_broken(),
                detail,
                fix,
            })
        };
        let relink = format!("switchboard update {country} {msisdn} --app NAME|ID");
        let has = |f: &Feature| n.features.iter().any(|g| g == f);
        let voice_type = n.voice_callback_type.as_deref().unwrap_or("");
        let forwarding = matches!(voice_type, "sip" | "tel")
            && n.voice_callback_value
                .as_deref()
                .is_some_and(|v| !v.is_empty());
        let sms_url = n.mo_http_url.as_deref().is_some_and(|u| !u.is_empty());
        match n.app_id.as_deref().filter(|a| !a.is_empty()) {
            Some(_) if apps.is_none() => {}
            Some(id) => match by_id.get(id) {
                None => add(
                    Kind::UnknownApp,
                    format!("linked to application {id}, which does not exist"),
                    format!("{relink}, or --clear app-id"),
                ),
                Some(app) => {
                    if has(&Feature::Voice) && !app.has("voice") && !forwarding {
                        add(
                            Kind::VoiceGoesNowhere,
                            format!(
                                "VOICE number linked to {:?} ({id}), which has no voice capability: calls go nowhere",
                                app.name
                            ),
                            format!("add voice to the application on the dashboard, or {relink}"),
                        );
                    }
                    if has(&Feature::Sms) && !app.has("messages") && !sms_url {
                        add(
                            Kind::MessagesGoNowhere,
                            format!(
                                "SMS number linked to {:?} ({id}), which has no messages capability and no SMS webhook: messages go nowhere",
                                app.name
                            ),
                            format!(
                                "{relink}, or switchboard update {country} {msisdn} --sms-url URL"
                            ),
                        );
                    }
                    if forwarding && app.has("voice") {
                        add(
                            Kind::ForwardingOverridesApp,
                            format!(
                                "voice forwarded to {voice_type}:{}, which overrides {:?}'s voice webhooks",
                                n.voice_callback_value.as_deref().unwrap_or(""),
                                app.name
                            ),
                            format!(
                                "switchboard update {country} {msisdn} --clear voice (to use the application's webhooks)"
                            ),
                        );
                    }
                    for w in &app.webhooks {
                        if let Some(why) = insecure_address(&w.address) {
                            add(
                                Kind::InsecureWebhook,
                                format!(
                                    "{:?}'s {}.{} is {why}: {}",
                                    app.name, w.capability, w.name, w.address
                                ),
                                format!(
                                    "switchboard apps update {} --{} https://...",
                                    app.id,
                                    w.name.replace('_', "-")
                                ),
                            );
                        }
                    }
                }
            },
            None if !sms_url && !forwarding => add(
                Kind::Unrouted,
                "no application, no SMS webhook and no voice forwarding: nothing reaches anyone"
                    .into(),
                format!("{relink}, or --sms-url URL"),
            ),
            None => {}
        }
        if voice_type == "app" {
            add(
                Kind::DeprecatedVoiceApp,
                "voiceCallbackType \"app\" is deprecated".into(),
                format!("{relink} (the application carries the voice webhooks)"),
            );
        }
        if n.messages_callback_type
            .as_deref()
            .is_some_and(|t| !t.is_empty())
        {
            add(
                Kind::DeprecatedMessagesCallback,
                "messagesCallbackType is deprecated".into(),
                format!("switchboard update {country} {msisdn} --clear messages"),
            );
        }
    }
    out
}
