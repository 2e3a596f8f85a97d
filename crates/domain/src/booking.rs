//! Bookings and the rules that decide whether one may be made.
//!
//! [`check`] applies every rule that depends only on the site, the space, the booker and the
//! clock. The two rules that depend on other bookings (the space is free; the person holds no
//! other booking of the same kind at that time) must be decided inside the write transaction, so
//! the store applies them: [`person_overlap`] is the pure form of the second, and the databases
//! enforce both with constraints.

use chrono::{DateTime, Datelike, Days, Duration, LocalResult, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use crate::holidays::{self, HolidayName};
use crate::{BookingId, DayHours, OrganisationId, PersonId, Site, SiteId, Space, SpaceId, SpaceKind, TimeOfDay};

/// Where a booking is in its life. Active states hold the space; the others free it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Confirmed,
    /// Waiting for a host's decision; holds the space meanwhile.
    PendingApproval,
    CheckedIn,
    Cancelled,
    /// Not checked in in time, and released for others.
    ReleasedNoShow,
    /// A host declined it.
    Declined,
}

impl BookingStatus {
    pub const ALL: [Self; 6] = [
        Self::Confirmed,
        Self::PendingApproval,
        Self::CheckedIn,
        Self::Cancelled,
        Self::ReleasedNoShow,
        Self::Declined,
    ];

    /// Whether the booking holds its space (and counts against the person's one-per-kind rule).
    pub const fn is_active(self) -> bool {
        matches!(self, Self::Confirmed | Self::PendingApproval | Self::CheckedIn)
    }

    pub const fn key(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::PendingApproval => "pending_approval",
            Self::CheckedIn => "checked_in",
            Self::Cancelled => "cancelled",
            Self::ReleasedNoShow => "released_no_show",
            Self::Declined => "declined",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// The longest a booking can last: one day's opening hours, on the day the clocks go back. The
/// databases enforce it too, which lets a search for bookings overlapping a window read only
/// those that start at most this long before it.
pub const MAX_BOOKING_SECONDS: i64 = 25 * 3600;

/// A half-open span of time `[start, end)` in UTC, start before end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
pub struct TimeRange {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl TimeRange {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Self, BookingError> {
        if start >= end || !is_plausible(start) || !is_plausible(end) {
            return Err(BookingError::InvalidTimeRange);
        }
        Ok(Self { start, end })
    }

    pub fn overlaps(self, other: Self) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Part of a day, for bookings made by the day rather than by the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// From opening to closing.
    FullDay,
    /// From opening to noon.
    Morning,
    /// From noon to closing.
    Afternoon,
}

/// When a booking is for, as the booker asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestedTime {
    Range { start: DateTime<Utc>, end: DateTime<Utc> },
    Period { date: NaiveDate, period: Period },
}

/// A booking.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Booking {
    pub id: BookingId,
    pub space_id: SpaceId,
    pub site_id: SiteId,
    /// Whose booking it is.
    pub person_id: PersonId,
    /// Who made it (differs from `person_id` when booked on someone's behalf).
    pub created_by: PersonId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub status: BookingStatus,
    pub created_at: DateTime<Utc>,
    /// A host's decision, once a booking that waited for approval has one.
    pub decision: Option<Decision>,
    /// Waiting for the booker's organisation's approval (its workplace policy asked); the site's
    /// approvers, if the site asks too, decide after it.
    pub awaits_organisation: bool,
}

impl Booking {
    pub const fn range(&self) -> TimeRange {
        TimeRange { start: self.start, end: self.end }
    }
}

/// Why a booking was refused. Each variant has a stable [`code`](BookingError::code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookingError {
    #[error("the booking must start before it ends, on whole minutes, within one day")]
    InvalidTimeRange,
    #[error("the space is not bookable")]
    SpaceNotBookable,
    #[error("the site is not open to the booker's organisation")]
    SiteNotOpenToYou,
    #[error("the site requires registration before the first booking")]
    RegistrationRequired { site_id: SiteId },
    #[error("the booking is in the past")]
    InThePast,
    #[error("bookings open at most {max_days} days ahead")]
    TooFarAhead { max_days: u16 },
    #[error("the site is closed on {date}")]
    SiteClosed { date: NaiveDate, holiday: Option<HolidayName> },
    #[error("outside opening hours ({hours:?})")]
    OutsideOpeningHours { hours: DayHours },
    #[error("the person already holds a booking of this kind at that time")]
    AlreadyBookedAtThatTime,
    #[error("the space is already booked at that time")]
    Conflict,
    #[error("the booking is not waiting for approval (it is {})", status.key())]
    NotPending { status: BookingStatus },
}

impl BookingError {
    /// The stable `snake_case` code, used in the API and as the translation key.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::InvalidTimeRange => "invalid_time_range",
            Self::SpaceNotBookable => "space_not_bookable",
            Self::SiteNotOpenToYou => "site_not_open_to_you",
            Self::RegistrationRequired { .. } => "registration_required",
            Self::InThePast => "in_the_past",
            Self::TooFarAhead { .. } => "too_far_ahead",
            Self::SiteClosed { .. } => "site_closed",
            Self::OutsideOpeningHours { .. } => "outside_opening_hours",
            Self::AlreadyBookedAtThatTime => "already_booked_at_that_time",
            Self::Conflict => "booking_conflict",
            Self::NotPending { .. } => "booking_not_pending",
        }
    }
}

/// Whether an instant lies in the years 1900-9999: beyond them, time zone arithmetic overflows
/// and databases refuse the value, and no booking needs them.
pub fn is_plausible(instant: DateTime<Utc>) -> bool {
    (1900..=9999).contains(&instant.year())
}

/// Whether a calendar date lies in the years 1900-9999 (see [`is_plausible`]).
pub fn is_plausible_date(date: NaiveDate) -> bool {
    (1900..=9999).contains(&date.year())
}

/// How far into the past a clock-time booking may start (a form filled in at 09:02 for 09:00).
pub const START_GRACE: Duration = Duration::minutes(5);
/// The shortest booking.
pub const MIN_DURATION: Duration = Duration::minutes(15);

/// Everything the rules need to know about one booking request.
#[derive(Debug, Clone, Copy)]
pub struct BookingRequest<'a> {
    pub site: &'a Site,
    pub space: &'a Space,
    /// The organisation of the person the booking is for.
    pub organisation: OrganisationId,
    /// Whether that person has registered at the site (matters when the site requires it).
    pub registered: bool,
    pub time: RequestedTime,
    pub now: DateTime<Utc>,
}

/// The outcome of a successful check: when, and in which state the booking starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    pub range: TimeRange,
    pub status: BookingStatus,
}

/// Applies every rule that does not depend on other bookings, in the order a person would want
/// to hear about them: what is asked, where, then when.
pub fn check(request: &BookingRequest<'_>) -> Result<Accepted, BookingError> {
    let BookingRequest { site, space, organisation, registered, time, now } = *request;
    if !space.bookable || space.site_id != site.id {
        return Err(BookingError::SpaceNotBookable);
    }
    if !site.admits(organisation) {
        return Err(BookingError::SiteNotOpenToYou);
    }
    if site.access.registration_required && !registered && organisation != site.organisation_id {
        return Err(BookingError::RegistrationRequired { site_id: site.id });
    }

    // A day that has passed is in the past, whatever else is true of it.
    if let RequestedTime::Period { date, .. } = time
        && date < now.with_timezone(&site.time_zone).date_naive()
    {
        return Err(BookingError::InThePast);
    }
    let (date, range) = resolve(site, time, now)?;
    if (range.end - range.start).num_seconds() > MAX_BOOKING_SECONDS {
        return Err(BookingError::InvalidTimeRange);
    }
    if range.end <= now || (matches!(time, RequestedTime::Range { .. }) && range.start < now - START_GRACE) {
        return Err(BookingError::InThePast);
    }
    let today = now.with_timezone(&site.time_zone).date_naive();
    if date > today + Days::new(u64::from(site.booking_horizon_days)) {
        return Err(BookingError::TooFarAhead { max_days: site.booking_horizon_days });
    }
    let hours = opening_hours_on(site, date)?;
    let (from, to) = local_times(site.time_zone, date, range)?;
    if !hours.contains(from, to) {
        return Err(BookingError::OutsideOpeningHours { hours });
    }
    Ok(Accepted { range, status: initial_status(site, space) })
}

/// A new booking waits for a host's approval when its site or its space asks for it.
pub const fn initial_status(site: &Site, space: &Space) -> BookingStatus {
    if site.access.approval_required || space.approval_required {
        BookingStatus::PendingApproval
    } else {
        BookingStatus::Confirmed
    }
}

/// A host's decision on a booking that waited for approval: who, when, and for a decline, why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Decision {
    pub decided_by: PersonId,
    pub decided_at: DateTime<Utc>,
    /// Why the booking was declined (declined bookings only).
    pub reason: Option<String>,
}

/// What a host decides about a pending booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Decline { reason: DeclineReason },
}

impl Verdict {
    /// The status the booking moves to.
    pub const fn status(&self) -> BookingStatus {
        match self {
            Self::Approve => BookingStatus::Confirmed,
            Self::Decline { .. } => BookingStatus::Declined,
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Approve => None,
            Self::Decline { reason } => Some(reason.as_str()),
        }
    }
}

/// Why a host declined a booking: plain text of 1 to [`DeclineReason::MAX_CHARS`] characters,
/// shown to the booker as it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclineReason(String);

impl DeclineReason {
    pub const MAX_CHARS: usize = 500;

    pub fn parse(text: &str) -> Result<Self, crate::InvalidValue> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > Self::MAX_CHARS {
            return Err(crate::InvalidValue::new("reason", "a reason has 1 to 500 characters"));
        }
        crate::check_plain_text(text, "reason")?;
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The person may not hold two active bookings of the same space kind at overlapping times
/// (one desk at a time). `existing` are the person's active bookings with the kind of each space.
pub fn person_overlap(
    existing: impl IntoIterator<Item = (TimeRange, SpaceKind)>,
    new: TimeRange,
    kind: SpaceKind,
) -> Result<(), BookingError> {
    if existing.into_iter().any(|(range, k)| k == kind && range.overlaps(new)) {
        return Err(BookingError::AlreadyBookedAtThatTime);
    }
    Ok(())
}

/// The site's hours on `date`, or why it is closed.
pub fn opening_hours_on(site: &Site, date: NaiveDate) -> Result<DayHours, BookingError> {
    if site.closed_on_holidays
        && let Some(holiday) = holidays::closing_day_on(site.municipality.country(), date)
    {
        return Err(BookingError::SiteClosed { date, holiday: Some(holiday.name) });
    }
    site.opening_hours.on(date.weekday()).ok_or(BookingError::SiteClosed { date, holiday: None })
}

/// Turns the requested time into a UTC range and the site-local date it falls on.
pub fn resolve(site: &Site, time: RequestedTime, now: DateTime<Utc>) -> Result<(NaiveDate, TimeRange), BookingError> {
    let tz = site.time_zone;
    match time {
        RequestedTime::Range { start, end } => {
            let range = TimeRange::new(start, end)?;
            if end - start < MIN_DURATION || start.timestamp() % 60 != 0 || end.timestamp() % 60 != 0 {
                return Err(BookingError::InvalidTimeRange);
            }
            let date = start.with_timezone(&tz).date_naive();
            // Checked here so that a range spanning midnight is refused as one request, not as
            // "outside opening hours" of whichever day it starts on.
            local_times(tz, date, range)?;
            Ok((date, range))
        }
        RequestedTime::Period { date, period } => {
            if !is_plausible_date(date) {
                return Err(BookingError::InvalidTimeRange);
            }
            let hours = opening_hours_on(site, date)?;
            let (from, to) = match period {
                Period::FullDay => (hours.opens, hours.closes),
                Period::Morning => (hours.opens, hours.closes.min(TimeOfDay::NOON)),
                Period::Afternoon => (hours.opens.max(TimeOfDay::NOON), hours.closes),
            };
            if from >= to {
                return Err(BookingError::OutsideOpeningHours { hours });
            }
            let mut range = TimeRange::new(local_instant(tz, date, from)?, local_instant(tz, date, to)?)?;
            // Booking "today" after opening: the booking starts now (on the minute).
            if range.start < now && now < range.end {
                let minute = now.timestamp() - now.timestamp().rem_euclid(60);
                range.start = DateTime::from_timestamp(minute, 0).unwrap_or(now);
            }
            Ok((date, range))
        }
    }
}

/// The instant of a wall-clock time on a date in a zone. In the autumn hour that occurs twice the
/// earlier is taken; a time that does not exist (the spring gap) is refused.
pub fn local_instant(tz: Tz, date: NaiveDate, time: TimeOfDay) -> Result<DateTime<Utc>, BookingError> {
    let (date, time) = match time.to_naive() {
        Some(t) => (date, t),
        None => (date.succ_opt().ok_or(BookingError::InvalidTimeRange)?, chrono::NaiveTime::MIN),
    };
    match tz.from_local_datetime(&date.and_time(time)) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => Err(BookingError::InvalidTimeRange),
    }
}

/// The wall-clock start and end of `range` on `date`; the end may be 24:00. Fails when the range
/// does not lie within that one local day.
fn local_times(tz: Tz, date: NaiveDate, range: TimeRange) -> Result<(TimeOfDay, TimeOfDay), BookingError> {
    let start = range.start.with_timezone(&tz);
    let end = range.end.with_timezone(&tz);
    if start.date_naive() != date {
        return Err(BookingError::InvalidTimeRange);
    }
    let to = if end.date_naive() == date {
        TimeOfDay::from_naive(end.time())
    } else if date.succ_opt() == Some(end.date_naive()) && end.time() == chrono::NaiveTime::MIN {
        TimeOfDay::END_OF_DAY
    } else {
        return Err(BookingError::InvalidTimeRange);
    };
    Ok((TimeOfDay::from_naive(start.time()), to))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::{AccessTerms, Coordinates, FloorId, LocalizedText, MunicipalityCode, SiteKind, WeeklyHours};

    fn id<T: From<uuid::Uuid>>(n: u128) -> T {
        T::from(uuid::Uuid::from_u128(n))
    }

    fn helsinki_lab() -> Site {
        Site {
            id: id(1),
            code: crate::org::Code::parse("lab", "code").unwrap(),
            kind: SiteKind::SharedOffice,
            organisation_id: id(10),
            name: LocalizedText::new("Työ 2.0 -labra", "Arbete 2.0-labbet", "Work 2.0 Lab", "name").unwrap(),
            address: "Mannerheimintie 1".into(),
            municipality: "FI-091".parse::<MunicipalityCode>().unwrap(),
            coordinates: Coordinates::new(60.17, 24.94).unwrap(),
            time_zone: chrono_tz::Europe::Helsinki,
            opening_hours: WeeklyHours::weekdays("07:00".parse().unwrap(), "20:00".parse().unwrap()).unwrap(),
            closed_on_holidays: true,
            access: AccessTerms::network(),
            price_per_seat_day: None,
            booking_horizon_days: 60,
        }
    }

    fn desk() -> Space {
        Space {
            id: id(2),
            site_id: id(1),
            floor_id: FloorId::from_uuid(uuid::Uuid::from_u128(3)),
            kind: SpaceKind::Desk,
            name: "A1".into(),
            capacity: 1,
            amenities: vec![],
            accessibility: vec![],
            bookable: true,
            assigned_to: None,
            approval_required: false,
        }
    }

    /// Helsinki local time on a date, as UTC.
    fn hki(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Helsinki.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    fn request<'a>(site: &'a Site, space: &'a Space, time: RequestedTime, now: DateTime<Utc>) -> BookingRequest<'a> {
        BookingRequest { site, space, organisation: id(20), registered: false, time, now }
    }

    fn range(start: DateTime<Utc>, end: DateTime<Utc>) -> RequestedTime {
        RequestedTime::Range { start, end }
    }

    fn day(y: i32, m: u32, d: u32, period: Period) -> RequestedTime {
        RequestedTime::Period { date: NaiveDate::from_ymd_opt(y, m, d).unwrap(), period }
    }

    const MONDAY_MORNING: (i32, u32, u32) = (2026, 11, 23);

    fn now() -> DateTime<Utc> {
        let (y, m, d) = MONDAY_MORNING;
        hki(y, m, d, 8, 0)
    }

    #[test]
    fn books_a_whole_day_from_opening_to_closing_in_local_time() {
        let (site, space) = (helsinki_lab(), desk());
        let ok = check(&request(&site, &space, day(2026, 11, 24, Period::FullDay), now())).unwrap();
        assert_eq!(ok.range, TimeRange { start: hki(2026, 11, 24, 7, 0), end: hki(2026, 11, 24, 20, 0) });
        assert_eq!(ok.status, BookingStatus::Confirmed);
    }

    #[test]
    fn splits_the_day_at_noon_for_half_days() {
        let (site, space) = (helsinki_lab(), desk());
        let morning = check(&request(&site, &space, day(2026, 11, 24, Period::Morning), now())).unwrap();
        let afternoon = check(&request(&site, &space, day(2026, 11, 24, Period::Afternoon), now())).unwrap();
        assert_eq!(morning.range.end, hki(2026, 11, 24, 12, 0));
        assert_eq!(afternoon.range.start, hki(2026, 11, 24, 12, 0));
        assert!(!morning.range.overlaps(afternoon.range));
    }

    #[test]
    fn books_an_hourly_slot() {
        let (site, space) = (helsinki_lab(), desk());
        let slot = range(hki(2026, 11, 24, 13, 0), hki(2026, 11, 24, 14, 0));
        assert!(check(&request(&site, &space, slot, now())).is_ok());
    }

    #[test]
    fn refuses_a_booking_at_three_in_the_morning_at_a_site_open_seven_to_twenty() {
        let (site, space) = (helsinki_lab(), desk());
        let night = range(hki(2026, 11, 24, 3, 0), hki(2026, 11, 24, 4, 0));
        let err = check(&request(&site, &space, night, now())).unwrap_err();
        assert_eq!(err.code(), "outside_opening_hours");
    }

    #[test]
    fn refuses_a_booking_that_runs_past_closing() {
        let (site, space) = (helsinki_lab(), desk());
        let late = range(hki(2026, 11, 24, 19, 0), hki(2026, 11, 24, 21, 0));
        assert_eq!(check(&request(&site, &space, late, now())).unwrap_err().code(), "outside_opening_hours");
    }

    #[test]
    fn refuses_a_booking_on_christmas_eve_when_the_site_closes_on_holidays() {
        let (site, space) = (helsinki_lab(), desk());
        let err = check(&request(&site, &space, day(2026, 12, 24, Period::FullDay), now())).unwrap_err();
        assert_eq!(
            err,
            BookingError::SiteClosed {
                date: NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
                holiday: Some(HolidayName::ChristmasEve)
            }
        );
    }

    #[test]
    fn refuses_a_booking_on_midsummer_eve_2027_when_the_site_is_closed() {
        let (mut site, space) = (helsinki_lab(), desk());
        site.booking_horizon_days = 730;
        let eve = range(hki(2027, 6, 25, 9, 0), hki(2027, 6, 25, 10, 0));
        assert_eq!(check(&request(&site, &space, eve, now())).unwrap_err().code(), "site_closed");
    }

    #[test]
    fn accepts_christmas_eve_at_a_site_that_stays_open_on_holidays() {
        let (mut site, space) = (helsinki_lab(), desk());
        site.closed_on_holidays = false;
        assert!(check(&request(&site, &space, day(2026, 12, 24, Period::Morning), now())).is_ok());
    }

    #[test]
    fn refuses_a_saturday_at_an_office_closed_at_weekends() {
        let (site, space) = (helsinki_lab(), desk());
        let err = check(&request(&site, &space, day(2026, 11, 28, Period::FullDay), now())).unwrap_err();
        assert_eq!(
            err,
            BookingError::SiteClosed { date: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(), holiday: None }
        );
    }

    #[test]
    fn refuses_the_past_but_lets_today_start_now() {
        let (site, space) = (helsinki_lab(), desk());
        let last_friday = day(2026, 11, 20, Period::FullDay);
        assert_eq!(check(&request(&site, &space, last_friday, now())).unwrap_err().code(), "in_the_past");
        let earlier_today = range(hki(2026, 11, 23, 7, 0), hki(2026, 11, 23, 7, 30));
        assert_eq!(check(&request(&site, &space, earlier_today, now())).unwrap_err().code(), "in_the_past");
        let late_start = hki(2026, 11, 23, 10, 17) + Duration::seconds(42);
        let today = check(&request(&site, &space, day(2026, 11, 23, Period::FullDay), late_start)).unwrap();
        assert_eq!(today.range.start, hki(2026, 11, 23, 10, 17));
        assert_eq!(today.range.end, hki(2026, 11, 23, 20, 0));
    }

    #[test]
    fn allows_a_few_minutes_of_grace_for_a_slot_that_just_began() {
        let (site, space) = (helsinki_lab(), desk());
        let slot = range(hki(2026, 11, 23, 8, 0), hki(2026, 11, 23, 9, 0));
        assert!(check(&request(&site, &space, slot, now() + Duration::minutes(3))).is_ok());
    }

    #[test]
    fn refuses_bookings_further_ahead_than_the_site_allows() {
        let (site, space) = (helsinki_lab(), desk());
        // 60 days after Monday 23 November 2026 is Friday 22 January 2027.
        assert!(check(&request(&site, &space, day(2027, 1, 22, Period::FullDay), now())).is_ok());
        let err = check(&request(&site, &space, day(2027, 1, 25, Period::FullDay), now())).unwrap_err();
        assert_eq!(err, BookingError::TooFarAhead { max_days: 60 });
    }

    #[test]
    fn refuses_a_fixed_space() {
        let site = helsinki_lab();
        let mut space = desk();
        space.bookable = false;
        space.assigned_to = Some(id(99));
        let err = check(&request(&site, &space, day(2026, 11, 24, Period::FullDay), now())).unwrap_err();
        assert_eq!(err.code(), "space_not_bookable");
    }

    #[test]
    fn refuses_organisations_the_site_does_not_admit() {
        let (mut site, space) = (helsinki_lab(), desk());
        site.access = AccessTerms::owner_only();
        let req = request(&site, &space, day(2026, 11, 24, Period::FullDay), now());
        assert_eq!(check(&req).unwrap_err().code(), "site_not_open_to_you");
        site.access.who = crate::WhoMayBook::Listed;
        site.access.organisations = vec![id(20)];
        let req = request(&site, &space, day(2026, 11, 24, Period::FullDay), now());
        assert!(check(&req).is_ok());
    }

    #[test]
    fn asks_for_registration_then_approval_when_the_site_requires_them() {
        let (mut site, space) = (helsinki_lab(), desk());
        site.access.registration_required = true;
        site.access.approval_required = true;
        let mut req = request(&site, &space, day(2026, 11, 24, Period::FullDay), now());
        assert_eq!(check(&req).unwrap_err().code(), "registration_required");
        req.registered = true;
        assert_eq!(check(&req).unwrap().status, BookingStatus::PendingApproval);
    }

    #[test]
    fn a_space_that_asks_for_approval_makes_its_bookings_wait_even_at_a_site_that_does_not() {
        let (site, mut space) = (helsinki_lab(), desk());
        assert!(!site.access.approval_required);
        space.approval_required = true;
        let ok = check(&request(&site, &space, day(2026, 11, 24, Period::FullDay), now())).unwrap();
        assert_eq!(ok.status, BookingStatus::PendingApproval);
        // ... and its neighbour, which does not ask, is confirmed at once.
        space.approval_required = false;
        let ok = check(&request(&site, &space, day(2026, 11, 24, Period::FullDay), now())).unwrap();
        assert_eq!(ok.status, BookingStatus::Confirmed);
    }

    #[test]
    fn a_registration_refusal_names_the_site_whose_terms_to_accept() {
        let (mut site, space) = (helsinki_lab(), desk());
        site.access.registration_required = true;
        let err = check(&request(&site, &space, day(2026, 11, 24, Period::FullDay), now())).unwrap_err();
        assert_eq!(err, BookingError::RegistrationRequired { site_id: site.id });
    }

    #[test]
    fn a_decline_needs_a_reason_of_plain_text_up_to_500_characters() {
        assert_eq!(DeclineReason::parse("  Full for an event  ").unwrap().as_str(), "Full for an event");
        assert_eq!(DeclineReason::parse("   ").unwrap_err().field, "reason");
        assert!(DeclineReason::parse(&"x".repeat(500)).is_ok());
        assert!(DeclineReason::parse(&"ä".repeat(501)).is_err());
        assert!(DeclineReason::parse("line one\nline two").is_err());
        let decline = Verdict::Decline { reason: DeclineReason::parse("No").unwrap() };
        assert_eq!((decline.status(), decline.reason()), (BookingStatus::Declined, Some("No")));
        assert_eq!((Verdict::Approve.status(), Verdict::Approve.reason()), (BookingStatus::Confirmed, None));
    }

    #[test]
    fn refuses_instants_outside_the_years_anyone_books_in() {
        let (site, space) = (helsinki_lab(), desk());
        let far = DateTime::<Utc>::MAX_UTC - Duration::hours(2);
        let err = check(&request(&site, &space, range(far, far + Duration::hours(1)), now())).unwrap_err();
        assert_eq!(err.code(), "invalid_time_range");
        let ancient =
            RequestedTime::Period { date: NaiveDate::from_ymd_opt(1500, 4, 1).unwrap(), period: Period::FullDay };
        assert_eq!(check(&request(&site, &space, ancient, now())).unwrap_err().code(), "in_the_past");
        let future =
            RequestedTime::Period { date: NaiveDate::from_ymd_opt(12000, 4, 1).unwrap(), period: Period::FullDay };
        assert_eq!(check(&request(&site, &space, future, now())).unwrap_err().code(), "invalid_time_range");
    }

    #[test]
    fn refuses_ranges_that_are_empty_short_ragged_or_span_midnight() {
        let (mut site, space) = (helsinki_lab(), desk());
        site.opening_hours = WeeklyHours::weekdays(TimeOfDay::MIDNIGHT, TimeOfDay::END_OF_DAY).unwrap();
        let t = hki(2026, 11, 24, 10, 0);
        for (start, end) in [
            (t, t),
            (t, t - Duration::hours(1)),
            (t, t + Duration::minutes(10)),
            (t + Duration::seconds(30), t + Duration::hours(1)),
            (hki(2026, 11, 24, 23, 0), hki(2026, 11, 25, 1, 0)),
        ] {
            let err = check(&request(&site, &space, range(start, end), now())).unwrap_err();
            assert_eq!(err.code(), "invalid_time_range", "{start} - {end}");
        }
        // ... but a booking may end at midnight.
        assert!(
            check(&request(&site, &space, range(hki(2026, 11, 24, 23, 0), hki(2026, 11, 25, 0, 0)), now())).is_ok()
        );
    }

    #[test]
    fn keeps_local_opening_hours_across_the_change_to_summer_time() {
        let (mut site, space) = (helsinki_lab(), desk());
        site.booking_horizon_days = 730;
        // Summer time (UTC+3 instead of UTC+2) begins on Sunday 28 March 2027; Friday 26 and
        // Monday 29 are Good Friday and Easter Monday, so compare Thursday 25 with Tuesday 30.
        let summer = check(&request(&site, &space, day(2027, 3, 30, Period::FullDay), now())).unwrap();
        assert_eq!(summer.range.start, Utc.with_ymd_and_hms(2027, 3, 30, 4, 0, 0).unwrap());
        let winter = check(&request(&site, &space, day(2027, 3, 25, Period::FullDay), now())).unwrap();
        assert_eq!(winter.range.start, Utc.with_ymd_and_hms(2027, 3, 25, 5, 0, 0).unwrap());
    }

    #[test]
    fn a_person_holds_one_desk_at_a_time_but_may_add_a_parking_space() {
        let morning = TimeRange::new(hki(2026, 11, 24, 8, 0), hki(2026, 11, 24, 12, 0)).unwrap();
        let overlapping = TimeRange::new(hki(2026, 11, 24, 11, 0), hki(2026, 11, 24, 13, 0)).unwrap();
        let afternoon = TimeRange::new(hki(2026, 11, 24, 12, 0), hki(2026, 11, 24, 16, 0)).unwrap();
        let held = [(morning, SpaceKind::Desk)];
        assert_eq!(person_overlap(held, overlapping, SpaceKind::Desk), Err(BookingError::AlreadyBookedAtThatTime));
        assert!(person_overlap(held, afternoon, SpaceKind::Desk).is_ok());
        assert!(person_overlap(held, overlapping, SpaceKind::Parking).is_ok());
    }
}
