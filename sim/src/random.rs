//! The generator's source of randomness: SplitMix64, seeded, the same stream on every machine.

/// SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit state stepped by a constant and mixed.
///
/// Chosen over the `rand` crates because a fixed seed must give the same log byte for byte on
/// every platform and for every future version of this crate; `rand` reserves the right to
/// change its generators' output between versions, and ten lines of well-known arithmetic need no
/// dependency. Only integer arithmetic is used, so there is no platform-dependent rounding.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.state)
    }

    /// A number in `0..bound` (0 when `bound` is 0), by Lemire's multiply-shift: the bias is at
    /// most `bound / 2^64`, far below anything a simulation can see.
    pub fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }

    /// A number in `low..=high` (`low` when `high < low`).
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low.saturating_add(self.below(high.saturating_sub(low).saturating_add(1)))
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// An index into `weights`, each chosen in proportion to its weight (0 for an empty or
    /// all-zero list).
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total = weights.iter().sum();
        weighted_index(self.below(total), weights)
    }
}

/// The index that `pick` (below the sum of `weights`) falls in, weights laid end to end.
pub(crate) fn weighted_index(mut pick: u64, weights: &[u64]) -> usize {
    for (index, weight) in weights.iter().enumerate() {
        if pick < *weight {
            return index;
        }
        pick -= weight;
    }
    0
}

/// The SplitMix64 finaliser: a bijective scramble of 64 bits, also used to derive stable
/// per-customer traits from a customer's number.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_the_published_splitmix64() {
        // The reference outputs of SplitMix64 seeded with 1234567 (from the authors' C code,
        // as quoted by the xoshiro page's test vectors).
        let mut rng = SplitMix64::new(1_234_567);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(
            first,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423
            ]
        );
    }

    #[test]
    fn bounded_draws_stay_in_bounds_and_cover_them() {
        let mut rng = SplitMix64::new(7);
        let mut seen = [false; 10];
        for _ in 0..10_000 {
            let value = rng.below(10);
            assert!(value < 10);
            seen[value as usize] = true;
            let between = rng.between(5, 8);
            assert!((5..=8).contains(&between));
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.weighted(&[]), 0);
        assert_eq!(rng.weighted(&[0, 0, 5]), 2);
    }

    #[test]
    fn weighted_choices_follow_their_weights() {
        let mut rng = SplitMix64::new(42);
        let mut counts = [0u32; 3];
        for _ in 0..100_000 {
            counts[rng.weighted(&[1, 2, 7])] += 1;
        }
        // Expected 10,000, 20,000 and 70,000; a fair generator stays well inside +-1,000.
        for (count, expected) in counts.iter().zip([10_000, 20_000, 70_000]) {
            assert!(count.abs_diff(expected) < 1_000, "{counts:?}");
        }
    }
}
