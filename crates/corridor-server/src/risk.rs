//! The risk layer over HTTP: `/api/risk/route` (a route's exposure, the JSON of `corridor risk
//! route --format json`) and `/api/risk/areas` (the high-risk areas, the JSON of `corridor risk
//! areas --format json`), both as of `as_of` (default: the newest incident of the shipped
//! table), with `max_risk` closing the edges above it. The JSON comes from the CLI's own
//! builders (`riskcmd.rs`), so the two cannot drift apart.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query as QueryExt, State as StateExt};
use axum::http::StatusCode;
use axum::Json;
use corridor::planner::{Constraints, Query};
use corridor::risk::{self, RiskLayer};
use serde::Deserialize;
use serde_json::Value;

use super::jobs::run_job;
use super::limits::ApiError;
use super::request::{check_place_len, refuse, List};
use super::State;

/// Parameters of the risk endpoints.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskRequest {
    pub from: Option<List>,
    pub to: Option<List>,
    pub via: Option<List>,
    pub avoid: Option<List>,
    pub avoid_waters: Option<bool>,
    pub avoid_passage: Option<List>,
    pub allow_passage: Option<List>,
    pub modes: Option<List>,
    pub allow_planned: Option<bool>,
    pub by: Option<String>,
    pub market: Option<String>,
    /// Date of the risk field (YYYY-MM-DD).
    pub as_of: Option<String>,
    /// Close edges whose field exceeds this.
    pub max_risk: Option<f64>,
    /// Nearest incidents (route) or recent incidents per area (areas) to list; at most 50.
    pub limit: Option<usize>,
    /// One area (areas only).
    pub area: Option<String>,
    pub timeout_ms: Option<u64>,
}

fn items(v: &Option<List>, sep: char) -> Vec<String> {
    v.as_ref()
        .map(|l| {
            l.0.iter().flat_map(|s| s.split(sep)).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
        })
        .unwrap_or_default()
}

const MAX_LIMIT: usize = 50;

impl RiskRequest {
    fn limit(&self, default: usize) -> Result<usize, ApiError> {
        let n = self.limit.unwrap_or(default);
        if n > MAX_LIMIT {
            return Err(ApiError::limit(
                StatusCode::BAD_REQUEST,
                "max_risk_limit",
                MAX_LIMIT,
                format!("limit = {n}; at most {MAX_LIMIT} incidents are listed"),
            ));
        }
        Ok(n)
    }
    /// The route parameters, which only `risk/route` takes: (name, given).
    fn route_only(&self) -> [(&'static str, bool); 6] {
        [
            ("from", self.from.is_some()),
            ("to", self.to.is_some()),
            ("via", self.via.is_some()),
            ("avoid", self.avoid.is_some()),
            ("modes", self.modes.is_some()),
            ("by", self.by.is_some()),
        ]
    }
    fn as_of(&self) -> Result<Option<risk::Date>, ApiError> {
        Ok(self.as_of.as_deref().map(risk::parse_as_of).transpose()?)
    }
    fn one(&self, field: &str, v: &Option<List>, state: &State) -> Result<String, ApiError> {
        match items(v, ';').as_slice() {
            [p] => {
                check_place_len(p, state)?;
                Ok(p.clone())
            }
            [] => Err(ApiError::bad(format!("missing parameter '{field}' (a place name, UN/LOCODE or 'lat,lon')"))),
            many => Err(ApiError::bad(format!("'{field}' takes one place here (got {})", many.len()))),
        }
    }
}

type Reply = Result<Json<Value>, ApiError>;

/// A report as the JSON value of the reply.
fn to_json<T: serde::Serialize>(report: T) -> Result<Value, ApiError> {
    serde_json::to_value(report)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))
}

fn query(r: Result<QueryExt<RiskRequest>, QueryRejection>) -> Result<RiskRequest, ApiError> {
    r.map(|q| q.0).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.body_text()))
}

/// A request body as [`RiskRequest`], under the other endpoints' rules: JSON only, at most
/// `max_body_bytes`, within the body time limit.
async fn body(b: axum::extract::Request, state: &State) -> Result<RiskRequest, ApiError> {
    use http_body_util::BodyExt;
    let ct = b.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ct.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "bad_request",
            "POST bodies must be JSON with Content-Type: application/json",
        ));
    }
    let max = state.limits.max_body_bytes;
    let limited = http_body_util::Limited::new(b.into_body(), max);
    let deadline = std::time::Duration::from_secs(state.limits.body_timeout_secs);
    let bytes = match tokio::time::timeout(deadline, limited.collect()).await {
        Err(_) => {
            return Err(ApiError::limit(
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout_secs",
                state.limits.body_timeout_secs,
                "the request body did not arrive in time",
            ))
        }
        Ok(Err(_)) => {
            return Err(ApiError::limit(
                StatusCode::PAYLOAD_TOO_LARGE,
                "max_body_bytes",
                max,
                format!("request body larger than {max} bytes"),
            ))
        }
        Ok(Ok(c)) => c.to_bytes(),
    };
    serde_json::from_slice(&bytes).map_err(|e| ApiError::bad(format!("invalid JSON body: {e}")))
}

pub async fn route_get(StateExt(s): StateExt<Arc<State>>, q: Result<QueryExt<RiskRequest>, QueryRejection>) -> Reply {
    route(s.clone(), query(q)?).await
}

pub async fn route_post(StateExt(s): StateExt<Arc<State>>, b: axum::extract::Request) -> Reply {
    let req = body(b, &s).await?;
    route(s, req).await
}

async fn route(state: Arc<State>, req: RiskRequest) -> Reply {
    if req.area.is_some() {
        return Err(ApiError::bad("'area' is not a parameter of risk/route"));
    }
    let from = req.one("from", &req.from, &state)?;
    let to = req.one("to", &req.to, &state)?;
    let via = items(&req.via, ';');
    for v in &via {
        check_place_len(v, &state)?;
    }
    if via.len() + 2 > state.limits.max_waypoints {
        return Err(ApiError::limit(
            StatusCode::BAD_REQUEST,
            "max_waypoints",
            state.limits.max_waypoints,
            format!("{} waypoints; at most {} are allowed", via.len() + 2, state.limits.max_waypoints),
        ));
    }
    let constraints = Constraints::from_lists(
        &items(&req.avoid, ','),
        &items(&req.avoid_passage, ','),
        &items(&req.allow_passage, ','),
        &items(&req.modes, ','),
        req.allow_planned.unwrap_or(false),
        req.avoid_waters.unwrap_or(false),
    )?;
    let objective = match &req.by {
        None => corridor::model::cost::Objective::Cost,
        Some(s) => corridor::model::cost::Objective::parse(s)
            .ok_or_else(|| ApiError::bad(format!("unknown objective '{s}' (expected distance, time, cost or co2)")))?,
    };
    let (as_of, max_risk, limit) = (req.as_of()?, req.max_risk, req.limit(10)?);
    let market = state.market_index(req.market.as_deref())?;
    let q = Query { from, to, via, constraints, objective };
    let v = run_job(&state, req.timeout_ms, move |st| {
        let base = st.planner_of(market);
        let l = RiskLayer::build(base.net(), base.params(), RiskLayer::shipped_incidents(), as_of, max_risk)?;
        let planner = l.planner(base);
        let route = planner.route(&q)?;
        to_json(l.route_risk_report(&planner, &route, limit))
    })
    .await?;
    Ok(Json(v))
}

pub async fn areas_get(StateExt(s): StateExt<Arc<State>>, q: Result<QueryExt<RiskRequest>, QueryRejection>) -> Reply {
    let req = query(q)?;
    refuse("risk/areas", &req.route_only())?;
    let (as_of, max_risk, limit) = (req.as_of()?, req.max_risk, req.limit(5)?);
    let market = s.market_index(req.market.as_deref())?;
    let area = req.area.clone();
    let v = run_job(&s, req.timeout_ms, move |st| {
        let base = st.planner_of(market);
        let l = RiskLayer::build(base.net(), base.params(), RiskLayer::shipped_incidents(), as_of, max_risk)?;
        to_json(l.areas_report(area.as_deref(), limit)?)
    })
    .await?;
    Ok(Json(v))
}

/// `/api/risk/incidents`: the incidents that weigh on the field as of `as_of`, GeoJSON points
/// (the JSON of `corridor risk incidents --format json`), for the web map's layer.
pub async fn incidents_get(
    StateExt(s): StateExt<Arc<State>>,
    q: Result<QueryExt<RiskRequest>, QueryRejection>,
) -> Reply {
    let req = query(q)?;
    refuse("risk/incidents", &req.route_only())?;
    refuse(
        "risk/incidents",
        &[("area", req.area.is_some()), ("limit", req.limit.is_some()), ("max_risk", req.max_risk.is_some())],
    )?;
    let as_of = req.as_of()?;
    let market = s.market_index(req.market.as_deref())?;
    let v = run_job(&s, req.timeout_ms, move |st| {
        let base = st.planner_of(market);
        let l = RiskLayer::build(base.net(), base.params(), RiskLayer::shipped_incidents(), as_of, None)?;
        to_json(l.incidents_report())
    })
    .await?;
    Ok(Json(v))
}
