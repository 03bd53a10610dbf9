//! The engine: a validated policy that turns requests into decisions.

use chrono::{DateTime, FixedOffset};

use crate::decision::Audit;
use crate::eligibility::{self, Clearing, ClearsAt};
use crate::error::Problem;
use crate::history::HistoryMeasures;
use crate::outcome::SetAside;
use crate::policy::Prepared;
use crate::script::Catalog;
use crate::situation::{Deciding, Situation};
use crate::{
    Approval, ApprovalError, ApprovalRecord, Case, Decision, DecisionId, Evidence, HistoryEntry,
    MarketName, Markets, Outcome, Policy, Reason, Reasons, Remedy, RemedyAction, Request,
    RequestError, Scripts, Verdict, checks, outcome, script,
};

/// Decides compensation requests on one policy, and writes the scripts from one set of
/// catalogs.
///
/// Build it once and share it (it is `Send + Sync`); every decision reads it and changes
/// nothing. Deciding is pure: the same request, history and `now` always give the same decision.
/// [`Engine::new`] and [`Engine::default`] write from the shipped catalogs
/// ([`Scripts::builtin`]); [`Engine::with_scripts`] from a company's own.
///
/// ```
/// use chrono::DateTime;
/// use voucher_policy::{
///     Complaint, Currency, Customer, CustomerId, Engine, Order, OrderId, Outcome, PastVoucher,
///     Request, TierName,
/// };
///
/// let at = |s| DateTime::parse_from_rfc3339(s);
/// let engine = Engine::default();
///
/// let budi = CustomerId::new("C-1001");
/// let request = Request::new(
///     Customer::new(budi.clone(), TierName::new("gold")).with_name("Budi Santoso"),
///     Order::new(OrderId::new("3449"), budi, 85_000, Currency::IDR, at("2026-11-24T08:10:00+07:00")?),
///     Complaint::new("food_not_hot", at("2026-11-24T09:30:00+07:00")?),
/// );
///
/// let voucher = |order, amount, granted_at| {
///     Ok::<_, chrono::ParseError>(PastVoucher::new(OrderId::new(order), amount, Currency::IDR, at(granted_at)?))
/// };
/// let history = [
///     voucher("3401", 10_000, "2026-11-18T12:00:00+07:00")?,
///     voucher("3417", 10_000, "2026-11-20T12:00:00+07:00")?,
///     voucher("3430", 15_000, "2026-11-22T12:00:00+07:00")?,
/// ];
///
/// let decision = engine.decide(&request, &history, at("2026-11-24T10:00:00+07:00")?)?;
/// assert_eq!(decision.outcome(), Outcome::Refused);
/// let codes: Vec<&str> = decision.reasons().iter().map(|r| r.as_str()).collect();
/// assert_eq!(codes, ["voucher_limit_reached", "minor_complaint_recent_voucher"]);
/// assert!(decision.script().text().contains("3449"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    /// The market of a request that names none: the only one, without a name, for an engine of
    /// one policy.
    first: Market,
    /// The other markets.
    more: Vec<Market>,
    scripts: Scripts,
}

/// A market's policy, with what every decision would otherwise work out from it again.
#[derive(Debug, Clone)]
struct Market {
    name: Option<MarketName>,
    policy: Policy,
    prepared: Prepared,
}

impl Market {
    fn new(name: Option<MarketName>, policy: Policy) -> Self {
        Market {
            name,
            prepared: Prepared::of(&policy),
            policy,
        }
    }
}

impl Default for Engine {
    /// An engine deciding on the embedded default policy ([`Policy::default`]), writing
    /// scripts from the shipped catalogs.
    fn default() -> Self {
        Engine::new(Policy::default())
    }
}

impl Engine {
    /// An engine deciding on `policy`, writing scripts from the shipped catalogs.
    pub fn new(policy: Policy) -> Self {
        Engine::with_scripts(policy, Scripts::builtin())
    }

    /// An engine deciding on `policy`, writing scripts from `scripts` (the shipped catalogs
    /// with a company's files loaded over them, for instance).
    pub fn with_scripts(policy: Policy, scripts: Scripts) -> Self {
        Engine {
            first: Market::new(None, policy),
            more: Vec::new(),
            scripts,
        }
    }

    /// An engine deciding each request on the policy of the market it names (the first market
    /// when it names none), writing scripts from the shipped catalogs.
    pub fn for_markets(markets: Markets) -> Self {
        Engine::for_markets_with_scripts(markets, Scripts::builtin())
    }

    /// [`Engine::for_markets`], writing scripts from `scripts`.
    pub fn for_markets_with_scripts(markets: Markets, scripts: Scripts) -> Self {
        let ((name, policy), more) = markets.into_parts();
        Engine {
            first: Market::new(Some(name), policy),
            more: more
                .into_iter()
                .map(|(name, policy)| Market::new(Some(name), policy))
                .collect(),
            scripts,
        }
    }

    /// The policy a request naming no market is decided on: the only one, or the first
    /// market's.
    pub fn policy(&self) -> &Policy {
        &self.first.policy
    }

    /// The policy of a market, for an engine of several.
    pub fn policy_of(&self, market: &MarketName) -> Option<&Policy> {
        self.all()
            .find(|known| known.name.as_ref() == Some(market))
            .map(|known| &known.policy)
    }

    /// Every market's name and policy, the first being the one of a request that names none
    /// (one without a name for an engine of one policy).
    pub fn markets(&self) -> impl Iterator<Item = (Option<&MarketName>, &Policy)> {
        self.all()
            .map(|market| (market.name.as_ref(), &market.policy))
    }

    fn all(&self) -> impl Iterator<Item = &Market> {
        std::iter::once(&self.first).chain(&self.more)
    }

    /// The market a request is decided in.
    #[inline]
    fn market(&self, request: &Request) -> Result<&Market, RequestError> {
        let Some(name) = &request.market else {
            return Ok(&self.first);
        };
        self.all()
            .find(|market| market.name.as_ref() == Some(name))
            .ok_or_else(|| self.unknown_market(name))
    }

    #[cold]
    fn unknown_market(&self, name: &MarketName) -> RequestError {
        RequestError::new(
            "market",
            name,
            Problem::UnknownMarket {
                known: self
                    .all()
                    .filter_map(|market| market.name.as_ref().map(ToString::to_string))
                    .collect(),
            },
        )
    }

    /// The catalogs this engine writes scripts from.
    pub fn scripts(&self) -> &Scripts {
        &self.scripts
    }

    /// Decides a request and writes the script for it.
    ///
    /// `history` is every voucher the customer was granted before, in any order: a slice of
    /// [`PastVoucher`](crate::PastVoucher)s or of any other [`HistoryEntry`] (a service's
    /// database rows, read in place); `now` is the moment of the decision, which windows are
    /// measured back from. Fails only on input that cannot be decided (a locale without a
    /// catalog, a wrong currency, an amount that is not positive or is below the step, times in
    /// the wrong order, an unknown tier, an unknown category without an explicit severity);
    /// every such error names the field and the value.
    pub fn decide<H: HistoryEntry>(
        &self,
        request: &Request,
        history: &[H],
        now: impl Into<DateTime<FixedOffset>>,
    ) -> Result<Decision, RequestError> {
        let now = now.into();
        let market = self.market(request)?;
        let catalog = self.catalog(market, request)?;
        let verdict = self.verdict_in(
            market,
            request,
            history,
            now,
            Deciding::AsRequested,
            &mut SetAside::default(),
        )?;
        let remedies = self.remedies(market, &verdict, request, history, now);
        let audit = Audit {
            id: DecisionId::of(request, history, now, market.policy.fingerprint()),
            decided_at: now.with_timezone(&market.policy.local_offset()),
            customer_id: request.customer.id.clone(),
            order_id: request.order.id.clone(),
        };
        Ok(self.written(market, catalog, request, audit, verdict, remedies, None))
    }

    /// The catalog a request's script is written from.
    fn catalog(&self, market: &Market, request: &Request) -> Result<&Catalog, RequestError> {
        let locale = request.locale.unwrap_or(market.policy.locale());
        self.scripts.catalog(locale).ok_or_else(|| {
            RequestError::new(
                "locale",
                locale,
                Problem::NoCatalog {
                    loaded: self.scripts.locales().collect(),
                },
            )
        })
    }

    /// The decision with its script and the agent's note.
    #[allow(clippy::too_many_arguments)]
    fn written(
        &self,
        market: &Market,
        catalog: &Catalog,
        request: &Request,
        audit: Audit,
        verdict: Verdict,
        remedies: Vec<Remedy>,
        approval: Option<ApprovalRecord>,
    ) -> Decision {
        let script = script::render(&verdict, request, &market.policy, catalog);
        let locale = request.locale.unwrap_or(market.policy.locale());
        let note_locale = request.agent_locale.unwrap_or(locale);
        let note = script::note(&verdict, request, &market.policy, note_locale);
        Decision::new(audit, verdict, remedies, approval, script, note)
    }

    /// What would change a refusal: the request decided again with each action taken.
    fn remedies<H: HistoryEntry>(
        &self,
        market: &Market,
        verdict: &Verdict,
        request: &Request,
        history: &[H],
        now: DateTime<FixedOffset>,
    ) -> Vec<Remedy> {
        const EVIDENCE: Reasons =
            Reasons::from_bits(Reason::EvidenceRequired.bit() | Reason::EvidenceTooLate.bit());
        if verdict.outcome != Outcome::Refused || verdict.reasons.intersection(EVIDENCE).is_empty()
        {
            return Vec::new();
        }
        let mut with_photo = request.clone();
        with_photo.complaint.evidence = Evidence::Photo;
        with_photo.complaint.evidence_at = Some(now);
        let as_requested = Deciding::AsRequested;
        match self.verdict_in(
            market,
            &with_photo,
            history,
            now,
            as_requested,
            &mut SetAside::default(),
        ) {
            Ok(changed) if changed.outcome != Outcome::Refused => {
                let voucher = changed.voucher.or_else(|| {
                    changed
                        .recommendation
                        .as_ref()
                        .and_then(|recommendation| recommendation.voucher().copied())
                });
                vec![Remedy::new(
                    RemedyAction::ProvidePhoto,
                    changed.outcome,
                    voucher,
                )]
            }
            _ => Vec::new(),
        }
    }

    /// Approves a decision: the original request decided again at `now` against `history` as
    /// it is then, by the approver with their role's authority and daily budget.
    ///
    /// An escalation to the approver's role (a supervisor's, for any role that approves) is
    /// theirs to settle, so the case is decided on its merits; every limit is checked again,
    /// so a voucher granted in between counts, and an order compensated in between is refused
    /// (an approval never grants twice for one order); an amount beyond the approver's authority
    /// or budget escalates further. Approving a refusal overrides it and needs a written
    /// reason ([`Approval::with_override_reason`]); an override sets aside every refusal but an
    /// order of another account or one already compensated. The result carries
    /// [`Decision::approval`], and when granted, [`Decision::history_entry`].
    ///
    /// ```
    /// use chrono::DateTime;
    /// use voucher_policy::{
    ///     Agent, AgentId, Approval, Complaint, Conduct, Currency, Customer, CustomerId, Engine,
    ///     Order, OrderId, Outcome, PastVoucher, Request, RoleName, TierName,
    /// };
    ///
    /// let at = |s| DateTime::parse_from_rfc3339(s);
    /// let engine = Engine::default();
    /// let rina = CustomerId::new("C-7");
    /// let request = Request::new(
    ///     Customer::new(rina.clone(), TierName::new("gold")),
    ///     Order::new(OrderId::new("88"), rina, 200_000, Currency::IDR, at("2026-11-24T08:00:00+07:00")?),
    ///     Complaint::new("late_delivery", at("2026-11-24T09:30:00+07:00")?),
    /// )
    /// .with_conduct(Conduct::new().with_insists_on_supervisor(true));
    /// let escalated = engine.decide(&request, PastVoucher::NONE, at("2026-11-24T10:00:00+07:00")?)?;
    /// assert_eq!(escalated.outcome(), Outcome::Escalated);
    ///
    /// let supervisor = Agent::new(AgentId::new("S-2")).with_role(RoleName::new("supervisor"));
    /// let approval = Approval::of(&escalated, supervisor);
    /// let approved = engine.approve(&request, PastVoucher::NONE, &approval, at("2026-11-24T11:00:00+07:00")?)?;
    /// assert_eq!(approved.outcome(), Outcome::Granted);
    /// assert_eq!(approved.approval().map(|record| record.of()), Some(escalated.id()));
    /// assert!(approved.history_entry().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn approve<H: HistoryEntry>(
        &self,
        request: &Request,
        history: &[H],
        approval: &Approval<'_>,
        now: impl Into<DateTime<FixedOffset>>,
    ) -> Result<Decision, ApprovalError> {
        let now = now.into();
        let market = self.market(request)?;
        approval.check(request)?;
        let by = &approval.by;
        if let Some(role) = market.policy.role(by.role.as_str())
            && !role.approves
        {
            return Err(ApprovalError::MayNotApprove {
                role: by.role.clone(),
            });
        }
        let catalog = self.catalog(market, request)?;
        let deciding = Deciding::Approval {
            by,
            overrides: approval.override_reason.is_some(),
        };
        let mut set_aside = SetAside::default();
        let verdict = self.verdict_in(market, request, history, now, deciding, &mut set_aside)?;
        let record = ApprovalRecord::new(approval, set_aside.handled, set_aside.overridden);
        let case = DecisionId::of(request, history, now, market.policy.fingerprint());
        let audit = Audit {
            id: DecisionId::of_approval(case, &record),
            decided_at: now.with_timezone(&market.policy.local_offset()),
            customer_id: request.customer.id.clone(),
            order_id: request.order.id.clone(),
        };
        Ok(self.written(
            market,
            catalog,
            request,
            audit,
            verdict,
            Vec::new(),
            Some(record),
        ))
    }

    /// Decides a request without writing the script; the verdict is computed without a single
    /// heap allocation. The request's locale is not looked at. The verdict also tells where the
    /// request fell among the policy's tiers and categories
    /// ([`Verdict::tier_position`], [`Verdict::category_position`]), for a caller that counts
    /// decisions by them.
    #[inline]
    pub fn verdict<H: HistoryEntry>(
        &self,
        request: &Request,
        history: &[H],
        now: impl Into<DateTime<FixedOffset>>,
    ) -> Result<Verdict, RequestError> {
        self.verdict_in(
            self.market(request)?,
            request,
            history,
            now.into(),
            Deciding::AsRequested,
            &mut SetAside::default(),
        )
    }

    #[inline]
    fn verdict_in<H: HistoryEntry>(
        &self,
        market: &Market,
        request: &Request,
        history: &[H],
        now: DateTime<FixedOffset>,
        deciding: Deciding<'_>,
        set_aside: &mut SetAside,
    ) -> Result<Verdict, RequestError> {
        let measured = HistoryMeasures::of(
            &market.policy,
            &market.prepared,
            request.order.id.as_str(),
            history,
            now,
        );
        // Asked only of a refusal by a history limit: when the customer is next eligible.
        let clears = |limits: &[Clearing]| {
            eligibility::clears_at(history, &market.prepared.money.units, now, limits)
        };
        conclude(
            market, request, &measured, now, &clears, deciding, set_aside,
        )
    }

    /// Decides a whole [`Case`], as read from the JSON wire form.
    pub fn decide_case(&self, case: &Case) -> Result<Decision, RequestError> {
        self.decide(case.request(), case.history(), case.now())
    }
}

/// The verdict on a request whose history is measured: the checks and the outcome.
///
/// Not generic, so it is compiled here once with the checks inlined into it, whatever history a
/// caller decides on.
fn conclude(
    market: &Market,
    request: &Request,
    history: &Result<HistoryMeasures, RequestError>,
    now: DateTime<FixedOffset>,
    clears: ClearsAt<'_>,
    deciding: Deciding<'_>,
    set_aside: &mut SetAside,
) -> Result<Verdict, RequestError> {
    // Borrowed where it was measured: a copy of the measures would cost more than the checks.
    let situation = Situation::new(
        &market.policy,
        &market.prepared,
        request,
        history.as_ref(),
        now,
        deciding,
    )?;
    let findings = checks::run(&situation);
    Ok(outcome::derive(&situation, &findings, clears, set_aside))
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::{
        Complaint, Currency, Customer, CustomerId, Locale, Order, OrderId, Outcome, PastVoucher,
        TierName,
    };

    /// What a user of the core without its optional features has: the embedded policy and the
    /// catalogs compiled in.
    #[test]
    fn the_default_engine_decides_and_writes_in_every_shipped_locale() {
        let at = |text| DateTime::parse_from_rfc3339(text).unwrap();
        let sari = CustomerId::new("C-2002");
        let request = Request::new(
            Customer::new(sari.clone(), TierName::new("silver")).with_name("Sari"),
            Order::new(
                OrderId::new("5120"),
                sari,
                120_000,
                Currency::IDR,
                at("2026-11-24T08:00:00+07:00"),
            ),
            Complaint::new("late_delivery", at("2026-11-24T09:45:00+07:00")),
        );
        let engine = Engine::default();
        for locale in [Locale::ID, Locale::EN] {
            let decision = engine
                .decide(
                    &request.clone().with_locale(locale),
                    PastVoucher::NONE,
                    at("2026-11-24T10:00:00+07:00"),
                )
                .unwrap();
            assert_eq!(decision.outcome(), Outcome::Granted);
            assert!(decision.script().text().contains("5120"), "{locale}");
        }
    }
}
