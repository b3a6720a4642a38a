//! The HTTP service: routes, handlers, JSON errors.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{HeaderValue, Response, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use faceproof_proof::jws::peek_embedded_jwk;
use faceproof_proof::{
    ChallengeClaims, ChallengeIssuer, ChallengeOptions, Policy, ProofClaims, Rejection,
    ReplayStore, now_unix, verify_and_consume_at,
};
use serde::{Deserialize, Serialize};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Config;
use crate::ratelimit::RateLimiter;

/// The OpenAPI document served at `/openapi.json` (hand-maintained, checked by tests).
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Shared state of one service instance.
pub struct AppState {
    pub issuer: ChallengeIssuer,
    pub policy: Policy,
    pub store: Arc<dyn ReplayStore>,
    pub limiter: RateLimiter,
    pub config: Config,
}

/// `POST /v1/challenges` body (all optional; an empty body is fine).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeRequest {
    /// Account identifier: enables device-key binding (trust on first use).
    #[serde(default)]
    pub subject: Option<String>,
    /// Optional 128-D reference template.
    #[serde(default)]
    pub reference: Option<Vec<f32>>,
}

/// `POST /v1/challenges` response.
#[derive(Debug, Serialize, Deserialize)]
pub struct ChallengeResponse {
    /// The compact challenge JWS to hand back with the proof.
    pub challenge: String,
    /// Its claims, for the client's convenience (the token is authoritative).
    pub claims: ChallengeClaims,
}

/// `POST /v1/verifications` body.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerificationRequest {
    pub challenge: String,
    pub proof: String,
}

/// `POST /v1/verifications` success.
#[derive(Debug, Serialize, Deserialize)]
pub struct VerificationResponse {
    pub verified: bool,
    pub subject: Option<String>,
    pub device_key_thumbprint: String,
    pub claims: ProofClaims,
}

/// Every error body: `{"error": {"code", "message"}}`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

/// A JSON error response.
pub struct ApiError {
    status: StatusCode,
    code: String,
    message: String,
    retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.into(),
            message: message.into(),
            retry_after: None,
        }
    }

    fn rate_limited(secs: u64) -> Self {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("too many failures; retry after {secs} s"),
        );
        e.retry_after = Some(secs);
        e
    }

    fn from_body(r: BytesRejection) -> Self {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                r.body_text(),
            )
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "bad_request", r.body_text())
        }
    }
}

/// HTTP status for a rejection.
pub fn rejection_status(r: &Rejection) -> StatusCode {
    match r {
        Rejection::Replay => StatusCode::CONFLICT,
        Rejection::StoreUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        Rejection::DeviceKeyMismatch => StatusCode::FORBIDDEN,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl From<&Rejection> for ApiError {
    fn from(r: &Rejection) -> Self {
        ApiError::new(rejection_status(r), r.code(), r.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> axum::response::Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
            },
        };
        let mut resp = (self.status, Json(body)).into_response();
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

fn parse_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    faceproof_proof::json::parse_strict(bytes).map_err(|e| {
        let msg = match e {
            faceproof_proof::json::JsonIssue::DuplicateKey => "duplicate JSON key".to_string(),
            faceproof_proof::json::JsonIssue::Invalid(m) => m,
        };
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", msg)
    })
}

fn ip_key(addr: &SocketAddr) -> String {
    format!("ip:{}", addr.ip())
}

fn retry_secs(d: std::time::Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

async fn create_challenge(
    State(st): State<Arc<AppState>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ChallengeResponse>), ApiError> {
    let keys = [ip_key(&addr)];
    if let Err(wait) = st.limiter.check(&keys, Instant::now()) {
        return Err(ApiError::rate_limited(retry_secs(wait)));
    }
    let body = body.map_err(ApiError::from_body)?;
    let req: ChallengeRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ChallengeRequest::default()
    } else {
        parse_body(&body)?
    };
    let mut opts = ChallengeOptions::new(st.policy.audience.clone());
    opts.subject = req.subject;
    opts.reference = req.reference;
    opts.ttl_s = st.config.challenge_ttl_s;
    opts.session_limit_ms = st.config.session_limit_ms;
    opts.action_limit_ms = st.config.action_limit_ms;
    opts.action_pool = st.config.challenge_actions.clone();
    if opts
        .subject
        .as_ref()
        .is_some_and(|s| s.is_empty() || s.len() > 256)
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "subject must be 1-256 bytes",
        ));
    }
    let issued = st.issuer.issue(&opts, now_unix()).map_err(|e| match e {
        faceproof_proof::challenge::IssueError::BadTemplate
        | faceproof_proof::challenge::IssueError::BadOptions(_) => {
            ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.to_string())
        }
        other => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            other.to_string(),
        ),
    })?;
    Ok((
        StatusCode::CREATED,
        Json(ChallengeResponse {
            challenge: issued.token,
            claims: issued.claims,
        }),
    ))
}

async fn create_verification(
    State(st): State<Arc<AppState>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<VerificationResponse>, ApiError> {
    let now = Instant::now();
    let ip = ip_key(&addr);
    if let Err(wait) = st.limiter.check(std::slice::from_ref(&ip), now) {
        return Err(ApiError::rate_limited(retry_secs(wait)));
    }
    let req: VerificationRequest = match body
        .map_err(ApiError::from_body)
        .and_then(|b| parse_body(&b))
    {
        Ok(r) => r,
        Err(e) => {
            st.limiter.record_failure(std::slice::from_ref(&ip), now);
            return Err(e);
        }
    };
    // The device named in the (not yet verified) header: refuse early if cooling down.
    let device = peek_embedded_jwk(&req.proof).map(|j| format!("dev:{}", j.thumbprint()));
    if let Some(d) = &device
        && let Err(wait) = st.limiter.check(std::slice::from_ref(d), now)
    {
        return Err(ApiError::rate_limited(retry_secs(wait)));
    }
    let st2 = st.clone();
    let result = tokio::task::spawn_blocking(move || {
        verify_and_consume_at(
            &req.proof,
            &req.challenge,
            &st2.policy,
            st2.store.as_ref(),
            now_unix(),
        )
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    match result {
        Ok(vp) => Ok(Json(VerificationResponse {
            verified: true,
            subject: vp.challenge.sub.clone(),
            device_key_thumbprint: vp.device_key_thumbprint,
            claims: vp.claims,
        })),
        Err(r) => {
            if !r.is_internal() {
                // A device is charged only for failures of proofs its key really signed,
                // so nobody can lock a victim's device out by naming its public key.
                let signed = !matches!(r, Rejection::Proof(_) | Rejection::Challenge(_));
                let mut keys = vec![ip];
                if let (true, Some(d)) = (signed, device) {
                    keys.push(d);
                }
                st.limiter.record_failure(&keys, now);
            }
            Err(ApiError::from(&r))
        }
    }
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}

async fn api_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such API route")
}

/// Rewrites non-JSON error responses (413 from the body-limit layer, 405) as JSON errors.
async fn json_errors(resp: Response<Body>) -> Response<Body> {
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ("body_too_large", "request body too large"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "method not allowed"),
        StatusCode::NOT_FOUND => ("not_found", "not found"),
        _ => ("error", "request failed"),
    };
    ApiError::new(status, code, message).into_response()
}

/// The service's router.
pub fn router(state: Arc<AppState>) -> Router {
    let limit = state.config.body_limit_bytes;
    let api = Router::new()
        .route("/v1/challenges", post(create_challenge))
        .route("/v1/verifications", post(create_verification))
        .route("/openapi.json", get(openapi))
        .route("/v1/{*rest}", axum::routing::any(api_not_found))
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyLimitLayer::new(limit))
        .layer(axum::middleware::map_response(json_errors))
        .with_state(state.clone());
    let mut app = api;
    if let Some(dir) = &state.config.www_dir {
        let mut statics = Router::new().fallback_service(ServeDir::new(dir));
        if state.config.cross_origin_isolation {
            statics = statics
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::HeaderName::from_static("cross-origin-opener-policy"),
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::HeaderName::from_static("cross-origin-embedder-policy"),
                    HeaderValue::from_static("require-corp"),
                ));
        }
        app = app.merge(statics);
    }
    app.layer(SetResponseHeaderLayer::if_not_present(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ))
}
