//! A loyalty tier: how many vouchers and how much value its customers may get, over which
//! rolling windows, and the multiplier on their vouchers.

use rust_decimal::Decimal;

use crate::Window;

/// A loyalty tier and its limits.
///
/// Every tier has a count limit over the policy's count window and a value limit over its value
/// window; [`Tier::limits`] adds any number of further rolling limits, each with its own window
/// (at most 3 vouchers in 7 days *and* at most 5 in 30 days; at most 2 in 24 hours).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Tier {
    /// The tier's name, as requests give it (`gold`).
    pub name: String,
    /// How many vouchers a customer of this tier may get inside the rolling count window.
    pub voucher_limit: u32,
    /// How much value a customer of this tier may get inside the rolling value window.
    pub value_limit: Decimal,
    /// The multiplier on the policy amount (1.25 for gold in the default policy).
    pub multiplier: Decimal,
    /// Whether the script thanks the customer for their loyalty.
    pub thank_loyalty: bool,
    /// Further rolling limits, each over its own window.
    pub limits: Vec<TierLimit>,
}

/// A further rolling limit of a tier: a number of vouchers, or a value, inside a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TierLimit {
    /// At most `limit` vouchers inside `window`.
    Vouchers {
        /// How many vouchers.
        limit: u32,
        /// The rolling window they are counted in.
        window: Window,
    },
    /// At most `limit` in value inside `window`.
    Value {
        /// How much value.
        limit: Decimal,
        /// The rolling window it is summed in.
        window: Window,
    },
}

impl TierLimit {
    /// The window the limit is measured over.
    pub fn window(&self) -> Window {
        match self {
            TierLimit::Vouchers { window, .. } | TierLimit::Value { window, .. } => *window,
        }
    }
}
