//! Step 3, validity: the fault is one the policy compensates (the company's, or a party's it
//! answers for), and the complaint is backed by evidence where the policy needs it, in time.

use crate::policy::EvidenceRule;
use crate::situation::Situation;
use crate::{Evidence, Party, Reason, Reasons, Severity};

#[inline(always)]
pub(super) fn check(situation: &Situation<'_>) -> Reasons {
    let complaint = &situation.request.complaint;
    let policy = situation.policy;
    let mut reasons = Reasons::new();
    match complaint.fault {
        // The customer's own fault has its own reason: the script does not apologise for it.
        Some(Party::Customer) => reasons.insert(Reason::CustomerAtFault),
        Some(party) if !policy.fault().compensated.contains(party) => {
            reasons.insert(Reason::NotCompanyFault)
        }
        _ if complaint.company_at_fault == Some(false) => reasons.insert(Reason::NotCompanyFault),
        _ => {}
    }
    let needed = match situation.category.map(|category| category.evidence) {
        Some(EvidenceRule::Required) => true,
        Some(EvidenceRule::NotRequired) => false,
        _ => situation.severity == Severity::Major,
    } || (situation.young
        && policy
            .young_accounts()
            .is_some_and(|young| young.evidence_required));
    if needed {
        if complaint.evidence == Evidence::None {
            reasons.insert(Reason::EvidenceRequired);
        } else if situation
            .evidence_timing
            .is_some_and(|timing| timing.late())
        {
            reasons.insert(Reason::EvidenceTooLate);
        }
    }
    reasons
}
