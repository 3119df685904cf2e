//! Host-side tests of the ring buffer of `/proc/tunnel`.
//!
//! The ring is compiled from `fs/proc/tunnel_ring.rs` of this repository's tree view, which CI
//! checks to be byte for byte the file the series adds to the kernel.

#[path = "../../../fs/proc/tunnel_ring.rs"]
#[allow(dead_code)]
mod tunnel_ring;

#[cfg(test)]
mod tests {
    use super::tunnel_ring::Ring;
    use std::collections::VecDeque;

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

    /// Random interleavings of pushes, peeks, consumes and pops of random sizes, checked
    /// against a `VecDeque` after every step.
    #[test]
    fn behaves_like_a_vecdeque() {
        for seed in 1..=300u64 {
            let mut rng = XorShift(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let capacity = 1 + rng.below(70);
            let mut storage = vec![0u8; capacity];
            let mut ring = Ring::new(&mut storage[..]);
            let mut model = VecDeque::new();
            let mut next = 0u8;
            for step in 0..2000 {
                let n = rng.below(capacity * 2 + 2);
                match rng.below(4) {
                    0 => {
                        let src: Vec<u8> = (0..n)
                            .map(|_| {
                                next = next.wrapping_add(1);
                                next
                            })
                            .collect();
                        let pushed = ring.push(&src);
                        assert_eq!(pushed, n.min(capacity - model.len()), "seed {seed} step {step}");
                        model.extend(&src[..pushed]);
                    }
                    1 => {
                        let mut dst = vec![0u8; n];
                        let got = ring.peek(&mut dst);
                        let want: Vec<u8> = model.iter().take(n).copied().collect();
                        assert_eq!(&dst[..got], &want[..], "seed {seed} step {step}");
                    }
                    2 => {
                        let dropped = ring.consume(n);
                        assert_eq!(dropped, n.min(model.len()), "seed {seed} step {step}");
                        model.drain(..dropped);
                    }
                    _ => {
                        let mut dst = vec![0u8; n];
                        let got = ring.pop(&mut dst);
                        let want: Vec<u8> = model.drain(..n.min(model.len())).collect();
                        assert_eq!(&dst[..got], &want[..], "seed {seed} step {step}");
                    }
                }
                assert_eq!(ring.len(), model.len());
                assert_eq!(ring.free(), capacity - model.len());
                assert_eq!(ring.is_empty(), model.is_empty());
            }
        }
    }

    /// Every split of a full buffer across the end of the storage comes out in order.
    #[test]
    fn wraps_at_every_offset() {
        const CAPACITY: usize = 16;
        for offset in 0..CAPACITY {
            for len in 1..=CAPACITY {
                let mut storage = [0u8; CAPACITY];
                let mut ring = Ring::new(&mut storage[..]);
                // One byte stays queued so that the ring does not restart at 0.
                assert_eq!(ring.push(&vec![0xee; offset + 1]), offset + 1);
                assert_eq!(ring.consume(offset), offset);
                let src: Vec<u8> = (1..=len as u8).collect();
                let room = CAPACITY - 1;
                assert_eq!(ring.push(&src), len.min(room));
                let mut dst = [0u8; CAPACITY];
                let got = ring.pop(&mut dst);
                assert_eq!(dst[0], 0xee);
                assert_eq!(&dst[1..got], &src[..len.min(room)]);
                assert!(ring.is_empty());
            }
        }
    }

    #[test]
    fn zero_capacity_moves_nothing() {
        let mut storage: [u8; 0] = [];
        let mut ring = Ring::new(&mut storage[..]);
        assert_eq!(ring.push(b"abc"), 0);
        assert_eq!(ring.pop(&mut [0; 4]), 0);
        assert_eq!(ring.consume(3), 0);
        assert_eq!(ring.free(), 0);
    }
}
