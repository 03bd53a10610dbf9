//! The words the agent says: empathy first, an honest reason without blame, a way forward,
//! thanks for loyalty, and an offer of further help, in Indonesian or English.
//!
//! Each locale writes its own sentences (`id`, `en`); this module decides *what* is said, the
//! same way for every language: which refusal reasons are worth explaining, in which order the
//! ways forward are offered, who a case is handed to and why.

mod en;
mod id;

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{AmountStyle, write_amount};
use crate::reason::ReasonKind;
use crate::situation::Situation;
use crate::{Alternative, Code, EscalationTarget, Locale, Reason, Verdict};

/// What the agent says to the customer, in one language.
///
/// Scripts are customer-facing: they never accuse, never name an internal code or flag, and
/// insert the customer's own text (their name, the order id) verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    locale: Locale,
    text: String,
}

impl Script {
    /// The script's language.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The words to say.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Writes the script for a verdict in the request's language.
pub(crate) fn render(verdict: &Verdict, situation: &Situation<'_>) -> Script {
    let locale = situation.request.locale;
    let mut text = String::with_capacity(640);
    let words = Words { verdict, situation };
    // Writing into a String cannot fail.
    let _ = match locale {
        Locale::Id => id::write(&mut text, &words),
        Locale::En => en::write(&mut text, &words),
    };
    Script { locale, text }
}

/// What a locale's writer may read: the verdict and the situation it came from.
pub(crate) struct Words<'a> {
    pub verdict: &'a Verdict,
    pub situation: &'a Situation<'a>,
}

/// Why a case is handed to someone else, as the customer is told it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handoff {
    /// A physical threat: the team responsible for safety takes over.
    Safety,
    /// A legal threat: the team that handles such matters follows up.
    Legal,
    /// A critical complaint (such as food safety): a supervisor handles it directly.
    Serious,
    /// The customer asked for someone senior.
    Requested,
    /// The resolution needs a supervisor's approval.
    Approval,
}

impl Words<'_> {
    /// The customer's name as they gave it, or `None` when it is blank.
    pub fn name(&self) -> Option<&str> {
        let name = self.situation.request.customer.name.as_str();
        (!name.trim().is_empty()).then_some(name)
    }

    /// The order id, as the customer would quote it.
    pub fn order_id(&self) -> &str {
        &self.situation.request.order.id
    }

    /// Whether a reason fired.
    pub fn has(&self, reason: Reason) -> bool {
        self.verdict.reasons().contains(reason)
    }

    /// Whether the customer's tier is thanked for its loyalty.
    pub fn thank_loyalty(&self) -> bool {
        self.situation.tier.thank_loyalty
    }

    /// Whether the conversation is heated (abusive language or a threat), so the empathy line
    /// acknowledges the frustration before anything else.
    pub fn heated(&self) -> bool {
        self.has(Reason::AbusiveLanguage) || self.situation.request.conduct.threat.is_some()
    }

    /// Writes an amount in the policy's currency the way this style reads it.
    pub fn amount(
        &self,
        out: &mut String,
        amount: Decimal,
        style: AmountStyle,
    ) -> std::fmt::Result {
        let policy = self.situation.policy;
        write_amount(out, amount, policy.currency(), policy.step().scale(), style)
    }

    /// Writes a date as `24 Desember 2026`, with the locale's month names (January first).
    pub fn date(
        &self,
        out: &mut String,
        at: DateTime<FixedOffset>,
        months: &[&str; 12],
    ) -> std::fmt::Result {
        let month = months
            .get(at.month0() as usize)
            .copied()
            .unwrap_or_default();
        write!(out, "{} {month} {}", at.day(), at.year())
    }

    /// The refusal reasons worth explaining, most relevant first: at most two, at most one of
    /// them about the limits from history (they say the same thing to the customer), and only
    /// the order's ownership when the order is not on this account (nothing about another
    /// account's order is told).
    pub fn refusals_to_explain(&self) -> impl Iterator<Item = Reason> {
        let mut first = None;
        let mut second = None;
        let mut limit_told = false;
        let refusals = self
            .verdict
            .reasons()
            .filter(|reason| reason.kind() == ReasonKind::Refusal);
        for reason in refusals.iter() {
            if reason == Reason::OrderCustomerMismatch {
                first = Some(reason);
                second = None;
                break;
            }
            let about_limits = is_history_limit(reason);
            if about_limits && limit_told {
                continue;
            }
            limit_told |= about_limits;
            if first.is_none() {
                first = Some(reason);
            } else if second.is_none() {
                second = Some(reason);
            }
        }
        [first, second].into_iter().flatten()
    }

    /// The verdict's ways forward, in the order they read best: what the customer can do
    /// first, then what we do for them.
    pub fn ways_forward(&self) -> impl Iterator<Item = Alternative> {
        let offered = self.verdict.alternatives();
        (0..Alternative::ALL.len()).flat_map(move |rank| {
            Alternative::ALL
                .iter()
                .copied()
                .filter(move |way| offered.contains(*way) && forward_rank(*way) == rank)
        })
    }

    /// Why the case is handed over, when it is escalated; the target decides, and a
    /// supervisor's reason is the most pressing one that fired.
    pub fn handoff(&self) -> Option<Handoff> {
        let handoff = match self.verdict.escalate_to()? {
            EscalationTarget::Security => Handoff::Safety,
            EscalationTarget::Legal => Handoff::Legal,
            EscalationTarget::Supervisor if self.has(Reason::CriticalComplaint) => Handoff::Serious,
            EscalationTarget::Supervisor if self.has(Reason::SupervisorRequested) => {
                Handoff::Requested
            }
            EscalationTarget::Supervisor => Handoff::Approval,
        };
        Some(handoff)
    }
}

/// Reasons that all come down to "the compensation for this period is used up".
fn is_history_limit(reason: Reason) -> bool {
    matches!(
        reason,
        Reason::VoucherLimitReached
            | Reason::VoucherValueLimitReached
            | Reason::MinorComplaintRecentVoucher
            | Reason::RepeatedMinorComplaints
    )
}

/// The place of a way forward in the script: what the customer can do, then what we arrange,
/// then what we do anyway.
fn forward_rank(way: Alternative) -> usize {
    match way {
        Alternative::SendPhoto => 0,
        Alternative::AccountCheck => 1,
        Alternative::Replacement => 2,
        Alternative::FeedbackForwarded => 3,
        Alternative::PrioritySupport => 4,
    }
}

/// Starts a new paragraph, unless nothing is written yet.
pub(crate) fn paragraph(out: &mut String) {
    if !out.is_empty() {
        out.push_str("\n\n");
    }
}

/// Starts a new sentence in the current paragraph, unless the paragraph is empty.
pub(crate) fn sentence(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push(' ');
    }
}
