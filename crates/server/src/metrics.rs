//! Prometheus metrics at `/metrics`: requests by route and status, latencies, and bookings made
//! and refused by code.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

const LATENCY_BUCKETS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// The process-wide recorder, installed on first use.
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new().set_buckets(LATENCY_BUCKETS).ok()?;
            match builder.install_recorder() {
                Ok(handle) => Some(handle),
                Err(error) => {
                    tracing::warn!(%error, "metrics are off: another recorder is installed");
                    None
                }
            }
        })
        .as_ref()
}

/// Installs the recorder and keeps its histograms trimmed; call once at start-up.
pub fn install() {
    if let Some(handle) = handle() {
        let handle = handle.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
            loop {
                tick.tick().await;
                handle.run_upkeep();
            }
        });
    }
}

pub async fn render() -> Response {
    let body = handle().map(PrometheusHandle::render).unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// Counts each request by method, route template and status, and times it.
pub async fn track(request: Request, next: Next) -> Response {
    // Make sure the recorder exists before the first metric is emitted.
    let _ = handle();
    let route =
        request.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    if method == "POST" && route == "/api/v1/bookings" {
        // Counted here rather than in the handler, so that a booking refused while its body is
        // read counts too.
        if response.status() == axum::http::StatusCode::CREATED {
            metrics::counter!("hubnet_bookings_made_total").increment(1);
        } else if response.status().is_client_error() {
            let code = response.extensions().get::<crate::error::ErrorPayload>().map_or("unknown", |p| p.code());
            metrics::counter!("hubnet_bookings_refused_total", "code" => code).increment(1);
        }
    }
    let status = response.status().as_u16().to_string();
    metrics::counter!("hubnet_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("hubnet_http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}
