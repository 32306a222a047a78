//! # mnp-core: the shapes every part of mnp shares
//!
//! mnp turns carrier maintenance notices into data. This crate holds what
//! every other crate agrees on, and nothing that does I/O:
//!
//! * [`Email`] — one mail message decoded from untrusted bytes (headers,
//!   text and HTML bodies with transfer encoding and charset undone,
//!   attachments such as `.ics` and `.csv`, forwarded messages), with
//!   size and depth [`Limits`] that turn hostile input into typed errors;
//! * the model — [`Maintenance`], [`Window`], [`Status`], [`Impact`],
//!   [`CircuitImpact`] and the seed's per-circuit [`MaintForecastEvent`];
//! * [`VendorParser`], the one trait a vendor implements, the
//!   [`ParserDescriptor`] it submits with `inventory`, and the [`Registry`]
//!   that routes a mail to exactly one parser or says why it cannot;
//! * [`Error`], the single typed error of the whole parse path.
//!
//! The key decision: routing is explicit and staged (sender domain, subject,
//! content signature) and refuses to guess between two candidates, so a new
//! vendor can never silently steal another vendor's mail.
//!
//! ```
//! use mnp_core::{Email, Maintenance, Registry, Result, Status, VendorParser};
//!
//! struct Demo;
//! impl VendorParser for Demo {
//!     fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
//!         let mut m = Maintenance::new("demo");
//!         m.maintenance_id = email.subject.clone();
//!         m.status = Status::Confirmed;
//!         Ok(vec![m])
//!     }
//! }
//! let mut reg = Registry::new();
//! reg.register(mnp_core::Entry::new(
//!     "demo", "Demo Carrier", vec!["demo.example".into()], vec![], vec!["text".into()],
//!     "", false, mnp_core::Origin::BuiltIn, std::sync::Arc::new(Demo),
//! ).unwrap()).unwrap();
//! let parsed = reg.parse_bytes(b"From: noc@mail.demo.example\r\nSubject: MW-7\r\n\r\nbody", None).unwrap();
//! assert_eq!(parsed.parser, "demo");
//! assert_eq!(parsed.maintenances[0].maintenance_id, "MW-7");
//! ```

pub mod email;
pub mod error;
pub mod html;
pub mod model;
pub mod registry;
pub mod util;

pub use email::{Email, Limits, Mailbox, Part};
pub use error::{Error, Result};
pub use model::{CircuitImpact, Impact, MaintForecastEvent, Maintenance, Status, Window};
pub use registry::{Entry, Origin, Parsed, ParserDescriptor, Registry, VendorParser};

#[doc(hidden)]
pub use inventory;
