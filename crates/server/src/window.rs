//! A site's window on a date: its opening hours that day and the asked part of the day, clamped to
//! them, or why it has none (closed, or open at other hours). The availability API, the Find page,
//! a site's page and the recommendations all ask it.

use crate::error::AppError;
use chrono::NaiveDate;
use hubnet_domain::booking::{local_instant, opening_hours_on};
use hubnet_domain::holidays::HolidayName;
use hubnet_domain::{BookingError, DayHours, Site, TimeOfDay, TimeRange};

/// Why a site has nothing to offer in the asked window.
pub enum Unavailable {
    /// Closed all day (for a holiday, when there is one).
    Closed(Option<HolidayName>),
    /// Open that day, but not during the window.
    OutsideHours(DayHours),
}

/// The site's hours that day and the asked window, clamped to those hours, as instants.
pub fn site_window(
    site: &Site,
    date: NaiveDate,
    (from, to): (Option<TimeOfDay>, Option<TimeOfDay>),
) -> Result<Result<(DayHours, TimeRange), Unavailable>, AppError> {
    let hours = match opening_hours_on(site, date) {
        Ok(hours) => hours,
        Err(BookingError::SiteClosed { holiday, .. }) => return Ok(Err(Unavailable::Closed(holiday))),
        Err(other) => return Err(other.into()),
    };
    let from = from.map_or(hours.opens, |f| f.max(hours.opens));
    let to = to.map_or(hours.closes, |t| t.min(hours.closes));
    if from >= to {
        return Ok(Err(Unavailable::OutsideHours(hours)));
    }
    let instant = |time, field| {
        local_instant(site.time_zone, date, time)
            .map_err(|_| AppError::invalid(field, format!("{time} does not exist on {date} in {}", site.time_zone)))
    };
    let range = TimeRange::new(instant(from, "from")?, instant(to, "to")?)?;
    Ok(Ok((hours, range)))
}
