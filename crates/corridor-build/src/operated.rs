//! Operated rail and road lengths (data/curated/rail_length_factors.csv,
//! road_length_factors.csv). Rail: in a country whose
//! OpenStreetMap-derived rail graph holds passenger-only high-speed lines beside the conventional
//! ones (China: some 45,000 km of them), shortest rail paths run on lines no freight train uses and
//! come out shorter than the routings operators quote. The graph has no line attributes to tell
//! the two apart, so each listed country's rail edges (both ends inside it) are lengthened by one
//! factor fitted to published conventional line lengths against the same station pairs on the
//! network (see the row's source). Every measure of an edge follows its length (distance, time,
//! money, CO2e), so the engine stays exact on the lengthened graph.
//!
//! Road: the road graph is straight segments between coarse OpenStreetMap nodes, which cut the
//! bends of roads; where published highway lengths between named cities run longer than the
//! network's shortest road paths (Siberia, Iran, the Pamir), that country's road edges are
//! lengthened the same way, by the ratio of sums fitted to those pairs
//! (docs/research/road_lengths.md).

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::error::BuildError;
use crate::sources::LengthFactorRow;

/// The factors by country code, checked: an ISO alpha-2 code, a factor in [1, 1.5] (a factor
/// below 1 or far above it would be a data error, not a routing correction) and a source.
fn factors(rows: &[LengthFactorRow]) -> Result<HashMap<String, f64>, BuildError> {
    let mut out = HashMap::new();
    for r in rows {
        let cc = code(&r.country);
        let bad = |what: &str| BuildError::Curated(format!("length factor {cc}: {what}"));
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

/// Lengthens the edges of one mode (`mode`: their length in metres and their two ends' country
/// codes, read from `file`) of each listed country (both ends inside it; edges across a border keep their length), and reports one
/// entry per row with the edges and km lengthened. A row that matches no edge fails the build: it
/// would be a silent no-op.
pub(crate) fn lengthen<'a>(
    edges: impl Iterator<Item = (&'a mut u32, [&'a str; 2])>,
    rows: &[LengthFactorRow],
    (mode, file): (&str, &str),
) -> Result<Value, BuildError> {
    let factors = factors(rows)?;
    let mut done: HashMap<&str, (usize, f64)> = HashMap::new();
    for (len_m, [a, b]) in edges {
        let Some((cc, f)) = factors.get_key_value(a).filter(|_| a == b) else {
            continue;
        };
        let s = done.entry(cc.as_str()).or_default();
        s.0 += 1;
        s.1 += *len_m as f64 / 1000.0;
        *len_m = (*len_m as f64 * f).round().min(u32::MAX as f64) as u32;
    }
    let mut report = Vec::new();
    for r in rows {
        let cc = code(&r.country);
        let Some(&(n, km)) = done.get(cc.as_str()) else {
            return Err(BuildError::Curated(format!("{file}: {cc} has no {mode} edge")));
        };
        report
            .push(json!({"country": cc, "factor": r.factor, "edges": n, "km_before": km.round(), "source": r.source}));
    }
    Ok(Value::Array(report))
}

fn code(country: &str) -> String {
    country.trim().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAIL: (&str, &str) = ("rail", "rail_length_factors.csv");

    fn row(cc: &str, f: f64, source: &str) -> LengthFactorRow {
        LengthFactorRow { country: cc.into(), factor: f, source: source.into(), note: String::new() }
    }

    #[test]
    fn lengthens_domestic_edges_only() {
        let mut lens = [1000u32, 1000, 1000];
        let ends = [["CN", "CN"], ["CN", "KZ"], ["KZ", "KZ"]];
        let report = lengthen(lens.iter_mut().zip(ends), &[row("cn", 1.1, "s")], RAIL).unwrap();
        assert_eq!(lens, [1100, 1000, 1000]);
        assert_eq!(report[0]["edges"], 1);
        let mut lens = [1000u32];
        assert!(lengthen(lens.iter_mut().zip([["KZ", "KZ"]]), &[row("CN", 1.1, "s")], RAIL).is_err());
    }

    #[test]
    fn rejects_bad_rows() {
        assert!(factors(&[row("CN", 0.9, "s")]).is_err());
        assert!(factors(&[row("CN", 1.1, " ")]).is_err());
        assert!(factors(&[row("CHN", 1.1, "s")]).is_err());
        assert!(factors(&[row("CN", 1.1, "s"), row("cn", 1.2, "s")]).is_err());
    }
}
