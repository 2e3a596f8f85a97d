//! The JSON API under `/api/v1`. Each module owns one resource and exposes `router()`; the
//! OpenAPI document is generated from the handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "hubnet API",
        description = "A network of workplaces for the public sector: organisations, sites, spaces, \
            availability and conflict-free bookings. Authenticate with `Authorization: Bearer <token>` \
            (issue one with `hubnet token issue --email ...`). Errors are `{\"error\": {\"code\", \"message\"}}` \
            with the message in the language of `Accept-Language` (fi, sv, en).",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(crate::error::ErrorBody)),
    tags(
        (name = "organisations", description = "Organisations and their units"),
        (name = "people", description = "People, roles and API tokens"),
        (name = "sites", description = "Sites, floors and spaces"),
        (name = "availability", description = "Free spaces at a site or near a point"),
        (name = "bookings", description = "Booking and cancelling"),
        (name = "policies", description = "An organisation's workplace policy and the recommendations it makes"),
        (name = "single sign-on", description = "The OpenID Connect providers an organisation signs its people in with"),
        (name = "follow-up", description = "Counts of an organisation's bookings, never the bookings"),
        (name = "audit", description = "Who changed what, and who read someone else's personal data"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.components.get_or_insert_with(Default::default).add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("hn_...").build()),
        );
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(crate::organisations::api::router())
        .merge(crate::people::api::router())
        .merge(crate::scim::api::router())
        .merge(crate::sites::api::router())
        .merge(crate::availability::api::router())
        .merge(crate::bookings::api::router())
        .merge(crate::sso::api::router())
        .merge(crate::recommendations::api::router())
        .merge(crate::policies::api::router())
        .merge(crate::follow_up::api::router())
        .merge(crate::audit::api::router())
}
