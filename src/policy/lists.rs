//! Lists of customers the caller keeps (a review list, a service-recovery list), and what the
//! policy does for a customer on each.

use crate::{EscalationTarget, Reasons};

/// A list of customers the caller keeps, and what being on it does: every request of a
/// customer on a review list escalates; a service-recovery list (a customer the company
/// wronged badly) waives the minor cool-down. A request says which lists its customer is on
/// ([`Customer::with_list`](crate::Customer::with_list)); the caller looks them up.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CustomerList {
    /// The list's name, as requests give it (`review`).
    pub name: String,
    /// Who every request of a listed customer is handed to, if anyone.
    pub escalate_to: Option<EscalationTarget>,
    /// The refusals that do not apply to a listed customer (`minor_complaint_recent_voucher`,
    /// `repeated_minor_complaints`).
    pub waives: Reasons,
}
