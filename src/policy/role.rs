//! Who decides and who approves: each role's authority per voucher and budget per day.

use rust_decimal::Decimal;

/// A role that decides or approves compensation: the most one voucher of theirs may be, the most
/// one person in the role may grant in a day, and whether the role approves escalated cases.
///
/// Every policy has the role `agent` (its authority is the policy's `agent_authority`), the role
/// a request is decided in when it names none.
///
/// ```
/// use voucher_policy::Policy;
///
/// let policy = Policy::default();
/// let supervisor = policy.role("supervisor").ok_or("no supervisor")?;
/// assert_eq!(supervisor.authority, 300_000.into());
/// assert_eq!(supervisor.daily_budget, Some(5_000_000.into()));
/// assert!(supervisor.approves);
/// assert!(!policy.role("agent").ok_or("no agent")?.approves);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Role {
    /// The role's name, as requests and API keys give it (`agent`, `supervisor`).
    pub name: String,
    /// The largest voucher someone in this role may grant; above it, the case escalates.
    pub authority: Decimal,
    /// The most one person in this role may grant in a day; `None` for no daily limit.
    pub daily_budget: Option<Decimal>,
    /// Whether someone in this role may approve an escalated case (or override a refusal).
    pub approves: bool,
}

impl Role {
    /// The name of the role every policy has and every request names by default.
    pub const AGENT: &'static str = "agent";
}
