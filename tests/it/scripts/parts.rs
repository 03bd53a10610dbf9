//! The five parts of every script, in order (empathy, an honest reason, a way forward, thanks
//! for loyalty where it applies, further help), said with the catalog's own messages, for every
//! outcome, reason, tier, locale and form of address; and no message of a catalog is dead.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use voucher_policy::{
    AddressForm, Alternative, Code, Decision, EscalationTarget, Outcome, Reason, ReasonKind,
};

use super::model::{Reference, Said};
use super::tone::check_script;
use super::{FORMS, decide_as, locales, scenarios, set};

/// The hand-off message an escalated decision must say.
fn expected_handoff(decision: &Decision) -> &'static str {
    let has = |reason| decision.reasons().contains(reason);
    // A list's hand-off, when nothing else escalates, never says why.
    let others = [
        Reason::PhysicalThreat,
        Reason::LegalThreat,
        Reason::CriticalComplaint,
        Reason::SupervisorRequested,
        Reason::PersistentPersonalAdvances,
    ];
    if has(Reason::CustomerListed) && !others.into_iter().any(has) {
        return "handoff.personal_review";
    }
    match decision.verdict().escalate_to().unwrap() {
        EscalationTarget::Security => "handoff.safety",
        EscalationTarget::Legal => "handoff.legal",
        EscalationTarget::Supervisor if has(Reason::CriticalComplaint) => "handoff.serious",
        EscalationTarget::Supervisor if has(Reason::SupervisorRequested) => "handoff.requested",
        EscalationTarget::Supervisor if has(Reason::PersistentPersonalAdvances) => {
            "handoff.persistent_advances"
        }
        EscalationTarget::Supervisor => "handoff.approval",
        other => panic!("unknown target {other:?}"),
    }
}

/// The refusals that time lifts, told in one sentence.
const HISTORY_LIMITS: [Reason; 5] = [
    Reason::VoucherLimitReached,
    Reason::VoucherValueLimitReached,
    Reason::YoungAccountLimitReached,
    Reason::MinorComplaintRecentVoucher,
    Reason::RepeatedMinorComplaints,
];

/// The five parts, in order, said with the catalog's own messages: empathy first, then an
/// honest reason and a way forward, thanks for loyalty when the tier is thanked (and the
/// conversation is not sombre), and the offer of further help last; on a public channel, the
/// one reply. Returns every message the script said.
pub(super) fn check_parts(
    label: &str,
    case: &Value,
    decision: &Decision,
    form: AddressForm,
    thanked: bool,
) -> BTreeSet<String> {
    let locale = decision.script().locale();
    let reference = Reference::shipped(locale.as_str());
    let said = Said::new(reference, form, case, decision);
    let text = decision.script().text();
    let mut heard = BTreeSet::new();
    let mut position = |key: &str| -> Option<usize> {
        let message = said.say(key);
        let at = text.find(&message);
        if at.is_some() {
            heard.insert(format!("{key}/{form}"));
        }
        at
    };
    let has = |reason| decision.reasons().contains(reason);
    let channel = case["channel"].as_str().unwrap_or("chat");
    if channel == "public" {
        assert_eq!(
            position("channel.public_reply"),
            Some(0),
            "{label}:\n{text}"
        );
        assert_eq!(text, said.say("channel.public_reply"), "{label}");
        return heard;
    }

    // 1. Empathy, before anything else, naming the issue.
    let threat = !case["conduct"]["threat"].is_null();
    let empathy = if has(Reason::CriticalComplaint) {
        "empathy.wellbeing"
    } else if threat {
        "empathy.threat"
    } else if has(Reason::AbusiveLanguage) || has(Reason::RepeatedAbusiveLanguage) {
        "empathy.heated"
    } else {
        "empathy.calm"
    };
    assert_eq!(
        position(empathy),
        Some(0),
        "{label}: {empathy} first in\n{text}"
    );
    assert_eq!(
        position("empathy.greeting"),
        Some(0),
        "{label}: the greeting first in\n{text}"
    );
    for other in [
        "empathy.calm",
        "empathy.heated",
        "empathy.threat",
        "empathy.wellbeing",
    ] {
        if other != empathy {
            assert_eq!(position(other), None, "{label}: {other} in\n{text}");
        }
    }

    // Conduct lines when, and only when, the conduct was noted: the two most pressing.
    let mut expected_lines = Vec::new();
    for (reasons, key) in [
        (&[Reason::AbusiveLanguage][..], "conduct.abusive_language"),
        (
            &[Reason::PersonalAdvances, Reason::PersistentPersonalAdvances][..],
            "conduct.personal_advances",
        ),
        (
            &[Reason::PersonalInformationRequested][..],
            "conduct.personal_information_requested",
        ),
        (&[Reason::GiftOffered][..], "conduct.gift_offered"),
    ] {
        if reasons.iter().any(|reason| has(*reason)) {
            expected_lines.push(key);
        }
    }
    for key in [
        "conduct.abusive_language",
        "conduct.personal_advances",
        "conduct.personal_information_requested",
        "conduct.gift_offered",
    ] {
        let expected = expected_lines.iter().take(2).any(|line| *line == key);
        assert_eq!(
            position(key).is_some(),
            expected,
            "{label}: {key} in\n{text}"
        );
    }

    // 2. An honest reason, and 3. a way forward.
    let (reason_at, forward_at) = match decision.outcome() {
        Outcome::Granted => {
            // The voucher is the reason and the way forward: its value and how long it lasts.
            let voucher = position("grant.voucher");
            assert!(voucher.is_some(), "{label}: no grant.voucher in\n{text}");
            let reduced_value = position("grant.reduced_to_value_limit").is_some();
            let reduced_policy = position("grant.reduced_to_policy_amount").is_some();
            assert_eq!(reduced_value, has(Reason::ReducedToValueLimit), "{label}");
            assert_eq!(
                reduced_policy,
                has(Reason::ReducedToPolicyAmount) && !has(Reason::ReducedToValueLimit),
                "{label}"
            );
            // Granted below the amount asked only by the step: the script says so.
            let rounded = position("grant.rounded_to_step").is_some();
            assert_eq!(
                rounded,
                has(Reason::RoundedToStep) && !has(Reason::ReducedToValueLimit),
                "{label}"
            );
            (voucher, voucher)
        }
        Outcome::Refused => {
            let final_at = position("refusal.final");
            let for_now_at = position("refusal.for_now");
            assert!(
                final_at.is_some() != for_now_at.is_some(),
                "{label}: one refusal opening in\n{text}"
            );
            let intro = final_at.or(for_now_at);
            let mut explained = Vec::new();
            for reason in Reason::ALL
                .iter()
                .filter(|r| r.kind() == ReasonKind::Refusal)
            {
                let key = format!("refusal.{reason}");
                let mut at = position(&key);
                if *reason == Reason::ClaimWindowExpired {
                    at = at.or(position("refusal.claim_window_expired_placed"));
                }
                if at.is_some() {
                    assert!(
                        has(*reason),
                        "{label}: explains {reason}, which did not fire"
                    );
                    assert!(at > intro, "{label}: {key} before the opening");
                    explained.push(*reason);
                }
            }
            let conduct_lines = [
                Reason::AbusiveLanguage,
                Reason::PersonalAdvances,
                Reason::PersistentPersonalAdvances,
                Reason::GiftOffered,
                Reason::PersonalInformationRequested,
            ]
            .into_iter()
            .any(has);
            let most = if conduct_lines { 1 } else { 2 };
            assert!(
                (1..=most).contains(&explained.len()),
                "{label}: {} reasons in\n{text}",
                explained.len()
            );
            assert!(
                explained
                    .iter()
                    .filter(|reason| HISTORY_LIMITS.contains(reason))
                    .count()
                    <= 1,
                "{label}: the limits told twice in\n{text}"
            );
            // "Not yet" only where a later yes exists; then, with the date for the limits.
            if for_now_at.is_some() {
                assert!(
                    decision
                        .reasons()
                        .iter()
                        .all(|reason| reason.kind() != ReasonKind::Refusal
                            || reason == Reason::EvidenceRequired
                            || HISTORY_LIMITS.contains(&reason)),
                    "{label}: not yet, with a final reason, in\n{text}"
                );
            }
            let eligible = position("refusal.eligible_again");
            if eligible.is_some() {
                assert!(for_now_at.is_some(), "{label}: a date on a final refusal");
                assert!(decision.verdict().next_eligible_at().is_some(), "{label}");
            }
            let forward = position("way_forward.intro");
            let offered: Vec<Alternative> = Alternative::ALL
                .iter()
                .copied()
                .filter(|way| position(&format!("way_forward.{way}")).is_some())
                .collect();
            // A way forward the decision carries, at most two, after its opening (which a
            // script with conduct lines leaves out).
            assert!(offered.len() <= 2, "{label}: {offered:?}");
            assert_eq!(
                forward.is_some(),
                !offered.is_empty() && !conduct_lines,
                "{label}:\n{text}"
            );
            let forward = forward.or_else(|| {
                offered
                    .iter()
                    .filter_map(|way| position(&format!("way_forward.{way}")))
                    .min()
            });
            for way in &offered {
                assert!(
                    decision.verdict().alternatives().contains(*way),
                    "{label}: offers {way}, which the decision does not carry"
                );
            }
            if offered.contains(&Alternative::SendPhoto) {
                assert!(
                    decision
                        .reasons()
                        .iter()
                        .all(|reason| reason.kind() != ReasonKind::Refusal
                            || reason == Reason::EvidenceRequired),
                    "{label}: a photo that cannot change the answer"
                );
            }
            if has(Reason::OrderCustomerMismatch) {
                assert!(
                    offered.iter().all(|way| *way == Alternative::AccountCheck),
                    "{label}: offers about another account's order: {offered:?}"
                );
            }
            match forward {
                Some(forward) => {
                    assert!(
                        Some(forward) > intro,
                        "{label}: a way forward before the reason"
                    );
                    (intro, Some(forward))
                }
                None => (intro, intro),
            }
        }
        Outcome::Escalated => {
            let handoff = expected_handoff(decision);
            for key in [
                "handoff.safety",
                "handoff.legal",
                "handoff.serious",
                "handoff.requested",
                "handoff.approval",
                "handoff.personal_review",
                "handoff.persistent_advances",
            ] {
                assert_eq!(
                    position(key).is_some(),
                    key == handoff,
                    "{label}: {key} in\n{text}"
                );
            }
            assert_eq!(
                position("handoff.keep_evidence").is_some(),
                has(Reason::CriticalComplaint),
                "{label}: keep the evidence in\n{text}"
            );
            let wait = position("handoff.wait");
            assert!(
                wait > position(handoff),
                "{label}: no handoff.wait in\n{text}"
            );
            (position(handoff), wait)
        }
    };
    assert!(reason_at > Some(0) && forward_at >= reason_at, "{label}");

    // 4. Thanks for loyalty, only for the tiers that are thanked, never after a threat, beside
    // a critical complaint, once the conversation needed a boundary, or when it is closed.
    let closed = decision
        .verdict()
        .flags()
        .contains(voucher_policy::Flag::CloseConversation);
    let sombre = threat
        || closed
        || [
            Reason::CriticalComplaint,
            Reason::AbusiveLanguage,
            Reason::PersonalAdvances,
            Reason::PersistentPersonalAdvances,
        ]
        .into_iter()
        .any(has);
    let thanks = position("closing.loyalty_thanks");
    assert_eq!(
        thanks.is_some(),
        thanked && !sombre,
        "{label}: loyalty thanks in\n{text}"
    );
    if thanks.is_some() {
        assert!(
            thanks > forward_at,
            "{label}: thanks before the way forward"
        );
    }

    // 5. Further help last, or how to come back to a closed conversation; an email signs off.
    let last = if closed {
        "closing.conversation_closed"
    } else {
        "closing.further_help"
    };
    let mut ending = said.say(last);
    if channel == "email" {
        position("channel.email_sign_off");
        ending = format!("{ending}\n\n{}", said.say("channel.email_sign_off"));
    }
    assert!(
        text.ends_with(&ending),
        "{label}: does not end with {last} in\n{text}"
    );
    position(last);
    heard
}

/// Every scenario, in every tier, shipped locale and form of address, each with and without
/// both conduct lines, for a customer without a name, on every channel, and for a customer
/// whose honorific is known. Calls `check` on each decision and
/// returns what the checks heard, by locale.
fn every_case(
    mut check: impl FnMut(&str, &Value, &Decision, AddressForm, bool) -> BTreeSet<String>,
) -> Vec<(String, BTreeSet<String>)> {
    let policy = super::engine().policy().clone();
    let mut heard_by_locale = Vec::new();
    for locale in locales() {
        let mut heard = BTreeSet::new();
        for (reason, _, scenario) in scenarios() {
            let mut conduct = scenario.clone();
            let mut lines = scenario.get("conduct").cloned().unwrap_or(json!({}));
            set(&mut lines, "/abusive_language", json!(true));
            set(&mut lines, "/personal_advances", json!(true));
            set(&mut conduct, "/conduct", lines);
            let mut blank = scenario.clone();
            if let Some(customer) = blank["customer"].as_object_mut() {
                customer.remove("name");
            }
            let on = |channel: &str| {
                let mut case = scenario.clone();
                set(&mut case, "/channel", json!(channel));
                case
            };
            let mut pak = scenario.clone();
            set(&mut pak, "/customer/honorific", json!("bapak"));
            for (variant, case) in [
                ("", scenario.clone()),
                (" with conduct", conduct),
                (" no name", blank),
                (" by email", on("email")),
                (" by phone", on("phone")),
                (" in public", on("public")),
                (" to Pak", pak),
            ] {
                for tier in policy.tiers() {
                    let mut case = case.clone();
                    set(&mut case, "/customer/loyalty", json!(tier.name));
                    for form in FORMS {
                        let decision = decide_as(&case, &locale, Some(form));
                        let label = format!("{reason}{variant}, {} ({locale}, {form})", tier.name);
                        heard.extend(check(&label, &case, &decision, form, tier.thank_loyalty));
                    }
                }
            }
        }
        heard_by_locale.push((locale, heard));
    }
    heard_by_locale
}

#[test]
fn every_outcome_reason_tier_locale_and_address_form_has_the_five_parts() {
    let heard = every_case(|label, case, decision, form, thanked| {
        assert_eq!(decision.script().address(), form, "{label}");
        if case["customer"]["name"].is_string() {
            check_script(label, case, decision, decision.script().locale().as_str());
        }
        check_parts(label, case, decision, form, thanked)
    });
    // Every message of every shipped catalog, in each form it is written for, is said by some
    // case: no message is dead, and the reference model knows them all.
    for (locale, heard) in heard {
        let reference = Reference::shipped(&locale);
        for (key, written_for) in reference.messages() {
            for form in FORMS {
                if written_for.as_deref().is_some_and(|f| f != form.as_str()) {
                    continue;
                }
                assert!(
                    heard.contains(&format!("{key}/{form}")),
                    "{locale}: {key} ({form}) is never said"
                );
            }
        }
    }
}
