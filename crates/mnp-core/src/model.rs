//! The maintenance model every parser produces and every later stage consumes.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Lifecycle status of a maintenance, as in the BCOP `X-MAINTNOTE-STATUS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// Announced, not yet confirmed.
    #[serde(rename = "TENTATIVE")]
    Tentative,
    /// Confirmed and scheduled.
    #[serde(rename = "CONFIRMED")]
    Confirmed,
    /// Cancelled.
    #[serde(rename = "CANCELLED")]
    Cancelled,
    /// Work has started.
    #[serde(rename = "IN-PROCESS")]
    InProcess,
    /// Work is finished.
    #[serde(rename = "COMPLETED")]
    Completed,
    /// Moved to another window.
    #[serde(rename = "RE-SCHEDULED")]
    Rescheduled,
    /// A reminder or update that changes nothing.
    #[serde(rename = "NO-CHANGE")]
    NoChange,
    /// The notice does not say.
    #[serde(rename = "UNKNOWN")]
    Unknown,
}

impl Status {
    /// All statuses, in declaration order.
    pub const ALL: [Status; 8] = [
        Status::Tentative,
        Status::Confirmed,
        Status::Cancelled,
        Status::InProcess,
        Status::Completed,
        Status::Rescheduled,
        Status::NoChange,
        Status::Unknown,
    ];

    /// The canonical upper-case name, e.g. `RE-SCHEDULED`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Tentative => "TENTATIVE",
            Status::Confirmed => "CONFIRMED",
            Status::Cancelled => "CANCELLED",
            Status::InProcess => "IN-PROCESS",
            Status::Completed => "COMPLETED",
            Status::Rescheduled => "RE-SCHEDULED",
            Status::NoChange => "NO-CHANGE",
            Status::Unknown => "UNKNOWN",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = Error;
    /// Accepts the canonical names case-insensitively, with `_`, `-` or space.
    fn from_str(s: &str) -> Result<Self, Error> {
        let k: String = s.trim().to_ascii_uppercase().replace(['_', ' '], "-");
        Ok(match k.as_str() {
            "TENTATIVE" => Status::Tentative,
            "CONFIRMED" => Status::Confirmed,
            "CANCELLED" | "CANCELED" => Status::Cancelled,
            "IN-PROCESS" | "IN-PROGRESS" | "INPROCESS" => Status::InProcess,
            "COMPLETED" | "COMPLETE" => Status::Completed,
            "RE-SCHEDULED" | "RESCHEDULED" => Status::Rescheduled,
            "NO-CHANGE" => Status::NoChange,
            "UNKNOWN" => Status::Unknown,
            _ => return Err(Error::bad_value("status", s, "not a maintenance status")),
        })
    }
}

/// Impact of a maintenance on one circuit, worst last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Impact {
    /// No service impact expected.
    #[serde(rename = "NO-IMPACT")]
    NoImpact,
    /// Service stays up but without redundancy.
    #[serde(rename = "REDUCED-REDUNDANCY")]
    ReducedRedundancy,
    /// Service degraded (latency, errors, reduced capacity).
    #[serde(rename = "DEGRADED")]
    Degraded,
    /// Service down (for all or part of the window).
    #[serde(rename = "OUTAGE")]
    Outage,
}

impl Impact {
    /// The canonical upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::NoImpact => "NO-IMPACT",
            Impact::ReducedRedundancy => "REDUCED-REDUNDANCY",
            Impact::Degraded => "DEGRADED",
            Impact::Outage => "OUTAGE",
        }
    }
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Impact {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let k: String = s.trim().to_ascii_uppercase().replace(['_', ' '], "-");
        Ok(match k.as_str() {
            "NO-IMPACT" | "NONE" => Impact::NoImpact,
            "REDUCED-REDUNDANCY" => Impact::ReducedRedundancy,
            "DEGRADED" => Impact::Degraded,
            "OUTAGE" => Impact::Outage,
            _ => return Err(Error::bad_value("impact", s, "not a circuit impact")),
        })
    }
}

/// A maintenance window in UTC; `begin < end` always holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Window {
    begin: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Window {
    /// A window; refuses `end <= begin` with [`Error::BadValue`].
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// let b = Utc.with_ymd_and_hms(2024, 3, 1, 22, 0, 0).unwrap();
    /// let e = Utc.with_ymd_and_hms(2024, 3, 2, 4, 0, 0).unwrap();
    /// let w = mnp_core::Window::new(b, e).unwrap();
    /// assert_eq!(w.seconds(), 6 * 3600);
    /// assert!(mnp_core::Window::new(e, b).is_err());
    /// ```
    pub fn new(begin: DateTime<Utc>, end: DateTime<Utc>) -> Result<Window, Error> {
        if end <= begin {
            return Err(Error::bad_value(
                "window",
                format!("{} .. {}", begin.to_rfc3339(), end.to_rfc3339()),
                "end is not after begin",
            ));
        }
        Ok(Window { begin, end })
    }
    /// Start of the window.
    pub fn begin(&self) -> DateTime<Utc> {
        self.begin
    }
    /// End of the window.
    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }
    /// Length in seconds.
    pub fn seconds(&self) -> i64 {
        (self.end - self.begin).num_seconds()
    }
    /// The overlap of two windows, if any.
    pub fn intersect(&self, other: &Window) -> Option<Window> {
        let b = self.begin.max(other.begin);
        let e = self.end.min(other.end);
        (b < e).then_some(Window { begin: b, end: e })
    }
}

/// One circuit named in a notice and the impact announced for it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CircuitImpact {
    /// The carrier's id for the circuit, trimmed.
    pub vendor_circuit_id: String,
    /// Announced impact.
    pub impact: Impact,
}

impl CircuitImpact {
    /// A circuit with its impact; the id is trimmed.
    pub fn new(id: impl AsRef<str>, impact: Impact) -> Self {
        CircuitImpact {
            vendor_circuit_id: id.as_ref().trim().to_string(),
            impact,
        }
    }
}

/// One maintenance as announced by a carrier.
///
/// Serialised (the `--view maintenance` shape) with camelCase names and the
/// window as `beginWindow`/`endWindow` (RFC 3339 UTC, `null` when the notice
/// gives none, e.g. a cancellation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "MaintenanceWire", try_from = "MaintenanceWire")]
pub struct Maintenance {
    /// Who sends the notice (vendor id or the calendar's provider text).
    pub provider: String,
    /// Customer account at the carrier, empty if not stated.
    pub account: String,
    /// The carrier's reference for the maintenance.
    pub maintenance_id: String,
    /// Lifecycle status.
    pub status: Status,
    /// The window, absent when the notice gives none.
    pub window: Option<Window>,
    /// Expected outage inside the window in seconds, when the notice says
    /// (e.g. "1 x 3 hours interruption" in a 4-hour window).
    pub impact_seconds: Option<i64>,
    /// Circuits and their impact (may be empty for cancellations).
    pub circuits: Vec<CircuitImpact>,
    /// When the notice was issued.
    pub stamp: Option<DateTime<Utc>>,
    /// Revision number, higher is newer.
    pub sequence: Option<i64>,
    /// Short human summary.
    pub summary: String,
    /// Organizer address or name.
    pub organizer: String,
    /// Calendar UID or another stable unique id of this notice.
    pub uid: String,
}

impl Maintenance {
    /// An empty maintenance for `provider` with status UNKNOWN, to fill in.
    pub fn new(provider: impl Into<String>) -> Self {
        Maintenance {
            provider: provider.into(),
            account: String::new(),
            maintenance_id: String::new(),
            status: Status::Unknown,
            window: None,
            impact_seconds: None,
            circuits: Vec::new(),
            stamp: None,
            sequence: None,
            summary: String::new(),
            organizer: String::new(),
            uid: String::new(),
        }
    }

    /// The forecast events of this maintenance: one per circuit (one with no
    /// circuit id when the notice lists none, so a circuit-less cancellation
    /// is still visible downstream).
    pub fn events(&self) -> Vec<MaintForecastEvent> {
        let mk = |c: Option<&CircuitImpact>| MaintForecastEvent {
            object_type: "maintForecastEvent".into(),
            begin_window: self.window.map(|w| w.begin()),
            end_window: self.window.map(|w| w.end()),
            impact_seconds: self.impact_seconds,
            parsed_vendor_circuit_id: c.map(|c| c.vendor_circuit_id.clone()),
            provider: self.provider.clone(),
            vendor_maintenance_id: self.maintenance_id.clone(),
            status: self.status,
            impact: c.map(|c| c.impact),
            notification_helpdesk_ticket_id: None,
            source: None,
        };
        if self.circuits.is_empty() {
            vec![mk(None)]
        } else {
            self.circuits.iter().map(|c| mk(Some(c))).collect()
        }
    }

    /// Conformance check applied to every parser output: ids trimmed and
    /// non-empty, circuit ids trimmed and non-empty, window well-formed.
    /// Returns the list of violations (empty = conformant).
    pub fn conformance(&self) -> Vec<String> {
        let mut v = Vec::new();
        let trimmed_nonempty = |s: &str| !s.is_empty() && s.trim() == s;
        if !trimmed_nonempty(&self.maintenance_id) {
            v.push(format!(
                "maintenance_id {:?} is empty or not trimmed",
                self.maintenance_id
            ));
        }
        if !trimmed_nonempty(&self.provider) {
            v.push(format!(
                "provider {:?} is empty or not trimmed",
                self.provider
            ));
        }
        for c in &self.circuits {
            if !trimmed_nonempty(&c.vendor_circuit_id) {
                v.push(format!(
                    "circuit id {:?} is empty or not trimmed",
                    c.vendor_circuit_id
                ));
            }
        }
        if let Some(w) = self.window
            && w.begin() >= w.end()
        {
            v.push("window begin is not before end".into());
        }
        if let Some(s) = self.impact_seconds
            && s < 0
        {
            v.push(format!("impact_seconds {s} is negative"));
        }
        v
    }
}

/// The wire shape of [`Maintenance`].
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MaintenanceWire {
    provider: String,
    #[serde(default)]
    account: String,
    maintenance_id: String,
    status: Status,
    begin_window: Option<DateTime<Utc>>,
    end_window: Option<DateTime<Utc>>,
    #[serde(default)]
    impact_seconds: Option<i64>,
    #[serde(default)]
    circuits: Vec<CircuitImpact>,
    #[serde(default)]
    stamp: Option<DateTime<Utc>>,
    #[serde(default)]
    sequence: Option<i64>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    organizer: String,
    #[serde(default)]
    uid: String,
}

impl From<Maintenance> for MaintenanceWire {
    fn from(m: Maintenance) -> Self {
        MaintenanceWire {
            provider: m.provider,
            account: m.account,
            maintenance_id: m.maintenance_id,
            status: m.status,
            begin_window: m.window.map(|w| w.begin()),
            end_window: m.window.map(|w| w.end()),
            impact_seconds: m.impact_seconds,
            circuits: m.circuits,
            stamp: m.stamp,
            sequence: m.sequence,
            summary: m.summary,
            organizer: m.organizer,
            uid: m.uid,
        }
    }
}

impl TryFrom<MaintenanceWire> for Maintenance {
    type Error = Error;
    fn try_from(w: MaintenanceWire) -> Result<Self, Error> {
        let window = match (w.begin_window, w.end_window) {
            (Some(b), Some(e)) => Some(Window::new(b, e)?),
            (None, None) => None,
            _ => return Err(Error::MissingField { field: "window" }),
        };
        Ok(Maintenance {
            provider: w.provider,
            account: w.account,
            maintenance_id: w.maintenance_id,
            status: w.status,
            window,
            impact_seconds: w.impact_seconds,
            circuits: w.circuits,
            stamp: w.stamp,
            sequence: w.sequence,
            summary: w.summary,
            organizer: w.organizer,
            uid: w.uid,
        })
    }
}

/// The seed's `maintForecastEvent`: one per (maintenance, circuit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MaintForecastEvent {
    /// Always `maintForecastEvent`.
    pub object_type: String,
    /// Window start (UTC).
    pub begin_window: Option<DateTime<Utc>>,
    /// Window end (UTC).
    pub end_window: Option<DateTime<Utc>>,
    /// Expected outage seconds, when the notice says.
    pub impact_seconds: Option<i64>,
    /// The carrier's circuit id.
    pub parsed_vendor_circuit_id: Option<String>,
    /// The provider.
    pub provider: String,
    /// The carrier's maintenance reference.
    pub vendor_maintenance_id: String,
    /// Status of the maintenance.
    pub status: Status,
    /// Impact on this circuit.
    pub impact: Option<Impact>,
    /// Helpdesk ticket the notice arrived in, when ingested from one.
    pub notification_helpdesk_ticket_id: Option<String>,
    /// Where the notice came from (file path, mailbox, ticket).
    pub source: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn status_names_round_trip() {
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>().unwrap(), s);
            let j = serde_json::to_string(&s).unwrap();
            assert_eq!(j, format!("\"{}\"", s.as_str()));
        }
        assert_eq!("canceled".parse::<Status>().unwrap(), Status::Cancelled);
        assert!("postponed-ish".parse::<Status>().is_err());
    }

    #[test]
    fn maintenance_json_shape() {
        let mut m = Maintenance::new("zayo");
        m.maintenance_id = "TTN-1".into();
        m.status = Status::Confirmed;
        m.window = Some(
            Window::new(
                Utc.with_ymd_and_hms(2024, 1, 2, 3, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2024, 1, 2, 7, 0, 0).unwrap(),
            )
            .unwrap(),
        );
        m.circuits.push(CircuitImpact::new(" C-1 ", Impact::Outage));
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(v["beginWindow"], "2024-01-02T03:00:00Z");
        assert_eq!(v["endWindow"], "2024-01-02T07:00:00Z");
        assert_eq!(v["maintenanceId"], "TTN-1");
        assert_eq!(v["circuits"][0]["vendorCircuitId"], "C-1");
        assert_eq!(v["circuits"][0]["impact"], "OUTAGE");
        let back: Maintenance = serde_json::from_value(v).unwrap();
        assert_eq!(back, m);
        let ev = m.events();
        assert_eq!(ev.len(), 1);
        assert_eq!(
            serde_json::to_value(&ev[0]).unwrap()["objectType"],
            "maintForecastEvent"
        );
    }

    #[test]
    fn wire_refuses_half_window_and_reversed_window() {
        let j = serde_json::json!({"provider":"x","maintenanceId":"1","status":"CONFIRMED","beginWindow":"2024-01-01T00:00:00Z","endWindow":null});
        assert!(serde_json::from_value::<Maintenance>(j).is_err());
        let j = serde_json::json!({"provider":"x","maintenanceId":"1","status":"CONFIRMED","beginWindow":"2024-01-02T00:00:00Z","endWindow":"2024-01-01T00:00:00Z"});
        assert!(serde_json::from_value::<Maintenance>(j).is_err());
    }
}
