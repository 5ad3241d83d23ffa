//! The ZAP 1.0 wire format (rfc.zeromq.org/spec/27): the request libzmq
//! sends its handler and the reply it expects back.

use std::fmt;

use crate::curve::PublicKey;
use crate::socket::Mechanism;

/// The endpoint a ZAP handler binds, in the context whose sockets it
/// serves.
pub const ZAP_ENDPOINT: &str = "inproc://zeromq.zap.01";

/// The protocol version, the first frame of requests and replies.
pub const ZAP_VERSION: &[u8] = b"1.0";

/// A reply's status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusCode {
    /// 200: the client may connect.
    Success,
    /// 300: a temporary error; the client should retry later.
    TemporaryError,
    /// 400: the credentials are refused.
    AuthenticationFailure,
    /// 500: the handler itself failed.
    InternalError,
}

impl StatusCode {
    /// The three ASCII digits sent on the wire.
    pub const fn as_bytes(self) -> &'static [u8; 3] {
        match self {
            Self::Success => b"200",
            Self::TemporaryError => b"300",
            Self::AuthenticationFailure => b"400",
            Self::InternalError => b"500",
        }
    }

    /// The number, as libzmq reports it in `HANDSHAKE_FAILED_AUTH` events.
    pub const fn as_u16(self) -> u16 {
        match self {
            Self::Success => 200,
            Self::TemporaryError => 300,
            Self::AuthenticationFailure => 400,
            Self::InternalError => 500,
        }
    }
}

/// What a client presented, by mechanism.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// NULL: nothing.
    Null,
    /// PLAIN: user name and password (lossily decoded as UTF-8).
    Plain {
        /// The user name.
        username: String,
        /// The password; `Debug` does not show it.
        password: String,
    },
    /// CURVE: the client's long-term public key.
    Curve {
        /// The client's public key.
        public_key: PublicKey,
    },
    /// GSSAPI: the client's principal.
    Gssapi {
        /// The principal, as sent.
        principal: Vec<u8>,
    },
}

impl Credentials {
    /// The mechanism these credentials belong to.
    pub fn mechanism(&self) -> Mechanism {
        match self {
            Self::Null => Mechanism::Null,
            Self::Plain { .. } => Mechanism::Plain,
            Self::Curve { .. } => Mechanism::Curve,
            Self::Gssapi { .. } => Mechanism::Gssapi,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("Null"),
            Self::Plain { username, .. } => f
                .debug_struct("Plain")
                .field("username", username)
                .field("password", &"<redacted>")
                .finish(),
            Self::Curve { public_key } => f
                .debug_struct("Curve")
                .field("public_key", public_key)
                .finish(),
            Self::Gssapi { principal } => f
                .debug_struct("Gssapi")
                .field("principal", &String::from_utf8_lossy(principal))
                .finish(),
        }
    }
}

/// A ZAP request: who is connecting, where to, and with what credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZapRequest {
    /// Opaque id the reply must echo.
    pub request_id: Vec<u8>,
    /// The server socket's `ZMQ_ZAP_DOMAIN` (may be empty).
    pub domain: String,
    /// The client's IP address (TCP), or the transport's peer address.
    pub address: String,
    /// The routing id (identity) the client connects with.
    pub routing_id: Vec<u8>,
    /// The mechanism and credentials.
    pub credentials: Credentials,
}

/// A request that could not be understood, with the reply it deserves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadRequest {
    pub(crate) reply: ZapReply,
}

impl ZapRequest {
    /// Parses the frames of a request (as received on a REP socket, without
    /// the envelope).
    pub(crate) fn parse(frames: &[Vec<u8>]) -> Result<Self, BadRequest> {
        let request_id = frames.get(1).cloned().unwrap_or_default();
        let refuse = |text: &str| BadRequest {
            reply: ZapReply::deny(request_id.clone(), text),
        };
        let [
            version,
            _,
            domain,
            address,
            routing_id,
            mechanism,
            credentials @ ..,
        ] = frames
        else {
            return Err(refuse("Not enough frames"));
        };
        if version.as_slice() != ZAP_VERSION {
            return Err(refuse("Invalid version"));
        }
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        let credentials = match (mechanism.as_slice(), credentials) {
            (b"NULL", []) => Credentials::Null,
            (b"PLAIN", [username, password]) => Credentials::Plain {
                username: text(username),
                password: text(password),
            },
            (b"CURVE", [key]) => Credentials::Curve {
                public_key: PublicKey::try_from(key.as_slice())
                    .map_err(|_| refuse("Invalid credentials"))?,
            },
            (b"GSSAPI", [principal]) => Credentials::Gssapi {
                principal: principal.clone(),
            },
            (b"NULL" | b"PLAIN" | b"CURVE" | b"GSSAPI", _) => {
                return Err(refuse("Invalid credentials"));
            }
            _ => return Err(refuse("Unknown mechanism")),
        };
        Ok(Self {
            request_id: request_id.clone(),
            domain: text(domain),
            address: text(address),
            routing_id: routing_id.clone(),
            credentials,
        })
    }

    /// The mechanism of the request.
    pub fn mechanism(&self) -> Mechanism {
        self.credentials.mechanism()
    }
}

/// A ZAP reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ZapReply {
    pub(crate) request_id: Vec<u8>,
    pub(crate) status: StatusCode,
    pub(crate) status_text: String,
    pub(crate) user_id: String,
    pub(crate) metadata: Vec<(String, Vec<u8>)>,
}

impl ZapReply {
    /// A 400 reply.
    pub(crate) fn deny(request_id: Vec<u8>, text: &str) -> Self {
        Self::failure(request_id, StatusCode::AuthenticationFailure, text)
    }

    /// A reply without user id or metadata.
    pub(crate) fn failure(request_id: Vec<u8>, status: StatusCode, text: &str) -> Self {
        Self {
            request_id,
            status,
            status_text: text.to_owned(),
            user_id: String::new(),
            metadata: Vec::new(),
        }
    }

    /// The six frames: version, request id, status code, status text, user
    /// id, metadata.
    pub(crate) fn to_frames(&self) -> [Vec<u8>; 6] {
        [
            ZAP_VERSION.to_vec(),
            self.request_id.clone(),
            self.status.as_bytes().to_vec(),
            self.status_text.as_bytes().to_vec(),
            self.user_id.as_bytes().to_vec(),
            encode_metadata(&self.metadata),
        ]
    }
}

/// ZMTP property encoding: a one-byte name length, the name, a four-byte
/// big-endian value length, the value. Names over 255 bytes are cut (the
/// caller validates them first).
pub(crate) fn encode_metadata(properties: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in properties {
        let name = &name.as_bytes()[..name.len().min(255)];
        let Ok(value_len) = u32::try_from(value.len()) else {
            continue;
        };
        out.push(name.len() as u8);
        out.extend_from_slice(name);
        out.extend_from_slice(&value_len.to_be_bytes());
        out.extend_from_slice(value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(parts: &[&[u8]]) -> Vec<Vec<u8>> {
        parts.iter().map(|p| p.to_vec()).collect()
    }

    #[test]
    fn parses_each_mechanism() {
        let plain = ZapRequest::parse(&frames(&[
            b"1.0",
            b"7",
            b"global",
            b"127.0.0.1",
            b"id",
            b"PLAIN",
            b"admin",
            b"secret",
        ]))
        .unwrap();
        assert_eq!(plain.request_id, b"7");
        assert_eq!(plain.domain, "global");
        assert_eq!(plain.address, "127.0.0.1");
        assert_eq!(plain.mechanism(), Mechanism::Plain);
        assert!(!format!("{plain:?}").contains("secret"));

        let key = [5u8; 32];
        let curve =
            ZapRequest::parse(&frames(&[b"1.0", b"1", b"", b"::1", b"", b"CURVE", &key])).unwrap();
        assert_eq!(
            curve.credentials,
            Credentials::Curve {
                public_key: PublicKey::from_bytes(key)
            }
        );
        let null = ZapRequest::parse(&frames(&[b"1.0", b"1", b"", b"a", b"", b"NULL"])).unwrap();
        assert_eq!(null.credentials, Credentials::Null);
    }

    #[test]
    fn malformed_requests_get_a_400_naming_the_problem() {
        let short = ZapRequest::parse(&frames(&[b"1.0", b"9"])).unwrap_err();
        assert_eq!(short.reply.request_id, b"9");
        assert_eq!(short.reply.status, StatusCode::AuthenticationFailure);
        assert_eq!(short.reply.status_text, "Not enough frames");
        let version =
            ZapRequest::parse(&frames(&[b"2.0", b"1", b"", b"a", b"", b"NULL"])).unwrap_err();
        assert_eq!(version.reply.status_text, "Invalid version");
        let plain = ZapRequest::parse(&frames(&[b"1.0", b"1", b"", b"a", b"", b"PLAIN", b"u"]))
            .unwrap_err();
        assert_eq!(plain.reply.status_text, "Invalid credentials");
        let other = ZapRequest::parse(&frames(&[b"1.0", b"1", b"", b"a", b"", b"X"])).unwrap_err();
        assert_eq!(other.reply.status_text, "Unknown mechanism");
        assert!(ZapRequest::parse(&[]).is_err());
    }

    #[test]
    fn replies_have_six_frames_and_zmtp_metadata() {
        let reply = ZapReply {
            request_id: b"3".to_vec(),
            status: StatusCode::Success,
            status_text: "OK".into(),
            user_id: "admin".into(),
            metadata: vec![("Role".into(), b"ops".to_vec())],
        };
        let [version, id, code, text, user, meta] = reply.to_frames();
        assert_eq!(version, b"1.0");
        assert_eq!(id, b"3");
        assert_eq!(code, b"200");
        assert_eq!(text, b"OK");
        assert_eq!(user, b"admin");
        assert_eq!(meta, b"\x04Role\x00\x00\x00\x03ops");
    }
}
