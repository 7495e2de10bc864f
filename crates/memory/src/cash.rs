//! Cash sessions in memory: transactions are serialised, so "locking" a register is a no-op.

use crate::MemoryTx;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::cash::{CashMovement, CashReason, CashSession, Closing, NewCashMovement, Opening};
use pos_domain::error::Unique;
use pos_domain::ids::{CashMovementId, CashReasonId, CashSessionId, RegisterId};
use pos_domain::ledger::Side;
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Page};
use pos_domain::ports::CashRepo;
use pos_domain::ports::cash::{NewCashReason, SessionDocuments, SessionFilter, SessionPosting};
use std::collections::{BTreeMap, BTreeSet};

impl MemoryTx {
    fn open_of(&self, register: RegisterId) -> Option<CashSession> {
        self.staged
            .cash_sessions
            .values()
            .find(|s| s.opening.register_id == register && s.is_open())
            .cloned()
    }

    /// The ids of the entries posted in a session.
    fn session_entries(
        &self,
        id: CashSessionId,
    ) -> impl Iterator<Item = &pos_domain::ledger::JournalEntry> {
        self.staged
            .entries
            .values()
            .filter(move |e| self.staged.entry_sessions.get(&e.id.get()) == Some(&id.get()))
    }
}

fn matches(session: &CashSession, filter: &SessionFilter) -> bool {
    filter
        .register
        .is_none_or(|r| session.opening.register_id == r)
        && filter.user.is_none_or(|u| session.opening.user_id == u)
        && filter.open.is_none_or(|open| session.is_open() == open)
        && filter.from.is_none_or(|from| session.opening.at >= from)
        && filter.to.is_none_or(|to| session.opening.at < to)
        && filter
            .closed_from
            .is_none_or(|from| session.closing.as_ref().is_some_and(|c| c.at >= from))
        && filter
            .closed_to
            .is_none_or(|to| session.closing.as_ref().is_some_and(|c| c.at < to))
}

#[async_trait]
impl CashRepo for MemoryTx {
    async fn lock_open_session(
        &mut self,
        register: RegisterId,
    ) -> Result<Option<CashSession>, StoreError> {
        Ok(self.open_of(register))
    }

    async fn open_session(
        &mut self,
        register: RegisterId,
    ) -> Result<Option<CashSession>, StoreError> {
        Ok(self.open_of(register))
    }

    async fn find_cash_session(
        &mut self,
        id: CashSessionId,
    ) -> Result<Option<CashSession>, StoreError> {
        Ok(self.staged.cash_sessions.get(&id.get()).cloned())
    }

    async fn insert_cash_session(&mut self, opening: Opening) -> Result<CashSession, StoreError> {
        if self.open_of(opening.register_id).is_some() {
            return Err(StoreError::Duplicate(Unique::OpenSession));
        }
        let session = CashSession {
            id: CashSessionId::new(self.staged.next_id()),
            opening,
            closing: None,
        };
        self.staged
            .cash_sessions
            .insert(session.id.get(), session.clone());
        Ok(session)
    }

    async fn take_z_number(&mut self, register: RegisterId) -> Result<i64, StoreError> {
        let last = self.staged.z_numbers.entry(register.get()).or_insert(0);
        *last += 1;
        Ok(*last)
    }

    async fn close_cash_session(
        &mut self,
        id: CashSessionId,
        closing: Closing,
    ) -> Result<CashSession, StoreError> {
        let session = self
            .staged
            .cash_sessions
            .get_mut(&id.get())
            .filter(|s| s.is_open())
            .ok_or(StoreError::NotFound)?;
        session.closing = Some(closing);
        Ok(session.clone())
    }

    async fn list_cash_sessions(
        &mut self,
        query: ListQuery<SessionFilter, ()>,
    ) -> Result<Page<CashSession>, StoreError> {
        let mut found: Vec<CashSession> = self
            .staged
            .cash_sessions
            .values()
            .filter(|s| matches(s, &query.filter))
            .cloned()
            .collect();
        found.sort_by_key(|s| std::cmp::Reverse((s.opening.at, s.id)));
        Ok(Page::slice(found, query.page))
    }

    async fn session_postings(
        &mut self,
        id: CashSessionId,
    ) -> Result<Vec<SessionPosting>, StoreError> {
        let mut sums: BTreeMap<(i64, &str, i64), (Money, Money)> = BTreeMap::new();
        let mut kinds = BTreeMap::new();
        for entry in self.session_entries(id) {
            kinds.insert(entry.source.kind.as_str(), entry.source.kind);
            for line in &entry.lines {
                let key = (
                    entry.user_id.get(),
                    entry.source.kind.as_str(),
                    line.account_id.get(),
                );
                let (debit, credit) = sums.entry(key).or_insert((Money::ZERO, Money::ZERO));
                match line.side {
                    Side::Debit => {
                        *debit = debit
                            .wide_add(line.amount)
                            .map_err(|_| StoreError::OutOfRange("a session's sums"))?
                    }
                    Side::Credit => {
                        *credit = credit
                            .wide_add(line.amount)
                            .map_err(|_| StoreError::OutOfRange("a session's sums"))?
                    }
                }
            }
        }
        Ok(sums
            .into_iter()
            .filter_map(|((user, kind, account), (debit, credit))| {
                Some(SessionPosting {
                    user_id: pos_domain::ids::UserId::new(user),
                    kind: *kinds.get(kind)?,
                    account_id: pos_domain::ids::AccountId::new(account),
                    debit,
                    credit,
                })
            })
            .collect())
    }

    async fn session_documents(
        &mut self,
        id: CashSessionId,
    ) -> Result<Vec<SessionDocuments>, StoreError> {
        let mut seen: BTreeMap<
            (i64, &str),
            (pos_domain::ledger::SourceKind, BTreeSet<Option<i64>>),
        > = BTreeMap::new();
        for entry in self.session_entries(id) {
            seen.entry((entry.user_id.get(), entry.source.kind.as_str()))
                .or_insert_with(|| (entry.source.kind, BTreeSet::new()))
                .1
                .insert(entry.source.id);
        }
        Ok(seen
            .into_iter()
            .map(|((user, _), (kind, ids))| SessionDocuments {
                user_id: pos_domain::ids::UserId::new(user),
                kind,
                count: ids.len() as u64,
            })
            .collect())
    }

    async fn session_sources(
        &mut self,
        id: CashSessionId,
    ) -> Result<Vec<(pos_domain::ledger::SourceKind, i64)>, StoreError> {
        let mut sources = Vec::new();
        for entry in self.session_entries(id) {
            if let Some(source) = entry.source.id
                && !sources.contains(&(entry.source.kind, source))
            {
                sources.push((entry.source.kind, source));
            }
        }
        Ok(sources)
    }

    async fn misplaced_session_entries(
        &mut self,
    ) -> Result<Vec<(pos_domain::ids::EntryId, CashSessionId)>, StoreError> {
        // This adapter keeps no register on an entry: the times and the session are checked.
        let mut found = Vec::new();
        for (entry, session) in &self.staged.entry_sessions {
            let Some(entry) = self.staged.entries.get(entry) else {
                continue;
            };
            let open = self.staged.cash_sessions.get(session).is_some_and(|s| {
                entry.created_at >= s.opening.at
                    && s.closing.as_ref().is_none_or(|c| entry.created_at <= c.at)
            });
            if !open {
                found.push((entry.id, CashSessionId::new(*session)));
            }
        }
        Ok(found)
    }

    async fn cash_reasons(&mut self) -> Result<Vec<CashReason>, StoreError> {
        let mut reasons: Vec<CashReason> = self.staged.cash_reasons.values().cloned().collect();
        reasons.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(reasons)
    }

    async fn insert_cash_reason(
        &mut self,
        reason: NewCashReason,
    ) -> Result<CashReason, StoreError> {
        if self
            .staged
            .cash_reasons
            .values()
            .any(|r| r.code == reason.code)
        {
            return Err(StoreError::Duplicate(Unique::CashReasonCode));
        }
        self.require_account(reason.account_id)?;
        let reason = CashReason {
            id: CashReasonId::new(self.staged.next_id()),
            code: reason.code,
            name: reason.name,
            direction: reason.direction,
            account_id: reason.account_id,
            active: true,
        };
        self.staged
            .cash_reasons
            .insert(reason.id.get(), reason.clone());
        Ok(reason)
    }

    async fn insert_cash_movement(
        &mut self,
        movement: NewCashMovement,
    ) -> Result<CashMovement, StoreError> {
        let movement = CashMovement {
            id: CashMovementId::new(self.staged.next_id()),
            movement,
        };
        self.staged
            .cash_movements
            .insert(movement.id.get(), movement.clone());
        Ok(movement)
    }

    async fn session_movements(
        &mut self,
        id: CashSessionId,
    ) -> Result<Vec<CashMovement>, StoreError> {
        Ok(self
            .staged
            .cash_movements
            .values()
            .filter(|m| m.movement.session_id == id)
            .cloned()
            .collect())
    }
}
