//! Request limits of `corridor serve` and the JSON error type every endpoint returns (the job
//! runner that enforces the time limits is [`crate::jobs`]).
//!
//! Limits (all documented in the README and the OpenAPI document, each with its own error):
//! waypoints per route (origin + via + destination), alternatives, matrix cells, place-name
//! length, request body size, pairs per scenario request, flows per criticality request, and the
//! per-request time limits (one for queries, a longer one for scenario and criticality). A
//! request that exceeds one gets a 4xx (or 503 for the time limit) with
//! `{"error": ..., "kind": "limit", "limit": NAME}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// The server's limits. Defaults are the figures documented in the README.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Limits {
    /// Origin + via points + destination of one route.
    pub max_waypoints: usize,
    /// Alternatives per route request (the CLI's --alternatives range).
    pub max_alternatives: usize,
    /// Origins x destinations of one matrix request.
    pub max_matrix_cells: usize,
    /// Characters of one place name.
    pub max_place_chars: usize,
    /// Bytes of a request body (POST).
    pub max_body_bytes: usize,
    /// Wall-clock seconds a request may take, waiting for a worker included.
    pub timeout_secs: u64,
    /// The same for the analyses (`/api/scenario`, `/api/critical`), which re-route many flows.
    pub analysis_timeout_secs: u64,
    /// Origin/destination pairs of one scenario request.
    pub max_scenario_pairs: usize,
    /// Flows of one criticality request.
    pub max_critical_flows: usize,
    /// Engine jobs running at once; further requests wait (within their time limit).
    pub workers: usize,
    /// Connections served at once; one more gets a 503 and is closed.
    pub max_connections: usize,
    /// Seconds for a request's headers to arrive (also the idle time of a kept-alive connection).
    pub header_timeout_secs: u64,
    /// Seconds for a POST body to arrive.
    pub body_timeout_secs: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_waypoints: 10,
            max_alternatives: 5,
            max_matrix_cells: 400,
            max_place_chars: corridor::places::MAX_PLACE_CHARS,
            max_body_bytes: 64 * 1024,
            timeout_secs: 20,
            analysis_timeout_secs: 180,
            max_scenario_pairs: 20,
            max_critical_flows: 120,
            workers: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            max_connections: 256,
            header_timeout_secs: 10,
            body_timeout_secs: 10,
        }
    }
}

/// An error response: a status and a JSON body `{"error": message, "kind": ..., ...}`; errors of
/// the library also carry its `reason` (`corridor::error::Reason`), the request's own bad fields
/// `bad_parameter`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: Value,
}

impl ApiError {
    /// 400 with a message.
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// A limit exceeded: 400 (or the given status) naming the limit and its value.
    pub fn limit(status: StatusCode, name: &str, value: impl serde::Serialize, message: impl Into<String>) -> ApiError {
        ApiError { status, body: json!({"error": message.into(), "kind": "limit", "limit": name, "max": value}) }
    }

    /// Any other status with a message and kind; a `bad_request` (the request's own fields)
    /// carries the reason `bad_parameter`.
    pub fn new(status: StatusCode, kind: &str, message: impl Into<String>) -> ApiError {
        let mut body = json!({"error": message.into(), "kind": kind});
        if kind == "bad_request" {
            body["reason"] = json!(corridor::error::Reason::BadParameter);
        }
        ApiError { status, body }
    }
}

/// A message about the request's own fields: a 400.
impl From<String> for ApiError {
    fn from(message: String) -> ApiError {
        ApiError::bad(message)
    }
}

impl From<corridor::Error> for ApiError {
    /// A library error: its status by [`corridor::error::Reason`], and the reason itself in the
    /// body (`reason`), beside the coarser `kind`.
    fn from(e: corridor::Error) -> ApiError {
        use corridor::Error as E;
        let message = e.to_string();
        let reason = e.reason();
        let mut r = match e {
            E::UnknownPlace { query, suggestions } => ApiError {
                status: StatusCode::NOT_FOUND,
                body: json!({"error": message, "kind": "unknown_place", "place": query, "suggestions": suggestions}),
            },
            E::NoRoute { hint, lifts, .. } => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                body: json!({"error": message, "kind": "no_route", "hint": hint, "lifts": lifts}),
            },
            E::Cancelled => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "cancelled", message),
            _ if reason.is_bad_input() => {
                ApiError { status: StatusCode::BAD_REQUEST, body: json!({"error": message, "kind": "bad_input"}) }
            }
            _ => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message),
        };
        r.body["reason"] = json!(reason);
        r
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}
