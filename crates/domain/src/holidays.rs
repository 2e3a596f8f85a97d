//! The days offices close in Finland and Sweden: public holidays and the eves that are closing
//! days in practice.
//!
//! - Finland: the public holidays, which include Midsummer Eve and Christmas Eve, and New
//!   Year's Eve. New Year's Eve is formally a working day in Finland, but hubnet's brief lists it
//!   among the days offices close in practice in both countries (a site that stays open sets
//!   `closed_on_holidays = false`, or gets an exception once site closures exist).
//! - Sweden: the public holidays (helgdagar) plus the de facto closing days Midsummer Eve,
//!   Christmas Eve and New Year's Eve.
//!
//! The rules are written out (Easter, fixed dates, "the Saturday between") rather than taken from
//! a crate: the Rust holiday crates are unmaintained. The tests check every year 1990-2100 against
//! the `holidays` Python package (see `tools/holidays/oracle.py`).

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::Country;

/// A named closing day. The name is a key the server translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HolidayName {
    NewYearsDay,
    Epiphany,
    GoodFriday,
    EasterSunday,
    EasterMonday,
    MayDay,
    AscensionDay,
    Pentecost,
    WhitMonday,
    NationalDay,
    MidsummerEve,
    MidsummerDay,
    AllSaintsDay,
    IndependenceDay,
    ChristmasEve,
    ChristmasDay,
    SecondDayOfChristmas,
    NewYearsEve,
}

impl HolidayName {
    /// The stable `snake_case` key, also the translation key (`holiday-<key>`).
    pub const fn key(self) -> &'static str {
        match self {
            Self::NewYearsDay => "new_years_day",
            Self::Epiphany => "epiphany",
            Self::GoodFriday => "good_friday",
            Self::EasterSunday => "easter_sunday",
            Self::EasterMonday => "easter_monday",
            Self::MayDay => "may_day",
            Self::AscensionDay => "ascension_day",
            Self::Pentecost => "pentecost",
            Self::WhitMonday => "whit_monday",
            Self::NationalDay => "national_day",
            Self::MidsummerEve => "midsummer_eve",
            Self::MidsummerDay => "midsummer_day",
            Self::AllSaintsDay => "all_saints_day",
            Self::IndependenceDay => "independence_day",
            Self::ChristmasEve => "christmas_eve",
            Self::ChristmasDay => "christmas_day",
            Self::SecondDayOfChristmas => "second_day_of_christmas",
            Self::NewYearsEve => "new_years_eve",
        }
    }
}

/// One closing day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: HolidayName,
}

/// Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
#[expect(clippy::many_single_char_names, reason = "the variable names of the published algorithm")]
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month.unsigned_abs(), day.unsigned_abs())
}

/// Every closing day of `country` in `year`, in date order.
pub fn closing_days(country: Country, year: i32) -> Vec<Holiday> {
    use HolidayName as H;
    let easter = easter_sunday(year);
    let after_easter = |days: u64| easter.checked_add_days(Days::new(days)).unwrap_or(easter);
    let fixed = |month: u32, day: u32| ymd(year, month, day);
    let midsummer_day = saturday_from(fixed(6, 20));
    let midsummer_eve = midsummer_day.pred_opt().unwrap_or(midsummer_day);
    let all_saints = saturday_from(fixed(10, 31));

    let mut days = vec![
        (fixed(1, 1), H::NewYearsDay),
        (easter.checked_sub_days(Days::new(2)).unwrap_or(easter), H::GoodFriday),
        (easter, H::EasterSunday),
        (after_easter(1), H::EasterMonday),
        (fixed(5, 1), H::MayDay),
        (after_easter(49), H::Pentecost),
        (midsummer_eve, H::MidsummerEve),
        (midsummer_day, H::MidsummerDay),
        (all_saints, H::AllSaintsDay),
        (fixed(12, 24), H::ChristmasEve),
        (fixed(12, 25), H::ChristmasDay),
        (fixed(12, 26), H::SecondDayOfChristmas),
    ];
    match country {
        Country::Finland => {
            // From 1973 to 1990 Finland kept Epiphany and Ascension Day on Saturdays.
            if (1973..=1990).contains(&year) {
                days.push((saturday_from(fixed(1, 6)), H::Epiphany));
                days.push((after_easter(34), H::AscensionDay));
            } else {
                days.push((fixed(1, 6), H::Epiphany));
                days.push((after_easter(39), H::AscensionDay));
            }
            days.push((fixed(12, 6), H::IndependenceDay));
            days.push((fixed(12, 31), H::NewYearsEve));
        }
        Country::Sweden => {
            days.push((fixed(1, 6), H::Epiphany));
            days.push((after_easter(39), H::AscensionDay));
            // In 2005 the National Day became a holiday in place of Whit Monday.
            if year >= 2005 {
                days.push((fixed(6, 6), H::NationalDay));
            } else {
                days.push((after_easter(50), H::WhitMonday));
            }
            days.push((fixed(12, 31), H::NewYearsEve));
        }
    }
    let mut holidays: Vec<Holiday> = days.into_iter().map(|(date, name)| Holiday { date, name }).collect();
    holidays.sort_by_key(|h| h.date);
    holidays
}

/// The closing day that falls on `date` in `country`, if any (the first, when two coincide).
pub fn closing_day_on(country: Country, date: NaiveDate) -> Option<Holiday> {
    closing_days(country, date.year()).into_iter().find(|h| h.date == date)
}

/// The first Saturday on or after `date`.
fn saturday_from(date: NaiveDate) -> NaiveDate {
    let offset = (7 + Weekday::Sat.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
    date.checked_add_days(Days::new(u64::from(offset))).unwrap_or(date)
}

/// A calendar date built from parts the rules above always keep valid; falls back to 1 January
/// rather than panicking, which a test would notice at once.
fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    const ORACLE: &str = include_str!("../testdata/holidays_oracle.tsv");

    fn oracle(country: &str) -> BTreeSet<(NaiveDate, &'static str)> {
        ORACLE
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut cols = line.split('\t');
                let (c, date, _category, name) = (cols.next()?, cols.next()?, cols.next()?, cols.next()?);
                (c == country).then(|| (date.parse().unwrap(), english_key(name)))
            })
            .collect()
    }

    fn english_key(name: &str) -> &'static str {
        match name {
            "New Year's Day" => "new_years_day",
            "Epiphany" => "epiphany",
            "Good Friday" => "good_friday",
            "Easter Sunday" => "easter_sunday",
            "Easter Monday" => "easter_monday",
            "May Day" => "may_day",
            "Ascension Day" => "ascension_day",
            "Pentecost" => "pentecost",
            "Pentecost Monday" => "whit_monday",
            "National Day" => "national_day",
            "Midsummer Eve" => "midsummer_eve",
            "Midsummer Day" => "midsummer_day",
            "All Saints' Day" => "all_saints_day",
            "Independence Day" => "independence_day",
            "Christmas Eve" => "christmas_eve",
            "Christmas Day" => "christmas_day",
            "Second Day of Christmas" => "second_day_of_christmas",
            "New Year's Eve" => "new_years_eve",
            other => panic!("the oracle has a holiday this test does not know: {other}"),
        }
    }

    /// New Year's Eve, which the brief adds to the Finnish closing days (the oracle has it for
    /// Sweden only).
    fn with_new_years_eve(mut days: BTreeSet<(NaiveDate, &'static str)>) -> BTreeSet<(NaiveDate, &'static str)> {
        days.extend((1990..=2100).map(|y| (ymd(y, 12, 31), "new_years_eve")));
        days
    }

    fn ours(country: Country) -> BTreeSet<(NaiveDate, &'static str)> {
        (1990..=2100).flat_map(|y| closing_days(country, y)).map(|h| (h.date, h.name.key())).collect()
    }

    #[test]
    fn finnish_closing_days_match_the_oracle_from_1990_to_2100() {
        let (expected, actual) = (with_new_years_eve(oracle("FI")), ours(Country::Finland));
        assert_eq!(expected.len(), 1665 + 111);
        assert_eq!(actual.symmetric_difference(&expected).collect::<Vec<_>>(), Vec::<&(NaiveDate, &str)>::new());
    }

    #[test]
    fn swedish_closing_days_match_the_oracle_from_1990_to_2100() {
        let (expected, actual) = (oracle("SE"), ours(Country::Sweden));
        assert_eq!(expected.len(), 1776);
        assert_eq!(actual.symmetric_difference(&expected).collect::<Vec<_>>(), Vec::<&(NaiveDate, &str)>::new());
    }

    #[test]
    fn easter_falls_on_known_dates() {
        assert_eq!(easter_sunday(2026), ymd(2026, 4, 5));
        assert_eq!(easter_sunday(2027), ymd(2027, 3, 28));
        assert_eq!(easter_sunday(2285), ymd(2285, 3, 22)); // the earliest possible
        assert_eq!(easter_sunday(2038), ymd(2038, 4, 25)); // the latest possible
    }

    #[test]
    fn midsummer_eve_2027_is_a_closing_day_in_both_countries() {
        let eve = ymd(2027, 6, 25);
        assert_eq!(closing_day_on(Country::Finland, eve).map(|h| h.name), Some(HolidayName::MidsummerEve));
        assert_eq!(closing_day_on(Country::Sweden, eve).map(|h| h.name), Some(HolidayName::MidsummerEve));
    }

    #[test]
    fn new_years_eve_closes_offices_in_both_countries() {
        let eve = ymd(2026, 12, 31);
        assert_eq!(closing_day_on(Country::Sweden, eve).map(|h| h.name), Some(HolidayName::NewYearsEve));
        assert_eq!(closing_day_on(Country::Finland, eve).map(|h| h.name), Some(HolidayName::NewYearsEve));
        assert_eq!(closing_day_on(Country::Finland, ymd(2026, 12, 30)), None);
    }

    #[test]
    fn all_saints_day_is_the_saturday_between_october_31_and_november_6() {
        for year in 2000..2060 {
            let day = closing_days(Country::Finland, year)
                .into_iter()
                .find(|h| h.name == HolidayName::AllSaintsDay)
                .unwrap()
                .date;
            assert_eq!(day.weekday(), Weekday::Sat);
            assert!(day >= ymd(year, 10, 31) && day <= ymd(year, 11, 6), "{day}");
        }
    }
}
