//! The numbers every check looked at, so a decision can be audited and explained.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Severity, Window};

/// The numbers each check looked at: counts, windows, limits, and every step of the amount.
///
/// Facts are filled in for every request, whatever the outcome, so an auditor or a supervisor
/// can see what a refusal was measured against and what a grant was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Facts {
    /// The severity the decision used.
    pub severity: Severity,
    /// Whether the severity was set on the complaint (`explicit`) or came from its category
    /// (`category`).
    pub severity_from: SeveritySource,

    /// Where the claim window was measured from.
    pub claim_measured_from: ClaimStart,
    /// Seconds from delivery (or placement) to the report.
    pub claim_elapsed_seconds: i64,
    /// The claim window.
    pub claim_window: Window,

    /// Vouchers granted inside the rolling count window.
    pub vouchers_in_count_window: u32,
    /// The tier's voucher limit for that window.
    pub count_limit: u32,
    /// The rolling count window.
    pub count_window: Window,

    /// Value granted inside the rolling value window, summed exactly.
    #[serde(with = "rust_decimal::serde::str")]
    pub value_used: Decimal,
    /// The tier's value limit for that window.
    #[serde(with = "rust_decimal::serde::str")]
    pub value_limit: Decimal,
    /// What is left of the value limit (never negative).
    #[serde(with = "rust_decimal::serde::str")]
    pub value_left: Decimal,
    /// The rolling value window.
    pub value_window: Window,

    /// Vouchers (of any severity) granted inside the minor cool-down.
    pub vouchers_in_minor_cooldown: u32,
    /// The minor cool-down.
    pub minor_cooldown: Window,
    /// Minor-complaint vouchers inside the repeated-minor pattern window.
    pub minor_vouchers_in_pattern_window: u32,
    /// How many of those make a pattern.
    pub pattern_threshold: u32,
    /// The repeated-minor pattern window.
    pub pattern_window: Window,

    /// The order total.
    #[serde(with = "rust_decimal::serde::str")]
    pub order_total: Decimal,
    /// The severity's rate of the order total.
    #[serde(with = "rust_decimal::serde::str")]
    pub severity_rate: Decimal,
    /// The tier's amount multiplier.
    #[serde(with = "rust_decimal::serde::str")]
    pub loyalty_multiplier: Decimal,
    /// What the policy gives: total x rate x multiplier, rounded down to the step, clamped to the
    /// minimum and maximum voucher, never above the order total.
    #[serde(with = "rust_decimal::serde::str")]
    pub policy_amount: Decimal,
    /// What the customer asked for, if anything.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub requested_amount: Option<Decimal>,
    /// The voucher after every cut (request, value window): what is granted, or what would be
    /// were nothing refusing it.
    #[serde(with = "rust_decimal::serde::str")]
    pub final_amount: Decimal,
    /// The most the agent may grant alone.
    #[serde(with = "rust_decimal::serde::str")]
    pub agent_authority: Decimal,
}

/// Where a complaint's severity came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SeveritySource {
    /// The agent set it on the complaint.
    Explicit,
    /// The policy's severity for the complaint's category.
    Category,
}

/// The moment the claim window starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClaimStart {
    /// The order's delivery.
    Delivery,
    /// The order's placement, when there is no delivery time.
    Placement,
}
