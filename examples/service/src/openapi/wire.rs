//! The library's JSON wire form, as the OpenAPI document describes it: the request the service
//! reads and the decision it answers (the library's `docs/json.md`).
//!
//! These types are never built: the service reads and writes the library's own types. They
//! exist so that the document's schemas are derived from Rust, with the field names, types and
//! optionality of the wire form, and checked by the compiler as they change.
#![allow(dead_code)]

use serde::Deserialize;
use utoipa::openapi::{ObjectBuilder, OneOfBuilder, RefOr, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// An amount: a decimal string (`"85000"`, `"12.50"`) or a JSON number read from its digits,
/// positive, at most 10^15, with no more decimal places than the currency has.
#[derive(Deserialize)]
pub struct Amount;

impl PartialSchema for Amount {
    fn schema() -> RefOr<Schema> {
        let text = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^[0-9]+(\.[0-9]+)?$"))
            .examples(["85000"]);
        let number = ObjectBuilder::new()
            .schema_type(Type::Number)
            .exclusive_minimum(Some(0));
        OneOfBuilder::new()
            .item(text)
            .item(number)
            .description(Some(
                "A decimal string (`\"85000\"`, `\"12.50\"`) or a JSON number read from its \
                 digits: positive, at most 10^15, with no more decimal places than the currency has",
            ))
            .into()
    }
}

impl ToSchema for Amount {}

/// The body of `POST /decisions`: the library's wire request without `history` (the service
/// loads it) and without `now` (the service's clock decides, unless it runs with
/// `--accept-request-now`). Unknown fields are refused, naming the field.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "locale": "en",
    "customer": {"id": "C-2002", "name": "Sari Dewi", "loyalty": "silver"},
    "order": {"id": "5120", "customer_id": "C-2002", "total": "120000", "currency": "IDR",
              "placed_at": "2026-11-24T08:00:00+07:00", "delivered_at": "2026-11-24T09:40:00+07:00"},
    "complaint": {"category": "late_delivery", "reported_at": "2026-11-24T09:45:00+07:00"}
}))]
pub struct DecisionRequest {
    /// The moment of the decision: accepted only when the service runs with
    /// `--accept-request-now` (replays, tests), refused otherwise.
    #[schema(format = DateTime)]
    now: Option<String>,
    /// The market whose policy decides; the first market when absent.
    market: Option<String>,
    /// The script's language (`id` or `en` as shipped); the policy's when absent.
    locale: Option<String>,
    /// The form of address; the catalog's default when absent.
    address: Option<AddressForm>,
    /// Where the script is sent: `chat` by default.
    channel: Option<Channel>,
    /// The language of the decision's `agent_note`; the script's when absent.
    agent_locale: Option<String>,
    /// Who decides: the service takes `id` and `role` from the API key; only `granted_today`
    /// may be given (an `id` or `role` naming anyone else is refused with 403).
    agent: Option<AgentGiven>,
    /// The customer.
    customer: Customer,
    /// The order complained about.
    order: Order,
    /// The complaint.
    complaint: Complaint,
    /// How the customer behaves in the conversation.
    conduct: Option<Conduct>,
    /// What the customer asked for.
    requested_amount: Option<Amount>,
}

/// The form of address of a script.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AddressForm {
    /// Familiar.
    Familiar,
    /// Formal.
    Formal,
}

/// The channel a script is written for.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A chat (the default).
    Chat,
    /// An email.
    Email,
    /// A phone call.
    Phone,
    /// A post anyone can read: the script names nothing private.
    Public,
}

/// The request's agent, as a body may give it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentGiven {
    /// The API key's holder id (anything else is refused with 403).
    id: Option<String>,
    /// The API key's role (anything else is refused with 403).
    role: Option<String>,
    /// What the agent already granted today, by the desk's count (`"0"` by default).
    granted_today: Option<Amount>,
}

/// The customer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// The account id: not blank, no control character.
    #[schema(min_length = 1)]
    id: String,
    /// The name the script greets; without it, the script greets without a name.
    name: Option<String>,
    /// A loyalty tier of the policy (`new`, `regular`, `silver`, `gold` in the default policy).
    loyalty: String,
    /// When the account was made, for a policy's young-account rules.
    #[schema(format = DateTime)]
    since: Option<String>,
    /// The names of the policy's lists the customer is on.
    lists: Option<Vec<String>>,
    /// `bapak` or `ibu`, for the formal Indonesian script.
    honorific: Option<Honorific>,
}

/// How the formal Indonesian script addresses the customer.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Honorific {
    /// "Pak".
    Bapak,
    /// "Bu".
    Ibu,
}

/// The order complained about.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// The order id.
    #[schema(min_length = 1)]
    id: String,
    /// The account that placed it (another account's order is refused).
    #[schema(min_length = 1)]
    customer_id: String,
    /// What was paid.
    total: Amount,
    /// The policy's currency (ISO 4217, `IDR` in the default policy).
    #[schema(pattern = "^[A-Z]{3}$", example = "IDR")]
    currency: String,
    /// When it was placed.
    #[schema(format = DateTime)]
    placed_at: String,
    /// When it was delivered.
    #[schema(format = DateTime)]
    delivered_at: Option<String>,
}

/// The complaint.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Complaint {
    /// A category of the policy (`late_delivery`, `food_not_hot`, `damaged_item`, ...), or any
    /// name when `severity` is given.
    #[schema(min_length = 1)]
    category: String,
    /// The severity; from the category when absent.
    severity: Option<Severity>,
    /// When the customer complained.
    #[schema(format = DateTime)]
    reported_at: String,
    /// Whether the company is at fault; absent: not assessed, treated as valid.
    company_at_fault: Option<bool>,
    /// The party at fault.
    fault: Option<Party>,
    /// The evidence given (`none` by default).
    evidence: Option<Evidence>,
    /// When the evidence came.
    #[schema(format = DateTime)]
    evidence_at: Option<String>,
}

/// How serious a complaint is.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Minor.
    Minor,
    /// Moderate.
    Moderate,
    /// Major.
    Major,
    /// Critical.
    Critical,
}

/// A party to an order.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The merchant.
    Merchant,
    /// The courier.
    Courier,
    /// The platform.
    Platform,
    /// The customer.
    Customer,
    /// Not known.
    Unknown,
}

/// The evidence of a complaint.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// None.
    None,
    /// A photo.
    Photo,
    /// Verified by the company.
    Verified,
}

/// The customer's conduct in the conversation.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Conduct {
    /// Insults, vulgarity or swearing at the agent.
    abusive_language: Option<bool>,
    /// A threat: `legal` or `physical`.
    threat: Option<Threat>,
    /// The customer insists on a supervisor.
    insists_on_supervisor: Option<bool>,
    /// Personal advances towards the agent.
    personal_advances: Option<bool>,
    /// A gift offered to the agent.
    offers_gift: Option<bool>,
    /// The customer asks for the agent's personal information.
    asks_personal_info: Option<bool>,
    /// Boundary warnings already given in the conversation.
    #[schema(minimum = 0, maximum = 4294967295_u64)]
    warnings_given: Option<u32>,
}

/// A threat made by the customer.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Threat {
    /// Legal action.
    Legal,
    /// Physical harm.
    Physical,
}

/// A decision in the library's wire form, answered byte for byte as it was recorded.
#[derive(Deserialize, ToSchema)]
pub struct Decision {
    /// 32 hex digits: a hash of the case (request, history, moment) and the policy.
    #[schema(pattern = "^[0-9a-f]{32}$")]
    id: String,
    /// The moment of the decision, in the policy's offset.
    #[schema(format = DateTime)]
    decided_at: String,
    /// Whom the decision is about.
    customer_id: String,
    /// What the decision is about.
    order_id: String,
    /// The outcome.
    outcome: Outcome,
    /// The voucher, when granted.
    #[schema(required = true)]
    voucher: Option<Voucher>,
    /// Every check that fired, in the library's fixed order (`valid_complaint`,
    /// `voucher_limit_reached`, `supervisor_requested`, ...).
    reasons: Vec<String>,
    /// For an escalation: `supervisor`, `legal` or `security`.
    #[schema(required = true)]
    escalate_to: Option<String>,
    /// For an escalation, what the policy would decide on the merits.
    #[schema(required = true)]
    recommendation: Option<Recommendation>,
    /// Notes for the team's records: `conduct_noted`, `review_customer`, `close_conversation`.
    flags: Vec<String>,
    /// For a refusal, the ways forward the policy lists.
    alternatives: Vec<String>,
    /// For a refusal, what would change it.
    remedies: Vec<Remedy>,
    /// When a limit from the history refused, the earliest moment none would.
    #[schema(format = DateTime, required = true)]
    next_eligible_at: Option<String>,
    /// For an escalation, when it must be followed up.
    #[schema(format = DateTime, required = true)]
    follow_up_by: Option<String>,
    /// Who pays for the voucher, when the request names the party at fault.
    cost_borne_by: Option<Party>,
    /// For a decision made by approving another, the approval.
    #[schema(required = true)]
    approval: Option<ApprovalRecord>,
    /// The text for the agent to send.
    script: Script,
    /// For the agent and the supervisor, what decided it in words.
    #[schema(required = true)]
    agent_note: Option<AgentNote>,
    /// The numbers every check looked at (see the library's `docs/json.md`).
    #[schema(value_type = Object)]
    facts: serde_json::Value,
    /// The policy that decided.
    policy: PolicyId,
}

/// The outcome of a decision.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A voucher is granted.
    Granted,
    /// No voucher.
    Refused,
    /// Someone else decides.
    Escalated,
}

/// A voucher.
#[derive(Deserialize, ToSchema)]
pub struct Voucher {
    /// Its value, a decimal string.
    amount: String,
    /// Its currency.
    currency: String,
    /// The last moment it can be used.
    #[schema(format = DateTime)]
    valid_until: String,
}

/// What the policy would decide on the merits of an escalated case.
#[derive(Deserialize, ToSchema)]
pub struct Recommendation {
    /// The outcome.
    outcome: Outcome,
    /// The voucher, when granted.
    #[schema(required = true)]
    voucher: Option<Voucher>,
    /// The reasons.
    reasons: Vec<String>,
}

/// What the customer or the agent could do that would change a refusal.
#[derive(Deserialize, ToSchema)]
pub struct Remedy {
    /// The action (`provide_photo`).
    action: String,
    /// The outcome it would bring.
    outcome: Outcome,
    /// The voucher it would bring.
    #[schema(required = true)]
    voucher: Option<Voucher>,
}

/// The approval that made a decision.
#[derive(Deserialize, ToSchema)]
pub struct ApprovalRecord {
    /// The id of the decision approved.
    of: String,
    /// Who approved it (the API key's holder).
    approver: String,
    /// In which role.
    role: String,
    /// The written reason of an override.
    #[schema(required = true)]
    override_reason: Option<String>,
    /// The escalation reasons the approver settled.
    handled: Vec<String>,
    /// The refusals the override set aside.
    overridden: Vec<String>,
}

/// A script for the agent.
#[derive(Deserialize, ToSchema)]
pub struct Script {
    /// Its language.
    locale: String,
    /// Its form of address.
    address: AddressForm,
    /// The text.
    text: String,
}

/// A note for the agent and the supervisor.
#[derive(Deserialize, ToSchema)]
pub struct AgentNote {
    /// Its language.
    locale: String,
    /// The note.
    text: String,
}

/// A policy's name, version and fingerprint.
#[derive(Deserialize, ToSchema)]
pub struct PolicyId {
    /// Its name.
    name: String,
    /// Its version.
    version: String,
    /// The SHA-256 of its canonical form, 64 hex digits.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    fingerprint: String,
}

/// The body of `POST /decisions/{id}/approval`; an empty body is the same as
/// `{"override_reason": null}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalRequest {
    /// Why a refusal is overridden (required to approve a refusal); null to approve an
    /// escalation.
    override_reason: Option<String>,
    /// The approval's own moment: accepted only with `--accept-request-now`.
    #[schema(format = DateTime)]
    now: Option<String>,
}

/// One line of the audit log.
#[derive(Deserialize, ToSchema)]
pub struct LogLine {
    /// The request as decided: the wire request without `history`, with `now` and the agent
    /// taken from the API key.
    #[schema(value_type = Object)]
    request: serde_json::Value,
    /// The decision as answered.
    decision: Decision,
}

/// A voucher of a customer's history, in the wire form's `history` shape.
#[derive(Deserialize, ToSchema)]
pub struct PastVoucher {
    /// The order it compensated.
    order_id: String,
    /// When it was granted.
    #[schema(format = DateTime)]
    granted_at: String,
    /// Its value.
    amount: String,
    /// Its currency.
    currency: String,
    /// The severity of the complaint it answered.
    severity: Option<Severity>,
    /// The decision that granted it (absent for a voucher recorded before decisions had ids).
    decision_id: Option<String>,
}
