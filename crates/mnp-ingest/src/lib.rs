//! # mnp-ingest: from where mail arrives to stored forecasts
//!
//! The seed's "MNP Ingest" sequence: a [`Source`] offers a message, the
//! [`Pipeline`] records it, routes and parses it with the vendor registry,
//! matches each carrier circuit id to the inventory, stores the maintenance
//! (keeping every revision) and its per-circuit forecast events, and labels
//! the message — at the source and in the database.
//!
//! Key decisions: one database transaction per message (stored-and-labelled
//! or not at all); idempotent by Message-ID and SHA-256, so a crash or a
//! re-run only re-labels; a failure is never dropped — it is stored with its
//! error and labelled for a human (the dead-letter queue).

pub mod feed;
pub mod lifecycle;
pub mod pipeline;
pub mod source;
pub mod sources;

pub use pipeline::{Fallback, Pipeline, Processed, RunStats, Suggestion};
pub use source::{Label, Message, MessageRef, Outcome, Source};

/// Errors of the ingest stage (per-message parse failures are not errors:
/// they are labels).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] mnp_store::Error),
    /// A source could not be read or updated.
    #[error("source {source_name}: {reason}")]
    Source {
        /// Which source.
        source_name: String,
        /// What went wrong.
        reason: String,
    },
    /// Local file I/O.
    #[error("{path}: {err}")]
    Io {
        /// Path involved.
        path: String,
        /// The error.
        err: std::io::Error,
    },
}

/// Result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;
