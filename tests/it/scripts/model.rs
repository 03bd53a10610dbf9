//! The reference model: a shipped catalog file read with the TOML reader alone, and a small
//! renderer of its own that says each message as a script must.

use std::sync::LazyLock;

use serde_json::Value;
use voucher_policy::{AddressForm, Decision};

use super::locales;

/// A shipped catalog file, read with the TOML reader alone, and a small renderer of its own.
pub(super) struct Reference {
    locale: String,
    table: toml::Table,
}

impl Reference {
    /// The shipped catalog of a locale, read once.
    pub(super) fn shipped(locale: &str) -> &'static Reference {
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
    pub(super) fn messages(&self) -> Vec<(String, Option<String>)> {
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
    pub(super) fn rupiah(&self, amount: &str) -> String {
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
    pub(super) fn valid_until(&self) -> String {
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
pub(super) struct Said<'a> {
    reference: &'a Reference,
    form: AddressForm,
    pub(super) name: Option<&'a str>,
    order: &'a str,
    amount: Option<String>,
}

impl Said<'_> {
    pub(super) fn new<'a>(
        reference: &'a Reference,
        form: AddressForm,
        case: &'a Value,
        decision: &Decision,
    ) -> Said<'a> {
        Said {
            reference,
            form,
            name: case["customer"]["name"].as_str(),
            order: case["order"]["id"].as_str().unwrap(),
            amount: decision
                .voucher()
                .map(|voucher| reference.rupiah(&voucher.amount().to_string())),
        }
    }

    /// The message as the script must say it.
    pub(super) fn say(&self, key: &str) -> String {
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
