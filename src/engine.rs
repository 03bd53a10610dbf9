//! The engine: a validated policy that turns requests into decisions.

use chrono::{DateTime, FixedOffset};

use crate::error::Problem;
use crate::history::HistoryMeasures;
use crate::policy::Prepared;
use crate::situation::Situation;
use crate::{
    Case, Decision, HistoryEntry, Policy, Request, RequestError, Scripts, Verdict, checks, outcome,
    script,
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
    policy: Policy,
    /// What every decision would otherwise work out from the policy again.
    prepared: Prepared,
    scripts: Scripts,
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
            prepared: Prepared::of(&policy),
            policy,
            scripts,
        }
    }

    /// The policy this engine decides on.
    pub fn policy(&self) -> &Policy {
        &self.policy
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
        let catalog = self.scripts.catalog(request.locale).ok_or_else(|| {
            RequestError::new(
                "locale",
                request.locale,
                Problem::NoCatalog {
                    loaded: self.scripts.locales().collect(),
                },
            )
        })?;
        // Mapped rather than unwrapped with `?`, which would copy the verdict out once more.
        self.verdict(request, history, now).map(|verdict| {
            let script = script::render(&verdict, request, &self.policy, catalog);
            Decision::new(verdict, script)
        })
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
        let now = now.into();
        let measured = HistoryMeasures::of(
            &self.policy,
            &self.prepared,
            request.order.id.as_str(),
            history,
            now,
        );
        self.conclude(request, measured, now)
    }

    /// Decides a whole [`Case`], as read from the JSON wire form.
    pub fn decide_case(&self, case: &Case) -> Result<Decision, RequestError> {
        self.decide(case.request(), case.history(), case.now())
    }

    /// The verdict on a request whose history is measured: the checks and the outcome.
    ///
    /// Not generic, so it is compiled here once with the checks inlined into it, whatever
    /// history a caller decides on.
    fn conclude(
        &self,
        request: &Request,
        history: Result<HistoryMeasures, RequestError>,
        now: DateTime<FixedOffset>,
    ) -> Result<Verdict, RequestError> {
        let situation = Situation::new(&self.policy, &self.prepared, request, history, now)?;
        let findings = checks::run(&situation);
        Ok(outcome::derive(&situation, &findings))
    }
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
