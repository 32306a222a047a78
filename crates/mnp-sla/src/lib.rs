//! # mnp-sla: outage detection and SLA evaluation ("Slappy")
//!
//! Two pure halves, I/O at the edges (the store and CLI load values, call
//! these functions and write the results back):
//!
//! * **Outages** — [`logs`] turns syslog (RFC 3164 / RFC 5424) and JSON-lines
//!   log records into link UP/DOWN events with one small registered parser per
//!   device family (Cisco IOS/IOS-XE/IOS-XR/NX-OS, Juniper, Arista);
//!   [`detector`] maps (device, port) to circuits and turns the events into
//!   outages (flap merging, out-of-order events, unknown ports counted).
//! * **SLAs** — [`definition`] reads SLA definitions from TOML;
//!   [`period`] computes SLA periods (calendar month, month from turn-up day,
//!   30-day bankers' month, fixed durations); [`strategy`] holds the
//!   `inventory`-registered strategies (standard availability, protection
//!   group); [`evaluate`] computes per-circuit, per-period measurements:
//!   outage seconds, seconds excluded by overlapping forecast maintenance,
//!   availability, breach and credit.
//! * **Reports** — [`report`] turns a period's outages, forecast windows and
//!   measurements into per-provider totals, MTTR per circuit and forecast
//!   accuracy, and draws simple SVG bar charts.

pub mod definition;
pub mod detector;
pub mod evaluate;
pub mod logs;
pub mod period;
pub mod report;
pub mod strategy;
