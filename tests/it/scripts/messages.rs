//! What is said, and what is not: a reason explained once, nothing about another account's
//! order, no promised voucher on an escalation, the same words every time.

use serde_json::json;
use voucher_policy::{Outcome, Reason};

use super::{FORMS, article_case, base, decide, decide_as, locales, past, scenarios, set};

#[test]
fn an_order_on_another_account_explains_nothing_else_about_it() {
    let mut case = base();
    set(&mut case, "/order/customer_id", json!("C-2002"));
    set(
        &mut case,
        "/history",
        json!([past("3449", 2, "10000", "moderate")]),
    );
    let decision = decide(&case, "en");
    assert!(decision.reasons().contains(Reason::OrderAlreadyCompensated));
    let text = decision.script().text();
    assert!(text.contains("isn't registered on the account"), "{text}");
    assert!(!text.contains("already received compensation"), "{text}");
}

#[test]
fn limits_from_history_are_explained_once() {
    // Limit reached and a recent voucher on a minor complaint: one honest reason, not two.
    let case = article_case();
    let id = decide(&case, "id");
    assert!(id.reasons().contains(Reason::MinorComplaintRecentVoucher));
    assert!(id.script().text().contains("batas voucher"));
    assert!(!id.script().text().contains("belum lama ini"));
    let en = decide(&case, "en");
    assert!(en.script().text().contains("voucher limit"));
    assert!(!en.script().text().contains("so soon"));
}

#[test]
fn escalations_never_promise_the_recommended_voucher() {
    for (reason, outcome, case) in scenarios() {
        if outcome != Outcome::Escalated {
            continue;
        }
        for locale in locales() {
            for form in FORMS {
                let decision = decide_as(&case, &locale, Some(form));
                let text = decision.script().text();
                assert!(
                    !text.contains("Rp") && !text.contains("IDR"),
                    "{reason}:\n{text}"
                );
                assert!(
                    !text.to_lowercase().contains("voucher"),
                    "{reason}:\n{text}"
                );
            }
        }
    }
}

#[test]
fn scripts_are_deterministic() {
    for (_, _, case) in scenarios() {
        for locale in locales() {
            for form in FORMS {
                assert_eq!(
                    decide_as(&case, &locale, Some(form)),
                    decide_as(&case, &locale, Some(form))
                );
            }
        }
    }
}
