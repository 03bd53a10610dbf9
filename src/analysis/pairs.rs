//! Walks every point of one context of the grid under two sides (two policies, or one policy
//! in two contexts) and hands each distinct pair of rules to a visitor, with a point that gives
//! it.

use std::collections::HashMap;

use super::grid::Grid;
use super::profile::{Fixed, HistoryPart, Profile};
use super::ruling::{Rule, units};

/// One point of a context: an index into each of the grid's axes and the context's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Point {
    pub statics: usize,
    pub conduct: usize,
    /// An index into the grid's histories (the first is the empty one).
    pub history: usize,
    pub acting: usize,
    pub total: usize,
    pub requested: usize,
}

/// One side of a walk: a profile and the thresholds of the deciding roles of its policy.
#[derive(Clone, Copy)]
pub(super) struct Side<'a> {
    pub profile: &'a Profile,
    pub thresholds: &'a [Option<i128>],
}

/// What a fixed part rules.
fn fixed_rule(fixed: Fixed) -> Option<Rule> {
    match fixed {
        Fixed::Open => None,
        Fixed::Refused => Some(Rule::Refused),
        Fixed::Escalated(target) => Some(Rule::Escalated(target)),
        Fixed::Undecidable => Some(Rule::Undecidable),
    }
}

/// Calls `visit` with each pair of rules the two sides give at the points of `grid`, and a
/// point for each. What a static point and a conduct settle is visited once per distinct pair;
/// where they leave a side open, what the history, the role, the request and the total do to it
/// is walked once per distinct combination, the totals up to where the voucher cannot change
/// any more. Returns how many pairs were visited.
pub(super) fn walk(
    grid: &Grid,
    sides: [Side<'_>; 2],
    mut visit: impl FnMut(Rule, Rule, Point),
) -> u64 {
    let [a, b] = sides;
    let mut visited = 0_u64;
    let mut classes: HashMap<(Fixed, Fixed), (usize, usize)> = HashMap::new();
    let mut order = Vec::new();
    for statics in 0..grid.statics.len() {
        for conduct in 0..grid.conducts.len() {
            let key = (
                a.profile.fixed(statics, conduct),
                b.profile.fixed(statics, conduct),
            );
            if let std::collections::hash_map::Entry::Vacant(entry) = classes.entry(key) {
                entry.insert((statics, conduct));
                order.push(key);
            }
        }
    }
    // Which side decides at a total and a requested amount: one below a policy's step is not
    // one it decides.
    let asked: Vec<Option<i128>> = grid.requested.iter().map(|r| r.map(units)).collect();
    let decides = |side: &Side<'_>, total: usize, requested: usize| {
        side.profile.amounts.get(total).copied().flatten().is_some()
            && asked
                .get(requested)
                .copied()
                .flatten()
                .is_none_or(|asked| asked >= side.profile.step)
    };
    let totals = a.profile.amounts.len().max(b.profile.amounts.len());
    let mut patterns: Vec<(usize, usize, [bool; 2])> = Vec::new();
    for total in 0..totals {
        for requested in 0..asked.len() {
            let pattern = [decides(&a, total, requested), decides(&b, total, requested)];
            if !patterns.iter().any(|(_, _, known)| *known == pattern) {
                patterns.push((total, requested, pattern));
            }
        }
    }
    // Both sides open first: that walk also gives what each side does alone.
    order.sort_by_key(|key| *key != (Fixed::Open, Fixed::Open));
    // What one side does alone where the other is settled, worked out once per side, with
    // whether the settled side decides at the total of each.
    let mut alone: [Option<Vec<(Rule, bool, Point)>>; 2] = [None, None];
    for key in order {
        let Some(&(statics, conduct)) = classes.get(&key) else {
            continue;
        };
        let base = Point {
            statics,
            conduct,
            // The grid's first history is the empty one.
            history: 0,
            acting: 0,
            total: 0,
            requested: 0,
        };
        let settled = |rule: Rule, decides: bool| if decides { rule } else { Rule::Undecidable };
        match (fixed_rule(key.0), fixed_rule(key.1)) {
            (Some(rule_a), Some(rule_b)) => {
                for (total, requested, [decides_a, decides_b]) in &patterns {
                    visited += 1;
                    visit(
                        settled(rule_a, *decides_a),
                        settled(rule_b, *decides_b),
                        Point {
                            total: *total,
                            requested: *requested,
                            ..base
                        },
                    );
                }
            }
            (None, None) => {
                // The walk of both sides also gives what each does alone.
                let mut alone_a = Vec::new();
                let mut alone_b = Vec::new();
                visited += dynamic(grid, sides, [true, true], |rule_a, rule_b, point| {
                    note(
                        &mut alone_a,
                        rule_a,
                        decides(&b, point.total, point.requested),
                        point,
                    );
                    note(
                        &mut alone_b,
                        rule_b,
                        decides(&a, point.total, point.requested),
                        point,
                    );
                    visit(
                        rule_a,
                        rule_b,
                        Point {
                            statics,
                            conduct,
                            ..point
                        },
                    );
                });
                alone = [Some(alone_a), Some(alone_b)];
            }
            (open_a, open_b) => {
                let side = usize::from(open_a.is_some());
                let fixed = open_a.or(open_b).unwrap_or(Rule::Undecidable);
                let other = if side == 0 { b } else { a };
                let Some(slot) = alone.get_mut(side) else {
                    continue;
                };
                let rules = slot.get_or_insert_with(|| {
                    let mut rules = Vec::new();
                    let open = [side == 0, side == 1];
                    dynamic(grid, sides, open, |rule_a, rule_b, point| {
                        let rule = if side == 0 { rule_a } else { rule_b };
                        note(
                            &mut rules,
                            rule,
                            decides(&other, point.total, point.requested),
                            point,
                        );
                    });
                    rules
                });
                for (rule, other_decides, point) in rules.iter() {
                    visited += 1;
                    let point = Point {
                        statics,
                        conduct,
                        ..*point
                    };
                    let fixed = settled(fixed, *other_decides);
                    if side == 0 {
                        visit(*rule, fixed, point);
                    } else {
                        visit(fixed, *rule, point);
                    }
                }
            }
        }
    }
    visited
}

/// Keeps a rule one side gives alone, with whether the other side decides at its total, once
/// per kind of rule: against a side that grants nothing, the amount of a grant makes no other
/// kind of difference.
fn note(rules: &mut Vec<(Rule, bool, Point)>, rule: Rule, other_decides: bool, point: Point) {
    let shape = |rule: Rule| match rule {
        Rule::Granted(_) => Rule::Granted(0),
        rule => rule,
    };
    if !rules
        .iter()
        .any(|(known, decides, _)| (shape(*known), *decides) == (shape(rule), other_decides))
    {
        rules.push((rule, other_decides, point));
    }
}

/// Walks what the history, the role, the request and the total do to the `open` sides (the
/// other side's rule is a placeholder), each distinct combination once.
fn dynamic(
    grid: &Grid,
    sides: [Side<'_>; 2],
    open: [bool; 2],
    mut emit: impl FnMut(Rule, Rule, Point),
) -> u64 {
    let [a, b] = sides;
    let mut visited = 0_u64;
    let part = |side: &Side<'_>, open: bool, history: usize| {
        open.then(|| side.profile.histories.get(history).copied())
            .flatten()
            .map(|part| HistoryPart {
                no_way_forward: false,
                ..part
            })
    };
    let mut histories: Vec<usize> = Vec::new();
    let mut seen = HashMap::new();
    for history in 0..grid.histories.len() {
        let key = (part(&a, open[0], history), part(&b, open[1], history));
        if seen.insert(key, history).is_none() {
            histories.push(history);
        }
    }
    let mut actings: Vec<usize> = Vec::new();
    let mut seen = HashMap::new();
    for acting in 0..grid.actings.len() {
        let key = (
            open[0].then(|| a.thresholds.get(acting).copied().flatten()),
            open[1].then(|| b.thresholds.get(acting).copied().flatten()),
        );
        if seen.insert(key, acting).is_none() {
            actings.push(acting);
        }
    }
    // A request matters only rounded down to each policy's step.
    let mut requested: Vec<(usize, Option<i128>)> = Vec::new();
    let mut seen = HashMap::new();
    for (index, asked) in grid.requested.iter().enumerate() {
        let asked = asked.map(units);
        let floor = |side: &Side<'_>| asked.map(|asked| asked / side.profile.step.max(1));
        if seen.insert((floor(&a), floor(&b)), index).is_none() {
            requested.push((index, asked));
        }
    }
    let no_history = HistoryPart {
        refused: true,
        value_left: 0,
        no_way_forward: false,
    };
    let history_of = |side: &Side<'_>, history: usize| {
        side.profile
            .histories
            .get(history)
            .copied()
            .unwrap_or(no_history)
    };
    let top = |side: &Side<'_>| side.profile.amounts.last().copied().flatten().unwrap_or(0);
    let totals = a.profile.amounts.len().max(b.profile.amounts.len()).max(1);
    for &history in &histories {
        let parts = [history_of(&a, history), history_of(&b, history)];
        for &acting in &actings {
            let thresholds = [
                a.thresholds.get(acting).copied().flatten(),
                b.thresholds.get(acting).copied().flatten(),
            ];
            for &(index, asked) in &requested {
                // Past these amounts, a higher total changes neither voucher.
                let caps = [
                    a.profile.cap(&parts[0], asked).min(top(&a)),
                    b.profile.cap(&parts[1], asked).min(top(&b)),
                ];
                for total in 0..totals {
                    let rule = |side: usize, profile: &Profile| -> (Rule, bool) {
                        if !open.get(side).copied().unwrap_or(false) {
                            return (Rule::Undecidable, true);
                        }
                        let part = parts.get(side).copied().unwrap_or(no_history);
                        // A total below the policy's step is not one it decides.
                        let Some(amount) = profile.amounts.get(total).copied().flatten() else {
                            return (Rule::Undecidable, false);
                        };
                        let threshold = thresholds.get(side).copied().flatten();
                        let settled = part.refused
                            || threshold.is_none()
                            || amount >= caps.get(side).copied().unwrap_or(i128::MIN);
                        (profile.rule(&part, amount, asked, threshold), settled)
                    };
                    let (rule_a, settled_a) = rule(0, a.profile);
                    let (rule_b, settled_b) = rule(1, b.profile);
                    visited += 1;
                    emit(
                        rule_a,
                        rule_b,
                        Point {
                            statics: 0,
                            conduct: 0,
                            history,
                            acting,
                            total,
                            requested: index,
                        },
                    );
                    if settled_a && settled_b {
                        break;
                    }
                }
            }
        }
    }
    visited
}
