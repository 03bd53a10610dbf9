//! What a suite's decisions exercised: reasons, tiers, categories, outcomes and escalation
//! targets.

use std::fmt;

use crate::{Case, Code, Decision, Engine, EscalationTarget, MarketName, Outcome, Policy, Reason};

/// What the decisions of a suite run exercised, in five areas: the reasons that fired (out of
/// every [`Reason`], whether or not the policy can give it), the policy's tiers and categories,
/// the three outcomes, and the three escalation targets.
///
/// Every decision counts, whether its case passed or failed; a case that could not be read or
/// decided counts for nothing. A tier or category counts when a decision placed the request in
/// it (a category the policy does not list, decided on an explicit severity, counts for none).
/// An engine of several markets has each market's tiers and categories, named `market/name`.
///
/// [`Coverage::percent`] is the share of all the items of the five areas together that were
/// exercised: each reason, tier, category, outcome and target counts the same.
///
/// ```
/// use voucher_policy::{Engine, PolicySuite};
///
/// let report = PolicySuite::load("examples/policies/default.test.toml")?.run(&Engine::default());
/// let coverage = report.coverage();
/// assert_eq!(coverage.outcomes().percent(), 100.0);
/// assert_eq!(coverage.tiers().total(), 5);
/// let all: usize = coverage.areas().iter().map(|area| area.total()).sum();
/// assert_eq!(coverage.total(), all);
/// assert!(coverage.percent() > 80.0, "{coverage}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
pub struct Coverage {
    reasons: CoverageArea,
    tiers: CoverageArea,
    categories: CoverageArea,
    outcomes: CoverageArea,
    escalation_targets: CoverageArea,
}

/// One area of a suite's [`Coverage`]: its items (reason codes, tier names ...) and which of
/// them a decision exercised.
///
/// ```
/// use voucher_policy::{Engine, PolicySuite};
///
/// let report = PolicySuite::load("examples/policies/default.test.toml")?.run(&Engine::default());
/// let targets = report.coverage().escalation_targets();
/// assert_eq!(targets.name(), "escalation targets");
/// assert_eq!((targets.covered(), targets.total()), (3, 3));
/// assert_eq!(targets.missing().count(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
pub struct CoverageArea {
    name: &'static str,
    items: Vec<(String, bool)>,
}

impl Coverage {
    /// The reasons that fired in any decision, out of every [`Reason`].
    pub fn reasons(&self) -> &CoverageArea {
        &self.reasons
    }

    /// The policy's tiers a request was placed in.
    pub fn tiers(&self) -> &CoverageArea {
        &self.tiers
    }

    /// The policy's categories a complaint was placed in.
    pub fn categories(&self) -> &CoverageArea {
        &self.categories
    }

    /// The outcomes decided: `granted`, `refused`, `escalated`.
    pub fn outcomes(&self) -> &CoverageArea {
        &self.outcomes
    }

    /// The escalation targets escalated to: `security`, `legal`, `supervisor`.
    pub fn escalation_targets(&self) -> &CoverageArea {
        &self.escalation_targets
    }

    /// The five areas, in the order above.
    pub fn areas(&self) -> [&CoverageArea; 5] {
        [
            &self.reasons,
            &self.tiers,
            &self.categories,
            &self.outcomes,
            &self.escalation_targets,
        ]
    }

    /// How many items of all five areas were exercised.
    pub fn covered(&self) -> usize {
        self.areas().iter().map(|area| area.covered()).sum()
    }

    /// How many items the five areas hold together.
    pub fn total(&self) -> usize {
        self.areas().iter().map(|area| area.total()).sum()
    }

    /// The overall coverage, from 0 to 100: [`Coverage::covered`] over [`Coverage::total`], the
    /// share of all the items of the five areas together.
    pub fn percent(&self) -> f64 {
        percent(self.covered(), self.total())
    }
}

impl CoverageArea {
    /// The area's name: `reasons`, `tiers`, `categories`, `outcomes` or `escalation targets`.
    pub fn name(&self) -> &str {
        self.name
    }

    /// Every item of the area and whether it was exercised, in the policy's order (the wire
    /// order for reasons, outcomes and targets).
    pub fn items(&self) -> impl Iterator<Item = (&str, bool)> {
        self.items
            .iter()
            .map(|(item, covered)| (item.as_str(), *covered))
    }

    /// The items no decision exercised.
    pub fn missing(&self) -> impl Iterator<Item = &str> {
        self.items()
            .filter(|(_, covered)| !covered)
            .map(|(item, _)| item)
    }

    /// How many items were exercised.
    pub fn covered(&self) -> usize {
        self.items.iter().filter(|(_, covered)| *covered).count()
    }

    /// How many items the area holds.
    pub fn total(&self) -> usize {
        self.items.len()
    }

    /// The share of the items exercised, from 0 to 100; 100 for an area with no item.
    pub fn percent(&self) -> f64 {
        percent(self.covered(), self.total())
    }
}

/// `part` out of `whole`, in percent; all of nothing is all.
fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 100.0;
    }
    // Counts of cases and codes are far below 2^52: the conversions are exact.
    part as f64 * 100.0 / whole as f64
}

/// A percentage rounded down to a tenth, so that a figure below a threshold never prints as
/// the threshold, nor an incomplete area as 100.0%.
fn shown(percent: f64) -> f64 {
    (percent * 10.0).floor() / 10.0
}

impl fmt::Display for CoverageArea {
    /// `reasons: 20 of 29 (69.0%); not covered: customer_listed, ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} of {} ({:.1}%)",
            self.name,
            self.covered(),
            self.total(),
            shown(self.percent())
        )?;
        let mut missing = self.missing();
        if let Some(first) = missing.next() {
            write!(f, "; not covered: {first}")?;
            for item in missing {
                write!(f, ", {item}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Coverage {
    /// The overall figure on one line, then an indented line per area.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "coverage: {:.1}% ({} of {} items)",
            shown(self.percent()),
            self.covered(),
            self.total()
        )?;
        for area in self.areas() {
            write!(f, "\n  {area}")?;
        }
        Ok(())
    }
}

/// What the decisions so far exercised, in the engine's policies.
pub(super) struct Tally<'e> {
    markets: Vec<(Option<&'e MarketName>, &'e Policy)>,
    reasons: crate::Reasons,
    /// For each of `Outcome::NAMES`.
    outcomes: Vec<bool>,
    /// For each of `EscalationTarget::NAMES`.
    targets: Vec<bool>,
    /// For each market, for each of its tiers.
    tiers: Vec<Vec<bool>>,
    /// For each market, for each of its categories.
    categories: Vec<Vec<bool>>,
}

impl<'e> Tally<'e> {
    pub(super) fn new(engine: &'e Engine) -> Self {
        let markets: Vec<_> = engine.markets().collect();
        Tally {
            tiers: markets
                .iter()
                .map(|(_, policy)| vec![false; policy.tiers().len()])
                .collect(),
            categories: markets
                .iter()
                .map(|(_, policy)| vec![false; policy.categories().len()])
                .collect(),
            markets,
            reasons: crate::Reasons::new(),
            outcomes: vec![false; Outcome::NAMES.len()],
            targets: vec![false; EscalationTarget::NAMES.len()],
        }
    }

    /// Counts what one decision exercised.
    pub(super) fn record(&mut self, case: &Case, decision: &Decision) {
        self.reasons = self.reasons.union(decision.reasons());
        mark(
            &mut self.outcomes,
            Outcome::NAMES,
            decision.outcome().as_str(),
        );
        if let Some(target) = decision.verdict().escalate_to() {
            mark(&mut self.targets, EscalationTarget::NAMES, target.as_str());
        }
        // The market decided in: the one the request names, else the first (as the engine
        // picks it); a request naming an unknown market is not decided, so never counted.
        let market = case
            .request()
            .market()
            .and_then(|name| {
                self.markets
                    .iter()
                    .position(|(market, _)| *market == Some(name))
            })
            .unwrap_or(0);
        let verdict = decision.verdict();
        if let Some(tier) = verdict
            .tier_position()
            .and_then(|at| self.tiers.get_mut(market)?.get_mut(at))
        {
            *tier = true;
        }
        if let Some(category) = verdict
            .category_position()
            .and_then(|at| self.categories.get_mut(market)?.get_mut(at))
        {
            *category = true;
        }
    }

    pub(super) fn finish(self) -> Coverage {
        let named = self.markets.len() > 1;
        let label = |market: Option<&MarketName>, item: &str| match market {
            Some(market) if named => format!("{market}/{item}"),
            _ => item.to_owned(),
        };
        let mut tiers = Vec::new();
        let mut categories = Vec::new();
        for (((market, policy), tiers_hit), categories_hit) in
            self.markets.iter().zip(&self.tiers).zip(&self.categories)
        {
            tiers.extend(
                policy
                    .tiers()
                    .iter()
                    .zip(tiers_hit)
                    .map(|(tier, hit)| (label(*market, &tier.name), *hit)),
            );
            categories.extend(
                policy
                    .categories()
                    .iter()
                    .zip(categories_hit)
                    .map(|(category, hit)| (label(*market, &category.name), *hit)),
            );
        }
        let reasons = self.reasons;
        Coverage {
            reasons: CoverageArea {
                name: "reasons",
                items: <Reason as Code>::ALL
                    .iter()
                    .map(|reason| (reason.as_str().to_owned(), reasons.contains(*reason)))
                    .collect(),
            },
            tiers: CoverageArea {
                name: "tiers",
                items: tiers,
            },
            categories: CoverageArea {
                name: "categories",
                items: categories,
            },
            outcomes: flags_area("outcomes", Outcome::NAMES, self.outcomes),
            escalation_targets: flags_area(
                "escalation targets",
                EscalationTarget::NAMES,
                self.targets,
            ),
        }
    }
}

/// Marks the flag at `name`'s position among `names`.
fn mark(flags: &mut [bool], names: &[&str], name: &str) {
    if let Some(flag) = names
        .iter()
        .position(|known| *known == name)
        .and_then(|at| flags.get_mut(at))
    {
        *flag = true;
    }
}

/// An area of fixed names, each with its flag.
fn flags_area(name: &'static str, names: &[&str], flags: Vec<bool>) -> CoverageArea {
    CoverageArea {
        name,
        items: names
            .iter()
            .zip(flags)
            .map(|(item, hit)| ((*item).to_owned(), hit))
            .collect(),
    }
}
