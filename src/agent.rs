//! Who decides: an agent in one of the policy's roles, with what they granted today.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::wire_text::amount;
use crate::{AgentId, Role, RoleName};

/// The person deciding a request (or approving one): their id, their role in the policy and the
/// value they already granted today, which the role's daily budget is measured against.
///
/// A request that names no agent is decided in the role `agent` with nothing granted today.
///
/// ```
/// use voucher_policy::{Agent, AgentId, RoleName};
///
/// let agent = Agent::new(AgentId::new("A-17")).with_granted_today(950_000);
/// assert_eq!(agent.role().as_str(), "agent");
/// let supervisor = Agent::new(AgentId::new("S-2")).with_role(RoleName::new("supervisor"));
/// assert_eq!(supervisor.granted_today(), 0.into());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    pub(crate) id: AgentId,
    #[serde(default = "agent_role")]
    pub(crate) role: RoleName,
    #[serde(
        default,
        deserialize_with = "amount::read",
        serialize_with = "rust_decimal::serde::str::serialize"
    )]
    pub(crate) granted_today: Decimal,
}

fn agent_role() -> RoleName {
    RoleName::new(Role::AGENT)
}

impl Agent {
    /// The agent `id`, in the role `agent`, with nothing granted today.
    pub fn new(id: AgentId) -> Self {
        Agent {
            id,
            role: agent_role(),
            granted_today: Decimal::ZERO,
        }
    }

    /// In `role`, one of the policy's roles.
    pub fn with_role(mut self, role: RoleName) -> Self {
        self.role = role;
        self
    }

    /// Having granted `value` today, in the policy's currency.
    pub fn with_granted_today(mut self, value: impl Into<Decimal>) -> Self {
        self.granted_today = value.into();
        self
    }

    /// The agent's id.
    pub fn id(&self) -> &AgentId {
        &self.id
    }

    /// The agent's role.
    pub fn role(&self) -> &RoleName {
        &self.role
    }

    /// What the agent already granted today.
    pub fn granted_today(&self) -> Decimal {
        self.granted_today
    }
}
