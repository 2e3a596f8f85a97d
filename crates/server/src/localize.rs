//! The edge where an error response gets its body: the [`localize`] middleware writes every 4xx
//! and 5xx (hubnet's own [`AppError`](crate::error::AppError)s and the framework's) in the
//! caller's language and in the form the caller reads: SCIM's error schema under `/scim/v2`, a
//! page for a browser that reached no page, `{"error": {"code", "message"}}` for everyone else.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::ErrorPayload;

/// Writes the body of every error response in the caller's language. Responses from the
/// framework (unknown route, wrong method, body too large, timeout) get a code from their status.
pub async fn localize(request: Request, next: Next) -> Response {
    let scim = request.uri().path().starts_with(crate::scim::BASE);
    let wants_page = !scim && !request.uri().path().starts_with("/api/") && accepts_html(request.headers());
    let language = crate::web::page::language(request.headers(), None);
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    // Pages answer their own errors as pages.
    if response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html")) {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let payload = parts.extensions.remove::<ErrorPayload>().unwrap_or_else(|| ErrorPayload::for_status(status));
    let rendered = payload.render(language);
    if scim {
        // SCIM clients read errors in the SCIM error schema; it carries the code and message too.
        return crate::scim::error_response(parts, &rendered, language);
    }
    if wants_page {
        // A browser that reached no page (an unknown address, a broken form) gets one.
        return crate::web::page::bare_error_page(language, status, rendered.error.code, rendered.error.message);
    }
    let body = serde_json::to_vec(&rendered).unwrap_or_default();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(language.code()));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// Whether the client asked for HTML, as browsers do when they load a page.
fn accepts_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|accept| accept.contains("text/html"))
}
