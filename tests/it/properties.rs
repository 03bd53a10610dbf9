//! Properties that hold for every input: the engine never panics, says the same thing every
//! time, whatever the order of the history or the offsets the times are written in; it never
//! grants above the maximum voucher, the order total, what is left in the value window or,
//! unless escalated, the agent's authority; it never compensates an order twice; a past voucher
//! never helps; a higher tier never gets less; every refusal explains itself and offers a way
//! forward; every script is kind and in the asked language; every value survives a serde round
//! trip.
//!
//! The cases come from `generators`: decidable cases on the edges of the default policy, on the
//! default policy and on policies that vary its every number; hostile cases and text where the
//! property is "no panic". Each property runs proptest's default 256 cases (`PROPTEST_CASES`
//! sets more: see docs/reliability.md).

use chrono::{DateTime, FixedOffset};
use proptest::collection::vec;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use voucher_policy::{
    Agent, AgentId, Alternative, Approval, ApprovalError, Case, Code, Decision, Engine,
    EscalationTarget, Flag, Outcome, Policy, Reason, ReasonKind, Request, RoleName,
};

use crate::generators;
use crate::reference::{self, exact};

/// A policy and a case to decide on it.
#[derive(Debug, Clone)]
struct Scenario {
    /// The policy file (JSON form), or `None` for the embedded default policy.
    policy: Option<Value>,
    /// The case, in the JSON wire form.
    case: Value,
}

impl Scenario {
    fn policy(&self) -> Policy {
        match &self.policy {
            None => Policy::default(),
            Some(file) => Policy::from_json_str(&file.to_string())
                .unwrap_or_else(|error| panic!("a generated policy does not load: {error}")),
        }
    }

    fn engine(&self) -> Engine {
        Engine::new(self.policy())
    }
}

/// A decidable case on the default policy (half the time) or on a generated policy.
fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop_oneof![Just(None), generators::policy().prop_map(Some)],
        generators::case(),
    )
        .prop_map(|(policy, case)| Scenario { policy, case })
}

/// Reads a generated case; a generated case always reads.
fn read(case: &Value) -> Case {
    Case::from_json(&case.to_string())
        .unwrap_or_else(|error| panic!("a generated case does not read: {error}\n{case}"))
}

/// Decides a case; the error is the request error's message.
fn decide(engine: &Engine, case: &Value) -> Result<Decision, String> {
    engine
        .decide_case(&read(case))
        .map_err(|error| error.to_string())
}

/// Decides a decidable case.
fn decided(engine: &Engine, case: &Value) -> Decision {
    decide(engine, case).unwrap_or_else(|error| panic!("a decidable case failed: {error}\n{case}"))
}

fn wire(decision: &Decision) -> String {
    serde_json::to_string(decision).unwrap()
}

/// The voucher a decision grants, or recommends on the merits of an escalated case.
fn merits_amount(decision: &Decision) -> Option<Decimal> {
    match decision.outcome() {
        Outcome::Escalated => decision
            .verdict()
            .recommendation()
            .and_then(|recommendation| recommendation.voucher())
            .map(|voucher| voucher.amount()),
        _ => decision.voucher().map(|voucher| voucher.amount()),
    }
}

/// Every moment in a case: `now`, the order's and the complaint's times, each history entry's.
fn time_pointers(case: &Value) -> Vec<String> {
    let mut pointers: Vec<String> = [
        "/now",
        "/order/placed_at",
        "/order/delivered_at",
        "/complaint/reported_at",
    ]
    .iter()
    .map(|pointer| (*pointer).to_owned())
    .filter(|pointer| case.pointer(pointer).is_some())
    .collect();
    let entries = case["history"].as_array().map_or(0, Vec::len);
    pointers.extend((0..entries).map(|index| format!("/history/{index}/granted_at")));
    pointers
}

fn moment(case: &Value, pointer: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(case.pointer(pointer).unwrap().as_str().unwrap()).unwrap()
}

/// The value used inside the policy's value window, exactly.
fn value_used(policy: &Policy, case: &Value) -> exact::Sum {
    let now = moment(case, "/now");
    let window = policy.value_window().as_seconds();
    let entries = case["history"].as_array().cloned().unwrap_or_default();
    entries.iter().fold(exact::Sum::ZERO, |sum, entry| {
        let granted_at =
            DateTime::parse_from_rfc3339(entry["granted_at"].as_str().unwrap()).unwrap();
        if reference::in_window(now, granted_at, window) {
            sum.add(entry["amount"].as_str().unwrap().parse().unwrap())
        } else {
            sum
        }
    })
}

/// A past voucher for the case, `age` seconds before its `now`.
fn past_voucher(
    case: &Value,
    order_id: &str,
    age: i64,
    amount: &str,
    severity: Option<&str>,
) -> Value {
    let granted_at = moment(case, "/now") - chrono::TimeDelta::seconds(age);
    json!({
        "order_id": order_id,
        "granted_at": granted_at.to_rfc3339(),
        "amount": amount,
        "currency": "IDR",
        "severity": severity,
    })
}

fn history_mut(case: &mut Value) -> &mut Vec<Value> {
    if !case["history"].is_array() {
        case["history"] = json!([]);
    }
    case["history"].as_array_mut().unwrap()
}

/// Words a script never says: the design's accusations, and every internal code.
fn banned_words() -> Vec<String> {
    let mut words: Vec<String> = [
        "abuse",
        "fraud",
        "hunter",
        "suspicious",
        "penyalahgunaan",
        "curang",
        "pemburu",
    ]
    .iter()
    .map(|word| (*word).to_owned())
    .collect();
    words.extend(Reason::ALL.iter().map(|code| code.as_str().to_owned()));
    words.extend(Flag::ALL.iter().map(|code| code.as_str().to_owned()));
    words.extend(Alternative::ALL.iter().map(|code| code.as_str().to_owned()));
    words
}

/// Common words of each language, to tell which one a script is written in.
const INDONESIAN_WORDS: [&str; 16] = [
    "yang", "dan", "kami", "untuk", "kak", "kakak", "bapak", "ibu", "pesanan", "dengan", "ini",
    "bisa", "tidak", "terima", "kasih", "mohon",
];
const ENGLISH_WORDS: [&str; 14] = [
    "the", "you", "your", "and", "we", "to", "for", "order", "this", "can", "is", "thank", "i",
    "with",
];

fn count_words(text: &str, words: &[&str]) -> usize {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|word| words.contains(&word.to_lowercase().as_str()))
        .count()
}

proptest! {
    // ---------------------------------------------------------------------------------------
    // No panic, ever.

    /// Cases broken in one to four ways (junk values, missing and unknown fields, times out of
    /// order, other currencies, amounts beyond any decimal) are read and decided, or refused
    /// with an error that names the field: never a panic.
    #[test]
    fn no_broken_case_makes_the_engine_panic(
        policy in prop_oneof![Just(None), generators::policy().prop_map(Some)],
        case in generators::hostile_case(),
    ) {
        let scenario = Scenario { policy, case };
        match Case::from_json(&scenario.case.to_string()) {
            Ok(case) => match scenario.engine().decide_case(&case) {
                Ok(decision) => prop_assert!(!wire(&decision).is_empty()),
                Err(error) => {
                    prop_assert!(!error.field().is_empty(), "{error}");
                    prop_assert!(error.to_string().starts_with(error.field()), "{error}");
                }
            },
            Err(error) => prop_assert!(!error.message().is_empty()),
        }
    }

    /// Text that is not a case (cut short, bytes flipped, a key given twice, deep nesting,
    /// anything at all) is refused with a message, never a panic.
    #[test]
    fn no_text_makes_the_reader_panic(text in generators::hostile_text()) {
        match Case::from_json(&text) {
            Ok(case) => {
                let _ = Engine::default().decide_case(&case);
            }
            Err(error) => prop_assert!(!error.message().is_empty()),
        }
    }

    /// Every decidable case is decided, on the default policy and on any generated policy.
    #[test]
    fn every_decidable_case_is_decided(scenario in scenario()) {
        let decision = decide(&scenario.engine(), &scenario.case);
        prop_assert!(decision.is_ok(), "{:?}", decision.err());
    }

    // ---------------------------------------------------------------------------------------
    // The same inputs, the same decision.

    /// Deciding twice, or on a freshly loaded copy of the policy, gives byte for byte the same
    /// decision, and `verdict` agrees with `decide`.
    #[test]
    fn the_same_inputs_give_the_same_decision(scenario in scenario()) {
        let engine = scenario.engine();
        let first = decided(&engine, &scenario.case);
        let second = decided(&engine, &scenario.case);
        let fresh = decided(&scenario.engine(), &scenario.case);
        prop_assert_eq!(wire(&first), wire(&second));
        prop_assert_eq!(wire(&first), wire(&fresh));
        let case = read(&scenario.case);
        let verdict = engine.verdict(case.request(), case.history(), case.now()).unwrap();
        prop_assert_eq!(&verdict, first.verdict());
    }

    /// The history is a set: any order of its entries gives byte for byte the same decision.
    #[test]
    fn the_order_of_the_history_does_not_matter(
        (scenario, order) in scenario().prop_flat_map(|scenario| {
            let entries = scenario.case["history"].as_array().map_or(0, Vec::len);
            (Just(scenario), Just((0..entries).collect::<Vec<usize>>()).prop_shuffle())
        })
    ) {
        let engine = scenario.engine();
        let mut shuffled = scenario.case.clone();
        let entries = scenario.case["history"].as_array().cloned().unwrap_or_default();
        *history_mut(&mut shuffled) = order.iter().map(|index| entries[*index].clone()).collect();
        prop_assert_eq!(
            wire(&decided(&engine, &scenario.case)),
            wire(&decided(&engine, &shuffled))
        );
    }

    /// The same instants written in other UTC offsets (one for all, or a different one for
    /// each time) give byte for byte the same decision.
    #[test]
    fn the_same_instants_in_other_offsets_give_the_same_decision(
        scenario in scenario(),
        offsets in vec(generators::offset_seconds(), 1..=6),
    ) {
        let engine = scenario.engine();
        let mut moved = scenario.case.clone();
        for (index, pointer) in time_pointers(&scenario.case).iter().enumerate() {
            let offset = FixedOffset::east_opt(offsets[index % offsets.len()]).unwrap();
            let at = moment(&scenario.case, pointer).with_timezone(&offset);
            *moved.pointer_mut(pointer).unwrap() = json!(at.to_rfc3339());
        }
        prop_assert_eq!(
            wire(&decided(&engine, &scenario.case)),
            wire(&decided(&engine, &moved))
        );
    }

    // ---------------------------------------------------------------------------------------
    // Never more than the policy allows.

    /// A voucher, granted or recommended, is never above the maximum voucher.
    #[test]
    fn a_grant_is_never_above_the_maximum_voucher(scenario in scenario()) {
        let policy = scenario.policy();
        let decision = decided(&scenario.engine(), &scenario.case);
        if let Some(amount) = merits_amount(&decision) {
            prop_assert!(amount <= policy.maximum_voucher(), "{amount} > {}", policy.maximum_voucher());
        }
    }

    /// A voucher, granted or recommended, is worth at least one step and is a whole multiple
    /// of the policy's step: never zero, never a fraction of the currency's unit.
    #[test]
    fn a_voucher_is_a_positive_multiple_of_the_step(scenario in scenario()) {
        let policy = scenario.policy();
        let decision = decided(&scenario.engine(), &scenario.case);
        if let Some(amount) = merits_amount(&decision) {
            prop_assert!(amount >= policy.step(), "{amount} is below the step {}", policy.step());
            prop_assert_eq!(amount.checked_rem(policy.step()), Some(Decimal::ZERO), "{}", amount);
        }
    }

    /// A voucher, granted or recommended, is never above the order total.
    #[test]
    fn a_grant_is_never_above_the_order_total(scenario in scenario()) {
        let decision = decided(&scenario.engine(), &scenario.case);
        let total: Decimal = scenario.case["order"]["total"].as_str().unwrap().parse().unwrap();
        if let Some(amount) = merits_amount(&decision) {
            prop_assert!(amount <= total, "{amount} > {total}");
        }
    }

    /// A voucher, granted or recommended, is never above what is left of the tier's value
    /// limit in the rolling value window, counted exactly.
    #[test]
    fn a_grant_is_never_above_what_is_left_in_the_value_window(scenario in scenario()) {
        let policy = scenario.policy();
        let decision = decided(&scenario.engine(), &scenario.case);
        let tier = policy.tier(scenario.case["customer"]["loyalty"].as_str().unwrap()).unwrap();
        let left = value_used(&policy, &scenario.case).left_of_decimal(tier.value_limit);
        if let Some(amount) = merits_amount(&decision) {
            prop_assert!(
                exact::tiny(amount) <= left,
                "granted {amount}, left {left} x 10^-28 of {}",
                tier.value_limit
            );
        }
    }

    /// A granted voucher is never above the agent's authority: above it, the case escalates
    /// to a supervisor with the voucher as the recommendation.
    #[test]
    fn a_grant_is_never_above_the_agent_authority_unless_escalated(scenario in scenario()) {
        let policy = scenario.policy();
        let decision = decided(&scenario.engine(), &scenario.case);
        if let Some(voucher) = decision.voucher() {
            prop_assert_eq!(decision.outcome(), Outcome::Granted);
            prop_assert!(voucher.amount() <= policy.agent_authority());
        }
        if merits_amount(&decision).is_some_and(|amount| amount > policy.agent_authority()) {
            prop_assert_eq!(decision.outcome(), Outcome::Escalated);
            prop_assert!(decision.voucher().is_none());
        }
    }

    /// An order already in the history is never granted a voucher, nor recommended one.
    #[test]
    fn no_order_is_ever_compensated_twice(
        scenario in scenario(),
        age in generators::age_seconds(),
        amount in generators::past_amount(),
        at in any::<prop::sample::Index>(),
    ) {
        let mut case = scenario.case.clone();
        let order_id = case["order"]["id"].as_str().unwrap().to_owned();
        let entry = past_voucher(&case, &order_id, age, &amount, None);
        let history = history_mut(&mut case);
        let position = at.index(history.len() + 1);
        history.insert(position, entry);
        let decision = decided(&scenario.engine(), &case);
        prop_assert_ne!(decision.outcome(), Outcome::Granted);
        prop_assert!(decision.voucher().is_none());
        prop_assert!(merits_amount(&decision).is_none());
        prop_assert!(decision.reasons().contains(Reason::OrderAlreadyCompensated));
    }

    /// One more past voucher (any order, any age inside the windows or not, any amount and
    /// severity) never raises the voucher granted or recommended, never turns a refusal into
    /// anything else, and never turns a refusal on the merits into a grant on the merits.
    #[test]
    fn a_past_voucher_never_increases_the_grant_nor_turns_a_refusal_into_a_grant(
        scenario in scenario(),
        order_id in generators::order_id(),
        age in generators::age_seconds(),
        amount in generators::past_amount(),
        severity in prop::option::of(prop::sample::select(generators::SEVERITIES.to_vec())),
        at in any::<prop::sample::Index>(),
    ) {
        let engine = scenario.engine();
        let before = decided(&engine, &scenario.case);
        let mut case = scenario.case.clone();
        let entry = past_voucher(&case, &order_id, age, &amount, severity);
        let history = history_mut(&mut case);
        let position = at.index(history.len() + 1);
        history.insert(position, entry);
        let after = decided(&engine, &case);
        let zero = Decimal::ZERO;
        prop_assert!(
            merits_amount(&after).unwrap_or(zero) <= merits_amount(&before).unwrap_or(zero),
            "{:?} became {:?}", merits_amount(&before), merits_amount(&after)
        );
        if before.outcome() == Outcome::Refused {
            prop_assert_eq!(after.outcome(), Outcome::Refused);
        }
        if merits_amount(&before).is_none() {
            prop_assert!(merits_amount(&after).is_none());
        }
    }

    /// Under the default policy, the same case for a higher tier never gets less: the voucher
    /// granted or recommended never shrinks (no voucher counts as zero), and no refusal reason
    /// appears that the tier below did not have. Both must hold because the default policy's
    /// tiers only ever raise the count limit, the value limit and the multiplier.
    #[test]
    fn under_the_default_policy_a_higher_tier_never_gets_less(case in generators::case()) {
        let engine = Engine::default();
        let mut previous: Option<(&str, Option<Decimal>, Vec<Reason>)> = None;
        for tier in generators::TIERS {
            let mut case = case.clone();
            case["customer"]["loyalty"] = json!(tier);
            let decision = decided(&engine, &case);
            let amount = merits_amount(&decision);
            let refusals: Vec<Reason> = decision
                .reasons()
                .iter()
                .filter(|reason| reason.kind() == ReasonKind::Refusal)
                .collect();
            if let Some((lower, lower_amount, lower_refusals)) = &previous {
                prop_assert!(
                    amount.unwrap_or_default() >= lower_amount.unwrap_or_default(),
                    "{tier} gets {amount:?}, {lower} gets {lower_amount:?}"
                );
                for reason in &refusals {
                    prop_assert!(
                        lower_refusals.contains(reason),
                        "{tier} is refused for {reason}, {lower} is not"
                    );
                }
            }
            previous = Some((tier, amount, refusals));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Every decision explains itself, kindly.

    /// A refusal has at least one refusal reason and at least one alternative; a refusal
    /// recommended on the merits has its refusal reasons.
    #[test]
    fn every_refusal_has_a_refusal_reason_and_an_alternative(scenario in scenario()) {
        let decision = decided(&scenario.engine(), &scenario.case);
        let is_refusal = |reason: Reason| reason.kind() == ReasonKind::Refusal;
        if decision.outcome() == Outcome::Refused {
            prop_assert!(decision.reasons().iter().any(is_refusal), "{}", wire(&decision));
            prop_assert!(!decision.verdict().alternatives().is_empty(), "{}", wire(&decision));
            prop_assert!(decision.voucher().is_none());
        }
        if let Some(recommendation) = decision.verdict().recommendation() {
            if recommendation.outcome() == Outcome::Refused {
                prop_assert!(recommendation.reasons().iter().any(is_refusal));
                prop_assert!(recommendation.voucher().is_none());
            }
        }
    }

    /// Every script is non-empty, in the asked locale and language, and, once the customer's
    /// own words (their name, the order id) are taken out, free of accusing words, internal
    /// codes and raw placeholders.
    #[test]
    fn every_script_is_kind_complete_and_in_the_asked_locale(
        scenario in scenario(),
        locale in prop::sample::select(vec!["id", "en"]),
        address in prop::sample::select(vec!["familiar", "formal"]),
    ) {
        let mut case = scenario.case.clone();
        case["locale"] = json!(locale);
        case["address"] = json!(address);
        let decision = serde_json::to_value(decided(&scenario.engine(), &case)).unwrap();
        prop_assert_eq!(&decision["script"]["locale"], &json!(locale));
        if locale == "id" {
            prop_assert_eq!(&decision["script"]["address"], &json!(address));
        }
        let text = decision["script"]["text"].as_str().unwrap();
        prop_assert!(!text.trim().is_empty());
        let mut own_words: Vec<&str> = [
            case["customer"]["name"].as_str(),
            case["order"]["id"].as_str(),
        ]
        .into_iter()
        .flatten()
        .collect();
        own_words.retain(|words| !words.is_empty());
        own_words.sort_by_key(|words| std::cmp::Reverse(words.len()));
        let ours = own_words.iter().fold(text.to_owned(), |rest, words| rest.replace(words, " "));
        let lower = ours.to_lowercase();
        for word in banned_words() {
            prop_assert!(!lower.contains(&word), "says {word:?}:\n{text}");
        }
        for placeholder in ["{", "}", "%s", "%d", "$(", "TODO", "null", "None"] {
            prop_assert!(!ours.contains(placeholder), "a raw {placeholder:?}:\n{text}");
        }
        let (indonesian, english) = (count_words(&ours, &INDONESIAN_WORDS), count_words(&ours, &ENGLISH_WORDS));
        match locale {
            "id" => prop_assert!(indonesian > english, "not Indonesian ({indonesian} to {english}):\n{text}"),
            _ => prop_assert!(english > indonesian, "not English ({english} to {indonesian}):\n{text}"),
        }
    }

    // ---------------------------------------------------------------------------------------
    // Everything survives a serde round trip.

    /// A case written back to JSON reads as the same case, byte for byte; so does a request on
    /// its own.
    #[test]
    fn a_request_survives_a_serde_round_trip(case in generators::case()) {
        let read = read(&case);
        let written = serde_json::to_string(&read).unwrap();
        let again = Case::from_json(&written).unwrap();
        prop_assert_eq!(&again, &read);
        prop_assert_eq!(serde_json::to_string(&again).unwrap(), written);
        let request: Request = serde_json::from_value(serde_json::to_value(read.request()).unwrap()).unwrap();
        prop_assert_eq!(&request, read.request());
    }

    /// A decision written to JSON reads back as the same decision and writes the same bytes.
    #[test]
    fn a_decision_survives_a_serde_round_trip(scenario in scenario()) {
        let decision = decided(&scenario.engine(), &scenario.case);
        let written = wire(&decision);
        let again: Decision = serde_json::from_str(&written)
            .unwrap_or_else(|error| panic!("{error}: {written}"));
        prop_assert_eq!(&again, &decision);
        prop_assert_eq!(wire(&again), written);
    }

    /// A policy written as TOML or JSON loads back as the same policy; its file's TOML and
    /// JSON forms load as one policy.
    #[test]
    fn a_policy_survives_a_serde_round_trip(file in generators::policy()) {
        let policy = Policy::from_json_str(&file.to_string()).unwrap();
        let from_toml = Policy::from_toml_str(&generators::policy_toml(&file))
            .unwrap_or_else(|error| panic!("{error}\n{}", generators::policy_toml(&file)));
        prop_assert_eq!(&from_toml, &policy);
        prop_assert_eq!(&Policy::from_toml_str(&policy.to_toml_string().unwrap()).unwrap(), &policy);
        prop_assert_eq!(&Policy::from_json_str(&policy.to_json_string().unwrap()).unwrap(), &policy);
    }

    // ---------------------------------------------------------------------------------------
    // Approvals.

    /// A supervisor's approval, at any later moment, never grants above the supervisor's
    /// authority and agrees with deciding afresh at that moment apart from authority: a grant
    /// stays the grant, a refusal stays the refusal (without an override), and an escalation
    /// becomes its recommendation unless it goes to legal or security, or beyond the
    /// supervisor too. An override grants only past refusals an approver may set aside.
    #[test]
    fn an_approval_agrees_with_deciding_afresh_apart_from_authority(
        scenario in scenario(),
        minutes in 0_i64..=4_320,
    ) {
        let engine = scenario.engine();
        let policy = scenario.policy();
        let case = read(&scenario.case);
        let original = decided(&engine, &scenario.case);
        prop_assume!(original.outcome() != Outcome::Granted);
        let authority = policy.role("supervisor").unwrap().authority;
        let later = case.now() + chrono::TimeDelta::minutes(minutes);
        let by = Agent::new(AgentId::new("S-1")).with_role(RoleName::new("supervisor"));
        let overriding = original.outcome() == Outcome::Refused;
        let approval = if overriding {
            Approval::of(&original, by).with_override_reason("checked with the courier")
        } else {
            Approval::of(&original, by)
        };
        let fresh = engine.decide(case.request(), case.history(), later);
        let approved = engine.approve(case.request(), case.history(), &approval, later);
        let (fresh, approved) = match (fresh, approved) {
            (Ok(fresh), Ok(approved)) => (fresh, approved),
            (Err(fresh), Err(ApprovalError::Request(approved))) => {
                prop_assert_eq!(fresh, approved);
                return Ok(());
            }
            (fresh, approved) => {
                return Err(TestCaseError::fail(format!("{fresh:?} but {approved:?}")));
            }
        };
        prop_assert_eq!(approved.approval().map(|record| record.of()), Some(original.id()));
        if let Some(voucher) = approved.voucher() {
            prop_assert!(voucher.amount() <= authority, "{} > {authority}", voucher.amount());
            // Recorded, the grant is never given again for the order.
            let mut history = case.history().to_vec();
            history.push(approved.history_entry().unwrap());
            let again = engine.approve(case.request(), &history, &approval, later).unwrap();
            prop_assert_eq!(again.outcome(), Outcome::Refused);
            prop_assert!(again.reasons().contains(Reason::OrderAlreadyCompensated));
        }
        const FIRM: [Reason; 2] = [Reason::OrderCustomerMismatch, Reason::OrderAlreadyCompensated];
        let firm = |decision: &Decision| {
            let reasons = match decision.verdict().recommendation() {
                Some(recommendation) => recommendation.reasons(),
                None => decision.reasons(),
            };
            FIRM.iter().any(|reason| reasons.contains(*reason))
        };
        if firm(&fresh) {
            prop_assert_ne!(approved.outcome(), Outcome::Granted);
        }
        let beyond = [Reason::AboveAgentAuthority, Reason::AgentBudgetExceeded]
            .iter()
            .any(|reason| approved.reasons().contains(*reason));
        match fresh.outcome() {
            Outcome::Granted => {
                prop_assert_eq!(approved.outcome(), Outcome::Granted);
                prop_assert_eq!(approved.voucher(), fresh.voucher());
            }
            Outcome::Refused if !overriding => {
                prop_assert_eq!(approved.outcome(), Outcome::Refused);
                prop_assert_eq!(approved.reasons(), fresh.reasons());
            }
            Outcome::Refused => {
                if approved.outcome() == Outcome::Granted {
                    let overridden = approved.approval().unwrap().overridden();
                    prop_assert!(!overridden.is_empty());
                    prop_assert!(overridden.iter().all(|reason| fresh.reasons().contains(reason)));
                }
            }
            Outcome::Escalated => {
                let target = fresh.verdict().escalate_to().unwrap();
                let recommendation = fresh.verdict().recommendation().unwrap();
                if approved.outcome() == Outcome::Escalated {
                    prop_assert!(
                        target != EscalationTarget::Supervisor || beyond,
                        "a supervisor escalation left unsettled: {}", wire(&approved)
                    );
                } else if !overriding {
                    prop_assert_eq!(target, EscalationTarget::Supervisor);
                    prop_assert_eq!(approved.outcome(), recommendation.outcome());
                    prop_assert_eq!(approved.voucher(), recommendation.voucher());
                }
            }
        }
    }

    /// `next_eligible_at` is the exact earliest moment a refusal by the history's limits lifts:
    /// the same complaint, its times moved along with `now`, is refused by no history limit at
    /// that moment and by one a second before.
    #[test]
    fn next_eligible_at_is_the_earliest_moment_the_limits_lift(scenario in scenario()) {
        const LIMITS: [Reason; 5] = [
            Reason::VoucherLimitReached,
            Reason::VoucherValueLimitReached,
            Reason::MinorComplaintRecentVoucher,
            Reason::RepeatedMinorComplaints,
            Reason::YoungAccountLimitReached,
        ];
        let engine = scenario.engine();
        let decision = decided(&engine, &scenario.case);
        let Some(lifts) = decision.verdict().next_eligible_at() else {
            return Ok(());
        };
        let limited = |at: DateTime<FixedOffset>| {
            let shift = at - moment(&scenario.case, "/now");
            let mut moved = scenario.case.clone();
            for pointer in ["/now", "/order/placed_at", "/order/delivered_at",
                            "/complaint/reported_at", "/complaint/evidence_at"] {
                if let Some(Value::String(text)) = moved.pointer(pointer).cloned() {
                    let time = DateTime::parse_from_rfc3339(&text).unwrap() + shift;
                    *moved.pointer_mut(pointer).unwrap() = json!(time.to_rfc3339());
                }
            }
            let decision = decided(&engine, &moved);
            let reasons = match decision.verdict().recommendation() {
                Some(recommendation) => recommendation.reasons(),
                None => decision.reasons(),
            };
            LIMITS.iter().any(|limit| reasons.contains(*limit))
        };
        prop_assert!(!limited(lifts), "still limited at {lifts}");
        prop_assert!(limited(lifts - chrono::TimeDelta::seconds(1)), "lifted before {lifts}");
    }
}
