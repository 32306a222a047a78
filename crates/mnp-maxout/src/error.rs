//! The one error type of mnp-maxout.
//!
//! Telemetry errors name the line (line protocol, 1-based) or the array
//! index (JSON batches, 0-based) they refer to, so the HTTP layer can answer
//! a 4xx that lists every rejected sample while keeping the accepted ones.

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A line of InfluxDB line protocol is not well formed.
    #[error("line {line}: {reason}")]
    Syntax {
        /// 1-based line number in the request body.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A field of a line (or of a JSON sample) has a value we cannot use.
    #[error("line {line}: field {field}: {reason} (got {value:?})")]
    BadField {
        /// 1-based line number.
        line: usize,
        /// The field name.
        field: String,
        /// The offending value, truncated.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// A line names no circuit: it needs the tag `circuit`, or `device` and `port`.
    #[error("line {line}: no circuit (needs tag circuit, or device and port)")]
    NoCircuit {
        /// 1-based line number.
        line: usize,
    },
    /// The timestamp of a line cannot be read or is out of range.
    #[error("line {line}: bad timestamp {value:?}: {reason}")]
    BadTimestamp {
        /// 1-based line number.
        line: usize,
        /// The timestamp text, truncated.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// A sample of the JSON API is missing a field or has a bad value.
    #[error("sample {index}: {field}: {reason}")]
    BadSample {
        /// 0-based index in the batch (0 for a single sample).
        index: usize,
        /// The JSON field (`circuitId`, `timestamp`, `usage`, `direction`).
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// The request body is not JSON of the expected shape.
    #[error("body is not valid JSON: {reason}")]
    Json {
        /// Parser message.
        reason: String,
    },
    /// A configuration value is out of range or inconsistent.
    #[error("config {field}: {reason}")]
    Config {
        /// The field (e.g. `threshold_percent`, `circuits.C1.resolve_below_percent`).
        field: String,
        /// Why it was refused.
        reason: String,
    },
    /// A mail address is not acceptable (syntax, control characters).
    #[error("address {address:?}: {reason}")]
    Address {
        /// The address as given, truncated.
        address: String,
        /// Why it was refused.
        reason: String,
    },
    /// A customer has no contact address to send an alert to.
    #[error("customer {customer:?} has no contact address")]
    MissingContact {
        /// The customer id or name.
        customer: String,
    },
    /// A template failed to render (a bug in a template, not in the data).
    #[error("template {template}: {reason}")]
    Template {
        /// Template name.
        template: String,
        /// minijinja's message.
        reason: String,
    },
}

impl Error {
    /// The 1-based line of a line-protocol error, or the 0-based index of a
    /// JSON batch error; `None` for the other variants.
    pub fn position(&self) -> Option<usize> {
        match self {
            Error::Syntax { line, .. }
            | Error::BadField { line, .. }
            | Error::NoCircuit { line }
            | Error::BadTimestamp { line, .. } => Some(*line),
            Error::BadSample { index, .. } => Some(*index),
            _ => None,
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Cuts untrusted text quoted in an error to a readable length.
pub(crate) fn clip(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(MAX).collect();
        out.push('…');
        out
    }
}
