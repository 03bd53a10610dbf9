//! The wire names of the enums a request or a decision carries (`minor`, `photo`, `escalated`),
//! parsed and printed the same way everywhere.

/// Implements, for a fieldless enum whose variants are listed once with their wire names:
/// `as_str` and `NAMES` (every wire name, in the listed order), `Display` (the wire name) and
/// `FromStr` (the wire name exactly; anything else is a [`WireNameError`](crate::WireNameError)
/// naming what it is not and what it could be).
macro_rules! wire_names {
    ($type:ident, $what:literal { $($variant:ident => $wire:literal),+ $(,)? }) => {
        impl $type {
            /// Every wire name, in the order of the variants.
            pub const NAMES: &'static [&'static str] = &[$($wire),+];

            /// The wire name, as JSON and policy files write it.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($type::$variant => $wire),+
                }
            }
        }

        impl ::std::fmt::Display for $type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $type {
            type Err = $crate::WireNameError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    $($wire => Ok($type::$variant),)+
                    _ => Err($crate::WireNameError::new($what, text, $type::NAMES)),
                }
            }
        }
    };
}
pub(crate) use wire_names;
