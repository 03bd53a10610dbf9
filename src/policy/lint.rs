//! Warnings for a policy that is valid but probably not what its authors meant.

use std::fmt;

use rust_decimal::Decimal;

use super::{EvidenceRule, Policy, TierLimit};
use crate::{Currency, Window};

/// A valid policy's likely mistake: the path in the file and what will happen because of it.
///
/// Displays as `agent_authority: 4000 is below minimum_voucher 5000: every grant escalates`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyWarning {
    path: String,
    message: String,
}

impl PolicyWarning {
    fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        PolicyWarning {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The path in the file the warning is about.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What looks wrong, and what it will do.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for PolicyWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl Policy {
    /// Warnings for a policy that is valid but probably wrong: a tier that can never receive a
    /// voucher, an agent authority below the minimum voucher, a higher tier with lower limits
    /// than the tier below it, a rolling window shorter than the minor cool-down.
    ///
    /// ```
    /// use voucher_policy::Policy;
    ///
    /// assert!(Policy::default().lint().is_empty());
    /// ```
    pub fn lint(&self) -> Vec<PolicyWarning> {
        let mut warnings = Vec::new();
        for tier in &self.tiers {
            let path = format!("tiers.{}", tier.name);
            if tier.voucher_limit == 0 {
                warnings.push(PolicyWarning::new(
                    format!("{path}.voucher_limit"),
                    "is 0: customers of this tier can never receive a voucher",
                ));
            }
            if tier.value_limit < self.minimum_voucher {
                warnings.push(PolicyWarning::new(
                    format!("{path}.value_limit"),
                    format!(
                        "{} is below minimum_voucher {}: customers of this tier can never receive a voucher",
                        tier.value_limit, self.minimum_voucher
                    ),
                ));
            }
        }
        if self.agent_authority < self.minimum_voucher {
            warnings.push(PolicyWarning::new(
                "agent_authority",
                format!(
                    "{} is below minimum_voucher {}: every grant escalates to a supervisor",
                    self.agent_authority, self.minimum_voucher
                ),
            ));
        }
        if !self.roles.iter().any(|role| role.approves) {
            warnings.push(PolicyWarning::new(
                "roles",
                "no role approves: an escalated case can never be approved",
            ));
        }
        for role in &self.roles {
            if role.approves && role.authority < self.agent_authority {
                warnings.push(PolicyWarning::new(
                    format!("roles.{}.authority", role.name),
                    format!(
                        "{} is below agent_authority {}: this role approves less than an agent grants",
                        role.authority, self.agent_authority
                    ),
                ));
            }
        }
        for pair in self.tiers.windows(2) {
            let [lower, higher] = pair else { continue };
            let path = format!("tiers.{}", higher.name);
            let checks = [
                (
                    "voucher_limit",
                    higher.voucher_limit < lower.voucher_limit,
                    higher.voucher_limit.to_string(),
                    lower.voucher_limit.to_string(),
                ),
                (
                    "value_limit",
                    higher.value_limit < lower.value_limit,
                    higher.value_limit.to_string(),
                    lower.value_limit.to_string(),
                ),
                (
                    "multiplier",
                    higher.multiplier < lower.multiplier,
                    higher.multiplier.to_string(),
                    lower.multiplier.to_string(),
                ),
            ];
            for (field, lower_than_below, value, below) in checks {
                if lower_than_below {
                    warnings.push(PolicyWarning::new(
                        format!("{path}.{field}"),
                        format!(
                            "{value} is lower than {below} of the tier below it ({}): tiers are listed lowest first",
                            lower.name
                        ),
                    ));
                }
            }
        }
        let cooldown = self.minor_cooldown;
        for (path, window) in [
            ("count_window", self.count_window),
            ("value_window", self.value_window),
            ("repeated_minor.window", self.repeated_minor.window),
        ] {
            if window < cooldown {
                warnings.push(PolicyWarning::new(
                    path,
                    format!(
                        "{window} is shorter than minor_cooldown {cooldown}: the cool-down outlasts the window it guards"
                    ),
                ));
            }
        }
        warnings.extend(self.currency_warnings());
        warnings.extend(self.shape_warnings());
        warnings
    }

    /// Warnings about the optional shapes contradicting or shadowing one another: a tier's
    /// limit another of its limits always reaches first, an evidence deadline shorter than the
    /// claim window, a deadline for evidence the category never needs, a category cap below the
    /// minimum voucher, young accounts that can never be compensated.
    fn shape_warnings(&self) -> Vec<PolicyWarning> {
        let mut warnings = Vec::new();
        for tier in &self.tiers {
            let path = format!("tiers.{}", tier.name);
            let mut counts = vec![(
                format!("{path}.voucher_limit"),
                Decimal::from(tier.voucher_limit),
                self.count_window,
            )];
            let mut values = vec![(
                format!("{path}.value_limit"),
                tier.value_limit,
                self.value_window,
            )];
            for (index, limit) in tier.limits.iter().enumerate() {
                let at = format!("{path}.limits[{index}]");
                let never = match limit {
                    TierLimit::Vouchers { limit, .. } => (*limit == 0).then(|| "is 0".to_owned()),
                    TierLimit::Value { limit, .. } => (*limit < self.minimum_voucher).then(|| {
                        format!("{limit} is below minimum_voucher {}", self.minimum_voucher)
                    }),
                };
                if let Some(what) = never {
                    warnings.push(PolicyWarning::new(
                        at.clone(),
                        format!("{what}: customers of this tier can never receive a voucher"),
                    ));
                }
                match limit {
                    TierLimit::Vouchers { limit, window } => {
                        counts.push((at, Decimal::from(*limit), *window));
                    }
                    TierLimit::Value { limit, window } => values.push((at, *limit, *window)),
                }
            }
            for (limits, what) in [(&counts, "vouchers"), (&values, "of value")] {
                shadowed_limits(limits, what, &mut warnings);
            }
        }
        let needs_evidence_when_young = self
            .young_accounts
            .is_some_and(|young| young.evidence_required);
        for category in &self.categories {
            let path = format!("categories.{}", category.name);
            let claim_window = category.claim_window.unwrap_or(self.claim_window);
            if let Some(within) = category.evidence_within {
                if within < claim_window {
                    warnings.push(PolicyWarning::new(
                        format!("{path}.evidence_within"),
                        format!(
                            "{within} is shorter than the claim window {claim_window}: a complaint reported in time but after {within} is refused for late evidence, whatever photo it sends"
                        ),
                    ));
                }
                if category.evidence == EvidenceRule::NotRequired && !needs_evidence_when_young {
                    warnings.push(PolicyWarning::new(
                        format!("{path}.evidence_within"),
                        format!(
                            "{within} never applies: the category needs no evidence (evidence = \"not_required\")"
                        ),
                    ));
                }
            }
            if let Some(maximum) = category.maximum_voucher {
                if maximum < self.minimum_voucher {
                    warnings.push(PolicyWarning::new(
                        format!("{path}.maximum_voucher"),
                        format!(
                            "{maximum} is below minimum_voucher {}: every voucher of the category is cut below the minimum",
                            self.minimum_voucher
                        ),
                    ));
                }
            }
        }
        if let Some(young) = &self.young_accounts {
            if young.lifetime_vouchers == Some(0) {
                warnings.push(PolicyWarning::new(
                    "young_accounts.lifetime_vouchers",
                    format!(
                        "is 0: an account younger than {} can never receive a voucher",
                        young.younger_than
                    ),
                ));
            }
        }
        warnings
    }

    /// Warnings about amounts that do not fit the policy's currency: a step finer than its
    /// minor unit (yen in cents), or numbers of a size that belongs to another currency (ringgit
    /// in steps of 1,000, as if copied from a rupiah policy).
    fn currency_warnings(&self) -> Vec<PolicyWarning> {
        let mut warnings = Vec::new();
        let currency = self.currency;
        if let Some(places) = currency.minor_units() {
            if self.step.normalize().scale() > places {
                warnings.push(PolicyWarning::new(
                    "step",
                    format!(
                        "{} is finer than {currency} amounts are ({places} decimal places): every request in {currency} is a whole number of steps of {}",
                        self.step,
                        Decimal::new(1, places)
                    ),
                ));
            }
        }
        let Some(unit) = us_cents_per_unit(currency) else {
            return warnings;
        };
        // In US dollars, roughly: what a step and the largest voucher are worth.
        let in_dollars = |amount: Decimal| amount * unit / Decimal::ONE_HUNDRED;
        let step = in_dollars(self.step);
        let maximum = in_dollars(self.maximum_voucher);
        if step > Decimal::from(50) {
            warnings.push(PolicyWarning::new(
                "step",
                format!(
                    "{} {currency} is about {} US dollars: vouchers are rounded down to that; were the amounts written for a currency worth less?",
                    self.step,
                    step.round()
                ),
            ));
        }
        if maximum > Decimal::from(10_000) {
            warnings.push(PolicyWarning::new(
                "maximum_voucher",
                format!(
                    "{} {currency} is about {} US dollars: were the amounts written for a currency worth less?",
                    self.maximum_voucher,
                    maximum.round()
                ),
            ));
        } else if maximum < Decimal::ONE {
            warnings.push(PolicyWarning::new(
                "maximum_voucher",
                format!(
                    "{} {currency} is less than a US dollar: were the amounts written for a currency worth more?",
                    self.maximum_voucher
                ),
            ));
        }
        warnings
    }
}

/// Warns about each limit of `limits` (path, limit, window) that another always reaches first:
/// one at most as high over a window at least as long holds it (3 in 30 days holds 5 in 7
/// days). Of two identical limits, the second is warned about.
fn shadowed_limits(
    limits: &[(String, Decimal, Window)],
    what: &str,
    warnings: &mut Vec<PolicyWarning>,
) {
    for (index, (path, limit, window)) in limits.iter().enumerate() {
        let holder =
            limits
                .iter()
                .enumerate()
                .find(|(other_index, (_, other_limit, other_window))| {
                    let identical = other_limit == limit && other_window == window;
                    *other_index != index
                        && other_window >= window
                        && other_limit <= limit
                        && (!identical || *other_index < index)
                });
        if let Some((_, (other_path, other_limit, other_window))) = holder {
            warnings.push(PolicyWarning::new(
                path.clone(),
                format!(
                    "at most {limit} {what} in {window} is never reached: {other_path}, at most {other_limit} in {other_window}, is always reached first"
                ),
            ));
        }
    }
}

/// Roughly what one unit of a currency is worth in US cents, for the currencies of the region
/// and the major ones: only its order of magnitude matters, to tell rupiah from ringgit.
fn us_cents_per_unit(currency: Currency) -> Option<Decimal> {
    let cents = match currency.as_str() {
        "USD" => Decimal::new(100, 0),
        "EUR" => Decimal::new(110, 0),
        "GBP" => Decimal::new(127, 0),
        "SGD" => Decimal::new(75, 0),
        "AUD" => Decimal::new(66, 0),
        "MYR" => Decimal::new(22, 0),
        "CNY" => Decimal::new(14, 0),
        "HKD" => Decimal::new(13, 0),
        "TWD" => Decimal::new(31, 1),
        "THB" => Decimal::new(28, 1),
        "PHP" => Decimal::new(17, 1),
        "INR" => Decimal::new(12, 1),
        "JPY" => Decimal::new(67, 2),
        "KRW" => Decimal::new(75, 3),
        "IDR" => Decimal::new(63, 4),
        "VND" => Decimal::new(4, 3),
        _ => return None,
    };
    Some(cents)
}
