//! `Message`: an owned `zmq_msg_t`.

use std::ffi::{CStr, CString, c_void};
use std::fmt;
use std::mem::MaybeUninit;
use std::ops::{Deref, DerefMut};

#[cfg(feature = "draft")]
use crate::error::Error;
use crate::error::{Result, check};

/// Messages up to this size live inside the `zmq_msg_t` itself (libzmq's
/// "very small message"); handing libzmq a buffer of that size would cost
/// an allocation where a copy costs nothing.
const INLINE_MAX: usize = 33;

/// A ZeroMQ message (one frame): an owned, reference-counted buffer that
/// libzmq can pass between sockets without copying.
///
/// Build one from bytes (copied) or from an owned buffer (handed over without
/// a copy), send it with [`Socket::send`](crate::Socket::send), or receive
/// into it with [`Socket::recv_msg`](crate::Socket::recv_msg) and read it as
/// a `&[u8]`.
///
/// ```
/// let msg = zmq::Message::from(vec![1u8; 4096]); // no copy of the 4 KiB
/// assert_eq!(msg.len(), 4096);
/// assert_eq!(&msg[..2], &[1, 1]);
/// assert!(!msg.more());
/// ```
pub struct Message {
    raw: zmq_sys::zmq_msg_t,
}

// SAFETY: a zmq_msg_t is plain data plus, for large messages, a pointer to
// content whose reference count libzmq updates atomically; libzmq itself
// moves messages between threads. Owned buffers handed over (Vec, Box,
// Bytes) are Send, so freeing them on another thread is allowed.
unsafe impl Send for Message {}
// SAFETY: through `&Message` only reads happen (data, size, flags and
// metadata getters), none of which mutate the zmq_msg_t or its content.
unsafe impl Sync for Message {}

impl Message {
    /// An empty message.
    #[doc(alias = "zmq_msg_init")]
    #[inline]
    pub fn new() -> Self {
        let mut raw = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: zmq_msg_init initialises the struct and cannot fail.
        unsafe { zmq_sys::zmq_msg_init(raw.as_mut_ptr()) };
        Self {
            // SAFETY: initialised by the call above.
            raw: unsafe { raw.assume_init() },
        }
    }

    /// A zero-filled message of `size` bytes, to fill through `DerefMut`.
    #[doc(alias = "zmq_msg_init_size")]
    pub fn with_size(size: usize) -> Result<Self> {
        // SAFETY: the content is zeroed before anyone can read it.
        let mut msg = unsafe { Self::with_size_uninit(size)? };
        // SAFETY: data points at `size` writable bytes owned by the message.
        unsafe { std::ptr::write_bytes(msg.data_ptr(), 0, size) };
        Ok(msg)
    }

    /// A message of `size` bytes whose content is left as libzmq allocated
    /// it: neither zeroed nor otherwise written.
    ///
    /// This is what libzmq's own perf tools send (`zmq_msg_init_size` and no
    /// write), so a benchmark can measure messaging rather than `memset`.
    ///
    /// # Safety
    ///
    /// The bytes are uninitialised. Until every byte has been written (for
    /// instance through [`as_mut_ptr`](Self::as_mut_ptr)), no Rust code may
    /// read them: not through `Deref`, not by the receiver of the message in
    /// this process (inproc shares the buffer), not by comparing or
    /// printing. Sending it to a receiver that only looks at the size is
    /// fine.
    #[inline]
    pub unsafe fn with_size_uninit(size: usize) -> Result<Self> {
        let mut raw = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: zmq_msg_init_size initialises the struct or fails with ENOMEM.
        check(unsafe { zmq_sys::zmq_msg_init_size(raw.as_mut_ptr(), size) })?;
        Ok(Self {
            // SAFETY: initialised by the successful call above.
            raw: unsafe { raw.assume_init() },
        })
    }

    /// Replaces the content with `size` bytes left as libzmq allocated them,
    /// reusing this `Message`: `zmq_msg_close` and then `zmq_msg_init_size`
    /// on the same `zmq_msg_t`.
    ///
    /// For a sender that sizes and sends message after message, as libzmq's
    /// `inproc_thr` and `remote_thr` do: a new message from
    /// [`with_size_uninit`](Self::with_size_uninit) is built in a local
    /// `zmq_msg_t` and then copied (64 bytes) into its `Result`, while this
    /// writes where the message already lives. On error the message is left
    /// empty.
    ///
    /// ```
    /// # use zmq::{Message, SocketType};
    /// # let ctx = zmq::Context::new()?;
    /// # let tx = ctx.socket(SocketType::Push)?;
    /// # tx.bind("inproc://doc-reset-uninit")?;
    /// # let rx = ctx.socket(SocketType::Pull)?;
    /// # rx.connect("inproc://doc-reset-uninit")?;
    /// let mut msg = Message::new();
    /// for size in [10, 2000] {
    ///     // SAFETY: every byte is written before the message is sent.
    ///     unsafe {
    ///         msg.reset_uninit(size)?;
    ///         msg.as_mut_ptr().write_bytes(b'x', size);
    ///     }
    ///     tx.send(&mut msg)?;
    ///     assert_eq!(rx.recv_bytes()?, vec![b'x'; size]);
    /// }
    /// # Ok::<(), zmq::Error>(())
    /// ```
    ///
    /// # Safety
    ///
    /// As for [`with_size_uninit`](Self::with_size_uninit): no Rust code may
    /// read the bytes until every one has been written.
    #[doc(alias = "zmq_msg_init_size")]
    #[inline]
    pub unsafe fn reset_uninit(&mut self, size: usize) -> Result<()> {
        // SAFETY: the message is initialised; closing releases its content
        // (zmq_msg_close only fails with EFAULT on an invalid message).
        unsafe { zmq_sys::zmq_msg_close(&mut self.raw) };
        // SAFETY: a closed zmq_msg_t may be initialised again.
        let rc = unsafe { zmq_sys::zmq_msg_init_size(&mut self.raw, size) };
        if let Err(e) = check(rc) {
            // A failed init_size (ENOMEM) leaves the struct half written:
            // make it a valid empty message again for Drop.
            // SAFETY: zmq_msg_init only fills fields and cannot fail.
            unsafe { zmq_sys::zmq_msg_init(&mut self.raw) };
            return Err(e);
        }
        Ok(())
    }

    /// Hands a static buffer to libzmq without copying; it is never freed.
    /// Writing to the message (through `DerefMut`) copies it first.
    ///
    /// ```
    /// use zmq::{Message, SocketType};
    ///
    /// static GREETING: &[u8] = b"the same bytes, every time";
    ///
    /// let ctx = zmq::Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-from-static")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-from-static")?;
    ///
    /// let msg = Message::from_static(GREETING);
    /// assert_eq!(msg, GREETING);
    /// push.send(msg)?;
    /// assert_eq!(pull.recv()?, GREETING);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_init_data")]
    pub fn from_static(data: &'static [u8]) -> Self {
        let mut raw = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: with no free function libzmq keeps a constant reference to
        // `data`, which lives forever and is never written (a message whose
        // content is constant reports ZMQ_SHARED, so DerefMut copies first).
        let rc = unsafe {
            zmq_sys::zmq_msg_init_data(
                raw.as_mut_ptr(),
                data.as_ptr().cast_mut().cast(),
                data.len(),
                None,
                std::ptr::null_mut(),
            )
        };
        debug_assert_eq!(
            rc, 0,
            "zmq_msg_init_data without a free function cannot fail"
        );
        Self {
            // SAFETY: zmq_msg_init_data with no free function only fills fields.
            raw: unsafe { raw.assume_init() },
        }
    }

    /// A copy of `data`.
    fn copied(data: &[u8]) -> Self {
        // The size of a copy is known: only allocation failure can stop us,
        // and Rust aborts on that too.
        // SAFETY: all `data.len()` bytes are written just below.
        let mut msg = match unsafe { Self::with_size_uninit(data.len()) } {
            Ok(msg) => msg,
            Err(_) => std::alloc::handle_alloc_error(
                std::alloc::Layout::array::<u8>(data.len())
                    .unwrap_or(std::alloc::Layout::new::<u8>()),
            ),
        };
        // SAFETY: the message owns `data.len()` writable bytes; the regions
        // cannot overlap (the message was just allocated).
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), msg.data_ptr(), data.len()) };
        msg
    }

    /// Hands an owned vector to libzmq without copying (for more than a few
    /// bytes); libzmq frees it through [`free_vec`] when done.
    fn from_vec(vec: Vec<u8>) -> Self {
        if vec.len() <= INLINE_MAX {
            return Self::copied(&vec);
        }
        let mut vec = std::mem::ManuallyDrop::new(vec);
        let (ptr, len, capacity) = (vec.as_mut_ptr(), vec.len(), vec.capacity());
        let mut raw = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: ptr/len describe the vector's initialised bytes; ownership
        // passes to libzmq, which calls free_vec(ptr, capacity) exactly once.
        let rc = unsafe {
            zmq_sys::zmq_msg_init_data(
                raw.as_mut_ptr(),
                ptr.cast(),
                len,
                Some(free_vec),
                capacity as *mut c_void,
            )
        };
        if rc != 0 {
            // libzmq could not allocate its bookkeeping: take the vector back.
            // SAFETY: libzmq did not take ownership on failure.
            let vec = unsafe { Vec::from_raw_parts(ptr, len, capacity) };
            return Self::copied(&vec);
        }
        Self {
            // SAFETY: initialised by the successful call above.
            raw: unsafe { raw.assume_init() },
        }
    }

    /// The size in bytes.
    #[doc(alias = "zmq_msg_size")]
    #[inline]
    pub fn len(&self) -> usize {
        // SAFETY: the message is initialised; zmq_msg_size only reads it.
        unsafe { zmq_sys::zmq_msg_size(&self.raw) }
    }

    /// True for a zero-length message.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True if more frames of the same message follow this one.
    #[doc(alias = "zmq_msg_more")]
    #[inline]
    pub fn more(&self) -> bool {
        // SAFETY: the message is initialised; zmq_msg_more only reads it.
        unsafe { zmq_sys::zmq_msg_more(&self.raw) == 1 }
    }

    /// True if the content is shared with another message or constant,
    /// so writing to it would be seen elsewhere.
    fn is_shared(&self) -> bool {
        // SAFETY: the message is initialised; ZMQ_SHARED only reads flags.
        unsafe { zmq_sys::zmq_msg_get(&self.raw, zmq_sys::ZMQ_SHARED) == 1 }
    }

    /// Flags the content as shared, so `DerefMut` copies before writing:
    /// for buffers that must never be written, such as `Bytes`. Copying a
    /// message sets libzmq's shared flag on the original, and closing the
    /// copy leaves the flag in place.
    #[cfg(feature = "bytes")]
    fn mark_shared(&mut self) {
        let mut copy = Self::new();
        // SAFETY: both messages are initialised; zmq_msg_copy only fails with
        // EFAULT on invalid messages.
        unsafe { zmq_sys::zmq_msg_copy(&mut copy.raw, &mut self.raw) };
        drop(copy);
    }

    /// A metadata property of a received message: "Socket-Type",
    /// "Routing-Id", "User-Id", "Peer-Address", or one set by the peer or
    /// the ZAP handler. `None` if the message has no such property, and for
    /// every property of a message that came over `inproc://`, which
    /// carries no metadata; `None` too for a value that is not UTF-8.
    ///
    /// ```
    /// use zmq::{Message, SocketType};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-gets")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-gets")?;
    /// push.send("hi")?;
    ///
    /// let msg = pull.recv()?;
    /// // Over tcp:// this would be Some("PUSH"); inproc:// has no metadata.
    /// assert_eq!(msg.gets("Socket-Type"), None);
    /// assert_eq!(Message::from("not received").gets("Peer-Address"), None);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_gets")]
    pub fn gets(&self, property: &str) -> Option<&str> {
        let property = CString::new(property).ok()?;
        // SAFETY: the message is initialised, property is NUL-terminated;
        // zmq_msg_gets does not modify the message despite the *mut.
        let value = unsafe {
            zmq_sys::zmq_msg_gets(std::ptr::from_ref(&self.raw).cast_mut(), property.as_ptr())
        };
        if value.is_null() {
            return None;
        }
        // SAFETY: a non-NULL result is a NUL-terminated string owned by the
        // message's metadata, which lives as long as the message: the
        // returned borrow of `self` keeps it alive.
        unsafe { CStr::from_ptr(value) }.to_str().ok()
    }

    /// A pointer to the first byte, for writing an uninitialised message.
    #[inline]
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.data_ptr()
    }

    #[inline]
    fn data_ptr(&mut self) -> *mut u8 {
        // SAFETY: the message is initialised.
        unsafe { zmq_sys::zmq_msg_data(&mut self.raw).cast() }
    }

    /// The raw `zmq_msg_t`, for calls this crate does not wrap.
    #[inline]
    pub fn as_raw(&self) -> *const zmq_sys::zmq_msg_t {
        &self.raw
    }

    /// The raw `zmq_msg_t`, mutable, for calls this crate does not wrap.
    #[inline]
    pub fn as_raw_mut(&mut self) -> *mut zmq_sys::zmq_msg_t {
        &mut self.raw
    }
}

/// Routing ids and groups of the draft thread-safe socket types.
#[cfg(feature = "draft")]
impl Message {
    /// The routing id a SERVER or PEER socket stamped on this received
    /// message: who sent it, and where a reply must go. `None` when unset.
    #[doc(alias = "zmq_msg_routing_id")]
    pub fn routing_id(&self) -> Option<u32> {
        // SAFETY: the message is initialised; zmq_msg_routing_id only reads
        // it despite the *mut.
        let id = unsafe { zmq_sys::zmq_msg_routing_id(std::ptr::from_ref(&self.raw).cast_mut()) };
        (id != 0).then_some(id)
    }

    /// Addresses this message to the peer with `routing_id`, for sending on
    /// a SERVER or PEER socket. 0 is not a routing id: `Err`.
    #[doc(alias = "zmq_msg_set_routing_id")]
    pub fn set_routing_id(&mut self, routing_id: u32) -> Result<()> {
        if routing_id == 0 {
            return Err(Error::invalid_input(
                "routing id 0 is reserved for \"none\"",
            ));
        }
        // SAFETY: the message is initialised; a non-zero id cannot fail.
        check(unsafe { zmq_sys::zmq_msg_set_routing_id(&mut self.raw, routing_id) }).map(drop)
    }

    /// The group a RADIO socket published this message to. `None` when the
    /// message has no group (or, from a foreign peer, a group that is not
    /// UTF-8).
    #[doc(alias = "zmq_msg_group")]
    pub fn group(&self) -> Option<&str> {
        self.raw_group()
            .to_str()
            .ok()
            .filter(|group| !group.is_empty())
    }

    /// The group as libzmq stores it (empty when unset).
    pub(crate) fn raw_group(&self) -> &CStr {
        // SAFETY: the message is initialised (every zmq_msg_init* sets an
        // empty group); zmq_msg_group only reads it and returns a
        // NUL-terminated string stored in the message or in a buffer it
        // owns, which lives as long as the borrow of `self`.
        unsafe {
            CStr::from_ptr(zmq_sys::zmq_msg_group(
                std::ptr::from_ref(&self.raw).cast_mut(),
            ))
        }
    }

    /// Sets the group this message is published to on a RADIO socket: at
    /// most 255 bytes without NUL, otherwise `Err`.
    #[doc(alias = "zmq_msg_set_group")]
    pub fn set_group(&mut self, group: &str) -> Result<()> {
        let group = group_cstring(group)?;
        // libzmq stores groups above 14 bytes in a separate allocation that
        // zmq_msg_set_group overwrites without releasing or switching back
        // to the inline form, so a message that already has a long group
        // gets fresh storage (a copy of its content) first.
        if self.raw_group().to_bytes().len() > SHORT_GROUP_MAX {
            let routing_id = self.routing_id();
            *self = Self::copied(self);
            if let Some(id) = routing_id {
                self.set_routing_id(id)?;
            }
        }
        // SAFETY: the message is initialised, the group NUL-terminated and
        // at most ZMQ_GROUP_MAX_LENGTH bytes (checked above).
        check(unsafe { zmq_sys::zmq_msg_set_group(&mut self.raw, group.as_ptr()) }).map(drop)
    }
}

/// The longest group libzmq keeps inside the message itself.
#[cfg(feature = "draft")]
const SHORT_GROUP_MAX: usize = 14;

/// Checks a RADIO/DISH group name: at most `ZMQ_GROUP_MAX_LENGTH` (255)
/// bytes and no NUL, as libzmq needs it.
#[cfg(feature = "draft")]
pub(crate) fn group_cstring(group: &str) -> Result<CString> {
    let max = zmq_sys::ZMQ_GROUP_MAX_LENGTH as usize;
    if group.len() > max {
        return Err(Error::invalid_input(format!(
            "group of {} bytes is longer than {max}",
            group.len()
        )));
    }
    CString::new(group)
        .map_err(|_| Error::invalid_input(format!("group {group:?} contains a NUL byte")))
}

/// libzmq's free callback for vectors handed over by [`Message::from_vec`].
/// `hint` carries the capacity. It cannot unwind: it only deallocates.
///
/// # Safety
///
/// `data` must be the pointer of a `Vec<u8>` whose ownership was given up
/// (not dropped) and `hint` that vector's capacity cast to a pointer, as
/// `from_vec` passes them to `zmq_msg_init_data`; and it must be called
/// at most once for that vector. libzmq calls it exactly once, when the
/// last message sharing the buffer is closed.
unsafe extern "C" fn free_vec(data: *mut c_void, hint: *mut c_void) {
    // SAFETY: data and the capacity in hint come from a Vec<u8> leaked in
    // from_vec; a length of 0 is valid for any capacity and u8 needs no drop.
    drop(unsafe { Vec::from_raw_parts(data.cast::<u8>(), 0, hint as usize) });
}

impl Default for Message {
    #[inline]
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Message {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the message is initialised and closed exactly once here.
        // zmq_msg_close only fails with EFAULT on an invalid message.
        unsafe { zmq_sys::zmq_msg_close(&mut self.raw) };
    }
}

impl Deref for Message {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        let len = self.len();
        if len == 0 {
            return &[];
        }
        // SAFETY: zmq_msg_data does not modify the message despite the *mut;
        // it points at `len` initialised bytes that live as long as `self`.
        unsafe {
            let data = zmq_sys::zmq_msg_data(std::ptr::from_ref(&self.raw).cast_mut());
            std::slice::from_raw_parts(data.cast(), len)
        }
    }
}

/// Mutable access copies shared or constant content first (copy on write),
/// so a write never shows through another message or a static buffer.
impl DerefMut for Message {
    fn deref_mut(&mut self) -> &mut [u8] {
        let len = self.len();
        if len == 0 {
            return &mut [];
        }
        if self.is_shared() {
            let private = Self::copied(self);
            *self = private;
        }
        // SAFETY: the content is now private to this message and holds `len`
        // initialised bytes; `&mut self` guarantees exclusive access.
        unsafe { std::slice::from_raw_parts_mut(self.data_ptr(), len) }
    }
}

impl AsRef<[u8]> for Message {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

/// A clone is a private copy: it never aliases the original's content.
impl Clone for Message {
    fn clone(&self) -> Self {
        Self::copied(self)
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("data", &format_args!("\"{}\"", self.escape_ascii()))
            .field("more", &self.more())
            .finish()
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Self) -> bool {
        self[..] == other[..]
    }
}

impl Eq for Message {}

impl PartialEq<[u8]> for Message {
    fn eq(&self, other: &[u8]) -> bool {
        self[..] == *other
    }
}

impl<const N: usize> PartialEq<[u8; N]> for Message {
    fn eq(&self, other: &[u8; N]) -> bool {
        self[..] == other[..]
    }
}

impl PartialEq<&[u8]> for Message {
    fn eq(&self, other: &&[u8]) -> bool {
        self[..] == **other
    }
}

impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        self[..] == *other.as_bytes()
    }
}

impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        self[..] == *other.as_bytes()
    }
}

impl From<&[u8]> for Message {
    fn from(data: &[u8]) -> Self {
        Self::copied(data)
    }
}

impl<const N: usize> From<&[u8; N]> for Message {
    fn from(data: &[u8; N]) -> Self {
        Self::copied(data)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Self::copied(text.as_bytes())
    }
}

impl From<&String> for Message {
    fn from(text: &String) -> Self {
        Self::copied(text.as_bytes())
    }
}

/// Takes the vector over without copying its bytes.
impl From<Vec<u8>> for Message {
    fn from(vec: Vec<u8>) -> Self {
        Self::from_vec(vec)
    }
}

/// Takes the string over without copying its bytes.
impl From<String> for Message {
    fn from(text: String) -> Self {
        Self::from_vec(text.into_bytes())
    }
}

/// Takes the box over without copying its bytes.
impl From<Box<[u8]>> for Message {
    fn from(data: Box<[u8]>) -> Self {
        Self::from_vec(data.into_vec())
    }
}

#[cfg(feature = "bytes")]
mod bytes_support {
    use super::*;

    /// libzmq's free callback for `Bytes` handed over by `From<Bytes>`:
    /// `hint` is the boxed handle keeping the buffer alive. It never
    /// unwinds into C: dropping a `Bytes` releases a reference, and should
    /// the owner of a `Bytes::from_owner` buffer panic in its `Drop`, an
    /// `extern "C"` function aborts instead.
    ///
    /// # Safety
    ///
    /// `hint` must come from `Box::into_raw` of a `Box<bytes::Bytes>`, as
    /// `From<Bytes>` passes it to `zmq_msg_init_data`, and it must be called
    /// at most once for that box; `data` is not used. libzmq calls it
    /// exactly once, when the last message sharing the buffer is closed.
    unsafe extern "C" fn free_bytes(_data: *mut c_void, hint: *mut c_void) {
        // SAFETY: hint is the Box<Bytes> leaked in From<Bytes>, freed once.
        drop(unsafe { Box::from_raw(hint.cast::<bytes::Bytes>()) });
    }

    /// Shares the `Bytes` buffer with libzmq without copying it (for more
    /// than a few bytes); the buffer's reference is released when libzmq is
    /// done with the message.
    impl From<bytes::Bytes> for Message {
        fn from(data: bytes::Bytes) -> Self {
            if data.len() <= INLINE_MAX {
                return Self::copied(&data);
            }
            let (ptr, len) = (data.as_ptr(), data.len());
            let hint = Box::into_raw(Box::new(data));
            let mut raw = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
            // SAFETY: ptr/len stay valid while the boxed Bytes lives; libzmq
            // frees the box exactly once through free_bytes.
            let rc = unsafe {
                zmq_sys::zmq_msg_init_data(
                    raw.as_mut_ptr(),
                    ptr.cast_mut().cast(),
                    len,
                    Some(free_bytes),
                    hint.cast(),
                )
            };
            if rc != 0 {
                // SAFETY: libzmq did not take ownership on failure.
                let data = unsafe { Box::from_raw(hint) };
                return Self::copied(&data);
            }
            let mut msg = Self {
                // SAFETY: initialised by the successful call above.
                raw: unsafe { raw.assume_init() },
            };
            msg.mark_shared();
            msg
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_are_handed_over_without_a_copy() {
        let vec = vec![7u8; 1000];
        let ptr = vec.as_ptr();
        let msg = Message::from(vec);
        assert_eq!(msg.as_ptr(), ptr);
        assert_eq!(msg.len(), 1000);
    }

    #[test]
    fn small_vectors_are_copied_inline() {
        let msg = Message::from(vec![1u8, 2, 3]);
        assert_eq!(msg, [1u8, 2, 3]);
    }

    #[test]
    fn clone_never_aliases() {
        let mut a = Message::from(vec![0u8; 100]);
        let b = a.clone();
        a[0] = 9;
        assert_eq!(b[0], 0);
        assert_ne!(a.as_ptr(), b.as_ptr());
    }

    #[test]
    fn writing_a_static_message_copies_it_first() {
        static DATA: [u8; 64] = [5; 64];
        let mut msg = Message::from_static(&DATA);
        assert_eq!(msg.as_ptr(), DATA.as_ptr());
        msg[0] = 1;
        assert_eq!(DATA[0], 5);
        assert_eq!(msg[0], 1);
    }

    #[test]
    fn with_size_is_zeroed() {
        let msg = Message::with_size(100).unwrap();
        assert!(msg.iter().all(|&b| b == 0));
    }

    #[test]
    fn unknown_metadata_is_none() {
        let msg = Message::from("x");
        assert_eq!(msg.gets("User-Id"), None);
        assert_eq!(msg.gets("bad\0name"), None);
    }
}
