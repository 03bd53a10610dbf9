//! Properties of one policy, proved over every point of its grid or refuted with a replayed
//! case.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Serialize;

use super::counterexample::Counterexample;
use super::grid::{Context, Grid};
use super::pairs::{Point, Side, walk};
use super::profile::{Asker, Profile, thresholds};
use super::ruling::{Rule, units};
use crate::{AnalysisError, Engine, Evidence, Party, Policy, Ruling, Severity};

/// A property a policy should have, checked by [`Policy::check`] over every point of the
/// policy's grid (see [`Policy::compare`] for what the grid covers).
///
/// ```
/// use voucher_policy::{Policy, Property};
///
/// let property: Property = "never-above=150000".parse()?;
/// assert!(Policy::default().check(&property)?.holds());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Property {
    /// No voucher is ever granted above this amount.
    NeverAbove(Decimal),
    /// No customer on this list of the policy is ever granted a voucher (a list of customers
    /// flagged for review).
    NoGrantToList(String),
    /// A customer of a higher tier (later in the policy's list) never gets less than one of the
    /// tier below for the same case: never a smaller voucher, a refusal or an undecidable
    /// request where the tier below is granted (an escalation is not less: someone senior
    /// decides).
    HigherTierNeverLess,
    /// No voucher without a valid complaint: never when the customer is at fault, when the
    /// company was not, or for a major complaint without evidence.
    NoGrantWithoutValidComplaint,
    /// Every refusal offers the customer a way forward.
    RefusalsOfferAWayForward,
}

impl Property {
    /// The properties every policy is expected to have, with `never-above` at the policy's
    /// largest voucher.
    pub fn standard(policy: &Policy) -> Vec<Property> {
        vec![
            Property::NeverAbove(policy.maximum_voucher()),
            Property::HigherTierNeverLess,
            Property::NoGrantWithoutValidComplaint,
            Property::RefusalsOfferAWayForward,
        ]
    }
}

impl fmt::Display for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Property::NeverAbove(amount) => write!(f, "never-above={amount}"),
            Property::NoGrantToList(list) => write!(f, "no-grant-to-list={list}"),
            Property::HigherTierNeverLess => f.write_str("higher-tier-never-less"),
            Property::NoGrantWithoutValidComplaint => {
                f.write_str("no-grant-without-valid-complaint")
            }
            Property::RefusalsOfferAWayForward => f.write_str("refusals-offer-a-way-forward"),
        }
    }
}

impl FromStr for Property {
    type Err = AnalysisError;

    /// Reads a property as [`Display`](fmt::Display) writes it: `never-above=150000`,
    /// `no-grant-to-list=review`, `higher-tier-never-less`, `no-grant-without-valid-complaint`,
    /// `refusals-offer-a-way-forward`.
    fn from_str(text: &str) -> Result<Property, AnalysisError> {
        let unknown = || AnalysisError::Property {
            text: text.to_owned(),
        };
        let (name, value) = match text.split_once('=') {
            Some((name, value)) => (name.trim(), Some(value.trim())),
            None => (text.trim(), None),
        };
        match (name, value) {
            ("never-above", Some(amount)) => amount
                .parse()
                .map(Property::NeverAbove)
                .map_err(|_| unknown()),
            ("no-grant-to-list", Some(list)) if !list.is_empty() => {
                Ok(Property::NoGrantToList(list.to_owned()))
            }
            ("higher-tier-never-less", None) => Ok(Property::HigherTierNeverLess),
            ("no-grant-without-valid-complaint", None) => {
                Ok(Property::NoGrantWithoutValidComplaint)
            }
            ("refusals-offer-a-way-forward", None) => Ok(Property::RefusalsOfferAWayForward),
            _ => Err(unknown()),
        }
    }
}

/// The answer of [`Policy::check`]: the property holds at every point of the grid, or a
/// replayed case refutes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PropertyReport {
    /// The property.
    pub property: Property,
    /// How many points of the grid were checked.
    pub points: u64,
    /// A case that refutes the property; `None` when it holds.
    pub counterexample: Option<Counterexample>,
    /// What the grid could not enumerate in full, in words; empty when the check is exhaustive.
    pub partial: Vec<String>,
}

impl PropertyReport {
    /// Whether the property holds at every point.
    pub fn holds(&self) -> bool {
        self.counterexample.is_none()
    }
}

impl fmt::Display for PropertyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.counterexample {
            None => write!(f, "{}: holds ({} points)", self.property, self.points)?,
            Some(example) => {
                write!(f, "{}: refuted by {}", self.property, example.summary)?;
                match &example.other_case {
                    Some(_) => write!(
                        f,
                        " (it {}; one tier up, it {})",
                        example.first, example.second
                    )?,
                    None => write!(f, " (it {})", example.first)?,
                }
            }
        }
        for note in &self.partial {
            write!(f, "; not exhaustive: {note}")?;
        }
        Ok(())
    }
}

/// A point found, before it is replayed.
struct Found {
    contexts: [usize; 2],
    totals: Vec<Decimal>,
    point: Point,
    rules: [Rule; 2],
}

impl Policy {
    /// Checks `property` at every point of this policy's grid: a proof over the partition of
    /// the input space the policy's thresholds draw (see [`Policy::compare`] for what it
    /// covers), or a counterexample replayed through the engine.
    pub fn check(&self, property: &Property) -> Result<PropertyReport, AnalysisError> {
        if let Property::NoGrantToList(list) = property
            && self.list(list).is_none()
        {
            return Err(AnalysisError::UnknownList { list: list.clone() });
        }
        let engine = Engine::new(self.clone());
        let grid = Grid::of(&[self]);
        let mut partial = grid.partial.clone();
        let mut points = 0_u64;
        let mut found: Option<Found> = None;
        let mut role_thresholds: Option<Vec<Option<i128>>> = None;
        let mut asker = Asker::new(&engine, &grid);
        let pairs: Vec<[usize; 2]> = match property {
            Property::HigherTierNeverLess => tier_pairs(self, &grid),
            _ => (0..grid.contexts.len())
                .map(|index| [index, index])
                .collect(),
        };
        for [first, second] in pairs {
            if found.is_some() {
                break;
            }
            let (Some(context_a), Some(context_b)) =
                (grid.contexts.get(first), grid.contexts.get(second))
            else {
                continue;
            };
            let mut totals = grid.totals(&[self], context_a, &mut partial);
            if first != second {
                totals.extend(grid.totals(&[self], context_b, &mut partial));
                totals.sort();
                totals.dedup();
            }
            let thresholds =
                role_thresholds.get_or_insert_with(|| thresholds(&engine, &grid, &totals));
            let profile_a = asker.profile(context_a, &totals);
            let profile_b = if first == second {
                profile_a.clone()
            } else {
                asker.profile(context_b, &totals)
            };
            if let Property::RefusalsOfferAWayForward = property {
                points += 1;
                if let Some(point) = refusal_without_way(&grid, &profile_a) {
                    found = Some(Found {
                        contexts: [first, first],
                        totals: totals.clone(),
                        point,
                        rules: [Rule::Refused, Rule::Refused],
                    });
                }
                continue;
            }
            let sides = [
                Side {
                    profile: &profile_a,
                    thresholds,
                },
                Side {
                    profile: &profile_b,
                    thresholds,
                },
            ];
            points += walk(&grid, sides, |a, b, point| {
                if found.is_some() {
                    return;
                }
                if violates(self, property, &grid, context_a, point, a, b) {
                    found = Some(Found {
                        contexts: [first, second],
                        totals: totals.clone(),
                        point,
                        rules: [a, b],
                    });
                }
            });
        }
        partial.sort();
        partial.dedup();
        let counterexample = match found {
            None => None,
            Some(found) => {
                let (Some(a), Some(b)) = (
                    grid.contexts.get(found.contexts[0]),
                    grid.contexts.get(found.contexts[1]),
                ) else {
                    return Err(AnalysisError::Property {
                        text: property.to_string(),
                    });
                };
                let mut example = Counterexample::replayed(
                    &grid,
                    [&engine, &engine],
                    [a, b],
                    &found.totals,
                    found.point,
                    found.rules,
                    &property.to_string(),
                )?;
                if let Property::RefusalsOfferAWayForward = property {
                    let replayed = engine.decide_case(&example.case);
                    let confirmed = replayed.as_ref().is_ok_and(|decision| {
                        decision.verdict().alternatives().is_empty()
                            && Ruling::of(&replayed) == Ruling::Refused
                    });
                    if !confirmed {
                        return Err(AnalysisError::Unconfirmed {
                            what: property.to_string(),
                            case: format!("{:?}", example.case),
                            predicted: "a refusal without a way forward".to_owned(),
                            replayed: Ruling::of(&replayed).to_string(),
                        });
                    }
                    example.other_case = None;
                }
                Some(example)
            }
        };
        Ok(PropertyReport {
            property: property.clone(),
            points,
            counterexample,
            partial,
        })
    }
}

/// Every pair of contexts that differ only in the tier, the lower tier first.
fn tier_pairs(policy: &Policy, grid: &Grid) -> Vec<[usize; 2]> {
    let rank = |name: &str| policy.tiers().iter().position(|tier| tier.name == name);
    let mut pairs = Vec::new();
    for (low, lower) in grid.contexts.iter().enumerate() {
        for (high, higher) in grid.contexts.iter().enumerate() {
            let same = Context {
                tier: lower.tier.clone(),
                ..higher.clone()
            };
            if same == *lower
                && let (Some(a), Some(b)) = (rank(&lower.tier), rank(&higher.tier))
                && b == a + 1
            {
                pairs.push([low, high]);
            }
        }
    }
    pairs
}

/// Whether the rules at a point break the property.
fn violates(
    policy: &Policy,
    property: &Property,
    grid: &Grid,
    context: &Context,
    point: Point,
    a: Rule,
    b: Rule,
) -> bool {
    match property {
        Property::NeverAbove(limit) => matches!(a, Rule::Granted(amount) if amount > units(*limit)),
        Property::NoGrantToList(list) => {
            context.lists.contains(list) && matches!(a, Rule::Granted(_))
        }
        Property::HigherTierNeverLess => {
            let granted = |rule: Rule| match rule {
                Rule::Granted(amount) => amount,
                _ => 0,
            };
            // An escalation hands the case to someone who may grant more: never less.
            !matches!(b, Rule::Escalated(_)) && granted(b) < granted(a)
        }
        Property::NoGrantWithoutValidComplaint => {
            let Rule::Granted(_) = a else {
                return false;
            };
            let statics = grid.statics.get(point.statics).copied();
            statics.is_some_and(|statics| {
                statics.fault == Some(Party::Customer)
                    || statics.company_at_fault == Some(false)
                    || (statics.evidence == Evidence::None
                        && context_severity(policy, context) == Some(Severity::Major))
            })
        }
        Property::RefusalsOfferAWayForward => false,
    }
}

/// The severity a complaint of the context has under `policy`, when it sets one or its
/// category does.
fn context_severity(policy: &Policy, context: &Context) -> Option<Severity> {
    context
        .complaint
        .severity
        .or_else(|| policy.category_severity(&context.complaint.category))
}

/// A refusal that offers nothing: at a static point, or by a history at the clean point.
fn refusal_without_way(grid: &Grid, profile: &Profile) -> Option<Point> {
    let empty = 0;
    let base = Point {
        statics: 0,
        conduct: 0,
        history: empty,
        acting: 0,
        total: 0,
        requested: 0,
    };
    if profile.undecidable.is_some() {
        return None;
    }
    if let Some(statics) = profile.statics.1.iter().position(|without| *without) {
        return Some(Point { statics, ..base });
    }
    let clean = grid.clean_statics();
    profile
        .histories
        .iter()
        .position(|part| part.no_way_forward)
        .map(|history| Point {
            statics: clean,
            history,
            ..base
        })
}
