//! The JSON wire form of a request: the request, the history and the moment, in one object.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[cfg(feature = "json")]
use crate::CaseError;
use crate::wire_text::{amount, instant};
use crate::{
    AddressForm, Agent, Channel, Complaint, Conduct, Customer, Locale, MarketName, Order,
    PastVoucher, Request,
};

/// Everything one decision needs, as the JSON wire contract carries it: the [`Request`], the
/// customer's voucher history, and `now`.
///
/// Reading rejects unknown fields and names the path of any field it cannot read.
///
/// ```
/// use voucher_policy::{Case, Engine, Outcome};
///
/// let case = Case::from_json(r#"{
///   "now": "2026-11-24T10:00:00+07:00",
///   "customer": {"id": "C-7", "name": "Sari", "loyalty": "silver"},
///   "order": {"id": "5120", "customer_id": "C-7", "total": "120000", "currency": "IDR",
///             "placed_at": "2026-11-24T08:00:00+07:00", "delivered_at": "2026-11-24T09:40:00+07:00"},
///   "complaint": {"category": "late_delivery", "reported_at": "2026-11-24T09:45:00+07:00"}
/// }"#)?;
/// let decision = Engine::default().decide_case(&case)?;
/// assert_eq!(decision.outcome(), Outcome::Granted);
/// assert_eq!(decision.voucher().map(|v| v.amount().to_string()), Some("33000".to_owned()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    now: DateTime<FixedOffset>,
    request: Request,
    history: Vec<PastVoucher>,
}

impl Case {
    /// A case from its parts: the moment of the decision, the request and the customer's earlier
    /// vouchers, in any order.
    pub fn new(
        now: impl Into<DateTime<FixedOffset>>,
        request: Request,
        history: Vec<PastVoucher>,
    ) -> Self {
        Case {
            now: now.into(),
            request,
            history,
        }
    }

    /// The moment of the decision.
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.now
    }

    /// The request.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The customer's earlier vouchers.
    pub fn history(&self) -> &[PastVoucher] {
        &self.history
    }

    /// Splits the case into `now`, the request and the history.
    pub fn into_parts(self) -> (DateTime<FixedOffset>, Request, Vec<PastVoucher>) {
        (self.now, self.request, self.history)
    }

    /// Reads a case from JSON text, naming the path of a field that cannot be read.
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn from_json(text: &str) -> Result<Case, CaseError> {
        // Most texts read: read them without tracking the path, which costs an allocation per
        // field name. Only a text that does not read is read again, for the path of the error.
        if let Ok(case) = serde_json::from_str(text) {
            return Ok(case);
        }
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let case: Case = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|error| CaseError::new(path_of(&error), error.into_inner().to_string()))?;
        deserializer
            .end()
            .map_err(|error| CaseError::new(None, error.to_string()))?;
        Ok(case)
    }
}

/// The path `serde_path_to_error` found, or `None` for the whole text.
#[cfg(feature = "json")]
fn path_of(error: &serde_path_to_error::Error<serde_json::Error>) -> Option<String> {
    let path = error.path().to_string();
    (path != ".").then_some(path)
}

/// The flat JSON object of the wire contract, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseWire {
    #[serde(deserialize_with = "instant::read")]
    now: DateTime<FixedOffset>,
    #[serde(default)]
    market: Option<MarketName>,
    #[serde(default)]
    locale: Option<Locale>,
    #[serde(default)]
    address: Option<AddressForm>,
    #[serde(default)]
    channel: Option<Channel>,
    #[serde(default)]
    agent_locale: Option<Locale>,
    #[serde(default)]
    agent: Option<Agent>,
    customer: Customer,
    order: Order,
    complaint: Complaint,
    #[serde(default)]
    conduct: Conduct,
    #[serde(default, deserialize_with = "amount::read_option")]
    requested_amount: Option<Decimal>,
    #[serde(default)]
    history: Vec<PastVoucher>,
}

/// The wire form written out: `now`, the request's own fields, then the history, borrowed.
#[derive(Serialize)]
struct CaseOut<'a> {
    now: DateTime<FixedOffset>,
    #[serde(flatten)]
    request: &'a Request,
    history: &'a [PastVoucher],
}

impl Serialize for Case {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        CaseOut {
            now: self.now,
            request: &self.request,
            history: &self.history,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Case {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = CaseWire::deserialize(deserializer)?;
        Ok(Case {
            now: wire.now,
            request: Request {
                market: wire.market,
                locale: wire.locale,
                address: wire.address,
                channel: wire.channel,
                agent_locale: wire.agent_locale,
                agent: wire.agent,
                customer: wire.customer,
                order: wire.order,
                complaint: wire.complaint,
                conduct: wire.conduct,
                requested_amount: wire.requested_amount,
            },
            history: wire.history,
        })
    }
}
