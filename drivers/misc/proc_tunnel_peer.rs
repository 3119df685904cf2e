// SPDX-License-Identifier: GPL-2.0

//! A kernel-side peer of `/proc/tunnel`, for tests and benchmarks.
//!
//! It uses only the C interface of the tunnel, as any other module would. Its controls are in
//! `/sys/kernel/debug/proc_tunnel/peer/`:
//!
//! - `mode`: `off`, `echo` (a kernel thread sends back what user space writes), `source` (it
//!   queues the bytes 0, 1, ..., 255, 0, 1, ... as fast as user space reads them), `sink` (it
//!   takes and drops whatever user space writes, a sixteenth of the buffer at a time, the rest
//!   after 100 ms) or `stress` (echo of whole 16-byte records,
//!   while kernel writers queue records of their own; see below). Reading it gives the mode.
//! - `records`: in `stress` mode, reading gives a `writer count` line for each kernel writer,
//!   the writer in hex: how many records it queued. Writing `stop` stops the kernel writers;
//!   echo goes on.
//! - `inject`: bytes written here are queued with `tunnel_write()`. A write that does not fit
//!   queues what fits and fails with `ENOSPC`.
//! - `drain`: reading takes bytes with `tunnel_read()`.
//! - `user`, `avail`, `pending`: `tunnel_user()`, `tunnel_avail()`, `tunnel_pending()`.
//!
//! The kernel writers of `stress` mode are two kernel threads and an hrtimer, whose callback runs
//! in hard interrupt context (without `PREEMPT_RT`). Their records are four native-endian `u32`s:
//! the writer (`0x100`, `0x101` for the threads, `0x102` for the timer), a sequence number counting
//! from 0, the check value `(writer + 1) * 2654435761 ^ seq * 40503` (modulo 2^32) and 0: the
//! records of `tools/testing/selftests/proc_tunnel`'s stress test. Each writer stops after 4194304
//! records. All its writers of the kernel-to-user ring hold one lock from the check of its room to
//! the write, so records and echoed chunks land whole; `inject` and `drain` do not take part, and
//! are not for use in `stress` mode.

use core::fmt;
use kernel::{
    debugfs::{
        BinaryWriter,
        Dir,
        Scope, //
    },
    fs::file,
    impl_has_hr_timer, new_mutex,
    prelude::*,
    sync::{
        new_spinlock_irq,
        Arc,
        ArcBorrow,
        Mutex,
        SpinLockIrq, //
    },
    time::{
        delay::fsleep,
        hrtimer::{
            ArcHrTimerHandle,
            HrTimer,
            HrTimerCallback,
            HrTimerCallbackContext,
            HrTimerPointer,
            HrTimerRestart,
            RelativeMode, //
        },
        Delta,
        Monotonic, //
    },
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

    /// Sleeps until user space wrote `bytes` bytes, for at most `jiffies`; returns how many
    /// are queued then, 0 when the time ran out first.
    pub(crate) fn wait_pending(bytes: usize, jiffies: Jiffies) -> usize {
        // SAFETY: Called from the peer's kernel thread, which may sleep.
        let ret = unsafe { bindings::tunnel_wait_pending(count(bytes), timeout(jiffies)) };
        usize::try_from(ret).unwrap_or(0)
    }

    /// Sleeps until user space made room, for at most `jiffies`.
    pub(crate) fn wait_avail(jiffies: Jiffies) {
        // SAFETY: Called from the peer's kernel thread, which may sleep.
        unsafe { bindings::tunnel_wait_avail(timeout(jiffies)) };
    }
}

/// Kernel threads that each run a job, stopped when dropped.
mod kthread {
    use kernel::{
        bindings,
        error::from_err_ptr,
        prelude::*,
        sync::Arc,
        time::{delay::fsleep, Delta}, //
    };

    /// The work of a kernel thread.
    pub(crate) trait Job: Send + Sync + 'static {
        /// Does the work; returns once `stop` says so.
        fn run(&self, stop: &Stop);
    }

    /// Tells a thread started by [`Thread::run`] whether it was asked to stop.
    ///
    /// # Invariants
    ///
    /// Only exists on the stack of such a thread.
    pub(crate) struct Stop(());

    impl Stop {
        /// Whether the current kernel thread was asked to stop.
        pub(crate) fn requested(&self) -> bool {
            // SAFETY: By the type invariants the current task is a kernel thread.
            unsafe { bindings::kthread_should_stop() }
        }
    }

    /// A kernel thread that runs a job.
    ///
    /// # Invariants
    ///
    /// `task` is a kernel thread that was created and woken up, and not stopped yet. It does not
    /// exit before it is asked to stop, and it uses the `T` of `_job` until then.
    pub(crate) struct Thread<T: Job> {
        task: *mut bindings::task_struct,
        _job: Arc<T>,
    }

    // SAFETY: A kernel thread may be stopped from any thread, and `T` is `Send + Sync`.
    unsafe impl<T: Job> Send for Thread<T> {}

    /// The function of each thread.
    ///
    /// # Safety
    ///
    /// `job` must point to a `T` that stays valid until `kthread_stop()` on this thread returned.
    unsafe extern "C" fn thread_main<T: Job>(job: *mut c_void) -> c_int {
        // SAFETY: By the safety requirements, `job` stays valid until this function returned.
        let job = unsafe { &*job.cast_const().cast::<T>() };
        // INVARIANT: This is the stack of a thread started by `Thread::run`.
        let stop = Stop(());
        job.run(&stop);
        // A kernel thread must not return before it is asked to stop.
        while !stop.requested() {
            fsleep(Delta::from_millis(10));
        }
        0
    }

    impl<T: Job> Thread<T> {
        /// Starts a thread named `name` that runs `job`.
        pub(crate) fn run(job: Arc<T>, name: &CStr) -> Result<Self> {
            // SAFETY: `thread_main::<T>` takes the pointer to a `T`, which the returned `Thread`
            // keeps alive until `kthread_stop()` returned; if creation fails, the thread never
            // runs. The name is a NUL-terminated string without format directives, and is copied.
            let task = from_err_ptr(unsafe {
                bindings::kthread_create_on_node(
                    Some(thread_main::<T>),
                    Arc::as_ptr(&job).cast_mut().cast(),
                    bindings::NUMA_NO_NODE,
                    name.as_char_ptr(),
                )
            })?;
            // SAFETY: `task` was just created and not woken up yet.
            unsafe { bindings::wake_up_process(task) };
            // INVARIANT: The thread was created and woken up; `thread_main` returns only once it
            // is asked to stop, and uses `job` until then.
            Ok(Self { task, _job: job })
        }
    }

    impl<T: Job> Drop for Thread<T> {
        fn drop(&mut self) {
            // SAFETY: By the type invariants the thread was not stopped and cannot have exited,
            // so its task is still there, whether or not its function ever ran.
            // `kthread_stop()` returns once the thread exited, before `self._job` is dropped.
            unsafe { bindings::kthread_stop(self.task) };
        }
    }
}

use kthread::{Stop, Thread};

/// What the peer does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Off,
    Echo,
    Source,
    Sink,
    Stress,
}

impl Mode {
    const ALL: [Mode; 5] = [
        Mode::Off,
        Mode::Echo,
        Mode::Source,
        Mode::Sink,
        Mode::Stress,
    ];

    fn name(self) -> &'static str {
        match self {
            Mode::Off => "off",
            Mode::Echo => "echo",
            Mode::Source => "source",
            Mode::Sink => "sink",
            Mode::Stress => "stress",
        }
    }
}

/// How long the thread sleeps at most before it checks whether it should stop.
fn tick() -> kernel::time::Jiffies {
    kernel::time::msecs_to_jiffies(100)
}

fn echo(stop: &Stop, buf: &mut [u8]) {
    while !stop.requested() {
        let taken = tunnel::read(buf);
        if taken == 0 {
            tunnel::wait_pending(1, tick());
            continue;
        }
        let mut sent = 0;
        while sent < taken && !stop.requested() {
            sent += tunnel::write(&buf[sent..taken]);
            if sent < taken {
                tunnel::wait_avail(tick());
            }
        }
    }
}

fn source(stop: &Stop, buf: &mut [u8]) {
    let mut next = 0u8;
    while !stop.requested() {
        for byte in buf.iter_mut() {
            *byte = next;
            next = next.wrapping_add(1);
        }
        let mut sent = 0;
        while sent < buf.len() && !stop.requested() {
            sent += tunnel::write(&buf[sent..]);
            if sent < buf.len() {
                tunnel::wait_avail(tick());
            }
        }
    }
}

/// The fewest and the most bytes the sink waits for before it takes them: a sixteenth and a
/// half of the buffer. A sink that took each byte as it came would cost a writer of small
/// chunks a wake-up every few bytes; one that waited for much more than a fast writer leaves
/// room for while the sink wakes up would let the buffer fill, and the writer sleep.
const SINK_BATCH_MIN: usize = (1 << kernel::bindings::CONFIG_PROC_TUNNEL_SIZE_SHIFT) / 16;
const SINK_BATCH_MAX: usize = (1 << kernel::bindings::CONFIG_PROC_TUNNEL_SIZE_SHIFT) / 2;

/// The next batch of the sink, from the bytes queued when it woke for `batch`: as many again
/// arrived while it woke up means a fast writer, which needs the room sooner; fewer, a slow
/// one, which can be left longer.
fn next_sink_batch(batch: usize, queued: usize) -> usize {
    if queued >= 2 * batch {
        (batch / 2).max(SINK_BATCH_MIN)
    } else if queued >= batch {
        (batch * 2).min(SINK_BATCH_MAX)
    } else {
        // The time ran out: a trickle, or the writer stopped.
        batch
    }
}

fn sink(stop: &Stop, buf: &mut [u8]) {
    let mut batch = SINK_BATCH_MIN;
    while !stop.requested() {
        let queued = tunnel::wait_pending(batch, tick());
        batch = next_sink_batch(batch, queued);
        while !stop.requested() && tunnel::read(buf) == buf.len() {}
    }
}

/// The size of a record of the `stress` mode.
const RECORD_SIZE: usize = 16;
/// The number of the first kernel writer in records.
const FIRST_KERNEL_WRITER: u32 = 0x100;
/// The kernel threads that write records, with their names.
const RECORD_THREADS: [&CStr; 2] = [c"proc_tunnel_w0", c"proc_tunnel_w1"];
/// The index among the kernel writers of the timer, which comes after the threads.
const TIMER_WRITER: usize = RECORD_THREADS.len();
/// The kernel threads and the timer.
const KERNEL_WRITERS: usize = RECORD_THREADS.len() + 1;
/// How many records a writer queues at most: as many as the stress test tracks per writer.
const MAX_RECORDS: u32 = 1 << 22;

/// The record number `seq` of writer `writer`.
fn record(writer: u32, seq: u32) -> [u8; RECORD_SIZE] {
    let check = writer.wrapping_add(1).wrapping_mul(2_654_435_761) ^ seq.wrapping_mul(40_503);
    let mut bytes = [0u8; RECORD_SIZE];
    for (field, value) in bytes.chunks_exact_mut(4).zip([writer, seq, check, 0]) {
        field.copy_from_slice(&value.to_ne_bytes());
    }
    bytes
}

/// How a kernel writer's attempt to queue a record went.
enum Queued {
    Yes,
    NoRoom,
    AllDone,
}

/// The kernel writers of the `stress` mode and the lock all its writers share.
#[pin_data]
struct Stress {
    /// How many records each kernel writer queued. Every writer of the kernel-to-user ring holds
    /// this lock from the check of the room to the write, so that nothing cuts a record short.
    #[pin]
    queued: SpinLockIrq<[u32; KERNEL_WRITERS]>,
    #[pin]
    timer: HrTimer<Self>,
}

impl Stress {
    fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            queued <- new_spinlock_irq!([0; KERNEL_WRITERS], "proc_tunnel_peer_records"),
            timer <- HrTimer::new(),
        })
    }

    /// Queues the next record of kernel writer `writer` if all of it fits.
    fn queue_record(&self, writer: usize) -> Queued {
        let mut queued = self.queued.lock();
        let Some(seq) = queued.get_mut(writer) else {
            return Queued::AllDone;
        };
        if *seq >= MAX_RECORDS {
            return Queued::AllDone;
        }
        if tunnel::avail() < RECORD_SIZE as c_int {
            return Queued::NoRoom;
        }
        let id = FIRST_KERNEL_WRITER + writer as u32;
        // With the room checked under the lock all writers hold, the whole record goes in; if
        // a writer that does not take the lock cut it short, the test sees it torn.
        if tunnel::write(&record(id, *seq)) == 0 {
            return Queued::NoRoom;
        }
        *seq += 1;
        Queued::Yes
    }

    /// Queues as many of the whole records at the start of `records` as fit; returns how many
    /// bytes.
    fn queue_records(&self, records: &[u8]) -> usize {
        let _queued = self.queued.lock();
        let room = usize::try_from(tunnel::avail()).unwrap_or(0);
        let fits = records.len().min(room - room % RECORD_SIZE);
        tunnel::write(&records[..fits - fits % RECORD_SIZE])
    }

    /// The records each kernel writer queued, with its number.
    fn counts(&self) -> impl Iterator<Item = (u32, u32)> {
        let queued = *self.queued.lock();
        (FIRST_KERNEL_WRITER..).zip(queued)
    }
}

impl HrTimerCallback for Stress {
    type Pointer<'a> = Arc<Self>;

    fn run(this: ArcBorrow<'_, Self>, mut ctx: HrTimerCallbackContext<'_, Self>) -> HrTimerRestart {
        if let Queued::AllDone = this.queue_record(TIMER_WRITER) {
            return HrTimerRestart::NoRestart;
        }
        ctx.forward_now(Delta::from_micros(200));
        HrTimerRestart::Restart
    }
}

// Not a `HARD` mode: the tunnel's locks are `spinlock_t`, sleeping locks on `PREEMPT_RT`, where
// an ordinary hrtimer runs in a thread (in hard interrupt context elsewhere).
impl_has_hr_timer! {
    impl HasHrTimer<Self> for Stress {
        mode: RelativeMode<Monotonic>, field: self.timer
    }
}

/// Echo in `stress` mode: like [`echo`], but only whole records, under the writers' lock.
fn echo_records(stop: &Stop, stress: &Stress, buf: &mut [u8]) {
    let mut held = 0;
    while !stop.requested() {
        let taken = buf.get_mut(held..).map_or(0, tunnel::read);
        if taken == 0 && held < RECORD_SIZE {
            tunnel::wait_pending(1, tick());
            continue;
        }
        held += taken;
        let whole = held - held % RECORD_SIZE;
        let mut sent = 0;
        while sent < whole && !stop.requested() {
            sent += stress.queue_records(&buf[sent..whole]);
            if sent < whole {
                tunnel::wait_avail(tick());
            }
        }
        // A record user space wrote in two parts waits here for its second part.
        buf.copy_within(sent..held, 0);
        held -= sent;
    }
}

/// A kernel thread's writer: records as fast as the ring takes them, with a short sleep every
/// 32 records to leave the echo its share.
fn write_records(stop: &Stop, stress: &Stress, writer: usize) {
    const BURST: u32 = 32;
    let mut left = BURST;
    while !stop.requested() {
        match stress.queue_record(writer) {
            Queued::Yes => {
                left -= 1;
                if left == 0 {
                    left = BURST;
                    fsleep(Delta::from_micros(100));
                }
            }
            Queued::NoRoom => tunnel::wait_avail(tick()),
            Queued::AllDone => return,
        }
    }
}

/// What one of the peer's kernel threads does.
enum Work {
    Echo,
    Source,
    Sink,
    EchoRecords(Arc<Stress>),
    WriteRecords(Arc<Stress>, usize),
}

/// Runs `work` with a buffer of a page, if one can be had.
fn with_buffer(work: impl FnOnce(&mut [u8])) {
    if let Ok(mut buf) = KVec::from_elem(0u8, 4096, GFP_KERNEL) {
        work(&mut buf);
    }
}

impl kthread::Job for Work {
    fn run(&self, stop: &Stop) {
        match self {
            Work::Echo => with_buffer(|buf| echo(stop, buf)),
            Work::Source => with_buffer(|buf| source(stop, buf)),
            Work::Sink => with_buffer(|buf| sink(stop, buf)),
            Work::EchoRecords(stress) => with_buffer(|buf| echo_records(stop, stress, buf)),
            Work::WriteRecords(stress, writer) => write_records(stop, stress, *writer),
        }
    }
}

fn spawn(work: Work, name: &CStr) -> Result<Thread<Work>> {
    Thread::run(Arc::new(work, GFP_KERNEL)?, name)
}

/// The kernel writers of `stress` mode; dropping them stops them.
struct KernelWriters {
    _threads: KVec<Thread<Work>>,
    _timer: ArcHrTimerHandle<Stress>,
}

impl KernelWriters {
    fn start(stress: &Arc<Stress>) -> Result<Self> {
        let mut threads = KVec::with_capacity(RECORD_THREADS.len(), GFP_KERNEL)?;
        for (writer, name) in RECORD_THREADS.into_iter().enumerate() {
            let work = Work::WriteRecords(stress.clone(), writer);
            threads.push(spawn(work, name)?, GFP_KERNEL)?;
        }
        Ok(Self {
            _threads: threads,
            _timer: stress.clone().start(Delta::from_micros(200)),
        })
    }
}

/// The current mode and its threads.
struct Worker {
    mode: Mode,
    /// The kernel writers of `stress` mode, while they run.
    writers: Option<KernelWriters>,
    thread: Option<Thread<Work>>,
    /// What the kernel writers of the last `stress` mode queued.
    stress: Option<Arc<Stress>>,
}

impl Worker {
    fn start(&mut self, mode: Mode) -> Result {
        let (work, stress) = match mode {
            Mode::Off => return Ok(()),
            Mode::Echo => (Work::Echo, None),
            Mode::Source => (Work::Source, None),
            Mode::Sink => (Work::Sink, None),
            Mode::Stress => {
                let stress = Arc::pin_init(Stress::new(), GFP_KERNEL)?;
                (Work::EchoRecords(stress.clone()), Some(stress))
            }
        };
        self.thread = Some(spawn(work, c"proc_tunnel_peer")?);
        if let Some(stress) = stress {
            self.writers = Some(KernelWriters::start(&stress)?);
            self.stress = Some(stress);
        }
        self.mode = mode;
        Ok(())
    }

    fn stop(&mut self) {
        // The kernel writers before the echo, which takes their records' room.
        self.writers = None;
        self.thread = None;
        self.mode = Mode::Off;
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop();
    }
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
            worker <- new_mutex!(Worker {
                mode: Mode::Off,
                writers: None,
                thread: None,
                stress: None,
            }),
            drain: Drain,
        })
    }
}

fn show_mode(peer: &Peer, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    writeln!(f, "{}", peer.worker.lock().mode.name())
}

/// Reads the word written to a control file into `buf`; returns it without surrounding
/// whitespace.
fn read_word<'a>(reader: &mut UserSliceReader, buf: &'a mut [u8]) -> Result<&'a [u8]> {
    let len = reader.len();
    let buf = buf.get_mut(..len).ok_or(EINVAL)?;
    reader.read_slice(buf)?;
    Ok(buf.trim_ascii())
}

fn set_mode(peer: &Peer, reader: &mut UserSliceReader) -> Result {
    let mut buf = [0u8; 16];
    let name = read_word(reader, &mut buf)?;
    let mode = Mode::ALL
        .into_iter()
        .find(|mode| mode.name().as_bytes() == name)
        .ok_or(EINVAL)?;
    let mut worker = peer.worker.lock();
    // Stop the old threads before new ones start: they would compete for the bytes.
    worker.stop();
    let started = worker.start(mode);
    if started.is_err() {
        worker.stop();
    }
    started
}

fn show_records(peer: &Peer, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if let Some(stress) = &peer.worker.lock().stress {
        for (writer, count) in stress.counts() {
            writeln!(f, "{writer:#x} {count}")?;
        }
    }
    Ok(())
}

fn stop_records(peer: &Peer, reader: &mut UserSliceReader) -> Result {
    let mut buf = [0u8; 8];
    if read_word(reader, &mut buf)? != b"stop" {
        return Err(EINVAL);
    }
    peer.worker.lock().writers = None;
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
            dir.read_write_callback_file(c"records", peer, &show_records, &stop_records);
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
