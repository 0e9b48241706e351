//! An OSRM-compatible route service, `GET /route/v1/{profile}/{lon,lat;lon,lat...}`, so that
//! OSRM clients and map plugins (routingpy, leaflet-routing-machine, OSRM's own front-end) work
//! unchanged against corridor.
//!
//! Profiles: `freight` (all modes), `rail`, `road`, `sea` (that mode only, as `--modes`).
//! Options: `alternatives` (true|false|N), `geometries` (polyline|polyline6|geojson), `overview`
//! (simplified|full|false), `steps` (accepted; steps are always empty: a freight leg has no
//! turn-by-turn instructions), `exclude` (comma list of ISO country codes and passage names,
//! e.g. `RU,IR,suez`). corridor extensions: `by` (distance|time|cost|co2) and `allow_planned`.
//! Other OSRM options (radiuses, bearings, hints, annotations, continue_straight...) are ignored.
//!
//! The response has OSRM's shape: `code`, `routes[]` (`distance` m, `duration` s, `weight`,
//! `weight_name`, `geometry`, `legs[]` with `distance`, `duration`, `weight`, `summary`,
//! `steps`), `waypoints[]` (`name`, `location` [lon, lat] on the network, `distance` m from the
//! query point, `hint`). Legs run between consecutive waypoints: a route's mode legs are cut at
//! the via points, and each part's distance and duration are its share of the mode legs it
//! covers (spread along their geometry), so that the legs add up to the route. Errors are HTTP
//! 400 with `{"code": "InvalidUrl"|"InvalidValue"|"InvalidQuery"|"NoSegment"|"NoRoute"|"TooBig",
//! "message": ...}` as in OSRM.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query as QueryExt, State as StateExt};
use axum::http::StatusCode;
use axum::Json;
use corridor::model::cost::Objective;
use corridor::network::Mode;
use corridor::planner::Query;
use corridor::route::Route;
use serde_json::{json, Value};

use super::jobs::run_job;
use super::limits::ApiError;
use super::State;

fn osrm_error(code: &str, message: impl Into<String>) -> ApiError {
    ApiError { status: StatusCode::BAD_REQUEST, body: json!({"code": code, "message": message.into()}) }
}

/// Gives errors from the shared job runner (time limit, internal) OSRM's `code`/`message`.
fn osrmify(mut e: ApiError) -> ApiError {
    if e.body.get("code").is_none() {
        let message = e.body["error"].as_str().unwrap_or("error").to_string();
        let code = match e.body["kind"].as_str() {
            Some("limit") => "TooBig",
            _ => "InternalError",
        };
        e.body = json!({"code": code, "message": message, "kind": e.body["kind"]});
    }
    e
}

/// The parsed request.
struct OsrmRequest {
    points: Vec<(f64, f64)>,
    modes: Vec<Mode>,
    alternatives: usize,
    geometries: Geometries,
    overview: Overview,
    avoid: Vec<String>,
    avoid_passages: Vec<String>,
    objective: Objective,
    allow_planned: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Geometries {
    Polyline5,
    Polyline6,
    GeoJson,
}

#[derive(Clone, Copy, PartialEq)]
enum Overview {
    Simplified,
    Full,
    False,
}

fn parse_bool(name: &str, v: &str) -> Result<bool, ApiError> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(osrm_error("InvalidOptions", format!("{name} must be true or false (got '{v}')"))),
    }
}

fn parse_request(
    state: &State,
    profile: &str,
    coords: &str,
    opts: &HashMap<String, String>,
) -> Result<OsrmRequest, ApiError> {
    let modes = match profile {
        "freight" => vec![],
        "rail" => vec![Mode::Rail],
        "road" => vec![Mode::Road],
        "sea" => vec![Mode::Sea],
        other => {
            return Err(osrm_error(
                "InvalidValue",
                format!("unknown profile '{other}' (expected freight, rail, road or sea)"),
            ))
        }
    };
    let coords = coords.strip_suffix(".json").unwrap_or(coords);
    if coords.starts_with("polyline(") {
        return Err(osrm_error("InvalidQuery", "polyline-encoded coordinates are not supported; use lon,lat;lon,lat"));
    }
    let mut points = Vec::new();
    for pair in coords.split(';') {
        let parsed = pair
            .split_once(',')
            .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)));
        match parsed {
            Some((lon, lat))
                if lon.is_finite()
                    && lat.is_finite()
                    && (-180.0..=180.0).contains(&lon)
                    && (-90.0..=90.0).contains(&lat) =>
            {
                points.push((lon, lat))
            }
            _ => {
                return Err(osrm_error(
                    "InvalidQuery",
                    format!(
                        "invalid coordinate '{pair}' (expected lon,lat in degrees, lon in [-180,180], lat in [-90,90])"
                    ),
                ))
            }
        }
    }
    if points.len() < 2 {
        return Err(osrm_error("InvalidQuery", "at least two coordinates are needed"));
    }
    let max_w = state.limits.max_waypoints;
    if points.len() > max_w {
        return Err(ApiError {
            status: StatusCode::BAD_REQUEST,
            body: json!({"code": "TooBig", "message": format!("{} coordinates; at most {max_w} are allowed", points.len()), "kind": "limit", "limit": "max_waypoints", "max": max_w}),
        });
    }
    let alternatives = match opts.get("alternatives").map(String::as_str) {
        None | Some("false") => 0,
        Some("true") => 2,
        Some(n) => n.parse::<usize>().map_err(|_| {
            osrm_error("InvalidOptions", format!("alternatives must be true, false or a number (got '{n}')"))
        })?,
    };
    let max_a = state.limits.max_alternatives;
    if alternatives > max_a {
        return Err(ApiError {
            status: StatusCode::BAD_REQUEST,
            body: json!({"code": "TooBig", "message": format!("alternatives = {alternatives}; at most {max_a} are allowed"), "kind": "limit", "limit": "max_alternatives", "max": max_a}),
        });
    }
    let geometries = match opts.get("geometries").map(String::as_str) {
        None | Some("polyline") => Geometries::Polyline5,
        Some("polyline6") => Geometries::Polyline6,
        Some("geojson") => Geometries::GeoJson,
        Some(g) => {
            return Err(osrm_error(
                "InvalidOptions",
                format!("geometries must be polyline, polyline6 or geojson (got '{g}')"),
            ))
        }
    };
    let overview = match opts.get("overview").map(String::as_str) {
        None | Some("simplified") => Overview::Simplified,
        Some("full") => Overview::Full,
        Some("false") => Overview::False,
        Some(o) => {
            return Err(osrm_error("InvalidOptions", format!("overview must be simplified, full or false (got '{o}')")))
        }
    };
    if let Some(s) = opts.get("steps") {
        parse_bool("steps", s)?;
    }
    let mut avoid = Vec::new();
    let mut avoid_passages = Vec::new();
    for item in opts.get("exclude").map(String::as_str).unwrap_or("").split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        if item.len() == 2 && item.chars().all(|c| c.is_ascii_alphabetic()) {
            avoid.push(item.to_ascii_uppercase());
        } else {
            avoid_passages.push(item.to_string());
        }
    }
    let objective = match opts.get("by") {
        None => Objective::Distance,
        Some(b) => Objective::parse(b).ok_or_else(|| {
            osrm_error("InvalidOptions", format!("by must be distance, time, cost or co2 (got '{b}')"))
        })?,
    };
    let allow_planned = match opts.get("allow_planned") {
        None => false,
        Some(v) => parse_bool("allow_planned", v)?,
    };
    Ok(OsrmRequest {
        points,
        modes,
        alternatives,
        geometries,
        overview,
        avoid,
        avoid_passages,
        objective,
        allow_planned,
    })
}

/// `GET /route/v1/{profile}/{coordinates}`.
pub async fn route(
    StateExt(state): StateExt<Arc<State>>,
    path: Result<Path<(String, String)>, PathRejection>,
    opts: Result<QueryExt<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path((profile, coords)) = path.map_err(|e| osrm_error("InvalidUrl", e.body_text()))?;
    let opts = opts.map_err(|e| osrm_error("InvalidUrl", e.body_text()))?.0;
    let req = parse_request(&state, &profile, &coords, &opts)?;
    let stops: Vec<String> = req.points.iter().map(|(lon, lat)| format!("{lat},{lon}")).collect();
    let constraints = corridor::planner::Constraints {
        avoid: req.avoid.clone(),
        avoid_passages: req.avoid_passages.clone(),
        modes: req.modes.clone(),
        allow_planned: req.allow_planned,
        ..Default::default()
    };
    let q = Query {
        from: stops[0].clone(),
        to: stops[stops.len() - 1].clone(),
        via: stops[1..stops.len() - 1].to_vec(),
        constraints,
        objective: req.objective,
    };
    let v = run_job(&state, None, move |st| {
        let res = st.planner.routes(&q, req.alternatives);
        let routes = res.map_err(|e| match e {
            corridor::Error::NoRoute { .. } => osrm_error("NoRoute", e.to_string()),
            corridor::Error::CannotSnap(_) => osrm_error("NoSegment", e.to_string()),
            e if e.is_bad_input() => osrm_error("InvalidValue", e.to_string()),
            e => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
        })?;
        Ok(response(&routes, &req))
    })
    .await
    .map_err(osrmify)?;
    Ok(Json(v))
}

fn response(routes: &[Route], req: &OsrmRequest) -> Value {
    let best = &routes[0];
    let mut ends = vec![&best.origin];
    ends.extend(best.via.iter());
    ends.push(&best.destination);
    let waypoints: Vec<Value> = ends
        .iter()
        .map(|e| {
            json!({
                "name": e.name,
                "location": [e.network_lon, e.network_lat],
                "distance": (e.access_km * 1000.0 * 10.0).round() / 10.0,
                "hint": "",
            })
        })
        .collect();
    let routes: Vec<Value> = routes.iter().map(|r| osrm_route(r, req)).collect();
    json!({"code": "Ok", "routes": routes, "waypoints": waypoints})
}

/// The route's polyline with cumulative metres and seconds per point (the legs' km and hours
/// spread along their geometry) and the mode of the leg each point ends.
struct Track {
    pts: Vec<[f64; 2]>,
    cum_m: Vec<f64>,
    cum_s: Vec<f64>,
    mode: Vec<Mode>,
}

fn haversine_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    corridor::geo::haversine_km(a[1], a[0], b[1], b[0]) * 1000.0
}

fn track(route: &Route) -> Track {
    let mut t = Track { pts: vec![], cum_m: vec![], cum_s: vec![], mode: vec![] };
    let (mut m, mut s) = (0.0, 0.0);
    for leg in &route.legs {
        let (leg_m, leg_s) = (leg.distance_km * 1000.0, leg.measures.hours * 3600.0);
        let pts: Vec<[f64; 2]> =
            if leg.coords.is_empty() { vec![leg.from_coord, leg.to_coord] } else { leg.coords.clone() };
        let geo: f64 = pts.windows(2).map(|w| haversine_m(w[0], w[1])).sum();
        t.pts.push(pts[0]);
        t.cum_m.push(m);
        t.cum_s.push(s);
        t.mode.push(leg.mode);
        for w in pts.windows(2) {
            let share = if geo > 0.0 { haversine_m(w[0], w[1]) / geo } else { 0.0 };
            m += leg_m * share;
            s += leg_s * share;
            t.pts.push(w[1]);
            t.cum_m.push(m);
            t.cum_s.push(s);
            t.mode.push(leg.mode);
        }
        if geo <= 0.0 {
            // a leg without length on the map (a transfer inside one port): all at its end
            m += leg_m;
            s += leg_s;
            if let (Some(a), Some(b)) = (t.cum_m.last_mut(), t.cum_s.last_mut()) {
                *a = m;
                *b = s;
            }
        }
    }
    if t.pts.is_empty() {
        // origin and destination on the same node: a route without legs
        let o = [route.origin.network_lon, route.origin.network_lat];
        t.pts = vec![o, o];
        t.cum_m = vec![0.0, 0.0];
        t.cum_s = vec![0.0, 0.0];
        t.mode = vec![Mode::Transfer, Mode::Transfer];
    }
    t
}

fn osrm_route(route: &Route, req: &OsrmRequest) -> Value {
    let t = track(route);
    // cut at the via points: the first track point at or after the previous cut nearest to each
    let mut cuts = vec![0usize];
    for v in &route.via {
        let target = [v.network_lon, v.network_lat];
        let start = *cuts.last().unwrap();
        let exact = (start..t.pts.len())
            .find(|&i| (t.pts[i][0] - target[0]).abs() < 1e-7 && (t.pts[i][1] - target[1]).abs() < 1e-7);
        let i = exact.unwrap_or_else(|| {
            (start..t.pts.len())
                .min_by(|&a, &b| haversine_m(t.pts[a], target).total_cmp(&haversine_m(t.pts[b], target)))
                .unwrap_or(start)
        });
        cuts.push(i);
    }
    cuts.push(t.pts.len().saturating_sub(1));
    let weight_of = |m: f64, s: f64, frac: f64| match req.objective {
        Objective::Distance => m,
        Objective::Time => s,
        Objective::Cost => route.totals.usd_per_feu * frac,
        Objective::Co2 => route.totals.kg_co2e_per_teu * frac,
    };
    let total_m = t.cum_m.last().copied().unwrap_or(0.0);
    let total_s = t.cum_s.last().copied().unwrap_or(0.0);
    let legs: Vec<Value> = cuts
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let dm = t.cum_m[b] - t.cum_m[a];
            let ds = t.cum_s[b] - t.cum_s[a];
            let mut modes: Vec<&str> = Vec::new();
            for k in a + 1..=b {
                let name = t.mode[k].name();
                if t.mode[k] != Mode::Transfer && modes.last() != Some(&name) {
                    modes.push(name);
                }
            }
            let frac = if total_m > 0.0 { dm / total_m } else { 0.0 };
            json!({
                "distance": round1(dm),
                "duration": round1(ds),
                "weight": round1(weight_of(dm, ds, frac)),
                "summary": modes.join(", "),
                "steps": [],
            })
        })
        .collect();
    let mut pts: Vec<[f64; 2]> = Vec::with_capacity(t.pts.len());
    for p in &t.pts {
        if pts.last() != Some(p) {
            pts.push(*p);
        }
    }
    if req.overview == Overview::Simplified {
        pts = simplify(&pts);
    }
    if pts.len() == 1 {
        pts.push(pts[0]); // a LineString needs two positions
    }
    let geometry = match (req.overview, req.geometries) {
        (Overview::False, _) => Value::Null,
        (_, Geometries::GeoJson) => json!({"type": "LineString", "coordinates": pts}),
        (_, Geometries::Polyline5) => json!(encode_polyline(&pts, 5)),
        (_, Geometries::Polyline6) => json!(encode_polyline(&pts, 6)),
    };
    let mut v = json!({
        "distance": round1(total_m),
        "duration": round1(total_s),
        "weight": round1(weight_of(total_m, total_s, 1.0)),
        "weight_name": match req.objective {
            Objective::Distance => "distance",
            Objective::Time => "duration",
            Objective::Cost => "usd_per_feu",
            Objective::Co2 => "kg_co2e_per_teu",
        },
        "legs": legs,
        // corridor's own explanation, for clients that look further than OSRM's fields
        "countries": route.countries,
        "passages": route.passages,
    });
    if req.overview != Overview::False {
        v["geometry"] = geometry;
    }
    v
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Douglas-Peucker in degrees with a tolerance of 1/2000 of the route's extent: what OSRM's
/// `overview=simplified` is for (a line that looks the same at the zoom showing the route).
fn simplify(pts: &[[f64; 2]]) -> Vec<[f64; 2]> {
    if pts.len() < 3 {
        return pts.to_vec();
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in pts {
        x0 = x0.min(p[0]);
        y0 = y0.min(p[1]);
        x1 = x1.max(p[0]);
        y1 = y1.max(p[1]);
    }
    let eps = ((x1 - x0).hypot(y1 - y0) / 2000.0).max(1e-6);
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    let mut stack = vec![(0usize, pts.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (pa, pb) = (pts[a], pts[b]);
        let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
        let len = dx.hypot(dy);
        let mut best = (0.0, 0);
        for (i, p) in pts.iter().enumerate().take(b).skip(a + 1) {
            let d = if len == 0.0 {
                (p[0] - pa[0]).hypot(p[1] - pa[1])
            } else {
                ((p[0] - pa[0]) * dy - (p[1] - pa[1]) * dx).abs() / len
            };
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > eps {
            keep[best.1] = true;
            stack.push((a, best.1));
            stack.push((best.1, b));
        }
    }
    pts.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}

/// Google's encoded polyline (lat, lon order) at 5 or 6 decimal digits, as OSRM writes it.
pub fn encode_polyline(pts: &[[f64; 2]], precision: i32) -> String {
    let factor = 10f64.powi(precision);
    let mut out = String::new();
    let (mut plat, mut plon) = (0i64, 0i64);
    let put = |mut v: i64, out: &mut String| {
        v = if v < 0 { !(v << 1) } else { v << 1 };
        while v >= 0x20 {
            out.push(char::from_u32((((v & 0x1f) | 0x20) + 63) as u32).unwrap());
            v >>= 5;
        }
        out.push(char::from_u32((v + 63) as u32).unwrap());
    };
    for p in pts {
        let (lat, lon) = ((p[1] * factor).round() as i64, (p[0] * factor).round() as i64);
        put(lat - plat, &mut out);
        put(lon - plon, &mut out);
        plat = lat;
        plon = lon;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polyline_matches_googles_example() {
        // https://developers.google.com/maps/documentation/utilities/polylinealgorithm
        let pts = [[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]];
        assert_eq!(encode_polyline(&pts, 5), "_p~iF~ps|U_ulLnnqC_mqNvxq`@");
    }

    #[test]
    fn simplify_keeps_ends_and_corners() {
        let pts = [[0.0, 0.0], [1.0, 0.000001], [2.0, 0.0], [2.0, 2.0]];
        let s = simplify(&pts);
        assert_eq!(s, vec![[0.0, 0.0], [2.0, 0.0], [2.0, 2.0]]);
    }
}
