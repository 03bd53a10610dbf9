//! Generators (proptest strategies) for the property tests: cases in the JSON wire form, from
//! ordinary to hostile, and policy files that vary the default policy within valid ranges.
//!
//! A case is built as JSON and read with `Case::from_json`, as any caller's would be. Cases from
//! [`case`] are *decidable* on the default policy and on every policy from [`policy`]: every time
//! in order and not after `now`, every amount positive, at least a step where it must be, in
//! IDR, a known tier and category. Inside those rules they go for the edges: empty, long and
//! huge histories, vouchers granted at the same instant, ages a second (or a nanosecond) either
//! side of every window, every UTC offset, decimals with 28 places and amounts at the limits of
//! `rust_decimal`, unicode and control characters in every name and id. [`hostile_case`] breaks
//! the rules too.
//!
//! By domain: [`time`] (instants, offsets, ages on the windows' edges), [`text`] (names and ids),
//! [`amounts`] (order totals, requested amounts, past vouchers), [`requests`] (decidable cases
//! and their histories), [`histories`] (cases around a huge history or a value edge),
//! [`hostile`] (broken cases and JSON text), [`policies`] (policy files) and [`shapes`]
//! (policies of every optional shape, and cases on their edges).

mod amounts;
mod histories;
mod hostile;
mod policies;
mod requests;
mod shapes;
mod text;
mod time;

pub use amounts::past_amount;
pub use histories::{huge_history_case, value_edge_case};
pub use hostile::{hostile_case, hostile_text};
pub use policies::{policy, policy_toml};
pub use requests::case;
pub use shapes::{shaped_policy, shaped_scenario};
pub use text::order_id;
pub use time::{age_seconds, offset_seconds};

/// Proptest's case count (`PROPTEST_CASES`, 256 unless set) divided by `share`, at least 16:
/// for the properties whose every case is large or starts a process.
pub fn cases_divided_by(share: u32) -> u32 {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse::<u32>().ok())
        .unwrap_or(256);
    (cases / share).max(16)
}

/// The default policy's tiers, lowest first.
pub const TIERS: [&str; 5] = ["new", "regular", "silver", "gold", "platinum"];

/// The default policy's categories and the severity each defaults to.
pub const CATEGORIES: [(&str, &str); 10] = [
    ("food_not_hot", "minor"),
    ("slow_website", "minor"),
    ("packaging", "minor"),
    ("late_delivery", "moderate"),
    ("missing_item", "moderate"),
    ("rude_courier", "moderate"),
    ("wrong_item", "major"),
    ("damaged_item", "major"),
    ("order_not_received", "major"),
    ("food_safety", "critical"),
];

pub const SEVERITIES: [&str; 4] = ["minor", "moderate", "major", "critical"];
