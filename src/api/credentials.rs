//! The account's credentials. The secret is a [`SecretString`]: it is never printed by Debug or
//! Display, and only exposed to build the Authorization header.

use secrecy::{ExposeSecret, SecretString};
use std::fmt;

#[derive(Clone)]
pub struct Credentials {
    pub api_key: String,
    api_secret: SecretString,
}

impl Credentials {
    pub fn new(api_key: impl Into<String>, api_secret: impl Into<String>) -> Credentials {
        Credentials {
            api_key: api_key.into(),
            api_secret: SecretString::from(api_secret.into()),
        }
    }

    /// The secret, for the one place that needs it (HTTP Basic auth) and for tests that check
    /// it never leaks.
    pub fn expose_secret(&self) -> &str {
        self.api_secret.expose_secret()
    }

    /// The secret as it may be shown: `****` and its length class, never its characters.
    pub fn masked_secret(&self) -> &'static str {
        "********"
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("api_key", &self.api_key)
            .field("api_secret", &"********")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let c = Credentials::new("key1", "very-secret-value");
        let shown = format!("{c:?}");
        assert!(shown.contains("key1"));
        assert!(!shown.contains("very-secret-value"));
    }
}
