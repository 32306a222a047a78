//! Where messages come from, and where their outcome is recorded.
//!
//! A [`Source`] lists pending messages, hands out their bytes, and records
//! the [`Label`] the pipeline decided — as a file move (directory, Maildir),
//! an IMAP keyword or folder, or a helpdesk ticket field and comment. The
//! pipeline stores first and labels at the source second: a crash in between
//! means the message is offered again, found already stored (by Message-ID
//! or SHA-256) and only labelled — nothing lost, nothing duplicated.

use chrono::{DateTime, Utc};

use crate::Result;

/// The outcome of one message, as recorded at the source and in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Label {
    /// Parsed, every circuit matched, stored.
    MaintParseSuccess,
    /// No parser could read it (or it broke): the dead-letter queue.
    MaintParseException,
    /// No parser claims the sender.
    MaintUnknownVendor,
    /// Parsed and stored, but some circuit ids are not in the inventory.
    MaintUnknownCircuit,
    /// Older than what is stored: kept, did not override.
    MaintOutOfSequence,
    /// Vendor mail that is not a maintenance notice.
    MaintIgnored,
}

impl Label {
    /// All labels.
    pub const ALL: [Label; 6] = [
        Label::MaintParseSuccess,
        Label::MaintParseException,
        Label::MaintUnknownVendor,
        Label::MaintUnknownCircuit,
        Label::MaintOutOfSequence,
        Label::MaintIgnored,
    ];

    /// The label's name (also the IMAP keyword / folder name).
    pub fn as_str(self) -> &'static str {
        match self {
            Label::MaintParseSuccess => "MaintParseSuccess",
            Label::MaintParseException => "MaintParseException",
            Label::MaintUnknownVendor => "MaintUnknownVendor",
            Label::MaintUnknownCircuit => "MaintUnknownCircuit",
            Label::MaintOutOfSequence => "MaintOutOfSequence",
            Label::MaintIgnored => "MaintIgnored",
        }
    }

    /// Parse a label name.
    pub fn from_name(s: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// True for labels a human must look at (the dead-letter queue): the
    /// message stays open / unmoved at the source.
    pub fn needs_human(self) -> bool {
        matches!(self, Label::MaintParseException | Label::MaintUnknownVendor)
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A pending message as listed by a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRef {
    /// Source-specific handle (file path, IMAP UID, ticket id).
    pub key: String,
    /// Helpdesk ticket id, when the source is a helpdesk.
    pub ticket_id: Option<String>,
}

/// A message's bytes and metadata.
#[derive(Debug, Clone)]
pub struct Message {
    /// The handle it was read with.
    pub r#ref: MessageRef,
    /// Raw RFC 5322 bytes.
    pub raw: Vec<u8>,
    /// When the source received it, if known.
    pub received_at: Option<DateTime<Utc>>,
    /// Human-readable origin (path, `imap://host/INBOX;UID=7`, ticket URL).
    pub origin: String,
}

/// What the pipeline tells the source about a message.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The label.
    pub label: Label,
    /// Vendor id, when routed.
    pub vendor: Option<String>,
    /// One-paragraph human summary (what was parsed, or why it failed).
    pub summary: String,
}

/// A place messages arrive.
pub trait Source {
    /// Short description for logs (`maildir:/var/mail/noc`).
    fn describe(&self) -> String;
    /// Messages waiting to be processed.
    fn pending(&mut self) -> Result<Vec<MessageRef>>;
    /// Read one message.
    fn read(&mut self, r: &MessageRef) -> Result<Message>;
    /// Record the outcome at the source (move, flag, keyword, ticket update).
    fn record(&mut self, r: &MessageRef, outcome: &Outcome) -> Result<()>;
}
