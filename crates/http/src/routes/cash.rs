//! Cash sessions at the registers: open with a float, pay cash in and out, the X report while
//! open, close with a count into the Z report.

use crate::auth::Caller;
use crate::dto::{Body, Paged};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::FieldErrors;
use crate::problem::{ApiError, Problem};
use crate::routes::reports::ShopPeriod;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_api::cash::*;
use pos_domain::app::cash::{CloseCashSession, MoveCash, NewReason, OpenCashSession};
use pos_domain::ids::{CashSessionId, RegisterId, UserId};
use pos_domain::paging::{ListQuery, Order, PageRequest};
use pos_domain::ports::cash::SessionFilter;
use pos_domain::text::Name;
use time::Time;

const KEY: &str =
    "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID";

/// Open the register's cash session with the float in its drawer (an amount, or a count by
/// denomination). One session per register is open at a time: a second is refused (409
/// `session_open`), also when two tills race for it. Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/registers/{id}/sessions", tag = "cash sessions",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = KEY, pattern = "^[!-~]{1,128}$")),
    request_body = OpenSessionInput,
    responses(
        (status = 201, body = CashSessionView),
        (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["staff"]))
)]
pub async fn open_session(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    id: web::Path<i64>,
    body: Body<OpenSessionInput>,
) -> Result<HttpResponse, ApiError> {
    let float = body.float()?;
    let command = OpenCashSession {
        register: RegisterId::new(*id),
        float,
        blind: body.blind,
        user: auth.principal().user_id,
        stores: auth.principal().stores.clone(),
    };
    let render = created(render_session);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.open_cash_session(command, once).await?))
}

/// The register's drawer now: whether a session is open, and its X report so far (changes
/// nothing). 404 only when there is no such register.
#[utoipa::path(
    get, path = "/api/registers/{id}/session", tag = "cash sessions",
    params(("id" = i64, Path)),
    responses((status = 200, body = CurrentSessionView), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn current_session(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<CurrentSessionView>, ApiError> {
    let register = RegisterId::new(*id);
    let report = match state.app.open_cash_session_of(register).await? {
        Some(open) => Some(
            state
                .app
                .cash_session_report(open.id, auth.principal().role)
                .await?,
        ),
        None => None,
    };
    Ok(web::Json(CurrentSessionView {
        register_id: register.get(),
        open: report.is_some(),
        report: report.as_ref().map(report_view),
    }))
}

/// Pay cash in or out of the register's drawer for a reason (`GET /api/cash-reasons`), posted
/// against the reason's account. Staff may pay out up to `POS_STAFF_PAYOUT_LIMIT`; beyond it a
/// manager. Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/registers/{id}/cash-movements", tag = "cash sessions",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = KEY, pattern = "^[!-~]{1,128}$")),
    request_body = CashMoveInput,
    responses(
        (status = 201, body = MovedCashView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["staff"]))
)]
pub async fn move_cash(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    id: web::Path<i64>,
    body: Body<CashMoveInput>,
) -> Result<HttpResponse, ApiError> {
    let (amount, note) = body.fields()?;
    let principal = auth.principal();
    let command = MoveCash {
        register: RegisterId::new(*id),
        reason: body.reason.clone(),
        amount,
        note,
        date: body.date,
        user: principal.user_id,
        role: principal.role,
        stores: auth.principal().stores.clone(),
    };
    let render = created(moved_view);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.move_cash(command, once).await?))
}

/// Sessions, newest first. Managers and admins.
#[utoipa::path(
    get, path = "/api/cash-sessions", tag = "cash sessions",
    params(SessionListParams),
    responses((status = 200, body = Paged<CashSessionView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn list_sessions(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<SessionListParams>,
) -> Result<web::Json<Paged<CashSessionView>>, ApiError> {
    params.validate()?;
    let query = ListQuery {
        filter: SessionFilter {
            register: params.register_id.map(RegisterId::new),
            user: params.user_id.map(UserId::new),
            open: params.status.as_deref().map(|s| s == "open"),
            from: params
                .from
                .map(|d| d.with_time(Time::MIDNIGHT).assume_utc()),
            to: params
                .to
                .and_then(|d| d.next_day())
                .map(|d| d.with_time(Time::MIDNIGHT).assume_utc()),
            ..SessionFilter::default()
        },
        sort: (),
        order: Order::Desc,
        page: PageRequest::new(params.page, params.per_page),
    };
    let page = state.app.cash_sessions(query).await?;
    Ok(web::Json(Paged::from_page(page, |s| session_view(&s))))
}

/// A session's report: the X report while it is open, the Z report once closed (final; print
/// it again at will). A blind session hides the expected cash from staff until it is closed.
#[utoipa::path(
    get, path = "/api/cash-sessions/{id}", tag = "cash sessions",
    params(("id" = i64, Path)),
    responses((status = 200, body = SessionReportView), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn session_report(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<SessionReportView>, ApiError> {
    let report = state
        .app
        .cash_session_report(CashSessionId::new(*id), auth.principal().role)
        .await?;
    Ok(web::Json(report_view(&report)))
}

/// A session's report to print: its X report while open, its Z report once closed (the same
/// every time), as plain text for the receipt printer, HTML, or CSV.
#[utoipa::path(
    get, path = "/api/cash-sessions/{id}/print", tag = "cash sessions",
    params(("id" = i64, Path), PrintParams),
    responses(
        (status = 200, description = "The report", content((String = "text/plain"), (String = "text/html"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["staff"]))
)]
pub async fn print_session(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<i64>,
    params: web::Query<PrintParams>,
) -> Result<HttpResponse, ApiError> {
    params.validate()?;
    let report = state
        .app
        .cash_session_report(CashSessionId::new(*id), auth.principal().role)
        .await?;
    let (body, content_type) = match params.format.as_deref() {
        Some("html") => (report_html(&report), "text/html; charset=utf-8"),
        Some("csv") => (
            crate::dto::csv::to_csv(&printed_lines(&report)).map_err(ApiError::internal)?,
            "text/csv; charset=utf-8",
        ),
        _ => (report_text(&report), "text/plain; charset=utf-8"),
    };
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CONTENT_TYPE, content_type))
        .body(body))
}

/// Close a session with the counted cash (an amount, or a count by denomination) and what each
/// non-cash terminal or wallet reports. The difference from the expected cash posts to cash
/// over/short, each method's to suspense; beyond `POS_CLOSE_TOLERANCE` a manager must close.
/// Answers the Z report. Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/cash-sessions/{id}/close", tag = "cash sessions",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = KEY, pattern = "^[!-~]{1,128}$")),
    request_body = CloseSessionInput,
    responses(
        (status = 201, body = SessionReportView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["staff"]))
)]
pub async fn close_session(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    id: web::Path<i64>,
    body: Body<CloseSessionInput>,
) -> Result<HttpResponse, ApiError> {
    let (counted, reported) = body.fields()?;
    let principal = auth.principal();
    let command = CloseCashSession {
        session: CashSessionId::new(*id),
        counted,
        reported,
        user: principal.user_id,
        role: principal.role,
        stores: auth.principal().stores.clone(),
    };
    let render = created(render_report);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.close_cash_session(command, once).await?))
}

/// Over and short of the sessions closed in a period (the shop's calendar days, both
/// included): in all, per register, and per cashier (who opened the session). Managers and
/// admins.
#[utoipa::path(
    get, path = "/api/reports/over-short", tag = "cash sessions",
    params(pos_api::reports::PeriodQuery),
    responses((status = 200, body = OverShortView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn over_short(
    state: web::Data<AppState>,
    _auth: Caller,
    q: web::Query<pos_api::reports::PeriodQuery>,
) -> Result<web::Json<OverShortView>, ApiError> {
    let period = q.period(&state)?;
    let summed = state.app.over_short(period).await?;
    Ok(web::Json(over_short_view(period, &summed)?))
}

/// Why cash is paid in or out, each with its direction and account.
#[utoipa::path(
    get, path = "/api/cash-reasons", tag = "cash sessions",
    params(crate::dto::PageParams),
    responses((status = 200, body = Paged<CashReasonView>), (status = 401, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn list_reasons(
    state: web::Data<AppState>,
    _auth: Caller,
    page: web::Query<crate::dto::PageParams>,
) -> Result<web::Json<Paged<CashReasonView>>, ApiError> {
    page.validate()?;
    let reasons = state.app.cash_reasons().await?;
    Ok(web::Json(Paged::slice(reasons, &page, reason_view)))
}

/// Add a reason cash is paid in or out for, posted against an account of the chart (not a
/// control account, not the cash account itself). Admins.
#[utoipa::path(
    post, path = "/api/cash-reasons", tag = "cash sessions",
    request_body = CashReasonInput,
    responses(
        (status = 201, body = CashReasonView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "Code taken", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn create_reason(
    state: web::Data<AppState>,
    _auth: Caller,
    body: Body<CashReasonInput>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::validated(&body);
    let name = errors.check("name", Name::new(&body.name));
    errors.check("code", pos_api::ledger::accounts::data_code(&body.code));
    let (name,) = errors.values((name,))?;
    let reason = state
        .app
        .create_cash_reason(NewReason {
            code: body.code,
            name,
            direction: body.direction.into(),
            account_code: body.account_code,
        })
        .await?;
    Ok(HttpResponse::Created().json(reason_view(reason)))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    open_session, current_session, move_cash, list_sessions, session_report, print_session,
    close_session, over_short, list_reasons, create_reason,
}
