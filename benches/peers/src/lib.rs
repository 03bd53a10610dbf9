//! voucher-policy beside what a team would otherwise reach for: a general rules engine
//! ([GoRules ZEN](https://gorules.io), the `zen-engine` crate, with the default policy as a JDM
//! decision graph in `policy.jdm.json`) and an embedded script ([Rhai](https://rhai.rs), the
//! same rules in `policy.rhai`).
//!
//! Each decider takes a generated request in its own native form, built once beforehand, as a
//! service would hold it: voucher-policy its typed [`Request`](voucher_policy::Request) and
//! history, ZEN a `Variable` (the JSON of the request), Rhai maps. Each does everything else
//! itself: the tier and category lookups, the rolling windows over the raw history, every
//! check, the amount and the outcome. Each answer reads as an [`Answer`] so the three can be
//! compared: `tests/agreement.rs` checks they agree, `benches/peers.rs` times them in one run.

pub mod answer;
pub mod ours;
pub mod rhai_script;
pub mod zen;

/// The fixed-seed request generator shared with voucher-policy's own benchmarks.
#[path = "../../common/mod.rs"]
pub mod generated;

pub use answer::Answer;

use rust_decimal::Decimal;

/// A whole amount as an integer, the form both peers take amounts in. The generated amounts
/// are whole rupiah; anything else is a bug in the generator.
pub(crate) fn whole(amount: Decimal) -> i64 {
    assert!(amount.fract().is_zero(), "{amount} is not a whole amount");
    i64::try_from(amount).unwrap_or_else(|_| panic!("{amount} does not fit in 64 bits"))
}
