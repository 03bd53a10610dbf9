//! A history of the caller's own rows decides as the same history of `PastVoucher`s does, and
//! the verdict says where the request fell in the policy.

use chrono::{DateTime, FixedOffset};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;
use voucher_policy::{Case, Currency, Engine, HistoryEntry, PastVoucher, Severity};

use crate::generators;

/// A row as a service might read it from its database.
struct Row {
    order: String,
    granted: DateTime<FixedOffset>,
    amount: Decimal,
    currency: Currency,
    severity: Option<Severity>,
}

impl HistoryEntry for Row {
    fn order_id(&self) -> &str {
        &self.order
    }

    fn granted_at(&self) -> DateTime<FixedOffset> {
        self.granted
    }

    fn amount(&self) -> &Decimal {
        &self.amount
    }

    fn currency(&self) -> Currency {
        self.currency
    }

    fn severity(&self) -> Option<Severity> {
        self.severity
    }
}

/// A record that keeps its order id as bytes and says so through `order_id_bytes`.
struct Compact {
    row: Row,
    order: Box<[u8]>,
}

impl HistoryEntry for Compact {
    fn order_id(&self) -> &str {
        &self.row.order
    }

    fn order_id_bytes(&self) -> &[u8] {
        &self.order
    }

    fn granted_at(&self) -> DateTime<FixedOffset> {
        self.row.granted
    }

    fn amount(&self) -> &Decimal {
        &self.row.amount
    }

    fn currency(&self) -> Currency {
        self.row.currency
    }

    fn severity(&self) -> Option<Severity> {
        self.row.severity
    }
}

fn row(voucher: &PastVoucher) -> Row {
    Row {
        order: voucher.order_id().to_string(),
        granted: voucher.granted_at(),
        amount: voucher.amount(),
        currency: voucher.currency(),
        severity: voucher.severity(),
    }
}

fn read(case: &Value) -> Option<Case> {
    Case::from_json(&case.to_string()).ok()
}

proptest! {
    #[test]
    fn rows_of_any_type_decide_as_past_vouchers_do(case in generators::case()) {
        let Some(case) = read(&case) else { return Ok(()) };
        let engine = Engine::default();
        let expected = engine.decide(case.request(), case.history(), case.now());
        let rows: Vec<Row> = case.history().iter().map(row).collect();
        prop_assert_eq!(&engine.decide(case.request(), &rows, case.now()), &expected);
        let compact: Vec<Compact> = case
            .history()
            .iter()
            .map(|voucher| Compact {
                row: row(voucher),
                order: voucher.order_id().as_str().as_bytes().into(),
            })
            .collect();
        prop_assert_eq!(&engine.decide(case.request(), &compact, case.now()), &expected);
        // Borrowed entries are entries too.
        let borrowed: Vec<&PastVoucher> = case.history().iter().collect();
        prop_assert_eq!(&engine.decide(case.request(), &borrowed, case.now()), &expected);
    }

    #[test]
    fn a_verdict_names_the_tier_and_the_category_it_was_placed_in(case in generators::case()) {
        let Some(case) = read(&case) else { return Ok(()) };
        let engine = Engine::default();
        let Ok(verdict) = engine.verdict(case.request(), case.history(), case.now()) else {
            return Ok(());
        };
        let policy = engine.policy();
        let tier = verdict.tier_position().and_then(|at| policy.tiers().get(at));
        prop_assert_eq!(tier.map(|tier| tier.name.as_str()), Some(case.request().customer().loyalty().as_str()));
        let category = verdict
            .category_position()
            .and_then(|at| policy.categories().get(at))
            .map(|category| category.name.as_str());
        let listed = policy
            .categories()
            .iter()
            .any(|category| category.name == case.request().complaint().category());
        let wanted = listed.then_some(case.request().complaint().category());
        prop_assert_eq!(category, wanted);
    }
}

#[test]
fn a_verdict_read_back_from_json_has_no_positions_and_equals_the_one_written() {
    let case = crate::common::case(&crate::common::base());
    let verdict = Engine::default()
        .verdict(case.request(), case.history(), case.now())
        .unwrap();
    assert_eq!(verdict.tier_position(), Some(1));
    let read: voucher_policy::Verdict =
        serde_json::from_value(serde_json::to_value(&verdict).unwrap()).unwrap();
    assert_eq!(read.tier_position(), None);
    assert_eq!(read.category_position(), None);
    assert_eq!(read, verdict);
}
