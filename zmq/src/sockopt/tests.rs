//! The table against `zmq.h`, and the conversions' edge cases.

use super::*;

/// Options in `zmq.h` that have no row, and why. The coverage test accepts
/// exactly these besides the table.
pub(crate) const NOT_IN_TABLE: &[(&str, &str)] = &[
    (
        "ZMQ_BLOCKY",
        "a context option (ctxopt::Blocky), listed among socket options in zmq.h",
    ),
    ("ZMQ_IDENTITY", "deprecated alias of ZMQ_ROUTING_ID"),
    (
        "ZMQ_CONNECT_RID",
        "deprecated alias of ZMQ_CONNECT_ROUTING_ID",
    ),
    (
        "ZMQ_TCP_ACCEPT_FILTER",
        "deprecated; removed from libzmq's option handling",
    ),
    (
        "ZMQ_IPC_FILTER_PID",
        "deprecated; removed from libzmq's option handling",
    ),
    (
        "ZMQ_IPC_FILTER_UID",
        "deprecated; removed from libzmq's option handling",
    ),
    (
        "ZMQ_IPC_FILTER_GID",
        "deprecated; removed from libzmq's option handling",
    ),
    (
        "ZMQ_IPV4ONLY",
        "deprecated inverse of ZMQ_IPV6 (sockopt::Ipv6)",
    ),
    (
        "ZMQ_DELAY_ATTACH_ON_CONNECT",
        "deprecated alias of ZMQ_IMMEDIATE",
    ),
    (
        "ZMQ_NOBLOCK",
        "deprecated alias of the ZMQ_DONTWAIT send/recv flag",
    ),
    (
        "ZMQ_FAIL_UNROUTABLE",
        "deprecated alias of ZMQ_ROUTER_MANDATORY",
    ),
    (
        "ZMQ_ROUTER_BEHAVIOR",
        "deprecated alias of ZMQ_ROUTER_MANDATORY",
    ),
];

/// Pulls the options out of a `zmq.h` text: every integer `#define` in the
/// sections headed "Socket options", "Deprecated options and aliases" and
/// "DRAFT Socket options".
pub(crate) fn options_in_header(header: &str) -> Vec<String> {
    let mut in_options = false;
    let mut found = Vec::new();
    for line in header.lines() {
        if let Some(title) = line.strip_prefix("/*  ") {
            let title = title.trim_end_matches('/').trim_end_matches('*').trim();
            in_options = matches!(
                title,
                "Socket options." | "Deprecated options and aliases" | "DRAFT Socket options."
            );
            continue;
        }
        if !in_options {
            continue;
        }
        if let Some(rest) = line.strip_prefix("#define ZMQ_")
            && let Some(name) = rest.split_whitespace().next()
        {
            found.push(format!("ZMQ_{name}"));
        }
    }
    found
}

#[test]
fn table_covers_every_socket_option_in_zmq_h() {
    let header = std::fs::read_to_string(concat!(env!("ZMQ_INCLUDE_DIR"), "/zmq.h")).unwrap();
    let in_header = options_in_header(&header);
    assert!(
        in_header.len() > 80,
        "parsed only {} options from zmq.h",
        in_header.len()
    );
    #[cfg_attr(not(feature = "draft"), allow(unused_mut))]
    let mut rows: Vec<&str> = STABLE.to_vec();
    #[cfg(feature = "draft")]
    rows.extend(DRAFT);
    let excluded: Vec<&str> = NOT_IN_TABLE.iter().map(|(name, _)| *name).collect();
    let draft_section = header.find("DRAFT Socket options.").unwrap();
    for name in &in_header {
        let covered = rows.contains(&name.as_str()) || excluded.contains(&name.as_str());
        let is_draft = header.find(&format!("#define {name} ")).unwrap() > draft_section;
        if is_draft && !cfg!(feature = "draft") {
            continue;
        }
        assert!(
            covered,
            "{name} is neither in the sockopt table nor in NOT_IN_TABLE"
        );
    }
    for row in &rows {
        assert!(
            in_header.iter().any(|name| name == row),
            "{row} is not a socket option in zmq.h"
        );
    }
    // The exclusion list is checked too: a stale or duplicated entry
    // would hide a missing row.
    for (i, name) in excluded.iter().enumerate() {
        assert!(
            in_header.iter().any(|option| option == name),
            "NOT_IN_TABLE lists {name}, which is not an option in zmq.h"
        );
        assert!(
            !rows.contains(name),
            "{name} is both a table row and in NOT_IN_TABLE"
        );
        assert!(
            !excluded[..i].contains(name),
            "NOT_IN_TABLE lists {name} twice"
        );
    }
}

#[test]
fn every_option_states_its_unit_default_and_socket_types() {
    #[cfg_attr(not(feature = "draft"), allow(unused_mut))]
    let mut facts: Vec<(&str, [&str; 3])> = STABLE_FACTS.to_vec();
    #[cfg(feature = "draft")]
    facts.extend(DRAFT_FACTS);
    for (name, [unit, default, sockets]) in facts {
        for (what, text) in [
            ("unit", unit),
            ("default", default),
            ("socket types", sockets),
        ] {
            assert!(!text.trim().is_empty(), "{name}: no {what}");
        }
    }
}

#[test]
fn out_of_range_values_are_rejected_before_libzmq() {
    let error = Linger::encode(Some(Duration::from_secs(u64::MAX))).unwrap_err();
    assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("ZMQ_LINGER"));
    let error = PlainUsername::encode("a\0b").unwrap_err();
    assert!(error.to_string().contains("NUL"));
    let error = CurveServerKey::encode(b"short").unwrap_err();
    assert!(error.to_string().contains("not 5"));
    let mut z85 = *b"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    assert!(CurveServerKey::encode(&z85).is_ok());
    z85[20] = 0;
    let error = CurveServerKey::encode(&z85).unwrap_err();
    assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("ZMQ_CURVE_SERVERKEY"), "{error}");
    assert!(error.to_string().contains("'\\0'"), "{error}");
    z85[20] = b' ';
    assert!(CurvePublicKey::encode(&z85).is_err());
    assert!(CurveSecretKey::encode(&[b'#'; 40]).is_err());
    assert!(MaxMsgSize::encode(Some(u64::MAX)).is_err());
}

#[test]
fn fractional_milliseconds_round_up_never_to_zero() {
    let micros = Duration::from_micros;
    assert_eq!(
        RcvTimeo::encode(Some(micros(500))).unwrap(),
        RawValue::Int(1)
    );
    assert_eq!(
        Linger::encode(Some(micros(2500))).unwrap(),
        RawValue::Int(3)
    );
    assert_eq!(
        RcvTimeo::encode(Some(Duration::ZERO)).unwrap(),
        RawValue::Int(0)
    );
    assert_eq!(
        HeartbeatIvl::encode(Duration::from_nanos(1)).unwrap(),
        RawValue::Int(1)
    );
    assert_eq!(
        HeartbeatIvl::encode(micros(3000)).unwrap(),
        RawValue::Int(3)
    );
    // libzmq keeps the TTL in deciseconds: round up to a whole one.
    assert_eq!(HeartbeatTtl::encode(micros(1)).unwrap(), RawValue::Int(100));
    assert_eq!(
        HeartbeatTtl::encode(Duration::from_millis(1201)).unwrap(),
        RawValue::Int(1300)
    );
    assert_eq!(
        HeartbeatTtl::encode(Duration::ZERO).unwrap(),
        RawValue::Int(0)
    );
    // The largest value is i32::MAX ms; a nanosecond more rounds past it.
    let largest = Duration::from_millis(i32::MAX as u64);
    assert_eq!(
        Linger::encode(Some(largest)).unwrap(),
        RawValue::Int(i32::MAX)
    );
    let error = Linger::encode(Some(largest + Duration::from_nanos(1))).unwrap_err();
    assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
    assert!(HeartbeatTtl::encode(largest).is_err());
    assert!(HandshakeIvl::encode(Duration::MAX).is_err());
}

#[test]
fn negative_milliseconds_read_back_are_errors_not_zero() {
    let error = HeartbeatIvl::decode(RawValue::Int(-1)).unwrap_err();
    assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("ZMQ_HEARTBEAT_IVL"), "{error}");
    assert_eq!(HeartbeatTimeout::decode(RawValue::Int(-1)).unwrap(), None);
    assert_eq!(
        HeartbeatTimeout::decode(RawValue::Int(0)).unwrap(),
        Some(Duration::ZERO)
    );
    assert!(HeartbeatTimeout::decode(RawValue::Int(-2)).is_err());
    assert!(RcvTimeo::decode(RawValue::Int(i32::MIN)).is_err());
}

#[test]
fn unknown_enum_values_are_errors_and_unknown_flag_bits_are_kept() {
    let error = GssapiPrincipalNametype::decode(RawValue::Int(7)).unwrap_err();
    assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
    assert!(
        error.to_string().contains("ZMQ_GSSAPI_PRINCIPAL_NAMETYPE"),
        "{error}"
    );
    assert_eq!(
        GssapiServicePrincipalNametype::decode(RawValue::Int(2)).unwrap(),
        crate::GssapiNameType::Krb5Principal
    );
    assert_eq!(
        GssapiPrincipalNametype::encode(crate::GssapiNameType::UserName).unwrap(),
        RawValue::Int(zmq_sys::ZMQ_GSSAPI_NT_USER_NAME)
    );
    #[cfg(feature = "draft")]
    {
        assert!(NormMode::decode(RawValue::Int(-1)).is_err());
        let notify = RouterNotify::decode(RawValue::Int(0x13)).unwrap();
        assert!(notify.contains(crate::RouterNotifyFlags::CONNECT));
        assert_eq!(notify.bits(), 0x13);
        assert_eq!(format!("{notify:?}"), "{CONNECT, DISCONNECT, 0x10}");
        let stop = ReconnectStop::decode(RawValue::Int(0x9)).unwrap();
        assert_eq!(format!("{stop:?}"), "{CONN_REFUSED, 0x8}");
        assert_eq!(ReconnectStop::encode(stop).unwrap(), RawValue::Int(0x9));
    }
}

#[test]
fn infinite_is_none_and_minus_one() {
    assert_eq!(RcvTimeo::encode(None).unwrap(), RawValue::Int(-1));
    assert_eq!(RcvTimeo::decode(RawValue::Int(-1)).unwrap(), None);
    assert_eq!(
        RcvTimeo::decode(RawValue::Int(250)).unwrap(),
        Some(Duration::from_millis(250))
    );
    assert_eq!(TcpKeepalive::decode(RawValue::Int(-1)).unwrap(), None);
    assert_eq!(MaxMsgSize::decode(RawValue::Int64(-1)).unwrap(), None);
}
