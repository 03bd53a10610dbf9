//! `GET /health`: whether the service can decide, on which policy and which database.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::service::AppState;

/// The answer: `{"status": "ok", "database": "sqlite" | "postgres", "policy": {"name", "version"}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    status: &'static str,
    /// `sqlite` or `postgres`.
    database: &'static str,
    /// The policy in force.
    policy: PolicyName,
}

/// The policy in force.
#[derive(Debug, Serialize, ToSchema)]
struct PolicyName {
    /// Its name.
    name: String,
    /// Its version.
    version: String,
}

/// 200 when the database answers, 503 otherwise.
#[utoipa::path(
    get,
    path = "/health",
    tag = "service",
    summary = "Whether the service can decide, on which policy and database",
    description = "The one route open without an API key: load balancers probe it.",
    security(()),
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "`storage_unavailable`: the database does not answer", body = ErrorBody),
    )
)]
pub async fn get(State(state): State<Arc<AppState>>) -> Result<Json<Health>, ApiError> {
    state
        .store
        .ping()
        .await
        .map_err(|error| ApiError::storage(&error))?;
    let engine = state.policy.engine();
    Ok(Json(Health {
        status: "ok",
        database: state.store.backend().as_str(),
        policy: PolicyName {
            name: engine.policy().name().to_owned(),
            version: engine.policy().version().to_owned(),
        },
    }))
}
