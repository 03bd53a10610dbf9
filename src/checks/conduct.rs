//! Step 1, safety and conduct: threats, critical complaints, requests for someone senior and
//! customers on a list the policy hands to someone escalate; abusive language and personal advances are noted and answered in the script.

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
    if conduct.abusive_language {
        reasons.insert(Reason::AbusiveLanguage);
        flags.insert(Flag::ConductNoted);
    }
    if conduct.personal_advances {
        reasons.insert(Reason::PersonalAdvances);
        flags.insert(Flag::ConductNoted);
    }
    Marked { reasons, flags }
}
