//! `GET /customers/{id}/vouchers`: the customer's voucher history, as the service decides with it.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use voucher_policy::PastVoucher;

use crate::error::ApiError;
use crate::service::AppState;

/// The answer: the customer's id and every voucher granted to them, oldest first, each in the
/// wire contract's `history` form.
#[derive(Debug, Serialize)]
pub struct Vouchers {
    customer_id: String,
    history: Vec<PastVoucher>,
}

/// Lists a customer's vouchers; a customer never seen has an empty history.
pub async fn get(
    State(state): State<Arc<AppState>>,
    customer_id: Result<Path<String>, PathRejection>,
) -> Result<Json<Vouchers>, ApiError> {
    let Path(customer_id) = customer_id.map_err(|rejection| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            format!(
                "the customer id in the path cannot be read: {}",
                rejection.body_text()
            ),
        )
    })?;
    let history = state
        .store
        .history(&customer_id)
        .await
        .map_err(|error| ApiError::storage(&error))?;
    Ok(Json(Vouchers {
        customer_id,
        history,
    }))
}
