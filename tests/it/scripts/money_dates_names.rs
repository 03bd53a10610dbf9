//! Money, dates and names: the voucher in the locale's forms, loyalty thanked for the tiers that
//! are, and the customer's own text inserted verbatim.

use serde_json::json;
use voucher_policy::AddressForm;

use super::parts::check_parts;
use super::{FORMS, base, decide, decide_as, locales, scenarios, set};

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
        "id" => text.contains("sudah setia"),
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
fn a_customer_without_a_name_is_still_greeted() {
    let mut case = base();
    case["customer"].as_object_mut().unwrap().remove("name");
    let greeting = |locale, form| {
        decide_as(&case, locale, Some(form))
            .script()
            .text()
            .to_owned()
    };
    assert!(greeting("id", AddressForm::Familiar).starts_with("Halo Kak, "));
    assert!(greeting("id", AddressForm::Formal).starts_with("Halo, "));
    assert!(greeting("en", AddressForm::Familiar).starts_with("Hi, "));
}
