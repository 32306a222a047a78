//! Circuit ids in a notice: ids the operator's inventory knows, else values
//! next to circuit labels (`Circuit ID: X`, `Service(s) Impacted: X`) or in
//! the column under a circuit header cell. A circuit's impact is read from
//! its own table row when the row says one (`Hard Down`, `At risk only`).
//!
//! Carriers write ids with spaces (`123 456 789`, `SNG SYD EPL 9876543`,
//! `/ABCD/123456/ /XYZ /`), so a cell or labelled value is kept whole when
//! it reads as one id, and split only when it reads as a list.

use std::sync::LazyLock;

use mnp_core::Impact;
use regex::Regex;

use super::{Inventory, id_shaped, impact_value, trim_token};
use crate::helpers::words;

/// A circuit found, with the line it came from and the impact its own row
/// states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FoundCircuit {
    pub id: String,
    pub source: String,
    pub impact: Option<Impact>,
    /// Read from a weak clue (a `Services affected` column, a bare list, a
    /// forwarded subject line), not a circuit label.
    pub weak: bool,
    /// The row's words name more than one impact.
    pub ambiguous: bool,
}

static CIRCUIT_LABEL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)\b(?:
          # Circuit ID, CID, Ckt #, Circuits
          (?:circuit|cid|ckt)s?(?:[\ \t]+(?:id|ids|identifier|reference|ref|number|no\.?|\#))?
          # Service ID, Link Ref, Connection Number
          | (?:service|product|link|connection|access|port)[\ \t]+(?:id|ids|identifier|reference|ref|number|no\.?|\#)
          # Services Impacted, Circuit(s) Affected
          | (?:circuit|service|link|port)s?(?:\(s\))?[\ \t]+(?:impacted|affected)
          # Affected Services, Impacted Circuit(s), Your Ports
          | (?:affected|impacted|your)[\ \t]+(?:circuit|service|link|port|connection|line)s?
          # a bare Service / Services / Links at the start of a line
          | (?P<bare>services?|liens|links|lignes|leitungen|enlaces|ligações)
          # ITIL tickets: Configuration items (affected)
          | configuration[\ \t]+items?(?:[\ \t]+affected)?
          # Affected capacity
          | affected[\ \t]+capacit(?:y|ies)
          # German, Spanish, Portuguese, French, Italian, Dutch
          | (?:betroffene[\ \t]+|betrokken[\ \t]+)?(?:leitung(?:en|s-?id|snummer)?|dienste|verbindungen|verbinding(?:en)?)
          | us[lł]ug[aiy]
          | (?:circuitos?|servicios?|servi[cç]os?|enlaces?)(?:[\ \t]+(?:afectados?|afetados?|impactados?))?
          | (?:circuits?|liaisons?|liens?|services?)(?:\(s\))?[\ \t]+(?:concern[ée]e?s?|impact[ée]e?s?)
          | circuiti(?:[\ \t]+interessati)?
          | verbinding(?:en)?
          # Polish: Identyfikatory łączy objętych pracami
          | (?:identyfikatory[\ \t]+)?(?:łącz[ayei]?|lacz[ayei]?)
          # a designation column or label (Designação, Designation)
          | d[ée]signa(?:tions?|ção|cao|ções|coes)
        )(?:\((?:s|en|e|es)\))?(?:[\ \t]+\([a-z]{1,5}\))?(?:[\ \t]+\p{L}+){0,3}?(?:[\ \t]*\([^)\n]{1,60}\))?(?:[\ \t]*(?:[:\#=]|\t|$)|\ {2,})",
    )
    .ok()
});

/// Header cells naming a circuit column, best first; the qualified ones
/// (`Alt Circuit ID`) are read only when the others give nothing.
static HEADER: LazyLock<[Option<Regex>; 4]> = LazyLock::new(|| {
    [
        Regex::new(r"(?i)^(?:(?:circuit|cid|ckt)s?(?:[ /_-]?(?:id|ids|identifier|number|no\.?|#|asset|reference|ref))?(?:\(s\))?|d[ée]signa(?:tion|ção|cao)|circuito|leitungs?-?id|usługa|service[ _-]?id|verbinding(?:en)?|(?:id|n[º°o]\.?|n[uú]mero)[ _-]?(?:de[ _-]?|del[ _-]?)?(?:circuito|circuit|servicio|serviço|service|enlace))$").ok(),
        Regex::new(r"(?i)^(?:service|product|link|connection|access)[ _-]?(?:id|ids|identifier|number|no\.?|#|serial(?: #| no\.?| number)?)(?:\(s\))?(?:[ \t]+\([a-z]{1,5}\))?$").ok(),
        Regex::new(r"(?i)^(?:(?:circuits?|services?|links?)(?:\(s\))?[ \t]+(?:affected|impacted)|services?)$").ok(),
        Regex::new(r"(?i)^(?:alt(?:ernate|\.)?|legacy|old|customer|cust\.?)[ \t]+(?:circuit|cid|ckt)s?(?:[ /_-]?(?:id|ids|identifier|number|no\.?|#))?(?:\(s\))?$").ok(),
    ]
});

/// Cell values that stand for no id.
const PLACEHOLDERS: &[&str] = &["n/a", "na", "none", "-", "_", "tbd", "tba", "various"];

/// A token that only qualifies a longer id (`ZYO`, `/`, `123`, `EPL`).
fn minor(t: &str) -> bool {
    t.chars().count() <= 4 && !t.chars().any(|c| c.is_lowercase())
}

static BRACKETED: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\s\([^)\n]*\)").ok());

/// The ids in a cell or labelled value: pieces split at `,;|`, each kept
/// whole when it reads as one id (one main token and short qualifiers),
/// else split into its id-shaped tokens.
pub(super) fn split_value(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    // "PTY-DAV 1GE 001207 (impacto previsto: …)", "NRW-L2-00412 (Warszawa
    // - Białystok, L2VPN 1 Gb/s)": what stands in brackets describes the id
    let unbracketed;
    let value = match BRACKETED.as_ref() {
        Some(r) if value.contains(" (") => {
            unbracketed = r.replace_all(value, "").into_owned();
            unbracketed.as_str()
        }
        _ => value,
    };
    for piece in value.split([',', ';', '|']) {
        let piece = piece.find(" (").map_or(piece, |i| &piece[..i]);
        let p = piece.trim_matches(|c: char| c.is_whitespace() || "()[]\"'*.:".contains(c));
        if p.is_empty()
            || !p.chars().any(|c| c.is_ascii_digit())
            || words::whole(p, PLACEHOLDERS)
            || DURATION.as_ref().is_some_and(|r| r.is_match(p))
        {
            continue;
        }
        let toks: Vec<&str> = p.split_whitespace().collect();
        let plain = |t: &str| {
            t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_/.#".contains(c))
        };
        // a word of letters (`SKR-TYO-OSA`, `KW`) or a speed (`10G`) only
        // qualifies the one id beside it: `SKR-TYO-OSA 10G 00231`
        let qualifier = |t: &str| {
            t.chars().all(|c| c.is_ascii_uppercase() || c == '-') || super::looks_like_bandwidth(t)
        };
        let one_id = toks.len() > 1
            && toks.len() <= 5
            && toks.iter().filter(|t| id_shaped(t)).count() == 1
            && toks.iter().all(|t| id_shaped(t) || qualifier(t));
        let whole = toks.len() > 1
            && toks.len() <= 6
            && toks.iter().all(|t| plain(t))
            && (toks.iter().filter(|t| !minor(t)).count() <= 1 || one_id);
        if toks.len() == 1 {
            let t = trim_token(p);
            if id_shaped(t) {
                out.push(if plain(p) && p.len() > t.len() && p.contains('/') {
                    p.to_string()
                } else {
                    t.to_string()
                });
            }
        } else if whole {
            out.push(p.to_string());
        } else {
            out.extend(
                toks.iter()
                    .map(|t| trim_token(t))
                    .filter(|t| id_shaped(t))
                    .map(str::to_string),
            );
        }
    }
    out
}

/// Whether `line` gives `token` as the notice's own reference
/// (`Maintenance #: 123456789`): a number the carrier reuses is no circuit.
fn labelled_as_id(line: &str, token: &str) -> bool {
    super::ID_LABEL.as_ref().is_some_and(|re| {
        re.captures_iter(line)
            .any(|c| c.name("id").is_some_and(|m| m.as_str() == token))
    })
}

/// Circuits from the inventory: single tokens and runs of up to six
/// adjacent tokens (ids written with spaces: `JF NEU BIE 0007 02`).
pub(super) fn from_inventory(inv: &Inventory, body: &str) -> Vec<FoundCircuit> {
    let mut out: Vec<FoundCircuit> = Vec::new();
    if inv.is_empty() {
        return out;
    }
    for line in body.lines() {
        let toks: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || ",;|()<>[]\"'=".contains(c))
            .map(trim_token)
            .filter(|t| !t.is_empty())
            .collect();
        for n in 1..=6 {
            for w in toks.windows(n) {
                let joined = w.join(" ");
                if let Some(id) = inv.lookup(&joined)
                    && !out.iter().any(|c| c.id == id)
                    && !labelled_as_id(line, &joined)
                {
                    out.push(FoundCircuit {
                        id: id.to_string(),
                        source: line.trim().to_string(),
                        impact: None,
                        weak: false,
                        ambiguous: false,
                    });
                }
            }
        }
    }
    out
}

/// The circuit columns of a header row, best first, each with whether its
/// header is only a weak clue (`Services affected`, `Alt Circuit ID`).
fn header_cols(cells: &[&str]) -> Vec<(usize, bool)> {
    let mut out: Vec<(usize, bool)> = Vec::new();
    for (tier, re) in HEADER.iter().enumerate() {
        let Some(re) = re.as_ref() else { continue };
        for (i, c) in cells.iter().enumerate() {
            // "回線番号/Circuit No.": a bilingual cell, either half
            let matches = re.is_match(c)
                || !c.is_ascii() && c.split('/').any(|part| re.is_match(part.trim()));
            if c.len() < 60
                && !c.chars().any(|ch| ch.is_ascii_digit())
                && matches
                && !out.iter().any(|(j, _)| *j == i)
            {
                out.push((i, tier >= 2));
            }
        }
    }
    out
}

/// Most header cells a flattened table is rebuilt from.
const MAX_COLUMNS: usize = 30;

/// Whether `line` could be a column header cell: short, no digits.
fn header_like(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.len() <= 40 && !t.chars().any(|c| c.is_ascii_digit())
}

/// A table flattened to one cell per line (header cells, then as many value
/// cells) turned back into two tab-separated rows, when one header cell
/// names a circuit column. `lines[start..]` is tried; returns the rows and
/// the number of lines they replace.
pub(super) fn vertical_table(lines: &[&str], start: usize) -> Option<(String, usize)> {
    let rest = lines.get(start..)?;
    // at most MAX_COLUMNS cells: a longer run of short lines is prose or a
    // list, and trying every split of it at every line would be cubic
    let run = rest
        .iter()
        .take(MAX_COLUMNS + 1)
        .take_while(|l| header_like(l))
        .count()
        .min(MAX_COLUMNS);
    // the values start with the first line that is no header cell
    if !rest
        .get(run)
        .is_some_and(|l| l.len() <= 60 && l.chars().any(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let cells: Vec<&str> = rest.iter().take(run).map(|l| l.trim()).collect();
    if run < 4 || !header_cols(&cells).iter().any(|(_, weak)| !weak) {
        return None;
    }
    // the first value cells may look like header cells too ("ACME"): the
    // split that leaves the fewest header cells without a value wins
    let mut best: Option<(usize, Vec<&str>, Vec<&str>)> = None;
    for n in 4..=run {
        let heads: Vec<&str> = rest.iter().take(n).map(|l| l.trim()).collect();
        let Some(col) = header_cols(&heads)
            .into_iter()
            .find_map(|(c, weak)| (!weak).then_some(c))
        else {
            continue;
        };
        let values: Vec<&str> = rest
            .iter()
            .skip(n)
            .take(n)
            .take_while(|l| !l.trim().is_empty() && l.len() <= 60)
            .map(|l| l.trim())
            .collect();
        let missing = n - values.len();
        // the circuit column's value must look like an id
        if missing > 2
            || !values
                .get(col)
                .is_some_and(|v| v.chars().any(|c| c.is_ascii_digit()))
            || best.as_ref().is_some_and(|(m, _, _)| *m < missing)
        {
            continue;
        }
        best = Some((missing, heads, values));
    }
    let (_, heads, values) = best?;
    Some((
        format!("{}\n{}\n", heads.join("\t"), values.join("\t")),
        heads.len() + values.len(),
    ))
}

static DURATION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^\d+(?:[.,]\d+)?\s*(?:hours?|hrs?|minutes?|mins?|days?|seconds?|secs?|ms|gbps|mbps|g|gig|m)\b").ok()
});

/// Id-shaped values next to circuit labels: `Circuit ID: X, Y` on a line,
/// the lines after a bare label, or the column under a circuit header cell.
pub(super) fn labelled(body: &str) -> Vec<FoundCircuit> {
    let Some(label) = CIRCUIT_LABEL.as_ref() else {
        return Vec::new();
    };
    let lines: Vec<&str> = body.lines().collect();
    let mut out: Vec<FoundCircuit> = Vec::new();
    let push = |id: String, src: &str, weak: bool, out: &mut Vec<FoundCircuit>| {
        if !out.iter().any(|c| c.id == id) {
            out.push(FoundCircuit {
                id,
                source: src.trim().to_string(),
                impact: None,
                weak,
                ambiguous: false,
            });
        }
    };
    let mut skip_until = 0;
    let mut from_headers: Vec<FoundCircuit> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i < skip_until {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        // a table header: take the column under the circuit cell
        let mut any = false;
        for (col, weak) in if cells.len() > 1 {
            header_cols(&cells)
        } else {
            Vec::new()
        } {
            for (k, next) in lines.iter().enumerate().skip(i + 1) {
                let row: Vec<&str> = next.split('\t').map(str::trim).collect();
                if row.len() < 2 {
                    break;
                }
                skip_until = k + 1;
                if let Some(cell) = row.get(col) {
                    for id in split_value(cell) {
                        any = true;
                        push(id, next, weak, &mut out);
                    }
                }
            }
            if any {
                break;
            }
        }
        if any {
            continue;
        }
        if let Some(c) = label.captures(line)
            && let Some(m) = c.get(0)
        {
            // a label that starts its line ("Circuits:", "* Affected
            // services:"), not a word in a sentence
            // (a bilingual label "■ 対象回線 / Affected circuit" too: what
            // comes before holds no Latin letters or digits)
            // and "Usługa / Service:": a label in another language first
            let prefix = line.get(..m.start()).unwrap_or("");
            let at_start = !prefix.chars().any(|ch| ch.is_ascii_alphanumeric())
                || prefix.trim_end().ends_with('/')
                    && prefix.chars().count() <= 40
                    && !prefix.contains(':');
            if c.name("bare").is_some() && !at_start {
                continue;
            }
            let rest = line.get(m.end()..).unwrap_or("");
            let ids = split_value(rest);
            if header_line(line) {
                for id in ids {
                    push(id, line, true, &mut from_headers);
                }
            } else if !ids.is_empty() {
                for id in ids {
                    push(id, line, false, &mut out);
                }
                // a value cell with one id per line (`<br>` in a table
                // cell): the lines right after that are ids and nothing else
                for next in lines.iter().skip(i + 1).take(50) {
                    let t = next.trim();
                    let item = list_item(next);
                    if t.is_empty() || t.contains('\t') || t.contains(':') {
                        break;
                    }
                    let more = split_value(item);
                    if more.len() != 1 || more.first().map(String::as_str) != Some(item) {
                        break;
                    }
                    for id in more {
                        push(id, next, false, &mut out);
                    }
                }
            } else if rest.trim().is_empty() && at_start {
                // value on the following non-empty lines (a list, or the
                // value cell of a key/value table rendered one per line)
                for next in lines.iter().skip(i + 1).take(20) {
                    if next.trim().trim_start_matches('>').trim().is_empty() {
                        if out.is_empty() {
                            continue;
                        }
                        break;
                    }
                    // a table under the label: its header row is skipped and
                    // the first cell of each row read
                    if next.contains('\t')
                        && out.is_empty()
                        && !next.chars().any(|ch| ch.is_ascii_digit())
                    {
                        let cells: Vec<&str> = next.split('\t').map(str::trim).collect();
                        if header_cols(&cells).is_empty() {
                            continue;
                        }
                        // a header naming its circuit column: read as a table
                        break;
                    }
                    // "-----" under the label
                    if next.trim().chars().all(|c| "-=_~".contains(c)) {
                        continue;
                    }
                    let item = list_item(next);
                    let ids = split_value(item);
                    // a list line starts with its id ("Larchwood NOC |
                    // 1-800-…" after the list is the signature)
                    let starts_with_id =
                        ids.first().is_some_and(|id| item.starts_with(id.as_str()));
                    if !starts_with_id || item.contains(':') {
                        break;
                    }
                    for id in ids {
                        push(id, next, false, &mut out);
                    }
                }
            }
        }
    }
    if out.is_empty() {
        out = listed(&lines);
    }
    if out.is_empty() { from_headers } else { out }
}

/// The first column of a list line: `NLF/ETH/100234   Ethernet 10G   Kassel`
/// or `PLR-2209-ETH (Impact: Outage)` name one id and then describe it.
fn list_item(line: &str) -> &str {
    let t = line
        .trim()
        .trim_start_matches(['>', ' '])
        .trim_start_matches(['*', '-', '•', '·'])
        .trim();
    let end = [
        t.find('\t'),
        t.find("  "),
        t.find(" ("),
        t.find(" - "),
        t.find(" – "),
        t.find(" — "),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(t.len());
    t.get(..end).unwrap_or(t).trim()
}

static LIST_INTRO: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:circuits?|services?|connections?|links?|ports?)\b.{0,60}\b(?:below|following)\b|\b(?:following|below)\b.{0,30}\b(?:circuits?|services?|connections?|links?|ports?)\b").ok()
});

/// A bare list of ids under a sentence that announces it ("your services
/// listed below may become unavailable"): one id per line.
fn listed(lines: &[&str]) -> Vec<FoundCircuit> {
    let Some(intro) = LIST_INTRO.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !intro.is_match(line) {
            continue;
        }
        for next in lines.iter().skip(i + 1).take(50) {
            let t = next.trim();
            if t.is_empty() {
                if out.is_empty() {
                    continue;
                }
                break;
            }
            if t.contains(char::is_whitespace) || !id_shaped(trim_token(t)) {
                break;
            }
            out.push(FoundCircuit {
                id: trim_token(t).to_string(),
                source: format!("{} / {t}", line.trim()),
                impact: None,
                weak: true,
                ambiguous: false,
            });
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

static IMPACT_HEADER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^a-z])(?:impact|effect|outage|service affecting)").ok()
});

/// An id with spaces as the source writes it: rendering HTML to text
/// collapses runs of spaces, but `/ABCD/123456/   /XYZ /` is the id the
/// carrier's records hold.
pub(super) fn as_written(id: &str, sources: &[&str]) -> Option<String> {
    if !id.contains(' ') {
        return None;
    }
    let pattern = id
        .split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join("[ \t\u{a0}]+");
    let re = Regex::new(&pattern).ok()?;
    sources.iter().find_map(|s| {
        let m = re.find(s)?;
        let raw = m.as_str().replace(['\t', '\u{a0}'], " ");
        (raw != id).then_some(raw)
    })
}

/// Whether `line` is a (forwarded) mail header line: ids there are the
/// sender's summary, read only when the notice itself names none.
pub(super) fn header_line(line: &str) -> bool {
    let l = line
        .trim_start_matches([' ', '>', '*'])
        .to_ascii_lowercase();
    ["subject:", "re:", "fw:", "fwd:"]
        .iter()
        .any(|h| l.starts_with(h))
}

/// The impact a circuit's own table row states: in a wide row, the cell
/// under an impact header; in a short `id <TAB> impact` row, the rest of it.
pub(super) fn row_impacts(body: &str, circuits: &mut [FoundCircuit]) {
    let lines: Vec<&str> = body.lines().collect();
    for c in circuits.iter_mut() {
        for (i, line) in lines.iter().enumerate() {
            if line.len() > 400 || !line.contains(c.id.as_str()) {
                continue;
            }
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            let filled = cells.iter().filter(|c| !c.is_empty()).count();
            let said = if filled > 3 {
                // the nearest header above with an impact cell
                lines
                    .get(i.saturating_sub(30)..i)
                    .unwrap_or_default()
                    .iter()
                    .rev()
                    .find_map(|h| {
                        let hc: Vec<&str> = h.split('\t').map(str::trim).collect();
                        (hc.len() > 3 && !h.chars().any(|ch| ch.is_ascii_digit()))
                            .then(|| {
                                hc.iter().position(|x| {
                                    x.len() < 40
                                        && IMPACT_HEADER.as_ref().is_some_and(|r| r.is_match(x))
                                })
                            })
                            .flatten()
                    })
                    .and_then(|col| cells.get(col))
                    .map(|cell| cell.to_string())
            } else {
                let rest = line.replacen(c.id.as_str(), " ", 1);
                let rest = rest.trim();
                (!rest.is_empty() && (line.contains('\t') || rest.len() <= 80))
                    .then(|| rest.to_string())
            };
            if let Some(text) = said
                && let Some((i, ambiguous)) = impact_value(&text)
            {
                c.impact = Some(i);
                // "Switch hit and higher latency": which one counts is the
                // carrier's convention, not something the words decide
                c.ambiguous = ambiguous;
                break;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn ids_with_spaces_stay_whole() {
        assert_eq!(split_value("123 456 789"), ["123 456 789"]);
        assert_eq!(
            split_value(" SNG SYD EPL 9876543 "),
            ["SNG SYD EPL 9876543"]
        );
        assert_eq!(
            split_value("/ABCD/000001/ /XYZ /"),
            ["/ABCD/000001/ /XYZ /"]
        );
    }

    #[test]
    fn lists_are_split() {
        assert_eq!(
            split_value("TEST-FOR-A1-001 TEST-FOR-A1-002"),
            ["TEST-FOR-A1-001", "TEST-FOR-A1-002"]
        );
        assert_eq!(split_value("AB-12, CD-34; N/A"), ["AB-12", "CD-34"]);
        // a ticket after the circuit is not part of it
        assert_eq!(split_value("XY-12345-00 TT#7777"), ["XY-12345-00"]);
        assert_eq!(split_value("ABC-123 on the London ring"), ["ABC-123"]);
    }

    #[test]
    fn row_impact_is_per_circuit() {
        let body =
            "Circuit Id\tExpected Impact\nAB-1\tHard Down - up to 2 hours\nAB-2\tAt risk only\n";
        let mut cs = labelled(body);
        row_impacts(body, &mut cs);
        let got: Vec<(&str, Option<Impact>)> =
            cs.iter().map(|c| (c.id.as_str(), c.impact)).collect();
        assert_eq!(
            got,
            [
                ("AB-1", Some(Impact::Outage)),
                ("AB-2", Some(Impact::ReducedRedundancy))
            ]
        );
    }

    #[test]
    fn header_variants() {
        let body = "Name\tCircuit/Asset\tImpact\nContoso\t23/HCGS/123456/SC\tOutage\n";
        assert_eq!(labelled(body)[0].id, "23/HCGS/123456/SC");
        let body = "Service ID\t\tService Type\n123456789\t\tIX\n";
        assert_eq!(labelled(body)[0].id, "123456789");
        let body = "Service(s) Impacted:\t123 456 789\n";
        assert_eq!(labelled(body)[0].id, "123 456 789");
    }
}
