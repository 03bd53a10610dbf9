//! Input that cannot be decided is an error naming the field, the value and the problem; JSON
//! that is not a case is a `CaseError` naming the path. Merely unwelcome requests are decisions.

use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};
use voucher_policy::{Case, CaseError, Currency, Locale, Problem};

use crate::common::{self, NOW, base, decide, error, granted, past, remove, summary, with};

const KNOWN_TIERS: &str = "new, regular, silver, gold, platinum";

fn wrong_currency() -> Problem {
    Problem::WrongCurrency {
        expected: Currency::IDR,
    }
}

fn after_now() -> Problem {
    Problem::AfterNow {
        now: DateTime::parse_from_rfc3339(NOW).unwrap(),
    }
}

fn placed_at() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T08:10:00+07:00").unwrap()
}

// ---- currencies ---------------------------------------------------------------------------

#[test]
fn an_order_in_another_currency_is_an_error() {
    let error = error(&with(&[("/order/currency", json!("USD"))]));
    assert_eq!(error.field(), "order.currency");
    assert_eq!(error.value(), "USD");
    assert_eq!(error.problem(), &wrong_currency());
    assert_eq!(
        error.to_string(),
        "order.currency: USD is not the policy currency IDR"
    );
}

#[test]
fn a_history_entry_in_another_currency_is_an_error_naming_its_index() {
    let mut entry = past("3002", "2026-11-20T12:00:00+07:00", "10000", None);
    entry["currency"] = json!("SGD");
    let error = error(&with(&[(
        "/history",
        json!([
            past("3001", "2026-11-19T12:00:00+07:00", "10000", None),
            entry
        ]),
    )]));
    assert_eq!(error.field(), "history[1].currency");
    assert_eq!(error.value(), "SGD");
    assert_eq!(error.problem(), &wrong_currency());
    assert_eq!(
        error.to_string(),
        "history[1].currency: SGD is not the policy currency IDR"
    );
}

// ---- amounts ------------------------------------------------------------------------------

#[test]
fn a_negative_order_total_is_an_error() {
    let error = error(&with(&[("/order/total", json!("-100000"))]));
    assert_eq!(error.field(), "order.total");
    assert_eq!(error.value(), "-100000");
    assert_eq!(error.problem(), &Problem::NotPositive);
    assert_eq!(
        error.to_string(),
        "order.total: -100000 is not a positive amount"
    );
}

#[test]
fn a_zero_order_total_is_an_error() {
    let error = error(&with(&[("/order/total", json!("0"))]));
    assert_eq!(error.field(), "order.total");
    assert_eq!(error.value(), "0");
    assert_eq!(error.problem(), &Problem::NotPositive);
}

#[test]
fn a_negative_requested_amount_is_an_error() {
    let error = error(&with(&[("/requested_amount", json!("-5000"))]));
    assert_eq!(error.field(), "requested_amount");
    assert_eq!(error.value(), "-5000");
    assert_eq!(error.problem(), &Problem::NotPositive);
    assert_eq!(
        error.to_string(),
        "requested_amount: -5000 is not a positive amount"
    );
}

#[test]
fn a_zero_requested_amount_is_an_error() {
    let error = error(&with(&[("/requested_amount", json!("0"))]));
    assert_eq!(error.field(), "requested_amount");
    assert_eq!(error.problem(), &Problem::NotPositive);
}

#[test]
fn a_history_amount_of_zero_or_less_is_an_error() {
    for amount in ["0", "-10000"] {
        let error = error(&with(&[(
            "/history",
            json!([past("3001", "2026-11-20T12:00:00+07:00", amount, None)]),
        )]));
        assert_eq!(error.field(), "history[0].amount", "{amount}");
        assert_eq!(error.value(), amount);
        assert_eq!(error.problem(), &Problem::NotPositive);
        assert_eq!(
            error.to_string(),
            format!("history[0].amount: {amount} is not a positive amount")
        );
    }
}

// ---- times in the wrong order -------------------------------------------------------------

#[test]
fn a_complaint_reported_before_the_order_was_placed_is_an_error() {
    let error = error(&with(&[(
        "/complaint/reported_at",
        json!("2026-11-24T08:00:00+07:00"),
    )]));
    assert_eq!(error.field(), "complaint.reported_at");
    assert_eq!(error.value(), "2026-11-24T08:00:00+07:00");
    assert_eq!(
        error.problem(),
        &Problem::Before {
            other_field: "order.placed_at".to_owned(),
            other_value: placed_at(),
        }
    );
    assert_eq!(
        error.to_string(),
        "complaint.reported_at: 2026-11-24T08:00:00+07:00 is before order.placed_at 2026-11-24T08:10:00+07:00"
    );
}

#[test]
fn an_order_delivered_before_it_was_placed_is_an_error() {
    let error = error(&with(&[(
        "/order/delivered_at",
        json!("2026-11-24T08:09:59+07:00"),
    )]));
    assert_eq!(error.field(), "order.delivered_at");
    assert_eq!(error.value(), "2026-11-24T08:09:59+07:00");
    assert_eq!(
        error.problem(),
        &Problem::Before {
            other_field: "order.placed_at".to_owned(),
            other_value: placed_at(),
        }
    );
}

#[test]
fn a_complaint_reported_at_the_moment_of_placement_is_accepted() {
    let mut case = with(&[("/complaint/reported_at", json!("2026-11-24T08:10:00+07:00"))]);
    remove(&mut case, "/order/delivered_at");
    assert_eq!(
        summary(&decide(&case)),
        granted("25000", &["valid_complaint"])
    );
}

#[test]
fn a_history_entry_granted_after_now_is_an_error() {
    let error = error(&with(&[(
        "/history",
        json!([past("3001", "2026-11-24T10:00:01+07:00", "10000", None)]),
    )]));
    assert_eq!(error.field(), "history[0].granted_at");
    assert_eq!(error.value(), "2026-11-24T10:00:01+07:00");
    assert_eq!(error.problem(), &after_now());
    assert_eq!(
        error.to_string(),
        "history[0].granted_at: 2026-11-24T10:00:01+07:00 is after now 2026-11-24T10:00:00+07:00"
    );
}

#[test]
fn a_complaint_reported_after_now_is_an_error() {
    let error = error(&with(&[(
        "/complaint/reported_at",
        json!("2026-11-24T10:00:01+07:00"),
    )]));
    assert_eq!(error.field(), "complaint.reported_at");
    assert_eq!(error.value(), "2026-11-24T10:00:01+07:00");
    assert_eq!(error.problem(), &after_now());
}

#[test]
fn an_order_placed_or_delivered_after_now_is_an_error() {
    let error = error(&with(&[
        ("/order/placed_at", json!("2026-11-24T10:30:00+07:00")),
        ("/order/delivered_at", json!("2026-11-24T10:45:00+07:00")),
    ]));
    assert_eq!(error.field(), "order.placed_at");
    assert_eq!(error.problem(), &after_now());

    let error = common::error(&with(&[(
        "/order/delivered_at",
        json!("2026-11-24T10:00:01+07:00"),
    )]));
    assert_eq!(error.field(), "order.delivered_at");
    assert_eq!(error.problem(), &after_now());
}

#[test]
fn the_error_value_keeps_the_offset_it_was_given_in() {
    let error = error(&with(&[(
        "/complaint/reported_at",
        json!("2026-11-24T03:00:01Z"),
    )]));
    assert_eq!(error.value(), "2026-11-24T03:00:01+00:00");
    assert_eq!(error.problem(), &after_now());
}

// ---- names the policy does not know -------------------------------------------------------

#[test]
fn an_unknown_loyalty_tier_is_an_error_listing_the_known_ones() {
    let error = error(&with(&[("/customer/loyalty", json!("diamond"))]));
    assert_eq!(error.field(), "customer.loyalty");
    assert_eq!(error.value(), "diamond");
    assert_eq!(
        error.problem(),
        &Problem::UnknownTier {
            known: KNOWN_TIERS.split(", ").map(str::to_owned).collect()
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "customer.loyalty: diamond is not a loyalty tier of the policy (known: {KNOWN_TIERS})"
        )
    );
}

#[test]
fn a_locale_without_a_catalog_is_an_error_listing_the_loaded_ones() {
    // A well-formed tag the engine has no catalog for: loud, never a silent fallback.
    let error = error(&with(&[("/locale", json!("fr"))]));
    assert_eq!(error.field(), "locale");
    assert_eq!(error.value(), "fr");
    assert_eq!(
        error.problem(),
        &Problem::NoCatalog {
            loaded: vec![Locale::ID, Locale::EN]
        }
    );
    assert_eq!(
        error.to_string(),
        "locale: fr has no script catalog (loaded: id, en)"
    );
}

#[test]
fn a_locale_without_a_catalog_still_has_a_verdict() {
    // The verdict has no script, so it does not need a catalog.
    let case = common::case(&with(&[("/locale", json!("fr"))]));
    let verdict = voucher_policy::Engine::default()
        .verdict(case.request(), case.history(), case.now())
        .unwrap();
    assert_eq!(verdict.outcome(), voucher_policy::Outcome::Granted);
}

#[test]
fn a_locale_tag_is_read_in_canonical_case() {
    let decision = common::try_decide(&with(&[("/locale", json!("EN"))])).unwrap();
    assert_eq!(decision.script().locale(), voucher_policy::Locale::EN);
}

#[test]
fn tier_names_are_case_sensitive() {
    let error = error(&with(&[("/customer/loyalty", json!("Gold"))]));
    assert_eq!(error.field(), "customer.loyalty");
}

#[test]
fn an_unknown_category_without_severity_is_an_error() {
    let error = error(&with(&[("/complaint/category", json!("cold_drink"))]));
    assert_eq!(error.field(), "complaint.category");
    assert_eq!(error.value(), "cold_drink");
    let Problem::UnknownCategory { known } = error.problem() else {
        panic!("{error}");
    };
    assert!(
        known.iter().any(|name| name == "food_not_hot")
            && known.iter().any(|name| name == "food_safety"),
        "{known:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("complaint.category: cold_drink is not a complaint category of the policy; give complaint.severity"),
        "{error}"
    );
}

#[test]
fn an_unknown_category_with_explicit_severity_is_decided() {
    let decision = decide(&with(&[
        ("/complaint/category", json!("cold_drink")),
        ("/complaint/severity", json!("minor")),
    ]));
    assert_eq!(summary(&decision), granted("10000", &["valid_complaint"]));
    assert_eq!(decision["facts"]["severity"], "minor");
    assert_eq!(decision["facts"]["severity_from"], "explicit");
}

#[test]
fn an_explicit_severity_wins_over_the_category() {
    let decision = decide(&with(&[("/complaint/severity", json!("minor"))]));
    assert_eq!(summary(&decision), granted("10000", &["valid_complaint"]));
}

// ---- JSON that is not a case --------------------------------------------------------------

fn json_error(case: &Value) -> CaseError {
    Case::from_json(&case.to_string()).expect_err("the JSON should not read")
}

#[test]
fn a_bad_decimal_string_names_its_path() {
    let error = json_error(&with(&[("/order/total", json!("12x"))]));
    assert_eq!(error.path(), Some("order.total"));
    assert!(error.to_string().starts_with("order.total: "), "{error}");
    assert!(error.message().contains("12x"), "{error}");
}

/// The base case's text with the order total written `total` (a JSON number, as typed).
fn with_total_number(total: &str) -> String {
    with(&[])
        .to_string()
        .replace(r#""total":"100000""#, &format!(r#""total":{total}"#))
}

#[test]
fn an_amount_written_as_a_number_is_read_exactly() {
    for (written, read) in [
        ("85000", "85000"),
        ("85000.5", "85000.5"),
        ("85000.50", "85000.50"),
        // Beyond what a float holds: read digit for digit, never rounded.
        ("85000.123456789012345678901", "85000.123456789012345678901"),
        ("12345678901234567890123", "12345678901234567890123"),
    ] {
        let case = Case::from_json(&with_total_number(written)).unwrap();
        assert_eq!(case.request().order().total().to_string(), read);
    }
    // Read exactly, then refused with the amount's own problem.
    let case = Case::from_json(&with_total_number("85000.123")).unwrap();
    let error = voucher_policy::Engine::default()
        .decide_case(&case)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "order.total: 85000.123 has more decimal places than IDR has (2)"
    );
}

#[test]
fn a_number_no_amount_can_be_names_its_path() {
    for written in [
        "1e400",
        "1e5",
        "-1e-400",
        "100000000000000000000000000000000",
    ] {
        let error = Case::from_json(&with_total_number(written)).unwrap_err();
        assert_eq!(error.path(), Some("order.total"), "{written}: {error}");
        assert!(error.detail().contains(written), "{written}: {error}");
    }
}

#[test]
fn a_time_without_an_offset_says_so() {
    let error = json_error(&with(&[("/order/placed_at", json!("2026-11-24T08:10:00"))]));
    assert_eq!(error.path(), Some("order.placed_at"));
    assert!(
        error
            .detail()
            .contains("2026-11-24T08:10:00 has no UTC offset"),
        "{error}"
    );
}

#[test]
fn a_bad_history_amount_names_its_index() {
    let error = json_error(&with(&[(
        "/history",
        json!([past("3001", "2026-11-20T12:00:00+07:00", "ten", None)]),
    )]));
    assert_eq!(error.path(), Some("history[0].amount"));
}

#[test]
fn an_unknown_field_names_its_path() {
    let error = json_error(&with(&[("/order/colour", json!("red"))]));
    assert_eq!(error.path(), Some("order.colour"));
    assert!(
        error.to_string().contains("unknown field `colour`"),
        "{error}"
    );
}

#[test]
fn an_unknown_top_level_field_is_rejected() {
    let error = json_error(&with(&[("/requested", json!("50000"))]));
    assert_eq!(error.path(), Some("requested"));
}

#[test]
fn a_missing_field_names_the_object_and_the_field() {
    let mut case = base();
    remove(&mut case, "/order/total");
    let error = json_error(&case);
    assert_eq!(error.path(), Some("order"));
    assert!(error.to_string().starts_with("order: "), "{error}");
    assert!(
        error.to_string().contains("missing field `total`"),
        "{error}"
    );
}

#[test]
fn a_missing_top_level_field_names_the_field() {
    let mut case = base();
    remove(&mut case, "/now");
    let error = json_error(&case);
    assert!(error.to_string().contains("missing field `now`"), "{error}");
}

#[test]
fn a_bad_date_names_its_path() {
    let error = json_error(&with(&[("/now", json!("2026-11-24 10:00"))]));
    assert_eq!(error.path(), Some("now"));
    assert!(error.to_string().starts_with("now: "), "{error}");

    let error = json_error(&with(&[(
        "/history",
        json!([past("3001", "2026-13-01T00:00:00Z", "5000", None)]),
    )]));
    assert_eq!(error.path(), Some("history[0].granted_at"));
}

#[test]
fn a_date_without_offset_is_rejected() {
    let error = json_error(&with(&[("/order/placed_at", json!("2026-11-24T08:10:00"))]));
    assert_eq!(error.path(), Some("order.placed_at"));
}

#[test]
fn a_lowercase_currency_code_names_its_path() {
    let error = json_error(&with(&[("/order/currency", json!("idr"))]));
    assert_eq!(error.path(), Some("order.currency"));
}

#[test]
fn unknown_codes_name_their_path() {
    for (pointer, value, path) in [
        ("/locale", json!("fr_FR"), "locale"),
        ("/locale", json!(""), "locale"),
        ("/address", json!("casual"), "address"),
        ("/complaint/evidence", json!("video"), "complaint.evidence"),
        ("/complaint/severity", json!("severe"), "complaint.severity"),
        ("/conduct/threat", json!("verbal"), "conduct.threat"),
    ] {
        let error = json_error(&with(&[(pointer, value)]));
        assert_eq!(error.path(), Some(path), "{error}");
    }
}

#[test]
fn text_after_the_case_is_rejected() {
    let error = Case::from_json(&format!("{} x", base())).expect_err("trailing text");
    assert!(error.to_string().contains("trailing characters"), "{error}");
}

#[test]
fn a_case_reads_back_from_its_own_json() {
    let case = common::case(&with(&[
        ("/requested_amount", json!("50000")),
        (
            "/history",
            json!([past(
                "3001",
                "2026-11-20T12:00:00+07:00",
                "10000",
                Some("minor")
            )]),
        ),
    ]));
    let text = serde_json::to_string(&case).unwrap();
    assert_eq!(Case::from_json(&text).unwrap(), case);
}
