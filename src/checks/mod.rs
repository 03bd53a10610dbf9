//! The checks of the decision pipeline. Every check runs on every request; each reads the
//! [`Situation`] and reports the reasons it fired, and none reads another's result.

mod amount;
mod conduct;
mod limits;
mod validity;
mod verification;

pub(crate) use amount::Amounts;

use crate::situation::Situation;
use crate::{Flags, Reason, Reasons};

/// What the checks found.
pub(crate) struct Findings {
    /// Every reason that fired, of every kind.
    pub reasons: Reasons,
    /// The refusals that fired but that a list of the customer's waives.
    pub waived: Reasons,
    pub flags: Flags,
    pub amounts: Amounts,
}

/// Runs the pipeline of the design, in its order: conduct, verification, validity, limits,
/// amount.
// Inlined into its one caller, so the findings are built where they are used.
#[inline(always)]
pub(crate) fn run(situation: &Situation<'_>) -> Findings {
    let mut reasons = Reasons::new();
    let mut flags = Flags::new();
    let conduct = conduct::check(situation);
    reasons = reasons.union(conduct.reasons);
    flags = flags.union(conduct.flags);
    reasons = reasons.union(verification::check(situation));
    reasons = reasons.union(validity::check(situation));
    let limits = limits::check(situation);
    // A customer's list may lift some limits (a service-recovery list, the minor cool-down).
    let waived = limits.reasons.intersection(situation.waived);
    reasons = reasons.union(limits.reasons.difference(waived));
    if !waived.contains(Reason::RepeatedMinorComplaints) {
        flags = flags.union(limits.flags);
    }
    let amounts = amount::check(situation);
    reasons = reasons.union(amounts.reasons);
    Findings {
        reasons,
        waived,
        flags,
        amounts,
    }
}

/// Reasons with the flags they raise.
struct Marked {
    reasons: Reasons,
    flags: Flags,
}
