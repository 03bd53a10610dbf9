//! The form of address: Indonesian keeps to one, familiar unless the formal one is asked for;
//! English reads the same in both.

use voucher_policy::{AddressForm, Scripts};

use super::{base, decide, decide_as, scenarios};

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

        // A conversation closed for abuse ends with how to come back, not with a question.
        let closed = reason == voucher_policy::Reason::RepeatedAbusiveLanguage;
        assert!(
            familiar.starts_with("Halo Kak Budi Santoso, "),
            "{reason}:\n{familiar}"
        );
        assert!(
            closed || familiar.ends_with(", Kak?"),
            "{reason}:\n{familiar}"
        );
        assert!(
            !familiar.contains("Bapak") && !familiar.contains("Ibu") && !familiar.contains("Anda"),
            "{reason}:\n{familiar}"
        );

        // Formal without an honorific: greeted by name, "Anda" after, never "Bapak/Ibu".
        assert!(
            formal.starts_with("Halo Budi Santoso, "),
            "{reason}:\n{formal}"
        );
        assert!(closed || formal.ends_with("bantu?"), "{reason}:\n{formal}");
        assert!(!formal.contains("Bapak/Ibu"), "{reason}:\n{formal}");
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
fn an_honorific_is_pak_or_bu_in_the_formal_form_only() {
    for (reason, _, case) in scenarios() {
        for (honorific, title, you) in [("bapak", "Pak", "Bapak"), ("ibu", "Bu", "Ibu")] {
            let mut case = case.clone();
            case["customer"]["honorific"] = serde_json::json!(honorific);
            let formal = decide_as(&case, "id", Some(AddressForm::Formal));
            let formal = formal.script().text();
            assert!(
                formal.starts_with(&format!("Halo {title} Budi Santoso, ")),
                "{reason}:\n{formal}"
            );
            assert!(!formal.contains("Anda"), "{reason} ({you}):\n{formal}");
            let familiar = decide_as(&case, "id", Some(AddressForm::Familiar));
            assert!(
                familiar
                    .script()
                    .text()
                    .starts_with("Halo Kak Budi Santoso, "),
                "{reason}"
            );
        }
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
