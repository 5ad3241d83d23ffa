//! The option table: one row per `ZMQ_*` socket option, with its C type,
//! access, unit, default and socket types (from libzmq 4.3.5's manual, in
//! our words).

use super::*;

socket_options! {
    STABLE, STABLE_FACTS;
    /// Which of the context's I/O threads serve the connections this socket makes
    /// from now on: bit 0 is the first thread, bit 1 the second, and so on; 0 lets
    /// libzmq spread them over all threads.
    Affinity = ZMQ_AFFINITY: uint64, get set
        { unit: "a bit set of I/O threads", default: "0 (any thread)", sockets: "all" };
    /// The name this socket gives itself in the handshake, which a ROUTER peer uses
    /// as the address of its messages. 1 to 255 bytes; a first byte of 0 is
    /// reserved to libzmq. Set it before connecting.
    RoutingId = ZMQ_ROUTING_ID: bytes, get set
        { unit: "bytes", default: "empty (the ROUTER makes one up)", sockets: "REQ, REP, DEALER, ROUTER" };
    /// Adds a filter to a SUB socket: it receives the messages whose first frame
    /// starts with these bytes; an empty prefix receives everything. A new SUB
    /// socket has no filter, so receives nothing.
    Subscribe = ZMQ_SUBSCRIBE: bytes, set
        { unit: "bytes (a prefix)", default: "no subscription", sockets: "SUB (and XSUB through messages)" };
    /// Removes one filter added by [`Subscribe`] with the same bytes; a prefix
    /// subscribed twice needs two removals.
    Unsubscribe = ZMQ_UNSUBSCRIBE: bytes, set
        { unit: "bytes (a prefix)", default: "none", sockets: "SUB" };
    /// The most data a multicast socket sends per second.
    Rate = ZMQ_RATE: int, get set
        { unit: "kilobits per second", default: "100", sockets: "all, over multicast transports (`pgm`, `epgm`, `norm`)" };
    /// How long a multicast receiver may be away before the data it missed can no
    /// longer be sent again; the sender keeps that much data in memory.
    RecoveryIvl = ZMQ_RECOVERY_IVL: millis, get set
        { unit: "milliseconds", default: "10 s", sockets: "all, over multicast transports (`pgm`, `epgm`, `norm`)" };
    /// The kernel's send buffer (`SO_SNDBUF`) for the socket's connections.
    SndBuf = ZMQ_SNDBUF: int, get set
        { unit: "bytes; -1 keeps the OS default", default: "-1", sockets: "all" };
    /// The kernel's receive buffer (`SO_RCVBUF`) for the socket's connections.
    RcvBuf = ZMQ_RCVBUF: int, get set
        { unit: "bytes; -1 keeps the OS default", default: "-1", sockets: "all" };
    /// Whether the frame just received has more frames of the same message after it
    /// (read-only; [`Socket::more`](crate::Socket::more) reads it too).
    RcvMore = ZMQ_RCVMORE: bool, get
        { unit: "flag", default: "false", sockets: "all" };
    /// A descriptor that becomes readable when the socket's [`Events`] may have
    /// changed, for event loops. It is edge-triggered and signals both directions:
    /// read [`Events`] after it fires (read-only).
    Fd = ZMQ_FD: fd, get
        { unit: "file descriptor", default: "one per socket", sockets: "all" };
    /// Whether a message can be received (`POLLIN`) or sent (`POLLOUT`) without
    /// blocking right now (read-only).
    Events = ZMQ_EVENTS: events, get
        { unit: "poll flags", default: "none", sockets: "all" };
    /// The socket's type (read-only).
    Type = ZMQ_TYPE: socket_type, get
        { unit: "socket type", default: "as created", sockets: "all" };
    /// How long closing the socket keeps trying to deliver the messages it still
    /// holds; context termination waits that long for them. `None` waits for ever,
    /// zero drops them at once.
    Linger = ZMQ_LINGER: timeout, get set
        { unit: "milliseconds; `None` for ever", default: "`None` (libzmq's -1: for ever)", sockets: "all" };
    /// How long a connecting socket waits before it tries again after a connection
    /// failed or broke (libzmq adds some randomness); `None` never reconnects.
    ReconnectIvl = ZMQ_RECONNECT_IVL: timeout, get set
        { unit: "milliseconds; `None` never", default: "100 ms", sockets: "all, over connection-oriented transports (`tcp`, `ipc`, ...)" };
    /// How many connections may wait to be accepted on a bound socket (`listen`'s
    /// backlog).
    Backlog = ZMQ_BACKLOG: int, get set
        { unit: "connections", default: "100", sockets: "all, over connection-oriented transports (`tcp`, `ipc`, ...)" };
    /// The ceiling of the reconnect interval, which doubles after each failed
    /// attempt up to it; zero (or anything below [`ReconnectIvl`]) keeps the
    /// interval fixed.
    ReconnectIvlMax = ZMQ_RECONNECT_IVL_MAX: millis, get set
        { unit: "milliseconds", default: "0 (no backoff)", sockets: "all, over connection-oriented transports (`tcp`, `ipc`, ...)" };
    /// The largest message a peer may send this socket; a peer that sends a larger
    /// one is disconnected. `None`: no limit.
    MaxMsgSize = ZMQ_MAXMSGSIZE: limit, get set
        { unit: "bytes; `None` unlimited", default: "`None` (-1)", sockets: "all" };
    /// The most outgoing messages queued for one peer. At the limit a socket blocks
    /// or drops, as its type decides (PUB drops, PUSH and DEALER block); 0 means no
    /// limit.
    SndHwm = ZMQ_SNDHWM: int, get set
        { unit: "messages", default: "1000", sockets: "all" };
    /// The most incoming messages queued from one peer before libzmq stops reading
    /// from it (or, for SUB, drops); 0 means no limit.
    RcvHwm = ZMQ_RCVHWM: int, get set
        { unit: "messages", default: "1000", sockets: "all" };
    /// The time-to-live of outgoing multicast packets: 1 keeps them on the local
    /// network.
    MulticastHops = ZMQ_MULTICAST_HOPS: int, get set
        { unit: "network hops", default: "1", sockets: "all, over multicast transports (`pgm`, `epgm`, `norm`)" };
    /// How long a blocking receive waits before failing with
    /// [`Again`](crate::ErrorKind::Again); `None` waits for ever, zero does not
    /// wait.
    RcvTimeo = ZMQ_RCVTIMEO: timeout, get set
        { unit: "milliseconds; `None` for ever", default: "`None` (-1)", sockets: "all" };
    /// How long a blocking send waits before failing with
    /// [`Again`](crate::ErrorKind::Again); `None` waits for ever, zero does not
    /// wait.
    SndTimeo = ZMQ_SNDTIMEO: timeout, get set
        { unit: "milliseconds; `None` for ever", default: "`None` (-1)", sockets: "all" };
    /// The endpoint last bound or connected, with the port the OS chose for
    /// `tcp://host:*` (read-only).
    LastEndpoint = ZMQ_LAST_ENDPOINT: text, get
        { unit: "text", default: "empty", sockets: "all" };
    /// What a ROUTER does with a message for a routing id it does not know: drop
    /// it silently (false), or fail the send with
    /// [`HostUnreachable`](crate::ErrorKind::HostUnreachable) (true); at a
    /// full peer it then blocks or fails with `Again` instead of dropping.
    RouterMandatory = ZMQ_ROUTER_MANDATORY: bool, set
        { unit: "flag", default: "false", sockets: "ROUTER" };
    /// Turns TCP keep-alive probes (`SO_KEEPALIVE`) on or off for the socket's
    /// connections; `None` leaves the OS setting.
    TcpKeepalive = ZMQ_TCP_KEEPALIVE: tristate, get set
        { unit: "flag; `None` OS default", default: "`None` (-1)", sockets: "all, over `tcp`" };
    /// How many unanswered keep-alive probes close a connection
    /// (`TCP_KEEPCNT`).
    TcpKeepaliveCnt = ZMQ_TCP_KEEPALIVE_CNT: int, get set
        { unit: "probes; -1 keeps the OS default", default: "-1", sockets: "all, over `tcp`" };
    /// How long a connection stays idle before the first keep-alive probe
    /// (`TCP_KEEPIDLE`).
    TcpKeepaliveIdle = ZMQ_TCP_KEEPALIVE_IDLE: int, get set
        { unit: "seconds; -1 keeps the OS default", default: "-1", sockets: "all, over `tcp`" };
    /// The time between keep-alive probes (`TCP_KEEPINTVL`).
    TcpKeepaliveIntvl = ZMQ_TCP_KEEPALIVE_INTVL: int, get set
        { unit: "seconds; -1 keeps the OS default", default: "-1", sockets: "all, over `tcp`" };
    /// Queue outgoing messages only for connections that have completed their
    /// handshake, so a send blocks (or fails) rather than filling the queue of a
    /// peer not there yet.
    Immediate = ZMQ_IMMEDIATE: bool, get set
        { unit: "flag", default: "false", sockets: "all, over connection-oriented transports (`tcp`, `ipc`, ...)" };
    /// Pass every subscription up to the XPUB's reader, repeats of a known
    /// subscription too, instead of only new ones.
    XpubVerbose = ZMQ_XPUB_VERBOSE: bool, set
        { unit: "flag", default: "false", sockets: "XPUB" };
    /// Turns a ROUTER into a raw TCP socket without ZMTP framing; superseded by
    /// the STREAM socket type.
    RouterRaw = ZMQ_ROUTER_RAW: bool, set
        { unit: "flag", default: "false", sockets: "ROUTER" };
    /// Lets the socket use IPv6 as well as IPv4 (and resolve IPv6 addresses);
    /// off, it is IPv4 only. A context-wide default is [`ctxopt::Ipv6`](crate::ctxopt::Ipv6).
    Ipv6 = ZMQ_IPV6: bool, get set
        { unit: "flag", default: "false", sockets: "all, over `tcp`" };
    /// The security mechanism the socket's options have selected (read-only).
    Mechanism = ZMQ_MECHANISM: mechanism, get
        { unit: "mechanism", default: "NULL", sockets: "all, over `tcp` and `ipc`" };
    /// Makes the socket the server side of PLAIN authentication: it checks the
    /// clients' user names and passwords through the ZAP handler.
    PlainServer = ZMQ_PLAIN_SERVER: bool, get set
        { unit: "flag", default: "false", sockets: "all, over `tcp` and `ipc`" };
    /// The user name a PLAIN client presents; setting it makes the socket a PLAIN
    /// client.
    PlainUsername = ZMQ_PLAIN_USERNAME: text, get set
        { unit: "text", default: "empty", sockets: "all, over `tcp` and `ipc`" };
    /// The password a PLAIN client presents; setting it makes the socket a PLAIN
    /// client.
    PlainPassword = ZMQ_PLAIN_PASSWORD: text, get set
        { unit: "text", default: "empty", sockets: "all, over `tcp` and `ipc`" };
    /// Makes the socket the server side of CURVE encryption: clients must know its
    /// public key. It needs [`CurveSecretKey`] too.
    CurveServer = ZMQ_CURVE_SERVER: bool, get set
        { unit: "flag", default: "false", sockets: "all, over `tcp` and `ipc`" };
    /// This socket's long-term CURVE public key (a client's; a server needs only
    /// its secret key).
    CurvePublicKey = ZMQ_CURVE_PUBLICKEY: curve_key, get set
        { unit: "32 bytes, or 40 Z85 characters when written", default: "none", sockets: "all, over `tcp` and `ipc`" };
    /// This socket's long-term CURVE secret key.
    CurveSecretKey = ZMQ_CURVE_SECRETKEY: curve_key, get set
        { unit: "32 bytes, or 40 Z85 characters when written", default: "none", sockets: "all, over `tcp` and `ipc`" };
    /// On a CURVE client, the public key of the server it connects to; setting it
    /// makes the socket a CURVE client.
    CurveServerKey = ZMQ_CURVE_SERVERKEY: curve_key, get set
        { unit: "32 bytes, or 40 Z85 characters when written", default: "none", sockets: "all, over `tcp` and `ipc`" };
    /// Sends an empty message to each ROUTER this socket connects to, so the
    /// ROUTER learns the peer's routing id before the first real message. Set it
    /// before connecting.
    ProbeRouter = ZMQ_PROBE_ROUTER: bool, set
        { unit: "flag", default: "false", sockets: "ROUTER, DEALER, REQ" };
    /// Tags each request with an id and drops replies whose id does not match the
    /// last request, for use with [`ReqRelaxed`].
    ReqCorrelate = ZMQ_REQ_CORRELATE: bool, set
        { unit: "flag", default: "false", sockets: "REQ" };
    /// Lets a REQ socket send a new request without waiting for the reply to the
    /// last one (the old one is abandoned), instead of failing with
    /// [`InvalidState`](crate::ErrorKind::InvalidState).
    ReqRelaxed = ZMQ_REQ_RELAXED: bool, set
        { unit: "flag", default: "false", sockets: "REQ" };
    /// Keeps only the newest message in the queues, dropping older ones: for
    /// last-value feeds. Multipart messages are not supported with it.
    Conflate = ZMQ_CONFLATE: bool, get set
        { unit: "flag", default: "false", sockets: "PUSH, PULL, PUB, SUB, DEALER" };
    /// The authentication domain passed to the ZAP handler, which may apply
    /// different rules per domain. With NULL security, setting it turns ZAP on.
    ZapDomain = ZMQ_ZAP_DOMAIN: text, get set
        { unit: "text", default: "empty", sockets: "all, over `tcp` and `ipc`" };
    /// When a new peer connects with a routing id already in use, give the id to
    /// the new peer (true) instead of refusing the newcomer (false).
    RouterHandover = ZMQ_ROUTER_HANDOVER: bool, set
        { unit: "flag", default: "false", sockets: "ROUTER" };
    /// The IP type-of-service (DSCP) byte of the socket's outgoing packets.
    Tos = ZMQ_TOS: int, get set
        { unit: "byte value", default: "0", sockets: "all, over connection-oriented transports (`tcp`, `ipc`, ...)" };
    /// The routing id this ROUTER or STREAM socket gives the peer of its next
    /// connect, instead of one announced by the peer or made up; it applies to
    /// that one connect only.
    ConnectRoutingId = ZMQ_CONNECT_ROUTING_ID: bytes, set
        { unit: "bytes", default: "none", sockets: "ROUTER, STREAM" };
    /// Makes the socket the server side of GSSAPI (Kerberos) authentication.
    GssapiServer = ZMQ_GSSAPI_SERVER: bool, get set
        { unit: "flag", default: "false", sockets: "all, over `tcp` and `ipc` (builds with GSSAPI)" };
    /// The GSSAPI principal this socket authenticates as.
    GssapiPrincipal = ZMQ_GSSAPI_PRINCIPAL: text, get set
        { unit: "text", default: "none", sockets: "all, over `tcp` and `ipc` (builds with GSSAPI)" };
    /// On a GSSAPI client, the principal of the server it connects to.
    GssapiServicePrincipal = ZMQ_GSSAPI_SERVICE_PRINCIPAL: text, get set
        { unit: "text", default: "none", sockets: "all, over `tcp` and `ipc` (builds with GSSAPI)" };
    /// Authenticates with GSSAPI but sends the messages unencrypted.
    GssapiPlaintext = ZMQ_GSSAPI_PLAINTEXT: bool, get set
        { unit: "flag", default: "false", sockets: "all, over `tcp` and `ipc` (builds with GSSAPI)" };
    /// The longest a new connection may take to complete its ZMTP handshake
    /// (security included) before it is closed; zero waits for ever.
    HandshakeIvl = ZMQ_HANDSHAKE_IVL: millis, get set
        { unit: "milliseconds", default: "30 s", sockets: "all but STREAM, over connection-oriented transports (`tcp`, `ipc`, ...)" };
    /// Connects through a SOCKS5 proxy at this `host:port`.
    SocksProxy = ZMQ_SOCKS_PROXY: text, get set
        { unit: "text", default: "none", sockets: "all, over `tcp`" };
    /// At the high water mark, make sends on XPUB/PUB fail with
    /// [`Again`](crate::ErrorKind::Again) (or block) instead of dropping messages.
    XpubNodrop = ZMQ_XPUB_NODROP: bool, set
        { unit: "flag", default: "false", sockets: "XPUB, PUB" };
    /// Leaves subscriptions to the application: the XPUB reader receives them and
    /// applies them with [`Subscribe`]/[`Unsubscribe`] on the XPUB itself.
    XpubManual = ZMQ_XPUB_MANUAL: bool, set
        { unit: "flag", default: "false", sockets: "XPUB" };
    /// A message the XPUB sends to each new subscriber as it subscribes.
    XpubWelcomeMsg = ZMQ_XPUB_WELCOME_MSG: bytes, set
        { unit: "bytes", default: "none", sockets: "XPUB" };
    /// Makes a STREAM socket deliver an empty message when a peer connects or
    /// disconnects.
    StreamNotify = ZMQ_STREAM_NOTIFY: bool, set
        { unit: "flag", default: "true", sockets: "STREAM" };
    /// Inverts the filters: SUB receives the messages that match none of its
    /// subscriptions, and PUB/XPUB send to peers accordingly. Set it on both
    /// sides.
    InvertMatching = ZMQ_INVERT_MATCHING: bool, get set
        { unit: "flag", default: "false", sockets: "PUB, XPUB, SUB" };
    /// How often to send a ZMTP PING to the peer of each connection; zero sends
    /// none.
    HeartbeatIvl = ZMQ_HEARTBEAT_IVL: millis, get set
        { unit: "milliseconds", default: "0 (off)", sockets: "all, over connection-oriented transports (`tcp`, `ipc`, ...)" };
    /// The time-to-live this socket asks its peer to apply: the peer closes the
    /// connection after that long without traffic; zero asks nothing. libzmq
    /// keeps it in deciseconds, up to 6553.5 s, so a value is rounded up to a
    /// whole 100 ms: a short TTL never becomes "none".
    HeartbeatTtl = ZMQ_HEARTBEAT_TTL: decis, get set
        { unit: "milliseconds (whole 100 ms)", default: "0 (none)", sockets: "all, over connection-oriented transports (`tcp`, `ipc`, ...)" };
    /// How long to wait for any traffic after sending a PING before closing the
    /// connection. Reads `None` until set: libzmq's `-1` means "the heartbeat
    /// interval" ([`HeartbeatIvl`]). Written as a `Duration`, since libzmq
    /// refuses `-1` from callers.
    HeartbeatTimeout = ZMQ_HEARTBEAT_TIMEOUT: millis_or_derived, get set
        { unit: "milliseconds; `None` the heartbeat interval", default: "`None` (-1)", sockets: "all, over connection-oriented transports (`tcp`, `ipc`, ...)" };
    /// Pass every subscription and every unsubscription up to the XPUB's reader,
    /// repeats included.
    XpubVerboser = ZMQ_XPUB_VERBOSER: bool, set
        { unit: "flag", default: "false", sockets: "XPUB" };
    /// How long a TCP connect may take before it is abandoned (and retried);
    /// zero leaves it to the OS.
    ConnectTimeout = ZMQ_CONNECT_TIMEOUT: millis, get set
        { unit: "milliseconds", default: "0 (OS)", sockets: "all, over `tcp`" };
    /// How long sent data may stay unacknowledged before the connection is closed
    /// (`TCP_USER_TIMEOUT`); zero leaves it to the OS.
    TcpMaxRt = ZMQ_TCP_MAXRT: millis, get set
        { unit: "milliseconds", default: "0 (OS)", sockets: "all, over `tcp`" };
    /// Whether the socket's type may be used from several threads at once: never
    /// for [`Socket`](crate::Socket)'s types (read-only).
    ThreadSafe = ZMQ_THREAD_SAFE: bool, get
        { unit: "flag", default: "false", sockets: "all" };
    /// The largest packet a multicast socket sends, headers included.
    MulticastMaxTpdu = ZMQ_MULTICAST_MAXTPDU: int, get set
        { unit: "bytes", default: "1500", sockets: "all, over multicast transports (`pgm`, `epgm`, `norm`)" };
    // The VMCI rows are write-only: libzmq 4.3.5 accepts them in
    // zmq_setsockopt but its zmq_getsockopt has no case for them (EINVAL),
    // although its manual documents one.
    /// The buffer size of VMCI connections. Builds with VMCI only; libzmq 4.3.5
    /// cannot read it back.
    VmciBufferSize = ZMQ_VMCI_BUFFER_SIZE: uint64, set
        { unit: "bytes", default: "65546", sockets: "all, over `vmci`" };
    /// The smallest buffer size of VMCI connections. Builds with VMCI only;
    /// libzmq 4.3.5 cannot read it back.
    VmciBufferMinSize = ZMQ_VMCI_BUFFER_MIN_SIZE: uint64, set
        { unit: "bytes", default: "128", sockets: "all, over `vmci`" };
    /// The largest buffer size of VMCI connections. Builds with VMCI only;
    /// libzmq 4.3.5 cannot read it back.
    VmciBufferMaxSize = ZMQ_VMCI_BUFFER_MAX_SIZE: uint64, set
        { unit: "bytes", default: "262144", sockets: "all, over `vmci`" };
    /// How long a VMCI connect may take; `None` waits for ever. Builds with
    /// VMCI only; libzmq 4.3.5 cannot read it back.
    VmciConnectTimeout = ZMQ_VMCI_CONNECT_TIMEOUT: timeout, set
        { unit: "milliseconds; `None` for ever", default: "`None` (-1)", sockets: "all, over `vmci`" };
    /// Binds to this descriptor, a socket the caller already created, bound and set
    /// listening (for socket activation), instead of creating one (Unix only).
    /// The socket takes the descriptor over (`OwnedFd`; closed on error):
    /// libzmq closes it when the endpoint goes. It must be a listening stream
    /// socket (else libzmq would abort), of the bind's family (an IP socket
    /// for `tcp://` and `ws://`, a Unix one for `ipc://`, checked at the
    /// bind); it is made non-blocking. One bind takes it, then the option
    /// reads `None` again; one replaced or never used is closed by the crate.
    /// Reads the descriptor held.
    UseFd = ZMQ_USE_FD: use_fd, get set
        { unit: "file descriptor", default: "`None` (-1)", sockets: "bound sockets, over `tcp`, `ipc` and `ws`" };
    /// How GSSAPI reads [`GssapiPrincipal`]: one of the `ZMQ_GSSAPI_NT_*`
    /// constants, hence a [`GssapiNameType`](crate::GssapiNameType).
    GssapiPrincipalNametype = ZMQ_GSSAPI_PRINCIPAL_NAMETYPE: int_enum(values::GssapiNameType), get set
        { unit: "name type", default: "host-based", sockets: "all, over `tcp` and `ipc` (builds with GSSAPI)" };
    /// How GSSAPI reads [`GssapiServicePrincipal`]: one of the
    /// `ZMQ_GSSAPI_NT_*` constants, hence a
    /// [`GssapiNameType`](crate::GssapiNameType).
    GssapiServicePrincipalNametype = ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE: int_enum(values::GssapiNameType), get set
        { unit: "name type", default: "host-based", sockets: "all, over `tcp` and `ipc` (builds with GSSAPI)" };
    /// Binds the socket's connections to one network interface
    /// (`SO_BINDTODEVICE`), by name; needs privileges on Linux.
    BindToDevice = ZMQ_BINDTODEVICE: text, get set
        { unit: "text (an interface name)", default: "none", sockets: "all, over `tcp` and `udp`" };
}

#[cfg(feature = "draft")]
socket_options! {
    DRAFT, DRAFT_FACTS;
    /// Applies RFC 27 strictly: with a ZAP domain set, a server refuses clients
    /// when no ZAP handler answers, instead of letting them in.
    ZapEnforceDomain = ZMQ_ZAP_ENFORCE_DOMAIN: bool, get set
        { unit: "flag", default: "false", sockets: "all, with ZAP" };
    /// Uses the Windows TCP loopback fast path for loopback connections.
    LoopbackFastpath = ZMQ_LOOPBACK_FASTPATH: bool, get set
        { unit: "flag", default: "false", sockets: "all, over `tcp` on Windows" };
    /// Adds a `Name:value` property (`X-` prefixed by convention) to the handshake,
    /// which the peer reads with [`Message::gets`](crate::Message::gets). Set once
    /// per property.
    Metadata = ZMQ_METADATA: text, set
        { unit: "text (`name:value`)", default: "none", sockets: "all" };
    /// Whether a RADIO socket's own UDP multicast messages come back to DISH
    /// sockets on the same host.
    MulticastLoop = ZMQ_MULTICAST_LOOP: bool, get set
        { unit: "flag", default: "true", sockets: "RADIO, over `udp` multicast" };
    /// Makes a ROUTER receive an empty message from a peer when it connects
    /// and/or disconnects. The C value ORs `ZMQ_NOTIFY_CONNECT` and
    /// `ZMQ_NOTIFY_DISCONNECT`, hence a
    /// [`RouterNotifyFlags`](crate::RouterNotifyFlags) set.
    RouterNotify = ZMQ_ROUTER_NOTIFY: int_flags(crate::RouterNotifyFlags), get set
        { unit: "flag set", default: "none", sockets: "ROUTER" };
    /// Like [`XpubManual`], and sends the newest message to a new subscriber
    /// only, for last-value caches.
    XpubManualLastValue = ZMQ_XPUB_MANUAL_LAST_VALUE: bool, set
        { unit: "flag", default: "false", sockets: "XPUB" };
    /// The user name for the SOCKS5 proxy; with it, basic authentication is used.
    SocksUsername = ZMQ_SOCKS_USERNAME: text, get set
        { unit: "text", default: "none", sockets: "all, over `tcp`" };
    /// The password for the SOCKS5 proxy.
    SocksPassword = ZMQ_SOCKS_PASSWORD: text, get set
        { unit: "text", default: "none", sockets: "all, over `tcp`" };
    /// How much libzmq reads from the kernel in one go.
    InBatchSize = ZMQ_IN_BATCH_SIZE: int, get set
        { unit: "bytes", default: "8192", sockets: "all, over `tcp`, `ipc`, `pgm`, `norm`" };
    /// How much libzmq writes to the kernel in one go. A larger batch is
    /// also more that can be lost when the socket closes while the kernel's
    /// send buffer is full: see [`Socket::close`](crate::Socket::close).
    OutBatchSize = ZMQ_OUT_BATCH_SIZE: int, get set
        { unit: "bytes", default: "8192", sockets: "all, over `tcp`, `ipc`, `pgm`, `norm`" };
    /// The private key of a WSS server, PEM-encoded.
    WssKeyPem = ZMQ_WSS_KEY_PEM: text, set
        { unit: "text (PEM)", default: "none", sockets: "all, over `wss` (builds with TLS)" };
    /// The certificate of a WSS server, PEM-encoded.
    WssCertPem = ZMQ_WSS_CERT_PEM: text, set
        { unit: "text (PEM)", default: "none", sockets: "all, over `wss` (builds with TLS)" };
    /// A CA certificate a WSS client trusts, PEM-encoded.
    WssTrustPem = ZMQ_WSS_TRUST_PEM: text, set
        { unit: "text (PEM)", default: "none", sockets: "all, over `wss` (builds with TLS)" };
    /// The host name a WSS client checks the server's certificate against.
    WssHostname = ZMQ_WSS_HOSTNAME: text, set
        { unit: "text", default: "none", sockets: "all, over `wss` (builds with TLS)" };
    /// Whether a WSS client trusts the system's CA certificates.
    WssTrustSystem = ZMQ_WSS_TRUST_SYSTEM: bool, set
        { unit: "flag", default: "false", sockets: "all, over `wss` (builds with TLS)" };
    /// Treats only the first frame of a multipart message as a subscription or
    /// unsubscription; the rest pass as data.
    OnlyFirstSubscribe = ZMQ_ONLY_FIRST_SUBSCRIBE: bool, set
        { unit: "flag", default: "false", sockets: "XPUB, XSUB" };
    /// When a connecting socket gives up reconnecting: after a refused
    /// connection, a failed handshake, and/or (with `AFTER_DISCONNECT`) once it
    /// was connected. The C value ORs `ZMQ_RECONNECT_STOP_*` bits, hence a
    /// [`ReconnectStopFlags`](crate::ReconnectStopFlags) set.
    ReconnectStop = ZMQ_RECONNECT_STOP: int_flags(crate::ReconnectStopFlags), get set
        { unit: "flag set", default: "none (always reconnect)", sockets: "all, over connection-oriented transports (`tcp`, `ipc`, ...)" };
    /// A message sent to each new peer as soon as it connects.
    HelloMsg = ZMQ_HELLO_MSG: bytes, set
        { unit: "bytes", default: "none", sockets: "ROUTER, DEALER, CLIENT, SERVER, PEER" };
    /// A message this socket receives, as if from the peer, when a peer
    /// disconnects.
    DisconnectMsg = ZMQ_DISCONNECT_MSG: bytes, set
        { unit: "bytes", default: "none", sockets: "ROUTER, SERVER, PEER" };
    /// The `SO_PRIORITY` of the socket's connections (Linux).
    Priority = ZMQ_PRIORITY: int, get set
        { unit: "priority value", default: "0", sockets: "all, over connection-oriented transports (`tcp`, `ipc`, ...)" };
    /// Sets `SO_BUSY_POLL` on the socket's connections, trading CPU for latency.
    BusyPoll = ZMQ_BUSY_POLL: bool, get set
        { unit: "flag", default: "false", sockets: "all" };
    /// A message this socket receives, as if from the peer, when a connection it
    /// made drops and is made again.
    HiccupMsg = ZMQ_HICCUP_MSG: bytes, set
        { unit: "bytes", default: "none", sockets: "DEALER, CLIENT, PEER" };
    /// Pass every unsubscription upstream, repeats included.
    XsubVerboseUnsubscribe = ZMQ_XSUB_VERBOSE_UNSUBSCRIBE: bool, set
        { unit: "flag", default: "false", sockets: "XSUB" };
    /// How many subscriptions the socket holds (read-only).
    TopicsCount = ZMQ_TOPICS_COUNT: int, get
        { unit: "subscriptions", default: "0", sockets: "PUB, XPUB, SUB, XSUB" };
    /// NORM's rate and congestion control: one of the `ZMQ_NORM_*` mode constants,
    /// hence a [`NormMode`](crate::NormMode).
    NormMode = ZMQ_NORM_MODE: int_enum(values::NormMode), get set
        { unit: "mode", default: "`Cc`", sockets: "all, over `norm` (in builds with NORM)" };
    /// Whether NORM receivers send their NACKs by unicast rather than multicast.
    NormUnicastNack = ZMQ_NORM_UNICAST_NACK: bool, get set
        { unit: "flag", default: "false", sockets: "all, over `norm` (in builds with NORM)" };
    /// The NORM sender's and receiver's buffer size.
    NormBufferSize = ZMQ_NORM_BUFFER_SIZE: int, get set
        { unit: "kilobytes", default: "2048", sockets: "all, over `norm` (in builds with NORM)" };
    /// The size of NORM's data segments (packets).
    NormSegmentSize = ZMQ_NORM_SEGMENT_SIZE: int, get set
        { unit: "bytes", default: "1400", sockets: "all, over `norm` (in builds with NORM)" };
    /// How many segments make one NORM coding block (1 to 255).
    NormBlockSize = ZMQ_NORM_BLOCK_SIZE: int, get set
        { unit: "segments", default: "16", sockets: "all, over `norm` (in builds with NORM)" };
    /// How many parity segments NORM computes per block.
    NormNumParity = ZMQ_NORM_NUM_PARITY: int, get set
        { unit: "segments", default: "4", sockets: "all, over `norm` (in builds with NORM)" };
    /// How many parity segments NORM sends per block before any loss is
    /// reported.
    NormNumAutoparity = ZMQ_NORM_NUM_AUTOPARITY: int, get set
        { unit: "segments", default: "0", sockets: "all, over `norm` (in builds with NORM)" };
    /// NORM stream push mode: the sender never waits for slow receivers.
    NormPush = ZMQ_NORM_PUSH: bool, get set
        { unit: "flag", default: "false", sockets: "all, over `norm` (in builds with NORM)" };
}
