//! Warnings for a policy that is valid but probably not what its authors meant.

use std::fmt;

use super::Policy;

/// A valid policy's likely mistake: the path in the file and what will happen because of it.
///
/// Displays as `agent_authority: 4000 is below minimum_voucher 5000: every grant escalates`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyWarning {
    path: String,
    message: String,
}

impl PolicyWarning {
    fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        PolicyWarning {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The path in the file the warning is about.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What looks wrong, and what it will do.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for PolicyWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl Policy {
    /// Warnings for a policy that is valid but probably wrong: a tier that can never receive a
    /// voucher, an agent authority below the minimum voucher, a higher tier with lower limits
    /// than the tier below it, a rolling window shorter than the minor cool-down.
    ///
    /// ```
    /// use voucher_policy::Policy;
    ///
    /// assert!(Policy::default().lint().is_empty());
    /// ```
    pub fn lint(&self) -> Vec<PolicyWarning> {
        let mut warnings = Vec::new();
        for tier in &self.tiers {
            let path = format!("tiers.{}", tier.name);
            if tier.voucher_limit == 0 {
                warnings.push(PolicyWarning::new(
                    format!("{path}.voucher_limit"),
                    "is 0: customers of this tier can never receive a voucher",
                ));
            }
            if tier.value_limit < self.minimum_voucher {
                warnings.push(PolicyWarning::new(
                    format!("{path}.value_limit"),
                    format!(
                        "{} is below minimum_voucher {}: customers of this tier can never receive a voucher",
                        tier.value_limit, self.minimum_voucher
                    ),
                ));
            }
        }
        if self.agent_authority < self.minimum_voucher {
            warnings.push(PolicyWarning::new(
                "agent_authority",
                format!(
                    "{} is below minimum_voucher {}: every grant escalates to a supervisor",
                    self.agent_authority, self.minimum_voucher
                ),
            ));
        }
        for pair in self.tiers.windows(2) {
            let [lower, higher] = pair else { continue };
            let path = format!("tiers.{}", higher.name);
            let checks = [
                (
                    "voucher_limit",
                    higher.voucher_limit < lower.voucher_limit,
                    higher.voucher_limit.to_string(),
                    lower.voucher_limit.to_string(),
                ),
                (
                    "value_limit",
                    higher.value_limit < lower.value_limit,
                    higher.value_limit.to_string(),
                    lower.value_limit.to_string(),
                ),
                (
                    "multiplier",
                    higher.multiplier < lower.multiplier,
                    higher.multiplier.to_string(),
                    lower.multiplier.to_string(),
                ),
            ];
            for (field, lower_than_below, value, below) in checks {
                if lower_than_below {
                    warnings.push(PolicyWarning::new(
                        format!("{path}.{field}"),
                        format!(
                            "{value} is lower than {below} of the tier below it ({}): tiers are listed lowest first",
                            lower.name
                        ),
                    ));
                }
            }
        }
        let cooldown = self.minor_cooldown;
        for (path, window) in [
            ("count_window", self.count_window),
            ("value_window", self.value_window),
            ("repeated_minor.window", self.repeated_minor.window),
        ] {
            if window < cooldown {
                warnings.push(PolicyWarning::new(
                    path,
                    format!(
                        "{window} is shorter than minor_cooldown {cooldown}: the cool-down outlasts the window it guards"
                    ),
                ));
            }
        }
        warnings
    }
}
