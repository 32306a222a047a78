//! # mnp-store: everything mnp keeps, in SQLite or PostgreSQL
//!
//! One [`Store`] API over two backends: SQLite by default (a single file such
//! as `./mnp.db`, no server to run) and PostgreSQL for shared deployments.
//! [`Store::open`] takes a URL (`sqlite:./mnp.db`, a bare path,
//! `sqlite::memory:` or `postgres://user@host/db`); [`Store::migrate`] applies
//! the versioned migrations in [`schema`].
//!
//! The key decision: the store speaks the domain's values (`mnp_core`
//! maintenances, typed rows defined here) and owns all SQL; the ingest, SLA
//! and maxout logic never sees a query. Every query is written once (see
//! [`db`]) and runs unchanged on both backends; table and column names keep
//! the design's camelCase (`MaintForecastEvent."internalCircuitId"`).
//!
//! ```
//! let mut store = mnp_store::Store::open("sqlite::memory:").unwrap();
//! store.migrate().unwrap();
//! assert_eq!(store.schema_version().unwrap(), mnp_store::schema::MIGRATIONS.len() as i64);
//! ```

pub mod db;
mod maxout;
mod queries;
pub mod schema;
mod sla;

use db::{Backend, Db};

pub use maxout::{
    Backoff, MaxoutFilter, MaxoutWrite, NewMail, OutboxMail, StoredDailyPeak, StoredMaxout,
};
pub use queries::{
    Circuit, Customer, ForecastEvent, ForecastFilter, NewNotification, Notification,
    StoredMaintenance,
};
pub use sla::{
    NewOutage, OutageWrite, PortMapping, ProtectionGroup, StoredMeasurement, StoredOutage,
    StoredSla, Subject,
};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database URL is not understood.
    #[error("bad database url {url:?}: {reason}")]
    Url {
        /// The URL given.
        url: String,
        /// Why it is refused.
        reason: String,
    },
    /// The database refused an operation.
    #[error("database error: {0}")]
    Database(String),
    /// A row or schema does not look as expected.
    #[error("schema error: {0}")]
    Schema(String),
    /// Input data (CSV import, seed) is invalid.
    #[error("invalid input at {location}: {reason}")]
    Input {
        /// Where (file:line, field).
        location: String,
        /// Why.
        reason: String,
    },
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Database(e.to_string())
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        // the server's message is the useful part
        match e.as_db_error() {
            Some(db) => Error::Database(format!("{}: {}", db.code().code(), db.message())),
            None => Error::Database(e.to_string()),
        }
    }
}

/// Result alias for the store.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A connection to the mnp database.
pub struct Store {
    db: Db,
    in_tx: bool,
}

impl Store {
    /// Open a database by URL: `sqlite:PATH`, `sqlite://PATH`, `sqlite::memory:`,
    /// a bare file path, or `postgres://` / `postgresql://`.
    pub fn open(url: &str) -> Result<Store> {
        let u = url.trim();
        let db = if u.starts_with("postgres://") || u.starts_with("postgresql://") {
            let client = postgres::Client::connect(u, postgres::NoTls).map_err(|e| Error::Url {
                url: mnp_core::util::redact_url(u),
                reason: e.to_string(),
            })?;
            Db::Postgres(Box::new(client), Default::default())
        } else {
            let path = u
                .strip_prefix("sqlite://")
                .or_else(|| u.strip_prefix("sqlite:"))
                .unwrap_or(u);
            let conn = if path == ":memory:" || path.is_empty() {
                rusqlite::Connection::open_in_memory()?
            } else {
                rusqlite::Connection::open(path).map_err(|e| Error::Url {
                    url: u.to_string(),
                    reason: e.to_string(),
                })?
            };
            // WAL: readers (mnp serve) never block the ingest writer; a
            // process killed mid-transaction loses that transaction only.
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            conn.busy_timeout(std::time::Duration::from_secs(30))?;
            Db::Sqlite(conn)
        };
        Ok(Store { db, in_tx: false })
    }

    /// Which backend this store uses.
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// Apply pending migrations; returns the versions applied.
    pub fn migrate(&mut self) -> Result<Vec<i64>> {
        schema::migrate(&mut self.db)
    }

    /// The schema version of the database.
    pub fn schema_version(&mut self) -> Result<i64> {
        schema::version(&mut self.db)
    }

    /// Run `f` in one transaction: everything it writes is committed
    /// together, or nothing is (on error, or if the process dies).
    pub fn transaction<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        if self.in_tx {
            return f(self);
        }
        let begin = match self.backend() {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        self.db.batch(begin)?;
        self.in_tx = true;
        let res = f(self);
        self.in_tx = false;
        match res {
            Ok(v) => {
                self.db.batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.db.batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Direct access to the connection (for crates that add their own queries).
    pub fn db(&mut self) -> &mut Db {
        &mut self.db
    }
}
