//! The ways forward a refusal offers instead of money.

use serde::{Deserialize, Serialize};

use crate::code_set::{CodeSet, codes};

/// A non-money way forward that a refusal offers, so the customer is never left with a bare "no".
///
/// Which ones a refusal offers is policy: each refusal reason lists its alternatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Alternative {
    /// Faster handling of this and the next contact.
    PrioritySupport,
    /// A replacement of the item instead of a voucher.
    Replacement,
    /// The customer sends a photo, and the complaint is looked at again.
    SendPhoto,
    /// The customer checks which account placed the order, and that account asks.
    AccountCheck,
    /// The feedback goes to the team or partner who can fix the cause.
    FeedbackForwarded,
}

codes!(Alternative, "alternative" {
    PrioritySupport => "priority_support",
    Replacement => "replacement",
    SendPhoto => "send_photo",
    AccountCheck => "account_check",
    FeedbackForwarded => "feedback_forwarded",
});

/// The alternatives a refusal offers.
pub type Alternatives = CodeSet<Alternative>;
