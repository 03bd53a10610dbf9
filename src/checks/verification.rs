//! Step 2, verification: the order is the customer's, not compensated before, and the complaint
//! came inside the claim window.

use crate::situation::Situation;
use crate::{Reason, Reasons};

#[inline(always)]
pub(super) fn check(situation: &Situation<'_>) -> Reasons {
    let request = situation.request;
    let mut reasons = Reasons::new();
    if request.order.customer_id != request.customer.id {
        reasons.insert(Reason::OrderCustomerMismatch);
    }
    if situation.history.order_compensated {
        reasons.insert(Reason::OrderAlreadyCompensated);
    }
    if situation.claim_expired {
        reasons.insert(Reason::ClaimWindowExpired);
    }
    reasons
}
