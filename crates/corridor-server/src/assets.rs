//! The web map's files and the OpenAPI document, compiled into the binary so that `corridor
//! serve` needs no files, no CDN and no internet. `web/dist/` is the committed output of the
//! front-end build (`npm ci && npm run build` in `web/`, see web/README.md); `docs/openapi.json`
//! is the API's description, also checked by the API tests.

use axum::http::header;
use axum::response::{IntoResponse, Response};

static INDEX_HTML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/dist/index.html"));
static APP_JS: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/dist/app.js"));
static APP_CSS: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/dist/app.css"));
/// The OpenAPI 3.1 document of the HTTP API.
pub static OPENAPI: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json"));

fn asset(content_type: &'static str, body: &'static [u8]) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

pub async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML.as_bytes())
}

pub async fn app_js() -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

pub async fn app_css() -> Response {
    asset("text/css; charset=utf-8", APP_CSS)
}

pub async fn openapi() -> Response {
    asset("application/json", OPENAPI.as_bytes())
}
