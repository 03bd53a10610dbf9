//! A reference model of any policy, every optional shape included (several limits per tier,
//! young accounts, caps relative to the order, per-category rules, evidence deadlines, fault
//! parties, customer lists), written from DESIGN.md and the policy documentation and nothing
//! else: plain, slow, obviously correct.
//!
//! Like `reference.rs`, it shares no code with the engine: it reads the policy through its
//! public fields and accessors and the case through its public getters, and answers in plain
//! strings. Money is exact integer arithmetic in millionths (no `rust_decimal` operation but
//! reading a value's digits); every window is the design's comparison `now - W < t <= now`.

use chrono::{DateTime, FixedOffset, TimeDelta};
use rust_decimal::Decimal;
use voucher_policy::{
    Alternative, Case, Code, Evidence, EvidenceRule, Party, Policy, Reason, ReasonKind, Severity,
    Threat, TierLimit, Window,
};

use crate::reference::exact::{places, ten_to};
use crate::reference::in_window;

/// What the model decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// `granted`, `refused` or `escalated`.
    pub outcome: &'static str,
    /// Every reason, in the order of `Reason::ALL`.
    pub reasons: Vec<&'static str>,
    pub escalate_to: Option<&'static str>,
    pub flags: Vec<&'static str>,
    pub alternatives: Vec<&'static str>,
    /// The recommendation's outcome (`granted` or `refused`), for escalations.
    pub recommendation: Option<&'static str>,
    /// The voucher granted, or recommended for an escalation, in millionths of the currency.
    pub amount: Option<i128>,
    /// When a granted or recommended voucher expires.
    pub valid_until: Option<DateTime<FixedOffset>>,
    /// Who bears the cost of the voucher, when the request names the party at fault.
    pub cost_borne_by: Option<&'static str>,
    /// When a refusal by a limit from the history lifts.
    pub next_eligible_at: Option<DateTime<FixedOffset>>,
    /// When an escalated case will have been followed up.
    pub follow_up_by: Option<DateTime<FixedOffset>>,
}

/// The largest amount a request may carry.
const LARGEST_AMOUNT: i128 = 1_000_000_000_000_000;

/// An amount of at most six places in millionths, exactly.
pub fn micro(amount: Decimal) -> i128 {
    let scale = amount.scale();
    assert!(
        scale <= 6 || amount.mantissa() % ten_to(scale - 6) == 0,
        "{amount} in millionths"
    );
    if scale <= 6 {
        amount.mantissa() * ten_to(6 - scale)
    } else {
        amount.mantissa() / ten_to(scale - 6)
    }
}

/// A factor (rate, multiplier, share) as a fraction.
fn fraction(factor: Decimal) -> (i128, i128) {
    (factor.mantissa(), ten_to(factor.scale()))
}

/// The policy's currency's decimal places (four for a currency without minor units).
fn currency_places(policy: &Policy) -> u32 {
    policy.currency().minor_units().unwrap_or(4)
}

/// Whether an amount is one a request may carry: positive, no more places than the currency
/// has, at most 10^15.
fn carried(policy: &Policy, amount: Decimal) -> bool {
    amount.mantissa() > 0
        && places(amount) <= currency_places(policy)
        && amount.mantissa() <= LARGEST_AMOUNT * ten_to(amount.scale())
}

fn seconds(window: Window) -> i64 {
    window.as_seconds()
}

/// The fields a case cannot be decided for on `policy`.
pub fn faults(policy: &Policy, case: &Case) -> Vec<String> {
    let request = case.request();
    let order = request.order();
    let complaint = request.complaint();
    let customer = request.customer();
    let now = case.now();
    let mut faults = Vec::new();
    let bad_text = |text: &str| {
        text.trim().is_empty()
            || text
                .chars()
                .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
    };
    for (field, text) in [
        ("customer.id", Some(customer.id().as_str())),
        ("customer.name", customer.name()),
        ("order.id", Some(order.id().as_str())),
        ("order.customer_id", Some(order.customer_id().as_str())),
        ("complaint.category", Some(complaint.category())),
    ] {
        if text.is_some_and(bad_text) {
            faults.push(field.to_owned());
        }
    }
    if request
        .locale()
        .is_some_and(|locale| !["id", "en"].contains(&locale.as_str()))
    {
        faults.push("locale".to_owned());
    }
    if policy.tier(customer.loyalty().as_str()).is_none() {
        faults.push("customer.loyalty".to_owned());
    }
    let category = policy
        .categories()
        .iter()
        .find(|category| category.name == complaint.category());
    if complaint.severity().is_none() && category.is_none() {
        faults.push("complaint.category".to_owned());
    }
    if order.currency() != policy.currency() {
        faults.push("order.currency".to_owned());
    }
    let below_a_step = |amount: Decimal| micro(amount) < micro(policy.step());
    let amount_fault = |amount: Decimal| !carried(policy, amount) || below_a_step(amount);
    if amount_fault(order.total()) {
        faults.push("order.total".to_owned());
    }
    if request.requested_amount().is_some_and(amount_fault) {
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
    let reported_at = complaint.reported_at();
    if reported_at > now || reported_at < order.placed_at() {
        faults.push("complaint.reported_at".to_owned());
    }
    // Evidence with a deadline needs its time; no time may be after now.
    let deadline = category.and_then(|category| category.evidence_within);
    match complaint.evidence_at() {
        Some(at) if at > now => faults.push("complaint.evidence_at".to_owned()),
        None if deadline.is_some() && complaint.evidence() != Evidence::None => {
            faults.push("complaint.evidence_at".to_owned());
        }
        _ => {}
    }
    if customer.since().is_some_and(|since| since > now) {
        faults.push("customer.since".to_owned());
    }
    for (index, list) in customer.lists().iter().enumerate() {
        if !policy.lists().iter().any(|known| known.name == *list) {
            faults.push(format!("customer.lists[{index}]"));
        }
    }
    for (index, past) in case.history().iter().enumerate() {
        if past.currency() != policy.currency() {
            faults.push(format!("history[{index}].currency"));
        }
        if !carried(policy, past.amount()) {
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

/// The more serious of two escalation targets: security, then legal, then a supervisor.
fn more_serious(a: &'static str, b: &'static str) -> &'static str {
    let rank = |target: &str| match target {
        "security" => 0,
        "legal" => 1,
        _ => 2,
    };
    if rank(b) < rank(a) { b } else { a }
}

/// Who bears the cost of a fault: the policy's table, or by default the party at fault (the
/// platform for an unknown fault or the customer's).
fn cost_bearer(policy: &Policy, fault: Party) -> &'static str {
    let listed = policy
        .fault()
        .cost_borne_by
        .iter()
        .find(|(party, _)| *party == fault)
        .map(|(_, bearer)| *bearer);
    match listed {
        Some(bearer) => bearer.as_str(),
        None => match fault {
            Party::Unknown | Party::Customer => "platform",
            party => party.as_str(),
        },
    }
}

/// Decides a case on `policy`, or lists the fields it cannot be decided for.
pub fn decide(policy: &Policy, case: &Case) -> Result<Expected, Vec<String>> {
    let faults = faults(policy, case);
    if !faults.is_empty() {
        return Err(faults);
    }
    let request = case.request();
    let order = request.order();
    let complaint = request.complaint();
    let customer = request.customer();
    let conduct = request.conduct();
    let now = case.now();
    let history = case.history();
    let tier = policy
        .tier(customer.loyalty().as_str())
        .expect("a known tier");
    let category = policy
        .categories()
        .iter()
        .find(|category| category.name == complaint.category());
    let severity = complaint
        .severity()
        .or(category.map(|category| category.severity))
        .expect("a severity");
    let lists: Vec<_> = customer
        .lists()
        .iter()
        .filter_map(|name| policy.lists().iter().find(|list| list.name == *name))
        .collect();
    let mut fired: Vec<Reason> = Vec::new();

    // 1. Safety and conduct, and the lists that hand a customer to someone.
    if conduct.threat() == Some(Threat::Physical) {
        fired.push(Reason::PhysicalThreat);
    }
    if conduct.threat() == Some(Threat::Legal) {
        fired.push(Reason::LegalThreat);
    }
    if severity == Severity::Critical {
        fired.push(Reason::CriticalComplaint);
    }
    if conduct.insists_on_supervisor() {
        fired.push(Reason::SupervisorRequested);
    }
    let listed_to = lists
        .iter()
        .filter_map(|list| list.escalate_to)
        .map(|target| target.as_str())
        .reduce(more_serious);
    // Past the policy's warnings, abuse closes the conversation and advances escalate.
    let warned = conduct.warnings_given() >= policy.conduct().warnings_before_close;
    if listed_to.is_some() {
        fired.push(Reason::CustomerListed);
    }
    if conduct.abusive_language() {
        fired.push(if warned {
            Reason::RepeatedAbusiveLanguage
        } else {
            Reason::AbusiveLanguage
        });
    }
    if conduct.personal_advances() {
        fired.push(if warned {
            Reason::PersistentPersonalAdvances
        } else {
            Reason::PersonalAdvances
        });
    }
    if conduct.offers_gift() {
        fired.push(Reason::GiftOffered);
    }
    if conduct.asks_personal_info() {
        fired.push(Reason::PersonalInformationRequested);
    }

    // 2. Verification, in the category's own claim window if it has one.
    if order.customer_id() != customer.id() {
        fired.push(Reason::OrderCustomerMismatch);
    }
    if history.iter().any(|past| past.order_id() == order.id()) {
        fired.push(Reason::OrderAlreadyCompensated);
    }
    let claim_start = order.delivered_at().unwrap_or(order.placed_at());
    let claim_window = category
        .and_then(|category| category.claim_window)
        .unwrap_or(policy.claim_window());
    if complaint.reported_at() - claim_start > TimeDelta::seconds(seconds(claim_window)) {
        fired.push(Reason::ClaimWindowExpired);
    }

    // 3. Validity: the party at fault, and evidence where it is needed, in time.
    match complaint.fault() {
        Some(Party::Customer) => fired.push(Reason::CustomerAtFault),
        Some(party) if !policy.fault().compensated.contains(party) => {
            fired.push(Reason::NotCompanyFault);
        }
        _ if complaint.company_at_fault() == Some(false) => fired.push(Reason::NotCompanyFault),
        _ => {}
    }
    let young = match (policy.young_accounts(), customer.since()) {
        (Some(rules), Some(since)) => now - since < TimeDelta::seconds(seconds(rules.younger_than)),
        _ => false,
    };
    let evidence_needed = match category.map(|category| category.evidence) {
        Some(EvidenceRule::Required) => true,
        Some(EvidenceRule::NotRequired) => false,
        _ => severity == Severity::Major,
    } || (young
        && policy
            .young_accounts()
            .is_some_and(|rules| rules.evidence_required));
    if evidence_needed {
        if complaint.evidence() == Evidence::None {
            fired.push(Reason::EvidenceRequired);
        } else if let (Some(within), Some(at)) = (
            category.and_then(|category| category.evidence_within),
            complaint.evidence_at(),
        ) {
            if at - claim_start > TimeDelta::seconds(seconds(within)) {
                fired.push(Reason::EvidenceTooLate);
            }
        }
    }

    // 4. Limits from history: every count and value limit of the tier, a young account's
    // lifetime limit, the minor cool-down and pattern, less what the lists waive.
    let count_in = |window: Window| {
        history
            .iter()
            .filter(|past| in_window(now, past.granted_at(), seconds(window)))
            .count() as u32
    };
    let value_in = |window: Window| -> i128 {
        history
            .iter()
            .filter(|past| in_window(now, past.granted_at(), seconds(window)))
            .map(|past| micro(past.amount()))
            .sum()
    };
    let mut count_limits = vec![(tier.voucher_limit, policy.count_window())];
    let mut value_limits = vec![(tier.value_limit, policy.value_window())];
    for limit in &tier.limits {
        match limit {
            TierLimit::Vouchers { limit, window } => count_limits.push((*limit, *window)),
            TierLimit::Value { limit, window } => value_limits.push((*limit, *window)),
            _ => panic!("a limit the model does not know"),
        }
    }
    if count_limits
        .iter()
        .any(|(limit, window)| count_in(*window) >= *limit)
    {
        fired.push(Reason::VoucherLimitReached);
    }
    let value_left = value_limits
        .iter()
        .map(|(limit, window)| micro(*limit) - value_in(*window))
        .min()
        .unwrap_or(0)
        .max(0);
    let minimum = micro(policy.minimum_voucher());
    if value_left < minimum {
        fired.push(Reason::VoucherValueLimitReached);
    }
    if young
        && policy
            .young_accounts()
            .and_then(|rules| rules.lifetime_vouchers)
            .is_some_and(|limit| history.len() as u64 >= u64::from(limit))
    {
        fired.push(Reason::YoungAccountLimitReached);
    }
    let mut flags: Vec<&'static str> = Vec::new();
    if conduct.abusive_language() || conduct.personal_advances() {
        flags.push("conduct_noted");
    }
    let closes = conduct.abusive_language() && warned;
    let waived = |reason: Reason| lists.iter().any(|list| list.waives.contains(reason));
    if severity == Severity::Minor {
        if count_in(policy.minor_cooldown()) > 0 && !waived(Reason::MinorComplaintRecentVoucher) {
            fired.push(Reason::MinorComplaintRecentVoucher);
        }
        let pattern = policy.repeated_minor();
        let minor_in_pattern = history
            .iter()
            .filter(|past| {
                past.severity() == Some(Severity::Minor)
                    && in_window(now, past.granted_at(), seconds(pattern.window))
            })
            .count() as u32;
        if minor_in_pattern >= pattern.threshold && !waived(Reason::RepeatedMinorComplaints) {
            fired.push(Reason::RepeatedMinorComplaints);
            flags.push("review_customer");
        }
    }

    // 5. Amount, in millionths, each rounding down written out.
    let step = micro(policy.step());
    let total = micro(order.total());
    let rate = category
        .and_then(|category| category.rate)
        .unwrap_or(policy.severity_rates().rate(severity));
    let (rate_num, rate_den) = fraction(rate);
    let (mult_num, mult_den) = fraction(tier.multiplier);
    let computed = total * rate_num * mult_num / (rate_den * mult_den * step);
    let maximum = category
        .and_then(|category| category.maximum_voucher)
        .unwrap_or(policy.maximum_voucher());
    let share_cap = match category
        .and_then(|category| category.maximum_share)
        .or(policy.maximum_share().share(severity))
    {
        Some(share) => {
            let (num, den) = fraction(share);
            total * num / (den * step)
        }
        None => total / step,
    };
    let policy_steps = computed
        .max(minimum / step)
        .min(micro(maximum) / step)
        .min(share_cap);
    let mut amount = policy_steps * step;
    let mut adjustments = Vec::new();
    let mut rounded = false;
    if let Some(requested) = request.requested_amount() {
        let requested = micro(requested);
        if requested > policy_steps * step {
            adjustments.push(Reason::ReducedToPolicyAmount);
        } else {
            amount = requested / step * step;
            rounded = amount < requested;
        }
    }
    let left_in_steps = value_left / step * step;
    if amount > left_in_steps && left_in_steps >= minimum {
        amount = left_in_steps;
        adjustments.push(Reason::ReducedToValueLimit);
    } else if rounded {
        adjustments.push(Reason::RoundedToStep);
    }
    if amount > micro(policy.agent_authority()) {
        adjustments.push(Reason::AboveAgentAuthority);
    }

    // The outcome.
    let refusals: Vec<Reason> = fired
        .iter()
        .copied()
        .filter(|reason| reason.kind() == ReasonKind::Refusal)
        .collect();
    let merits_granted = refusals.is_empty();
    let mut reasons = fired.clone();
    if merits_granted {
        reasons.extend(adjustments.iter().copied());
        reasons.push(Reason::ValidComplaint);
    }
    reasons.sort_by_key(|reason| Reason::ALL.iter().position(|code| code == reason));

    let mut safety: Option<&'static str> = None;
    for (reason, target) in [
        (Reason::PhysicalThreat, Some("security")),
        (Reason::LegalThreat, Some("legal")),
        (Reason::CriticalComplaint, Some("supervisor")),
        (Reason::SupervisorRequested, Some("supervisor")),
        (Reason::PersistentPersonalAdvances, Some("supervisor")),
        (Reason::CustomerListed, listed_to),
    ] {
        if let (true, Some(target)) = (fired.contains(&reason), target) {
            safety = Some(safety.map_or(target, |known| more_serious(known, target)));
        }
    }
    let authority = (merits_granted && adjustments.contains(&Reason::AboveAgentAuthority))
        .then_some("supervisor");
    let escalate_to = safety.or(authority);
    let outcome = match (escalate_to, merits_granted) {
        (Some(_), _) => "escalated",
        (None, false) => "refused",
        (None, true) => "granted",
    };
    let alternatives: Vec<&'static str> = if outcome == "refused" {
        Alternative::ALL
            .iter()
            .filter(|way| {
                refusals
                    .iter()
                    .any(|reason| policy.alternatives_for(*reason).contains(**way))
            })
            .map(|way| way.as_str())
            .collect()
    } else {
        Vec::new()
    };
    let valid_until = (now + TimeDelta::seconds(seconds(policy.voucher_validity())))
        .with_timezone(&policy.local_offset());
    let mut flags: Vec<&'static str> = flags
        .into_iter()
        .filter(|flag| {
            *flag != "review_customer" || reasons.contains(&Reason::RepeatedMinorComplaints)
        })
        .collect();
    if closes {
        flags.push("close_conversation");
    }
    let local = |at: DateTime<FixedOffset>| at.with_timezone(&policy.local_offset());
    let follow_up_by = escalate_to.map(|target| {
        let within = match target {
            "security" => policy.follow_up().security,
            "legal" => policy.follow_up().legal,
            _ => policy.follow_up().supervisor,
        };
        local(now + TimeDelta::seconds(seconds(within)))
    });
    // When the limits from the history that refused lift: the earliest candidate moment (now,
    // a voucher leaving a window, the account growing up) at which none of them would refuse.
    let history_limits = [
        Reason::VoucherLimitReached,
        Reason::VoucherValueLimitReached,
        Reason::MinorComplaintRecentVoucher,
        Reason::RepeatedMinorComplaints,
        Reason::YoungAccountLimitReached,
    ];
    let refused_by = |reason: Reason| refusals.contains(&reason);
    let next_eligible_at = if history_limits.iter().any(|limit| refused_by(*limit)) {
        let fires_at = |at: DateTime<FixedOffset>| {
            let held = |granted: DateTime<FixedOffset>, window: Window| {
                at - TimeDelta::seconds(seconds(window)) < granted && granted <= now
            };
            let count_at = |window: Window, minor: bool| {
                history
                    .iter()
                    .filter(|past| held(past.granted_at(), window))
                    .filter(|past| !minor || past.severity() == Some(Severity::Minor))
                    .count() as u32
            };
            let value_at = |window: Window| -> i128 {
                history
                    .iter()
                    .filter(|past| held(past.granted_at(), window))
                    .map(|past| micro(past.amount()))
                    .sum()
            };
            let counts = refused_by(Reason::VoucherLimitReached)
                && count_limits
                    .iter()
                    .any(|(limit, window)| count_at(*window, false) >= *limit);
            let values = refused_by(Reason::VoucherValueLimitReached)
                && value_limits
                    .iter()
                    .any(|(limit, window)| micro(*limit) - value_at(*window) < minimum);
            let cooldown = refused_by(Reason::MinorComplaintRecentVoucher)
                && count_at(policy.minor_cooldown(), false) > 0;
            let pattern = refused_by(Reason::RepeatedMinorComplaints)
                && count_at(policy.repeated_minor().window, true)
                    >= policy.repeated_minor().threshold;
            let young_at = refused_by(Reason::YoungAccountLimitReached)
                && match (policy.young_accounts(), customer.since()) {
                    (Some(rules), Some(since)) => {
                        at - since < TimeDelta::seconds(seconds(rules.younger_than))
                    }
                    _ => false,
                };
            counts || values || cooldown || pattern || young_at
        };
        let mut windows = vec![policy.minor_cooldown(), policy.repeated_minor().window];
        windows.extend(count_limits.iter().map(|(_, window)| *window));
        windows.extend(value_limits.iter().map(|(_, window)| *window));
        let mut candidates = vec![now];
        for past in history {
            for window in &windows {
                candidates.push(past.granted_at() + TimeDelta::seconds(seconds(*window)));
            }
        }
        if let (Some(rules), Some(since)) = (policy.young_accounts(), customer.since()) {
            candidates.push(since + TimeDelta::seconds(seconds(rules.younger_than)));
        }
        candidates.sort();
        candidates
            .into_iter()
            .filter(|at| *at >= now)
            .find(|at| !fires_at(*at))
            .map(local)
    } else {
        None
    };
    Ok(Expected {
        outcome,
        reasons: reasons.iter().map(|reason| reason.as_str()).collect(),
        escalate_to,
        flags,
        alternatives,
        recommendation: escalate_to.map(|_| if merits_granted { "granted" } else { "refused" }),
        amount: merits_granted.then_some(amount),
        valid_until: merits_granted.then_some(valid_until),
        cost_borne_by: complaint
            .fault()
            .filter(|_| merits_granted)
            .map(|fault| cost_bearer(policy, fault)),
        next_eligible_at,
        follow_up_by,
    })
}
