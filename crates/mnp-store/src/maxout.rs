//! Typed queries of the maxout half: episodes (`MaxoutEvent`), daily peak
//! utilisation per circuit (`MaxoutDailyPeak`, the forecast's input) and the
//! alert mail queue (`AlertOutbox`).
//!
//! Like the SLA half, the store keeps values, not rules: it does not know
//! how an episode opens or what a mail says (that is `mnp-maxout`); it
//! guarantees the keys:
//!
//! * **Episodes** are keyed by their id (`maxoutEventId`, a v5 UUID of
//!   circuit and start, so replaying the same telemetry gives the same id).
//!   [`Store::record_maxout`] inserts, updates or closes and says which; a
//!   closed episode is never re-opened by a late "still open" write.
//! * **Daily peaks** are keyed by (circuit, UTC day) and only ever grow.
//! * **Mails** are keyed by a `dedupe_key` (e.g. `"{episode}:opened"`):
//!   [`Store::enqueue_mail`] of a key already queued is a no-op, so a
//!   replay never mails a customer twice. A mail stays in the outbox until
//!   [`Store::mark_mail_sent`]; each failure records the error and pushes
//!   the next attempt out by a [`Backoff`].

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::db::{Row, Value, whole};
use crate::{Error, Result, Store};

/// One maxout episode as stored (`MaxoutEvent`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredMaxout {
    /// Episode id.
    pub maxout_event_id: Uuid,
    /// The circuit in the inventory.
    pub internal_circuit_id: Uuid,
    /// The circuit id as telemetry names it (the vendor circuit id).
    pub circuit_ref: String,
    /// Owning customer.
    pub customer_id: Option<String>,
    /// Start (whole seconds).
    pub started_at: DateTime<Utc>,
    /// End (whole seconds); `None` while open.
    pub ended_at: Option<DateTime<Utc>>,
    /// Latest sample seen for the circuit during the episode.
    pub last_sample_at: Option<DateTime<Utc>>,
    /// Highest utilisation, percent of the ceiling.
    pub peak_percent: f64,
    /// Highest rate, bits/s.
    pub peak_bps: f64,
    /// Time at or over threshold, seconds.
    pub seconds_over: i64,
    /// Time at or over threshold, whole minutes.
    pub minutes_over: i64,
    /// `in`, `out` or `both`.
    pub direction: String,
    /// The ceiling the percentages refer to, bits/s.
    pub capacity_bps: i64,
    /// Provisioned rate, bits/s.
    pub provisioned_bps: i64,
    /// Burst ceiling, bits/s.
    pub burst_bps: Option<i64>,
    /// Threshold in force, percent.
    pub threshold_percent: f64,
    /// When the opened alert was queued.
    pub alerted_at: Option<DateTime<Utc>>,
}

/// What [`Store::record_maxout`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MaxoutWrite {
    /// A new episode row.
    Inserted,
    /// An open episode got new figures (peak, time over, last sample).
    Updated,
    /// An open episode got its end.
    Closed,
    /// Already stored as given, or an open report of a closed episode.
    Unchanged,
}

/// Which episodes to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MaxoutFilter {
    /// Only this customer.
    pub customer: Option<String>,
    /// Only episodes still running at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Only episodes that started before this instant.
    pub to: Option<DateTime<Utc>>,
}

/// The highest utilisation of a circuit on one UTC day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredDailyPeak {
    /// The circuit.
    pub internal_circuit_id: Uuid,
    /// The day (UTC).
    pub day: NaiveDate,
    /// Percent of the ceiling.
    pub peak_percent: f64,
}

/// A mail to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    /// Unique per mail that must be sent once (`"{episode}:opened"`).
    pub dedupe_key: String,
    /// The episode it is about.
    pub maxout_event_id: Option<Uuid>,
    /// `opened`, `reminder`, `resolved`, …
    pub kind: String,
    /// Recipients (validated addresses).
    pub to: Vec<String>,
    /// Copy recipients.
    pub cc: Vec<String>,
    /// One-line subject.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
}

/// A queued mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMail {
    /// Row id.
    pub outbox_id: i64,
    /// Dedupe key.
    pub dedupe_key: String,
    /// The episode.
    pub maxout_event_id: Option<Uuid>,
    /// Kind.
    pub kind: String,
    /// To.
    pub to: Vec<String>,
    /// CC.
    pub cc: Vec<String>,
    /// Subject.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// HTML.
    pub html: String,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// Failed delivery attempts so far.
    pub attempts: i64,
    /// Not before this instant.
    pub next_attempt_at: DateTime<Utc>,
    /// When it was delivered.
    pub sent_at: Option<DateTime<Utc>>,
    /// The last delivery error.
    pub last_error: Option<String>,
}

/// Exponential backoff between delivery attempts: `base · 2^(attempts−1)`,
/// at most `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Wait after the first failure.
    pub base: Duration,
    /// Longest wait.
    pub max: Duration,
}

impl Default for Backoff {
    /// 1 min, doubling, at most 1 h.
    fn default() -> Self {
        Backoff {
            base: Duration::minutes(1),
            max: Duration::hours(1),
        }
    }
}

impl Backoff {
    /// The wait after the `attempts`-th failure (1-based).
    pub fn delay(&self, attempts: i64) -> Duration {
        let shift = attempts.saturating_sub(1).clamp(0, 30) as u32;
        let factor = 1i32 << shift.min(30);
        self.base
            .checked_mul(factor)
            .map_or(self.max, |d| d.min(self.max))
    }
}

const MAXOUT_COLS: &str = r#""maxoutEventId", "internalCircuitId", "circuitRef", "customerId", "startedAt", "endedAt", "lastSampleAt", "peakPercent", "peakBps", "secondsOver", "minutesOver", "direction", "capacityBps", "provisionedBps", "burstBps", "thresholdPercent", "alertedAt""#;

fn maxout_of(r: &Row) -> Result<StoredMaxout> {
    Ok(StoredMaxout {
        maxout_event_id: r.uuid("maxoutEventId")?,
        internal_circuit_id: r.uuid("internalCircuitId")?,
        circuit_ref: r.text("circuitRef")?,
        customer_id: r.opt_text("customerId")?,
        started_at: r.time("startedAt")?,
        ended_at: r.opt_time("endedAt")?,
        last_sample_at: r.opt_time("lastSampleAt")?,
        peak_percent: r.real("peakPercent")?,
        peak_bps: r.real("peakBps")?,
        seconds_over: r.int("secondsOver")?,
        minutes_over: r.int("minutesOver")?,
        direction: r.text("direction")?,
        capacity_bps: r.int("capacityBps")?,
        provisioned_bps: r.int("provisionedBps")?,
        burst_bps: r.opt_int("burstBps")?,
        threshold_percent: r.real("thresholdPercent")?,
        alerted_at: r.opt_time("alertedAt")?,
    })
}

const OUTBOX_COLS: &str = r#""outboxId", "dedupeKey", "maxoutEventId", "kind", "toAddrs", "ccAddrs", "subject", "textBody", "htmlBody", "createdAt", "attempts", "nextAttemptAt", "sentAt", "lastError""#;

fn addrs(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(String::from)
        .collect()
}

fn mail_of(r: &Row) -> Result<OutboxMail> {
    Ok(OutboxMail {
        outbox_id: r.int("outboxId")?,
        dedupe_key: r.text("dedupeKey")?,
        maxout_event_id: r.opt_uuid("maxoutEventId")?,
        kind: r.text("kind")?,
        to: addrs(&r.text("toAddrs")?),
        cc: addrs(&r.text("ccAddrs")?),
        subject: r.text("subject")?,
        text: r.text("textBody")?,
        html: r.text("htmlBody")?,
        created_at: r.time("createdAt")?,
        attempts: r.int("attempts")?,
        next_attempt_at: r.time("nextAttemptAt")?,
        sent_at: r.opt_time("sentAt")?,
        last_error: r.opt_text("lastError")?,
    })
}

fn check_addrs(what: &str, list: &[String]) -> Result<String> {
    // Addresses are validated by mnp-maxout; this is the last line of
    // defence against a header break or a list separator inside one.
    for a in list {
        if a.is_empty() || a.chars().any(|c| c.is_control() || c == ',' || c == ' ') {
            return Err(Error::Input {
                location: format!("mail {what}"),
                reason: format!("bad address {a:?}"),
            });
        }
    }
    Ok(list.join(", "))
}

impl Store {
    // ------------------------------------------------------------ episodes

    /// Insert an episode, or update the stored one with the same id: new
    /// figures while open, its end once closed. A closed episode is never
    /// re-opened; its figures are still updated when a closing write
    /// brings different ones.
    pub fn record_maxout(&mut self, m: &StoredMaxout) -> Result<MaxoutWrite> {
        self.transaction(|s| {
            let Some(old) = s.maxout_event(m.maxout_event_id)? else {
                let sql = format!(
                    r#"INSERT INTO "MaxoutEvent" ({MAXOUT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"#
                );
                s.db().execute(
                    &sql,
                    &[
                        m.maxout_event_id.into(),
                        m.internal_circuit_id.into(),
                        m.circuit_ref.as_str().into(),
                        m.customer_id.clone().into(),
                        whole(m.started_at).into(),
                        m.ended_at.map(whole).into(),
                        m.last_sample_at.map(whole).into(),
                        Value::Real(m.peak_percent),
                        Value::Real(m.peak_bps),
                        Value::Int(m.seconds_over),
                        Value::Int(m.minutes_over),
                        m.direction.as_str().into(),
                        Value::Int(m.capacity_bps),
                        Value::Int(m.provisioned_bps),
                        m.burst_bps.into(),
                        Value::Real(m.threshold_percent),
                        m.alerted_at.map(whole).into(),
                    ],
                )?;
                return Ok(MaxoutWrite::Inserted);
            };
            if old.ended_at.is_some() && m.ended_at.is_none() {
                return Ok(MaxoutWrite::Unchanged);
            }
            let ended = m.ended_at.map(whole);
            let last = m.last_sample_at.map(whole);
            let same = old.ended_at == ended
                && old.last_sample_at == last
                && old.peak_percent == m.peak_percent
                && old.peak_bps == m.peak_bps
                && old.seconds_over == m.seconds_over
                && old.minutes_over == m.minutes_over
                && old.direction == m.direction;
            if same {
                return Ok(MaxoutWrite::Unchanged);
            }
            s.db().execute(
                r#"UPDATE "MaxoutEvent" SET "endedAt" = $2, "lastSampleAt" = $3, "peakPercent" = $4, "peakBps" = $5,
                   "secondsOver" = $6, "minutesOver" = $7, "direction" = $8 WHERE "maxoutEventId" = $1"#,
                &[
                    m.maxout_event_id.into(),
                    ended.into(),
                    last.into(),
                    Value::Real(m.peak_percent),
                    Value::Real(m.peak_bps),
                    Value::Int(m.seconds_over),
                    Value::Int(m.minutes_over),
                    m.direction.as_str().into(),
                ],
            )?;
            Ok(if old.ended_at.is_none() && ended.is_some() {
                MaxoutWrite::Closed
            } else {
                MaxoutWrite::Updated
            })
        })
    }

    /// Close an open episode at `ended_at`; `false` when it is unknown or
    /// already closed.
    pub fn close_maxout(&mut self, id: Uuid, ended_at: DateTime<Utc>) -> Result<bool> {
        let n = self.db().execute(
            r#"UPDATE "MaxoutEvent" SET "endedAt" = $2 WHERE "maxoutEventId" = $1 AND "endedAt" IS NULL"#,
            &[id.into(), whole(ended_at).into()],
        )?;
        Ok(n > 0)
    }

    /// Note that the opened alert of an episode was queued.
    pub fn set_maxout_alerted(&mut self, id: Uuid, at: DateTime<Utc>) -> Result<()> {
        self.db().execute(
            r#"UPDATE "MaxoutEvent" SET "alertedAt" = $2 WHERE "maxoutEventId" = $1"#,
            &[id.into(), whole(at).into()],
        )?;
        Ok(())
    }

    /// One episode by id.
    pub fn maxout_event(&mut self, id: Uuid) -> Result<Option<StoredMaxout>> {
        let sql = format!(r#"SELECT {MAXOUT_COLS} FROM "MaxoutEvent" WHERE "maxoutEventId" = $1"#);
        self.db()
            .query_opt(&sql, &[id.into()])?
            .map(|r| maxout_of(&r))
            .transpose()
    }

    /// Episodes by filter, ordered by start, then circuit.
    pub fn maxout_events(&mut self, f: &MaxoutFilter) -> Result<Vec<StoredMaxout>> {
        let mut sql = format!(r#"SELECT {MAXOUT_COLS} FROM "MaxoutEvent" WHERE 1 = 1"#);
        let mut params: Vec<Value> = Vec::new();
        if let Some(c) = &f.customer {
            params.push(c.into());
            sql.push_str(&format!(r#" AND "customerId" = ${}"#, params.len()));
        }
        if let Some(from) = f.from {
            params.push(whole(from).into());
            sql.push_str(&format!(
                r#" AND ("endedAt" IS NULL OR "endedAt" >= ${})"#,
                params.len()
            ));
        }
        if let Some(to) = f.to {
            params.push(whole(to).into());
            sql.push_str(&format!(r#" AND "startedAt" < ${}"#, params.len()));
        }
        sql.push_str(r#" ORDER BY "startedAt", "circuitRef", "maxoutEventId""#);
        self.db()
            .query(&sql, &params)?
            .iter()
            .map(maxout_of)
            .collect()
    }

    /// Episodes still open (for restoring the engine after a restart).
    pub fn open_maxouts(&mut self) -> Result<Vec<StoredMaxout>> {
        let sql = format!(
            r#"SELECT {MAXOUT_COLS} FROM "MaxoutEvent" WHERE "endedAt" IS NULL ORDER BY "circuitRef", "startedAt""#
        );
        self.db().query(&sql, &[])?.iter().map(maxout_of).collect()
    }

    // ------------------------------------------------------------ daily peaks

    /// Raise the daily peak of a circuit (kept when the stored one is
    /// higher); non-finite values are ignored.
    pub fn record_daily_peak(&mut self, circuit: Uuid, day: NaiveDate, percent: f64) -> Result<()> {
        if !percent.is_finite() {
            return Ok(());
        }
        self.db().execute(
            r#"INSERT INTO "MaxoutDailyPeak" ("internalCircuitId", "day", "peakPercent") VALUES ($1, $2, $3)
               ON CONFLICT ("internalCircuitId", "day") DO UPDATE SET "peakPercent" = excluded."peakPercent"
               WHERE excluded."peakPercent" > "MaxoutDailyPeak"."peakPercent""#,
            &[
                circuit.into(),
                day.format("%Y-%m-%d").to_string().into(),
                Value::Real(percent),
            ],
        )?;
        Ok(())
    }

    /// Daily peaks from `from` (inclusive), by circuit then day.
    pub fn daily_peaks(&mut self, from: NaiveDate) -> Result<Vec<StoredDailyPeak>> {
        self.db()
            .query(
                r#"SELECT "internalCircuitId", "day", "peakPercent" FROM "MaxoutDailyPeak" WHERE "day" >= $1 ORDER BY "internalCircuitId", "day""#,
                &[from.format("%Y-%m-%d").to_string().into()],
            )?
            .iter()
            .map(|r| {
                let d = r.text("day")?;
                Ok(StoredDailyPeak {
                    internal_circuit_id: r.uuid("internalCircuitId")?,
                    day: NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                        .map_err(|e| Error::Schema(format!("day: bad date {d:?}: {e}")))?,
                    peak_percent: r.real("peakPercent")?,
                })
            })
            .collect()
    }

    // ------------------------------------------------------------ outbox

    /// Queue a mail due at `now`; `None` when a mail with the same dedupe
    /// key is already queued (sent or not).
    pub fn enqueue_mail(&mut self, m: &NewMail, now: DateTime<Utc>) -> Result<Option<i64>> {
        let to = check_addrs("to", &m.to)?;
        let cc = check_addrs("cc", &m.cc)?;
        if m.to.is_empty() {
            return Err(Error::Input {
                location: format!("mail {}", m.dedupe_key),
                reason: "no recipient".into(),
            });
        }
        let rows = self.db().query(
            r#"INSERT INTO "AlertOutbox" ("dedupeKey", "maxoutEventId", "kind", "toAddrs", "ccAddrs", "subject", "textBody", "htmlBody", "createdAt", "attempts", "nextAttemptAt")
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $9)
               ON CONFLICT ("dedupeKey") DO NOTHING RETURNING "outboxId""#,
            &[
                m.dedupe_key.as_str().into(),
                m.maxout_event_id.into(),
                m.kind.as_str().into(),
                to.into(),
                cc.into(),
                m.subject.as_str().into(),
                m.text.as_str().into(),
                m.html.as_str().into(),
                whole(now).into(),
            ],
        )?;
        rows.first().map(|r| r.int("outboxId")).transpose()
    }

    /// Unsent mails whose next attempt is due at `now`, oldest first, at
    /// most `limit`.
    pub fn due_mails(&mut self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxMail>> {
        let sql = format!(
            r#"SELECT {OUTBOX_COLS} FROM "AlertOutbox" WHERE "sentAt" IS NULL AND "nextAttemptAt" <= $1 ORDER BY "nextAttemptAt", "outboxId" LIMIT $2"#
        );
        self.db()
            .query(
                &sql,
                &[
                    whole(now).into(),
                    Value::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
                ],
            )?
            .iter()
            .map(mail_of)
            .collect()
    }

    /// Every queued mail (sent ones too when `include_sent`), oldest first.
    pub fn outbox(&mut self, include_sent: bool) -> Result<Vec<OutboxMail>> {
        let filter = if include_sent {
            ""
        } else {
            r#" WHERE "sentAt" IS NULL"#
        };
        let sql = format!(r#"SELECT {OUTBOX_COLS} FROM "AlertOutbox"{filter} ORDER BY "outboxId""#);
        self.db().query(&sql, &[])?.iter().map(mail_of).collect()
    }

    /// Record a delivery.
    pub fn mark_mail_sent(&mut self, id: i64, at: DateTime<Utc>) -> Result<()> {
        self.db().execute(
            r#"UPDATE "AlertOutbox" SET "sentAt" = $2, "lastError" = NULL WHERE "outboxId" = $1"#,
            &[Value::Int(id), whole(at).into()],
        )?;
        Ok(())
    }

    /// Record a failed delivery: one more attempt, the error, and the next
    /// attempt pushed out by `backoff`. Returns when it is due again.
    pub fn mark_mail_failed(
        &mut self,
        id: i64,
        error: &str,
        now: DateTime<Utc>,
        backoff: &Backoff,
    ) -> Result<DateTime<Utc>> {
        self.transaction(|s| {
            let row = s
                .db()
                .query_opt(
                    r#"SELECT "attempts" FROM "AlertOutbox" WHERE "outboxId" = $1"#,
                    &[Value::Int(id)],
                )?
                .ok_or_else(|| Error::Input {
                    location: format!("outbox {id}"),
                    reason: "no such mail".into(),
                })?;
            let attempts = row.int("attempts")? + 1;
            let next = whole(now + backoff.delay(attempts));
            s.db().execute(
                r#"UPDATE "AlertOutbox" SET "attempts" = $2, "lastError" = $3, "nextAttemptAt" = $4 WHERE "outboxId" = $1"#,
                &[Value::Int(id), Value::Int(attempts), error.into(), next.into()],
            )?;
            Ok(next)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_max() {
        let b = Backoff::default();
        assert_eq!(b.delay(1), Duration::minutes(1));
        assert_eq!(b.delay(2), Duration::minutes(2));
        assert_eq!(b.delay(4), Duration::minutes(8));
        assert_eq!(b.delay(7), Duration::hours(1));
        assert_eq!(b.delay(1000), Duration::hours(1));
        assert_eq!(b.delay(0), Duration::minutes(1));
    }
}
