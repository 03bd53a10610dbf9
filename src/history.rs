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

/// A past voucher as a decision reads it: what [`Engine::decide`](crate::Engine::decide) and
/// [`Engine::verdict`](crate::Engine::verdict) take a history of.
///
/// [`PastVoucher`] implements it; so can the rows a service reads from its database or the
/// records a replay keeps, which the engine then reads where they lie instead of having them
/// copied into `PastVoucher`s first. The engine validates every entry it reads (a positive
/// amount in the policy's currency, granted no later than `now`) and names the failing one as
/// `history[i]` in its error.
///
/// ```
/// use chrono::{DateTime, FixedOffset};
/// use rust_decimal::Decimal;
/// use voucher_policy::{Currency, HistoryEntry, Severity};
///
/// /// A row of a service's `vouchers` table.
/// struct Row {
///     order: String,
///     granted: DateTime<FixedOffset>,
///     amount: Decimal,
/// }
///
/// impl HistoryEntry for Row {
///     fn order_id(&self) -> &str {
///         &self.order
///     }
///     fn granted_at(&self) -> DateTime<FixedOffset> {
///         self.granted
///     }
///     fn amount(&self) -> &Decimal {
///         &self.amount
///     }
///     fn currency(&self) -> Currency {
///         Currency::IDR
///     }
///     fn severity(&self) -> Option<Severity> {
///         None
///     }
/// }
/// # let row = Row { order: "3401".into(), granted: DateTime::parse_from_rfc3339("2026-11-20T12:00:00+07:00")?, amount: Decimal::from(10_000) };
/// # assert_eq!(row.order_id(), "3401");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait HistoryEntry {
    /// The order it compensated.
    fn order_id(&self) -> &str;
    /// When it was granted.
    fn granted_at(&self) -> DateTime<FixedOffset>;
    /// Its value.
    fn amount(&self) -> &Decimal;
    /// Its currency.
    fn currency(&self) -> Currency;
    /// The severity of the complaint it answered, when recorded. An entry without one never
    /// counts as a minor complaint.
    fn severity(&self) -> Option<Severity>;
}

impl<T: HistoryEntry + ?Sized> HistoryEntry for &T {
    #[inline(always)]
    fn order_id(&self) -> &str {
        (**self).order_id()
    }

    #[inline(always)]
    fn granted_at(&self) -> DateTime<FixedOffset> {
        (**self).granted_at()
    }

    #[inline(always)]
    fn amount(&self) -> &Decimal {
        (**self).amount()
    }

    #[inline(always)]
    fn currency(&self) -> Currency {
        (**self).currency()
    }

    #[inline(always)]
    fn severity(&self) -> Option<Severity> {
        (**self).severity()
    }
}

impl HistoryEntry for PastVoucher {
    #[inline(always)]
    fn order_id(&self) -> &str {
        &self.order_id
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
