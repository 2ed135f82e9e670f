//! Holidays as days: fixed ones, and those that move computed (US federal days, Easter by
//! the Gregorian computus), placed like year-less dates.

use super::context::{not_nouns, Context};
use super::placement::{by_tense, named_relation, Relation};
use super::values::day_value;
use super::Reading;
use crate::nlp::document::Granularity;
use chrono::{Datelike, Days, NaiveDate};
use regex::Captures;

/// The day of a holiday in `year`: fixed days, and the US federal and church holidays that
/// move (Thanksgiving, the fourth Thursday of November; Labor Day, the first Monday of
/// September; Memorial Day, the last Monday of May; Election Day, the Tuesday after the
/// first Monday of November; Easter by the Gregorian computus, Good Friday two days before).
fn holiday_date(name: &str, year: i32) -> Option<NaiveDate> {
    use chrono::Weekday;
    let words: Vec<String> = name
        .split_whitespace()
        .map(|word| word.to_lowercase().replace('’', "'"))
        .collect();
    let nth = |month: u32, weekday: Weekday, n: u8| {
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
    };
    let easter = || {
        // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
        let (a, b, c) = (year % 19, year / 100, year % 100);
        let (d, e) = (b / 4, b % 4);
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - d - g + 15) % 30;
        let (i, k) = (c / 4, c % 4);
        let l = (32 + 2 * e + 2 * i - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        NaiveDate::from_ymd_opt(year, month as u32, day as u32)
    };
    match words
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["christmas", "eve"] => NaiveDate::from_ymd_opt(year, 12, 24),
        ["christmas"] | ["christmas", "day"] => NaiveDate::from_ymd_opt(year, 12, 25),
        ["new", "year's", "day"] => NaiveDate::from_ymd_opt(year, 1, 1),
        ["new", "year's", "eve"] => NaiveDate::from_ymd_opt(year, 12, 31),
        ["halloween"] => NaiveDate::from_ymd_opt(year, 10, 31),
        ["valentine's", "day"] => NaiveDate::from_ymd_opt(year, 2, 14),
        ["thanksgiving"] | ["thanksgiving", "day"] => nth(11, Weekday::Thu, 4),
        ["labor", "day"] => nth(9, Weekday::Mon, 1),
        ["memorial", "day"] => nth(5, Weekday::Mon, 5).or_else(|| nth(5, Weekday::Mon, 4)),
        ["election", "day"] => nth(11, Weekday::Mon, 1).map(|monday| monday + Days::new(1)),
        ["easter"] | ["easter", "sunday"] => easter(),
        ["good", "friday"] => easter().map(|sunday| sunday - Days::new(2)),
        _ => None,
    }
}

/// "Thanksgiving", "last Christmas", "Election Day": the holiday's day placed like a
/// year-less date (by "last"/"next"/"this", else by the tense of its clause).
pub(super) fn read_holiday(captures: &Captures, context: &Context) -> Option<Reading> {
    let name = captures.name("holiday")?.as_str();
    // "Christmas trees", "Easter eggs" are things, not days; "Christmas Day" and "last
    // Christmas" are days.
    let next = context.next_word();
    if name.split_whitespace().count() == 1
        && captures.name("relative").is_none()
        && next.chars().next().is_some_and(char::is_lowercase)
        && !context.next_word_in(not_nouns())
    {
        return None;
    }
    let value = context.anchor.and_then(|anchor| {
        let days: Vec<NaiveDate> = (anchor.year() - 1..=anchor.year() + 1)
            .filter_map(|year| holiday_date(name, year))
            .collect();
        let before = days.iter().copied().filter(|day| *day <= anchor).max();
        let after = days.iter().copied().filter(|day| *day >= anchor).min();
        let relative = captures.name("relative").map(|word| {
            word.as_str()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        });
        match relative.as_deref().map(named_relation) {
            Some(Some(Relation::Last)) => days.iter().copied().filter(|day| *day < anchor).max(),
            Some(Some(Relation::Next)) => days.iter().copied().filter(|day| *day > anchor).min(),
            Some(_) => days.iter().copied().find(|day| day.year() == anchor.year()),
            None => by_tense(anchor, before, after, context.tense()),
        }
    });
    Some(Reading::date(value.map(day_value), Granularity::Day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holidays_fall_on_their_days() {
        let day = |name: &str, year: i32| holiday_date(name, year).map(day_value);
        assert_eq!(day("Easter", 2000).as_deref(), Some("2000-04-23"));
        assert_eq!(day("Easter Sunday", 2024).as_deref(), Some("2024-03-31"));
        assert_eq!(day("Good Friday", 2024).as_deref(), Some("2024-03-29"));
        assert_eq!(day("Thanksgiving", 1999).as_deref(), Some("1999-11-25"));
        assert_eq!(day("Election Day", 1998).as_deref(), Some("1998-11-03"));
        assert_eq!(day("Election Day", 2020).as_deref(), Some("2020-11-03"));
        assert_eq!(day("Memorial Day", 2024).as_deref(), Some("2024-05-27"));
        assert_eq!(day("Labor Day", 2023).as_deref(), Some("2023-09-04"));
        assert_eq!(day("New Year’s Eve", 2023).as_deref(), Some("2023-12-31"));
        assert_eq!(day("Boxing Day", 2023), None);
    }
}
