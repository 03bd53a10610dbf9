//! The decision itself: a structured case built from the fuzzer's bytes through the typed API
//! (any instant, any offset, any decimal, any text, an account age, lists, a party at fault, an
//! evidence time), decided on the default, the strict, the US-dollar, the marketplace or the
//! food-delivery example policy. Nothing may panic, and every decision must keep the promises of
//! the property tests: never above the maximum voucher (the category's own, if it sets one),
//! the largest share of the order total or (granted) the agent's authority; a refusal offers a way forward; an order in the history is never granted;
//! the same decision for the history reversed; a serde round trip gives it back.
#![no_main]

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use chrono::{DateTime, FixedOffset, TimeDelta};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use voucher_policy::{
    AddressForm, Case, Code, Complaint, Conduct, Customer, CustomerId, Decision, Engine, Evidence,
    Locale, Order, OrderId, Outcome, Party, PastVoucher, Policy, Request, Severity, Threat,
    TierName,
};

fn engines() -> &'static [Engine; 5] {
    static ENGINES: OnceLock<[Engine; 5]> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let load = |text: &str| Engine::new(Policy::from_toml_str(text).unwrap_or_default());
        [
            Engine::default(),
            load(include_str!("../../examples/policies/strict.toml")),
            load(include_str!("../../examples/policies/usd.toml")),
            load(include_str!("../../examples/policies/marketplace.toml")),
            load(include_str!("../../examples/policies/food_delivery.toml")),
        ]
    })
}

/// A `Decimal` from its raw parts: any value it can hold.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Amount {
    lo: u32,
    mid: u32,
    hi: u32,
    negative: bool,
    scale: u8,
    /// Most of the time, an ordinary amount instead: `small` units of the policy's step.
    ordinary: Option<u16>,
}

impl Amount {
    fn value(self, step: Decimal) -> Decimal {
        match self.ordinary {
            Some(units) => step * Decimal::from(units),
            None => Decimal::from_parts(
                self.lo,
                self.mid,
                self.hi,
                self.negative,
                u32::from(self.scale % 29),
            ),
        }
    }
}

/// A moment some seconds before `now`, in an offset of its own.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Before {
    seconds: u32,
    nanos: u32,
    offset_minutes: i16,
}

impl Before {
    fn at(self, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
        let at = now
            .checked_sub_signed(TimeDelta::seconds(i64::from(self.seconds)))?
            .checked_sub_signed(TimeDelta::nanoseconds(i64::from(
                self.nanos % 1_000_000_000,
            )))?;
        Some(at.with_timezone(&offset(self.offset_minutes)))
    }
}

fn offset(minutes: i16) -> FixedOffset {
    FixedOffset::east_opt(i32::from(minutes % 1_440) * 60)
        .unwrap_or(FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()))
}

#[derive(Arbitrary, Debug)]
struct Past {
    /// `None`: the order of the request itself.
    order_id: Option<String>,
    granted: Before,
    amount: Amount,
    severity: Option<u8>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    policy: u8,
    now_seconds: i64,
    now_nanos: u32,
    now_offset_minutes: i16,
    english: bool,
    formal: Option<bool>,
    customer_id: String,
    /// `None`: the customer's own order.
    order_customer_id: Option<String>,
    name: String,
    tier: u8,
    order_id: String,
    total: Amount,
    placed: Before,
    /// Seconds after placement.
    delivered_after: Option<u32>,
    /// Seconds after placement.
    reported_after: u32,
    category: u8,
    unknown_category: Option<String>,
    severity: Option<u8>,
    at_fault: Option<bool>,
    evidence: u8,
    abusive: bool,
    threat: u8,
    supervisor: bool,
    advances: bool,
    requested: Option<Amount>,
    history: Vec<Past>,
    /// When the account was made.
    since: Option<Before>,
    /// Lists of the policy the customer is on, by position.
    lists: Vec<u8>,
    fault: Option<u8>,
    /// Seconds after placement the evidence came.
    evidence_after: Option<u32>,
}

fn severity(index: u8) -> Severity {
    Severity::ALL[usize::from(index) % Severity::ALL.len()]
}

fn build(input: Input, policy: &Policy) -> Option<Case> {
    // Anywhere chrono can go, most of the time within the years 1970 to 2100.
    let now_seconds = if input.now_seconds % 4 == 0 {
        input.now_seconds
    } else {
        input.now_seconds.rem_euclid(4_102_444_800)
    };
    let now = DateTime::from_timestamp(now_seconds, input.now_nanos % 1_000_000_000)?
        .with_timezone(&offset(input.now_offset_minutes));
    let step = policy.step();
    let currency = policy.currency();
    let tier = &policy.tiers()[usize::from(input.tier) % policy.tiers().len()];
    let mut customer = Customer::new(
        CustomerId::new(input.customer_id.clone()),
        TierName::new(tier.name.clone()),
    )
    .with_name(input.name);
    if let Some(since) = input.since {
        customer = customer.with_since(since.at(now)?);
    }
    for list in input.lists {
        if let Some(list) = policy
            .lists()
            .get(usize::from(list) % policy.lists().len().max(1))
        {
            customer = customer.with_list(list.name.clone());
        }
    }
    let placed_at = input.placed.at(now)?;
    let mut order = Order::new(
        OrderId::new(input.order_id.clone()),
        CustomerId::new(input.order_customer_id.unwrap_or(input.customer_id)),
        input.total.value(step),
        currency,
        placed_at,
    );
    if let Some(after) = input.delivered_after {
        order = order
            .with_delivered_at(placed_at.checked_add_signed(TimeDelta::seconds(i64::from(after)))?);
    }
    let reported_at =
        placed_at.checked_add_signed(TimeDelta::seconds(i64::from(input.reported_after)))?;
    let category = match input.unknown_category {
        Some(name) => name,
        None => policy.categories()[usize::from(input.category) % policy.categories().len()]
            .name
            .clone(),
    };
    let mut complaint = Complaint::new(category, reported_at).with_evidence(
        [Evidence::None, Evidence::Photo, Evidence::Verified][usize::from(input.evidence % 3)],
    );
    if let Some(index) = input.severity {
        complaint = complaint.with_severity(severity(index));
    }
    if let Some(at_fault) = input.at_fault {
        complaint = complaint.with_company_at_fault(at_fault);
    }
    if let Some(party) = input.fault {
        complaint = complaint.with_fault(Party::ALL[usize::from(party) % Party::ALL.len()]);
    }
    if let Some(after) = input.evidence_after {
        complaint = complaint
            .with_evidence_at(placed_at.checked_add_signed(TimeDelta::seconds(i64::from(after)))?);
    }
    let mut conduct = Conduct::new()
        .with_abusive_language(input.abusive)
        .with_insists_on_supervisor(input.supervisor)
        .with_personal_advances(input.advances);
    if let Some(threat) =
        [None, Some(Threat::Legal), Some(Threat::Physical)][usize::from(input.threat % 3)]
    {
        conduct = conduct.with_threat(threat);
    }
    let mut request = Request::new(customer, order, complaint).with_conduct(conduct);
    if let Some(amount) = input.requested {
        request = request.with_requested_amount(amount.value(step));
    }
    if let Some(formal) = input.formal {
        request = request.with_address(if formal {
            AddressForm::Formal
        } else {
            AddressForm::Familiar
        });
    }
    if input.english {
        request = request.with_locale(Locale::EN);
    }
    let mut history = Vec::with_capacity(input.history.len());
    for past in input.history {
        let voucher = PastVoucher::new(
            OrderId::new(past.order_id.unwrap_or_else(|| input.order_id.clone())),
            past.amount.value(step),
            currency,
            past.granted.at(now)?,
        );
        history.push(match past.severity {
            Some(index) => voucher.with_severity(severity(index)),
            None => voucher,
        });
    }
    Some(Case::new(now, request, history))
}

fn merits_amount(decision: &Decision) -> Option<Decimal> {
    match decision.outcome() {
        Outcome::Escalated => decision
            .verdict()
            .recommendation()?
            .voucher()
            .map(|v| v.amount()),
        _ => decision.voucher().map(|voucher| voucher.amount()),
    }
}

fuzz_target!(|input: Input| {
    let engine = &engines()[usize::from(input.policy) % 5];
    let policy = engine.policy();
    let Some(case) = build(input, policy) else {
        return;
    };
    let Ok(decision) = engine.decide_case(&case) else {
        return;
    };
    if let Some(amount) = merits_amount(&decision) {
        let category = policy
            .categories()
            .iter()
            .find(|category| category.name == case.request().complaint().category());
        let maximum = category
            .and_then(|category| category.maximum_voucher)
            .unwrap_or(policy.maximum_voucher());
        assert!(amount <= maximum, "above the maximum: {amount}");
        let share = category
            .and_then(|category| category.maximum_share)
            .or(policy
                .maximum_share()
                .share(decision.verdict().facts().severity))
            .unwrap_or(Decimal::ONE);
        assert!(
            amount <= case.request().order().total() * share,
            "above the share of the total: {amount}"
        );
        assert!(amount > Decimal::ZERO, "a voucher of {amount}");
    }
    if let Some(voucher) = decision.voucher() {
        assert!(
            voucher.amount() <= policy.agent_authority(),
            "above the authority"
        );
    }
    if decision.outcome() == Outcome::Refused {
        assert!(
            !decision.verdict().alternatives().is_empty(),
            "a refusal without a way forward"
        );
    }
    if case
        .history()
        .iter()
        .any(|past| past.order_id() == case.request().order().id())
    {
        assert!(
            merits_amount(&decision).is_none(),
            "an order compensated twice"
        );
    }
    let wire = serde_json::to_string(&decision).unwrap_or_default();
    let mut reversed = case.history().to_vec();
    reversed.reverse();
    let again = engine
        .decide(case.request(), &reversed, case.now())
        .map(|d| serde_json::to_string(&d).unwrap_or_default());
    assert_eq!(
        again.as_ref(),
        Ok(&wire),
        "the history's order changed the decision"
    );
    let read: Result<Decision, _> = serde_json::from_str(&wire);
    assert_eq!(
        read.as_ref().ok(),
        Some(&decision),
        "the decision does not read back: {wire}"
    );
});
