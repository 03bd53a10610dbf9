//! Shared builders for the behaviour tests: a base JSON case that the default policy grants, small
//! helpers to tweak it, and deciders that check both script locales agree on the verdict.

use chrono::{DateTime, FixedOffset, TimeDelta};
use serde_json::{Value, json};
use voucher_policy::{Case, Decision, Engine, RequestError};

/// The moment every case is decided at.
pub const NOW: &str = "2026-11-24T10:00:00+07:00";

/// `now` plus the default policy's 30-day voucher validity, in the policy's +07:00 offset.
pub const VALID_UNTIL: &str = "2026-12-24T10:00:00+07:00";

/// A clean case the default policy grants on its own: a `regular` customer, their own order of
/// 100,000 delivered 35 minutes before the complaint, a moderate complaint (`late_delivery`),
/// the company at fault, no history, no amount asked. Policy amount: 100,000 x 25% = 25,000.
pub fn base() -> Value {
    json!({
        "now": NOW,
        "locale": "id",
        "customer": {"id": "C-1001", "name": "Budi Santoso", "loyalty": "regular"},
        "order": {
            "id": "3449",
            "customer_id": "C-1001",
            "total": "100000",
            "currency": "IDR",
            "placed_at": "2026-11-24T08:10:00+07:00",
            "delivered_at": "2026-11-24T08:55:00+07:00"
        },
        "complaint": {
            "category": "late_delivery",
            "reported_at": "2026-11-24T09:30:00+07:00",
            "company_at_fault": true,
            "evidence": "none"
        },
        "conduct": {
            "abusive_language": false,
            "threat": null,
            "insists_on_supervisor": false,
            "personal_advances": false
        },
        "history": []
    })
}

/// Sets the value at a JSON pointer (`/order/total`), creating the last key if missing.
pub fn set(case: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
    let parent = case
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no parent for {pointer}"));
    match parent {
        Value::Object(map) => {
            map.insert(key.to_owned(), value);
        }
        Value::Array(items) => {
            let index: usize = key.parse().expect("an array index");
            items[index] = value;
        }
        other => panic!("{pointer}: parent is not a container: {other}"),
    }
}

/// Removes the key at a JSON pointer.
pub fn remove(case: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
    let removed = case
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .and_then(|map| map.remove(key));
    assert!(removed.is_some(), "nothing to remove at {pointer}");
}

/// `base()` with some pointers set.
pub fn with(changes: &[(&str, Value)]) -> Value {
    let mut case = base();
    for (pointer, value) in changes {
        set(&mut case, pointer, value.clone());
    }
    case
}

/// The instant `seconds` before [`NOW`], written in +07:00.
pub fn secs_ago(seconds: i64) -> String {
    let now = DateTime::parse_from_rfc3339(NOW).expect("NOW is RFC 3339");
    (now - TimeDelta::seconds(seconds)).to_rfc3339()
}

/// The instant `days` x 24 h before [`NOW`], written in +07:00.
pub fn days_ago(days: i64) -> String {
    secs_ago(days * 86_400)
}

/// An instant written in another offset (`"Z"` is written as `+00:00`).
pub fn in_offset(at: &str, offset_seconds: i32) -> String {
    let offset = FixedOffset::east_opt(offset_seconds).expect("a valid offset");
    DateTime::parse_from_rfc3339(at)
        .expect("RFC 3339")
        .with_timezone(&offset)
        .to_rfc3339()
}

/// A history entry in IDR, with a severity when given.
pub fn past(order_id: &str, granted_at: &str, amount: &str, severity: Option<&str>) -> Value {
    let mut entry = json!({
        "order_id": order_id,
        "granted_at": granted_at,
        "amount": amount,
        "currency": "IDR"
    });
    if let Some(severity) = severity {
        set(&mut entry, "/severity", json!(severity));
    }
    entry
}

/// Reads a JSON case.
pub fn case(case: &Value) -> Case {
    Case::from_json(&case.to_string()).unwrap_or_else(|e| panic!("case does not read: {e}"))
}

/// Decides a JSON case on the default policy.
pub fn try_decide(json: &Value) -> Result<Decision, RequestError> {
    Engine::default().decide_case(&case(json))
}

/// The request error a JSON case gives; fails if it is decided.
pub fn error(json: &Value) -> RequestError {
    match try_decide(json) {
        Ok(decision) => panic!("expected an error, got {}", to_json(&decision)),
        Err(error) => error,
    }
}

/// A decision as its JSON wire form.
pub fn to_json(decision: &Decision) -> Value {
    serde_json::to_value(decision).expect("a decision serializes")
}

/// Decides a JSON case in one locale and returns the decision's wire form, checking the script
/// is in that locale.
pub fn decide_in(json: &Value, locale: &str) -> Value {
    let mut json = json.clone();
    set(&mut json, "/locale", json!(locale));
    let decision = try_decide(&json).unwrap_or_else(|e| panic!("request error: {e}"));
    assert_eq!(decision.script().locale().as_str(), locale, "script locale");
    let decision = to_json(&decision);
    assert_eq!(
        decision["script"]["locale"],
        json!(locale),
        "wire script locale"
    );
    decision
}

/// Decides a JSON case in Indonesian and in English, checks both give the same verdict (all but
/// the script, the agent's note and the id, since the locale is part of the request) with a
/// script in the asked locale, and returns the Indonesian decision.
pub fn decide(json: &Value) -> Value {
    let mut id = decide_in(json, "id");
    let mut en = decide_in(json, "en");
    assert_ne!(id["id"], en["id"], "another request, another id");
    let mut words = Vec::new();
    for key in ["script", "agent_note", "id"] {
        let id_words = id.as_object_mut().and_then(|m| m.remove(key));
        let en_words = en.as_object_mut().and_then(|m| m.remove(key));
        assert!(en_words.is_some(), "no {key} in English");
        words.push((key, id_words.expect("Indonesian words")));
    }
    assert_eq!(id, en, "the locale changed the verdict");
    for (key, text) in words {
        set(&mut id, &format!("/{key}"), text);
    }
    id
}

/// The parts of a decision a behaviour is about: outcome, reasons, escalation target, flags,
/// alternatives, the voucher's amount, and the recommendation (outcome, reasons, amount).
pub fn summary(decision: &Value) -> Value {
    let amount = |voucher: &Value| match voucher {
        Value::Null => Value::Null,
        voucher => voucher["amount"].clone(),
    };
    let recommendation = match &decision["recommendation"] {
        Value::Null => Value::Null,
        r => json!({
            "outcome": r["outcome"],
            "reasons": r["reasons"],
            "voucher": amount(&r["voucher"]),
        }),
    };
    json!({
        "outcome": decision["outcome"],
        "reasons": decision["reasons"],
        "escalate_to": decision["escalate_to"],
        "flags": decision["flags"],
        "alternatives": decision["alternatives"],
        "voucher": amount(&decision["voucher"]),
        "recommendation": recommendation,
    })
}

/// The summary of a plain grant of `amount` with these reasons.
pub fn granted(amount: &str, reasons: &[&str]) -> Value {
    json!({
        "outcome": "granted",
        "reasons": reasons,
        "escalate_to": null,
        "flags": [],
        "alternatives": [],
        "voucher": amount,
        "recommendation": null,
    })
}

/// The summary of a plain refusal with these reasons and alternatives.
pub fn refused(reasons: &[&str], alternatives: &[&str]) -> Value {
    json!({
        "outcome": "refused",
        "reasons": reasons,
        "escalate_to": null,
        "flags": [],
        "alternatives": alternatives,
        "voucher": null,
        "recommendation": null,
    })
}
