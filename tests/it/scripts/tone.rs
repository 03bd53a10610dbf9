//! What every script must be, whatever the case: the customer's name and order, the voucher in
//! the locale's forms, a length that fits its channel, and never an accusing word, an internal
//! code, a tier name, a raw placeholder or an internal number; on a public channel, nothing
//! private at all.

use serde_json::Value;
use voucher_policy::{Alternative, Code, Decision, Flag, Reason};

use super::model::Reference;

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
pub(super) fn check_script(label: &str, case: &Value, decision: &Decision, locale: &str) {
    let reference = Reference::shipped(locale);
    let script = decision.script();
    let text = script.text();
    assert_eq!(script.locale().as_str(), locale, "{label}");
    let name = case["customer"]["name"].as_str().unwrap();
    let order = case["order"]["id"].as_str().unwrap();
    let channel = case["channel"].as_str().unwrap_or("chat");
    let length = text.chars().count();
    // A chat message fits in a bubble or two; an email may say more; a public reply is short.
    let longest = match channel {
        "email" => 800,
        "public" => 250,
        _ => 600,
    };
    assert!(
        (40..=longest).contains(&length),
        "{label}: {length} characters ({channel}) in\n{text}"
    );
    if channel == "public" {
        // Nothing private on a post anyone can read.
        assert!(!text.contains(name), "{label}: the name in public\n{text}");
        assert!(
            !text.contains(order),
            "{label}: the order in public\n{text}"
        );
        assert!(
            !text.chars().any(|c| c.is_ascii_digit()),
            "{label}: a number in public\n{text}"
        );
        return;
    }
    assert!(text.contains(name), "{label}: no name in\n{text}");
    assert!(text.contains(order), "{label}: no order id in\n{text}");

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

    // No internal numbers: once the customer's own text, the voucher and its date, and the
    // dates and lengths of time the decision gives are taken out, no digit is left.
    if let Some(voucher) = decision.voucher() {
        let amount = reference.rupiah(&voucher.amount().to_string());
        let date = reference.valid_until();
        assert!(text.contains(&amount), "{label}: no {amount} in\n{text}");
        assert!(text.contains(&date), "{label}: no {date} in\n{text}");
        rest = rest.replace(&amount, "").replace(&date, "");
    }
    let verdict = decision.verdict();
    let now = chrono::DateTime::parse_from_rfc3339(case["now"].as_str().unwrap()).unwrap();
    let mut given = vec![reference.duration(verdict.facts().claim_window.as_seconds())];
    given.extend(verdict.next_eligible_at().map(|at| reference.date(at)));
    given.extend(
        verdict
            .follow_up_by()
            .map(|by| reference.duration((by - now).num_seconds())),
    );
    given.extend(
        verdict
            .facts()
            .evidence
            .as_ref()
            .map(|evidence| reference.duration(evidence.within.as_seconds())),
    );
    for value in given {
        rest = rest.replace(&value, "");
    }
    assert!(
        !rest.chars().any(|c| c.is_ascii_digit()),
        "{label}: an internal number in\n{text}"
    );
}
