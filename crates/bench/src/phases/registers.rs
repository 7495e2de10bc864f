//! The registers (tills) the harness sells at: each client on a register of its own, so that
//! the figures have the shape of a shop with that many tills. Found by code through
//! `GET /api/registers` and created through `POST /api/registers` when missing, each with a
//! cash session opened if none is; a run leaves them in place for the next.

use crate::http_client::Connection;
use crate::session::{Session, expect_success};
use anyhow::{Context, Result};
use serde_json::{Value, json};

/// A register as listed.
struct Listed {
    id: i64,
    code: String,
    active: bool,
}

/// `prefix1`, `prefix2`... up to `count`: the codes of a phase's registers.
pub fn codes(prefix: &str, count: usize) -> Vec<String> {
    (1..=count).map(|n| format!("{prefix}{n}")).collect()
}

/// The ids of the registers with these codes, in the same order. Existing ones are reused (and
/// switched back on if someone switched them off); missing ones are created, named after
/// `purpose`.
pub async fn ensure(session: &Session, codes: &[String], purpose: &str) -> Result<Vec<i64>> {
    let mut connection = Connection::new(session.target().clone());
    let mut known = list(session, &mut connection).await?;
    let mut ids = Vec::with_capacity(codes.len());
    for code in codes {
        let found = known
            .iter()
            .find(|r| r.code == *code)
            .map(|r| (r.id, r.active));
        let id = match found {
            Some((id, true)) => id,
            Some((id, false)) => {
                switch_on(session, &mut connection, id, code).await?;
                id
            }
            None => match create(session, &mut connection, code, purpose).await? {
                Some(id) => id,
                // Created by someone else since the listing: read it again.
                None => {
                    known = list(session, &mut connection).await?;
                    known
                        .iter()
                        .find(|r| r.code == *code)
                        .map(|r| r.id)
                        .with_context(|| {
                            format!("register {code}: the code is taken, yet not listed")
                        })?
                }
            },
        };
        open_session(session, &mut connection, id, code).await?;
        ids.push(id);
    }
    Ok(ids)
}

/// Opens the register's cash session with no float, unless one is open already: a register
/// other than the default sells only within an open session.
async fn open_session(
    session: &Session,
    connection: &mut Connection,
    id: i64,
    code: &str,
) -> Result<()> {
    let path = format!("/api/registers/{id}/sessions");
    let response = session
        .send_json(connection, "POST", &path, &json!({ "float": "0.00" }))
        .await?;
    if response.status == 409 && response.problem_code().as_deref() == Some("session_open") {
        return Ok(());
    }
    expect_success(&response, "POST", &path)?;
    eprintln!("opened a cash session at register {code} (id {id})");
    Ok(())
}

async fn list(session: &Session, connection: &mut Connection) -> Result<Vec<Listed>> {
    // A shop has at most 100 registers: one page of 100 holds them all.
    let listing = session
        .get_json(connection, "/api/registers?per_page=100")
        .await?;
    let rows = listing["data"]
        .as_array()
        .with_context(|| format!("GET /api/registers: no list in {listing}"))?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(Listed {
                id: r.get("id")?.as_i64()?,
                code: r.get("code")?.as_str()?.to_owned(),
                active: r.get("active").and_then(Value::as_bool).unwrap_or(true),
            })
        })
        .collect())
}

/// Creates a register; `None` when its code is already taken (409 `already_exists`).
async fn create(
    session: &Session,
    connection: &mut Connection,
    code: &str,
    purpose: &str,
) -> Result<Option<i64>> {
    let body = json!({ "code": code, "name": format!("pos-bench {purpose} {code}") });
    let response = session
        .send_json(connection, "POST", "/api/registers", &body)
        .await?;
    if response.status == 409 && response.problem_code().as_deref() == Some("already_exists") {
        return Ok(None);
    }
    expect_success(&response, "POST", "/api/registers")?;
    let created = response.json()?;
    let id = created
        .get("id")
        .and_then(Value::as_i64)
        .with_context(|| format!("POST /api/registers: no id in {created}"))?;
    eprintln!("created register {code} (id {id})");
    Ok(Some(id))
}

async fn switch_on(
    session: &Session,
    connection: &mut Connection,
    id: i64,
    code: &str,
) -> Result<()> {
    let path = format!("/api/registers/{id}");
    let response = session
        .send_json(connection, "PATCH", &path, &json!({ "active": true }))
        .await?;
    expect_success(&response, "PATCH", &path)?;
    eprintln!("switched register {code} (id {id}) back on");
    Ok(())
}
