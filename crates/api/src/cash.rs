//! Cash sessions on the wire: opening with a float, cash in and out, the X and Z reports.

use crate::date::iso_date;
use crate::decimal;
use crate::ledger::payments::positive;
use crate::problem::{FieldErrors, Invalid};
use garde::Validate;
use pos_domain::app::cash::{MovedCash, SessionFigures, SessionReport};
use pos_domain::cash::{CashMovement, CashReason, CashSession, Counted, DenominationCount};
use pos_domain::money::Money;
use pos_domain::text::optional_text;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

/// How many of one note or coin.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DenominationInput {
    /// The face value of one note or coin.
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "100.00", pattern = "^(?!0(\\.0+)?$)(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub denomination: Decimal,
    #[garde(range(max = 1000000))]
    #[schema(maximum = 1000000)]
    pub count: u32,
}

/// Cash as counted: `amount`, or `denominations` (which are summed), not both.
fn counted(
    errors: &mut FieldErrors,
    field: &str,
    amount: Option<Decimal>,
    denominations: Option<&[DenominationInput]>,
) -> Option<Counted> {
    match (amount, denominations) {
        (Some(_), Some(_)) => errors.check(
            field,
            Err::<Counted, _>("give the amount or the count by denomination, not both"),
        ),
        (None, None) => errors.check(
            field,
            Err::<Counted, _>("give the amount, or the count by denomination"),
        ),
        (Some(amount), None) => errors
            .check(field, Money::non_negative(amount))
            .map(Counted::Amount),
        (None, Some(list)) => {
            let mut counts = Vec::with_capacity(list.len());
            for (i, d) in list.iter().enumerate() {
                let name = format!("{field}_count[{i}].denomination");
                if let Some(denomination) = errors.check(&name, positive(d.denomination)) {
                    counts.push(DenominationCount {
                        denomination,
                        count: d.count,
                    });
                }
            }
            Some(Counted::Denominations(counts))
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenSessionInput {
    /// The float in the drawer; or give `float_count`.
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, example = "100.00", pattern = "^(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub float: Option<Decimal>,
    /// The float counted by denomination, summed.
    #[serde(default)]
    #[garde(length(max = 50), dive)]
    #[schema(max_items = 50)]
    pub float_count: Option<Vec<DenominationInput>>,
    /// Hide the expected cash from staff until the count is in (a blind close).
    #[serde(default)]
    #[garde(skip)]
    pub blind: bool,
}

impl OpenSessionInput {
    pub fn float(&self) -> Result<Counted, Invalid> {
        let mut errors = FieldErrors::validated(self);
        let float = counted(
            &mut errors,
            "float",
            self.float,
            self.float_count.as_deref(),
        );
        errors.values((float,)).map(|(f,)| f)
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CashMoveInput {
    /// A reason's code (`GET /api/cash-reasons`): it says which way the cash goes and which
    /// account it posts against.
    #[garde(length(chars, min = 1, max = 32))]
    #[schema(
        min_length = 1,
        max_length = 32,
        example = "petty_cash",
        pattern = "^[a-z0-9_-]{1,32}$"
    )]
    pub reason: String,
    /// Greater than zero, at most 2 decimals.
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "12.00", pattern = "^(?!0(\\.0+)?$)(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub amount: Decimal,
    #[garde(length(chars, max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
}

impl CashMoveInput {
    pub fn fields(&self) -> Result<(Money, Option<String>), Invalid> {
        let mut errors = FieldErrors::validated(self);
        let amount = errors.check("amount", positive(self.amount));
        let note = errors.check("note", optional_text(self.note.as_deref(), 500));
        errors.values((amount, note))
    }
}

/// What a non-cash method's terminal or wallet reports at the close.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportedInput {
    /// A payment method code, e.g. `card`.
    #[garde(length(chars, min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32, pattern = "^[a-z0-9_-]{1,32}$")]
    pub method: String,
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "80.00", pattern = "^(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub amount: Decimal,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseSessionInput {
    /// The cash counted in the drawer; or give `counted_count`.
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, example = "148.00", pattern = "^(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub counted: Option<Decimal>,
    /// The cash counted by denomination, summed.
    #[serde(default)]
    #[garde(length(max = 50), dive)]
    #[schema(max_items = 50)]
    pub counted_count: Option<Vec<DenominationInput>>,
    /// Per non-cash method, the total its terminal or wallet reports; a method not named is
    /// taken to report what the books expect.
    #[serde(default)]
    #[garde(length(max = 20), dive)]
    #[schema(max_items = 20)]
    pub reported: Vec<ReportedInput>,
}

impl CloseSessionInput {
    pub fn fields(&self) -> Result<(Counted, Vec<(String, Money)>), Invalid> {
        let mut errors = FieldErrors::validated(self);
        let counted = counted(
            &mut errors,
            "counted",
            self.counted,
            self.counted_count.as_deref(),
        );
        let mut reported = Vec::with_capacity(self.reported.len());
        for (i, r) in self.reported.iter().enumerate() {
            if let Some(amount) = errors.check(
                &format!("reported[{i}].amount"),
                Money::non_negative(r.amount),
            ) {
                reported.push((r.method.clone(), amount));
            }
        }
        let (counted,) = errors.values((counted,))?;
        Ok((counted, reported))
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DenominationView {
    #[schema(value_type = String, example = "100.00")]
    pub denomination: Decimal,
    pub count: u32,
}

fn denominations(counts: Option<&[DenominationCount]>) -> Option<Vec<DenominationView>> {
    counts.map(|counts| {
        counts
            .iter()
            .map(|c| DenominationView {
                denomination: c.denomination.amount(),
                count: c.count,
            })
            .collect()
    })
}

/// A session as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CashSessionView {
    pub id: i64,
    pub register_id: i64,
    /// `open` or `closed`.
    #[schema(example = "open")]
    pub status: &'static str,
    pub opened_by: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub opened_at: OffsetDateTime,
    #[schema(value_type = String, example = "100.00")]
    pub float: Decimal,
    pub float_count: Option<Vec<DenominationView>>,
    pub blind: bool,
    /// Opened by the first document at the default register, with no float.
    pub automatic: bool,
    /// The register's n-th close; null while open.
    pub z_number: Option<i64>,
    pub closed_by: Option<i64>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<OffsetDateTime>,
    /// Fixed at the close; null while open (see the session's report).
    #[schema(value_type = Option<String>)]
    pub expected_cash: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub counted_cash: Option<Decimal>,
    /// Counted less expected: positive over, negative short.
    #[schema(value_type = Option<String>)]
    pub difference: Option<Decimal>,
    pub counted_count: Option<Vec<DenominationView>>,
}

pub fn session_view(s: &CashSession) -> CashSessionView {
    let closing = s.closing.as_ref();
    CashSessionView {
        id: s.id.get(),
        register_id: s.opening.register_id.get(),
        status: if s.is_open() { "open" } else { "closed" },
        opened_by: s.opening.user_id.get(),
        opened_at: s.opening.at,
        float: s.opening.float.amount(),
        float_count: denominations(s.opening.float_count.as_deref()),
        blind: s.opening.blind,
        automatic: s.opening.automatic,
        z_number: closing.map(|c| c.z_number),
        closed_by: closing.map(|c| c.user_id.get()),
        closed_at: closing.map(|c| c.at),
        expected_cash: closing.map(|c| c.expected.amount()),
        counted_cash: closing.map(|c| c.counted.amount()),
        difference: closing.and_then(|c| c.difference().ok()).map(Money::amount),
        counted_count: closing.and_then(|c| denominations(c.counted_denominations.as_deref())),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresView {
    pub sales: u64,
    pub returns: u64,
    pub movements: u64,
    /// Sales before discounts, without tax.
    #[schema(value_type = String)]
    pub gross_sales: Decimal,
    #[schema(value_type = String)]
    pub discounts: Decimal,
    /// Returns, without tax.
    #[schema(value_type = String)]
    pub returned: Decimal,
    /// Tax charged less tax refunded.
    #[schema(value_type = String)]
    pub tax: Decimal,
    #[schema(value_type = String)]
    pub paid_in: Decimal,
    #[schema(value_type = String)]
    pub paid_out: Decimal,
}

fn figures(f: &SessionFigures) -> FiguresView {
    FiguresView {
        sales: f.sales,
        returns: f.returns,
        movements: f.movements,
        gross_sales: f.gross_sales.amount(),
        discounts: f.discounts.amount(),
        returned: f.returned.amount(),
        tax: f.tax.amount(),
        paid_in: f.paid_in.amount(),
        paid_out: f.paid_out.amount(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CashierView {
    pub user_id: i64,
    pub figures: FiguresView,
}

/// What the session took by one method; at the close, what its terminal reported.
#[derive(Debug, Serialize, ToSchema)]
pub struct MethodTakingView {
    pub code: String,
    pub name: String,
    /// What the session's entries put on the method's account (refunds taken off).
    #[schema(value_type = String)]
    pub net: Decimal,
    /// At the close: what the terminal or wallet reported, and the difference (reported less
    /// net), posted to suspense.
    #[schema(value_type = Option<String>)]
    pub reported: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub difference: Option<Decimal>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CashMovementView {
    pub id: i64,
    pub session_id: i64,
    pub register_id: i64,
    pub reason_id: i64,
    /// `in` or `out`.
    pub direction: &'static str,
    #[schema(value_type = String)]
    pub amount: Decimal,
    pub note: Option<String>,
    pub user_id: i64,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

pub fn movement_view(m: &CashMovement) -> CashMovementView {
    let mv = &m.movement;
    CashMovementView {
        id: m.id.get(),
        session_id: mv.session_id.get(),
        register_id: mv.register_id.get(),
        reason_id: mv.reason_id.get(),
        direction: mv.direction.as_str(),
        amount: mv.amount.amount(),
        note: mv.note.clone(),
        user_id: mv.user_id.get(),
        date: mv.date,
        created_at: mv.at,
    }
}

/// Cash paid in or out, with the entry that posted it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MovedCashView {
    pub movement: CashMovementView,
    pub entry_id: i64,
}

pub fn moved_view(moved: &MovedCash) -> Result<MovedCashView, std::convert::Infallible> {
    Ok(MovedCashView {
        movement: movement_view(&moved.movement),
        entry_id: moved.entry.id.get(),
    })
}

/// A document posted in a session.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentRef {
    #[schema(example = "sale")]
    pub kind: &'static str,
    pub id: i64,
}

/// A session's X report (open: changes nothing) or Z report (closed: final).
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionReportView {
    /// `X` while the session is open, `Z` once closed.
    #[schema(example = "X")]
    pub kind: &'static str,
    pub session: CashSessionView,
    pub register_code: String,
    pub totals: FiguresView,
    pub cashiers: Vec<CashierView>,
    pub methods: Vec<MethodTakingView>,
    pub movements: Vec<CashMovementView>,
    /// The session's documents, in the order they were posted: `sale` (GET /api/sales/{id}),
    /// `refund` (a return), `cash_movement`, `session_close` (the session itself).
    pub documents: Vec<DocumentRef>,
    /// The float plus the session's cash lines in the ledger; null for staff before the count
    /// of a blind session.
    #[schema(value_type = Option<String>)]
    pub expected_cash: Option<Decimal>,
}

pub fn report_view(r: &SessionReport) -> SessionReportView {
    let closing = r.session.closing.as_ref();
    SessionReportView {
        kind: if r.session.is_open() { "X" } else { "Z" },
        session: session_view(&r.session),
        register_code: r.register.code.to_string(),
        totals: figures(&r.totals),
        cashiers: r
            .cashiers
            .iter()
            .map(|c| CashierView {
                user_id: c.user_id.get(),
                figures: figures(&c.figures),
            })
            .collect(),
        methods: r
            .methods
            .iter()
            .cloned()
            .chain(
                // Methods only a terminal reported at the close: nothing in the books.
                closing
                    .into_iter()
                    .flat_map(|c| c.methods.iter())
                    .filter(|c| !r.methods.iter().any(|m| m.code == c.method_code))
                    .map(|c| pos_domain::app::cash::MethodFigures {
                        code: c.method_code.clone(),
                        name: c.method_code.clone(),
                        account_id: c.account_id,
                        net: Money::ZERO,
                    }),
            )
            .map(|m| {
                let closed =
                    closing.and_then(|c| c.methods.iter().find(|x| x.method_code == m.code));
                MethodTakingView {
                    code: m.code.clone(),
                    name: m.name.clone(),
                    net: m.net.amount(),
                    reported: closed.map(|c| c.reported.amount()),
                    difference: closed.and_then(|c| c.difference().ok()).map(Money::amount),
                }
            })
            .collect(),
        movements: r.movements.iter().map(movement_view).collect(),
        documents: r
            .documents
            .iter()
            .map(|(kind, id)| DocumentRef {
                kind: kind.as_str(),
                id: *id,
            })
            .collect(),
        expected_cash: r.expected_cash.map(Money::amount),
    }
}

/// A register's drawer now: its open session's X report, or none open.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentSessionView {
    pub register_id: i64,
    /// Whether a session is open at the register.
    pub open: bool,
    /// The open session's X report; null when none is open (open one with POST
    /// /api/registers/{id}/sessions).
    pub report: Option<SessionReportView>,
}

pub fn render_report(r: &SessionReport) -> Result<SessionReportView, std::convert::Infallible> {
    Ok(report_view(r))
}

pub fn render_session(s: &CashSession) -> Result<CashSessionView, std::convert::Infallible> {
    Ok(session_view(s))
}

/// Which way cash goes for a reason.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DirectionInput {
    In,
    Out,
}

impl From<DirectionInput> for pos_domain::cash::Direction {
    fn from(d: DirectionInput) -> Self {
        match d {
            DirectionInput::In => pos_domain::cash::Direction::In,
            DirectionInput::Out => pos_domain::cash::Direction::Out,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CashReasonInput {
    /// Lower-case letters, digits, `_` and `-`, e.g. `window_cleaner`.
    #[garde(length(chars, min = 1, max = 32))]
    #[schema(
        min_length = 1,
        max_length = 32,
        pattern = "^[a-z0-9_-]{1,32}$",
        example = "window_cleaner"
    )]
    pub code: String,
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$",
        example = "Window cleaner"
    )]
    pub name: String,
    #[garde(skip)]
    pub direction: DirectionInput,
    /// The account on the other side of the drawer's cash: an expense for a paid-out cost, the
    /// bank for a deposit, the safe, the owner's drawings.
    #[garde(length(chars, min = 1, max = 16))]
    #[schema(
        min_length = 1,
        max_length = 16,
        pattern = "^\\s*[A-Za-z0-9.-]{1,16}\\s*$",
        example = "6900"
    )]
    pub account_code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CashReasonView {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `in` or `out`.
    pub direction: &'static str,
    pub account_id: i64,
    pub active: bool,
}

pub fn reason_view(r: CashReason) -> CashReasonView {
    CashReasonView {
        id: r.id.get(),
        code: r.code,
        name: r.name,
        direction: r.direction.as_str(),
        account_id: r.account_id.get(),
        active: r.active,
    }
}

/// Which sessions to list.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionListParams {
    #[garde(skip)]
    pub register_id: Option<i64>,
    /// Opened by this user.
    #[garde(skip)]
    pub user_id: Option<i64>,
    /// `open` or `closed`.
    #[garde(pattern(r"^(open|closed)$"))]
    #[param(pattern = "^(open|closed)$")]
    pub status: Option<String>,
    /// Opened on or after this day (UTC).
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub from: Option<Date>,
    /// Opened on or before this day (UTC).
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub to: Option<Date>,
    #[garde(range(min = 1, max = 2147483647))]
    #[param(minimum = 1, maximum = 2147483647)]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// One line of a printed session report: its section, what it is and its figure.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PrintedLine {
    #[serde(serialize_with = "crate::csv::text")]
    pub section: String,
    #[serde(serialize_with = "crate::csv::text")]
    pub item: String,
    pub amount: String,
}

/// The report as lines, once: text, HTML and CSV are all printed from them.
pub fn printed_lines(r: &SessionReport) -> Vec<PrintedLine> {
    let mut lines = Vec::new();
    let mut add = |section: &str, item: String, amount: String| {
        lines.push(PrintedLine {
            section: section.to_owned(),
            item,
            amount,
        });
    };
    let t = &r.totals;
    add(
        "session",
        "Float".into(),
        r.session.opening.float.to_string(),
    );
    add(
        "session",
        format!("Sales ({})", t.sales),
        t.gross_sales.to_string(),
    );
    add("session", "Discounts".into(), t.discounts.to_string());
    add(
        "session",
        format!("Returns ({})", t.returns),
        t.returned.to_string(),
    );
    add("session", "Tax".into(), t.tax.to_string());
    add("session", "Paid in".into(), t.paid_in.to_string());
    add("session", "Paid out".into(), t.paid_out.to_string());
    for m in &r.methods {
        add("takings", m.name.clone(), m.net.to_string());
    }
    for m in &r.movements {
        let mv = &m.movement;
        let sign = if mv.direction == pos_domain::cash::Direction::Out {
            "-"
        } else {
            ""
        };
        let note = mv
            .note
            .as_deref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default();
        add(
            "movements",
            format!("{} #{}{note}", mv.direction.as_str(), m.id),
            format!("{sign}{}", mv.amount),
        );
    }
    if let Some(expected) = r.expected_cash {
        add("count", "Expected cash".into(), expected.to_string());
    }
    if let Some(closing) = &r.session.closing {
        add("count", "Counted cash".into(), closing.counted.to_string());
        if let Ok(difference) = closing.difference() {
            add(
                "count",
                "Over (+) or short (-)".into(),
                difference.to_string(),
            );
        }
        for method in &closing.methods {
            add(
                "count",
                format!("{} reported", method.method_code),
                method.reported.to_string(),
            );
            if let Ok(difference) = method.difference() {
                add(
                    "count",
                    format!("{} difference", method.method_code),
                    difference.to_string(),
                );
            }
        }
    }
    for c in &r.cashiers {
        add(
            "cashiers",
            format!(
                "User {}: {} sales, {} returns",
                c.user_id, c.figures.sales, c.figures.returns
            ),
            c.figures.gross_sales.to_string(),
        );
    }
    lines
}

/// The report's title: `R3 Z 4` once closed, `R3 X report` while open.
pub fn report_title(r: &SessionReport) -> String {
    match &r.session.closing {
        Some(closing) => format!("{} Z {}", r.register.code, closing.z_number),
        None => format!("{} X report", r.register.code),
    }
}

/// The report as plain text, 40 columns wide (for the receipt printer).
pub fn report_text(r: &SessionReport) -> String {
    let rule = "-".repeat(40);
    let mut text = format!(
        "{}\nsession {} opened {} by user {}\n",
        report_title(r),
        r.session.id,
        r.session.opening.at.date(),
        r.session.opening.user_id
    );
    if let Some(closing) = &r.session.closing {
        text.push_str(&format!(
            "closed {} by user {}\n",
            closing.at.date(),
            closing.user_id
        ));
    }
    let mut section = "";
    for line in printed_lines(r) {
        if line.section != section {
            text.push_str(&rule);
            text.push('\n');
            section = match line.section.as_str() {
                "session" => "session",
                "takings" => "takings",
                "movements" => "movements",
                "count" => "count",
                _ => "cashiers",
            };
        }
        let width = 40usize.saturating_sub(line.item.chars().count()).max(1);
        text.push_str(&format!("{}{:>width$}\n", line.item, line.amount));
    }
    text
}

/// The report as an HTML page.
pub fn report_html(r: &SessionReport) -> String {
    let title = crate::sales::escape(&report_title(r));
    let rows: String = printed_lines(r)
        .iter()
        .map(|l| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                crate::sales::escape(&l.section),
                crate::sales::escape(&l.item),
                crate::sales::escape(&l.amount)
            )
        })
        .collect();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><table><thead><tr><th>Section</th><th>Item</th><th>Amount</th></tr></thead><tbody>{rows}</tbody></table></body></html>"
    )
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrintParams {
    /// `text` (default), `html` or `csv`.
    #[garde(pattern(r"^(text|html|csv)$"))]
    #[param(pattern = "^(text|html|csv)$")]
    pub format: Option<String>,
}

/// Over and short of some closed sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverShortSumView {
    pub sessions: u64,
    /// Counted beyond the expected, over the sessions that were over.
    #[schema(value_type = String)]
    pub over: Decimal,
    /// Missing, over the sessions that were short (positive).
    #[schema(value_type = String)]
    pub short: Decimal,
    /// Over less short.
    #[schema(value_type = String)]
    pub net: Decimal,
}

pub fn over_short_sum(
    sum: &pos_domain::cash::OverShortSum,
) -> Result<OverShortSumView, crate::problem::Unrenderable> {
    Ok(OverShortSumView {
        sessions: sum.sessions,
        over: sum.over.amount(),
        short: sum.short.amount(),
        net: sum
            .net()
            .map_err(|_| crate::problem::Unrenderable::OutOfRange("net".to_owned()))?
            .amount(),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterOverShort {
    pub register_id: i64,
    #[serde(flatten)]
    pub sum: OverShortSumView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CashierOverShort {
    /// The user who opened the sessions and answers for their drawers.
    pub user_id: i64,
    #[serde(flatten)]
    pub sum: OverShortSumView,
}

/// Over and short of the sessions closed in a period: in all, per register, per cashier.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverShortView {
    pub period: crate::reports::PeriodView,
    pub total: OverShortSumView,
    pub by_register: Vec<RegisterOverShort>,
    pub by_cashier: Vec<CashierOverShort>,
}

pub fn over_short_view(
    period: pos_domain::reports::Period,
    o: &pos_domain::cash::OverShort,
) -> Result<OverShortView, crate::problem::Unrenderable> {
    Ok(OverShortView {
        period: period.into(),
        total: over_short_sum(&o.total)?,
        by_register: o
            .by_register
            .iter()
            .map(|(r, sum)| {
                Ok(RegisterOverShort {
                    register_id: r.get(),
                    sum: over_short_sum(sum)?,
                })
            })
            .collect::<Result<_, crate::problem::Unrenderable>>()?,
        by_cashier: o
            .by_cashier
            .iter()
            .map(|(u, sum)| {
                Ok(CashierOverShort {
                    user_id: u.get(),
                    sum: over_short_sum(sum)?,
                })
            })
            .collect::<Result<_, crate::problem::Unrenderable>>()?,
    })
}

/// The drawers on the dashboard: the open sessions and today's closes.
#[derive(Debug, Serialize, ToSchema)]
pub struct CashTodayView {
    pub open_sessions: Vec<CashSessionView>,
    pub closed_today: OverShortSumView,
}

pub fn cash_today_view(
    c: &pos_domain::app::cash::CashToday,
) -> Result<CashTodayView, crate::problem::Unrenderable> {
    Ok(CashTodayView {
        open_sessions: c.open.iter().map(session_view).collect(),
        closed_today: over_short_sum(&c.closed_today)?,
    })
}
