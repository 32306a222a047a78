//! The one error type of mnp-core and of every vendor parser.

/// Everything that can go wrong between mail bytes and maintenance records.
///
/// Variants carry enough context for a human working the dead-letter queue to
/// see *why* a mail was refused without re-running anything.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The message is larger than the configured limit.
    #[error("message is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the message in bytes.
        size: usize,
        /// The configured limit in bytes.
        limit: usize,
    },
    /// MIME nesting goes deeper than the configured limit.
    #[error("MIME nesting deeper than {limit} levels")]
    TooDeep {
        /// The configured depth limit.
        limit: usize,
    },
    /// The bytes are not a mail message we can read.
    #[error("malformed message: {reason}")]
    Malformed {
        /// What is wrong with it.
        reason: String,
    },
    /// No registered parser claims this mail.
    #[error("no parser for sender {sender:?}, subject {subject:?}")]
    Unrouted {
        /// The sender address (From, else Sender/Reply-To), possibly empty.
        sender: String,
        /// The decoded subject.
        subject: String,
    },
    /// More than one parser claims this mail at the same routing stage.
    #[error("ambiguous route: {candidates:?} all claim this mail")]
    Ambiguous {
        /// The ids of the competing parsers.
        candidates: Vec<String>,
    },
    /// A vendor id that no registered parser has.
    #[error("unknown vendor {id:?}")]
    UnknownVendor {
        /// The id asked for.
        id: String,
    },
    /// The mail comes from a vendor but is not a maintenance notice
    /// (newsletter, ticket update, survey...). Not a failure: it is ignored.
    #[error("not a maintenance notice: {reason}")]
    NotMaintenance {
        /// Why the parser thinks so.
        reason: String,
    },
    /// A field the notice must carry is absent.
    #[error("missing field {field}")]
    MissingField {
        /// The field name (model name, e.g. `maintenance_id`, `window`).
        field: &'static str,
    },
    /// A field is present but its value cannot be read.
    #[error("bad value for {field}: {value:?} ({reason})")]
    BadValue {
        /// The field name.
        field: &'static str,
        /// The offending text (truncated to a reasonable length).
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// A parser failed; wraps the inner error with the parser id.
    #[error("{parser}: {source}")]
    Parser {
        /// Id of the parser that failed.
        parser: String,
        /// What went wrong.
        #[source]
        source: Box<Error>,
    },
    /// A plugin or profile failed in a way that is not a parse error.
    #[error("plugin {name}: {reason}")]
    Plugin {
        /// Plugin path or profile name.
        name: String,
        /// What went wrong.
        reason: String,
    },
}

impl Error {
    /// Shorthand for [`Error::BadValue`], truncating long values.
    pub fn bad_value(
        field: &'static str,
        value: impl AsRef<str>,
        reason: impl Into<String>,
    ) -> Self {
        let v = value.as_ref();
        let value = if v.chars().count() > 120 {
            let mut s: String = v.chars().take(117).collect();
            s.push_str("...");
            s
        } else {
            v.to_string()
        };
        Error::BadValue {
            field,
            value,
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::NotMaintenance`].
    pub fn not_maintenance(reason: impl Into<String>) -> Self {
        Error::NotMaintenance {
            reason: reason.into(),
        }
    }

    /// Wrap this error with the id of the parser that produced it.
    pub fn in_parser(self, parser: &str) -> Self {
        match self {
            e @ Error::Parser { .. } => e,
            e => Error::Parser {
                parser: parser.to_string(),
                source: Box::new(e),
            },
        }
    }

    /// The innermost error (unwrapping [`Error::Parser`]).
    pub fn root(&self) -> &Error {
        match self {
            Error::Parser { source, .. } => source.root(),
            e => e,
        }
    }

    /// True when the mail is not a maintenance notice (to be ignored, not failed).
    pub fn is_not_maintenance(&self) -> bool {
        matches!(self.root(), Error::NotMaintenance { .. })
    }

    /// A short stable kind name, e.g. for labels and JSON error records.
    pub fn kind(&self) -> &'static str {
        match self.root() {
            Error::TooLarge { .. } => "too-large",
            Error::TooDeep { .. } => "too-deep",
            Error::Malformed { .. } => "malformed",
            Error::Unrouted { .. } => "unrouted",
            Error::Ambiguous { .. } => "ambiguous",
            Error::UnknownVendor { .. } => "unknown-vendor",
            Error::NotMaintenance { .. } => "not-maintenance",
            Error::MissingField { .. } => "missing-field",
            Error::BadValue { .. } => "bad-value",
            Error::Plugin { .. } => "plugin",
            Error::Parser { .. } => "parser",
        }
    }
}

/// Result alias for mnp-core.
pub type Result<T, E = Error> = std::result::Result<T, E>;
