//! Whose faults the policy compensates, and who bears the cost of each voucher.

use crate::{Parties, Party};

/// The policy's rules on fault: which parties' faults are compensated (a customer at fault
/// never is), and who bears the cost of a voucher for each party's fault.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FaultRules {
    /// The parties whose faults are compensated.
    pub compensated: Parties,
    /// Who bears the cost of a voucher for each party's fault, in the order of [`Party`].
    pub cost_borne_by: Vec<(Party, Party)>,
}

impl FaultRules {
    /// Who bears the cost of a voucher for `fault`: as the policy says, else the party at fault
    /// (the platform for an unknown one).
    pub fn cost_bearer(&self, fault: Party) -> Party {
        self.cost_borne_by
            .iter()
            .find(|(party, _)| *party == fault)
            .map(|(_, bearer)| *bearer)
            .unwrap_or(match fault {
                Party::Unknown | Party::Customer => Party::Platform,
                party => party,
            })
    }
}

impl Default for FaultRules {
    /// Every party's fault but the customer's is compensated; a merchant's, a courier's and
    /// the platform's own cost is theirs, an unknown fault's the platform's.
    fn default() -> Self {
        FaultRules {
            compensated: [
                Party::Merchant,
                Party::Courier,
                Party::Platform,
                Party::Unknown,
            ]
            .into_iter()
            .collect(),
            cost_borne_by: vec![
                (Party::Merchant, Party::Merchant),
                (Party::Courier, Party::Courier),
                (Party::Platform, Party::Platform),
                (Party::Unknown, Party::Platform),
            ],
        }
    }
}
