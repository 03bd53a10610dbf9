//! The wording itself, snapshot-tested (`snapshots/`): a changed script is a change to review.

use serde_json::{Value, json};
use voucher_policy::{AddressForm, Outcome, Reason, Scripts};

use super::tone::check_script;
use super::{article_case, base, decide, decide_as, scenario, set};

/// Snapshots the script in every shipped locale and form of address: `{name}_{locale}` in the
/// catalog's default form, `{name}_{locale}_formal` where the catalog words the formal form
/// differently (the English formal script must equal the familiar one).
fn snapshot(name: &str, case: &Value, outcome: Outcome) {
    let scripts = Scripts::builtin();
    for locale in scripts.locales() {
        let locale = locale.as_str();
        let decision = decide(case, locale);
        assert_eq!(decision.outcome(), outcome, "{name} ({locale})");
        assert_eq!(decision.script().address(), AddressForm::Familiar);
        check_script(name, case, &decision, locale);
        insta::assert_snapshot!(format!("{name}_{locale}"), decision.script().text());

        let formal = decide_as(case, locale, Some(AddressForm::Formal));
        check_script(name, case, &formal, locale);
        if scripts.distinguishes_address(locale.parse().unwrap()) {
            insta::assert_snapshot!(format!("{name}_{locale}_formal"), formal.script().text());
        } else {
            assert_eq!(formal.script().text(), decision.script().text(), "{name}");
        }
    }
}

#[test]
fn snapshot_article_case_refused() {
    let case = article_case();
    let decision = decide(&case, "id");
    assert!(decision.reasons().contains(Reason::VoucherLimitReached));
    snapshot("article_case", &case, Outcome::Refused);
}

#[test]
fn snapshot_fair_grant() {
    snapshot("fair_grant", &base(), Outcome::Granted);
}

#[test]
fn snapshot_grant_reduced_to_policy_amount() {
    snapshot(
        "grant_reduced_to_policy_amount",
        &scenario(Reason::ReducedToPolicyAmount),
        Outcome::Granted,
    );
}

#[test]
fn snapshot_grant_reduced_to_value_limit() {
    snapshot(
        "grant_reduced_to_value_limit",
        &scenario(Reason::ReducedToValueLimit),
        Outcome::Granted,
    );
}

#[test]
fn snapshot_escalation_physical_threat() {
    snapshot(
        "escalation_physical_threat",
        &scenario(Reason::PhysicalThreat),
        Outcome::Escalated,
    );
}

#[test]
fn snapshot_escalation_legal_threat() {
    snapshot(
        "escalation_legal_threat",
        &scenario(Reason::LegalThreat),
        Outcome::Escalated,
    );
}

#[test]
fn snapshot_escalation_critical_complaint() {
    snapshot(
        "escalation_critical_complaint",
        &scenario(Reason::CriticalComplaint),
        Outcome::Escalated,
    );
}

#[test]
fn snapshot_escalation_supervisor_requested() {
    snapshot(
        "escalation_supervisor_requested",
        &scenario(Reason::SupervisorRequested),
        Outcome::Escalated,
    );
}

#[test]
fn snapshot_escalation_above_agent_authority() {
    snapshot(
        "escalation_above_agent_authority",
        &scenario(Reason::AboveAgentAuthority),
        Outcome::Escalated,
    );
}

#[test]
fn snapshot_abusive_language_on_a_grant() {
    snapshot(
        "abusive_language_grant",
        &scenario(Reason::AbusiveLanguage),
        Outcome::Granted,
    );
}

#[test]
fn snapshot_personal_advances_on_a_refusal() {
    let mut case = scenario(Reason::VoucherLimitReached);
    set(&mut case, "/conduct", json!({"personal_advances": true}));
    snapshot("personal_advances_refusal", &case, Outcome::Refused);
}

#[test]
fn snapshot_evidence_required() {
    snapshot(
        "evidence_required",
        &scenario(Reason::EvidenceRequired),
        Outcome::Refused,
    );
}

#[test]
fn snapshot_refusals_with_two_reasons() {
    let mut case = scenario(Reason::EvidenceRequired);
    set(&mut case, "/complaint/company_at_fault", json!(false));
    snapshot(
        "not_company_fault_and_evidence_required",
        &case,
        Outcome::Refused,
    );
}

#[test]
fn snapshot_every_other_refusal() {
    for reason in [
        Reason::OrderCustomerMismatch,
        Reason::OrderAlreadyCompensated,
        Reason::ClaimWindowExpired,
        Reason::NotCompanyFault,
        Reason::VoucherValueLimitReached,
        Reason::MinorComplaintRecentVoucher,
        Reason::RepeatedMinorComplaints,
        Reason::CustomerAtFault,
        Reason::EvidenceTooLate,
        Reason::YoungAccountLimitReached,
    ] {
        snapshot(
            &format!("refused_{reason}"),
            &scenario(reason),
            Outcome::Refused,
        );
    }
}

#[test]
fn snapshot_the_conversation_ladder() {
    for (name, reason, outcome) in [
        (
            "closed_after_a_warning",
            Reason::RepeatedAbusiveLanguage,
            Outcome::Granted,
        ),
        (
            "persistent_advances",
            Reason::PersistentPersonalAdvances,
            Outcome::Escalated,
        ),
        ("gift_declined", Reason::GiftOffered, Outcome::Granted),
        (
            "personal_details_declined",
            Reason::PersonalInformationRequested,
            Outcome::Refused,
        ),
        (
            "listed_customer",
            Reason::CustomerListed,
            Outcome::Escalated,
        ),
    ] {
        snapshot(name, &scenario(reason), outcome);
    }
}

#[test]
fn snapshot_every_channel() {
    for (channel, case, outcome) in [
        ("email", base(), Outcome::Granted),
        ("phone", article_case(), Outcome::Refused),
        ("public", scenario(Reason::LegalThreat), Outcome::Escalated),
    ] {
        let mut case = case;
        set(&mut case, "/channel", json!(channel));
        snapshot(&format!("channel_{channel}"), &case, outcome);
    }
}

#[test]
fn snapshot_an_honorific_in_the_formal_form() {
    let mut case = article_case();
    set(&mut case, "/customer/honorific", json!("ibu"));
    set(&mut case, "/customer/name", json!("Ratna Sari"));
    snapshot("honorific_ibu", &case, Outcome::Refused);
}
