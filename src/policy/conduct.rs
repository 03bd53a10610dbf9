//! How the policy answers conduct that goes on after a warning, and how soon an escalated case
//! is followed up.

use crate::{EscalationTarget, Window};

/// How many boundary warnings a customer gets before abuse closes the conversation and personal
/// advances go to a supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConductRules {
    /// Warnings already given (`conduct.warnings_given` of a request) from which abusive
    /// language closes the conversation and personal advances escalate: 1 in the default policy.
    pub warnings_before_close: u32,
}

impl Default for ConductRules {
    fn default() -> Self {
        ConductRules {
            warnings_before_close: 1,
        }
    }
}

/// How soon each escalation target follows a case up; the script promises that time and the
/// decision carries it as `follow_up_by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FollowUpTimes {
    /// A supervisor: 24 hours in the default policy.
    pub supervisor: Window,
    /// The legal team: 72 hours.
    pub legal: Window,
    /// The security team: 4 hours.
    pub security: Window,
}

impl FollowUpTimes {
    /// How soon `target` follows a case up.
    pub fn of(&self, target: EscalationTarget) -> Window {
        match target {
            EscalationTarget::Supervisor => self.supervisor,
            EscalationTarget::Legal => self.legal,
            EscalationTarget::Security => self.security,
        }
    }
}

impl Default for FollowUpTimes {
    fn default() -> Self {
        let hours = |hours: i64| Window::hours(hours).unwrap_or(Window::DAY);
        FollowUpTimes {
            supervisor: hours(24),
            legal: hours(72),
            security: hours(4),
        }
    }
}
