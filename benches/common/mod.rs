//! Realistic compensation requests generated from a fixed seed, shared by the benchmarks, the
//! allocation test (`tests/allocations.rs`) and the peers crate (`benches/peers`), so every
//! figure and every check is about the same inputs.
//!
//! The mix follows the design's domain: mostly `regular` customers, a few `platinum`; food and
//! delivery complaints of every severity, a rare food-safety one; most orders delivered, some
//! reported after the claim window; now and then an abusive, threatening or insistent customer,
//! an order on another account, or a voucher already granted for this very order. History
//! entries spread over the past at about one voucher every two weeks (over at least 60 days), a
//! customer who complains far more than most: a few entries of a 20-entry history sit inside
//! the 7- and 30-day windows, and a long history is mostly older than every window.
//! [`HistoryLen::Recent`] packs every entry into the last 30 days instead, the worst case.
//! Every generated request is valid: the default policy decides it without an error.
//!
//! The generator is a SplitMix64 stream: ten lines that give the same inputs on every machine
//! and every version, forever, which a general-purpose RNG crate does not promise.
#![allow(dead_code)]
// Like a test, the generator stops loudly on a broken setup (wherever it is included from).
#![allow(clippy::expect_used, clippy::indexing_slicing)]

use chrono::{DateTime, FixedOffset, TimeDelta};
use rust_decimal::Decimal;
use voucher_policy::{
    AddressForm, Agent, AgentId, Case, Complaint, Conduct, Currency, Customer, CustomerId,
    Evidence, Locale, Order, OrderId, Party, PastVoucher, Request, RoleName, Severity, Threat,
    TierName,
};

/// The seed every figure of `BENCHMARKS.md` is measured with.
pub const SEED: u64 = 0x5EED_2026_1124;

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast, well-mixed 64-bit generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A stream starting at `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0); the modulo bias is far below anything a benchmark sees.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as u64) as i64
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `choices`, each as likely as its weight.
    pub fn weighted<T: Copy>(&mut self, choices: &[(T, u64)]) -> T {
        let total: u64 = choices.iter().map(|(_, weight)| weight).sum();
        let mut roll = self.below(total);
        for &(choice, weight) in choices {
            if roll < weight {
                return choice;
            }
            roll -= weight;
        }
        choices[choices.len() - 1].0
    }
}

/// How long the generated histories are.
#[derive(Debug, Clone, Copy)]
pub enum HistoryLen {
    /// Every history has exactly this many entries.
    Exactly(usize),
    /// Each history has from 0 to this many entries.
    UpTo(usize),
    /// Every history has exactly this many entries, all granted in the last 30 days: every
    /// entry is inside the value window, the dearest kind to measure.
    Recent(usize),
}

/// `count` requests from `seed`, each with its history and its `now`.
pub fn cases(seed: u64, count: usize, history: HistoryLen) -> Vec<Case> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|index| case(&mut rng, index, history))
        .collect()
}

/// The requests of `cases` with the inputs of the optional policy shapes added, for
/// `examples/policies/marketplace.toml`: every customer's account age (one in ten under 30
/// days), one in twenty on the review list and one in twenty on the service-recovery list, the
/// party at fault of most complaints, when the evidence came for those that have some, and the
/// conduct of a conversation past a warning, with a gift offered or the agent's details asked,
/// and now and then the agent deciding, near the end of their daily budget or a supervisor.
pub fn with_shapes(seed: u64, cases: Vec<Case>) -> Vec<Case> {
    let mut rng = Rng::new(seed ^ 0x05A4_E5E5);
    cases
        .into_iter()
        .map(|case| {
            let (now, request, history) = case.into_parts();
            let ago = |seconds: i64| now - TimeDelta::seconds(seconds);
            let age = if rng.chance(10) {
                rng.between(0, 30 * DAY)
            } else {
                rng.between(30 * DAY, 1_500 * DAY)
            };
            let mut customer = request.customer().clone().with_since(ago(age));
            if let Some(list) = rng.weighted(&[
                (None, 90),
                (Some("review"), 5),
                (Some("service_recovery"), 5),
            ]) {
                customer = customer.with_list(list);
            }
            let order = request.order().clone();
            let mut complaint = request.complaint().clone();
            if let Some(party) = rng.weighted(&[
                (Some(Party::Merchant), 35),
                (Some(Party::Courier), 30),
                (Some(Party::Platform), 10),
                (Some(Party::Customer), 5),
                (None, 20),
            ]) {
                complaint = complaint.with_fault(party);
            }
            if complaint.evidence() != Evidence::None {
                let start = order.delivered_at().unwrap_or(order.placed_at());
                let at = (start + TimeDelta::seconds(rng.between(0, 96 * HOUR))).min(now);
                complaint = complaint.with_evidence_at(at);
            }
            // Now and then a conversation past a warning, a gift, a question about the agent.
            let conduct = request
                .conduct()
                .with_warnings_given(u32::from(rng.chance(20)))
                .with_offers_gift(rng.chance(3))
                .with_asks_personal_info(rng.chance(3));
            let mut shaped = Request::new(customer, order, complaint).with_conduct(conduct);
            if let Some(locale) = request.locale() {
                shaped = shaped.with_locale(locale);
            }
            if let Some(address) = request.address() {
                shaped = shaped.with_address(address);
            }
            if let Some(amount) = request.requested_amount() {
                shaped = shaped.with_requested_amount(amount);
            }
            // One in ten decided by a named agent, some near the end of their daily budget,
            // some by a supervisor.
            if rng.chance(10) {
                let role = if rng.chance(20) {
                    "supervisor"
                } else {
                    "agent"
                };
                shaped = shaped.with_agent(
                    Agent::new(AgentId::new(format!("A-{}", rng.below(50))))
                        .with_role(RoleName::new(role))
                        .with_granted_today(rng.between(0, 40) * 25_000),
                );
            }
            Case::new(now, shaped, history)
        })
        .collect()
}

/// The same requests as JSON Lines of the wire contract, one line each.
pub fn json_lines(cases: &[Case]) -> Vec<String> {
    cases
        .iter()
        .map(|case| serde_json::to_string(case).expect("a case serializes"))
        .collect()
}

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

const TIERS: &[(&str, u64)] = &[
    ("new", 15),
    ("regular", 40),
    ("silver", 20),
    ("gold", 15),
    ("platinum", 10),
];

const CATEGORIES: &[(&str, u64)] = &[
    ("food_not_hot", 16),
    ("slow_website", 6),
    ("packaging", 8),
    ("late_delivery", 18),
    ("missing_item", 14),
    ("rude_courier", 6),
    ("wrong_item", 12),
    ("damaged_item", 10),
    ("order_not_received", 8),
    ("food_safety", 2),
];

const NAMES: &[&str] = &[
    "Budi Santoso",
    "Sari Dewi",
    "Agus Wijaya",
    "Putri Lestari",
    "Rizky Pratama",
    "Nur Aini",
    "Dimas Saputra",
    "Wayan Sudarsana",
    "Ayu",
    "",
];

fn case(rng: &mut Rng, index: usize, history: HistoryLen) -> Case {
    // A year of moments, in the offsets an Indonesian service sees (WIB, WITA, WIT, UTC).
    let offset_hours = rng.weighted(&[(7, 70), (8, 15), (9, 5), (0, 10)]);
    let offset = FixedOffset::east_opt(offset_hours * 3_600).expect("a valid offset");
    let base = DateTime::parse_from_rfc3339("2026-01-01T00:00:00+07:00").expect("RFC 3339");
    let now = (base + TimeDelta::seconds(rng.between(0, 365 * DAY))).with_timezone(&offset);
    let ago = |seconds: i64| now - TimeDelta::seconds(seconds);

    let customer_id = CustomerId::new(format!("C-{}", 1_000 + rng.below(90_000)));
    let name = NAMES[rng.below(NAMES.len() as u64) as usize];
    let tier = rng.weighted(TIERS);
    // A customer whose name the chatbot does not know is greeted without one.
    let customer = match name {
        "" => Customer::new(customer_id.clone(), TierName::new(tier)),
        name => Customer::new(customer_id.clone(), TierName::new(tier)).with_name(name),
    };

    // Order ids of one shop have one format: six digits, in history too.
    let order_id = format!("{}", 100_000 + (index as u64 * 7 + rng.below(7)) % 900_000);
    let owner = if rng.chance(3) {
        CustomerId::new(format!("C-{}", 1_000 + rng.below(90_000)))
    } else {
        customer_id
    };
    let total = Decimal::from(rng.between(20, 1_200) * 500);
    let placed_ago = rng.between(HOUR, 5 * DAY);
    let order = Order::new(
        OrderId::new(order_id.clone()),
        owner,
        total,
        Currency::IDR,
        ago(placed_ago),
    );
    let (order, claim_from_ago) = if rng.chance(85) {
        let delivered_ago = (placed_ago - rng.between(20 * 60, 3 * HOUR)).max(0);
        (order.with_delivered_at(ago(delivered_ago)), delivered_ago)
    } else {
        (order, placed_ago)
    };

    let category = rng.weighted(CATEGORIES);
    let mut complaint = Complaint::new(category, ago(rng.between(0, claim_from_ago)));
    if rng.chance(15) {
        complaint = complaint.with_severity(rng.weighted(&[
            (Severity::Minor, 30),
            (Severity::Moderate, 35),
            (Severity::Major, 30),
            (Severity::Critical, 5),
        ]));
    }
    if let Some(at_fault) = rng.weighted(&[(Some(true), 70), (None, 22), (Some(false), 8)]) {
        complaint = complaint.with_company_at_fault(at_fault);
    }
    let complaint = complaint.with_evidence(rng.weighted(&[
        (Evidence::None, 50),
        (Evidence::Photo, 35),
        (Evidence::Verified, 15),
    ]));

    let mut conduct = Conduct::new().with_abusive_language(rng.chance(5));
    if let Some(threat) = rng.weighted(&[
        (None, 97),
        (Some(Threat::Legal), 2),
        (Some(Threat::Physical), 1),
    ]) {
        conduct = conduct.with_threat(threat);
    }
    let conduct = conduct
        .with_insists_on_supervisor(rng.chance(4))
        .with_personal_advances(rng.chance(2));

    let mut request = Request::new(customer, order, complaint).with_locale(if rng.chance(70) {
        Locale::ID
    } else {
        Locale::EN
    });
    // Most requests leave the form of address to the catalog's default.
    if let Some(address) = rng.weighted(&[
        (None, 70),
        (Some(AddressForm::Familiar), 15),
        (Some(AddressForm::Formal), 15),
    ]) {
        request = request.with_address(address);
    }
    request = request.with_conduct(conduct);
    if rng.chance(30) {
        request = request.with_requested_amount(rng.between(10, 400) * 500);
    }

    let (len, span) = match history {
        HistoryLen::Exactly(len) => (len, (len as i64 * 14).max(60) * DAY),
        HistoryLen::UpTo(most) => {
            let len = rng.below(most as u64 + 1) as usize;
            (len, (len as i64 * 14).max(60) * DAY)
        }
        HistoryLen::Recent(len) => (len, 30 * DAY),
    };
    let already_compensated = len > 0 && rng.chance(2);
    let history = (0..len)
        .map(|entry| {
            let past_order = if already_compensated && entry == 0 {
                order_id.clone()
            } else {
                format!("{}", 100_000 + rng.below(900_000))
            };
            // Mostly small vouchers, now and then a large one.
            let amount = if rng.chance(85) {
                rng.between(5, 40) * 1_000
            } else {
                rng.between(40, 150) * 1_000
            };
            let granted_at = ago(rng.between(0, span - 1));
            // Backends often store history in UTC.
            let granted_at = if rng.chance(50) {
                granted_at.with_timezone(&FixedOffset::east_opt(0).expect("UTC"))
            } else {
                granted_at
            };
            let past =
                PastVoucher::new(OrderId::new(past_order), amount, Currency::IDR, granted_at);
            match rng.weighted(&[
                (Some(Severity::Minor), 35),
                (Some(Severity::Moderate), 30),
                (Some(Severity::Major), 20),
                (None, 15),
            ]) {
                Some(severity) => past.with_severity(severity),
                None => past,
            }
        })
        .collect();
    Case::new(now, request, history)
}

/// An endless round of `items`, one at a time, so a benchmark sees the whole mix of outcomes
/// rather than one request over and over.
pub fn round<'a, T>(items: &'a [T]) -> impl FnMut() -> &'a T + 'a {
    let mut next = 0;
    move || {
        let item = &items[next % items.len()];
        next = next.wrapping_add(1);
        item
    }
}
