//! What a case of a suite expects of its decision, and how a decision differs from it.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::CaseIssue;
use crate::wire_text::amount;
use crate::{Decision, EscalationTarget, Outcome, Reason, Reasons};

/// The `[case.expect]` table, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExpectWire {
    outcome: Outcome,
    #[serde(default)]
    reasons: Option<Vec<Reason>>,
    #[serde(default, deserialize_with = "amount::read_option")]
    voucher: Option<Decimal>,
    #[serde(default)]
    escalate_to: Option<EscalationTarget>,
}

/// What a case expects: the outcome, and optionally the exact set of reasons, the voucher amount
/// and the escalation target. What it leaves out is not checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Expect {
    outcome: Outcome,
    reasons: Option<Reasons>,
    voucher: Option<Decimal>,
    escalate_to: Option<EscalationTarget>,
}

impl ExpectWire {
    /// The expectation, or the fields that contradict its outcome: such a case could never pass,
    /// so it is a mistake in the file rather than a failure of the policy. `written` is the
    /// table as the file writes it, for the values the issues quote.
    pub(super) fn checked(self, written: &toml::Value) -> Result<Expect, Vec<CaseIssue>> {
        let quoted = |key: &str| written.get(key).map(ToString::to_string);
        let mut issues = Vec::new();
        if let (Some(_), Outcome::Refused) = (self.voucher, self.outcome) {
            issues.push(CaseIssue::Unreadable {
                path: "expect.voucher".to_owned(),
                value: quoted("voucher"),
                message: "a refused case has no voucher".to_owned(),
            });
        }
        if let (Some(_), Outcome::Granted | Outcome::Refused) = (self.escalate_to, self.outcome) {
            issues.push(CaseIssue::Unreadable {
                path: "expect.escalate_to".to_owned(),
                value: quoted("escalate_to"),
                message: format!("a {} case is not escalated", self.outcome),
            });
        }
        if !issues.is_empty() {
            return Err(issues);
        }
        Ok(Expect {
            outcome: self.outcome,
            // Compared as a set: the wire lists reasons in a fixed order whatever the file says.
            reasons: self.reasons.map(|reasons| reasons.into_iter().collect()),
            voucher: self.voucher,
            escalate_to: self.escalate_to,
        })
    }
}

impl Expect {
    /// Every way the decision differs from the expectation; empty when it passes.
    pub(super) fn differences(&self, decision: &Decision) -> Vec<CaseIssue> {
        let mut issues = Vec::new();
        if decision.outcome() != self.outcome {
            issues.push(CaseIssue::Outcome {
                expected: self.outcome,
                actual: decision.outcome(),
            });
        }
        if let Some(expected) = self.reasons {
            let actual = decision.reasons();
            let missing = expected.filter(|reason| !actual.contains(reason));
            let unexpected = actual.filter(|reason| !expected.contains(reason));
            if !missing.is_empty() || !unexpected.is_empty() {
                issues.push(CaseIssue::Reasons {
                    missing,
                    unexpected,
                });
            }
        }
        if let Some(expected) = self.voucher {
            let actual = voucher_amount(decision);
            if actual != Some(expected) {
                issues.push(CaseIssue::Voucher { expected, actual });
            }
        }
        if let Some(expected) = self.escalate_to {
            let actual = decision.verdict().escalate_to();
            if actual != Some(expected) {
                issues.push(CaseIssue::EscalateTo { expected, actual });
            }
        }
        issues
    }
}

/// The voucher granted, or for an escalated case the one recommended on the merits.
fn voucher_amount(decision: &Decision) -> Option<Decimal> {
    decision
        .voucher()
        .or_else(|| {
            decision
                .verdict()
                .recommendation()
                .and_then(|recommendation| recommendation.voucher())
        })
        .map(|voucher| voucher.amount())
}
