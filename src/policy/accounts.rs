//! Rules for young accounts: a customer whose account is new gets fewer vouchers, or must back
//! every claim with evidence.

use crate::Window;

/// What the policy asks of an account younger than [`YoungAccounts::younger_than`], measured
/// from the customer's [`since`](crate::Customer::with_since) to `now`. A request that does not
/// say when the account was made is not treated as young.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct YoungAccounts {
    /// How young an account is young.
    pub younger_than: Window,
    /// How many vouchers a young account may get in all (`None`: no such limit).
    pub lifetime_vouchers: Option<u32>,
    /// Whether every claim of a young account needs evidence.
    pub evidence_required: bool,
}
