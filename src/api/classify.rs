//! The mapping of every answer (status and body) to the decoded body or a typed [`ApiError`].

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use super::error::{ApiError, Operation};
use super::lenient::{body_status, excerpt};

/// Maps an HTTP answer to the decoded body or a typed error. Success is a 2xx status AND a
/// body whose `error-code` is absent or "200".
pub(super) fn classify(
    op: Operation,
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &str,
) -> Result<Value, ApiError> {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let label = parsed
        .as_ref()
        .and_then(|v| body_status(v).label)
        .unwrap_or_default();
    let short = || excerpt(body, 160);
    match status.as_u16() {
        200..=299 => {
            let Some(value) = parsed else {
                return Err(ApiError::Undecodable {
                    op,
                    status: status.as_u16(),
                    excerpt: short(),
                });
            };
            let st = body_status(&value);
            if st.is_success() {
                return Ok(value);
            }
            let code: u16 = st
                .code
                .as_deref()
                .and_then(|c| c.trim().parse().ok())
                .unwrap_or(0);
            Err(error_for_code(
                op,
                code,
                st.label.unwrap_or_default(),
                retry_after,
                body,
            ))
        }
        code => Err(error_for_code(op, code, label, retry_after, body)),
    }
}

fn error_for_code(
    op: Operation,
    code: u16,
    label: String,
    retry_after: Option<Duration>,
    body: &str,
) -> ApiError {
    let or = |label: String, default: &str| {
        if label.is_empty() {
            default.to_string()
        } else {
            label
        }
    };
    match code {
        401 | 403 => ApiError::Authentication {
            op,
            label: or(label, "authentication failed"),
        },
        420 if is_address_label(&label) => ApiError::AddressRequired { op, label },
        420 => ApiError::MethodFailed {
            op,
            label: or(label, "method failed"),
            hint: op.method_failed_hint(),
        },
        429 => ApiError::RateLimited { op, retry_after },
        500..=599 => ApiError::Server {
            op,
            status: code,
            excerpt: or(label, &excerpt(body, 160)),
        },
        _ => ApiError::UnexpectedStatus {
            op,
            status: code,
            excerpt: or(label, &excerpt(body, 160)),
        },
    }
}

fn is_address_label(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    l.contains("address") || l.contains("dashboard")
}
