//! The chart of accounts, payment methods and expense categories: data a shop can extend.

use super::AccountRef;
use crate::auth::Caller;
use crate::dto::{Body, PageParams, Paged};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_api::ledger::accounts::*;
use pos_domain::app::ledger::{Categories, Methods, NewCategory, NewMethod};
use pos_domain::ledger::AccountCode;
use pos_domain::ledger::accounts::NewAccount;
use pos_domain::text::Name;

/// The chart of accounts, ordered by code.
#[utoipa::path(
    get, path = "/api/accounts", tag = "ledger",
    params(PageParams),
    responses((status = 200, body = Paged<AccountRef>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn list_accounts(
    state: web::Data<AppState>,
    _auth: Caller,
    page: web::Query<PageParams>,
) -> Result<web::Json<Paged<AccountRef>>, ApiError> {
    page.validate()?;
    let accounts = state.app.accounts().await?;
    Ok(web::Json(Paged::slice(
        accounts.iter().collect(),
        &page,
        AccountRef::from,
    )))
}

/// Add an account to the chart. Admins.
#[utoipa::path(
    post, path = "/api/accounts", tag = "ledger",
    request_body = AccountInput,
    responses(
        (status = 201, body = AccountRef),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "Code taken", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn create_account(
    state: web::Data<AppState>,
    _auth: Caller,
    body: Body<AccountInput>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::validated(&body);
    let code = errors.check("code", AccountCode::new(&body.code));
    let name = errors.check("name", Name::new(&body.name));
    let (code, name) = errors.values((code, name))?;
    let account = state
        .app
        .create_account(NewAccount {
            code,
            name,
            kind: body.kind.into(),
        })
        .await?;
    Ok(HttpResponse::Created().json(AccountRef::from(&account)))
}

/// The payment methods tills can take.
#[utoipa::path(
    get, path = "/api/payment-methods", tag = "ledger",
    params(PageParams),
    responses((status = 200, body = Paged<PaymentMethodView>), (status = 401, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn list_payment_methods(
    state: web::Data<AppState>,
    _auth: Caller,
    page: web::Query<PageParams>,
) -> Result<web::Json<Paged<PaymentMethodView>>, ApiError> {
    page.validate()?;
    let Methods { methods, accounts } = state.app.payment_methods().await?;
    let views = methods
        .into_iter()
        .map(|m| method_view(m, &accounts))
        .collect::<Result<_, _>>()?;
    Ok(web::Json(Paged::slice(views, &page, |v| v)))
}

/// Add a payment method (a new wallet, bank transfer...) mapped to an asset account. Admins.
#[utoipa::path(
    post, path = "/api/payment-methods", tag = "ledger",
    request_body = PaymentMethodInput,
    responses(
        (status = 201, body = PaymentMethodView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "Code taken", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn create_payment_method(
    state: web::Data<AppState>,
    _auth: Caller,
    body: Body<PaymentMethodInput>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::validated(&body);
    let name = errors.check("name", Name::new(&body.name));
    errors.check("code", data_code(&body.code));
    let (name,) = errors.values((name,))?;
    let command = NewMethod {
        code: body.code,
        name,
        account_code: body.account_code,
    };
    let (method, accounts) = state.app.create_payment_method(command).await?;
    Ok(HttpResponse::Created().json(method_view(method, &accounts)?))
}

/// Expense categories, ordered by name.
#[utoipa::path(
    get, path = "/api/expense-categories", tag = "ledger",
    params(PageParams),
    responses((status = 200, body = Paged<ExpenseCategoryView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn list_expense_categories(
    state: web::Data<AppState>,
    _auth: Caller,
    page: web::Query<PageParams>,
) -> Result<web::Json<Paged<ExpenseCategoryView>>, ApiError> {
    page.validate()?;
    let Categories {
        categories,
        accounts,
    } = state.app.expense_categories().await?;
    let views = categories
        .into_iter()
        .map(|c| category_view(c, &accounts))
        .collect::<Result<_, _>>()?;
    Ok(web::Json(Paged::slice(views, &page, |v| v)))
}

/// Add an expense category mapped to an expense account. Managers and admins.
#[utoipa::path(
    post, path = "/api/expense-categories", tag = "ledger",
    request_body = ExpenseCategoryInput,
    responses(
        (status = 201, body = ExpenseCategoryView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "Name taken", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn create_expense_category(
    state: web::Data<AppState>,
    _auth: Caller,
    body: Body<ExpenseCategoryInput>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::validated(&body);
    let name = errors.check("name", Name::new(&body.name));
    let (name,) = errors.values((name,))?;
    let command = NewCategory {
        name,
        account_code: body.account_code,
    };
    let (category, accounts) = state.app.create_expense_category(command).await?;
    Ok(HttpResponse::Created().json(category_view(category, &accounts)?))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    list_accounts, create_account, list_payment_methods, create_payment_method,
    list_expense_categories, create_expense_category,
}
