//! How bad a complaint is.

use serde::{Deserialize, Serialize};

/// How bad a complaint is, from a lukewarm meal to a danger to health.
///
/// A complaint's severity comes from its category in the policy unless the agent sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// An annoyance: food not hot, a slow website, tired packaging.
    Minor,
    /// A real failure of service: late delivery, a missing item, a rude courier.
    Moderate,
    /// The order failed: wrong or damaged item, never received.
    Major,
    /// A danger to health or safety, such as food safety; always escalated.
    Critical,
}

impl Severity {
    /// Every severity, mildest first.
    pub const ALL: [Severity; 4] = [
        Severity::Minor,
        Severity::Moderate,
        Severity::Major,
        Severity::Critical,
    ];
}

crate::wire_name::wire_names!(Severity, "severity" {
    Minor => "minor",
    Moderate => "moderate",
    Major => "major",
    Critical => "critical",
});
