//! Operated rail lengths (data/curated/rail_length_factors.csv): in a country whose
//! OpenStreetMap-derived rail graph holds passenger-only high-speed lines beside the conventional
//! ones (China: some 45,000 km of them), shortest rail paths run on lines no freight train uses and
//! come out shorter than the routings operators quote. The graph has no line attributes to tell
//! the two apart, so each listed country's rail edges (both ends inside it) are lengthened by one
//! factor fitted to published conventional line lengths against the same station pairs on the
//! network (see the row's source). Every measure of an edge follows its length (distance, time,
//! money, CO2e), so the engine stays exact on the lengthened graph.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::error::BuildError;
use crate::sources::RailLengthRow;

/// The factors by country code, checked: an ISO alpha-2 code, a factor in [1, 1.5] (a factor
/// below 1 or far above it would be a data error, not a routing correction) and a source.
pub(crate) fn factors(rows: &[RailLengthRow]) -> Result<HashMap<String, f64>, BuildError> {
    let mut out = HashMap::new();
    for r in rows {
        let cc = r.country.trim().to_ascii_uppercase();
        let bad = |what: &str| BuildError::Curated(format!("rail length factor {cc}: {what}"));
        if cc.len() != 2 || !cc.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(bad("country must be an ISO 3166-1 alpha-2 code"));
        }
        if !(1.0..=1.5).contains(&r.factor) {
            return Err(bad("factor must lie in [1, 1.5]"));
        }
        if r.source.trim().is_empty() {
            return Err(bad("a source is required"));
        }
        if out.insert(cc.clone(), r.factor).is_some() {
            return Err(bad("listed twice"));
        }
    }
    Ok(out)
}

/// The length of a rail edge after the factor of its country (both ends in it), and whether it
/// changed. Edges across a border keep their length.
pub(crate) fn operated_len_m(len_m: u32, countries: [&str; 2], factors: &HashMap<String, f64>) -> Option<u32> {
    if countries[0] != countries[1] {
        return None;
    }
    let f = *factors.get(countries[0])?;
    Some((len_m as f64 * f).round().min(u32::MAX as f64) as u32)
}

/// The build report: one entry per row with the edges and km lengthened.
pub(crate) fn report(rows: &[RailLengthRow], edges: &HashMap<String, (usize, f64)>) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                let cc = r.country.trim().to_ascii_uppercase();
                let (n, km) = edges.get(&cc).copied().unwrap_or((0, 0.0));
                json!({"country": cc, "factor": r.factor, "edges": n, "km_before": km.round(), "source": r.source})
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cc: &str, f: f64, source: &str) -> RailLengthRow {
        RailLengthRow { country: cc.into(), factor: f, source: source.into(), note: String::new() }
    }

    #[test]
    fn lengthens_domestic_edges_only() {
        let f = factors(&[row("cn", 1.1, "s")]).unwrap();
        assert_eq!(operated_len_m(1000, ["CN", "CN"], &f), Some(1100));
        assert_eq!(operated_len_m(1000, ["CN", "KZ"], &f), None);
        assert_eq!(operated_len_m(1000, ["KZ", "KZ"], &f), None);
    }

    #[test]
    fn rejects_bad_rows() {
        assert!(factors(&[row("CN", 0.9, "s")]).is_err());
        assert!(factors(&[row("CN", 1.1, " ")]).is_err());
        assert!(factors(&[row("CHN", 1.1, "s")]).is_err());
        assert!(factors(&[row("CN", 1.1, "s"), row("cn", 1.2, "s")]).is_err());
    }
}
