//! Typed queries of the outage and SLA half: SLA definitions and their
//! vendor applicability, the port → circuit map, protection groups,
//! outages (`CircuitOutageEvent`), forecast windows of circuits, and SLA
//! measurements of circuits and protection groups.
//!
//! The store keeps values, not rules: it does not know how ports are
//! normalised, what an SLA definition means or how availability is computed
//! (that is `mnp-sla`); it only guarantees the keys:
//!
//! * **Outages** are keyed by (circuit, begin), both instants truncated to
//!   whole seconds (the evaluator counts whole seconds, and SQLite stores
//!   them that way): [`Store::record_outage`] inserts a new outage, closes an
//!   open one, or moves the end of a closed one, and says which. A changed
//!   outage becomes unevaluated again, so the next batch evaluation picks it
//!   up; a closed outage is never re-opened.
//! * **Measurements** are keyed by (circuit or group, period start).
//!   [`Store::upsert_measurement`] leaves a row untouched — `evaluatedAt`
//!   included — when the values are the same, so re-running an evaluation
//!   gives identical rows.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::db::{Backend, Row, Value, whole};
use crate::queries::ForecastEvent;
use crate::{Result, Store};

/// An SLA as stored (`Sla` + `SlaVendorApplicability`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredSla {
    /// Id, referenced by `Circuit.slaId` and `ProtectionGroup.slaId`.
    pub sla_id: String,
    /// Name for people.
    pub name: String,
    /// Promised availability in percent.
    pub uptime_percent: f64,
    /// Interval kind as text (`calendarMonthFromFirst`, `fixed:7d`, …).
    pub interval_kind: String,
    /// Strategy id.
    pub strategy: String,
    /// The whole definition as JSON (what the evaluator reads).
    pub definition: String,
    /// Vendor ids the SLA applies to, sorted.
    pub vendors: Vec<String>,
}

/// One row of the port map (`EquipmentPortToCircuit`), names as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortMapping {
    /// Device (syslog host name).
    pub device: String,
    /// Interface.
    pub port: String,
    /// The circuit on that port.
    pub internal_circuit_id: Uuid,
}

/// A protection group and its members.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProtectionGroup {
    /// Stable id.
    pub protection_group_id: String,
    /// Name for people.
    pub name: String,
    /// Owning customer.
    pub customer_id: Option<String>,
    /// The SLA the group as a whole is measured against.
    pub sla_id: Option<String>,
    /// Epoch for interval kinds counted from turn-up.
    pub sla_epoch: Option<DateTime<Utc>>,
    /// Member circuits, sorted.
    pub members: Vec<Uuid>,
}

/// An outage to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutage {
    /// The circuit.
    pub internal_circuit_id: Uuid,
    /// First second of the outage.
    pub begin: DateTime<Utc>,
    /// End, once the circuit is up again.
    pub end: Option<DateTime<Utc>>,
    /// Where it was detected (`syslog:FILE`, `api`, …).
    pub source: String,
}

/// A stored outage (`CircuitOutageEvent`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredOutage {
    /// Row id.
    pub outage_event_id: Uuid,
    /// The circuit.
    pub internal_circuit_id: Uuid,
    /// Begin (whole seconds).
    pub begin: DateTime<Utc>,
    /// End (whole seconds); `None` while open.
    pub end: Option<DateTime<Utc>>,
    /// `end - begin` in seconds, for a closed outage.
    pub duration_seconds: Option<i64>,
    /// Taken into account by the last batch evaluation.
    pub evaluated: bool,
    /// Where it was detected.
    pub source: String,
}

/// What [`Store::record_outage`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum OutageWrite {
    /// A new outage row.
    Inserted,
    /// An open outage got its end.
    Closed,
    /// A closed outage got a different end (e.g. detected again with a
    /// larger merge gap).
    Updated,
    /// Already stored as given (or an open report of a closed outage).
    Unchanged,
}

/// Whose measurement: a circuit or a protection group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "id")]
pub enum Subject {
    /// `SlaPerformanceMeasurement`.
    Circuit(Uuid),
    /// `ProtectionGroupMeasurement`.
    Group(String),
}

/// One SLA measurement of a circuit or group for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredMeasurement {
    /// Circuit or group.
    pub subject: Subject,
    /// Period start (inclusive).
    pub period_start: DateTime<Utc>,
    /// Period end (exclusive).
    pub period_end: DateTime<Utc>,
    /// SLA evaluated.
    pub sla_id: String,
    /// Outage seconds in the period, before exclusions.
    pub outage_seconds: i64,
    /// Of those, seconds excluded by forecast maintenance.
    pub excluded_seconds: i64,
    /// Availability in percent.
    pub availability_percent: f64,
    /// Below the promised uptime.
    pub breached: bool,
    /// Credit in percent of the MRC.
    pub credit_percent: f64,
    /// When these values were first computed (kept while they stay the same).
    pub evaluated_at: DateTime<Utc>,
}

impl StoredMeasurement {
    /// `outage − excluded`: what availability is computed from.
    pub fn counted_seconds(&self) -> i64 {
        self.outage_seconds - self.excluded_seconds
    }
}

fn outage_of(r: &Row) -> Result<StoredOutage> {
    Ok(StoredOutage {
        outage_event_id: r.uuid("outageEventId")?,
        internal_circuit_id: r.uuid("internalCircuitId")?,
        begin: r.time("beginOutage")?,
        end: r.opt_time("endOutage")?,
        duration_seconds: r.opt_int("durationSeconds")?,
        evaluated: r.bool("evaluated")?,
        source: r.text("source")?,
    })
}

fn measurement_of(r: &Row, subject: Subject) -> Result<StoredMeasurement> {
    Ok(StoredMeasurement {
        subject,
        period_start: r.time("periodStart")?,
        period_end: r.time("periodEnd")?,
        sla_id: r.text("slaId")?,
        outage_seconds: r.int("outageSeconds")?,
        excluded_seconds: r.int("excludedSeconds")?,
        availability_percent: r.real("availabilityPercent")?,
        breached: r.bool("breached")?,
        credit_percent: r.real("creditPercent")?,
        evaluated_at: r.time("evaluatedAt")?,
    })
}

const OUTAGE_COLS: &str = r#""outageEventId", "internalCircuitId", "beginOutage", "endOutage", "durationSeconds", "evaluated", "source""#;
const MEASUREMENT_COLS: &str = r#""periodStart", "periodEnd", "slaId", "outageSeconds", "excludedSeconds", "availabilityPercent", "breached", "creditPercent", "evaluatedAt""#;
const EVENT_COLS: &str = r#""maintForecastEventId", "maintenanceKey", "revision", "current", "notificationId", "notificationHelpdeskTicketId", "vendorId", "vendorMaintenanceId", "beginWindow", "endWindow", "impactDuration", "impact", "parsedVendorCircuitId", "internalCircuitId", "status", "sequence""#;

/// Ids per `IN (…)` statement when marking outages.
const ID_CHUNK: usize = 500;

impl Store {
    // ------------------------------------------------------------ SLAs

    /// Insert or update an SLA; its vendor applicability is replaced by
    /// `sla.vendors`.
    pub fn upsert_sla(&mut self, sla: &StoredSla) -> Result<()> {
        self.transaction(|s| {
            s.db().execute(
                r#"INSERT INTO "Sla" ("slaId", "name", "uptimePercent", "intervalKind", "strategy", "definition") VALUES ($1, $2, $3, $4, $5, $6)
                   ON CONFLICT ("slaId") DO UPDATE SET "name" = excluded."name", "uptimePercent" = excluded."uptimePercent",
                   "intervalKind" = excluded."intervalKind", "strategy" = excluded."strategy", "definition" = excluded."definition""#,
                &[
                    sla.sla_id.as_str().into(),
                    sla.name.as_str().into(),
                    Value::Real(sla.uptime_percent),
                    sla.interval_kind.as_str().into(),
                    sla.strategy.as_str().into(),
                    sla.definition.as_str().into(),
                ],
            )?;
            s.db().execute(
                r#"DELETE FROM "SlaVendorApplicability" WHERE "slaId" = $1"#,
                &[sla.sla_id.as_str().into()],
            )?;
            let mut vendors = sla.vendors.clone();
            vendors.sort();
            vendors.dedup();
            for v in &vendors {
                s.db().execute(
                    r#"INSERT INTO "SlaVendorApplicability" ("slaId", "vendorId") VALUES ($1, $2)"#,
                    &[sla.sla_id.as_str().into(), v.as_str().into()],
                )?;
            }
            Ok(())
        })
    }

    /// Every SLA, by id.
    pub fn slas(&mut self) -> Result<Vec<StoredSla>> {
        let mut vendors: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for r in self.db().query(
            r#"SELECT "slaId", "vendorId" FROM "SlaVendorApplicability" ORDER BY "slaId", "vendorId""#,
            &[],
        )? {
            vendors
                .entry(r.text("slaId")?)
                .or_default()
                .push(r.text("vendorId")?);
        }
        self.db()
            .query(
                r#"SELECT "slaId", "name", "uptimePercent", "intervalKind", "strategy", "definition" FROM "Sla" ORDER BY "slaId""#,
                &[],
            )?
            .iter()
            .map(|r| {
                let id = r.text("slaId")?;
                Ok(StoredSla {
                    vendors: vendors.remove(&id).unwrap_or_default(),
                    sla_id: id,
                    name: r.text("name")?,
                    uptime_percent: r.real("uptimePercent")?,
                    interval_kind: r.text("intervalKind")?,
                    strategy: r.text("strategy")?,
                    definition: r.text("definition")?,
                })
            })
            .collect()
    }

    /// One SLA by id.
    pub fn sla(&mut self, id: &str) -> Result<Option<StoredSla>> {
        Ok(self.slas()?.into_iter().find(|s| s.sla_id == id))
    }

    // ------------------------------------------------------------ ports

    /// Map a port to a circuit (replacing the circuit of that exact
    /// device/port, names as given).
    pub fn upsert_port(&mut self, p: &PortMapping) -> Result<()> {
        self.db().execute(
            r#"INSERT INTO "EquipmentPortToCircuit" ("device", "port", "internalCircuitId") VALUES ($1, $2, $3)
               ON CONFLICT ("device", "port") DO UPDATE SET "internalCircuitId" = excluded."internalCircuitId""#,
            &[
                p.device.as_str().into(),
                p.port.as_str().into(),
                p.internal_circuit_id.into(),
            ],
        )?;
        Ok(())
    }

    /// Remove a port mapping (names exactly as stored); true if it existed.
    pub fn delete_port(&mut self, device: &str, port: &str) -> Result<bool> {
        Ok(self.db().execute(
            r#"DELETE FROM "EquipmentPortToCircuit" WHERE "device" = $1 AND "port" = $2"#,
            &[device.into(), port.into()],
        )? > 0)
    }

    /// The whole port map, by device and port.
    pub fn ports(&mut self) -> Result<Vec<PortMapping>> {
        self.db()
            .query(
                r#"SELECT "device", "port", "internalCircuitId" FROM "EquipmentPortToCircuit" ORDER BY "device", "port""#,
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(PortMapping {
                    device: r.text("device")?,
                    port: r.text("port")?,
                    internal_circuit_id: r.uuid("internalCircuitId")?,
                })
            })
            .collect()
    }

    // ------------------------------------------------------------ groups

    /// Insert or update a protection group; its members are replaced.
    pub fn upsert_protection_group(&mut self, g: &ProtectionGroup) -> Result<()> {
        self.transaction(|s| {
            s.db().execute(
                r#"INSERT INTO "ProtectionGroup" ("protectionGroupId", "name", "customerId", "slaId", "slaEpoch") VALUES ($1, $2, $3, $4, $5)
                   ON CONFLICT ("protectionGroupId") DO UPDATE SET "name" = excluded."name", "customerId" = excluded."customerId",
                   "slaId" = excluded."slaId", "slaEpoch" = excluded."slaEpoch""#,
                &[
                    g.protection_group_id.as_str().into(),
                    g.name.as_str().into(),
                    g.customer_id.clone().into(),
                    g.sla_id.clone().into(),
                    g.sla_epoch.map(whole).into(),
                ],
            )?;
            s.db().execute(
                r#"DELETE FROM "ProtectionGroupMember" WHERE "protectionGroupId" = $1"#,
                &[g.protection_group_id.as_str().into()],
            )?;
            let mut members = g.members.clone();
            members.sort();
            members.dedup();
            for m in members {
                s.db().execute(
                    r#"INSERT INTO "ProtectionGroupMember" ("protectionGroupId", "internalCircuitId") VALUES ($1, $2)"#,
                    &[g.protection_group_id.as_str().into(), m.into()],
                )?;
            }
            Ok(())
        })
    }

    /// Every protection group with its members, by id.
    pub fn protection_groups(&mut self) -> Result<Vec<ProtectionGroup>> {
        let mut members: std::collections::BTreeMap<String, Vec<Uuid>> = Default::default();
        for r in self.db().query(
            r#"SELECT "protectionGroupId", "internalCircuitId" FROM "ProtectionGroupMember""#,
            &[],
        )? {
            members
                .entry(r.text("protectionGroupId")?)
                .or_default()
                .push(r.uuid("internalCircuitId")?);
        }
        self.db()
            .query(
                r#"SELECT "protectionGroupId", "name", "customerId", "slaId", "slaEpoch" FROM "ProtectionGroup" ORDER BY "protectionGroupId""#,
                &[],
            )?
            .iter()
            .map(|r| {
                let id = r.text("protectionGroupId")?;
                let mut m = members.remove(&id).unwrap_or_default();
                m.sort();
                Ok(ProtectionGroup {
                    protection_group_id: id,
                    name: r.text("name")?,
                    customer_id: r.opt_text("customerId")?,
                    sla_id: r.opt_text("slaId")?,
                    sla_epoch: r.opt_time("slaEpoch")?,
                    members: m,
                })
            })
            .collect()
    }

    // ------------------------------------------------------------ outages

    /// Keep other writers of outages out until the current transaction ends
    /// (call inside [`Store::transaction`]): a batch evaluation reads the
    /// unevaluated outages and marks them evaluated, and a detection reads
    /// the open outages and closes them; neither may interleave with
    /// another. SQLite's write transactions already exclude each other, so
    /// this only locks on PostgreSQL.
    pub fn lock_outages(&mut self) -> Result<()> {
        if self.backend() == Backend::Postgres {
            self.db()
                .batch(r#"LOCK TABLE "CircuitOutageEvent" IN SHARE ROW EXCLUSIVE MODE"#)?;
        }
        Ok(())
    }

    /// Insert an outage as a new row (no check for an existing one with the
    /// same begin: that is a unique-key error). Returns its id.
    pub fn insert_outage(&mut self, o: &NewOutage) -> Result<Uuid> {
        let id = Uuid::new_v4();
        let (begin, end) = (whole(o.begin), o.end.map(whole));
        self.db().execute(
            r#"INSERT INTO "CircuitOutageEvent" ("outageEventId", "internalCircuitId", "beginOutage", "endOutage", "durationSeconds", "evaluated", "source")
               VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
            &[
                id.into(),
                o.internal_circuit_id.into(),
                begin.into(),
                end.into(),
                end.map(|e| (e - begin).num_seconds()).into(),
                Value::Bool(false),
                o.source.as_str().into(),
            ],
        )?;
        Ok(id)
    }

    /// Record a detected outage, keyed by (circuit, begin): a new one is
    /// inserted, an open one is closed, a closed one whose end differs is
    /// updated; a report without an end never re-opens a closed outage.
    /// Every change makes the outage unevaluated.
    pub fn record_outage(&mut self, o: &NewOutage) -> Result<OutageWrite> {
        let begin = whole(o.begin);
        let end = o.end.map(whole);
        let sql = format!(
            r#"SELECT {OUTAGE_COLS} FROM "CircuitOutageEvent" WHERE "internalCircuitId" = $1 AND "beginOutage" = $2"#
        );
        let existing = self
            .db()
            .query_opt(&sql, &[o.internal_circuit_id.into(), begin.into()])?
            .as_ref()
            .map(outage_of)
            .transpose()?;
        let Some(old) = existing else {
            self.insert_outage(&NewOutage {
                begin,
                end,
                ..o.clone()
            })?;
            return Ok(OutageWrite::Inserted);
        };
        let write = match (old.end, end) {
            (_, None) => return Ok(OutageWrite::Unchanged),
            (Some(a), Some(b)) if a == b => return Ok(OutageWrite::Unchanged),
            (None, Some(_)) => OutageWrite::Closed,
            (Some(_), Some(_)) => OutageWrite::Updated,
        };
        self.set_outage_end(old.outage_event_id, begin, end)?;
        Ok(write)
    }

    fn set_outage_end(
        &mut self,
        id: Uuid,
        begin: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
    ) -> Result<u64> {
        self.db().execute(
            r#"UPDATE "CircuitOutageEvent" SET "endOutage" = $1, "durationSeconds" = $2, "evaluated" = $3 WHERE "outageEventId" = $4"#,
            &[
                end.into(),
                end.map(|e| (e - begin).num_seconds()).into(),
                Value::Bool(false),
                id.into(),
            ],
        )
    }

    /// Close an open outage at `end`; false when it is not open, unknown,
    /// or `end` is before its begin.
    pub fn close_outage(&mut self, id: Uuid, end: DateTime<Utc>) -> Result<bool> {
        let sql =
            format!(r#"SELECT {OUTAGE_COLS} FROM "CircuitOutageEvent" WHERE "outageEventId" = $1"#);
        let Some(o) = self
            .db()
            .query_opt(&sql, &[id.into()])?
            .as_ref()
            .map(outage_of)
            .transpose()?
        else {
            return Ok(false);
        };
        let end = whole(end);
        if o.end.is_some() || end < o.begin {
            return Ok(false);
        }
        Ok(self.set_outage_end(id, o.begin, Some(end))? > 0)
    }

    /// Open outages (no end yet), of one circuit or of all, by circuit and
    /// begin.
    pub fn open_outages(&mut self, circuit: Option<Uuid>) -> Result<Vec<StoredOutage>> {
        let rows = match circuit {
            Some(c) => {
                let sql = format!(
                    r#"SELECT {OUTAGE_COLS} FROM "CircuitOutageEvent" WHERE "endOutage" IS NULL AND "internalCircuitId" = $1 ORDER BY "beginOutage""#
                );
                self.db().query(&sql, &[c.into()])?
            }
            None => {
                let sql = format!(
                    r#"SELECT {OUTAGE_COLS} FROM "CircuitOutageEvent" WHERE "endOutage" IS NULL ORDER BY "internalCircuitId", "beginOutage""#
                );
                self.db().query(&sql, &[])?
            }
        };
        rows.iter().map(outage_of).collect()
    }

    /// Outages not yet taken into account by a batch evaluation, by circuit
    /// and begin.
    pub fn unevaluated_outages(&mut self) -> Result<Vec<StoredOutage>> {
        let sql = format!(
            r#"SELECT {OUTAGE_COLS} FROM "CircuitOutageEvent" WHERE NOT "evaluated" ORDER BY "internalCircuitId", "beginOutage""#
        );
        self.db().query(&sql, &[])?.iter().map(outage_of).collect()
    }

    /// Mark outages evaluated; returns how many rows changed.
    pub fn mark_outages_evaluated(&mut self, ids: &[Uuid]) -> Result<u64> {
        let mut n = 0;
        for chunk in ids.chunks(ID_CHUNK) {
            let list: Vec<String> = (2..chunk.len() + 2).map(|i| format!("${i}")).collect();
            let sql = format!(
                r#"UPDATE "CircuitOutageEvent" SET "evaluated" = $1 WHERE "outageEventId" IN ({})"#,
                list.join(", ")
            );
            let mut params = Vec::with_capacity(chunk.len() + 1);
            params.push(Value::Bool(true));
            params.extend(chunk.iter().map(|id| Value::from(*id)));
            n += self.db().execute(&sql, &params)?;
        }
        Ok(n)
    }

    /// Mark every unevaluated outage evaluated in one statement; returns how
    /// many. Only correct under [`Store::lock_outages`] in the transaction
    /// that read them with [`Store::unevaluated_outages`]: then no other
    /// writer can have added or changed one in between, and this is the same
    /// as [`Store::mark_outages_evaluated`] with their ids, without a
    /// statement per few hundred ids.
    pub fn mark_unevaluated_outages_evaluated(&mut self) -> Result<u64> {
        self.db().execute(
            r#"UPDATE "CircuitOutageEvent" SET "evaluated" = $1 WHERE NOT "evaluated""#,
            &[Value::Bool(true)],
        )
    }

    /// Outages overlapping `[from, to)` — of one circuit, or of all — by
    /// circuit and begin. An open outage overlaps when it began before `to`.
    pub fn outages_overlapping(
        &mut self,
        circuit: Option<Uuid>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<StoredOutage>> {
        let (from, to) = (whole(from), whole(to));
        let rows = match circuit {
            Some(c) => {
                let sql = format!(
                    r#"SELECT {OUTAGE_COLS} FROM "CircuitOutageEvent" WHERE "internalCircuitId" = $1 AND "beginOutage" < $2 AND ("endOutage" IS NULL OR "endOutage" > $3) ORDER BY "beginOutage""#
                );
                self.db().query(&sql, &[c.into(), to.into(), from.into()])?
            }
            None => {
                let sql = format!(
                    r#"SELECT {OUTAGE_COLS} FROM "CircuitOutageEvent" WHERE "beginOutage" < $1 AND ("endOutage" IS NULL OR "endOutage" > $2) ORDER BY "internalCircuitId", "beginOutage""#
                );
                self.db().query(&sql, &[to.into(), from.into()])?
            }
        };
        rows.iter().map(outage_of).collect()
    }

    // ------------------------------------------------------------ forecast windows

    /// Current forecast events matched to a circuit (one, or any) whose
    /// window overlaps `[from, to)`, every status (cancelled windows are
    /// the evaluator's business), by circuit and window start.
    pub fn forecast_windows_overlapping(
        &mut self,
        circuit: Option<Uuid>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ForecastEvent>> {
        let mut sql = format!(
            r#"SELECT {EVENT_COLS} FROM "MaintForecastEvent" WHERE "current" = $1 AND "beginWindow" IS NOT NULL AND "endWindow" IS NOT NULL
               AND "beginWindow" < $2 AND "endWindow" > $3"#
        );
        let mut params = vec![Value::Bool(true), to.into(), from.into()];
        match circuit {
            Some(c) => {
                sql.push_str(r#" AND "internalCircuitId" = $4"#);
                params.push(c.into());
            }
            None => sql.push_str(r#" AND "internalCircuitId" IS NOT NULL"#),
        }
        sql.push_str(r#" ORDER BY "internalCircuitId", "beginWindow", "vendorMaintenanceId""#);
        self.db()
            .query(&sql, &params)?
            .iter()
            .map(crate::queries::event_of)
            .collect()
    }

    // ------------------------------------------------------------ measurements

    /// Insert or update the measurement of a circuit or group for the
    /// period starting at `m.period_start`. An existing row with the same
    /// values is left as it is (`evaluatedAt` included). Returns true when a
    /// row was written.
    pub fn upsert_measurement(&mut self, m: &StoredMeasurement) -> Result<bool> {
        Ok(self.upsert_measurements(std::slice::from_ref(m))? > 0)
    }

    /// [`Store::upsert_measurement`] for many rows, a few hundred per
    /// statement; returns how many rows were written (inserted or changed).
    /// A (subject, period start) given twice keeps the last one.
    pub fn upsert_measurements(&mut self, ms: &[StoredMeasurement]) -> Result<usize> {
        const CHUNK: usize = 200;
        let mut last: std::collections::HashMap<(&Subject, i64), usize> =
            std::collections::HashMap::with_capacity(ms.len());
        for (i, m) in ms.iter().enumerate() {
            last.insert((&m.subject, whole(m.period_start).timestamp()), i);
        }
        let (mut circuits, mut groups) = (Vec::new(), Vec::new());
        for (i, m) in ms.iter().enumerate() {
            if last.get(&(&m.subject, whole(m.period_start).timestamp())) != Some(&i) {
                continue;
            }
            match m.subject {
                Subject::Circuit(_) => circuits.push(m),
                Subject::Group(_) => groups.push(m),
            }
        }
        let mut n = 0;
        for (table, key_col, rows) in [
            ("SlaPerformanceMeasurement", "internalCircuitId", circuits),
            ("ProtectionGroupMeasurement", "protectionGroupId", groups),
        ] {
            for chunk in rows.chunks(CHUNK) {
                n += self.upsert_measurement_rows(table, key_col, chunk)? as usize;
            }
        }
        Ok(n)
    }

    fn upsert_measurement_rows(
        &mut self,
        table: &str,
        key_col: &str,
        rows: &[&StoredMeasurement],
    ) -> Result<u64> {
        const COLS: usize = 10;
        let changed = [
            "periodEnd",
            "slaId",
            "outageSeconds",
            "excludedSeconds",
            "availabilityPercent",
            "breached",
            "creditPercent",
        ];
        let set: Vec<String> = changed
            .iter()
            .chain(["evaluatedAt"].iter())
            .map(|c| format!(r#""{c}" = excluded."{c}""#))
            .collect();
        let differs: Vec<String> = changed
            .iter()
            .map(|c| format!(r#""{table}"."{c}" <> excluded."{c}""#))
            .collect();
        let values: Vec<String> = (0..rows.len())
            .map(|r| {
                let ph: Vec<String> = (1..=COLS).map(|c| format!("${}", r * COLS + c)).collect();
                format!("({})", ph.join(", "))
            })
            .collect();
        let sql = format!(
            r#"INSERT INTO "{table}" ("{key_col}", {MEASUREMENT_COLS}) VALUES {}
               ON CONFLICT ("{key_col}", "periodStart") DO UPDATE SET {} WHERE {}"#,
            values.join(", "),
            set.join(", "),
            differs.join(" OR ")
        );
        let mut params = Vec::with_capacity(rows.len() * COLS);
        for m in rows {
            params.push(match &m.subject {
                Subject::Circuit(c) => (*c).into(),
                Subject::Group(g) => g.into(),
            });
            params.extend([
                whole(m.period_start).into(),
                whole(m.period_end).into(),
                m.sla_id.as_str().into(),
                Value::Int(m.outage_seconds),
                Value::Int(m.excluded_seconds),
                Value::Real(m.availability_percent),
                Value::Bool(m.breached),
                Value::Real(m.credit_percent),
                whole(m.evaluated_at).into(),
            ]);
        }
        self.db().execute(&sql, &params)
    }

    /// Measurements of circuits and groups whose period starts in
    /// `[from, to)`: circuits first, then groups, each by subject and start.
    pub fn measurements(
        &mut self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<StoredMeasurement>> {
        let (from, to) = (whole(from), whole(to));
        let mut out = Vec::new();
        let sql = format!(
            r#"SELECT "internalCircuitId", {MEASUREMENT_COLS} FROM "SlaPerformanceMeasurement" WHERE "periodStart" >= $1 AND "periodStart" < $2 ORDER BY "internalCircuitId", "periodStart""#
        );
        for r in self.db().query(&sql, &[from.into(), to.into()])? {
            let subject = Subject::Circuit(r.uuid("internalCircuitId")?);
            out.push(measurement_of(&r, subject)?);
        }
        let sql = format!(
            r#"SELECT "protectionGroupId", {MEASUREMENT_COLS} FROM "ProtectionGroupMeasurement" WHERE "periodStart" >= $1 AND "periodStart" < $2 ORDER BY "protectionGroupId", "periodStart""#
        );
        for r in self.db().query(&sql, &[from.into(), to.into()])? {
            let subject = Subject::Group(r.text("protectionGroupId")?);
            out.push(measurement_of(&r, subject)?);
        }
        Ok(out)
    }

    /// The measurement of a circuit or group for the period starting at
    /// `period_start`.
    pub fn measurement(
        &mut self,
        subject: &Subject,
        period_start: DateTime<Utc>,
    ) -> Result<Option<StoredMeasurement>> {
        let (table, key_col, key): (&str, &str, Value) = match subject {
            Subject::Circuit(c) => (
                "SlaPerformanceMeasurement",
                "internalCircuitId",
                (*c).into(),
            ),
            Subject::Group(g) => ("ProtectionGroupMeasurement", "protectionGroupId", g.into()),
        };
        let sql = format!(
            r#"SELECT {MEASUREMENT_COLS} FROM "{table}" WHERE "{key_col}" = $1 AND "periodStart" = $2"#
        );
        self.db()
            .query_opt(&sql, &[key, whole(period_start).into()])?
            .map(|r| measurement_of(&r, subject.clone()))
            .transpose()
    }
}
