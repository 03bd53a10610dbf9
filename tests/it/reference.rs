//! A reference model of the embedded default policy, written straight from the text of
//! DESIGN.md and the README and nothing else: plain, slow, obviously correct.
//!
//! It shares no code with the engine. It reads the public input types (`Case` and the request
//! and history in it) and answers in plain strings; the policy is the README's tables typed in
//! again; money is exact integer arithmetic on the decimals' digits (no `rust_decimal`
//! operation at all), so a rounding inside the engine shows up as a disagreement; every window
//! is the design's comparison `now - W < t <= now`, written out.

use chrono::{DateTime, FixedOffset, TimeDelta};
use rust_decimal::Decimal;
use voucher_policy::{Case, Evidence, Severity, Threat};

/// The reason codes in the README's fixed order.
pub const REASON_ORDER: [&str; 20] = [
    "physical_threat",
    "legal_threat",
    "critical_complaint",
    "supervisor_requested",
    "abusive_language",
    "personal_advances",
    "order_customer_mismatch",
    "order_already_compensated",
    "claim_window_expired",
    "not_company_fault",
    "evidence_required",
    "voucher_limit_reached",
    "voucher_value_limit_reached",
    "reduced_to_value_limit",
    "minor_complaint_recent_voucher",
    "repeated_minor_complaints",
    "reduced_to_policy_amount",
    "rounded_to_step",
    "above_agent_authority",
    "valid_complaint",
];

/// The refusal reasons (DESIGN.md, steps 2 to 4).
const REFUSALS: [&str; 9] = [
    "order_customer_mismatch",
    "order_already_compensated",
    "claim_window_expired",
    "not_company_fault",
    "evidence_required",
    "voucher_limit_reached",
    "voucher_value_limit_reached",
    "minor_complaint_recent_voucher",
    "repeated_minor_complaints",
];

/// The alternatives in the README's order, and which refusal offers which (README table).
const ALTERNATIVE_ORDER: [&str; 5] = [
    "priority_support",
    "replacement",
    "send_photo",
    "account_check",
    "feedback_forwarded",
];

fn alternatives_for(reason: &str) -> &'static [&'static str] {
    match reason {
        "order_customer_mismatch" => &["account_check"],
        "order_already_compensated" => &["priority_support"],
        "claim_window_expired" | "not_company_fault" => &["feedback_forwarded", "priority_support"],
        "evidence_required" => &["send_photo", "replacement"],
        "voucher_limit_reached" | "voucher_value_limit_reached" => &["priority_support"],
        "minor_complaint_recent_voucher" | "repeated_minor_complaints" => {
            &["feedback_forwarded", "priority_support"]
        }
        _ => &[],
    }
}

/// A row of the README's tier table: vouchers per rolling 7 days, value per rolling 30 days
/// (whole rupiah), and the multiplier as a fraction.
struct TierRow {
    name: &'static str,
    vouchers_per_7_days: u32,
    value_per_30_days: i128,
    multiplier: (i128, i128),
}

/// A row of the tier table, as the README writes it.
const fn row(
    name: &'static str,
    vouchers_per_7_days: u32,
    value_per_30_days: i128,
    multiplier: (i128, i128),
) -> TierRow {
    TierRow {
        name,
        vouchers_per_7_days,
        value_per_30_days,
        multiplier,
    }
}

const TIER_TABLE: [TierRow; 5] = [
    row("new", 1, 50_000, (100, 100)),
    row("regular", 2, 100_000, (100, 100)),
    row("silver", 2, 150_000, (110, 100)),
    row("gold", 3, 250_000, (125, 100)),
    row("platinum", 3, 400_000, (150, 100)),
];

/// The README's category table.
fn category_severity(category: &str) -> Option<Severity> {
    match category {
        "food_not_hot" | "slow_website" | "packaging" => Some(Severity::Minor),
        "late_delivery" | "missing_item" | "rude_courier" => Some(Severity::Moderate),
        "wrong_item" | "damaged_item" | "order_not_received" => Some(Severity::Major),
        "food_safety" => Some(Severity::Critical),
        _ => None,
    }
}

/// The README's severity table: the rate of the order total, as a fraction (critical: 100%
/// recommended on the merits).
fn severity_rate(severity: Severity) -> (i128, i128) {
    match severity {
        Severity::Minor => (10, 100),
        Severity::Moderate => (25, 100),
        Severity::Major => (50, 100),
        _ => (100, 100),
    }
}

const STEP: i128 = 1_000;
/// Rupiah have two decimal places (sen) in ISO 4217.
const IDR_PLACES: u32 = 2;
/// The largest amount a request may carry.
const LARGEST_AMOUNT: i128 = 1_000_000_000_000_000;
const MINIMUM_VOUCHER: i128 = 5_000;
const MAXIMUM_VOUCHER: i128 = 150_000;
const AGENT_AUTHORITY: i128 = 100_000;
const DAY: i64 = 86_400;
const CLAIM_WINDOW_SECONDS: i64 = 48 * 3_600;
const COUNT_WINDOW_SECONDS: i64 = 7 * DAY;
const VALUE_WINDOW_SECONDS: i64 = 30 * DAY;
const MINOR_COOLDOWN_SECONDS: i64 = 7 * DAY;
const PATTERN_WINDOW_SECONDS: i64 = 30 * DAY;
const PATTERN_THRESHOLD: u32 = 3;
const VOUCHER_VALIDITY_SECONDS: i64 = 30 * DAY;
const LOCAL_OFFSET_SECONDS: i32 = 7 * 3_600;

/// What the model decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// `granted`, `refused` or `escalated`.
    pub outcome: &'static str,
    /// Every reason, in the README's order.
    pub reasons: Vec<&'static str>,
    pub escalate_to: Option<&'static str>,
    pub flags: Vec<&'static str>,
    pub alternatives: Vec<&'static str>,
    /// The recommendation's outcome (`granted` or `refused`), for escalations.
    pub recommendation: Option<&'static str>,
    /// The voucher granted, or recommended for an escalation, in whole rupiah.
    pub amount: Option<i128>,
    /// When a granted or recommended voucher expires.
    pub valid_until: Option<DateTime<FixedOffset>>,
}

/// Exact decimal arithmetic on a `Decimal`'s digits: `mantissa / 10^scale`.
pub mod exact {
    use rust_decimal::Decimal;

    /// `10^power` as an integer.
    pub fn ten_to(power: u32) -> i128 {
        (0..power).fold(1i128, |product, _| product * 10)
    }

    /// The largest multiple of `step` (a whole number) not above `amount`, for `amount >= 0`.
    pub fn floor_to(amount: Decimal, step: i128) -> i128 {
        amount.mantissa().div_euclid(ten_to(amount.scale()) * step) * step
    }

    /// Whether `amount` is above the whole number `whole`.
    pub fn above(amount: Decimal, whole: i128) -> bool {
        amount.mantissa() > whole * ten_to(amount.scale())
    }

    /// Whether `amount` is below the whole number `whole`.
    pub fn below(amount: Decimal, whole: i128) -> bool {
        amount.mantissa() < whole * ten_to(amount.scale())
    }

    /// How many decimal places `amount` needs: its places less its trailing zeros.
    pub fn places(amount: Decimal) -> u32 {
        let mut mantissa = amount.mantissa();
        let mut places = amount.scale();
        while places > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            places -= 1;
        }
        places
    }

    /// A sum of amounts, exact to 10^-28, that saturates far above any limit.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Sum {
        /// The sum in units of 10^-28.
        Tiny(i128),
        /// More than a billion.
        Huge,
    }

    const BILLION: i128 = 1_000_000_000;

    impl Sum {
        pub const ZERO: Sum = Sum::Tiny(0);

        pub fn add(self, amount: Decimal) -> Sum {
            let Sum::Tiny(sum) = self else {
                return Sum::Huge;
            };
            if above(amount, BILLION) {
                return Sum::Huge;
            }
            let tiny = amount.mantissa() * ten_to(28 - amount.scale());
            match sum.checked_add(tiny) {
                Some(total) if total <= BILLION * ten_to(28) => Sum::Tiny(total),
                _ => Sum::Huge,
            }
        }

        /// What is left of `limit` (whole units) after this sum, in units of 10^-28; zero or
        /// less when it is used up.
        pub fn left_of(self, limit: i128) -> i128 {
            match self {
                Sum::Tiny(sum) => limit * ten_to(28) - sum,
                Sum::Huge => 0,
            }
        }

        /// What is left of a decimal `limit` (at most a billion) after this sum, in units of
        /// 10^-28.
        pub fn left_of_decimal(self, limit: Decimal) -> i128 {
            match self {
                Sum::Tiny(sum) => tiny(limit) - sum,
                Sum::Huge => 0,
            }
        }
    }

    /// An amount of at most a billion in units of 10^-28.
    pub fn tiny(amount: Decimal) -> i128 {
        amount.mantissa() * ten_to(28 - amount.scale())
    }

    /// `tiny` (units of 10^-28) rounded down to a multiple of the whole `step`; zero when not
    /// positive.
    pub fn tiny_floor_to(tiny: i128, step: i128) -> i128 {
        if tiny <= 0 {
            return 0;
        }
        tiny / (step * ten_to(28)) * step
    }
}

use exact::Sum;

/// Whether `at` lies in a rolling window of `seconds` measured back from `now`:
/// `now - W < at <= now`.
pub fn in_window(now: DateTime<FixedOffset>, at: DateTime<FixedOffset>, seconds: i64) -> bool {
    now - TimeDelta::seconds(seconds) < at && at <= now
}

/// The locales the crate ships a script catalog for.
const LOCALES: [&str; 2] = ["id", "en"];

/// Whether an amount is one a request may carry: positive, at most two decimal places (written
/// with any number of trailing zeros) and at most 10^15.
fn carried(amount: Decimal) -> bool {
    exact::above(amount, 0)
        && exact::places(amount) <= IDR_PLACES
        && !exact::above(amount, LARGEST_AMOUNT)
}

/// The fields a case cannot be decided for, by the rules the README states: a locale without a
/// script catalog, a tier or a category the policy does not know, an amount in another
/// currency, an amount that is not positive, has more decimal places than rupiah have or is
/// above 10^15, or (order total, requested amount) below one step, a time after `now`, a
/// delivery or a report before the order was placed. Empty when the case can be decided.
pub fn faults(case: &Case) -> Vec<String> {
    let request = case.request();
    let order = &request.order();
    let now = case.now();
    let mut faults = Vec::new();
    // Names and ids that reach a script or a log: not blank, no control character or line
    // break (the README's rules on text).
    let bad_text = |text: &str| {
        text.trim().is_empty()
            || text
                .chars()
                .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
    };
    let customer = request.customer();
    for (field, text) in [
        ("customer.id", Some(customer.id().as_str())),
        ("customer.name", customer.name()),
        ("order.id", Some(order.id().as_str())),
        ("order.customer_id", Some(order.customer_id().as_str())),
        ("complaint.category", Some(request.complaint().category())),
    ] {
        if text.is_some_and(bad_text) {
            faults.push(field.to_owned());
        }
    }
    if !request
        .locale()
        .is_none_or(|locale| LOCALES.contains(&locale.as_str()))
    {
        faults.push("locale".to_owned());
    }
    if !TIER_TABLE
        .iter()
        .any(|row| row.name == request.customer().loyalty())
    {
        faults.push("customer.loyalty".to_owned());
    }
    if request.complaint().severity().is_none()
        && category_severity(request.complaint().category()).is_none()
    {
        faults.push("complaint.category".to_owned());
    }
    if order.currency().as_str() != "IDR" {
        faults.push("order.currency".to_owned());
    }
    if exact::below(order.total(), STEP) || !carried(order.total()) {
        faults.push("order.total".to_owned());
    }
    if request
        .requested_amount()
        .is_some_and(|amount| exact::below(amount, STEP) || !carried(amount))
    {
        faults.push("requested_amount".to_owned());
    }
    if order.placed_at() > now {
        faults.push("order.placed_at".to_owned());
    }
    if let Some(delivered_at) = order.delivered_at() {
        if delivered_at > now || delivered_at < order.placed_at() {
            faults.push("order.delivered_at".to_owned());
        }
    }
    let reported_at = request.complaint().reported_at();
    if reported_at > now || reported_at < order.placed_at() {
        faults.push("complaint.reported_at".to_owned());
    }
    for (index, past) in case.history().iter().enumerate() {
        if past.currency().as_str() != "IDR" {
            faults.push(format!("history[{index}].currency"));
        }
        if !carried(past.amount()) {
            faults.push(format!("history[{index}].amount"));
        }
        if past.granted_at() > now {
            faults.push(format!("history[{index}].granted_at"));
        }
        if past.order_id().as_str().trim().is_empty() {
            faults.push(format!("history[{index}].order_id"));
        }
    }
    faults
}

/// Decides a case on the default policy, or lists the fields it cannot be decided for.
pub fn decide(case: &Case) -> Result<Expected, Vec<String>> {
    let faults = faults(case);
    if !faults.is_empty() {
        return Err(faults);
    }
    let request = case.request();
    let order = &request.order();
    let complaint = &request.complaint();
    let conduct = &request.conduct();
    let now = case.now();
    let history = case.history();
    let Some(tier) = TIER_TABLE
        .iter()
        .find(|row| row.name == request.customer().loyalty())
    else {
        return Err(vec!["customer.loyalty".to_owned()]);
    };
    let Some(severity) = complaint
        .severity()
        .or_else(|| category_severity(complaint.category()))
    else {
        return Err(vec!["complaint.category".to_owned()]);
    };
    let mut fired: Vec<&'static str> = Vec::new();

    // 1. Safety and conduct.
    if conduct.threat() == Some(Threat::Physical) {
        fired.push("physical_threat");
    }
    if conduct.threat() == Some(Threat::Legal) {
        fired.push("legal_threat");
    }
    if severity == Severity::Critical {
        fired.push("critical_complaint");
    }
    if conduct.insists_on_supervisor() {
        fired.push("supervisor_requested");
    }
    if conduct.abusive_language() {
        fired.push("abusive_language");
    }
    if conduct.personal_advances() {
        fired.push("personal_advances");
    }

    // 2. Verification.
    if order.customer_id() != request.customer().id() {
        fired.push("order_customer_mismatch");
    }
    if history.iter().any(|past| past.order_id() == order.id()) {
        fired.push("order_already_compensated");
    }
    let claim_start = order.delivered_at().unwrap_or(order.placed_at());
    if complaint.reported_at() - claim_start > TimeDelta::seconds(CLAIM_WINDOW_SECONDS) {
        fired.push("claim_window_expired");
    }

    // 3. Validity.
    if complaint.company_at_fault() == Some(false) {
        fired.push("not_company_fault");
    }
    if severity == Severity::Major && complaint.evidence() == Evidence::None {
        fired.push("evidence_required");
    }

    // 4. Limits from history.
    let mut in_count_window = 0u32;
    let mut in_cooldown = 0u32;
    let mut minor_in_pattern_window = 0u32;
    let mut value_used = Sum::ZERO;
    for past in history {
        if in_window(now, past.granted_at(), COUNT_WINDOW_SECONDS) {
            in_count_window += 1;
        }
        if in_window(now, past.granted_at(), VALUE_WINDOW_SECONDS) {
            value_used = value_used.add(past.amount());
        }
        if in_window(now, past.granted_at(), MINOR_COOLDOWN_SECONDS) {
            in_cooldown += 1;
        }
        if past.severity() == Some(Severity::Minor)
            && in_window(now, past.granted_at(), PATTERN_WINDOW_SECONDS)
        {
            minor_in_pattern_window += 1;
        }
    }
    if in_count_window >= tier.vouchers_per_7_days {
        fired.push("voucher_limit_reached");
    }
    let value_left = value_used.left_of(tier.value_per_30_days);
    if value_left < MINIMUM_VOUCHER * exact::ten_to(28) {
        fired.push("voucher_value_limit_reached");
    }
    let mut flags = Vec::new();
    if severity == Severity::Minor {
        if in_cooldown > 0 {
            fired.push("minor_complaint_recent_voucher");
        }
        if minor_in_pattern_window >= PATTERN_THRESHOLD {
            fired.push("repeated_minor_complaints");
            flags.push("review_customer");
        }
    }
    if conduct.abusive_language() || conduct.personal_advances() {
        flags.insert(0, "conduct_noted");
    }

    // 5. Amount: total x rate x multiplier, rounded down to the step, exactly.
    let (rate_num, rate_den) = severity_rate(severity);
    let (mult_num, mult_den) = tier.multiplier;
    let total = order.total();
    let numerator = total.mantissa() * rate_num * mult_num;
    let denominator = exact::ten_to(total.scale()) * rate_den * mult_den * STEP;
    let computed = numerator / denominator * STEP;
    let mut policy_amount = computed.clamp(MINIMUM_VOUCHER, MAXIMUM_VOUCHER);
    policy_amount = policy_amount.min(exact::floor_to(total, STEP));
    let mut amount = policy_amount;
    let mut adjustments = Vec::new();
    // Granted as asked but for the step: the request was not a whole number of steps.
    let mut rounded = false;
    if let Some(requested) = request.requested_amount() {
        if exact::above(requested, policy_amount) {
            adjustments.push("reduced_to_policy_amount");
        } else {
            amount = exact::floor_to(requested, STEP);
            rounded = exact::above(requested, amount);
        }
    }
    let value_left_in_steps = exact::tiny_floor_to(value_left, STEP);
    if amount > value_left_in_steps && value_left_in_steps >= MINIMUM_VOUCHER {
        amount = value_left_in_steps;
        adjustments.push("reduced_to_value_limit");
    } else if rounded {
        adjustments.push("rounded_to_step");
    }
    if amount > AGENT_AUTHORITY {
        adjustments.push("above_agent_authority");
    }

    // The outcome.
    let refusals: Vec<&'static str> = fired
        .iter()
        .copied()
        .filter(|reason| REFUSALS.contains(reason))
        .collect();
    let merits_granted = refusals.is_empty();
    let mut reasons = fired.clone();
    if merits_granted {
        reasons.extend(adjustments.iter().copied());
        reasons.push("valid_complaint");
    }
    reasons.sort_by_key(|reason| REASON_ORDER.iter().position(|code| code == reason));

    let safety_target = if fired.contains(&"physical_threat") {
        Some("security")
    } else if fired.contains(&"legal_threat") {
        Some("legal")
    } else if fired.contains(&"critical_complaint") || fired.contains(&"supervisor_requested") {
        Some("supervisor")
    } else {
        None
    };
    let authority_target =
        (merits_granted && adjustments.contains(&"above_agent_authority")).then_some("supervisor");
    let escalate_to = safety_target.or(authority_target);
    let outcome = match (escalate_to, merits_granted) {
        (Some(_), _) => "escalated",
        (None, false) => "refused",
        (None, true) => "granted",
    };
    let mut alternatives = Vec::new();
    if outcome == "refused" {
        for way in ALTERNATIVE_ORDER {
            if refusals
                .iter()
                .any(|reason| alternatives_for(reason).contains(&way))
            {
                alternatives.push(way);
            }
        }
    }
    let local = FixedOffset::east_opt(LOCAL_OFFSET_SECONDS).expect("+07:00 is an offset");
    let valid_until = (now + TimeDelta::seconds(VOUCHER_VALIDITY_SECONDS)).with_timezone(&local);
    Ok(Expected {
        outcome,
        reasons,
        escalate_to,
        flags,
        alternatives,
        recommendation: escalate_to.map(|_| if merits_granted { "granted" } else { "refused" }),
        amount: merits_granted.then_some(amount),
        valid_until: merits_granted.then_some(valid_until),
    })
}

/// The amount of a `Decimal` voucher as a whole number of rupiah, if it is one.
pub fn whole(amount: Decimal) -> Option<i128> {
    let unit = exact::ten_to(amount.scale());
    (amount.mantissa() % unit == 0).then(|| amount.mantissa() / unit)
}
