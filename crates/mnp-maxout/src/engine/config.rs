//! Thresholds and timings: a [`Rule`] per circuit, resolved from a
//! [`RuleSet`] of defaults, per-customer and per-circuit overrides.
//!
//! Resolution is field by field: defaults, then the customer's override,
//! then the circuit's override (the most specific wins). The resolved rule
//! is validated; errors name the override that broke it.
//!
//! ```toml
//! [defaults]
//! threshold_percent = 100
//! open_samples = 3
//! resolve_below_percent = 90
//! stale_after = "10m"
//!
//! [customers.ACME]
//! threshold_percent = 95
//!
//! [circuits."LON-NYC-0042"]
//! threshold_percent = 80
//! resolve_below_percent = 70
//! ```
//!
//! Percentages are of the circuit's **ceiling** (burst capacity when it has
//! one, else provisioned; see [`crate::engine`]). `resolve_below_percent` is
//! absolute, not relative to the threshold, so raising a threshold never
//! changes when an episode resolves — that is what makes "a higher threshold
//! never yields more episodes" true.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::units::Seconds;

/// When a circuit's episode opens and resolves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rule {
    /// Over threshold: utilisation ≥ this percentage of the ceiling. Default 100.
    pub threshold_percent: f64,
    /// An episode opens after this many consecutive samples over threshold… Default 3.
    pub open_samples: u32,
    /// …spanning at least this long (first to last of the run). Default 0.
    pub open_after: Seconds,
    /// Hysteresis: an open episode resolves only below this percentage of
    /// the ceiling (absolute; ≤ threshold). Default 90.
    pub resolve_below_percent: f64,
    /// …for this many consecutive samples… Default 3.
    pub resolve_samples: u32,
    /// …spanning at least this long. Default 0.
    pub resolve_after: Seconds,
    /// A gap between samples longer than this breaks every run: the circuit
    /// was stale and nothing is concluded across the gap. Default 10 min
    /// (set it to at least twice the polling interval).
    pub stale_after: Seconds,
    /// While open, an [`Update`](super::EpisodeEvent::Update) is emitted at
    /// most this often (sample time); 0 disables updates. Default 15 min.
    pub update_every: Seconds,
}

impl Default for Rule {
    fn default() -> Self {
        Rule {
            threshold_percent: 100.0,
            open_samples: 3,
            open_after: Seconds(0),
            resolve_below_percent: 90.0,
            resolve_samples: 3,
            resolve_after: Seconds(0),
            stale_after: Seconds::minutes(10),
            update_every: Seconds::minutes(15),
        }
    }
}

impl Rule {
    /// Checks ranges and consistency. `at` prefixes field names in errors
    /// (e.g. `circuits.C1.`).
    pub fn validate(&self, at: &str) -> Result<()> {
        let err = |field: &str, reason: &str| Error::Config {
            field: format!("{at}{field}"),
            reason: reason.to_string(),
        };
        if !(self.threshold_percent.is_finite()
            && self.threshold_percent > 0.0
            && self.threshold_percent <= 1000.0)
        {
            return Err(err("threshold_percent", "must be > 0 and ≤ 1000"));
        }
        if !(self.resolve_below_percent.is_finite() && self.resolve_below_percent > 0.0) {
            return Err(err("resolve_below_percent", "must be > 0"));
        }
        if self.resolve_below_percent > self.threshold_percent {
            return Err(err(
                "resolve_below_percent",
                "must not be above threshold_percent",
            ));
        }
        if self.open_samples == 0 {
            return Err(err("open_samples", "must be at least 1"));
        }
        if self.resolve_samples == 0 {
            return Err(err("resolve_samples", "must be at least 1"));
        }
        if self.stale_after.0 == 0 {
            return Err(err("stale_after", "must be more than 0"));
        }
        Ok(())
    }

    /// This rule with the fields an override sets replaced.
    pub fn merged(&self, o: &RuleOverride) -> Rule {
        Rule {
            threshold_percent: o.threshold_percent.unwrap_or(self.threshold_percent),
            open_samples: o.open_samples.unwrap_or(self.open_samples),
            open_after: o.open_after.unwrap_or(self.open_after),
            resolve_below_percent: o
                .resolve_below_percent
                .unwrap_or(self.resolve_below_percent),
            resolve_samples: o.resolve_samples.unwrap_or(self.resolve_samples),
            resolve_after: o.resolve_after.unwrap_or(self.resolve_after),
            stale_after: o.stale_after.unwrap_or(self.stale_after),
            update_every: o.update_every.unwrap_or(self.update_every),
        }
    }
}

/// Some fields of a [`Rule`], for a customer or a circuit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[allow(missing_docs)] // same fields as Rule
pub struct RuleOverride {
    pub threshold_percent: Option<f64>,
    pub open_samples: Option<u32>,
    pub open_after: Option<Seconds>,
    pub resolve_below_percent: Option<f64>,
    pub resolve_samples: Option<u32>,
    pub resolve_after: Option<Seconds>,
    pub stale_after: Option<Seconds>,
    pub update_every: Option<Seconds>,
}

/// Defaults plus per-customer and per-circuit overrides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleSet {
    /// The rule of circuits without overrides.
    pub defaults: Rule,
    /// Overrides by customer id.
    pub customers: BTreeMap<String, RuleOverride>,
    /// Overrides by circuit id (win over the customer's).
    pub circuits: BTreeMap<String, RuleOverride>,
}

impl RuleSet {
    /// The rule for a circuit of a customer.
    pub fn resolve(&self, circuit: &str, customer: Option<&str>) -> Result<Rule> {
        let mut rule = self.defaults.clone();
        let mut at = String::from("defaults.");
        if let Some(o) = customer.and_then(|c| self.customers.get(c)) {
            rule = rule.merged(o);
            at = format!("customers.{}.", customer.unwrap_or_default());
        }
        if let Some(o) = self.circuits.get(circuit) {
            rule = rule.merged(o);
            at = format!("circuits.{circuit}.");
        }
        rule.validate(&at)?;
        Ok(rule)
    }

    /// Validates the defaults and each override applied to the defaults
    /// (call at load time; combinations are checked again by [`resolve`](Self::resolve)).
    pub fn validate(&self) -> Result<()> {
        self.defaults.validate("defaults.")?;
        for (id, o) in &self.customers {
            self.defaults
                .merged(o)
                .validate(&format!("customers.{id}."))?;
        }
        for (id, o) in &self.circuits {
            self.defaults
                .merged(o)
                .validate(&format!("circuits.{id}."))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> RuleSet {
        serde_json::from_value(serde_json::json!({
            "defaults": {"stale_after": "5m"},
            "customers": {"ACME": {"threshold_percent": 95, "open_samples": 5}},
            "circuits": {"C1": {"threshold_percent": 80, "resolve_below_percent": 70}}
        }))
        .unwrap()
    }

    #[test]
    fn most_specific_wins_field_by_field() {
        let s = set();
        let r = s.resolve("C9", None).unwrap();
        assert_eq!(
            (r.threshold_percent, r.open_samples, r.stale_after),
            (100.0, 3, Seconds(300))
        );
        let r = s.resolve("C9", Some("ACME")).unwrap();
        assert_eq!((r.threshold_percent, r.open_samples), (95.0, 5));
        let r = s.resolve("C1", Some("ACME")).unwrap();
        assert_eq!(
            (r.threshold_percent, r.open_samples, r.resolve_below_percent),
            (80.0, 5, 70.0)
        );
        s.validate().unwrap();
    }

    #[test]
    fn inconsistent_override_is_named() {
        let mut s = set();
        s.customers.insert(
            "LOW".into(),
            RuleOverride {
                threshold_percent: Some(85.0),
                ..Default::default()
            },
        );
        let e = s.resolve("C9", Some("LOW")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "config customers.LOW.resolve_below_percent: must not be above threshold_percent"
        );
        assert!(s.validate().is_err());
    }

    #[test]
    fn unknown_fields_rejected() {
        let r: std::result::Result<RuleSet, _> =
            serde_json::from_value(serde_json::json!({"defaults": {"treshold": 1}}));
        assert!(r.is_err());
    }
}
