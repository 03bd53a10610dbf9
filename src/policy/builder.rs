//! Policies in code: start from the default policy (or any other) and change what you name.

use chrono::FixedOffset;
use rust_decimal::Decimal;

use super::EvidenceRule;
use super::file::{
    CategoryEntry, CategoryFile, ConductFile, Entries, FaultFile, FollowUpFile, LimitFile,
    ListFile, Number, PolicyFile, RepeatedMinorFile, RoleFile, SeverityRatesFile, SharesFile,
    TierFile, YoungAccountsFile,
};
use super::{Policy, Role};
use crate::{
    Alternative, Currency, EscalationTarget, Locale, Party, PolicyError, Reason, Severity, Window,
};

/// A policy built in code: every change named, checked when it is built with the same rules
/// and the same errors as a policy file ([`PolicyError::Invalid`], each problem with its path).
///
/// Start from the embedded default policy ([`Policy::builder`]) or from any policy
/// ([`Policy::to_builder`]); what is not changed stays as it was.
///
/// ```
/// use rust_decimal::Decimal;
/// use voucher_policy::{Alternative, Policy, Reason, Severity, Window};
///
/// let policy = Policy::builder()
///     .name("our-shop")
///     .version("2027-01")
///     .agent_authority(120_000)
///     .count_window(Window::days(14).ok_or("not a window")?)
///     .tier("gold", |gold| gold.voucher_limit(4).multiplier(Decimal::new(13, 1)))
///     .tier("diamond", |diamond| {
///         diamond.voucher_limit(4).value_limit(500_000).multiplier(2).thank_loyalty(true)
///     })
///     .category("melted_ice_cream", Severity::Minor)
///     .alternatives(Reason::ClaimWindowExpired, [Alternative::PrioritySupport])
///     .build()?;
/// assert_eq!(policy.tier("gold").map(|gold| gold.voucher_limit), Some(4));
/// assert_eq!(policy.tiers().last().map(|tier| tier.name.as_str()), Some("diamond"));
///
/// // A change the rules refuse is named by its path, as in a file.
/// let error = Policy::builder().tier("gold", |gold| gold.value_limit(-5)).build();
/// let error = error.err().ok_or("it built")?;
/// assert_eq!(error.problems()[0].to_string(), "tiers.gold.value_limit: -5 is negative");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until it is built"]
pub struct PolicyBuilder {
    file: PolicyFile,
}

impl Policy {
    /// A builder that starts from the embedded default policy.
    pub fn builder() -> PolicyBuilder {
        Policy::default().to_builder()
    }

    /// A builder that starts from this policy.
    pub fn to_builder(&self) -> PolicyBuilder {
        PolicyBuilder {
            file: PolicyFile::from(self),
        }
    }
}

/// A decimal as a policy file would write it.
fn number(value: impl Into<Decimal>) -> Option<Number> {
    Some(Number(value.into().to_string()))
}

impl PolicyBuilder {
    /// The policy's name, reported in every decision.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.file.name = Some(name.into());
        self
    }

    /// The policy's version, reported in every decision.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.file.version = Some(version.into());
        self
    }

    /// The currency every amount is in.
    pub fn currency(mut self, currency: Currency) -> Self {
        self.file.currency = Some(currency.to_string());
        self
    }

    /// The smallest unit a voucher is rounded down to.
    pub fn step(mut self, step: impl Into<Decimal>) -> Self {
        self.file.step = number(step);
        self
    }

    /// The UTC offset the customers read dates in.
    pub fn local_offset(mut self, offset: FixedOffset) -> Self {
        self.file.local_offset = Some(offset.to_string());
        self
    }

    /// The smallest voucher the policy computes.
    pub fn minimum_voucher(mut self, amount: impl Into<Decimal>) -> Self {
        self.file.minimum_voucher = number(amount);
        self
    }

    /// The largest voucher the policy grants.
    pub fn maximum_voucher(mut self, amount: impl Into<Decimal>) -> Self {
        self.file.maximum_voucher = number(amount);
        self
    }

    /// The most an agent may grant without a supervisor.
    pub fn agent_authority(mut self, amount: impl Into<Decimal>) -> Self {
        self.file.agent_authority = number(amount);
        self
    }

    /// How long a voucher stays valid.
    pub fn voucher_validity(mut self, window: Window) -> Self {
        self.file.voucher_validity = Some(window.to_string());
        self
    }

    /// How long after delivery (or placement) a complaint may be compensated.
    pub fn claim_window(mut self, window: Window) -> Self {
        self.file.claim_window = Some(window.to_string());
        self
    }

    /// The rolling window the per-tier voucher count is measured over.
    pub fn count_window(mut self, window: Window) -> Self {
        self.file.count_window = Some(window.to_string());
        self
    }

    /// The rolling window the per-tier voucher value is measured over.
    pub fn value_window(mut self, window: Window) -> Self {
        self.file.value_window = Some(window.to_string());
        self
    }

    /// After any voucher, how long a minor complaint gets no other.
    pub fn minor_cooldown(mut self, window: Window) -> Self {
        self.file.minor_cooldown = Some(window.to_string());
        self
    }

    /// The repeated-minor-complaints pattern: `threshold` minor-complaint vouchers inside
    /// `window`.
    pub fn repeated_minor(mut self, threshold: u32, window: Window) -> Self {
        self.file.repeated_minor = Some(RepeatedMinorFile {
            threshold: Some(i64::from(threshold)),
            window: Some(window.to_string()),
        });
        self
    }

    /// The share of the order total a severity is worth, from 0 to 1.
    pub fn severity_rate(mut self, severity: Severity, rate: impl Into<Decimal>) -> Self {
        let rates = self
            .file
            .severity_rates
            .get_or_insert_with(SeverityRatesFile::default);
        let slot = match severity {
            Severity::Minor => &mut rates.minor,
            Severity::Moderate => &mut rates.moderate,
            Severity::Major => &mut rates.major,
            Severity::Critical => &mut rates.critical,
        };
        *slot = number(rate);
        self
    }

    /// Changes the tier called `name` as `change` says, or adds it after the others when the
    /// policy has none of that name (then every limit must be given).
    pub fn tier(mut self, name: &str, change: impl FnOnce(TierBuilder) -> TierBuilder) -> Self {
        let tiers = self.file.tiers.get_or_insert_with(Vec::new);
        let position = tiers
            .iter()
            .position(|tier| tier.name.as_deref() == Some(name));
        let tier = match position.and_then(|at| tiers.get(at)) {
            Some(tier) => tier.clone(),
            None => TierFile {
                name: Some(name.to_owned()),
                ..TierFile::default()
            },
        };
        let TierBuilder { file } = change(TierBuilder { file: tier });
        match position.and_then(|at| tiers.get_mut(at)) {
            Some(slot) => *slot = file,
            None => tiers.push(file),
        }
        self
    }

    /// Removes the tier called `name`, if there is one.
    pub fn without_tier(mut self, name: &str) -> Self {
        if let Some(tiers) = &mut self.file.tiers {
            tiers.retain(|tier| tier.name.as_deref() != Some(name));
        }
        self
    }

    /// Sets the severity a complaint category defaults to, adding the category when the
    /// policy has none of that name; the category's own rules, if it has any, stay.
    pub fn category(self, name: &str, severity: Severity) -> Self {
        self.category_rules(name, |rules| rules.severity(severity))
    }

    /// Changes the rules of the category called `name` as `change` says (a rate, caps, a claim
    /// window, evidence and its deadline), or adds it when the policy has none of that name
    /// (then its severity must be given).
    pub fn category_rules(
        mut self,
        name: &str,
        change: impl FnOnce(CategoryBuilder) -> CategoryBuilder,
    ) -> Self {
        let Entries(categories) = self.file.categories.get_or_insert_with(Entries::default);
        let position = categories.iter().position(|(known, _)| known == name);
        let rules = match position.and_then(|at| categories.get(at)) {
            Some((_, CategoryEntry::Rules(rules))) => rules.clone(),
            Some((_, CategoryEntry::Severity(severity))) => CategoryFile {
                severity: Some(severity.clone()),
                ..CategoryFile::default()
            },
            None => CategoryFile::default(),
        };
        let CategoryBuilder { file } = change(CategoryBuilder { file: rules });
        let entry = if file
            == (CategoryFile {
                severity: file.severity.clone(),
                ..CategoryFile::default()
            }) {
            match &file.severity {
                Some(severity) => CategoryEntry::Severity(severity.clone()),
                None => CategoryEntry::Rules(file),
            }
        } else {
            CategoryEntry::Rules(file)
        };
        match position.and_then(|at| categories.get_mut(at)) {
            Some((_, slot)) => *slot = entry,
            None => categories.push((name.to_owned(), entry)),
        }
        self
    }

    /// The largest voucher as a share of the order total for complaints of `severity` (1 is
    /// the whole order total; above 1, more than the order, for a gift card).
    pub fn maximum_share(mut self, severity: Severity, share: impl Into<Decimal>) -> Self {
        let shares = self
            .file
            .maximum_share
            .get_or_insert_with(SharesFile::default);
        let slot = match severity {
            Severity::Minor => &mut shares.minor,
            Severity::Moderate => &mut shares.moderate,
            Severity::Major => &mut shares.major,
            Severity::Critical => &mut shares.critical,
        };
        *slot = number(share);
        self
    }

    /// What the policy asks of an account younger than `younger_than`: at most
    /// `lifetime_vouchers` vouchers in all (`None` for no such limit), and evidence for every
    /// claim when `evidence_required`.
    pub fn young_accounts(
        mut self,
        younger_than: Window,
        lifetime_vouchers: Option<u32>,
        evidence_required: bool,
    ) -> Self {
        self.file.young_accounts = Some(YoungAccountsFile {
            younger_than: Some(younger_than.to_string()),
            lifetime_vouchers: lifetime_vouchers.map(i64::from),
            evidence_required: Some(evidence_required),
        });
        self
    }

    /// The parties whose faults are compensated (a customer at fault never is).
    pub fn compensated_parties(mut self, parties: impl IntoIterator<Item = Party>) -> Self {
        let fault = self.file.fault.get_or_insert_with(FaultFile::default);
        fault.compensated = Some(parties.into_iter().map(|party| party.to_string()).collect());
        self
    }

    /// Who bears the cost of a voucher when `fault` was at fault.
    pub fn cost_borne_by(mut self, fault: Party, bearer: Party) -> Self {
        let file = self.file.fault.get_or_insert_with(FaultFile::default);
        let Entries(costs) = file.cost_borne_by.get_or_insert_with(Entries::default);
        match costs
            .iter_mut()
            .find(|(party, _)| *party == fault.to_string())
        {
            Some((_, slot)) => *slot = bearer.to_string(),
            None => costs.push((fault.to_string(), bearer.to_string())),
        }
        self
    }

    /// A customer list a request may name: every request of a listed customer escalates to
    /// `escalate_to` (when given), and the refusals in `waives` do not apply to them.
    pub fn list(
        mut self,
        name: &str,
        escalate_to: Option<EscalationTarget>,
        waives: impl IntoIterator<Item = Reason>,
    ) -> Self {
        let Entries(lists) = self.file.lists.get_or_insert_with(Entries::default);
        let waived: Vec<String> = waives
            .into_iter()
            .map(|reason| reason.to_string())
            .collect();
        let list = ListFile {
            escalate_to: escalate_to.map(|target| target.to_string()),
            waive: (!waived.is_empty()).then_some(waived),
        };
        match lists.iter_mut().find(|(known, _)| known == name) {
            Some((_, slot)) => *slot = list,
            None => lists.push((name.to_owned(), list)),
        }
        self
    }

    /// A role that decides or approves (`supervisor`, `team_lead`): the largest voucher of one
    /// grant and the most one person grants in a day (`None`: no daily limit). Every role but
    /// `agent` approves escalated cases; the agent's authority is
    /// [`agent_authority`](PolicyBuilder::agent_authority), and giving `agent` here sets only
    /// its daily budget.
    ///
    /// ```
    /// use voucher_policy::Policy;
    ///
    /// let policy = Policy::default()
    ///     .to_builder()
    ///     .role("agent", 0, Some(2_000_000.into()))
    ///     .role("team_lead", 200_000, None)
    ///     .build()?;
    /// assert_eq!(policy.role("agent").ok_or("agent")?.daily_budget, Some(2_000_000.into()));
    /// assert!(policy.role("team_lead").ok_or("team lead")?.approves);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn role(
        mut self,
        name: &str,
        authority: impl Into<Decimal>,
        daily_budget: Option<Decimal>,
    ) -> Self {
        let Entries(roles) = self
            .file
            .roles
            .get_or_insert_with(|| Entries(vec![(Role::AGENT.to_owned(), RoleFile::default())]));
        let role = RoleFile {
            authority: if name == Role::AGENT {
                None
            } else {
                number(authority)
            },
            daily_budget: daily_budget.and_then(number),
            approves: None,
        };
        match roles.iter_mut().find(|(known, _)| known == name) {
            Some((_, slot)) => *slot = role,
            None => roles.push((name.to_owned(), role)),
        }
        self
    }

    /// How many warnings a customer gets before abuse closes the conversation and personal
    /// advances go to a supervisor.
    pub fn warnings_before_close(mut self, warnings: u32) -> Self {
        self.file.conduct = Some(ConductFile {
            warnings_before_close: Some(i64::from(warnings)),
        });
        self
    }

    /// How soon `target` follows an escalated case up.
    pub fn follow_up(mut self, target: EscalationTarget, within: Window) -> Self {
        let file = self
            .file
            .follow_up
            .get_or_insert_with(FollowUpFile::default);
        let slot = match target {
            EscalationTarget::Supervisor => &mut file.supervisor,
            EscalationTarget::Legal => &mut file.legal,
            EscalationTarget::Security => &mut file.security,
        };
        *slot = Some(within.to_string());
        self
    }

    /// The locale of a script when a request asks for none.
    pub fn locale(mut self, locale: Locale) -> Self {
        self.file.locale = Some(locale.to_string());
        self
    }

    /// Removes the complaint category called `name`, if there is one.
    pub fn without_category(mut self, name: &str) -> Self {
        if let Some(Entries(categories)) = &mut self.file.categories {
            categories.retain(|(known, _)| known != name);
        }
        self
    }

    /// The ways forward a refusal for `reason` offers (a refusal reason must offer at least
    /// one).
    pub fn alternatives(
        mut self,
        reason: Reason,
        offered: impl IntoIterator<Item = Alternative>,
    ) -> Self {
        let names: Vec<String> = offered.into_iter().map(|way| way.to_string()).collect();
        let Entries(entries) = self.file.alternatives.get_or_insert_with(Entries::default);
        let key = reason.to_string();
        match entries.iter_mut().find(|(known, _)| *known == key) {
            Some((_, known)) => *known = names,
            None => entries.push((key, names)),
        }
        self
    }

    /// The policy, checked by the rules of a policy file; every rule it breaks is listed, each
    /// with its path (`tiers.gold.value_limit`).
    pub fn build(self) -> Result<Policy, PolicyError> {
        Policy::from_file(self.file)
    }
}

/// Changes to one tier of a [`PolicyBuilder`].
#[derive(Debug, Clone)]
#[must_use = "a tier's changes are kept only when the closure returns them"]
pub struct TierBuilder {
    file: TierFile,
}

impl TierBuilder {
    /// How many vouchers a customer of this tier may get inside the rolling count window.
    pub fn voucher_limit(mut self, limit: u32) -> Self {
        self.file.voucher_limit = Some(i64::from(limit));
        self
    }

    /// How much value a customer of this tier may get inside the rolling value window.
    pub fn value_limit(mut self, limit: impl Into<Decimal>) -> Self {
        self.file.value_limit = number(limit);
        self
    }

    /// The multiplier on the voucher amount.
    pub fn multiplier(mut self, multiplier: impl Into<Decimal>) -> Self {
        self.file.multiplier = number(multiplier);
        self
    }

    /// Whether the script thanks the customer for their loyalty.
    pub fn thank_loyalty(mut self, thank: bool) -> Self {
        self.file.thank_loyalty = Some(thank);
        self
    }

    /// A further limit: at most `limit` vouchers inside `window`.
    pub fn vouchers_within(mut self, limit: u32, window: Window) -> Self {
        self.file
            .limits
            .get_or_insert_with(Vec::new)
            .push(LimitFile {
                vouchers: Some(i64::from(limit)),
                value: None,
                window: Some(window.to_string()),
            });
        self
    }

    /// A further limit: at most `limit` in value inside `window`.
    pub fn value_within(mut self, limit: impl Into<Decimal>, window: Window) -> Self {
        self.file
            .limits
            .get_or_insert_with(Vec::new)
            .push(LimitFile {
                vouchers: None,
                value: number(limit),
                window: Some(window.to_string()),
            });
        self
    }

    /// No further limits: only the tier's voucher limit and value limit.
    pub fn without_further_limits(mut self) -> Self {
        self.file.limits = None;
        self
    }
}

/// Changes to one category of a [`PolicyBuilder`].
#[derive(Debug, Clone)]
#[must_use = "a category's changes are kept only when the closure returns them"]
pub struct CategoryBuilder {
    file: CategoryFile,
}

impl CategoryBuilder {
    /// The severity a complaint in the category has unless the agent sets one.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.file.severity = Some(severity.to_string());
        self
    }

    /// The share of the order total a voucher is worth, instead of the severity's rate.
    pub fn rate(mut self, rate: impl Into<Decimal>) -> Self {
        self.file.rate = number(rate);
        self
    }

    /// The largest voucher, instead of the policy's maximum voucher.
    pub fn maximum_voucher(mut self, amount: impl Into<Decimal>) -> Self {
        self.file.maximum_voucher = number(amount);
        self
    }

    /// The largest voucher as a share of the order total.
    pub fn maximum_share(mut self, share: impl Into<Decimal>) -> Self {
        self.file.maximum_share = number(share);
        self
    }

    /// How long after delivery (or placement) a complaint may still be compensated.
    pub fn claim_window(mut self, window: Window) -> Self {
        self.file.claim_window = Some(window.to_string());
        self
    }

    /// Whether a complaint in the category needs evidence.
    pub fn evidence(mut self, rule: EvidenceRule) -> Self {
        self.file.evidence = Some(rule.to_string());
        self
    }

    /// Evidence counts only when it came within `window` after delivery (or placement).
    pub fn evidence_within(mut self, window: Window) -> Self {
        self.file.evidence_within = Some(window.to_string());
        self
    }
}
