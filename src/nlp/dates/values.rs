//! TIMEX3 values: writing a day, week, month or quarter as its value (`2022-08-05`,
//! `2022-W31`, `2022-08`, `2022-Q3`), reading a value back to the first day of its period,
//! and moving a date by days. The other files compute dates; this one spells them.

use chrono::{Datelike, Days, NaiveDate};

/// The first day of the period a TIMEX3 value names: `2022` -> Jan 1, `2022-W30` -> its
/// Monday, `2022-W30-WE` -> its Saturday, `2022-Q3` -> Jul 1, `2022-SU` -> Jun 21 (seasons
/// at their astronomical start), `199` -> 1990-01-01. `None` for other values.
pub fn timex_start(value: &str) -> Option<NaiveDate> {
    let digits = value.chars().take_while(char::is_ascii_digit).count();
    let year: i32 = match digits {
        3 if value.len() == 3 => {
            return NaiveDate::from_ymd_opt(value.parse::<i32>().ok()? * 10, 1, 1)
        }
        4 => value[..4].parse().ok()?,
        _ => return None,
    };
    let rest = &value[4..];
    if rest.is_empty() {
        return NaiveDate::from_ymd_opt(year, 1, 1);
    }
    let part = rest.strip_prefix('-')?;
    if let Some(week) = part.strip_prefix('W') {
        let (number, weekend) = match week.strip_suffix("-WE") {
            Some(number) => (number, true),
            None => (week, false),
        };
        let day = if weekend {
            chrono::Weekday::Sat
        } else {
            chrono::Weekday::Mon
        };
        return NaiveDate::from_isoywd_opt(year, number.parse().ok()?, day);
    }
    if part.starts_with('Q') {
        let quarter = parse_quarter(value)?;
        let month = u32::try_from(quarter.rem_euclid(4) * 3 + 1).ok()?;
        // "2022-Q9" parses, but is no quarter.
        return (quarter.div_euclid(4) == i64::from(year))
            .then(|| NaiveDate::from_ymd_opt(year, month, 1))
            .flatten();
    }
    match part {
        "SP" => return NaiveDate::from_ymd_opt(year, 3, 20),
        "SU" => return NaiveDate::from_ymd_opt(year, 6, 21),
        "FA" => return NaiveDate::from_ymd_opt(year, 9, 22),
        "WI" => return NaiveDate::from_ymd_opt(year, 12, 21),
        _ => {}
    }
    let month: u32 = part.get(..2)?.parse().ok()?;
    match part.get(2..) {
        Some("") => NaiveDate::from_ymd_opt(year, month, 1),
        Some(day) => {
            NaiveDate::from_ymd_opt(year, month, day.strip_prefix('-')?.get(..2)?.parse().ok()?)
        }
        None => None,
    }
}

pub(super) fn parse_quarter(value: &str) -> Option<i64> {
    let (year, quarter) = value.split_once("-Q")?;
    Some(year.parse::<i64>().ok()? * 4 + quarter.parse::<i64>().ok()? - 1)
}

pub(super) fn day_value(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub(super) fn week_value(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("{:04}-W{:02}", week.year(), week.week())
}

pub(super) fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

pub(super) fn month_value(index: i64) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

pub(super) fn quarter_value(index: i64) -> String {
    format!("{:04}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1)
}

pub(super) fn shift_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days >= 0 {
        date.checked_add_days(Days::new(days as u64))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timex_value_starts_on_the_first_day_of_its_period() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(timex_start("2022"), day(2022, 1, 1));
        assert_eq!(timex_start("2022-08"), day(2022, 8, 1));
        assert_eq!(timex_start("2022-08-05"), day(2022, 8, 5));
        assert_eq!(timex_start("2022-W30"), day(2022, 7, 25));
        assert_eq!(timex_start("2022-W30-WE"), day(2022, 7, 30));
        assert_eq!(timex_start("2022-Q3"), day(2022, 7, 1));
        assert_eq!(timex_start("2022-SU"), day(2022, 6, 21));
        assert_eq!(timex_start("199"), day(1990, 1, 1));
        assert_eq!(timex_start("PRESENT_REF"), None);
        assert_eq!(timex_start("2022-Q9"), None);
    }
}
