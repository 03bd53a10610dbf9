//! The customer's voucher history and what the policy's windows see of it.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::wire_text::instant;
use crate::{Currency, Severity};

/// A voucher the customer was granted before.
///
/// ```
/// use chrono::DateTime;
/// use voucher_policy::{Currency, PastVoucher, Severity};
///
/// let granted_at = DateTime::parse_from_rfc3339("2026-11-20T12:00:00+07:00")?;
/// let mut voucher = PastVoucher::new("3401", granted_at, "10000".parse()?, Currency::IDR);
/// voucher.severity = Some(Severity::Minor);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PastVoucher {
    /// The order it compensated.
    pub order_id: String,
    /// When it was granted; must not be after `now`.
    #[serde(deserialize_with = "instant::read")]
    pub granted_at: DateTime<FixedOffset>,
    /// Its value; must be positive.
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    /// Its currency; must be the policy's currency.
    pub currency: Currency,
    /// The severity of the complaint it answered, when recorded. An entry without one never
    /// counts as a minor complaint.
    #[serde(default)]
    pub severity: Option<Severity>,
}

impl PastVoucher {
    /// A past voucher with no recorded severity.
    pub fn new(
        order_id: impl Into<String>,
        granted_at: DateTime<FixedOffset>,
        amount: Decimal,
        currency: Currency,
    ) -> Self {
        PastVoucher {
            order_id: order_id.into(),
            granted_at,
            amount,
            currency,
            severity: None,
        }
    }
}

/// A past voucher as a decision reads it.
///
/// The engine measures a history of any such entries: the [`PastVoucher`]s of a request, or the
/// compact records a replay keeps (`simulation::histories`), read where they lie instead of
/// being copied into `PastVoucher`s first.
pub(crate) trait PastEntry {
    /// The order it compensated, as bytes of UTF-8.
    fn order_id(&self) -> &[u8];
    /// When it was granted.
    fn granted_at(&self) -> DateTime<FixedOffset>;
    /// Its value.
    fn amount(&self) -> &Decimal;
    /// Its currency.
    fn currency(&self) -> Currency;
    /// The severity of the complaint it answered, when recorded.
    fn severity(&self) -> Option<Severity>;
}

impl PastEntry for PastVoucher {
    #[inline(always)]
    fn order_id(&self) -> &[u8] {
        self.order_id.as_bytes()
    }

    #[inline(always)]
    fn granted_at(&self) -> DateTime<FixedOffset> {
        self.granted_at
    }

    #[inline(always)]
    fn amount(&self) -> &Decimal {
        &self.amount
    }

    #[inline(always)]
    fn currency(&self) -> Currency {
        self.currency
    }

    #[inline(always)]
    fn severity(&self) -> Option<Severity> {
        self.severity
    }
}
