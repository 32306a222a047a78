//! `mnp db` and `mnp circuits`: schema, demo data, inventory import.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Subcommand;
use mnp_core::Registry;
use mnp_store::{Circuit, Customer, Store};

use crate::config::{self, GlobalOpts};

#[derive(Subcommand, Debug)]
pub enum DbCmd {
    /// Create the database (if needed) and apply every migration.
    Init,
    /// Apply pending migrations.
    Migrate,
    /// Load a small realistic demo network (customers and circuits of the corpus vendors).
    Seed,
    /// Show the schema version and row counts.
    Status,
}

#[derive(Subcommand, Debug)]
pub enum CircuitsCmd {
    /// Import circuits from CSV (header: vendor, vendorCircuitId, customer, provisionedBps,
    /// burstBps, slaId, slaEpoch, description). All rows are checked first; any bad row is
    /// reported with its line number and nothing is imported.
    Import {
        /// The CSV file.
        file: PathBuf,
    },
    /// List the inventory.
    List,
}

pub fn run_db(cmd: DbCmd, opts: &GlobalOpts, reg: &Registry) -> anyhow::Result<ExitCode> {
    let url = config::database_url(opts)?;
    let mut out = std::io::stdout().lock();
    match cmd {
        DbCmd::Init | DbCmd::Migrate => {
            let mut s = Store::open(&url).context("cannot open the database")?;
            let applied = s.migrate()?;
            s.sync_vendors(reg)?;
            writeln!(
                out,
                "schema version {} ({} migration(s) applied)",
                s.schema_version()?,
                applied.len()
            )?;
        }
        DbCmd::Seed => {
            let mut s = config::store(opts)?;
            s.sync_vendors(reg)?;
            let (c, k) = seed(&mut s)?;
            writeln!(out, "seeded {c} customers and {k} circuits")?;
        }
        DbCmd::Status => {
            let mut s = config::store(opts)?;
            writeln!(out, "schema version {}", s.schema_version()?)?;
            writeln!(out, "circuits: {}", s.circuits()?.len())?;
            writeln!(out, "maintenances: {}", s.maintenances()?.len())?;
            let ns = s.notifications(None)?;
            writeln!(out, "notifications: {}", ns.len())?;
            let mut labels: std::collections::BTreeMap<&str, usize> = Default::default();
            for n in &ns {
                *labels.entry(n.label.as_str()).or_default() += 1;
            }
            for (l, n) in labels {
                writeln!(out, "  {l}: {n}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The demo network: three customers; circuits named in the project's own
/// fixtures, so ingesting `corpus/` matches most of them.
fn seed(s: &mut Store) -> anyhow::Result<(usize, usize)> {
    let customers = [
        (
            "lakeside-isp",
            "Lakeside ISP",
            "noc@lakeside-isp.example",
            "am.north@mnp-demo.example",
        ),
        (
            "prairie-net",
            "Prairie Net",
            "ops@prairie-net.example",
            "am.central@mnp-demo.example",
        ),
        (
            "acme-widgets",
            "Acme Widgets",
            "it@acme-widgets.example",
            "am.north@mnp-demo.example",
        ),
    ];
    for (id, name, contact, am) in customers {
        s.upsert_customer(&Customer {
            customer_id: id.into(),
            name: name.into(),
            contact_email: Some(contact.into()),
            account_manager_email: Some(am.into()),
            cx_team_email: Some("cx@mnp-demo.example".into()),
        })?;
    }
    let circuits: &[(&str, &str, &str, i64)] = &[
        ("fiberprovider", "IC-40211", "lakeside-isp", 10_000_000_000),
        ("fiberprovider", "IC-40388", "lakeside-isp", 10_000_000_000),
        ("fiberprovider", "IC-40390", "lakeside-isp", 1_000_000_000),
        ("fiberprovider", "IC-51001", "prairie-net", 10_000_000_000),
        ("fiberprovider", "IC-51002", "prairie-net", 1_000_000_000),
        ("fiberprovider", "IC-51003", "prairie-net", 1_000_000_000),
        ("bcop", "BC/IPT/100045", "acme-widgets", 1_000_000_000),
        ("bcop", "BC/WAVE/200311", "acme-widgets", 100_000_000_000),
    ];
    for (vendor, id, customer, bps) in circuits {
        s.upsert_circuit(&Circuit {
            internal_circuit_id: uuid::Uuid::new_v4(),
            vendor_circuit_id: (*id).into(),
            vendor_id: (*vendor).into(),
            customer_id: Some((*customer).into()),
            provisioned_bps: Some(*bps),
            burst_bps: None,
            sla_id: None,
            sla_epoch: None,
            description: "demo".into(),
        })?;
    }
    Ok((customers.len(), circuits.len()))
}

pub fn run_circuits(
    cmd: CircuitsCmd,
    opts: &GlobalOpts,
    reg: &Registry,
) -> anyhow::Result<ExitCode> {
    let mut s = config::store(opts)?;
    let mut out = std::io::stdout().lock();
    match cmd {
        CircuitsCmd::Import { file } => {
            let rows = read_circuits(&file, reg)?;
            let n = rows.len();
            s.sync_vendors(reg)?;
            s.transaction(|s| {
                for (c, _) in &rows {
                    if let Some(cust) = &c.customer_id
                        && s.customer(cust)?.is_none()
                    {
                        s.upsert_customer(&Customer {
                            customer_id: cust.clone(),
                            name: cust.clone(),
                            contact_email: None,
                            account_manager_email: None,
                            cx_team_email: None,
                        })?;
                    }
                    s.upsert_circuit(c)?;
                }
                Ok(())
            })?;
            writeln!(out, "imported {n} circuits from {}", file.display())?;
        }
        CircuitsCmd::List => {
            for c in s.circuits()? {
                writeln!(
                    out,
                    "{}  {:<22} {:<24} {:<16} {}",
                    c.internal_circuit_id,
                    c.vendor_id,
                    c.vendor_circuit_id,
                    c.customer_id.as_deref().unwrap_or("-"),
                    c.provisioned_bps
                        .map(|b| b.to_string())
                        .unwrap_or_else(|| "-".into())
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Parse and validate a circuits CSV; every problem is collected with its line.
pub fn read_circuits(path: &Path, reg: &Registry) -> anyhow::Result<Vec<(Circuit, usize)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .context("cannot read the CSV header")?
        .iter()
        .map(|h| h.to_string())
        .collect();
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let (Some(vc), Some(ic)) = (
        col(&["vendor", "vendorId"]),
        col(&["vendorCircuitId", "circuit", "circuitId"]),
    ) else {
        bail!(
            "{}: the header needs `vendor` and `vendorCircuitId` columns (found {headers:?})",
            path.display()
        );
    };
    let cc = col(&["customer", "customerId"]);
    let pc = col(&["provisionedBps", "capacityBps"]);
    let bc = col(&["burstBps"]);
    let sc = col(&["slaId", "sla"]);
    let ec = col(&["slaEpoch"]);
    let dc = col(&["description"]);
    let mut errors = Vec::new();
    let mut rows: Vec<(Circuit, usize)> = Vec::new();
    let mut seen: std::collections::HashMap<(String, String), usize> = Default::default();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("line {line}: malformed row: {e}"));
                continue;
            }
        };
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
        };
        let vendor_raw = get(Some(vc)).unwrap_or_default();
        let Some(vendor) = reg.get(&vendor_raw).map(|e| e.id.clone()) else {
            errors.push(format!(
                "line {line}: unknown vendor {vendor_raw:?} (see `mnp vendors list`)"
            ));
            continue;
        };
        let Some(id) = get(Some(ic)) else {
            errors.push(format!("line {line}: empty vendorCircuitId"));
            continue;
        };
        let int = |c: Option<usize>, what: &str, errors: &mut Vec<String>| -> Option<i64> {
            let v = get(c)?;
            match v.replace('_', "").parse::<i64>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    errors.push(format!(
                        "line {line}: {what} {v:?} is not a non-negative integer"
                    ));
                    None
                }
            }
        };
        let provisioned = int(pc, "provisionedBps", &mut errors);
        let burst = int(bc, "burstBps", &mut errors);
        let epoch = match get(ec) {
            None => None,
            Some(t) => match chrono::DateTime::parse_from_rfc3339(&t) {
                Ok(d) => Some(d.with_timezone(&chrono::Utc)),
                Err(_) => {
                    errors.push(format!(
                        "line {line}: slaEpoch {t:?} is not an RFC 3339 time"
                    ));
                    None
                }
            },
        };
        let key = (vendor.clone(), mnp_core::util::normalize_circuit_id(&id));
        if let Some(first) = seen.insert(key, line) {
            errors.push(format!(
                "line {line}: duplicate circuit {vendor}/{id} (first on line {first})"
            ));
            continue;
        }
        rows.push((
            Circuit {
                internal_circuit_id: uuid::Uuid::new_v4(),
                vendor_circuit_id: id,
                vendor_id: vendor,
                customer_id: get(cc),
                provisioned_bps: provisioned,
                burst_bps: burst,
                sla_id: get(sc),
                sla_epoch: epoch,
                description: get(dc).unwrap_or_default(),
            },
            line,
        ));
    }
    if !errors.is_empty() {
        bail!(
            "{}: {} invalid row(s), nothing imported:\n  {}",
            path.display(),
            errors.len(),
            errors.join("\n  ")
        );
    }
    Ok(rows)
}
