//! A tour of the engine on the embedded default policy: the article's case of a loyal customer
//! asking for a fourth voucher in one week, and a handful of others.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! Every request is built either with the typed API (`Request::new` with its `Customer`, `Order`
//! and `Complaint`, each in one expression) or read from the JSON wire form with
//! `Case::from_json`; both are shown. `now` is always a fixed moment,
//! never the clock, so the output is the same on every run.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use voucher_policy::{
    Case, Code, CodeSet, Complaint, Conduct, Currency, Customer, CustomerId, Decision, Engine,
    Evidence, Locale, Order, OrderId, PastVoucher, Request, Severity, Threat, TierName,
};

/// The script is wrapped to this many columns.
const COLUMNS: usize = 90;

/// The column where values start after a label.
const LABEL_WIDTH: usize = 16;

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let engine = Engine::default();

    let cases = [
        (
            "1. The article's case: a gold customer asks for a fourth voucher this week",
            article_case()?,
        ),
        (
            "2. A fair grant: a silver customer's order arrived late",
            Case::from_json(LATE_DELIVERY)?,
        ),
        (
            "3. A reduced grant: the customer asks for more than the policy gives (English)",
            missing_item_in_english()?,
        ),
        (
            "4. An escalation: a food-safety complaint goes to a supervisor",
            Case::from_json(FOOD_SAFETY)?,
        ),
        (
            "5. An escalation: a legal threat goes to the legal team (English)",
            legal_threat_in_english()?,
        ),
    ];

    for (title, case) in &cases {
        let decision = engine.decide_case(case)?;
        print_decision(title, case, &decision);
    }
    Ok(())
}

/// Parses an RFC 3339 moment with its offset.
fn at(text: &str) -> Result<DateTime<FixedOffset>, chrono::ParseError> {
    DateTime::parse_from_rfc3339(text)
}

/// The article: Budi Santoso, a gold customer, says his food from order 3449 was not hot,
/// 35 minutes after it was delivered. He has had three vouchers in the last seven days, all for
/// minor complaints. Built with the typed API.
fn article_case() -> Result<Case, Error> {
    let budi = CustomerId::new("C-1001");
    let request = Request::new(
        Customer::new(budi.clone(), TierName::new("gold")).with_name("Budi Santoso"),
        Order::new(
            OrderId::new("3449"),
            budi,
            85_000,
            Currency::IDR,
            at("2026-11-24T08:10:00+07:00")?,
        )
        .with_delivered_at(at("2026-11-24T08:55:00+07:00")?),
        Complaint::new("food_not_hot", at("2026-11-24T09:30:00+07:00")?)
            .with_company_at_fault(true),
    )
    .with_requested_amount(50_000);

    let history = [
        ("3401", "2026-11-18T12:00:00+07:00", 10_000),
        ("3417", "2026-11-20T12:00:00+07:00", 10_000),
        ("3430", "2026-11-22T12:00:00+07:00", 15_000),
    ]
    .into_iter()
    .map(|(order, granted_at, amount)| {
        Ok(
            PastVoucher::new(OrderId::new(order), amount, Currency::IDR, at(granted_at)?)
                .with_severity(Severity::Minor),
        )
    })
    .collect::<Result<Vec<_>, Error>>()?;

    Ok(Case::new(
        at("2026-11-24T10:00:00+07:00")?,
        request,
        history,
    ))
}

/// A silver customer whose order came 100 minutes after it was placed; the courier's tracking
/// confirms it. An older voucher, six weeks back, is outside every window. Read from JSON.
const LATE_DELIVERY: &str = r#"{
  "now": "2026-11-24T10:00:00+07:00",
  "locale": "id",
  "customer": {"id": "C-2207", "name": "Sari Wulandari", "loyalty": "silver"},
  "order": {"id": "5120", "customer_id": "C-2207", "total": "120000", "currency": "IDR",
            "placed_at": "2026-11-24T08:00:00+07:00", "delivered_at": "2026-11-24T09:40:00+07:00"},
  "complaint": {"category": "late_delivery", "reported_at": "2026-11-24T09:45:00+07:00",
                "company_at_fault": true, "evidence": "verified"},
  "history": [{"order_id": "4388", "granted_at": "2026-10-12T19:30:00+07:00",
               "amount": "12000", "currency": "IDR", "severity": "moderate"}]
}"#;

/// A regular customer with a photo of an order missing an item asks for IDR 100,000; the policy
/// gives a quarter of the order total. The script is in English. Built with the typed API.
fn missing_item_in_english() -> Result<Case, Error> {
    let michael = CustomerId::new("C-3310");
    let request = Request::new(
        Customer::new(michael.clone(), TierName::new("regular")).with_name("Michael Tan"),
        Order::new(
            OrderId::new("7781"),
            michael,
            200_000,
            Currency::IDR,
            at("2026-11-23T18:20:00+07:00")?,
        )
        .with_delivered_at(at("2026-11-23T19:05:00+07:00")?),
        Complaint::new("missing_item", at("2026-11-23T19:20:00+07:00")?)
            .with_company_at_fault(true)
            .with_evidence(Evidence::Photo),
    )
    .with_locale(Locale::EN)
    .with_requested_amount(100_000);

    Ok(Case::new(
        at("2026-11-24T10:00:00+07:00")?,
        request,
        Vec::new(),
    ))
}

/// A platinum customer reports feeling unwell after a meal. Critical complaints are never decided
/// by the agent alone; the supervisor still sees what the policy would do. Read from JSON.
const FOOD_SAFETY: &str = r#"{
  "now": "2026-11-24T10:00:00+07:00",
  "customer": {"id": "C-4120", "name": "Dewi Lestari", "loyalty": "platinum"},
  "order": {"id": "6650", "customer_id": "C-4120", "total": "150000", "currency": "IDR",
            "placed_at": "2026-11-23T12:00:00+07:00", "delivered_at": "2026-11-23T12:40:00+07:00"},
  "complaint": {"category": "food_safety", "reported_at": "2026-11-24T08:15:00+07:00",
                "evidence": "photo"}
}"#;

/// A gold customer says the wrong item arrived and threatens to take the company to court. There
/// is no photo yet, so on the merits the complaint would wait for evidence; the threat hands the
/// case to the legal team. Built with the typed API, in English.
fn legal_threat_in_english() -> Result<Case, Error> {
    let andi = CustomerId::new("C-5502");
    let request = Request::new(
        Customer::new(andi.clone(), TierName::new("gold")).with_name("Andi Pratama"),
        Order::new(
            OrderId::new("8123"),
            andi,
            240_000,
            Currency::IDR,
            at("2026-11-22T11:00:00+07:00")?,
        )
        .with_delivered_at(at("2026-11-22T15:30:00+07:00")?),
        Complaint::new("wrong_item", at("2026-11-23T09:10:00+07:00")?),
    )
    .with_locale(Locale::EN)
    .with_conduct(Conduct::new().with_threat(Threat::Legal));

    Ok(Case::new(
        at("2026-11-24T10:00:00+07:00")?,
        request,
        Vec::new(),
    ))
}

/// Prints one decision for a person to read.
fn print_decision(title: &str, case: &Case, decision: &Decision) {
    let request = case.request();
    let (customer, order) = (request.customer(), request.order());
    let verdict = decision.verdict();
    let facts = verdict.facts();
    let currency = order.currency();

    println!("{}", "=".repeat(COLUMNS));
    println!("{title}");
    println!("{}", "-".repeat(COLUMNS));
    label(
        "customer",
        &format!(
            "{} ({}, {})",
            customer.name().unwrap_or("(no name)"),
            customer.id(),
            customer.loyalty()
        ),
    );
    label(
        "order",
        &format!("{}, total {}", order.id(), money(order.total(), currency)),
    );
    label(
        "complaint",
        &format!(
            "{} ({}), reported {} after {} (claim window {})",
            request.complaint().category(),
            facts.severity,
            minutes(facts.claim_elapsed_seconds),
            match facts.claim_measured_from {
                voucher_policy::ClaimStart::Delivery => "delivery",
                _ => "placement",
            },
            facts.claim_window,
        ),
    );
    if let Some(requested) = request.requested_amount() {
        label("asked for", &money(requested, currency));
    }
    println!();

    label("outcome", &verdict.outcome().to_string().to_uppercase());
    if let Some(voucher) = verdict.voucher() {
        label(
            "voucher",
            &format!(
                "{}, valid until {}",
                money(voucher.amount(), voucher.currency()),
                voucher.valid_until().format("%Y-%m-%d %H:%M %:z")
            ),
        );
    }
    if let Some(target) = verdict.escalate_to() {
        label("escalate to", target.as_str());
    }
    if let Some(recommendation) = verdict.recommendation() {
        let on_merits = match recommendation.voucher() {
            Some(voucher) => format!(
                "{} {}",
                recommendation.outcome(),
                money(voucher.amount(), voucher.currency())
            ),
            None => recommendation.outcome().to_string(),
        };
        label(
            "on the merits",
            &format!("{on_merits} ({})", codes(recommendation.reasons())),
        );
    }
    label("reasons", &codes(verdict.reasons()));
    if !verdict.flags().is_empty() {
        label("flags", &codes(verdict.flags()));
    }
    if !verdict.alternatives().is_empty() {
        label("alternatives", &codes(verdict.alternatives()));
    }
    println!();

    label(
        "vouchers",
        &format!(
            "{} of {} in the last {}",
            facts.vouchers_in_count_window, facts.count_limit, facts.count_window
        ),
    );
    label(
        "value used",
        &format!(
            "{} of {} in the last {}",
            money(facts.value_used, currency),
            money(facts.value_limit, currency),
            facts.value_window
        ),
    );
    label(
        "policy amount",
        &format!(
            "{} (total x {} for {} x {} for {})",
            money(facts.policy_amount, currency),
            facts.severity_rate,
            facts.severity,
            facts.loyalty_multiplier,
            customer.loyalty()
        ),
    );
    println!();

    let script = decision.script();
    println!("script ({}):", script.locale().as_str());
    if script.text().trim().is_empty() {
        println!("    (no script text)");
    }
    for line in wrap(script.text(), "    ", COLUMNS) {
        println!("{line}");
    }
    println!();
}

/// Prints `name` padded to the value column, then the value.
fn label(name: &str, value: &str) {
    println!("{:<width$}{value}", format!("{name}:"), width = LABEL_WIDTH);
}

/// The codes of a set, comma separated, or `-` when there is none.
fn codes<T: Code>(set: CodeSet<T>) -> String {
    if set.is_empty() {
        return "-".to_owned();
    }
    set.iter()
        .map(|code| code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `IDR 85,000`: the currency, then the amount with thousands separated by commas.
fn money(amount: Decimal, currency: Currency) -> String {
    let text = amount.to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    let count = whole.chars().count();
    for (position, digit) in whole.chars().enumerate() {
        if position > 0 && (count - position) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match fraction {
        Some(fraction) => format!("{currency} {sign}{grouped}.{fraction}"),
        None => format!("{currency} {sign}{grouped}"),
    }
}

/// `35 min`, or `1 d 2 h 5 min` for longer spans.
fn minutes(seconds: i64) -> String {
    let minutes = seconds / 60;
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{minutes} min"),
        (0, _) => format!("{hours} h {minutes} min"),
        _ => format!("{days} d {hours} h {minutes} min"),
    }
}

/// Wraps text to `columns`, each line starting with `indent`; line breaks in the text are kept.
fn wrap(text: &str, indent: &str, columns: usize) -> Vec<String> {
    let width = columns.saturating_sub(indent.chars().count()).max(20);
    let mut lines = Vec::new();
    for paragraph in text.trim_end().lines() {
        let mut line = String::new();
        let mut length = 0;
        for word in words(paragraph) {
            let word_length = word.chars().count();
            if length > 0 && length + 1 + word_length > width {
                lines.push(format!("{indent}{line}"));
                line.clear();
                length = 0;
            }
            if length > 0 {
                line.push(' ');
                length += 1;
            }
            line.push_str(&word);
            length += word_length;
        }
        if line.is_empty() {
            lines.push(String::new());
        } else {
            lines.push(format!("{indent}{line}"));
        }
    }
    lines
}

/// The words of a paragraph, keeping an amount with its currency code (`IDR 50,000`) as one.
fn words(paragraph: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in paragraph.split_whitespace() {
        let starts_with_digit = word.starts_with(|c: char| c.is_ascii_digit());
        match words.last_mut() {
            Some(previous) if starts_with_digit && is_currency_code(previous) => {
                previous.push(' ');
                previous.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
    }
    words
}

fn is_currency_code(word: &str) -> bool {
    word.len() == 3 && word.bytes().all(|b| b.is_ascii_uppercase())
}
