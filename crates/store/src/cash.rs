//! Cash sessions ([`CashRepo`]) in plain SQL that runs unchanged on MySQL and SQLite.
//!
//! One open session per register is the unique `open_register_id` (NULL once closed). The
//! register's row is the lock every document of a session and its close queue on: a sale
//! holds it from taking its invoice number; a return, a movement and a close take it here.

use crate::days::{from_day, to_day};
use crate::errors::{corrupt, db_err};
use crate::raw::{get, insert, rows, statement};
use crate::sums::sum_sql;
use crate::timestamps::{from_micros, to_micros};
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::cash::{
    CashMovement, CashReason, CashSession, Closing, DenominationCount, Direction, MethodClose,
    NewCashMovement, Opening,
};
use pos_domain::ids::{AccountId, CashMovementId, CashReasonId, CashSessionId, RegisterId, UserId};
use pos_domain::ledger::SourceKind;
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Page};
use pos_domain::ports::CashRepo;
use pos_domain::ports::cash::{NewCashReason, SessionDocuments, SessionFilter, SessionPosting};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, QueryResult, Value};

const SESSION_COLUMNS: &str = "id, register_id, opened_by, opened_at, float_cents, float_count, \
     blind, automatic, z_number, closed_by, closed_at, expected_cents, counted_cents, \
     counted_count";

/// A count by denomination as stored: `cents:count` pairs joined by `;`.
fn encode_count(counts: Option<&[DenominationCount]>) -> Option<String> {
    counts.map(|counts| {
        counts
            .iter()
            .map(|c| format!("{}:{}", c.denomination.minor_units(), c.count))
            .collect::<Vec<_>>()
            .join(";")
    })
}

fn decode_count(text: Option<String>) -> Result<Option<Vec<DenominationCount>>, StoreError> {
    let Some(text) = text else { return Ok(None) };
    if text.is_empty() {
        return Ok(Some(Vec::new()));
    }
    text.split(';')
        .map(|pair| {
            let (cents, count) = pair
                .split_once(':')
                .ok_or_else(|| corrupt("cash_sessions count", pair))?;
            Ok(DenominationCount {
                denomination: Money::from_minor_units(
                    cents
                        .parse()
                        .map_err(|e| corrupt("cash_sessions count", e))?,
                ),
                count: count
                    .parse()
                    .map_err(|e| corrupt("cash_sessions count", e))?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()
        .map(Some)
}

async fn methods_of(conn: &DatabaseTransaction, id: i64) -> Result<Vec<MethodClose>, StoreError> {
    rows(
        conn,
        "SELECT method_code, account_id, expected_cents, reported_cents \
         FROM cash_session_methods WHERE session_id = ? ORDER BY method_code",
        vec![id.into()],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(MethodClose {
            method_code: get(row, "method_code")?,
            account_id: AccountId::new(get(row, "account_id")?),
            expected: Money::from_minor_units(get(row, "expected_cents")?),
            reported: Money::from_minor_units(get(row, "reported_cents")?),
        })
    })
    .collect()
}

async fn to_session(
    conn: &DatabaseTransaction,
    row: &QueryResult,
) -> Result<CashSession, StoreError> {
    let id: i64 = get(row, "id")?;
    let opening = Opening {
        register_id: RegisterId::new(get(row, "register_id")?),
        user_id: UserId::new(get(row, "opened_by")?),
        float: Money::from_minor_units(get(row, "float_cents")?),
        float_count: decode_count(get(row, "float_count")?)?,
        blind: get(row, "blind")?,
        automatic: get(row, "automatic")?,
        at: from_micros(get(row, "opened_at")?)?,
    };
    let closing = match get::<Option<i64>>(row, "z_number")? {
        None => None,
        Some(z_number) => {
            let field = |name: &str| corrupt("cash_sessions", format!("closed without {name}"));
            Some(Closing {
                z_number,
                user_id: UserId::new(
                    get::<Option<i64>>(row, "closed_by")?.ok_or_else(|| field("closed_by"))?,
                ),
                at: from_micros(
                    get::<Option<i64>>(row, "closed_at")?.ok_or_else(|| field("closed_at"))?,
                )?,
                expected: Money::from_minor_units(
                    get::<Option<i64>>(row, "expected_cents")?.ok_or_else(|| field("expected"))?,
                ),
                counted: Money::from_minor_units(
                    get::<Option<i64>>(row, "counted_cents")?.ok_or_else(|| field("counted"))?,
                ),
                counted_denominations: decode_count(get(row, "counted_count")?)?,
                methods: methods_of(conn, id).await?,
            })
        }
    };
    Ok(CashSession {
        id: CashSessionId::new(id),
        opening,
        closing,
    })
}

async fn one_session(
    conn: &DatabaseTransaction,
    sql: &str,
    values: Vec<Value>,
) -> Result<Option<CashSession>, StoreError> {
    match rows(conn, sql, values).await?.first() {
        Some(row) => Ok(Some(to_session(conn, row).await?)),
        None => Ok(None),
    }
}

fn to_reason(row: &QueryResult) -> Result<CashReason, StoreError> {
    let direction: String = get(row, "direction")?;
    Ok(CashReason {
        id: CashReasonId::new(get(row, "id")?),
        code: get(row, "code")?,
        name: get(row, "name")?,
        direction: Direction::parse(&direction)
            .ok_or_else(|| corrupt("cash_reasons.direction", &direction))?,
        account_id: AccountId::new(get(row, "account_id")?),
        active: get(row, "active")?,
    })
}

fn to_movement(row: &QueryResult) -> Result<CashMovement, StoreError> {
    let direction: String = get(row, "direction")?;
    Ok(CashMovement {
        id: CashMovementId::new(get(row, "id")?),
        movement: NewCashMovement {
            session_id: CashSessionId::new(get(row, "session_id")?),
            register_id: RegisterId::new(get(row, "register_id")?),
            reason_id: CashReasonId::new(get(row, "reason_id")?),
            direction: Direction::parse(&direction)
                .ok_or_else(|| corrupt("cash_movements.direction", &direction))?,
            amount: Money::from_minor_units(get(row, "amount_cents")?),
            note: get(row, "note")?,
            user_id: UserId::new(get(row, "user_id")?),
            date: from_day(get(row, "day")?)?,
            at: from_micros(get(row, "created_at")?)?,
        },
    })
}

#[async_trait]
impl CashRepo for SeaTx {
    async fn lock_open_session(
        &mut self,
        register: RegisterId,
    ) -> Result<Option<CashSession>, StoreError> {
        let conn = self.conn();
        if conn.get_database_backend() == DbBackend::MySql {
            // SQLite writers hold the whole database already.
            rows(
                conn,
                "SELECT id FROM registers WHERE id = ? FOR UPDATE",
                vec![register.get().into()],
            )
            .await?;
        }
        self.open_session(register).await
    }

    async fn open_session(
        &mut self,
        register: RegisterId,
    ) -> Result<Option<CashSession>, StoreError> {
        one_session(
            self.conn(),
            &format!("SELECT {SESSION_COLUMNS} FROM cash_sessions WHERE open_register_id = ?"),
            vec![register.get().into()],
        )
        .await
    }

    async fn find_cash_session(
        &mut self,
        id: CashSessionId,
    ) -> Result<Option<CashSession>, StoreError> {
        one_session(
            self.conn(),
            &format!("SELECT {SESSION_COLUMNS} FROM cash_sessions WHERE id = ?"),
            vec![id.get().into()],
        )
        .await
    }

    async fn insert_cash_session(&mut self, opening: Opening) -> Result<CashSession, StoreError> {
        let id = insert(
            self.conn(),
            "INSERT INTO cash_sessions (register_id, open_register_id, opened_by, opened_at, \
             float_cents, float_count, blind, automatic) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            vec![
                opening.register_id.get().into(),
                opening.register_id.get().into(),
                opening.user_id.get().into(),
                to_micros(opening.at).into(),
                opening.float.minor_units().into(),
                encode_count(opening.float_count.as_deref()).into(),
                opening.blind.into(),
                opening.automatic.into(),
            ],
        )
        .await?;
        self.find_cash_session(CashSessionId::new(id))
            .await?
            .ok_or_else(|| StoreError::backend("a session inserted and not found"))
    }

    async fn take_z_number(&mut self, register: RegisterId) -> Result<i64, StoreError> {
        let conn = self.conn();
        let backend = conn.get_database_backend();
        let taken = match backend {
            DbBackend::MySql => {
                let done = conn
                    .execute_raw(statement(
                        conn,
                        "UPDATE registers SET last_z_number = LAST_INSERT_ID(last_z_number + 1) \
                         WHERE id = ?",
                        vec![register.get().into()],
                    ))
                    .await
                    .map_err(db_err)?;
                (done.rows_affected() == 1)
                    .then(|| i64::try_from(done.last_insert_id()).ok())
                    .flatten()
            }
            _ => rows(
                conn,
                "UPDATE registers SET last_z_number = last_z_number + 1 WHERE id = ? \
                 RETURNING last_z_number",
                vec![register.get().into()],
            )
            .await?
            .first()
            .map(|row| row.try_get_by_index::<i64>(0))
            .transpose()
            .map_err(db_err)?,
        };
        taken.ok_or(StoreError::NotFound)
    }

    async fn close_cash_session(
        &mut self,
        id: CashSessionId,
        closing: Closing,
    ) -> Result<CashSession, StoreError> {
        let conn = self.conn();
        let done = conn
            .execute_raw(statement(
                conn,
                "UPDATE cash_sessions SET open_register_id = NULL, z_number = ?, closed_by = ?, \
                 closed_at = ?, expected_cents = ?, counted_cents = ?, counted_count = ? \
                 WHERE id = ? AND open_register_id IS NOT NULL",
                vec![
                    closing.z_number.into(),
                    closing.user_id.get().into(),
                    to_micros(closing.at).into(),
                    closing.expected.minor_units().into(),
                    closing.counted.minor_units().into(),
                    encode_count(closing.counted_denominations.as_deref()).into(),
                    id.get().into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        for method in &closing.methods {
            insert(
                conn,
                "INSERT INTO cash_session_methods (session_id, method_code, account_id, \
                 expected_cents, reported_cents) VALUES (?, ?, ?, ?, ?)",
                vec![
                    id.get().into(),
                    method.method_code.clone().into(),
                    method.account_id.get().into(),
                    method.expected.minor_units().into(),
                    method.reported.minor_units().into(),
                ],
            )
            .await?;
        }
        self.find_cash_session(id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn list_cash_sessions(
        &mut self,
        query: ListQuery<SessionFilter, ()>,
    ) -> Result<Page<CashSession>, StoreError> {
        let conn = self.conn();
        let f = &query.filter;
        let mut conditions = vec!["1 = 1".to_owned()];
        let mut values: Vec<Value> = Vec::new();
        if let Some(register) = f.register {
            conditions.push("register_id = ?".into());
            values.push(register.get().into());
        }
        if let Some(user) = f.user {
            conditions.push("opened_by = ?".into());
            values.push(user.get().into());
        }
        match f.open {
            Some(true) => conditions.push("open_register_id IS NOT NULL".into()),
            Some(false) => conditions.push("open_register_id IS NULL".into()),
            None => {}
        }
        if let Some(from) = f.from {
            conditions.push("opened_at >= ?".into());
            values.push(to_micros(from).into());
        }
        if let Some(to) = f.to {
            conditions.push("opened_at < ?".into());
            values.push(to_micros(to).into());
        }
        if let Some(from) = f.closed_from {
            conditions.push("closed_at >= ?".into());
            values.push(to_micros(from).into());
        }
        if let Some(to) = f.closed_to {
            conditions.push("closed_at < ?".into());
            values.push(to_micros(to).into());
        }
        let filter = conditions.join(" AND ");
        let page = query.page;
        let query = (
            SESSION_COLUMNS,
            "cash_sessions",
            filter.as_str(),
            "opened_at DESC, id DESC",
        );
        let (found, total) = crate::raw::page(conn, query, values, page).await?;
        let mut items = Vec::with_capacity(found.len());
        for row in &found {
            items.push(to_session(conn, row).await?);
        }
        Ok(Page {
            items,
            page: page.page(),
            per_page: page.per_page(),
            total,
        })
    }

    async fn session_postings(
        &mut self,
        id: CashSessionId,
    ) -> Result<Vec<SessionPosting>, StoreError> {
        let conn = self.conn();
        let backend = conn.get_database_backend();
        let debit = sum_sql(
            backend,
            "CASE WHEN l.side = 'debit' THEN l.amount_cents ELSE 0 END",
        );
        let credit = sum_sql(
            backend,
            "CASE WHEN l.side = 'credit' THEN l.amount_cents ELSE 0 END",
        );
        rows(
            conn,
            &format!(
                "SELECT e.user_id AS user_id, e.source_kind AS kind, l.account_id AS account_id, \
                 {debit} AS debit, {credit} AS credit \
                 FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id \
                 WHERE e.cash_session_id = ? \
                 GROUP BY e.user_id, e.source_kind, l.account_id"
            ),
            vec![id.get().into()],
        )
        .await?
        .iter()
        .map(|row| {
            let kind: String = get(row, "kind")?;
            Ok(SessionPosting {
                user_id: UserId::new(get(row, "user_id")?),
                kind: SourceKind::parse(&kind)
                    .ok_or_else(|| corrupt("journal_entries.source_kind", &kind))?,
                account_id: AccountId::new(get(row, "account_id")?),
                debit: Money::checked_from_minor_units(get::<i64>(row, "debit")?)
                    .map_err(|_| StoreError::OutOfRange("a session's sums"))?,
                credit: Money::checked_from_minor_units(get::<i64>(row, "credit")?)
                    .map_err(|_| StoreError::OutOfRange("a session's sums"))?,
            })
        })
        .collect()
    }

    async fn session_documents(
        &mut self,
        id: CashSessionId,
    ) -> Result<Vec<SessionDocuments>, StoreError> {
        rows(
            self.conn(),
            "SELECT user_id, source_kind AS kind, COUNT(DISTINCT source_id) AS n \
             FROM journal_entries WHERE cash_session_id = ? GROUP BY user_id, source_kind",
            vec![id.get().into()],
        )
        .await?
        .iter()
        .map(|row| {
            let kind: String = get(row, "kind")?;
            Ok(SessionDocuments {
                user_id: UserId::new(get(row, "user_id")?),
                kind: SourceKind::parse(&kind)
                    .ok_or_else(|| corrupt("journal_entries.source_kind", &kind))?,
                count: u64::try_from(get::<i64>(row, "n")?).unwrap_or(0),
            })
        })
        .collect()
    }

    async fn session_sources(
        &mut self,
        id: CashSessionId,
    ) -> Result<Vec<(SourceKind, i64)>, StoreError> {
        rows(
            self.conn(),
            "SELECT source_kind AS kind, source_id FROM journal_entries \
             WHERE cash_session_id = ? AND source_id IS NOT NULL \
             GROUP BY source_kind, source_id ORDER BY MIN(id)",
            vec![id.get().into()],
        )
        .await?
        .iter()
        .map(|row| {
            let kind: String = get(row, "kind")?;
            Ok((
                SourceKind::parse(&kind)
                    .ok_or_else(|| corrupt("journal_entries.source_kind", &kind))?,
                get(row, "source_id")?,
            ))
        })
        .collect()
    }

    async fn misplaced_session_entries(
        &mut self,
    ) -> Result<Vec<(pos_domain::ids::EntryId, CashSessionId)>, StoreError> {
        rows(
            self.conn(),
            "SELECT e.id AS entry_id, e.cash_session_id AS session_id \
             FROM journal_entries e LEFT JOIN cash_sessions s ON s.id = e.cash_session_id \
             WHERE e.cash_session_id IS NOT NULL AND (s.id IS NULL \
               OR e.register_id IS NULL OR e.register_id <> s.register_id \
               OR e.created_at < s.opened_at \
               OR (s.closed_at IS NOT NULL AND e.created_at > s.closed_at)) \
             ORDER BY e.id",
            vec![],
        )
        .await?
        .iter()
        .map(|row| {
            Ok((
                pos_domain::ids::EntryId::new(get(row, "entry_id")?),
                CashSessionId::new(get(row, "session_id")?),
            ))
        })
        .collect()
    }

    async fn cash_reasons(&mut self) -> Result<Vec<CashReason>, StoreError> {
        rows(
            self.conn(),
            "SELECT id, code, name, direction, account_id, active FROM cash_reasons ORDER BY code",
            vec![],
        )
        .await?
        .iter()
        .map(to_reason)
        .collect()
    }

    async fn insert_cash_reason(
        &mut self,
        reason: NewCashReason,
    ) -> Result<CashReason, StoreError> {
        let id = insert(
            self.conn(),
            "INSERT INTO cash_reasons (code, name, direction, account_id, active) \
             VALUES (?, ?, ?, ?, ?)",
            vec![
                reason.code.clone().into(),
                reason.name.clone().into(),
                reason.direction.as_str().into(),
                reason.account_id.get().into(),
                true.into(),
            ],
        )
        .await?;
        Ok(CashReason {
            id: CashReasonId::new(id),
            code: reason.code,
            name: reason.name,
            direction: reason.direction,
            account_id: reason.account_id,
            active: true,
        })
    }

    async fn insert_cash_movement(
        &mut self,
        movement: NewCashMovement,
    ) -> Result<CashMovement, StoreError> {
        let id = insert(
            self.conn(),
            "INSERT INTO cash_movements (session_id, register_id, reason_id, direction, \
             amount_cents, note, user_id, day, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            vec![
                movement.session_id.get().into(),
                movement.register_id.get().into(),
                movement.reason_id.get().into(),
                movement.direction.as_str().into(),
                movement.amount.minor_units().into(),
                movement.note.clone().into(),
                movement.user_id.get().into(),
                to_day(movement.date).into(),
                to_micros(movement.at).into(),
            ],
        )
        .await?;
        Ok(CashMovement {
            id: CashMovementId::new(id),
            movement,
        })
    }

    async fn session_movements(
        &mut self,
        id: CashSessionId,
    ) -> Result<Vec<CashMovement>, StoreError> {
        rows(
            self.conn(),
            "SELECT id, session_id, register_id, reason_id, direction, amount_cents, note, \
             user_id, day, created_at FROM cash_movements WHERE session_id = ? ORDER BY id",
            vec![id.get().into()],
        )
        .await?
        .iter()
        .map(to_movement)
        .collect()
    }
}
