//! # mnp-store: persistence for mnp (not built yet)
//!
//! This crate will own every byte mnp keeps: SQLite by default (a single
//! `./mnp.db` file, no server) and PostgreSQL for shared deployments, behind
//! one typed API with versioned migrations.
//!
//! Main types to come: a `Store` handle opened from a database URL; typed
//! rows for Vendor, Customer, Circuit, Sla, ProtectionGroup,
//! EquipmentPortToCircuit, MaintNotification (every received message, raw
//! bytes and label kept), Maintenance with its revision history,
//! MaintForecastEvent, CircuitOutageEvent, SlaPerformanceMeasurement and
//! MaxoutEvent; and the queries the ingest, SLA and maxout stages need.
//!
//! Key decision to come: the store takes and returns `mnp-core` values, so
//! the evaluators in the middle stay pure and never see SQL.
