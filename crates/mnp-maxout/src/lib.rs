//! # mnp-maxout: capacity maxout detection and customer alerts (not built yet)
//!
//! This crate will find circuits that customers run at or over their
//! provisioned capacity and tell the customer first, once per episode.
//!
//! Main types to come: telemetry samples (rates, or SNMP counters turned into
//! rates with wrap and reset handling), a pure threshold engine with
//! hysteresis that opens and resolves `Episode`s per circuit, alert rendering
//! (HTML and plain text, CX and account manager in CC) and delivery (SMTP or
//! an outbox folder), a capacity forecast, and a deterministic traffic
//! simulator.
