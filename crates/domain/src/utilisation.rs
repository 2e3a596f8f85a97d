//! Utilisation: an organisation's bookings counted by site, local weekday and local hour, the
//! table a utilisation report (occupancy by time of week) stands on.
//!
//! The database counts bookings by site and by the whole UTC hours they start and end in
//! ([`HourSpan`]); this module spreads each span over the hours it covers and turns them into the
//! site's local weekday and hour. Finland's and Sweden's offsets from UTC are whole hours, so a
//! UTC hour is exactly one local hour, also across the changes to and from summer time.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike as _, Timelike as _, Weekday};
use chrono_tz::Tz;

use crate::{SiteId, TimeRange};

/// `bookings` bookings at `site_id` that cover the UTC hours `start_hour..end_hour`, each an
/// hour number since 1970-01-01T00:00Z (a booking from 08:30 to 09:15 covers two).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HourSpan {
    pub site_id: SiteId,
    pub start_hour: i64,
    pub end_hour: i64,
    pub bookings: u64,
}

/// How many bookings were under way in each (site, local weekday from 0 = Monday, local hour
/// 0-23), counting only
/// the hours inside `range`. Each span comes with its site's time zone.
pub fn by_site_weekday_hour(spans: &[(HourSpan, Tz)], range: TimeRange) -> BTreeMap<(SiteId, u8, u8), u64> {
    let first = range.start.timestamp().div_euclid(3600);
    let last = (range.end.timestamp() + 3599).div_euclid(3600);
    let mut cells = BTreeMap::new();
    for (span, tz) in spans {
        for hour in span.start_hour.max(first)..span.end_hour.min(last) {
            let Some(utc) = DateTime::from_timestamp(hour * 3600, 0) else { continue };
            let local = utc.with_timezone(tz);
            let weekday = u8::try_from(local.weekday().num_days_from_monday()).unwrap_or(0);
            let local_hour = u8::try_from(local.hour()).unwrap_or(0);
            *cells.entry((span.site_id, weekday, local_hour)).or_insert(0) += span.bookings;
        }
    }
    cells
}

/// The weekday of a cell's number (0 = Monday).
pub fn weekday(number: u8) -> Weekday {
    Weekday::try_from(number).unwrap_or(Weekday::Mon)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone as _, Utc};
    use chrono_tz::Europe::{Helsinki, Stockholm};
    use uuid::Uuid;

    use super::*;

    fn hour(y: i32, m: u32, d: u32, h: u32) -> i64 {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().timestamp() / 3600
    }

    fn site(n: u128) -> SiteId {
        SiteId::from_uuid(Uuid::from_u128(n))
    }

    #[test]
    fn spreads_bookings_over_local_hours_and_weekdays() {
        // Tuesday 2026-11-24, 06:00-14:00 UTC = 08:00-16:00 in Helsinki (UTC+2).
        let span = HourSpan {
            site_id: site(1),
            start_hour: hour(2026, 11, 24, 6),
            end_hour: hour(2026, 11, 24, 14),
            bookings: 3,
        };
        let year = TimeRange::new(
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap(),
        )
        .unwrap();
        let cells = by_site_weekday_hour(&[(span, Helsinki)], year);
        assert_eq!(cells.len(), 8);
        assert_eq!(cells.get(&(site(1), 1, 8)), Some(&3));
        assert_eq!(cells.get(&(site(1), 1, 15)), Some(&3));
        assert_eq!(cells.get(&(site(1), 1, 16)), None);
        assert_eq!(weekday(1), Weekday::Tue);
    }

    #[test]
    fn follows_summer_time_and_clips_to_the_range() {
        // 07:00 UTC is 09:00 in Stockholm in summer and 08:00 in winter.
        let summer =
            HourSpan { site_id: site(2), start_hour: hour(2026, 6, 1, 7), end_hour: hour(2026, 6, 1, 8), bookings: 1 };
        let winter = HourSpan {
            site_id: site(2),
            start_hour: hour(2026, 12, 1, 7),
            end_hour: hour(2026, 12, 1, 8),
            bookings: 1,
        };
        let until_november = TimeRange::new(
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
        )
        .unwrap();
        let cells = by_site_weekday_hour(&[(summer, Stockholm), (winter, Stockholm)], until_november);
        // 2026-06-01 is a Monday; the December booking lies outside the range.
        assert_eq!(cells.into_iter().collect::<Vec<_>>(), vec![((site(2), 0, 9), 1)]);
    }
}
