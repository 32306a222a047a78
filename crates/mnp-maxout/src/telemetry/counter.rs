//! Octet counters → rates, with wrap and reset handling.
//!
//! A [`CounterState`] remembers the last reading `(ts, value, width)` of one
//! circuit direction. For the next reading:
//!
//! * `ts` not after the last one → [`CounterOutcome::OutOfOrder`] /
//!   [`CounterOutcome::Duplicate`]; the reading is dropped and the state
//!   kept (a late poll must not rewind the counter);
//! * otherwise the octet delta is taken modulo the counter width, so a
//!   counter that wrapped (value smaller than before) yields
//!   `2^w - last + value` octets — for a 32-bit counter that is the normal
//!   wrap, which happens every 34 s at 1 Gbit/s;
//! * the rate `delta × 8 / dt` is then checked against what the link could
//!   carry: more than `link_bps ×` [`RESET_TOLERANCE`] means the counter was
//!   reset (device reboot, line card swap, counter clear) and the delta is
//!   meaningless → [`CounterOutcome::Reset`], the reading becomes the new
//!   seed, and **no rate** is produced: a reset is never a spike.
//!
//! The link capacity is the port speed: the reading's own `ifHighSpeed`
//! when Telegraf sends it, else the configured circuit link speed, else
//! [`UNKNOWN_LINK_FACTOR`] × the circuit's capacity. It must not be the
//! provisioned rate: a customer can push more than that into the port, and
//! those are exactly the samples we must not throw away.
//!
//! Known limits: a 32-bit counter that wraps more than once between two
//! polls yields a too-low rate (poll 32-bit counters faster than
//! `2^35 / link_bps` seconds, or use 64-bit counters); and a 32-bit counter
//! reset on a link fast enough to make the wrapped delta plausible cannot be
//! told from a wrap.

use chrono::{DateTime, Utc};

use super::{Counter, CounterSample, CounterWidth};

/// A delta is a reset when its rate exceeds the link capacity by more than
/// this factor (10 % slack for poll-time jitter: the poller stamps the
/// request, not the moment the agent read the counter).
pub const RESET_TOLERANCE: f64 = 1.10;

/// Without a known port speed, the link is taken to be this many times the
/// circuit's capacity (the next common port speed is usually ten times the
/// previous: 1G → 10G → 100G).
pub const UNKNOWN_LINK_FACTOR: f64 = 10.0;

/// What one counter reading produced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CounterOutcome {
    /// A rate in bits/s over the interval since the previous reading.
    Rate(f64),
    /// First reading (or first after a width change): stored, no rate yet.
    Seeded,
    /// The delta was implausible for the link: the counter was reset. The
    /// reading is the new seed; no rate.
    Reset {
        /// The implausible rate the delta would have meant, bits/s.
        implied_bps: f64,
    },
    /// The reading is older than the last one: dropped, state kept.
    OutOfOrder,
    /// Same instant as the last reading: dropped, state kept.
    Duplicate,
}

impl CounterOutcome {
    /// The rate, if this outcome produced one.
    pub fn rate(self) -> Option<f64> {
        match self {
            CounterOutcome::Rate(r) => Some(r),
            _ => None,
        }
    }
}

/// The last counter reading of one circuit direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CounterState {
    last: Option<(i64, u64, CounterWidth)>,
}

impl CounterState {
    /// An empty state: the next reading seeds it.
    pub const fn new() -> Self {
        CounterState { last: None }
    }

    /// Feeds one reading. `link_bps` is the port speed used for reset
    /// detection; `None` disables the plausibility check, in which case a
    /// 64-bit counter going down is taken as a reset (a 64-bit wrap takes
    /// decades at 100 Gbit/s) and a 32-bit one as a wrap.
    pub fn update(
        &mut self,
        ts: DateTime<Utc>,
        c: Counter,
        link_bps: Option<f64>,
    ) -> CounterOutcome {
        self.update_ms(ts.timestamp_millis(), c, link_bps)
    }

    /// [`update`](Self::update) with the instant in Unix milliseconds.
    pub fn update_ms(&mut self, ts: i64, c: Counter, link_bps: Option<f64>) -> CounterOutcome {
        let Some((last_ts, last_value, last_width)) = self.last else {
            self.last = Some((ts, c.value, c.width));
            return CounterOutcome::Seeded;
        };
        if ts < last_ts {
            return CounterOutcome::OutOfOrder;
        }
        if ts == last_ts {
            return CounterOutcome::Duplicate;
        }
        self.last = Some((ts, c.value, c.width));
        if last_width != c.width {
            return CounterOutcome::Seeded;
        }
        let (now, before) = (u128::from(c.value), u128::from(last_value));
        let wrapped = now < before;
        let delta = if wrapped {
            c.width.modulus() - before + now
        } else {
            now - before
        };
        // dt > 0 here; millisecond precision is plenty for poll intervals.
        let dt_s = ts.saturating_sub(last_ts) as f64 / 1000.0;
        let rate = delta as f64 * 8.0 / dt_s;
        let implausible = match link_bps {
            Some(link) if link > 0.0 => rate > link * RESET_TOLERANCE,
            _ => wrapped && c.width == CounterWidth::Bits64,
        };
        if implausible {
            tracing::debug!(
                implied_bps = rate,
                wrapped,
                "counter reset detected; re-seeded"
            );
            CounterOutcome::Reset { implied_bps: rate }
        } else {
            CounterOutcome::Rate(rate)
        }
    }
}

/// Counter state for both directions of a circuit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CounterPair {
    /// Customer → network.
    pub inbound: CounterState,
    /// Network → customer.
    pub outbound: CounterState,
}

impl CounterPair {
    /// Feeds both directions of a counter sample. The sample's own
    /// `link_bps` wins over `default_link_bps`.
    pub fn update(
        &mut self,
        s: &CounterSample,
        default_link_bps: Option<f64>,
    ) -> (Option<CounterOutcome>, Option<CounterOutcome>) {
        let link = s.link_bps.map(|l| l as f64).or(default_link_bps);
        let ts = s.ts.timestamp_millis();
        (
            s.in_octets.map(|c| self.inbound.update_ms(ts, c, link)),
            s.out_octets.map(|c| self.outbound.update_ms(ts, c, link)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c32(v: u64) -> Counter {
        Counter::new(v, CounterWidth::Bits32).unwrap()
    }
    fn c64(v: u64) -> Counter {
        Counter::new(v, CounterWidth::Bits64).unwrap()
    }

    #[test]
    fn plain_rate() {
        let mut s = CounterState::new();
        assert_eq!(
            s.update_ms(0, c64(1_000), Some(1e9)),
            CounterOutcome::Seeded
        );
        // 7,500,000 octets in 60 s = 60,000,000 bits / 60 s = 1 Mbit/s.
        assert_eq!(
            s.update_ms(60_000, c64(7_501_000), Some(1e9)),
            CounterOutcome::Rate(1_000_000.0)
        );
    }

    #[test]
    fn wrap_32() {
        let mut s = CounterState::new();
        s.update_ms(0, c32(4_294_967_000), Some(1e9));
        // 296 octets to the wrap + 704 after = 1000 octets in 1 s = 8000 bit/s.
        assert_eq!(
            s.update_ms(1_000, c32(704), Some(1e9)),
            CounterOutcome::Rate(8000.0)
        );
    }

    #[test]
    fn wrap_64() {
        let mut s = CounterState::new();
        s.update_ms(0, c64(u64::MAX - 99), Some(1e9));
        // 100 octets to the wrap + 900 = 1000 octets in 2 s = 4000 bit/s.
        assert_eq!(
            s.update_ms(2_000, c64(900), Some(1e9)),
            CounterOutcome::Rate(4000.0)
        );
    }

    #[test]
    fn reset_64_is_dropped_and_reseeds() {
        let mut s = CounterState::new();
        s.update_ms(0, c64(9_000_000_000), Some(1e9));
        // Reboot: counter back near zero. Wrapped delta is ~2^64 → reset.
        assert!(matches!(
            s.update_ms(60_000, c64(5_000), Some(1e9)),
            CounterOutcome::Reset { .. }
        ));
        // Re-seeded at 5,000: 7,500,000 octets later in 60 s = 1 Mbit/s.
        assert_eq!(
            s.update_ms(120_000, c64(7_505_000), Some(1e9)),
            CounterOutcome::Rate(1e6)
        );
    }

    #[test]
    fn reset_32_on_slow_link() {
        // 10 Mbit/s link, 60 s polls: at most 75 MB per poll; a wrap delta of
        // 2^32 - 3e9 + 10 ≈ 1.29e9 octets means 172 Mbit/s → reset.
        let mut s = CounterState::new();
        s.update_ms(0, c32(3_000_000_000), Some(10e6));
        assert!(matches!(
            s.update_ms(60_000, c32(10), Some(10e6)),
            CounterOutcome::Reset { .. }
        ));
    }

    #[test]
    fn jump_without_wrap_is_reset() {
        let mut s = CounterState::new();
        s.update_ms(0, c64(0), Some(1e9));
        // 1e12 octets in 60 s = 133 Gbit/s on a 1G link.
        assert!(matches!(
            s.update_ms(60_000, c64(1_000_000_000_000), Some(1e9)),
            CounterOutcome::Reset { .. }
        ));
    }

    #[test]
    fn tolerance_allows_jitter() {
        let mut s = CounterState::new();
        s.update_ms(0, c64(0), Some(1e9));
        // 1.05 Gbit/s on a 1G port: within the 10 % slack.
        let octets = (1.05e9 * 60.0 / 8.0) as u64;
        assert_eq!(
            s.update_ms(60_000, c64(octets), Some(1e9)),
            CounterOutcome::Rate(1.05e9)
        );
    }

    #[test]
    fn out_of_order_and_duplicate_keep_state() {
        let mut s = CounterState::new();
        s.update_ms(10_000, c64(1000), None);
        assert_eq!(s.update_ms(5_000, c64(0), None), CounterOutcome::OutOfOrder);
        assert_eq!(
            s.update_ms(10_000, c64(2000), None),
            CounterOutcome::Duplicate
        );
        assert_eq!(
            s.update_ms(11_000, c64(2000), None),
            CounterOutcome::Rate(8000.0)
        );
    }

    #[test]
    fn unknown_link() {
        let mut s = CounterState::new();
        s.update_ms(0, c32(4_294_967_295), None);
        assert_eq!(s.update_ms(1_000, c32(0), None), CounterOutcome::Rate(8.0));
        let mut s = CounterState::new();
        s.update_ms(0, c64(100), None);
        assert!(matches!(
            s.update_ms(1_000, c64(0), None),
            CounterOutcome::Reset { .. }
        ));
    }

    #[test]
    fn width_change_reseeds() {
        let mut s = CounterState::new();
        s.update_ms(0, c32(100), None);
        assert_eq!(s.update_ms(1_000, c64(5), None), CounterOutcome::Seeded);
        assert_eq!(s.update_ms(2_000, c64(6), None), CounterOutcome::Rate(8.0));
    }

    #[test]
    fn counter_width_validation() {
        assert!(Counter::new(1 << 32, CounterWidth::Bits32).is_none());
        assert!(Counter::new((1 << 32) - 1, CounterWidth::Bits32).is_some());
        assert!(Counter::new(u64::MAX, CounterWidth::Bits64).is_some());
    }
}
