// SPDX-License-Identifier: GPL-2.0

//! A fixed-capacity byte FIFO, the buffer of each direction of `/proc/tunnel`.
//!
//! It uses nothing but `core`, so that this very file can also be built and tested outside the
//! kernel.

use core::ops::DerefMut;

/// A first-in, first-out queue of bytes in a fixed buffer.
///
/// # Invariants
///
/// - `len <= buf.len()`, and `head < buf.len()` whenever `len > 0`.
/// - The queued bytes, oldest first, are `buf[(head + i) % buf.len()]` for `i` in `0..len`.
pub(crate) struct Ring<B> {
    buf: B,
    head: usize,
    len: usize,
}

impl<B: DerefMut<Target = [u8]>> Ring<B> {
    /// Creates an empty ring whose capacity is the length of `buf`.
    pub(crate) fn new(buf: B) -> Self {
        // INVARIANT: Nothing is queued.
        Self {
            buf,
            head: 0,
            len: 0,
        }
    }

    /// How many bytes the ring holds when full.
    pub(crate) fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// How many bytes are queued.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Whether no byte is queued.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many more bytes fit.
    pub(crate) fn free(&self) -> usize {
        self.capacity() - self.len
    }

    /// Appends as many bytes of `src` as fit, in order; returns how many.
    pub(crate) fn push(&mut self, src: &[u8]) -> usize {
        let n = src.len().min(self.free());
        if n == 0 {
            return 0;
        }
        // `n > 0` means there is free room, so the capacity is not zero.
        let capacity = self.capacity();
        let tail = (self.head + self.len) % capacity;
        let first = n.min(capacity - tail);
        self.buf[tail..tail + first].copy_from_slice(&src[..first]);
        self.buf[..n - first].copy_from_slice(&src[first..n]);
        // INVARIANT: The `n` bytes were stored right after the queued ones.
        self.len += n;
        n
    }

    /// Copies the oldest queued bytes into `dst` without removing them; returns how many.
    pub(crate) fn peek(&self, dst: &mut [u8]) -> usize {
        let n = dst.len().min(self.len);
        if n == 0 {
            return 0;
        }
        let first = n.min(self.capacity() - self.head);
        dst[..first].copy_from_slice(&self.buf[self.head..self.head + first]);
        dst[first..n].copy_from_slice(&self.buf[..n - first]);
        n
    }

    /// Removes up to `n` of the oldest queued bytes; returns how many.
    pub(crate) fn consume(&mut self, n: usize) -> usize {
        let n = n.min(self.len);
        // INVARIANT: The `n` oldest bytes are dropped. An empty ring restarts at the front of
        // the buffer, so that small transfers need no wrap-around.
        self.len -= n;
        self.head = if self.len == 0 {
            0
        } else {
            (self.head + n) % self.capacity()
        };
        n
    }

    /// Moves the oldest queued bytes into `dst`; returns how many.
    pub(crate) fn pop(&mut self, dst: &mut [u8]) -> usize {
        let n = self.peek(dst);
        self.consume(n)
    }
}
