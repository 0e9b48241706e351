//! Land borders closed to freight (data/curated/closed_borders.csv): the rail and road edges that
//! cross them are left out of the network, so that no route, however cheap on the graph, runs
//! through Armenia from Turkey or across the front line in Ukraine. A row closes every crossing
//! of a country pair and mode, or only those near a point (an edge whose midpoint or either end
//! lies within the radius), so that one crossing of a pair can stay open (Upper Lars between
//! Georgia and Russia). A row that matches no edge fails the build: it would be a silent no-op.

use corridor::geo::haversine_km;
use corridor::network::EdgeKind;
use serde_json::{json, Value};

use crate::error::BuildError;
use crate::sources::ClosedBorderRow;

/// The crossing radius when a row names a point without one (km), as the elements model's.
const DEFAULT_RADIUS_KM: f64 = 20.0;

struct Rule {
    pair: [String; 2],
    kinds: Vec<EdgeKind>,
    near: Option<(f64, f64, f64)>,
}

fn rule(r: &ClosedBorderRow) -> Result<Rule, BuildError> {
    let bad = |what: &str| BuildError::Curated(format!("closed border {}-{}: {what}", r.a, r.b));
    let code = |c: &str| {
        let c = c.trim().to_ascii_uppercase();
        (c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic())).then_some(c)
    };
    let (Some(a), Some(b)) = (code(&r.a), code(&r.b)) else {
        return Err(bad("countries must be ISO 3166-1 alpha-2 codes"));
    };
    if a == b {
        return Err(bad("the two countries must differ"));
    }
    let kinds = match r.mode.trim() {
        "rail" => vec![EdgeKind::Rail],
        "road" => vec![EdgeKind::Road],
        "both" => vec![EdgeKind::Rail, EdgeKind::Road],
        other => return Err(bad(&format!("mode '{other}' (rail, road or both)"))),
    };
    let near = match (r.near_lat, r.near_lon) {
        (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
            let radius = r.radius_km.unwrap_or(DEFAULT_RADIUS_KM);
            if !(radius > 0.0 && radius <= 200.0) {
                return Err(bad("radius_km must be in (0, 200]"));
            }
            Some((lat, lon, radius))
        }
        (None, None) => None,
        _ => return Err(bad("near_lat and near_lon go together, in degrees")),
    };
    if r.source.trim().is_empty() {
        return Err(bad("a source is required"));
    }
    let mut pair = [a, b];
    pair.sort();
    Ok(Rule { pair, kinds, near })
}

/// An edge as the closure sees it: its two ends' country codes and coordinates, and its kind.
pub(crate) struct EdgeView<'a> {
    pub countries: [&'a str; 2],
    pub ends: [(f64, f64); 2],
    pub kind: EdgeKind,
}

/// Which edges stay (false: a closed crossing), and one report per row (edges dropped).
pub(crate) fn close_borders<'a>(
    edges: impl Iterator<Item = EdgeView<'a>>,
    rows: &[ClosedBorderRow],
) -> Result<(Vec<bool>, Value), BuildError> {
    let rules = rows.iter().map(rule).collect::<Result<Vec<_>, _>>()?;
    let mut dropped = vec![0usize; rules.len()];
    let keep: Vec<bool> = edges
        .map(|e| {
            if !matches!(e.kind, EdgeKind::Rail | EdgeKind::Road) || e.countries[0] == e.countries[1] {
                return true;
            }
            let mut pair = e.countries;
            pair.sort();
            let [pa, pb] = e.ends;
            let mid = ((pa.0 + pb.0) / 2.0, (pa.1 + pb.1) / 2.0);
            let hit = rules.iter().position(|r| {
                r.pair[0] == pair[0]
                    && r.pair[1] == pair[1]
                    && r.kinds.contains(&e.kind)
                    && r.near.is_none_or(|(lat, lon, radius)| {
                        [pa, pb, mid].iter().any(|p| haversine_km(lat, lon, p.0, p.1) <= radius)
                    })
            });
            match hit {
                Some(i) => {
                    dropped[i] += 1;
                    false
                }
                None => true,
            }
        })
        .collect();
    if let Some(i) = dropped.iter().position(|&n| n == 0) {
        let r = &rows[i];
        return Err(BuildError::Curated(format!(
            "closed border {}-{} ({}) matches no crossing edge: fix or remove the row",
            r.a, r.b, r.mode
        )));
    }
    let report = Value::Array(
        rows.iter()
            .zip(&rules)
            .zip(&dropped)
            .map(|((r, rule), n)| {
                json!({"between": rule.pair.join("-"), "mode": r.mode.trim(), "near": rule.near.map(|(a, b, c)| [a, b, c]),
                       "since": r.since, "edges_dropped": n, "source": r.source})
            })
            .collect(),
    );
    Ok((keep, report))
}
