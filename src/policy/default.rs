//! The embedded default policy of the design: IDR, five loyalty tiers, 48-hour claims.

use std::sync::OnceLock;

use chrono::{FixedOffset, Offset, Utc};
use rust_decimal::Decimal;

use super::{
    Category, ConductRules, FaultRules, Fingerprint, FollowUpTimes, Policy, PolicyId,
    RepeatedMinorRule, Role, SeverityRates, SeverityShares, Tier,
};
use crate::{Alternative, Alternatives, Currency, Locale, Reason, Severity, Window};

impl Default for Policy {
    /// The embedded default policy: IDR in steps of 1,000, five loyalty tiers, 48-hour claims.
    fn default() -> Self {
        // Worked out once a process: the default's canonical form never changes.
        static FINGERPRINT: OnceLock<Fingerprint> = OnceLock::new();
        let mut policy = Policy::unsealed_default();
        let fingerprint = *FINGERPRINT.get_or_init(|| Fingerprint::of(&policy));
        policy.sealed_with(fingerprint);
        policy
    }
}

impl Policy {
    fn unsealed_default() -> Policy {
        let days = |n| Window::days(n).unwrap_or(Window::DAY);
        let idr = Decimal::from;
        let tier = |name: &str, voucher_limit, value_limit: i64, multiplier: Decimal, thank| Tier {
            name: name.to_owned(),
            voucher_limit,
            value_limit: idr(value_limit),
            multiplier,
            thank_loyalty: thank,
            limits: Vec::new(),
        };
        let category = Category::plain;
        use Alternative::*;
        let offer = |list: &[Alternative]| list.iter().copied().collect::<Alternatives>();
        Policy {
            id: PolicyId::new("default", "1"),
            currency: Currency::IDR,
            step: idr(1_000),
            local_offset: FixedOffset::east_opt(7 * 3_600).unwrap_or(Utc.fix()),
            minimum_voucher: idr(5_000),
            maximum_voucher: idr(150_000),
            agent_authority: idr(100_000),
            voucher_validity: days(30),
            claim_window: Window::hours(48).unwrap_or(Window::DAY),
            count_window: days(7),
            value_window: days(30),
            minor_cooldown: days(7),
            repeated_minor: RepeatedMinorRule {
                threshold: 3,
                window: days(30),
            },
            tiers: vec![
                tier("new", 1, 50_000, Decimal::ONE, false),
                tier("regular", 2, 100_000, Decimal::ONE, false),
                tier("silver", 2, 150_000, Decimal::new(11, 1), true),
                tier("gold", 3, 250_000, Decimal::new(125, 2), true),
                tier("platinum", 3, 400_000, Decimal::new(15, 1), true),
            ],
            severity_rates: SeverityRates {
                minor: Decimal::new(1, 1),
                moderate: Decimal::new(25, 2),
                major: Decimal::new(5, 1),
                // Always escalated; on the merits the supervisor is shown a full refund, capped
                // by the maximum voucher and the limits like any other amount.
                critical: Decimal::ONE,
            },
            categories: vec![
                category("food_not_hot", Severity::Minor),
                category("slow_website", Severity::Minor),
                category("packaging", Severity::Minor),
                category("late_delivery", Severity::Moderate),
                category("missing_item", Severity::Moderate),
                category("rude_courier", Severity::Moderate),
                category("wrong_item", Severity::Major),
                category("damaged_item", Severity::Major),
                category("order_not_received", Severity::Major),
                category("food_safety", Severity::Critical),
            ],
            alternatives: vec![
                (Reason::OrderCustomerMismatch, offer(&[AccountCheck])),
                (Reason::OrderAlreadyCompensated, offer(&[PrioritySupport])),
                (
                    Reason::ClaimWindowExpired,
                    offer(&[FeedbackForwarded, PrioritySupport]),
                ),
                (
                    Reason::NotCompanyFault,
                    offer(&[FeedbackForwarded, PrioritySupport]),
                ),
                (Reason::EvidenceRequired, offer(&[SendPhoto, Replacement])),
                (Reason::VoucherLimitReached, offer(&[PrioritySupport])),
                (Reason::VoucherValueLimitReached, offer(&[PrioritySupport])),
                (
                    Reason::MinorComplaintRecentVoucher,
                    offer(&[FeedbackForwarded, PrioritySupport]),
                ),
                (
                    Reason::RepeatedMinorComplaints,
                    offer(&[FeedbackForwarded, PrioritySupport]),
                ),
            ],
            maximum_share: SeverityShares::default(),
            young_accounts: None,
            fault: FaultRules::default(),
            lists: Vec::new(),
            locale: Locale::ID,
            conduct: ConductRules::default(),
            follow_up: FollowUpTimes::default(),
            roles: vec![
                Role {
                    name: Role::AGENT.to_owned(),
                    authority: idr(100_000),
                    daily_budget: Some(idr(1_000_000)),
                    approves: false,
                },
                Role {
                    name: "supervisor".to_owned(),
                    authority: idr(300_000),
                    daily_budget: Some(idr(5_000_000)),
                    approves: true,
                },
            ],
        }
    }
}
