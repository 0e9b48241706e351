//! Network quality checks: for a list of corridor segments, does the network connect them under
//! their constraints, and how far does the route detour (network km / great-circle km)?
//!
//! The segment list lives in the repository (`data/qa/segments.csv`); `corridor network check`
//! runs it and fails when a segment breaks or detours more than its stated maximum.

use serde::Serialize;

use crate::network::Mode;
use crate::planner::{Constraints, Planner, Query};
use crate::{Error, Result};

/// One corridor segment to check.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentSpec {
    pub name: String,
    pub from: String,
    pub to: String,
    pub constraints: Constraints,
    /// Largest acceptable network km / great-circle km.
    pub max_detour: f64,
}

/// The outcome for one segment.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SegmentResult {
    pub name: String,
    pub from: String,
    pub to: String,
    pub modes: String,
    pub ok: bool,
    pub distance_km: Option<f64>,
    pub great_circle_km: Option<f64>,
    pub detour: Option<f64>,
    pub max_detour: f64,
    /// Why it failed, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Parses the segment list: CSV with header `name,from,to,modes,avoid,max_detour,note`; `modes`
/// and `avoid` are `|`-separated (empty = all modes / nothing avoided). Lines starting with `#`
/// are comments.
pub fn parse_segments(text: &str) -> Result<Vec<SegmentSpec>> {
    #[derive(serde::Deserialize)]
    struct Row {
        name: String,
        from: String,
        to: String,
        modes: String,
        avoid: String,
        max_detour: f64,
        #[allow(dead_code)]
        note: String,
    }
    let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| Error::BadQuery(format!("segments: {e}")))?;
    if header.iter().collect::<Vec<_>>() != ["name", "from", "to", "modes", "avoid", "max_detour", "note"] {
        return Err(Error::BadQuery(format!(
            "segments: unexpected header '{}'",
            header.iter().collect::<Vec<_>>().join(",")
        )));
    }
    let split = |s: &str| s.split('|').map(str::trim).filter(|x| !x.is_empty()).map(String::from).collect::<Vec<_>>();
    let mut out = Vec::new();
    for row in reader.deserialize::<Row>() {
        let row = row.map_err(|e| {
            let line = e.position().map(|p| format!(" line {}", p.line())).unwrap_or_default();
            Error::BadQuery(format!("segments{line}: {e}"))
        })?;
        let modes = split(&row.modes)
            .iter()
            .map(|m| Mode::parse(m).ok_or_else(|| Error::UnknownMode(m.clone())))
            .collect::<Result<Vec<_>>>()?;
        out.push(SegmentSpec {
            name: row.name,
            from: row.from,
            to: row.to,
            constraints: Constraints { avoid: split(&row.avoid), modes, ..Default::default() },
            max_detour: row.max_detour,
        });
    }
    Ok(out)
}

/// Checks every segment; bad input in the list itself (unknown place names) is an error.
pub fn check(planner: &Planner, segments: &[SegmentSpec]) -> Result<Vec<SegmentResult>> {
    let mut out = Vec::new();
    for s in segments {
        let q = Query { constraints: s.constraints.clone(), ..Query::new(&s.from, &s.to) };
        let modes = if s.constraints.modes.is_empty() {
            "all".to_string()
        } else {
            s.constraints.modes.iter().map(|m| m.name()).collect::<Vec<_>>().join("+")
        };
        let mut res = SegmentResult {
            name: s.name.clone(),
            from: s.from.clone(),
            to: s.to.clone(),
            modes,
            ok: false,
            distance_km: None,
            great_circle_km: None,
            detour: None,
            max_detour: s.max_detour,
            problem: None,
        };
        match planner.route(&q) {
            Ok(route) => {
                let gc = crate::geo::haversine_km(
                    route.origin.lat,
                    route.origin.lon,
                    route.destination.lat,
                    route.destination.lon,
                );
                let total = route.distance_km + route.origin.access_km + route.destination.access_km;
                let detour = if gc > 0.0 { total / gc } else { 1.0 };
                res.distance_km = Some(route.distance_km);
                res.great_circle_km = Some((gc * 10.0).round() / 10.0);
                res.detour = Some((detour * 1000.0).round() / 1000.0);
                res.ok = detour <= s.max_detour;
                if !res.ok {
                    res.problem = Some(format!("detour {detour:.2} exceeds {:.2}", s.max_detour));
                }
            }
            Err(Error::NoRoute { hint, .. }) => {
                res.problem = Some(format!("no route{}", hint.map(|h| format!(" ({h})")).unwrap_or_default()))
            }
            Err(e) if e.is_bad_input() => return Err(Error::BadQuery(format!("segment '{}': {e}", s.name))),
            Err(e) => return Err(e),
        }
        out.push(res);
    }
    Ok(out)
}
