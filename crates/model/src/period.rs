//! The reporting period: one calendar month.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// A reporting month, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    month: u32,
}

/// A period that is not `YYYY-MM` with a month from 1 to 12.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' không phải kỳ báo cáo: cần dạng YYYY-MM, ví dụ 2024-02")]
pub struct PeriodError(pub String);

impl Period {
    /// Builds a period; `None` when the month is not 1–12 or the year is out of range.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1900..=9999).contains(&year)).then_some(Self { year, month })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("validated month")
    }

    /// The last day of the month: the day on which expected units and ages are taken.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("a day before a valid first day")
    }

    /// The month before.
    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self { year: self.year - 1, month: 12 }
        } else {
            Self { year: self.year, month: self.month - 1 }
        }
    }

    /// The month after.
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self { year: self.year + 1, month: 1 }
        } else {
            Self { year: self.year, month: self.month + 1 }
        }
    }

    /// The period that contains `date`.
    pub fn containing(date: NaiveDate) -> Self {
        Self { year: date.year(), month: date.month() }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PeriodError(s.to_owned());
        let (y, m) = s.trim().split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let year = y.parse().map_err(|_| err())?;
        let month = m.parse().map_err(|_| err())?;
        Self::new(year, month).ok_or_else(err)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let p: Period = "2024-02".parse().unwrap();
        assert_eq!(p.to_string(), "2024-02");
        assert_eq!(p.last_day(), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(p.previous().to_string(), "2024-01");
        assert_eq!("2024-01".parse::<Period>().unwrap().previous().to_string(), "2023-12");
        assert_eq!("2023-12".parse::<Period>().unwrap().last_day(), NaiveDate::from_ymd_opt(2023, 12, 31).unwrap());
    }

    #[test]
    fn rejects_bad_periods() {
        for bad in ["2024-13", "2024-2", "24-02", "2024/02", "", "2024-00"] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }
}
