//! Comparing two policies over every point of the grid of both: whether the second is at least
//! as strict as the first, at least as generous, both, or neither, and a replayed case for each
//! kind of difference.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use rust_decimal::Decimal;
use serde::Serialize;

use super::counterexample::Counterexample;
use super::grid::{Context, Grid};
use super::pairs::{Point, Side, walk};
use super::profile::{Asker, Profile, thresholds};
use super::ruling::Rule;
use crate::{AnalysisError, Engine, Policy, PolicyId, Ruling};

/// How the second policy of a comparison stands to the first, by the voucher each grants for the
/// same case (refusals, escalations and requests it cannot decide grant nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Relation {
    /// Every case gets the same ruling under both.
    Equivalent,
    /// Every case gets the same voucher, but some are refused under one policy and escalated
    /// under the other, or escalated to someone else.
    SameVouchers,
    /// The second never grants more, and sometimes less.
    Stricter,
    /// The second never grants less, and sometimes more.
    MoreGenerous,
    /// The second grants more for some cases and less for others.
    Incomparable,
}

impl Relation {
    /// Whether the second policy is at least as strict as the first: it never grants more.
    pub fn at_least_as_strict(self) -> bool {
        matches!(
            self,
            Relation::Equivalent | Relation::SameVouchers | Relation::Stricter
        )
    }

    /// Whether the second policy is at least as generous as the first: it never grants less.
    pub fn at_least_as_generous(self) -> bool {
        matches!(
            self,
            Relation::Equivalent | Relation::SameVouchers | Relation::MoreGenerous
        )
    }

    /// The relation in words, the second policy the subject.
    pub fn describe(self) -> &'static str {
        match self {
            Relation::Equivalent => "decides every case the same way",
            Relation::SameVouchers => {
                "grants the same voucher in every case, but routes some differently"
            }
            Relation::Stricter => "is stricter: it never grants more, and sometimes less",
            Relation::MoreGenerous => "is more generous: it never grants less, and sometimes more",
            Relation::Incomparable => "grants more in some cases and less in others",
        }
    }
}

/// A kind of difference between two policies' rulings on one case, the first policy's ruling
/// first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DifferenceKind {
    /// Both grant; the second grants more.
    MoreGranted,
    /// Both grant; the second grants less.
    LessGranted,
    /// The first refuses, the second grants.
    RefusedToGranted,
    /// The first escalates, the second grants.
    EscalatedToGranted,
    /// The first cannot decide the request, the second grants.
    UndecidableToGranted,
    /// The first grants, the second refuses.
    GrantedToRefused,
    /// The first grants, the second escalates.
    GrantedToEscalated,
    /// The first grants, the second cannot decide the request.
    GrantedToUndecidable,
    /// The first refuses, the second escalates.
    RefusedToEscalated,
    /// The first escalates, the second refuses.
    EscalatedToRefused,
    /// Both escalate, to different people.
    EscalatedElsewhere,
    /// The first decides without a voucher (refuses or escalates), the second cannot decide.
    DecidedToUndecidable,
    /// The first cannot decide, the second decides without a voucher.
    UndecidableToDecided,
}

impl DifferenceKind {
    /// Every kind, in the order of the enum.
    pub const ALL: [DifferenceKind; 13] = [
        DifferenceKind::MoreGranted,
        DifferenceKind::LessGranted,
        DifferenceKind::RefusedToGranted,
        DifferenceKind::EscalatedToGranted,
        DifferenceKind::UndecidableToGranted,
        DifferenceKind::GrantedToRefused,
        DifferenceKind::GrantedToEscalated,
        DifferenceKind::GrantedToUndecidable,
        DifferenceKind::RefusedToEscalated,
        DifferenceKind::EscalatedToRefused,
        DifferenceKind::EscalatedElsewhere,
        DifferenceKind::DecidedToUndecidable,
        DifferenceKind::UndecidableToDecided,
    ];

    /// The kind of difference between two rulings of one case, the first policy's first; `None`
    /// when they are the same.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use voucher_policy::{DifferenceKind, Ruling};
    ///
    /// let kind = DifferenceKind::between(&Ruling::Refused, &Ruling::Granted(Decimal::from(5_000)));
    /// assert_eq!(kind, Some(DifferenceKind::RefusedToGranted));
    /// ```
    pub fn between(first: &Ruling, second: &Ruling) -> Option<DifferenceKind> {
        DifferenceKind::of(first.rule(), second.rule())
    }

    /// The kind of difference between `a` and `b`, if they differ.
    pub(super) fn of(a: Rule, b: Rule) -> Option<DifferenceKind> {
        use DifferenceKind::*;
        Some(match (a, b) {
            _ if a == b => return None,
            (Rule::Granted(x), Rule::Granted(y)) => {
                if y > x {
                    MoreGranted
                } else {
                    LessGranted
                }
            }
            (Rule::Refused, Rule::Granted(_)) => RefusedToGranted,
            (Rule::Escalated(_), Rule::Granted(_)) => EscalatedToGranted,
            (Rule::Undecidable, Rule::Granted(_)) => UndecidableToGranted,
            (Rule::Granted(_), Rule::Refused) => GrantedToRefused,
            (Rule::Granted(_), Rule::Escalated(_)) => GrantedToEscalated,
            (Rule::Granted(_), Rule::Undecidable) => GrantedToUndecidable,
            (Rule::Refused, Rule::Escalated(_)) => RefusedToEscalated,
            (Rule::Escalated(_), Rule::Refused) => EscalatedToRefused,
            (Rule::Escalated(_), Rule::Escalated(_)) => EscalatedElsewhere,
            (_, Rule::Undecidable) => DecidedToUndecidable,
            (Rule::Undecidable, _) => UndecidableToDecided,
            // Equal rules returned above; the compiler cannot see it through the guard.
            (Rule::Refused, Rule::Refused) => return None,
        })
    }

    /// Whether the second policy grants more than the first in a difference of this kind.
    pub fn second_grants_more(self) -> bool {
        use DifferenceKind::*;
        matches!(
            self,
            MoreGranted | RefusedToGranted | EscalatedToGranted | UndecidableToGranted
        )
    }

    /// Whether the second policy grants less than the first in a difference of this kind.
    pub fn second_grants_less(self) -> bool {
        use DifferenceKind::*;
        matches!(
            self,
            LessGranted | GrantedToRefused | GrantedToEscalated | GrantedToUndecidable
        )
    }

    /// The kind as its wire name (`refused_to_granted`).
    pub fn as_str(self) -> &'static str {
        use DifferenceKind::*;
        match self {
            MoreGranted => "more_granted",
            LessGranted => "less_granted",
            RefusedToGranted => "refused_to_granted",
            EscalatedToGranted => "escalated_to_granted",
            UndecidableToGranted => "undecidable_to_granted",
            GrantedToRefused => "granted_to_refused",
            GrantedToEscalated => "granted_to_escalated",
            GrantedToUndecidable => "granted_to_undecidable",
            RefusedToEscalated => "refused_to_escalated",
            EscalatedToRefused => "escalated_to_refused",
            EscalatedElsewhere => "escalated_elsewhere",
            DecidedToUndecidable => "decided_to_undecidable",
            UndecidableToDecided => "undecidable_to_decided",
        }
    }
}

impl fmt::Display for DifferenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One kind of difference: how many points of the grid show it, and one of them as a case,
/// replayed through both policies' engines.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Difference {
    /// The kind.
    pub kind: DifferenceKind,
    /// How many of the points compared show it.
    pub points: u64,
    /// A case that shows it, with what each policy decided.
    pub example: Counterexample,
}

/// The answer of [`Policy::compare`]: the relation, every kind of difference with a replayed
/// case, and how much of the input space was covered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Comparison {
    /// The first policy.
    pub first: PolicyId,
    /// The second policy.
    pub second: PolicyId,
    /// How the second stands to the first.
    pub relation: Relation,
    /// Each kind of difference found, most telling first (the second granting more, then
    /// less, then the rest).
    pub differences: Vec<Difference>,
    /// How many points of the grid were compared.
    pub points: u64,
    /// What the grid could not enumerate in full, in words; empty when the comparison is
    /// exhaustive.
    pub partial: Vec<String>,
}

impl Comparison {
    /// The comparison as JSON: the relation, and each difference with its case in the wire
    /// form [`crate::Case::from_json`] reads.
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} {} against {} {}: the second {}.",
            self.second.name(),
            self.second.version(),
            self.first.name(),
            self.first.version(),
            self.relation.describe()
        )?;
        writeln!(f, "{} points of the input space compared.", self.points)?;
        for note in &self.partial {
            writeln!(f, "Not exhaustive: {note}.")?;
        }
        for difference in &self.differences {
            let example = &difference.example;
            writeln!(
                f,
                "- {} ({} points), for example: {}",
                difference.kind, difference.points, example.summary
            )?;
            writeln!(
                f,
                "    {} {}; {} {}.",
                self.first.name(),
                example.first,
                self.second.name(),
                example.second
            )?;
        }
        Ok(())
    }
}

/// A point that shows a kind of difference, before it is replayed.
struct Witness {
    /// How plain its case reads: the plainest is shown.
    plainness: Plainness,
    context: usize,
    totals: Rc<Vec<Decimal>>,
    point: Point,
    rules: [Rule; 2],
}

/// How plain a case reads, as a key: the least is the plainest.
type Plainness = (bool, bool, bool, bool, bool, usize, bool, usize, usize);

/// How plain the case of a point reads, plainest first: the agent with nothing granted today,
/// no requested amount, no conduct, a clean complaint, its category's own severity, no lists,
/// no account age, the shortest history, the lowest total.
fn plainness(context: &Context, point: Point, clean: usize) -> Plainness {
    (
        point.acting != 0,
        point.requested != 0,
        point.conduct != 0,
        point.statics != clean,
        context.complaint.severity.is_some(),
        context.lists.len(),
        context.account_age.is_some(),
        point.history,
        point.total,
    )
}

/// How many kinds of difference there are.
const KINDS: usize = DifferenceKind::ALL.len();

impl Policy {
    /// Compares this policy (the first) with `other` (the second) over every point of the
    /// partition of the input space both policies' thresholds draw, and answers whether `other`
    /// is stricter, more generous, equivalent or neither, with a case for each kind of
    /// difference, replayed through both engines.
    ///
    /// What is covered: every tier, category (and a severity set on the complaint), customer
    /// list combination, role, threat and demand for a supervisor, evidence, party at fault;
    /// every side of every window (claim, evidence, account age, each rolling limit, the minor
    /// cool-down and pattern) and every count of past vouchers in each, minor or not, up to the
    /// largest count a limit needs; every order total at which either policy's amount changes.
    /// Past vouchers' values, requested amounts and the agent's earlier grants are tried at the
    /// values where they change a decision (each value limit left at each minimum, step and
    /// authority, and one unit either side) rather than at every value. Free text (names, ids),
    /// the channel, the locale and the script are not compared.
    ///
    /// ```
    /// use voucher_policy::{Policy, Relation};
    ///
    /// let default = Policy::default();
    /// let comparison = default.compare(&default)?;
    /// assert_eq!(comparison.relation, Relation::Equivalent);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compare(&self, other: &Policy) -> Result<Comparison, AnalysisError> {
        if self.currency() != other.currency() {
            return Err(AnalysisError::Currencies {
                first: self.currency(),
                second: other.currency(),
            });
        }
        let engines = [Engine::new(self.clone()), Engine::new(other.clone())];
        let policies = [self, other];
        let grid = Grid::of(&policies);
        let mut partial = grid.partial.clone();
        let mut found: [Option<Witness>; KINDS] = [const { None }; KINDS];
        let mut counts = [0_u64; KINDS];
        let mut points = 0_u64;
        // Contexts both policies treat alike (a category and the severity it has anyway) walk
        // alike: the first one's walk stands for them, its counts counted again.
        let mut walked: HashMap<[Profile; 2], (u64, [u64; KINDS])> = HashMap::new();
        let mut askers = [
            Asker::new(&engines[0], &grid),
            Asker::new(&engines[1], &grid),
        ];
        let mut role_thresholds: Option<[Vec<Option<i128>>; 2]> = None;
        let clean = grid.clean_statics();
        for (index, context) in grid.contexts.iter().enumerate() {
            let totals = Rc::new(grid.totals(&policies, context, &mut partial));
            let thresholds = role_thresholds.get_or_insert_with(|| {
                [
                    thresholds(&engines[0], &grid, &totals),
                    thresholds(&engines[1], &grid, &totals),
                ]
            });
            let profiles = [
                askers[0].profile(context, &totals),
                askers[1].profile(context, &totals),
            ];
            if let Some((visited, kinds)) = walked.get(&profiles) {
                points += visited;
                for (count, more) in counts.iter_mut().zip(kinds) {
                    *count += more;
                }
                continue;
            }
            let sides = [
                Side {
                    profile: &profiles[0],
                    thresholds: &thresholds[0],
                },
                Side {
                    profile: &profiles[1],
                    thresholds: &thresholds[1],
                },
            ];
            let mut kinds = [0_u64; KINDS];
            let visited = walk(&grid, sides, |a, b, point| {
                let Some(kind) = DifferenceKind::of(a, b) else {
                    return;
                };
                let slot = kind as usize;
                if let Some(count) = kinds.get_mut(slot) {
                    *count += 1;
                }
                let plain = plainness(context, point, clean);
                if let Some(known) = found.get_mut(slot)
                    && known.as_ref().is_none_or(|known| plain < known.plainness)
                {
                    *known = Some(Witness {
                        plainness: plain,
                        context: index,
                        totals: Rc::clone(&totals),
                        point,
                        rules: [a, b],
                    });
                }
            });
            points += visited;
            for (count, more) in counts.iter_mut().zip(&kinds) {
                *count += more;
            }
            walked.insert(profiles.clone(), (visited, kinds));
        }
        partial.sort();
        partial.dedup();
        let mut differences = Vec::new();
        for (kind, witness) in DifferenceKind::ALL.iter().zip(found) {
            let kind = *kind;
            let Some(witness) = witness else {
                continue;
            };
            let Some(context) = grid.contexts.get(witness.context) else {
                continue;
            };
            let count = counts.get(kind as usize).copied().unwrap_or(0);
            let (point, [a, b], totals) = (witness.point, witness.rules, &witness.totals);
            let example = Counterexample::replayed(
                &grid,
                [&engines[0], &engines[1]],
                [context, context],
                totals,
                point,
                [a, b],
                kind.as_str(),
            )?;
            differences.push(Difference {
                kind,
                points: count,
                example,
            });
        }
        differences.sort_by_key(|difference| {
            (
                !difference.kind.second_grants_more(),
                !difference.kind.second_grants_less(),
                difference.kind,
            )
        });
        let more = differences.iter().any(|d| d.kind.second_grants_more());
        let less = differences.iter().any(|d| d.kind.second_grants_less());
        let relation = match (more, less, differences.is_empty()) {
            (_, _, true) => Relation::Equivalent,
            (true, true, _) => Relation::Incomparable,
            (true, false, _) => Relation::MoreGenerous,
            (false, true, _) => Relation::Stricter,
            (false, false, _) => Relation::SameVouchers,
        };
        Ok(Comparison {
            first: self.id(),
            second: other.id(),
            relation,
            differences,
            points,
            partial,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::DifferenceKind;

    #[test]
    fn every_kind_is_listed_at_its_own_position() {
        for (position, kind) in DifferenceKind::ALL.iter().enumerate() {
            assert_eq!(*kind as usize, position, "{kind}");
        }
    }
}
