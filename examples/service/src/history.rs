//! `GET /customers/{id}/vouchers`: the customer's voucher history, as the service decides with it.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use voucher_policy::PastVoucher;

use crate::error::{ApiError, ErrorBody};
use crate::service::AppState;

/// The answer: the customer's id and every voucher granted to them, oldest first, each in the
/// wire contract's `history` form.
#[derive(Debug, Serialize, ToSchema)]
pub struct Vouchers {
    /// The customer.
    customer_id: String,
    /// Their vouchers, oldest first.
    #[schema(value_type = Vec<crate::openapi::wire::PastVoucher>)]
    history: Vec<PastVoucher>,
}

/// Lists a customer's vouchers; a customer never seen has an empty history.
#[utoipa::path(
    get,
    path = "/customers/{id}/vouchers",
    tag = "decisions",
    summary = "A customer's voucher history",
    params(("id" = String, Path, description = "The customer's id")),
    responses(
        (status = 200, description = "The customer's vouchers, oldest first (none for a customer never seen)", body = Vouchers),
        (status = 400, description = "`invalid_path`: the id cannot be read", body = ErrorBody),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 503, response = crate::openapi::Unavailable),
    )
)]
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
