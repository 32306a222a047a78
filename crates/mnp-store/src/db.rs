//! One small SQL surface over SQLite (rusqlite) and PostgreSQL (postgres).
//!
//! Every query in this crate is written once, with `$1..$n` placeholders and
//! double-quoted camelCase identifiers, and run through [`Db`]. Parameters and
//! results travel as [`Value`]s. For PostgreSQL the statement is prepared and
//! each value converted to the type the server inferred for its parameter, so
//! the PostgreSQL schema keeps native types (`uuid`, `timestamptz`, `bytea`,
//! `boolean`) while SQLite stores the same values as TEXT/INTEGER/BLOB.

use chrono::{DateTime, SecondsFormat, Utc};
use postgres::types::{ToSql, Type};

use crate::{Error, Result};

/// A parameter or column value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// Integer.
    Int(i64),
    /// Floating point.
    Real(f64),
    /// Text (also UUIDs).
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
    /// Boolean.
    Bool(bool),
    /// A UTC instant.
    Time(DateTime<Utc>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Bytes(v)
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Bytes(v.to_vec())
    }
}
impl From<DateTime<Utc>> for Value {
    fn from(v: DateTime<Utc>) -> Self {
        Value::Time(v)
    }
}
impl From<uuid::Uuid> for Value {
    fn from(v: uuid::Uuid) -> Self {
        Value::Text(v.hyphenated().to_string())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Value::Null)
    }
}

/// Text form of an instant as stored in SQLite: RFC 3339, UTC, `Z`, whole
/// seconds — fixed width, so text order is time order.
pub fn time_text(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// One result row.
#[derive(Debug, Clone)]
pub struct Row {
    // shared by every row of a result: a million-row result must not copy
    // the column names a million times
    cols: std::sync::Arc<[String]>,
    vals: Vec<Value>,
}

/// Whole seconds, as outage, period and maxout instants are kept (the
/// evaluator counts whole seconds, and SQLite stores them that way).
pub(crate) fn whole(t: DateTime<Utc>) -> DateTime<Utc> {
    chrono::SubsecRound::trunc_subsecs(t, 0)
}

/// The value of a NOT NULL column.
fn non_null<T>(name: &str, v: Option<T>) -> Result<T> {
    v.ok_or_else(|| Error::Schema(format!("{name} is NULL")))
}

/// A column holding another type than the query expects.
fn mismatch(name: &str, expected: &str, got: &Value) -> Error {
    Error::Schema(format!("{name}: expected {expected}, got {got:?}"))
}

impl Row {
    fn idx(&self, name: &str) -> Result<usize> {
        self.cols
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| Error::Schema(format!("no column {name:?}")))
    }
    /// A raw value.
    pub fn value(&self, name: &str) -> Result<&Value> {
        let i = self.idx(name)?;
        self.vals
            .get(i)
            .ok_or_else(|| Error::Schema(format!("no value for {name:?}")))
    }
    /// Nullable text.
    pub fn opt_text(&self, name: &str) -> Result<Option<String>> {
        Ok(match self.value(name)? {
            Value::Null => None,
            Value::Text(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Time(t) => Some(time_text(t)),
            other => return Err(mismatch(name, "text", other)),
        })
    }
    /// Text (NULL is an error).
    pub fn text(&self, name: &str) -> Result<String> {
        non_null(name, self.opt_text(name)?)
    }
    /// Nullable integer.
    pub fn opt_int(&self, name: &str) -> Result<Option<i64>> {
        Ok(match self.value(name)? {
            Value::Null => None,
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(i64::from(*b)),
            other => return Err(mismatch(name, "integer", other)),
        })
    }
    /// Integer (NULL is an error).
    pub fn int(&self, name: &str) -> Result<i64> {
        non_null(name, self.opt_int(name)?)
    }
    /// Nullable float.
    pub fn opt_real(&self, name: &str) -> Result<Option<f64>> {
        Ok(match self.value(name)? {
            Value::Null => None,
            Value::Real(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            other => return Err(mismatch(name, "real", other)),
        })
    }
    /// Float (NULL is an error).
    pub fn real(&self, name: &str) -> Result<f64> {
        non_null(name, self.opt_real(name)?)
    }
    /// Boolean (SQLite integers 0/1 accepted).
    pub fn bool(&self, name: &str) -> Result<bool> {
        Ok(match self.value(name)? {
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            other => return Err(mismatch(name, "boolean", other)),
        })
    }
    /// Nullable instant (SQLite text accepted).
    pub fn opt_time(&self, name: &str) -> Result<Option<DateTime<Utc>>> {
        Ok(match self.value(name)? {
            Value::Null => None,
            Value::Time(t) => Some(*t),
            Value::Text(s) => Some(
                DateTime::parse_from_rfc3339(s)
                    .map_err(|e| Error::Schema(format!("{name}: bad time {s:?}: {e}")))?
                    .with_timezone(&Utc),
            ),
            other => return Err(mismatch(name, "time", other)),
        })
    }
    /// Nullable UUID (stored as text on SQLite, `uuid` on PostgreSQL).
    pub fn opt_uuid(&self, name: &str) -> Result<Option<uuid::Uuid>> {
        self.opt_text(name)?
            .map(|s| {
                uuid::Uuid::parse_str(&s)
                    .map_err(|e| Error::Schema(format!("{name}: bad uuid {s:?}: {e}")))
            })
            .transpose()
    }
    /// UUID (NULL is an error).
    pub fn uuid(&self, name: &str) -> Result<uuid::Uuid> {
        non_null(name, self.opt_uuid(name)?)
    }
    /// Instant (NULL is an error).
    pub fn time(&self, name: &str) -> Result<DateTime<Utc>> {
        non_null(name, self.opt_time(name)?)
    }
    /// Bytes.
    pub fn bytes(&self, name: &str) -> Result<Vec<u8>> {
        Ok(match self.value(name)? {
            Value::Bytes(b) => b.clone(),
            Value::Text(s) => s.as_bytes().to_vec(),
            Value::Null => Vec::new(),
            other => return Err(mismatch(name, "bytes", other)),
        })
    }
}

/// Which database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file or memory.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// A database connection.
pub enum Db {
    /// SQLite.
    Sqlite(rusqlite::Connection),
    /// PostgreSQL, with its prepared-statement cache (one round trip per
    /// query instead of two). Boxed: the client is several times the size
    /// of a SQLite connection.
    Postgres(
        Box<postgres::Client>,
        std::collections::HashMap<String, postgres::Statement>,
    ),
}

fn pg_prepare(
    c: &mut postgres::Client,
    cache: &mut std::collections::HashMap<String, postgres::Statement>,
    sql: &str,
) -> Result<postgres::Statement> {
    if let Some(st) = cache.get(sql) {
        return Ok(st.clone());
    }
    let st = c.prepare(sql)?;
    if cache.len() > 512 {
        cache.clear();
    }
    cache.insert(sql.to_string(), st.clone());
    Ok(st)
}

fn sqlite_sql(sql: &str) -> String {
    // `$N` → `?N`: explicit positional parameters in SQLite.
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value as V};
        Ok(ToSqlOutput::Owned(match self {
            Value::Null => V::Null,
            Value::Int(i) => V::Integer(*i),
            Value::Real(f) => V::Real(*f),
            Value::Text(s) => V::Text(s.clone()),
            Value::Bytes(b) => V::Blob(b.clone()),
            Value::Bool(b) => V::Integer(i64::from(*b)),
            Value::Time(t) => V::Text(time_text(t)),
        }))
    }
}

fn pg_param(v: &Value, ty: &Type) -> Result<Box<dyn ToSql + Sync>> {
    let bad = || Error::Schema(format!("cannot bind {v:?} as {ty}"));
    Ok(match *ty {
        Type::INT8 => match v {
            Value::Null => Box::new(None::<i64>),
            Value::Int(i) => Box::new(*i),
            Value::Bool(b) => Box::new(i64::from(*b)),
            _ => return Err(bad()),
        },
        Type::INT4 => match v {
            Value::Null => Box::new(None::<i32>),
            Value::Int(i) => Box::new(i32::try_from(*i).map_err(|_| bad())?),
            _ => return Err(bad()),
        },
        Type::FLOAT8 => match v {
            Value::Null => Box::new(None::<f64>),
            Value::Real(f) => Box::new(*f),
            Value::Int(i) => Box::new(*i as f64),
            _ => return Err(bad()),
        },
        Type::BOOL => match v {
            Value::Null => Box::new(None::<bool>),
            Value::Bool(b) => Box::new(*b),
            Value::Int(i) => Box::new(*i != 0),
            _ => return Err(bad()),
        },
        Type::BYTEA => match v {
            Value::Null => Box::new(None::<Vec<u8>>),
            Value::Bytes(b) => Box::new(b.clone()),
            _ => return Err(bad()),
        },
        Type::TIMESTAMPTZ => match v {
            Value::Null => Box::new(None::<DateTime<Utc>>),
            Value::Time(t) => Box::new(*t),
            Value::Text(s) => Box::new(
                DateTime::parse_from_rfc3339(s)
                    .map_err(|_| bad())?
                    .with_timezone(&Utc),
            ),
            _ => return Err(bad()),
        },
        Type::UUID => match v {
            Value::Null => Box::new(None::<uuid::Uuid>),
            Value::Text(s) => Box::new(uuid::Uuid::parse_str(s).map_err(|_| bad())?),
            _ => return Err(bad()),
        },
        _ => match v {
            Value::Null => Box::new(None::<String>),
            Value::Text(s) => Box::new(s.clone()),
            Value::Int(i) => Box::new(i.to_string()),
            Value::Time(t) => Box::new(time_text(t)),
            _ => return Err(bad()),
        },
    })
}

fn pg_value(row: &postgres::Row, i: usize) -> Result<Value> {
    let ty = row
        .columns()
        .get(i)
        .map(|c| c.type_().clone())
        .unwrap_or(Type::TEXT);
    let e = |e: postgres::Error| Error::Database(e.to_string());
    Ok(match ty {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)
            .map_err(e)?
            .map_or(Value::Null, Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .map_err(e)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .map_err(e)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(i)
            .map_err(e)?
            .map_or(Value::Null, Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)
            .map_err(e)?
            .map_or(Value::Null, |v| Value::Real(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)
            .map_err(e)?
            .map_or(Value::Null, Value::Bool),
        Type::BYTEA => row
            .try_get::<_, Option<Vec<u8>>>(i)
            .map_err(e)?
            .map_or(Value::Null, Value::Bytes),
        Type::TIMESTAMPTZ => row
            .try_get::<_, Option<DateTime<Utc>>>(i)
            .map_err(e)?
            .map_or(Value::Null, Value::Time),
        Type::UUID => row
            .try_get::<_, Option<uuid::Uuid>>(i)
            .map_err(e)?
            .map_or(Value::Null, |u| Value::Text(u.hyphenated().to_string())),
        Type::NUMERIC => row
            .try_get::<_, Option<String>>(i)
            .map_err(e)?
            .map_or(Value::Null, Value::Text),
        _ => row
            .try_get::<_, Option<String>>(i)
            .map_err(e)?
            .map_or(Value::Null, Value::Text),
    })
}

impl Db {
    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(..) => Backend::Postgres,
        }
    }

    /// Run several statements (DDL, transaction control); no parameters.
    pub fn batch(&mut self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(c) => c.execute_batch(sql).map_err(Error::from),
            Db::Postgres(c, _) => c.batch_execute(sql).map_err(Error::from),
        }
    }

    /// Execute one statement; returns the number of rows changed.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        match self {
            Db::Sqlite(c) => {
                let mut st = c.prepare_cached(&sqlite_sql(sql))?;
                Ok(st.execute(rusqlite::params_from_iter(params.iter()))? as u64)
            }
            Db::Postgres(c, cache) => {
                let st = pg_prepare(c, cache, sql)?;
                let boxed = st
                    .params()
                    .iter()
                    .zip(params)
                    .map(|(ty, v)| pg_param(v, ty))
                    .collect::<Result<Vec<_>>>()?;
                let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
                Ok(c.execute(&st, &refs)?)
            }
        }
    }

    /// Run a query and collect its rows.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        match self {
            Db::Sqlite(c) => {
                let mut st = c.prepare_cached(&sqlite_sql(sql))?;
                let cols: std::sync::Arc<[String]> =
                    st.column_names().map(|s| s.to_string()).collect();
                let n = cols.len();
                let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let mut vals = Vec::with_capacity(n);
                    for i in 0..n {
                        use rusqlite::types::ValueRef as V;
                        vals.push(match r.get_ref(i)? {
                            V::Null => Value::Null,
                            V::Integer(x) => Value::Int(x),
                            V::Real(x) => Value::Real(x),
                            V::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                            V::Blob(b) => Value::Bytes(b.to_vec()),
                        });
                    }
                    out.push(Row {
                        cols: cols.clone(),
                        vals,
                    });
                }
                Ok(out)
            }
            Db::Postgres(c, cache) => {
                let st = pg_prepare(c, cache, sql)?;
                let boxed = st
                    .params()
                    .iter()
                    .zip(params)
                    .map(|(ty, v)| pg_param(v, ty))
                    .collect::<Result<Vec<_>>>()?;
                let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
                let rows = c.query(&st, &refs)?;
                let mut out = Vec::with_capacity(rows.len());
                let cols: std::sync::Arc<[String]> =
                    st.columns().iter().map(|c| c.name().to_string()).collect();
                for r in &rows {
                    let vals = (0..cols.len())
                        .map(|i| pg_value(r, i))
                        .collect::<Result<Vec<_>>>()?;
                    out.push(Row {
                        cols: cols.clone(),
                        vals,
                    });
                }
                Ok(out)
            }
        }
    }

    /// First row of a query, if any.
    pub fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_explicit_positions() {
        assert_eq!(
            sqlite_sql(r#"SELECT $2, "a$b", $10"#),
            r#"SELECT ?2, "a$b", ?10"#
        );
    }
}
