//! Messages: receiving into buffers and reused messages, multipart, zero
//! copy, copy on write and metadata.

mod common;

use common::{Transport, bind, socket};
use zmq::{Context, ErrorKind, Message, RecvFlags, SendFlags, Socket, SocketType};

/// A connected PAIR of sockets over `transport`.
fn connected_pair(transport: Transport) -> (Context, Socket, Socket) {
    let ctx = Context::new().unwrap();
    let a = socket(&ctx, SocketType::Pair);
    let endpoint = bind(&a, transport, "message-pair");
    let b = socket(&ctx, SocketType::Pair);
    b.connect(&endpoint).unwrap();
    (ctx, a, b)
}

#[test]
fn recv_into_reports_the_true_length_when_truncated() {
    let (_ctx, a, b) = connected_pair(Transport::Tcp);
    a.send("0123456789").unwrap();
    a.send("abc").unwrap();
    a.send("").unwrap();

    let mut buffer = [0u8; 4];
    assert_eq!(b.recv_into(&mut buffer).unwrap(), 10);
    assert_eq!(&buffer, b"0123");
    let mut buffer = [0u8; 4];
    assert_eq!(b.recv_into(&mut buffer).unwrap(), 3);
    assert_eq!(&buffer, b"abc\0");
    assert_eq!(b.recv_into(&mut buffer).unwrap(), 0);

    // An empty buffer still consumes the frame and reports its size.
    a.send("lost").unwrap();
    assert_eq!(b.recv_into(&mut []).unwrap(), 4);
}

#[test]
fn recv_msg_reuses_one_message() {
    let (_ctx, a, b) = connected_pair(Transport::Inproc);
    let mut msg = Message::new();
    for i in 0..100usize {
        let size = if i % 2 == 0 { i } else { 1000 + i };
        a.send(vec![u8::try_from(i).unwrap(); size]).unwrap();
        b.recv_msg(&mut msg).unwrap();
        assert_eq!(msg.len(), size);
        assert!(msg.iter().all(|&byte| usize::from(byte) == i));
        assert!(!msg.more());
    }
}

#[test]
fn multipart_sends_mixed_sendables_and_receives_every_frame() {
    let (_ctx, a, b) = connected_pair(Transport::Tcp);
    // One iterator of mixed sources, unified as messages.
    let parts = [
        Message::from(b"vec".to_vec()),
        Message::from("str"),
        Message::from_static(b"static"),
        Message::from(vec![9u8; 100]),
        Message::new(),
    ];
    a.send_multipart(parts).unwrap();
    let frames = b.recv_multipart().unwrap();
    assert_eq!(
        frames,
        [
            b"vec".to_vec(),
            b"str".to_vec(),
            b"static".to_vec(),
            vec![9u8; 100],
            vec![]
        ]
    );

    // Any iterator of one sendable type works too.
    a.send_multipart((0..3).map(|i| format!("part {i}")))
        .unwrap();
    assert_eq!(
        b.recv_multipart().unwrap(),
        [b"part 0".to_vec(), b"part 1".to_vec(), b"part 2".to_vec()]
    );
    a.send_multipart(vec![vec![1u8], vec![2u8, 2]]).unwrap();
    assert_eq!(b.recv_multipart().unwrap(), [vec![1u8], vec![2, 2]]);

    // Frame by frame with SNDMORE, different types each time.
    a.send_with(b"head".to_vec(), SendFlags::SNDMORE).unwrap();
    a.send_with("body", SendFlags::SNDMORE).unwrap();
    a.send(Message::from("tail")).unwrap();
    let head = b.recv().unwrap();
    assert!(head.more() && b.more().unwrap());
    let body = b.recv().unwrap();
    assert!(body.more());
    let tail = b.recv().unwrap();
    assert!(!tail.more() && !b.more().unwrap());
    assert_eq!(
        (&head[..], &body[..], &tail[..]),
        (&b"head"[..], &b"body"[..], &b"tail"[..])
    );

    // An empty iterator is refused and sends nothing.
    let error = a.send_multipart(Vec::<Vec<u8>>::new()).unwrap_err();
    assert_eq!(error.kind(), zmq::ErrorKind::InvalidInput);
    assert_eq!(
        b.recv_with(RecvFlags::DONTWAIT).unwrap_err().kind(),
        zmq::ErrorKind::Again
    );
}

#[test]
fn large_vec_crosses_inproc_without_a_copy() {
    let (_ctx, a, b) = connected_pair(Transport::Inproc);
    let data = vec![42u8; 1 << 20];
    let pointer = data.as_ptr();
    a.send(data).unwrap();
    let received = b.recv().unwrap();
    assert_eq!(received.as_ptr(), pointer, "the buffer was copied");
    assert_eq!(received.len(), 1 << 20);
}

#[test]
fn boxes_strings_and_statics_cross_inproc_without_a_copy() {
    let (_ctx, a, b) = connected_pair(Transport::Inproc);
    let boxed: Box<[u8]> = vec![1u8; 4096].into_boxed_slice();
    let pointer = boxed.as_ptr();
    a.send(boxed).unwrap();
    assert_eq!(b.recv().unwrap().as_ptr(), pointer);

    let text = "x".repeat(500);
    let pointer = text.as_ptr();
    a.send(text).unwrap();
    assert_eq!(b.recv().unwrap().as_ptr(), pointer);

    static TABLE: [u8; 256] = [3; 256];
    a.send(Message::from_static(&TABLE)).unwrap();
    let received = b.recv().unwrap();
    assert_eq!(received.as_ptr(), TABLE.as_ptr());
}

#[test]
fn writing_a_received_zero_copy_message_never_touches_shared_content() {
    static TABLE: [u8; 100] = [5; 100];
    let (_ctx, a, b) = connected_pair(Transport::Inproc);
    a.send(Message::from_static(&TABLE)).unwrap();
    let mut received = b.recv().unwrap();
    received[0] = 1;
    assert_eq!(TABLE[0], 5);
    assert_eq!(received[0], 1);
    assert_ne!(received.as_ptr(), TABLE.as_ptr());
}

#[test]
fn messages_sharing_content_copy_on_write() {
    let mut original = Message::from(vec![7u8; 1000]);
    let mut shared = Message::new();
    // SAFETY: both messages are initialised; zmq_msg_copy makes `shared`
    // refer to the same content and marks it shared.
    let rc = unsafe { zmq::sys::zmq_msg_copy(shared.as_raw_mut(), original.as_raw_mut()) };
    assert_eq!(rc, 0);
    assert_eq!(shared.as_ptr(), original.as_ptr());

    shared[0] = 1;
    assert_eq!(original[0], 7, "the write showed through the other message");
    assert_eq!(shared[0], 1);
    original[1] = 2;
    assert_eq!(shared[1], 7);
}

#[test]
fn clones_share_until_written_then_copy() {
    let mut msg = Message::from("hello, world, a bit longer than inline".to_owned());
    let clone = msg.clone();
    assert_eq!(clone, msg);
    assert_eq!(clone.as_ptr(), msg.as_ptr());
    msg[0] = b'J';
    assert_eq!(clone[0], b'h');
    assert_eq!(&msg[..5], b"Jello");
}

#[test]
fn received_tcp_messages_carry_metadata() {
    let (_ctx, a, b) = connected_pair(Transport::Tcp);
    a.send("with metadata").unwrap();
    let msg = b.recv().unwrap();
    assert_eq!(msg.gets("Socket-Type"), Some("PAIR"));
    assert_eq!(msg.gets("Peer-Address"), Some("127.0.0.1"));
    assert_eq!(msg.gets("No-Such-Property"), None);
    assert_eq!(msg.gets("Socket-Type\0"), None);
}

#[test]
fn constructors_build_what_they_say() {
    assert!(Message::new().is_empty());
    assert!(Message::default().is_empty());
    assert_eq!(Message::with_size(3).unwrap(), [0u8; 3]);
    let mut msg = Message::with_size(5).unwrap();
    msg.copy_from_slice(b"hello");
    assert_eq!(msg, "hello");
    assert_eq!(Message::from(&b"bytes"[..]), *b"bytes");
    assert_eq!(Message::from(b"array"), *b"array");
    assert_eq!(Message::from(&"string".to_owned()), "string");
    assert_eq!(Message::from("big".repeat(100)).len(), 300);
    assert_eq!(Message::from(vec![1u8; 10].into_boxed_slice()).len(), 10);
    let debug = format!("{:?}", Message::from("a\nb"));
    assert!(
        debug.contains(r"a\nb") && debug.contains("more: false"),
        "{debug}"
    );
}

#[test]
fn sizes_no_allocator_can_meet_are_out_of_memory_errors() {
    // usize::MAX: libzmq sees that its header plus the size overflows and
    // fails without calling malloc (a huge malloc would be flagged by
    // valgrind, which runs this test in CI).
    let error = Message::with_size(usize::MAX).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OutOfMemory, "{error}");
    // SAFETY: the content is never read.
    let error = unsafe { Message::with_size_uninit(usize::MAX) }.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OutOfMemory, "{error}");

    // A failed reset leaves an empty message that still works.
    let mut msg = Message::from("old content");
    // SAFETY: the content is never read.
    let error = unsafe { msg.reset_uninit(usize::MAX) }.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OutOfMemory, "{error}");
    assert!(msg.is_empty());
    // SAFETY: all four bytes are written before they are read.
    unsafe {
        msg.reset_uninit(4).unwrap();
        msg.as_mut_ptr()
            .copy_from_nonoverlapping(b"next".as_ptr(), 4);
    }
    assert_eq!(msg, "next");
}

#[test]
fn reset_uninit_reuses_one_message_for_every_send() {
    let (_ctx, sender, receiver) = connected_pair(Transport::Inproc);
    let mut msg = Message::from("replaced before it is sent");
    for size in [0, 1, 33, 34, 4096, 1 << 20] {
        // SAFETY: every byte is written before the message leaves.
        unsafe {
            msg.reset_uninit(size).unwrap();
            msg.as_mut_ptr().write_bytes(size as u8 | 1, size);
        }
        assert_eq!(msg.len(), size);
        sender.send(&mut msg).unwrap();
        assert!(msg.is_empty(), "a sent message is left empty");
        let received = receiver.recv().unwrap();
        assert_eq!(received.len(), size);
        assert!(received.iter().all(|&b| b == size as u8 | 1));
    }
}

#[test]
fn messages_move_between_threads() {
    let msg = Message::from(vec![8u8; 10_000]);
    let len = std::thread::spawn(move || msg.len()).join().unwrap();
    assert_eq!(len, 10_000);
    // Message is not Sync (cloning writes libzmq's reference count): a
    // reader on another thread gets its own clone of the same buffer.
    let shared = Message::from(vec![5u8; 1000]);
    let reader = shared.clone();
    let ptr = std::thread::spawn(move || {
        assert!(reader.iter().all(|&b| b == 5));
        reader.as_ptr() as usize
    })
    .join()
    .unwrap();
    assert_eq!(ptr, shared.as_ptr() as usize);
}

#[cfg(feature = "bytes")]
mod bytes_feature {
    use super::*;
    use bytes::Bytes;

    #[test]
    fn bytes_cross_inproc_without_a_copy_and_stay_valid() {
        let (_ctx, a, b) = connected_pair(Transport::Inproc);
        let data = Bytes::from(vec![6u8; 10_000]);
        let keep = data.clone();
        a.send(data).unwrap();
        let mut received = b.recv().unwrap();
        assert_eq!(received.as_ptr(), keep.as_ptr());
        // Writing copies first: the Bytes buffer is immutable.
        received[0] = 0;
        assert_eq!(keep[0], 6);
        drop(received);
        assert!(keep.iter().all(|&byte| byte == 6));
    }

    #[test]
    fn small_bytes_are_copied() {
        let msg = Message::from(Bytes::from_static(b"tiny"));
        assert_eq!(msg, "tiny");
    }
}
