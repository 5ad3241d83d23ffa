//! `Message`: an owned `zmq_msg_t`.
//!
//! [`owned`] hands buffers of any owner to libzmq (and tracks their
//! release); [`metadata`] reads the properties of received messages.

mod metadata;
mod owned;

pub use owned::Tracker;

use std::cell::Cell;
use std::ffi::c_void;
#[cfg(feature = "draft")]
use std::ffi::{CStr, CString};
use std::fmt;
use std::marker::PhantomData;
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
    /// Opts out of `Sync` (see the `Send` impl).
    _not_sync: PhantomData<Cell<()>>,
}

// SAFETY: a zmq_msg_t is plain data plus, for large messages, a pointer to
// content whose reference count libzmq updates atomically; libzmq itself
// moves messages between threads. Owned buffers handed over (Vec, Box,
// Bytes, any `from_owner` owner) are Send, so freeing them on another
// thread is allowed.
//
// `Message` is deliberately not `Sync`: `Clone` takes `&self` and calls
// `zmq_msg_copy`, which writes the source's flags and (on its first copy)
// sets the content's reference count with a plain store. Two threads
// cloning one `&Message` at once would race on both. Without `Sync`, every
// `&Message` lives on one thread, so a message turns shared before any copy
// of it reaches another thread, and from then on copies only touch the
// atomic reference count.
unsafe impl Send for Message {}

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
            _not_sync: PhantomData,
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
            _not_sync: PhantomData,
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
            _not_sync: PhantomData,
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
            _not_sync: PhantomData,
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
    fn mark_shared(&mut self) {
        let mut copy = Self::new();
        // SAFETY: both messages are initialised; zmq_msg_copy only fails with
        // EFAULT on invalid messages.
        unsafe { zmq_sys::zmq_msg_copy(&mut copy.raw, &mut self.raw) };
        drop(copy);
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

/// A clone shares the content (`zmq_msg_copy`): for a large message it
/// costs a reference count, not a copy of the bytes; libzmq copies only very
/// small messages (up to 33 bytes), which live inside the `zmq_msg_t`. The
/// clone carries the same flags (`more`), metadata, routing id and group.
///
/// Both messages then report their content as shared, so writing to either
/// one through `DerefMut` first gives that one a private copy: a clone never
/// sees the other's writes.
///
/// ```
/// let mut original = zmq::Message::from(vec![7u8; 64 * 1024]);
/// let clone = original.clone();
/// assert_eq!(clone.as_ptr(), original.as_ptr()); // one buffer, two messages
/// original[0] = 1; // copy on write
/// assert_eq!((original[0], clone[0]), (1, 7));
/// ```
impl Clone for Message {
    #[doc(alias = "zmq_msg_copy")]
    fn clone(&self) -> Self {
        let mut copy = Self::new();
        // SAFETY: both messages are initialised. zmq_msg_copy writes through
        // its source pointer only to mark the content shared and count the
        // new reference; `Message` is not Sync, so no other thread can
        // reach `self` during the call (see the Send impl above). Its only
        // failure is EFAULT on an invalid message, which a `Message` never
        // is.
        let rc = unsafe {
            zmq_sys::zmq_msg_copy(&mut copy.raw, std::ptr::from_ref(&self.raw).cast_mut())
        };
        debug_assert_eq!(rc, 0, "zmq_msg_copy of a valid message cannot fail");
        copy
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
    fn clone_shares_large_content_and_copies_on_write() {
        let mut a = Message::from(vec![0u8; 100]);
        let b = a.clone();
        assert_eq!(a.as_ptr(), b.as_ptr());
        a[0] = 9;
        assert_eq!(b[0], 0);
        assert_ne!(a.as_ptr(), b.as_ptr());
    }

    #[test]
    fn clone_of_a_small_message_is_its_own_copy() {
        let a = Message::from("tiny");
        let b = a.clone();
        assert_eq!(b, "tiny");
        assert_ne!(a.as_ptr(), b.as_ptr());
    }

    #[test]
    fn clone_keeps_its_content_after_the_original_is_dropped() {
        let a = Message::from(vec![3u8; 4096]);
        let clones: Vec<Message> = (0..3).map(|_| a.clone()).collect();
        drop(a);
        for clone in clones {
            assert!(clone.iter().all(|&b| b == 3));
        }
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
}
