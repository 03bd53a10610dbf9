//! Whole numbers of 512 bits, for the one product a `Decimal` cannot hold exactly: the policy
//! amount `total x rate x multiplier`, whose factors have more digits together than a
//! `Decimal` keeps (`136,363.63636363636363636363636 x 0.10 x 1.10` is exactly
//! 14,999.99...9960, and rounds to 15,000 as a `Decimal`). Worked out on the mantissas,
//! without allocating.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// How many whole `step`s the product of `factors` holds (rounded down), for factors that are
/// not negative and a positive step; `None` beyond 128 bits.
pub(super) fn steps_in_product(factors: [Decimal; 3], step: Decimal) -> Option<u128> {
    // product / step = (mantissas x 10^step scale) / (10^(sum of scales) x step mantissa).
    let mut numerator = Wide::from_u128(1);
    let mut scales = 0;
    for factor in factors {
        numerator = numerator.times(factor.mantissa().unsigned_abs())?;
        scales += factor.scale();
    }
    let numerator = numerator.times_ten_to(step.scale())?;
    let denominator = Wide::from_u128(step.mantissa().unsigned_abs()).times_ten_to(scales)?;
    numerator.quotient(&denominator)?.to_u128()
}

/// An unsigned whole number of 512 bits in 64-bit limbs, least significant first: room for
/// three `Decimal` mantissas (96 bits each) and a power of ten up to 10^84.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Wide([u64; 8]);

impl Wide {
    const BITS: u32 = 512;

    fn from_u128(value: u128) -> Wide {
        let mut limbs = [0; 8];
        let (low, high) = (value as u64, (value >> 64) as u64);
        for (limb, part) in limbs.iter_mut().zip([low, high]) {
            *limb = part;
        }
        Wide(limbs)
    }

    /// The number if it fits in a `u128`.
    fn to_u128(self) -> Option<u128> {
        let mut limbs = self.0.into_iter();
        let low = u128::from(limbs.next()?);
        let high = u128::from(limbs.next()?);
        limbs.all(|limb| limb == 0).then_some(low | (high << 64))
    }

    /// `self x factor`, or `None` past 512 bits.
    fn times_u64(self, factor: u64) -> Option<Wide> {
        let mut limbs = self.0;
        let mut carry = 0u128;
        for limb in &mut limbs {
            let product = u128::from(*limb) * u128::from(factor) + carry;
            *limb = product as u64;
            carry = product >> 64;
        }
        (carry == 0).then_some(Wide(limbs))
    }

    /// `self x factor`, or `None` past 512 bits.
    fn times(self, factor: u128) -> Option<Wide> {
        let low = self.times_u64(factor as u64)?;
        let high = self.times_u64((factor >> 64) as u64)?.shifted_limb()?;
        low.plus(high)
    }

    /// `self x 10^power`, or `None` past 512 bits.
    fn times_ten_to(self, power: u32) -> Option<Wide> {
        (0..power).try_fold(self, |wide, _| wide.times_u64(10))
    }

    /// `self x 2^64`, or `None` past 512 bits.
    fn shifted_limb(self) -> Option<Wide> {
        let mut limbs = self.0;
        if limbs.last().copied()? != 0 {
            return None;
        }
        limbs.rotate_right(1);
        Some(Wide(limbs))
    }

    /// `self + other`, or `None` past 512 bits.
    fn plus(self, other: Wide) -> Option<Wide> {
        let mut limbs = self.0;
        let mut carry = false;
        for (limb, add) in limbs.iter_mut().zip(other.0) {
            let (sum, first) = limb.overflowing_add(add);
            let (sum, second) = sum.overflowing_add(u64::from(carry));
            *limb = sum;
            carry = first || second;
        }
        (!carry).then_some(Wide(limbs))
    }

    /// `self - other`, for `self >= other`.
    fn minus(self, other: Wide) -> Wide {
        let mut limbs = self.0;
        let mut borrow = false;
        for (limb, take) in limbs.iter_mut().zip(other.0) {
            let (difference, first) = limb.overflowing_sub(take);
            let (difference, second) = difference.overflowing_sub(u64::from(borrow));
            *limb = difference;
            borrow = first || second;
        }
        Wide(limbs)
    }

    /// `self x 2 + bit`, or `None` past 512 bits.
    fn doubled_plus(self, bit: bool) -> Option<Wide> {
        let mut limbs = self.0;
        let mut carry = bit;
        for limb in &mut limbs {
            let next = *limb >> 63 == 1;
            *limb = (*limb << 1) | u64::from(carry);
            carry = next;
        }
        (!carry).then_some(Wide(limbs))
    }

    fn bit(&self, index: u32) -> bool {
        self.0
            .get((index / 64) as usize)
            .is_some_and(|limb| (limb >> (index % 64)) & 1 == 1)
    }

    fn set_bit(&mut self, index: u32) {
        if let Some(limb) = self.0.get_mut((index / 64) as usize) {
            *limb |= 1 << (index % 64);
        }
    }

    fn significant_bits(&self) -> u32 {
        (0..Wide::BITS)
            .rev()
            .find(|index| self.bit(*index))
            .map_or(0, |index| index + 1)
    }

    /// `self / divisor` rounded down (binary long division), or `None` for a zero divisor.
    fn quotient(&self, divisor: &Wide) -> Option<Wide> {
        if divisor.significant_bits() == 0 {
            return None;
        }
        let mut quotient = Wide([0; 8]);
        let mut remainder = Wide([0; 8]);
        for index in (0..self.significant_bits()).rev() {
            remainder = remainder.doubled_plus(self.bit(index))?;
            if remainder >= *divisor {
                remainder = remainder.minus(*divisor);
                quotient.set_bit(index);
            }
        }
        Some(quotient)
    }
}

impl Ord for Wide {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.iter().rev().cmp(other.0.iter().rev())
    }
}

impl PartialOrd for Wide {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_numbers_divide_like_small_ones() {
        for (dividend, divisor) in [
            (0u128, 7u128),
            (100, 7),
            (u128::MAX, 3),
            (u128::MAX, u128::MAX),
            (5, 9),
        ] {
            let quotient = Wide::from_u128(dividend).quotient(&Wide::from_u128(divisor));
            assert_eq!(quotient.and_then(Wide::to_u128), Some(dividend / divisor));
        }
        let big = Wide::from_u128(u128::MAX).times(u128::MAX).unwrap();
        assert_eq!(
            big.quotient(&Wide::from_u128(u128::MAX))
                .and_then(Wide::to_u128),
            Some(u128::MAX)
        );
        assert_eq!(Wide::from_u128(1).quotient(&Wide::from_u128(0)), None);
        assert_eq!(Wide::from_u128(1).times_ten_to(155), None);
    }
}
