//! hubnet's HTTP server: the JSON API under `/api/v1`, its OpenAPI document and browsable docs,
//! SCIM provisioning under `/scim/v2`, health and metrics endpoints, and the `hubnet` command line.
//!
//! [`app`] builds the whole router from an [`AppState`]; tests call it without a socket.

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use hubnet_store::Store;
use hubnet_store::cached::CachedStore;
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
pub mod sites;
pub mod sso;
pub mod web;

pub use config::Config;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The store, with the network's sites and spaces kept in memory for searches.
    pub store: Arc<dyn Store>,
    /// The same store, for reads that may come from the in-memory copy of the network.
    pub directory: Arc<CachedStore>,
    pub config: Arc<Config>,
    pub clock: Clock,
    /// Spaces as JSON for availability answers, made once per copy of a site's spaces.
    pub space_json: Arc<availability::space_json::SpaceJson>,
    /// The people the sign-in page offers in demo mode (empty otherwise).
    pub demo_people: Arc<Vec<demo::DemoPerson>>,
    /// Identity providers' discovery documents and keys, for single sign-on.
    pub sso: Arc<sso::discovery::Discovery>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: Config) -> Self {
        let directory = Arc::new(CachedStore::new(store));
        Self {
            store: directory.clone(),
            directory,
            config: Arc::new(config),
            clock: Clock::system(),
            space_json: Arc::default(),
            demo_people: Arc::new(Vec::new()),
            sso: Arc::default(),
        }
    }

    /// Offers these people on the sign-in page, without a password: for demo installs only.
    #[must_use]
    pub fn with_demo_people(mut self, people: Vec<demo::DemoPerson>) -> Self {
        self.demo_people = Arc::new(people);
        self
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// Makes ring rustls's crypto provider for the process, once: hubnet's HTTP clients (single
/// sign-on, the benchmark's load generator) speak TLS through it.
pub fn install_tls() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Err means another provider is installed already, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Where "now" comes from: the system clock, or a fixed instant in tests.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Self(Arc::new(Utc::now))
    }

    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self(Arc::new(move || at))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

fn api_parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(api::ApiDoc::openapi()).nest("/api/v1", api::router()).split_for_parts()
}

/// The OpenAPI document of the API, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_parts().1
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api_parts();
    let timeout = state.config.request_timeout;
    let body_limit = state.config.max_body_bytes;
    Router::new()
        .merge(api)
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", openapi))
        .merge(web::router())
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
