//! Script catalogs as files: a company overrides some messages or adds a locale by loading its
//! own files, and every mistake in a file is an error that names the file, the message and the
//! position.

use serde_json::{Value, json};
use voucher_policy::{
    AddressForm, Case, CatalogError, CatalogProblem, Decision, Engine, Locale, Policy, Scripts,
};

const SHIPPED_EN: &str = include_str!("../../catalogs/en.toml");
const SHIPPED_ID: &str = include_str!("../../catalogs/id.toml");
const COMPANY_VOICE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/catalogs/company_voice.toml"
);

/// A silver customer's late delivery, granted 33,000 until 24 December 2026.
fn grant() -> Value {
    json!({
        "now": "2026-11-24T10:00:00+07:00",
        "customer": {"id": "C-7", "name": "Sari Dewi", "loyalty": "silver"},
        "order": {"id": "5120", "customer_id": "C-7", "total": "120000", "currency": "IDR",
                  "placed_at": "2026-11-24T08:00:00+07:00",
                  "delivered_at": "2026-11-24T09:40:00+07:00"},
        "complaint": {"category": "late_delivery", "reported_at": "2026-11-24T09:45:00+07:00"}
    })
}

/// The same customer, refused: the company was not at fault.
fn refusal() -> Value {
    let mut case = grant();
    case["complaint"]["company_at_fault"] = json!(false);
    case
}

fn decide(scripts: &Scripts, case: &Value, locale: &str, form: Option<AddressForm>) -> Decision {
    let mut case = case.clone();
    case["locale"] = json!(locale);
    if let Some(form) = form {
        case["address"] = json!(form);
    }
    let case = Case::from_json(&case.to_string()).unwrap();
    Engine::with_scripts(Policy::default(), scripts.clone())
        .decide_case(&case)
        .unwrap()
}

/// The problems of a file loaded over the shipped catalogs as `ours.toml`.
fn problems(text: &str) -> Vec<CatalogProblem> {
    match Scripts::builtin().with_toml_str("ours.toml", text) {
        Ok(_) => panic!("the file loaded:\n{text}"),
        Err(error) => {
            assert!(!error.problems().is_empty(), "{error}");
            error.problems().to_vec()
        }
    }
}

/// The only problem of a file.
fn problem(text: &str) -> CatalogProblem {
    let mut problems = problems(text);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    problems.remove(0)
}

/// Asserts a problem's file, key, line and character, and that its message says `says`.
fn assert_problem(
    problem: &CatalogProblem,
    key: &str,
    line: Option<usize>,
    character: Option<usize>,
    says: &str,
) {
    assert_eq!(problem.file(), "ours.toml", "{problem}");
    assert_eq!(problem.key(), key, "{problem}");
    assert_eq!(problem.line(), line, "{problem}");
    assert_eq!(problem.character(), character, "{problem}");
    assert!(problem.message().contains(says), "{problem}");
    let shown = problem.to_string();
    let place = match line {
        Some(line) => format!("ours.toml:{line}: {key}: "),
        None => format!("ours.toml: {key}: "),
    };
    assert!(shown.starts_with(&place), "{shown}");
}

/// An override of one message of the shipped Indonesian catalog, on line 3.
fn override_id(section: &str, key: &str, text: &str) -> String {
    format!(
        "locale = \"id\"\n[{section}]\n{key} = {}\n",
        toml_string(text)
    )
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The shipped English catalog as a new locale.
fn english_as(locale: &str) -> String {
    let text = SHIPPED_EN.replacen(
        "\nlocale = \"en\"\n",
        &format!("\nlocale = \"{locale}\"\n"),
        1,
    );
    assert_ne!(text, SHIPPED_EN);
    text
}

// ---- templates that do not compile --------------------------------------------------------

#[test]
fn an_unclosed_brace_names_the_message_and_the_character() {
    for text in ["Ada lagi, {title?", "Ada lagi, {", "Ada lagi, {title"] {
        let problem = problem(&override_id("closing", "further_help", text));
        assert_problem(
            &problem,
            "closing.further_help",
            Some(3),
            Some(11),
            "is not closed",
        );
    }
}

#[test]
fn an_empty_placeholder_names_the_message_and_the_character() {
    let problem = problem(&override_id("refusal", "final", "Maaf {} ya."));
    assert_problem(
        &problem,
        "refusal.final",
        Some(3),
        Some(6),
        "empty placeholder",
    );
}

#[test]
fn a_closing_brace_that_closes_nothing_is_an_error() {
    let problem = problem(&override_id("refusal", "final", "Maaf :} ya."));
    assert_problem(
        &problem,
        "refusal.final",
        Some(3),
        Some(7),
        "closes nothing",
    );
}

#[test]
fn an_unknown_placeholder_lists_the_ones_the_message_may_use() {
    let problem = problem(&override_id("closing", "further_help", "Ada lagi, {nama}?"));
    assert_problem(
        &problem,
        "closing.further_help",
        Some(3),
        Some(11),
        "unknown placeholder {nama}",
    );
    assert!(
        problem
            .message()
            .ends_with("this message may use {order}, {title}, {you}"),
        "{problem}"
    );
}

#[test]
fn a_placeholder_of_another_message_is_not_available() {
    let amount = problem(&override_id(
        "refusal",
        "final",
        "Voucher {amount} belum bisa.",
    ));
    assert_problem(
        &amount,
        "refusal.final",
        Some(3),
        Some(9),
        "placeholder {amount} at character 9 is not available in this message",
    );
    // The customer's name is said once, in the greeting, which has a form without it.
    let name = problem(&override_id("closing", "further_help", "Ada lagi, {name}?"));
    assert_problem(&name, "closing.further_help", Some(3), Some(11), "{name}");
}

#[test]
fn a_form_of_address_in_a_catalog_without_forms_says_so() {
    let text = "locale = \"en\"\n[closing]\nfurther_help = \"Anything else, {you}?\"\n";
    let problem = problem(text);
    assert_problem(
        &problem,
        "closing.further_help",
        Some(3),
        Some(16),
        "the catalog names no forms of address",
    );
}

#[test]
fn doubled_braces_are_literal_and_load() {
    let text = override_id(
        "closing",
        "further_help",
        "Ada lagi {{sebelum}} kami tutup, {title}?",
    );
    let scripts = Scripts::builtin()
        .with_toml_str("ours.toml", &text)
        .unwrap();
    let script = decide(&scripts, &grant(), "id", None);
    assert!(
        script
            .script()
            .text()
            .ends_with("Ada lagi {sebelum} kami tutup, Kak?"),
        "{}",
        script.script().text()
    );
}

// ---- messages that are missing, unknown or unkind -----------------------------------------

#[test]
fn a_new_locale_missing_a_message_names_the_message() {
    let text = english_as("en-GB").replace(
        "voucher_limit_reached = \"Your account has reached its voucher limit for this period.\"\n",
        "",
    );
    let problem = problem(&text);
    assert_problem(
        &problem,
        "refusal.voucher_limit_reached",
        None,
        None,
        "missing",
    );
}

#[test]
fn a_new_locale_missing_a_format_setting_names_it() {
    let text = english_as("en-GB").replace("decimal_separator = \".\"\n", "");
    assert_problem(
        &problem(&text),
        "format.decimal_separator",
        None,
        None,
        "missing",
    );
}

#[test]
fn a_new_locale_with_only_some_messages_lists_every_missing_one() {
    let problems = problems("locale = \"ms\"\n[closing]\nfurther_help = \"Ada apa-apa lagi?\"\n");
    let keys: Vec<&str> = problems.iter().map(CatalogProblem::key).collect();
    assert!(keys.contains(&"refusal.final"), "{keys:?}");
    assert!(keys.contains(&"format.months"), "{keys:?}");
    assert!(!keys.contains(&"closing.further_help"), "{keys:?}");
    assert!(problems.iter().all(|p| p.line().is_none()), "{problems:#?}");
}

#[test]
fn an_unknown_message_names_its_line_and_the_known_ones() {
    let problem = problem(&override_id(
        "refusal",
        "voucher_limit_reachd",
        "Batasnya habis.",
    ));
    assert_problem(
        &problem,
        "refusal.voucher_limit_reachd",
        Some(3),
        None,
        "unknown message",
    );
    assert!(
        problem.message().contains("voucher_limit_reached"),
        "{problem}"
    );
}

#[test]
fn an_unknown_section_is_not_a_catalog_and_names_the_line() {
    let text = "locale = \"id\"\n\n[refusals]\nintro = \"Maaf.\"\n";
    let error = Scripts::builtin()
        .with_toml_str("ours.toml", text)
        .unwrap_err();
    let CatalogError::Syntax { file, message } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(file, "ours.toml");
    assert!(message.contains("line 3"), "{message}");
    assert!(message.contains("refusals"), "{message}");
    assert!(
        error
            .to_string()
            .starts_with("ours.toml: not a script catalog: ")
    );
}

#[test]
fn a_message_per_form_must_give_both_forms() {
    let text = "locale = \"id\"\n[handoff]\nwait.formal = \"Mohon ditunggu.\"\n";
    assert_problem(
        &problem(text),
        "handoff.wait.familiar",
        Some(3),
        None,
        "gives both familiar and formal",
    );
}

#[test]
fn a_blank_message_is_an_error() {
    assert_problem(
        &problem(&override_id("closing", "loyalty_thanks", "  ")),
        "closing.loyalty_thanks",
        Some(3),
        None,
        "is blank",
    );
}

#[test]
fn a_message_that_accuses_or_names_a_code_does_not_load() {
    let accusing = problem(&override_id(
        "refusal",
        "voucher_limit_reached",
        "Sistem kami mencatat penyalahgunaan voucher.",
    ));
    assert_problem(
        &accusing,
        "refusal.voucher_limit_reached",
        Some(3),
        None,
        "\"penyalahgunaan\"",
    );
    let code = problem(&override_id(
        "refusal",
        "final",
        "Maaf, alasan: voucher_limit_reached.",
    ));
    assert_problem(
        &code,
        "refusal.final",
        Some(3),
        None,
        "never names an internal code",
    );
    let text = "locale = \"en\"\n[handoff]\nsafety = \"Our Fraud team will call you.\"\n";
    assert_problem(&problem(text), "handoff.safety", Some(3), None, "\"fraud\"");
}

// ---- settings -----------------------------------------------------------------------------

#[test]
fn a_malformed_locale_tag_names_the_line() {
    let text = english_as("en_GB");
    assert_problem(
        &problem(&text),
        "locale",
        Some(10),
        None,
        "is not a language tag",
    );
}

#[test]
fn months_must_be_twelve() {
    let text = "locale = \"id\"\n[format]\nmonths = [\"Januari\", \"Februari\"]\n";
    assert_problem(
        &problem(text),
        "format.months",
        Some(3),
        None,
        "2 month names",
    );
}

#[test]
fn a_separator_is_one_character_other_than_the_other_separator() {
    let text = "locale = \"id\"\n[format]\nthousands_separator = \"..\"\n";
    assert_problem(
        &problem(text),
        "format.thousands_separator",
        Some(3),
        None,
        "is not a separator",
    );
    let text = "locale = \"id\"\n[format]\ndecimal_separator = \".\"\n";
    assert_problem(
        &problem(text),
        "format.decimal_separator",
        Some(3),
        None,
        "also the thousands separator",
    );
}

#[test]
fn a_date_shows_the_day_the_month_and_the_year() {
    let text = "locale = \"id\"\n[format]\ndate = \"{day} {month}\"\n";
    assert_problem(&problem(text), "format.date", Some(3), None, "no {year}");
    let text = "locale = \"id\"\n[format]\ndate = \"{day} {bulan} {year}\"\n";
    assert_problem(
        &problem(text),
        "format.date",
        Some(3),
        Some(7),
        "unknown placeholder {bulan}",
    );
}

#[test]
fn an_amount_prefix_is_for_a_currency_code() {
    let text = "locale = \"id\"\n[format]\namount_prefix = { rupiah = \"Rp\" }\n";
    assert_problem(
        &problem(text),
        "format.amount_prefix.rupiah",
        Some(3),
        None,
        "is not a currency code",
    );
}

#[test]
fn forms_of_address_come_in_full() {
    let text = english_as("en-GB") + "\n[address.formal]\ntitle = \"Sir or Madam\"\n";
    let keys: Vec<String> = problems(&text).iter().map(|p| p.key().to_owned()).collect();
    assert_eq!(
        keys,
        [
            "address.familiar.title",
            "address.familiar.you",
            "address.formal.you"
        ]
    );
}

#[test]
fn every_problem_of_a_file_is_reported_at_once_in_file_order() {
    let text = "locale = \"id\"\n\
                [format]\n\
                months = []\n\
                [refusal]\n\
                final = \"Maaf {\"\n\
                [closing]\n\
                further_help = \"Ada lagi, {name}?\"\n";
    let problems = problems(text);
    let places: Vec<(&str, Option<usize>)> = problems.iter().map(|p| (p.key(), p.line())).collect();
    assert_eq!(
        places,
        [
            ("format.months", Some(3)),
            ("refusal.final", Some(5)),
            ("closing.further_help", Some(7)),
        ]
    );
    let error = Scripts::builtin()
        .with_toml_str("ours.toml", text)
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("ours.toml: 3 problems in the catalog:\n  - ours.toml:3: format.months: "),
        "{error}"
    );
}

#[test]
fn a_file_that_cannot_be_read_names_its_path() {
    let error = Scripts::builtin()
        .with_file("no/such/catalog.toml")
        .unwrap_err();
    assert!(matches!(error, CatalogError::Io { .. }), "{error:?}");
    assert!(
        error.to_string().starts_with("no/such/catalog.toml: "),
        "{error}"
    );
}

#[test]
fn errors_from_a_file_name_the_path_it_was_loaded_from() {
    let dir = std::env::temp_dir().join(format!("voucher-policy-catalogs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.toml");
    std::fs::write(&path, override_id("refusal", "final", "Maaf {")).unwrap();
    let error = Scripts::builtin().with_file(&path).unwrap_err();
    let problem = &error.problems()[0];
    assert_eq!(problem.file(), path.display().to_string());
    assert_eq!((problem.key(), problem.line()), ("refusal.final", Some(3)));
    // A directory stops at its first file that does not load, and names it.
    let error = Scripts::builtin().with_dir(&dir).unwrap_err();
    assert_eq!(error.problems()[0].file(), path.display().to_string());
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- overrides and new locales ------------------------------------------------------------

#[test]
fn an_override_changes_only_the_messages_it_gives() {
    let text = override_id("closing", "further_help", "Masih ada yang bisa kami bantu?");
    let scripts = Scripts::builtin()
        .with_toml_str("ours.toml", &text)
        .unwrap();
    for case in [grant(), refusal()] {
        for form in AddressForm::ALL {
            let shipped = decide(&Scripts::builtin(), &case, "id", Some(form));
            let ours = decide(&scripts, &case, "id", Some(form));
            let said = if form == AddressForm::Formal {
                "Apakah ada hal lain yang bisa saya bantu?"
            } else {
                "Ada lagi yang bisa saya bantu, Kak?"
            };
            let (shipped, ours) = (shipped.script().text(), ours.script().text());
            assert_eq!(
                ours,
                shipped.replace(said, "Masih ada yang bisa kami bantu?")
            );
            assert_ne!(ours, shipped);
        }
        // The other locale is untouched.
        assert_eq!(
            decide(&scripts, &case, "en", None),
            decide(&Scripts::builtin(), &case, "en", None)
        );
    }
    // And the shipped catalogs are unchanged for everyone else.
    assert_eq!(
        decide(&Scripts::builtin(), &grant(), "id", None)
            .script()
            .text(),
        decide(&Scripts::default(), &grant(), "id", None)
            .script()
            .text()
    );
}

#[test]
fn an_override_can_change_the_default_form_of_address() {
    let scripts = Scripts::builtin()
        .with_toml_str(
            "ours.toml",
            "locale = \"id\"\ndefault_address = \"formal\"\n",
        )
        .unwrap();
    assert_eq!(
        scripts.default_address(Locale::ID),
        Some(AddressForm::Formal)
    );
    let decision = decide(&scripts, &grant(), "id", None);
    assert_eq!(decision.script().address(), AddressForm::Formal);
    assert!(decision.script().text().starts_with("Halo Sari Dewi, "));
    // A request that asks for a form still gets it.
    let familiar = decide(&scripts, &grant(), "id", Some(AddressForm::Familiar));
    assert!(familiar.script().text().starts_with("Halo Kak Sari Dewi, "));
}

#[test]
fn an_override_can_change_the_forms_of_address() {
    let text = "locale = \"id\"\n[address.familiar]\ntitle = \"Kakak\"\n";
    let scripts = Scripts::builtin().with_toml_str("ours.toml", text).unwrap();
    let text = decide(&scripts, &grant(), "id", None)
        .script()
        .text()
        .to_owned();
    assert!(text.starts_with("Halo Kakak Sari Dewi, "), "{text}");
    assert!(text.ends_with("bantu, Kakak?"), "{text}");
}

#[test]
fn a_new_locale_is_added_without_a_release() {
    // American English: month first, and the rupiah sign before the digits.
    let text = english_as("en-US")
        .replace(
            "date = \"{day} {month} {year}\"",
            "date = \"{month} {day}, {year}\"",
        )
        .replace(
            "decimal_separator = \".\"\n",
            "decimal_separator = \".\"\namount_prefix = { IDR = \"Rp \" }\n",
        );
    let scripts = Scripts::builtin()
        .with_toml_str("en-US.toml", &text)
        .unwrap();
    let locales: Vec<String> = scripts.locales().map(|l| l.to_string()).collect();
    assert_eq!(locales, ["id", "en", "en-US"]);
    let decision = decide(&scripts, &grant(), "en-us", None);
    assert_eq!(decision.script().locale().as_str(), "en-US");
    let text = decision.script().text();
    assert!(
        text.contains("a voucher worth Rp 33,000, valid until December 24, 2026."),
        "{text}"
    );
    // The shipped engine still refuses the locale, loudly.
    let case = Case::from_json(&{
        let mut case = grant();
        case["locale"] = json!("en-US");
        case.to_string()
    })
    .unwrap();
    let error = Engine::default().decide_case(&case).unwrap_err();
    assert_eq!(
        error.to_string(),
        "locale: en-US has no script catalog (loaded: id, en)"
    );
}

#[test]
fn a_new_locale_may_have_forms_of_address_of_its_own() {
    let text = english_as("en-GB")
        + "\n[address.familiar]\ntitle = \"friend\"\nyou = \"you\"\n\
           [address.formal]\ntitle = \"Sir or Madam\"\nyou = \"you\"\n";
    let text = text.replace(
        "further_help = \"Is there anything else I can help with?\"",
        "further_help = \"Is there anything else I can help with, {title}?\"",
    );
    let scripts = Scripts::builtin()
        .with_toml_str("en-GB.toml", &text)
        .unwrap();
    let locale: Locale = "en-GB".parse().unwrap();
    assert!(scripts.distinguishes_address(locale));
    let formal = decide(&scripts, &grant(), "en-GB", Some(AddressForm::Formal));
    assert!(formal.script().text().ends_with("help with, Sir or Madam?"));
}

#[test]
fn the_shipped_files_are_the_embedded_catalogs() {
    // Loading the shipped files again over the builtin catalogs changes nothing.
    let reloaded = Scripts::builtin()
        .with_toml_str("id.toml", SHIPPED_ID)
        .unwrap()
        .with_toml_str("en.toml", SHIPPED_EN)
        .unwrap();
    for locale in ["id", "en"] {
        for form in AddressForm::ALL {
            for case in [grant(), refusal()] {
                assert_eq!(
                    decide(&reloaded, &case, locale, Some(form)),
                    decide(&Scripts::builtin(), &case, locale, Some(form))
                );
            }
        }
    }
    // And each shipped file is complete on its own: it loads as a new locale.
    let as_new = SHIPPED_ID.replacen("\nlocale = \"id\"\n", "\nlocale = \"xx\"\n", 1);
    let scripts = Scripts::builtin()
        .with_toml_str("xx.toml", &as_new)
        .unwrap()
        .with_toml_str("yy.toml", &english_as("yy"))
        .unwrap();
    let locales: Vec<String> = scripts.locales().map(|l| l.to_string()).collect();
    assert_eq!(locales, ["id", "en", "xx", "yy"]);
    assert_eq!(
        decide(&scripts, &refusal(), "xx", None).script().text(),
        decide(&scripts, &refusal(), "id", None).script().text()
    );
}

// ---- the company_voice example catalog ----------------------------------------------------

#[test]
fn the_company_voice_overrides_its_messages_and_keeps_the_shipped_rest() {
    let scripts = Scripts::builtin().with_file(COMPANY_VOICE).unwrap();
    let company: toml::Table =
        toml::from_str(&std::fs::read_to_string(COMPANY_VOICE).unwrap()).unwrap();
    let shipped: toml::Table = toml::from_str(SHIPPED_ID).unwrap();
    assert_eq!(company["locale"].as_str(), Some("id"));
    assert_eq!(
        scripts.default_address(Locale::ID),
        Some(AddressForm::Formal)
    );

    let granted = decide(&scripts, &grant(), "id", None);
    let refused = decide(&scripts, &refusal(), "id", None);
    let texts = format!("{}\n{}", granted.script().text(), refused.script().text());
    assert_eq!(granted.script().address(), AddressForm::Formal);

    // Every overridden message is heard in the company's words (its literal pieces), and not
    // in the shipped ones.
    let mut overridden = 0;
    for (section, messages) in &company {
        let Some(messages) = messages.as_table() else {
            continue;
        };
        if ["address", "format"].contains(&section.as_str()) {
            continue;
        }
        for (key, text) in messages {
            let text = text.as_str().unwrap();
            for piece in text.split(['{', '}']).step_by(2) {
                if piece.trim().len() > 3 {
                    assert!(
                        texts.contains(piece),
                        "{section}.{key}: {piece:?} not in\n{texts}"
                    );
                }
            }
            // The formal wording, which the company's formal scripts would otherwise say.
            let shipped_text = shipped[section][key]
                .as_str()
                .or_else(|| shipped[section][key]["formal"].as_str())
                .unwrap();
            let shipped_piece = shipped_text.split('{').next().unwrap();
            if shipped_piece.trim().len() > 3 {
                assert!(
                    !texts.contains(shipped_piece),
                    "{section}.{key} still shipped"
                );
            }
            overridden += 1;
        }
    }
    assert!(
        overridden >= 3,
        "the example overrides {overridden} messages"
    );

    // The rest still comes from the shipped catalog, in the formal form.
    for shipped_sentence in [
        "Sebagai kompensasi, kami berikan voucher senilai Rp33.000 yang berlaku sampai 24 Desember 2026.",
        "Setelah saya periksa, voucher tidak dapat diberikan untuk pesanan ini.",
        "Kendala ini tidak berasal dari layanan kami, jadi tidak termasuk dalam ketentuan kompensasi.",
    ] {
        assert!(
            texts.contains(shipped_sentence),
            "{shipped_sentence}\nnot in\n{texts}"
        );
    }
    // English is untouched.
    assert_eq!(
        decide(&scripts, &refusal(), "en", None),
        decide(&Scripts::builtin(), &refusal(), "en", None)
    );
}

#[test]
fn the_examples_catalog_directory_loads() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/catalogs");
    let from_dir = Scripts::builtin().with_dir(dir).unwrap();
    let from_file = Scripts::builtin().with_file(COMPANY_VOICE).unwrap();
    assert_eq!(
        decide(&from_dir, &refusal(), "id", None),
        decide(&from_file, &refusal(), "id", None)
    );
}

#[test]
fn the_scripts_guide_shows_the_errors_a_file_really_gives() {
    let text = "locale = \"id\"\n\
                [format]\n\
                months = [\"Januari\", \"Februari\"]\n\
                [refusal]\n\
                final = \"Maaf {\"\n\
                [closing]\n\
                further_help = \"Ada lagi, {name}?\"\n";
    let error = Scripts::builtin()
        .with_toml_str("ours.toml", text)
        .unwrap_err()
        .to_string();
    let readme = include_str!("../../docs/scripts.md");
    assert!(
        readme.contains(&format!("```text\n{error}\n```")),
        "docs/scripts.md's catalog error is stale; it is now:\n{error}"
    );
}
