//! # mnp-ingest: from where mail arrives to stored forecasts (not built yet)
//!
//! This crate will run the seed's "MNP Ingest" sequence: take a message from
//! a source, parse it with the `mnp-parsers` registry, match each vendor
//! circuit id to an internal circuit, store the maintenance and its forecast
//! events, and label the message — `MaintParseSuccess`,
//! `MaintParseException` (the dead-letter queue a human works from),
//! `MaintUnknownVendor`, `MaintUnknownCircuit`, `MaintOutOfSequence`,
//! `MaintIgnored`.
//!
//! Main types to come: a `Source` trait with directory, mbox, Maildir, IMAP
//! and Request Tracker REST2 implementations; a circuit-id normaliser; the
//! `Pipeline` that is idempotent per message (Message-ID or SHA-256) and
//! crash-safe.
