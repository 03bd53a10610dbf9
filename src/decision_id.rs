//! A decision's id: a hash of everything it was decided from, so the same case under the same
//! policy has the same id on every machine, and any change gives another.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed, xxh3_128};

use crate::{ApprovalRecord, Fingerprint, HistoryEntry, Request, Severity};

/// The id of a decision: 32 lowercase hex digits, the XXH3-128 hash of the case it decided (the
/// request, the history, `now`) and the deciding policy's [`Fingerprint`].
///
/// Deciding the same case again under the same policy gives the same id, so a service that
/// stores decisions by id stores a retried request once. The offset an instant is written in
/// and an amount's trailing zeros do not change it, nor does the history's order, as they do not
/// change the decision.
///
/// ```
/// use std::str::FromStr;
/// use voucher_policy::DecisionId;
///
/// let id = DecisionId::from_str("0123456789abcdef0123456789abcdef")?;
/// assert_eq!(id.to_string(), "0123456789abcdef0123456789abcdef");
/// assert!(DecisionId::from_str("not an id").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DecisionId([u8; 16]);

impl DecisionId {
    /// The 16 bytes of the hash.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The id of deciding `request` with `history` at `now` under the policy `fingerprint`.
    pub(crate) fn of<H: HistoryEntry>(
        request: &Request,
        history: &[H],
        now: DateTime<FixedOffset>,
        fingerprint: Fingerprint,
    ) -> DecisionId {
        // Written into one buffer and hashed at once: many small updates of a streaming
        // hasher cost more than the copy.
        let mut case = Writer(Vec::with_capacity(512));
        case.bytes(b"voucher-policy decision 1");
        case.bytes(fingerprint.as_bytes());
        case.time(now);
        case.request(request);
        // Each entry hashed on its own and the hashes added: the same entries in any order give
        // the same sum, as they give the same decision.
        let entries = history
            .iter()
            .fold(0_u64, |sum, entry| sum.wrapping_add(entry_hash(entry)));
        case.count(history.len());
        case.bytes(&entries.to_le_bytes());
        DecisionId(xxh3_128(&case.0).to_le_bytes())
    }
}

impl DecisionId {
    /// The id of approving: the case decided again, and the approval's own parts.
    pub(crate) fn of_approval(case: DecisionId, approval: &ApprovalRecord) -> DecisionId {
        let mut writer = Writer(Vec::with_capacity(128));
        writer.bytes(b"voucher-policy approval 1");
        writer.bytes(&case.0);
        writer.bytes(&approval.of().0);
        writer.text(approval.approver().as_str());
        writer.text(approval.role().as_str());
        writer.optional(approval.override_reason(), Writer::text);
        DecisionId(xxh3_128(&writer.0).to_le_bytes())
    }
}

/// The amount without trailing zeros, so 85000 and 85000.00 are the same amount; a whole
/// amount, as most are, is already so.
fn canonical(amount: Decimal) -> Decimal {
    if amount.scale() == 0 {
        amount
    } else {
        amount.normalize()
    }
}

/// One history entry's hash: its fixed-size parts laid out in 33 bytes on the stack, then the
/// order id, each hashed at once.
fn entry_hash<H: HistoryEntry>(entry: &H) -> u64 {
    let granted_at = entry.granted_at();
    let when = u128::from(granted_at.timestamp() as u64)
        | (u128::from(granted_at.timestamp_subsec_nanos()) << 64)
        | (u128::from(u32::from_le_bytes(entry.currency().code())) << 96);
    let amount = u128::from_le_bytes(canonical(*entry.amount()).serialize());
    let severity = match entry.severity() {
        None => 0,
        Some(Severity::Minor) => 1,
        Some(Severity::Moderate) => 2,
        Some(Severity::Major) => 3,
        Some(Severity::Critical) => 4,
    };
    let mut fixed = [0_u8; 33];
    let (first, rest) = fixed.split_at_mut(16);
    first.copy_from_slice(&when.to_le_bytes());
    let (second, last) = rest.split_at_mut(16);
    second.copy_from_slice(&amount.to_le_bytes());
    if let Some(byte) = last.first_mut() {
        *byte = severity;
    }
    xxh3_64_with_seed(entry.order_id_bytes(), xxh3_64(&fixed))
}

/// Writes values into the hash so that no two different cases write the same bytes: every
/// text is preceded by its length, every optional value by whether it is there.
struct Writer(Vec<u8>);

impl Writer {
    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    #[inline]
    fn count(&mut self, count: usize) {
        self.bytes(&(count as u64).to_le_bytes());
    }

    #[inline]
    fn text(&mut self, text: &str) {
        self.count(text.len());
        self.bytes(text.as_bytes());
    }

    #[inline]
    fn flag(&mut self, flag: bool) {
        self.0.push(u8::from(flag));
    }

    /// The instant alone: the same moment written in another offset decides the same.
    #[inline]
    fn time(&mut self, time: DateTime<FixedOffset>) {
        self.bytes(&time.timestamp().to_le_bytes());
        self.bytes(&time.timestamp_subsec_nanos().to_le_bytes());
    }

    #[inline]
    fn amount(&mut self, amount: Decimal) {
        self.bytes(&canonical(amount).serialize());
    }

    #[inline]
    fn optional<T>(&mut self, value: Option<T>, write: impl FnOnce(&mut Self, T)) {
        self.flag(value.is_some());
        if let Some(value) = value {
            write(self, value);
        }
    }

    fn request(&mut self, request: &Request) {
        // Destructured whole, so a field added to the request cannot be left out of the id
        // without this failing to compile.
        let Request {
            market,
            locale,
            address,
            channel,
            agent_locale,
            agent,
            customer,
            order,
            complaint,
            conduct,
            requested_amount,
        } = request;
        self.optional(market.as_ref(), |w, market| w.text(market.as_str()));
        self.optional(*locale, |w, locale| w.text(locale.as_str()));
        self.optional(*address, |w, address| w.text(address.as_str()));
        self.text(channel.unwrap_or_default().as_str());
        self.optional(*agent_locale, |w, locale| w.text(locale.as_str()));
        self.optional(agent.as_ref(), |w, agent| {
            w.text(agent.id.as_str());
            w.text(agent.role.as_str());
            w.amount(agent.granted_today);
        });

        let crate::Customer {
            id,
            name,
            loyalty,
            since,
            lists,
            honorific,
        } = customer;
        self.text(id.as_str());
        self.optional(name.as_deref(), Writer::text);
        self.text(loyalty.as_str());
        self.optional(*since, Writer::time);
        self.count(lists.len());
        for list in lists {
            self.text(list);
        }
        self.optional(*honorific, |w, honorific| w.text(honorific.as_str()));

        let crate::Order {
            id,
            customer_id,
            total,
            currency,
            placed_at,
            delivered_at,
        } = order;
        self.text(id.as_str());
        self.text(customer_id.as_str());
        self.amount(*total);
        self.text(currency.as_str());
        self.time(*placed_at);
        self.optional(*delivered_at, Writer::time);

        let crate::Complaint {
            category,
            severity,
            reported_at,
            company_at_fault,
            fault,
            evidence,
            evidence_at,
        } = complaint;
        self.text(category);
        self.optional(*severity, |w, severity| w.text(severity.as_str()));
        self.time(*reported_at);
        self.optional(*company_at_fault, Writer::flag);
        self.optional(*fault, |w, fault| w.text(crate::Code::as_str(&fault)));
        self.text(evidence.as_str());
        self.optional(*evidence_at, Writer::time);

        let crate::Conduct {
            abusive_language,
            threat,
            insists_on_supervisor,
            personal_advances,
            warnings_given,
            offers_gift,
            asks_personal_info,
        } = conduct;
        self.flag(*abusive_language);
        self.optional(*threat, |w, threat| w.text(threat.as_str()));
        self.flag(*insists_on_supervisor);
        self.flag(*personal_advances);
        self.count(*warnings_given as usize);
        self.flag(*offers_gift);
        self.flag(*asks_personal_info);

        self.optional(*requested_amount, Writer::amount);
    }
}

impl fmt::Display for DecisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::hex::write(f, &self.0)
    }
}

impl fmt::Debug for DecisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DecisionId({self})")
    }
}

/// The text is not a decision id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a decision id (32 hex digits)")]
pub struct DecisionIdError {
    text: String,
}

impl FromStr for DecisionId {
    type Err = DecisionIdError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut bytes = [0_u8; 16];
        match crate::hex::read(text, &mut bytes) {
            Some(()) => Ok(DecisionId(bytes)),
            None => Err(DecisionIdError {
                text: text.to_owned(),
            }),
        }
    }
}

impl Serialize for DecisionId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DecisionId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        DecisionId::from_str(&text).map_err(serde::de::Error::custom)
    }
}
