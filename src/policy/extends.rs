//! `extends`: a policy file that names another policy (the embedded default, or a file) and
//! gives only what differs from it.

use std::path::{Path, PathBuf};

use super::Policy;
use super::file::{
    ConductFile, Entries, FaultFile, FollowUpFile, PolicyFile, RepeatedMinorFile,
    SeverityRatesFile, SharesFile, TierFile, YoungAccountsFile,
};
use crate::PolicyError;

/// How many files deep a chain of `extends` may go: far more than any real chain, few enough
/// that a cycle is reported quickly.
const MAX_DEPTH: usize = 16;

impl PolicyFile {
    /// This file with what `base` gives where this file gives nothing: scalars and the
    /// sub-tables field by field, tiers by name (a new name after the base's tiers; a tier's
    /// `limits` replaced whole), categories, alternatives, lists and costs by key.
    pub fn over(self, base: PolicyFile) -> PolicyFile {
        PolicyFile {
            extends: None,
            name: self.name.or(base.name),
            version: self.version.or(base.version),
            currency: self.currency.or(base.currency),
            step: self.step.or(base.step),
            local_offset: self.local_offset.or(base.local_offset),
            minimum_voucher: self.minimum_voucher.or(base.minimum_voucher),
            maximum_voucher: self.maximum_voucher.or(base.maximum_voucher),
            agent_authority: self.agent_authority.or(base.agent_authority),
            voucher_validity: self.voucher_validity.or(base.voucher_validity),
            claim_window: self.claim_window.or(base.claim_window),
            count_window: self.count_window.or(base.count_window),
            value_window: self.value_window.or(base.value_window),
            minor_cooldown: self.minor_cooldown.or(base.minor_cooldown),
            repeated_minor: merged(self.repeated_minor, base.repeated_minor, |ours, theirs| {
                RepeatedMinorFile {
                    threshold: ours.threshold.or(theirs.threshold),
                    window: ours.window.or(theirs.window),
                }
            }),
            severity_rates: merged(self.severity_rates, base.severity_rates, |ours, theirs| {
                SeverityRatesFile {
                    minor: ours.minor.or(theirs.minor),
                    moderate: ours.moderate.or(theirs.moderate),
                    major: ours.major.or(theirs.major),
                    critical: ours.critical.or(theirs.critical),
                }
            }),
            tiers: merged(self.tiers, base.tiers, tiers_over),
            categories: merged(self.categories, base.categories, entries_over),
            alternatives: merged(self.alternatives, base.alternatives, entries_over),
            locale: self.locale.or(base.locale),
            maximum_share: merged(self.maximum_share, base.maximum_share, |ours, theirs| {
                SharesFile {
                    minor: ours.minor.or(theirs.minor),
                    moderate: ours.moderate.or(theirs.moderate),
                    major: ours.major.or(theirs.major),
                    critical: ours.critical.or(theirs.critical),
                }
            }),
            young_accounts: merged(self.young_accounts, base.young_accounts, |ours, theirs| {
                YoungAccountsFile {
                    younger_than: ours.younger_than.or(theirs.younger_than),
                    lifetime_vouchers: ours.lifetime_vouchers.or(theirs.lifetime_vouchers),
                    evidence_required: ours.evidence_required.or(theirs.evidence_required),
                }
            }),
            fault: merged(self.fault, base.fault, |ours, theirs| FaultFile {
                compensated: ours.compensated.or(theirs.compensated),
                cost_borne_by: merged(ours.cost_borne_by, theirs.cost_borne_by, entries_over),
            }),
            lists: merged(self.lists, base.lists, entries_over),
            conduct: merged(self.conduct, base.conduct, |ours, theirs| ConductFile {
                warnings_before_close: ours.warnings_before_close.or(theirs.warnings_before_close),
            }),
            follow_up: merged(self.follow_up, base.follow_up, |ours, theirs| {
                FollowUpFile {
                    supervisor: ours.supervisor.or(theirs.supervisor),
                    legal: ours.legal.or(theirs.legal),
                    security: ours.security.or(theirs.security),
                }
            }),
            roles: merged(self.roles, base.roles, entries_over),
        }
    }

    /// This file with the policy it extends (and the one that extends, and so on) filled in;
    /// `dir` is where a relative path is read from.
    pub fn resolved(self, dir: Option<&Path>) -> Result<PolicyFile, PolicyError> {
        self.resolved_at(dir, 0)
    }

    fn resolved_at(mut self, dir: Option<&Path>, depth: usize) -> Result<PolicyFile, PolicyError> {
        let Some(base_name) = self.extends.take() else {
            return Ok(self);
        };
        let problem = |message: String| PolicyError::Extends {
            base: base_name.clone(),
            message,
        };
        if depth >= MAX_DEPTH {
            return Err(problem(format!(
                "more than {MAX_DEPTH} files extend one another (does a file extend itself?)"
            )));
        }
        if base_name.trim() == "default" {
            return Ok(self.over(PolicyFile::from(&Policy::default())));
        }
        let path = match dir {
            Some(dir) => dir.join(base_name.trim()),
            None => PathBuf::from(base_name.trim()),
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|error| problem(format!("{}: {error}", path.display())))?;
        let base = super::load::read_file(&path, &text)?;
        let base = base.resolved_at(path.parent(), depth + 1)?;
        Ok(self.over(base))
    }
}

/// Both given: merged; either: that one.
fn merged<T>(ours: Option<T>, theirs: Option<T>, merge: impl FnOnce(T, T) -> T) -> Option<T> {
    match (ours, theirs) {
        (Some(ours), Some(theirs)) => Some(merge(ours, theirs)),
        (ours, theirs) => ours.or(theirs),
    }
}

/// The base's tiers with ours laid over them by name; a tier of ours the base does not have
/// comes after the base's, in our order.
fn tiers_over(ours: Vec<TierFile>, theirs: Vec<TierFile>) -> Vec<TierFile> {
    let mut tiers = theirs;
    for tier in ours {
        let same = tiers
            .iter_mut()
            .find(|known| known.name.is_some() && known.name == tier.name);
        match same {
            Some(known) => {
                *known = TierFile {
                    name: tier.name,
                    voucher_limit: tier.voucher_limit.or(known.voucher_limit),
                    value_limit: tier.value_limit.or(known.value_limit.take()),
                    multiplier: tier.multiplier.or(known.multiplier.take()),
                    thank_loyalty: tier.thank_loyalty.or(known.thank_loyalty),
                    limits: tier.limits.or(known.limits.take()),
                }
            }
            None => tiers.push(tier),
        }
    }
    tiers
}

/// The base's entries with ours laid over them by key; a key of ours the base does not have
/// comes after the base's.
fn entries_over<V>(ours: Entries<V>, theirs: Entries<V>) -> Entries<V> {
    let Entries(mut entries) = theirs;
    let mut laid: Vec<String> = Vec::new();
    for (key, value) in ours.0 {
        let known = entries.iter_mut().find(|(known, _)| *known == key);
        match known {
            // A key this file gives twice stays twice, for validation to report.
            Some((_, known)) if !laid.contains(&key) => *known = value,
            _ => entries.push((key.clone(), value)),
        }
        laid.push(key);
    }
    Entries(entries)
}
