//! `GET /openapi.json`: the OpenAPI 3.1 document of the service, built from the handlers' own
//! `#[utoipa::path]` descriptions and the types they read and answer, by the same router that
//! serves them, so a route cannot be served without being described.

pub(crate) mod wire;

use std::sync::LazyLock;

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, ObjectBuilder, OpenApi as Document, Ref, RefOr, ResponseBuilder,
    Type,
};
use utoipa::{Modify, OpenApi, ToResponse};

use crate::error::ApiError;
use crate::service::documented_routes;

/// Where the document is served.
pub const OPENAPI_PATH: &str = "/openapi.json";

/// The name of the bearer security scheme in the document (the `security` above names it too).
const BEARER: &str = "bearer";

/// What the document says of the service as a whole; the paths come from the router.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "voucher-service",
        description = "A reference HTTP decision service around the voucher-policy library: \
            decides compensation requests on the customer's history in its own database, \
            records every decision, approves escalations once. Every endpoint but `GET /health` \
            needs `Authorization: Bearer TOKEN` with a token of the service's API-keys file. \
            Every error is `{\"error\": {\"kind\", \"message\", \"field\"?, \"value\"?}}`.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(responses(Unauthorized, Unavailable)),
    tags(
        (name = "decisions", description = "Deciding, approving and reading decisions"),
        (name = "service", description = "Health, metrics, the shadow policy and this document"),
    )
)]
struct ApiDoc;

/// Adds the bearer scheme every route but `GET /health` requires.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.description = Some(
            "A token of the service's API-keys file (`--api-keys`), which holds its SHA-256; \
             the key's holder and role decide what the caller may do."
                .to_owned(),
        );
        components.add_security_scheme(BEARER, SecurityScheme::Http(scheme));
    }
}

/// The `401` of every route that needs a key.
pub(crate) struct Unauthorized;

impl<'s> ToResponse<'s> for Unauthorized {
    fn response() -> (&'s str, RefOr<utoipa::openapi::Response>) {
        let challenge = HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(Type::String))
            .description(Some(
                "`Bearer realm=\"voucher-service\"`, with `error=\"invalid_token\"` for a token \
                 that is not a key's",
            ))
            .build();
        let response = ResponseBuilder::new()
            .description(
                "`unauthorized`: no `Authorization: Bearer TOKEN`, or a token that is not a key's",
            )
            .header("WWW-Authenticate", challenge)
            .content("application/json", error_content())
            .build();
        ("Unauthorized", response.into())
    }
}

/// The `503` of every route that reads or writes the database.
pub(crate) struct Unavailable;

impl<'s> ToResponse<'s> for Unavailable {
    fn response() -> (&'s str, RefOr<utoipa::openapi::Response>) {
        let response = ResponseBuilder::new()
            .description(
                "`storage_unavailable`: the database failed; nothing was recorded, retry (with \
                 the same Idempotency-Key)",
            )
            .content("application/json", error_content())
            .build();
        ("Unavailable", response.into())
    }
}

/// The error body's content, by reference.
fn error_content() -> utoipa::openapi::Content {
    ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .build()
}

/// The whole document: what [`ApiDoc`] says, with every route the router serves.
pub fn document() -> Document {
    let mut document = documented_routes().into_openapi();
    document.merge(ApiDoc::openapi());
    // The merge keeps the router's empty `info`; the service's own goes on top.
    document.info = ApiDoc::openapi().info;
    document
}

/// The document as JSON, written once: it never changes while the service runs.
static DOCUMENT: LazyLock<Result<String, String>> =
    LazyLock::new(|| document().to_json().map_err(|error| error.to_string()));

/// `GET /openapi.json`: this document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "service",
    summary = "This OpenAPI document",
    responses(
        (status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object),
        (status = 401, response = Unauthorized),
    )
)]
pub async fn get() -> Result<Response, ApiError> {
    match &*DOCUMENT {
        Ok(json) => {
            let mut response = (StatusCode::OK, json.clone()).into_response();
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            Ok(response)
        }
        Err(error) => {
            tracing::error!(%error, "the OpenAPI document did not serialize");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the OpenAPI document could not be written",
            ))
        }
    }
}
