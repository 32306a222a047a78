//! SLA definitions: a TOML file people write and `mnp sla import` reads.
//!
//! ```toml
//! [[sla]]
//! id = "zayo-wave-99.99"                  # kebab-case, unique in the file
//! name = "Zayo wavelengths, 99.99 % per calendar month"
//! uptime_percent = 99.99                  # promised availability, 0–100
//! interval = "calendarMonthFromFirst"     # or calendarMonthFromTurnupDay, bankersMonth, fixed:7d
//! strategy = "standard-availability"      # or protection-group (see mnp_sla::strategy)
//! vendors = ["zayo"]                      # vendor ids the SLA applies to
//! maintenance_allowance_minutes = 480     # optional, see below
//! description = "MSA 2024-017, Schedule B" # optional free text
//!
//! [[sla.credit]]                          # optional tiers, highest threshold first
//! below_percent = 99.99                   # availability below this…
//! credit_percent_of_mrc = 10              # …earns this much of the monthly recurring charge
//! [[sla.credit]]
//! below_percent = 99.9
//! credit_percent_of_mrc = 25
//! ```
//!
//! # Rules checked ([`parse`] reports every problem, each with its line)
//!
//! * `uptime_percent` in `0..=100`; `below_percent` in `(0, 100]` and not
//!   above `uptime_percent` (a credit without a breach makes no sense);
//!   `credit_percent_of_mrc` in `0..=100`; NaN and infinities refused.
//! * Credit tiers ordered as a contract prints them: `below_percent`
//!   strictly falling, `credit_percent_of_mrc` never falling. The tier that
//!   applies is the one with the lowest threshold the availability is below
//!   (the highest applicable credit).
//! * `strategy` must be a registered strategy (the error lists them);
//!   `interval` one of the known kinds (the error lists them).
//! * `id` unique in the file, made of letters, digits, `.`, `_`, `-`;
//!   vendors non-empty and not repeated; unknown keys refused (typos such as
//!   `uptime_pecent` would otherwise be silently ignored).
//!
//! # Maintenance allowance
//!
//! `maintenance_allowance_minutes` caps, per SLA period, how much outage time
//! forecast maintenance may excuse. Outage seconds inside non-cancelled
//! forecast windows are excused in time order until the allowance is used
//! up; outage inside forecast windows beyond it counts as outage. It caps
//! excused *outage*, not announced window length (carriers announce long
//! windows for short hits). Absent means no cap; `0` means forecast
//! maintenance never excuses anything.
//!
//! Percentages are compared at six decimal places (0.000001 %), exactly —
//! see [`crate::evaluate`].

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::period::IntervalKind;
use crate::strategy;

/// One SLA, as read from a definition file (and stored as JSON in the
/// `Sla.definition` column).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlaDefinition {
    /// Stable id (`Sla.slaId`), referenced by circuits' `slaId`.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Promised availability in percent (0–100).
    pub uptime_percent: f64,
    /// How time is cut into periods.
    pub interval: IntervalKind,
    /// Registered strategy id.
    pub strategy: String,
    /// Vendor ids the SLA applies to (`SlaVendorApplicability`).
    pub vendors: Vec<String>,
    /// Per-period cap on outage excused by forecast maintenance, in minutes
    /// (see the module docs); `None` = no cap.
    pub maintenance_allowance_minutes: Option<u32>,
    /// Credit tiers, highest threshold first.
    pub credits: Vec<CreditTier>,
    /// Free text (contract reference, notes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Line of the `[[sla]]` header in the file it came from (0 when not
    /// read from a file).
    #[serde(skip)]
    pub line: usize,
}

/// One credit tier: availability below `below_percent` earns
/// `credit_percent_of_mrc` percent of the monthly recurring charge.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditTier {
    /// Threshold in percent: the tier applies when availability is below it.
    pub below_percent: f64,
    /// Credit in percent of the MRC.
    pub credit_percent_of_mrc: f64,
}

impl SlaDefinition {
    /// The registered strategy this SLA names.
    pub fn strategy(
        &self,
    ) -> Result<&'static strategy::StrategyDescriptor, strategy::StrategyError> {
        strategy::find(&self.strategy)
    }

    /// The allowance in seconds, if any.
    pub fn maintenance_allowance_seconds(&self) -> Option<i64> {
        self.maintenance_allowance_minutes
            .map(|m| i64::from(m) * 60)
    }

    /// Checks the rules of the module docs on a definition built in code or
    /// loaded from JSON; errors carry [`SlaDefinition::line`].
    pub fn validate(&self) -> Result<(), DefinitionErrors> {
        let mut errors = Vec::new();
        let at = |_: &str| self.line;
        check_sla(self, &at, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(DefinitionErrors(errors))
        }
    }
}

/// One problem in a definition file, with the 1-based line it is on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DefinitionError {
    /// Not valid TOML, or a value of the wrong type, a missing or unknown key.
    #[error("line {line}: {message}")]
    Toml {
        /// Line of the problem (1 when TOML gives no position).
        line: usize,
        /// The TOML reader's message.
        message: String,
    },
    /// The file has no `[[sla]]` table.
    #[error("line 1: no [[sla]] table in the file")]
    NoSla,
    /// A strategy id that is not registered.
    #[error("line {line}: unknown strategy {strategy:?} (registered: {})", known.join(", "))]
    UnknownStrategy {
        /// Line of the `strategy` key.
        line: usize,
        /// The id given.
        strategy: String,
        /// The registered ids.
        known: Vec<&'static str>,
    },
    /// An interval text that is not one of the known kinds.
    #[error("line {line}: {reason}")]
    UnknownInterval {
        /// Line of the `interval` key.
        line: usize,
        /// What is wrong, listing the accepted kinds.
        reason: String,
    },
    /// A percentage that cannot be.
    #[error("line {line}: {field} = {value} is impossible: {reason}")]
    BadPercent {
        /// Line of the key.
        line: usize,
        /// The key.
        field: &'static str,
        /// The value given.
        value: f64,
        /// Why.
        reason: String,
    },
    /// Credit tiers out of order.
    #[error("line {line}: credit tiers are not ordered: {reason}")]
    TiersNotOrdered {
        /// Line of the offending `[[sla.credit]]`.
        line: usize,
        /// Which order is broken.
        reason: String,
    },
    /// Any other bad value (empty id, repeated vendor, negative allowance…).
    #[error("line {line}: {field}: {reason}")]
    BadValue {
        /// Line of the key.
        line: usize,
        /// The key.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// Two SLAs with the same id.
    #[error("line {line}: sla id {id:?} already defined on line {first_line}")]
    DuplicateId {
        /// Line of the second definition.
        line: usize,
        /// The id.
        id: String,
        /// Line of the first.
        first_line: usize,
    },
}

impl DefinitionError {
    /// The 1-based line the problem is on.
    pub fn line(&self) -> usize {
        match self {
            DefinitionError::NoSla => 1,
            DefinitionError::Toml { line, .. }
            | DefinitionError::UnknownStrategy { line, .. }
            | DefinitionError::UnknownInterval { line, .. }
            | DefinitionError::BadPercent { line, .. }
            | DefinitionError::TiersNotOrdered { line, .. }
            | DefinitionError::BadValue { line, .. }
            | DefinitionError::DuplicateId { line, .. } => *line,
        }
    }
}

/// Every problem found in a definition file, in line order (never empty).
#[derive(Debug, Clone, PartialEq)]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

impl fmt::Display for DefinitionErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DefinitionErrors {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    sla: Vec<Spanned<RawSla>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSla {
    id: Spanned<String>,
    name: Spanned<String>,
    uptime_percent: Spanned<f64>,
    interval: Spanned<String>,
    strategy: Spanned<String>,
    #[serde(default)]
    vendors: Vec<Spanned<String>>,
    maintenance_allowance_minutes: Option<Spanned<i64>>,
    #[serde(default)]
    credit: Vec<Spanned<RawCredit>>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCredit {
    below_percent: Spanned<f64>,
    credit_percent_of_mrc: Spanned<f64>,
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()
        .get(..end)
        .map_or(0, |b| b.iter().filter(|c| **c == b'\n').count())
        + 1
}

/// Reads a definition file. Returns every problem found (TOML syntax
/// errors stop at the first), each naming its line.
pub fn parse(text: &str) -> Result<Vec<SlaDefinition>, DefinitionErrors> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        DefinitionErrors(vec![DefinitionError::Toml {
            line: e.span().map_or(1, |s| line_of(text, s.start)),
            message: e.message().trim().to_string(),
        }])
    })?;
    if raw.sla.is_empty() {
        return Err(DefinitionErrors(vec![DefinitionError::NoSla]));
    }
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for s in raw.sla {
        let sla_line = line_of(text, s.span().start);
        let r = s.into_inner();
        let line = |sp: std::ops::Range<usize>| line_of(text, sp.start);
        // Lines of each key, for the shared checks.
        let mut lines: BTreeMap<&'static str, usize> = BTreeMap::new();
        lines.insert("sla", sla_line);
        lines.insert("id", line(r.id.span()));
        lines.insert("name", line(r.name.span()));
        lines.insert("uptime_percent", line(r.uptime_percent.span()));
        lines.insert("interval", line(r.interval.span()));
        lines.insert("strategy", line(r.strategy.span()));
        if let Some(first) = r.vendors.first() {
            lines.insert("vendors", line(first.span()));
        }
        let id = r.id.get_ref().trim().to_string();
        if let Some(first_line) = seen.get(&id) {
            errors.push(DefinitionError::DuplicateId {
                line: line(r.id.span()),
                id: id.clone(),
                first_line: *first_line,
            });
        } else if !id.is_empty() {
            seen.insert(id.clone(), line(r.id.span()));
        }
        let interval = match r.interval.get_ref().parse::<IntervalKind>() {
            Ok(k) => Some(k),
            Err(e) => {
                errors.push(DefinitionError::UnknownInterval {
                    line: line(r.interval.span()),
                    reason: e.to_string(),
                });
                None
            }
        };
        let allowance = match &r.maintenance_allowance_minutes {
            None => None,
            Some(m) => match u32::try_from(*m.get_ref()) {
                Ok(v) => Some(v),
                Err(_) => {
                    errors.push(DefinitionError::BadValue {
                        line: line(m.span()),
                        field: "maintenance_allowance_minutes",
                        reason: format!("{} is not a number of minutes (0 or more)", m.get_ref()),
                    });
                    None
                }
            },
        };
        let vendor_lines: Vec<usize> = r.vendors.iter().map(|v| line(v.span())).collect();
        let credit_lines: Vec<(usize, usize, usize)> = r
            .credit
            .iter()
            .map(|c| {
                (
                    line(c.span()),
                    line(c.get_ref().below_percent.span()),
                    line(c.get_ref().credit_percent_of_mrc.span()),
                )
            })
            .collect();
        let def = SlaDefinition {
            id,
            name: r.name.get_ref().trim().to_string(),
            uptime_percent: *r.uptime_percent.get_ref(),
            interval: interval.unwrap_or(IntervalKind::CalendarMonthFromFirst),
            strategy: r.strategy.get_ref().trim().to_string(),
            vendors: r
                .vendors
                .iter()
                .map(|v| v.get_ref().trim().to_string())
                .collect(),
            maintenance_allowance_minutes: allowance,
            credits: r
                .credit
                .iter()
                .map(|c| CreditTier {
                    below_percent: *c.get_ref().below_percent.get_ref(),
                    credit_percent_of_mrc: *c.get_ref().credit_percent_of_mrc.get_ref(),
                })
                .collect(),
            description: r.description.map(|d| d.trim().to_string()),
            line: sla_line,
        };
        let at = |key: &str| -> usize {
            if let Some(i) = key
                .strip_prefix("vendor#")
                .and_then(|i| i.parse::<usize>().ok())
            {
                return vendor_lines.get(i).copied().unwrap_or(sla_line);
            }
            if let Some((i, kind)) = key.strip_prefix("credit#").and_then(|k| k.split_once('.')) {
                let t = i
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| credit_lines.get(i).copied());
                return match (kind, t) {
                    ("tier", Some((l, _, _))) => l,
                    ("below", Some((_, l, _))) => l,
                    ("credit", Some((_, _, l))) => l,
                    _ => sla_line,
                };
            }
            lines.get(key).copied().unwrap_or(sla_line)
        };
        check_sla(&def, &at, &mut errors);
        out.push(def);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort_by_key(DefinitionError::line);
        Err(DefinitionErrors(errors))
    }
}

/// The checks shared by [`parse`] and [`SlaDefinition::validate`]. `at`
/// maps a key (`uptime_percent`, `vendor#2`, `credit#1.below`, …) to its line.
fn check_sla(def: &SlaDefinition, at: &dyn Fn(&str) -> usize, errors: &mut Vec<DefinitionError>) {
    if def.id.is_empty() {
        errors.push(DefinitionError::BadValue {
            line: at("id"),
            field: "id",
            reason: "must not be empty".into(),
        });
    } else if let Some(c) = def
        .id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        errors.push(DefinitionError::BadValue {
            line: at("id"),
            field: "id",
            reason: format!(
                "{:?} contains {c:?}; use letters, digits, '.', '_' and '-'",
                def.id
            ),
        });
    }
    if def.name.is_empty() {
        errors.push(DefinitionError::BadValue {
            line: at("name"),
            field: "name",
            reason: "must not be empty".into(),
        });
    }
    let up = def.uptime_percent;
    let up_ok = percent_problem(up, true).is_none();
    if let Some(reason) = percent_problem(up, true) {
        errors.push(DefinitionError::BadPercent {
            line: at("uptime_percent"),
            field: "uptime_percent",
            value: up,
            reason,
        });
    }
    if let Err(e) = strategy::find(&def.strategy) {
        let known = match e {
            strategy::StrategyError::Unknown { known, .. } => known,
            _ => strategy::ids(),
        };
        errors.push(DefinitionError::UnknownStrategy {
            line: at("strategy"),
            strategy: def.strategy.clone(),
            known,
        });
    }
    if def.vendors.is_empty() {
        errors.push(DefinitionError::BadValue {
            line: at("sla"),
            field: "vendors",
            reason: "name at least one vendor id the SLA applies to, e.g. vendors = [\"zayo\"]"
                .into(),
        });
    }
    let mut seen = BTreeSet::new();
    for (i, v) in def.vendors.iter().enumerate() {
        let line = at(&format!("vendor#{i}"));
        if v.is_empty() {
            errors.push(DefinitionError::BadValue {
                line,
                field: "vendors",
                reason: "empty vendor id".into(),
            });
        } else if !seen.insert(v.to_ascii_lowercase()) {
            errors.push(DefinitionError::BadValue {
                line,
                field: "vendors",
                reason: format!("vendor {v:?} is listed twice"),
            });
        }
    }
    let mut prev: Option<&CreditTier> = None;
    for (i, t) in def.credits.iter().enumerate() {
        let below_line = at(&format!("credit#{i}.below"));
        let mut ok = true;
        if let Some(reason) = percent_problem(t.below_percent, false) {
            errors.push(DefinitionError::BadPercent {
                line: below_line,
                field: "below_percent",
                value: t.below_percent,
                reason,
            });
            ok = false;
        } else if up_ok && t.below_percent > up {
            errors.push(DefinitionError::BadPercent {
                line: below_line,
                field: "below_percent",
                value: t.below_percent,
                reason: format!(
                    "above the promised uptime_percent = {up}: it would pay a credit without a breach"
                ),
            });
            ok = false;
        }
        if let Some(reason) = percent_problem(t.credit_percent_of_mrc, true) {
            errors.push(DefinitionError::BadPercent {
                line: at(&format!("credit#{i}.credit")),
                field: "credit_percent_of_mrc",
                value: t.credit_percent_of_mrc,
                reason,
            });
            ok = false;
        }
        if let (true, Some(p)) = (ok, prev) {
            let line = at(&format!("credit#{i}.tier"));
            if t.below_percent >= p.below_percent {
                errors.push(DefinitionError::TiersNotOrdered {
                    line,
                    reason: format!(
                        "below_percent {} follows {}; list tiers from the highest threshold down, each lower than the one before",
                        t.below_percent, p.below_percent
                    ),
                });
            } else if t.credit_percent_of_mrc < p.credit_percent_of_mrc {
                errors.push(DefinitionError::TiersNotOrdered {
                    line,
                    reason: format!(
                        "credit_percent_of_mrc {} for below {} is less than {} for below {}; lower availability must not earn less credit",
                        t.credit_percent_of_mrc, t.below_percent, p.credit_percent_of_mrc, p.below_percent
                    ),
                });
            }
        }
        if ok {
            prev = Some(t);
        }
    }
}

/// Why `p` is not a percentage; `zero_ok` allows exactly 0.
fn percent_problem(p: f64, zero_ok: bool) -> Option<String> {
    if !p.is_finite() {
        Some("a percentage must be a finite number".into())
    } else if p < 0.0 {
        Some("a percentage cannot be below 0".into())
    } else if p > 100.0 {
        Some("a percentage cannot be above 100".into())
    } else if p == 0.0 && !zero_ok {
        Some("availability is never below 0 %, so this tier could never apply".into())
    } else {
        None
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[sla]]
id = "zayo-wave"
name = "Zayo wavelengths 99.99 %"
uptime_percent = 99.99
interval = "calendarMonthFromFirst"
strategy = "standard-availability"
vendors = ["zayo"]
maintenance_allowance_minutes = 480

[[sla.credit]]
below_percent = 99.99
credit_percent_of_mrc = 10

[[sla.credit]]
below_percent = 99.9
credit_percent_of_mrc = 25

[[sla]]
id = "metro-ring"
name = "Metro ring, protected"
uptime_percent = 100
interval = "fixed:7d"
strategy = "protection-group"
vendors = ["lumen", "cogent"]
"#;

    fn errs(text: &str) -> Vec<DefinitionError> {
        parse(text).unwrap_err().0
    }

    /// GOOD with line `n` (1-based) replaced.
    fn with_line(n: usize, new: &str) -> String {
        GOOD.lines()
            .enumerate()
            .map(|(i, l)| if i + 1 == n { new } else { l })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn reads_a_good_file() {
        let v = parse(GOOD).unwrap();
        assert_eq!(v.len(), 2);
        let z = &v[0];
        assert_eq!((z.id.as_str(), z.line), ("zayo-wave", 2));
        assert_eq!(z.uptime_percent, 99.99);
        assert_eq!(z.interval, IntervalKind::CalendarMonthFromFirst);
        assert_eq!(z.maintenance_allowance_seconds(), Some(28_800));
        assert_eq!(
            z.credits,
            [
                CreditTier {
                    below_percent: 99.99,
                    credit_percent_of_mrc: 10.0
                },
                CreditTier {
                    below_percent: 99.9,
                    credit_percent_of_mrc: 25.0
                },
            ]
        );
        let m = &v[1];
        assert_eq!(
            m.uptime_percent, 100.0,
            "integer TOML value read as a percentage"
        );
        assert_eq!(m.interval, IntervalKind::Fixed { seconds: 604_800 });
        assert_eq!(m.vendors, ["lumen", "cogent"]);
        assert!(m.credits.is_empty() && m.maintenance_allowance_minutes.is_none());
        assert_eq!(m.strategy().unwrap().id, "protection-group");
        assert!(m.validate().is_ok());
        // JSON round trip (the Sla.definition column).
        let j = serde_json::to_string(z).unwrap();
        assert!(j.contains("\"interval\":\"calendarMonthFromFirst\""), "{j}");
        let back: SlaDefinition = serde_json::from_str(&j).unwrap();
        assert_eq!(SlaDefinition { line: 2, ..back }, *z);
    }

    #[test]
    fn unknown_strategy_names_line_and_registered_ones() {
        let e = errs(&with_line(7, r#"strategy = "best-effort""#));
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].to_string(),
            "line 7: unknown strategy \"best-effort\" (registered: protection-group, standard-availability)"
        );
    }

    #[test]
    fn unknown_interval_names_line_and_kinds() {
        let e = errs(&with_line(23, r#"interval = "quarterly""#));
        assert_eq!(e[0].line(), 23);
        let msg = e[0].to_string();
        assert!(
            msg.starts_with("line 23: unknown interval \"quarterly\""),
            "{msg}"
        );
        assert!(
            msg.contains("calendarMonthFromTurnupDay") && msg.contains("fixed:"),
            "{msg}"
        );
    }

    #[test]
    fn impossible_percentages() {
        let e = errs(&with_line(5, "uptime_percent = 100.5"));
        assert_eq!(
            e[0].to_string(),
            "line 5: uptime_percent = 100.5 is impossible: a percentage cannot be above 100"
        );
        let e = errs(&with_line(5, "uptime_percent = -1"));
        assert_eq!(e[0].line(), 5);
        let e = errs(&with_line(5, "uptime_percent = nan"));
        assert!(e[0].to_string().contains("finite"), "{}", e[0]);
        let e = errs(&with_line(17, "credit_percent_of_mrc = 150"));
        assert_eq!(
            e[0].to_string(),
            "line 17: credit_percent_of_mrc = 150 is impossible: a percentage cannot be above 100"
        );
        // A tier above the promise.
        let e = errs(&with_line(12, "below_percent = 99.995"));
        assert_eq!(e[0].line(), 12);
        assert!(
            e[0].to_string().contains("credit without a breach"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn tiers_out_of_order() {
        let e = errs(&with_line(16, "below_percent = 99.995"));
        // 99.995 is also above the promise; fix that to see the order error.
        assert_eq!(e[0].line(), 16);
        let swapped = GOOD.replace("below_percent = 99.9\n", "below_percent = 99.99\n");
        let e = errs(&swapped);
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].line(),
            15,
            "the [[sla.credit]] header of the second tier"
        );
        assert!(matches!(e[0], DefinitionError::TiersNotOrdered { .. }));
        let less = GOOD.replace("credit_percent_of_mrc = 25", "credit_percent_of_mrc = 5");
        let e = errs(&less);
        assert_eq!(e[0].line(), 15);
        assert!(
            e[0].to_string().contains("must not earn less credit"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn toml_errors_name_the_line() {
        let e = errs(&with_line(5, "uptime_percent = \"high\""));
        assert_eq!(e[0].line(), 5, "{}", e[0]);
        let e = errs(&with_line(5, "uptime_pecent = 99.99"));
        assert!(
            e.iter().any(|e| e.to_string().contains("uptime_pecent")),
            "{e:?}"
        );
        let e = errs(&with_line(9, "maintenance_allowance_minutes = = 3"));
        assert_eq!(e[0].line(), 9, "{}", e[0]);
        let e = errs(&with_line(6, ""));
        assert!(e[0].to_string().contains("interval"), "{}", e[0]);
    }

    #[test]
    fn several_problems_reported_together_in_line_order() {
        let text = GOOD
            .replace("uptime_percent = 100", "uptime_percent = 101")
            .replace("\"zayo\"]", "\"zayo\", \"zayo\"]")
            .replace(
                "maintenance_allowance_minutes = 480",
                "maintenance_allowance_minutes = -5",
            )
            .replace("id = \"metro-ring\"", "id = \"zayo-wave\"");
        let e = parse(&text).unwrap_err();
        let lines: Vec<usize> = e.0.iter().map(DefinitionError::line).collect();
        assert_eq!(lines, [8, 9, 20, 22], "{e}");
        assert!(
            e.to_string()
                .contains("line 20: sla id \"zayo-wave\" already defined on line 3"),
            "{e}"
        );
        assert!(
            e.to_string()
                .contains("line 8: vendors: vendor \"zayo\" is listed twice"),
            "{e}"
        );
    }

    #[test]
    fn empty_file_and_bad_ids() {
        assert_eq!(errs("# nothing\n"), [DefinitionError::NoSla]);
        let e = errs(&with_line(3, "id = \"zayo wave\""));
        assert_eq!(e[0].line(), 3);
        let e = errs(&with_line(8, "vendors = []"));
        assert!(e[0].to_string().contains("at least one vendor"), "{}", e[0]);
    }
}
