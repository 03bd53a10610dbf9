//! Step 4, limits from history: each of the tier's count and value limits over its rolling
//! window, a young account's lifetime limit, the cool-down after a voucher for minor complaints,
//! and the repeated-minor-complaints pattern.

use super::Marked;
use crate::situation::Situation;
use crate::{Flag, Flags, Reason, Reasons, Severity};

#[inline(always)]
pub(super) fn check(situation: &Situation<'_>) -> Marked {
    let history = &situation.history;
    let policy = situation.policy;
    let windows = &situation.prepared.windows;
    let mut reasons = Reasons::new();
    let mut flags = Flags::new();
    if situation
        .tier_money
        .count_limits()
        .iter()
        .any(|(position, limit)| history.vouchers_in(*position) >= *limit)
    {
        reasons.insert(Reason::VoucherLimitReached);
    }
    // Cutting a voucher to what is left of the value limits is the amount step's business; here
    // only "too little left to give any voucher" refuses.
    if situation.value_left < situation.prepared.money.minimum {
        reasons.insert(Reason::VoucherValueLimitReached);
    }
    if situation.young
        && policy
            .young_accounts()
            .and_then(|young| young.lifetime_vouchers)
            .is_some_and(|limit| history.vouchers_ever >= limit)
    {
        reasons.insert(Reason::YoungAccountLimitReached);
    }
    if situation.severity == Severity::Minor {
        if history.vouchers_in(windows.cooldown) > 0 {
            reasons.insert(Reason::MinorComplaintRecentVoucher);
        }
        if history.minor_vouchers_in(windows.pattern) >= policy.repeated_minor().threshold {
            reasons.insert(Reason::RepeatedMinorComplaints);
            flags.insert(Flag::ReviewCustomer);
        }
    }
    Marked { reasons, flags }
}
