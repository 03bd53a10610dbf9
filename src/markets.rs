//! Several markets in one engine: Indonesia in rupiah, Malaysia in ringgit, Singapore in dollars,
//! each with its own policy, chosen by the request.

use crate::{MarketName, Policy, PolicyError, PolicyProblem};

/// The policies of several markets, each under its name; the first is the market of a request
/// that names none.
///
/// Each market's policy is a whole policy: its own currency, tiers, numbers, local offset and
/// locale. A request picks one ([`Request::with_market`](crate::Request::with_market)); the
/// decision names the policy that made it.
///
/// ```
/// use voucher_policy::{Currency, Engine, MarketName, Markets, Policy};
///
/// let malaysia = Policy::builder()
///     .name("malaysia")
///     .currency(Currency::MYR)
///     .step(1)
///     .minimum_voucher(5)
///     .maximum_voucher(150)
///     .agent_authority(100)
///     .tier("new", |tier| tier.value_limit(50))
///     .tier("regular", |tier| tier.value_limit(100))
///     .tier("silver", |tier| tier.value_limit(150))
///     .tier("gold", |tier| tier.value_limit(250))
///     .tier("platinum", |tier| tier.value_limit(400))
///     .build()?;
/// let markets = Markets::new(MarketName::new("id"), Policy::default())
///     .with(MarketName::new("my"), malaysia)?;
/// let engine = Engine::for_markets(markets);
/// assert_eq!(engine.policy_of(&MarketName::new("my")).map(|p| p.currency()), Some(Currency::MYR));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Markets {
    /// The market of a request that names none.
    first: (MarketName, Policy),
    more: Vec<(MarketName, Policy)>,
}

impl Markets {
    /// One market, `name`, deciding on `policy`: the market of a request that names none.
    pub fn new(name: MarketName, policy: Policy) -> Self {
        Markets {
            first: (name, policy),
            more: Vec::new(),
        }
    }

    /// These markets and one more; a name given twice is an error.
    pub fn with(mut self, name: MarketName, policy: Policy) -> Result<Self, PolicyError> {
        if self.iter().any(|(known, _)| *known == name) {
            return Err(PolicyError::Invalid(vec![PolicyProblem::new(
                format!("markets.{name}"),
                None,
                "is given twice".to_owned(),
            )]));
        }
        self.more.push((name, policy));
        Ok(self)
    }

    /// The markets, the first being the one of a request that names none.
    pub fn iter(&self) -> impl Iterator<Item = (&MarketName, &Policy)> {
        std::iter::once(&self.first)
            .chain(&self.more)
            .map(|(name, policy)| (name, policy))
    }

    /// The policy of a market.
    pub fn get(&self, name: &MarketName) -> Option<&Policy> {
        self.iter()
            .find(|(known, _)| *known == name)
            .map(|(_, policy)| policy)
    }

    /// The first market, and the others.
    pub(crate) fn into_parts(self) -> ((MarketName, Policy), Vec<(MarketName, Policy)>) {
        (self.first, self.more)
    }
}
