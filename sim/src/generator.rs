//! Realistic request logs from a fixed seed, for trying a policy before real traffic exists and
//! for benchmarks.

use std::collections::VecDeque;

use chrono::{DateTime, Datelike, FixedOffset, TimeDelta, Weekday};
use rust_decimal::Decimal;

use super::LogEntry;
use super::random::{SplitMix64, mix, weighted_index};
use voucher_policy::{
    Complaint, Conduct, Currency, Customer, CustomerId, Evidence, Order, OrderId, Request,
    Severity, Threat, TierName,
};

/// The shape of the traffic a [`LogGenerator`] produces.
///
/// ```
/// use voucher_policy_sim::{LogGenerator, TrafficShape};
///
/// let mut shape = TrafficShape::default();
/// shape.customers = 2_000;
/// shape.requests_per_day = 500;
/// let log: Vec<_> = LogGenerator::with_shape(7, shape).take(1_000).collect();
/// assert_eq!(log.len(), 1_000);
/// assert!(log.windows(2).all(|pair| pair[0].now <= pair[1].now));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TrafficShape {
    /// How many customers the requests come from (at least 1). 5% of them are frequent
    /// complainers and send 30% of the requests.
    pub customers: u32,
    /// The average number of requests on an ordinary weekday (at least 1); weekends bring 20%
    /// more, a bad-weather day 50% more.
    pub requests_per_day: u32,
    /// The first moment of the log, normally a local midnight; the log stays in its offset.
    pub start: DateTime<FixedOffset>,
}

impl Default for TrafficShape {
    /// 500,000 customers, 20,000 requests a weekday, starting 2026-11-02 00:00 in UTC+07:00.
    fn default() -> Self {
        let start = DateTime::parse_from_rfc3339("2026-11-02T00:00:00+07:00")
            .unwrap_or_else(|_| DateTime::<chrono::Utc>::UNIX_EPOCH.fixed_offset());
        TrafficShape {
            customers: 500_000,
            requests_per_day: 20_000,
            start,
        }
    }
}

/// An endless, time-ordered stream of compensation requests in the default policy's vocabulary
/// (its tiers, its categories, IDR), the same for the same seed and shape on every machine.
///
/// The traffic is meant to look like a food-delivery company's support queue:
///
/// - **customers**: loyalty tiers in the proportions new 30%, regular 35%, silver 18%, gold 12%,
///   platinum 5%; most complain rarely about anything, while 5% complain often, mostly about
///   small things (`food_not_hot`, `slow_website`), and send 30% of the requests;
/// - **bursts**: a lunch peak and a larger evening peak (18:00 to 21:00), 20% more traffic at
///   weekends, and bad-weather days (about one in twelve) with half as much traffic again and
///   many late deliveries;
/// - **the awkward cases**: a few threats (legal and physical), abusive language, demands for a
///   supervisor, personal advances, food-safety complaints; orders quoted from another account;
///   complaints about an order that was already complained about; complaints after the claim
///   window; amounts asked for; undelivered orders.
///
/// Every request is readable and decidable by the default policy. Customers and their tiers are
/// derived from the seed, so the generator keeps no state per customer: generating ten million
/// requests takes as little memory as generating ten.
///
/// ```
/// use voucher_policy_sim::LogGenerator;
///
/// let first: Vec<_> = LogGenerator::new(7).take(3).collect();
/// let again: Vec<_> = LogGenerator::new(7).take(3).collect();
/// assert_eq!(first, again);
/// ```
#[derive(Debug, Clone)]
pub struct LogGenerator {
    rng: SplitMix64,
    seed: u64,
    shape: TrafficShape,
    /// Customers `0..frequent` are the frequent complainers.
    frequent: u64,
    /// The multiplier that turns a customer's number into an account number, a bijection on
    /// `0..customers`.
    scatter: u64,
    day: i64,
    day_start: Option<DateTime<FixedOffset>>,
    day_volume: u64,
    bad_weather: bool,
    hour: i64,
    slot: u64,
    slots: u64,
    next_order: u64,
    recent: VecDeque<PastOrder>,
}

/// An order complained about earlier, kept to be complained about again.
#[derive(Debug, Clone, Copy)]
struct PastOrder {
    customer: u64,
    owner: u64,
    number: u64,
    total: Decimal,
    placed_at: DateTime<FixedOffset>,
    delivered_at: Option<DateTime<FixedOffset>>,
    category: &'static str,
}

/// Relative request volume for each hour of the local day: quiet nights, a lunch peak and a
/// larger evening peak.
const HOUR_WEIGHTS: [u64; 24] = [
    6, 4, 2, 2, 2, 4, 10, 25, 35, 35, 45, 80, 95, 70, 40, 35, 40, 60, 95, 110, 100, 70, 35, 15,
];

const TIERS: [&str; 5] = ["new", "regular", "silver", "gold", "platinum"];
const TIER_WEIGHTS: [u64; 5] = [30, 35, 18, 12, 5];

const CATEGORIES: [&str; 10] = [
    "food_not_hot",
    "slow_website",
    "packaging",
    "late_delivery",
    "missing_item",
    "rude_courier",
    "wrong_item",
    "damaged_item",
    "order_not_received",
    "food_safety",
];
/// Per ten thousand, in the order of [`CATEGORIES`]: what most customers complain about.
const USUAL_CATEGORIES: [u64; 10] = [1500, 700, 800, 2500, 1500, 470, 1000, 800, 700, 30];
/// What the frequent complainers complain about: mostly small things.
const FREQUENT_CATEGORIES: [u64; 10] = [4500, 3500, 500, 800, 400, 0, 150, 100, 50, 0];
const LATE_DELIVERY: usize = 3;

const FIRST_NAMES: [&str; 20] = [
    "Budi", "Sari", "Agus", "Dewi", "Rina", "Andi", "Putri", "Joko", "Wati", "Eko", "Siti",
    "Rizky", "Ayu", "Dimas", "Fitri", "Hendra", "Indah", "Yusuf", "Maya", "Bayu",
];
const LAST_NAMES: [&str; 16] = [
    "Santoso",
    "Wulandari",
    "Pratama",
    "Saputra",
    "Hidayat",
    "Lestari",
    "Nugroho",
    "Kusuma",
    "Siregar",
    "Wijaya",
    "Halim",
    "Tan",
    "Gunawan",
    "Purnomo",
    "Sihombing",
    "Rahman",
];

impl LogGenerator {
    /// A generator with the default [`TrafficShape`].
    pub fn new(seed: u64) -> Self {
        LogGenerator::with_shape(seed, TrafficShape::default())
    }

    /// A generator of traffic of the given shape.
    pub fn with_shape(seed: u64, shape: TrafficShape) -> Self {
        let shape = TrafficShape {
            customers: shape.customers.max(1),
            requests_per_day: shape.requests_per_day.max(1),
            start: shape.start,
        };
        let customers = u64::from(shape.customers);
        // Two primes: `customers` (a u32) cannot be a multiple of both.
        let scatter = if customers % 1_000_003 == 0 {
            999_983
        } else {
            1_000_003
        };
        LogGenerator {
            rng: SplitMix64::new(seed),
            seed,
            shape,
            frequent: customers * 5 / 100,
            scatter,
            day: -1,
            day_start: None,
            day_volume: 0,
            bad_weather: false,
            hour: 23,
            slot: 0,
            slots: 0,
            next_order: 1,
            recent: VecDeque::with_capacity(RECENT),
        }
    }

    /// The shape of the traffic.
    pub fn shape(&self) -> &TrafficShape {
        &self.shape
    }

    /// Moves to the next hour with any requests in it; `None` when the calendar runs out.
    fn next_hour(&mut self) -> Option<()> {
        while self.slot >= self.slots {
            self.hour += 1;
            if self.hour == 24 {
                self.hour = 0;
                self.start_day()?;
            }
            let expected_milli =
                self.day_volume * 1000 * hour_weight(self.hour) / HOUR_WEIGHTS.iter().sum::<u64>();
            self.slots =
                expected_milli / 1000 + u64::from(self.rng.below(1000) < expected_milli % 1000);
            self.slot = 0;
        }
        Some(())
    }

    fn start_day(&mut self) -> Option<()> {
        self.day += 1;
        let start = self
            .shape
            .start
            .checked_add_signed(TimeDelta::try_days(self.day)?)?;
        self.day_start = Some(start);
        self.bad_weather = self.rng.chance(80);
        let weekend = matches!(start.weekday(), Weekday::Sat | Weekday::Sun);
        let mut volume = u64::from(self.shape.requests_per_day) * self.rng.between(900, 1100);
        if weekend {
            volume = volume * 12 / 10;
        }
        if self.bad_weather {
            volume = volume * 15 / 10;
        }
        self.day_volume = volume / 1000;
        Some(())
    }

    /// The moment of the next request.
    fn next_moment(&mut self) -> Option<DateTime<FixedOffset>> {
        self.next_hour()?;
        // Slot `i` of `k` lies in [i/k, (i+1)/k) of the hour, so moments never go back.
        let offset = (self.slot * 3_600 + self.rng.below(3_600)) / self.slots.max(1);
        self.slot += 1;
        let seconds = self.hour * 3_600 + i64::try_from(offset).ok()?;
        self.day_start?
            .checked_add_signed(TimeDelta::try_seconds(seconds)?)
    }

    fn request(&mut self, now: DateTime<FixedOffset>) -> Option<LogEntry> {
        if self.rng.chance(15) && !self.recent.is_empty() {
            let index = self.rng.below(self.recent.len() as u64) as usize;
            if let Some(past) = self.recent.get(index).copied() {
                return self.complaint_about(now, past, past.customer < self.frequent);
            }
        }
        let frequent = self.frequent > 0 && self.rng.chance(300);
        let customer = if frequent {
            self.rng.below(self.frequent)
        } else {
            self.frequent
                + self
                    .rng
                    .below(u64::from(self.shape.customers) - self.frequent)
        };
        let weights = if frequent {
            &FREQUENT_CATEGORIES
        } else {
            &USUAL_CATEGORIES
        };
        let mut category = self.rng.weighted(weights);
        if self.bad_weather && self.rng.chance(400) {
            category = LATE_DELIVERY;
        }
        let category = CATEGORIES.get(category).copied().unwrap_or("late_delivery");

        let decision_lag = self.seconds(60, 1_800)?;
        let reported_at = now.checked_sub_signed(decision_lag)?;
        // Most complaints come within hours of delivery, some the next day, a few too late.
        let report_lag = match self.rng.weighted(&[850, 120, 30]) {
            0 => self.seconds(0, 6 * 3_600)?,
            1 => self.seconds(6 * 3_600, 40 * 3_600)?,
            _ => self.seconds(49 * 3_600, 5 * 86_400)?,
        };
        let (placed_at, delivered_at) = if category == "order_not_received" {
            (
                reported_at.checked_sub_signed(self.seconds(3_600, 4 * 3_600)?)?,
                None,
            )
        } else {
            let delivered_at = reported_at.checked_sub_signed(report_lag)?;
            let ride = self.seconds(20 * 60, 90 * 60)?;
            (delivered_at.checked_sub_signed(ride)?, Some(delivered_at))
        };
        let total = match self.rng.weighted(&[600, 300, 100]) {
            0 => self.rng.between(40, 240),
            1 => self.rng.between(240, 800),
            _ => self.rng.between(800, 3_000),
        } * 500;
        // A few quote an order of someone else's account.
        let owner = if self.rng.chance(5) {
            self.rng.below(u64::from(self.shape.customers))
        } else {
            customer
        };
        let past = PastOrder {
            customer,
            owner,
            number: self.next_order,
            total: Decimal::from(total),
            placed_at,
            delivered_at,
            category,
        };
        self.next_order += 1;
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(past);
        self.complaint_about(now, past, frequent)
    }

    /// A request about `order`, decided at `now`.
    fn complaint_about(
        &mut self,
        now: DateTime<FixedOffset>,
        order: PastOrder,
        frequent: bool,
    ) -> Option<LogEntry> {
        let reported_at = now
            .checked_sub_signed(self.seconds(60, 1_800)?)?
            .max(order.delivered_at.unwrap_or(order.placed_at));
        let traits = mix(self.seed ^ mix(order.customer.wrapping_add(1)));
        let tier = TIERS
            .get(weighted_index(traits % 100, &TIER_WEIGHTS))
            .copied()
            .unwrap_or("regular");
        let first = FIRST_NAMES
            .get(((traits >> 8) % FIRST_NAMES.len() as u64) as usize)
            .copied()
            .unwrap_or("Budi");
        let last = LAST_NAMES
            .get(((traits >> 16) % LAST_NAMES.len() as u64) as usize)
            .copied()
            .unwrap_or("Santoso");
        let customer = Customer::new(
            CustomerId::new(self.account(order.customer)),
            TierName::new(tier),
        )
        .with_name(format!("{first} {last}"));
        let placed = Order::new(
            OrderId::new(format!("O-{:09}", order.number)),
            CustomerId::new(self.account(order.owner)),
            order.total,
            Currency::IDR,
            order.placed_at,
        );
        let placed = match order.delivered_at {
            Some(delivered_at) => placed.with_delivered_at(delivered_at),
            None => placed,
        };

        let complaint = Complaint::new(order.category, reported_at);
        let major = matches!(
            order.category,
            "wrong_item" | "damaged_item" | "order_not_received"
        );
        let mut complaint = complaint.with_evidence(
            match self.rng.weighted(if major {
                &[250, 600, 150]
            } else {
                &[700, 200, 100]
            }) {
                0 => Evidence::None,
                1 => Evidence::Photo,
                _ => Evidence::Verified,
            },
        );
        match self.rng.weighted(&[750, 200, 50]) {
            0 => complaint = complaint.with_company_at_fault(true),
            1 => {}
            _ => complaint = complaint.with_company_at_fault(false),
        }
        // Now and then the agent sets the severity by hand.
        if self.rng.chance(20) {
            if let Some(severity) = Severity::ALL.get(self.rng.below(3) as usize) {
                complaint = complaint.with_severity(*severity);
            }
        }

        let threat = match self.rng.below(10_000) {
            0..5 => Some(Threat::Physical),
            5..35 => Some(Threat::Legal),
            _ => None,
        };
        let mut conduct =
            Conduct::new().with_abusive_language(self.rng.chance(if frequent { 40 } else { 15 }));
        if let Some(threat) = threat {
            conduct = conduct.with_threat(threat);
        }
        let conduct = conduct
            .with_insists_on_supervisor(self.rng.chance(10))
            .with_personal_advances(self.rng.chance(3));
        let mut request = Request::new(customer, placed, complaint).with_conduct(conduct);
        if self.rng.chance(150) {
            request = request.with_requested_amount(self.rng.between(2, 40) * 5_000);
        }
        Some(LogEntry::new(now, request))
    }

    /// The account id of customer number `customer`: scattered, so the frequent complainers
    /// are not the lowest numbers.
    fn account(&self, customer: u64) -> String {
        let customers = u64::from(self.shape.customers);
        let number = (u128::from(customer) * u128::from(self.scatter)) % u128::from(customers);
        format!("C-{:07}", number + 1)
    }

    /// A random length of time between `low` and `high` seconds.
    fn seconds(&mut self, low: u64, high: u64) -> Option<TimeDelta> {
        TimeDelta::try_seconds(i64::try_from(self.rng.between(low, high)).ok()?)
    }
}

/// How many earlier orders are kept to be complained about again.
const RECENT: usize = 64;

/// The weight of an hour of the day.
fn hour_weight(hour: i64) -> u64 {
    usize::try_from(hour)
        .ok()
        .and_then(|hour| HOUR_WEIGHTS.get(hour))
        .copied()
        .unwrap_or(0)
}

impl Iterator for LogGenerator {
    type Item = LogEntry;

    fn next(&mut self) -> Option<LogEntry> {
        let now = self.next_moment()?;
        self.request(now)
    }
}
