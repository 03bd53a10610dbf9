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
            let settings = ["locale", "default_address", "address", "format", "issues"];
            if settings.contains(&section.as_str()) {
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

    /// A word of a form of address (`title` or `you`), for a customer of `honorific` (`bapak`,
    /// `ibu`) in the formal form; the file may have none.
    fn term(&self, form: AddressForm, honorific: Option<&str>, word: &str) -> Option<&str> {
        let address = self.table.get("address")?;
        let terms = match (form, honorific) {
            (AddressForm::Formal, Some(honorific)) => &address[honorific],
            _ => &address[form.as_str()],
        };
        terms[word].as_str()
    }

    /// What went wrong, for a complaint category, as the file labels it.
    fn issue(&self, category: &str) -> &str {
        let issues = &self.table["issues"];
        issues
            .get(category)
            .unwrap_or(&issues["other"])
            .as_str()
            .unwrap()
    }

    /// A length of time in seconds, by its largest whole unit, as the file writes it.
    pub(super) fn duration(&self, seconds: i64) -> String {
        let (one, several, count) = if seconds % 86_400 == 0 {
            ("day", "days", seconds / 86_400)
        } else if seconds % 3_600 == 0 {
            ("hour", "hours", seconds / 3_600)
        } else {
            ("minute", "minutes", (seconds + 59) / 60)
        };
        let unit = if count == 1 { one } else { several };
        self.format(unit)
            .as_str()
            .unwrap()
            .replace("{count}", &count.to_string())
    }

    /// A date, written as the file says.
    pub(super) fn date(&self, at: chrono::DateTime<chrono::FixedOffset>) -> String {
        use chrono::Datelike;
        let months = self.format("months").as_array().unwrap();
        self.format("date")
            .as_str()
            .unwrap()
            .replace("{day}", &at.day().to_string())
            .replace("{month}", months[at.month0() as usize].as_str().unwrap())
            .replace("{year}", &at.year().to_string())
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
    honorific: Option<&'a str>,
    order: &'a str,
    category: &'a str,
    amount: Option<String>,
    claim_window: i64,
    evidence_within: Option<i64>,
    next_eligible: Option<String>,
    follow_up: Option<i64>,
}

impl Said<'_> {
    pub(super) fn new<'a>(
        reference: &'a Reference,
        form: AddressForm,
        case: &'a Value,
        decision: &Decision,
    ) -> Said<'a> {
        let verdict = decision.verdict();
        let now = chrono::DateTime::parse_from_rfc3339(case["now"].as_str().unwrap()).unwrap();
        Said {
            reference,
            form,
            name: case["customer"]["name"].as_str(),
            honorific: case["customer"]["honorific"].as_str(),
            order: case["order"]["id"].as_str().unwrap(),
            category: case["complaint"]["category"].as_str().unwrap(),
            amount: decision
                .voucher()
                .map(|voucher| reference.rupiah(&voucher.amount().to_string())),
            claim_window: verdict.facts().claim_window.as_seconds(),
            evidence_within: verdict
                .facts()
                .evidence
                .as_ref()
                .map(|evidence| evidence.within.as_seconds()),
            next_eligible: verdict.next_eligible_at().map(|at| reference.date(at)),
            follow_up: verdict.follow_up_by().map(|by| (by - now).num_seconds()),
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
                let value = self.value(&rest[1..close]);
                // An empty value takes the space before it away.
                if value.is_empty() && out.ends_with(' ') {
                    out.pop();
                }
                out.push_str(&value);
                rest = &rest[close + 1..];
            }
        }
        out.push_str(rest);
        out
    }

    fn value(&self, placeholder: &str) -> String {
        let reference = self.reference;
        match placeholder {
            "name" => self.name.unwrap_or_default().to_owned(),
            "order" => self.order.to_owned(),
            "title" | "you" => reference
                .term(self.form, self.honorific, placeholder)
                .unwrap_or_default()
                .to_owned(),
            "called" => {
                let title = reference
                    .term(self.form, self.honorific, "title")
                    .unwrap_or_default();
                match (title, self.name) {
                    ("", name) => name.unwrap_or_default().to_owned(),
                    (title, None) => title.to_owned(),
                    (title, Some(name)) => format!("{title} {name}"),
                }
            }
            "greeting" => self.say("empathy.greeting"),
            "issue" => reference.issue(self.category).to_owned(),
            // A value the decision does not have is never said: the message cannot match.
            "amount" => self
                .amount
                .clone()
                .unwrap_or_else(|| "(no voucher)".to_owned()),
            "valid_until" => reference.valid_until(),
            "claim_window" => reference.duration(self.claim_window),
            "evidence_within" => self.evidence_within.map_or_else(
                || "(no deadline)".to_owned(),
                |within| reference.duration(within),
            ),
            "next_eligible" => self
                .next_eligible
                .clone()
                .unwrap_or_else(|| "(no date)".to_owned()),
            "follow_up" => self.follow_up.map_or_else(
                || "(no follow-up)".to_owned(),
                |within| reference.duration(within),
            ),
            other => panic!("{}: unknown placeholder {other}", reference.locale),
        }
    }
}
