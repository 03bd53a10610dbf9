//! Trusting `Policy::compare`: on random pairs of policies (each number of a policy with every
//! shape mutated up or down), dense random sampling never finds a kind of difference the
//! analysis missed, and a policy made stricter by one mutation is found at least as strict.
//!
//! `ANALYSIS_PAIRS` (default 12) sets the pairs tried and `ANALYSIS_SAMPLES` (default 4,000) the
//! cases sampled for each; the figures print with `--nocapture`:
//! `ANALYSIS_PAIRS=200 cargo test --release --test it analysis_soundness -- --nocapture`.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, TimeDelta};
use rust_decimal::Decimal;
use voucher_policy::{
    Agent, AgentId, Complaint, Conduct, Currency, Customer, CustomerId, DifferenceKind, Engine,
    Evidence, Order, OrderId, Party, PastVoucher, Policy, Request, RoleName, Ruling, Severity,
    Threat, TierName,
};

/// A policy with every shape, small enough to walk in a second: each `{NAME}` is a number the
/// mutations change, and each block between `#<name>` and `#</name>` a shape they remove.
const TEMPLATE: &str = r#"
name = "compact"
version = "1"
currency = "IDR"
step = 1000
local_offset = "+07:00"
minimum_voucher = {MIN}
maximum_voucher = {MAX}
agent_authority = {AUTH}
voucher_validity = "30d"
claim_window = "{CLAIM}h"
count_window = "{COUNT_WINDOW}d"
value_window = "{VALUE_WINDOW}d"
minor_cooldown = "{COOLDOWN}d"

[repeated_minor]
threshold = {THRESHOLD}
window = "{PATTERN_WINDOW}d"

[severity_rates]
minor = {RATE_MINOR}
moderate = {RATE_MODERATE}
major = {RATE_MAJOR}
critical = 1.00

#<share>
[maximum_share]
moderate = {SHARE_MODERATE}
#</share>

#<young>
[young_accounts]
younger_than = "{YOUNG}d"
lifetime_vouchers = {LIFETIME}
evidence_required = true
#</young>

[[tiers]]
name = "new"
voucher_limit = {NEW_LIMIT}
value_limit = {NEW_VALUE}
multiplier = 1.00
thank_loyalty = false

[[tiers]]
name = "gold"
voucher_limit = {GOLD_LIMIT}
value_limit = {GOLD_VALUE}
multiplier = {GOLD_MULTIPLIER}
thank_loyalty = true
#<limits>
limits = [{ vouchers = {GOLD_DAY_LIMIT}, window = "24h" }, { value = {GOLD_DAY_VALUE}, window = "24h" }]
#</limits>

[categories.food_not_hot]
severity = "minor"

[categories.late_delivery]
severity = "moderate"
#<late>
maximum_share = {LATE_SHARE}
claim_window = "{LATE_CLAIM}h"
#</late>

[categories.damaged_item]
severity = "major"
#<deadline>
evidence_within = "{EVIDENCE_WITHIN}h"
#</deadline>

[conduct]
warnings_before_close = {WARNINGS}

[follow_up]
supervisor = "24h"
legal = "72h"
security = "4h"

[roles.agent]
daily_budget = {AGENT_BUDGET}

[roles.supervisor]
authority = {SUPERVISOR_AUTHORITY}
daily_budget = 5000000

#<lists>
[lists.review]
escalate_to = "supervisor"

[lists.service_recovery]
waive = ["minor_complaint_recent_voucher"]
#</lists>

[alternatives]
order_customer_mismatch = ["account_check"]
order_already_compensated = ["priority_support"]
claim_window_expired = ["feedback_forwarded"]
not_company_fault = ["feedback_forwarded"]
evidence_required = ["send_photo"]
voucher_limit_reached = ["priority_support"]
voucher_value_limit_reached = ["priority_support"]
minor_complaint_recent_voucher = ["feedback_forwarded"]
repeated_minor_complaints = ["feedback_forwarded"]
"#;

/// A number of the template: its name, its base value, the values it may take, and whether
/// raising it makes the policy stricter (`Some(true)`), lowering it does (`Some(false)`), or
/// neither is stricter under "nothing granted for an escalation" (`None`: a smaller amount can
/// bring a voucher under an authority it was escalated above).
struct Knob {
    name: &'static str,
    base: i64,
    low: i64,
    high: i64,
    /// Hundredths when true: `25` is `0.25`.
    fraction: bool,
    stricter_up: Option<bool>,
}

const fn knob(
    name: &'static str,
    base: i64,
    low: i64,
    high: i64,
    stricter_up: Option<bool>,
) -> Knob {
    Knob {
        name,
        base,
        low,
        high,
        fraction: false,
        stricter_up,
    }
}

const fn rate(name: &'static str, base: i64, low: i64, high: i64) -> Knob {
    Knob {
        name,
        base,
        low,
        high,
        fraction: true,
        stricter_up: None,
    }
}

const KNOBS: [Knob; 26] = [
    knob("MIN", 5000, 1000, 20000, None),
    knob("MAX", 150000, 20000, 300000, None),
    knob("AUTH", 100000, 20000, 300000, None),
    knob("CLAIM", 48, 1, 120, Some(false)),
    knob("COUNT_WINDOW", 7, 1, 40, Some(true)),
    knob("VALUE_WINDOW", 30, 1, 60, None),
    knob("COOLDOWN", 7, 1, 30, Some(true)),
    knob("THRESHOLD", 3, 1, 5, Some(false)),
    knob("PATTERN_WINDOW", 30, 1, 60, Some(true)),
    rate("RATE_MINOR", 10, 1, 50),
    rate("RATE_MODERATE", 25, 1, 80),
    rate("RATE_MAJOR", 50, 1, 100),
    rate("SHARE_MODERATE", 30, 5, 100),
    knob("YOUNG", 30, 1, 60, Some(true)),
    knob("LIFETIME", 2, 1, 4, Some(false)),
    knob("NEW_LIMIT", 1, 1, 4, Some(false)),
    knob("NEW_VALUE", 50000, 10000, 200000, None),
    knob("GOLD_LIMIT", 3, 1, 5, Some(false)),
    knob("GOLD_VALUE", 250000, 20000, 400000, None),
    rate("GOLD_MULTIPLIER", 125, 100, 200),
    knob("GOLD_DAY_LIMIT", 2, 1, 3, Some(false)),
    knob("GOLD_DAY_VALUE", 100000, 10000, 200000, None),
    rate("LATE_SHARE", 15, 5, 100),
    knob("LATE_CLAIM", 24, 1, 72, Some(false)),
    knob("EVIDENCE_WITHIN", 72, 1, 120, Some(false)),
    knob("WARNINGS", 1, 0, 3, Some(false)),
];

/// The shapes a mutation may remove (each on in the base policy).
const SHAPES: [&str; 6] = ["share", "young", "limits", "late", "deadline", "lists"];

/// The other two numbers of the template, never mutated.
const FIXED: [(&str, &str); 2] = [
    ("AGENT_BUDGET", "1000000"),
    ("SUPERVISOR_AUTHORITY", "300000"),
];

/// A small, seeded generator: the test repeats exactly for a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn between(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A policy's knobs and shapes: each knob's value, and which shapes it has.
type Values = ([i64; 26], [bool; 6]);

/// The policy with each knob at its value, without the shapes turned off.
fn policy((values, shapes): &Values) -> Option<Policy> {
    let mut text = TEMPLATE.to_owned();
    for (shape, on) in SHAPES.iter().zip(shapes) {
        let (open, close) = (format!("#<{shape}>"), format!("#</{shape}>"));
        if let (false, Some(start), Some(end)) = (*on, text.find(&open), text.find(&close)) {
            text.replace_range(start..end + close.len(), "");
        }
    }
    for (knob, value) in KNOBS.iter().zip(values) {
        let written = if knob.fraction {
            format!("{}.{:02}", value / 100, value % 100)
        } else {
            value.to_string()
        };
        text = text.replace(&format!("{{{}}}", knob.name), &written);
    }
    for (name, value) in FIXED {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    // A mutation the policy's validation refuses (a minimum above the maximum) is no pair.
    Policy::from_toml_str(&text).ok()
}

fn base() -> Values {
    (KNOBS.map(|knob| knob.base), [true; 6])
}

/// `values` with `count` knobs moved to random values or shapes turned on or off.
fn mutated(rng: &mut Rng, values: &Values, count: usize) -> Values {
    let (mut knobs, mut shapes) = *values;
    for _ in 0..count {
        let index = rng.below((KNOBS.len() + SHAPES.len()) as u64) as usize;
        match KNOBS.get(index) {
            Some(knob) => knobs[index] = rng.between(knob.low, knob.high),
            None => shapes[index - KNOBS.len()] = !shapes[index - KNOBS.len()],
        }
    }
    (knobs, shapes)
}

/// Every window edge the two policies draw, in seconds.
fn edges(policies: [&Policy; 2]) -> Vec<i64> {
    let mut edges = BTreeSet::new();
    for policy in policies {
        for window in [
            policy.claim_window(),
            policy.count_window(),
            policy.value_window(),
            policy.minor_cooldown(),
            policy.repeated_minor().window,
        ] {
            edges.insert(window.as_seconds());
        }
        for category in policy.categories() {
            edges.extend(category.claim_window.map(|w| w.as_seconds()));
            edges.extend(category.evidence_within.map(|w| w.as_seconds()));
        }
        edges.extend(policy.young_accounts().map(|y| y.younger_than.as_seconds()));
        edges.insert(86_400);
    }
    edges.into_iter().collect()
}

/// A duration of seconds: often on a window's edge or one second either side, else anywhere up
/// to 70 days.
fn seconds(rng: &mut Rng, edges: &[i64]) -> i64 {
    if rng.chance(40) {
        (rng.pick(edges) + rng.between(-1, 1)).max(0)
    } else {
        rng.between(0, 70 * 86_400)
    }
}

/// An amount: often a round number, sometimes with cents.
fn amount(rng: &mut Rng, low: i64, high: i64) -> Decimal {
    let whole = rng.between(low, high);
    if rng.chance(15) {
        Decimal::new(whole * 100 + rng.between(0, 99), 2)
    } else if rng.chance(50) {
        Decimal::from(whole / 1000 * 1000)
    } else {
        Decimal::from(whole)
    }
}

/// A random case of the compact policies' world.
fn sample(
    rng: &mut Rng,
    names: &Names,
    edges: &[i64],
    now: DateTime<FixedOffset>,
) -> (Request, Vec<PastVoucher>) {
    let ago = |seconds: i64| now - TimeDelta::seconds(seconds);
    let tier = rng.pick(&names.tiers).clone();
    let mut customer = Customer::new(CustomerId::new("C-1"), TierName::new(tier));
    if rng.chance(40) {
        customer = customer.with_since(ago(seconds(rng, edges)));
    }
    if rng.chance(15) && !names.lists.is_empty() {
        customer = customer.with_list(rng.pick(&names.lists).as_str());
    }
    let placed = ago(80 * 86_400);
    let claim = seconds(rng, edges).min(80 * 86_400);
    let order_owner = if rng.chance(4) { "C-2" } else { "C-1" };
    let total = if rng.chance(50) {
        amount(rng, 1000, 120_000)
    } else {
        amount(rng, 1000, 3_000_000)
    };
    let order = Order::new(
        OrderId::new("O-1"),
        CustomerId::new(order_owner),
        total,
        Currency::IDR,
        placed,
    );
    let category = rng.pick(&names.categories).clone();
    let mut complaint = Complaint::new(category.as_str(), placed + TimeDelta::seconds(claim));
    if category == "other" || rng.chance(15) {
        complaint = complaint.with_severity(*rng.pick(&Severity::ALL));
    }
    if rng.chance(70) {
        let at = seconds(rng, edges).min(80 * 86_400);
        complaint = complaint
            .with_evidence(Evidence::Photo)
            .with_evidence_at(placed + TimeDelta::seconds(at));
    }
    if rng.chance(12) {
        complaint = complaint.with_fault(*rng.pick(&[
            Party::Merchant,
            Party::Courier,
            Party::Platform,
            Party::Customer,
            Party::Unknown,
        ]));
    }
    if rng.chance(5) {
        complaint = complaint.with_company_at_fault(false);
    }
    let mut conduct = Conduct::new();
    if rng.chance(6) {
        conduct = conduct.with_threat(*rng.pick(&[Threat::Physical, Threat::Legal]));
    }
    if rng.chance(6) {
        conduct = conduct.with_insists_on_supervisor(true);
    }
    if rng.chance(8) {
        conduct = conduct
            .with_personal_advances(true)
            .with_warnings_given(rng.between(0, 3) as u32);
    }
    let role = if rng.chance(30) {
        "supervisor"
    } else {
        "agent"
    };
    let mut agent = Agent::new(AgentId::new("A-1")).with_role(RoleName::new(role));
    if rng.chance(15) {
        agent = agent.with_granted_today(amount(rng, 0, 1_000_000));
    }
    let mut request = Request::new(customer, order, complaint)
        .with_conduct(conduct)
        .with_agent(agent);
    if rng.chance(20) {
        request = request.with_requested_amount(amount(rng, 1000, 200_000));
    }
    let mut history = Vec::new();
    for index in 0..rng.below(7) {
        let mut voucher = PastVoucher::new(
            OrderId::new(format!("P-{index}")),
            amount(rng, 1, 150_000),
            Currency::IDR,
            ago(seconds(rng, edges)),
        );
        if rng.chance(60) {
            voucher = voucher.with_severity(if rng.chance(60) {
                Severity::Minor
            } else {
                Severity::Moderate
            });
        }
        history.push(voucher);
    }
    if rng.chance(4) {
        history.push(PastVoucher::new(
            OrderId::new("O-1"),
            Decimal::from(5000),
            Currency::IDR,
            ago(90 * 86_400),
        ));
    }
    (request, history)
}

/// The names two policies use: their tiers, categories (and one neither has), lists and roles.
struct Names {
    tiers: Vec<String>,
    categories: Vec<String>,
    lists: Vec<String>,
    roles: Vec<String>,
}

impl Names {
    fn of(policies: [&Policy; 2]) -> Names {
        let mut names = Names {
            tiers: Vec::new(),
            categories: vec!["other".to_owned()],
            lists: Vec::new(),
            roles: Vec::new(),
        };
        let add = |list: &mut Vec<String>, name: &str| {
            if !list.iter().any(|known| known == name) {
                list.push(name.to_owned());
            }
        };
        for policy in policies {
            policy
                .tiers()
                .iter()
                .for_each(|t| add(&mut names.tiers, &t.name));
            policy
                .categories()
                .iter()
                .for_each(|c| add(&mut names.categories, &c.name));
            policy
                .lists()
                .iter()
                .for_each(|l| add(&mut names.lists, &l.name));
            policy
                .roles()
                .iter()
                .for_each(|r| add(&mut names.roles, &r.name));
        }
        names
    }
}

/// Samples `samples` cases of two policies' world and checks that every kind of difference
/// between them is one the analysis found; returns how many kinds the sampling saw.
fn sample_against(
    rng: &mut Rng,
    pair: [&Policy; 2],
    found: &BTreeSet<DifferenceKind>,
    samples: u64,
    context: &str,
) -> usize {
    let now = DateTime::parse_from_rfc3339("2026-12-07T10:00:00+07:00").unwrap();
    let engines = pair.map(|policy| Engine::new(policy.clone()));
    let (edges, names) = (edges(pair), Names::of(pair));
    let mut seen = BTreeSet::new();
    for _ in 0..samples {
        let (request, history) = sample(rng, &names, &edges, now);
        let rulings =
            engines
                .each_ref()
                .map(|engine| match engine.verdict(&request, &history, now) {
                    Ok(verdict) => Ruling::of_verdict(&verdict),
                    Err(error) => Ruling::Undecidable(error.to_string()),
                });
        if let Some(kind) = DifferenceKind::between(&rulings[0], &rulings[1]) {
            seen.insert(kind);
            assert!(
                found.contains(&kind),
                "sampling found {kind} the analysis missed ({} vs {}):\n{request:?}\n{history:?}\n{context}",
                rulings[0],
                rulings[1]
            );
        }
    }
    seen.len()
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

#[test]
fn sampling_finds_no_difference_the_analysis_missed() {
    let pairs = setting("ANALYSIS_PAIRS", 12);
    let samples = setting("ANALYSIS_SAMPLES", 4_000);
    let mut rng = Rng(0x005E_ED0F_A11A_11E5);
    let (mut tried, mut sampled, mut by_sampling, mut by_analysis, mut points) = (0, 0, 0, 0, 0);
    while tried < pairs {
        let count = rng.below(3) as usize;
        let first_values = mutated(&mut rng, &base(), count);
        let count = 1 + rng.below(3) as usize;
        let second_values = mutated(&mut rng, &first_values, count);
        let (Some(first), Some(second)) = (policy(&first_values), policy(&second_values)) else {
            continue;
        };
        tried += 1;
        let comparison = first.compare(&second).unwrap();
        assert!(comparison.partial.is_empty(), "{:?}", comparison.partial);
        points += comparison.points;
        let found: BTreeSet<DifferenceKind> =
            comparison.differences.iter().map(|d| d.kind).collect();
        by_analysis += found.len();
        let context = format!("first {first_values:?}\nsecond {second_values:?}");
        by_sampling += sample_against(&mut rng, [&first, &second], &found, samples, &context);
        sampled += samples;

        if found.iter().any(|kind| kind.second_grants_more()) {
            assert!(!comparison.relation.at_least_as_strict());
        }
    }
    eprintln!(
        "analysis soundness: {tried} pairs, {points} points walked, {sampled} cases sampled; \
         kinds of difference found: {by_analysis} by the analysis, {by_sampling} by sampling, \
         0 by sampling alone"
    );
}

#[test]
fn sampling_the_example_policies_finds_nothing_the_analysis_missed() {
    let samples = setting("ANALYSIS_SAMPLES", 4_000) * 5;
    let mut rng = Rng(0x0BAD_5EED_DEC1_DE00);
    let load = |name: &str| Policy::load(format!("examples/policies/{name}.toml")).unwrap();
    for (first, second) in [("default", "strict"), ("default", "marketplace")] {
        let (first, second) = (load(first), load(second));
        let comparison = first.compare(&second).unwrap();
        let found = comparison.differences.iter().map(|d| d.kind).collect();
        let seen = sample_against(&mut rng, [&first, &second], &found, samples, first.name());
        eprintln!(
            "{} against {}: {} kinds by the analysis, {seen} by {samples} samples",
            second.name(),
            first.name(),
            found.len()
        );
    }
}

#[test]
fn one_stricter_mutation_is_found_at_least_as_strict() {
    let mut rng = Rng(0xC0FF_EE15_57A1_C7ED);
    let base_values = base();
    let base_policy = policy(&base_values).unwrap();
    let (base_knobs, shapes) = base_values;
    let mut tried = 0;
    for (index, knob) in KNOBS.iter().enumerate() {
        let Some(stricter_up) = knob.stricter_up else {
            continue;
        };
        {
            let mut values = base_knobs;
            values[index] = if stricter_up {
                rng.between(knob.base + 1, knob.high.max(knob.base + 1))
            } else {
                rng.between(knob.low.min(knob.base - 1), knob.base - 1)
            };
            let Some(stricter) = policy(&(values, shapes)) else {
                continue;
            };
            tried += 1;
            let comparison = base_policy.compare(&stricter).unwrap();
            assert!(
                comparison.relation.at_least_as_strict(),
                "{} from {} to {}: {comparison}",
                knob.name,
                knob.base,
                values[index]
            );
            let back = stricter.compare(&base_policy).unwrap();
            assert!(
                back.relation.at_least_as_generous(),
                "{} back: {back}",
                knob.name
            );
        }
    }
    assert!(tried >= 12, "{tried}");
}
