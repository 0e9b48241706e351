//! Origin/destination files: CSV with a `from,to[,demand]` header (demand in TEU per year),
//! `#` comment lines, fields quoted with `"` when they hold a comma (`"Brest, BY"`).

use crate::{Error, Result};

/// The default origin/destination set of the Middle Corridor (`data/od/middle.csv`).
pub const MIDDLE_CSV: &str = include_str!("../../../data/od/middle.csv");
/// A few representative pairs for scenarios run without pairs (`data/od/scenario-pairs.csv`).
pub const SCENARIO_PAIRS_CSV: &str = include_str!("../../../data/od/scenario-pairs.csv");

/// One origin/destination pair.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OdPair {
    pub from: String,
    pub to: String,
    /// TEU per year, if the file gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demand: Option<f64>,
}

impl OdPair {
    /// The demand, or 1 when the file gives none (every flow then weighs the same).
    pub fn weight(&self) -> f64 {
        self.demand.unwrap_or(1.0)
    }
}

/// Splits one CSV line (double quotes protect commas; `""` is a quote).
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                out.last_mut().unwrap().push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out.into_iter().map(|s| s.trim().to_string()).collect()
}

/// Parses an origin/destination file; `origin` names it in errors (with the line number).
pub fn parse(text: &str, origin: &str) -> Result<Vec<OdPair>> {
    let mut pairs = Vec::new();
    let mut header_seen = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f = fields(line);
        if !header_seen {
            header_seen = true;
            if f.first().is_some_and(|x| x.eq_ignore_ascii_case("from")) {
                if f.len() < 2 || !f[1].eq_ignore_ascii_case("to") || f.len() > 3 {
                    return Err(Error::BadQuery(format!("{origin}: header must be from,to[,demand]")));
                }
                continue;
            }
        }
        let bad = |msg: String| Error::BadQuery(format!("{origin} line {}: {msg}", n + 1));
        if f.len() < 2 || f.len() > 3 || f[0].is_empty() || f[1].is_empty() {
            return Err(bad(format!("expected from,to[,demand], got '{line}'")));
        }
        let demand = match f.get(2).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match s.parse::<f64>() {
                Ok(d) if d.is_finite() && d >= 0.0 => Some(d),
                _ => return Err(bad(format!("demand '{s}' is not a non-negative number (TEU per year)"))),
            },
        };
        pairs.push(OdPair { from: f[0].clone(), to: f[1].clone(), demand });
    }
    if pairs.is_empty() {
        return Err(Error::BadQuery(format!("{origin}: no origin/destination pairs")));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_headers_quotes_demands_and_rejects_bad_lines() {
        let p = parse("# c\nfrom,to,demand\nXi'an,Duisburg,1200\n\"Brest, BY\",Warsaw,\n", "t").unwrap();
        assert_eq!(p[0], OdPair { from: "Xi'an".into(), to: "Duisburg".into(), demand: Some(1200.0) });
        assert_eq!(p[1], OdPair { from: "Brest, BY".into(), to: "Warsaw".into(), demand: None });
        assert_eq!(parse("Almaty,Istanbul", "t").unwrap().len(), 1);
        assert!(parse("from,to\nA", "t").is_err());
        assert!(parse("from,to,demand\nA,B,-3", "t").is_err());
        assert!(parse("from,to\n", "t").is_err());
        assert_eq!(parse(MIDDLE_CSV, "middle").unwrap().len(), 100);
        assert!(!parse(SCENARIO_PAIRS_CSV, "pairs").unwrap().is_empty());
    }
}
