//! Names and ids a script or a log writes: a blank one, or one with a control character or a
//! line break, is an error naming the field, in the typed API and on the wire.

use serde_json::json;
use voucher_policy::{Engine, OrderId, PastVoucher, Problem};

use crate::common::{case, days_ago, error, past, with};

#[test]
fn a_blank_name_or_id_is_an_error_naming_the_field() {
    for (pointer, field) in [
        ("/customer/id", "customer.id"),
        ("/customer/name", "customer.name"),
        ("/order/id", "order.id"),
        ("/order/customer_id", "order.customer_id"),
        ("/complaint/category", "complaint.category"),
    ] {
        for blank in ["", " ", "\u{3000}\t "] {
            let error = error(&with(&[(pointer, json!(blank))]));
            assert_eq!(error.field(), field, "{pointer} = {blank:?}");
            assert_eq!(error.problem(), &Problem::Blank, "{pointer}");
            assert_eq!(error.value(), format!("{blank:?}"));
        }
    }
}

#[test]
fn a_blank_history_order_id_is_an_error_and_never_matches_another() {
    let error = error(&with(&[(
        "/history",
        json!([
            past("3401", &days_ago(40), "10000", None),
            past(" ", &days_ago(50), "10000", None)
        ]),
    )]));
    assert_eq!(error.field(), "history[1].order_id");
    assert_eq!(error.problem(), &Problem::Blank);
    // In the typed API too, whatever the entry's type.
    let case = case(&with(&[]));
    let history = [PastVoucher::new(
        OrderId::new(""),
        10_000,
        voucher_policy::Currency::IDR,
        case.now(),
    )];
    let error = Engine::default()
        .verdict(case.request(), &history, case.now())
        .unwrap_err();
    assert_eq!(error.field(), "history[0].order_id");
}

#[test]
fn a_control_character_or_line_break_is_an_error_naming_where_it_is() {
    for (pointer, field, text, character, position) in [
        ("/customer/name", "customer.name", "Budi\nSantoso", '\n', 5),
        ("/customer/name", "customer.name", "Budi\u{7}", '\u{7}', 5),
        ("/order/id", "order.id", "34\u{0}49", '\u{0}', 3),
        ("/order/id", "order.id", "3449\u{2028}", '\u{2028}', 5),
        ("/customer/id", "customer.id", "C-1001\r", '\r', 7),
        (
            "/order/customer_id",
            "order.customer_id",
            "\u{1b}[31mC-1",
            '\u{1b}',
            1,
        ),
        ("/customer/name", "customer.name", "Đặng\u{85}", '\u{85}', 5),
    ] {
        let error = error(&with(&[(pointer, json!(text))]));
        assert_eq!(error.field(), field, "{text:?}");
        assert_eq!(
            error.problem(),
            &Problem::ControlCharacter {
                character,
                position
            },
            "{text:?}"
        );
    }
    // Unicode names in any script, and bidirectional marks, are names.
    for name in ["Đặng Thị Hồng", "山田太郎", "محمد", "🙂", " Budi"] {
        let decided = crate::common::try_decide(&with(&[("/customer/name", json!(name))]));
        assert!(decided.is_ok(), "{name:?}: {decided:?}");
    }
}

#[test]
fn a_customer_without_a_name_is_decided_and_greeted_without_one() {
    let mut json = with(&[]);
    json["customer"].as_object_mut().unwrap().remove("name");
    let decision = crate::common::try_decide(&json).unwrap();
    assert!(decision.script().text().starts_with("Halo Kak, "));
}
