//! Source implementations: one module each.

pub mod dir;
pub mod imap;
pub mod rt;
