//! The network's own lines for the web map's base layer, generalised for the view:
//! `GET /api/lines?bbox=W,S,E,N&modes=rail,sea,road` answers a GeoJSON FeatureCollection with one
//! MultiLineString per mode (`rail`, `road`, `sea`, ferries counted as sea). Edge ends are snapped
//! to a grid of [`GRID`] cells across the view's width, segments inside one cell are dropped and
//! duplicates merged, so the answer stays small at any zoom; planned links and transfers are
//! left out. At most [`MAX_SEGMENTS`] segments are returned (`truncated: true` beyond).

use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query as QueryExt, State as StateExt};
use axum::Json;
use corridor::network::{edge_flags, EdgeKind};
use serde::Deserialize;
use serde_json::{json, Value};

use super::jobs::run_job;
use super::limits::ApiError;
use super::State;

/// A grid cell (column, row) of the view.
type Cell = (i32, i32);

/// Grid cells across the view's width.
pub const GRID: f64 = 320.0;
/// Most segments in one answer.
pub const MAX_SEGMENTS: usize = 40_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinesQuery {
    bbox: Option<String>,
    modes: Option<String>,
}

fn parse_bbox(s: &str) -> Result<[f64; 4], ApiError> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| ApiError::bad(format!("bbox must be four numbers W,S,E,N in degrees (got '{s}')")))?;
    match v.as_slice() {
        &[w, s_, e, n]
            if v.iter().all(|x| x.is_finite())
                && (-180.0..=180.0).contains(&w)
                && (-180.0..=180.0).contains(&e)
                && (-90.0..=90.0).contains(&s_)
                && (-90.0..=90.0).contains(&n)
                && w < e
                && s_ < n =>
        {
            Ok([w, s_, e, n])
        }
        _ => Err(ApiError::bad(format!(
            "bbox must be W,S,E,N with -180 <= W < E <= 180 and -90 <= S < N <= 90 (got '{s}')"
        ))),
    }
}

pub async fn lines(
    StateExt(state): StateExt<Arc<State>>,
    q: Result<QueryExt<LinesQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let q = q.map_err(|e| ApiError::bad(e.body_text()))?.0;
    let bbox = parse_bbox(q.bbox.as_deref().ok_or_else(|| ApiError::bad("missing parameter 'bbox' (W,S,E,N)"))?)?;
    let modes: Vec<String> = q
        .modes
        .as_deref()
        .unwrap_or("rail,sea")
        .split(',')
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty())
        .collect();
    for m in &modes {
        if !["rail", "road", "sea"].contains(&m.as_str()) {
            return Err(ApiError::bad(format!("unknown line mode '{m}' (expected rail, road or sea)")));
        }
    }
    let v = run_job(&state, None, move |st| Ok(generalised_lines(st.planner.net(), bbox, &modes))).await?;
    Ok(Json(v))
}

/// The generalised lines of `modes` in `bbox` (see the module docs).
pub fn generalised_lines(net: &corridor::Network, bbox: [f64; 4], modes: &[String]) -> Value {
    let [w, s, e, n] = bbox;
    let cell = ((e - w) / GRID).max(1e-4);
    let to_e6 = |x: f64| (x * 1e6).round() as i64;
    // a margin of one cell so that lines leaving the view are not cut at its edge
    let (w6, s6, e6, n6) = (to_e6(w - cell), to_e6(s - cell), to_e6(e + cell), to_e6(n + cell));
    let group = |k: EdgeKind| match k {
        EdgeKind::Rail => Some(0usize),
        EdgeKind::Road => Some(1),
        EdgeKind::Sea | EdgeKind::Ferry => Some(2),
        _ => None,
    };
    let names = ["rail", "road", "sea"];
    let wanted: Vec<bool> = names.iter().map(|m| modes.iter().any(|x| x == m)).collect();
    let mut seen: HashSet<(usize, Cell, Cell)> = HashSet::new();
    let mut segments: Vec<Vec<[[f64; 2]; 2]>> = vec![Vec::new(); 3];
    let mut truncated = false;
    let snap = |lat6: i32, lon6: i32| -> (i32, i32) {
        let (lon, lat) = (lon6 as f64 / 1e6, lat6 as f64 / 1e6);
        (((lon - w) / cell).floor() as i32, ((lat - s) / cell).floor() as i32)
    };
    let centre = |c: (i32, i32)| -> [f64; 2] {
        let r = |x: f64| (x * 1e4).round() / 1e4;
        [r(w + (c.0 as f64 + 0.5) * cell), r(s + (c.1 as f64 + 0.5) * cell)]
    };
    for edge in 0..net.edge_count() {
        // planned links are not there yet; a copy of a sea lane (a sea trade closed to liners)
        // is the same water as its original
        if net.edge_flags[edge] & (edge_flags::PLANNED | edge_flags::SEA_COPY) != 0 {
            continue;
        }
        let Some(g) = EdgeKind::from_u8(net.edge_kind[edge]).and_then(group) else { continue };
        if !wanted[g] {
            continue;
        }
        let (a, b) = (net.edge_a[edge] as usize, net.edge_b[edge] as usize);
        let (alat, alon, blat, blon) = (net.lat_e6[a], net.lon_e6[a], net.lat_e6[b], net.lon_e6[b]);
        if (alon as i64 - blon as i64).abs() > 180_000_000 {
            continue; // across the antimeridian
        }
        let (lo_lon, hi_lon) = (alon.min(blon) as i64, alon.max(blon) as i64);
        let (lo_lat, hi_lat) = (alat.min(blat) as i64, alat.max(blat) as i64);
        if hi_lon < w6 || lo_lon > e6 || hi_lat < s6 || lo_lat > n6 {
            continue;
        }
        let (ca, cb) = (snap(alat, alon), snap(blat, blon));
        if ca == cb {
            continue;
        }
        let key = if ca < cb { (g, ca, cb) } else { (g, cb, ca) };
        if !seen.insert(key) {
            continue;
        }
        if seen.len() > MAX_SEGMENTS {
            truncated = true;
            break;
        }
        segments[g].push([centre(key.1), centre(key.2)]);
    }
    let features: Vec<Value> = names
        .iter()
        .enumerate()
        .filter(|(g, _)| wanted[*g])
        .map(|(g, name)| {
            json!({
                "type": "Feature",
                "geometry": {"type": "MultiLineString", "coordinates": segments[g]},
                "properties": {"mode": name, "segments": segments[g].len()},
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features, "cell_deg": cell, "truncated": truncated})
}
