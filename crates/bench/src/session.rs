//! Logging in and keeping an access token that is valid for the whole run.

use crate::http_client::{Connection, Response, Target};
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Access tokens live 15 minutes. Renewing after 10 leaves ample margin for the request that
/// is in flight while the token ages, and for clock differences.
const RENEW_AFTER: Duration = Duration::from_secs(10 * 60);
/// Logins are rate-limited per client address (`POS_LOGIN_BURST`, then one per
/// `POS_LOGIN_REFILL_MS`); the harness logs in once per phase, so it may have to wait.
const LOGIN_ATTEMPTS: u32 = 10;

#[derive(Deserialize)]
struct LoginResponse {
    access_token: String,
}

struct Token {
    /// The whole `Authorization` header value: `Bearer <access token>`.
    authorization: String,
    obtained: Instant,
}

/// The server address and a shared access token, usable from many tasks at once.
pub struct Session {
    target: Target,
    login: String,
    password: String,
    token: Mutex<Token>,
}

impl Session {
    pub async fn open(target: Target, login: String, password: String) -> Result<Self> {
        let token = obtain(&target, &login, &password).await?;
        Ok(Self {
            target,
            login,
            password,
            token: Mutex::new(token),
        })
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Logs in again. Each phase starts with this so that it has a full token lifetime ahead.
    pub async fn renew(&self) -> Result<()> {
        let token = obtain(&self.target, &self.login, &self.password).await?;
        *self.token.lock().await = token;
        Ok(())
    }

    /// The `Authorization` header value, renewed first if the token is getting old (a long
    /// phase on a slow server can outlive one token). The lock makes concurrent tasks wait for
    /// one login instead of each logging in. Call it before starting a latency timer.
    pub async fn authorization(&self) -> Result<String> {
        let mut token = self.token.lock().await;
        if token.obtained.elapsed() >= RENEW_AFTER {
            *token = obtain(&self.target, &self.login, &self.password).await?;
        }
        Ok(token.authorization.clone())
    }

    /// A GET that must succeed, for the harness's own bookkeeping (not measured).
    pub async fn get_json(&self, connection: &mut Connection, path: &str) -> Result<Value> {
        let authorization = self.authorization().await?;
        let response = connection
            .send("GET", path, &[("Authorization", &authorization)], None)
            .await?;
        expect_success(&response, "GET", path)?;
        response.json()
    }

    /// A request with a JSON body, for the harness's own bookkeeping (not measured). The
    /// response is returned whatever its status: the caller decides what is acceptable.
    pub async fn send_json(
        &self,
        connection: &mut Connection,
        method: &str,
        path: &str,
        body: &Value,
    ) -> Result<Response> {
        let authorization = self.authorization().await?;
        let bytes = serde_json::to_vec(body)?;
        connection
            .send(
                method,
                path,
                &[
                    ("Authorization", authorization.as_str()),
                    ("Content-Type", "application/json"),
                ],
                Some(&bytes),
            )
            .await
    }
}

/// Fails with the status and body unless the response is 2xx.
pub fn expect_success(response: &Response, method: &str, path: &str) -> Result<()> {
    if !response.is_success() {
        bail!("{method} {path} failed: {}", response.describe());
    }
    Ok(())
}

async fn obtain(target: &Target, login: &str, password: &str) -> Result<Token> {
    let body = serde_json::to_vec(&json!({ "login": login, "password": password }))?;
    let mut connection = Connection::new(target.clone());
    for attempt in 1..=LOGIN_ATTEMPTS {
        let response = connection
            .send(
                "POST",
                "/api/auth/login",
                &[("Content-Type", "application/json")],
                Some(&body),
            )
            .await?;
        if response.status == 429 && attempt < LOGIN_ATTEMPTS {
            let wait = response
                .header("Retry-After")
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(5)
                .clamp(1, 120);
            eprintln!("login rate-limited by the server; retrying in {wait} s");
            tokio::time::sleep(Duration::from_secs(wait)).await;
            continue;
        }
        if !response.is_success() {
            bail!("logging in as {login:?} failed: {}", response.describe());
        }
        let parsed: LoginResponse = serde_json::from_slice(&response.body)
            .with_context(|| format!("unexpected login response: {}", response.describe()))?;
        return Ok(Token {
            authorization: format!("Bearer {}", parsed.access_token),
            obtained: Instant::now(),
        });
    }
    bail!("logging in as {login:?}: still rate-limited after {LOGIN_ATTEMPTS} attempts")
}
