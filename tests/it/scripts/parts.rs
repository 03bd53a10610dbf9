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
    ];
    if has(Reason::CustomerListed) && !others.into_iter().any(has) {
        return "handoff.personal_review";
    }
    match decision.verdict().escalate_to().unwrap() {
        EscalationTarget::Security => "handoff.safety",
        EscalationTarget::Legal => "handoff.legal",
        EscalationTarget::Supervisor if has(Reason::CriticalComplaint) => "handoff.serious",
        EscalationTarget::Supervisor if has(Reason::SupervisorRequested) => "handoff.requested",
        EscalationTarget::Supervisor => "handoff.approval",
        other => panic!("unknown target {other:?}"),
    }
}

/// The five parts, in order, said with the catalog's own messages: empathy first, then an
/// honest reason and a way forward, thanks for loyalty when the tier is thanked, and the offer
/// of further help last. Returns every message the script said.
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

    // 1. Empathy, before anything else.
    let heated = has(Reason::AbusiveLanguage) || !case["conduct"]["threat"].is_null();
    let empathy = if heated {
        "empathy.heated"
    } else {
        "empathy.calm"
    };
    assert_eq!(
        position(empathy),
        Some(0),
        "{label}: {empathy} first in\n{text}"
    );
    let greeting = match said.name {
        Some(_) => "empathy.greeting",
        None => "empathy.greeting_without_name",
    };
    assert_eq!(
        position(greeting),
        Some(0),
        "{label}: {greeting} first in\n{text}"
    );
    let other = if heated {
        "empathy.calm"
    } else {
        "empathy.heated"
    };
    assert_eq!(position(other), None, "{label}: {other} in\n{text}");

    // Conduct lines when, and only when, the conduct was noted.
    for (reason, key) in [
        (Reason::AbusiveLanguage, "conduct.abusive_language"),
        (Reason::PersonalAdvances, "conduct.personal_advances"),
    ] {
        assert_eq!(
            position(key).is_some(),
            has(reason),
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
            assert_eq!(rounded, has(Reason::RoundedToStep), "{label}");
            (voucher, voucher)
        }
        Outcome::Refused => {
            let intro = position("refusal.intro");
            assert!(intro.is_some(), "{label}: no refusal.intro in\n{text}");
            let mut explained = 0;
            for reason in Reason::ALL
                .iter()
                .filter(|r| r.kind() == ReasonKind::Refusal)
            {
                let key = format!("refusal.{reason}");
                let at = position(&key);
                if at.is_some() {
                    assert!(
                        has(*reason),
                        "{label}: explains {reason}, which did not fire"
                    );
                    assert!(at > intro, "{label}: {key} before the intro");
                    explained += 1;
                }
            }
            assert!(
                (1..=2).contains(&explained),
                "{label}: {explained} reasons in\n{text}"
            );
            let forward = position("way_forward.intro");
            assert!(
                forward > intro,
                "{label}: no way forward after the reason in\n{text}"
            );
            assert!(!decision.verdict().alternatives().is_empty(), "{label}");
            for way in Alternative::ALL {
                let offered = decision.verdict().alternatives().contains(*way);
                let at = position(&format!("way_forward.{way}"));
                assert_eq!(
                    at.is_some(),
                    offered,
                    "{label}: way_forward.{way} in\n{text}"
                );
                if offered {
                    assert!(at > forward, "{label}: {way} before the intro");
                }
            }
            (intro, forward)
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
            ] {
                assert_eq!(
                    position(key).is_some(),
                    key == handoff,
                    "{label}: {key} in\n{text}"
                );
            }
            let wait = position("handoff.wait");
            assert!(
                wait > position(handoff),
                "{label}: no handoff.wait in\n{text}"
            );
            (position(handoff), wait)
        }
    };
    assert!(reason_at > Some(0) && forward_at >= reason_at, "{label}");

    // 4. Thanks for loyalty, only for the tiers that are thanked.
    let thanks = position("closing.loyalty_thanks");
    assert_eq!(
        thanks.is_some(),
        thanked,
        "{label}: loyalty thanks in\n{text}"
    );
    if thanks.is_some() {
        assert!(
            thanks > forward_at,
            "{label}: thanks before the way forward"
        );
    }

    // 5. Further help, last.
    let help = said.say("closing.further_help");
    assert!(
        text.ends_with(&help),
        "{label}: no offer of help at the end of\n{text}"
    );
    position("closing.further_help");
    heard
}

/// Every scenario, in every tier, shipped locale and form of address, each with and without
/// both conduct lines, plus a customer with a blank name. Calls `check` on each decision and
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
            for (variant, case) in [
                ("", scenario),
                (" with conduct", conduct),
                (" no name", blank),
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
