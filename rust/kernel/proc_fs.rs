// SPDX-License-Identifier: GPL-2.0

//! Files in the `/proc` file system.
//!
//! A [`Registration`] creates a `/proc` entry whose file operations are the methods of a
//! [`ProcFile`] implementation, and removes it again when dropped. The files are streams: they
//! cannot be seeked, and `pread`/`pwrite` on them fail with `ESPIPE`.
//!
//! C header: [`include/linux/proc_fs.h`](srctree/include/linux/proc_fs.h)

use crate::{
    bindings,
    error::{
        from_result,
        VTABLE_DEFAULT_ERROR, //
    },
    fs::{
        File,
        LocalFile, //
    },
    prelude::*,
    sync::poll::PollTable,
    types::ForeignOwnable,
    uaccess::UserPtr, //
};
use core::{
    marker::PhantomData,
    ptr::NonNull, //
};

/// The file operations of a `/proc` file, implemented by the state of an open file.
#[vtable]
pub trait ProcFile: Sized {
    /// The pointer type the state of an open file is kept in.
    type Ptr: ForeignOwnable + Send + Sync;

    /// Called when the file is opened. The result is the state of this open file.
    fn open(file: &File) -> Result<Self::Ptr>;

    /// Called when the last reference to the open file is dropped.
    fn release(this: Self::Ptr, _file: &File) {
        drop(this);
    }

    /// Reads at most `len` bytes into the user buffer at `buf`; returns how many were read.
    fn read(
        _this: <Self::Ptr as ForeignOwnable>::Borrowed<'_>,
        _file: &LocalFile,
        _buf: UserPtr,
        _len: usize,
    ) -> Result<usize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes at most `len` bytes from the user buffer at `buf`; returns how many were written.
    fn write(
        _this: <Self::Ptr as ForeignOwnable>::Borrowed<'_>,
        _file: &LocalFile,
        _buf: UserPtr,
        _len: usize,
    ) -> Result<usize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Registers the wait queues of the file with `table`; returns the `EPOLL*` events ready now.
    fn poll(
        _this: <Self::Ptr as ForeignOwnable>::Borrowed<'_>,
        _file: &File,
        _table: &PollTable<'_>,
    ) -> u32 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// Poll events, for the result of [`ProcFile::poll`].
///
/// These are the `EPOLL*` values of `include/uapi/linux/eventpoll.h`, the same on every
/// architecture; bindgen cannot evaluate the casts in their C definitions.
pub mod poll_events {
    /// There is data to read.
    pub const EPOLLIN: u32 = 0x0001;
    /// Writing now will not block.
    pub const EPOLLOUT: u32 = 0x0004;
    /// Normal data may be read.
    pub const EPOLLRDNORM: u32 = 0x0040;
    /// Normal data may be written.
    pub const EPOLLWRNORM: u32 = 0x0100;
}

/// A `/proc` entry whose file operations are those of `T`.
///
/// Dropping it removes the entry: [`proc_remove`] first waits until no file operation runs on it
/// any more, then releases the files that are still open. An implementation whose operations
/// block must therefore wake them, and keep them from blocking again, before the registration is
/// dropped, or the drop waits for them.
///
/// # Invariants
///
/// `entry` points to a `proc_dir_entry` created by `proc_create` with the operations of
/// `ProcOps<T>`, which has not been removed.
///
/// [`proc_remove`]: srctree/fs/proc/generic.c
pub struct Registration<T: ProcFile> {
    entry: NonNull<bindings::proc_dir_entry>,
    _t: PhantomData<T>,
}

// SAFETY: The entry may be removed from any thread.
unsafe impl<T: ProcFile> Send for Registration<T> {}

// SAFETY: A shared reference to a registration gives no access to the entry.
unsafe impl<T: ProcFile> Sync for Registration<T> {}

impl<T: ProcFile> Registration<T> {
    /// Creates the entry `/proc/<name>` with permission bits `mode` and the operations `ops`.
    fn create(
        name: &CStr,
        mode: u16,
        ops: &'static bindings::proc_ops,
    ) -> Result<NonNull<bindings::proc_dir_entry>> {
        // SAFETY: `name` is a NUL-terminated string, which `proc_create` copies. A NULL parent
        // means the `/proc` directory itself. The operations table is `'static`.
        let entry =
            unsafe { bindings::proc_create(name.as_char_ptr(), mode, core::ptr::null_mut(), ops) };
        NonNull::new(entry).ok_or(ENOMEM)
    }

    /// Creates the entry `/proc/<name>` with permission bits `mode`.
    pub fn register(name: &CStr, mode: u16) -> Result<Self> {
        // INVARIANT: The entry is created with the operations of `ProcOps<T>`.
        Ok(Self {
            entry: Self::create(name, mode, &ProcOps::<T>::OPS)?,
            _t: PhantomData,
        })
    }

    /// Creates the entry `/proc/<name>` with permission bits `mode` for good: it is never
    /// removed. That spares every file operation on it the accounting that removal needs
    /// (`PROC_ENTRY_PERMANENT`).
    ///
    /// Only code built into the kernel may do that, since a module's operations go away with it:
    /// fails with [`EINVAL`] if `module` is a loadable module. Like `pde_make_permanent()`, it is
    /// meant for the core kernel, not for a driver that happens to be built in.
    pub fn register_permanent(name: &CStr, mode: u16, module: &'static ThisModule) -> Result {
        if !module.as_ptr().is_null() {
            return Err(EINVAL);
        }
        // The operations table is `'static` and, as the caller is built in, so is the code it
        // points to: the entry may outlive every caller.
        Self::create(name, mode, &ProcOps::<T>::PERMANENT_OPS)?;
        Ok(())
    }
}

impl<T: ProcFile> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: By the type invariants, the entry exists and has not been removed yet.
        unsafe { bindings::proc_remove(self.entry.as_ptr()) };
    }
}

/// The C operations table for a [`ProcFile`].
struct ProcOps<T: ProcFile>(PhantomData<T>);

impl<T: ProcFile> ProcOps<T> {
    /// # Safety
    ///
    /// `inode` and `file` must be those of a file of a [`Registration<T>`] being opened.
    unsafe extern "C" fn open(inode: *mut bindings::inode, raw_file: *mut bindings::file) -> c_int {
        // SAFETY: The caller passes a valid inode and file being opened. `stream_open` only
        // changes the mode of the file, which no one else can see yet.
        unsafe { bindings::stream_open(inode, raw_file) };

        // SAFETY: The file is valid for the duration of this call, and this thread is not in an
        // `fdget_pos` region on it.
        let file = unsafe { File::from_raw_file(raw_file) };
        match T::open(file) {
            Ok(ptr) => {
                // SAFETY: The open call of a file owns its private data. `release` and the other
                // operations below take it back as `T::Ptr`.
                unsafe { (*raw_file).private_data = ptr.into_foreign().cast() };
                0
            }
            Err(err) => err.to_errno(),
        }
    }

    /// # Safety
    ///
    /// `file` must be a file of a [`Registration<T>`] being released.
    unsafe extern "C" fn release(_inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
        // SAFETY: The release call owns the private data, which `open` set to a `T::Ptr`; no
        // other operation runs on the file any more.
        let this = unsafe { T::Ptr::from_foreign((*file).private_data.cast()) };
        // SAFETY: The file is valid for the duration of this call, and this thread is not in an
        // `fdget_pos` region on it.
        T::release(this, unsafe { File::from_raw_file(file) });
        0
    }

    /// # Safety
    ///
    /// `file` must be a file of a [`Registration<T>`] that was opened and is not released yet.
    unsafe fn borrow_this<'a>(
        file: *mut bindings::file,
    ) -> <T::Ptr as ForeignOwnable>::Borrowed<'a> {
        // SAFETY: `open` set the private data to a `T::Ptr`, and `release`, which takes it back,
        // cannot run while a file operation is running.
        unsafe { T::Ptr::borrow((*file).private_data.cast()) }
    }

    /// # Safety
    ///
    /// `file` must be an open file of a [`Registration<T>`].
    unsafe extern "C" fn read(
        file: *mut bindings::file,
        buf: *mut c_char,
        len: usize,
        _pos: *mut bindings::loff_t,
    ) -> isize {
        // SAFETY: The caller passes an open file of a `Registration<T>`.
        let this = unsafe { Self::borrow_this(file) };
        // SAFETY: The file is valid for the duration of the call. If `read()` holds an
        // `fdget_pos` region on it without `f_pos_lock` (as on streams), it is on this thread.
        let file = unsafe { LocalFile::from_raw_file(file) };
        from_result(|| {
            let read = T::read(this, file, UserPtr::from_ptr(buf.cast()), len)?;
            Ok(isize::try_from(read)?)
        })
    }

    /// # Safety
    ///
    /// `file` must be an open file of a [`Registration<T>`].
    unsafe extern "C" fn write(
        file: *mut bindings::file,
        buf: *const c_char,
        len: usize,
        _pos: *mut bindings::loff_t,
    ) -> isize {
        // SAFETY: The caller passes an open file of a `Registration<T>`.
        let this = unsafe { Self::borrow_this(file) };
        // SAFETY: The file is valid for the duration of the call. If `write()` holds an
        // `fdget_pos` region on it without `f_pos_lock` (as on streams), it is on this thread.
        let file = unsafe { LocalFile::from_raw_file(file) };
        from_result(|| {
            let written = T::write(this, file, UserPtr::from_ptr(buf.cast_mut().cast()), len)?;
            Ok(isize::try_from(written)?)
        })
    }

    /// # Safety
    ///
    /// `file` must be an open file of a [`Registration<T>`], and `table` null or a valid
    /// `poll_table` for the duration of the call.
    unsafe extern "C" fn poll(
        file: *mut bindings::file,
        table: *mut bindings::poll_table_struct,
    ) -> bindings::__poll_t {
        // SAFETY: The caller passes an open file of a `Registration<T>`.
        let this = unsafe { Self::borrow_this(file) };
        // SAFETY: The file is valid for the duration of the call, and `poll()` does not hold an
        // `fdget_pos` region on it.
        let file = unsafe { File::from_raw_file(file) };
        // SAFETY: The caller passes a table that is null or valid for this call.
        let table = unsafe { PollTable::from_raw(table) };
        T::poll(this, file, &table)
    }

    const OPS: bindings::proc_ops = bindings::proc_ops {
        proc_open: Some(Self::open),
        proc_release: Some(Self::release),
        proc_read: if T::HAS_READ { Some(Self::read) } else { None },
        proc_write: if T::HAS_WRITE {
            Some(Self::write)
        } else {
            None
        },
        proc_poll: if T::HAS_POLL { Some(Self::poll) } else { None },
        ..pin_init::zeroed()
    };

    const PERMANENT_OPS: bindings::proc_ops = bindings::proc_ops {
        proc_flags: bindings::PROC_ENTRY_PERMANENT,
        ..Self::OPS
    };
}

#[kunit_tests(rust_kernel_proc_fs)]
mod tests {
    use super::*;

    struct Empty;

    #[vtable]
    impl ProcFile for Empty {
        type Ptr = ();

        fn open(_file: &File) -> Result {
            Ok(())
        }
    }

    #[test]
    fn dropping_removes_the_entry() -> Result {
        let name = c"rust_proc_fs_kunit";
        for _ in 0..3 {
            // Were the entry of the previous round still there, proc_register() would warn
            // about a duplicate, which fails the test run.
            let entry = Registration::<Empty>::register(name, 0o400)?;
            drop(entry);
        }
        Ok(())
    }
}
