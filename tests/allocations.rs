//! A verdict on a valid request allocates nothing: thousands of generated requests (every
//! outcome and every reason, histories from 0 to 1,000 entries, the default, the strict and the
//! marketplace policy) are decided under a per-thread allocation counter, which must stay at zero. The
//! script is text and is allocated; so is the message of an error. Both are shown to be
//! counted, so the zero is a measurement, not a counter that never moves.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../benches/common/mod.rs"]
mod generated;

use std::collections::BTreeSet;

use allocation_counter::measure;
use generated::{HistoryLen, SEED};
use voucher_policy::{Case, Code, Currency, Engine, Order, Policy, Reason, Reasons, Request};

/// Requests of every kind: short, long and recent histories.
fn requests() -> Vec<Case> {
    let mut cases = generated::cases(SEED, 4_000, HistoryLen::UpTo(40));
    cases.extend(generated::cases(SEED + 1, 1_000, HistoryLen::Recent(20)));
    cases.extend(generated::cases(SEED + 2, 40, HistoryLen::Exactly(1_000)));
    cases
}

/// Decides every request under the counter, checking each verdict allocated nothing, and
/// returns the outcomes and reasons seen.
fn verdicts_allocate_nothing(engine: &Engine, cases: &[Case]) -> (BTreeSet<&'static str>, Reasons) {
    let mut outcomes = BTreeSet::new();
    let mut reasons = Reasons::new();
    for case in cases {
        let mut seen = None;
        let counted = measure(|| {
            // The verdict is made and dropped inside the measurement.
            let verdict = engine.verdict(case.request(), case.history(), case.now());
            seen = verdict.ok().map(|v| (v.outcome(), v.reasons()));
        });
        let (outcome, fired) = seen.unwrap_or_else(|| panic!("not decided: {case:?}"));
        assert_eq!(
            counted.count_total,
            0,
            "a verdict allocated {} times ({} bytes) for {}",
            counted.count_total,
            counted.bytes_total,
            serde_json::to_string(case).unwrap()
        );
        outcomes.insert(outcome.as_str());
        reasons = reasons.union(fired);
    }
    (outcomes, reasons)
}

/// The reasons only the inputs of the optional shapes give (a policy of more shapes than the
/// default, a conversation past a warning, a gift, a question about the agent).
const SHAPED: [Reason; 9] = [
    Reason::CustomerListed,
    Reason::CustomerAtFault,
    Reason::EvidenceTooLate,
    Reason::YoungAccountLimitReached,
    Reason::PersistentPersonalAdvances,
    Reason::RepeatedAbusiveLanguage,
    Reason::GiftOffered,
    Reason::PersonalInformationRequested,
    Reason::AgentBudgetExceeded,
];

#[test]
fn a_verdict_on_a_valid_request_allocates_nothing() {
    let cases = requests();
    let (outcomes, reasons) = verdicts_allocate_nothing(&Engine::default(), &cases);
    assert_eq!(
        outcomes,
        BTreeSet::from(["escalated", "granted", "refused"]),
        "every outcome"
    );
    let missing: Vec<_> = Reason::ALL
        .iter()
        .filter(|reason| !reasons.contains(**reason) && !SHAPED.contains(reason))
        .collect();
    assert!(missing.is_empty(), "reasons never fired: {missing:?}");
}

#[test]
fn a_verdict_on_a_policy_of_every_shape_allocates_nothing() {
    // Several limits per tier, young accounts, shares, category rules, lists: the facts of
    // each limit are kept inline too.
    let marketplace = Policy::load("examples/policies/marketplace.toml").unwrap();
    let cases = generated::with_shapes(SEED, requests());
    let (outcomes, reasons) = verdicts_allocate_nothing(&Engine::new(marketplace), &cases);
    assert_eq!(outcomes.len(), 3, "every outcome: {outcomes:?}");
    let missing: Vec<_> = Reason::ALL
        .iter()
        .filter(|reason| !reasons.contains(**reason))
        .collect();
    assert!(missing.is_empty(), "reasons never fired: {missing:?}");
}

#[test]
fn a_verdict_on_a_policy_from_a_file_allocates_nothing() {
    let strict = Policy::load("examples/policies/strict.toml").unwrap();
    let (outcomes, _) = verdicts_allocate_nothing(&Engine::new(strict), &requests());
    assert_eq!(outcomes.len(), 3, "every outcome: {outcomes:?}");
}

#[test]
fn the_counter_counts_the_script_and_errors() {
    let engine = Engine::default();
    let cases = generated::cases(SEED, 100, HistoryLen::UpTo(20));
    for case in &cases {
        let counted = measure(|| {
            let decision = engine
                .decide(case.request(), case.history(), case.now())
                .unwrap();
            assert!(!decision.script().text().is_empty());
        });
        assert!(counted.count_total > 0, "the script is text on the heap");
        assert_eq!(
            counted.count_current, 0,
            "and it is freed with the decision"
        );
    }
    // An error names the field and the value: that text is allocated too, and only then.
    let (now, request, history) = cases[0].clone().into_parts();
    let order = request.order();
    let usd = Order::new(
        order.id().clone(),
        order.customer_id().clone(),
        order.total(),
        Currency::USD,
        order.placed_at(),
    );
    let case = Case::new(
        now,
        Request::new(request.customer().clone(), usd, request.complaint().clone()),
        history,
    );
    let counted = measure(|| {
        let error = engine
            .verdict(case.request(), case.history(), case.now())
            .unwrap_err();
        assert_eq!(error.field(), "order.currency");
    });
    assert!(counted.count_total > 0);
}
