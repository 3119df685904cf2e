//! Decodes the input into a ring capacity and a list of operations, and runs them on the ring
//! and a `VecDeque` model; any disagreement panics, which libFuzzer reports as a crash.

#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use tunnel_ring_tests::{Checked, Op};

fuzz_target!(|data: &[u8]| {
    // Running out of input only ends the run early.
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    // Mostly small rings, where wrap-around happens within a few operations; sometimes a power
    // of two up to the kernel's 4096.
    let capacity = if u.ratio(1, 4)? {
        1 << u.int_in_range(0..=12)?
    } else {
        u.int_in_range(0..=70)?
    };
    let mut checked = Checked::new(capacity);
    // Pushed bytes count up, so that one out of order shows.
    let mut next = 0u8;
    while !u.is_empty() {
        let n = u.int_in_range(0..=2 * capacity + 2)?;
        checked.apply(&Op::counted(u.int_in_range(0..=3)?, n, &mut next));
    }
    Ok(())
}
