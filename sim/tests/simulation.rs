#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The what-if simulation: a replay decides as production would have, remembers no more than
//! the policy's windows need, counts everything, compares two policies, and the generator is
//! deterministic and realistic.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, TimeDelta};
use rust_decimal::Decimal;
use voucher_policy::{
    Complaint, Conduct, Currency, Customer, CustomerId, Engine, Order, OrderId, Outcome,
    PastVoucher, Policy, Request, Severity, Threat, TierName, Verdict,
};
use voucher_policy_sim::{
    Comparer, LogEntry, LogGenerator, ReplayErrorKind, SimulationSettings, Simulator, TrafficShape,
    compare, simulate,
};

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn strict() -> Engine {
    Engine::new(Policy::load("../examples/policies/strict.toml").unwrap())
}

/// A small, busy population: long histories, so every window and the horizon matter.
fn busy_log(days: u32) -> Vec<LogEntry> {
    let mut shape = TrafficShape::default();
    shape.customers = 1_500;
    shape.requests_per_day = 600;
    let per_day = 600 * 16 / 10; // enough to cover the busiest days
    LogGenerator::with_shape(11, shape)
        .take((days * per_day) as usize)
        .take_while(|entry| entry.now < shape.start + TimeDelta::days(i64::from(days)))
        .collect()
}

/// A request that the default policy grants on its merits: the customer's own order, a late
/// delivery reported promptly.
fn late_delivery(customer: &str, tier: &str, order: &str, now: DateTime<FixedOffset>) -> Request {
    let placed = now - TimeDelta::hours(2);
    let order = Order::new(
        OrderId::new(order),
        CustomerId::new(customer),
        Decimal::from(80_000),
        Currency::IDR,
        placed,
    )
    .with_delivered_at(placed + TimeDelta::minutes(50));
    let complaint = Complaint::new("late_delivery", now - TimeDelta::minutes(30));
    let customer = Customer::new(CustomerId::new(customer), TierName::new(tier)).with_name("Rina");
    Request::new(customer, order, complaint)
}

/// What matters of a verdict for comparing two replays.
fn essentials(verdict: &Verdict) -> (Outcome, Option<Decimal>, Vec<&'static str>) {
    (
        verdict.outcome(),
        verdict.voucher().map(|voucher| voucher.amount()),
        verdict
            .reasons()
            .iter()
            .map(|reason| reason.as_str())
            .collect(),
    )
}

#[test]
fn a_replay_decides_exactly_as_deciding_with_the_full_history() {
    // The reference keeps every voucher ever granted and hands the whole history to the engine,
    // as production would; the simulator forgets what leaves its horizon. Ninety days of a busy
    // population cross the 30-day horizon three times.
    let log = busy_log(90);
    assert!(log.len() > 40_000, "{}", log.len());
    let engine = Engine::default();
    let mut simulator = Simulator::new(&engine);
    let mut full: HashMap<String, Vec<PastVoucher>> = HashMap::new();
    let mut granted = 0;
    for (index, entry) in log.iter().enumerate() {
        let customer = entry.request.customer().id().as_str();
        let history = full.get(customer).cloned().unwrap_or_default();
        let expected = engine.verdict(&entry.request, &history, entry.now).unwrap();
        let replayed = simulator.replay(&entry.request, entry.now).unwrap();
        assert_eq!(
            essentials(&replayed),
            essentials(&expected),
            "request {} ({customer})",
            index + 1
        );
        assert_eq!(replayed.facts(), expected.facts(), "request {}", index + 1);
        if let Some(voucher) = expected.voucher() {
            granted += 1;
            let past = PastVoucher::new(
                entry.request.order().id().clone(),
                voucher.amount(),
                voucher.currency(),
                entry.now,
            )
            .with_severity(expected.facts().severity);
            full.entry(customer.to_owned()).or_default().push(past);
        }
    }
    let report = simulator.finish();
    assert_eq!(report.totals.granted, granted);
    assert_eq!(report.memory.orders_beyond_horizon, 0);
    // Limits did bite: the comparison is not trivially about empty histories.
    for reason in [
        "voucher_limit_reached",
        "voucher_value_limit_reached",
        "minor_complaint_recent_voucher",
        "repeated_minor_complaints",
        "order_already_compensated",
    ] {
        assert!(
            report.by_reason.get(reason).is_some(),
            "{reason} never fired"
        );
    }
}

#[test]
fn memory_stays_bounded_by_the_horizon_on_a_log_of_one_off_customers() {
    // A new customer every minute for 100 days, each granted once: 144,000 customers, but only
    // those granted inside the horizon (30 days) and a quarter more (the sweep interval) are
    // remembered at any time.
    let engine = Engine::default();
    let mut simulator = Simulator::new(&engine);
    let start = at("2026-01-01T00:00:00+07:00");
    let minutes = 100 * 24 * 60;
    let bound = 30 * 24 * 60 * 5 / 4 + 1;
    let mut most = 0;
    for minute in 0..minutes {
        let now = start + TimeDelta::minutes(minute);
        let customer = format!("C-{minute}");
        let request = late_delivery(&customer, "regular", &format!("O-{minute}"), now);
        let verdict = simulator.replay(&request, now).unwrap();
        assert_eq!(verdict.outcome(), Outcome::Granted);
        most = most.max(simulator.remembered_customers());
        assert!(simulator.remembered_customers() <= bound as usize);
        assert_eq!(
            simulator.remembered_vouchers(),
            simulator.remembered_customers()
        );
    }
    // It did fill up to the horizon, then stayed flat.
    assert!(most > 30 * 24 * 60, "{most}");
    let report = simulator.finish();
    assert_eq!(report.totals.granted, minutes as u64);
    assert!(report.memory.peak_customers <= bound);
    assert_eq!(report.memory.horizon.to_string(), "30d");
}

#[test]
fn memory_stays_flat_on_a_long_realistic_log() {
    // The remembered customers after two months and after four are about the same: memory
    // depends on the customers active inside the horizon, not on the length of the log.
    let engine = Engine::default();
    let mut shape = TrafficShape::default();
    shape.customers = 20_000;
    shape.requests_per_day = 1_000;
    let mut simulator = Simulator::new(&engine);
    let mut after = Vec::new();
    let start = shape.start;
    for entry in LogGenerator::with_shape(3, shape) {
        let day = (entry.now - start).num_days();
        if day >= 120 {
            break;
        }
        if day == 60 && after.is_empty() || day == 119 && after.len() == 1 {
            after.push(simulator.remembered_vouchers());
        }
        simulator.replay(&entry.request, entry.now).unwrap();
    }
    let (two_months, four_months) = (after[0] as f64, after[1] as f64);
    assert!(
        (four_months / two_months - 1.0).abs() < 0.15,
        "{two_months} then {four_months}"
    );
}

#[test]
fn vouchers_older_than_the_horizon_are_forgotten_and_only_then() {
    let engine = Engine::default();
    let mut simulator = Simulator::new(&engine);
    let first = at("2026-03-01T12:00:00+07:00");
    simulator
        .replay(&late_delivery("C-1", "gold", "O-1", first), first)
        .unwrap();
    assert_eq!(simulator.history_of("C-1").len(), 1);
    assert_eq!(
        simulator.history_of("C-1")[0].severity(),
        Some(Severity::Moderate)
    );
    // Exactly 30 days later the voucher has left every window: it is not seen any more, and
    // the same order complained about again is not "already compensated" (its claim window has
    // long closed anyway).
    let later = first + TimeDelta::days(30);
    let again = late_delivery("C-1", "gold", "O-2", later);
    let verdict = simulator.replay(&again, later).unwrap();
    assert_eq!(verdict.facts().vouchers_in_count_window, 0);
    assert_eq!(verdict.facts().value_used, Decimal::ZERO);
    assert_eq!(simulator.history_of("C-1").len(), 1, "only the new voucher");
    // A second before, it still counts in the value window.
    let mut simulator = Simulator::new(&engine);
    simulator
        .replay(&late_delivery("C-1", "gold", "O-1", first), first)
        .unwrap();
    let just_inside = later - TimeDelta::seconds(1);
    let verdict = simulator
        .replay(
            &late_delivery("C-1", "gold", "O-2", just_inside),
            just_inside,
        )
        .unwrap();
    // 80,000 x 25% (moderate) x 1.25 (gold)
    assert_eq!(verdict.facts().value_used, Decimal::from(25_000));
}

#[test]
fn a_request_out_of_time_order_is_an_error_naming_its_line_and_the_replay_goes_on() {
    let engine = Engine::default();
    let mut simulator = Simulator::new(&engine);
    let t1 = at("2026-03-01T12:00:00+07:00");
    let t0 = at("2026-03-01T11:00:00+07:00");
    simulator
        .replay(&late_delivery("C-1", "new", "O-1", t1), t1)
        .unwrap();
    // The same instant in another offset is not earlier.
    let same = at("2026-03-01T05:00:00Z").fixed_offset();
    simulator
        .replay(&late_delivery("C-2", "new", "O-2", same), same)
        .unwrap();
    let error = simulator
        .replay(&late_delivery("C-3", "new", "O-3", t0), t0)
        .unwrap_err();
    assert_eq!(error.position(), 3);
    assert!(matches!(error.kind(), ReplayErrorKind::OutOfOrder { .. }));
    assert_eq!(
        error.to_string(),
        "line 3: now: 2026-03-01T11:00:00+07:00 is before the previous request's \
         2026-03-01T05:00:00+00:00; requests must be replayed in time order"
    );
    simulator
        .replay(&late_delivery("C-4", "new", "O-4", t1), t1)
        .unwrap();
    let report = simulator.finish();
    assert_eq!(
        (report.lines, report.totals.requests, report.failed),
        (4, 3, 1)
    );
    assert_eq!(report.failures[0].position, 3);
    assert_eq!(report.failures[0].kind, "order");
    assert_eq!(report.failures[0].field.as_deref(), Some("now"));
}

#[test]
fn a_line_of_the_service_audit_log_replays_its_request() {
    // `GET /decisions?since&until` of examples/service writes one line per decision:
    // `{"request": <the wire request without history>, "decision": <the decision>}`.
    let engine = Engine::default();
    let now = at("2026-03-01T12:00:00+07:00");
    let entry = LogEntry::new(now, late_delivery("C-1", "new", "O-1", now));
    let request = entry.to_json().unwrap();
    let decision = engine
        .decide(&entry.request, PastVoucher::NONE, now)
        .unwrap();
    let line = format!(
        r#"{{"request":{request},"decision":{}}}"#,
        decision.to_json()
    );
    assert_eq!(LogEntry::from_json(line.as_bytes()).unwrap(), entry);
    let reordered = format!(
        r#"{{"decision":{},"request":{request}}}"#,
        decision.to_json()
    );
    assert_eq!(LogEntry::from_json(reordered.as_bytes()).unwrap(), entry);

    // Replayed, it is decided as production decided it.
    let mut simulator = Simulator::new(&engine);
    let verdict = simulator.replay_json(line.as_bytes()).unwrap();
    assert_eq!(&verdict, decision.verdict());

    // The request's fields are named under `request`.
    let bad = line.replacen(r#""total":"#, r#""total":"lots","was":"#, 1);
    let error = LogEntry::from_json(bad.as_bytes()).unwrap_err();
    assert_eq!(error.field(), Some("request.order.total"), "{error}");
    assert!(
        error.message().starts_with("request.order.total: "),
        "{error}"
    );
    // A line with a request but no decision is neither form: its unknown key is named.
    let alone = format!(r#"{{"request":{request}}}"#);
    let error = LogEntry::from_json(alone.as_bytes()).unwrap_err();
    assert!(error.message().contains("request"), "{error}");
}

#[test]
fn log_lines_are_read_as_the_wire_contract_without_history() {
    let engine = Engine::default();
    let mut simulator = Simulator::new(&engine);
    let now = at("2026-03-01T12:00:00+07:00");
    let entry = LogEntry::new(now, late_delivery("C-1", "new", "O-1", now));
    let line = entry.to_json().unwrap();
    assert!(
        line.starts_with(r#"{"now":"2026-03-01T12:00:00+07:00","#),
        "{line}"
    );
    assert!(!line.contains("history"));
    assert_eq!(LogEntry::from_json(line.as_bytes()).unwrap(), entry);
    assert_eq!(
        LogEntry::from_json(format!("{line}\r\n").as_bytes()).unwrap(),
        entry
    );

    let with_history = format!(
        r#"{},"history":[{{"order_id":"O-0","granted_at":"2026-02-27T12:00:00+07:00","amount":"10000","currency":"IDR"}}]}}"#,
        &line[..line.len() - 1]
    );
    let error = LogEntry::from_json(with_history.as_bytes()).unwrap_err();
    assert_eq!(error.field(), Some("history"));
    assert!(
        error
            .message()
            .contains("must not carry a history (1 entries given)"),
        "{error}"
    );
    let empty_history = format!("{},\"history\":[]}}", &line[..line.len() - 1]);
    assert_eq!(
        LogEntry::from_json(empty_history.as_bytes()).unwrap(),
        entry
    );

    let lines: [&[u8]; 5] = [
        line.as_bytes(),
        b"",
        b"{not json",
        b"\xff\xfe",
        with_history.as_bytes(),
    ];
    for line in lines {
        let _ = simulator.replay_json(line);
    }
    let unknown_tier = line.replace(r#""loyalty":"new""#, r#""loyalty":"diamond""#);
    let error = simulator.replay_json(unknown_tier.as_bytes()).unwrap_err();
    assert!(matches!(error.kind(), ReplayErrorKind::Request(_)));
    assert_eq!(error.position(), 6);
    let report = simulator.finish();
    assert_eq!(
        (report.lines, report.totals.requests, report.failed),
        (6, 1, 5)
    );
    let kinds: Vec<(u64, &str)> = report
        .failures
        .iter()
        .map(|failure| (failure.position, failure.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (2, "json"),
            (3, "json"),
            (4, "json"),
            (5, "json"),
            (6, "request")
        ]
    );
    assert!(report.failures[0].message.contains("blank"));
    assert!(report.failures[2].message.contains("UTF-8"));
    assert_eq!(
        report.failures[4].field.as_deref(),
        Some("customer.loyalty")
    );
}

#[test]
fn escalations_grant_nothing_unless_the_setting_says_supervisors_follow_the_recommendation() {
    let engine = Engine::default();
    let now = at("2026-03-01T12:00:00+07:00");
    let insisting = late_delivery("C-1", "regular", "O-1", now)
        .with_conduct(Conduct::new().with_insists_on_supervisor(true));
    let later = now + TimeDelta::hours(1);
    let next = late_delivery("C-1", "regular", "O-2", later);

    let mut simulator = Simulator::new(&engine);
    let verdict = simulator.replay(&insisting, now).unwrap();
    assert_eq!(verdict.outcome(), Outcome::Escalated);
    assert!(simulator.history_of("C-1").is_empty());
    assert_eq!(
        simulator
            .replay(&next, later)
            .unwrap()
            .facts()
            .vouchers_in_count_window,
        0
    );
    let report = simulator.finish();
    assert_eq!(report.totals.money_recommended, Decimal::from(20_000));
    assert_eq!(report.totals.escalated, 1);

    let mut settings = SimulationSettings::default();
    settings.escalations_granted_on_recommendation = true;
    let mut simulator = Simulator::with_settings(&engine, settings);
    simulator.replay(&insisting, now).unwrap();
    assert_eq!(simulator.history_of("C-1").len(), 1);
    assert_eq!(
        simulator
            .replay(&next, later)
            .unwrap()
            .facts()
            .vouchers_in_count_window,
        1
    );
    // A threat escalates a case refused on its merits: nothing is remembered.
    let order = late_delivery("C-2", "regular", "O-3", later);
    let threat = Request::new(
        order.customer().clone(),
        order.order().clone(),
        order.complaint().clone().with_company_at_fault(false),
    )
    .with_conduct(Conduct::new().with_threat(Threat::Legal));
    simulator.replay(&threat, later).unwrap();
    assert!(simulator.history_of("C-2").is_empty());
}

#[test]
fn the_report_counts_add_up_every_way() {
    let engine = Engine::default();
    let log: Vec<LogEntry> = LogGenerator::new(5).take(30_000).collect();
    let report = simulate(&engine, &log);
    let totals = report.totals;
    assert_eq!(report.lines, 30_000);
    assert_eq!(report.failed, 0);
    assert_eq!(
        totals.requests,
        totals.granted + totals.refused + totals.escalated
    );
    for breakdown in [&report.by_tier, &report.by_severity, &report.by_category] {
        let requests: u64 = breakdown.iter().map(|(_, c)| c.requests).sum();
        let granted: u64 = breakdown.iter().map(|(_, c)| c.granted).sum();
        let money: Decimal = breakdown.iter().map(|(_, c)| c.money_granted).sum();
        assert_eq!(
            (requests, granted, money),
            (totals.requests, totals.granted, totals.money_granted)
        );
    }
    let by_day_money: Decimal = report.by_day.iter().map(|d| d.counts.money_granted).sum();
    let by_day_requests: u64 = report.by_day.iter().map(|d| d.counts.requests).sum();
    assert_eq!(
        (by_day_money, by_day_requests),
        (totals.money_granted, totals.requests)
    );
    assert!(
        report
            .by_day
            .windows(2)
            .all(|pair| pair[0].date < pair[1].date)
    );
    let escalated: u64 = report
        .by_escalation_target
        .iter()
        .map(|(_, c)| c.escalated)
        .sum();
    assert_eq!(escalated, totals.escalated);
    // Every refusal carries a refusal reason; every grant the valid_complaint reason.
    assert_eq!(
        report.by_reason.get("valid_complaint").unwrap().granted,
        totals.granted
    );
    // Tiers come in the policy's order.
    let tiers: Vec<&str> = report.by_tier.iter().map(|(name, _)| name).collect();
    assert_eq!(tiers, ["new", "regular", "silver", "gold", "platinum"]);
    // The customers refused most often, most first, at most ten.
    let top = &report.top_refused_customers;
    assert_eq!(top.len(), 10);
    assert!(top.windows(2).all(|pair| pair[0].count >= pair[1].count));
    let refused_by_top: HashMap<&str, u64> = log
        .iter()
        .zip(replay_outcomes(&engine, &log))
        .filter(|(_, outcome)| *outcome == Outcome::Refused)
        .fold(HashMap::new(), |mut counts, (entry, _)| {
            *counts
                .entry(entry.request.customer().id().as_str())
                .or_default() += 1;
            counts
        });
    for entry in top {
        // Few customers: the counter kept them all, so the counts are exact.
        assert_eq!(entry.overcount, 0);
        assert_eq!(entry.count, refused_by_top[entry.customer.as_str()]);
    }
    let most = refused_by_top.values().max().unwrap();
    assert_eq!(top[0].count, *most);
}

#[test]
fn refusals_count_in_full_across_the_customers_the_replay_forgets_in_between() {
    // 12,000 customers, 150 requests a day, 200 days: most customers come back after months,
    // long after a sweep forgot them (with their refusals so far), and are refused again.
    let engine = Engine::default();
    let mut shape = TrafficShape::default();
    shape.customers = 12_000;
    shape.requests_per_day = 150;
    let start = shape.start;
    let log: Vec<LogEntry> = LogGenerator::with_shape(9, shape)
        .take_while(|entry| entry.now < start + TimeDelta::days(200))
        .collect();
    let mut settings = SimulationSettings::default();
    settings.top_customers = 20_000;
    let mut simulator = Simulator::with_settings(&engine, settings);
    let mut refused: HashMap<&str, u64> = HashMap::new();
    let mut forgotten_then_refused = 0;
    for entry in &log {
        let customer = entry.request.customer().id().as_str();
        let known = simulator.remembered_customers();
        let verdict = simulator.replay(&entry.request, entry.now).unwrap();
        if verdict.outcome() == Outcome::Refused {
            let count = refused.entry(customer).or_default();
            // Refused before, and remembered no more: the replay added a customer to refuse.
            if *count > 0 && simulator.remembered_customers() > known {
                forgotten_then_refused += 1;
            }
            *count += 1;
        }
    }
    assert!(forgotten_then_refused > 100, "{forgotten_then_refused}");
    let report = simulator.finish();
    // Every refused customer, with every refusal: fewer than the counter keeps, so exact.
    assert_eq!(report.top_refused_customers.len(), refused.len());
    for top in &report.top_refused_customers {
        assert_eq!(top.overcount, 0);
        assert_eq!(
            Some(&top.count),
            refused.get(top.customer.as_str()),
            "{}",
            top.customer
        );
    }
    assert_eq!(
        report
            .top_refused_customers
            .iter()
            .map(|top| top.count)
            .sum::<u64>(),
        report.totals.refused
    );
}

fn replay_outcomes(engine: &Engine, log: &[LogEntry]) -> Vec<Outcome> {
    let mut simulator = Simulator::new(engine);
    log.iter()
        .map(|entry| {
            simulator
                .replay(&entry.request, entry.now)
                .unwrap()
                .outcome()
        })
        .collect()
}

#[test]
fn the_report_serializes_to_json_and_prints_as_tables() {
    let report = simulate(&Engine::default(), LogGenerator::new(2).take(3_000));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["policy"]["name"], "default");
    assert_eq!(json["currency"], "IDR");
    assert_eq!(json["lines"], 3_000);
    assert!(json["totals"]["money_granted"].is_string());
    assert!(json["totals"]["grant_rate"].as_f64().unwrap() > 0.3);
    assert!(json["by_tier"]["gold"]["granted"].as_u64().unwrap() > 0);
    assert!(json["by_reason"]["valid_complaint"].is_object());
    assert!(json["by_day"][0]["date"].is_string());
    assert!(json["by_day"][0]["requests"].as_u64().unwrap() > 0);
    assert_eq!(json["memory"]["horizon"], "30d");
    let text = report.to_string();
    for expected in [
        "Simulation of policy default (version 1), amounts in IDR",
        "3,000 requests: 3,000 decided, 0 could not be decided",
        "granted",
        "voucher_limit_reached",
        "platinum",
        "food_not_hot",
        "customers refused most often",
        "memory: vouchers kept for 30d",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

#[test]
fn comparing_a_policy_with_itself_changes_nothing() {
    let engine = Engine::default();
    let comparison = compare(LogGenerator::new(9).take(5_000), &engine, &engine);
    assert_eq!(comparison.changed, 0);
    assert!(comparison.changed_requests.is_empty());
    assert!(comparison.transitions.is_empty());
    assert_eq!(comparison.a, comparison.b);
    for row in &comparison.figures {
        assert_eq!(row.a, row.b, "{}", row.figure);
    }
}

#[test]
fn comparing_two_policies_shows_every_figure_the_difference_and_the_changed_requests() {
    let (current, strict) = (Engine::default(), strict());
    let log: Vec<LogEntry> = LogGenerator::new(4).take(20_000).collect();
    let mut comparer =
        Comparer::with_settings(&current, &strict, SimulationSettings::default(), 50);
    for entry in &log {
        comparer.replay(&entry.request, entry.now);
    }
    let comparison = comparer.finish();
    // The same as two separate replays.
    assert_eq!(comparison.a, simulate(&current, &log));
    assert_eq!(comparison.b, simulate(&strict, &log));
    // The strict policy grants fewer vouchers and less money.
    let granted = comparison.figure("granted").unwrap();
    assert_eq!(
        granted.difference,
        voucher_policy_sim::Difference::Count(
            comparison.b.totals.granted as i64 - comparison.a.totals.granted as i64
        )
    );
    assert!(comparison.b.totals.granted < comparison.a.totals.granted);
    let money = comparison.figure("money granted").unwrap();
    assert_eq!(
        money.difference,
        voucher_policy_sim::Difference::Money(
            comparison.b.totals.money_granted - comparison.a.totals.money_granted
        )
    );
    assert!(comparison.figure("tier gold: refused").is_some());
    assert!(
        comparison
            .figure("category food_not_hot: money granted")
            .is_some()
    );
    // The changed requests: bounded, in log order, each really changed, and all counted.
    assert_eq!(comparison.changed_requests.len(), 50);
    assert!(comparison.changed > 1_000);
    let counted: u64 = comparison.transitions.iter().map(|t| t.count).sum();
    assert_eq!(counted, comparison.changed);
    let outcomes_a = replay_outcomes(&current, &log);
    let outcomes_b = replay_outcomes(&strict, &log);
    for change in &comparison.changed_requests {
        let index = change.position as usize - 1;
        assert_eq!(log[index].request.order().id().as_str(), change.order);
        assert_eq!(change.a.outcome, Some(outcomes_a[index]));
        assert_eq!(change.b.outcome, Some(outcomes_b[index]));
        assert_ne!(
            (change.a.outcome, change.a.amount),
            (change.b.outcome, change.b.amount)
        );
    }
    assert!(
        comparison
            .changed_requests
            .windows(2)
            .all(|p| p[0].position < p[1].position)
    );
    assert!(!comparison.customers_worse_off.is_empty());
    let text = comparison.to_string();
    assert!(text.contains("A = policy default (version 1), B = policy strict (version 2027-01)"));
    assert!(text.contains("requests decided differently"));
    assert!(text.contains("first 20 changed requests:"));
    let json = serde_json::to_value(&comparison).unwrap();
    assert!(json["figures"].as_array().unwrap().len() > 50);
    assert!(json["changed_requests"][0]["a"]["outcome"].is_string());
    assert_eq!(json["a"]["policy"]["name"], "default");
}

#[test]
fn a_request_only_one_policy_can_decide_is_a_change() {
    let current = Engine::default();
    let usd = Engine::new(Policy::load("../examples/policies/usd.toml").unwrap());
    let now = at("2026-03-01T12:00:00+07:00");
    let mut comparer = Comparer::new(&current, &usd);
    let results = comparer.replay(&late_delivery("C-1", "regular", "O-1", now), now);
    assert!(results.a.is_ok() && results.b.is_err());
    let comparison = comparer.finish();
    assert_eq!(comparison.changed, 1);
    assert_eq!(comparison.changed_requests[0].b.outcome, None);
    assert!(comparison.changed_requests[0].b.error.is_some());
    assert_eq!(comparison.transitions[0].to, "failed");
    // Money in two currencies has no difference.
    let money = comparison.figure("money granted").unwrap();
    assert_eq!(
        money.difference,
        voucher_policy_sim::Difference::Unavailable
    );
}

#[test]
fn the_generator_is_deterministic_time_ordered_and_decidable() {
    let first: Vec<LogEntry> = LogGenerator::new(42).take(20_000).collect();
    let again: Vec<LogEntry> = LogGenerator::new(42).take(20_000).collect();
    assert_eq!(first, again);
    let other: Vec<LogEntry> = LogGenerator::new(43).take(100).collect();
    assert_ne!(first[..100], other[..]);
    assert!(first.windows(2).all(|pair| pair[0].now <= pair[1].now));
    for entry in first.iter().take(2_000) {
        let line = entry.to_json().unwrap();
        assert_eq!(&LogEntry::from_json(line.as_bytes()).unwrap(), entry);
    }
    let report = simulate(&Engine::default(), &first);
    assert_eq!(report.failed, 0, "{:?}", report.failures);
    // The first requests of seed 42 never change: logs generated today replay the same tomorrow.
    let summary: Vec<String> = first.iter().take(8).map(describe).collect();
    insta::assert_snapshot!(summary.join("\n"));
}

/// Every field the generator sets, in a form that does not depend on the wire format.
fn describe(entry: &LogEntry) -> String {
    let request = &entry.request;
    let (customer, order, complaint, conduct) = (
        &request.customer(),
        &request.order(),
        &request.complaint(),
        &request.conduct(),
    );
    format!(
        "{} | {} {} {} | {} of {} {} {} placed {} delivered {:?} | {} {:?} reported {} fault {:?} \
         {:?} | abusive {} threat {:?} supervisor {} advances {} | asked {:?}",
        entry.now.to_rfc3339(),
        customer.id(),
        customer.name().unwrap_or("-"),
        customer.loyalty(),
        order.id(),
        order.customer_id(),
        order.total(),
        order.currency(),
        order.placed_at().to_rfc3339(),
        order.delivered_at().map(|at| at.to_rfc3339()),
        complaint.category(),
        complaint.severity(),
        complaint.reported_at().to_rfc3339(),
        complaint.company_at_fault(),
        complaint.evidence(),
        conduct.abusive_language(),
        conduct.threat(),
        conduct.insists_on_supervisor(),
        conduct.personal_advances(),
        request.requested_amount(),
    )
}

#[test]
fn generated_traffic_looks_like_a_support_queue() {
    // Five days of 20,000 requests from 100,000 customers, so that frequent complainers show.
    let mut shape = TrafficShape::default();
    shape.customers = 100_000;
    let log: Vec<LogEntry> = LogGenerator::with_shape(7, shape).take(100_000).collect();
    let share = |count: usize| count as f64 / log.len() as f64;
    // Tiers in the proportions of the design, per customer.
    let mut tiers: HashMap<&str, &str> = HashMap::new();
    for entry in &log {
        let customer = entry.request.customer();
        let previous = tiers.insert(customer.id().as_str(), customer.loyalty().as_str());
        assert!(
            previous.is_none_or(|tier| tier == customer.loyalty()),
            "a customer changed tier"
        );
    }
    for (tier, expected) in [
        ("new", 0.30),
        ("regular", 0.35),
        ("silver", 0.18),
        ("gold", 0.12),
        ("platinum", 0.05),
    ] {
        let customers = tiers.values().filter(|t| **t == tier).count() as f64 / tiers.len() as f64;
        assert!((customers - expected).abs() < 0.02, "{tier}: {customers}");
    }
    // Most customers complain once or twice; a few complain often, mostly about small things.
    let mut complaints: HashMap<&str, Vec<&str>> = HashMap::new();
    for entry in &log {
        complaints
            .entry(entry.request.customer().id().as_str())
            .or_default()
            .push(entry.request.complaint().category());
    }
    let frequent: Vec<&Vec<&str>> = complaints.values().filter(|c| c.len() >= 4).collect();
    let rare = complaints.values().filter(|c| c.len() <= 2).count();
    assert!(rare as f64 / complaints.len() as f64 > 0.8);
    let frequent_requests: usize = frequent.iter().map(|c| c.len()).sum();
    assert!(
        share(frequent_requests) > 0.15,
        "{}",
        share(frequent_requests)
    );
    let small: usize = frequent
        .iter()
        .flat_map(|c| c.iter())
        .filter(|category| matches!(**category, "food_not_hot" | "slow_website"))
        .count();
    assert!(small as f64 / frequent_requests as f64 > 0.6);
    // An evening peak: more requests between 18:00 and 21:00 than between 02:00 and 06:00.
    let hour = |entry: &LogEntry| entry.now.format("%H").to_string().parse::<u32>().unwrap();
    let evening = log.iter().filter(|e| (18..21).contains(&hour(e))).count();
    let night = log.iter().filter(|e| (2..6).contains(&hour(e))).count();
    assert!(evening > 10 * night, "{evening} {night}");
    // The awkward cases are there, but rare.
    let count = |test: &dyn Fn(&LogEntry) -> bool| log.iter().filter(|e| test(e)).count();
    let threats = count(&|e| e.request.conduct().threat().is_some());
    let mismatched = count(&|e| e.request.order().customer_id() != e.request.customer().id());
    let abusive = count(&|e| e.request.conduct().abusive_language());
    let asked = count(&|e| e.request.requested_amount().is_some());
    for (name, n, low, high) in [
        ("threats", threats, 0.001, 0.01),
        ("orders of another account", mismatched, 0.001, 0.02),
        ("abusive language", abusive, 0.01, 0.05),
        ("amounts asked", asked, 0.1, 0.2),
    ] {
        assert!((low..high).contains(&share(n)), "{name}: {}", share(n));
    }
    let mut orders: HashMap<&str, usize> = HashMap::new();
    for entry in &log {
        *orders
            .entry(entry.request.order().id().as_str())
            .or_default() += 1;
    }
    let repeated = orders.values().filter(|n| **n > 1).count();
    assert!((0.005..0.03).contains(&(repeated as f64 / orders.len() as f64)));
}

#[test]
fn bad_weather_days_bring_more_late_deliveries() {
    let log: Vec<LogEntry> = LogGenerator::new(7).take(300_000).collect();
    let mut days: HashMap<chrono::NaiveDate, (usize, usize)> = HashMap::new();
    for entry in &log {
        let day = days.entry(entry.now.date_naive()).or_default();
        day.0 += 1;
        day.1 += usize::from(entry.request.complaint().category() == "late_delivery");
    }
    let mut shares: Vec<f64> = days
        .values()
        .filter(|(total, _)| *total > 1_000)
        .map(|(total, late)| *late as f64 / *total as f64)
        .collect();
    shares.sort_by(f64::total_cmp);
    let (calm, stormy) = (shares[shares.len() / 2], shares[shares.len() - 1]);
    assert!(stormy > 1.5 * calm, "median {calm}, worst {stormy}");
}

/// The report's money is what adding the vouchers as decimals gives, digit for digit and scale
/// for scale, in every breakdown: here in cents, on totals written with different scales, with
/// a category the policy does not list (allowed with an explicit severity).
#[test]
fn report_money_is_the_decimal_sum_of_the_vouchers_in_every_breakdown() {
    let engine = Engine::new(Policy::load("../examples/policies/usd.toml").unwrap());
    let mut simulator = Simulator::new(&engine);
    let mut granted = Decimal::ZERO;
    let mut by_category: HashMap<String, Decimal> = HashMap::new();
    let start = at("2026-11-02T12:00:00-05:00");
    let totals = ["12.5", "40.00", "7.12", "99.99", "23", "61.10", "18.0"];
    let tiers = ["basic", "plus", "premium"];
    let categories = [
        "late_delivery",
        "missing_item",
        "melted_ice_cream",
        "wrong_item",
    ];
    for n in 0..400usize {
        let now = start + TimeDelta::hours(n as i64 * 7);
        let customer = format!("U-{}", n % 37);
        let placed = now - TimeDelta::hours(2);
        let total: Decimal = totals[n % totals.len()].parse().unwrap();
        let order = Order::new(
            OrderId::new(format!("W-{n}")),
            CustomerId::new(&customer),
            total,
            engine.policy().currency(),
            placed,
        )
        .with_delivered_at(placed + TimeDelta::minutes(40));
        let category = categories[n % categories.len()];
        let mut complaint = Complaint::new(category, now - TimeDelta::minutes(20));
        if category == "melted_ice_cream" {
            complaint = complaint.with_severity(Severity::Moderate);
        }
        let tier = tiers[n % tiers.len()];
        let customer =
            Customer::new(CustomerId::new(&customer), TierName::new(tier)).with_name("Sam");
        let request = Request::new(customer, order, complaint);
        let verdict = simulator.replay(&request, now).unwrap();
        if let Some(voucher) = verdict.voucher() {
            granted += voucher.amount();
            *by_category.entry(category.to_owned()).or_default() += voucher.amount();
        }
    }
    let report = simulator.finish();
    assert!(report.totals.granted > 100, "{}", report.totals.granted);
    assert_eq!(report.totals.money_granted.to_string(), granted.to_string());
    for (category, money) in &by_category {
        let counts = report.by_category.get(category).unwrap();
        assert_eq!(
            counts.money_granted.to_string(),
            money.to_string(),
            "{category}"
        );
    }
    let names: Vec<&str> = report.by_category.iter().map(|(name, _)| name).collect();
    assert_eq!(names.last(), Some(&"melted_ice_cream"));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json["totals"]["money_granted"].as_str().unwrap(),
        granted.to_string()
    );
}
