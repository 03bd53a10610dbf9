//! Inputs the fuzzers (`fuzz/`, see docs/reliability.md) found to break a promise,
//! kept as ordinary tests. The fuzzers' own crash files are in `fuzz/regressions/`, named in
//! each test.

use serde_json::{Value, json};
use voucher_policy::{Case, Engine, Outcome, Policy};

fn usd() -> Engine {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/policies/usd.toml");
    Engine::new(Policy::load(path).unwrap())
}

fn usd_case(loyalty: &str, total: &str, category: &str) -> Value {
    json!({
        "now": "2026-11-24T10:00:00-05:00",
        "customer": {"id": "C-1", "name": "Ana", "loyalty": loyalty},
        "order": {"id": "77", "customer_id": "C-1", "total": total, "currency": "USD",
                  "placed_at": "2026-11-24T09:00:00-05:00"},
        "complaint": {"category": category, "reported_at": "2026-11-24T09:30:00-05:00"}
    })
}

/// `fuzz/regressions/decision/crash-d0d38893b61dff8995bb78bbf01679e5c2c64144`: an order total
/// near `Decimal::MAX` in a currency with cent steps. Rounding it down divided it by the step,
/// which overflowed; the fallback was zero, so the voucher was "granted" at 0.00 instead of
/// capped at the maximum voucher. Such a total is now an error (above 10^15), and the largest
/// total a request may carry is capped at the maximum voucher.
#[test]
fn an_enormous_total_in_cents_is_capped_at_the_maximum_voucher_not_zeroed() {
    // The policy amount is the maximum voucher, 75.00; the tier's value limit may cut it, and
    // above the agent's authority of 40.00 a supervisor approves it.
    for (loyalty, total, category, outcome, amount) in [
        (
            "premium",
            "1000000000000000",
            "cold_food",
            Outcome::Escalated,
            "75.00",
        ),
        (
            "basic",
            "999999999999999.99",
            "late_delivery",
            Outcome::Granted,
            "30.00",
        ),
        (
            "plus",
            "1000000000000000.00",
            "missing_item",
            Outcome::Escalated,
            "60.00",
        ),
    ] {
        let case = Case::from_json(&usd_case(loyalty, total, category).to_string()).unwrap();
        let decision = usd().decide_case(&case).unwrap();
        let wire = serde_json::to_value(&decision).unwrap();
        assert_eq!(decision.outcome(), outcome, "{total}: {wire}");
        let voucher = match outcome {
            Outcome::Escalated => &wire["recommendation"]["voucher"],
            _ => &wire["voucher"],
        };
        assert_eq!(voucher["amount"], amount, "{total}: {wire}");
        assert_eq!(wire["facts"]["policy_amount"], "75.00", "{total}");
    }
    for total in [
        "79228068066934680200656651263",
        "79228162514264337593543950335",
        "7922816251426433759354395033.5",
    ] {
        let case = Case::from_json(&usd_case("basic", total, "late_delivery").to_string()).unwrap();
        let error = usd().decide_case(&case).unwrap_err();
        assert_eq!(error.field(), "order.total", "{total}");
    }
}
