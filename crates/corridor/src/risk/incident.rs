//! The incident record every loader produces, civil dates, and the severity weight of each kind
//! of incident.
//!
//! An incident is one reported event at a position on a date: an attack on or a seizure of a
//! ship (maritime sources: the project's table, NGA ASAM, chokepointR) or an event of armed
//! conflict on land (ACLED, UCDP GED, GDELT). Its [`Domain`] says which edges of the network it
//! bears on: sea incidents on sea and ferry edges, land events on rail and road edges, both on
//! the transfers inside ports.

use serde::Serialize;

/// A civil date (proleptic Gregorian), stored as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i32);

impl Date {
    /// The date of a year, month (1-12) and day (1-31); None if it does not exist.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        // Howard Hinnant's days_from_civil
        let y = if m <= 2 { y - 1 } else { y };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = (y - era * 400) as i64;
        let mp = (m as i64 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date((era as i64 * 146097 + doe - 719468) as i32))
    }

    /// (year, month, day) of the date.
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 as i64 + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
    }

    /// Reads `YYYY-MM-DD` (anything after the day, such as a time, is ignored), `YYYYMMDD`,
    /// `YYYY/MM/DD` or `DD Month YYYY` (ACLED's older exports).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let b = s.as_bytes();
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
        if b.len() >= 10 && (b[4] == b'-' || b[4] == b'/') && b[7] == b[4] {
            return Date::from_ymd(num(0..4)? as i32, num(5..7)?, num(8..10)?);
        }
        if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
            return Date::from_ymd(num(0..4)? as i32, num(4..6)?, num(6..8)?);
        }
        let parts: Vec<&str> = s.split_whitespace().collect();
        if parts.len() == 3 {
            let d = parts[0].parse::<u32>().ok()?;
            let m = month(parts[1])?;
            let y = parts[2].parse::<i32>().ok()?;
            return Date::from_ymd(y, m, d);
        }
        None
    }

    /// Days from `other` to `self` (positive when `self` is later).
    pub fn days_since(self, other: Date) -> i32 {
        self.0 - other.0
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// The month number of an English month name or its three-letter abbreviation.
pub fn month(name: &str) -> Option<u32> {
    const NAMES: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let n = name.trim().trim_end_matches('.').to_ascii_lowercase();
    if n.len() < 3 {
        return None;
    }
    NAMES.iter().position(|m| n.starts_with(m)).map(|i| i as u32 + 1)
}

/// Which edges an incident bears on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Domain {
    /// At sea or in a port: sea and ferry edges (and port transfers).
    Sea,
    /// On land: rail and road edges (and port transfers).
    Land,
}

/// One reported incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    /// The source's own identifier (or one made from the row).
    pub id: String,
    pub date: Date,
    pub lat: f64,
    pub lon: f64,
    /// Normalised kind: `missile`, `drone`, `usv`, `mine`, `attack_port`, `hijacking`,
    /// `seizure`, `boarding`, `small_arms`, `approach`, `robbery`, `battle`, `explosion`,
    /// `violence_against_civilians`, `riot`, `other` ...
    pub kind: String,
    pub domain: Domain,
    /// The ship concerned, as reported (empty for land events and unnamed ships).
    pub vessel: String,
    /// The place as the source states it.
    pub place: String,
    /// Where the report comes from (publisher, document, URL).
    pub source: String,
    /// The data set it was loaded from (`project`, `asam`, `chokepointr`, `acled`, `ucdp`,
    /// `gdelt`).
    pub dataset: String,
    /// Severity weight of the kind ([`severity`]), in [0, 1].
    pub weight: f64,
}

/// How much an incident of a kind weighs in the risk field, in [0, 1]: what threatens the ship,
/// its crew and cargo as such (an attack with weapons, a seizure or hijacking) weighs 1; an
/// armed approach or boarding without a weapon's use 0.5; theft at anchor (most of ASAM since
/// 2010) 0.1; events that do not threaten traffic (protests, strategic developments) 0. These
/// are the project's documented choices (docs/risk.md): the war-risk market reacts to attacks
/// on ships, not to petty theft.
pub fn severity(kind: &str) -> f64 {
    match kind {
        "missile" | "drone" | "usv" | "mine" | "attack_port" | "hijacking" | "seizure" | "battle" | "explosion"
        | "attack" | "fired_upon" => 1.0,
        "boarding" | "small_arms" | "approach" | "violence_against_civilians" | "attempted_boarding" => 0.5,
        "robbery" | "suspicious" | "riot" => 0.1,
        "protest" | "strategic" => 0.0,
        _ => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_parse() {
        for (y, m, d) in [(1970, 1, 1), (2024, 2, 29), (2000, 3, 1), (1978, 5, 1), (2025, 12, 31), (1900, 2, 28)] {
            let x = Date::from_ymd(y, m, d).unwrap();
            assert_eq!(x.ymd(), (y, m, d));
        }
        assert_eq!(Date::from_ymd(1970, 1, 1), Some(Date(0)));
        assert_eq!(Date::from_ymd(2024, 3, 1).unwrap().days_since(Date::from_ymd(2024, 2, 1).unwrap()), 29);
        assert!(Date::from_ymd(2023, 2, 29).is_none());
        assert_eq!(Date::parse("2024-03-01"), Date::from_ymd(2024, 3, 1));
        assert_eq!(Date::parse("2024-03-01 00:00:00.000"), Date::from_ymd(2024, 3, 1));
        assert_eq!(Date::parse("20240301"), Date::from_ymd(2024, 3, 1));
        assert_eq!(Date::parse("01 March 2024"), Date::from_ymd(2024, 3, 1));
        assert_eq!(Date::parse("1 Mar 2024"), Date::from_ymd(2024, 3, 1));
        assert_eq!(Date::parse("2024-13-01"), None);
        assert_eq!(Date::parse("yesterday"), None);
        assert_eq!(Date::from_ymd(2024, 3, 1).unwrap().to_string(), "2024-03-01");
    }
}
