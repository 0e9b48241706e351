//! The HTTP service of `corridor serve`: the HTTP API and the offline web map (crate
//! `corridor-server`; the `corridor` binary runs it).
//!
//! The front end binds a [`Server`] (runtime and socket), then loads one [`Planner`] (network
//! decoded once, the prepared engine memory-mapped from the `corridor prepare` cache when
//! present; the CLI does this with its own loader and warnings) and hands it to [`Server::run`]:
//! [`State`] shares it with every request through an `Arc`. Axum on
//! a multi-threaded tokio runtime parses requests; the CPU-bound searches run on the blocking
//! pool through [`jobs::run_job`] (bounded concurrency, per-request time limit, panics caught
//! per request). Modules:
//!
//! * [`api`]: JSON endpoints (`/api/route`, `/api/compare`, `/api/matrix`, `/api/places`,
//!   `/api/info`) with the CLI's options and the CLI's JSON fields;
//! * [`gas`]: `/api/gas/flow` and `/api/gas/security`, the JSON of `corridor gas flow|security`;
//! * [`whatif`]: the analyses (`/api/scenario`, `/api/critical`), same options and JSON as
//!   `corridor scenario` and `corridor critical`, under a longer time limit;
//! * [`risk`]: the risk layer (`/api/risk/route`, `/api/risk/areas`, `/api/risk/incidents`), the JSON of `corridor risk`;
//! * [`lines`]: the network's rail, road and sea lines, generalised for the map's view;
//! * [`osrm`]: the OSRM-compatible `/route/v1/{profile}/{coordinates}`;
//! * [`request`]: request parsing shared by the endpoints (query strings, JSON bodies under the
//!   limits, place lengths);
//! * [`limits`]: the limits and the JSON error type;
//! * [`jobs`]: the job runner (blocking pool, worker slots, time limits, panics caught);
//! * [`state`]: what every request shares ([`State`]);
//! * [`assets`]: the embedded web map (`web/dist`) and `docs/openapi.json`.
//!
//! Binds 127.0.0.1 unless `--bind` says otherwise; `--port 0` picks a free port. The first line
//! on stderr is `corridor serve: listening on http://ADDR/` (tests read the port from it).

pub mod api;
pub mod assets;
pub mod conn;
pub mod gas;
pub mod jobs;
pub mod limits;
pub mod lines;
pub mod osrm;
pub mod request;
pub mod risk;
pub mod state;
pub mod whatif;

pub use state::{engine_name, State};

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use corridor::planner::Planner;
use serde_json::json;

use limits::{ApiError, Limits};

/// Options of `corridor serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// TCP port (0: any free port, printed on start-up).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on. The default serves this machine only.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Parameter overrides for every request (TOML, as `route --params`).
    #[arg(long)]
    pub params: Option<PathBuf>,
    /// Per-request time limit in seconds (waiting for a worker included).
    #[arg(long, default_value_t = Limits::default().timeout_secs, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Engine jobs running at once (default: the number of cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    workers: Option<u16>,
    /// Time limit in seconds of the analyses (/api/scenario, /api/critical).
    #[arg(long, default_value_t = Limits::default().analysis_timeout_secs, value_parser = clap::value_parser!(u64).range(1..=86400))]
    analysis_timeout: u64,
    /// Largest matrix (origins x destinations) one request may ask for.
    #[arg(long, default_value_t = Limits::default().max_matrix_cells)]
    max_matrix_cells: usize,
    /// Connections served at once; one more gets a 503 and is closed.
    #[arg(long, default_value_t = Limits::default().max_connections as u32, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    max_connections: u32,
    /// Seconds for a request's headers to arrive, and the longest idle time of a kept-alive
    /// connection; the same for a POST body.
    #[arg(long, default_value_t = Limits::default().header_timeout_secs, value_parser = clap::value_parser!(u64).range(1..=3600))]
    io_timeout: u64,
}

/// The router: API, OSRM service, web map, OpenAPI document; JSON errors for unknown paths and
/// methods; body size limit; panics turned into 500s; gzip when the client accepts it; CORS
/// open to any origin; each request traced (method, path, status, latency) when logging is on
/// (see [`init_logging`]).
pub fn router(state: Arc<State>) -> Router {
    let body_limit = state.limits.max_body_bytes;
    Router::new()
        .route("/", get(assets::index))
        .route("/app.js", get(assets::app_js))
        .route("/app.css", get(assets::app_css))
        .route("/openapi.json", get(assets::openapi))
        .route("/health", get(|| async { Json(json!({"status": "ok"})) }))
        .route("/api/info", get(api::info))
        .route("/api/places", get(api::places))
        .route("/api/lines", get(lines::lines))
        .route("/api/route", get(api::route_get).post(api::route_post))
        .route("/api/compare", get(api::compare_get).post(api::compare_post))
        .route("/api/matrix", get(api::matrix_get).post(api::matrix_post))
        .route("/api/scenario", get(whatif::scenario_get).post(whatif::scenario_post))
        .route("/api/critical", get(whatif::critical_get).post(whatif::critical_post))
        .route("/api/capacity", get(whatif::capacity_get).post(whatif::capacity_post))
        .route("/api/risk/route", get(risk::route_get).post(risk::route_post))
        .route("/api/risk/areas", get(risk::areas_get))
        .route("/api/risk/incidents", get(risk::incidents_get))
        .route("/api/gas/flow", get(gas::flow_get).post(gas::flow_post))
        .route("/api/gas/security", get(gas::security_get).post(gas::security_post))
        .route("/route/v1/{profile}/{coordinates}", get(osrm::route))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint (see /openapi.json)")
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "method not allowed on this endpoint")
        })
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(tower_http::trace::DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_response))
        .layer(tower_http::compression::CompressionLayer::new())
        // read-only public data: browsers may call the API from pages served elsewhere (OSRM
        // map plugins, notebooks); no credentials are involved
        .layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(tower_http::cors::Any)
                .allow_methods(tower_http::cors::Any)
                .allow_headers(tower_http::cors::Any),
        )
        .with_state(state)
}

/// Request logging to stderr, off unless `RUST_LOG` asks for it (e.g. `RUST_LOG=info` for one
/// line per request and response with its status and latency; `RUST_LOG=tower_http=debug` for
/// more). Off by default: a busy server's log is the operator's choice.
fn init_logging() {
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG") {
        use std::io::IsTerminal;
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .with_target(false)
            .try_init();
    }
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error (other requests are not affected)")
        .into_response()
}

/// Why the server could not start: the message and the exit code (2 for a port in use or not
/// allowed, 1 otherwise).
#[derive(Debug)]
pub struct StartError {
    pub code: u8,
    pub message: String,
}

/// A bound server, not yet serving: the runtime and the listening socket.
pub struct Server {
    rt: tokio::runtime::Runtime,
    listener: tokio::net::TcpListener,
    local: SocketAddr,
    limits: Limits,
}

impl Server {
    /// Starts the runtime and binds (before the slower network load, so that a busy port fails
    /// at once); turns request logging on if `RUST_LOG` asks for it.
    pub fn bind(args: &ServeArgs) -> Result<Server, StartError> {
        let mut limits = Limits {
            timeout_secs: args.timeout,
            analysis_timeout_secs: args.analysis_timeout,
            max_matrix_cells: args.max_matrix_cells,
            max_connections: args.max_connections as usize,
            header_timeout_secs: args.io_timeout,
            body_timeout_secs: args.io_timeout,
            ..Limits::default()
        };
        if let Some(w) = args.workers {
            limits.workers = w as usize;
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| StartError { code: 1, message: format!("cannot start the runtime: {e}") })?;
        let addr = SocketAddr::new(args.bind, args.port);
        let listener = rt.block_on(tokio::net::TcpListener::bind(addr)).map_err(|e| StartError {
            code: 2,
            message: format!(
                "cannot listen on {addr}: {e}{}",
                if e.kind() == std::io::ErrorKind::AddrInUse { " (choose another --port)" } else { "" }
            ),
        })?;
        let local = listener.local_addr().map_err(|e| StartError { code: 1, message: e.to_string() })?;
        init_logging();
        Ok(Server { rt, listener, local, limits })
    }

    /// Serves `planner` (loaded by the front end, with `--params` applied) until SIGINT or
    /// SIGTERM; `cache_warnings` gives the loader's warnings for `/api/info`.
    pub fn run(self, planner: Planner, cache_warnings: fn() -> Vec<String>) {
        let Server { rt, listener, local, limits } = self;
        let engine = engine_name(&planner);
        eprintln!("corridor serve: listening on http://{local}/");
        eprintln!(
            "corridor serve: network {}, engine {engine}, {} workers, time limit {} s",
            planner.net().meta.version,
            limits.workers,
            limits.timeout_secs
        );
        let state = Arc::new(State::new(planner, limits.clone(), cache_warnings));
        rt.block_on(conn::serve(listener, router(state), &limits, shutdown_signal()));
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
