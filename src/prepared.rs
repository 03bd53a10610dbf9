//! What an engine works out from its policy once, so that no decision works it out again.

use crate::Policy;
use crate::checks::PolicyUnits;
use crate::situation::PolicyWindows;

/// The parts of a policy every decision would otherwise derive on its own: its amounts in
/// integers and its rolling windows as the history pass uses them. Built by the engine from
/// the policy it holds, which never changes after, so the two always agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prepared {
    /// The policy's amounts in integers, when they fit.
    pub amount_units: Option<PolicyUnits>,
    /// The policy's windows, their distinct lengths and the voucher validity.
    pub windows: PolicyWindows,
}

impl Prepared {
    /// What `policy`'s decisions need worked out in advance.
    pub fn of(policy: &Policy) -> Self {
        Prepared {
            amount_units: PolicyUnits::of(policy),
            windows: PolicyWindows::of(policy),
        }
    }
}
