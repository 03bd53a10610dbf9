//! The engine against a reference model of the embedded default policy (`reference.rs`):
//! a plain reading of the design, with exact integer money and the windows written out as
//! comparisons, sharing no code with the engine. On every generated case the two agree on
//! whether it can be decided (and the engine's error names a field the model found at fault),
//! and on the outcome, the reasons (in order), the escalation target, the flags, the
//! alternatives, the recommendation and the voucher's amount and expiry.

use chrono::DateTime;
use proptest::prelude::*;
use serde_json::{Value, json};
use voucher_policy::{Case, Code, Decision, Engine, Outcome};

use crate::{generators, reference};

/// The parts of a decision the model predicts, from the engine.
fn observed(decision: &Decision) -> reference::Expected {
    let voucher = match decision.outcome() {
        Outcome::Escalated => decision
            .verdict()
            .recommendation()
            .and_then(|recommendation| recommendation.voucher().copied()),
        _ => decision.voucher().copied(),
    };
    reference::Expected {
        outcome: decision.outcome().as_str(),
        reasons: decision
            .reasons()
            .iter()
            .map(|reason| reason.as_str())
            .collect(),
        escalate_to: decision
            .verdict()
            .escalate_to()
            .map(|target| target.as_str()),
        flags: decision
            .verdict()
            .flags()
            .iter()
            .map(|flag| flag.as_str())
            .collect(),
        alternatives: decision
            .verdict()
            .alternatives()
            .iter()
            .map(|way| way.as_str())
            .collect(),
        recommendation: decision
            .verdict()
            .recommendation()
            .map(|recommendation| recommendation.outcome().as_str()),
        amount: voucher.map(|voucher| {
            reference::whole(voucher.amount())
                .unwrap_or_else(|| panic!("{} is not whole rupiah", voucher.amount()))
        }),
        valid_until: voucher.map(|voucher| voucher.valid_until()),
    }
}

/// Decides a case with the engine and with the model and checks they agree.
fn agree(json: &Value) -> Result<(), TestCaseError> {
    let Ok(case) = Case::from_json(&json.to_string()) else {
        // Not a case at all: nothing for either to decide.
        return Ok(());
    };
    match (
        Engine::default().decide_case(&case),
        reference::decide(&case),
    ) {
        (Ok(decision), Ok(expected)) => {
            let observed = observed(&decision);
            prop_assert_eq!(
                &observed,
                &expected,
                "\n{}",
                serde_json::to_string(&decision).unwrap()
            );
            if let (Some(got), Some(want)) = (observed.valid_until, expected.valid_until) {
                prop_assert_eq!(got.offset(), want.offset());
            }
        }
        (Err(error), Err(faults)) => {
            prop_assert!(
                faults.iter().any(|fault| fault == error.field()),
                "the engine names {}, the model finds {faults:?}",
                error.field()
            );
        }
        (Ok(decision), Err(faults)) => {
            prop_assert!(
                false,
                "decided a case the model finds at fault in {faults:?}: {}",
                serde_json::to_string(&decision).unwrap()
            );
        }
        (Err(error), Ok(expected)) => {
            prop_assert!(
                false,
                "refused a case the model decides ({expected:?}): {error}"
            );
        }
    }
    Ok(())
}

proptest! {
    /// On every decidable case, on the edges of the default policy, the engine and the model
    /// decide the same.
    #[test]
    fn the_engine_agrees_with_the_reference_model(case in generators::case()) {
        agree(&case)?;
    }

    /// On histories that leave exactly an edge amount in the value window (a hair either side
    /// of the minimum voucher, the agent's authority...), the engine and the model decide the
    /// same.
    #[test]
    fn the_engine_agrees_with_the_reference_model_on_the_value_window_edges(
        case in generators::value_edge_case(),
    ) {
        agree(&case)?;
    }

    /// On broken cases, the engine and the model agree on what cannot be decided, and decide
    /// the rest the same.
    #[test]
    fn the_engine_and_the_reference_model_refuse_the_same_broken_cases(
        case in generators::hostile_case(),
    ) {
        agree(&case)?;
    }
}

proptest! {
    // Every case has thousands of history entries: a sixteenth of the case count, and at most
    // a minute spent shrinking a failure.
    #![proptest_config(ProptestConfig {
        max_shrink_time: 60_000,
        ..ProptestConfig::with_cases(generators::cases_divided_by(16))
    })]

    /// On histories of 2,000 to 20,000 vouchers, the engine and the model decide the same.
    #[test]
    fn the_engine_agrees_with_the_reference_model_on_huge_histories(
        case in generators::huge_history_case(),
    ) {
        agree(&case)?;
    }
}

// ---- the model itself, against the examples the documentation works out ------------------

fn model(case: Value) -> reference::Expected {
    reference::decide(&Case::from_json(&case.to_string()).unwrap()).unwrap()
}

fn case(loyalty: &str, total: &str, category: &str, history: Value) -> Value {
    json!({
        "now": "2026-11-24T10:00:00+07:00",
        "customer": {"id": "C-1001", "name": "Budi Santoso", "loyalty": loyalty},
        "order": {"id": "3449", "customer_id": "C-1001", "total": total, "currency": "IDR",
                  "placed_at": "2026-11-24T08:10:00+07:00",
                  "delivered_at": "2026-11-24T08:55:00+07:00"},
        "complaint": {"category": category, "reported_at": "2026-11-24T09:30:00+07:00",
                      "company_at_fault": true, "evidence": "photo"},
        "history": history,
    })
}

fn past(order_id: &str, granted_at: &str, amount: &str) -> Value {
    json!({"order_id": order_id, "granted_at": granted_at, "amount": amount, "currency": "IDR",
           "severity": "minor"})
}

#[test]
fn the_model_refuses_the_articles_case() {
    // As the README writes it: three vouchers this week, their severity not recorded.
    let mut history = json!([
        past("3401", "2026-11-18T12:00:00+07:00", "10000"),
        past("3417", "2026-11-20T12:00:00+07:00", "10000"),
        past("3430", "2026-11-22T12:00:00+07:00", "15000"),
    ]);
    for entry in history.as_array_mut().unwrap() {
        entry.as_object_mut().unwrap().remove("severity");
    }
    let expected = model(case("gold", "85000", "food_not_hot", history));
    assert_eq!(expected.outcome, "refused");
    assert_eq!(
        expected.reasons,
        ["voucher_limit_reached", "minor_complaint_recent_voucher"]
    );
    assert_eq!(
        expected.alternatives,
        ["priority_support", "feedback_forwarded"]
    );
    assert_eq!(expected.amount, None);

    // Recorded as minor, the three also make the repeated-minor pattern.
    let minor = model(case(
        "gold",
        "85000",
        "food_not_hot",
        json!([
            past("3401", "2026-11-18T12:00:00+07:00", "10000"),
            past("3417", "2026-11-20T12:00:00+07:00", "10000"),
            past("3430", "2026-11-22T12:00:00+07:00", "15000"),
        ]),
    ));
    assert_eq!(
        minor.reasons,
        [
            "voucher_limit_reached",
            "minor_complaint_recent_voucher",
            "repeated_minor_complaints"
        ]
    );
    assert_eq!(minor.flags, ["review_customer"]);
}

#[test]
fn the_model_computes_the_documented_amounts() {
    for (loyalty, total, category, amount) in [
        ("silver", "120000", "late_delivery", 33_000),
        ("gold", "85000", "food_not_hot", 10_000),
        ("platinum", "59999", "wrong_item", 44_000),
        ("regular", "20000", "food_not_hot", 5_000),
        ("regular", "3500", "food_not_hot", 3_000),
    ] {
        let expected = model(case(loyalty, total, category, json!([])));
        assert_eq!(expected.outcome, "granted", "{loyalty} {total} {category}");
        assert_eq!(
            expected.amount,
            Some(amount),
            "{loyalty} {total} {category}"
        );
        assert_eq!(expected.reasons, ["valid_complaint"]);
        assert_eq!(
            expected.valid_until,
            Some(DateTime::parse_from_rfc3339("2026-12-24T10:00:00+07:00").unwrap())
        );
    }
}

#[test]
fn the_model_escalates_above_the_authority_and_critical_complaints() {
    let expected = model(case("platinum", "400000", "wrong_item", json!([])));
    assert_eq!(expected.outcome, "escalated");
    assert_eq!(expected.escalate_to, Some("supervisor"));
    assert_eq!(
        expected.reasons,
        ["above_agent_authority", "valid_complaint"]
    );
    assert_eq!(expected.recommendation, Some("granted"));
    assert_eq!(expected.amount, Some(150_000));

    let expected = model(case("new", "40000", "food_safety", json!([])));
    assert_eq!(expected.outcome, "escalated");
    assert_eq!(expected.reasons, ["critical_complaint", "valid_complaint"]);
    assert_eq!(expected.amount, Some(40_000));
}

#[test]
fn the_model_measures_windows_back_from_now_excluding_the_far_edge() {
    // Exactly 7 x 24 h old: outside the count window; a second younger: inside.
    let outside = model(case(
        "new",
        "100000",
        "late_delivery",
        json!([past("1", "2026-11-17T10:00:00+07:00", "5000")]),
    ));
    assert_eq!(outside.outcome, "granted");
    let inside = model(case(
        "new",
        "100000",
        "late_delivery",
        json!([past("1", "2026-11-17T10:00:01+07:00", "5000")]),
    ));
    assert_eq!(inside.reasons, ["voucher_limit_reached"]);
}

#[test]
fn the_model_finds_every_fault_of_a_broken_case() {
    let mut broken = case(
        "diamond",
        "-5",
        "food_safety",
        json!([
            {"order_id": "1", "granted_at": "2027-01-01T00:00:00+07:00", "amount": "0", "currency": "USD"}
        ]),
    );
    broken["complaint"]["category"] = json!("cold_soup");
    broken["locale"] = json!("fr");
    let faults = reference::decide(&Case::from_json(&broken.to_string()).unwrap()).unwrap_err();
    assert_eq!(
        faults,
        [
            "locale",
            "customer.loyalty",
            "complaint.category",
            "order.total",
            "history[0].currency",
            "history[0].amount",
            "history[0].granted_at",
        ]
    );
}
