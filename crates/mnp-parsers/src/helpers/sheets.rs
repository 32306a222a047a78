//! Tables from CSV and XLSX attachments (XLSX read with `calamine`).
//!
//! Some carriers send the circuit list as a spreadsheet. Every attachment
//! named `*.csv` / `*.xlsx` (or typed `text/csv` / the OOXML sheet type) is
//! read into rows of trimmed cell strings. XLSX is a zip archive: before
//! `calamine` inflates anything, the archive's declared uncompressed size is
//! checked against [`MAX_UNCOMPRESSED`], so a zip bomb is refused with a typed
//! error instead of exhausting memory.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use mnp_core::{Email, Error, Result};

/// Largest total uncompressed size of an XLSX archive that will be read.
pub const MAX_UNCOMPRESSED: u64 = 64 * 1024 * 1024;

/// A table read from an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Attachment file name (and sheet name for XLSX, as `file#sheet`).
    pub name: String,
    /// Rows of trimmed cell texts; the first row is usually the header.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Index of the first header cell matching one of `names` (case-insensitive, trimmed).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        let header = self.rows.first()?;
        header
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    }

    /// The data rows (all but the header).
    pub fn records(&self) -> impl Iterator<Item = &Vec<String>> {
        self.rows.iter().skip(1)
    }
}

/// Read CSV text: the delimiter is the one of comma, semicolon or tab that
/// the first line uses most; a byte-order mark is dropped.
pub fn read_csv(text: &str) -> Result<Vec<Vec<String>>> {
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or_default();
    let delim = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| Error::bad_value("csv attachment", "", e.to_string()))?;
        rows.push(rec.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(rows)
}

/// Read every sheet of an XLSX workbook.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<(String, Vec<Vec<String>>)>> {
    let bad = |why: String| Error::bad_value("xlsx attachment", "", why);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| bad(format!("not a zip archive: {e}")))?;
    // Sum the sizes the central directory declares: it carries them even for
    // entries written with data descriptors (as some carriers' files are).
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let size = archive
            .by_index_raw(i)
            .map_err(|e| bad(e.to_string()))?
            .size();
        total = total.saturating_add(size);
    }
    if total > MAX_UNCOMPRESSED {
        return Err(bad(format!(
            "declares {total} bytes uncompressed, over the limit of {MAX_UNCOMPRESSED}"
        )));
    }
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| bad(e.to_string()))?;
        let rows = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string().trim().to_string()).collect())
            .collect();
        out.push((name, rows));
    }
    Ok(out)
}

/// All CSV/XLSX attachment tables of a mail (forwarded messages included).
/// An unreadable attachment is an error: silently skipping it could drop circuits.
pub fn tables(email: &Email) -> Result<Vec<Table>> {
    let mut out = Vec::new();
    for p in email.parts.iter() {
        let fname = p.filename.clone().unwrap_or_default();
        let lower = fname.to_ascii_lowercase();
        if lower.ends_with(".csv") || p.mime == "text/csv" || p.mime == "application/csv" {
            // the charset-decoded text (UTF-16 CSVs exist in the wild)
            let text = p
                .text
                .clone()
                .unwrap_or_else(|| String::from_utf8_lossy(&p.data).into_owned());
            out.push(Table {
                name: fname,
                rows: read_csv(&text)?,
            });
        } else if lower.ends_with(".xlsx")
            || p.mime == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        {
            for (sheet, rows) in read_xlsx(&p.data)? {
                out.push(Table {
                    name: format!("{fname}#{sheet}"),
                    rows,
                });
            }
        }
    }
    for f in &email.forwarded {
        out.extend(tables(f)?);
    }
    Ok(out)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_semicolons_and_quotes() {
        let rows = read_csv("\u{feff}Service ID;Impact\n\"IC-1\";Outage\nIC-2 ; No impact\n")
            .unwrap_or_default();
        assert_eq!(
            rows,
            vec![
                vec!["Service ID", "Impact"],
                vec!["IC-1", "Outage"],
                vec!["IC-2", "No impact"]
            ]
        );
    }

    #[test]
    fn tab_separated() {
        let rows = read_csv("OCN\tService\n1\tX-1\n").unwrap_or_default();
        assert_eq!(rows.get(1).cloned().unwrap_or_default(), vec!["1", "X-1"]);
    }

    #[test]
    fn garbage_xlsx_is_a_typed_error() {
        assert!(matches!(
            read_xlsx(b"PK\x03\x04 not really"),
            Err(Error::BadValue { .. })
        ));
        assert!(matches!(read_xlsx(b""), Err(Error::BadValue { .. })));
    }
}
