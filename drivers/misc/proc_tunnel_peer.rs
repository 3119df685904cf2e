// SPDX-License-Identifier: GPL-2.0

//! A kernel-side peer of `/proc/tunnel`, for tests and benchmarks.
//!
//! It uses only the C interface of the tunnel, as any other module would. Its controls are in
//! `/sys/kernel/debug/proc_tunnel/peer/`:
//!
//! - `mode`: `off`, `echo` (a kernel thread sends back what user space writes), `source` (it
//!   queues the bytes 0, 1, ..., 255, 0, 1, ... as fast as user space reads them) or `sink` (it
//!   takes and drops whatever user space writes). Reading it gives the current mode.
//! - `inject`: bytes written here are queued with `tunnel_write()`. A write that does not fit
//!   queues what fits and fails with `ENOSPC`.
//! - `drain`: reading takes bytes with `tunnel_read()`.
//! - `user`, `avail`, `pending`: `tunnel_user()`, `tunnel_avail()`, `tunnel_pending()`.

use core::fmt;
use kernel::{
    debugfs::{
        BinaryWriter,
        Dir,
        Scope, //
    },
    fs::file,
    new_mutex,
    prelude::*,
    sync::Mutex,
    uaccess::{
        UserSliceReader,
        UserSliceWriter, //
    },
};

module! {
    type: PeerModule,
    name: "proc_tunnel_peer",
    authors: ["proc-tunnel developers"],
    description: "Kernel-side peer of /proc/tunnel for tests and benchmarks",
    license: "GPL",
}

/// The C interface of `/proc/tunnel`, as safe functions.
mod tunnel {
    use kernel::{bindings, prelude::*, time::Jiffies};

    fn count(len: usize) -> c_int {
        c_int::try_from(len).unwrap_or(c_int::MAX)
    }

    fn moved(ret: c_int) -> usize {
        // The functions return a count no larger than the one passed, or a negative error
        // code for arguments this module never passes.
        usize::try_from(ret).unwrap_or(0)
    }

    /// Queues bytes of `src` for user space; returns how many.
    pub(crate) fn write(src: &[u8]) -> usize {
        // SAFETY: `src` is valid for reading `src.len()` bytes, more than the count passed.
        moved(unsafe { bindings::tunnel_write(src.as_ptr(), count(src.len())) })
    }

    /// Takes bytes user space wrote into `dst`; returns how many.
    pub(crate) fn read(dst: &mut [u8]) -> usize {
        // SAFETY: `dst` is valid for writing `dst.len()` bytes, more than the count passed.
        moved(unsafe { bindings::tunnel_read(dst.as_mut_ptr(), count(dst.len())) })
    }

    /// The bytes queued for user space.
    pub(crate) fn user() -> c_int {
        // SAFETY: Always safe to call.
        unsafe { bindings::tunnel_user() }
    }

    /// The room left for bytes queued for user space.
    pub(crate) fn avail() -> c_int {
        // SAFETY: Always safe to call.
        unsafe { bindings::tunnel_avail() }
    }

    /// The bytes user space wrote and no one took yet.
    pub(crate) fn pending() -> c_int {
        // SAFETY: Always safe to call.
        unsafe { bindings::tunnel_pending() }
    }

    fn timeout(jiffies: Jiffies) -> c_long {
        c_long::try_from(jiffies).unwrap_or(c_long::MAX)
    }

    /// Sleeps until user space wrote something, for at most `jiffies`.
    pub(crate) fn wait_pending(jiffies: Jiffies) {
        // SAFETY: Called from the peer's kernel thread, which may sleep.
        unsafe { bindings::tunnel_wait_pending(timeout(jiffies)) };
    }

    /// Sleeps until user space made room, for at most `jiffies`.
    pub(crate) fn wait_avail(jiffies: Jiffies) {
        // SAFETY: Called from the peer's kernel thread, which may sleep.
        unsafe { bindings::tunnel_wait_avail(timeout(jiffies)) };
    }
}

/// A kernel thread, stopped when dropped.
mod kthread {
    use kernel::{bindings, error::from_err_ptr, prelude::*};

    /// # Invariants
    ///
    /// `task` is a kernel thread that was started and not stopped yet, and runs until
    /// `kthread_should_stop()` says it should stop.
    pub(crate) struct Thread {
        task: *mut bindings::task_struct,
    }

    // SAFETY: A kernel thread may be stopped from any thread.
    unsafe impl Send for Thread {}

    // SAFETY: A shared reference gives no access to the task.
    unsafe impl Sync for Thread {}

    /// Whether the current kernel thread was asked to stop.
    pub(crate) fn should_stop() -> bool {
        // SAFETY: Only called from the threads started by `Thread::run`.
        unsafe { bindings::kthread_should_stop() }
    }

    impl Thread {
        /// Starts a thread named `name` that calls `main(arg)`. `main` must return only once
        /// [`should_stop`] is true.
        pub(crate) fn run(
            main: unsafe extern "C" fn(*mut c_void) -> c_int,
            arg: usize,
            name: &CStr,
        ) -> Result<Self> {
            // SAFETY: `main` takes any `arg`, which is passed by value. The name is a
            // NUL-terminated string without format directives, and is copied.
            let task = from_err_ptr(unsafe {
                bindings::kthread_create_on_node(
                    Some(main),
                    arg as *mut c_void,
                    bindings::NUMA_NO_NODE,
                    name.as_char_ptr(),
                )
            })?;
            // SAFETY: `task` was just created and not started yet.
            unsafe { bindings::wake_up_process(task) };
            // INVARIANT: The thread was started and runs until it is asked to stop.
            Ok(Self { task })
        }
    }

    impl Drop for Thread {
        fn drop(&mut self) {
            // SAFETY: By the type invariants the thread is running and cannot exit before it is
            // asked to stop, so its task is still there.
            unsafe { bindings::kthread_stop(self.task) };
        }
    }
}

use kthread::{should_stop, Thread};

/// What the peer's thread does.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
enum Mode {
    Off = 0,
    Echo = 1,
    Source = 2,
    Sink = 3,
}

impl Mode {
    const ALL: [Mode; 4] = [Mode::Off, Mode::Echo, Mode::Source, Mode::Sink];

    fn name(self) -> &'static str {
        match self {
            Mode::Off => "off",
            Mode::Echo => "echo",
            Mode::Source => "source",
            Mode::Sink => "sink",
        }
    }
}

/// How long the thread sleeps at most before it checks whether it should stop.
fn tick() -> kernel::time::Jiffies {
    kernel::time::msecs_to_jiffies(100)
}

fn echo(buf: &mut [u8]) {
    while !should_stop() {
        let taken = tunnel::read(buf);
        if taken == 0 {
            tunnel::wait_pending(tick());
            continue;
        }
        let mut sent = 0;
        while sent < taken && !should_stop() {
            sent += tunnel::write(&buf[sent..taken]);
            if sent < taken {
                tunnel::wait_avail(tick());
            }
        }
    }
}

fn source(buf: &mut [u8]) {
    let mut next = 0u8;
    while !should_stop() {
        for byte in buf.iter_mut() {
            *byte = next;
            next = next.wrapping_add(1);
        }
        let mut sent = 0;
        while sent < buf.len() && !should_stop() {
            sent += tunnel::write(&buf[sent..]);
            if sent < buf.len() {
                tunnel::wait_avail(tick());
            }
        }
    }
}

fn sink(buf: &mut [u8]) {
    while !should_stop() {
        if tunnel::read(buf) == 0 {
            tunnel::wait_pending(tick());
        }
    }
}

/// The thread of a mode other than `Off`.
///
/// # Safety
///
/// Only [`Thread::run`] calls it, with a [`Mode`] as `arg`.
unsafe extern "C" fn peer_main(arg: *mut c_void) -> c_int {
    let mode = Mode::ALL
        .into_iter()
        .find(|mode| *mode as usize == arg as usize)
        .unwrap_or(Mode::Off);
    let mut buf = KVec::from_elem(0u8, 4096, GFP_KERNEL).ok();
    if let Some(buf) = buf.as_deref_mut() {
        match mode {
            Mode::Echo => echo(buf),
            Mode::Source => source(buf),
            Mode::Sink => sink(buf),
            Mode::Off => {}
        }
    }
    // A kernel thread must not return before it is asked to stop.
    while !should_stop() {
        tunnel::wait_pending(tick());
    }
    0
}

/// The current mode and its thread.
struct Worker {
    mode: Mode,
    _thread: Option<Thread>,
}

#[pin_data]
struct Peer {
    #[pin]
    worker: Mutex<Worker>,
    drain: Drain,
}

impl Peer {
    fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            worker <- new_mutex!(Worker { mode: Mode::Off, _thread: None }),
            drain: Drain,
        })
    }
}

fn show_mode(peer: &Peer, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    writeln!(f, "{}", peer.worker.lock().mode.name())
}

fn set_mode(peer: &Peer, reader: &mut UserSliceReader) -> Result {
    let mut buf = [0u8; 16];
    let len = reader.len();
    if len > buf.len() {
        return Err(EINVAL);
    }
    reader.read_slice(&mut buf[..len])?;
    let name = core::str::from_utf8(&buf[..len])
        .map_err(|_| EINVAL)?
        .trim();
    let mode = Mode::ALL
        .into_iter()
        .find(|mode| mode.name() == name)
        .ok_or(EINVAL)?;
    let mut worker = peer.worker.lock();
    // Stop the old thread before the new one starts: they would compete for the bytes.
    worker._thread = None;
    worker.mode = Mode::Off;
    if mode != Mode::Off {
        worker._thread = Some(Thread::run(peer_main, mode as usize, c"proc_tunnel_peer")?);
        worker.mode = mode;
    }
    Ok(())
}

fn inject(_peer: &Peer, reader: &mut UserSliceReader) -> Result {
    let mut buf = [0u8; 256];
    while !reader.is_empty() {
        let len = reader.len().min(buf.len());
        reader.read_slice(&mut buf[..len])?;
        if tunnel::write(&buf[..len]) < len {
            return Err(ENOSPC);
        }
    }
    Ok(())
}

/// Reading it takes bytes with `tunnel_read()`.
struct Drain;

impl BinaryWriter for Drain {
    fn write_to_slice(
        &self,
        writer: &mut UserSliceWriter,
        _offset: &mut file::Offset,
    ) -> Result<usize> {
        let mut buf = [0u8; 256];
        let len = writer.len().min(buf.len());
        let taken = tunnel::read(&mut buf[..len]);
        // Bytes taken are delivered or, if the user buffer faults, dropped: a test tool.
        writer.write_slice(&buf[..taken])?;
        Ok(taken)
    }
}

fn show_user(_peer: &Peer, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    writeln!(f, "{}", tunnel::user())
}

fn show_avail(_peer: &Peer, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    writeln!(f, "{}", tunnel::avail())
}

fn show_pending(_peer: &Peer, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    writeln!(f, "{}", tunnel::pending())
}

struct PeerModule {
    _controls: Pin<KBox<Scope<Peer>>>,
}

impl kernel::Module for PeerModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let dir = Dir::new(c"proc_tunnel");
        let controls = dir.scope(Peer::new(), c"peer", |peer, dir| {
            dir.read_write_callback_file(c"mode", peer, &show_mode, &set_mode);
            dir.write_only_callback_file(c"inject", peer, &inject);
            dir.read_binary_file(c"drain", &peer.drain);
            dir.read_callback_file(c"user", peer, &show_user);
            dir.read_callback_file(c"avail", peer, &show_avail);
            dir.read_callback_file(c"pending", peer, &show_pending);
        });
        Ok(Self {
            _controls: KBox::pin_init(controls, GFP_KERNEL)?,
        })
    }
}
