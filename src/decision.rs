//! What the engine answers: the outcome, the voucher, the reasons, the facts and the script.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::reason::ReasonKind;
use crate::wire_text::instant;
use crate::{
    AgentNote, Alternatives, ApprovalRecord, Currency, CustomerId, DecisionId, EscalationTarget,
    Facts, Flags, OrderId, Outcome, Party, PastVoucher, PolicyId, Reason, Reasons, Remedy, Script,
};

/// A voucher to give the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Voucher {
    #[serde(with = "rust_decimal::serde::str")]
    amount: Decimal,
    currency: Currency,
    valid_until: DateTime<FixedOffset>,
}

impl Voucher {
    pub(crate) fn new(
        amount: Decimal,
        currency: Currency,
        valid_until: DateTime<FixedOffset>,
    ) -> Self {
        Voucher {
            amount,
            currency,
            valid_until,
        }
    }

    /// The voucher's value: a whole multiple of the policy's step, written at the step's scale
    /// (`33000` in steps of 1,000, `12.50` in steps of 0.05).
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The voucher's currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The last moment the voucher can be used, in the policy's local offset.
    pub fn valid_until(&self) -> DateTime<FixedOffset> {
        self.valid_until
    }
}

/// What the policy would decide on the merits, shown to whoever an escalated case goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recommendation {
    outcome: Outcome,
    voucher: Option<Voucher>,
    reasons: Reasons,
}

impl Recommendation {
    pub(crate) fn new(outcome: Outcome, voucher: Option<Voucher>, reasons: Reasons) -> Self {
        Recommendation {
            outcome,
            voucher,
            reasons,
        }
    }

    /// `Granted` or `Refused`: the decision had nobody needed to step in.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// The voucher the policy would grant, if it would.
    pub fn voucher(&self) -> Option<&Voucher> {
        self.voucher.as_ref()
    }

    /// The reasons on the merits: refusals, or the grant and any cut to its amount.
    pub fn reasons(&self) -> Reasons {
        self.reasons
    }
}

/// The decision without its script: everything the policy concluded, computed without a single
/// heap allocation.
///
/// Get one from [`Engine::verdict`](crate::Engine::verdict) when only the outcome matters (a
/// simulation, a dashboard); [`Engine::decide`](crate::Engine::decide) adds the script.
///
/// A verdict read back from its wire form (an audit log) is checked to be one the engine could
/// have given: see [`Decision`]'s reading.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub(crate) outcome: Outcome,
    pub(crate) voucher: Option<Voucher>,
    pub(crate) reasons: Reasons,
    pub(crate) escalate_to: Option<EscalationTarget>,
    pub(crate) recommendation: Option<Recommendation>,
    pub(crate) flags: Flags,
    pub(crate) alternatives: Alternatives,
    pub(crate) next_eligible_at: Option<DateTime<FixedOffset>>,
    pub(crate) follow_up_by: Option<DateTime<FixedOffset>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cost_borne_by: Option<Party>,
    pub(crate) facts: Facts,
    pub(crate) policy: PolicyId,
    /// Where the request fell in the deciding policy; not part of the wire form.
    #[serde(skip)]
    pub(crate) placement: Option<Placement>,
}

/// Where a request falls among the policy's tiers and categories, found while validating it, so
/// a caller that counts decisions by tier and category need not look the names up again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placement {
    /// The customer's tier's position in [`Policy::tiers`](crate::Policy::tiers).
    tier: u32,
    /// The complaint's category's position in
    /// [`Policy::categories`](crate::Policy::categories), when the policy lists it.
    category: Option<u32>,
}

impl Placement {
    /// The positions of a tier and a category; a position beyond `u32` (no policy has that
    /// many) is not kept.
    pub fn of(tier: usize, category: Option<usize>) -> Option<Self> {
        Some(Placement {
            tier: u32::try_from(tier).ok()?,
            category: match category {
                Some(category) => Some(u32::try_from(category).ok()?),
                None => None,
            },
        })
    }
}

/// Two verdicts are equal when they decide the same: where the request fell in the policy is a
/// look-up aid, not part of the decision (a verdict read back from JSON has none).
impl PartialEq for Verdict {
    fn eq(&self, other: &Self) -> bool {
        let Verdict {
            outcome,
            voucher,
            reasons,
            escalate_to,
            recommendation,
            flags,
            alternatives,
            next_eligible_at,
            follow_up_by,
            cost_borne_by,
            facts,
            policy,
            placement: _,
        } = self;
        *outcome == other.outcome
            && *voucher == other.voucher
            && *reasons == other.reasons
            && *escalate_to == other.escalate_to
            && *recommendation == other.recommendation
            && *flags == other.flags
            && *alternatives == other.alternatives
            && *next_eligible_at == other.next_eligible_at
            && *follow_up_by == other.follow_up_by
            && *cost_borne_by == other.cost_borne_by
            && *facts == other.facts
            && *policy == other.policy
    }
}

impl Eq for Verdict {}

impl Verdict {
    /// Granted, refused or escalated.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// The voucher, when granted.
    pub fn voucher(&self) -> Option<&Voucher> {
        self.voucher.as_ref()
    }

    /// Every reason that fired, in the fixed order of [`Reason`](crate::Reason).
    pub fn reasons(&self) -> Reasons {
        self.reasons
    }

    /// Who takes over, when escalated.
    pub fn escalate_to(&self) -> Option<EscalationTarget> {
        self.escalate_to
    }

    /// What the policy would decide on the merits, when escalated.
    pub fn recommendation(&self) -> Option<&Recommendation> {
        self.recommendation.as_ref()
    }

    /// Internal markers for the team's records; never shown to the customer.
    pub fn flags(&self) -> Flags {
        self.flags
    }

    /// The ways forward offered instead of money, when refused.
    pub fn alternatives(&self) -> Alternatives {
        self.alternatives
    }

    /// When a refusal by a history limit (the count or value used up, the minor cool-down, the
    /// repeated-minor pattern, a young account's vouchers) lifts: the earliest moment from which
    /// none of them would refuse the same customer, tier and severity, with no new voucher, in
    /// the policy's local offset. `None` for any other decision, and for a limit that never
    /// lifts.
    pub fn next_eligible_at(&self) -> Option<DateTime<FixedOffset>> {
        self.next_eligible_at
    }

    /// For an escalation, when the case will have been followed up: now plus the policy's
    /// follow-up time for the target, in the policy's local offset.
    pub fn follow_up_by(&self) -> Option<DateTime<FixedOffset>> {
        self.follow_up_by
    }

    /// Who bears the cost of the voucher (granted, or recommended on an escalation), when the
    /// request names the party at fault: finance's attribution, by the policy's
    /// [`FaultRules`](crate::FaultRules).
    pub fn cost_borne_by(&self) -> Option<Party> {
        self.cost_borne_by
    }

    /// The numbers every check looked at.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// Which policy decided: its name and version.
    pub fn policy(&self) -> &PolicyId {
        &self.policy
    }

    /// The position of the customer's tier in the deciding policy's
    /// [`tiers`](crate::Policy::tiers); `None` for a verdict read back from JSON.
    ///
    /// ```
    /// # use chrono::DateTime;
    /// # use voucher_policy::{Complaint, Currency, Customer, CustomerId, Engine, Order, OrderId, PastVoucher, Request, TierName};
    /// # let at = |s| DateTime::parse_from_rfc3339(s);
    /// let engine = Engine::default();
    /// # let rina = CustomerId::new("C-7");
    /// # let customer = Customer::new(rina.clone(), TierName::new("gold"));
    /// # let order = Order::new(OrderId::new("7"), rina, 90_000, Currency::IDR, at("2026-11-24T08:00:00+07:00")?);
    /// # let request = Request::new(customer, order, Complaint::new("packaging", at("2026-11-24T09:00:00+07:00")?));
    /// let verdict = engine.verdict(&request, PastVoucher::NONE, at("2026-11-24T10:00:00+07:00")?)?;
    /// let tier = verdict.tier_position().and_then(|at| engine.policy().tiers().get(at));
    /// assert_eq!(tier.map(|tier| tier.name.as_str()), Some("gold"));
    /// let category = verdict.category_position().and_then(|at| engine.policy().categories().get(at));
    /// assert_eq!(category.map(|category| category.name.as_str()), Some("packaging"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tier_position(&self) -> Option<usize> {
        self.placement.map(|placement| placement.tier as usize)
    }

    /// The position of the complaint's category in the deciding policy's
    /// [`categories`](crate::Policy::categories); `None` for a category the policy does not
    /// list (decided on an explicit severity) and for a verdict read back from JSON.
    pub fn category_position(&self) -> Option<usize> {
        self.placement
            .and_then(|placement| placement.category)
            .map(|category| category as usize)
    }
}

/// A complete decision, as an audit log keeps it: its id, when and for whom it was made, the
/// [`Verdict`], what would change a refusal, the approval it records, the script for the agent to
/// say and the agent's note.
///
/// Serializes to the JSON wire form of the design (see `docs/json.md`):
/// `{"id", "decided_at", "customer_id", "order_id", "outcome", "voucher", "reasons",
/// "escalate_to", "recommendation", "flags", "alternatives", "remedies", "next_eligible_at",
/// "follow_up_by", "approval", "script", "agent_note", "facts", "policy"}` (and
/// `"cost_borne_by"` when the request names the party at fault); it reads back from the same
/// form, checked to be a decision the engine could have given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    id: DecisionId,
    decided_at: DateTime<FixedOffset>,
    customer_id: CustomerId,
    order_id: OrderId,
    verdict: Verdict,
    remedies: Vec<Remedy>,
    approval: Option<ApprovalRecord>,
    script: Script,
    agent_note: Option<AgentNote>,
}

/// Who and when a decision is about, and its id: what an audit record is found by.
#[derive(Debug, Clone)]
pub(crate) struct Audit {
    pub id: DecisionId,
    pub decided_at: DateTime<FixedOffset>,
    pub customer_id: CustomerId,
    pub order_id: OrderId,
}

impl Decision {
    pub(crate) fn new(
        audit: Audit,
        verdict: Verdict,
        remedies: Vec<Remedy>,
        approval: Option<ApprovalRecord>,
        script: Script,
        agent_note: AgentNote,
    ) -> Self {
        Decision {
            id: audit.id,
            decided_at: audit.decided_at,
            customer_id: audit.customer_id,
            order_id: audit.order_id,
            verdict,
            remedies,
            approval,
            script,
            agent_note: Some(agent_note),
        }
    }

    /// The decision's id: a hash of the request, the history, `now` and the policy's
    /// fingerprint (and, for an approval, of the approval), the same on every machine.
    pub fn id(&self) -> DecisionId {
        self.id
    }

    /// The moment of the decision: the `now` it was decided at, in the policy's local offset
    /// (as every time of a decision is).
    pub fn decided_at(&self) -> DateTime<FixedOffset> {
        self.decided_at
    }

    /// The customer the decision is about.
    pub fn customer_id(&self) -> &CustomerId {
        &self.customer_id
    }

    /// The order the decision is about.
    pub fn order_id(&self) -> &OrderId {
        &self.order_id
    }

    /// Everything the policy concluded.
    pub fn verdict(&self) -> &Verdict {
        &self.verdict
    }

    /// What the customer or the agent could do that would change a refusal, each found by
    /// deciding again (a photo, where evidence was missing, with the voucher it would bring).
    /// Empty for a grant, an escalation, and a refusal nothing would change.
    pub fn remedies(&self) -> &[Remedy] {
        &self.remedies
    }

    /// For a decision made by approving another: who approved it, and what they set aside.
    pub fn approval(&self) -> Option<&ApprovalRecord> {
        self.approval.as_ref()
    }

    /// What the agent says to the customer.
    pub fn script(&self) -> &Script {
        &self.script
    }

    /// For the agent and the supervisor, never for the customer: what decided it, in words
    /// with its numbers. Every decision the engine makes has one; a decision read back from a
    /// record written without it has none.
    pub fn agent_note(&self) -> Option<&AgentNote> {
        self.agent_note.as_ref()
    }

    /// Granted, refused or escalated.
    pub fn outcome(&self) -> Outcome {
        self.verdict.outcome
    }

    /// The voucher, when granted.
    pub fn voucher(&self) -> Option<&Voucher> {
        self.verdict.voucher.as_ref()
    }

    /// Every reason that fired.
    pub fn reasons(&self) -> Reasons {
        self.verdict.reasons
    }

    /// For a grant, the entry to add to the customer's history: the order, the moment, the
    /// amount and currency, the severity and this decision's id. Storing it is how the next
    /// decision counts this voucher; `None` unless granted.
    ///
    /// ```
    /// use chrono::DateTime;
    /// use voucher_policy::{Complaint, Currency, Customer, CustomerId, Engine, Order, OrderId, PastVoucher, Request, TierName};
    ///
    /// let at = |s| DateTime::parse_from_rfc3339(s);
    /// let engine = Engine::default();
    /// let sari = CustomerId::new("C-2002");
    /// let request = Request::new(
    ///     Customer::new(sari.clone(), TierName::new("silver")),
    ///     Order::new(OrderId::new("5120"), sari, 120_000, Currency::IDR, at("2026-11-24T08:00:00+07:00")?),
    ///     Complaint::new("late_delivery", at("2026-11-24T09:45:00+07:00")?),
    /// );
    /// let now = at("2026-11-24T10:00:00+07:00")?;
    /// let decision = engine.decide(&request, PastVoucher::NONE, now)?;
    /// let entry = decision.history_entry().ok_or("not granted")?;
    /// assert_eq!(entry.decision_id(), Some(decision.id()));
    ///
    /// // The same order again, with the grant in the history: already compensated.
    /// let again = engine.decide(&request, &[entry], now)?;
    /// assert_eq!(again.reasons().iter().next().map(|r| r.as_str()), Some("order_already_compensated"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn history_entry(&self) -> Option<PastVoucher> {
        let voucher = self.verdict.voucher.as_ref()?;
        let entry = PastVoucher::new(
            self.order_id.clone(),
            voucher.amount(),
            voucher.currency(),
            self.decided_at,
        )
        .with_severity(self.verdict.facts.severity)
        .with_decision_id(self.id);
        Some(entry)
    }

    /// Splits the decision into its verdict and its script.
    pub fn into_parts(self) -> (Verdict, Script) {
        (self.verdict, self.script)
    }
}

/// The wire form: the audit fields, the verdict's fields, the script before the facts.
#[derive(Serialize)]
struct DecisionWire<'a> {
    id: DecisionId,
    decided_at: DateTime<FixedOffset>,
    customer_id: &'a CustomerId,
    order_id: &'a OrderId,
    outcome: Outcome,
    voucher: Option<Voucher>,
    reasons: Reasons,
    escalate_to: Option<EscalationTarget>,
    recommendation: Option<Recommendation>,
    flags: Flags,
    alternatives: Alternatives,
    remedies: &'a [Remedy],
    next_eligible_at: Option<DateTime<FixedOffset>>,
    follow_up_by: Option<DateTime<FixedOffset>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost_borne_by: Option<Party>,
    approval: Option<&'a ApprovalRecord>,
    script: &'a Script,
    agent_note: Option<&'a AgentNote>,
    facts: &'a Facts,
    policy: &'a PolicyId,
}

impl Serialize for Decision {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let v = &self.verdict;
        DecisionWire {
            id: self.id,
            decided_at: self.decided_at,
            customer_id: &self.customer_id,
            order_id: &self.order_id,
            outcome: v.outcome,
            voucher: v.voucher,
            reasons: v.reasons,
            escalate_to: v.escalate_to,
            recommendation: v.recommendation,
            flags: v.flags,
            alternatives: v.alternatives,
            remedies: &self.remedies,
            next_eligible_at: v.next_eligible_at,
            follow_up_by: v.follow_up_by,
            cost_borne_by: v.cost_borne_by,
            approval: self.approval.as_ref(),
            script: &self.script,
            agent_note: self.agent_note.as_ref(),
            facts: &v.facts,
            policy: &v.policy,
        }
        .serialize(serializer)
    }
}

/// A decision's or a verdict's wire form, as read: a verdict has no script and no audit fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadWire {
    #[serde(default)]
    id: Option<DecisionId>,
    #[serde(default, deserialize_with = "instant::read_option")]
    decided_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    customer_id: Option<CustomerId>,
    #[serde(default)]
    order_id: Option<OrderId>,
    outcome: Outcome,
    voucher: Option<Voucher>,
    reasons: Reasons,
    escalate_to: Option<EscalationTarget>,
    recommendation: Option<Recommendation>,
    flags: Flags,
    alternatives: Alternatives,
    #[serde(default)]
    remedies: Option<Vec<Remedy>>,
    #[serde(default, deserialize_with = "instant::read_option")]
    next_eligible_at: Option<DateTime<FixedOffset>>,
    #[serde(default, deserialize_with = "instant::read_option")]
    follow_up_by: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    cost_borne_by: Option<Party>,
    #[serde(default)]
    approval: Option<ApprovalRecord>,
    #[serde(default)]
    script: Option<Script>,
    #[serde(default)]
    agent_note: Option<AgentNote>,
    facts: Facts,
    policy: PolicyId,
}

impl ReadWire {
    /// Whether this is a decision's form (with a script) rather than a verdict's.
    fn is_decision(&self) -> bool {
        self.script.is_some()
    }

    /// The verdict read, if the engine could have given it.
    fn verdict(&self) -> Result<Verdict, String> {
        let verdict = Verdict {
            outcome: self.outcome,
            voucher: self.voucher,
            reasons: self.reasons,
            escalate_to: self.escalate_to,
            recommendation: self.recommendation,
            flags: self.flags,
            alternatives: self.alternatives,
            next_eligible_at: self.next_eligible_at,
            follow_up_by: self.follow_up_by,
            cost_borne_by: self.cost_borne_by,
            facts: self.facts.clone(),
            policy: self.policy.clone(),
            placement: None,
        };
        verdict.possible()?;
        Ok(verdict)
    }

    /// The decision read, if the engine could have given it.
    fn decision(self) -> Result<Decision, String> {
        let verdict = self.verdict()?;
        let missing = |field: &str| format!("a decision has {field}: it is missing");
        let remedies = self.remedies.ok_or_else(|| missing("remedies"))?;
        if verdict.outcome != Outcome::Refused && !remedies.is_empty() {
            return Err(
                "not a decision the engine gives: remedies on a decision that is not refused"
                    .to_owned(),
            );
        }
        Ok(Decision {
            id: self.id.ok_or_else(|| missing("an id"))?,
            decided_at: self.decided_at.ok_or_else(|| missing("decided_at"))?,
            customer_id: self.customer_id.ok_or_else(|| missing("customer_id"))?,
            order_id: self.order_id.ok_or_else(|| missing("order_id"))?,
            verdict,
            remedies,
            approval: self.approval,
            script: self.script.ok_or_else(|| missing("a script"))?,
            agent_note: self.agent_note,
        })
    }
}

impl<'de> Deserialize<'de> for Decision {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = ReadWire::deserialize(deserializer)?;
        if !wire.is_decision() {
            return Err(serde::de::Error::custom(
                "a decision has a script: this is a verdict, read it as one",
            ));
        }
        wire.decision().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "json")]
impl Decision {
    /// The decision's JSON wire form, on one line: what an audit log stores.
    pub fn to_json(&self) -> String {
        // A decision holds no map with non-text keys and no float: writing it cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a decision back from its JSON wire form (a stored audit record), checked to be one
    /// the engine could have given.
    ///
    /// ```
    /// use voucher_policy::{Case, Decision, Engine};
    ///
    /// let case = Case::from_json(r#"{
    ///     "now": "2026-11-24T10:00:00+07:00",
    ///     "customer": {"id": "C-1001", "name": "Budi Santoso", "loyalty": "gold"},
    ///     "order": {"id": "3449", "customer_id": "C-1001", "total": 85000, "currency": "IDR",
    ///               "placed_at": "2026-11-24T08:10:00+07:00"},
    ///     "complaint": {"category": "food_not_hot", "reported_at": "2026-11-24T09:30:00+07:00"}
    /// }"#)?;
    /// let decision = Engine::default().decide_case(&case)?;
    /// let read = Decision::from_json(&decision.to_json())?;
    /// assert_eq!(read, decision);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Decision, serde_json::Error> {
        serde_json::from_str(text)
    }
}

impl<'de> Deserialize<'de> for Verdict {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = ReadWire::deserialize(deserializer)?;
        if wire.is_decision() || wire.id.is_some() || wire.approval.is_some() {
            return Err(serde::de::Error::custom(
                "a verdict has no script, id or approval: read it as a decision",
            ));
        }
        wire.verdict().map_err(serde::de::Error::custom)
    }
}

impl Verdict {
    /// Whether the engine could have given this verdict: the outcome agrees with the voucher,
    /// the escalation, the recommendation and the reasons. What is wrong, otherwise.
    fn possible(&self) -> Result<(), String> {
        let reasons = self.reasons;
        let refusals = reasons.intersection(const { ReasonKind::Refusal.reasons() });
        let safety = reasons.intersection(const { ReasonKind::Escalation.reasons() });
        let granted = reasons.contains(Reason::ValidComplaint);
        let fail = |what: &str| Err(format!("not a decision the engine gives: {what}"));
        match self.outcome {
            Outcome::Granted => {
                if self.voucher.is_none() {
                    return fail("granted without a voucher");
                }
                if !granted || !refusals.is_empty() || !safety.is_empty() {
                    return fail("granted with reasons that do not grant");
                }
            }
            Outcome::Refused => {
                if self.voucher.is_some() {
                    return fail("a voucher on a refusal");
                }
                if refusals.is_empty() || granted || !safety.is_empty() {
                    return fail(
                        "refused without a refusal reason, or with reasons that do not refuse",
                    );
                }
                if self.alternatives.is_empty() {
                    return fail("refused without a way forward");
                }
            }
            Outcome::Escalated => {
                if self.voucher.is_some() {
                    return fail("a voucher on an escalation (it is recommended, not granted)");
                }
                let Some(recommendation) = &self.recommendation else {
                    return fail("escalated without a recommendation");
                };
                if safety.is_empty()
                    && !reasons.contains(Reason::AboveAgentAuthority)
                    && !reasons.contains(Reason::AgentBudgetExceeded)
                {
                    return fail("escalated without a reason to escalate");
                }
                match (recommendation.outcome, recommendation.voucher.is_some()) {
                    (Outcome::Granted, true) | (Outcome::Refused, false) => {}
                    _ => return fail("a recommendation whose voucher does not fit its outcome"),
                }
            }
        }
        if self.escalate_to.is_some() != (self.outcome == Outcome::Escalated) {
            return fail("escalate_to without escalated, or escalated without escalate_to");
        }
        if self.recommendation.is_some() != (self.outcome == Outcome::Escalated) {
            return fail("a recommendation on a decision that is not escalated");
        }
        if self.outcome != Outcome::Refused && !self.alternatives.is_empty() {
            return fail("alternatives on a decision that is not refused");
        }
        let voucher = self.voucher.is_some()
            || self
                .recommendation
                .as_ref()
                .is_some_and(|recommendation| recommendation.voucher.is_some());
        if self.follow_up_by.is_some() != (self.outcome == Outcome::Escalated) {
            return fail("follow_up_by without escalated, or escalated without follow_up_by");
        }
        if self.next_eligible_at.is_some() && voucher && self.outcome != Outcome::Escalated {
            return fail("a date of next eligibility on a grant");
        }
        if self.cost_borne_by.is_some() && !voucher {
            return fail("a cost bearer without a voucher granted or recommended");
        }
        Ok(())
    }
}
