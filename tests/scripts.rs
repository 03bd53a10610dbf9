//! The customer-facing scripts of the shipped catalogs: for every outcome, every reason, every
//! loyalty tier, every shipped locale and both forms of address, the script has the five parts
//! of the design in order (empathy, an honest reason, a way forward, thanks for loyalty where it
//! applies, further help), names the customer and the order, states the voucher in the locale's
//! own money and date forms, keeps to one form of address, has a sensible length, and never says
//! an accusing word, an internal code, a tier name or a raw placeholder.
//!
//! The parts are checked against a reference model: this file reads the catalog files itself
//! and fills their placeholders with its own small renderer, so a script is right only if it
//! says the very messages the design asks for, in the order it asks for them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;
use std::sync::LazyLock;

use serde_json::{Value, json};
use voucher_policy::{
    AddressForm, Alternative, Case, Code, Decision, Engine, EscalationTarget, Flag, Outcome,
    Reason, ReasonKind, Scripts,
};

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
    Engine::default().decide_case(&case).unwrap()
}

/// One scenario per reason code, each firing that reason on the default policy.
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
            AboveAgentAuthority,
            Escalated,
            case(&[
                ("/order/total", json!("1000000")),
                ("/complaint/category", json!("wrong_item")),
                ("/complaint/evidence", json!("photo")),
            ]),
        ),
        (ValidComplaint, Granted, base()),
    ]
}

// ---- the reference model ------------------------------------------------------------------

/// A shipped catalog file, read with the TOML reader alone, and a small renderer of its own.
struct Reference {
    locale: String,
    table: toml::Table,
}

impl Reference {
    /// The shipped catalog of a locale, read once.
    fn shipped(locale: &str) -> &'static Reference {
        static SHIPPED: LazyLock<Vec<Reference>> =
            LazyLock::new(|| locales().iter().map(|l| Reference::read(l)).collect());
        SHIPPED
            .iter()
            .find(|reference| reference.locale == locale)
            .unwrap_or_else(|| panic!("no shipped catalog {locale}"))
    }

    fn read(locale: &str) -> Reference {
        let path = format!("{}/catalogs/{locale}.toml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        Reference {
            locale: locale.to_owned(),
            table: toml::from_str(&text).unwrap(),
        }
    }

    /// Every message key of the file (`refusal.intro`), with each form it is written for.
    fn messages(&self) -> Vec<(String, Option<String>)> {
        let mut keys = Vec::new();
        for (section, messages) in &self.table {
            if ["locale", "default_address", "address", "format"].contains(&section.as_str()) {
                continue;
            }
            for (key, text) in messages.as_table().unwrap() {
                let key = format!("{section}.{key}");
                match text {
                    toml::Value::Table(forms) => {
                        keys.extend(forms.keys().map(|form| (key.clone(), Some(form.clone()))))
                    }
                    _ => keys.push((key, None)),
                }
            }
        }
        keys
    }

    /// The template of a message for a form of address.
    fn template(&self, key: &str, form: AddressForm) -> &str {
        let (section, name) = key.split_once('.').unwrap();
        match &self.table[section][name] {
            toml::Value::String(text) => text,
            toml::Value::Table(forms) => forms[form.as_str()].as_str().unwrap(),
            other => panic!("{key}: {other:?}"),
        }
    }

    /// A word of a form of address (`title` or `you`); the file may have none.
    fn term(&self, form: AddressForm, word: &str) -> Option<&str> {
        self.table
            .get("address")
            .map(|address| address[form.as_str()][word].as_str().unwrap())
    }

    fn format(&self, setting: &str) -> &toml::Value {
        &self.table["format"][setting]
    }

    /// A whole amount of rupiah, written as the file says.
    fn rupiah(&self, amount: &str) -> String {
        let thousands = self.format("thousands_separator").as_str().unwrap();
        let digits: Vec<char> = amount.chars().collect();
        let mut grouped = String::new();
        for (index, digit) in digits.iter().enumerate() {
            if index > 0 && (digits.len() - index) % 3 == 0 {
                grouped.push_str(thousands);
            }
            grouped.push(*digit);
        }
        let prefix = self
            .table
            .get("format")
            .and_then(|format| format.get("amount_prefix"))
            .and_then(|prefixes| prefixes.get("IDR"))
            .and_then(toml::Value::as_str)
            .map_or_else(|| "IDR ".to_owned(), str::to_owned);
        format!("{prefix}{grouped}")
    }

    /// The default voucher's last day, 24 December 2026, written as the file says.
    fn valid_until(&self) -> String {
        let months = self.format("months").as_array().unwrap();
        self.format("date")
            .as_str()
            .unwrap()
            .replace("{day}", "24")
            .replace("{month}", months[11].as_str().unwrap())
            .replace("{year}", "2026")
    }
}

/// The values of one decision, as the reference renderer fills them in.
struct Said<'a> {
    reference: &'a Reference,
    form: AddressForm,
    name: Option<&'a str>,
    order: &'a str,
    amount: Option<String>,
}

impl Said<'_> {
    fn new<'a>(
        reference: &'a Reference,
        form: AddressForm,
        case: &'a Value,
        decision: &Decision,
    ) -> Said<'a> {
        let name = case["customer"]["name"].as_str().unwrap();
        Said {
            reference,
            form,
            name: (!name.trim().is_empty()).then_some(name),
            order: case["order"]["id"].as_str().unwrap(),
            amount: decision
                .voucher()
                .map(|voucher| reference.rupiah(&voucher.amount().to_string())),
        }
    }

    /// The message as the script must say it.
    fn say(&self, key: &str) -> String {
        let template = self.reference.template(key, self.form);
        let mut out = String::new();
        let mut rest = template;
        while let Some(at) = rest.find(['{', '}']) {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            if let Some(after) = rest.strip_prefix("{{") {
                out.push('{');
                rest = after;
            } else if let Some(after) = rest.strip_prefix("}}") {
                out.push('}');
                rest = after;
            } else {
                let close = rest.find('}').unwrap();
                out.push_str(&self.value(&rest[1..close]));
                rest = &rest[close + 1..];
            }
        }
        out.push_str(rest);
        out
    }

    fn value(&self, placeholder: &str) -> String {
        let reference = self.reference;
        match placeholder {
            "name" => self.name.unwrap().to_owned(),
            "order" => self.order.to_owned(),
            "title" | "you" => reference.term(self.form, placeholder).unwrap().to_owned(),
            "greeting" => match self.name {
                Some(_) => self.say("empathy.greeting"),
                None => self.say("empathy.greeting_without_name"),
            },
            "amount" => self.amount.clone().unwrap(),
            "valid_until" => reference.valid_until(),
            other => panic!("{}: unknown placeholder {other}", reference.locale),
        }
    }
}

// ---- what every script must be ------------------------------------------------------------

/// Words a script must never say: accusations, internal vocabulary, tier names, and every
/// stable code (reasons, flags, alternatives).
fn banned() -> Vec<String> {
    let words = [
        "abuse",
        "fraud",
        "hunter",
        "suspicious",
        "suspicion",
        "penyalahgunaan",
        "disalahgunakan",
        "curang",
        "kecurangan",
        "pemburu",
        "flag",
        "review",
        "policy engine",
        "gold",
        "silver",
        "platinum",
        "security",
    ];
    let mut banned: Vec<String> = words.iter().map(|word| (*word).to_owned()).collect();
    banned.extend(Reason::ALL.iter().map(|code| code.as_str().to_owned()));
    banned.extend(Flag::ALL.iter().map(|code| code.as_str().to_owned()));
    banned.extend(Alternative::ALL.iter().map(|code| code.as_str().to_owned()));
    banned
}

/// Everything every script must be, whatever the case: the customer's name and order, the
/// voucher in the locale's forms, nothing banned, no placeholder, no internal number, a
/// sensible length.
fn check_script(label: &str, case: &Value, decision: &Decision, locale: &str) {
    let reference = Reference::shipped(locale);
    let script = decision.script();
    let text = script.text();
    assert_eq!(script.locale().as_str(), locale, "{label}");
    let name = case["customer"]["name"].as_str().unwrap();
    let order = case["order"]["id"].as_str().unwrap();
    assert!(text.contains(name), "{label}: no name in\n{text}");
    assert!(text.contains(order), "{label}: no order id in\n{text}");
    let length = text.chars().count();
    assert!(
        (80..=1200).contains(&length),
        "{label}: {length} characters in\n{text}"
    );

    let lower = text.to_lowercase();
    for word in banned() {
        assert!(!lower.contains(&word), "{label}: says {word:?} in\n{text}");
    }
    let mut rest = text.replace(name, "").replace(order, "");
    assert!(!rest.contains('_'), "{label}: a code-like word in\n{text}");
    assert!(
        !rest.contains('{') && !rest.contains('}'),
        "{label}: a raw placeholder in\n{text}"
    );

    // No internal numbers: once the customer's own text, the voucher and its date are taken
    // out, no digit is left.
    if let Some(voucher) = decision.voucher() {
        let amount = reference.rupiah(&voucher.amount().to_string());
        let date = reference.valid_until();
        assert!(text.contains(&amount), "{label}: no {amount} in\n{text}");
        assert!(text.contains(&date), "{label}: no {date} in\n{text}");
        rest = rest.replace(&amount, "").replace(&date, "");
    }
    assert!(
        !rest.chars().any(|c| c.is_ascii_digit()),
        "{label}: an internal number in\n{text}"
    );
}

/// The hand-off message an escalated decision must say.
fn expected_handoff(decision: &Decision) -> &'static str {
    let has = |reason| decision.reasons().contains(reason);
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
fn check_parts(
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
    let policy = Engine::default().policy().clone();
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
            set(&mut blank, "/customer/name", json!(" "));
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
        if !case["customer"]["name"].as_str().unwrap().trim().is_empty() {
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

// ---- the form of address ------------------------------------------------------------------

/// The words of a text, split on everything but letters.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn indonesian_keeps_to_one_form_of_address_from_greeting_to_closing() {
    for (reason, _, case) in scenarios() {
        let familiar = decide_as(&case, "id", Some(AddressForm::Familiar));
        let formal = decide_as(&case, "id", Some(AddressForm::Formal));
        let (familiar, formal) = (familiar.script().text(), formal.script().text());

        assert!(
            familiar.starts_with("Halo Kak Budi Santoso, "),
            "{reason}:\n{familiar}"
        );
        assert!(familiar.ends_with(", Kak?"), "{reason}:\n{familiar}");
        assert!(
            !familiar.contains("Bapak") && !familiar.contains("Ibu"),
            "{reason}:\n{familiar}"
        );

        assert!(
            formal.starts_with("Halo Bapak/Ibu Budi Santoso, "),
            "{reason}:\n{formal}"
        );
        assert!(formal.ends_with(", Bapak/Ibu?"), "{reason}:\n{formal}");
        let familiar_words = ["Kak", "Kakak", "kak", "kakak"];
        assert!(
            !words(formal)
                .iter()
                .any(|word| familiar_words.contains(word)),
            "{reason}:\n{formal}"
        );
        // The casual particle goes with the familiar form only.
        assert!(!words(formal).contains(&"ya"), "{reason}:\n{formal}");
    }
}

#[test]
fn indonesian_is_familiar_unless_a_form_is_asked_for() {
    assert_eq!(
        Scripts::builtin().default_address("id".parse().unwrap()),
        Some(AddressForm::Familiar)
    );
    let decision = decide(&base(), "id");
    assert_eq!(decision.script().address(), AddressForm::Familiar);
    assert_eq!(
        decision.script().text(),
        decide_as(&base(), "id", Some(AddressForm::Familiar))
            .script()
            .text()
    );
    let formal = decide_as(&base(), "id", Some(AddressForm::Formal));
    let wire = serde_json::to_value(&formal).unwrap();
    assert_eq!(wire["script"]["address"], "formal");
}

#[test]
fn english_reads_the_same_in_both_forms() {
    let scripts = Scripts::builtin();
    assert!(scripts.distinguishes_address("id".parse().unwrap()));
    assert!(!scripts.distinguishes_address("en".parse().unwrap()));
    for (reason, _, case) in scenarios() {
        let familiar = decide_as(&case, "en", Some(AddressForm::Familiar));
        let formal = decide_as(&case, "en", Some(AddressForm::Formal));
        assert_eq!(familiar.script().text(), formal.script().text(), "{reason}");
        assert_eq!(formal.script().address(), AddressForm::Formal);
    }
}

// ---- money, dates, names ------------------------------------------------------------------

#[test]
fn grants_state_the_amount_and_date_in_the_locale_forms() {
    for form in FORMS {
        let id = decide_as(&base(), "id", Some(form));
        assert!(id.script().text().contains("Rp33.000"), "{form}");
        assert!(id.script().text().contains("24 Desember 2026"), "{form}");
        let en = decide_as(&base(), "en", Some(form));
        assert!(en.script().text().contains("IDR 33,000"), "{form}");
        assert!(en.script().text().contains("24 December 2026"), "{form}");
    }
}

#[test]
fn loyalty_is_thanked_for_gold_and_not_for_new_or_regular() {
    let thanks = |text: &str, locale: &str| match locale {
        "id" => text.contains("pelanggan setia"),
        _ => text.contains("loyal customer"),
    };
    for locale in locales() {
        for (tier, thanked) in [("gold", true), ("new", false), ("regular", false)] {
            let mut case = base();
            set(&mut case, "/customer/loyalty", json!(tier));
            let text = decide(&case, &locale).script().text().to_owned();
            assert_eq!(
                thanks(&text, &locale),
                thanked,
                "{tier} ({locale}):\n{text}"
            );
        }
    }
}

#[test]
fn customer_text_is_inserted_verbatim_never_interpreted() {
    for name in [
        "Rina {amount}",
        "{0} {{name}} %s",
        "Dewi\u{a0}Lestari",
        "{greeting}",
    ] {
        for locale in locales() {
            for form in FORMS {
                for (reason, _, case) in scenarios() {
                    let mut case = case.clone();
                    set(&mut case, "/customer/name", json!(name));
                    set(&mut case, "/order/id", json!("ORD-{id}-7"));
                    let decision = decide_as(&case, &locale, Some(form));
                    let text = decision.script().text();
                    let label = format!("{reason} ({locale}, {form})");
                    assert!(text.contains(name), "{label}:\n{text}");
                    assert!(text.contains("ORD-{id}-7"), "{label}:\n{text}");
                    check_parts(&label, &case, &decision, form, true);
                }
            }
        }
    }
}

#[test]
fn a_blank_name_still_greets_the_customer() {
    let mut case = base();
    set(&mut case, "/customer/name", json!(" "));
    let greeting = |locale, form| {
        decide_as(&case, locale, Some(form))
            .script()
            .text()
            .to_owned()
    };
    assert!(greeting("id", AddressForm::Familiar).starts_with("Halo Kak, "));
    assert!(greeting("id", AddressForm::Formal).starts_with("Halo Bapak/Ibu, "));
    assert!(greeting("en", AddressForm::Familiar).starts_with("Hi there, "));
}

// ---- what is said, and what is not --------------------------------------------------------

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

// ---- snapshots ----------------------------------------------------------------------------

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
    ] {
        snapshot(
            &format!("refused_{reason}"),
            &scenario(reason),
            Outcome::Refused,
        );
    }
}
