//! Step 3, validity: the company was at fault (or it is not known that it was not), and a major
//! complaint is backed by a photo or a verification.

use crate::situation::Situation;
use crate::{Evidence, Reason, Reasons, Severity};

#[inline(always)]
pub(super) fn check(situation: &Situation<'_>) -> Reasons {
    let complaint = &situation.request.complaint;
    let mut reasons = Reasons::new();
    if complaint.company_at_fault == Some(false) {
        reasons.insert(Reason::NotCompanyFault);
    }
    if situation.severity == Severity::Major && complaint.evidence == Evidence::None {
        reasons.insert(Reason::EvidenceRequired);
    }
    reasons
}
