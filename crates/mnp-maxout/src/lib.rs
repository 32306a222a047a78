//! # mnp-maxout: capacity maxout detection and customer alerts
//!
//! Customers call the NOC when they run a circuit at the limit of what they
//! bought. This crate finds those **maxout episodes** in telemetry and
//! prepares one clear mail per episode — before the customer calls. It is
//! pure: values in, values out. The service shell (HTTP ingest, queue,
//! store, SMTP/outbox, CLI) lives in `mnp-cli` and `mnp-store`.
//!
//! * [`telemetry`] — the reading types ([`telemetry::Sample`] rates,
//!   [`telemetry::CounterSample`] SNMP octet counters), counter → rate with
//!   32/64-bit wrap and reset detection, and the parsers for InfluxDB line
//!   protocol (Telegraf) and the original JSON sample API.
//! * [`engine`] — the threshold [`engine::Engine`]: per-circuit rules
//!   (threshold, open after N samples / a duration, hysteresis, stale
//!   timeout) resolved from defaults, customer and circuit overrides; emits
//!   [`engine::EpisodeEvent`]s and keeps [`engine::Episode`]s.
//! * [`alert`] — the customer mail (HTML and plain text from minijinja
//!   templates, subject, [`alert::Recipients`] with the account manager and
//!   CX team in CC), opened / reminder / resolved variants.
//! * [`forecast`] — least-squares trend of daily peaks: which circuits will
//!   reach capacity within N days (the upsell list).
//! * [`simulate`] — a deterministic traffic generator with a documented set
//!   of circuits that max out, for end-to-end tests and benchmarks.
//! * [`svg`] — a small self-contained utilisation chart.
//!
//! The key decision: **thresholds are percentages of the circuit's
//! ceiling** — the burst capacity when the circuit has one, else the
//! provisioned rate — and the engine compares in bits per second against
//! pre-computed limits, so the per-sample path is a handful of comparisons
//! (see `benches/engine.rs`).
//!
//! Conventions: rates are `f64` bits/s; capacities `u64` bits/s; instants
//! `DateTime<Utc>` (Unix milliseconds inside the engine); `in` is traffic
//! from the customer, `out` to the customer. Nothing here panics on input:
//! `unwrap`, `expect`, indexing and `panic!` are denied outside tests.
//!
//! ```
//! use chrono::{DateTime, Duration};
//! use mnp_maxout::engine::{CircuitSpec, Engine, EpisodeEvent, Rule};
//! use mnp_maxout::telemetry::{Reading, line};
//!
//! let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
//! let mut engine = Engine::new();
//! engine.add_circuit(CircuitSpec::new("C1", 1_000_000_000, Rule::default())).unwrap();
//! let body = "interface,circuit=C1 in_bps=1.0e9,out_bps=2e8 1700000000000000000\n\
//!             interface,circuit=C1 in_bps=1.1e9,out_bps=2e8 1700000060000000000\n\
//!             interface,circuit=C1 in_bps=1.0e9,out_bps=2e8 1700000120000000000\n";
//! let batch = line::parse(body, line::Precision::Nanoseconds, now);
//! let mut events = Vec::new();
//! for r in &batch.readings {
//!     if let Reading::Rates(s) = r {
//!         engine.observe_sample(s, &mut events);
//!     }
//! }
//! let EpisodeEvent::Opened(ep) = &events[0] else { panic!() };
//! assert_eq!(ep.start, now);
//! assert!((ep.peak_percent - 110.0).abs() < 1e-9);
//! ```
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod alert;
pub mod engine;
pub mod error;
pub mod forecast;
pub mod simulate;
pub mod svg;
pub mod telemetry;
pub mod units;

pub use error::{Error, Result};
