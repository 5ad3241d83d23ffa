//! Typed setup of a socket's security mechanism: NULL, PLAIN or CURVE,
//! server or client side, with the ZAP domain the server side reports to
//! an [`Authenticator`](crate::auth::Authenticator).
//!
//! [`Socket::set_security`] writes the options a mechanism needs, in one
//! call, before `bind`/`connect`:
//!
//! ```
//! # if !zmq::has(zmq::Capability::Curve) { return Ok(()); }
//! use zmq::{CurveKeyPair, Security, SocketType};
//!
//! let ctx = zmq::Context::new()?;
//! let server_keys = CurveKeyPair::generate()?;
//! let client_keys = CurveKeyPair::generate()?;
//!
//! let server = ctx.socket(SocketType::Rep)?;
//! server.set_security(&Security::CurveServer {
//!     secret_key: server_keys.secret(),
//!     zap_domain: None,
//! })?;
//! server.bind("tcp://127.0.0.1:*")?;
//!
//! let client = ctx.socket(SocketType::Req)?;
//! client.set_security(&Security::CurveClient {
//!     keys: &client_keys,
//!     server_key: server_keys.public(),
//! })?;
//! client.connect(&server.last_endpoint()?)?;
//!
//! client.send("secret")?;
//! assert_eq!(server.recv()?, "secret");
//! # Ok::<(), zmq::Error>(())
//! ```

use std::fmt;

use crate::curve::{CurveKeyPair, PublicKey, SecretKey};
use crate::error::{Error, ErrorKind, Result};
use crate::socket::Socket;
use crate::sockopt;

/// The longest PLAIN user name, password or ZAP domain (ZMTP length byte).
const MAX_TEXT: usize = 255;

/// A security mechanism and the credentials it needs, for
/// [`Socket::set_security`].
///
/// The server side of each mechanism (and NULL) takes a ZAP domain: when
/// set, libzmq asks the ZAP handler of the context (an
/// [`Authenticator`](crate::auth::Authenticator)) about every connection,
/// passing this domain along. Without a domain, NULL connections skip ZAP;
/// PLAIN and CURVE ones are checked whenever a handler runs.
///
/// With no handler running, libzmq 4.3 by default refuses every PLAIN
/// client but lets in every CURVE client that knows the server's public
/// key, and every NULL client. With the `draft` feature, setting a ZAP
/// domain also sets `ZMQ_ZAP_ENFORCE_DOMAIN`
/// ([`sockopt::ZapEnforceDomain`](crate::sockopt)), so that a missing
/// handler refuses those clients too; without it, keep the authenticator
/// running for as long as the server socket accepts connections.
///
/// `Debug` shows the PLAIN password and the secret keys as `<redacted>`.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum Security<'a> {
    /// No security (`ZMQ_NULL`), the default; with a ZAP domain, the
    /// authenticator still sees (and may refuse) each peer's address.
    Null {
        /// `ZMQ_ZAP_DOMAIN`, `None` to leave it unset.
        zap_domain: Option<&'a str>,
    },
    /// PLAIN server (`ZMQ_PLAIN_SERVER`): clients send a user name and
    /// password in clear text, for the ZAP handler to check.
    PlainServer {
        /// `ZMQ_ZAP_DOMAIN`, `None` to leave it unset (the empty domain).
        zap_domain: Option<&'a str>,
    },
    /// PLAIN client (`ZMQ_PLAIN_USERNAME`, `ZMQ_PLAIN_PASSWORD`).
    PlainClient {
        /// The user name: 1 to 255 bytes.
        username: &'a str,
        /// The password: up to 255 bytes. It may be empty (ZMTP allows it)
        /// unless the socket had a non-empty one set before: libzmq cannot
        /// set an empty one, it only sends one when none was set.
        password: &'a str,
    },
    /// CURVE server (`ZMQ_CURVE_SERVER`, `ZMQ_CURVE_SECRETKEY`): encrypts
    /// every connection; clients must know the matching public key.
    CurveServer {
        /// The server's long-term secret key.
        secret_key: &'a SecretKey,
        /// `ZMQ_ZAP_DOMAIN`, `None` to leave it unset (the empty domain).
        zap_domain: Option<&'a str>,
    },
    /// CURVE client (`ZMQ_CURVE_PUBLICKEY`, `ZMQ_CURVE_SECRETKEY`,
    /// `ZMQ_CURVE_SERVERKEY`).
    CurveClient {
        /// The client's own long-term key pair.
        keys: &'a CurveKeyPair,
        /// The server's public key.
        server_key: &'a PublicKey,
    },
}

/// What `Debug` shows instead of a secret.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for Security<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null { zap_domain } => f
                .debug_struct("Null")
                .field("zap_domain", zap_domain)
                .finish(),
            Self::PlainServer { zap_domain } => f
                .debug_struct("PlainServer")
                .field("zap_domain", zap_domain)
                .finish(),
            Self::PlainClient { username, .. } => f
                .debug_struct("PlainClient")
                .field("username", username)
                .field("password", &Redacted)
                .finish(),
            Self::CurveServer { zap_domain, .. } => f
                .debug_struct("CurveServer")
                .field("secret_key", &Redacted)
                .field("zap_domain", zap_domain)
                .finish(),
            Self::CurveClient { keys, server_key } => f
                .debug_struct("CurveClient")
                .field(
                    "keys",
                    &format_args!(
                        "CurveKeyPair {{ public: {:?}, secret: <redacted> }}",
                        keys.public()
                    ),
                )
                .field("server_key", server_key)
                .finish(),
        }
    }
}

/// Checks a PLAIN user name or ZAP domain against ZMTP's limits, and that
/// it is not empty (libzmq refuses an empty one).
fn check_text(what: &str, text: &str) -> Result<()> {
    if text.is_empty() {
        return Err(Error::invalid_input(format!("{what} must not be empty")));
    }
    check_text_may_be_empty(what, text)
}

/// Checks a PLAIN password against ZMTP's limits: at most 255 bytes, no NUL.
fn check_text_may_be_empty(what: &str, text: &str) -> Result<()> {
    if text.len() > MAX_TEXT {
        return Err(Error::invalid_input(format!(
            "{what} is {} bytes, more than {MAX_TEXT}",
            text.len()
        )));
    }
    if text.contains('\0') {
        return Err(Error::invalid_input(format!("{what} contains a NUL byte")));
    }
    Ok(())
}

/// Fails with a clear message when libzmq was built without CURVE.
fn require_curve() -> Result<()> {
    if crate::has(crate::Capability::Curve) {
        Ok(())
    } else {
        Err(Error::from_errno(libc::ENOTSUP)
            .with_kind(ErrorKind::NotSupported)
            .context("CURVE security: this libzmq was built without CURVE"))
    }
}

impl Socket {
    /// Configures the security mechanism; call before `bind`/`connect`
    /// (connections made earlier keep their mechanism).
    ///
    /// Writes `ZMQ_ZAP_DOMAIN`, `ZMQ_PLAIN_*` or `ZMQ_CURVE_*` through
    /// `zmq_setsockopt`. `Err` for an empty PLAIN user name, text over 255
    /// bytes, an empty PLAIN password on a socket that had another one set,
    /// and CURVE on a libzmq built without it.
    #[doc(alias = "zmq_setsockopt")]
    pub fn set_security(&self, security: &Security<'_>) -> Result<()> {
        match *security {
            Security::Null { zap_domain } => {
                // Clearing the server flag selects NULL.
                self.set(sockopt::PlainServer, false)?;
                self.set_zap_domain(zap_domain)
            }
            Security::PlainServer { zap_domain } => {
                self.set_zap_domain(zap_domain)?;
                self.set(sockopt::PlainServer, true)
            }
            Security::PlainClient { username, password } => {
                check_text("PLAIN user name", username)?;
                check_text_may_be_empty("PLAIN password", password)?;
                if password.is_empty() {
                    // libzmq refuses an empty ZMQ_PLAIN_PASSWORD but sends
                    // the empty one it starts with; it cannot clear another.
                    if !self.get(sockopt::PlainPassword)?.is_empty() {
                        return Err(Error::invalid_input(
                            "an empty PLAIN password cannot replace the one set \
                             before on this socket (libzmq cannot clear it)",
                        ));
                    }
                    self.set(sockopt::PlainUsername, username)
                } else {
                    self.set(sockopt::PlainUsername, username)?;
                    self.set(sockopt::PlainPassword, password)
                }
            }
            Security::CurveServer {
                secret_key,
                zap_domain,
            } => {
                require_curve()?;
                self.set_zap_domain(zap_domain)?;
                self.set(sockopt::CurveSecretKey, secret_key.as_bytes())?;
                self.set(sockopt::CurveServer, true)
            }
            Security::CurveClient { keys, server_key } => {
                require_curve()?;
                self.set(sockopt::CurveServer, false)?;
                self.set(sockopt::CurvePublicKey, keys.public().as_bytes())?;
                self.set(sockopt::CurveSecretKey, keys.secret().as_bytes())?;
                self.set(sockopt::CurveServerKey, server_key.as_bytes())
            }
        }
    }

    /// Sets `ZMQ_ZAP_DOMAIN` and, with the `draft` feature,
    /// `ZMQ_ZAP_ENFORCE_DOMAIN` (only with a domain: libzmq asserts when a
    /// PLAIN server enforces an empty one); `None` leaves both as they are.
    fn set_zap_domain(&self, domain: Option<&str>) -> Result<()> {
        let Some(domain) = domain else {
            return Ok(());
        };
        check_text("ZAP domain", domain)?;
        self.set(sockopt::ZapDomain, domain)?;
        #[cfg(feature = "draft")]
        self.set(sockopt::ZapEnforceDomain, true)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Context, Mechanism, SocketType};

    #[test]
    fn each_mechanism_sets_its_options() {
        let ctx = Context::new().unwrap();
        let socket = ctx.socket(SocketType::Dealer).unwrap();

        socket
            .set_security(&Security::PlainServer {
                zap_domain: Some("global"),
            })
            .unwrap();
        assert_eq!(socket.get(sockopt::Mechanism).unwrap(), Mechanism::Plain);
        assert!(socket.get(sockopt::PlainServer).unwrap());
        assert_eq!(socket.get(sockopt::ZapDomain).unwrap(), "global");
        #[cfg(feature = "draft")]
        assert!(socket.get(sockopt::ZapEnforceDomain).unwrap());

        socket
            .set_security(&Security::PlainClient {
                username: "admin",
                password: "secret",
            })
            .unwrap();
        assert_eq!(socket.get(sockopt::PlainUsername).unwrap(), "admin");
        assert_eq!(socket.get(sockopt::PlainPassword).unwrap(), "secret");
        assert!(!socket.get(sockopt::PlainServer).unwrap());

        socket
            .set_security(&Security::Null { zap_domain: None })
            .unwrap();
        assert_eq!(socket.get(sockopt::Mechanism).unwrap(), Mechanism::Null);
        assert!(!socket.get(sockopt::PlainServer).unwrap());
    }

    #[test]
    fn curve_sides_set_their_keys() {
        if !crate::has(crate::Capability::Curve) {
            return;
        }
        let ctx = Context::new().unwrap();
        let server_keys = CurveKeyPair::generate().unwrap();
        let client_keys = CurveKeyPair::generate().unwrap();

        let server = ctx.socket(SocketType::Router).unwrap();
        server
            .set_security(&Security::CurveServer {
                secret_key: server_keys.secret(),
                zap_domain: Some("d"),
            })
            .unwrap();
        assert_eq!(server.get(sockopt::Mechanism).unwrap(), Mechanism::Curve);
        assert!(server.get(sockopt::CurveServer).unwrap());

        let client = ctx.socket(SocketType::Dealer).unwrap();
        client
            .set_security(&Security::CurveClient {
                keys: &client_keys,
                server_key: server_keys.public(),
            })
            .unwrap();
        assert!(!client.get(sockopt::CurveServer).unwrap());
        assert_eq!(
            client.get(sockopt::CurveServerKey).unwrap(),
            *server_keys.public().as_bytes()
        );
        assert_eq!(
            client.get(sockopt::CurvePublicKey).unwrap(),
            *client_keys.public().as_bytes()
        );
    }

    #[test]
    fn bad_credentials_are_errors() {
        let ctx = Context::new().unwrap();
        let socket = ctx.socket(SocketType::Dealer).unwrap();
        let empty = socket
            .set_security(&Security::PlainClient {
                username: "",
                password: "x",
            })
            .unwrap_err();
        assert!(empty.to_string().contains("must not be empty"), "{empty}");
        let long = "p".repeat(256);
        let too_long = socket
            .set_security(&Security::PlainClient {
                username: "admin",
                password: &long,
            })
            .unwrap_err();
        assert!(too_long.to_string().contains("more than 255"), "{too_long}");
        for domain in ["", long.as_str()] {
            let security = Security::Null {
                zap_domain: Some(domain),
            };
            assert!(socket.set_security(&security).is_err());
        }
    }

    #[test]
    fn debug_redacts_the_password_and_secret_keys() {
        let plain = Security::PlainClient {
            username: "admin",
            password: "hunter2",
        };
        let shown = format!("{plain:?}");
        assert_eq!(
            shown,
            r#"PlainClient { username: "admin", password: <redacted> }"#
        );
        if !crate::has(crate::Capability::Curve) {
            return;
        }
        let keys = CurveKeyPair::generate().unwrap();
        let secret = keys.secret().to_z85();
        let server = Security::CurveServer {
            secret_key: keys.secret(),
            zap_domain: Some("d"),
        };
        let client = Security::CurveClient {
            keys: &keys,
            server_key: keys.public(),
        };
        for shown in [format!("{server:?}"), format!("{client:#?}")] {
            assert!(!shown.contains(&secret), "{shown}");
            assert!(shown.contains("<redacted>"), "{shown}");
        }
        assert!(format!("{client:?}").contains(&keys.public().to_z85()));
    }

    #[test]
    fn an_empty_plain_password_is_allowed_unless_another_was_set() {
        let ctx = Context::new().unwrap();
        let socket = ctx.socket(SocketType::Dealer).unwrap();
        let guest = Security::PlainClient {
            username: "guest",
            password: "",
        };
        socket.set_security(&guest).unwrap();
        assert_eq!(socket.get(sockopt::Mechanism).unwrap(), Mechanism::Plain);
        assert_eq!(socket.get(sockopt::PlainUsername).unwrap(), "guest");
        assert_eq!(socket.get(sockopt::PlainPassword).unwrap(), "");

        let other = ctx.socket(SocketType::Dealer).unwrap();
        other
            .set_security(&Security::PlainClient {
                username: "admin",
                password: "secret",
            })
            .unwrap();
        let err = other.set_security(&guest).unwrap_err();
        assert!(err.to_string().contains("cannot clear"), "{err}");
        assert_eq!(other.get(sockopt::PlainUsername).unwrap(), "admin");
    }
}
