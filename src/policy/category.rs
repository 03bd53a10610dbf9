//! A complaint category: the severity it defaults to, and the rules of its own it may set.

use rust_decimal::Decimal;

use crate::{Severity, Window};

/// A complaint category: the severity a complaint in it defaults to, and, for the categories
/// that need them, rules of their own: a rate, caps, a claim window, whether evidence is
/// needed and by when (hot food reported within 2 hours, a parcel within 7 days, a photo within
/// 48 hours of delivery).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Category {
    /// The category's name, as complaints give it (`food_not_hot`).
    pub name: String,
    /// The severity a complaint in this category has unless the agent sets one.
    pub severity: Severity,
    /// The share of the order total a voucher is worth, instead of the severity's rate.
    pub rate: Option<Decimal>,
    /// The largest voucher, instead of the policy's maximum voucher.
    pub maximum_voucher: Option<Decimal>,
    /// The largest voucher as a share of the order total (1.5 for a gift card), instead of the
    /// severity's.
    pub maximum_share: Option<Decimal>,
    /// How long after delivery (or placement) a complaint may still be compensated, instead of
    /// the policy's claim window.
    pub claim_window: Option<Window>,
    /// Whether a complaint in this category needs evidence.
    pub evidence: EvidenceRule,
    /// Evidence counts only when it came within this long after delivery (or placement).
    pub evidence_within: Option<Window>,
}

impl Category {
    /// A category of `severity` with no rules of its own.
    pub(crate) fn plain(name: impl Into<String>, severity: Severity) -> Self {
        Category {
            name: name.into(),
            severity,
            rate: None,
            maximum_voucher: None,
            maximum_share: None,
            claim_window: None,
            evidence: EvidenceRule::BySeverity,
            evidence_within: None,
        }
    }

    /// Whether the category sets no rule of its own.
    pub fn is_plain(&self) -> bool {
        self.rate.is_none()
            && self.maximum_voucher.is_none()
            && self.maximum_share.is_none()
            && self.claim_window.is_none()
            && self.evidence == EvidenceRule::BySeverity
            && self.evidence_within.is_none()
    }
}

/// Whether a complaint needs a photo or a verification before it is compensated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum EvidenceRule {
    /// As its severity says: a major complaint needs evidence, others do not.
    #[default]
    BySeverity,
    /// Every complaint in the category needs evidence.
    Required,
    /// No complaint in the category needs evidence, whatever its severity.
    NotRequired,
}

crate::wire_name::wire_names!(EvidenceRule, "evidence rule" {
    BySeverity => "by_severity",
    Required => "required",
    NotRequired => "not_required",
});
