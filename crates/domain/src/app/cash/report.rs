//! The X and Z reports of a session, summed from the entries posted in it: nothing is kept
//! while a session is open that could drift from the books.

use crate::cash::{CashMovement, CashSession, expected_cash};
use crate::ids::{AccountId, UserId};
use crate::ledger::SourceKind;
use crate::ledger::chart::codes;
use crate::money::{Money, OutOfRange};
use crate::ports::Tx;
use crate::ports::cash::SessionPosting;
use crate::register::Register;
use crate::services::ServiceError;
use crate::services::stock::static_data_with;

/// What a session (or one cashier in it) did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionFigures {
    /// Sales made (a completed held sale counts as one).
    pub sales: u64,
    /// Returns taken back.
    pub returns: u64,
    /// Cash paid in or out.
    pub movements: u64,
    /// Sales before discounts, without tax.
    pub gross_sales: Money,
    pub discounts: Money,
    /// Returns, without tax.
    pub returned: Money,
    /// Tax charged less tax refunded.
    pub tax: Money,
    pub paid_in: Money,
    pub paid_out: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashierFigures {
    pub user_id: UserId,
    pub figures: SessionFigures,
}

/// What the session took by one payment method: its account's net over the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodFigures {
    pub code: String,
    pub name: String,
    pub account_id: AccountId,
    pub net: Money,
}

/// A session's X report (open) or Z report (closed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionReport {
    pub session: CashSession,
    pub register: Register,
    pub totals: SessionFigures,
    /// Per cashier, by user id, when more than one used the register or not.
    pub cashiers: Vec<CashierFigures>,
    /// Takings by method, cash included, in the order of the methods.
    pub methods: Vec<MethodFigures>,
    pub movements: Vec<CashMovement>,
    /// The documents posted in the session, in order: (kind, id).
    pub documents: Vec<(SourceKind, i64)>,
    /// The float plus the session's cash lines (the close's own posting aside); fixed at the
    /// close. `None` when hidden from the reader (a blind session before its count).
    pub expected_cash: Option<Money>,
}

impl SessionReport {
    /// Hides what the drawer should hold, for a blind count.
    pub fn hide_expected(&mut self) {
        // The cash takings and the float would give it away.
        self.expected_cash = None;
        self.methods.retain(|m| m.code != "cash");
    }

    /// The expected cash as the close computes it (never hidden there).
    pub(crate) fn expected_cash_before_close(&self) -> Result<Money, ServiceError> {
        self.expected_cash
            .ok_or_else(|| ServiceError::Internal("the expected cash was hidden".to_owned()))
    }
}

/// Adds one posting row into the figures.
fn add(
    figures: &mut SessionFigures,
    row: &SessionPosting,
    accounts: &Accounts,
) -> Result<(), OutOfRange> {
    let net_debit = row.debit.wide_sub(row.credit)?;
    let account = row.account_id;
    if account == accounts.revenue {
        figures.gross_sales = figures.gross_sales.wide_sub(net_debit)?;
    } else if account == accounts.discounts {
        figures.discounts = figures.discounts.wide_add(net_debit)?;
    } else if account == accounts.returns {
        figures.returned = figures.returned.wide_add(net_debit)?;
    } else if account == accounts.tax {
        figures.tax = figures.tax.wide_sub(net_debit)?;
    } else if account == accounts.cash && row.kind == SourceKind::CashMovement {
        figures.paid_in = figures.paid_in.wide_add(row.debit)?;
        figures.paid_out = figures.paid_out.wide_add(row.credit)?;
    }
    Ok(())
}

struct Accounts {
    cash: AccountId,
    revenue: AccountId,
    discounts: AccountId,
    returns: AccountId,
    tax: AccountId,
}

fn counted(figures: &mut SessionFigures, kind: SourceKind, count: u64) {
    match kind {
        SourceKind::Sale => figures.sales += count,
        SourceKind::Refund => figures.returns += count,
        SourceKind::CashMovement => figures.movements += count,
        _ => {}
    }
}

/// Sums a session's report from its entries, movements and register.
pub(crate) async fn build(
    tx: &mut dyn Tx,
    session: CashSession,
) -> Result<SessionReport, ServiceError> {
    let wanted = [
        codes::CASH,
        codes::SALES_REVENUE,
        codes::DISCOUNTS,
        codes::SALES_RETURNS,
        codes::TAX_PAYABLE,
    ];
    let data = static_data_with(tx, |d| {
        wanted.iter().all(|c| d.account_by_code(c).is_some())
    })
    .await?;
    let id_of = |code: &str| {
        data.account_by_code(code)
            .map(|a| a.id)
            .ok_or_else(|| ServiceError::Internal(format!("account {code} is missing")))
    };
    let accounts = Accounts {
        cash: id_of(codes::CASH)?,
        revenue: id_of(codes::SALES_REVENUE)?,
        discounts: id_of(codes::DISCOUNTS)?,
        returns: id_of(codes::SALES_RETURNS)?,
        tax: id_of(codes::TAX_PAYABLE)?,
    };
    let register = tx
        .find_register(session.opening.register_id)
        .await?
        .ok_or(ServiceError::NotFound("register"))?;
    // The close's own posting is its difference, not a figure of the session.
    let postings: Vec<SessionPosting> = tx
        .session_postings(session.id)
        .await?
        .into_iter()
        .filter(|p| p.kind != SourceKind::SessionClose)
        .collect();
    let mut totals = SessionFigures::default();
    let mut cashiers: Vec<CashierFigures> = Vec::new();
    for row in &postings {
        add(&mut totals, row, &accounts)?;
        let cashier = match cashiers.iter_mut().find(|c| c.user_id == row.user_id) {
            Some(cashier) => cashier,
            None => {
                cashiers.push(CashierFigures {
                    user_id: row.user_id,
                    figures: SessionFigures::default(),
                });
                cashiers
                    .last_mut()
                    .ok_or(ServiceError::NotFound("cashier"))?
            }
        };
        add(&mut cashier.figures, row, &accounts)?;
    }
    for docs in tx.session_documents(session.id).await? {
        counted(&mut totals, docs.kind, docs.count);
        if let Some(cashier) = cashiers.iter_mut().find(|c| c.user_id == docs.user_id) {
            counted(&mut cashier.figures, docs.kind, docs.count);
        }
    }
    cashiers.sort_by_key(|c| c.user_id);
    let mut methods = Vec::new();
    for method in &data.payment_methods {
        if methods
            .iter()
            .any(|m: &MethodFigures| m.account_id == method.account_id)
        {
            continue;
        }
        let mut net = Money::ZERO;
        for row in postings
            .iter()
            .filter(|p| p.account_id == method.account_id)
        {
            net = net.wide_add(row.debit)?.wide_sub(row.credit)?;
        }
        if !net.is_zero() || method.code == "cash" {
            methods.push(MethodFigures {
                code: method.code.clone(),
                name: method.name.as_str().to_owned(),
                account_id: method.account_id,
                net,
            });
        }
    }
    let expected_cash = match &session.closing {
        Some(closing) => closing.expected,
        None => {
            let mut cash_lines = Money::ZERO;
            for row in postings.iter().filter(|p| p.account_id == accounts.cash) {
                cash_lines = cash_lines.wide_add(row.debit)?.wide_sub(row.credit)?;
            }
            expected_cash(session.opening.float, cash_lines)?
        }
    };
    let movements = tx.session_movements(session.id).await?;
    let documents = tx.session_sources(session.id).await?;
    Ok(SessionReport {
        session,
        register,
        totals,
        cashiers,
        methods,
        movements,
        documents,
        expected_cash: Some(expected_cash),
    })
}
