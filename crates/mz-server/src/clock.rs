//! The server's clock, which tests can set.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

/// Where "now" comes from: the system, a hand that tests move, or the
/// system moved by an offset (test builds of the desktop app, to live past
/// the divorce cooling-off period).
#[derive(Debug, Clone, Default)]
pub enum Clock {
    #[default]
    System,
    Manual(Arc<AtomicI64>),
    Offset(Arc<AtomicI64>),
}

impl Clock {
    /// A clock that stands at `millis` until moved.
    pub fn manual(millis: i64) -> Clock {
        Clock::Manual(Arc::new(AtomicI64::new(millis)))
    }

    /// The system's time moved by `millis`.
    pub fn offset(millis: i64) -> Clock {
        Clock::Offset(Arc::new(AtomicI64::new(millis)))
    }

    /// Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        match self {
            Clock::System => Utc::now().timestamp_millis(),
            Clock::Manual(at) => at.load(Ordering::SeqCst),
            Clock::Offset(by) => Utc::now().timestamp_millis() + by.load(Ordering::SeqCst),
        }
    }

    /// Moves a manual or offset clock forward; the system clock cannot be moved.
    pub fn advance_ms(&self, millis: i64) {
        if let Clock::Manual(at) | Clock::Offset(at) = self {
            at.fetch_add(millis, Ordering::SeqCst);
        }
    }
}

/// Unix milliseconds as a UTC time.
pub fn to_datetime(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

/// The day in China of a moment in Unix milliseconds (a registration's, a
/// cremation's), never the machine's zone.
pub fn china_date(ms: i64) -> chrono::NaiveDate {
    mz_domain::holiday::china_date(to_datetime(ms))
}
