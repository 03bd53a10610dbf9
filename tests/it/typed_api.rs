//! The typed API: every input built in one expression, identifiers that cannot be swapped,
//! every wire enum parsed from and printed as its wire name, `now` from any offset, and
//! histories of any entry type.

use chrono::{DateTime, FixedOffset, Utc};
use voucher_policy::{
    AddressForm, Alternative, Complaint, Conduct, Currency, Customer, CustomerId, Engine,
    EscalationTarget, Evidence, Flag, Locale, Order, OrderId, Outcome, PastVoucher, Reason,
    Request, Severity, Threat, TierName,
};

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

/// A request built in one expression, with every optional part.
fn request() -> Request {
    let rina = CustomerId::new("C-7");
    Request::new(
        Customer::new(rina.clone(), TierName::new("gold")).with_name("Rina"),
        Order::new(
            OrderId::new("7001"),
            rina,
            120_000,
            Currency::IDR,
            at("2026-11-24T08:00:00+07:00"),
        )
        .with_delivered_at(at("2026-11-24T08:40:00+07:00")),
        Complaint::new("damaged_item", at("2026-11-24T09:00:00+07:00"))
            .with_evidence(Evidence::Photo)
            .with_company_at_fault(true)
            .with_severity(Severity::Major),
    )
    .with_locale(Locale::EN)
    .with_address(AddressForm::Formal)
    .with_conduct(Conduct::new().with_insists_on_supervisor(false))
    .with_requested_amount(20_000)
}

#[test]
fn every_part_of_a_request_reads_back_as_it_was_built() {
    let request = request();
    assert_eq!(request.customer().id(), "C-7");
    assert_eq!(request.customer().name(), Some("Rina"));
    assert_eq!(request.customer().loyalty(), "gold");
    assert_eq!(request.order().id(), "7001");
    assert_eq!(request.order().customer_id(), "C-7");
    assert_eq!(request.order().total(), 120_000.into());
    assert_eq!(
        request.order().delivered_at(),
        Some(at("2026-11-24T08:40:00+07:00"))
    );
    assert_eq!(request.complaint().evidence(), Evidence::Photo);
    assert_eq!(request.complaint().company_at_fault(), Some(true));
    assert_eq!(request.complaint().severity(), Some(Severity::Major));
    assert_eq!(request.locale(), Some(Locale::EN));
    assert_eq!(request.address(), Some(AddressForm::Formal));
    assert_eq!(request.requested_amount(), Some(20_000.into()));
    // Built in code or read from the wire, it is the same request.
    let json = serde_json::to_string(&voucher_policy::Case::new(
        at("2026-11-24T10:00:00+07:00"),
        request.clone(),
        Vec::new(),
    ))
    .unwrap();
    let read = voucher_policy::Case::from_json(&json).unwrap();
    assert_eq!(read.request(), &request);
}

#[test]
fn a_decision_takes_now_in_any_offset_and_utc() {
    let engine = Engine::default();
    let request = request();
    let now = at("2026-11-24T10:00:00+07:00");
    let expected = engine.decide(&request, PastVoucher::NONE, now).unwrap();
    let utc: DateTime<Utc> = now.with_timezone(&Utc);
    assert_eq!(
        engine.decide(&request, PastVoucher::NONE, utc).unwrap(),
        expected
    );
    // The clock itself is accepted too (the request is then later than its times).
    assert!(
        engine
            .verdict(&request, PastVoucher::NONE, Utc::now())
            .is_ok()
    );
}

#[test]
fn past_vouchers_take_the_order_s_argument_order() {
    let voucher = PastVoucher::new(
        OrderId::new("3401"),
        10_000,
        Currency::IDR,
        at("2026-11-20T12:00:00+07:00"),
    )
    .with_severity(Severity::Minor);
    assert_eq!(voucher.order_id(), "3401");
    assert_eq!(voucher.amount(), 10_000.into());
    assert_eq!(voucher.currency(), Currency::IDR);
    assert_eq!(voucher.severity(), Some(Severity::Minor));
}

/// Every wire name of `T` parses back to a value that prints as it, and a name that is not
/// one is an error listing the known ones.
fn round_trip<T>(names: &[&str], what: &str)
where
    T: std::str::FromStr<Err = voucher_policy::WireNameError> + std::fmt::Display,
{
    for name in names {
        let value: T = name
            .parse()
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(value.to_string(), *name);
    }
    let error = "Not-A-Name".parse::<T>().err().unwrap();
    assert_eq!(error.what(), what);
    assert_eq!(error.text(), "Not-A-Name");
    assert_eq!(error.known(), names);
    assert!(
        error
            .to_string()
            .starts_with(&format!("\"Not-A-Name\" is not a {what} (known: "))
    );
}

#[test]
fn every_wire_enum_parses_and_prints_its_wire_name() {
    round_trip::<Severity>(Severity::NAMES, "severity");
    round_trip::<Evidence>(Evidence::NAMES, "evidence");
    round_trip::<Threat>(Threat::NAMES, "threat");
    round_trip::<Outcome>(Outcome::NAMES, "outcome");
    round_trip::<EscalationTarget>(EscalationTarget::NAMES, "escalation target");
    round_trip::<AddressForm>(AddressForm::NAMES, "form of address");
    use voucher_policy::Code;
    let reasons: Vec<&str> = Reason::ALL.iter().map(|code| code.as_str()).collect();
    round_trip::<Reason>(&reasons, "reason");
    let flags: Vec<&str> = Flag::ALL.iter().map(|code| code.as_str()).collect();
    round_trip::<Flag>(&flags, "flag");
    let ways: Vec<&str> = Alternative::ALL.iter().map(|code| code.as_str()).collect();
    round_trip::<Alternative>(&ways, "alternative");
    // The wire names are serde's.
    for severity in Severity::ALL {
        assert_eq!(
            serde_json::to_value(severity).unwrap(),
            serde_json::json!(severity.to_string())
        );
    }
}

#[test]
fn the_region_s_currencies_are_constants() {
    for (constant, code, places) in [
        (Currency::IDR, "IDR", 2),
        (Currency::MYR, "MYR", 2),
        (Currency::SGD, "SGD", 2),
        (Currency::THB, "THB", 2),
        (Currency::PHP, "PHP", 2),
        (Currency::VND, "VND", 0),
        (Currency::USD, "USD", 2),
    ] {
        assert_eq!(constant, code.parse::<Currency>().unwrap());
        assert_eq!(constant.to_string(), code);
        assert_eq!(constant.minor_units(), Some(places), "{code}");
    }
}
