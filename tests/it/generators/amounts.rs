//! Money: order totals, the amounts customers ask for and the values of past vouchers, on the
//! default policy's edges and at the limits of what a request may carry (rupiah have two
//! decimal places in ISO 4217; an amount is at most 10^15).

use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;

/// The largest amount a request may carry, as text.
pub const LARGEST: &str = "1000000000000000";

/// Order totals whose voucher lands on an edge of the default policy: for every severity rate
/// and tier multiplier, the total that computes to the minimum voucher, the agent's authority,
/// the maximum voucher or one step, and a hair (one sen) either side of it.
fn edge_totals() -> Vec<String> {
    let rates = ["0.10", "0.25", "0.50", "1.00"];
    let multipliers = ["1.00", "1.10", "1.25", "1.50"];
    let targets = [1_000i64, 5_000, 100_000, 150_000, 50_000, 250_000];
    let hair = Decimal::new(1, 2);
    let mut totals = Vec::new();
    for rate in rates {
        for multiplier in multipliers {
            let factor: Decimal =
                rate.parse::<Decimal>().unwrap() * multiplier.parse::<Decimal>().unwrap();
            for target in targets {
                // To the sen below: the nearest a total in rupiah can be.
                let exact = (Decimal::from(target) / factor).trunc_with_scale(2);
                for total in [
                    exact,
                    exact.floor(),
                    exact.ceil(),
                    exact - hair,
                    exact + hair,
                ] {
                    if total >= Decimal::from(1_000) {
                        totals.push(total.normalize().to_string());
                    }
                }
            }
        }
    }
    totals
}

/// A decimal at least `least`, with up to two places (sen), written with up to four.
fn long_decimal(least: i64) -> BoxedStrategy<String> {
    (least..least.saturating_mul(1_000), 0u32..=2, any::<u128>())
        .prop_map(move |(whole, places, digits)| {
            if places == 0 {
                return whole.to_string();
            }
            let fraction = digits % 10u128.pow(places);
            format!("{whole}.{fraction:0width$}", width = places as usize)
        })
        .boxed()
}

/// An order total on the default policy: ordinary prices, totals on the policy's edges, sen,
/// and the largest amounts.
pub fn order_total() -> BoxedStrategy<String> {
    prop_oneof![
        4 => (2u64..=2_000).prop_map(|halves| (halves * 500).to_string()),
        1 => (1_000u64..=5_000_000).prop_map(|total| total.to_string()),
        3 => select(edge_totals()),
        1 => long_decimal(1_000),
        1 => select(vec![
            "1000".to_owned(),
            "1000.01".to_owned(),
            "1999.99".to_owned(),
            "4999.99".to_owned(),
            "5000.0000".to_owned(),
            LARGEST.to_owned(),
            "999999999999999.99".to_owned(),
            "100000000000000".to_owned(),
        ]),
    ]
    .boxed()
}

/// An amount the customer asks for: around what the policy gives, on its edges, or extreme.
pub fn requested_amount() -> BoxedStrategy<Option<String>> {
    prop_oneof![
        3 => Just(None),
        2 => (1u64..=200).prop_map(|k| Some((k * 1_000).to_string())),
        2 => select(vec![
            "1000", "4999", "5000", "5000.5", "5001", "33000", "99999", "100000", "100000.01",
            "100001", "149999", "150000", "150001",
        ])
        .prop_map(|amount| Some(amount.to_owned())),
        1 => long_decimal(1_000).prop_map(Some),
        1 => Just(Some(LARGEST.to_owned())),
    ]
    .boxed()
}

/// The value of a past voucher: ordinary, on the tiers' value edges, one sen, or huge.
pub fn past_amount() -> BoxedStrategy<String> {
    prop_oneof![
        4 => (1u64..=150).prop_map(|k| (k * 1_000).to_string()),
        2 => select(vec![
            "5000", "45000", "45001", "44999.5", "95000", "95001", "145000", "245000", "395000",
            "395000.01", "0.01", "0.5", "1",
        ])
        .prop_map(str::to_owned),
        1 => long_decimal(1),
        1 => select(vec![LARGEST, "999999999999999.99", "1000000000"])
            .prop_map(str::to_owned),
    ]
    .boxed()
}
