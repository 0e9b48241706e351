//! The job runner: CPU-bound engine work on the blocking pool under a per-request time limit, a
//! bounded number of concurrent jobs, and panic isolation.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;

use crate::limits::ApiError;
use crate::state::State;

/// Runs `f` on the blocking pool: waits for one of `limits.workers` slots, then computes, all
/// within the request's time limit (the server's, or the request's `timeout_ms` if shorter). A
/// panic in `f` becomes a 500 for this request only. When the time limit passes first the client
/// gets a 503 at once; a query cannot be interrupted, so it finishes in the background holding
/// its slot, which keeps the number of running jobs bounded whatever clients do.
pub async fn run_job<T, F>(state: &Arc<State>, timeout_ms: Option<u64>, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&State) -> Result<T, ApiError> + Send + 'static,
{
    run_job_with(state, timeout_ms, state.limits.timeout_secs, move |st, _| f(st)).await
}

/// [`run_job`] under a limit of `limit_secs`, for work that can stop early: `f` gets a flag that
/// is raised when the time limit passes, and should give up soon after (the criticality ranking
/// checks it between removals), freeing its slot.
pub async fn run_job_with<T, F>(
    state: &Arc<State>,
    timeout_ms: Option<u64>,
    limit_secs: u64,
    f: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&State, &AtomicBool) -> Result<T, ApiError> + Send + 'static,
{
    if timeout_ms == Some(0) {
        // no work finishes in no time: a request error, not a server one
        return Err(ApiError::bad("timeout_ms must be at least 1 (milliseconds)"));
    }
    // a request may ask for a shorter limit than the server's, never a longer one
    let limit_ms = timeout_ms.unwrap_or(u64::MAX).min(limit_secs.saturating_mul(1000));
    let deadline = tokio::time::Instant::from_std(Instant::now() + Duration::from_millis(limit_ms));
    let too_slow = || {
        ApiError::limit(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout_ms",
            limit_ms,
            format!("the request did not finish within its time limit of {limit_ms} ms"),
        )
    };
    let permit = match tokio::time::timeout_at(deadline, state.jobs.clone().acquire_owned()).await {
        Ok(Ok(p)) => p,
        Ok(Err(_)) => {
            return Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "shutting_down", "server is shutting down"))
        }
        Err(_) => return Err(too_slow()),
    };
    let st = state.clone();
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let handle = tokio::task::spawn_blocking(move || {
        let _slot = permit;
        std::panic::catch_unwind(AssertUnwindSafe(|| f(&st, &flag)))
    });
    match tokio::time::timeout_at(deadline, handle).await {
        Err(_) => {
            cancel.store(true, Ordering::Relaxed);
            Err(too_slow())
        }
        Ok(Err(_)) | Ok(Ok(Err(_))) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error while computing this request (other requests are not affected)",
        )),
        Ok(Ok(Ok(r))) => r,
    }
}
