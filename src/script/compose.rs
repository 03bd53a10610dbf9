//! What a script says, the same way for every language: empathy first (naming the problem, the
//! only apology), the conduct lines, an honest reason (the voucher, the refusal, or the
//! hand-off), a way forward that fits the reason, thanks for loyalty, and an offer of further
//! help; on a public channel, only an acknowledgement and an invitation to write in private.
//!
//! This module only chooses messages; the catalog words them.

use super::catalog::Speaker;
use super::message::MessageId;
use crate::reason::ReasonKind;
use crate::{
    Alternative, Alternatives, Channel, ClaimStart, Code, EscalationTarget, Flag, Outcome, Policy,
    Reason, Reasons, Request, Verdict,
};

/// Says the script for a verdict, message by message.
pub(crate) fn compose(
    verdict: &Verdict,
    request: &Request,
    policy: &Policy,
    thank_loyalty: bool,
    speaker: &mut Speaker<'_>,
) {
    let context = Context {
        verdict,
        request,
        policy,
    };
    let channel = request.channel();
    // A post anyone can read names nothing private: acknowledge, and ask to write in private.
    if channel == Channel::Public {
        speaker.say(MessageId::PublicReply);
        return;
    }

    speaker.paragraph();
    speaker.say(context.empathy());

    // Conduct is answered before the decision; a conversation closed for abuse ends after it.
    let conduct = [
        (Reason::AbusiveLanguage, MessageId::AbusiveLanguage),
        (Reason::PersonalAdvances, MessageId::PersonalAdvances),
        (
            Reason::PersistentPersonalAdvances,
            MessageId::PersonalAdvances,
        ),
        (
            Reason::PersonalInformationRequested,
            MessageId::PersonalInformationRequested,
        ),
        (Reason::GiftOffered, MessageId::GiftOffered),
    ];
    // The two most pressing, at most: a third would bury the answer.
    let mut lines: Vec<MessageId> = conduct
        .iter()
        .filter(|(reason, _)| context.has(*reason))
        .map(|(_, message)| *message)
        .collect();
    lines.truncate(2);
    let spoke_to_conduct = !lines.is_empty();
    if spoke_to_conduct {
        speaker.paragraph();
        for line in lines {
            speaker.say(line);
        }
    }

    match verdict.outcome() {
        // A granted verdict always carries its voucher.
        Outcome::Granted if verdict.voucher().is_some() => {
            speaker.paragraph();
            speaker.say(MessageId::GrantVoucher);
            // Why it is less than it could have been, in one sentence.
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
            let final_refusal = context.final_refusal();
            speaker.say(if final_refusal {
                MessageId::RefusalFinal
            } else {
                MessageId::RefusalForNow
            });
            // Beside conduct lines, the one most relevant reason is enough.
            let explained = context.refusals_to_explain(if spoke_to_conduct { 1 } else { 2 });
            for reason in explained.iter() {
                speaker.say(context.refusal_message(reason));
            }
            // "Not yet" says until when.
            let limits = explained.intersection(HISTORY_LIMITS);
            let dated =
                !final_refusal && !limits.is_empty() && verdict.next_eligible_at().is_some();
            if dated {
                speaker.say(MessageId::EligibleAgain);
            }
            // A date already says what comes next, and conduct lines make a script long: one
            // way forward is enough beside either, and none beside both.
            let mut ways = context.ways_forward(explained);
            ways.truncate(match (dated, spoke_to_conduct) {
                (true, true) => 0,
                (true, false) | (false, true) => 1,
                (false, false) => 2,
            });
            if !ways.is_empty() {
                speaker.paragraph();
                // Beside conduct lines the script is long enough: the offer speaks for itself.
                if !spoke_to_conduct {
                    speaker.say(MessageId::WayForwardIntro);
                }
                for way in ways {
                    speaker.say(MessageId::way_forward(way));
                }
            }
        }
        // The hand-off is calm, says when they will hear back, and never promises the voucher.
        Outcome::Escalated => {
            speaker.paragraph();
            speaker.say(context.handoff());
            if context.has(Reason::CriticalComplaint) {
                speaker.say(MessageId::HandoffKeepEvidence);
            }
            if verdict.follow_up_by().is_some() {
                speaker.say(MessageId::HandoffWait);
            }
        }
    }

    speaker.paragraph();
    if verdict.flags().contains(Flag::CloseConversation) {
        speaker.say(MessageId::ConversationClosed);
    } else {
        // No cheerful thanks after a threat, beside a serious complaint, or once the
        // conversation needed a boundary.
        let sombre = request.conduct.threat.is_some()
            || [
                Reason::CriticalComplaint,
                Reason::AbusiveLanguage,
                Reason::PersonalAdvances,
                Reason::PersistentPersonalAdvances,
            ]
            .into_iter()
            .any(|reason| context.has(reason));
        if thank_loyalty && !sombre {
            speaker.say(MessageId::LoyaltyThanks);
        }
        speaker.say(MessageId::FurtherHelp);
    }
    if channel == Channel::Email {
        speaker.paragraph();
        speaker.say(MessageId::EmailSignOff);
    }
}

/// The refusals from the history that time lifts: their refusal is "not yet", with a date.
const HISTORY_LIMITS: Reasons = crate::code_set::CodeSet::from_bits(
    Reason::VoucherLimitReached.bit()
        | Reason::VoucherValueLimitReached.bit()
        | Reason::MinorComplaintRecentVoucher.bit()
        | Reason::RepeatedMinorComplaints.bit()
        | Reason::YoungAccountLimitReached.bit(),
);

/// The verdict and the request it answers, with the questions a script asks of them.
struct Context<'a> {
    verdict: &'a Verdict,
    request: &'a Request,
    policy: &'a Policy,
}

impl Context<'_> {
    /// Whether a reason fired.
    fn has(&self, reason: Reason) -> bool {
        self.verdict.reasons().contains(reason)
    }

    /// Every refusal reason that fired.
    fn refusals(&self) -> Reasons {
        self.verdict
            .reasons()
            .intersection(const { ReasonKind::Refusal.reasons() })
    }

    /// The empathy line: after a threat, calm and without taking it up; for a critical
    /// complaint, the customer's wellbeing first; for an upset customer, their frustration;
    /// else the problem, named.
    fn empathy(&self) -> MessageId {
        if self.has(Reason::CriticalComplaint) {
            MessageId::EmpathyWellbeing
        } else if self.request.conduct.threat.is_some() {
            MessageId::EmpathyThreat
        } else if self.has(Reason::AbusiveLanguage) || self.has(Reason::RepeatedAbusiveLanguage) {
            MessageId::EmpathyHeated
        } else {
            MessageId::EmpathyCalm
        }
    }

    /// Whether nothing later changes the refusal: a refusal is "not yet" only when every
    /// refusal reason lifts with time (with a date to give) or with a photo.
    fn final_refusal(&self) -> bool {
        let dated = self.verdict.next_eligible_at().is_some();
        !self.refusals().iter().all(|reason| {
            reason == Reason::EvidenceRequired || (dated && HISTORY_LIMITS.contains(reason))
        })
    }

    /// The refusal reasons worth explaining, most relevant first: at most `most`, at most one
    /// of them about the limits from history (they say the same thing to the customer), and only
    /// the order's ownership when the order is not on this account (nothing about another
    /// account's order is told).
    fn refusals_to_explain(&self, most: usize) -> Reasons {
        let mut explained = Reasons::new();
        let mut limit_told = false;
        for reason in self.refusals().iter() {
            if reason == Reason::OrderCustomerMismatch {
                let mut only = Reasons::new();
                only.insert(reason);
                return only;
            }
            let about_limits = HISTORY_LIMITS.contains(reason);
            if (about_limits && limit_told) || explained.len() >= most {
                continue;
            }
            limit_told |= about_limits;
            explained.insert(reason);
        }
        explained
    }

    /// The message that explains a refusal reason.
    fn refusal_message(&self, reason: Reason) -> MessageId {
        match reason {
            Reason::ClaimWindowExpired
                if self.verdict.facts().claim_measured_from == ClaimStart::Placement =>
            {
                MessageId::ClaimWindowExpiredPlaced
            }
            reason => MessageId::refusal(reason).unwrap_or(MessageId::RefusalFinal),
        }
    }

    /// The ways forward of the reasons the script explains, that the decision carries and that
    /// fit: a photo only when a photo can change the answer, no priority promised to a customer
    /// the decision marks for review, no feedback about what the customer did or about an
    /// order of another account. At most two, in the order they read best.
    fn ways_forward(&self, explained: Reasons) -> Vec<Alternative> {
        let carried = self.verdict.alternatives();
        let refusals = self.refusals();
        // The limits from history are told in one sentence, which speaks for all of them.
        let told = if explained.intersection(HISTORY_LIMITS).is_empty() {
            explained
        } else {
            explained.union(refusals.intersection(HISTORY_LIMITS))
        };
        let offered = told
            .iter()
            .map(|reason| self.policy.alternatives_for(reason))
            .fold(Alternatives::new(), Alternatives::union);
        let fits = |way: Alternative| match way {
            Alternative::SendPhoto => refusals
                .iter()
                .all(|reason| reason == Reason::EvidenceRequired),
            Alternative::PrioritySupport => !self.verdict.flags().contains(Flag::ReviewCustomer),
            Alternative::FeedbackForwarded => {
                !refusals.contains(Reason::CustomerAtFault)
                    && !refusals.contains(Reason::OrderCustomerMismatch)
            }
            _ => true,
        };
        let mut ways: Vec<Alternative> = Alternative::ALL
            .iter()
            .copied()
            .filter(|way| carried.contains(*way) && offered.contains(*way) && fits(*way))
            .collect();
        ways.sort_by_key(|way| forward_rank(*way));
        ways.truncate(2);
        ways
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
            Some(EscalationTarget::Supervisor) if self.has(Reason::PersistentPersonalAdvances) => {
                MessageId::HandoffPersistentAdvances
            }
            Some(EscalationTarget::Supervisor) | None => MessageId::HandoffApproval,
        }
    }
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
