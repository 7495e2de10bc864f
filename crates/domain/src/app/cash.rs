//! Cash sessions at a register: open with a float, pay cash in and out, read the X report,
//! close with a count into the Z report.

mod error;
mod report;

pub use error::CashError;
pub use report::{CashierFigures, MethodFigures, SessionFigures, SessionReport};

use crate::app::{App, AppResult, Once, Reply};
use crate::cash::{
    CashMovement, CashSession, Closing, CountError, Counted, DrawerAccounts, MethodClose,
    NewCashMovement, Opening, Till, close_entry, may_close, may_pay_out, movement_entry,
};
use crate::error::Unique;
use crate::ids::{CashSessionId, RegisterId, UserId};
use crate::ledger::JournalEntry;
use crate::ledger::chart::codes;
use crate::money::Money;
use crate::paging::{ListQuery, Page};
use crate::ports::Tx;
use crate::ports::cash::SessionFilter;
use crate::register::Register;
use crate::services::ServiceError;
use crate::services::cash::{SessionRefusal, all_sessions, till_for_document};
use crate::services::sales::RegisterClosed;
use crate::services::stock::{account_in, static_data_with};
use crate::user::Role;
use time::Date;

/// Add a reason cash is paid in or out for.
#[derive(Debug, Clone)]
pub struct NewReason {
    /// What clients send as `reason` (checked by the caller: a-z, 0-9, `_`, `-`).
    pub code: String,
    pub name: crate::text::Name,
    pub direction: crate::cash::Direction,
    /// The account on the other side of the drawer's cash.
    pub account_code: String,
}

/// Open a register's session with the float in its drawer.
#[derive(Debug, Clone)]
pub struct OpenCashSession {
    pub register: RegisterId,
    pub float: Counted,
    /// Hide the expected cash from staff until the count is in.
    pub blind: bool,
    pub user: UserId,
    /// Where the user works: sessions open only at registers there.
    pub stores: crate::user::Stores,
}

/// Pay cash into or out of a register's drawer, for a reason.
#[derive(Debug, Clone)]
pub struct MoveCash {
    pub register: RegisterId,
    /// The reason's code (`petty_cash`, `bank_deposit`...).
    pub reason: String,
    pub amount: Money,
    pub note: Option<String>,
    pub date: Option<Date>,
    pub user: UserId,
    pub role: Role,
    pub stores: crate::user::Stores,
}

/// Cash paid in or out, and the entry that posted it.
#[derive(Debug, Clone)]
pub struct MovedCash {
    pub movement: CashMovement,
    pub entry: JournalEntry,
}

/// Close a session with the counted cash and what each terminal or wallet reported.
#[derive(Debug, Clone)]
pub struct CloseCashSession {
    pub session: CashSessionId,
    pub counted: Counted,
    /// (payment method code, the total its terminal or wallet reports). Methods not named
    /// are taken to report what the books expect.
    pub reported: Vec<(String, Money)>,
    pub user: UserId,
    pub role: Role,
    pub stores: crate::user::Stores,
}

fn count_refused(field: &str, e: CountError) -> CashError {
    match e {
        CountError::OutOfRange => CashError::OutOfRange {
            field: field.to_owned(),
        },
        other => CashError::Invalid {
            field: field.to_owned(),
            message: other.to_string(),
        },
    }
}

async fn active_register(tx: &mut dyn Tx, id: RegisterId) -> Result<Register, CashError> {
    let register = tx
        .find_register(id)
        .await?
        .ok_or(CashError::NotFound("register"))?;
    if !register.active {
        return Err(RegisterClosed {
            register: register.code.to_string(),
        }
        .into());
    }
    Ok(register)
}

/// The accounts a drawer's postings use, from the static data.
async fn drawer_accounts(tx: &mut dyn Tx) -> Result<DrawerAccounts, CashError> {
    let wanted = [codes::CASH, codes::CASH_OVER_SHORT, codes::SUSPENSE];
    let data = static_data_with(tx, |d| {
        wanted.iter().all(|c| d.account_by_code(c).is_some())
    })
    .await?;
    Ok(DrawerAccounts {
        cash: account_in(&data, codes::CASH)?,
        over_short: account_in(&data, codes::CASH_OVER_SHORT)?,
        suspense: account_in(&data, codes::SUSPENSE)?,
    })
}

impl App {
    /// Opens a register's session with its float. Refuses: 404 `register`, 409
    /// `register_inactive`, 409 `session_open` when one is open already (also when two tills
    /// race for it: the database keeps one open session per register).
    pub async fn open_cash_session(
        &self,
        command: OpenCashSession,
        once: Once<'_, CashSession>,
    ) -> Result<Reply, CashError> {
        let float = command
            .float
            .total()
            .map_err(|e| count_refused("float", e))?;
        self.once(once, async |tx, now| {
            let register = active_register(tx, command.register).await?;
            if let Some(refused) = command
                .stores
                .refusal(register.location_id, "open a session")
            {
                return Err(CashError::Elsewhere(refused));
            }
            if let Some(open) = tx.lock_open_session(register.id).await? {
                return Err(CashError::SessionOpen {
                    register: register.code.to_string(),
                    session: open.id,
                });
            }
            let opening = Opening {
                register_id: register.id,
                user_id: command.user,
                float,
                float_count: command.float.denominations().map(<[_]>::to_vec),
                blind: command.blind,
                automatic: false,
                at: now,
            };
            match tx.insert_cash_session(opening).await {
                Err(crate::StoreError::Duplicate(Unique::OpenSession)) => {
                    Err(CashError::SessionOpen {
                        register: register.code.to_string(),
                        session: CashSessionId::new(0),
                    })
                }
                other => Ok(other?),
            }
        })
        .await
    }

    /// Pays cash in or out of a register's drawer, posted against the reason's account.
    /// Refuses: 422 on an unknown or inactive reason, 403 when staff pay out more than the
    /// staff limit, 409 `no_open_session` at a register other than the default with no open
    /// session.
    pub async fn move_cash(
        &self,
        command: MoveCash,
        once: Once<'_, MovedCash>,
    ) -> Result<Reply, CashError> {
        let limit = self.policy.staff_payout_limit;
        self.once(once, async |tx, now| {
            let offset = self.register_offset(tx, command.register).await?;
            let date = self.document_date_at(offset, command.date)?;
            let reason = tx
                .cash_reasons()
                .await?
                .into_iter()
                .find(|r| r.code == command.reason && r.active)
                .ok_or_else(|| CashError::Invalid {
                    field: "reason".to_owned(),
                    message: format!(
                        "{:?} is not an active reason; see GET /api/cash-reasons",
                        command.reason
                    ),
                })?;
            if reason.direction == crate::cash::Direction::Out
                && !may_pay_out(command.role, command.amount, limit)
            {
                return Err(CashError::PayoutForbidden {
                    limit,
                    amount: command.amount,
                });
            }
            let accounts = drawer_accounts(tx).await?;
            let register = active_register(tx, command.register).await?;
            if let Some(refused) = command.stores.refusal(register.location_id, "move cash") {
                return Err(CashError::Elsewhere(refused));
            }
            let till = till_for_document(tx, &register, command.user, now)
                .await
                .map_err(session_refused)?;
            let session = till.session.ok_or(CashError::NotFound("session"))?;
            let movement = tx
                .insert_cash_movement(NewCashMovement {
                    session_id: session,
                    register_id: register.id,
                    reason_id: reason.id,
                    direction: reason.direction,
                    amount: command.amount,
                    note: command.note.clone(),
                    user_id: command.user,
                    date,
                    at: now,
                })
                .await?;
            let entry = movement_entry(&movement.movement, movement.id, accounts.cash, &reason)?;
            let mut posted = tx.post_entries(vec![entry], Some(till), now).await?;
            let entry = posted.pop().ok_or(CashError::NotFound("entry"))?;
            Ok(MovedCash { movement, entry })
        })
        .await
    }

    /// A session's report: the X report while it is open (changes nothing), the Z report once
    /// it is closed. A blind session hides the expected cash from staff until it is closed.
    pub async fn cash_session_report(
        &self,
        id: CashSessionId,
        role: Role,
    ) -> AppResult<SessionReport> {
        self.read(async |tx| {
            let session = tx
                .find_cash_session(id)
                .await?
                .ok_or(ServiceError::NotFound("cash session"))?;
            let mut report = report::build(tx, session).await?;
            if report.session.is_open()
                && report.session.opening.blind
                && !role.at_least(Role::Manager)
            {
                report.hide_expected();
            }
            Ok(report)
        })
        .await
    }

    /// A register's open session, if any. Refuses: 404 `register`.
    pub async fn open_cash_session_of(
        &self,
        register: RegisterId,
    ) -> AppResult<Option<CashSession>> {
        self.read(async |tx| {
            tx.find_register(register)
                .await?
                .ok_or(ServiceError::NotFound("register"))?;
            Ok(tx.open_session(register).await?)
        })
        .await
    }

    /// Sessions, newest first, filtered by register, user, date and status.
    pub async fn cash_sessions(
        &self,
        query: ListQuery<SessionFilter, ()>,
    ) -> AppResult<Page<CashSession>> {
        self.read(async |tx| Ok(tx.list_cash_sessions(query).await?))
            .await
    }

    /// Adds a reason cash is paid in or out for, posted against an account of the chart.
    /// Refuses: 422 on an unknown or inactive account, the drawer's own cash account, or a
    /// control account (`posted_by_*`); a taken code (`Duplicate`).
    pub async fn create_cash_reason(
        &self,
        command: NewReason,
    ) -> AppResult<crate::cash::CashReason> {
        self.write(async |tx| {
            let account = crate::app::lookups::manual_account(
                tx,
                "account_code",
                &command.account_code,
                None,
            )
            .await?;
            if account.code.as_str() == codes::CASH {
                return Err(ServiceError::invalid(
                    "account_code",
                    "is the drawer's own cash account: a movement needs another side",
                ));
            }
            Ok(tx
                .insert_cash_reason(crate::ports::cash::NewCashReason {
                    code: command.code,
                    name: command.name.into_inner(),
                    direction: command.direction,
                    account_id: account.id,
                })
                .await?)
        })
        .await
    }

    /// The reasons cash is paid in and out for.
    pub async fn cash_reasons(&self) -> AppResult<Vec<crate::cash::CashReason>> {
        self.read(async |tx| Ok(tx.cash_reasons().await?)).await
    }

    /// Closes a session: the counted cash against the expected (the float plus the session's
    /// cash lines in the ledger), each method's reported total against what the session posted
    /// to it. Differences post to cash over/short and to suspense; the session gets its Z
    /// number. Refuses: 404, 409 `session_closed`, 403 when staff close beyond the tolerance.
    pub async fn close_cash_session(
        &self,
        command: CloseCashSession,
        once: Once<'_, SessionReport>,
    ) -> Result<Reply, CashError> {
        let counted = command
            .counted
            .total()
            .map_err(|e| count_refused("counted", e))?;
        let tolerance = self.policy.close_tolerance;
        let today = self.today();
        self.once(once, async |tx, now| {
            let session = tx
                .find_cash_session(command.session)
                .await?
                .ok_or(CashError::NotFound("cash session"))?;
            // The register's row first: documents of the session queue behind the close, and
            // what the ledger holds for the session is final once it is held.
            let open = tx.lock_open_session(session.opening.register_id).await?;
            if open.map(|o| o.id) != Some(session.id) {
                return Err(CashError::SessionClosed(session.id));
            }
            let register = tx
                .find_register(session.opening.register_id)
                .await?
                .ok_or(CashError::NotFound("register"))?;
            if let Some(refused) = command
                .stores
                .refusal(register.location_id, "close a session")
            {
                return Err(CashError::Elsewhere(refused));
            }
            let accounts = drawer_accounts(tx).await?;
            let mut figures = report::build(tx, session.clone()).await?;
            let expected = figures.expected_cash_before_close()?;
            // Every method the session took money by, and every one a terminal reported for
            // (a card terminal may report 0.00, or money the books never saw).
            let mut methods: Vec<MethodClose> = figures
                .methods
                .iter()
                .filter(|m| m.account_id != accounts.cash)
                .map(|m| MethodClose {
                    method_code: m.code.clone(),
                    account_id: m.account_id,
                    expected: m.net,
                    reported: m.net,
                })
                .collect();
            for (code, amount) in &command.reported {
                match methods.iter_mut().find(|m| m.method_code == *code) {
                    Some(method) => method.reported = *amount,
                    None => {
                        let method =
                            crate::app::lookups::method_by_code(tx, "reported", code).await?;
                        if method.account_id == accounts.cash {
                            return Err(CashError::Invalid {
                                field: "reported".to_owned(),
                                message: format!(
                                    "{code:?} is cash: give the drawer's count as `counted`"
                                ),
                            });
                        }
                        methods.push(MethodClose {
                            method_code: code.clone(),
                            account_id: method.account_id,
                            expected: crate::money::Money::ZERO,
                            reported: *amount,
                        });
                    }
                }
            }
            let closing = Closing {
                z_number: tx.take_z_number(register.id).await?,
                user_id: command.user,
                at: now,
                expected,
                counted,
                counted_denominations: command.counted.denominations().map(<[_]>::to_vec),
                methods,
            };
            let difference = closing.difference()?;
            if !may_close(command.role, difference, tolerance) {
                return Err(CashError::CloseForbidden {
                    tolerance,
                    difference,
                });
            }
            if let Some(entry) = close_entry(
                &closing,
                accounts,
                session.id,
                register.code.as_str(),
                today,
            )? {
                let till = Till {
                    register: register.id,
                    session: Some(session.id),
                    location: register.location_id,
                };
                tx.post_entries(vec![entry], Some(till), now).await?;
                figures
                    .documents
                    .push((crate::ledger::SourceKind::SessionClose, session.id.get()));
            }
            // The Z report is the figures just summed: the close's own posting is no figure
            // of the session, only one more document.
            figures.session = tx.close_cash_session(session.id, closing).await?;
            Ok(figures)
        })
        .await
    }
}

/// The drawers now: the open sessions and what today's closes found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashToday {
    pub open: Vec<CashSession>,
    /// The sessions closed today (the shop's calendar), summed.
    pub closed_today: crate::cash::OverShortSum,
}

impl App {
    /// The instant a day of the shop's calendar starts.
    fn start_of(&self, day: Date) -> time::OffsetDateTime {
        day.with_time(time::Time::MIDNIGHT)
            .assume_offset(self.policy.shop_offset)
    }

    /// Over and short of the sessions closed in `period` (the shop's calendar), in all, per
    /// register and per cashier.
    pub async fn over_short(
        &self,
        period: crate::reports::Period,
    ) -> AppResult<crate::cash::OverShort> {
        let filter = SessionFilter {
            closed_from: Some(self.start_of(period.from())),
            closed_to: period.to().next_day().map(|d| self.start_of(d)),
            ..SessionFilter::default()
        };
        self.read(async |tx| {
            let sessions = all_sessions(tx, filter).await?;
            Ok(crate::cash::over_short(&sessions)?)
        })
        .await
    }

    /// The open sessions, and the differences of the sessions closed today.
    pub async fn cash_today(&self) -> AppResult<CashToday> {
        let today = self.today();
        let closed = SessionFilter {
            closed_from: Some(self.start_of(today)),
            closed_to: today.next_day().map(|d| self.start_of(d)),
            ..SessionFilter::default()
        };
        self.read(async |tx| {
            let open = all_sessions(
                tx,
                SessionFilter {
                    open: Some(true),
                    ..SessionFilter::default()
                },
            )
            .await?;
            let closed = all_sessions(tx, closed).await?;
            Ok(CashToday {
                open,
                closed_today: crate::cash::over_short(&closed)?.total,
            })
        })
        .await
    }
}

fn session_refused(e: SessionRefusal) -> CashError {
    match e {
        SessionRefusal::None(e) => CashError::NoOpenSession(e),
        SessionRefusal::Store(e) => CashError::Store(e),
    }
}
