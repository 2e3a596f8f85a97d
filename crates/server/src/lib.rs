//! hubnet's HTTP server: the JSON API under `/api/v1`, its OpenAPI document and browsable docs,
//! SCIM provisioning under `/scim/v2`, health and metrics endpoints, and the `hubnet` command line.
//!
//! [`app`] builds the whole router from an [`AppState`]; tests call it without a socket.

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

pub mod api;
pub mod audit;
pub mod auth;
pub mod availability;
pub mod bench;
pub mod bookings;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod follow_up;
pub mod geography;
pub mod i18n;
pub mod import;
pub mod input;
pub mod localize;
pub mod metrics;
pub mod organisations;
pub mod people;
pub mod policies;
pub mod recommendations;
pub mod scim;
pub mod sign_in;
pub mod sites;
pub mod sso;
pub mod state;
pub mod tls;
pub mod web;
pub mod window;

pub use config::Config;
pub use state::{AppState, Clock};
pub use tls::install as install_tls;

fn api_parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(api::ApiDoc::openapi()).nest("/api/v1", api::router()).split_for_parts()
}

/// The OpenAPI document of the API, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_parts().1
}

/// Every page, and the static files they load.
fn pages() -> Router<AppState> {
    Router::new()
        .merge(web::router())
        .merge(sign_in::pages::router())
        .merge(sso::flow::router())
        .merge(bookings::pages::router())
        .merge(people::pages::router())
        .merge(availability::pages::router())
        .merge(sites::pages::router())
        .merge(sites::host::router())
        .merge(audit::pages::router())
        .merge(policies::pages::router())
        .merge(sso::pages::router())
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api_parts();
    let timeout = state.config.request_timeout;
    let body_limit = state.config.max_body_bytes;
    Router::new()
        .merge(api)
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", openapi))
        .merge(pages())
        .nest(scim::BASE, scim::router())
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::render))
        .fallback(|| async { error::AppError::NotFound })
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(CatchPanicLayer::new())
        // Server errors are logged once, by AppError with their cause; the trace layer would log
        // each a second time.
        .layer(
            TraceLayer::new_for_http()
                .on_failure(tower_http::trace::DefaultOnFailure::new().level(tracing::Level::DEBUG)),
        )
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(axum::middleware::from_fn(localize::localize))
        .with_state(state)
}

/// Liveness and readiness: 200 when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => axum::Json(serde_json::json!({"status": "ok"})).into_response(),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            error::AppError::Unavailable(error.to_string()).into_response()
        }
    }
}
