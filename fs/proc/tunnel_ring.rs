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
/// - `len <= buf.len()`; `head < buf.len()` when `len > 0`, and `head == 0` when `len == 0`.
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

    /// The index in the buffer of the byte `offset` places after the oldest queued one, for an
    /// `offset` of at most `len`. The invariants leave `head + offset < 2 * capacity`, so a
    /// subtraction does what a `%` would, without a division on every transfer.
    fn index_after_head(&self, offset: usize) -> usize {
        let index = self.head + offset;
        if index >= self.capacity() {
            index - self.capacity()
        } else {
            index
        }
    }

    /// The room for up to `n` more bytes, as two slices to fill in order: the second one is
    /// empty unless the room wraps around the end of the buffer.
    ///
    /// The bytes are queued by [`Ring::commit`] once they are filled in.
    #[inline]
    pub(crate) fn vacant(&mut self, n: usize) -> (&mut [u8], &mut [u8]) {
        let n = n.min(self.free());
        if n == 0 {
            return (&mut [], &mut []);
        }
        // `n > 0` means there is free room, so the capacity is not zero.
        let capacity = self.capacity();
        let tail = self.index_after_head(self.len);
        let first = n.min(capacity - tail);
        let (front, back) = self.buf.split_at_mut(tail);
        // A room that wraps starts at `tail >= head` and goes on at the front of the buffer, up
        // to `head`: `n - first <= head <= tail`.
        (&mut back[..first], &mut front[..n - first])
    }

    /// Queues the first `n` bytes of the room [`Ring::vacant`] gave, which the caller filled in;
    /// returns how many.
    pub(crate) fn commit(&mut self, n: usize) -> usize {
        let n = n.min(self.free());
        // INVARIANT: The `n` bytes after the queued ones join them.
        self.len += n;
        n
    }

    /// The `n` oldest queued bytes, or all of them if fewer, as two slices in order: the second
    /// one is empty unless they wrap around the end of the buffer.
    pub(crate) fn queued(&self, n: usize) -> (&[u8], &[u8]) {
        let n = n.min(self.len);
        if n == 0 {
            return (&[], &[]);
        }
        let first = n.min(self.capacity() - self.head);
        (
            &self.buf[self.head..self.head + first],
            &self.buf[..n - first],
        )
    }

    /// Appends as many bytes of `src` as fit, in order; returns how many.
    pub(crate) fn push(&mut self, src: &[u8]) -> usize {
        let (first, second) = self.vacant(src.len());
        let (n, split) = (first.len() + second.len(), first.len());
        first.copy_from_slice(&src[..split]);
        second.copy_from_slice(&src[split..n]);
        self.commit(n)
    }

    /// Copies the oldest queued bytes into `dst` without removing them; returns how many.
    pub(crate) fn peek(&self, dst: &mut [u8]) -> usize {
        let (first, second) = self.queued(dst.len());
        let n = first.len() + second.len();
        dst[..first.len()].copy_from_slice(first);
        dst[first.len()..n].copy_from_slice(second);
        n
    }

    /// Removes up to `n` of the oldest queued bytes; returns how many.
    #[inline]
    pub(crate) fn consume(&mut self, n: usize) -> usize {
        let n = n.min(self.len);
        // INVARIANT: The `n` oldest bytes are dropped. An empty ring restarts at the front of
        // the buffer, so that small transfers need no wrap-around.
        self.head = if n == self.len {
            0
        } else {
            self.index_after_head(n)
        };
        self.len -= n;
        n
    }

    /// Moves the oldest queued bytes into `dst`; returns how many.
    pub(crate) fn pop(&mut self, dst: &mut [u8]) -> usize {
        let n = self.peek(dst);
        self.consume(n)
    }
}
