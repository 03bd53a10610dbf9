//! The customer-facing scripts of the shipped catalogs: for every outcome, every reason, every
//! loyalty tier, every shipped locale and both forms of address, the script has the five parts
//! of the design in order (empathy, an honest reason, a way forward, thanks for loyalty where it
//! applies, further help), names the customer and the order, states the voucher in the locale's
//! own money and date forms, keeps to one form of address, has a sensible length, and never says
//! an accusing word, an internal code, a tier name or a raw placeholder.
//!
//! The parts are checked against a reference model ([`model`]): it reads the catalog files
//! itself and fills their placeholders with its own small renderer, so a script is right only if
//! it says the very messages the design asks for, in the order it asks for them.
//!
//! [`tone`] holds what every script must be whatever the case, [`parts`] the five parts in order;
//! then the forms of address, money, dates and names, what is said and what is not, and the
//! snapshots of the wording.

mod address;
mod messages;
mod model;
mod money_dates_names;
mod parts;
mod tone;
mod wording;

use serde_json::{Value, json};
use voucher_policy::{AddressForm, Case, Decision, Engine, Outcome, Reason, Scripts};

const NOW: &str = "2026-11-24T10:00:00+07:00";

/// The shipped locales, as the crate reports them.
fn locales() -> Vec<String> {
    Scripts::builtin()
        .locales()
        .map(|locale| locale.as_str().to_owned())
        .collect()
}

const FORMS: [AddressForm; 2] = [AddressForm::Familiar, AddressForm::Formal];

/// A case the default policy grants: a `silver` customer's own order of 120,000 delivered 35
/// minutes before a `late_delivery` complaint, the company at fault, no history.
/// Policy amount: 120,000 x 25% x 1.10 = 33,000, valid until 24 December 2026.
fn base() -> Value {
    json!({
        "now": NOW,
        "locale": "id",
        "customer": {"id": "C-1001", "name": "Budi Santoso", "loyalty": "silver"},
        "order": {
            "id": "3449",
            "customer_id": "C-1001",
            "total": "120000",
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
        "history": []
    })
}

/// A past voucher `days` days before `NOW`.
fn past(order_id: &str, days: i64, amount: &str, severity: &str) -> Value {
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap();
    let at = now - chrono::TimeDelta::days(days);
    json!({
        "order_id": order_id,
        "granted_at": at.to_rfc3339(),
        "amount": amount,
        "currency": "IDR",
        "severity": severity
    })
}

fn set(case: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    case.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object at {parent}"))
        .insert(key.to_owned(), value);
}

/// Decides a case in a locale, in the catalog's default form of address.
fn decide(case: &Value, locale: &str) -> Decision {
    decide_as(case, locale, None)
}

/// Decides a case in a locale and, when given, a form of address.
fn decide_as(case: &Value, locale: &str, form: Option<AddressForm>) -> Decision {
    let mut case = case.clone();
    set(&mut case, "/locale", json!(locale));
    if let Some(form) = form {
        set(&mut case, "/address", json!(form));
    }
    let case = Case::from_json(&case.to_string()).unwrap();
    engine().decide_case(&case).unwrap()
}

/// The engine every script is decided by: the default policy with the optional shapes whose
/// refusals and hand-offs have messages of their own (`tests/policies/every_shape.toml`).
fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::new(voucher_policy::Policy::load("tests/policies/every_shape.toml").unwrap())
    })
}

/// One scenario per reason code, each firing that reason on the default policy with every
/// shape ([`engine`]).
fn scenarios() -> Vec<(Reason, Outcome, Value)> {
    let case = |changes: &[(&str, Value)]| {
        let mut case = base();
        for (pointer, value) in changes {
            set(&mut case, pointer, value.clone());
        }
        case
    };
    let history = |entries: Vec<Value>| ("/history", Value::Array(entries));
    use Outcome::*;
    use Reason::*;
    vec![
        (
            PhysicalThreat,
            Escalated,
            case(&[("/conduct", json!({"threat": "physical"}))]),
        ),
        (
            LegalThreat,
            Escalated,
            case(&[("/conduct", json!({"threat": "legal"}))]),
        ),
        (
            CriticalComplaint,
            Escalated,
            case(&[("/complaint/category", json!("food_safety"))]),
        ),
        (
            SupervisorRequested,
            Escalated,
            case(&[("/conduct", json!({"insists_on_supervisor": true}))]),
        ),
        (
            AbusiveLanguage,
            Granted,
            case(&[("/conduct", json!({"abusive_language": true}))]),
        ),
        (
            PersonalAdvances,
            Granted,
            case(&[("/conduct", json!({"personal_advances": true}))]),
        ),
        (
            OrderCustomerMismatch,
            Refused,
            case(&[("/order/customer_id", json!("C-2002"))]),
        ),
        (
            OrderAlreadyCompensated,
            Refused,
            case(&[history(vec![past("3449", 2, "10000", "moderate")])]),
        ),
        (
            ClaimWindowExpired,
            Refused,
            case(&[
                ("/order/placed_at", json!("2026-11-21T08:10:00+07:00")),
                ("/order/delivered_at", json!("2026-11-21T08:55:00+07:00")),
            ]),
        ),
        (
            NotCompanyFault,
            Refused,
            case(&[("/complaint/company_at_fault", json!(false))]),
        ),
        (
            EvidenceRequired,
            Refused,
            case(&[("/complaint/category", json!("wrong_item"))]),
        ),
        (
            VoucherLimitReached,
            Refused,
            case(&[history(vec![
                past("3401", 2, "10000", "moderate"),
                past("3417", 4, "10000", "moderate"),
            ])]),
        ),
        (
            VoucherValueLimitReached,
            Refused,
            case(&[history(vec![past("3301", 20, "148000", "major")])]),
        ),
        (
            ReducedToValueLimit,
            Granted,
            case(&[history(vec![past("3301", 20, "130000", "major")])]),
        ),
        (
            MinorComplaintRecentVoucher,
            Refused,
            case(&[
                ("/complaint/category", json!("food_not_hot")),
                history(vec![past("3401", 3, "10000", "moderate")]),
            ]),
        ),
        (
            RepeatedMinorComplaints,
            Refused,
            case(&[
                ("/complaint/category", json!("food_not_hot")),
                history(vec![
                    past("3301", 10, "10000", "minor"),
                    past("3302", 15, "10000", "minor"),
                    past("3303", 20, "10000", "minor"),
                ]),
            ]),
        ),
        (
            ReducedToPolicyAmount,
            Granted,
            case(&[("/requested_amount", json!("50000"))]),
        ),
        (
            RoundedToStep,
            Granted,
            case(&[("/requested_amount", json!("7500"))]),
        ),
        (
            AboveAgentAuthority,
            Escalated,
            case(&[
                ("/order/total", json!("1000000")),
                ("/complaint/category", json!("wrong_item")),
                ("/complaint/evidence", json!("photo")),
            ]),
        ),
        (
            CustomerListed,
            Escalated,
            case(&[("/customer/lists", json!(["review"]))]),
        ),
        (
            RepeatedAbusiveLanguage,
            Granted,
            case(&[(
                "/conduct",
                json!({"abusive_language": true, "warnings_given": 1}),
            )]),
        ),
        (
            PersistentPersonalAdvances,
            Escalated,
            case(&[(
                "/conduct",
                json!({"personal_advances": true, "warnings_given": 2}),
            )]),
        ),
        (
            GiftOffered,
            Granted,
            case(&[("/conduct", json!({"offers_gift": true}))]),
        ),
        (
            PersonalInformationRequested,
            Refused,
            case(&[
                ("/conduct", json!({"asks_personal_info": true})),
                ("/complaint/company_at_fault", json!(false)),
            ]),
        ),
        (
            CustomerAtFault,
            Refused,
            case(&[("/complaint/fault", json!("customer"))]),
        ),
        (
            EvidenceTooLate,
            Refused,
            case(&[
                ("/complaint/category", json!("cold_drink")),
                ("/complaint/evidence", json!("photo")),
                ("/order/placed_at", json!("2026-11-21T08:10:00+07:00")),
                ("/order/delivered_at", json!("2026-11-22T09:00:00+07:00")),
                ("/complaint/reported_at", json!("2026-11-23T09:30:00+07:00")),
                ("/complaint/evidence_at", json!("2026-11-24T09:30:00+07:00")),
            ]),
        ),
        (
            YoungAccountLimitReached,
            Refused,
            case(&[
                ("/customer/since", json!("2026-11-01T10:00:00+07:00")),
                history(vec![past("3001", 20, "10000", "moderate")]),
            ]),
        ),
        // Claimed long after an order that has no delivery time: the window runs from the order.
        (
            ClaimWindowExpired,
            Refused,
            case(&[
                ("/order/placed_at", json!("2026-11-20T08:10:00+07:00")),
                ("/order/delivered_at", Value::Null),
            ]),
        ),
        (ValidComplaint, Granted, base()),
    ]
}

/// The article's case: gold customer Budi Santoso, order 3449, food not hot, three vouchers
/// already this week.
fn article_case() -> Value {
    json!({
        "now": NOW,
        "customer": {"id": "C-1001", "name": "Budi Santoso", "loyalty": "gold"},
        "order": {"id": "3449", "customer_id": "C-1001", "total": "85000", "currency": "IDR",
                  "placed_at": "2026-11-24T08:10:00+07:00",
                  "delivered_at": "2026-11-24T08:55:00+07:00"},
        "complaint": {"category": "food_not_hot", "reported_at": "2026-11-24T09:30:00+07:00",
                      "company_at_fault": true, "evidence": "none"},
        "requested_amount": "50000",
        "history": [
            {"order_id": "3401", "granted_at": "2026-11-18T12:00:00+07:00", "amount": "10000",
             "currency": "IDR", "severity": "minor"},
            {"order_id": "3417", "granted_at": "2026-11-20T12:00:00+07:00", "amount": "10000",
             "currency": "IDR", "severity": "minor"},
            {"order_id": "3430", "granted_at": "2026-11-22T12:00:00+07:00", "amount": "15000",
             "currency": "IDR", "severity": "minor"}
        ]
    })
}

fn scenario(reason: Reason) -> Value {
    scenarios()
        .into_iter()
        .find(|(fired, _, _)| *fired == reason)
        .map(|(_, _, case)| case)
        .unwrap()
}

#[test]
fn every_reason_fires_with_its_outcome_in_every_locale() {
    for (reason, outcome, case) in scenarios() {
        for locale in locales() {
            let decision = decide(&case, &locale);
            assert!(
                decision.reasons().contains(reason),
                "{reason} ({locale}): did not fire"
            );
            assert_eq!(decision.outcome(), outcome, "{reason} ({locale})");
        }
    }
}
