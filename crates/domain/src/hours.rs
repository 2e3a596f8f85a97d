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
            return Err(InvalidValue::new("time", format!("{hour:02}:{minute:02} is not a time of day")));
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
        s.parse().map_err(|e: InvalidValue| serde::de::Error::custom(e.reason))
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
            return Err(InvalidValue::new("opening_hours", format!("opens at {opens} but closes at {closes}")));
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
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
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
        Ok(Self { mon: day, tue: day, wed: day, thu: day, fri: day, sat: None, sun: None })
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
        [self.mon, self.tue, self.wed, self.thu, self.fri, self.sat, self.sun].iter().all(Option::is_none)
    }
}

const DAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
];

impl WeeklyHours {
    fn set(&mut self, weekday: Weekday, hours: Option<DayHours>) {
        let slot = match weekday {
            Weekday::Mon => &mut self.mon,
            Weekday::Tue => &mut self.tue,
            Weekday::Wed => &mut self.wed,
            Weekday::Thu => &mut self.thu,
            Weekday::Fri => &mut self.fri,
            Weekday::Sat => &mut self.sat,
            Weekday::Sun => &mut self.sun,
        };
        *slot = hours;
    }
}

/// The text form used in CSV files: `mon-fri 07:00-20:00; sat 10:00-14:00`. Days not named are
/// closed.
impl FromStr for WeeklyHours {
    type Err = InvalidValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| {
            InvalidValue::new("opening_hours", format!("`{s}`: {why} (like mon-fri 07:00-20:00; sat 10:00-14:00)"))
        };
        let day = |name: &str| DAYS.iter().position(|(n, _)| *n == name.trim().to_ascii_lowercase());
        let mut week = Self::default();
        for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (days, times) = part.split_once(char::is_whitespace).ok_or_else(|| bad("a day and hours"))?;
            let (opens, closes) = times.trim().split_once('-').ok_or_else(|| bad("hours as HH:MM-HH:MM"))?;
            let hours = DayHours::new(opens.parse()?, closes.parse()?)?;
            let (first, last) = days.split_once('-').unwrap_or((days, days));
            let (first, last) =
                (day(first).ok_or_else(|| bad("unknown day"))?, day(last).ok_or_else(|| bad("unknown day"))?);
            if first > last {
                return Err(bad("a day range runs from Monday towards Sunday"));
            }
            for (_, weekday) in &DAYS[first..=last] {
                week.set(*weekday, Some(hours));
            }
        }
        Ok(week)
    }
}

impl fmt::Display for WeeklyHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        let mut i = 0;
        while i < DAYS.len() {
            let Some(hours) = self.on(DAYS[i].1) else {
                i += 1;
                continue;
            };
            let mut j = i;
            while j + 1 < DAYS.len() && self.on(DAYS[j + 1].1) == Some(hours) {
                j += 1;
            }
            let days = if i == j { DAYS[i].0.to_owned() } else { format!("{}-{}", DAYS[i].0, DAYS[j].0) };
            parts.push(format!("{days} {}-{}", hours.opens, hours.closes));
            i = j + 1;
        }
        f.write_str(&parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_the_text_form_of_a_week() {
        let week: WeeklyHours = "mon-fri 07:00-20:00; sat 10:00-14:00".parse().unwrap();
        assert_eq!(week.on(Weekday::Thu).unwrap().opens.to_string(), "07:00");
        assert_eq!(week.on(Weekday::Sat).unwrap().closes.to_string(), "14:00");
        assert!(week.on(Weekday::Sun).is_none());
        assert_eq!(week.to_string(), "mon-fri 07:00-20:00; sat 10:00-14:00");
        for bad in ["mon-fri", "fri-mon 07:00-20:00", "mon 20:00-07:00", "xyz 07:00-08:00"] {
            assert!(bad.parse::<WeeklyHours>().is_err(), "{bad}");
        }
    }

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
        let week = WeeklyHours::weekdays("07:00".parse().unwrap(), "20:00".parse().unwrap()).unwrap();
        assert!(week.on(Weekday::Sat).is_none());
        assert_eq!(week.on(Weekday::Wed).unwrap().closes.to_string(), "20:00");
    }
}
