//! Host-side tests of the ring buffer of `/proc/tunnel`.
//!
//! The ring is compiled from `fs/proc/tunnel_ring.rs` of this repository's tree view, which CI
//! checks to be byte for byte the file the series adds to the kernel.
//!
//! [`Checked`] runs a ring beside a `VecDeque` model and panics where they disagree. The tests
//! below (under `cargo test` and Miri) and the fuzz target in `fuzz/` all drive it.

use std::collections::VecDeque;
use std::fmt;

#[path = "../../../fs/proc/tunnel_ring.rs"]
#[allow(dead_code)]
mod tunnel_ring;

use tunnel_ring::Ring;

/// One call on the ring, with its argument.
#[derive(Clone)]
pub enum Op {
    Push(Vec<u8>),
    Peek(usize),
    Consume(usize),
    Pop(usize),
}

/// One line per op even in `{:#?}`, as proptest prints a failing input: not one per byte.
impl fmt::Debug for Op {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Op::Push(src) => write!(f, "Push({src:?})"),
            Op::Peek(n) => write!(f, "Peek({n})"),
            Op::Consume(n) => write!(f, "Consume({n})"),
            Op::Pop(n) => write!(f, "Pop({n})"),
        }
    }
}

impl Op {
    /// Op number `kind % 4` (push, peek, consume, pop) of size `n`; pushed bytes continue the
    /// count in `next`, so that a byte out of order shows.
    pub fn counted(kind: usize, n: usize, next: &mut u8) -> Self {
        match kind % 4 {
            0 => Op::Push(
                (0..n)
                    .map(|_| {
                        *next = next.wrapping_add(1);
                        *next
                    })
                    .collect(),
            ),
            1 => Op::Peek(n),
            2 => Op::Consume(n),
            _ => Op::Pop(n),
        }
    }
}

/// What `peek` and `pop` find past the bytes they return: they must leave it alone.
const UNTOUCHED: u8 = 0xa5;

/// A ring and a `VecDeque` model of it, compared after every operation.
pub struct Checked {
    ring: Ring<Vec<u8>>,
    model: VecDeque<u8>,
    capacity: usize,
}

impl Checked {
    pub fn new(capacity: usize) -> Self {
        Self {
            ring: Ring::new(vec![0; capacity]),
            model: VecDeque::with_capacity(capacity),
            capacity,
        }
    }

    /// Applies `op` to the ring and the model; panics where they disagree.
    pub fn apply(&mut self, op: &Op) {
        match op {
            Op::Push(src) => {
                let pushed = self.ring.push(src);
                let want = src.len().min(self.capacity - self.model.len());
                assert_eq!(pushed, want, "push of {} bytes", src.len());
                self.model.extend(&src[..pushed]);
            }
            Op::Peek(n) => {
                let dst = self.read(*n, |ring, dst| ring.peek(dst));
                self.check_front(&dst, format_args!("peek({n})"));
            }
            Op::Consume(n) => {
                let dropped = self.ring.consume(*n);
                assert_eq!(dropped, (*n).min(self.model.len()), "consume({n})");
                self.model.drain(..dropped);
            }
            Op::Pop(n) => {
                let dst = self.read(*n, |ring, dst| ring.pop(dst));
                self.check_front(&dst, format_args!("pop({n})"));
                self.model.drain(..dst.len());
            }
        }
        let len = self.model.len();
        assert_eq!(self.ring.capacity(), self.capacity, "capacity after {op:?}");
        assert_eq!(self.ring.len(), len, "len after {op:?}");
        assert_eq!(self.ring.free(), self.capacity - len, "free after {op:?}");
        assert_eq!(self.ring.is_empty(), len == 0, "is_empty after {op:?}");
        // Everything queued, not only what the op returned.
        let all = self.read(len + 1, |ring, dst| ring.peek(dst));
        self.check_front(&all, format_args!("contents after {op:?}"));
    }

    /// Checks that `bytes`, read from the ring, are the model's oldest bytes. Slice compares,
    /// not byte loops: Miri is slow enough.
    fn check_front(&self, bytes: &[u8], what: fmt::Arguments) {
        let (a, b) = self.model.as_slices();
        let split = a.len().min(bytes.len());
        let same = bytes.len() <= a.len() + b.len()
            && bytes[..split] == a[..split]
            && bytes[split..] == b[..bytes.len() - split];
        assert!(
            same,
            "{what}: the ring gave {bytes:?}, the model has {:?}",
            self.model.range(..bytes.len().min(self.model.len()))
        );
    }

    /// Calls `read` (`peek` or `pop`) with an `n`-byte buffer; checks its count and that it
    /// wrote nothing past it; returns the bytes it read.
    fn read(
        &mut self,
        n: usize,
        read: impl FnOnce(&mut Ring<Vec<u8>>, &mut [u8]) -> usize,
    ) -> Vec<u8> {
        let mut dst = vec![UNTOUCHED; n];
        let got = read(&mut self.ring, &mut dst);
        assert_eq!(got, n.min(self.model.len()), "bytes read into {n}");
        assert!(
            dst[got..] == *vec![UNTOUCHED; n - got],
            "wrote past {got} of {n}"
        );
        dst.truncate(got);
        dst
    }
}

#[cfg(test)]
mod tests {
    use super::{Checked, Op, Ring};
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::test_runner::RngAlgorithm;

    // Miri runs each case thousands of times slower: fewer, shorter and smaller ones there
    // (the wrap tests below still take 4096 bytes), and a short search for the smallest
    // failing one.
    const CASES: u32 = if cfg!(miri) { 32 } else { 2048 };
    const MAX_OPS: usize = if cfg!(miri) { 32 } else { 200 };
    const MAX_CAPACITY: usize = if cfg!(miri) { 64 } else { 4096 };
    const SHRINK_ITERS: u32 = if cfg!(miri) { 64 } else { 100_000 };

    /// Capacities: small ones, odd ones, the powers of two up to the kernel's 4096, the edge
    /// ones. In that order, as shrinking a failing case tries the first ones first.
    fn capacity() -> impl Strategy<Value = usize> {
        prop_oneof![
            2..=70usize,
            (0..40usize).prop_map(|k| 2 * k + 1),
            (1..=MAX_CAPACITY.trailing_zeros()).prop_map(|k| 1 << k),
            Just(0),
            Just(1),
            Just(MAX_CAPACITY),
        ]
    }

    /// The size of a push or read, relative to the capacity: so that proptest can shrink
    /// the capacity and the operations apart when it looks for the smallest failing case.
    #[derive(Clone, Copy, Debug)]
    enum Size {
        /// 0 to 4 bytes.
        Tiny(usize),
        /// The capacity plus 0 or 1.
        Capacity(usize),
        /// `k / 65536` of twice the capacity plus 2: anything from 0 to well past it.
        Scaled(usize),
    }

    impl Size {
        fn of(self, capacity: usize) -> usize {
            match self {
                Size::Tiny(n) => n,
                Size::Capacity(extra) => capacity + extra,
                Size::Scaled(k) => (2 * capacity + 2) * k / 65536,
            }
        }
    }

    fn size() -> impl Strategy<Value = Size> {
        prop_oneof![
            (0..=4usize).prop_map(Size::Tiny),
            (0..=1usize).prop_map(Size::Capacity),
            (0..=65536usize).prop_map(Size::Scaled),
        ]
    }

    /// An operation before the capacity is known; a push takes random bytes from `seed`.
    #[derive(Clone, Debug)]
    enum Step {
        Push(Size, u64),
        Peek(Size),
        Consume(Size),
        Pop(Size),
    }

    impl Step {
        fn op(&self, capacity: usize) -> Op {
            match *self {
                Step::Push(n, seed) => Op::Push(bytes(n.of(capacity), seed)),
                Step::Peek(n) => Op::Peek(n.of(capacity)),
                Step::Consume(n) => Op::Consume(n.of(capacity)),
                Step::Pop(n) => Op::Pop(n.of(capacity)),
            }
        }
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (size(), any::<u64>()).prop_map(|(n, seed)| Step::Push(n, seed)),
            size().prop_map(Step::Peek),
            size().prop_map(Step::Consume),
            size().prop_map(Step::Pop),
        ]
    }

    /// `n` bytes from a generator seeded with `seed`: cheaper than proptest's byte by byte,
    /// which matters under Miri.
    fn bytes(n: usize, seed: u64) -> Vec<u8> {
        let mut rng = XorShift(seed | 1); // From 0, xorshift stays at 0.
        let mut v = vec![0; n];
        for chunk in v.chunks_mut(8) {
            chunk.copy_from_slice(&rng.next().to_le_bytes()[..chunk.len()]);
        }
        v
    }

    proptest! {
        // No regression files in the source tree (nor file access under Miri): a failure
        // prints its shrunk input, which is what a fix needs. The default ChaCha generator
        // takes most of the time under Miri; XorShift is plenty for picking test cases.
        #![proptest_config(ProptestConfig {
            cases: CASES,
            failure_persistence: None,
            rng_algorithm: RngAlgorithm::XorShift,
            max_shrink_iters: SHRINK_ITERS,
            ..ProptestConfig::default()
        })]

        /// Random interleavings of partial pushes and reads on rings of random capacity,
        /// checked against a `VecDeque` after every operation.
        #[test]
        fn behaves_like_a_vecdeque(capacity in capacity(), steps in vec(step(), 1..=MAX_OPS)) {
            let mut checked = Checked::new(capacity);
            for step in &steps {
                checked.apply(&step.op(capacity));
            }
        }
    }

    /// A small, seeded generator, so that a failure can be replayed.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Long histories, which the short proptest cases do not reach; every pushed byte is the
    /// next value of a counter, so that a byte out of order shows.
    #[test]
    fn long_seeded_histories() {
        let (seeds, steps): (u64, usize) = if cfg!(miri) { (2, 300) } else { (300, 2000) };
        for seed in 1..=seeds {
            let mut rng = XorShift(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let capacity = 1 + rng.below(70);
            let mut checked = Checked::new(capacity);
            let mut next = 0u8;
            for _ in 0..steps {
                let n = rng.below(capacity * 2 + 2);
                checked.apply(&Op::counted(rng.below(4), n, &mut next));
            }
        }
    }

    /// For each capacity and each place the oldest byte can sit in the buffer, every length of
    /// data split across the end of the buffer comes back in order, by peek and by pop.
    #[test]
    fn wraps_at_every_offset() {
        let capacities: &[usize] = if cfg!(miri) {
            &[1, 2, 3, 8, 13]
        } else {
            &[1, 2, 3, 4, 7, 8, 13, 16, 61, 64, 255, 256]
        };
        for &capacity in capacities {
            for offset in 0..capacity {
                for len in 0..capacity {
                    wrap_once(capacity, offset, len);
                }
            }
        }
    }

    /// The kernel's size, with the ring filled up, at every offset (every 1021st under Miri).
    #[test]
    fn wraps_at_every_offset_when_full() {
        let (capacity, stride) = if cfg!(miri) { (4096, 1021) } else { (4096, 1) };
        for offset in (0..capacity).step_by(stride) {
            wrap_once(capacity, offset, capacity - 1);
        }
    }

    /// Puts the oldest byte at `offset` of the buffer, then pushes `len` more bytes.
    fn wrap_once(capacity: usize, offset: usize, len: usize) {
        let mut storage = vec![0u8; capacity];
        let mut ring = Ring::new(&mut storage[..]);
        // One byte stays queued: an emptied ring restarts at the front of the buffer.
        assert_eq!(ring.push(&vec![0xee; offset + 1]), offset + 1);
        assert_eq!(ring.consume(offset), offset);
        let src: Vec<u8> = (1..=len).map(|i| i as u8).collect();
        assert_eq!(ring.push(&src), len, "capacity {capacity} offset {offset}");
        assert_eq!(ring.free(), capacity - 1 - len);
        let mut want = vec![0xee];
        want.extend(&src);
        let mut dst = vec![0u8; capacity];
        assert_eq!(ring.peek(&mut dst), len + 1);
        assert_eq!(
            &dst[..=len],
            &want[..],
            "peek: capacity {capacity} offset {offset}"
        );
        dst.fill(0);
        assert_eq!(ring.pop(&mut dst), len + 1);
        assert_eq!(
            &dst[..=len],
            &want[..],
            "pop: capacity {capacity} offset {offset}"
        );
        assert!(ring.is_empty());
    }

    #[test]
    fn zero_capacity_moves_nothing() {
        let mut storage: [u8; 0] = [];
        let mut ring = Ring::new(&mut storage[..]);
        assert_eq!(ring.push(b"abc"), 0);
        assert_eq!(ring.pop(&mut [0; 4]), 0);
        assert_eq!(ring.consume(3), 0);
        assert_eq!(ring.free(), 0);
        assert!(ring.is_empty());
    }
}
