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
    assert!(text.contains("isn't on the account"), "{text}");
    assert!(!text.contains("already been compensated"), "{text}");
    // Nothing is offered about the order either: only to check the account it came from.
    assert!(
        text.contains("which account the order was placed from"),
        "{text}"
    );
    assert!(
        !text.contains("feedback") && !text.contains("handle it first"),
        "{text}"
    );
}

#[test]
fn limits_from_history_are_explained_once() {
    // Limit reached and a recent voucher on a minor complaint: one honest reason, not two.
    let case = article_case();
    let id = decide(&case, "id");
    assert!(id.reasons().contains(Reason::MinorComplaintRecentVoucher));
    assert!(id.script().text().contains("batas voucher"));
    assert!(!id.script().text().contains("jeda dari voucher"));
    let en = decide(&case, "en");
    assert!(en.script().text().contains("voucher limit"));
    assert!(!en.script().text().contains("a gap since"));
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

#[test]
fn a_final_refusal_never_says_not_yet() {
    for (reason, outcome, case) in scenarios() {
        if outcome != Outcome::Refused {
            continue;
        }
        for locale in locales() {
            for form in FORMS {
                let decision = decide_as(&case, &locale, Some(form));
                let text = decision.script().text().to_lowercase();
                let lifts = decision.reasons().iter().all(|fired| {
                    fired.kind() != voucher_policy::ReasonKind::Refusal
                        || fired == Reason::EvidenceRequired
                        || decision.verdict().next_eligible_at().is_some()
                            && [
                                Reason::VoucherLimitReached,
                                Reason::VoucherValueLimitReached,
                                Reason::YoungAccountLimitReached,
                                Reason::MinorComplaintRecentVoucher,
                                Reason::RepeatedMinorComplaints,
                            ]
                            .contains(&fired)
                });
                let not_yet = text.contains("belum") || text.contains("yet");
                assert_eq!(not_yet, lifts, "{reason} ({locale}, {form}):\n{text}");
                // A date is given exactly when there is a later yes by time.
                let dated = decision.verdict().next_eligible_at().is_some() && lifts;
                let said = text.contains("mengajukan voucher lagi")
                    || text.contains("apply for a voucher again");
                assert!(!said || dated, "{reason} ({locale}, {form}):\n{text}");
            }
        }
    }
}

#[test]
fn chat_scripts_are_brief() {
    let mut lengths = Vec::new();
    for (reason, _, case) in scenarios() {
        for locale in locales() {
            for form in FORMS {
                let decision = decide_as(&case, &locale, Some(form));
                let length = decision.script().text().chars().count();
                assert!(length <= 600, "{reason} ({locale}, {form}): {length}");
                lengths.push(length);
            }
        }
    }
    lengths.sort_unstable();
    let median = lengths[lengths.len() / 2];
    let longest = lengths[lengths.len() - 1];
    assert!(median <= 400, "median {median}, longest {longest}");
}

#[test]
fn the_agent_note_says_what_decided_it_in_the_agent_s_language() {
    let case = article_case();
    let decision = decide(&case, "en");
    let note = decision.agent_note().unwrap();
    assert_eq!(note.locale().as_str(), "en");
    assert_eq!(
        note.text(),
        "Refused: 3 of 3 vouchers in 7d (gold); minor complaint, 3 voucher(s) in the last 7d; \
         3 minor-complaint vouchers in 30d (pattern at 3). Eligible again from 2026-12-18 12:00 \
         +07:00. Flags: review_customer."
    );
    // The agent's own locale, whatever the customer's script is in.
    let mut case = article_case();
    set(&mut case, "/agent_locale", json!("id"));
    let decision = decide(&case, "en");
    assert_eq!(decision.script().locale().as_str(), "en");
    assert_eq!(decision.agent_note().unwrap().locale().as_str(), "id");
    assert!(
        decision
            .agent_note()
            .unwrap()
            .text()
            .starts_with("Ditolak: 3 dari 3 voucher dalam 7d (gold)")
    );
    // A locale without wording of its own gets English.
    set(&mut case, "/agent_locale", json!("pt-BR"));
    assert_eq!(
        decide(&case, "id").agent_note().unwrap().locale().as_str(),
        "en"
    );
}
