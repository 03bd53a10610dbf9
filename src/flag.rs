//! Internal markers on a decision for the team, never shown to the customer.

use serde::{Deserialize, Serialize};

use crate::code_set::{CodeSet, codes};

/// A marker for the support team's records. Flags are internal: scripts never mention them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Flag {
    /// The customer's conduct (abusive language, personal advances) was noted, so the next agent
    /// is prepared.
    ConductNoted,
    /// The customer's pattern of complaints deserves a human look.
    ReviewCustomer,
    /// The customer kept using abusive language after a warning: the script closes the
    /// conversation, and the next agent should know.
    CloseConversation,
}

codes!(Flag, "flag" {
    ConductNoted => "conduct_noted",
    ReviewCustomer => "review_customer",
    CloseConversation => "close_conversation",
});

/// The flags on a decision.
pub type Flags = CodeSet<Flag>;
