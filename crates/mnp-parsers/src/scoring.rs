//! Scoring parser output against a reference corpus (`<case>.eml` +
//! `<case>.expected.json`), with the rules of `shared/tools/score-corpus`:
//! a produced maintenance matches an expected one when `maintenanceId`
//! (unless ignored), `status`, `beginWindow`, `endWindow` (as instants) and
//! the set of (`vendorCircuitId`, `impact`) pairs are equal, and `account`
//! too when the expected one is non-empty. Strings compare trimmed; `accept`
//! lists further accepted values; an expected `null` window accepts an absent
//! one. Maintenances pair regardless of order; a case passes when every
//! expected maintenance is matched and nothing extra is produced.
//!
//! Pure: the caller reads the files and passes bytes and JSON.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use mnp_core::{Email, Registry};
use serde_json::Value;

/// Result of one case in both modes.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// Vendor id (the folder name).
    pub vendor: String,
    /// Case name.
    pub case: String,
    /// Passed with routing (no vendor hint).
    pub auto: Result<(), String>,
    /// Passed with the vendor forced.
    pub forced: Result<(), String>,
}

impl CaseResult {
    /// Passed in both modes.
    pub fn passed(&self) -> bool {
        self.auto.is_ok() && self.forced.is_ok()
    }
}

fn norm(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        }
        other => Some(other.to_string()),
    }
}

fn instant(v: Option<&Value>) -> Result<Option<DateTime<Utc>>, ()> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(s.trim())
            .map(|d| Some(d.with_timezone(&Utc)))
            .map_err(|_| ()),
        _ => Err(()),
    }
}

fn circuits(v: Option<&Value>) -> BTreeSet<(Option<String>, Option<String>)> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|c| (norm(c.get("vendorCircuitId")), norm(c.get("impact"))))
                .collect()
        })
        .unwrap_or_default()
}

/// Compare one expected maintenance with one produced: the differing fields.
pub fn compare(exp: &Value, out: &Value, ignore: &BTreeSet<String>) -> Vec<String> {
    let mut bad = Vec::new();
    let accept = |f: &str| -> Vec<Option<String>> {
        exp.get("accept")
            .and_then(|a| a.get(f))
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|x| norm(Some(x))).collect())
            .unwrap_or_default()
    };
    let mut ign = ignore.clone();
    if let Some(a) = exp.get("ignore").and_then(Value::as_array) {
        ign.extend(a.iter().filter_map(|x| x.as_str().map(String::from)));
    }
    for f in ["maintenanceId", "status"] {
        if ign.contains(f) {
            continue;
        }
        let (w, g) = (norm(exp.get(f)), norm(out.get(f)));
        if w != g && !accept(f).contains(&g) {
            bad.push(format!("{f}: want {w:?}, got {g:?}"));
        }
    }
    let no_window = exp
        .get("noWindow")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    for f in ["beginWindow", "endWindow"] {
        if ign.contains(f) {
            continue;
        }
        let got = instant(out.get(f));
        let ok = match (instant(exp.get(f)), got) {
            (_, Err(())) => false,
            (Ok(None), Ok(g)) => g.is_none(),
            (_, Ok(g)) if no_window => g.is_none(),
            (Ok(Some(w)), Ok(g)) => g == Some(w),
            (Err(()), _) => false,
        };
        if !ok {
            bad.push(format!("{f}: want {:?}, got {:?}", exp.get(f), out.get(f)));
        }
    }
    if !ign.contains("circuits") {
        let (w, g) = (circuits(exp.get("circuits")), circuits(out.get("circuits")));
        if w != g {
            bad.push(format!("circuits: want {w:?}, got {g:?}"));
        }
    }
    if !ign.contains("account")
        && let Some(w) = norm(exp.get("account"))
    {
        let g = norm(out.get("account"));
        if g.as_deref() != Some(w.as_str()) && !accept("account").contains(&g) {
            bad.push(format!("account: want {w:?}, got {g:?}"));
        }
    }
    bad
}

/// Score produced maintenances against an `expected.json` value.
pub fn score(expected: &Value, produced: &[Value]) -> Result<(), String> {
    let exps: Vec<&Value> = expected
        .get("maintenances")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let ignore: BTreeSet<String> = expected
        .get("ignore")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if produced.len() != exps.len() {
        return Err(format!(
            "{} maintenances expected, {} produced",
            exps.len(),
            produced.len()
        ));
    }
    // Greedy-with-backtracking perfect matching (cases are small).
    fn assign(
        i: usize,
        exps: &[&Value],
        outs: &[Value],
        used: &mut Vec<bool>,
        ign: &BTreeSet<String>,
    ) -> bool {
        let Some(e) = exps.get(i) else { return true };
        for j in 0..outs.len() {
            if used.get(j).copied().unwrap_or(true) {
                continue;
            }
            if let Some(o) = outs.get(j)
                && compare(e, o, ign).is_empty()
            {
                if let Some(u) = used.get_mut(j) {
                    *u = true;
                }
                if assign(i + 1, exps, outs, used, ign) {
                    return true;
                }
                if let Some(u) = used.get_mut(j) {
                    *u = false;
                }
            }
        }
        false
    }
    let mut used = vec![false; produced.len()];
    if assign(0, &exps, produced, &mut used, &ignore) {
        return Ok(());
    }
    // Explain with the closest pairing for the first unmatched expectation.
    let mut msgs = Vec::new();
    for (i, e) in exps.iter().enumerate() {
        let best = produced
            .iter()
            .map(|o| compare(e, o, &ignore))
            .min_by_key(Vec::len)
            .unwrap_or_default();
        if !best.is_empty() {
            msgs.push(format!("#{}: {}", i + 1, best.join("; ")));
        }
    }
    Err(if msgs.is_empty() {
        "no one-to-one pairing".into()
    } else {
        msgs.join(" | ")
    })
}

/// Parse `raw` (routed, or forced to `vendor`) into the maintenance-view JSON
/// the scorer compares. A mail refused as not-maintenance yields no records.
pub fn produce(reg: &Registry, raw: &[u8], vendor: Option<&str>) -> Result<Vec<Value>, String> {
    let email = Email::parse(raw).map_err(|e| e.to_string())?;
    match reg.parse(&email, vendor) {
        Ok(p) => Ok(p
            .maintenances
            .iter()
            .filter_map(|m| serde_json::to_value(m).ok())
            .collect()),
        Err(e) if e.is_not_maintenance() => Ok(Vec::new()),
        Err(e) => Err(e.to_string()),
    }
}

/// Score one case in both modes.
pub fn score_case(
    reg: &Registry,
    vendor: &str,
    case: &str,
    raw: &[u8],
    expected: &Value,
) -> CaseResult {
    let run = |v: Option<&str>| produce(reg, raw, v).and_then(|out| score(expected, &out));
    CaseResult {
        vendor: vendor.to_string(),
        case: case.to_string(),
        auto: run(None),
        forced: run(Some(vendor)),
    }
}

/// The per-vendor conformance table (Markdown) for a set of results.
pub fn markdown_table(results: &[CaseResult]) -> String {
    let mut vendors: Vec<&str> = results.iter().map(|r| r.vendor.as_str()).collect();
    vendors.dedup();
    let mut s =
        String::from("| vendor | cases | auto | forced | both |\n|---|---:|---:|---:|---:|\n");
    let (mut ta, mut tf, mut tb) = (0, 0, 0);
    for v in &vendors {
        let rs: Vec<&CaseResult> = results.iter().filter(|r| r.vendor == *v).collect();
        let a = rs.iter().filter(|r| r.auto.is_ok()).count();
        let f = rs.iter().filter(|r| r.forced.is_ok()).count();
        let b = rs.iter().filter(|r| r.passed()).count();
        ta += a;
        tf += f;
        tb += b;
        s.push_str(&format!("| {v} | {} | {a} | {f} | {b} |\n", rs.len()));
    }
    let n = results.len();
    let pct = |x: usize| {
        if n == 0 {
            0.0
        } else {
            100.0 * x as f64 / n as f64
        }
    };
    s.push_str(&format!(
        "| **total** | {n} | {ta} ({:.1}%) | {tf} ({:.1}%) | {tb} ({:.1}%) |\n",
        pct(ta),
        pct(tf),
        pct(tb)
    ));
    s
}
