//! What the authenticator allows: address lists, and per domain PLAIN
//! passwords, CURVE keys and a custom handler. Pure decisions, no sockets.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::zap::{Credentials, StatusCode, ZapReply, ZapRequest};
use crate::curve::PublicKey;

/// The domain whose settings apply to domains that lack their own: each
/// setting (PLAIN passwords, CURVE policy, handler) falls back on its own.
pub const ANY_DOMAIN: &str = "*";

/// Which CURVE clients a domain accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurvePolicy {
    /// Every client with a valid CURVE handshake (pyzmq's
    /// `CURVE_ALLOW_ANY`): the connection is encrypted, the client
    /// anonymous.
    AllowAny,
    /// Only clients with one of these public keys.
    Keys(HashSet<PublicKey>),
}

impl CurvePolicy {
    /// Allows the given public keys.
    pub fn keys(keys: impl IntoIterator<Item = PublicKey>) -> Self {
        Self::Keys(keys.into_iter().collect())
    }
}

/// A custom handler's verdict on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Let the client in as `user_id` (the `User-Id` property of its
    /// messages), adding `metadata` properties to its messages.
    Allow {
        /// The `User-Id` of the client's messages.
        user_id: String,
        /// Extra message properties, `name` → `value`.
        metadata: Vec<(String, Vec<u8>)>,
    },
    /// Refuse the client, with a reason for the ZAP status text.
    Deny {
        /// The status text.
        reason: String,
    },
    /// Decide by the built-in rules (passwords, keys) instead.
    Defer,
}

impl Decision {
    /// [`Decision::Allow`] without extra metadata.
    pub fn allow(user_id: impl Into<String>) -> Self {
        Self::Allow {
            user_id: user_id.into(),
            metadata: Vec::new(),
        }
    }

    /// [`Decision::Deny`].
    pub fn deny(reason: impl Into<String>) -> Self {
        Self::Deny {
            reason: reason.into(),
        }
    }
}

/// A custom handler: sees every request of its domain that passed the
/// address check.
pub type Handler = dyn Fn(&ZapRequest) -> Decision + Send + Sync + 'static;

/// One domain's configuration; `None` fields fall back to those of `*`.
#[derive(Default, Clone)]
struct DomainPolicy {
    passwords: Option<HashMap<String, String>>,
    curve: Option<CurvePolicy>,
    handler: Option<Arc<Handler>>,
}

impl DomainPolicy {
    fn is_empty(&self) -> bool {
        self.passwords.is_none() && self.curve.is_none() && self.handler.is_none()
    }
}

/// The whole configuration.
#[derive(Default, Clone)]
pub(crate) struct Policy {
    allowed: HashSet<String>,
    denied: HashSet<String>,
    domains: HashMap<String, DomainPolicy>,
}

/// Addresses compare as IP addresses when they parse as one.
fn normalise(address: &str) -> String {
    let address = address.trim();
    address
        .parse::<IpAddr>()
        .map_or_else(|_| address.to_owned(), |ip| ip.to_string())
}

/// The longest PLAIN password ZMTP carries (a one-byte length).
const MAX_PASSWORD: usize = 255;

/// Compares secrets in time that depends neither on where they differ nor,
/// up to [`MAX_PASSWORD`] bytes, on their lengths: every comparison walks
/// the same number of bytes.
fn same_secret(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    let span = a.len().max(b.len()).max(MAX_PASSWORD);
    let mut diff = a.len() ^ b.len();
    for i in 0..span {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(x ^ y);
    }
    std::hint::black_box(diff) == 0
}

impl Policy {
    pub(crate) fn allow(&mut self, address: &str) {
        self.allowed.insert(normalise(address));
    }

    pub(crate) fn deny(&mut self, address: &str) {
        self.denied.insert(normalise(address));
    }

    pub(crate) fn clear_addresses(&mut self) {
        self.allowed.clear();
        self.denied.clear();
    }

    fn domain_mut(&mut self, domain: &str) -> &mut DomainPolicy {
        self.domains.entry(domain.to_owned()).or_default()
    }

    pub(crate) fn set_passwords(&mut self, domain: &str, passwords: HashMap<String, String>) {
        self.domain_mut(domain).passwords = Some(passwords);
    }

    pub(crate) fn set_curve(&mut self, domain: &str, curve: CurvePolicy) {
        self.domain_mut(domain).curve = Some(curve);
    }

    pub(crate) fn set_handler(&mut self, domain: &str, handler: Arc<Handler>) {
        self.domain_mut(domain).handler = Some(handler);
    }

    /// Removes a domain's handler; a no-op for a domain without one, and a
    /// domain left with no settings is forgotten.
    pub(crate) fn remove_handler(&mut self, domain: &str) {
        if let Some(settings) = self.domains.get_mut(domain) {
            settings.handler = None;
            if settings.is_empty() {
                self.domains.remove(domain);
            }
        }
    }

    /// One setting of a domain: its own, else that of `*`.
    fn setting<'a, T: ?Sized>(
        &'a self,
        domain: &str,
        field: impl Fn(&'a DomainPolicy) -> Option<&'a T>,
    ) -> Option<&'a T> {
        self.domains
            .get(domain)
            .and_then(&field)
            .or_else(|| self.domains.get(ANY_DOMAIN).and_then(&field))
    }

    /// The address check: `Some(reason)` if the address is refused.
    fn address_refusal(&self, address: &str) -> Option<&'static str> {
        let address = normalise(address);
        if self.denied.contains(&address) {
            Some("Address denied")
        } else if !self.allowed.is_empty() && !self.allowed.contains(&address) {
            Some("Address not allowed")
        } else {
            None
        }
    }

    /// The built-in verdict on a request that passed the address check.
    fn builtin(&self, request: &ZapRequest) -> Decision {
        let domain = request.domain.as_str();
        match &request.credentials {
            Credentials::Null => Decision::allow("anonymous"),
            Credentials::Plain { username, password } => {
                match self.setting(domain, |d| d.passwords.as_ref()) {
                    None => Decision::deny("No passwords defined"),
                    Some(passwords) => {
                        let expected = passwords.get(username);
                        // Compared for unknown users too, so the time taken
                        // does not tell which users exist.
                        let matches = same_secret(expected.map_or("", String::as_str), password);
                        if expected.is_some() && matches {
                            Decision::allow(username.clone())
                        } else {
                            Decision::deny("Invalid username or password")
                        }
                    }
                }
            }
            Credentials::Curve { public_key } => match self.setting(domain, |d| d.curve.as_ref()) {
                None => Decision::deny("CURVE not configured"),
                Some(CurvePolicy::AllowAny) => Decision::allow(public_key.to_z85()),
                Some(CurvePolicy::Keys(keys)) if keys.contains(public_key) => {
                    Decision::allow(public_key.to_z85())
                }
                Some(CurvePolicy::Keys(_)) => Decision::deny("Unknown key"),
            },
            Credentials::Gssapi { principal } => {
                Decision::allow(String::from_utf8_lossy(principal).into_owned())
            }
        }
    }

    /// Everything needed to answer a request, taken under the lock so the
    /// handler can run without it.
    pub(crate) fn prepare(&self, request: &ZapRequest) -> Verdict {
        if let Some(reason) = self.address_refusal(&request.address) {
            return Verdict {
                builtin: Decision::deny(reason),
                handler: None,
            };
        }
        Verdict {
            builtin: self.builtin(request),
            handler: self
                .setting(&request.domain, |d| d.handler.as_ref())
                .cloned(),
        }
    }
}

/// The built-in decision and the handler, if any, that may override it.
pub(crate) struct Verdict {
    builtin: Decision,
    handler: Option<Arc<Handler>>,
}

impl Verdict {
    /// Runs the handler (outside any lock) and builds the reply. A handler
    /// that panics gets the client a 500.
    pub(crate) fn reply(self, request: &ZapRequest) -> ZapReply {
        let decision = match self.handler {
            None => self.builtin,
            Some(handler) => match catch_unwind(AssertUnwindSafe(|| handler(request))) {
                Ok(Decision::Defer) => self.builtin,
                Ok(decision) => decision,
                Err(_) => {
                    return ZapReply::failure(
                        request.request_id.clone(),
                        StatusCode::InternalError,
                        "Handler failed",
                    );
                }
            },
        };
        match decision {
            Decision::Allow { user_id, metadata } => ZapReply {
                request_id: request.request_id.clone(),
                status: StatusCode::Success,
                status_text: "OK".to_owned(),
                user_id,
                metadata: metadata
                    .into_iter()
                    .filter(|(name, _)| !name.is_empty() && name.len() <= 255)
                    .collect(),
            },
            Decision::Deny { reason } => ZapReply::deny(request.request_id.clone(), &reason),
            Decision::Defer => ZapReply::deny(request.request_id.clone(), "No decision"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(domain: &str, address: &str, credentials: Credentials) -> ZapRequest {
        ZapRequest {
            request_id: b"1".to_vec(),
            domain: domain.into(),
            address: address.into(),
            routing_id: Vec::new(),
            credentials,
        }
    }

    fn answer(policy: &Policy, request: &ZapRequest) -> (StatusCode, String, String) {
        let reply = policy.prepare(request).reply(request);
        (reply.status, reply.status_text, reply.user_id)
    }

    fn plain(user: &str, password: &str) -> Credentials {
        Credentials::Plain {
            username: user.into(),
            password: password.into(),
        }
    }

    #[test]
    fn secrets_compare_equal_only_when_equal_whatever_their_lengths() {
        assert!(same_secret("secret", "secret"));
        assert!(same_secret("", ""));
        assert!(!same_secret("secret", "secreT"));
        assert!(!same_secret("secret", "secret\0"));
        assert!(!same_secret("secret", "secre"));
        assert!(!same_secret("", "x"));
        let long = "p".repeat(300);
        assert!(same_secret(&long, &long));
        assert!(!same_secret(&long, &long[..299]));
    }

    #[test]
    fn an_empty_password_matches_only_a_known_user_with_one() {
        let mut policy = Policy::default();
        policy.set_passwords("*", [("guest".into(), String::new())].into());
        let guest = request("", "127.0.0.1", plain("guest", ""));
        assert_eq!(answer(&policy, &guest).2, "guest");
        let stranger = request("", "127.0.0.1", plain("stranger", ""));
        assert_eq!(
            answer(&policy, &stranger).0,
            StatusCode::AuthenticationFailure
        );
    }

    #[test]
    fn null_is_allowed_unless_the_address_is_refused() {
        let mut policy = Policy::default();
        let null = request("", "10.0.0.1", Credentials::Null);
        assert_eq!(answer(&policy, &null).0, StatusCode::Success);
        policy.deny("10.0.0.1");
        assert_eq!(answer(&policy, &null).1, "Address denied");
        policy.clear_addresses();
        policy.allow("127.0.0.1");
        assert_eq!(answer(&policy, &null).1, "Address not allowed");
        let local = request("", "127.0.0.1", Credentials::Null);
        assert_eq!(answer(&policy, &local).2, "anonymous");
    }

    #[test]
    fn ipv6_addresses_compare_by_value() {
        let mut policy = Policy::default();
        policy.allow("0:0:0:0:0:0:0:1");
        let v6 = request("", "::1", Credentials::Null);
        assert_eq!(answer(&policy, &v6).0, StatusCode::Success);
    }

    #[test]
    fn plain_checks_the_domain_passwords_with_star_as_fallback() {
        let mut policy = Policy::default();
        let admin = request("", "127.0.0.1", plain("admin", "secret"));
        assert_eq!(answer(&policy, &admin).1, "No passwords defined");
        policy.set_passwords("*", [("admin".into(), "secret".into())].into());
        assert_eq!(
            answer(&policy, &admin),
            (StatusCode::Success, "OK".into(), "admin".into())
        );
        let wrong = request("", "127.0.0.1", plain("admin", "bogus"));
        assert_eq!(answer(&policy, &wrong).0, StatusCode::AuthenticationFailure);
        policy.set_passwords("ops", [("root".into(), "pw".into())].into());
        let ops = request("ops", "127.0.0.1", plain("admin", "secret"));
        assert_eq!(answer(&policy, &ops).0, StatusCode::AuthenticationFailure);
        let root = request("ops", "127.0.0.1", plain("root", "pw"));
        assert_eq!(answer(&policy, &root).2, "root");
    }

    #[test]
    fn curve_allows_any_or_listed_keys_with_z85_user_id() {
        let mut policy = Policy::default();
        let key = PublicKey::from_bytes([4; 32]);
        let client = request("", "127.0.0.1", Credentials::Curve { public_key: key });
        assert_eq!(answer(&policy, &client).1, "CURVE not configured");
        policy.set_curve("*", CurvePolicy::keys([PublicKey::from_bytes([5; 32])]));
        assert_eq!(answer(&policy, &client).1, "Unknown key");
        policy.set_curve("*", CurvePolicy::keys([key]));
        assert_eq!(answer(&policy, &client).2, key.to_z85());
        policy.set_curve("*", CurvePolicy::AllowAny);
        assert_eq!(answer(&policy, &client).0, StatusCode::Success);
    }

    #[test]
    fn handler_overrides_or_defers_and_a_panic_is_a_500() {
        let mut policy = Policy::default();
        policy.set_handler(
            "*",
            Arc::new(|request: &ZapRequest| match request.address.as_str() {
                "10.0.0.1" => Decision::deny("Blocked"),
                "10.0.0.2" => Decision::allow("vip"),
                "10.0.0.3" => panic!("handler bug"),
                _ => Decision::Defer,
            }),
        );
        let ask = |address| answer(&policy, &request("", address, Credentials::Null));
        assert_eq!(ask("10.0.0.1").1, "Blocked");
        assert_eq!(ask("10.0.0.2").2, "vip");
        assert_eq!(ask("10.0.0.3").0, StatusCode::InternalError);
        assert_eq!(ask("10.0.0.4").2, "anonymous");
    }

    #[test]
    fn refused_addresses_never_reach_the_handler() {
        let mut policy = Policy::default();
        policy.deny("10.0.0.9");
        policy.set_handler("*", Arc::new(|_: &ZapRequest| Decision::allow("x")));
        let refused = request("", "10.0.0.9", Credentials::Null);
        assert_eq!(answer(&policy, &refused).1, "Address denied");
    }

    #[test]
    fn each_setting_falls_back_to_star_on_its_own() {
        let mut policy = Policy::default();
        policy.set_passwords("*", [("admin".into(), "secret".into())].into());
        let key = PublicKey::from_bytes([6; 32]);
        policy.set_curve("*", CurvePolicy::keys([key]));
        // A domain with only a handler still uses the passwords and keys
        // of `*`.
        policy.set_handler("ops", Arc::new(|_: &ZapRequest| Decision::Defer));
        let admin = request("ops", "127.0.0.1", plain("admin", "secret"));
        assert_eq!(answer(&policy, &admin).2, "admin");
        let wrong = request("ops", "127.0.0.1", plain("admin", "bogus"));
        assert_eq!(answer(&policy, &wrong).0, StatusCode::AuthenticationFailure);
        let curve = request("ops", "127.0.0.1", Credentials::Curve { public_key: key });
        assert_eq!(answer(&policy, &curve).2, key.to_z85());
        // Its own passwords replace those of `*`, its curve policy still
        // falls back.
        policy.set_passwords("ops", [("root".into(), "pw".into())].into());
        assert_eq!(answer(&policy, &admin).0, StatusCode::AuthenticationFailure);
        assert_eq!(answer(&policy, &curve).0, StatusCode::Success);
        // A handler of `*` applies to a domain without its own.
        policy.remove_handler("ops");
        policy.set_handler("*", Arc::new(|_: &ZapRequest| Decision::deny("Closed")));
        assert_eq!(answer(&policy, &curve).1, "Closed");
    }

    #[test]
    fn removing_a_handler_of_an_unknown_domain_hides_nothing() {
        let mut policy = Policy::default();
        policy.set_passwords("*", [("admin".into(), "secret".into())].into());
        policy.remove_handler("never-configured");
        assert!(!policy.domains.contains_key("never-configured"));
        let admin = request("never-configured", "127.0.0.1", plain("admin", "secret"));
        assert_eq!(answer(&policy, &admin).2, "admin");
        // A domain whose only setting was its handler is forgotten.
        policy.set_handler("h", Arc::new(|_: &ZapRequest| Decision::Defer));
        policy.remove_handler("h");
        assert!(!policy.domains.contains_key("h"));
    }
}
