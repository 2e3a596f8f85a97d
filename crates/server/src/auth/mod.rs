//! Who is calling: bearer tokens for the API.
//!
//! A token is 32 random bytes, shown once as `hn_<base64url>`; only its SHA-256 is stored. A
//! slow password hash is not needed: a 256-bit random secret cannot be guessed from its digest.
//! Single sign-on will add sessions as a second way to the same [`Principal`].

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hubnet_domain::access::Principal;
use hubnet_store::StoreError;
use rand::TryRng as _;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::state::AppState;

/// The prefix that marks a hubnet token (and lets secret scanners find leaked ones).
pub const TOKEN_PREFIX: &str = "hn_";

/// The prefix of an organisation's SCIM token (`crate::scim`): it opens only `/scim/v2`, and
/// an API token never passes for one, nor the other way round.
pub const SCIM_TOKEN_PREFIX: &str = "hnscim_";

/// A new token and the hash to store for it.
pub fn new_token() -> Result<(String, [u8; 32]), AppError> {
    new_token_with_prefix(TOKEN_PREFIX)
}

/// A new token with this prefix and the hash to store for it.
pub fn new_token_with_prefix(prefix: &str) -> Result<(String, [u8; 32]), AppError> {
    let mut secret = [0u8; 32];
    rand::rngs::SysRng
        .try_fill_bytes(&mut secret)
        .map_err(|e| AppError::Internal(format!("the system random number generator failed: {e}")))?;
    let token = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(secret));
    let hash = hash_token(&token);
    Ok((token, hash))
}

/// The token of an `Authorization: Bearer <token>` header, if it has this prefix and a
/// plausible length.
pub fn bearer<'h>(headers: &'h axum::http::HeaderMap, prefix: &str) -> Option<&'h str> {
    let header = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok())?;
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && token.starts_with(prefix) && token.len() <= 100).then_some(token)
}

pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The authenticated caller. Extracting it answers 401 `unauthenticated` when the request has
/// no valid, unrevoked token of an active person.
#[derive(Debug, Clone)]
pub struct Auth(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers, TOKEN_PREFIX).ok_or(AppError::Unauthenticated)?;
        match state.store.tokens().principal_by_token(&hash_token(token)).await {
            Ok(principal) => Ok(Self(principal)),
            Err(StoreError::NotFound) => Err(AppError::Unauthenticated),
            Err(other) => Err(other.into()),
        }
    }
}

/// Answers 403 unless `allowed`.
pub fn require(allowed: bool) -> Result<(), AppError> {
    if allowed { Ok(()) } else { Err(AppError::AccessDenied) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, hash_a) = new_token().unwrap();
        let (b, _) = new_token().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX));
        assert_eq!(a.len(), 3 + 43);
        assert_eq!(hash_token(&a), hash_a);
        assert_ne!(hash_a.as_slice(), a.as_bytes());
    }
}
