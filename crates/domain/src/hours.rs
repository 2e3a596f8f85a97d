//! Weekly opening hours in a site's local time.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveTime, Weekday};

use crate::InvalidValue;

/// A wall-clock time of day on a whole minute, written `HH:MM`. `24:00` means the end of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, utoipa::ToSchema)]
#[schema(value_type = String, example = "07:00")]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    pub const MIDNIGHT: Self = Self(0);
    pub const NOON: Self = Self(12 * 60);
    pub const END_OF_DAY: Self = Self(24 * 60);

    pub fn from_hm(hour: u16, minute: u16) -> Result<Self, InvalidValue> {
        if minute >= 60 || hour > 24 || (hour == 24 && minute != 0) {
            return Err(InvalidValue::new(
                "time",
                format!("{hour:02}:{minute:02} is not a time of day"),
            ));
        }
        Ok(Self(hour * 60 + minute))
    }

    pub const fn minutes(self) -> u16 {
        self.0
    }

    /// As a chrono time; `24:00` has none and gives `None`.
    pub fn to_naive(self) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(u32::from(self.0 / 60), u32::from(self.0 % 60), 0)
    }

    /// The time of a chrono time, truncated to the minute.
    pub fn from_naive(time: NaiveTime) -> Self {
        use chrono::Timelike;
        // Both parts are below 60 and 24, so the narrowing cannot lose anything.
        #[expect(clippy::cast_possible_truncation, reason = "hour < 24 and minute < 60")]
        Self((time.hour() * 60 + time.minute()) as u16)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl FromStr for TimeOfDay {
    type Err = InvalidValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || InvalidValue::new("time", format!("`{s}` is not a time like 07:30"));
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        Self::from_hm(h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?)
    }
}

impl serde::Serialize for TimeOfDay {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for TimeOfDay {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse()
            .map_err(|e: InvalidValue| serde::de::Error::custom(e.reason))
    }
}

/// The hours of one weekday: open from `opens` until `closes`, on the same day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct DayHours {
    pub opens: TimeOfDay,
    pub closes: TimeOfDay,
}

impl DayHours {
    pub fn new(opens: TimeOfDay, closes: TimeOfDay) -> Result<Self, InvalidValue> {
        if opens >= closes {
            return Err(InvalidValue::new(
                "opening_hours",
                format!("opens at {opens} but closes at {closes}"),
            ));
        }
        Ok(Self { opens, closes })
    }

    pub fn contains(self, from: TimeOfDay, to: TimeOfDay) -> bool {
        self.opens <= from && to <= self.closes
    }
}

impl<'de> serde::Deserialize<'de> for DayHours {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            opens: TimeOfDay,
            closes: TimeOfDay,
        }
        let raw = Raw::deserialize(deserializer)?;
        Self::new(raw.opens, raw.closes).map_err(|e| serde::de::Error::custom(e.reason))
    }
}

/// Opening hours for each weekday; a day without hours is a day the site is closed.
#[derive(
    Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(deny_unknown_fields)]
pub struct WeeklyHours {
    #[serde(default)]
    pub mon: Option<DayHours>,
    #[serde(default)]
    pub tue: Option<DayHours>,
    #[serde(default)]
    pub wed: Option<DayHours>,
    #[serde(default)]
    pub thu: Option<DayHours>,
    #[serde(default)]
    pub fri: Option<DayHours>,
    #[serde(default)]
    pub sat: Option<DayHours>,
    #[serde(default)]
    pub sun: Option<DayHours>,
}

impl WeeklyHours {
    /// The same hours Monday to Friday, closed at weekends: the usual office week.
    pub fn weekdays(opens: TimeOfDay, closes: TimeOfDay) -> Result<Self, InvalidValue> {
        let day = Some(DayHours::new(opens, closes)?);
        Ok(Self {
            mon: day,
            tue: day,
            wed: day,
            thu: day,
            fri: day,
            sat: None,
            sun: None,
        })
    }

    pub const fn on(&self, weekday: Weekday) -> Option<DayHours> {
        match weekday {
            Weekday::Mon => self.mon,
            Weekday::Tue => self.tue,
            Weekday::Wed => self.wed,
            Weekday::Thu => self.thu,
            Weekday::Fri => self.fri,
            Weekday::Sat => self.sat,
            Weekday::Sun => self.sun,
        }
    }

    pub fn is_never_open(&self) -> bool {
        [
            self.mon, self.tue, self.wed, self.thu, self.fri, self.sat, self.sun,
        ]
        .iter()
        .all(Option::is_none)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_times_of_day() {
        let t: TimeOfDay = "7:05".parse().unwrap();
        assert_eq!(t.to_string(), "07:05");
        assert_eq!("24:00".parse::<TimeOfDay>().unwrap(), TimeOfDay::END_OF_DAY);
        for bad in ["24:01", "12:60", "noon", "12", "1:2", "-1:00"] {
            assert!(bad.parse::<TimeOfDay>().is_err(), "{bad}");
        }
    }

    #[test]
    fn refuses_hours_that_close_before_they_open() {
        let json = r#"{"mon": {"opens": "20:00", "closes": "07:00"}}"#;
        assert!(serde_json::from_str::<WeeklyHours>(json).is_err());
    }

    #[test]
    fn an_office_week_is_closed_at_weekends() {
        let week =
            WeeklyHours::weekdays("07:00".parse().unwrap(), "20:00".parse().unwrap()).unwrap();
        assert!(week.on(Weekday::Sat).is_none());
        assert_eq!(week.on(Weekday::Wed).unwrap().closes.to_string(), "20:00");
    }
}
