//! The gas endpoints of `corridor serve`: `/api/gas/flow` (maximum deliverable gas from suppliers
//! to countries, its bottleneck and paths: `corridor gas flow`) and `/api/gas/security` (per
//! country coverage without some suppliers, worst single loss, N-1: `corridor gas security`).
//! GET with query parameters or POST with a JSON body, under the CLI's names; lists are
//! comma-separated strings or JSON arrays. The answer is the library's report, the JSON of the
//! command's `--format json`. The embedded gas network is parsed once per process; a question
//! takes well under a millisecond, so the endpoints run under the ordinary `run_job` limits.

use std::sync::{Arc, OnceLock};

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query as QueryExt, State as StateExt};
use axum::http::StatusCode;
use axum::Json;
use corridor::gas::analysis::{self, Options};
use corridor::gas::{GasError, GasNetwork};
use serde::Deserialize;
use serde_json::Value;

use super::jobs::run_job;
use super::limits::ApiError;
use super::request::{json_params, query_params, refuse};
use super::State;

/// Most items in one list (countries, suppliers, pipelines), and longest item, in characters.
const MAX_ITEMS: usize = 64;
const MAX_ITEM_CHARS: usize = 100;

/// A list parameter: "RU,UA" or ["RU", "UA"].
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Items {
    One(String),
    Many(Vec<String>),
}

impl Items {
    fn items(&self) -> Vec<String> {
        let all: Vec<&str> = match self {
            Items::One(s) => s.split(',').collect(),
            Items::Many(v) => v.iter().flat_map(|s| s.split(',')).collect(),
        };
        all.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
    }
}

/// Parameters of the gas endpoints, under the CLI's names.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GasRequest {
    /// Suppliers (flow): codes or names, or LNG.
    pub from: Option<Items>,
    /// Countries (flow): codes, names, EU, -XX.
    pub to: Option<Items>,
    /// Countries no gas may flow through.
    pub avoid: Option<Items>,
    /// Pipelines or LNG terminals removed.
    pub without: Option<Items>,
    /// Suppliers excluded (security; default RU, "none" for none).
    pub without_supplier: Option<Items>,
    /// Only these countries (security).
    pub country: Option<Items>,
    /// Flow: do not serve the committed offtakes first (the CLI's `--no-reserve`).
    pub no_reserve: Option<bool>,
    /// Do not cap suppliers at their availability (the CLI's `--no-supply-cap`).
    pub no_supply_cap: Option<bool>,
    /// A time limit for this request in milliseconds, if shorter than the server's.
    pub timeout_ms: Option<u64>,
}

type Reply = Result<Json<Value>, ApiError>;

/// The embedded gas network, parsed on first use.
fn network() -> Result<&'static GasNetwork, ApiError> {
    static NET: OnceLock<Result<GasNetwork, String>> = OnceLock::new();
    NET.get_or_init(|| GasNetwork::embedded().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.clone()))
}

fn gas_error(e: GasError) -> ApiError {
    if e.is_bad_input() {
        ApiError::bad(e.to_string())
    } else {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
    }
}

/// The items of a list parameter, within the limits.
fn list(name: &str, v: &Option<Items>) -> Result<Vec<String>, ApiError> {
    let items = v.as_ref().map(Items::items).unwrap_or_default();
    if items.len() > MAX_ITEMS {
        return Err(ApiError::limit(
            StatusCode::BAD_REQUEST,
            "max_gas_list_items",
            MAX_ITEMS,
            format!("'{name}' has {} items (at most {MAX_ITEMS})", items.len()),
        ));
    }
    if let Some(long) = items.iter().find(|s| s.chars().count() > MAX_ITEM_CHARS) {
        return Err(ApiError::limit(
            StatusCode::BAD_REQUEST,
            "max_gas_item_chars",
            MAX_ITEM_CHARS,
            format!(
                "an item of '{name}' is longer than {MAX_ITEM_CHARS} characters ({} ...)",
                long.chars().take(20).collect::<String>()
            ),
        ));
    }
    Ok(items)
}

/// The exclusions of a request, resolved as the CLI resolves its flags.
fn options(net: &GasNetwork, req: &GasRequest, without_supplier: &[String]) -> Result<Options, ApiError> {
    let (avoid, without) = (list("avoid", &req.avoid)?, list("without", &req.without)?);
    let mut opts = Options::resolve(net, &avoid, &without, without_supplier).map_err(gas_error)?;
    opts.no_reserve = req.no_reserve.unwrap_or(false);
    opts.no_supply_cap = req.no_supply_cap.unwrap_or(false);
    Ok(opts)
}

pub async fn flow_get(StateExt(s): StateExt<Arc<State>>, q: Result<QueryExt<GasRequest>, QueryRejection>) -> Reply {
    flow(s, query_params(q)?).await
}

pub async fn flow_post(StateExt(s): StateExt<Arc<State>>, b: axum::extract::Request) -> Reply {
    let req = json_params(b, &s).await?;
    flow(s, req).await
}

async fn flow(s: Arc<State>, req: GasRequest) -> Reply {
    refuse(
        "/api/gas/flow",
        &[("without_supplier", req.without_supplier.is_some()), ("country", req.country.is_some())],
    )?;
    let from = list("from", &req.from)?;
    let to = list("to", &req.to)?;
    if from.is_empty() || to.is_empty() {
        return Err(ApiError::bad(
            "missing 'from' (suppliers, e.g. AZ or AZ,LNG) or 'to' (countries, e.g. EU or IT,AT)",
        ));
    }
    let timeout = req.timeout_ms;
    run_job(&s, timeout, move |_| {
        let net = network()?;
        let opts = options(net, &req, &[])?;
        let from = net.parse_suppliers(&from.join(",")).map_err(gas_error)?;
        let to = net.parse_countries(&to.join(",")).map_err(gas_error)?;
        let r = analysis::max_flow(net, &from, &to, &opts).map_err(gas_error)?;
        serde_json::to_value(r)
            .map(Json)
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))
    })
    .await
}

pub async fn security_get(StateExt(s): StateExt<Arc<State>>, q: Result<QueryExt<GasRequest>, QueryRejection>) -> Reply {
    security(s, query_params(q)?).await
}

pub async fn security_post(StateExt(s): StateExt<Arc<State>>, b: axum::extract::Request) -> Reply {
    let req = json_params(b, &s).await?;
    security(s, req).await
}

async fn security(s: Arc<State>, req: GasRequest) -> Reply {
    refuse(
        "/api/gas/security",
        &[("from", req.from.is_some()), ("to", req.to.is_some()), ("no_reserve", req.no_reserve.is_some())],
    )?;
    // the CLI's default: without Russian gas
    let without_supplier = match &req.without_supplier {
        None => vec!["RU".to_string()],
        Some(_) => list("without_supplier", &req.without_supplier)?,
    };
    let only = list("country", &req.country)?;
    let timeout = req.timeout_ms;
    run_job(&s, timeout, move |_| {
        let net = network()?;
        let opts = options(net, &req, &without_supplier)?;
        let only = if only.is_empty() { None } else { Some(net.parse_countries(&only.join(",")).map_err(gas_error)?) };
        let r = analysis::security_report(net, &opts, only.as_deref()).map_err(gas_error)?;
        serde_json::to_value(r)
            .map(Json)
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))
    })
    .await
}
