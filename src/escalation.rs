//! Who takes over a case the agent should not decide alone.

use serde::{Deserialize, Serialize};

/// Who an escalated case goes to, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EscalationTarget {
    /// The security team: a physical threat.
    Security,
    /// The legal team: a legal threat.
    Legal,
    /// A supervisor: critical complaints, requests for someone senior, amounts above the agent's
    /// authority.
    Supervisor,
}

impl EscalationTarget {
    /// The more serious of two targets (security before legal before supervisor).
    pub fn most_serious(self, other: EscalationTarget) -> EscalationTarget {
        self.min(other)
    }
}

crate::wire_name::wire_names!(EscalationTarget, "escalation target" {
    Security => "security",
    Legal => "legal",
    Supervisor => "supervisor",
});
