//! Typed queries: vendors, customers, circuits, notifications, maintenances
//! and forecast events.

use chrono::{DateTime, Utc};
use mnp_core::{Maintenance, Registry, Status};
use serde::Serialize;
use uuid::Uuid;

use crate::db::{Row, Value};
use crate::{Error, Result, Store};

/// A customer and the people to tell about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// Stable id.
    pub customer_id: String,
    /// Display name.
    pub name: String,
    /// Technical contact (alerts go to).
    pub contact_email: Option<String>,
    /// Account manager (CC).
    pub account_manager_email: Option<String>,
    /// Customer Experience team (CC).
    pub cx_team_email: Option<String>,
}

/// A circuit of the inventory.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Circuit {
    /// Internal id.
    pub internal_circuit_id: Uuid,
    /// The carrier's id, as written in the inventory.
    pub vendor_circuit_id: String,
    /// Vendor id.
    pub vendor_id: String,
    /// Owning customer.
    pub customer_id: Option<String>,
    /// Provisioned capacity, bits/s.
    pub provisioned_bps: Option<i64>,
    /// Burst capacity, bits/s.
    pub burst_bps: Option<i64>,
    /// SLA id.
    pub sla_id: Option<String>,
    /// SLA epoch (turn-up).
    pub sla_epoch: Option<DateTime<Utc>>,
    /// Free text.
    pub description: String,
}

/// A message to record.
#[derive(Debug, Clone)]
pub struct NewNotification {
    /// Helpdesk ticket it arrived in.
    pub helpdesk_ticket_id: Option<String>,
    /// Message-ID header.
    pub message_id: Option<String>,
    /// SHA-256 of the raw bytes (hex).
    pub sha256: String,
    /// Sender address.
    pub sender: String,
    /// Subject.
    pub subject: String,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// Source description (path, mailbox, ticket URL).
    pub source: String,
    /// The raw message.
    pub raw: Vec<u8>,
}

/// A recorded message.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// Row id.
    pub notification_id: i64,
    /// Helpdesk ticket.
    pub helpdesk_ticket_id: Option<String>,
    /// Message-ID.
    pub message_id: Option<String>,
    /// SHA-256 hex.
    pub sha256: String,
    /// Sender.
    pub sender: String,
    /// Subject.
    pub subject: String,
    /// Source.
    pub source: String,
    /// Vendor the router chose.
    pub vendor_id: Option<String>,
    /// Label (`MaintParseSuccess`, ...; `Pending` while in flight).
    pub label: String,
    /// Error text for failures.
    pub error_text: Option<String>,
}

/// A stored maintenance (latest revision).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredMaintenance {
    /// Row key.
    pub maintenance_key: i64,
    /// Vendor id.
    pub vendor_id: String,
    /// The carrier's id.
    pub vendor_maintenance_id: String,
    /// Status.
    pub status: String,
    /// Sequence of the latest revision.
    pub sequence: Option<i64>,
    /// Stamp of the latest revision.
    pub stamp: Option<DateTime<Utc>>,
    /// Revision number (1 = first notice).
    pub revision: i64,
    /// Provider text.
    pub provider: String,
    /// Account.
    pub account: String,
    /// Summary.
    pub summary: String,
}

/// A forecast event row (one per window × circuit).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForecastEvent {
    /// Id.
    pub maint_forecast_event_id: Uuid,
    /// Maintenance row key.
    pub maintenance_key: i64,
    /// Revision that produced it.
    pub revision: i64,
    /// Part of the latest revision?
    pub current: bool,
    /// Notification row.
    pub notification_id: i64,
    /// Helpdesk ticket of the notification.
    pub notification_helpdesk_ticket_id: Option<String>,
    /// Vendor.
    pub vendor_id: String,
    /// Carrier's maintenance id.
    pub vendor_maintenance_id: String,
    /// Window start.
    pub begin_window: Option<DateTime<Utc>>,
    /// Window end.
    pub end_window: Option<DateTime<Utc>>,
    /// Announced impact seconds.
    pub impact_duration: Option<i64>,
    /// Impact name.
    pub impact: Option<String>,
    /// Carrier circuit id.
    pub parsed_vendor_circuit_id: Option<String>,
    /// Matched internal circuit.
    pub internal_circuit_id: Option<Uuid>,
    /// Status.
    pub status: String,
    /// Sequence.
    pub sequence: Option<i64>,
}

/// A circuit's window: (internal circuit id, begin, end).
pub type Span = (Uuid, DateTime<Utc>, DateTime<Utc>);

impl ForecastEvent {
    /// (circuit, begin, end) when the event has a matched circuit and a window.
    pub fn span(&self) -> Option<Span> {
        Some((
            self.internal_circuit_id?,
            self.begin_window?,
            self.end_window?,
        ))
    }
}

/// Filters for [`Store::forecast_events`].
#[derive(Debug, Clone, Default)]
pub struct ForecastFilter {
    /// Only this vendor.
    pub vendor: Option<String>,
    /// Only this internal circuit id or vendor circuit id.
    pub circuit: Option<String>,
    /// Only circuits of this customer.
    pub customer: Option<String>,
    /// Only this status.
    pub status: Option<String>,
    /// Windows ending after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Windows beginning before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Include superseded revisions.
    pub include_history: bool,
    /// Only the events of this stored maintenance (row key).
    pub maintenance_key: Option<i64>,
}

fn circuit_of(r: &Row) -> Result<Circuit> {
    Ok(Circuit {
        internal_circuit_id: r.uuid("internalCircuitId")?,
        vendor_circuit_id: r.text("vendorCircuitId")?,
        vendor_id: r.text("vendorId")?,
        customer_id: r.opt_text("customerId")?,
        provisioned_bps: r.opt_int("provisionedBps")?,
        burst_bps: r.opt_int("burstBps")?,
        sla_id: r.opt_text("slaId")?,
        sla_epoch: r.opt_time("slaEpoch")?,
        description: r.text("description")?,
    })
}

fn notification_of(r: &Row) -> Result<Notification> {
    Ok(Notification {
        notification_id: r.int("notificationId")?,
        helpdesk_ticket_id: r.opt_text("helpdeskTicketId")?,
        message_id: r.opt_text("messageId")?,
        sha256: r.text("sha256")?,
        sender: r.text("sender")?,
        subject: r.text("subject")?,
        source: r.text("source")?,
        vendor_id: r.opt_text("vendorId")?,
        label: r.text("label")?,
        error_text: r.opt_text("errorText")?,
    })
}

fn maintenance_of(r: &Row) -> Result<StoredMaintenance> {
    Ok(StoredMaintenance {
        maintenance_key: r.int("maintenanceKey")?,
        vendor_id: r.text("vendorId")?,
        vendor_maintenance_id: r.text("vendorMaintenanceId")?,
        status: r.text("status")?,
        sequence: r.opt_int("sequence")?,
        stamp: r.opt_time("stamp")?,
        revision: r.int("revision")?,
        provider: r.text("provider")?,
        account: r.text("account")?,
        summary: r.text("summary")?,
    })
}

pub(crate) fn event_of(r: &Row) -> Result<ForecastEvent> {
    Ok(ForecastEvent {
        maint_forecast_event_id: r.uuid("maintForecastEventId")?,
        maintenance_key: r.int("maintenanceKey")?,
        revision: r.int("revision")?,
        current: r.bool("current")?,
        notification_id: r.int("notificationId")?,
        notification_helpdesk_ticket_id: r.opt_text("notificationHelpdeskTicketId")?,
        vendor_id: r.text("vendorId")?,
        vendor_maintenance_id: r.text("vendorMaintenanceId")?,
        begin_window: r.opt_time("beginWindow")?,
        end_window: r.opt_time("endWindow")?,
        impact_duration: r.opt_int("impactDuration")?,
        impact: r.opt_text("impact")?,
        parsed_vendor_circuit_id: r.opt_text("parsedVendorCircuitId")?,
        internal_circuit_id: r.opt_uuid("internalCircuitId")?,
        status: r.text("status")?,
        sequence: r.opt_int("sequence")?,
    })
}

const NOTIFICATION_COLS: &str = r#""notificationId", "helpdeskTicketId", "messageId", "sha256", "sender", "subject", "source", "vendorId", "label", "errorText""#;
const CIRCUIT_COLS: &str = r#""internalCircuitId", "vendorCircuitId", "vendorId", "customerId", "provisionedBps", "burstBps", "slaId", "slaEpoch", "description""#;
const MAINT_COLS: &str = r#""maintenanceKey", "vendorId", "vendorMaintenanceId", "status", "sequence", "stamp", "revision", "provider", "account", "summary""#;
const EVENT_COLS: &str = r#"e."maintForecastEventId", e."maintenanceKey", e."revision", e."current", e."notificationId", e."notificationHelpdeskTicketId", e."vendorId", e."vendorMaintenanceId", e."beginWindow", e."endWindow", e."impactDuration", e."impact", e."parsedVendorCircuitId", e."internalCircuitId", e."status", e."sequence""#;

impl Store {
    /// Record every registered vendor, its sender domains and aliases.
    pub fn sync_vendors(&mut self, registry: &Registry) -> Result<()> {
        self.transaction(|s| {
            for e in registry.entries() {
                s.db().execute(
                    r#"INSERT INTO "Vendor" ("vendorId", "name") VALUES ($1, $2) ON CONFLICT ("vendorId") DO UPDATE SET "name" = excluded."name""#,
                    &[e.id.as_str().into(), e.carrier.as_str().into()],
                )?;
                for d in &e.senders {
                    s.db().execute(
                        r#"INSERT INTO "VendorSenderDomain" ("domain", "vendorId") VALUES ($1, $2) ON CONFLICT ("domain") DO UPDATE SET "vendorId" = excluded."vendorId""#,
                        &[d.as_str().into(), e.id.as_str().into()],
                    )?;
                }
            }
            for (alias, id) in registry.aliases() {
                s.db().execute(
                    r#"INSERT INTO "VendorAlias" ("alias", "vendorId") VALUES ($1, $2) ON CONFLICT ("alias") DO UPDATE SET "vendorId" = excluded."vendorId""#,
                    &[alias.as_str().into(), id.as_str().into()],
                )?;
            }
            Ok(())
        })
    }

    /// The vendor ids a circuit of `vendor` may be recorded under: the id
    /// itself and every alias of it (circuits imported under an old brand).
    pub fn vendor_scope(&mut self, vendor: &str) -> Result<Vec<String>> {
        let mut v = vec![vendor.to_string()];
        for r in self.db().query(
            r#"SELECT "alias" FROM "VendorAlias" WHERE "vendorId" = $1"#,
            &[vendor.into()],
        )? {
            v.push(r.text("alias")?);
        }
        Ok(v)
    }

    /// Insert or update a customer.
    pub fn upsert_customer(&mut self, c: &Customer) -> Result<()> {
        self.db().execute(
            r#"INSERT INTO "Customer" ("customerId", "name", "contactEmail", "accountManagerEmail", "cxTeamEmail") VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT ("customerId") DO UPDATE SET "name" = excluded."name", "contactEmail" = excluded."contactEmail",
               "accountManagerEmail" = excluded."accountManagerEmail", "cxTeamEmail" = excluded."cxTeamEmail""#,
            &[
                c.customer_id.as_str().into(),
                c.name.as_str().into(),
                c.contact_email.clone().into(),
                c.account_manager_email.clone().into(),
                c.cx_team_email.clone().into(),
            ],
        )?;
        Ok(())
    }

    /// A customer by id.
    pub fn customer(&mut self, id: &str) -> Result<Option<Customer>> {
        let r = self.db().query_opt(
            r#"SELECT "customerId", "name", "contactEmail", "accountManagerEmail", "cxTeamEmail" FROM "Customer" WHERE "customerId" = $1"#,
            &[id.into()],
        )?;
        r.map(|r| {
            Ok(Customer {
                customer_id: r.text("customerId")?,
                name: r.text("name")?,
                contact_email: r.opt_text("contactEmail")?,
                account_manager_email: r.opt_text("accountManagerEmail")?,
                cx_team_email: r.opt_text("cxTeamEmail")?,
            })
        })
        .transpose()
    }

    /// Insert or update a circuit, keyed by (vendor, normalised vendor id);
    /// returns its internal id (kept when the circuit already exists).
    pub fn upsert_circuit(&mut self, c: &Circuit) -> Result<Uuid> {
        let norm = mnp_core::util::normalize_circuit_id(&c.vendor_circuit_id);
        if norm.is_empty() {
            return Err(Error::Input {
                location: "circuit".into(),
                reason: format!("empty vendor circuit id {:?}", c.vendor_circuit_id),
            });
        }
        let rows = self.db().query(
            r#"INSERT INTO "Circuit" ("internalCircuitId", "vendorCircuitId", "normalizedVendorCircuitId", "vendorId", "customerId", "provisionedBps", "burstBps", "slaId", "slaEpoch", "description")
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
               ON CONFLICT ("vendorId", "normalizedVendorCircuitId") DO UPDATE SET "vendorCircuitId" = excluded."vendorCircuitId",
               "customerId" = excluded."customerId", "provisionedBps" = excluded."provisionedBps", "burstBps" = excluded."burstBps",
               "slaId" = excluded."slaId", "slaEpoch" = excluded."slaEpoch", "description" = excluded."description"
               RETURNING "internalCircuitId""#,
            &[
                c.internal_circuit_id.into(),
                c.vendor_circuit_id.trim().into(),
                norm.into(),
                c.vendor_id.as_str().into(),
                c.customer_id.clone().into(),
                c.provisioned_bps.into(),
                c.burst_bps.into(),
                c.sla_id.clone().into(),
                c.sla_epoch.into(),
                c.description.as_str().into(),
            ],
        )?;
        rows.first()
            .ok_or_else(|| Error::Schema("upsert returned no row".into()))?
            .uuid("internalCircuitId")
    }

    /// Find a circuit by vendor scope and carrier id (normalised).
    pub fn find_circuit(
        &mut self,
        vendors: &[String],
        vendor_circuit_id: &str,
    ) -> Result<Option<Circuit>> {
        let norm = mnp_core::util::normalize_circuit_id(vendor_circuit_id);
        if norm.is_empty() {
            return Ok(None);
        }
        for v in vendors {
            let sql = format!(
                r#"SELECT {CIRCUIT_COLS} FROM "Circuit" WHERE "vendorId" = $1 AND "normalizedVendorCircuitId" = $2"#
            );
            if let Some(r) = self
                .db()
                .query_opt(&sql, &[v.as_str().into(), norm.as_str().into()])?
            {
                return circuit_of(&r).map(Some);
            }
        }
        Ok(None)
    }

    /// All circuits, ordered by vendor and id.
    pub fn circuits(&mut self) -> Result<Vec<Circuit>> {
        let sql = format!(
            r#"SELECT {CIRCUIT_COLS} FROM "Circuit" ORDER BY "vendorId", "vendorCircuitId""#
        );
        self.db().query(&sql, &[])?.iter().map(circuit_of).collect()
    }

    /// A notification already recorded with this Message-ID or SHA-256.
    pub fn find_notification(
        &mut self,
        message_id: Option<&str>,
        sha256: &str,
    ) -> Result<Option<Notification>> {
        let sql =
            format!(r#"SELECT {NOTIFICATION_COLS} FROM "MaintNotification" WHERE "sha256" = $1"#);
        if let Some(r) = self.db().query_opt(&sql, &[sha256.into()])? {
            return notification_of(&r).map(Some);
        }
        if let Some(mid) = message_id.filter(|m| !m.trim().is_empty()) {
            let sql = format!(
                r#"SELECT {NOTIFICATION_COLS} FROM "MaintNotification" WHERE "messageId" = $1 ORDER BY "notificationId" LIMIT 1"#
            );
            if let Some(r) = self.db().query_opt(&sql, &[mid.into()])? {
                return notification_of(&r).map(Some);
            }
        }
        Ok(None)
    }

    /// Record a message (label `Pending`); returns its id.
    pub fn insert_notification(&mut self, n: &NewNotification) -> Result<i64> {
        let rows = self.db().query(
            r#"INSERT INTO "MaintNotification" ("helpdeskTicketId", "messageId", "sha256", "sender", "subject", "receivedAt", "source", "raw", "label")
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'Pending') RETURNING "notificationId""#,
            &[
                n.helpdesk_ticket_id.clone().into(),
                n.message_id.clone().into(),
                n.sha256.as_str().into(),
                n.sender.as_str().into(),
                n.subject.as_str().into(),
                n.received_at.into(),
                n.source.as_str().into(),
                n.raw.clone().into(),
            ],
        )?;
        rows.first()
            .ok_or_else(|| Error::Schema("insert returned no row".into()))?
            .int("notificationId")
    }

    /// Set a notification's label, vendor and error text.
    pub fn set_label(
        &mut self,
        id: i64,
        label: &str,
        vendor: Option<&str>,
        error: Option<&str>,
    ) -> Result<()> {
        self.db().execute(
            r#"UPDATE "MaintNotification" SET "label" = $1, "vendorId" = $2, "errorText" = $3, "processedAt" = $4 WHERE "notificationId" = $5"#,
            &[label.into(), vendor.into(), error.into(), Utc::now().into(), Value::Int(id)],
        )?;
        Ok(())
    }

    /// Notifications, optionally only those with `label`, oldest first.
    pub fn notifications(&mut self, label: Option<&str>) -> Result<Vec<Notification>> {
        let rows = match label {
            Some(l) => {
                let sql = format!(
                    r#"SELECT {NOTIFICATION_COLS} FROM "MaintNotification" WHERE "label" = $1 ORDER BY "notificationId""#
                );
                self.db().query(&sql, &[l.into()])?
            }
            None => {
                let sql = format!(
                    r#"SELECT {NOTIFICATION_COLS} FROM "MaintNotification" ORDER BY "notificationId""#
                );
                self.db().query(&sql, &[])?
            }
        };
        rows.iter().map(notification_of).collect()
    }

    /// The raw bytes of a notification.
    pub fn notification_raw(&mut self, id: i64) -> Result<Vec<u8>> {
        let r = self
            .db()
            .query_opt(
                r#"SELECT "raw" FROM "MaintNotification" WHERE "notificationId" = $1"#,
                &[Value::Int(id)],
            )?
            .ok_or_else(|| Error::Input {
                location: format!("notification {id}"),
                reason: "not found".into(),
            })?;
        r.bytes("raw")
    }

    /// The stored maintenance for (vendor, carrier id).
    pub fn maintenance(
        &mut self,
        vendor: &str,
        vendor_maintenance_id: &str,
    ) -> Result<Option<StoredMaintenance>> {
        let sql = format!(
            r#"SELECT {MAINT_COLS} FROM "Maintenance" WHERE "vendorId" = $1 AND "vendorMaintenanceId" = $2"#
        );
        self.db()
            .query_opt(&sql, &[vendor.into(), vendor_maintenance_id.into()])?
            .as_ref()
            .map(maintenance_of)
            .transpose()
    }

    /// All stored maintenances, newest update first.
    pub fn maintenances(&mut self) -> Result<Vec<StoredMaintenance>> {
        let sql = format!(
            r#"SELECT {MAINT_COLS} FROM "Maintenance" ORDER BY "vendorId", "vendorMaintenanceId""#
        );
        self.db()
            .query(&sql, &[])?
            .iter()
            .map(maintenance_of)
            .collect()
    }

    /// Record a new revision of a maintenance from one notice: the
    /// maintenance row is created or updated, the revision is kept in
    /// `MaintenanceRevision`, the previous forecast events are marked not
    /// current and `events` become the current ones. Returns (key, revision).
    /// `group` holds every window the notice gave for this maintenance id.
    pub fn record_revision(
        &mut self,
        vendor: &str,
        notification_id: i64,
        group: &[Maintenance],
        events: &[ForecastEvent],
    ) -> Result<(i64, i64)> {
        let first = group.first().ok_or_else(|| Error::Input {
            location: "maintenance".into(),
            reason: "empty group".into(),
        })?;
        let now = Utc::now();
        let existing = self.maintenance(vendor, &first.maintenance_id)?;
        let (key, revision) = match existing {
            Some(m) => {
                let rev = m.revision + 1;
                self.db().execute(
                    r#"UPDATE "Maintenance" SET "provider" = $1, "account" = $2, "status" = $3, "sequence" = $4, "stamp" = $5, "summary" = $6,
                       "organizer" = $7, "revision" = $8, "lastNotificationId" = $9, "updatedAt" = $10 WHERE "maintenanceKey" = $11"#,
                    &[
                        first.provider.as_str().into(),
                        first.account.as_str().into(),
                        first.status.as_str().into(),
                        first.sequence.into(),
                        first.stamp.into(),
                        first.summary.as_str().into(),
                        first.organizer.as_str().into(),
                        Value::Int(rev),
                        Value::Int(notification_id),
                        now.into(),
                        Value::Int(m.maintenance_key),
                    ],
                )?;
                (m.maintenance_key, rev)
            }
            None => {
                let rows = self.db().query(
                    r#"INSERT INTO "Maintenance" ("vendorId", "vendorMaintenanceId", "provider", "account", "status", "sequence", "stamp", "summary", "organizer", "revision", "lastNotificationId", "updatedAt")
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11) RETURNING "maintenanceKey""#,
                    &[
                        vendor.into(),
                        first.maintenance_id.as_str().into(),
                        first.provider.as_str().into(),
                        first.account.as_str().into(),
                        first.status.as_str().into(),
                        first.sequence.into(),
                        first.stamp.into(),
                        first.summary.as_str().into(),
                        first.organizer.as_str().into(),
                        Value::Int(notification_id),
                        now.into(),
                    ],
                )?;
                (
                    rows.first()
                        .ok_or_else(|| Error::Schema("insert returned no row".into()))?
                        .int("maintenanceKey")?,
                    1,
                )
            }
        };
        let record = serde_json::to_string(group).map_err(|e| Error::Schema(e.to_string()))?;
        self.db().execute(
            r#"INSERT INTO "MaintenanceRevision" ("maintenanceKey", "revision", "notificationId", "status", "sequence", "stamp", "record", "recordedAt")
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
            &[
                Value::Int(key),
                Value::Int(revision),
                Value::Int(notification_id),
                first.status.as_str().into(),
                first.sequence.into(),
                first.stamp.into(),
                record.into(),
                now.into(),
            ],
        )?;
        // Outages under the old windows and under the new ones are judged
        // differently now (a window added, moved or cancelled): the next SLA
        // evaluation re-evaluates their periods.
        let mut spans = self.current_spans(key)?;
        spans.extend(events.iter().filter_map(ForecastEvent::span));
        self.reopen_outages_under(&spans)?;
        self.db().execute(
            r#"UPDATE "MaintForecastEvent" SET "current" = $1 WHERE "maintenanceKey" = $2"#,
            &[Value::Bool(false), Value::Int(key)],
        )?;
        for e in events {
            self.db().execute(
                r#"INSERT INTO "MaintForecastEvent" ("maintForecastEventId", "maintenanceKey", "revision", "current", "notificationId", "notificationHelpdeskTicketId",
                   "vendorId", "vendorMaintenanceId", "beginWindow", "endWindow", "impactDuration", "impact", "parsedVendorCircuitId", "internalCircuitId", "status", "sequence")
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"#,
                &[
                    e.maint_forecast_event_id.into(),
                    Value::Int(key),
                    Value::Int(revision),
                    Value::Bool(true),
                    Value::Int(notification_id),
                    e.notification_helpdesk_ticket_id.clone().into(),
                    vendor.into(),
                    first.maintenance_id.as_str().into(),
                    e.begin_window.into(),
                    e.end_window.into(),
                    e.impact_duration.into(),
                    e.impact.clone().into(),
                    e.parsed_vendor_circuit_id.clone().into(),
                    e.internal_circuit_id.into(),
                    e.status.as_str().into(),
                    e.sequence.into(),
                ],
            )?;
        }
        Ok((key, revision))
    }

    /// (circuit, begin, end) of the current events of a maintenance that
    /// have a matched circuit and a window.
    fn current_spans(&mut self, key: i64) -> Result<Vec<Span>> {
        let rows = self.db().query(
            r#"SELECT "internalCircuitId", "beginWindow", "endWindow" FROM "MaintForecastEvent"
               WHERE "maintenanceKey" = $1 AND "current" = $2 AND "internalCircuitId" IS NOT NULL
               AND "beginWindow" IS NOT NULL AND "endWindow" IS NOT NULL"#,
            &[Value::Int(key), Value::Bool(true)],
        )?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.uuid("internalCircuitId")?,
                    r.time("beginWindow")?,
                    r.time("endWindow")?,
                ))
            })
            .collect()
    }

    /// Mark evaluated outages of these circuits that overlap these windows
    /// unevaluated again; returns how many changed.
    fn reopen_outages_under(&mut self, spans: &[Span]) -> Result<u64> {
        let mut n = 0;
        for (circuit, begin, end) in spans {
            n += self.db().execute(
                r#"UPDATE "CircuitOutageEvent" SET "evaluated" = $1
                   WHERE "internalCircuitId" = $2 AND "evaluated" = $3
                   AND "beginOutage" < $4 AND ("endOutage" IS NULL OR "endOutage" > $5)"#,
                &[
                    Value::Bool(false),
                    (*circuit).into(),
                    Value::Bool(true),
                    (*end).into(),
                    (*begin).into(),
                ],
            )?;
        }
        if n > 0 {
            tracing::info!(
                outages = n,
                "forecast changed under evaluated outages: they will be re-evaluated"
            );
        }
        Ok(n)
    }

    /// Change only the status of a stored maintenance and its current
    /// events (a cancellation or completion that repeats no window).
    pub fn set_maintenance_status(
        &mut self,
        key: i64,
        status: Status,
        notification_id: i64,
    ) -> Result<()> {
        let spans = self.current_spans(key)?;
        self.reopen_outages_under(&spans)?;
        self.db().execute(
            r#"UPDATE "Maintenance" SET "status" = $1, "lastNotificationId" = $2, "updatedAt" = $3 WHERE "maintenanceKey" = $4"#,
            &[status.as_str().into(), Value::Int(notification_id), Utc::now().into(), Value::Int(key)],
        )?;
        self.db().execute(
            r#"UPDATE "MaintForecastEvent" SET "status" = $1 WHERE "maintenanceKey" = $2 AND "current" = $3"#,
            &[status.as_str().into(), Value::Int(key), Value::Bool(true)],
        )?;
        Ok(())
    }

    /// Number of revisions kept for a maintenance.
    pub fn revision_count(&mut self, key: i64) -> Result<i64> {
        let r = self.db().query_opt(
            r#"SELECT COUNT(*) AS "n" FROM "MaintenanceRevision" WHERE "maintenanceKey" = $1"#,
            &[Value::Int(key)],
        )?;
        Ok(r.map(|r| r.int("n")).transpose()?.unwrap_or(0))
    }

    /// Forecast events matching a filter, ordered by window start.
    pub fn forecast_events(&mut self, f: &ForecastFilter) -> Result<Vec<ForecastEvent>> {
        let mut sql = format!(
            r#"SELECT {EVENT_COLS} FROM "MaintForecastEvent" e LEFT JOIN "Circuit" c ON c."internalCircuitId" = e."internalCircuitId" WHERE 1 = 1"#
        );
        let mut params: Vec<Value> = Vec::new();
        let mut add = |cond: &str, v: Value, sql: &mut String| {
            params.push(v);
            sql.push_str(&cond.replace("$?", &format!("${}", params.len())));
        };
        if !f.include_history {
            add(r#" AND e."current" = $?"#, Value::Bool(true), &mut sql);
        }
        if let Some(k) = f.maintenance_key {
            add(r#" AND e."maintenanceKey" = $?"#, Value::Int(k), &mut sql);
        }
        if let Some(v) = &f.vendor {
            add(r#" AND e."vendorId" = $?"#, v.into(), &mut sql);
        }
        if let Some(c) = &f.circuit {
            if Uuid::parse_str(c).is_ok() {
                add(r#" AND e."internalCircuitId" = $?"#, c.into(), &mut sql);
            } else {
                add(r#" AND e."parsedVendorCircuitId" = $?"#, c.into(), &mut sql);
            }
        }
        if let Some(c) = &f.customer {
            add(r#" AND c."customerId" = $?"#, c.into(), &mut sql);
        }
        if let Some(s) = &f.status {
            add(r#" AND e."status" = $?"#, s.into(), &mut sql);
        }
        if let Some(t) = f.from {
            add(
                r#" AND (e."endWindow" IS NULL OR e."endWindow" > $?)"#,
                t.into(),
                &mut sql,
            );
        }
        if let Some(t) = f.to {
            add(
                r#" AND (e."beginWindow" IS NULL OR e."beginWindow" < $?)"#,
                t.into(),
                &mut sql,
            );
        }
        sql.push_str(r#" ORDER BY e."beginWindow" IS NULL, e."beginWindow", e."vendorId", e."vendorMaintenanceId", e."parsedVendorCircuitId""#);
        self.db()
            .query(&sql, &params)?
            .iter()
            .map(event_of)
            .collect()
    }
}
