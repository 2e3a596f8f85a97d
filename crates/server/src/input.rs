//! Checked values from what a request sent, shared by the API and the pages: a limit within its
//! range, a page of a long list.

use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::AppError;

/// Paging through a long list: `?after=<last id seen>&limit=100`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Continue after this id (the last one of the previous page).
    pub after: Option<String>,
    /// At most this many items (1-1000, default 100).
    pub limit: Option<u32>,
}

impl PageQuery {
    pub fn page<K: std::str::FromStr>(&self) -> Result<hubnet_store::Page<K>, AppError> {
        let after = self
            .after
            .as_deref()
            .map(|s| s.parse::<K>().map_err(|_| AppError::invalid("after", "not an id")))
            .transpose()?;
        Ok(hubnet_store::Page { after, limit: limit(self.limit, 100, 1000, "limit")? })
    }
}

/// A limit from the query, checked against its range.
pub fn limit(value: Option<u32>, default: u32, max: u32, field: &'static str) -> Result<u32, AppError> {
    match value {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(AppError::invalid(field, format!("between 1 and {max}"))),
    }
}
