//! A case an analysis found, built in full and replayed through the real engines, so that what
//! the analysis claims about it is what the engines decide.

use rust_decimal::Decimal;
use serde::Serialize;

use super::grid::{Context, Grid};
use super::pairs::Point;
use super::ruling::Rule;
use crate::{AnalysisError, Case, Code, Conduct, Engine, Evidence, Ruling};

/// A case that shows a difference (or refutes a property), with what each side decided when
/// the case was replayed through the engine.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Counterexample {
    /// The case in a few words (tier, complaint, total, history).
    pub summary: String,
    /// The case, decided by the first side (the first policy, or the first of two cases).
    pub case: Case,
    /// The second case, when the two sides decide different cases (a property comparing two
    /// tiers); `None` when both decide [`Counterexample::case`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_case: Option<Case>,
    /// What the first side decided.
    pub first: Ruling,
    /// What the second side decided.
    pub second: Ruling,
}

impl Counterexample {
    /// Builds the case of `point` for each side, decides it with each engine, and checks that
    /// the engines agree with what the analysis predicted.
    pub(super) fn replayed(
        grid: &Grid,
        engines: [&Engine; 2],
        contexts: [&Context; 2],
        totals: &[Decimal],
        point: Point,
        predicted: [Rule; 2],
        what: &str,
    ) -> Result<Counterexample, AnalysisError> {
        let cases = contexts.map(|context| case(grid, context, totals, point));
        let [first_case, second_case] = cases;
        let first = Ruling::of(&engines[0].decide_case(&first_case));
        let second = Ruling::of(&engines[1].decide_case(&second_case));
        for (ruling, predicted) in [(&first, predicted[0]), (&second, predicted[1])] {
            if ruling.rule() != predicted {
                return Err(AnalysisError::Unconfirmed {
                    what: what.to_owned(),
                    case: format!("{first_case:?}"),
                    predicted: format!("{predicted:?}"),
                    replayed: ruling.to_string(),
                });
            }
        }
        let summary = summary(&first_case);
        let other_case = (second_case != first_case).then_some(second_case);
        Ok(Counterexample {
            summary,
            case: first_case,
            other_case,
            first,
            second,
        })
    }
}

/// The case of a point in a context.
pub(super) fn case(grid: &Grid, context: &Context, totals: &[Decimal], point: Point) -> Case {
    let statics = grid
        .statics
        .get(point.statics)
        .copied()
        .unwrap_or(super::grid::StaticPoint::CLEAN);
    let conduct = grid
        .conducts
        .get(point.conduct)
        .copied()
        .unwrap_or(Conduct::new());
    let acting = grid
        .actings
        .get(point.acting)
        .cloned()
        .unwrap_or_else(super::grid::ActingPoint::agent);
    let total = totals
        .get(point.total)
        .copied()
        .unwrap_or(Decimal::from(100_000));
    let requested = grid.requested.get(point.requested).copied().flatten();
    let request = grid.request(context, &statics, conduct, &acting, total, requested);
    Case::new(grid.now, request, grid.history(&statics, point.history))
}

/// A case in words: who, what, how much, and what stands out.
fn summary(case: &Case) -> String {
    let request = case.request();
    let complaint = request.complaint();
    let customer = request.customer();
    let mut words = format!(
        "a {} customer's {}",
        customer.loyalty(),
        complaint.category()
    );
    if let Some(severity) = complaint.severity() {
        words.push_str(&format!(" (set as {})", severity.as_str()));
    }
    words.push_str(&format!(", order total {}", request.order().total()));
    if let Some(asked) = request.requested_amount() {
        words.push_str(&format!(", asking for {asked}"));
    }
    let history = case.history();
    if history.is_empty() {
        words.push_str(", no earlier vouchers");
    } else {
        let vouchers: Vec<String> = history
            .iter()
            .map(|past| {
                let age = (case.now() - past.granted_at()).num_seconds();
                format!("{} {} ago", past.amount().normalize(), span(age))
            })
            .collect();
        words.push_str(&format!(", earlier vouchers: {}", vouchers.join(", ")));
    }
    let claim = complaint.reported_at() - request.order().placed_at();
    if claim.num_seconds() > 0 {
        words.push_str(&format!(
            ", reported {}h after the order",
            claim.num_hours()
        ));
    }
    if complaint.evidence() == Evidence::None {
        words.push_str(", no evidence");
    }
    if let Some(fault) = complaint.fault() {
        words.push_str(&format!(", fault: {}", fault.as_str()));
    }
    if complaint.company_at_fault() == Some(false) {
        words.push_str(", not the company's fault");
    }
    if request.order().customer_id() != customer.id() {
        words.push_str(", another customer's order");
    }
    if history
        .iter()
        .any(|past| past.order_id() == request.order().id())
    {
        words.push_str(", the order already compensated");
    }
    for list in customer.lists() {
        words.push_str(&format!(", on the list {list}"));
    }
    if let Some(since) = customer.since() {
        words.push_str(&format!(
            ", account {}d old",
            (case.now() - since).num_days()
        ));
    }
    let conduct = request.conduct();
    if let Some(threat) = conduct.threat() {
        words.push_str(&format!(", a {} threat", threat.as_str()));
    }
    if conduct.insists_on_supervisor() {
        words.push_str(", insisting on a supervisor");
    }
    if conduct.personal_advances() {
        words.push_str(&format!(
            ", personal advances after {} warnings",
            conduct.warnings_given()
        ));
    }
    if let Some(agent) = request.agent() {
        if agent.role().as_str() != crate::Role::AGENT || agent.granted_today() > Decimal::ZERO {
            words.push_str(&format!(
                ", decided in the role {} with {} granted earlier today",
                agent.role(),
                agent.granted_today()
            ));
        }
    }
    words
}

/// A span of seconds in words, exactly: `7 days`, `1 day 1 second`, `0 seconds`.
fn span(seconds: i64) -> String {
    let parts = [
        (seconds / 86_400, "day"),
        (seconds % 86_400 / 3_600, "hour"),
        (seconds % 3_600 / 60, "minute"),
        (seconds % 60, "second"),
    ];
    let words: Vec<String> = parts
        .iter()
        .filter(|(count, _)| *count != 0)
        .map(|(count, unit)| {
            let plural = if *count == 1 { "" } else { "s" };
            format!("{count} {unit}{plural}")
        })
        .collect();
    if words.is_empty() {
        "0 seconds".to_owned()
    } else {
        words.join(" ")
    }
}
