//! What can go wrong in the store ([`StoreError`]), and how a database error becomes one: both
//! databases' constraint violations are read the same way.

use hubnet_domain::{BookingError, BookingStatus, InvalidValue};

/// What went wrong in the store, in terms the caller can act on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A booking refused by the database: the space is taken, or the person already holds a
    /// booking of that kind at that time.
    #[error(transparent)]
    Booking(BookingError),
    /// A value that must be unique (an email, a code, a name on a floor) is taken.
    #[error("{0} is already in use")]
    Duplicate(&'static str),
    /// A referenced record does not exist or belongs elsewhere (another organisation or site).
    #[error("a referenced record does not exist or does not belong here")]
    MissingReference,
    /// The change would break a rule of the model.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// The database is unreachable or overloaded; the request may be retried.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a bug or a broken database. Details are for the log only.
    #[error("database error: {0}")]
    Internal(String),
}

/// The refusal of a decision on a booking that is not pending, from its stored status.
pub(crate) fn not_pending(status: &str) -> StoreError {
    match BookingStatus::from_key(status) {
        Some(status) => StoreError::Booking(BookingError::NotPending { status }),
        None => StoreError::Internal(format!("stored booking status is invalid: {status}")),
    }
}

/// Maps a sqlx error to a [`StoreError`], reading constraint violations the same way on both
/// databases. `hint` says what a unique violation is about, when the caller knows.
pub(crate) fn map_error(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StoreError::Unavailable(error.to_string())
        }
        sqlx::Error::Database(db) => {
            let message = db.message();
            let constraint = db.constraint().unwrap_or_default();
            if message.contains("booking_conflict") || constraint == "bookings_no_double_booking" {
                return StoreError::Booking(BookingError::Conflict);
            }
            if message.contains("already_booked_at_that_time") || constraint == "bookings_one_per_kind" {
                return StoreError::Booking(BookingError::AlreadyBookedAtThatTime);
            }
            if message.contains("person_erased") {
                return StoreError::Invalid(InvalidValue::new("person", "person_erased"));
            }
            if message.contains("booking_too_long") || constraint == "bookings_at_most_25_hours" {
                return StoreError::Invalid(InvalidValue::new("end", "a booking lasts at most 25 hours"));
            }
            if db.is_unique_violation() {
                return StoreError::Duplicate(unique_field(message, constraint));
            }
            if db.is_foreign_key_violation() {
                return StoreError::MissingReference;
            }
            // PostgreSQL data exceptions: bad encoding (22021), out-of-range date or number
            // (22008, 22003), unparsable value (22P02). The request's data is at fault.
            if matches!(db.code().as_deref(), Some("22021" | "22008" | "22003" | "22P02")) {
                return StoreError::Invalid(InvalidValue::new("value", message.to_owned()));
            }
            if db.is_check_violation() {
                return StoreError::Invalid(InvalidValue::new("value", message.to_owned()));
            }
            // SQLite: BUSY, LOCKED, BUSY_SNAPSHOT. PostgreSQL: deadlock, serialisation failure,
            // lock not available, too many connections, shutting down, cancelled.
            if matches!(
                db.code().as_deref(),
                Some("5" | "6" | "517" | "40P01" | "40001" | "55P03" | "53300" | "57P01" | "57P03" | "57014")
            ) {
                return StoreError::Unavailable(message.to_owned());
            }
            StoreError::Internal(message.to_owned())
        }
        other => StoreError::Internal(other.to_string()),
    }
}

/// Which field a unique violation is about, from the constraint (PostgreSQL) or the message
/// (SQLite: "UNIQUE constraint failed: people.email").
fn unique_field(message: &str, constraint: &str) -> &'static str {
    let text = if constraint.is_empty() { message } else { constraint };
    if text.contains("external_id") {
        "external_id"
    } else if text.contains("email") {
        "email"
    } else if text.contains("code") {
        "code"
    } else if text.contains("floor_id") || text.contains("spaces_floor_id_name") {
        "name"
    } else if text.contains("role_grants") {
        "role"
    } else {
        "id"
    }
}
