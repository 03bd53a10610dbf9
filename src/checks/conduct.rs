//! Step 1, safety and conduct: threats, critical complaints, requests for someone senior,
//! customers on a list the policy hands to someone and personal advances past a warning
//! escalate; abusive language, personal advances, gifts and requests for personal details are
//! noted and answered in the script.

use super::Marked;
use crate::situation::Situation;
use crate::{Flag, Flags, Reason, Reasons, Severity, Threat};

#[inline(always)]
pub(super) fn check(situation: &Situation<'_>) -> Marked {
    let conduct = &situation.request.conduct;
    let mut reasons = Reasons::new();
    let mut flags = Flags::new();
    match conduct.threat {
        Some(Threat::Physical) => reasons.insert(Reason::PhysicalThreat),
        Some(Threat::Legal) => reasons.insert(Reason::LegalThreat),
        None => {}
    }
    if situation.severity == Severity::Critical {
        reasons.insert(Reason::CriticalComplaint);
    }
    if conduct.insists_on_supervisor {
        reasons.insert(Reason::SupervisorRequested);
    }
    if situation.listed_to.is_some() {
        reasons.insert(Reason::CustomerListed);
    }
    // Past the policy's warnings, abuse closes the conversation and advances go to a
    // supervisor; before them, the script sets the boundary.
    let warned = conduct.warnings_given >= situation.policy.conduct().warnings_before_close;
    if conduct.abusive_language {
        if warned {
            reasons.insert(Reason::RepeatedAbusiveLanguage);
            flags.insert(Flag::CloseConversation);
        } else {
            reasons.insert(Reason::AbusiveLanguage);
        }
        flags.insert(Flag::ConductNoted);
    }
    if conduct.personal_advances {
        reasons.insert(if warned {
            Reason::PersistentPersonalAdvances
        } else {
            Reason::PersonalAdvances
        });
        flags.insert(Flag::ConductNoted);
    }
    if conduct.offers_gift {
        reasons.insert(Reason::GiftOffered);
    }
    if conduct.asks_personal_info {
        reasons.insert(Reason::PersonalInformationRequested);
    }
    Marked { reasons, flags }
}
