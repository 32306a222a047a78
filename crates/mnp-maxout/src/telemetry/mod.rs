//! Telemetry: what arrives from the network and how it becomes rates.
//!
//! Two kinds of reading arrive:
//!
//! * [`Sample`] — rates in bits per second, `in_bps` and/or `out_bps`, for a
//!   circuit at an instant. A sample may carry one direction only (the
//!   original JSON API sends one sample per direction); the engine merges the
//!   two halves of the same instant.
//! * [`CounterSample`] — SNMP interface octet counters (`ifHCInOctets` /
//!   `ifHCOutOctets`, 64-bit; `ifInOctets` / `ifOutOctets`, 32-bit). A
//!   [`CounterState`] per (circuit, direction) turns consecutive counters
//!   into rates; see [`counter`] for wrap and reset handling.
//!
//! Parsers: [`line`](mod@line) reads InfluxDB line protocol as Telegraf writes it,
//! [`json`] reads the original JSON sample API. Both return typed
//! [`Error`](crate::Error)s naming the line (1-based) or array index
//! (0-based) and never lose the accepted readings of a partly bad body.
//!
//! "Direction" is seen from the customer's port on our device: `in` is what
//! the customer sends to us (ifInOctets), `out` what we deliver to them.

pub mod counter;
pub mod json;
pub mod line;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use counter::{
    CounterOutcome, CounterPair, CounterState, RESET_TOLERANCE, UNKNOWN_LINK_FACTOR,
};

/// Traffic direction, seen from the customer's port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Customer → network (ifInOctets).
    In,
    /// Network → customer (ifOutOctets).
    Out,
    /// Both directions (an episode during which both were over threshold).
    Both,
}

impl Direction {
    /// `in`, `out` or `both` — the value stored in `MaxoutEvent.direction`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
            Direction::Both => "both",
        }
    }

    /// From the engine's bit set (1 = in, 2 = out); `None` for 0.
    pub(crate) fn from_bits(bits: u8) -> Option<Direction> {
        match bits & 3 {
            1 => Some(Direction::In),
            2 => Some(Direction::Out),
            3 => Some(Direction::Both),
            _ => None,
        }
    }
}

impl std::fmt::Display for Direction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a reading names its circuit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CircuitRef {
    /// A circuit id (the inventory's vendor circuit id, or whatever id the
    /// lead registered the circuit under in the engine).
    Id(String),
    /// A device port, to be mapped through `EquipmentPortToCircuit`.
    Port {
        /// Device name (`device` or `agent_host` tag).
        device: String,
        /// Port name (`port` or `ifName` tag).
        port: String,
    },
}

impl CircuitRef {
    /// The circuit id when the reading names one directly.
    pub fn id(&self) -> Option<&str> {
        match self {
            CircuitRef::Id(s) => Some(s),
            CircuitRef::Port { .. } => None,
        }
    }
}

impl std::fmt::Display for CircuitRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CircuitRef::Id(s) => f.write_str(s),
            CircuitRef::Port { device, port } => write!(f, "{device}:{port}"),
        }
    }
}

/// A rate sample: bits per second at an instant, one or both directions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// The circuit.
    pub circuit: CircuitRef,
    /// When the rate was measured (end of the measuring interval).
    pub ts: DateTime<Utc>,
    /// Customer → network, bits/s.
    pub in_bps: Option<f64>,
    /// Network → customer, bits/s.
    pub out_bps: Option<f64>,
}

impl Sample {
    /// A two-direction sample for a circuit id.
    pub fn new(circuit: impl Into<String>, ts: DateTime<Utc>, in_bps: f64, out_bps: f64) -> Self {
        Sample {
            circuit: CircuitRef::Id(circuit.into()),
            ts,
            in_bps: Some(in_bps),
            out_bps: Some(out_bps),
        }
    }
}

/// Width of an SNMP octet counter, which decides where it wraps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CounterWidth {
    /// `ifInOctets` / `ifOutOctets` (Counter32): wraps at 2^32.
    Bits32,
    /// `ifHCInOctets` / `ifHCOutOctets` (Counter64): wraps at 2^64.
    Bits64,
}

impl CounterWidth {
    /// 2^32 or 2^64.
    pub fn modulus(self) -> u128 {
        match self {
            CounterWidth::Bits32 => 1u128 << 32,
            CounterWidth::Bits64 => 1u128 << 64,
        }
    }
}

/// One octet counter reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    /// The counter value.
    pub value: u64,
    /// Its width.
    pub width: CounterWidth,
}

impl Counter {
    /// A counter, or `None` when `value` does not fit `width`.
    pub fn new(value: u64, width: CounterWidth) -> Option<Counter> {
        if u128::from(value) < width.modulus() {
            Some(Counter { value, width })
        } else {
            None
        }
    }
}

/// A counter sample: octet counters of one or both directions at an instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CounterSample {
    /// The circuit.
    pub circuit: CircuitRef,
    /// When the counters were read.
    pub ts: DateTime<Utc>,
    /// Octets received from the customer.
    pub in_octets: Option<Counter>,
    /// Octets sent to the customer.
    pub out_octets: Option<Counter>,
    /// Port speed in bits/s when the reading carries it (`ifHighSpeed`,
    /// `ifSpeed`); used for reset detection.
    pub link_bps: Option<u64>,
}

/// One reading from a telemetry body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reading {
    /// Rates.
    Rates(Sample),
    /// Counters, to be turned into rates by a [`CounterPair`].
    Counters(CounterSample),
}

impl Reading {
    /// The circuit the reading is for.
    pub fn circuit(&self) -> &CircuitRef {
        match self {
            Reading::Rates(s) => &s.circuit,
            Reading::Counters(c) => &c.circuit,
        }
    }

    /// The reading's instant.
    pub fn ts(&self) -> DateTime<Utc> {
        match self {
            Reading::Rates(s) => s.ts,
            Reading::Counters(c) => c.ts,
        }
    }
}

/// The accepted readings of a body and the errors of the rejected parts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// Readings in body order.
    pub readings: Vec<Reading>,
    /// One error per rejected line or sample, in body order.
    pub errors: Vec<crate::Error>,
    /// Lines that are well formed but carry none of the fields we read
    /// (Telegraf sends many measurements; they are not errors).
    pub skipped: usize,
}

/// A rate value must be a finite, non-negative number of bits per second.
pub(crate) fn valid_rate(v: f64) -> bool {
    v.is_finite() && v >= 0.0
}
