//! One decision, scripted in every shipped locale and form of address.
//!
//! ```text
//! cargo run --example scripts_tour
//! ```
//!
//! Sari Dewi, a silver customer, reports that order 5120 arrived late. The policy grants her a
//! voucher of 33,000 rupiah; the verdict is the same in every language, and only the script
//! changes: Indonesian in the familiar `Kak` and the formal `Bapak/Ibu`, and English (which reads
//! the same in both forms). Amounts and dates follow each locale's catalog.

use voucher_policy::{AddressForm, Case, Engine};

type Error = Box<dyn std::error::Error>;

/// The case, in the JSON wire form; `locale` and `address` are set for each script below.
const LATE_DELIVERY: &str = r#"{
  "now": "2026-11-24T10:00:00+07:00",
  "customer": {"id": "C-2002", "name": "Sari Dewi", "loyalty": "silver"},
  "order": {"id": "5120", "customer_id": "C-2002", "total": "120000", "currency": "IDR",
            "placed_at": "2026-11-24T08:00:00+07:00", "delivered_at": "2026-11-24T09:40:00+07:00"},
  "complaint": {"category": "late_delivery", "reported_at": "2026-11-24T09:45:00+07:00",
                "company_at_fault": true}
}"#;

fn main() -> Result<(), Error> {
    let engine = Engine::default();
    let scripts = engine.scripts();
    let (now, request, history) = Case::from_json(LATE_DELIVERY)?.into_parts();

    for locale in scripts.locales() {
        let default = scripts.default_address(locale);
        for form in AddressForm::ALL {
            let request = request.clone().with_locale(locale).with_address(form);
            let decision = engine.decide(&request, &history, now)?;
            let mut notes = Vec::new();
            if Some(form) == default {
                notes.push("the catalog's default");
            }
            if !scripts.distinguishes_address(locale) {
                notes.push("this catalog reads the same in both forms");
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join("; "))
            };
            println!("== {locale}, {form}{notes}");
            println!();
            println!("{}", decision.script().text());
            println!();
        }
    }
    Ok(())
}
