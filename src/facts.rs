//! The numbers every check looked at, so a decision can be audited and explained.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Reasons, Severity, Window};

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
    /// The claim window: the category's own, or the policy's.
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
    /// The rate of the order total the amount used: the category's own, or the severity's.
    #[serde(with = "rust_decimal::serde::str")]
    pub severity_rate: Decimal,
    /// The tier's amount multiplier.
    #[serde(with = "rust_decimal::serde::str")]
    pub loyalty_multiplier: Decimal,
    /// What the policy gives: total x rate x multiplier, rounded down to the step, clamped to the
    /// minimum and maximum voucher (the category's own, if it sets one), never above the largest
    /// share of the order total.
    #[serde(with = "rust_decimal::serde::str")]
    pub policy_amount: Decimal,
    /// What the customer asked for, if anything.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub requested_amount: Option<Decimal>,
    /// The voucher after every cut (request, value window): what is granted, or what would be
    /// were nothing refusing it.
    #[serde(with = "rust_decimal::serde::str")]
    pub final_amount: Decimal,
    /// The most the deciding agent (or approver) may grant alone: their role's authority.
    #[serde(with = "rust_decimal::serde::str")]
    pub agent_authority: Decimal,
    /// What is left of the deciding agent's daily budget before this voucher, when their role
    /// has one.
    #[serde(
        default,
        with = "rust_decimal::serde::str_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub daily_budget_left: Option<Decimal>,

    // What only policies of more shapes than the default one measure; absent otherwise, so a
    // decision on the default policy reads as it always has.
    /// The largest voucher as a share of the order total, when the policy or the category sets
    /// one (`0.2`: a fifth of the order).
    #[serde(
        default,
        with = "rust_decimal::serde::str_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub maximum_share: Option<Decimal>,
    /// The tier's limits beyond its voucher limit and its value limit, each with what the
    /// history used of it; a limit used up refuses with `voucher_limit_reached` or
    /// `voucher_value_limit_reached`.
    #[serde(default, skip_serializing_if = "LimitFacts::is_empty")]
    pub further_limits: LimitFacts,
    /// The customer's account, when the request says when it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountFacts>,
    /// When the evidence came, when the category counts it only within a deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceFacts>,
    /// The refusals that fired but that one of the customer's lists waives (a service-recovery
    /// list lifting the minor cool-down).
    #[serde(default, skip_serializing_if = "Reasons::is_empty")]
    pub waived: Reasons,
}

/// A tier's further limits with what the history used of each: at most
/// [`LimitFacts::CAPACITY`], as a policy allows, kept inline so that facts never allocate.
///
/// Serializes as a JSON array of [`LimitFact`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LimitFacts {
    facts: [Option<LimitFact>; LimitFacts::CAPACITY],
}

impl LimitFacts {
    /// The most further limits a tier has: three of vouchers and three of value.
    pub const CAPACITY: usize = 6;

    /// The facts, in the policy's order: the limits of vouchers, then those of value.
    pub fn iter(&self) -> impl Iterator<Item = &LimitFact> {
        self.facts.iter().flatten()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether there are none: the tier has no further limits.
    pub fn is_empty(&self) -> bool {
        self.facts.first().is_none_or(Option::is_none)
    }

    /// Collects `facts`, keeping the first [`LimitFacts::CAPACITY`].
    pub(crate) fn of(facts: impl IntoIterator<Item = LimitFact>) -> Self {
        let mut limits = LimitFacts::default();
        for (slot, fact) in limits.facts.iter_mut().zip(facts) {
            *slot = Some(fact);
        }
        limits
    }
}

impl Serialize for LimitFacts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for LimitFacts {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let facts = Vec::<LimitFact>::deserialize(deserializer)?;
        if facts.len() > LimitFacts::CAPACITY {
            return Err(serde::de::Error::invalid_length(
                facts.len(),
                &"at most 6 further limits",
            ));
        }
        Ok(LimitFacts::of(facts))
    }
}

/// One of a tier's further limits, and what the customer's history used of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum LimitFact {
    /// At most `limit` vouchers inside `window`.
    Vouchers {
        /// The rolling window.
        window: Window,
        /// The most vouchers inside it.
        limit: u32,
        /// Vouchers granted inside it.
        used: u32,
    },
    /// At most `limit` in value inside `window`.
    Value {
        /// The rolling window.
        window: Window,
        /// The most value inside it.
        #[serde(with = "rust_decimal::serde::str")]
        limit: Decimal,
        /// The value granted inside it.
        #[serde(with = "rust_decimal::serde::str")]
        used: Decimal,
    },
}

impl LimitFact {
    /// Whether the history used the limit up (for value, whether any is left at all).
    pub fn reached(&self) -> bool {
        match self {
            LimitFact::Vouchers { limit, used, .. } => used >= limit,
            LimitFact::Value { limit, used, .. } => used >= limit,
        }
    }
}

/// The customer's account as the decision saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AccountFacts {
    /// Seconds since the account was made.
    pub age_seconds: i64,
    /// Whether the policy counts the account as young.
    pub young: bool,
    /// The age below which the policy counts an account as young, if it has rules for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub younger_than: Option<Window>,
    /// Every voucher in the history given: the count a young account's lifetime limit applies
    /// to.
    pub vouchers_ever: u32,
    /// The most vouchers a young account may ever get, if the policy sets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime_vouchers: Option<u32>,
}

/// When a complaint's evidence came, against its category's deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct EvidenceFacts {
    /// Seconds from delivery (or placement) to the evidence.
    pub elapsed_seconds: i64,
    /// The category's deadline for evidence.
    pub within: Window,
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
