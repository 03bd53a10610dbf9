//! What a script says, the same way for every language: empathy first, the conduct lines, an
//! honest reason (the voucher, the refusal, or the hand-off), a way forward, thanks for loyalty,
//! and an offer of further help.
//!
//! This module only chooses messages; the catalog words them.

use super::catalog::Speaker;
use super::message::MessageId;
use crate::reason::ReasonKind;
use crate::{Alternative, Code, EscalationTarget, Outcome, Reason, Request, Verdict};

/// Says the script for a verdict, message by message.
pub(crate) fn compose(
    verdict: &Verdict,
    request: &Request,
    thank_loyalty: bool,
    speaker: &mut Speaker<'_>,
) {
    let context = Context {
        verdict,
        request,
        thank_loyalty,
    };

    speaker.paragraph();
    speaker.say(if context.heated() {
        MessageId::EmpathyHeated
    } else {
        MessageId::EmpathyCalm
    });

    let abusive = context.has(Reason::AbusiveLanguage);
    let advances = context.has(Reason::PersonalAdvances);
    if abusive || advances {
        speaker.paragraph();
        if abusive {
            speaker.say(MessageId::AbusiveLanguage);
        }
        if advances {
            speaker.say(MessageId::PersonalAdvances);
        }
    }

    match verdict.outcome() {
        // A granted verdict always carries its voucher.
        Outcome::Granted if verdict.voucher().is_some() => {
            speaker.paragraph();
            speaker.say(MessageId::GrantVoucher);
            if context.has(Reason::ReducedToValueLimit) {
                speaker.say(MessageId::ReducedToValueLimit);
            } else if context.has(Reason::ReducedToPolicyAmount) {
                speaker.say(MessageId::ReducedToPolicyAmount);
            } else if context.has(Reason::RoundedToStep) {
                speaker.say(MessageId::RoundedToStep);
            }
        }
        Outcome::Granted => {}
        Outcome::Refused => {
            speaker.paragraph();
            speaker.say(MessageId::RefusalIntro);
            for reason in context.refusals_to_explain() {
                if let Some(message) = MessageId::refusal(reason) {
                    speaker.say(message);
                }
            }
            let mut ways = context.ways_forward().peekable();
            if ways.peek().is_some() {
                speaker.paragraph();
                speaker.say(MessageId::WayForwardIntro);
                for way in ways {
                    speaker.say(MessageId::way_forward(way));
                }
            }
        }
        // The hand-off is calm, and the recommendation is never promised.
        Outcome::Escalated => {
            speaker.paragraph();
            speaker.say(context.handoff());
            speaker.say(MessageId::HandoffWait);
        }
    }

    speaker.paragraph();
    if context.thank_loyalty() {
        speaker.say(MessageId::LoyaltyThanks);
    }
    speaker.say(MessageId::FurtherHelp);
}

/// The verdict and the request it answers, with the questions a script asks of them.
struct Context<'a> {
    verdict: &'a Verdict,
    request: &'a Request,
    /// Whether the customer's tier is thanked for their loyalty.
    thank_loyalty: bool,
}

impl Context<'_> {
    /// Whether a reason fired.
    fn has(&self, reason: Reason) -> bool {
        self.verdict.reasons().contains(reason)
    }

    /// Whether the customer's tier is thanked for its loyalty.
    fn thank_loyalty(&self) -> bool {
        self.thank_loyalty
    }

    /// Whether the conversation is heated (abusive language or a threat), so the empathy line
    /// acknowledges the frustration before anything else.
    fn heated(&self) -> bool {
        self.has(Reason::AbusiveLanguage) || self.request.conduct.threat.is_some()
    }

    /// The refusal reasons worth explaining, most relevant first: at most two, at most one of
    /// them about the limits from history (they say the same thing to the customer), and only
    /// the order's ownership when the order is not on this account (nothing about another
    /// account's order is told).
    fn refusals_to_explain(&self) -> impl Iterator<Item = Reason> {
        let mut first = None;
        let mut second = None;
        let mut limit_told = false;
        let refusals = self
            .verdict
            .reasons()
            .intersection(const { ReasonKind::Refusal.reasons() });
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
    fn ways_forward(&self) -> impl Iterator<Item = Alternative> {
        let offered = self.verdict.alternatives();
        (0..Alternative::ALL.len()).flat_map(move |rank| {
            Alternative::ALL
                .iter()
                .copied()
                .filter(move |way| offered.contains(*way) && forward_rank(*way) == rank)
        })
    }

    /// Why the case is handed over: the target decides, and a supervisor's reason is the most
    /// pressing one that fired.
    fn handoff(&self) -> MessageId {
        // A customer's list is never told: the case is handed to someone who looks at it
        // personally, whoever the list names.
        let mut others = self
            .verdict
            .reasons()
            .intersection(const { ReasonKind::Escalation.reasons() });
        others.remove(Reason::CustomerListed);
        if self.has(Reason::CustomerListed) && others.is_empty() {
            return MessageId::HandoffListed;
        }
        match self.verdict.escalate_to() {
            Some(EscalationTarget::Security) => MessageId::HandoffSafety,
            Some(EscalationTarget::Legal) => MessageId::HandoffLegal,
            Some(EscalationTarget::Supervisor) if self.has(Reason::CriticalComplaint) => {
                MessageId::HandoffSerious
            }
            Some(EscalationTarget::Supervisor) if self.has(Reason::SupervisorRequested) => {
                MessageId::HandoffRequested
            }
            Some(EscalationTarget::Supervisor) | None => MessageId::HandoffApproval,
        }
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
