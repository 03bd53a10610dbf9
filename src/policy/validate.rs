//! Turning a policy file's form into a policy: every rule checked, every problem reported at
//! once with its path and value.

use std::str::FromStr;

use chrono::FixedOffset;
use rust_decimal::Decimal;

use super::file::{Entries, Number, PolicyFile, RepeatedMinorFile, SeverityRatesFile, TierFile};
use super::{Category, Policy, PolicyId, RepeatedMinorRule, SeverityRates, Tier};
use crate::money::{MAX_AMOUNT, MAX_FACTOR_PLACES, MAX_MULTIPLIER, MAX_PLACES};
use crate::reason::ReasonKind;
use crate::{Alternative, Alternatives, Code, Currency, Reason, Severity, Window};
use crate::{PolicyError, PolicyProblem};

impl Policy {
    /// The policy a file's form describes, or every rule it breaks.
    pub(crate) fn from_file(file: PolicyFile) -> Result<Policy, PolicyError> {
        let mut check = Checker::default();
        let policy = check.policy(file);
        match policy {
            Some(policy) if check.problems.is_empty() => Ok(policy),
            _ => Err(PolicyError::Invalid(check.problems)),
        }
    }
}

/// Collects problems while turning the file form into a policy.
#[derive(Default)]
struct Checker {
    problems: Vec<PolicyProblem>,
}

impl Checker {
    fn problem(
        &mut self,
        path: impl Into<String>,
        value: Option<String>,
        message: impl Into<String>,
    ) {
        self.problems
            .push(PolicyProblem::new(path.into(), value, message.into()));
    }

    fn required<T>(&mut self, path: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.problem(path, None, "is missing");
        }
        value
    }

    fn text(&mut self, path: &str, value: Option<String>) -> Option<String> {
        let text = self.required(path, value)?;
        if text.trim().is_empty() {
            self.problem(path, Some(format!("{text:?}")), "is empty");
            return None;
        }
        Some(text)
    }

    fn decimal(&mut self, path: &str, value: Option<Number>) -> Option<Decimal> {
        let Number(text) = self.required(path, value)?;
        match Decimal::from_str_exact(text.trim()) {
            // Normalized, so `0.10` and `0.1` make the same policy and the same decisions.
            Ok(number) => Some(number.normalize()),
            Err(_) => {
                self.problem(path, Some(text), "is not a decimal number");
                None
            }
        }
    }

    /// A decimal that must be greater than zero.
    fn positive(&mut self, path: &str, value: Option<Number>) -> Option<Decimal> {
        let number = self.decimal(path, value)?;
        if number < Decimal::ZERO {
            self.problem(path, Some(number.to_string()), "is negative");
            None
        } else if number.is_zero() {
            self.problem(path, Some(number.to_string()), "must be greater than zero");
            None
        } else {
            Some(number)
        }
    }

    /// A decimal that may be zero but not negative.
    fn not_negative(&mut self, path: &str, value: Option<Number>) -> Option<Decimal> {
        let number = self.decimal(path, value)?;
        if number < Decimal::ZERO {
            self.problem(path, Some(number.to_string()), "is negative");
            return None;
        }
        Some(number)
    }

    /// An amount of money: greater than zero (or, with `zero_allowed`, not negative), with at
    /// most four decimal places and at most 10^15, as a request's amounts.
    fn amount(&mut self, path: &str, value: Option<Number>, zero_allowed: bool) -> Option<Decimal> {
        let number = if zero_allowed {
            self.not_negative(path, value)?
        } else {
            self.positive(path, value)?
        };
        if number.scale() > MAX_PLACES {
            self.problem(
                path,
                Some(number.to_string()),
                format!("has more than {MAX_PLACES} decimal places"),
            );
            return None;
        }
        if number > Decimal::from(MAX_AMOUNT) {
            self.problem(
                path,
                Some(number.to_string()),
                format!("is too large (at most {MAX_AMOUNT})"),
            );
            return None;
        }
        Some(number)
    }

    /// A factor an amount is multiplied by, with at most six decimal places.
    fn factor_places(&mut self, path: &str, number: Decimal) -> Option<Decimal> {
        if number.scale() > MAX_FACTOR_PLACES {
            self.problem(
                path,
                Some(number.to_string()),
                format!("has more than {MAX_FACTOR_PLACES} decimal places"),
            );
            return None;
        }
        Some(number)
    }

    fn rate(&mut self, path: &str, value: Option<Number>) -> Option<Decimal> {
        let number = self.decimal(path, value)?;
        if !(Decimal::ZERO..=Decimal::ONE).contains(&number) {
            self.problem(
                path,
                Some(number.to_string()),
                "is not a rate between 0 and 1",
            );
            return None;
        }
        self.factor_places(path, number)
    }

    fn multiplier(&mut self, path: &str, value: Option<Number>) -> Option<Decimal> {
        let number = self.positive(path, value)?;
        if number > Decimal::from(MAX_MULTIPLIER) {
            self.problem(
                path,
                Some(number.to_string()),
                format!("is too large (at most {MAX_MULTIPLIER})"),
            );
            return None;
        }
        self.factor_places(path, number)
    }

    fn count(&mut self, path: &str, value: Option<i64>, least: i64) -> Option<u32> {
        let count = self.required(path, value)?;
        if count < 0 {
            self.problem(path, Some(count.to_string()), "is negative");
            return None;
        }
        if count < least {
            self.problem(
                path,
                Some(count.to_string()),
                format!("must be at least {least}"),
            );
            return None;
        }
        match u32::try_from(count) {
            Ok(count) => Some(count),
            Err(_) => {
                self.problem(path, Some(count.to_string()), "is too large");
                None
            }
        }
    }

    fn window(&mut self, path: &str, value: Option<String>) -> Option<Window> {
        let text = self.required(path, value)?;
        match Window::from_str(text.trim()) {
            Ok(window) => Some(window),
            Err(_) if is_zero_length(&text) => {
                self.problem(path, Some(text), "is zero: a window must have a length");
                None
            }
            Err(_) => {
                self.problem(
                    path,
                    Some(text),
                    "is not a length of time: write a number with d, h, m or s, like 7d or 48h",
                );
                None
            }
        }
    }

    fn currency(&mut self, path: &str, value: Option<String>) -> Option<Currency> {
        let text = self.required(path, value)?;
        match Currency::from_str(text.trim()) {
            Ok(currency) if currency.is_iso_4217() => Some(currency),
            _ => {
                self.problem(path, Some(text), "is not an ISO 4217 currency code");
                None
            }
        }
    }

    fn offset(&mut self, path: &str, value: Option<String>) -> Option<FixedOffset> {
        let text = self.required(path, value)?;
        match parse_offset(text.trim()) {
            Some(offset) => Some(offset),
            None => {
                self.problem(path, Some(text), "is not a UTC offset such as +07:00");
                None
            }
        }
    }

    fn policy(&mut self, file: PolicyFile) -> Option<Policy> {
        let name = self.text("name", file.name);
        let version = self.text("version", file.version);
        let currency = self.currency("currency", file.currency);
        let step = self.amount("step", file.step, false);
        let local_offset = self.offset("local_offset", file.local_offset);
        let minimum_voucher = self.amount("minimum_voucher", file.minimum_voucher, false);
        let maximum_voucher = self.amount("maximum_voucher", file.maximum_voucher, false);
        let agent_authority = self.amount("agent_authority", file.agent_authority, false);
        let voucher_validity = self.window("voucher_validity", file.voucher_validity);
        let claim_window = self.window("claim_window", file.claim_window);
        let count_window = self.window("count_window", file.count_window);
        let value_window = self.window("value_window", file.value_window);
        let minor_cooldown = self.window("minor_cooldown", file.minor_cooldown);
        let repeated_minor = self.repeated_minor(file.repeated_minor);
        let severity_rates = self.severity_rates(file.severity_rates);
        let tiers = self.tiers(file.tiers);
        let categories = self.categories(file.categories);
        let alternatives = self.alternatives(file.alternatives);

        if let (Some(step), Some(minimum), Some(maximum)) = (step, minimum_voucher, maximum_voucher)
        {
            for (path, amount) in [("minimum_voucher", minimum), ("maximum_voucher", maximum)] {
                if amount.checked_rem(step) != Some(Decimal::ZERO) {
                    self.problem(
                        path,
                        Some(amount.to_string()),
                        format!("is not a whole multiple of the step {step}"),
                    );
                }
            }
            if minimum > maximum {
                self.problem(
                    "minimum_voucher",
                    Some(minimum.to_string()),
                    format!("is above maximum_voucher {maximum}"),
                );
            }
        }
        Some(Policy {
            id: PolicyId::new(name?, version?),
            currency: currency?,
            step: step?,
            local_offset: local_offset?,
            minimum_voucher: minimum_voucher?,
            maximum_voucher: maximum_voucher?,
            agent_authority: agent_authority?,
            voucher_validity: voucher_validity?,
            claim_window: claim_window?,
            count_window: count_window?,
            value_window: value_window?,
            minor_cooldown: minor_cooldown?,
            repeated_minor: repeated_minor?,
            tiers: tiers?,
            severity_rates: severity_rates?,
            categories: categories?,
            alternatives: alternatives?,
        })
    }

    fn repeated_minor(&mut self, file: Option<RepeatedMinorFile>) -> Option<RepeatedMinorRule> {
        let file = self.required("repeated_minor", file)?;
        let threshold = self.count("repeated_minor.threshold", file.threshold, 1);
        let window = self.window("repeated_minor.window", file.window);
        Some(RepeatedMinorRule {
            threshold: threshold?,
            window: window?,
        })
    }

    fn severity_rates(&mut self, file: Option<SeverityRatesFile>) -> Option<SeverityRates> {
        let file = self.required("severity_rates", file)?;
        let minor = self.rate("severity_rates.minor", file.minor);
        let moderate = self.rate("severity_rates.moderate", file.moderate);
        let major = self.rate("severity_rates.major", file.major);
        let critical = self.rate("severity_rates.critical", file.critical);
        Some(SeverityRates {
            minor: minor?,
            moderate: moderate?,
            major: major?,
            critical: critical?,
        })
    }

    fn tiers(&mut self, file: Option<Vec<TierFile>>) -> Option<Vec<Tier>> {
        let file = self.required("tiers", file)?;
        if file.is_empty() {
            self.problem(
                "tiers",
                Some("[]".to_owned()),
                "is empty: a policy needs at least one tier",
            );
            return None;
        }
        let mut tiers = Vec::with_capacity(file.len());
        let mut complete = true;
        for (index, tier) in file.into_iter().enumerate() {
            let path = match &tier.name {
                Some(name) if !name.trim().is_empty() => format!("tiers.{name}"),
                _ => format!("tiers[{index}]"),
            };
            let name = self.text(&format!("{path}.name"), tier.name);
            if let Some(name) = &name {
                if tiers.iter().any(|earlier: &Tier| earlier.name == *name) {
                    self.problem(
                        format!("tiers[{index}].name"),
                        Some(name.clone()),
                        "is the name of an earlier tier too",
                    );
                }
            }
            let voucher_limit = self.count(&format!("{path}.voucher_limit"), tier.voucher_limit, 0);
            let value_limit = self.amount(&format!("{path}.value_limit"), tier.value_limit, true);
            let multiplier = self.multiplier(&format!("{path}.multiplier"), tier.multiplier);
            match (name, voucher_limit, value_limit, multiplier) {
                (Some(name), Some(voucher_limit), Some(value_limit), Some(multiplier)) => tiers
                    .push(Tier {
                        name,
                        voucher_limit,
                        value_limit,
                        multiplier,
                        thank_loyalty: tier.thank_loyalty.unwrap_or(false),
                    }),
                _ => complete = false,
            }
        }
        complete.then_some(tiers)
    }

    fn categories(&mut self, file: Option<Entries<String>>) -> Option<Vec<Category>> {
        let Entries(entries) = self.required("categories", file)?;
        if entries.is_empty() {
            self.problem(
                "categories",
                Some("{}".to_owned()),
                "is empty: a policy needs at least one category",
            );
            return None;
        }
        let mut categories: Vec<Category> = Vec::with_capacity(entries.len());
        let mut complete = true;
        for (name, severity) in entries {
            let path = format!("categories.{name}");
            if name.trim().is_empty() {
                self.problem(
                    "categories",
                    Some(format!("{name:?}")),
                    "has a category with an empty name",
                );
                complete = false;
                continue;
            }
            if categories.iter().any(|earlier| earlier.name == name) {
                self.problem(&path, None, "is given twice");
                complete = false;
                continue;
            }
            match Severity::ALL
                .iter()
                .find(|known| known.as_str() == severity.trim())
            {
                Some(severity) => categories.push(Category {
                    name,
                    severity: *severity,
                }),
                None => {
                    self.problem(
                        &path,
                        Some(severity),
                        "is not a severity (minor, moderate, major or critical)",
                    );
                    complete = false;
                }
            }
        }
        complete.then_some(categories)
    }

    fn alternatives(
        &mut self,
        file: Option<Entries<Vec<String>>>,
    ) -> Option<Vec<(Reason, Alternatives)>> {
        let Entries(entries) = self.required("alternatives", file)?;
        let mut offered: Vec<(Reason, Alternatives)> = Vec::with_capacity(entries.len());
        let mut complete = true;
        for (reason_name, names) in entries {
            let path = format!("alternatives.{reason_name}");
            let reason = Reason::ALL
                .iter()
                .copied()
                .find(|reason| reason.as_str() == reason_name);
            let Some(reason) = reason else {
                self.problem(&path, None, "is not a reason code of the policy");
                complete = false;
                continue;
            };
            if reason.kind() != ReasonKind::Refusal {
                self.problem(
                    &path,
                    None,
                    "is not a refusal reason: only refusals offer alternatives",
                );
                complete = false;
                continue;
            }
            if offered.iter().any(|(earlier, _)| *earlier == reason) {
                self.problem(&path, None, "is given twice");
                complete = false;
                continue;
            }
            let mut set = Alternatives::new();
            for (index, name) in names.iter().enumerate() {
                match Alternative::ALL
                    .iter()
                    .find(|known| known.as_str() == name.trim())
                {
                    Some(alternative) => set.insert(*alternative),
                    None => {
                        self.problem(
                            format!("{path}[{index}]"),
                            Some(name.clone()),
                            format!(
                                "is not an alternative (known: {})",
                                code_list(Alternative::ALL)
                            ),
                        );
                        complete = false;
                    }
                }
            }
            if names.is_empty() {
                self.problem(
                    &path,
                    Some("[]".to_owned()),
                    "is empty: a refusal must offer a way forward",
                );
                complete = false;
            }
            offered.push((reason, set));
        }
        for reason in Reason::ALL
            .iter()
            .filter(|reason| reason.kind() == ReasonKind::Refusal)
        {
            if !offered.iter().any(|(listed, _)| listed == reason) {
                self.problem(
                    format!("alternatives.{reason}"),
                    None,
                    "is missing: every refusal must offer a way forward",
                );
                complete = false;
            }
        }
        // Keep the design's order, so two files listing the same offers make equal policies.
        offered.sort_by_key(|(reason, _)| Code::position(*reason));
        complete.then_some(offered)
    }
}

/// A UTC offset written `+07:00` (or `+0700`), and nothing else: chrono's parser alone stops
/// after the minutes and ignores the rest, so `+07:00:30` or `+07:00x` would silently load as
/// `+07:00`.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    let well_formed = match text.as_bytes() {
        [b'+' | b'-', h1, h2, b':', m1, m2] | [b'+' | b'-', h1, h2, m1, m2] => {
            [h1, h2, m1, m2].iter().all(|digit| digit.is_ascii_digit())
        }
        _ => false,
    };
    well_formed
        .then(|| FixedOffset::from_str(text).ok())
        .flatten()
}

fn is_zero_length(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text.chars().any(|ch| ch.is_ascii_digit())
        && text
            .chars()
            .all(|ch| matches!(ch, '0' | 'd' | 'h' | 'm' | 's'))
}

fn code_list<T: Code>(codes: &[T]) -> String {
    codes
        .iter()
        .map(|code| code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
