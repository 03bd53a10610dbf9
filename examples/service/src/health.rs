//! `GET /health`: whether the service can decide, on which policy and which database.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::error::ApiError;
use crate::service::AppState;

/// The answer: `{"status": "ok", "database": "sqlite" | "postgres", "policy": {"name", "version"}}`.
#[derive(Debug, Serialize)]
pub struct Health {
    status: &'static str,
    database: &'static str,
    policy: PolicyName,
}

/// The policy in force.
#[derive(Debug, Serialize)]
struct PolicyName {
    name: String,
    version: String,
}

/// 200 when the database answers, 503 otherwise.
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
