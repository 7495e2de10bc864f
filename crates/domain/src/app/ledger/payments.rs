//! Payments with no customer or supplier: money in or out against any account that is no
//! control account (an owner's deposit, a refund from a landlord...).

use super::error::PaymentError;
use super::journal::{Posted, post};
use crate::app::lookups::{manual_account, method_by_code, method_filter};
use crate::app::{App, AppResult, Once, Reply};
use crate::ids::UserId;
use crate::ledger::AccountKind;
use crate::ledger::money_events::{Direction, Payment, PaymentDraft, PaymentFilter, payment_entry};
use crate::money::Money;
use crate::paging::{ListQuery, Page};
use crate::user::Role;
use time::Date;

/// Record money received or paid by a method, against a counter account by code.
#[derive(Debug, Clone)]
pub struct NewPayment {
    pub direction: Direction,
    /// A payment method code.
    pub method: String,
    /// Greater than zero (checked by the caller).
    pub amount: Money,
    /// The account on the other side of the money, by code.
    pub account_code: String,
    pub date: Option<Date>,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub user: UserId,
    /// The caller's role: money out, and payments against an expense account, need a manager.
    pub role: Role,
}

impl App {
    /// Records a payment and posts it: Dr method / Cr counter account for money in, the other
    /// way round for money out.
    ///
    /// Refuses an inactive or unknown method (invalid `method`); an unknown or inactive counter
    /// account (invalid `account_code`); a control account (`posted_by_*` on `account_code`,
    /// naming the routes that post it); the method's own account (invalid `account_code`).
    /// Money paid out, and any payment against an expense account (which is an expense), need
    /// the manager role: forbidden for staff.
    pub async fn record_payment(
        &self,
        command: NewPayment,
        once: Once<'_, (Payment, Posted)>,
    ) -> Result<Reply, PaymentError> {
        let date = self.document_date(command.date)?;
        self.once(once, async |tx, now| {
            let method = method_by_code(tx, "method", &command.method).await?;
            let counter = manual_account(tx, "account_code", &command.account_code, None).await?;
            // Money paid to or refunded from an expense account is an expense: it needs what
            // an expense needs (recording expenses is for managers). And money paid out of the
            // till otherwise (an owner's drawing, a transfer) is a manager's to record, as
            // refunds over the staff limit and supplier payments are.
            let needs_manager =
                counter.kind == AccountKind::Expense || command.direction == Direction::Out;
            if needs_manager && !command.role.at_least(Role::Manager) {
                return Err(PaymentError::ManagerOnly {
                    account: counter.code.to_string(),
                });
            }
            if counter.id == method.account_id {
                return Err(PaymentError::Invalid {
                    field: "account_code".to_owned(),
                    message: "is the payment method's own account; a payment moves money \
                              between two accounts"
                        .to_owned(),
                });
            }
            let draft = PaymentDraft {
                direction: command.direction,
                method,
                amount: command.amount,
                party: None,
                counter_account_id: counter.id,
                reference: command.reference.clone(),
                note: command.note.clone(),
                date,
                user_id: command.user,
            };
            let payment = tx.insert_payment(&draft, now).await?;
            let entry = payment_entry(&draft, Some(payment.id))?;
            Ok((payment, post(tx, entry, now).await?))
        })
        .await
    }

    /// Payments, filtered by dates, direction, method and party. `method` is a payment method
    /// code; one that names no method matches nothing.
    pub async fn payments(
        &self,
        query: ListQuery<PaymentFilter, ()>,
        method: Option<String>,
    ) -> AppResult<Page<Payment>> {
        self.read(async |tx| {
            let Some(method_id) = method_filter(tx, method.as_deref()).await? else {
                return Ok(Page::slice(Vec::new(), query.page));
            };
            let query = ListQuery {
                filter: PaymentFilter {
                    method_id,
                    ..query.filter
                },
                ..query
            };
            Ok(tx.list_payments(&query).await?)
        })
        .await
    }
}
