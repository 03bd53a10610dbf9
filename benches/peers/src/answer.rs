//! What every decider's answer comes down to, so the three can be compared.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use voucher_policy::{Code, Verdict};

/// A decision as the agreement test compares it: the outcome, the reasons and flags as sets of
/// codes, who an escalation goes to, and the voucher amount on the merits (granted, or
/// recommended to whoever the case is escalated to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// `granted`, `refused` or `escalated`.
    pub outcome: String,
    /// Every reason code that fired.
    pub reasons: BTreeSet<String>,
    /// Every flag raised.
    pub flags: BTreeSet<String>,
    /// `security`, `legal` or `supervisor`, when escalated.
    pub escalate_to: Option<String>,
    /// The voucher amount when the case deserves one on its merits.
    pub amount: Option<Decimal>,
}

impl Answer {
    /// voucher-policy's verdict, read as an answer.
    pub fn of_verdict(verdict: &Verdict) -> Answer {
        let merits_voucher = verdict
            .voucher()
            .or_else(|| verdict.recommendation().and_then(|r| r.voucher()));
        Answer {
            outcome: verdict.outcome().as_str().to_owned(),
            reasons: verdict
                .reasons()
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
            flags: verdict
                .flags()
                .iter()
                .map(|f| f.as_str().to_owned())
                .collect(),
            escalate_to: verdict.escalate_to().map(|t| t.as_str().to_owned()),
            amount: merits_voucher.map(|v| v.amount().normalize()),
        }
    }
}
