//! A decision read back (an audit log) is one the engine could have given: impossible states
//! are refused with an error saying what is wrong.

use serde_json::{Value, json};
use voucher_policy::{Decision, Verdict};

use crate::common::{decide, with};

/// A decision the engine gave, as JSON, for a change to the base case.
fn decided(changes: &[(&str, Value)]) -> Value {
    decide(&with(changes))
}

fn refused(decision: &Value) -> String {
    let error = serde_json::from_value::<Decision>(decision.clone())
        .err()
        .unwrap_or_else(|| panic!("read back: {decision:#}"));
    // The verdict alone is checked the same way.
    let mut verdict = decision.clone();
    verdict.as_object_mut().unwrap().remove("script");
    assert!(serde_json::from_value::<Verdict>(verdict).is_err());
    error.to_string()
}

#[test]
fn every_decision_the_engine_gives_reads_back() {
    for changes in [
        vec![],
        vec![("/complaint/company_at_fault", json!(false))],
        vec![("/conduct", json!({"threat": "legal"}))],
        vec![
            ("/order/total", json!("1000000")),
            ("/complaint/category", json!("wrong_item")),
            ("/complaint/evidence", json!("photo")),
        ],
    ] {
        let decision = decided(&changes);
        let read: Decision = serde_json::from_value(decision.clone()).unwrap();
        assert_eq!(serde_json::to_value(&read).unwrap(), decision);
    }
}

#[test]
fn impossible_decisions_are_refused() {
    let granted = decided(&[]);
    let refused_one = decided(&[("/complaint/company_at_fault", json!(false))]);
    let escalated = decided(&[("/conduct", json!({"threat": "legal"}))]);

    let mut no_voucher = granted.clone();
    no_voucher["voucher"] = Value::Null;
    assert!(refused(&no_voucher).contains("granted without a voucher"));

    let mut voucher_on_refusal = refused_one.clone();
    voucher_on_refusal["voucher"] = granted["voucher"].clone();
    assert!(refused(&voucher_on_refusal).contains("a voucher on a refusal"));

    let mut escalate_to_without_escalation = granted.clone();
    escalate_to_without_escalation["escalate_to"] = json!("supervisor");
    assert!(refused(&escalate_to_without_escalation).contains("escalate_to"));

    let mut contradiction = granted.clone();
    contradiction["reasons"] = json!(["not_company_fault", "valid_complaint"]);
    assert!(refused(&contradiction).contains("reasons that do not grant"));

    let mut refused_without_reason = refused_one.clone();
    refused_without_reason["reasons"] = json!(["valid_complaint"]);
    assert!(refused(&refused_without_reason).contains("without a refusal reason"));

    let mut escalated_without_target = escalated.clone();
    escalated_without_target["escalate_to"] = Value::Null;
    assert!(refused(&escalated_without_target).contains("escalate_to"));

    let mut escalated_without_recommendation = escalated.clone();
    escalated_without_recommendation["recommendation"] = Value::Null;
    assert!(refused(&escalated_without_recommendation).contains("without a recommendation"));

    let mut refused_without_way = refused_one.clone();
    refused_without_way["alternatives"] = json!([]);
    assert!(refused(&refused_without_way).contains("way forward"));
}
