//! Who is calling: API keys from a TOML file, checked on every request but `GET /health`.
//!
//! The file lists each key's holder and role and the SHA-256 of its bearer token, never the
//! token itself, so the file can be read by operators without handing out the keys:
//!
//! ```toml
//! [[key]]
//! id = "A-17"            # the agent id decisions are made under
//! role = "agent"         # one of the policy's roles
//! sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::metrics::METRICS_PATH;
use crate::service::AppState;

/// The one path anyone may call: load balancers probe it without a key.
pub const OPEN_PATH: &str = "/health";

/// The challenge of a 401 without a usable `Authorization` header (RFC 6750).
const CHALLENGE: &str = "Bearer realm=\"voucher-service\"";

/// The challenge of a 401 whose token is not a key's.
const CHALLENGE_INVALID: &str = "Bearer realm=\"voucher-service\", error=\"invalid_token\"";

/// The holder of an API key: who acts, and in which of the policy's roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHolder {
    /// The agent id decisions and approvals are recorded under.
    pub id: String,
    /// The role: a policy role to decide (any) or approve (one that approves); a role the
    /// policy does not know may only read.
    pub role: String,
}

/// Who made a request, as the authentication layer found them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// A valid API key's holder.
    Key(KeyHolder),
    /// Nobody known: the service runs with `--no-auth`, for local experiments.
    Anonymous,
}

/// The keys of an API-keys file, each with the SHA-256 digest of its token.
#[derive(Debug, Clone)]
pub struct ApiKeys {
    keys: Vec<ApiKey>,
}

#[derive(Debug, Clone)]
struct ApiKey {
    holder: KeyHolder,
    digest: [u8; 32],
}

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeysFile {
    #[serde(default)]
    key: Vec<KeyEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyEntry {
    id: String,
    role: String,
    sha256: String,
}

impl ApiKeys {
    /// Reads an API-keys file; the error names the file and every entry at fault.
    pub fn load(path: &Path) -> Result<ApiKeys, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        ApiKeys::from_toml_str(&text).map_err(|error| format!("{}: {error}", path.display()))
    }

    /// Reads the TOML text of an API-keys file: at least one `[[key]]` with a non-empty `id`
    /// and `role` and a `sha256` of 64 hex digits, no two with the same digest.
    pub fn from_toml_str(text: &str) -> Result<ApiKeys, String> {
        let file: KeysFile = toml::from_str(text).map_err(|error| error.to_string())?;
        let mut problems = Vec::new();
        let mut keys: Vec<ApiKey> = Vec::with_capacity(file.key.len());
        for (index, entry) in file.key.into_iter().enumerate() {
            let at = format!("key[{index}]");
            if entry.id.trim().is_empty() {
                problems.push(format!("{at}.id: is empty; name the key's holder"));
            }
            if entry.role.trim().is_empty() {
                problems.push(format!(
                    "{at}.role: is empty; give one of the policy's roles"
                ));
            }
            let Some(digest) = digest_from_hex(&entry.sha256) else {
                problems.push(format!(
                    "{at}.sha256: {:?} is not 64 hex digits (the SHA-256 of the token, \
                     as `printf %s TOKEN | sha256sum` prints it)",
                    entry.sha256
                ));
                continue;
            };
            if let Some(same) = keys.iter().find(|key| key.digest == digest) {
                problems.push(format!(
                    "{at}.sha256: the same token as the key of {:?}; every key needs its own token",
                    same.holder.id
                ));
                continue;
            }
            keys.push(ApiKey {
                holder: KeyHolder {
                    id: entry.id,
                    role: entry.role,
                },
                digest,
            });
        }
        if keys.is_empty() && problems.is_empty() {
            problems.push(
                "no [[key]] entries: nobody could call the service (use --no-auth to run \
                 without keys)"
                    .to_owned(),
            );
        }
        if problems.is_empty() {
            Ok(ApiKeys { keys })
        } else {
            Err(problems.join("; "))
        }
    }

    /// The holder of the key whose token this is. The token is hashed and every key's digest
    /// compared in full, so the time taken says nothing about how close a guess came.
    pub fn holder_of(&self, token: &str) -> Option<&KeyHolder> {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let mut found = None;
        for key in &self.keys {
            if same_digest(&key.digest, &digest) {
                found = Some(&key.holder);
            }
        }
        found
    }

    /// The holders of the keys, in the file's order.
    pub fn holders(&self) -> impl Iterator<Item = &KeyHolder> {
        self.keys.iter().map(|key| &key.holder)
    }
}

/// The hex SHA-256 of a token, as the API-keys file writes it.
pub fn token_sha256(token: &str) -> String {
    let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Compares two digests without stopping at the first difference.
fn same_digest(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 32 bytes from 64 hex digits (either case), or `None`.
fn digest_from_hex(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut digest = [0_u8; 32];
    for (byte, pair) in digest.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(digest)
}

/// How callers are told apart: by API keys, reloaded on SIGHUP, or not at all.
#[derive(Debug)]
pub enum Access {
    /// Every request is anonymous (`--no-auth`): decisions are made as the body's agent, and
    /// approvals are refused, since an approver must be known.
    Open,
    /// Every request but `GET /health` needs a key of the file.
    Keys {
        /// The file, read again on SIGHUP.
        file: PathBuf,
        /// The keys in force, swapped whole on reload.
        keys: RwLock<Arc<ApiKeys>>,
    },
}

impl Access {
    /// The keys of `file`; the error names every problem of the file.
    pub fn load(file: &Path) -> Result<Access, String> {
        let keys = ApiKeys::load(file)?;
        Ok(Access::Keys {
            file: file.to_path_buf(),
            keys: RwLock::new(Arc::new(keys)),
        })
    }

    /// The keys in force, or `None` without authentication.
    pub fn keys(&self) -> Option<Arc<ApiKeys>> {
        match self {
            Access::Open => None,
            // Held only to clone or replace an `Arc`; a poisoned lock still holds whole keys.
            Access::Keys { keys, .. } => Some(Arc::clone(
                &keys.read().unwrap_or_else(PoisonError::into_inner),
            )),
        }
    }

    /// Reads the keys file again and puts it in force, returning how many keys it has; a file
    /// that does not read leaves the keys in force. `Ok(None)` without authentication.
    pub fn reload(&self) -> Result<Option<usize>, String> {
        let Access::Keys { file, keys } = self else {
            return Ok(None);
        };
        let loaded = ApiKeys::load(file)?;
        let count = loaded.keys.len();
        *keys.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(loaded);
        Ok(Some(count))
    }

    /// The caller of a request with these headers, or the 401 that answers it.
    pub fn caller(&self, headers: &HeaderMap) -> Result<Caller, ApiError> {
        let Some(keys) = self.keys() else {
            return Ok(Caller::Anonymous);
        };
        let token = bearer_token(headers)?;
        keys.holder_of(token)
            .map(|holder| Caller::Key(holder.clone()))
            .ok_or_else(|| {
                unauthorized("the API key is not valid (not in the service's API-keys file)")
                    .with_challenge(CHALLENGE_INVALID)
            })
    }
}

/// The token of `Authorization: Bearer TOKEN`.
fn bearer_token(headers: &HeaderMap) -> Result<&str, ApiError> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Err(unauthorized(
            "this endpoint needs an API key: send `Authorization: Bearer TOKEN`",
        ));
    };
    let text = value.to_str().map_err(|_| {
        unauthorized("Authorization: must be visible ASCII (`Bearer TOKEN`)")
            .with_challenge(CHALLENGE_INVALID)
    })?;
    let (scheme, token) = text.trim().split_once(' ').unwrap_or((text.trim(), ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(unauthorized(format!(
            "Authorization: the scheme must be Bearer, not {scheme:?}"
        )));
    }
    let token = token.trim();
    if token.is_empty() {
        return Err(unauthorized("Authorization: the Bearer token is empty"));
    }
    Ok(token)
}

/// 401, with the challenge that tells a client to send a bearer token.
fn unauthorized(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
        .with_field("Authorization")
        .with_challenge(CHALLENGE)
}

/// The middleware in front of every route: finds the caller of a request (401 when there is
/// none), and leaves it in the request for the handler. `GET /health` is open, and
/// `GET /metrics` with `--open-metrics`.
pub async fn authenticate(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path == OPEN_PATH || (path == METRICS_PATH && state.open_metrics) {
        return next.run(request).await;
    }
    match state.access.caller(request.headers()) {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(error) => error.into_response(),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // `authenticate` runs before every handler; a router mounted without it has no caller.
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| unauthorized("this endpoint needs an API key"))
    }
}

/// 403: the caller is known but their role may not do this.
pub fn forbidden(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_finds_its_key_and_no_other() {
        let file = format!(
            "[[key]]\nid = \"A-1\"\nrole = \"agent\"\nsha256 = \"{}\"\n\
             [[key]]\nid = \"S-1\"\nrole = \"supervisor\"\nsha256 = \"{}\"\n",
            token_sha256("agent-token"),
            token_sha256("supervisor-token").to_uppercase()
        );
        let keys = ApiKeys::from_toml_str(&file).unwrap();
        assert_eq!(keys.holder_of("agent-token").unwrap().id, "A-1");
        assert_eq!(
            keys.holder_of("supervisor-token").unwrap().role,
            "supervisor"
        );
        assert_eq!(keys.holder_of("agent-token "), None);
        assert_eq!(keys.holder_of(""), None);
    }

    #[test]
    fn a_bad_file_names_every_entry_at_fault() {
        let same = token_sha256("t");
        let file = format!(
            "[[key]]\nid = \"\"\nrole = \"agent\"\nsha256 = \"{same}\"\n\
             [[key]]\nid = \"B\"\nrole = \"agent\"\nsha256 = \"abc\"\n\
             [[key]]\nid = \"C\"\nrole = \"agent\"\nsha256 = \"{same}\"\n"
        );
        let error = ApiKeys::from_toml_str(&file).unwrap_err();
        assert!(error.contains("key[0].id: is empty"), "{error}");
        assert!(
            error.contains("key[1].sha256: \"abc\" is not 64 hex digits"),
            "{error}"
        );
        assert!(error.contains("key[2].sha256: the same token"), "{error}");
        let error = ApiKeys::from_toml_str("").unwrap_err();
        assert!(error.contains("no [[key]] entries"), "{error}");
        let error = ApiKeys::from_toml_str("[[key]]\nid = \"A\"\nrole = \"agent\"\n").unwrap_err();
        assert!(error.contains("sha256"), "{error}");
    }

    #[test]
    fn the_authorization_header_must_be_a_bearer_token() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            bearer_token(&headers).unwrap_err().status(),
            StatusCode::UNAUTHORIZED
        );
        headers.insert(AUTHORIZATION, "Basic dXNlcjpwYXNz".parse().unwrap());
        assert!(bearer_token(&headers).is_err());
        headers.insert(AUTHORIZATION, "Bearer ".parse().unwrap());
        assert!(bearer_token(&headers).is_err());
        headers.insert(AUTHORIZATION, "bearer  abc ".parse().unwrap());
        assert_eq!(bearer_token(&headers).unwrap(), "abc");
    }
}
