//! Versioned migrations. Each migration is written once with type
//! placeholders (`{uuid}`, `{ts}`, `{bytes}`, `{bool}`, `{pk}`) that expand to
//! native types per backend. Applied migrations are recorded in
//! `mnp_schema_migrations`; a migration runs in one transaction, so a crash
//! leaves the schema at the previous version.

use crate::db::{Backend, Db, Value};
use crate::{Error, Result};

/// One schema migration.
pub struct Migration {
    /// Version number, strictly increasing.
    pub version: i64,
    /// Short name.
    pub name: &'static str,
    /// SQL with type placeholders.
    pub sql: &'static str,
}

/// All migrations, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial schema",
        sql: V1,
    },
    Migration {
        version: 2,
        name: "outages and SLA measurements",
        sql: V2,
    },
    Migration {
        version: 3,
        name: "maxout episodes, daily peaks and the alert outbox",
        sql: V3,
    },
];

const V1: &str = r#"
CREATE TABLE "Vendor" (
  "vendorId" TEXT PRIMARY KEY,
  "name" TEXT NOT NULL
);
CREATE TABLE "VendorSenderDomain" (
  "domain" TEXT PRIMARY KEY,
  "vendorId" TEXT NOT NULL REFERENCES "Vendor"("vendorId")
);
CREATE TABLE "VendorAlias" (
  "alias" TEXT PRIMARY KEY,
  "vendorId" TEXT NOT NULL REFERENCES "Vendor"("vendorId")
);
CREATE TABLE "Customer" (
  "customerId" TEXT PRIMARY KEY,
  "name" TEXT NOT NULL,
  "contactEmail" TEXT,
  "accountManagerEmail" TEXT,
  "cxTeamEmail" TEXT
);
CREATE TABLE "Sla" (
  "slaId" TEXT PRIMARY KEY,
  "name" TEXT NOT NULL,
  "uptimePercent" DOUBLE PRECISION NOT NULL,
  "intervalKind" TEXT NOT NULL,
  "strategy" TEXT NOT NULL,
  "definition" TEXT NOT NULL
);
CREATE TABLE "SlaVendorApplicability" (
  "slaId" TEXT NOT NULL REFERENCES "Sla"("slaId"),
  "vendorId" TEXT NOT NULL,
  PRIMARY KEY ("slaId", "vendorId")
);
CREATE TABLE "Circuit" (
  "internalCircuitId" {uuid} PRIMARY KEY,
  "vendorCircuitId" TEXT NOT NULL,
  "normalizedVendorCircuitId" TEXT NOT NULL,
  "vendorId" TEXT NOT NULL,
  "customerId" TEXT REFERENCES "Customer"("customerId"),
  "provisionedBps" BIGINT,
  "burstBps" BIGINT,
  "slaId" TEXT,
  "slaEpoch" {ts},
  "description" TEXT NOT NULL DEFAULT '',
  UNIQUE ("vendorId", "normalizedVendorCircuitId")
);
CREATE TABLE "ProtectionGroup" (
  "protectionGroupId" TEXT PRIMARY KEY,
  "name" TEXT NOT NULL,
  "customerId" TEXT
);
CREATE TABLE "ProtectionGroupMember" (
  "protectionGroupId" TEXT NOT NULL REFERENCES "ProtectionGroup"("protectionGroupId"),
  "internalCircuitId" {uuid} NOT NULL,
  PRIMARY KEY ("protectionGroupId", "internalCircuitId")
);
CREATE TABLE "EquipmentPortToCircuit" (
  "device" TEXT NOT NULL,
  "port" TEXT NOT NULL,
  "internalCircuitId" {uuid} NOT NULL,
  PRIMARY KEY ("device", "port")
);
CREATE TABLE "MaintNotification" (
  "notificationId" {pk},
  "helpdeskTicketId" TEXT,
  "messageId" TEXT,
  "sha256" TEXT NOT NULL UNIQUE,
  "sender" TEXT NOT NULL,
  "subject" TEXT NOT NULL,
  "receivedAt" {ts} NOT NULL,
  "source" TEXT NOT NULL,
  "raw" {bytes} NOT NULL,
  "vendorId" TEXT,
  "label" TEXT NOT NULL,
  "errorText" TEXT,
  "processedAt" {ts}
);
CREATE INDEX "MaintNotification_messageId" ON "MaintNotification"("messageId");
CREATE TABLE "Maintenance" (
  "maintenanceKey" {pk},
  "vendorId" TEXT NOT NULL,
  "vendorMaintenanceId" TEXT NOT NULL,
  "provider" TEXT NOT NULL,
  "account" TEXT NOT NULL,
  "status" TEXT NOT NULL,
  "sequence" BIGINT,
  "stamp" {ts},
  "summary" TEXT NOT NULL,
  "organizer" TEXT NOT NULL,
  "revision" BIGINT NOT NULL,
  "lastNotificationId" BIGINT NOT NULL,
  "updatedAt" {ts} NOT NULL,
  UNIQUE ("vendorId", "vendorMaintenanceId")
);
CREATE TABLE "MaintenanceRevision" (
  "maintenanceKey" BIGINT NOT NULL,
  "revision" BIGINT NOT NULL,
  "notificationId" BIGINT NOT NULL,
  "status" TEXT NOT NULL,
  "sequence" BIGINT,
  "stamp" {ts},
  "record" TEXT NOT NULL,
  "recordedAt" {ts} NOT NULL,
  PRIMARY KEY ("maintenanceKey", "revision")
);
CREATE TABLE "MaintForecastEvent" (
  "maintForecastEventId" {uuid} PRIMARY KEY,
  "maintenanceKey" BIGINT NOT NULL,
  "revision" BIGINT NOT NULL,
  "current" {bool} NOT NULL,
  "notificationId" BIGINT NOT NULL,
  "notificationHelpdeskTicketId" TEXT,
  "vendorId" TEXT NOT NULL,
  "vendorMaintenanceId" TEXT NOT NULL,
  "beginWindow" {ts},
  "endWindow" {ts},
  "impactDuration" BIGINT,
  "impact" TEXT,
  "parsedVendorCircuitId" TEXT,
  "internalCircuitId" {uuid},
  "status" TEXT NOT NULL,
  "sequence" BIGINT
);
CREATE INDEX "MaintForecastEvent_circuit" ON "MaintForecastEvent"("internalCircuitId", "beginWindow");
CREATE INDEX "MaintForecastEvent_maintenance" ON "MaintForecastEvent"("maintenanceKey", "current");
CREATE TABLE "CircuitOutageEvent" (
  "outageEventId" {uuid} PRIMARY KEY,
  "internalCircuitId" {uuid} NOT NULL,
  "beginOutage" {ts} NOT NULL,
  "endOutage" {ts},
  "durationSeconds" BIGINT,
  "evaluated" {bool} NOT NULL,
  "source" TEXT NOT NULL
);
CREATE TABLE "SlaPerformanceMeasurement" (
  "internalCircuitId" {uuid} NOT NULL,
  "periodStart" {ts} NOT NULL,
  "periodEnd" {ts} NOT NULL,
  "slaId" TEXT NOT NULL,
  "outageSeconds" BIGINT NOT NULL,
  "excludedSeconds" BIGINT NOT NULL,
  "availabilityPercent" DOUBLE PRECISION NOT NULL,
  "breached" {bool} NOT NULL,
  "creditPercent" DOUBLE PRECISION NOT NULL,
  "evaluatedAt" {ts} NOT NULL,
  PRIMARY KEY ("internalCircuitId", "periodStart")
);
CREATE TABLE "MaxoutEvent" (
  "maxoutEventId" {uuid} PRIMARY KEY,
  "internalCircuitId" {uuid} NOT NULL,
  "customerId" TEXT,
  "startedAt" {ts} NOT NULL,
  "endedAt" {ts},
  "peakPercent" DOUBLE PRECISION NOT NULL,
  "minutesOver" BIGINT NOT NULL,
  "direction" TEXT NOT NULL,
  "alertedAt" {ts}
);
"#;

/// Outages and SLA evaluation:
/// * one outage per (circuit, begin): detecting the same log twice, or the
///   next batch of a stream that closes an open outage, updates the row
///   instead of adding one;
/// * indexes for the evaluator's questions (unevaluated outages, outages and
///   measurements overlapping a period — by end, since most history ends
///   before a period starts; no index on begin, which every outage row would
///   pay for on each write);
/// * a protection group names its own SLA (and epoch), and its measurements
///   live beside the circuits' ones, keyed by group and period.
const V2: &str = r#"
CREATE UNIQUE INDEX "CircuitOutageEvent_circuit_begin" ON "CircuitOutageEvent"("internalCircuitId", "beginOutage");
CREATE INDEX "CircuitOutageEvent_end" ON "CircuitOutageEvent"("endOutage");
CREATE INDEX "CircuitOutageEvent_unevaluated" ON "CircuitOutageEvent"("internalCircuitId") WHERE NOT "evaluated";
CREATE INDEX "EquipmentPortToCircuit_circuit" ON "EquipmentPortToCircuit"("internalCircuitId");
CREATE INDEX "SlaPerformanceMeasurement_period" ON "SlaPerformanceMeasurement"("periodStart");
ALTER TABLE "ProtectionGroup" ADD COLUMN "slaId" TEXT;
ALTER TABLE "ProtectionGroup" ADD COLUMN "slaEpoch" {ts};
CREATE INDEX "ProtectionGroupMember_circuit" ON "ProtectionGroupMember"("internalCircuitId");
CREATE TABLE "ProtectionGroupMeasurement" (
  "protectionGroupId" TEXT NOT NULL REFERENCES "ProtectionGroup"("protectionGroupId"),
  "periodStart" {ts} NOT NULL,
  "periodEnd" {ts} NOT NULL,
  "slaId" TEXT NOT NULL,
  "outageSeconds" BIGINT NOT NULL,
  "excludedSeconds" BIGINT NOT NULL,
  "availabilityPercent" DOUBLE PRECISION NOT NULL,
  "breached" {bool} NOT NULL,
  "creditPercent" DOUBLE PRECISION NOT NULL,
  "evaluatedAt" {ts} NOT NULL,
  PRIMARY KEY ("protectionGroupId", "periodStart")
);
CREATE INDEX "ProtectionGroupMeasurement_period" ON "ProtectionGroupMeasurement"("periodStart");
"#;

/// Maxout (see `crate::maxout`):
/// * `MaxoutEvent` gains what the engine needs to restore an open episode
///   after a restart (circuit id as the telemetry names it, peak rate, time
///   over in seconds, last sample, ceiling and threshold) and an index for
///   open episodes and per-customer reports;
/// * `MaxoutDailyPeak`: highest utilisation per circuit and UTC day, the
///   input of the capacity forecast (samples themselves are not kept);
/// * `AlertOutbox`: mails queued for delivery, one per (episode, kind) via
///   `dedupeKey`, retried with backoff until sent.
const V3: &str = r#"
ALTER TABLE "MaxoutEvent" ADD COLUMN "circuitRef" TEXT NOT NULL DEFAULT '';
ALTER TABLE "MaxoutEvent" ADD COLUMN "lastSampleAt" {ts};
ALTER TABLE "MaxoutEvent" ADD COLUMN "peakBps" DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE "MaxoutEvent" ADD COLUMN "secondsOver" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "MaxoutEvent" ADD COLUMN "capacityBps" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "MaxoutEvent" ADD COLUMN "provisionedBps" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "MaxoutEvent" ADD COLUMN "burstBps" BIGINT;
ALTER TABLE "MaxoutEvent" ADD COLUMN "thresholdPercent" DOUBLE PRECISION NOT NULL DEFAULT 100;
CREATE INDEX "MaxoutEvent_open" ON "MaxoutEvent"("internalCircuitId") WHERE "endedAt" IS NULL;
CREATE INDEX "MaxoutEvent_customer" ON "MaxoutEvent"("customerId", "startedAt");
CREATE INDEX "MaxoutEvent_started" ON "MaxoutEvent"("startedAt");
CREATE TABLE "MaxoutDailyPeak" (
  "internalCircuitId" {uuid} NOT NULL,
  "day" TEXT NOT NULL,
  "peakPercent" DOUBLE PRECISION NOT NULL,
  PRIMARY KEY ("internalCircuitId", "day")
);
CREATE TABLE "AlertOutbox" (
  "outboxId" {pk},
  "dedupeKey" TEXT NOT NULL UNIQUE,
  "maxoutEventId" {uuid},
  "kind" TEXT NOT NULL,
  "toAddrs" TEXT NOT NULL,
  "ccAddrs" TEXT NOT NULL,
  "subject" TEXT NOT NULL,
  "textBody" TEXT NOT NULL,
  "htmlBody" TEXT NOT NULL,
  "createdAt" {ts} NOT NULL,
  "attempts" BIGINT NOT NULL DEFAULT 0,
  "nextAttemptAt" {ts} NOT NULL,
  "sentAt" {ts},
  "lastError" TEXT
);
CREATE INDEX "AlertOutbox_due" ON "AlertOutbox"("nextAttemptAt") WHERE "sentAt" IS NULL;
CREATE INDEX "AlertOutbox_episode" ON "AlertOutbox"("maxoutEventId");
"#;

/// Expand the type placeholders for a backend.
pub fn render(sql: &str, backend: Backend) -> String {
    let (uuid, ts, bytes, boolean, pk) = match backend {
        Backend::Sqlite => (
            "TEXT",
            "TEXT",
            "BLOB",
            "INTEGER",
            "INTEGER PRIMARY KEY AUTOINCREMENT",
        ),
        Backend::Postgres => (
            "UUID",
            "TIMESTAMPTZ",
            "BYTEA",
            "BOOLEAN",
            "BIGSERIAL PRIMARY KEY",
        ),
    };
    sql.replace("{uuid}", uuid)
        .replace("{ts}", ts)
        .replace("{bytes}", bytes)
        .replace("{bool}", boolean)
        .replace("{pk}", pk)
}

/// Current schema version (0 = empty database).
pub fn version(db: &mut Db) -> Result<i64> {
    db.batch(r#"CREATE TABLE IF NOT EXISTS "mnp_schema_migrations" ("version" BIGINT PRIMARY KEY, "name" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)"#)?;
    let row = db.query_opt(
        r#"SELECT MAX("version") AS "v" FROM "mnp_schema_migrations""#,
        &[],
    )?;
    Ok(row
        .map(|r| r.opt_int("v"))
        .transpose()?
        .flatten()
        .unwrap_or(0))
}

/// Apply every pending migration; returns the versions applied.
pub fn migrate(db: &mut Db) -> Result<Vec<i64>> {
    let current = version(db)?;
    if let Some(latest) = MIGRATIONS.last()
        && current > latest.version
    {
        return Err(Error::Schema(format!(
            "database schema version {current} is newer than this mnp knows ({})",
            latest.version
        )));
    }
    let mut applied = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        db.batch("BEGIN")?;
        let res = db.batch(&render(m.sql, db.backend())).and_then(|_| {
            db.execute(
                r#"INSERT INTO "mnp_schema_migrations" ("version", "name", "appliedAt") VALUES ($1, $2, $3)"#,
                &[Value::Int(m.version), m.name.into(), crate::db::time_text(&chrono::Utc::now()).into()],
            )
        });
        match res {
            Ok(_) => db.batch("COMMIT")?,
            Err(e) => {
                let _ = db.batch("ROLLBACK");
                return Err(Error::Schema(format!(
                    "migration {} ({}) failed: {e}",
                    m.version, m.name
                )));
            }
        }
        tracing::info!(version = m.version, name = m.name, "migration applied");
        applied.push(m.version);
    }
    Ok(applied)
}
