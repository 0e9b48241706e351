//! The JSON endpoints of `corridor serve`: route (with alternatives), compare, matrix, places and
//! info (scenario and critical are in [`super::whatif`], with the same request fields). Every routing endpoint takes the CLI's options under the CLI's names, as a query string
//! (`GET`) or a JSON body (`POST`), and answers with exactly the CLI's `--format json` fields
//! (the library's reports, `corridor::report`, which the CLI prints), plus `geojson` when `geometry=true`.
//!
//! Lists are comma-separated strings or JSON arrays; place lists (`via`, matrix `from`/`to`) are
//! separated by `;` because place names may contain commas (`Brest, BY`).

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query as QueryExt, State as StateExt};
use axum::http::StatusCode;
use axum::Json;
use corridor::planner::Query;
use serde::Deserialize;
use serde_json::{json, Value};

use super::jobs::run_job;
use super::limits::ApiError;
use super::request::{check_place_len, json_params, list, query_params, List, Request};
use super::State;

/// Exactly one place in `field` (route and compare).
fn one_place(field: &str, v: &Option<List>, state: &State) -> Result<String, ApiError> {
    let places = list(v, ';');
    match places.as_slice() {
        [] => Err(ApiError::bad(format!("missing parameter '{field}' (a place name, UN/LOCODE or 'lat,lon')"))),
        [p] => {
            check_place_len(p, state)?;
            Ok(p.clone())
        }
        _ => Err(ApiError::bad(format!("'{field}' takes one place here (got {})", places.len()))),
    }
}

type Reply = Result<Json<Value>, ApiError>;

pub async fn route_get(StateExt(s): StateExt<Arc<State>>, q: Result<QueryExt<Request>, QueryRejection>) -> Reply {
    route(s.clone(), query_params(q)?).await
}

pub async fn route_post(StateExt(s): StateExt<Arc<State>>, b: axum::extract::Request) -> Reply {
    let req = json_params(b, &s).await?;
    route(s, req).await
}

/// Builds the planner query of a route request, checking the limits.
pub fn route_query(req: &Request, state: &State) -> Result<(Query, usize), ApiError> {
    req.refuse("route", &[])?;
    let from = one_place("from", &req.from, state)?;
    let to = one_place("to", &req.to, state)?;
    let via = list(&req.via, ';');
    for v in &via {
        check_place_len(v, state)?;
    }
    let max_w = state.limits.max_waypoints;
    if via.len() + 2 > max_w {
        return Err(ApiError::limit(
            StatusCode::BAD_REQUEST,
            "max_waypoints",
            max_w,
            format!(
                "{} waypoints (origin, {} via, destination); at most {max_w} are allowed",
                via.len() + 2,
                via.len()
            ),
        ));
    }
    let alternatives = req.alternatives.unwrap_or(0) as usize;
    let max_a = state.limits.max_alternatives;
    if alternatives > max_a {
        return Err(ApiError::limit(
            StatusCode::BAD_REQUEST,
            "max_alternatives",
            max_a,
            format!("alternatives = {alternatives}; at most {max_a} are allowed"),
        ));
    }
    let q = Query { from, to, via, constraints: req.constraints()?, objective: req.objective()? };
    Ok((q, alternatives))
}

async fn route(state: Arc<State>, req: Request) -> Reply {
    let (q, alternatives) = route_query(&req, &state)?;
    let geometry = req.geometry.unwrap_or(false);
    let market = state.market_index(req.market.as_deref())?;
    let v = run_job(&state, req.timeout_ms, move |st| {
        let planner = st.planner_of(market);
        let res = planner.routes(&q, alternatives);
        let routes = res?;
        let mut v =
            serde_json::to_value(corridor::report::RoutesReport::new(planner, &q, &routes)).expect("route serializes");
        if geometry {
            v["geojson"] = corridor::route::geojson(&routes[0]);
            for (i, r) in routes.iter().enumerate().skip(1) {
                v["alternatives"][i - 1]["geojson"] = corridor::route::geojson(r);
            }
        }
        Ok(v)
    })
    .await?;
    Ok(Json(v))
}

pub async fn compare_get(StateExt(s): StateExt<Arc<State>>, q: Result<QueryExt<Request>, QueryRejection>) -> Reply {
    compare(s.clone(), query_params(q)?).await
}

pub async fn compare_post(StateExt(s): StateExt<Arc<State>>, b: axum::extract::Request) -> Reply {
    let req = json_params(b, &s).await?;
    compare(s, req).await
}

async fn compare(state: Arc<State>, req: Request) -> Reply {
    req.refuse("compare", &[("via", req.via.is_some()), ("alternatives", req.alternatives.is_some())])?;
    let from = one_place("from", &req.from, &state)?;
    let to = one_place("to", &req.to, &state)?;
    let constraints = req.constraints()?;
    let objective = req.objective()?;
    let geometry = req.geometry.unwrap_or(false);
    let market = state.market_index(req.market.as_deref())?;
    let v = run_job(&state, req.timeout_ms, move |st| {
        let planner = st.planner_of(market);
        let rows = corridor::compare::compare(planner, &st.catalogue, &from, &to, &constraints, objective)?;
        let mut v = serde_json::to_value(corridor::report::CompareReport::new(planner, &rows)).expect("rows serialize");
        if geometry {
            for (i, r) in rows.iter().enumerate() {
                if let Some(route) = &r.route {
                    v["corridors"][i]["geojson"] = corridor::route::geojson(route);
                }
            }
        }
        Ok(v)
    })
    .await?;
    Ok(Json(v))
}

pub async fn matrix_get(StateExt(s): StateExt<Arc<State>>, q: Result<QueryExt<Request>, QueryRejection>) -> Reply {
    matrix(s.clone(), query_params(q)?).await
}

pub async fn matrix_post(StateExt(s): StateExt<Arc<State>>, b: axum::extract::Request) -> Reply {
    let req = json_params(b, &s).await?;
    matrix(s, req).await
}

async fn matrix(state: Arc<State>, req: Request) -> Reply {
    req.refuse(
        "matrix",
        &[
            ("via", req.via.is_some()),
            ("alternatives", req.alternatives.is_some()),
            ("geometry", req.geometry.is_some()),
        ],
    )?;
    let origins = list(&req.from, ';');
    let destinations = list(&req.to, ';');
    if origins.is_empty() || destinations.is_empty() {
        return Err(ApiError::bad("matrix needs 'from' and 'to': places separated by ';' (or JSON arrays)"));
    }
    for p in origins.iter().chain(&destinations) {
        check_place_len(p, &state)?;
    }
    let cells = origins.len() * destinations.len();
    let max = state.limits.max_matrix_cells;
    if cells > max {
        return Err(ApiError::limit(
            StatusCode::BAD_REQUEST,
            "max_matrix_cells",
            max,
            format!(
                "{} origins x {} destinations = {cells} cells; at most {max} are allowed",
                origins.len(),
                destinations.len()
            ),
        ));
    }
    let constraints = req.constraints()?;
    let objective = req.objective()?;
    let market = state.market_index(req.market.as_deref())?;
    let v = run_job(&state, req.timeout_ms, move |st| {
        let m = st.planner_of(market).matrix(&origins, &destinations, &constraints, objective, 1, &|| {})?;
        Ok(serde_json::to_value(&m).expect("matrix serializes"))
    })
    .await?;
    Ok(Json(v))
}

#[derive(Deserialize)]
pub struct PlacesQuery {
    q: Option<String>,
    limit: Option<usize>,
}

/// Gazetteer completion for type-ahead: places whose name starts with `q`.
pub async fn places(StateExt(state): StateExt<Arc<State>>, q: Result<QueryExt<PlacesQuery>, QueryRejection>) -> Reply {
    let q = q.map_err(|e| ApiError::bad(e.body_text()))?.0;
    let text = q.q.unwrap_or_default();
    if text.trim().is_empty() {
        return Err(ApiError::bad("missing parameter 'q' (the start of a place name)"));
    }
    check_place_len(&text, &state)?;
    let limit = q.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::limit(StatusCode::BAD_REQUEST, "limit", 50, "limit must be between 1 and 50"));
    }
    let net = state.planner.net();
    let hits = state.planner.gazetteer().complete(&net.meta.places, &text, limit);
    let places: Vec<Value> = hits
        .iter()
        .map(|&i| {
            let p = &net.meta.places[i];
            let mut v = p.listing();
            if let Some(o) = v.as_object_mut() {
                o.remove("hub");
                o.remove("origin");
                o.insert("label".into(), json!(format!("{}, {}", p.name, p.country)));
            }
            v
        })
        .collect();
    Ok(Json(json!({ "places": places })))
}

/// Network provenance, the passages and countries that may be avoided, and the limits.
pub async fn info(StateExt(state): StateExt<Arc<State>>) -> Json<Value> {
    let net = state.planner.net();
    Json(json!({
        "network": {"version": net.meta.version, "attribution": net.meta.attribution},
        "params_version": state.planner.params().version,
        "countries": net.meta.countries.iter().skip(1).collect::<Vec<_>>(),
        "passages": net.meta.passages.iter().skip(1).collect::<Vec<_>>(),
        "default_closed_passages": state.planner.default_closed_passages(),
        "modes": ["rail", "road", "sea", "ferry"],
        "objectives": ["cost", "time", "distance", "co2"],
        "default_objective": "cost",
        "market": state.planner.params().market,
        "markets": std::iter::once(&state.planner).chain(&state.markets).map(|p| &p.params().market).collect::<Vec<_>>(),
        "engine": super::engine_name(&state.planner),
        "limits": state.limits,
        "scenario_examples": super::whatif::EXAMPLES.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        "cache_warnings": (state.cache_warnings)(),
    }))
}
