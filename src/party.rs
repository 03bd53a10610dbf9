//! Who was at fault for what went wrong, and who bears the cost of putting it right.

use serde::{Deserialize, Serialize};

use crate::code_set::{CodeSet, codes};

/// A party that can be at fault for a complaint: the company's merchant partner, its courier,
/// the platform itself, the customer, or nobody known yet.
///
/// The complaint says who was at fault ([`Complaint::with_fault`](crate::Complaint::with_fault));
/// the policy says which parties' faults are compensated and who bears the cost of a voucher
/// for each (cost attribution for finance). A customer at fault is refused with its own reason.
///
/// ```
/// use voucher_policy::Party;
///
/// assert_eq!("courier".parse::<Party>()?, Party::Courier);
/// assert_eq!(Party::Merchant.to_string(), "merchant");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Party {
    /// The merchant or restaurant that prepared or sold the order.
    Merchant,
    /// The courier who delivered it.
    Courier,
    /// The platform itself: its app, its support, its own stock.
    Platform,
    /// The customer (an agreed term ignored, a wrong address given).
    Customer,
    /// Not established.
    Unknown,
}

codes!(Party, "party" {
    Merchant => "merchant",
    Courier => "courier",
    Platform => "platform",
    Customer => "customer",
    Unknown => "unknown",
});

/// A set of parties.
pub type Parties = CodeSet<Party>;
