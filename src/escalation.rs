//! Who takes over a case the agent should not decide alone.

use std::fmt;

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
    /// The wire name: `security`, `legal` or `supervisor`.
    pub fn as_str(&self) -> &'static str {
        match self {
            EscalationTarget::Security => "security",
            EscalationTarget::Legal => "legal",
            EscalationTarget::Supervisor => "supervisor",
        }
    }

    /// The more serious of two targets (security before legal before supervisor).
    pub fn most_serious(self, other: EscalationTarget) -> EscalationTarget {
        self.min(other)
    }
}

impl fmt::Display for EscalationTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
