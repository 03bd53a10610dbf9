//! A small set of stable codes (reasons, flags, alternatives) that never allocates.

use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Serialize};

/// A stable wire code: one of a fixed list of enum variants, each with a bit of its own.
///
/// Implemented by [`Reason`](crate::Reason), [`Flag`](crate::Flag) and
/// [`Alternative`](crate::Alternative); sealed, so the bit layout stays the crate's business.
pub trait Code:
    'static + Copy + Eq + fmt::Debug + Serialize + for<'de> Deserialize<'de> + sealed::Sealed
{
    /// Every code, in the order sets list them.
    const ALL: &'static [Self];

    /// The code as written on the wire, such as `voucher_limit_reached`.
    fn as_str(&self) -> &'static str;

    /// The position of this code in [`Code::ALL`].
    #[doc(hidden)]
    fn position(self) -> u32;
}

pub(crate) mod sealed {
    pub trait Sealed {}
}

/// A set of codes, listed in a fixed order (the order of [`Code::ALL`]) whatever order they were
/// added in, so the same decision always serializes byte for byte the same.
///
/// It is a bit set: copying, adding and testing never allocate.
///
/// ```
/// use voucher_policy::{CodeSet, Reason};
///
/// let mut reasons = CodeSet::new();
/// reasons.insert(Reason::VoucherLimitReached);
/// reasons.insert(Reason::AbusiveLanguage);
/// assert!(reasons.contains(Reason::VoucherLimitReached));
/// let codes: Vec<&str> = reasons.iter().map(|r| r.as_str()).collect();
/// assert_eq!(codes, ["abusive_language", "voucher_limit_reached"]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeSet<T> {
    bits: u64,
    marker: PhantomData<T>,
}

impl<T: Code> CodeSet<T> {
    /// The empty set.
    pub const fn new() -> Self {
        CodeSet {
            bits: 0,
            marker: PhantomData,
        }
    }

    /// Adds a code; adding it twice keeps one.
    pub fn insert(&mut self, code: T) {
        self.bits |= 1 << code.position();
    }

    /// Removes a code if present.
    pub fn remove(&mut self, code: T) {
        self.bits &= !(1 << code.position());
    }

    /// Whether the code is in the set.
    pub fn contains(&self, code: T) -> bool {
        self.bits & (1 << code.position()) != 0
    }

    /// Whether the set has no code.
    pub fn is_empty(&self) -> bool {
        self.bits == 0
    }

    /// How many codes the set holds.
    pub fn len(&self) -> usize {
        self.bits.count_ones() as usize
    }

    /// The codes, in the fixed order of [`Code::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        // A code's position is its index in `ALL` (`codes!` checks it at compile time), so the
        // set bits, lowest first, name the codes in that order: no need to try every code.
        let mut bits = self.bits;
        std::iter::from_fn(move || {
            while bits != 0 {
                let position = bits.trailing_zeros();
                bits &= bits - 1;
                if let Some(code) = T::ALL.get(position as usize) {
                    return Some(*code);
                }
            }
            None
        })
    }

    /// The codes in both sets: one `&`, where filtering by a test is a test per code.
    pub(crate) fn intersection(self, other: Self) -> Self {
        CodeSet {
            bits: self.bits & other.bits,
            marker: PhantomData,
        }
    }

    /// The codes of this set that are not in `other`.
    pub(crate) fn difference(self, other: Self) -> Self {
        CodeSet {
            bits: self.bits & !other.bits,
            marker: PhantomData,
        }
    }

    /// The set of the codes whose positions are the bits set in `bits`, for a constant set
    /// worked out at compile time.
    pub(crate) const fn from_bits(bits: u64) -> Self {
        CodeSet {
            bits,
            marker: PhantomData,
        }
    }

    /// Every code in either set.
    pub fn union(self, other: Self) -> Self {
        CodeSet {
            bits: self.bits | other.bits,
            marker: PhantomData,
        }
    }

    /// The codes of this set that satisfy `keep`.
    pub fn filter(self, keep: impl Fn(T) -> bool) -> Self {
        self.iter().filter(|code| keep(*code)).collect()
    }
}

impl<T: Code> Default for CodeSet<T> {
    fn default() -> Self {
        CodeSet::new()
    }
}

impl<T: Code> FromIterator<T> for CodeSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut set = CodeSet::new();
        for code in iter {
            set.insert(code);
        }
        set
    }
}

impl<T: Code> Extend<T> for CodeSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for code in iter {
            self.insert(code);
        }
    }
}

impl<T: Code> fmt::Debug for CodeSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<T: Code> Serialize for CodeSet<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: Code> Deserialize<'de> for CodeSet<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let codes = Vec::<T>::deserialize(deserializer)?;
        Ok(codes.into_iter().collect())
    }
}

/// Implements [`Code`] for a fieldless enum whose variants are listed once, in wire order.
macro_rules! codes {
    ($type:ident, $what:literal { $($variant:ident => $wire:literal),+ $(,)? }) => {
        impl $crate::code_set::sealed::Sealed for $type {}

        impl $crate::code_set::Code for $type {
            const ALL: &'static [Self] = &[$($type::$variant),+];

            fn as_str(&self) -> &'static str {
                match self {
                    $($type::$variant => $wire),+
                }
            }

            fn position(self) -> u32 {
                self as u32
            }
        }

        impl ::std::fmt::Display for $type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::code_set::Code::as_str(self))
            }
        }

        impl ::std::str::FromStr for $type {
            type Err = $crate::WireNameError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                const NAMES: &[&str] = &[$($wire),+];
                match text {
                    $($wire => Ok($type::$variant),)+
                    _ => Err($crate::WireNameError::new($what, text, NAMES)),
                }
            }
        }

        const _: () = assert!(<$type as $crate::code_set::Code>::ALL.len() <= 64);
        // `CodeSet::iter` reads a position as an index into `ALL`.
        const _: () = {
            let mut rest = <$type as $crate::code_set::Code>::ALL;
            let mut index = 0;
            while let [code, others @ ..] = rest {
                assert!(
                    *code as usize == index,
                    "codes! must list the variants in their declaration order"
                );
                rest = others;
                index += 1;
            }
        };
    };
}
pub(crate) use codes;
