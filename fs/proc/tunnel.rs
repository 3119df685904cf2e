// SPDX-License-Identifier: GPL-2.0

//! `/proc/tunnel`: a pipe-like byte channel between the kernel and user space.
//!
//! There are two rings of [`TUNNEL_SIZE`] bytes. Kernel code appends to the kernel-to-user one
//! with `tunnel_write()`, and user space `read()`s it from `/proc/tunnel`. User space `write()`s
//! `/proc/tunnel` into the user-to-kernel one, and kernel code takes from it with
//! `tunnel_read()`. See `include/linux/proc_fs.h` for the C interface.
//!
//! Locking: each ring is under a spinlock that disables interrupts, so that the C functions can
//! be called from interrupt context. `read()` and `write()` copy straight between the ring and user
//! memory under that lock, with copies that fail instead of faulting a page in. Only a copy
//! that succeeded moves bytes, so a fault neither loses nor duplicates a byte. After a failed
//! copy the lock is dropped, the user pages are faulted in, and the copy starts over. A copy
//! under the lock moves at most [`PIPE_BUF`] bytes, which bounds how long interrupts stay off.

use kernel::{
    bindings,
    fs::{
        file::flags::O_NONBLOCK,
        File,
        LocalFile, //
    },
    new_condvar, new_poll_condvar,
    prelude::*,
    proc_fs::{
        poll_events::*,
        ProcFile,
        Registration, //
    },
    sync::{
        new_spinlock_irq,
        poll::{
            PollCondVar,
            PollTable, //
        },
        Arc,
        ArcBorrow,
        CondVar,
        CondVarTimeoutResult,
        SetOnce,
        SpinLockIrq, //
    },
    time::Jiffies,
    uaccess::{
        UserPtr,
        UserSlice, //
    },
};

mod tunnel_ring;

use tunnel_ring::Ring;

/// The capacity of each direction, in bytes: a power of two, 4096 unless configured otherwise.
const TUNNEL_SIZE: usize = 1 << bindings::CONFIG_PROC_TUNNEL_SIZE_SHIFT;

/// The most bytes a `read()` or `write()` copies while holding a ring's lock, which disables
/// interrupts; also the largest write that goes in all at once, and the room that makes the
/// tunnel writable for `poll()`. As for a pipe, `PIPE_BUF`.
const PIPE_BUF: usize = 4096;

/// How many times a copy that failed after the user pages were faulted in is tried again before
/// the call gives up. The pages can be reclaimed between the two, but not every time; a fault
/// that faulting in does not cure, such as a memory tagging violation, must still end the call.
const COPY_TRIES: u32 = 16;

/// How much room the kernel-to-user ring must have before kernel writers waiting for room are
/// woken: like a pipe, which wakes its writers when a whole page frees up, this wakes them once
/// per quarter of the buffer read instead of once per `read()`. A quarter, not more, leaves the
/// reader enough queued bytes to go on with while the writer wakes up.
const WAKE_ROOM: usize = TUNNEL_SIZE / 4;

type Buffer = KVec<u8>;

fn new_buffer() -> Result<Buffer> {
    Ok(KVec::from_elem(0, TUNNEL_SIZE, GFP_KERNEL)?)
}

/// The user-to-kernel ring, with what those sleeping on it wait for, so that each side wakes
/// the other only when a sleeper can progress. A wait that ends on a time-out or a signal leaves
/// its wish behind: that costs at most one wake-up that finds no one, or a kernel reader that
/// takes fewer bytes than it waited for.
struct Inbound {
    ring: Ring<Buffer>,
    /// The fewest queued bytes that one of the kernel readers sleeping in
    /// `tunnel_wait_pending()` waits for; `usize::MAX` when none does. This keeps a reader that
    /// waits for a batch from being woken for each byte.
    bytes_wanted: usize,
    /// The least room that one of the writers sleeping in `write()`, or polling for
    /// `EPOLLOUT`, waits for; `usize::MAX` when none does. This keeps `tunnel_read()` from taking
    /// the wait queue's lock when no one waits, and from waking a writer that cannot go on. While
    /// it is set, kernel readers take what is queued, however little: nothing more comes until
    /// they make room.
    room_wanted: usize,
}

impl Inbound {
    /// The number of queued bytes once it reaches `count`, else 0; then writers are asked to
    /// wake the kernel readers when it does.
    fn reached(&mut self, count: usize) -> usize {
        let len = self.ring.len();
        // User space that waits for room sends nothing more until the kernel takes some.
        if len >= count || (len > 0 && self.room_wanted != usize::MAX) {
            return len;
        }
        self.bytes_wanted = self.bytes_wanted.min(count);
        0
    }

    /// Whether the ring has room for `need` more bytes; if not, readers are asked to wake the
    /// writers when it does.
    fn has_room(&mut self, need: usize) -> bool {
        if self.ring.free() >= need {
            return true;
        }
        self.room_wanted = self.room_wanted.min(need);
        false
    }

    /// Whether a kernel reader waits for more bytes than are queued while user space, short of
    /// room, waits for it to take some; if so, the wish is cleared, since every sleeper is woken
    /// and takes what is queued.
    fn kernel_readers_to_unblock(&mut self) -> bool {
        let waiting = self.bytes_wanted != usize::MAX && !self.ring.is_empty();
        granted(&mut self.bytes_wanted, waiting)
    }

    /// Whether a kernel reader waits for no more bytes than are queued; if so, the wish is
    /// cleared, since every sleeper is woken.
    fn kernel_readers_to_wake(&mut self) -> bool {
        let met = self.ring.len() >= self.bytes_wanted;
        granted(&mut self.bytes_wanted, met)
    }

    /// Whether a writer waits for no more room than there is; if so, the wish is cleared, since
    /// every sleeper is woken.
    fn writers_to_wake(&mut self) -> bool {
        let met = self.ring.free() >= self.room_wanted;
        granted(&mut self.room_wanted, met)
    }
}

/// Clears `wish` when `met`, since its sleepers are then all woken; returns `met`.
fn granted(wish: &mut usize, met: bool) -> bool {
    if met {
        *wish = usize::MAX;
    }
    met
}

/// Wakes all the kernel code waiting on `event` for user space. When the user task that calls
/// this `waits_next`, for a reply, for room or for more bytes, the longest-waiting thread is woken
/// onto this CPU first, if its affinity and scheduling class allow: the two hand over here, with
/// the bytes in this CPU's cache, instead of each waking the other CPU up. A task that goes on
/// would only be held up by it, and leaves it to another CPU.
fn wake_kernel_code(event: &CondVar, waits_next: bool) {
    if waits_next {
        event.notify_on_current_cpu();
    }
    event.notify_all();
}

/// Both directions of the tunnel.
#[pin_data]
struct Tunnel {
    /// Kernel to user: filled by `tunnel_write()`, drained by `read()`.
    #[pin]
    k2u: SpinLockIrq<Ring<Buffer>>,
    /// User to kernel: filled by `write()`, drained by `tunnel_read()`.
    #[pin]
    u2k: SpinLockIrq<Inbound>,
    /// Notified when `k2u` gains bytes.
    #[pin]
    k2u_filled: PollCondVar,
    /// Notified when `u2k` gains the room that `Inbound::room_wanted` asks for.
    #[pin]
    u2k_drained: PollCondVar,
    /// Notified when `u2k` holds as many bytes as the kernel code waiting in
    /// `tunnel_wait_pending()` wants, `Inbound::bytes_wanted`.
    #[pin]
    u2k_filled: CondVar,
    /// Notified when the room in `k2u` reaches [`WAKE_ROOM`], for kernel code waiting in
    /// `tunnel_wait_avail()`.
    #[pin]
    k2u_drained: CondVar,
}

/// The tunnel, set up once at boot and never torn down.
static TUNNEL: SetOnce<Arc<Tunnel>> = SetOnce::new();

fn tunnel() -> Result<&'static Tunnel> {
    TUNNEL.as_ref().map(|tunnel| &**tunnel).ok_or(ENODEV)
}

/// Checks the outcome of faulting in user memory after copy number `tries` under a ring's lock
/// failed: `good` bytes from the start of it are accessible. Returns how many bytes to try again
/// with.
fn after_fault_in(good: usize, tries: u32) -> Result<usize> {
    if good == 0 || tries >= COPY_TRIES {
        return Err(EFAULT);
    }
    // A page that is faulted in can be reclaimed before the next try, over and over: a signal
    // must still be able to end the call.
    if kernel::current!().signal_pending() {
        return Err(ERESTARTSYS);
    }
    Ok(good)
}

impl Tunnel {
    fn new() -> Result<impl PinInit<Self>> {
        let k2u = Ring::new(new_buffer()?);
        let u2k = Inbound {
            ring: Ring::new(new_buffer()?),
            bytes_wanted: usize::MAX,
            room_wanted: usize::MAX,
        };
        Ok(pin_init!(Self {
            k2u <- new_spinlock_irq!(k2u, "tunnel_k2u"),
            u2k <- new_spinlock_irq!(u2k, "tunnel_u2k"),
            k2u_filled <- new_poll_condvar!("tunnel_k2u_filled"),
            u2k_drained <- new_poll_condvar!("tunnel_u2k_drained"),
            u2k_filled <- new_condvar!("tunnel_u2k_filled"),
            k2u_drained <- new_condvar!("tunnel_k2u_drained"),
        }))
    }

    /// Appends as much of `src` as fits to the kernel-to-user ring; returns how much.
    fn kernel_write(&self, src: &[u8]) -> usize {
        let n = self.k2u.lock().push(src);
        if n > 0 {
            self.k2u_filled.notify_all_events(EPOLLIN | EPOLLRDNORM);
        }
        n
    }

    /// Takes the oldest bytes of the user-to-kernel ring into `dst`; returns how many.
    fn kernel_read(&self, dst: &mut [u8]) -> usize {
        let mut inbound = self.u2k.lock();
        let n = inbound.ring.pop(dst);
        let wake = n > 0 && inbound.writers_to_wake();
        let writable = inbound.ring.free() >= PIPE_BUF;
        drop(inbound);
        // A writer may wait for less room than makes the tunnel writable for `poll()`. Pollers
        // are told `EPOLLOUT` only when it is, since some take the key without polling again.
        if wake && writable {
            self.u2k_drained.notify_all_events(EPOLLOUT | EPOLLWRNORM);
        } else if wake {
            self.u2k_drained.notify_all();
        }
        n
    }

    /// Sleeps until `ready` gives a non-zero count for the data under `lock`, for at most
    /// `timeout` jiffies; returns the count, 0 when the time ran out. `ready` runs with the lock
    /// held before each sleep.
    fn wait_until<T: Unpin>(
        lock: &SpinLockIrq<T>,
        event: &CondVar,
        mut ready: impl FnMut(&mut T) -> usize,
        timeout: Jiffies,
    ) -> Result<usize> {
        let mut timeout = timeout;
        let mut guard = lock.lock();
        loop {
            let count = ready(&mut guard);
            if count > 0 || timeout == 0 {
                return Ok(count);
            }
            match event.wait_interruptible_timeout(&mut guard, timeout) {
                CondVarTimeoutResult::Signal { .. } => return Err(ERESTARTSYS),
                CondVarTimeoutResult::Timeout => return Ok(ready(&mut guard)),
                CondVarTimeoutResult::Woken { jiffies } => timeout = jiffies,
            }
        }
    }

    /// `read()` of `/proc/tunnel`: 1 to `len` bytes of the kernel-to-user ring.
    #[inline]
    fn user_read(&self, nonblock: bool, buf: UserPtr, len: usize) -> Result<usize> {
        if len == 0 {
            return Ok(0);
        }
        // Shrinks to the part of `buf` that can be faulted in, if that is not all of it.
        let mut limit = len.min(PIPE_BUF);
        let mut tries = 0;
        loop {
            let mut ring = self.k2u.lock();
            while ring.is_empty() {
                if nonblock {
                    return Err(EAGAIN);
                }
                if self.k2u_filled.wait_interruptible(&mut ring) {
                    return Err(ERESTARTSYS);
                }
            }
            let (first, second) = ring.queued(limit);
            let n = first.len() + second.len();
            let mut user = UserSlice::new(buf, n).writer();
            if user.write_slice_nofault(first).is_ok() && user.write_slice_nofault(second).is_ok() {
                let room_before = ring.free();
                ring.consume(n);
                let emptied = ring.is_empty();
                drop(ring);
                // Kernel writers sleep until there is `WAKE_ROOM`, so only the read that makes
                // that much room can let them progress. A reader that left bytes goes on
                // reading while they refill the ring elsewhere; one that took all waits next.
                if room_before < WAKE_ROOM && room_before + n >= WAKE_ROOM {
                    wake_kernel_code(&self.k2u_drained, emptied);
                }
                return Ok(n);
            }
            drop(ring);
            tries += 1;
            limit = after_fault_in(UserSlice::new(buf, n).writer().fault_in(), tries)?;
        }
    }

    /// `write()` of `/proc/tunnel`: all of a write of up to [`PIPE_BUF`] bytes goes into the
    /// user-to-kernel ring at once, a longer one as room frees up.
    #[inline]
    fn user_write(&self, nonblock: bool, buf: UserPtr, mut len: usize) -> Result<usize> {
        let atomic = len <= PIPE_BUF;
        let mut done = 0;
        let mut tries = 0;
        while done < len {
            let left = len - done;
            let need = if atomic { left } else { 1 };
            let mut inbound = self.u2k.lock();
            while !inbound.has_room(need) {
                if inbound.kernel_readers_to_unblock() {
                    wake_kernel_code(&self.u2k_filled, true);
                }
                if nonblock {
                    return if done > 0 { Ok(done) } else { Err(EAGAIN) };
                }
                if self.u2k_drained.wait_interruptible(&mut inbound) {
                    return if done > 0 { Ok(done) } else { Err(ERESTARTSYS) };
                }
            }
            let src = buf.wrapping_byte_add(done);
            let (first, second) = inbound.ring.vacant(left.min(PIPE_BUF));
            let n = first.len() + second.len();
            let mut user = UserSlice::new(src, n).reader();
            if user.read_slice_nofault(first).is_ok() && user.read_slice_nofault(second).is_ok() {
                // A write into an empty ring, such as a request, waits next for the reply; one
                // that leaves no room for another as long waits for room. A writer of a stream
                // of smaller chunks goes on.
                let was_empty = inbound.ring.is_empty();
                inbound.ring.commit(n);
                let waits_next = was_empty || inbound.ring.free() < n;
                let wake = inbound.kernel_readers_to_wake();
                drop(inbound);
                if wake {
                    wake_kernel_code(&self.u2k_filled, waits_next);
                }
                done += n;
                tries = 0;
                continue;
            }
            drop(inbound);
            tries += 1;
            match after_fault_in(UserSlice::new(src, n).reader().fault_in(), tries) {
                // A write that runs into a bad address ends there, short.
                Ok(good) if good < n => len = done + good,
                Ok(_) => {}
                Err(err) => return if done > 0 { Ok(done) } else { Err(err) },
            }
        }
        Ok(done)
    }

    fn poll(&self, file: &File, table: &PollTable<'_>) -> u32 {
        // Only a poller that waits for room counts as a writer short of it: its wish makes
        // kernel readers take what is queued instead of a whole batch. It registers on both
        // queues whatever it asks for, since epoll registers only once and may ask for other
        // events later.
        let waits_for_room = table.requested_events() & (EPOLLOUT | EPOLLWRNORM) != 0;
        table.register_wait(file, &self.k2u_filled);
        table.register_wait(file, &self.u2k_drained);
        let mut events = 0;
        if !self.k2u.lock().is_empty() {
            events |= EPOLLIN | EPOLLRDNORM;
        }
        // Room for any write that goes in all at once, as a pipe is writable when a page is free:
        // with less, such a write could fail with `EAGAIN` after each wake-up.
        let mut inbound = self.u2k.lock();
        if !waits_for_room {
            if inbound.ring.free() >= PIPE_BUF {
                events |= EPOLLOUT | EPOLLWRNORM;
            }
        } else if inbound.has_room(PIPE_BUF) {
            events |= EPOLLOUT | EPOLLWRNORM;
        } else if inbound.kernel_readers_to_unblock() {
            drop(inbound);
            wake_kernel_code(&self.u2k_filled, true);
        }
        events
    }
}

fn is_nonblocking(file: &LocalFile) -> bool {
    file.flags() & O_NONBLOCK != 0
}

/// The open `/proc/tunnel` files. All of them share the one [`Tunnel`], and each holds an
/// [`Arc`] of it, so that `read()`, `write()` and `poll()` reach it without a lookup.
struct TunnelFile;

#[vtable]
impl ProcFile for TunnelFile {
    type Ptr = Arc<Tunnel>;

    fn open(file: &File) -> Result<Arc<Tunnel>> {
        // Mode 0600 keeps other users out; this keeps out root of a user namespace whose uid 0
        // is the real one.
        if !file.cred().in_init_user_ns() {
            return Err(EPERM);
        }
        TUNNEL.as_ref().cloned().ok_or(ENODEV)
    }

    #[inline]
    fn read(
        tunnel: ArcBorrow<'_, Tunnel>,
        file: &LocalFile,
        buf: UserPtr,
        len: usize,
    ) -> Result<usize> {
        tunnel.user_read(is_nonblocking(file), buf, len)
    }

    #[inline]
    fn write(
        tunnel: ArcBorrow<'_, Tunnel>,
        file: &LocalFile,
        buf: UserPtr,
        len: usize,
    ) -> Result<usize> {
        tunnel.user_write(is_nonblocking(file), buf, len)
    }

    fn poll(tunnel: ArcBorrow<'_, Tunnel>, file: &File, table: &PollTable<'_>) -> u32 {
        tunnel.poll(file, table)
    }
}

/// Checks the arguments of the C functions; returns the length of `loc`.
fn checked_len(loc_is_null: bool, count: c_int) -> Result<usize> {
    let len = usize::try_from(count).map_err(|_| EINVAL)?;
    if len > 0 && loc_is_null {
        return Err(EINVAL);
    }
    Ok(len)
}

fn to_c_int(result: Result<usize>) -> c_int {
    match result {
        Ok(n) => c_int::try_from(n).unwrap_or(c_int::MAX),
        Err(err) => err.to_errno(),
    }
}

/// Takes up to `count` bytes from the user-to-kernel buffer into `loc`.
///
/// # Safety
///
/// If `count > 0` and `loc` is not null, `loc` must be valid for writing `count` bytes.
#[export]
pub unsafe extern "C" fn tunnel_read(loc: *mut c_char, count: c_int) -> c_int {
    to_c_int(checked_len(loc.is_null(), count).and_then(|len| {
        if len == 0 {
            return Ok(0);
        }
        // More than the capacity never moves, so only that much of `loc` is looked at.
        let len = len.min(TUNNEL_SIZE);
        // SAFETY: `loc` is not null, and the caller guarantees it is valid for writing `count`
        // bytes, which no one else accesses during the call; `len <= count`.
        let dst = unsafe { core::slice::from_raw_parts_mut(loc.cast::<u8>(), len) };
        Ok(tunnel()?.kernel_read(dst))
    }))
}

/// Appends up to `count` bytes at `loc` to the kernel-to-user buffer.
///
/// # Safety
///
/// If `count > 0` and `loc` is not null, `loc` must be valid for reading `count` bytes.
#[export]
pub unsafe extern "C" fn tunnel_write(loc: *const c_char, count: c_int) -> c_int {
    to_c_int(checked_len(loc.is_null(), count).and_then(|len| {
        if len == 0 {
            return Ok(0);
        }
        // More than the capacity never moves, so only that much of `loc` is looked at.
        let len = len.min(TUNNEL_SIZE);
        // SAFETY: `loc` is not null, and the caller guarantees it is valid for reading `count`
        // bytes, which no one writes during the call; `len <= count`.
        let src = unsafe { core::slice::from_raw_parts(loc.cast::<u8>(), len) };
        Ok(tunnel()?.kernel_write(src))
    }))
}

/// Returns how many bytes the kernel-to-user buffer holds.
///
/// # Safety
///
/// Always safe to call; `#[export]` requires the `unsafe` of the C declaration.
#[export]
pub unsafe extern "C" fn tunnel_user() -> c_int {
    to_c_int(tunnel().map(|tunnel| tunnel.k2u.lock().len()))
}

/// Returns how many bytes the kernel-to-user buffer has room for.
///
/// # Safety
///
/// Always safe to call; `#[export]` requires the `unsafe` of the C declaration.
#[export]
pub unsafe extern "C" fn tunnel_avail() -> c_int {
    to_c_int(tunnel().map(|tunnel| tunnel.k2u.lock().free()))
}

/// Returns how many bytes the user-to-kernel buffer holds.
///
/// # Safety
///
/// Always safe to call; `#[export]` requires the `unsafe` of the C declaration.
#[export]
pub unsafe extern "C" fn tunnel_pending() -> c_int {
    to_c_int(tunnel().map(|tunnel| tunnel.u2k.lock().ring.len()))
}

/// The room in `ring` once it has reached [`WAKE_ROOM`], 0 before.
fn room_to_wake(ring: &Ring<Buffer>) -> usize {
    let room = ring.free();
    if room >= WAKE_ROOM {
        room
    } else {
        0
    }
}

fn checked_timeout(timeout: c_long) -> Result<Jiffies> {
    Jiffies::try_from(timeout).map_err(|_| EINVAL)
}

fn to_c_long(result: Result<usize>) -> c_long {
    match result {
        Ok(n) => c_long::try_from(n).unwrap_or(c_long::MAX),
        Err(err) => err.to_errno() as c_long,
    }
}

/// Sleeps until user space has written `count` bytes for `tunnel_read()`, or filled the buffer.
///
/// # Safety
///
/// Must be called in process context, where sleeping is allowed.
#[export]
pub unsafe extern "C" fn tunnel_wait_pending(count: c_int, timeout: c_long) -> c_long {
    to_c_long(checked_timeout(timeout).and_then(|timeout| {
        // A full buffer cannot get fuller, so a larger count waits for a full one.
        let count = match usize::try_from(count) {
            Ok(count) if count > 0 => count.min(TUNNEL_SIZE),
            _ => return Err(EINVAL),
        };
        let tunnel = tunnel()?;
        let ready = |inbound: &mut Inbound| inbound.reached(count);
        Tunnel::wait_until(&tunnel.u2k, &tunnel.u2k_filled, ready, timeout)
    }))
}

/// Sleeps until user space has made room for `tunnel_write()`.
///
/// # Safety
///
/// Must be called in process context, where sleeping is allowed.
#[export]
pub unsafe extern "C" fn tunnel_wait_avail(timeout: c_long) -> c_long {
    to_c_long(checked_timeout(timeout).and_then(|timeout| {
        let tunnel = tunnel()?;
        let ready = |ring: &mut Ring<Buffer>| room_to_wake(ring);
        Tunnel::wait_until(&tunnel.k2u, &tunnel.k2u_drained, ready, timeout)
    }))
}

/// Empties both rings, for the KUnit suites: they run before user space does.
#[cfg(CONFIG_PROC_TUNNEL_KUNIT_TEST)]
#[no_mangle]
pub extern "C" fn proc_tunnel_kunit_reset() {
    if let Ok(tunnel) = tunnel() {
        let k2u_len = tunnel.k2u.lock().len();
        tunnel.k2u.lock().consume(k2u_len);
        let u2k_len = tunnel.u2k.lock().ring.len();
        tunnel.u2k.lock().ring.consume(u2k_len);
    }
}

module! {
    type: TunnelModule,
    name: "proc_tunnel",
    authors: ["proc-tunnel developers"],
    description: "/proc/tunnel: a byte channel between the kernel and user space",
    license: "GPL",
}

struct TunnelModule;

impl kernel::Module for TunnelModule {
    fn init(module: &'static ThisModule) -> Result<Self> {
        let tunnel = Arc::pin_init(Tunnel::new()?, GFP_KERNEL)?;
        if !TUNNEL.populate(tunnel) {
            return Err(EBUSY);
        }
        // The tunnel is built in and never goes away, and neither does its entry.
        Registration::<TunnelFile>::register_permanent(c"tunnel", 0o600, module)?;
        Ok(Self)
    }
}

#[cfg(CONFIG_PROC_TUNNEL_KUNIT_TEST)]
#[kunit_tests(proc_tunnel_ring)]
mod tests {
    use super::Ring;

    #[test]
    fn empty_ring_has_full_capacity() {
        let mut storage = [0u8; 8];
        let ring = Ring::new(&mut storage[..]);
        assert_eq!(ring.len(), 0);
        assert_eq!(ring.free(), 8);
        assert!(ring.is_empty());
    }

    #[test]
    fn push_stops_when_full() {
        let mut storage = [0u8; 8];
        let mut ring = Ring::new(&mut storage[..]);
        assert_eq!(ring.push(b"0123456789"), 8);
        assert_eq!(ring.push(b"x"), 0);
        assert_eq!(ring.free(), 0);
        let mut out = [0; 10];
        assert_eq!(ring.pop(&mut out), 8);
        assert_eq!(&out[..8], b"01234567");
    }

    #[test]
    fn pop_stops_when_empty() {
        let mut storage = [0u8; 8];
        let mut ring = Ring::new(&mut storage[..]);
        let mut out = [0; 4];
        assert_eq!(ring.pop(&mut out), 0);
        assert_eq!(ring.push(b"ab"), 2);
        assert_eq!(ring.pop(&mut out), 2);
        assert_eq!(&out[..2], b"ab");
        assert_eq!(ring.pop(&mut out), 0);
    }

    #[test]
    fn fifo_order_across_wrap_at_every_offset() {
        for offset in 0..8 {
            let mut storage = [0u8; 8];
            let mut ring = Ring::new(&mut storage[..]);
            let mut out = [0u8; 8];
            // Keep one byte queued so that the next push starts at `offset`.
            assert_eq!(ring.push(&[0xff; 8][..offset + 1]), offset + 1);
            assert_eq!(ring.consume(offset), offset);
            assert_eq!(ring.push(b"abcdefg"), 7);
            assert_eq!(ring.pop(&mut out), 8);
            assert_eq!(&out, b"\xffabcdefg");
        }
    }

    #[test]
    fn peek_leaves_bytes_queued() {
        let mut storage = [0u8; 8];
        let mut ring = Ring::new(&mut storage[..]);
        let mut out = [0u8; 3];
        assert_eq!(ring.push(b"xyz"), 3);
        assert_eq!(ring.peek(&mut out), 3);
        assert_eq!(ring.len(), 3);
        assert_eq!(ring.consume(2), 2);
        assert_eq!(ring.pop(&mut out), 1);
        assert_eq!(out[0], b'z');
        assert_eq!(ring.consume(5), 0);
    }
}
