//! Step 4, limits from history: the tier's count and value over their rolling windows, the
//! cool-down after a voucher for minor complaints, and the repeated-minor-complaints pattern.

use super::Marked;
use crate::situation::Situation;
use crate::{Flag, Flags, Reason, Reasons, Severity};

#[inline(always)]
pub(super) fn check(situation: &Situation<'_>) -> Marked {
    let history = &situation.history;
    let policy = situation.policy;
    let mut reasons = Reasons::new();
    let mut flags = Flags::new();
    if history.vouchers_in_count_window >= situation.tier.voucher_limit {
        reasons.insert(Reason::VoucherLimitReached);
    }
    // Cutting a voucher to what is left of the value limit is the amount step's business; here
    // only "too little left to give any voucher" refuses.
    if situation.value_left < situation.prepared.money.minimum {
        reasons.insert(Reason::VoucherValueLimitReached);
    }
    if situation.severity == Severity::Minor {
        if history.vouchers_in_minor_cooldown > 0 {
            reasons.insert(Reason::MinorComplaintRecentVoucher);
        }
        if history.minor_vouchers_in_pattern_window >= policy.repeated_minor().threshold {
            reasons.insert(Reason::RepeatedMinorComplaints);
            flags.insert(Flag::ReviewCustomer);
        }
    }
    Marked { reasons, flags }
}
