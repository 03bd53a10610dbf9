//! The compensation policy: every threshold a decision is measured against.

mod accounts;
mod builder;
mod category;
mod conduct;
mod default;
mod extends;
mod fault;
mod file;
mod fingerprint;
mod lint;
mod lists;
mod load;
mod markets_file;
mod prepared;
mod role;
mod tier;
mod validate;

use std::sync::Arc;

use chrono::FixedOffset;
use rust_decimal::Decimal;

pub use accounts::YoungAccounts;
pub use builder::{CategoryBuilder, PolicyBuilder, TierBuilder};
pub use category::{Category, EvidenceRule};
pub use conduct::{ConductRules, FollowUpTimes};
pub use fault::FaultRules;
pub use fingerprint::Fingerprint;
pub use lint::PolicyWarning;
pub use lists::CustomerList;
pub(crate) use prepared::{CategoryMoney, Prepared, TierMoney, WINDOWS};
pub use role::Role;
pub use tier::{Tier, TierLimit};

/// The most count limits (and the most value limits) a tier may have, its first included.
pub(crate) const MAX_LIMITS: usize = 4;

use crate::{Alternatives, Currency, Locale, Reason, Severity, Window};

/// A compensation policy: the currency, the loyalty tiers and their limits, the severity rates,
/// the complaint categories, the windows, and the ways forward each refusal offers.
///
/// A policy is validated once, when it is loaded ([`Policy::load`], [`Policy::from_toml_str`],
/// [`Policy::from_json_str`]), and then reused for any number of decisions; [`Policy::lint`]
/// warns about a valid policy that is probably wrong. [`Policy::default`] is the embedded default
/// policy of the crate's design (IDR, five tiers), the same as `examples/policies/default.toml`.
///
/// ```
/// use voucher_policy::{Policy, Severity};
///
/// let policy = Policy::default();
/// assert_eq!(policy.currency().as_str(), "IDR");
/// let gold = policy.tier("gold").ok_or("no gold tier")?;
/// assert_eq!(gold.voucher_limit, 3);
/// assert_eq!(policy.category_severity("food_not_hot"), Some(Severity::Minor));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub(crate) id: PolicyId,
    pub(crate) currency: Currency,
    pub(crate) step: Decimal,
    pub(crate) local_offset: FixedOffset,
    pub(crate) minimum_voucher: Decimal,
    pub(crate) maximum_voucher: Decimal,
    pub(crate) agent_authority: Decimal,
    pub(crate) voucher_validity: Window,
    pub(crate) claim_window: Window,
    pub(crate) count_window: Window,
    pub(crate) value_window: Window,
    pub(crate) minor_cooldown: Window,
    pub(crate) repeated_minor: RepeatedMinorRule,
    pub(crate) tiers: Vec<Tier>,
    pub(crate) severity_rates: SeverityRates,
    pub(crate) categories: Vec<Category>,
    pub(crate) alternatives: Vec<(Reason, Alternatives)>,
    pub(crate) maximum_share: SeverityShares,
    pub(crate) young_accounts: Option<YoungAccounts>,
    pub(crate) fault: FaultRules,
    pub(crate) lists: Vec<CustomerList>,
    pub(crate) locale: Locale,
    pub(crate) conduct: ConductRules,
    pub(crate) follow_up: FollowUpTimes,
    /// `agent` first.
    pub(crate) roles: Vec<Role>,
}

/// The share of the order total a voucher is worth, for each severity (from 0 to 1).
///
/// Critical complaints are always escalated to a supervisor; their rate is what the policy
/// recommends on the merits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeverityRates {
    /// The rate for minor complaints.
    pub minor: Decimal,
    /// The rate for moderate complaints.
    pub moderate: Decimal,
    /// The rate for major complaints.
    pub major: Decimal,
    /// The rate recommended for critical complaints.
    pub critical: Decimal,
}

impl SeverityRates {
    /// The rate for one severity.
    pub fn rate(&self, severity: Severity) -> Decimal {
        match severity {
            Severity::Minor => self.minor,
            Severity::Moderate => self.moderate,
            Severity::Major => self.major,
            Severity::Critical => self.critical,
        }
    }
}

/// The largest voucher as a share of the order total, for each severity: `None` is the whole
/// order total (a voucher is never worth more than the order, unless a share above 1 says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SeverityShares {
    /// The share for minor complaints.
    pub minor: Option<Decimal>,
    /// The share for moderate complaints.
    pub moderate: Option<Decimal>,
    /// The share for major complaints.
    pub major: Option<Decimal>,
    /// The share for critical complaints.
    pub critical: Option<Decimal>,
}

impl SeverityShares {
    /// The share for one severity.
    pub fn share(&self, severity: Severity) -> Option<Decimal> {
        match severity {
            Severity::Minor => self.minor,
            Severity::Moderate => self.moderate,
            Severity::Major => self.major,
            Severity::Critical => self.critical,
        }
    }
}

/// The pattern of repeated minor complaints that refuses another minor voucher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RepeatedMinorRule {
    /// How many minor-complaint vouchers inside the window make the pattern.
    pub threshold: u32,
    /// The rolling window they are counted in.
    pub window: Window,
}

impl Policy {
    /// The policy's name, reported so an audit log can tell which policy decided.
    pub fn name(&self) -> &str {
        self.id.name()
    }

    /// The roles that decide and approve, `agent` first.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// The role of this name, if the policy has it.
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|role| role.name == name)
    }

    /// The policy's name and version, shared cheaply with every decision it makes.
    pub fn id(&self) -> PolicyId {
        self.id.clone()
    }

    /// The policy's version.
    pub fn version(&self) -> &str {
        self.id.version()
    }

    /// The currency every amount must be in.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The smallest unit a voucher is rounded down to (1,000 for IDR in the default policy).
    pub fn step(&self) -> Decimal {
        self.step
    }

    /// How many decimal places the amounts of a request and its history may have: the
    /// currency's minor unit in ISO 4217 (2 for IDR and USD, 0 for JPY), or 4 for a currency
    /// the list gives none for.
    pub(crate) fn request_places(&self) -> u32 {
        self.currency
            .minor_units()
            .unwrap_or(crate::money::MAX_PLACES)
    }

    /// The UTC offset the company's customers read dates in; voucher expiry is given in it.
    pub fn local_offset(&self) -> FixedOffset {
        self.local_offset
    }

    /// The smallest voucher the policy grants on its own computation.
    pub fn minimum_voucher(&self) -> Decimal {
        self.minimum_voucher
    }

    /// The largest voucher the policy grants.
    pub fn maximum_voucher(&self) -> Decimal {
        self.maximum_voucher
    }

    /// The most an agent may grant without a supervisor.
    pub fn agent_authority(&self) -> Decimal {
        self.agent_authority
    }

    /// How long a granted voucher stays valid.
    pub fn voucher_validity(&self) -> Window {
        self.voucher_validity
    }

    /// How long after delivery (or placement) a complaint may still be compensated.
    pub fn claim_window(&self) -> Window {
        self.claim_window
    }

    /// The rolling window the per-tier voucher count is measured over.
    pub fn count_window(&self) -> Window {
        self.count_window
    }

    /// The rolling window the per-tier voucher value is measured over.
    pub fn value_window(&self) -> Window {
        self.value_window
    }

    /// After any voucher, how long a minor complaint gets no other.
    pub fn minor_cooldown(&self) -> Window {
        self.minor_cooldown
    }

    /// The repeated-minor-complaints pattern.
    pub fn repeated_minor(&self) -> RepeatedMinorRule {
        self.repeated_minor
    }

    /// The loyalty tiers, in the policy's order.
    pub fn tiers(&self) -> &[Tier] {
        &self.tiers
    }

    /// The tier with this name.
    pub fn tier(&self, name: &str) -> Option<&Tier> {
        self.find_tier(name).map(|(_, tier)| tier)
    }

    /// The tier with this name and its position in [`Policy::tiers`].
    #[inline]
    pub(crate) fn find_tier(&self, name: &str) -> Option<(usize, &Tier)> {
        self.tiers
            .iter()
            .enumerate()
            .find(|(_, tier)| same_name(&tier.name, name))
    }

    /// The share of the order total each severity is worth.
    pub fn severity_rates(&self) -> &SeverityRates {
        &self.severity_rates
    }

    /// The complaint categories.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// The severity a category defaults to, if the policy knows the category.
    pub fn category_severity(&self, category: &str) -> Option<Severity> {
        self.find_category(category)
            .map(|(_, known)| known.severity)
    }

    /// The category with this name and its position in [`Policy::categories`].
    #[inline]
    pub(crate) fn find_category(&self, name: &str) -> Option<(usize, &Category)> {
        self.categories
            .iter()
            .enumerate()
            .find(|(_, known)| same_name(&known.name, name))
    }

    /// The ways forward a refusal for this reason offers: as the policy lists them, or, for a
    /// reason of a shape the policy file need not mention, the default ways forward.
    pub fn alternatives_for(&self, reason: Reason) -> Alternatives {
        self.alternatives
            .iter()
            .find(|(listed, _)| *listed == reason)
            .map(|(_, alternatives)| *alternatives)
            .unwrap_or_else(|| default_alternatives(reason))
    }

    /// The largest voucher as a share of the order total, for each severity.
    pub fn maximum_share(&self) -> &SeverityShares {
        &self.maximum_share
    }

    /// What the policy asks of young accounts, if anything.
    pub fn young_accounts(&self) -> Option<&YoungAccounts> {
        self.young_accounts.as_ref()
    }

    /// Whose faults are compensated, and who bears the cost.
    pub fn fault(&self) -> &FaultRules {
        &self.fault
    }

    /// The customer lists the policy knows, and what each does.
    pub fn lists(&self) -> &[CustomerList] {
        &self.lists
    }

    /// The customer list with this name.
    pub fn list(&self, name: &str) -> Option<&CustomerList> {
        self.lists.iter().find(|list| list.name == name)
    }

    /// The locale of a script when a request asks for none.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// How many warnings a customer gets before abuse closes the conversation.
    pub fn conduct(&self) -> &ConductRules {
        &self.conduct
    }

    /// How soon each escalation target follows a case up.
    pub fn follow_up(&self) -> &FollowUpTimes {
        &self.follow_up
    }

    /// Every rolling window a history is measured through: each tier's limits, the minor
    /// cool-down, the repeated-minor pattern.
    pub(crate) fn history_windows(&self) -> impl Iterator<Item = Window> + '_ {
        let tiers = self
            .tiers
            .iter()
            .flat_map(|tier| tier.limits.iter().map(TierLimit::window));
        [
            self.count_window,
            self.value_window,
            self.minor_cooldown,
            self.repeated_minor.window,
        ]
        .into_iter()
        .chain(tiers)
    }

    /// Every count limit of a tier: its voucher limit over the count window, then its further
    /// limits of vouchers, in the policy's order.
    pub fn count_limits<'t>(&self, tier: &'t Tier) -> impl Iterator<Item = (u32, Window)> + 't {
        let first = (tier.voucher_limit, self.count_window);
        std::iter::once(first).chain(tier.limits.iter().filter_map(|limit| match limit {
            TierLimit::Vouchers { limit, window } => Some((*limit, *window)),
            TierLimit::Value { .. } => None,
        }))
    }

    /// Every value limit of a tier: its value limit over the value window, then its further
    /// limits of value, in the policy's order.
    pub fn value_limits<'t>(&self, tier: &'t Tier) -> impl Iterator<Item = (Decimal, Window)> + 't {
        let first = (tier.value_limit, self.value_window);
        std::iter::once(first).chain(tier.limits.iter().filter_map(|limit| match limit {
            TierLimit::Value { limit, window } => Some((*limit, *window)),
            TierLimit::Vouchers { .. } => None,
        }))
    }
}

/// The ways forward of the refusals a policy file need not list, because they come with shapes
/// a policy may not use: the fault of the customer, a young account's limit, late evidence.
pub(crate) fn default_alternatives(reason: Reason) -> Alternatives {
    let offer: &[crate::Alternative] = match reason {
        // Feedback "so this doesn't happen again" is not offered for what the customer did.
        Reason::CustomerAtFault | Reason::YoungAccountLimitReached | Reason::EvidenceTooLate => {
            &[crate::Alternative::PrioritySupport]
        }
        _ => &[],
    };
    offer.iter().copied().collect()
}

/// Which policy made a decision: its name, its version and its [`Fingerprint`], so an audit log
/// can tell, and tell two policies of one name apart.
///
/// Cloning it only counts one reference (a decision takes one); it never copies the text.
///
/// Its wire form is `{"name", "version", "fingerprint"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct PolicyId(Arc<PolicyNames>);

/// The text behind a [`PolicyId`], shared by the policy and its decisions.
#[derive(Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyNames {
    name: String,
    version: String,
    #[serde(with = "fingerprint_text")]
    fingerprint: Fingerprint,
}

/// A fingerprint on the wire: 64 hex digits.
mod fingerprint_text {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Fingerprint;

    pub fn serialize<S: Serializer>(
        fingerprint: &Fingerprint,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(fingerprint)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Fingerprint, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Fingerprint::from_hex(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "fingerprint: {text:?} is not 64 hex digits (the SHA-256 of a policy)"
            ))
        })
    }
}

impl PolicyId {
    /// The id of a policy that is not finished: its fingerprint is set by [`Policy::sealed`].
    pub(crate) fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        PolicyId(Arc::new(PolicyNames {
            name: name.into(),
            version: version.into(),
            fingerprint: Fingerprint::UNSET,
        }))
    }

    /// The policy's name.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The policy's version.
    pub fn version(&self) -> &str {
        &self.0.version
    }

    /// The SHA-256 of the policy's canonical form: the same rules, however they were written,
    /// have the same fingerprint.
    pub fn fingerprint(&self) -> Fingerprint {
        self.0.fingerprint
    }
}

impl Policy {
    /// The policy with its fingerprint worked out, as every finished policy is.
    pub(crate) fn sealed(mut self) -> Policy {
        self.sealed_with(Fingerprint::of(&self));
        self
    }

    /// The policy with a fingerprint already worked out for it.
    pub(crate) fn sealed_with(&mut self, fingerprint: Fingerprint) {
        self.id = PolicyId(Arc::new(PolicyNames {
            name: self.id.name().to_owned(),
            version: self.id.version().to_owned(),
            fingerprint,
        }));
    }

    /// The SHA-256 of the policy's canonical form: see [`Fingerprint`].
    pub fn fingerprint(&self) -> Fingerprint {
        self.id.fingerprint()
    }
}

/// Whether `name` is `wanted`: told apart first by their lengths and their first and last bytes,
/// which differ for most of a policy's names of one length (every default category of twelve
/// bytes starts with another letter), so a look-up down a list calls `memcmp` about once, for
/// the name it finds.
#[inline(always)]
fn same_name(name: &str, wanted: &str) -> bool {
    let (name, wanted) = (name.as_bytes(), wanted.as_bytes());
    name.len() == wanted.len()
        && name.first() == wanted.first()
        && name.last() == wanted.last()
        && name == wanted
}
