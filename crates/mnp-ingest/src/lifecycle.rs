//! Which notice wins: the pure rules of a maintenance's lifecycle.
//!
//! A notice for a maintenance already stored (same vendor, same carrier
//! maintenance id) is compared with the stored revision: a higher
//! `sequence` wins; with equal or missing sequences a later `stamp` (the
//! notice's own issue time, else its Date header) wins; with nothing to
//! tell them apart the newer arrival wins (a reminder repeats what is
//! known). An older notice is kept and labelled out-of-sequence, and never
//! overrides.

use chrono::{DateTime, Utc};

/// The ordering facts of a notice or stored revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    /// Carrier sequence number.
    pub sequence: Option<i64>,
    /// Issue time.
    pub stamp: Option<DateTime<Utc>>,
}

/// What to do with an incoming notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// First notice of this maintenance.
    New,
    /// Newer than what is stored: record a revision.
    Revise,
    /// Older than what is stored: keep the message, change nothing.
    OutOfSequence,
}

/// Decide how an incoming notice relates to the stored one.
pub fn decide(stored: Option<Version>, incoming: Version) -> Decision {
    let Some(s) = stored else {
        return Decision::New;
    };
    if let (Some(a), Some(b)) = (incoming.sequence, s.sequence)
        && a != b
    {
        return if a > b {
            Decision::Revise
        } else {
            Decision::OutOfSequence
        };
    }
    match (incoming.stamp, s.stamp) {
        (Some(a), Some(b)) if a < b => Decision::OutOfSequence,
        _ => Decision::Revise,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn v(seq: Option<i64>, day: Option<u32>) -> Version {
        Version {
            sequence: seq,
            stamp: day.map(|d| Utc.with_ymd_and_hms(2024, 5, d, 12, 0, 0).unwrap()),
        }
    }

    #[test]
    fn rules() {
        assert_eq!(decide(None, v(None, None)), Decision::New);
        // sequence decides first, even against the stamps
        assert_eq!(
            decide(Some(v(Some(1), Some(9))), v(Some(2), Some(1))),
            Decision::Revise
        );
        assert_eq!(
            decide(Some(v(Some(3), Some(1))), v(Some(2), Some(9))),
            Decision::OutOfSequence
        );
        // equal or missing sequence: the stamp
        assert_eq!(
            decide(Some(v(Some(1), Some(5))), v(Some(1), Some(6))),
            Decision::Revise
        );
        assert_eq!(
            decide(Some(v(None, Some(5))), v(None, Some(4))),
            Decision::OutOfSequence
        );
        assert_eq!(
            decide(Some(v(Some(1), Some(5))), v(None, Some(4))),
            Decision::OutOfSequence
        );
        // nothing to compare: the newer arrival wins
        assert_eq!(decide(Some(v(None, None)), v(None, None)), Decision::Revise);
        assert_eq!(
            decide(Some(v(None, Some(5))), v(None, Some(5))),
            Decision::Revise
        );
    }
}
