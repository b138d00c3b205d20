//! The database handle: one pool over SQLite or PostgreSQL through sqlx's
//! `Any` driver, the schema migrations of each, and the mapping of database
//! failures to API errors.
//!
//! Both backends run the same SQL: `$n` placeholders (SQLite reads them as
//! numbered parameters), BIGINT times in Unix milliseconds, TEXT ids, and
//! `INSERT … ON CONFLICT`. Writers of a chain (the change feed, the audit log)
//! serialise on their row of `counters`: the first statement of such a
//! transaction updates that row, which takes PostgreSQL's row lock and
//! SQLite's write lock until commit, so numbers become visible in order.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

/// Which database the platform runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A database URL that the platform accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbUrl {
    backend: Backend,
    url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the database URL must start with sqlite: or postgres:// (got {0:?})")]
    UnknownScheme(String),
    #[error("cannot open the database")]
    Connect(#[source] sqlx::Error),
    #[error("cannot bring the database schema up to date")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    #[error("cannot bring the records already stored up to date (files, figures): {0}")]
    Derive(String),
}

impl FromStr for DbUrl {
    type Err = DbError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(rest) = s.strip_prefix("sqlite:") {
            // Create the file on first use; `sqlite:path` and `sqlite://path` both work.
            // The `//` form is rewritten because a URL parser would take the first
            // directory for a host name and lowercase it.
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let sep = if path.contains('?') { '&' } else { '?' };
            let url = if path.contains("mode=") {
                format!("sqlite:{path}")
            } else {
                format!("sqlite:{path}{sep}mode=rwc")
            };
            Ok(DbUrl {
                backend: Backend::Sqlite,
                url,
            })
        } else if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Ok(DbUrl {
                backend: Backend::Postgres,
                url: s.to_owned(),
            })
        } else {
            // Never echo the whole URL: it may carry a password.
            let scheme = s.split(':').next().unwrap_or_default().to_owned();
            Err(DbError::UnknownScheme(scheme))
        }
    }
}

impl DbUrl {
    pub fn backend(&self) -> Backend {
        self.backend
    }
}

/// The pool and the backend it talks to.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Db {
    /// Opens the pool and brings the schema up to date.
    pub async fn open(url: &DbUrl) -> Result<Db, DbError> {
        install_default_drivers();
        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(5));
        let options = match url.backend {
            Backend::Sqlite => options.max_connections(4).after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    Ok(())
                })
            }),
            Backend::Postgres => options.max_connections(16).min_connections(1),
        };
        let pool = options.connect(&url.url).await.map_err(DbError::Connect)?;
        let db = Db {
            pool,
            backend: url.backend,
        };
        db.migrate().await?;
        crate::blobs::lift_inline(&db)
            .await
            .map_err(|e| DbError::Derive(e.message))?;
        for module in crate::modules::MODULES {
            module
                .start(&db)
                .await
                .map_err(|e| DbError::Derive(format!("{}: {}", module.name(), e.message)))?;
        }
        Ok(db)
    }

    /// Begins a transaction that writes. On SQLite it takes the write lock
    /// at once (`BEGIN IMMEDIATE`): a deferred transaction that reads first
    /// fails with SQLITE_BUSY_SNAPSHOT at its first write when another
    /// connection has committed in between, and no busy timeout waits that
    /// out; a sign-in racing a push was refused as "unavailable" that way.
    /// PostgreSQL's row locks need no such care.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    async fn migrate(&self) -> Result<(), DbError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.map_err(DbError::Migrate)
    }
}

/// Whether a database error means "the database is not there right now"
/// (answered 503, worth retrying) rather than a fault in our own SQL.
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            // SQLite busy/locked; PostgreSQL admin shutdown, cannot connect now,
            // connection failures and serialization trouble.
            matches!(
                code.as_ref(),
                "5" | "6" | "517" | "57P01" | "57P02" | "57P03" | "40001" | "40P01"
            ) || code.starts_with("08")
        }
        _ => false,
    }
}

/// SQL assembled at run time from constant fragments and `$n` placeholders
/// only; values always travel as binds, never inside the text.
pub fn assembled(sql: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql)
}

/// `$first, $first+1, … ` placeholders for an `IN (…)` list of `count` values.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($a, $b, …), (…)` placeholders for a multi-row `VALUES` of `rows` rows
/// of `columns` columns each, numbered from `$1`.
pub fn value_rows(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| format!("({})", placeholders(row * columns + 1, columns)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend() {
        let sqlite: DbUrl = "sqlite:data/platform.db"
            .parse()
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(sqlite.backend(), Backend::Sqlite);
        assert_eq!(sqlite.url, "sqlite:data/platform.db?mode=rwc");
        let pg: DbUrl = "postgres://u:p@localhost/mz"
            .parse()
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(pg.backend(), Backend::Postgres);
        let err = "mysql://u:secret@host/db"
            .parse::<DbUrl>()
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("the database URL must start with sqlite: or postgres:// (got \"mysql\")")
        );
    }

    /// A sign-in reads the device before it writes the session; a push that
    /// commits in between must make it wait, not fail.
    #[tokio::test]
    async fn a_transaction_that_reads_then_writes_outlasts_a_concurrent_commit()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let url: DbUrl = format!("sqlite:{}", dir.path().join("p.db").display()).parse()?;
        let db = Db::open(&url).await?;
        let mut tx = db.begin().await?;
        let feed: i64 = sqlx::query_scalar("SELECT value FROM counters WHERE name = 'feed'")
            .fetch_one(&mut *tx)
            .await?;
        let other = {
            let db = db.clone();
            tokio::spawn(async move {
                sqlx::query("UPDATE counters SET value = value + 1 WHERE name = 'audit'")
                    .execute(&db.pool)
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        sqlx::query("UPDATE counters SET value = $1 WHERE name = 'feed'")
            .bind(feed + 1)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        other.await??;
        Ok(())
    }

    #[test]
    fn placeholder_lists() {
        assert_eq!(placeholders(3, 2), "$3, $4");
        assert_eq!(value_rows(2, 2), "($1, $2), ($3, $4)");
    }
}
