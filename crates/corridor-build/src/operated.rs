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
//!
//! Regions (data/curated/road_length_regions.csv, rail_length_regions.csv): where the coarse
//! geometry is worst, on mountain roads over passes (the Karakoram Highway, the roads to the
//! Torugart and Irkeshtam passes), one country's factor cannot hold both its plains and its
//! mountains, and edges across a border keep their length. A region is a latitude-longitude box
//! with its own factor fitted to published lengths inside it; every edge of the mode with both
//! ends in the box takes the region's factor instead of its country's, border crossings included.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::error::BuildError;
use crate::sources::{LengthFactorRow, LengthRegionRow};

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

/// Checks the region rows: a name, a box inside the globe that overlaps no other region's (an
/// edge must have one factor), a factor in [1, 2] (a road over a pass may run twice the straight
/// line between coarse nodes; more would be a data error) and a source.
fn check_regions(rows: &[LengthRegionRow]) -> Result<(), BuildError> {
    for (i, r) in rows.iter().enumerate() {
        let bad = |what: &str| BuildError::Curated(format!("length region {:?}: {what}", r.region));
        if r.region.trim().is_empty() {
            return Err(bad("a name is required"));
        }
        let lat_ok = -90.0 <= r.min_lat && r.min_lat < r.max_lat && r.max_lat <= 90.0;
        let lon_ok = -180.0 <= r.min_lon && r.min_lon < r.max_lon && r.max_lon <= 180.0;
        if !(lat_ok && lon_ok) {
            return Err(bad("the box needs min_lat < max_lat in [-90, 90] and min_lon < max_lon in [-180, 180]"));
        }
        if !(1.0..=2.0).contains(&r.factor) {
            return Err(bad("factor must lie in [1, 2]"));
        }
        if r.source.trim().is_empty() {
            return Err(bad("a source is required"));
        }
        if !r.countries.split_whitespace().all(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic())) {
            return Err(bad("countries must be ISO 3166-1 alpha-2 codes, space-separated"));
        }
        for o in &rows[..i] {
            if o.region.trim() == r.region.trim() {
                return Err(bad("listed twice"));
            }
            let apart =
                r.max_lat <= o.min_lat || o.max_lat <= r.min_lat || r.max_lon <= o.min_lon || o.max_lon <= r.min_lon;
            if !apart {
                return Err(bad(&format!("its box overlaps region {:?}'s", o.region)));
            }
        }
    }
    Ok(())
}

/// Whether the region's country list admits an end in country `cc`.
fn admits(r: &LengthRegionRow, cc: &str) -> bool {
    r.countries.trim().is_empty() || r.countries.split_whitespace().any(|c| c.eq_ignore_ascii_case(cc))
}

fn inside(r: &LengthRegionRow, (lat, lon): (f64, f64)) -> bool {
    (r.min_lat..=r.max_lat).contains(&lat) && (r.min_lon..=r.max_lon).contains(&lon)
}

/// Lengthens the edges of one mode (`edges`: their length in metres, their two ends as
/// (lat, lon) and country codes) whose two ends lie in one region's box, by that region's factor.
/// Returns one report entry per row (edges, km before, the countries the lengthened edges touch)
/// and, for each edge in order, whether a region lengthened it: those edges take no country
/// factor. A row that matches no edge fails the build, as for the country factors.
pub(crate) fn lengthen_regions<'a>(
    edges: impl Iterator<Item = (&'a mut u32, [(f64, f64); 2], [&'a str; 2])>,
    rows: &[LengthRegionRow],
    (mode, file): (&str, &str),
) -> Result<(Value, Vec<bool>), BuildError> {
    check_regions(rows)?;
    let mut done = vec![(0usize, 0.0f64, std::collections::BTreeSet::<String>::new()); rows.len()];
    let mut touched = Vec::new();
    for (len_m, [a, b], countries) in edges {
        let hit = rows.iter().position(|r| inside(r, a) && inside(r, b) && countries.iter().all(|c| admits(r, c)));
        touched.push(hit.is_some());
        let Some(i) = hit else { continue };
        let s = &mut done[i];
        s.0 += 1;
        s.1 += *len_m as f64 / 1000.0;
        s.2.extend(countries.iter().filter(|c| !c.is_empty()).map(|c| c.to_string()));
        *len_m = (*len_m as f64 * rows[i].factor).round().min(u32::MAX as f64) as u32;
    }
    let mut report = Vec::new();
    for (r, (n, km, countries)) in rows.iter().zip(done) {
        if n == 0 {
            return Err(BuildError::Curated(format!("{file}: region {:?} has no {mode} edge", r.region)));
        }
        report.push(json!({
            "region": r.region.trim(),
            "box": [r.min_lat, r.max_lat, r.min_lon, r.max_lon],
            "factor": r.factor,
            "edges": n,
            "km_before": km.round(),
            "countries": countries,
            "source": r.source,
        }));
    }
    Ok((Value::Array(report), touched))
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

    fn region(name: &str, bx: [f64; 4], f: f64) -> LengthRegionRow {
        LengthRegionRow {
            region: name.into(),
            countries: String::new(),
            min_lat: bx[0],
            max_lat: bx[1],
            min_lon: bx[2],
            max_lon: bx[3],
            factor: f,
            source: "s".into(),
            note: String::new(),
        }
    }

    #[test]
    fn regions_lengthen_edges_inside_their_box_across_borders_too() {
        let mut lens = [1000u32, 1000, 1000];
        let ends = [[(36.0, 75.0), (36.5, 75.2)], [(36.8, 75.4), (37.0, 75.5)], [(33.7, 73.0), (36.0, 75.0)]];
        let cc = [["PK", "PK"], ["PK", "CN"], ["PK", "PK"]];
        let rows = [region("Karakoram", [34.0, 37.2, 72.5, 76.0], 1.3)];
        let edges = lens.iter_mut().zip(ends).zip(cc).map(|((l, e), c)| (l, e, c));
        let (report, touched) = lengthen_regions(edges, &rows, ("road", "road_length_regions.csv")).unwrap();
        // the third edge leaves the box at one end and keeps its length
        assert_eq!(lens, [1300, 1300, 1000]);
        assert_eq!(touched, [true, true, false]);
        assert_eq!(report[0]["edges"], 2);
        assert_eq!(report[0]["countries"], json!(["CN", "PK"]));
        // a country list keeps other countries' edges out of the box
        let mut lens = [1000u32, 1000];
        let rows = [LengthRegionRow { countries: "PK".into(), ..rows[0].clone() }];
        let edges = lens.iter_mut().zip(ends).zip(cc).map(|((l, e), c)| (l, e, c));
        lengthen_regions(edges, &rows, ("road", "road_length_regions.csv")).unwrap();
        assert_eq!(lens, [1300, 1000]);
        // a region with no edge is an error, not a no-op
        let mut lens = [1000u32];
        let edges = lens.iter_mut().map(|l| (l, [(10.0, 10.0), (10.1, 10.1)], ["XX", "XX"]));
        assert!(lengthen_regions(edges, &rows, ("road", "road_length_regions.csv")).is_err());
    }

    #[test]
    fn rejects_bad_regions() {
        let ok = region("a", [34.0, 37.0, 72.0, 76.0], 1.3);
        assert!(check_regions(std::slice::from_ref(&ok)).is_ok());
        assert!(check_regions(&[region("a", [34.0, 37.0, 72.0, 76.0], 2.1)]).is_err());
        assert!(check_regions(&[region("a", [37.0, 34.0, 72.0, 76.0], 1.3)]).is_err());
        assert!(check_regions(&[region(" ", [34.0, 37.0, 72.0, 76.0], 1.3)]).is_err());
        assert!(check_regions(&[ok.clone(), region("b", [36.0, 38.0, 75.0, 77.0], 1.2)]).is_err());
        assert!(check_regions(&[ok.clone(), region("a", [38.0, 39.0, 75.0, 77.0], 1.2)]).is_err());
        assert!(check_regions(&[ok.clone(), region("b", [37.0, 39.0, 75.0, 77.0], 1.2)]).is_ok());
        assert!(check_regions(&[LengthRegionRow { countries: "PAK".into(), ..ok }]).is_err());
    }

    #[test]
    fn rejects_bad_rows() {
        assert!(factors(&[row("CN", 0.9, "s")]).is_err());
        assert!(factors(&[row("CN", 1.1, " ")]).is_err());
        assert!(factors(&[row("CHN", 1.1, "s")]).is_err());
        assert!(factors(&[row("CN", 1.1, "s"), row("cn", 1.2, "s")]).is_err());
    }
}
