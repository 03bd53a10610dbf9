//! What the agent hands over: who is asking, for which order, about what, and how they behave.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::wire_text::instant;
use crate::{AddressForm, Currency, Locale, Severity};

/// A compensation request: the customer, their order, the complaint, how the conversation is
/// going, and the amount they asked for.
///
/// The voucher history and the moment of the decision are separate arguments to
/// [`Engine::decide`](crate::Engine::decide), because a service loads them from elsewhere; the
/// JSON wire form bundles all three as a [`Case`](crate::Case).
///
/// ```
/// use chrono::DateTime;
/// use voucher_policy::{AddressForm, Complaint, Customer, Currency, Locale, Order, Request};
///
/// let at = |s| DateTime::parse_from_rfc3339(s);
/// let customer = Customer::new("C-1001", "Budi Santoso", "gold");
/// let mut order = Order::new("3449", "C-1001", "85000".parse()?, Currency::IDR, at("2026-11-24T08:10:00+07:00")?);
/// order.delivered_at = Some(at("2026-11-24T08:55:00+07:00")?);
/// let complaint = Complaint::new("food_not_hot", at("2026-11-24T09:30:00+07:00")?);
/// let mut request = Request::new(customer, order, complaint);
/// request.locale = Locale::EN;
/// request.address = Some(AddressForm::Formal);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Request {
    /// The language of the script. Indonesian unless asked otherwise; the engine must have a
    /// catalog for it.
    #[serde(default)]
    pub locale: Locale,
    /// The form of address of the script (formal `Bapak/Ibu` or familiar `Kak` in Indonesian);
    /// the locale catalog's default when `None`.
    #[serde(default)]
    pub address: Option<AddressForm>,
    /// Who is asking.
    pub customer: Customer,
    /// The order the complaint is about.
    pub order: Order,
    /// What went wrong.
    pub complaint: Complaint,
    /// How the customer is behaving in the conversation.
    #[serde(default)]
    pub conduct: Conduct,
    /// The amount the customer asked for, if they named one.
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub requested_amount: Option<Decimal>,
}

impl Request {
    /// A request in Indonesian (in the catalog's default form of address) with good conduct
    /// and no amount named.
    pub fn new(customer: Customer, order: Order, complaint: Complaint) -> Request {
        Request {
            locale: Locale::default(),
            address: None,
            customer,
            order,
            complaint,
            conduct: Conduct::default(),
            requested_amount: None,
        }
    }
}

/// The customer asking for compensation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Customer {
    /// The customer's account id.
    pub id: String,
    /// The name to address them by in the script, used verbatim.
    pub name: String,
    /// The loyalty tier, one of the policy's tier names (`new`, `regular`, `silver`, `gold`,
    /// `platinum` in the default policy).
    pub loyalty: String,
}

impl Customer {
    /// A customer with an account id, a name and a loyalty tier name.
    pub fn new(id: impl Into<String>, name: impl Into<String>, loyalty: impl Into<String>) -> Self {
        Customer {
            id: id.into(),
            name: name.into(),
            loyalty: loyalty.into(),
        }
    }
}

/// The order the complaint is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Order {
    /// The order id, as the customer would quote it.
    pub id: String,
    /// The account that placed the order.
    pub customer_id: String,
    /// What the customer paid; must be positive.
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
    /// The currency of `total`; must be the policy's currency.
    pub currency: Currency,
    /// When the order was placed.
    #[serde(deserialize_with = "instant::read")]
    pub placed_at: DateTime<FixedOffset>,
    /// When it was delivered, if it was. The claim window runs from here, or from `placed_at`.
    #[serde(default, deserialize_with = "instant::read_option")]
    pub delivered_at: Option<DateTime<FixedOffset>>,
}

impl Order {
    /// An order that has not (yet) been recorded as delivered.
    pub fn new(
        id: impl Into<String>,
        customer_id: impl Into<String>,
        total: Decimal,
        currency: Currency,
        placed_at: DateTime<FixedOffset>,
    ) -> Self {
        Order {
            id: id.into(),
            customer_id: customer_id.into(),
            total,
            currency,
            placed_at,
            delivered_at: None,
        }
    }
}

/// What went wrong, as the agent recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Complaint {
    /// The complaint category, one of the policy's (`food_not_hot`, `late_delivery`,
    /// `wrong_item`, `food_safety`, ... in the default policy).
    pub category: String,
    /// The severity, when the agent set it; otherwise the policy's severity for the category.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// When the customer reported the problem.
    #[serde(deserialize_with = "instant::read")]
    pub reported_at: DateTime<FixedOffset>,
    /// Whether the company was at fault: `Some(false)` refuses, `None` (not assessed) counts as
    /// valid.
    #[serde(default)]
    pub company_at_fault: Option<bool>,
    /// What backs the complaint up.
    #[serde(default)]
    pub evidence: Evidence,
}

impl Complaint {
    /// A complaint in a category, with severity from the policy, fault not assessed and no
    /// evidence.
    pub fn new(category: impl Into<String>, reported_at: DateTime<FixedOffset>) -> Self {
        Complaint {
            category: category.into(),
            severity: None,
            reported_at,
            company_at_fault: None,
            evidence: Evidence::None,
        }
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

/// How the customer is behaving in the conversation. All false by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Conduct {
    /// Insults, vulgarity or swearing at the agent.
    #[serde(default)]
    pub abusive_language: bool,
    /// A threat of legal action or of physical harm.
    #[serde(default)]
    pub threat: Option<Threat>,
    /// The customer insists on speaking to someone more senior.
    #[serde(default)]
    pub insists_on_supervisor: bool,
    /// Flirting with the agent, asking for personal contact, offering gifts.
    #[serde(default)]
    pub personal_advances: bool,
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
