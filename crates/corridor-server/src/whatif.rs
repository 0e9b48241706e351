//! The analysis endpoints of `corridor serve`: `/api/scenario` (what a scenario changes for
//! some pairs, `corridor scenario`; with `geometry=true` also the best route's GeoJSON before and
//! after) and `/api/critical` (which elements the flows depend on,
//! `corridor critical`) and `/api/capacity` (maximum flow and bottleneck per corridor, least-cost
//! assignment of a demand, `corridor capacity`). Same options and same JSON as the commands. They re-route many flows,
//! so they run under the longer `analysis_timeout_secs` limit, with their own size limits; a
//! criticality ranking stops between removals once its time limit has passed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query as QueryExt, State as StateExt};
use axum::http::StatusCode;
use axum::Json;
use corridor::capacity::CapacityFile;
use corridor::od::{self, OdPair};
use corridor::scenario::Scenario;
use serde_json::{json, Value};

use super::jobs::run_job_with;
use super::limits::ApiError;
use super::request::{check_place_len, json_params, query_params, Request};
use super::State;

/// The scenarios shipped in examples/scenarios/, by file stem.
pub const EXAMPLES: [(&str, &str); 4] = [
    ("red-sea-closed", include_str!("../../../examples/scenarios/red-sea-closed.toml")),
    ("red-sea-closed-caspian-doubled", include_str!("../../../examples/scenarios/red-sea-closed-caspian-doubled.toml")),
    ("middle-corridor-fast-borders", include_str!("../../../examples/scenarios/middle-corridor-fast-borders.toml")),
    ("imec-built", include_str!("../../../examples/scenarios/imec-built.toml")),
];

type Reply = Result<Json<Value>, ApiError>;

pub async fn scenario_get(StateExt(s): StateExt<Arc<State>>, q: Result<QueryExt<Request>, QueryRejection>) -> Reply {
    scenario(s.clone(), query_params(q)?).await
}

pub async fn scenario_post(StateExt(s): StateExt<Arc<State>>, b: axum::extract::Request) -> Reply {
    let req = json_params(b, &s).await?;
    scenario(s, req).await
}

/// The scenario of a request (`example` or `scenario`, as TOML text or a JSON object with the
/// file's keys) and where it came from.
fn scenario_of(req: &Request) -> Result<(Scenario, String), ApiError> {
    match (&req.example, &req.scenario) {
        (Some(_), Some(_)) => Err(ApiError::bad("give 'example' or 'scenario', not both")),
        (None, None) => Err(ApiError::bad(format!(
            "missing 'scenario' (TOML text or a JSON object, see docs/scenarios.md) or 'example' (one of {})",
            example_names()
        ))),
        (Some(name), None) => {
            let (stem, text) = EXAMPLES
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
                .ok_or_else(|| ApiError::bad(format!("unknown example '{name}' (known: {})", example_names())))?;
            let origin = format!("examples/scenarios/{stem}.toml");
            Ok((Scenario::parse(text, &origin)?, origin))
        }
        (None, Some(Value::String(text))) => Ok((Scenario::parse(text, "scenario")?, "request".into())),
        (None, Some(v @ Value::Object(_))) => Ok((Scenario::from_json(v, "scenario")?, "request".into())),
        (None, Some(_)) => Err(ApiError::bad("'scenario' must be TOML text or a JSON object")),
    }
}

fn example_names() -> String {
    EXAMPLES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

/// The pair limit (`max_scenario_pairs`) and the place-name limit of a request's pairs.
fn check_pairs(pairs: &[OdPair], what: &str, state: &State) -> Result<(), ApiError> {
    let max = state.limits.max_scenario_pairs;
    if pairs.len() > max {
        return Err(ApiError::limit(
            StatusCode::BAD_REQUEST,
            "max_scenario_pairs",
            max,
            format!("{} pairs; at most {max} are allowed per {what} request", pairs.len()),
        ));
    }
    for p in pairs {
        check_place_len(&p.from, state)?;
        check_place_len(&p.to, state)?;
    }
    Ok(())
}

/// Pairs of a request: `from`+`to`, or `od` (CSV text from,to[,demand]); else the scenario's
/// own pairs, else the shipped set (data/od/scenario-pairs.csv).
fn pairs_of(req: &Request, sc: &Scenario, state: &State) -> Result<Vec<OdPair>, ApiError> {
    let from = req.places("from")?;
    let to = req.places("to")?;
    let pairs = match (from.as_slice(), to.as_slice(), &req.od) {
        ([_, ..], _, Some(_)) | (_, [_, ..], Some(_)) => {
            return Err(ApiError::bad("give 'from' and 'to', or 'od', not both"))
        }
        ([f], [t], None) => vec![OdPair { from: f.clone(), to: t.clone(), demand: None }],
        ([], [], Some(text)) => od::parse(text, "od")?,
        ([], [], None) if !sc.pair.is_empty() => {
            sc.pair.iter().map(|p| OdPair { from: p.from.clone(), to: p.to.clone(), demand: None }).collect()
        }
        ([], [], None) => od::parse(od::SCENARIO_PAIRS_CSV, "data/od/scenario-pairs.csv")?,
        _ => return Err(ApiError::bad("give one 'from' and one 'to' (or 'od' for several pairs)")),
    };
    check_pairs(&pairs, "scenario", state)?;
    Ok(pairs)
}

async fn scenario(state: Arc<State>, req: Request) -> Reply {
    req.refuse(
        "scenario",
        &[
            ("via", req.via.is_some()),
            ("alternatives", req.alternatives.is_some()),
            ("corridor", req.corridor.is_some()),
        ],
    )?;
    let geometry = req.geometry.unwrap_or(false);
    let (sc, origin) = scenario_of(&req)?;
    let pairs = pairs_of(&req, &sc, &state)?;
    let user = req.constraints()?;
    let objective = req.objective()?;
    let market = state.market_index(req.market.as_deref())?;
    let limit = state.limits.analysis_timeout_secs;
    let v = run_job_with(&state, req.timeout_ms, limit, move |st, _| {
        let before = st.planner_of(market);
        let applied = sc.apply(before, &CapacityFile::shipped())?;
        let after = applied.planner(before);
        let report =
            corridor::scenario::evaluate(&sc, &applied, before, &after, &st.catalogue, &pairs, &user, objective)?;
        let mut v = serde_json::to_value(&report).expect("report serializes");
        v["scenario_file"] = json!(origin);
        if geometry {
            for (i, p) in report.pairs.iter().enumerate() {
                for (key, route) in ["geojson_before", "geojson_after"].into_iter().zip(&p.routes) {
                    if let Some(r) = route {
                        v["pairs"][i]["route"][key] = corridor::route::geojson(r);
                    }
                }
            }
        }
        Ok(v)
    })
    .await?;
    Ok(Json(v))
}

pub async fn critical_get(StateExt(s): StateExt<Arc<State>>, q: Result<QueryExt<Request>, QueryRejection>) -> Reply {
    critical(s.clone(), query_params(q)?).await
}

pub async fn critical_post(StateExt(s): StateExt<Arc<State>>, b: axum::extract::Request) -> Reply {
    let req = json_params(b, &s).await?;
    critical(s, req).await
}

async fn critical(state: Arc<State>, req: Request) -> Reply {
    req.refuse(
        "critical",
        &[
            ("from", req.from.is_some()),
            ("to", req.to.is_some()),
            ("via", req.via.is_some()),
            ("alternatives", req.alternatives.is_some()),
            ("geometry", req.geometry.is_some()),
            ("example", req.example.is_some()),
            ("scenario", req.scenario.is_some()),
        ],
    )?;
    let (flows, constraints) =
        corridor::critical::inputs(req.od.as_deref(), req.corridor.as_deref(), req.constraints()?, &state.catalogue)?;
    let max = state.limits.max_critical_flows;
    if flows.len() > max {
        return Err(ApiError::limit(
            StatusCode::BAD_REQUEST,
            "max_critical_flows",
            max,
            format!("{} flows; at most {max} are allowed per criticality request", flows.len()),
        ));
    }
    for f in &flows {
        check_place_len(&f.from, &state)?;
        check_place_len(&f.to, &state)?;
    }
    let objective = req.objective()?;
    let market = state.market_index(req.market.as_deref())?;
    let limit = state.limits.analysis_timeout_secs;
    let v = run_job_with(&state, req.timeout_ms, limit, move |st, cancel: &AtomicBool| {
        // one thread per request: the server's workers already share the cores
        let c = corridor::critical::critical(st.planner_of(market), &flows, &constraints, objective, 1, &|_, _| {
            !cancel.load(Ordering::Relaxed)
        })?;
        Ok(serde_json::to_value(&c).expect("ranking serializes"))
    })
    .await?;
    Ok(Json(v))
}

pub async fn capacity_get(StateExt(s): StateExt<Arc<State>>, q: Result<QueryExt<Request>, QueryRejection>) -> Reply {
    capacity(s.clone(), query_params(q)?).await
}

pub async fn capacity_post(StateExt(s): StateExt<Arc<State>>, b: axum::extract::Request) -> Reply {
    let req = json_params(b, &s).await?;
    capacity(s, req).await
}

/// The pairs of a capacity request: `od` (CSV text from,to[,demand]) or the shipped Middle
/// Corridor set (data/od/middle.csv), within the scenario pair limit.
fn capacity_pairs(req: &Request, state: &State) -> Result<(Vec<OdPair>, String), ApiError> {
    let (pairs, name) = match &req.od {
        Some(text) => (od::parse(text, "od")?, "request".to_string()),
        None => (od::parse(od::MIDDLE_CSV, "data/od/middle.csv")?, "data/od/middle.csv".to_string()),
    };
    check_pairs(&pairs, "capacity", state)?;
    Ok((pairs, name))
}

async fn capacity(state: Arc<State>, req: Request) -> Reply {
    req.refuse(
        "capacity",
        &[
            ("from", req.from.is_some()),
            ("to", req.to.is_some()),
            ("via", req.via.is_some()),
            ("alternatives", req.alternatives.is_some()),
            ("geometry", req.geometry.is_some()),
        ],
    )?;
    let catalogue = match &req.corridor {
        Some(id) => {
            let c = state.catalogue.get(id).ok_or_else(|| {
                let ids: Vec<&str> = state.catalogue.corridor.iter().map(|c| c.id.as_str()).collect();
                ApiError::bad(format!("unknown corridor '{id}' (known: {})", ids.join(", ")))
            })?;
            corridor::compare::Catalogue { version: state.catalogue.version.clone(), corridor: vec![c.clone()] }
        }
        None => state.catalogue.clone(),
    };
    let scenario = match (&req.example, &req.scenario) {
        (None, None) => None,
        _ => Some(scenario_of(&req)?.0),
    };
    let (pairs, od_name) = capacity_pairs(&req, &state)?;
    let assign = req.assign.unwrap_or(false);
    let user = req.constraints()?;
    let objective = req.objective()?;
    let market = state.market_index(req.market.as_deref())?;
    let limit = state.limits.analysis_timeout_secs;
    let v = run_job_with(&state, req.timeout_ms, limit, move |st, _| {
        let base = st.planner_of(market);
        let applied = scenario.as_ref().map(|s| s.apply(base, &CapacityFile::shipped())).transpose()?;
        let after = applied.as_ref().map(|a| a.planner(base));
        let query = corridor::analysis::capacity::CapacityQuery {
            catalogue: &catalogue,
            pairs: &pairs,
            od_name,
            assign,
            constraints: applied.as_ref().map(|a| a.constrain(&user)).unwrap_or_else(|| user.clone()),
            objective,
            capacities: applied.as_ref().map(|a| a.capacities.clone()).unwrap_or_else(CapacityFile::shipped),
            scenario: scenario.as_ref(),
        };
        let report = corridor::analysis::capacity::capacity(after.as_ref().unwrap_or(base), &query, &|| {})?;
        Ok(serde_json::to_value(&report).expect("report serializes"))
    })
    .await?;
    Ok(Json(v))
}
