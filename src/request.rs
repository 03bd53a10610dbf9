//! What the agent hands over: who is asking, for which order, about what, and how they behave.
//!
//! Every input is built in one expression: `new` with what it cannot do without, then a
//! `with_*` step for each optional part.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::wire_text::{amount, instant};
use crate::{
    AddressForm, Agent, Channel, Currency, CustomerId, Honorific, Locale, MarketName, OrderId,
    Party, Severity, TierName,
};

/// A compensation request: the customer, their order, the complaint, how the conversation is
/// going, and the amount they asked for.
///
/// The voucher history and the moment of the decision are separate arguments to
/// [`Engine::decide`](crate::Engine::decide), because a service loads them from elsewhere; the
/// JSON wire form bundles all three as a [`Case`](crate::Case).
///
/// ```
/// use chrono::DateTime;
/// use voucher_policy::{
///     AddressForm, Complaint, Currency, Customer, CustomerId, Evidence, Locale, Order, OrderId,
///     Request, TierName,
/// };
///
/// let at = |s| DateTime::parse_from_rfc3339(s);
/// let budi = CustomerId::new("C-1001");
/// let request = Request::new(
///     Customer::new(budi.clone(), TierName::new("gold")).with_name("Budi Santoso"),
///     Order::new(OrderId::new("3449"), budi, 85_000, Currency::IDR, at("2026-11-24T08:10:00+07:00")?)
///         .with_delivered_at(at("2026-11-24T08:55:00+07:00")?),
///     Complaint::new("food_not_hot", at("2026-11-24T09:30:00+07:00")?).with_evidence(Evidence::Photo),
/// )
/// .with_locale(Locale::EN)
/// .with_address(AddressForm::Formal)
/// .with_requested_amount(20_000);
/// assert_eq!(request.customer().name(), Some("Budi Santoso"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) market: Option<MarketName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) locale: Option<Locale>,
    #[serde(default)]
    pub(crate) address: Option<AddressForm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) channel: Option<Channel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) agent_locale: Option<Locale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) agent: Option<Agent>,
    pub(crate) customer: Customer,
    pub(crate) order: Order,
    pub(crate) complaint: Complaint,
    #[serde(default)]
    pub(crate) conduct: Conduct,
    #[serde(
        default,
        deserialize_with = "amount::read_option",
        serialize_with = "rust_decimal::serde::str_option::serialize"
    )]
    pub(crate) requested_amount: Option<Decimal>,
}

impl Request {
    /// A request in Indonesian (in the catalog's default form of address) with good conduct
    /// and no amount named.
    pub fn new(customer: Customer, order: Order, complaint: Complaint) -> Request {
        Request {
            market: None,
            locale: None,
            address: None,
            channel: None,
            agent_locale: None,
            agent: None,
            customer,
            order,
            complaint,
            conduct: Conduct::default(),
            requested_amount: None,
        }
    }

    /// The same request with its script in `locale`; the engine must have a catalog for it.
    pub fn with_locale(mut self, locale: Locale) -> Request {
        self.locale = Some(locale);
        self
    }

    /// The same request, decided on the policy of `market`, one of the engine's markets.
    pub fn with_market(mut self, market: MarketName) -> Request {
        self.market = Some(market);
        self
    }

    /// The same request with its script in the form of address `address` (formal `Bapak/Ibu`
    /// or familiar `Kak` in Indonesian).
    pub fn with_address(mut self, address: AddressForm) -> Request {
        self.address = Some(address);
        self
    }

    /// The same request, answered on `channel` (a chat, unless said otherwise).
    pub fn with_channel(mut self, channel: Channel) -> Request {
        self.channel = Some(channel);
        self
    }

    /// The same request with the agent's note in `locale` (by default the script's locale).
    pub fn with_agent_locale(mut self, locale: Locale) -> Request {
        self.agent_locale = Some(locale);
        self
    }

    /// The same request, decided by `agent` (in the role `agent` with nothing granted today
    /// when not said).
    pub fn with_agent(mut self, agent: Agent) -> Request {
        self.agent = Some(agent);
        self
    }

    /// Who decides, when the request says.
    pub fn agent(&self) -> Option<&Agent> {
        self.agent.as_ref()
    }

    /// The same request with the customer behaving as `conduct` says.
    pub fn with_conduct(mut self, conduct: Conduct) -> Request {
        self.conduct = conduct;
        self
    }

    /// The same request with the customer asking for `amount`.
    pub fn with_requested_amount(mut self, amount: impl Into<Decimal>) -> Request {
        self.requested_amount = Some(amount.into());
        self
    }

    /// The language of the script asked for; the deciding policy's locale (Indonesian in the
    /// default policy) when `None`.
    pub fn locale(&self) -> Option<Locale> {
        self.locale
    }

    /// The market whose policy decides; the engine's first market when `None`.
    pub fn market(&self) -> Option<&MarketName> {
        self.market.as_ref()
    }

    /// The form of address asked for; the locale catalog's default when `None`.
    pub fn address(&self) -> Option<AddressForm> {
        self.address
    }

    /// The channel the script is written for: a chat unless the request says otherwise.
    pub fn channel(&self) -> Channel {
        self.channel.unwrap_or_default()
    }

    /// The locale of the agent's note asked for; the script's when `None`.
    pub fn agent_locale(&self) -> Option<Locale> {
        self.agent_locale
    }

    /// Who is asking.
    pub fn customer(&self) -> &Customer {
        &self.customer
    }

    /// The order the complaint is about.
    pub fn order(&self) -> &Order {
        &self.order
    }

    /// What went wrong.
    pub fn complaint(&self) -> &Complaint {
        &self.complaint
    }

    /// How the customer is behaving in the conversation.
    pub fn conduct(&self) -> &Conduct {
        &self.conduct
    }

    /// The amount the customer asked for, if they named one.
    pub fn requested_amount(&self) -> Option<Decimal> {
        self.requested_amount
    }
}

/// The customer asking for compensation.
///
/// ```
/// use voucher_policy::{Customer, CustomerId, TierName};
///
/// let customer = Customer::new(CustomerId::new("C-1001"), TierName::new("gold")).with_name("Budi Santoso");
/// assert_eq!(customer.loyalty().as_str(), "gold");
/// assert_eq!(customer.name(), Some("Budi Santoso"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    pub(crate) id: CustomerId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    pub(crate) loyalty: TierName,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "instant::read_option"
    )]
    pub(crate) since: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) lists: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) honorific: Option<Honorific>,
}

impl Customer {
    /// A customer: the account id and their loyalty tier (one of the policy's tier names). The
    /// script greets them without a name until [`Customer::with_name`].
    pub fn new(id: CustomerId, loyalty: TierName) -> Self {
        Customer {
            id,
            name: None,
            loyalty,
            since: None,
            lists: Vec::new(),
            honorific: None,
        }
    }

    /// The same customer, called "Pak" or "Bu" before their name in the formal register.
    pub fn with_honorific(mut self, honorific: Honorific) -> Self {
        self.honorific = Some(honorific);
        self
    }

    /// How the customer is called in the formal register, when known.
    pub fn honorific(&self) -> Option<Honorific> {
        self.honorific
    }

    /// The same customer, whose account was made at `since`: the policy may treat a young
    /// account differently.
    pub fn with_since(mut self, since: impl Into<DateTime<FixedOffset>>) -> Self {
        self.since = Some(since.into());
        self
    }

    /// The same customer, on the caller's list called `list` (one the policy knows, such as a
    /// review list).
    pub fn with_list(mut self, list: impl Into<String>) -> Self {
        self.lists.push(list.into());
        self
    }

    /// When the account was made, if the request says.
    pub fn since(&self) -> Option<DateTime<FixedOffset>> {
        self.since
    }

    /// The caller's lists the customer is on.
    pub fn lists(&self) -> &[String] {
        &self.lists
    }

    /// The same customer, addressed by `name` in the script (used verbatim, so it must not be
    /// blank).
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The customer's account id.
    pub fn id(&self) -> &CustomerId {
        &self.id
    }

    /// The name to address them by in the script, when it is known.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The loyalty tier, one of the policy's tier names.
    pub fn loyalty(&self) -> &TierName {
        &self.loyalty
    }
}

/// The order the complaint is about.
///
/// ```
/// use chrono::DateTime;
/// use voucher_policy::{Currency, CustomerId, Order, OrderId};
///
/// let at = |s| DateTime::parse_from_rfc3339(s);
/// let order = Order::new(OrderId::new("3449"), CustomerId::new("C-1001"), 85_000, Currency::IDR, at("2026-11-24T08:10:00+07:00")?)
///     .with_delivered_at(at("2026-11-24T08:55:00+07:00")?);
/// assert_eq!(order.total(), 85_000.into());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    pub(crate) id: OrderId,
    pub(crate) customer_id: CustomerId,
    #[serde(
        deserialize_with = "amount::read",
        serialize_with = "rust_decimal::serde::str::serialize"
    )]
    pub(crate) total: Decimal,
    pub(crate) currency: Currency,
    #[serde(deserialize_with = "instant::read")]
    pub(crate) placed_at: DateTime<FixedOffset>,
    #[serde(default, deserialize_with = "instant::read_option")]
    pub(crate) delivered_at: Option<DateTime<FixedOffset>>,
}

impl Order {
    /// An order: its id, the account that placed it, what was paid (in `currency`, which must be
    /// the policy's) and when it was placed. Not recorded as delivered until
    /// [`Order::with_delivered_at`].
    pub fn new(
        id: OrderId,
        customer_id: CustomerId,
        total: impl Into<Decimal>,
        currency: Currency,
        placed_at: impl Into<DateTime<FixedOffset>>,
    ) -> Self {
        Order {
            id,
            customer_id,
            total: total.into(),
            currency,
            placed_at: placed_at.into(),
            delivered_at: None,
        }
    }

    /// The same order, delivered at `delivered_at`: the claim window runs from here instead of
    /// from the placement.
    pub fn with_delivered_at(mut self, delivered_at: impl Into<DateTime<FixedOffset>>) -> Self {
        self.delivered_at = Some(delivered_at.into());
        self
    }

    /// The order id.
    pub fn id(&self) -> &OrderId {
        &self.id
    }

    /// The account that placed the order.
    pub fn customer_id(&self) -> &CustomerId {
        &self.customer_id
    }

    /// What the customer paid.
    pub fn total(&self) -> Decimal {
        self.total
    }

    /// The currency of the total.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// When the order was placed.
    pub fn placed_at(&self) -> DateTime<FixedOffset> {
        self.placed_at
    }

    /// When it was delivered, if it was.
    pub fn delivered_at(&self) -> Option<DateTime<FixedOffset>> {
        self.delivered_at
    }
}

/// What went wrong, as the agent recorded it.
///
/// ```
/// use chrono::DateTime;
/// use voucher_policy::{Complaint, Evidence, Severity};
///
/// let reported = DateTime::parse_from_rfc3339("2026-11-24T09:30:00+07:00")?;
/// let complaint = Complaint::new("damaged_item", reported)
///     .with_evidence(Evidence::Photo)
///     .with_company_at_fault(true)
///     .with_severity(Severity::Major);
/// assert_eq!(complaint.evidence(), Evidence::Photo);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Complaint {
    pub(crate) category: String,
    #[serde(default)]
    pub(crate) severity: Option<Severity>,
    #[serde(deserialize_with = "instant::read")]
    pub(crate) reported_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub(crate) company_at_fault: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) fault: Option<Party>,
    #[serde(default)]
    pub(crate) evidence: Evidence,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "instant::read_option"
    )]
    pub(crate) evidence_at: Option<DateTime<FixedOffset>>,
}

impl Complaint {
    /// A complaint in a category of the policy (`food_not_hot`, `late_delivery`, `wrong_item`,
    /// `food_safety`, ... in the default policy), reported at `reported_at`; its severity comes
    /// from the category, the company's fault is not assessed, and there is no evidence.
    pub fn new(category: impl Into<String>, reported_at: impl Into<DateTime<FixedOffset>>) -> Self {
        Complaint {
            category: category.into(),
            severity: None,
            reported_at: reported_at.into(),
            company_at_fault: None,
            fault: None,
            evidence: Evidence::None,
            evidence_at: None,
        }
    }

    /// The same complaint with the party at fault established: the policy says whose faults
    /// it compensates, and a customer at fault is refused.
    pub fn with_fault(mut self, fault: Party) -> Self {
        self.fault = Some(fault);
        self
    }

    /// The same complaint, its evidence received at `evidence_at`: a category may count only
    /// evidence that came within a deadline after delivery.
    pub fn with_evidence_at(mut self, evidence_at: impl Into<DateTime<FixedOffset>>) -> Self {
        self.evidence_at = Some(evidence_at.into());
        self
    }

    /// The party at fault, when established.
    pub fn fault(&self) -> Option<Party> {
        self.fault
    }

    /// When the evidence was received, if the request says.
    pub fn evidence_at(&self) -> Option<DateTime<FixedOffset>> {
        self.evidence_at
    }

    /// The same complaint at `severity`, whatever its category says (a category the policy
    /// does not list needs one).
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    /// The same complaint with the company's fault assessed: `false` refuses.
    pub fn with_company_at_fault(mut self, at_fault: bool) -> Self {
        self.company_at_fault = Some(at_fault);
        self
    }

    /// The same complaint backed by `evidence`.
    pub fn with_evidence(mut self, evidence: Evidence) -> Self {
        self.evidence = evidence;
        self
    }

    /// The complaint category.
    pub fn category(&self) -> &str {
        &self.category
    }

    /// The severity the agent set, if any.
    pub fn severity(&self) -> Option<Severity> {
        self.severity
    }

    /// When the customer reported the problem.
    pub fn reported_at(&self) -> DateTime<FixedOffset> {
        self.reported_at
    }

    /// Whether the company was at fault: `Some(false)` refuses, `None` (not assessed) counts as
    /// valid.
    pub fn company_at_fault(&self) -> Option<bool> {
        self.company_at_fault
    }

    /// What backs the complaint up.
    pub fn evidence(&self) -> Evidence {
        self.evidence
    }
}

/// What backs a complaint up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Evidence {
    /// Only the customer's word.
    #[default]
    None,
    /// The customer sent a photo.
    Photo,
    /// The company confirmed the problem itself (courier report, tracking, kitchen log).
    Verified,
}

crate::wire_name::wire_names!(Evidence, "evidence" {
    None => "none",
    Photo => "photo",
    Verified => "verified",
});

/// How the customer is behaving in the conversation. All false by default.
///
/// ```
/// use voucher_policy::{Conduct, Threat};
///
/// let conduct = Conduct::new().with_abusive_language(true).with_threat(Threat::Legal);
/// assert_eq!(conduct.threat(), Some(Threat::Legal));
/// assert!(!conduct.insists_on_supervisor());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conduct {
    #[serde(default)]
    pub(crate) abusive_language: bool,
    #[serde(default)]
    pub(crate) threat: Option<Threat>,
    #[serde(default)]
    pub(crate) insists_on_supervisor: bool,
    #[serde(default)]
    pub(crate) personal_advances: bool,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(crate) warnings_given: u32,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(crate) offers_gift: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(crate) asks_personal_info: bool,
}

fn is_zero(count: &u32) -> bool {
    *count == 0
}

fn is_false(flag: &bool) -> bool {
    !*flag
}

impl Conduct {
    /// Good conduct: nothing to note.
    pub fn new() -> Self {
        Conduct::default()
    }

    /// The same conduct, with insults, vulgarity or swearing at the agent, or not.
    pub fn with_abusive_language(mut self, abusive: bool) -> Self {
        self.abusive_language = abusive;
        self
    }

    /// The same conduct, with a threat of legal action or of physical harm.
    pub fn with_threat(mut self, threat: Threat) -> Self {
        self.threat = Some(threat);
        self
    }

    /// The same conduct, with the customer insisting on someone more senior, or not.
    pub fn with_insists_on_supervisor(mut self, insists: bool) -> Self {
        self.insists_on_supervisor = insists;
        self
    }

    /// The same conduct, with flirting or other personal advances toward the agent, or not.
    pub fn with_personal_advances(mut self, advances: bool) -> Self {
        self.personal_advances = advances;
        self
    }

    /// The same conduct, after `warnings` boundary warnings already given to the customer in
    /// this conversation: past the policy's number, abuse closes the conversation and
    /// persistent advances go to a supervisor.
    pub fn with_warnings_given(mut self, warnings: u32) -> Self {
        self.warnings_given = warnings;
        self
    }

    /// The same conduct, with the customer offering the agent a gift, or not.
    pub fn with_offers_gift(mut self, offers: bool) -> Self {
        self.offers_gift = offers;
        self
    }

    /// The same conduct, with the customer asking for the agent's personal details, or not.
    pub fn with_asks_personal_info(mut self, asks: bool) -> Self {
        self.asks_personal_info = asks;
        self
    }

    /// Boundary warnings already given in this conversation.
    pub fn warnings_given(&self) -> u32 {
        self.warnings_given
    }

    /// The customer offers the agent a gift.
    pub fn offers_gift(&self) -> bool {
        self.offers_gift
    }

    /// The customer asks for the agent's personal details (a phone number, an address).
    pub fn asks_personal_info(&self) -> bool {
        self.asks_personal_info
    }

    /// Insults, vulgarity or swearing at the agent.
    pub fn abusive_language(&self) -> bool {
        self.abusive_language
    }

    /// A threat of legal action or of physical harm.
    pub fn threat(&self) -> Option<Threat> {
        self.threat
    }

    /// The customer insists on speaking to someone more senior.
    pub fn insists_on_supervisor(&self) -> bool {
        self.insists_on_supervisor
    }

    /// Flirting or other personal advances toward the agent.
    pub fn personal_advances(&self) -> bool {
        self.personal_advances
    }
}

/// A threat made by the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Threat {
    /// A threat to sue, report to regulators or go to a lawyer.
    Legal,
    /// A threat of physical harm to staff or property.
    Physical,
}

crate::wire_name::wire_names!(Threat, "threat" {
    Legal => "legal",
    Physical => "physical",
});
