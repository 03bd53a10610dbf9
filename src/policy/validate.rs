//! Turning a policy file's form into a policy: every rule checked, every problem reported at
//! once with its path and value.

use std::str::FromStr;

use chrono::FixedOffset;
use rust_decimal::Decimal;

use super::file::{
    CategoryEntry, CategoryFile, ConductFile, Entries, FaultFile, FollowUpFile, LimitFile,
    ListFile, Number, PolicyFile, RepeatedMinorFile, RoleFile, SeverityRatesFile, SharesFile,
    TierFile, YoungAccountsFile,
};
use super::{
    Category, ConductRules, CustomerList, EvidenceRule, FaultRules, FollowUpTimes, MAX_LIMITS,
    Policy, PolicyId, RepeatedMinorRule, Role, SeverityRates, SeverityShares, Tier, TierLimit,
    WINDOWS, YoungAccounts, default_alternatives,
};
use crate::money::{MAX_AMOUNT, MAX_FACTOR_PLACES, MAX_MULTIPLIER, MAX_PLACES};
use crate::reason::ReasonKind;
use crate::{
    Alternative, Alternatives, Code, Currency, EscalationTarget, Locale, Parties, Party, Reason,
    Reasons, Severity, Window,
};
use crate::{PolicyError, PolicyProblem};

/// The refusals a customer list may waive.
const WAIVABLE: [Reason; 2] = [
    Reason::MinorComplaintRecentVoucher,
    Reason::RepeatedMinorComplaints,
];

impl Policy {
    /// The policy a file's form describes, or every rule it breaks.
    pub(crate) fn from_file(file: PolicyFile) -> Result<Policy, PolicyError> {
        let mut check = Checker::default();
        let policy = check.policy(file);
        match policy {
            Some(policy) if check.problems.is_empty() => Ok(policy.sealed()),
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
        let locale = match file.locale {
            None => Some(Locale::ID),
            Some(text) => match Locale::from_str(text.trim()) {
                Ok(locale) => Some(locale),
                Err(error) => {
                    self.problem("locale", Some(text), error.to_string());
                    None
                }
            },
        };
        let maximum_share = self.shares(file.maximum_share);
        let young_accounts = match file.young_accounts {
            None => Some(None),
            Some(young) => self.young_accounts(young).map(Some),
        };
        let fault = self.fault(file.fault);
        let lists = self.lists(file.lists);
        let conduct = self.conduct(file.conduct.unwrap_or_default());
        let follow_up = self.follow_up(file.follow_up.unwrap_or_default());
        let roles = self.roles(file.roles, agent_authority, maximum_voucher);

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
            maximum_share: maximum_share?,
            young_accounts: young_accounts?,
            fault: fault?,
            lists: lists?,
            locale: locale?,
            conduct: conduct?,
            follow_up: follow_up?,
            roles: roles?,
        })
        .filter(|policy| self.windows_fit(policy))
    }

    /// Whether the policy's rolling windows fit the history pass: at most [`WINDOWS`] distinct
    /// lengths in all (every tier's limits, the cool-down, the pattern).
    fn windows_fit(&mut self, policy: &Policy) -> bool {
        let mut lengths: Vec<Window> = policy.history_windows().collect();
        lengths.sort_unstable();
        lengths.dedup();
        if lengths.len() <= WINDOWS {
            return true;
        }
        self.problem(
            "tiers",
            None,
            format!(
                "use {} lengths of rolling window, with the count, value, cool-down and pattern windows: at most {WINDOWS}",
                lengths.len()
            ),
        );
        false
    }

    /// A share of the order total: positive, with at most six decimal places, at most 100.
    fn share(&mut self, path: &str, value: Option<Number>) -> Option<Decimal> {
        self.multiplier(path, value)
    }

    fn shares(&mut self, file: Option<SharesFile>) -> Option<SeverityShares> {
        let Some(file) = file else {
            return Some(SeverityShares::default());
        };
        let mut shares = SeverityShares::default();
        let mut complete = true;
        for (severity, value) in [
            (Severity::Minor, file.minor),
            (Severity::Moderate, file.moderate),
            (Severity::Major, file.major),
            (Severity::Critical, file.critical),
        ] {
            let Some(value) = value else { continue };
            let share = self.share(&format!("maximum_share.{severity}"), Some(value));
            complete &= share.is_some();
            let slot = match severity {
                Severity::Minor => &mut shares.minor,
                Severity::Moderate => &mut shares.moderate,
                Severity::Major => &mut shares.major,
                Severity::Critical => &mut shares.critical,
            };
            *slot = share;
        }
        complete.then_some(shares)
    }

    /// The conduct rules; a missing count keeps the default.
    fn conduct(&mut self, file: ConductFile) -> Option<ConductRules> {
        let default = ConductRules::default();
        Some(ConductRules {
            warnings_before_close: match file.warnings_before_close {
                None => default.warnings_before_close,
                Some(count) => self.count("conduct.warnings_before_close", Some(count), 0)?,
            },
        })
    }

    /// The roles: `agent` always (with `agent_authority`), and `supervisor` up to the largest
    /// voucher when the file names no roles.
    fn roles(
        &mut self,
        file: Option<Entries<RoleFile>>,
        agent_authority: Option<Decimal>,
        maximum_voucher: Option<Decimal>,
    ) -> Option<Vec<Role>> {
        let Entries(mut entries) = file.unwrap_or_else(|| {
            Entries(vec![
                (Role::AGENT.to_owned(), RoleFile::default()),
                ("supervisor".to_owned(), RoleFile::default()),
            ])
        });
        if !entries.iter().any(|(name, _)| name == Role::AGENT) {
            entries.insert(0, (Role::AGENT.to_owned(), RoleFile::default()));
        }
        let mut roles: Vec<Role> = Vec::with_capacity(entries.len());
        let mut complete = true;
        for (name, role) in entries {
            let path = format!("roles.{name}");
            if name.trim().is_empty() || name.trim() != name {
                self.problem(
                    "roles",
                    Some(format!("{name:?}")),
                    "has a role whose name is empty or has spaces around it",
                );
                complete = false;
                continue;
            }
            if roles.iter().any(|earlier| earlier.name == name) {
                self.problem(&path, None, "is given twice");
                complete = false;
                continue;
            }
            let agent = name == Role::AGENT;
            let authority = match (agent, role.authority) {
                (true, None) => agent_authority,
                (true, Some(given)) => {
                    self.problem(
                        format!("{path}.authority"),
                        Some(given.0),
                        "is agent_authority: give the agent's authority there, once",
                    );
                    None
                }
                // A role without its own authority may grant whatever the policy grants.
                (false, None) => maximum_voucher,
                (false, Some(given)) => {
                    self.amount(&format!("{path}.authority"), Some(given), false)
                }
            };
            let daily_budget = match role.daily_budget {
                None => Some(None),
                Some(given) => self
                    .amount(&format!("{path}.daily_budget"), Some(given), false)
                    .map(Some),
            };
            match (authority, daily_budget) {
                (Some(authority), Some(daily_budget)) => roles.push(Role {
                    approves: role.approves.unwrap_or(!agent),
                    name,
                    authority,
                    daily_budget,
                }),
                _ => complete = false,
            }
        }
        // `agent` first, where a request that names no agent finds it.
        roles.sort_by_key(|role| role.name != Role::AGENT);
        complete.then_some(roles)
    }

    /// The follow-up times; a missing one keeps the default.
    fn follow_up(&mut self, file: FollowUpFile) -> Option<FollowUpTimes> {
        let default = FollowUpTimes::default();
        let mut time = |name: &str, text: Option<String>, fallback: Window| match text {
            None => Some(fallback),
            Some(text) => self.window(&format!("follow_up.{name}"), Some(text)),
        };
        let supervisor = time("supervisor", file.supervisor, default.supervisor);
        let legal = time("legal", file.legal, default.legal);
        let security = time("security", file.security, default.security);
        Some(FollowUpTimes {
            supervisor: supervisor?,
            legal: legal?,
            security: security?,
        })
    }

    fn young_accounts(&mut self, file: YoungAccountsFile) -> Option<YoungAccounts> {
        let younger_than = self.window("young_accounts.younger_than", file.younger_than);
        let lifetime_vouchers = match file.lifetime_vouchers {
            None => Some(None),
            Some(count) => self
                .count("young_accounts.lifetime_vouchers", Some(count), 0)
                .map(Some),
        };
        Some(YoungAccounts {
            younger_than: younger_than?,
            lifetime_vouchers: lifetime_vouchers?,
            evidence_required: file.evidence_required.unwrap_or(false),
        })
    }

    fn party(&mut self, path: &str, text: &str) -> Option<Party> {
        match Party::from_str(text.trim()) {
            Ok(party) => Some(party),
            Err(error) => {
                self.problem(
                    path,
                    Some(text.to_owned()),
                    format!("is not a party (known: {})", error.known().join(", ")),
                );
                None
            }
        }
    }

    fn fault(&mut self, file: Option<FaultFile>) -> Option<FaultRules> {
        let defaults = FaultRules::default();
        let Some(file) = file else {
            return Some(defaults);
        };
        let mut complete = true;
        let compensated = match file.compensated {
            None => defaults.compensated,
            Some(names) => {
                let mut parties = Parties::new();
                for (index, name) in names.iter().enumerate() {
                    let path = format!("fault.compensated[{index}]");
                    match self.party(&path, name) {
                        Some(Party::Customer) => {
                            self.problem(
                                path,
                                Some(name.clone()),
                                "cannot be compensated: a customer at fault is refused",
                            );
                            complete = false;
                        }
                        Some(party) => parties.insert(party),
                        None => complete = false,
                    }
                }
                parties
            }
        };
        let mut cost_borne_by = defaults.cost_borne_by;
        if let Some(Entries(entries)) = file.cost_borne_by {
            for (party, bearer) in entries {
                let path = format!("fault.cost_borne_by.{party}");
                let at_fault = self.party(&path, &party);
                let pays = self.party(&path, &bearer);
                match (at_fault, pays) {
                    (Some(Party::Customer), _) => {
                        self.problem(&path, None, "is never compensated, so it bears no cost");
                        complete = false;
                    }
                    (_, Some(Party::Customer | Party::Unknown)) => {
                        self.problem(
                            &path,
                            Some(bearer.clone()),
                            "cannot bear a cost: give merchant, courier or platform",
                        );
                        complete = false;
                    }
                    (Some(at_fault), Some(pays)) => {
                        match cost_borne_by
                            .iter_mut()
                            .find(|(party, _)| *party == at_fault)
                        {
                            Some((_, slot)) => *slot = pays,
                            None => cost_borne_by.push((at_fault, pays)),
                        }
                    }
                    _ => complete = false,
                }
            }
        }
        complete.then_some(FaultRules {
            compensated,
            cost_borne_by,
        })
    }

    fn lists(&mut self, file: Option<Entries<ListFile>>) -> Option<Vec<CustomerList>> {
        let Some(Entries(entries)) = file else {
            return Some(Vec::new());
        };
        let mut lists: Vec<CustomerList> = Vec::with_capacity(entries.len());
        let mut complete = true;
        for (name, list) in entries {
            let path = format!("lists.{name}");
            if name.trim().is_empty() {
                self.problem(
                    "lists",
                    Some(format!("{name:?}")),
                    "has a list with an empty name",
                );
                complete = false;
                continue;
            }
            if lists.iter().any(|earlier| earlier.name == name) {
                self.problem(&path, None, "is given twice");
                complete = false;
                continue;
            }
            // Whether this list's own fields read; a list that does nothing is told so only then.
            let mut readable = true;
            let escalate_to = match list.escalate_to {
                None => None,
                Some(text) => match EscalationTarget::from_str(text.trim()) {
                    Ok(target) => Some(target),
                    Err(error) => {
                        self.problem(
                            format!("{path}.escalate_to"),
                            Some(text),
                            format!(
                                "is not an escalation target (known: {})",
                                error.known().join(", ")
                            ),
                        );
                        readable = false;
                        None
                    }
                },
            };
            let mut waives = Reasons::new();
            for (index, text) in list.waive.unwrap_or_default().iter().enumerate() {
                match Reason::from_str(text.trim()) {
                    Ok(reason) if WAIVABLE.contains(&reason) => waives.insert(reason),
                    _ => {
                        self.problem(
                            format!("{path}.waive[{index}]"),
                            Some(text.clone()),
                            format!(
                                "cannot be waived (a list may waive {})",
                                code_list(&WAIVABLE)
                            ),
                        );
                        readable = false;
                    }
                }
            }
            complete &= readable;
            if escalate_to.is_none() && waives.is_empty() && readable {
                self.problem(&path, None, "does nothing: give escalate_to or waive");
                complete = false;
            }
            lists.push(CustomerList {
                name,
                escalate_to,
                waives,
            });
        }
        complete.then_some(lists)
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
            let limits = self.limits(&path, tier.limits.unwrap_or_default());
            match (name, voucher_limit, value_limit, multiplier, limits) {
                (
                    Some(name),
                    Some(voucher_limit),
                    Some(value_limit),
                    Some(multiplier),
                    Some(limits),
                ) => tiers.push(Tier {
                    name,
                    voucher_limit,
                    value_limit,
                    multiplier,
                    thank_loyalty: tier.thank_loyalty.unwrap_or(false),
                    limits,
                }),
                _ => complete = false,
            }
        }
        complete.then_some(tiers)
    }

    /// A tier's further limits: each exactly one of `vouchers` and `value`, with a window; at
    /// most [`MAX_LIMITS`] of each kind in all, the tier's first two included.
    fn limits(&mut self, tier: &str, file: Vec<LimitFile>) -> Option<Vec<TierLimit>> {
        let mut limits = Vec::with_capacity(file.len());
        let mut complete = true;
        for (index, limit) in file.into_iter().enumerate() {
            let path = format!("{tier}.limits[{index}]");
            let window = self.window(&format!("{path}.window"), limit.window);
            let parsed = match (limit.vouchers, limit.value) {
                (Some(vouchers), None) => self
                    .count(&format!("{path}.vouchers"), Some(vouchers), 0)
                    .zip(window)
                    .map(|(limit, window)| TierLimit::Vouchers { limit, window }),
                (None, Some(value)) => self
                    .amount(&format!("{path}.value"), Some(value), true)
                    .zip(window)
                    .map(|(limit, window)| TierLimit::Value { limit, window }),
                _ => {
                    self.problem(
                        &path,
                        None,
                        "needs exactly one of vouchers and value, beside its window",
                    );
                    None
                }
            };
            match parsed {
                Some(parsed) => limits.push(parsed),
                None => complete = false,
            }
        }
        let vouchers = limits
            .iter()
            .filter(|limit| matches!(limit, TierLimit::Vouchers { .. }))
            .count();
        for (kind, count) in [("vouchers", vouchers), ("value", limits.len() - vouchers)] {
            if count + 1 > MAX_LIMITS {
                self.problem(
                    format!("{tier}.limits"),
                    None,
                    format!(
                        "has {count} limits of {kind}: with the tier's own, at most {MAX_LIMITS}"
                    ),
                );
                complete = false;
            }
        }
        complete.then_some(limits)
    }

    fn categories(&mut self, file: Option<Entries<CategoryEntry>>) -> Option<Vec<Category>> {
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
        for (name, entry) in entries {
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
            let category = match entry {
                CategoryEntry::Severity(severity) => self
                    .severity(&path, Some(severity))
                    .map(|severity| Category::plain(name, severity)),
                CategoryEntry::Rules(rules) => self.category_rules(&path, name, rules),
            };
            match category {
                Some(category) => categories.push(category),
                None => complete = false,
            }
        }
        complete.then_some(categories)
    }

    fn severity(&mut self, path: &str, value: Option<String>) -> Option<Severity> {
        let text = self.required(path, value)?;
        match Severity::from_str(text.trim()) {
            Ok(severity) => Some(severity),
            Err(_) => {
                self.problem(
                    path,
                    Some(text),
                    "is not a severity (minor, moderate, major or critical)",
                );
                None
            }
        }
    }

    /// A category written as a table of its own rules.
    fn category_rules(&mut self, path: &str, name: String, file: CategoryFile) -> Option<Category> {
        let severity = self.severity(&format!("{path}.severity"), file.severity);
        let optional_window = |check: &mut Checker, key: &str, value: Option<String>| match value {
            None => Some(None),
            Some(text) => check.window(&format!("{path}.{key}"), Some(text)).map(Some),
        };
        let rate = match file.rate {
            None => Some(None),
            Some(rate) => self.rate(&format!("{path}.rate"), Some(rate)).map(Some),
        };
        let maximum_voucher = match file.maximum_voucher {
            None => Some(None),
            Some(amount) => self
                .amount(&format!("{path}.maximum_voucher"), Some(amount), false)
                .map(Some),
        };
        let maximum_share = match file.maximum_share {
            None => Some(None),
            Some(share) => self
                .share(&format!("{path}.maximum_share"), Some(share))
                .map(Some),
        };
        let claim_window = optional_window(self, "claim_window", file.claim_window);
        let evidence_within = optional_window(self, "evidence_within", file.evidence_within);
        let evidence = match file.evidence {
            None => Some(EvidenceRule::BySeverity),
            Some(text) => match EvidenceRule::from_str(text.trim()) {
                Ok(rule) => Some(rule),
                Err(error) => {
                    self.problem(
                        format!("{path}.evidence"),
                        Some(text),
                        format!(
                            "is not an evidence rule (known: {})",
                            error.known().join(", ")
                        ),
                    );
                    None
                }
            },
        };
        Some(Category {
            name,
            severity: severity?,
            rate: rate?,
            maximum_voucher: maximum_voucher?,
            maximum_share: maximum_share?,
            claim_window: claim_window?,
            evidence: evidence?,
            evidence_within: evidence_within?,
        })
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
        // The refusals of shapes a file need not use come with ways forward of their own.
        for reason in Reason::ALL
            .iter()
            .filter(|reason| reason.kind() == ReasonKind::Refusal)
            .filter(|reason| default_alternatives(**reason).is_empty())
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
