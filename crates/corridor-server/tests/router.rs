//! The router in process, on the library's small test network (`corridor::testing`): health,
//! JSON errors for unknown paths and methods, the embedded web map and OpenAPI document (which
//! documents every route the router serves), a route, and the front end's cache warnings in
//! `/api/info`. The whole API over real HTTP, against the CLI's answers and the OpenAPI schemas,
//! is tested through the `corridor` binary (`crates/corridor-cli/tests/serve.rs`).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use corridor::planner::Planner;
use corridor_server::limits::Limits;
use corridor_server::{router, State};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

fn app() -> axum::Router {
    let bytes = corridor::testing::small_network_file();
    let net = corridor::network::format::decode(&bytes).expect("the small network decodes");
    let planner = Planner::new(Arc::new(net));
    router(Arc::new(State::new(planner, Limits::default(), || vec!["a cache warning".to_string()])))
}

async fn call(method: Method, path: &str) -> (StatusCode, Vec<u8>) {
    let request = Request::builder().method(method).uri(path).body(Body::empty()).expect("a request");
    let response = app().oneshot(request).await.expect("the router answers");
    let status = response.status();
    (status, response.into_body().collect().await.expect("a body").to_bytes().to_vec())
}

async fn get_json(path: &str) -> (StatusCode, Value) {
    let (status, body) = call(Method::GET, path).await;
    (status, serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{path}: not JSON ({e})")))
}

#[tokio::test]
async fn health_errors_and_assets() {
    assert_eq!(get_json("/health").await, (StatusCode::OK, serde_json::json!({"status": "ok"})));
    let (status, v) = get_json("/no/such/path").await;
    assert_eq!((status, v["kind"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let (status, body) = call(Method::DELETE, "/api/route").await;
    let v: Value = serde_json::from_slice(&body).expect("JSON error");
    assert_eq!((status, v["kind"].as_str()), (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed")));
    let (status, page) = call(Method::GET, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&page).contains("app.js"), "the web map's page");
    for asset in ["/app.js", "/app.css"] {
        let (status, body) = call(Method::GET, asset).await;
        assert!(status == StatusCode::OK && !body.is_empty(), "{asset}");
    }
}

#[tokio::test]
async fn openapi_document_covers_the_router() {
    let (status, doc) = get_json("/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().expect("paths");
    let served = [
        "/health",
        "/openapi.json",
        "/api/info",
        "/api/places",
        "/api/lines",
        "/api/route",
        "/api/compare",
        "/api/matrix",
        "/api/scenario",
        "/api/critical",
        "/api/capacity",
        "/api/risk/route",
        "/api/risk/areas",
        "/api/risk/incidents",
        "/api/gas/flow",
        "/api/gas/security",
        "/route/v1/{profile}/{coordinates}",
    ];
    for p in served {
        assert!(paths.contains_key(p), "{p} is served but not documented");
    }
    for p in paths.keys() {
        assert!(served.contains(&p.as_str()), "{p} is documented but not in this test's list of routes");
    }
}

#[tokio::test]
async fn route_and_info_on_the_small_network() {
    let (status, v) = get_json("/api/route?from=Alpha&to=Beta").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (v["origin"]["name"].as_str(), v["destination"]["name"].as_str()),
        (Some("Alpha, TR"), Some("Beta, TR"))
    );
    assert!(v["distance_km"].as_f64().is_some_and(|km| km > 0.0), "{v}");
    let (status, v) = get_json("/api/route?from=Nowhere&to=Beta").await;
    assert_eq!((status, v["kind"].as_str()), (StatusCode::NOT_FOUND, Some("unknown_place")), "{v}");
    let (status, v) = get_json("/api/info").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["cache_warnings"], serde_json::json!(["a cache warning"]));
}
