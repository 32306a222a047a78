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
        header.iter().position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    }

    /// The data rows (all but the header).
    pub fn records(&self) -> impl Iterator<Item = &Vec<String>> {
        self.rows.iter().skip(1)
    }
}

/// Read CSV bytes (comma, or semicolon when the header has more semicolons).
pub fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let semis = first_line.iter().filter(|b| **b == b';').count();
    let commas = first_line.iter().filter(|b| **b == b',').count();
    let delim = if semis > commas { b';' } else { b',' };
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delim).from_reader(bytes);
    let mut rows = Vec::new();
    for rec in rdr.byte_records() {
        let rec = rec.map_err(|e| Error::bad_value("csv attachment", "", e.to_string()))?;
        rows.push(rec.iter().map(|c| String::from_utf8_lossy(c).trim().to_string()).collect());
    }
    Ok(rows)
}

/// Read every sheet of an XLSX workbook.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<(String, Vec<Vec<String>>)>> {
    let bad = |why: String| Error::bad_value("xlsx attachment", "", why);
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(format!("not a zip archive: {e}")))?;
    let total: u64 = archive.decompressed_size().map(|s| s as u64).unwrap_or(u64::MAX);
    if total > MAX_UNCOMPRESSED {
        return Err(bad(format!("declares {total} bytes uncompressed, over the limit of {MAX_UNCOMPRESSED}")));
    }
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| bad(e.to_string()))?;
        let rows = range.rows().map(|r| r.iter().map(|c| c.to_string().trim().to_string()).collect()).collect();
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
            out.push(Table { name: fname, rows: read_csv(&p.data)? });
        } else if lower.ends_with(".xlsx") || p.mime == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
            for (sheet, rows) in read_xlsx(&p.data)? {
                out.push(Table { name: format!("{fname}#{sheet}"), rows });
            }
        }
    }
    for f in &email.forwarded {
        out.extend(tables(f)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_semicolons_and_quotes() {
        let rows = read_csv(b"Service ID;Impact\n\"IC-1\";Outage\nIC-2 ; No impact\n").unwrap_or_default();
        assert_eq!(rows, vec![vec!["Service ID", "Impact"], vec!["IC-1", "Outage"], vec!["IC-2", "No impact"]]);
    }

    #[test]
    fn garbage_xlsx_is_a_typed_error() {
        assert!(matches!(read_xlsx(b"PK\x03\x04 not really"), Err(Error::BadValue { .. })));
        assert!(matches!(read_xlsx(b""), Err(Error::BadValue { .. })));
    }
}
