//! Reproducible random numbers for the unit tests' generated inputs.

/// A stream of numbers below a bound, the same for a seed on every machine: xorshift64* (Vigna,
/// 2016), small enough that the tests need no generator crate.
pub(crate) fn numbers(seed: u64) -> impl FnMut(u64) -> u64 {
    // Zero is xorshift's one fixed point.
    let mut state = seed | 1;
    move |below| {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let bits = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        // Lemire's multiply-shift: the bias is at most `below / 2^64`.
        ((u128::from(bits) * u128::from(below)) >> 64) as u64
    }
}
