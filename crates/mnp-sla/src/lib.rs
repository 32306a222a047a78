//! # mnp-sla: outage detection and SLA evaluation (not built yet)
//!
//! This crate will turn link UP/DOWN log events (Cisco, Juniper, Arista
//! syslog; JSON lines) into outages per circuit through the
//! equipment-port-to-circuit map, and evaluate them per SLA period: outage
//! time minus overlapping forecast maintenance, against the promised uptime,
//! with credits per tier.
//!
//! Main types to come: a log-line parser registry, an `OutageDetector` (flap
//! merging, out-of-order events), SLA definitions loaded from TOML, pluggable
//! `SlaStrategy` implementations registered with `inventory` (standard
//! availability, protection groups) and interval kinds (calendar month,
//! month from turn-up day, 30-day month, fixed durations), and a pure
//! evaluator that takes values and returns measurements.
