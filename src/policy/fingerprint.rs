//! The policy's fingerprint: the SHA-256 of its canonical form, so the same rules written in
//! TOML or JSON, in another order or with other comments, are known to be the same policy.

use std::fmt;

use rust_decimal::Decimal;

use super::{
    Category, ConductRules, CustomerList, EvidenceRule, FaultRules, FollowUpTimes, Policy,
    RepeatedMinorRule, Role, SeverityRates, SeverityShares, Tier, TierLimit, YoungAccounts,
};
use crate::{Code, CodeSet, Party, Window};

/// The SHA-256 of a policy's canonical form, written as 64 lowercase hex digits.
///
/// The canonical form is the validated policy, not its text: every field by name, numbers
/// without trailing zeros, windows in seconds, categories, lists, roles and alternatives sorted
/// by name (their order in a file means nothing), tiers in their order (lowest first, which
/// does mean something). Two files with the same fingerprint decide every request alike.
///
/// ```
/// use voucher_policy::Policy;
///
/// let toml = Policy::from_toml_str(include_str!("../../examples/policies/default.toml"))?;
/// assert_eq!(toml.fingerprint(), Policy::default().fingerprint());
/// assert_eq!(toml.fingerprint().to_string().len(), 64);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// Before a policy is sealed: never seen outside the crate.
    pub(crate) const UNSET: Fingerprint = Fingerprint([0; 32]);

    /// The 32 bytes of the hash.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Reads 64 hex digits back.
    pub(crate) fn from_hex(text: &str) -> Option<Fingerprint> {
        let mut bytes = [0_u8; 32];
        crate::hex::read(text, &mut bytes)?;
        Some(Fingerprint(bytes))
    }

    /// The fingerprint of a policy's rules.
    pub(crate) fn of(policy: &Policy) -> Fingerprint {
        let mut canon = Canon(hmac_sha256::Hash::new());
        policy.write(&mut canon);
        Fingerprint(canon.0.finalize())
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::hex::write(f, &self.0)
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

/// Writes `key=length:value` lines into the hash: a value can hold any character, and no two
/// policies write the same lines.
struct Canon(hmac_sha256::Hash);

/// A field's key: a name, or a name under the key of what holds it (`tiers.0`, `limits`),
/// written without building the joined text.
trait Key: Copy {
    fn write(self, hash: &mut hmac_sha256::Hash);
}

impl Key for &str {
    fn write(self, hash: &mut hmac_sha256::Hash) {
        hash.update(self.as_bytes());
    }
}

impl Key for (&str, &str) {
    fn write(self, hash: &mut hmac_sha256::Hash) {
        hash.update(self.0.as_bytes());
        hash.update(b".");
        hash.update(self.1.as_bytes());
    }
}

impl Canon {
    fn text(&mut self, key: impl Key, value: &str) {
        key.write(&mut self.0);
        self.0.update(b"=");
        self.0.update((value.len() as u64).to_le_bytes());
        self.0.update(b":");
        self.0.update(value.as_bytes());
        self.0.update(b"\n");
    }

    fn number(&mut self, key: impl Key, value: Decimal) {
        self.text(key, &value.normalize().to_string());
    }

    fn optional(&mut self, key: impl Key, value: Option<Decimal>) {
        match value {
            Some(value) => self.number(key, value),
            None => self.text(key, "none"),
        }
    }

    fn count(&mut self, key: impl Key, value: u32) {
        self.text(key, &value.to_string());
    }

    fn flag(&mut self, key: impl Key, value: bool) {
        self.text(key, if value { "true" } else { "false" });
    }

    fn window(&mut self, key: impl Key, value: Window) {
        self.text(key, &value.as_seconds().to_string());
    }

    fn optional_window(&mut self, key: impl Key, value: Option<Window>) {
        match value {
            Some(value) => self.window(key, value),
            None => self.text(key, "none"),
        }
    }

    fn codes<T: Code>(&mut self, key: impl Key, codes: CodeSet<T>) {
        let mut names: Vec<&str> = codes.iter().map(|code| code.as_str()).collect();
        names.sort_unstable();
        self.text(key, &names.join(","));
    }

    /// Items whose order in the file means nothing, by their names.
    fn sorted<T>(&mut self, key: &str, items: &[T], name: impl Fn(&T) -> String)
    where
        T: Canonical,
    {
        let mut named: Vec<(String, &T)> = items.iter().map(|item| (name(item), item)).collect();
        named.sort_by(|a, b| a.0.cmp(&b.0));
        self.count(key, u32::try_from(named.len()).unwrap_or(u32::MAX));
        for (name, item) in named {
            item.write(self, &format!("{key}.{name}"));
        }
    }
}

/// A part of the policy that writes itself under a key.
trait Canonical {
    fn write(&self, canon: &mut Canon, key: &str);
}

impl Policy {
    fn write(&self, canon: &mut Canon) {
        // Destructured whole, so a field added to the policy cannot be left out of its
        // fingerprint without this failing to compile.
        let Policy {
            id,
            currency,
            step,
            local_offset,
            minimum_voucher,
            maximum_voucher,
            agent_authority,
            voucher_validity,
            claim_window,
            count_window,
            value_window,
            minor_cooldown,
            repeated_minor,
            tiers,
            severity_rates,
            categories,
            alternatives,
            maximum_share,
            young_accounts,
            fault,
            lists,
            locale,
            conduct,
            follow_up,
            roles,
        } = self;
        canon.text("format", "voucher-policy/1");
        canon.text("name", id.name());
        canon.text("version", id.version());
        canon.text("currency", currency.as_str());
        canon.number("step", *step);
        canon.text("local_offset", &local_offset.local_minus_utc().to_string());
        canon.number("minimum_voucher", *minimum_voucher);
        canon.number("maximum_voucher", *maximum_voucher);
        canon.number("agent_authority", *agent_authority);
        canon.window("voucher_validity", *voucher_validity);
        canon.window("claim_window", *claim_window);
        canon.window("count_window", *count_window);
        canon.window("value_window", *value_window);
        canon.window("minor_cooldown", *minor_cooldown);
        repeated_minor.write(canon, "repeated_minor");
        canon.count("tiers", u32::try_from(tiers.len()).unwrap_or(u32::MAX));
        for (position, tier) in tiers.iter().enumerate() {
            tier.write(canon, &format!("tiers.{position}"));
        }
        severity_rates.write(canon, "severity_rates");
        canon.sorted("categories", categories, |category| category.name.clone());
        let mut offered: Vec<(&str, String)> = alternatives
            .iter()
            .map(|(reason, offered)| {
                let mut names: Vec<&str> = offered.iter().map(|a| a.as_str()).collect();
                names.sort_unstable();
                (reason.as_str(), names.join(","))
            })
            .collect();
        offered.sort_unstable();
        canon.count(
            "alternatives",
            u32::try_from(offered.len()).unwrap_or(u32::MAX),
        );
        for (reason, names) in offered {
            canon.text(("alternatives", reason), &names);
        }
        maximum_share.write(canon, "maximum_share");
        match young_accounts {
            Some(young) => young.write(canon, "young_accounts"),
            None => canon.text("young_accounts", "none"),
        }
        fault.write(canon, "fault");
        canon.sorted("lists", lists, |list| list.name.clone());
        canon.text("locale", locale.as_str());
        conduct.write(canon, "conduct");
        follow_up.write(canon, "follow_up");
        canon.sorted("roles", roles, |role| role.name.clone());
    }
}

impl Canonical for RepeatedMinorRule {
    fn write(&self, canon: &mut Canon, key: &str) {
        let RepeatedMinorRule { threshold, window } = self;
        canon.count((key, "threshold"), *threshold);
        canon.window((key, "window"), *window);
    }
}

impl Canonical for Tier {
    fn write(&self, canon: &mut Canon, key: &str) {
        let Tier {
            name,
            voucher_limit,
            value_limit,
            multiplier,
            thank_loyalty,
            limits,
        } = self;
        canon.text((key, "name"), name);
        canon.count((key, "voucher_limit"), *voucher_limit);
        canon.number((key, "value_limit"), *value_limit);
        canon.number((key, "multiplier"), *multiplier);
        canon.flag((key, "thank_loyalty"), *thank_loyalty);
        // A tier's further limits are a set: each fires on its own.
        let mut written: Vec<String> = limits
            .iter()
            .map(|limit| match limit {
                TierLimit::Vouchers { limit, window } => {
                    format!("vouchers {limit} in {}", window.as_seconds())
                }
                TierLimit::Value { limit, window } => {
                    format!("value {} in {}", limit.normalize(), window.as_seconds())
                }
            })
            .collect();
        written.sort_unstable();
        canon.text((key, "limits"), &written.join(";"));
    }
}

impl Canonical for SeverityRates {
    fn write(&self, canon: &mut Canon, key: &str) {
        let SeverityRates {
            minor,
            moderate,
            major,
            critical,
        } = self;
        canon.number((key, "minor"), *minor);
        canon.number((key, "moderate"), *moderate);
        canon.number((key, "major"), *major);
        canon.number((key, "critical"), *critical);
    }
}

impl Canonical for SeverityShares {
    fn write(&self, canon: &mut Canon, key: &str) {
        let SeverityShares {
            minor,
            moderate,
            major,
            critical,
        } = self;
        canon.optional((key, "minor"), *minor);
        canon.optional((key, "moderate"), *moderate);
        canon.optional((key, "major"), *major);
        canon.optional((key, "critical"), *critical);
    }
}

impl Canonical for Category {
    fn write(&self, canon: &mut Canon, key: &str) {
        let Category {
            name: _,
            severity,
            rate,
            maximum_voucher,
            maximum_share,
            claim_window,
            evidence,
            evidence_within,
        } = self;
        canon.text((key, "severity"), severity.as_str());
        canon.optional((key, "rate"), *rate);
        canon.optional((key, "maximum_voucher"), *maximum_voucher);
        canon.optional((key, "maximum_share"), *maximum_share);
        canon.optional_window((key, "claim_window"), *claim_window);
        let evidence = match evidence {
            EvidenceRule::BySeverity => "by_severity",
            EvidenceRule::Required => "required",
            EvidenceRule::NotRequired => "not_required",
        };
        canon.text((key, "evidence"), evidence);
        canon.optional_window((key, "evidence_within"), *evidence_within);
    }
}

impl Canonical for YoungAccounts {
    fn write(&self, canon: &mut Canon, key: &str) {
        let YoungAccounts {
            younger_than,
            lifetime_vouchers,
            evidence_required,
        } = self;
        canon.window((key, "younger_than"), *younger_than);
        canon.optional(
            (key, "lifetime_vouchers"),
            lifetime_vouchers.map(Decimal::from),
        );
        canon.flag((key, "evidence_required"), *evidence_required);
    }
}

impl Canonical for FaultRules {
    fn write(&self, canon: &mut Canon, key: &str) {
        // Who bears each party's cost is written below as `cost_bearer` answers it, whether the
        // file named the bearer or left the default: the same bearers are the same rules.
        let FaultRules {
            compensated,
            cost_borne_by: _,
        } = self;
        canon.codes((key, "compensated"), *compensated);
        for party in <Party as Code>::ALL {
            canon.text(
                ("fault.cost_borne_by", party.as_str()),
                self.cost_bearer(*party).as_str(),
            );
        }
    }
}

impl Canonical for CustomerList {
    fn write(&self, canon: &mut Canon, key: &str) {
        let CustomerList {
            name: _,
            escalate_to,
            waives,
        } = self;
        canon.text(
            (key, "escalate_to"),
            escalate_to.map_or("none", |target| target.as_str()),
        );
        canon.codes((key, "waives"), *waives);
    }
}

impl Canonical for ConductRules {
    fn write(&self, canon: &mut Canon, key: &str) {
        let ConductRules {
            warnings_before_close,
        } = self;
        canon.count((key, "warnings_before_close"), *warnings_before_close);
    }
}

impl Canonical for FollowUpTimes {
    fn write(&self, canon: &mut Canon, key: &str) {
        let FollowUpTimes {
            supervisor,
            legal,
            security,
        } = self;
        canon.window((key, "supervisor"), *supervisor);
        canon.window((key, "legal"), *legal);
        canon.window((key, "security"), *security);
    }
}

impl Canonical for Role {
    fn write(&self, canon: &mut Canon, key: &str) {
        let Role {
            name: _,
            authority,
            daily_budget,
            approves,
        } = self;
        canon.number((key, "authority"), *authority);
        canon.optional((key, "daily_budget"), *daily_budget);
        canon.flag((key, "approves"), *approves);
    }
}
