//! Request parsing shared by the endpoints: query strings and JSON bodies (under the body size
//! and time limits) into the library's [`Request`] or an endpoint's own type, with JSON errors,
//! and the place-length limit.

use axum::extract::rejection::QueryRejection;
use axum::extract::Query as QueryExt;
use axum::http::StatusCode;

use super::limits::ApiError;
use super::State;

pub use corridor::request::{list, List, Request};

pub fn check_place_len(p: &str, state: &State) -> Result<(), ApiError> {
    let max = state.limits.max_place_chars;
    if p.chars().count() > max {
        return Err(ApiError::limit(
            StatusCode::BAD_REQUEST,
            "max_place_chars",
            max,
            format!("a place name is longer than {max} characters"),
        ));
    }
    Ok(())
}

/// Rejections of the query-string extractor, as JSON errors.
pub fn query_params<T>(r: Result<QueryExt<T>, QueryRejection>) -> Result<T, ApiError> {
    r.map(|q| q.0).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.body_text()))
}

/// Bytes of an oversized body that are still read (and dropped) before the 413 is sent, so that
/// a client that writes its whole body before reading gets the error instead of a reset
/// connection. Beyond this the connection is simply closed.
const DRAIN_BYTES: usize = 1 << 20;

/// Reads a JSON request body under the `max_body_bytes` limit (any request type: the routing
/// [`Request`], or the gas endpoints' own).
pub async fn json_params<T: serde::de::DeserializeOwned>(
    request: axum::extract::Request,
    state: &State,
) -> Result<T, ApiError> {
    use http_body_util::BodyExt;
    // JSON bodies only: a text/plain or form POST is what a page on another site can send
    // without a CORS preflight, so it is refused before the body is read
    let content_type = request.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let is_json = content_type
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "bad_request",
            format!(
                "POST bodies must be JSON with Content-Type: application/json (got {})",
                content_type.unwrap_or("no Content-Type")
            ),
        ));
    }
    let max = state.limits.max_body_bytes;
    let mut body = request.into_body();
    let mut buf = Vec::new();
    let mut total = 0usize;
    // a body that trickles in holds a connection: it must arrive within the body time limit
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(state.limits.body_timeout_secs);
    loop {
        let Ok(next) = tokio::time::timeout_at(deadline, body.frame()).await else {
            return Err(ApiError::limit(
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout_secs",
                state.limits.body_timeout_secs,
                format!("the request body did not arrive within {} s", state.limits.body_timeout_secs),
            ));
        };
        let Some(frame) = next else { break };
        let frame = frame.map_err(|e| ApiError::bad(format!("cannot read the request body: {e}")))?;
        if let Ok(data) = frame.into_data() {
            total += data.len();
            if total <= max {
                buf.extend_from_slice(&data);
            } else if total > max + DRAIN_BYTES {
                break;
            }
        }
    }
    if total > max {
        return Err(ApiError::limit(
            StatusCode::PAYLOAD_TOO_LARGE,
            "max_body_bytes",
            max,
            format!("request body larger than {max} bytes"),
        ));
    }
    serde_json::from_slice(&buf).map_err(|e| ApiError::bad(format!("invalid JSON body: {e}")))
}

/// Refuses the parameters an endpoint does not take (`names`: name, given): an error naming the
/// first one given.
pub fn refuse(endpoint: &str, names: &[(&str, bool)]) -> Result<(), ApiError> {
    match names.iter().find(|(_, given)| *given) {
        Some((name, _)) => Err(ApiError::bad(format!("'{name}' is not a parameter of {endpoint}"))),
        None => Ok(()),
    }
}
