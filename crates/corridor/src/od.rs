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

/// Parses an origin/destination file; `origin` names it in errors (with the line number). The
/// csv crate reads it: quoted fields, `""` escapes, `#` comment lines, blanks around fields
/// trimmed; a UTF-8 byte-order mark (spreadsheet exports) is skipped.
pub fn parse(text: &str, origin: &str) -> Result<Vec<OdPair>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut pairs = Vec::new();
    let mut header_seen = false;
    for record in reader.records() {
        let record = record.map_err(|e| Error::BadQuery(format!("{origin}: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        let f: Vec<&str> = record.iter().collect();
        if f.iter().all(|x| x.is_empty()) {
            continue;
        }
        if !header_seen {
            header_seen = true;
            if f.first().is_some_and(|x| x.eq_ignore_ascii_case("from")) {
                if f.len() < 2 || !f[1].eq_ignore_ascii_case("to") || f.len() > 3 {
                    return Err(Error::BadQuery(format!("{origin}: header must be from,to[,demand]")));
                }
                continue;
            }
        }
        let bad = |msg: String| Error::BadQuery(format!("{origin} line {line}: {msg}"));
        if f.len() < 2 || f.len() > 3 || f[0].is_empty() || f[1].is_empty() {
            return Err(bad(format!("expected from,to[,demand], got '{}'", f.join(","))));
        }
        let demand = match f.get(2).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match s.parse::<f64>() {
                Ok(d) if d.is_finite() && d >= 0.0 => Some(d),
                _ => return Err(bad(format!("demand '{s}' is not a non-negative number (TEU per year)"))),
            },
        };
        pairs.push(OdPair { from: f[0].to_string(), to: f[1].to_string(), demand });
    }
    if pairs.is_empty() {
        return Err(Error::BadQuery(format!("{origin}: no origin/destination pairs")));
    }
    dedup(pairs, origin)
}

/// Merges repeated pairs (same origin and destination, ignoring case), summing their demands,
/// in the order of first appearance: a file listing a flow twice means twice the flow, not
/// twice the work. A pair given both with and without a demand is an error.
fn dedup(pairs: Vec<OdPair>, origin: &str) -> Result<Vec<OdPair>> {
    let mut out: Vec<OdPair> = Vec::with_capacity(pairs.len());
    let mut index: std::collections::HashMap<(String, String), usize> = std::collections::HashMap::new();
    for p in pairs {
        let key = (p.from.to_lowercase(), p.to.to_lowercase());
        match index.get(&key) {
            None => {
                index.insert(key, out.len());
                out.push(p);
            }
            Some(&i) => {
                let kept = &mut out[i];
                kept.demand = match (kept.demand, p.demand) {
                    (Some(a), Some(b)) => Some(a + b),
                    (None, None) => None,
                    _ => {
                        return Err(Error::BadQuery(format!(
                            "{origin}: {} -> {} is listed both with and without a demand",
                            p.from, p.to
                        )))
                    }
                };
            }
        }
    }
    Ok(out)
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
        // a spreadsheet's byte-order mark, blank lines and a line number in errors
        assert_eq!(parse("\u{feff}from,to\n\nAlmaty,Istanbul\n", "t").unwrap().len(), 1);
        let e = parse("from,to\nA,B\nC\n", "t").unwrap_err().to_string();
        assert!(e.contains("line 3"), "{e}");
        // repeated pairs merge, their demands summed
        let p = parse("from,to,demand\nA,B,2\nC,D,1\na,b,3\n", "t").unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].demand, Some(5.0));
        assert!(parse("from,to,demand\nA,B,2\nA,B,\n", "t").is_err(), "with and without a demand");
        assert!(!parse(SCENARIO_PAIRS_CSV, "pairs").unwrap().is_empty());
    }
}
