//! Throttling of sign-ins, by account, by address and by the two together,
//! with a backoff that doubles.
//!
//! A lock on the account alone would let anyone lock every clerk out by
//! guessing wrong five times for each; so the tight limit is on one account
//! from one address, and the account (from anywhere) and the address (for
//! any account) have wider limits of their own. A key is counted by name,
//! known user or not, so the answer never tells which usernames exist.
//!
//! An attempt is reserved before the password is checked, in one
//! transaction that counts it as a failure: concurrent guesses line up on
//! the key's row and the ones past the limit are refused, instead of all
//! passing a check made before any of them failed. A wrong password blocks
//! the keys it brought to their limit ([`fail`]); a correct one, or a
//! failure of the server, gives the reservation back ([`release`]).

use std::net::IpAddr;

use serde_json::json;
use sqlx::{AnyConnection, Row};

use crate::Db;
use crate::error::{ApiError, ApiResult};

/// Failures within this window count together; a quiet window starts afresh.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// The first block lasts this long, and doubles with every failure after it.
pub const FIRST_BLOCK_MS: i64 = 60 * 1000;
/// No block lasts longer.
pub const LONGEST_BLOCK_MS: i64 = 15 * 60 * 1000;

/// One counted key and the failures it bears before it is blocked.
#[derive(Debug, Clone)]
struct Key {
    name: String,
    limit: i64,
}

/// The keys of one sign-in attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    keys: Vec<Key>,
}

/// One account from one address: a clerk mistyping, or a guesser.
pub const ACCOUNT_FROM_ADDRESS: i64 = 5;
/// One address, any account: a guesser going through the clerks.
pub const ADDRESS: i64 = 20;
/// One account, from anywhere: guesses spread over many addresses.
pub const ACCOUNT: i64 = 50;

impl Attempt {
    pub fn new(username: &str, address: Option<IpAddr>) -> Attempt {
        let address = address.map_or_else(|| "unknown".to_owned(), |a| a.to_string());
        // Names are compared as typed, case and all, like the users table.
        Attempt {
            keys: vec![
                Key {
                    name: format!("pair:{address}|{username}"),
                    limit: ACCOUNT_FROM_ADDRESS,
                },
                Key {
                    name: format!("addr:{address}"),
                    limit: ADDRESS,
                },
                Key {
                    name: format!("user:{username}"),
                    limit: ACCOUNT,
                },
            ],
        }
    }
}

/// How long a key with `failures` (at or past `limit`) stays blocked.
fn block_ms(failures: i64, limit: i64) -> i64 {
    let doublings = (failures - limit).clamp(0, 20);
    (FIRST_BLOCK_MS << doublings).min(LONGEST_BLOCK_MS)
}

/// The answer while a key is blocked: the same for every username.
pub fn blocked(remaining_ms: i64) -> ApiError {
    let minutes = (remaining_ms + 59_999) / 60_000;
    ApiError::new(
        mz_api::ErrorCode::Locked,
        format!("too many failed sign-ins: try again in {minutes} minute(s)"),
    )
    .with_details(json!({ "retry_after_seconds": (remaining_ms + 999) / 1000 }))
}

/// How long an attempt at a key's limit holds the key while its password is
/// checked: the attempts sent with it wait for its outcome.
const HOLD_MS: i64 = 30 * 1000;

/// Reserves an attempt: refused while any of its keys is blocked; otherwise
/// counted as a failure until [`release`] gives it back (a correct password,
/// or a failure of the server rather than of the password). The attempt
/// that brings a key to its limit holds the key until it is decided, so
/// guesses sent at once past the limit are refused, not all checked.
pub async fn reserve(db: &Db, attempt: &Attempt, now: i64) -> ApiResult<()> {
    let mut tx = db.begin().await?;
    // Keys quiet for a whole window, and not blocked, are forgotten.
    sqlx::query("DELETE FROM login_throttle WHERE last_failure < $1 AND blocked_until <= $2")
        .bind(now - WINDOW_MS)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    for key in &attempt.keys {
        let (failures, blocked_until) = counted(&mut tx, &key.name, now).await?;
        if blocked_until > now {
            // Nothing is written: a refused attempt does not lengthen the block.
            return Err(blocked(blocked_until - now));
        }
        let failures = failures + 1;
        let hold = if failures >= key.limit {
            now + HOLD_MS
        } else {
            0
        };
        sqlx::query(
            "UPDATE login_throttle SET failures = $2, last_failure = $3, blocked_until = $4 \
             WHERE key = $1",
        )
        .bind(&key.name)
        .bind(failures)
        .bind(now)
        .bind(hold)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A wrong password: the keys it brought to their limit are blocked, for
/// longer with every failure past it. Returns the longest block set.
pub async fn fail(db: &Db, attempt: &Attempt, now: i64) -> ApiResult<Option<i64>> {
    let mut tx = db.begin().await?;
    let mut longest: Option<i64> = None;
    for key in &attempt.keys {
        let (failures, _) = counted(&mut tx, &key.name, now).await?;
        if failures < key.limit {
            continue;
        }
        let block = block_ms(failures, key.limit);
        longest = Some(longest.map_or(block, |b| b.max(block)));
        sqlx::query("UPDATE login_throttle SET blocked_until = $2 WHERE key = $1")
            .bind(&key.name)
            .bind(now + block)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(longest)
}

/// The failures of `key` within the window and its block, with the row
/// locked for the rest of the transaction.
async fn counted(conn: &mut AnyConnection, key: &str, now: i64) -> ApiResult<(i64, i64)> {
    // The row made if missing, then touched: that takes its lock on
    // PostgreSQL (a concurrent attempt waits here, then reads what this one
    // wrote); SQLite's IMMEDIATE transaction already holds the write lock.
    sqlx::query(
        "INSERT INTO login_throttle (key, failures, last_failure, blocked_until) \
         VALUES ($1, 0, 0, 0) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE login_throttle SET key = key WHERE key = $1")
        .bind(key)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query(
        "SELECT failures, last_failure, blocked_until FROM login_throttle WHERE key = $1",
    )
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Err(ApiError::internal(
            &"the throttle row vanished inside its transaction",
        ));
    };
    let failures: i64 = row.try_get("failures")?;
    let last: i64 = row.try_get("last_failure")?;
    let until: i64 = row.try_get("blocked_until")?;
    let failures = if now - last > WINDOW_MS && until <= now {
        0
    } else {
        failures
    };
    Ok((failures, until))
}

/// Gives a reservation back. A correct password (`correct`): the account's
/// count from this address starts afresh, and the wider keys lose this
/// attempt and any block they had, so an office behind one address is not
/// held back once its clerks sign in. A server failure: the attempt is not
/// counted and its hold is lifted.
pub async fn release(db: &Db, attempt: &Attempt, correct: bool) -> ApiResult<()> {
    let mut tx = db.begin().await?;
    for (i, key) in attempt.keys.iter().enumerate() {
        if i == 0 && correct {
            sqlx::query("DELETE FROM login_throttle WHERE key = $1")
                .bind(&key.name)
                .execute(&mut *tx)
                .await?;
            continue;
        }
        // The hold this attempt may have set goes with it.
        sqlx::query(
            "UPDATE login_throttle SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END, \
             blocked_until = 0 WHERE key = $1",
        )
        .bind(&key.name)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Lifts every block on an account (an administrator's unlock): its count
/// from every address and from anywhere. The addresses' own counts stay.
pub async fn clear_account(conn: &mut AnyConnection, username: &str) -> ApiResult<()> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(format!("user:{username}"))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "DELETE FROM login_throttle WHERE key LIKE 'pair:%' \
         AND substr(key, length(key) - length($1) + 1) = $1",
    )
    .bind(format!("|{username}"))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_doubles_up_to_fifteen_minutes() {
        assert_eq!(block_ms(5, 5), 60_000);
        assert_eq!(block_ms(6, 5), 120_000);
        assert_eq!(block_ms(8, 5), 480_000);
        assert_eq!(block_ms(9, 5), LONGEST_BLOCK_MS);
        assert_eq!(block_ms(500, 5), LONGEST_BLOCK_MS);
    }
}
