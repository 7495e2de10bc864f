//! The counter: checkout, sales, receipts and returns.

use crate::date::iso_date;
use crate::ledger::journal::{EntryView, entry_view};
use crate::problem::FieldErrors;
use crate::problem::Unrenderable;
use crate::{SortOrder, decimal};
use garde::Validate;
use pos_domain::app::AccountIndex;
use pos_domain::app::sales::{Receipt, SaleReturned};
use pos_domain::catalog::{Percent, TaxMode};
use pos_domain::ids::{CustomerId, ProductId};
use pos_domain::money::Money;
use pos_domain::quantity::Quantity;
use pos_domain::sales::{Discount, Sale};
use pos_domain::services::sales::{CheckoutLine, Sold};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

/// A discount: give exactly one of `amount` (off the line or order) and `percent`.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiscountInput {
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, example = "1.50", pattern = "^(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub amount: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, example = "10", pattern = "^(100(\\.0{1,16})?|[1-9]?[0-9](\\.[0-9]{1,4}0{0,12})?)$")]
    #[garde(skip)]
    pub percent: Option<Decimal>,
}

pub fn discount(
    field: &str,
    errors: &mut FieldErrors,
    d: &Option<DiscountInput>,
) -> Option<Option<Discount>> {
    let Some(d) = d else { return Some(None) };
    let parsed = match (d.amount, d.percent) {
        (Some(a), None) => Money::non_negative(a)
            .map(Discount::Amount)
            .map_err(|e| e.to_string()),
        (None, Some(p)) => Percent::new(p)
            .map(Discount::Percent)
            .map_err(|e| e.to_string()),
        _ => Err("give exactly one of amount and percent".to_owned()),
    };
    errors.check(field, parsed).map(Some)
}

#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaleLineInput {
    #[garde(skip)]
    pub product_id: i64,
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "2", pattern = "^(?!0(\\.0+)?$)(0|[1-9][0-9]{0,11})(\\.[0-9]{1,3}0{0,13})?$")]
    #[garde(skip)]
    pub quantity: Decimal,
    #[serde(default)]
    #[garde(dive)]
    pub discount: Option<DiscountInput>,
    /// Overrides the catalog price. Managers and admins only.
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, pattern = "^(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub unit_price: Option<Decimal>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenderLine {
    /// A payment method code: `cash`, `card`, `bkash`...
    #[garde(length(chars, min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32)]
    pub method: String,
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "20.00", pattern = "^(?!0(\\.0+)?$)(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub amount: Decimal,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutInput {
    /// The register (till) it happens at; the default register when omitted.
    #[serde(default)]
    #[garde(skip)]
    pub register_id: Option<i64>,
    /// Needed for a sale on credit.
    #[garde(skip)]
    pub customer_id: Option<i64>,
    #[garde(length(min = 1, max = 200), dive)]
    #[schema(min_items = 1, max_items = 200)]
    pub lines: Vec<SaleLineInput>,
    #[serde(default)]
    #[garde(dive)]
    pub order_discount: Option<DiscountInput>,
    /// Split tender: any mix of methods. Cash may exceed the total (change is given); what is
    /// not paid is owed by the customer.
    #[serde(default)]
    #[garde(length(max = 10), dive)]
    #[schema(max_items = 10)]
    pub payments: Vec<TenderLine>,
    /// The total the till shows; the sale is refused (409 `total_mismatch`) if it differs.
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, pattern = "^(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub expected_total: Option<Decimal>,
    #[garde(length(chars, max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LotTakeView {
    pub lot_id: i64,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    #[schema(value_type = String)]
    pub cost: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SaleLineView {
    pub id: i64,
    pub product_id: i64,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    #[schema(value_type = String)]
    pub unit_price: Decimal,
    /// The tax rate in percent it was sold at, if taxed.
    #[schema(value_type = Option<String>)]
    pub tax_rate: Option<Decimal>,
    /// `inclusive` or `exclusive`, if taxed.
    pub tax_mode: Option<String>,
    #[schema(value_type = String)]
    pub gross: Decimal,
    #[schema(value_type = String)]
    pub discount: Decimal,
    #[schema(value_type = String)]
    pub tax: Decimal,
    #[schema(value_type = String)]
    pub total: Decimal,
    /// FIFO cost of the units sold.
    #[schema(value_type = String)]
    pub cost: Decimal,
    #[schema(value_type = String)]
    pub returned: Decimal,
    pub lots: Vec<LotTakeView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SalePaymentView {
    pub method_id: i64,
    #[schema(value_type = String)]
    pub amount: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SaleView {
    pub id: i64,
    /// The register it was sold at.
    pub register_id: i64,
    /// The register's code and the sale's place in its series (`R2-000123`): unique across
    /// the shop, sequential without gaps per register.
    pub invoice_no: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub customer_id: Option<i64>,
    pub user_id: i64,
    /// `completed`, `partially_refunded` or `refunded`.
    pub status: String,
    pub lines: Vec<SaleLineView>,
    #[schema(value_type = String)]
    pub subtotal: Decimal,
    #[schema(value_type = String)]
    pub discount: Decimal,
    #[schema(value_type = String)]
    pub tax: Decimal,
    #[schema(value_type = String)]
    pub total: Decimal,
    #[schema(value_type = String)]
    pub tendered: Decimal,
    #[schema(value_type = String)]
    pub change: Decimal,
    #[schema(value_type = String)]
    pub paid: Decimal,
    #[schema(value_type = String)]
    pub credited: Decimal,
    #[schema(value_type = String)]
    pub refunded: Decimal,
    /// Still owed by the customer.
    #[schema(value_type = String)]
    pub due: Decimal,
    pub payments: Vec<SalePaymentView>,
    pub note: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

pub fn sale_view(s: Sale) -> SaleView {
    sale_view_of(&s)
}

/// The view of a sale, from a borrowed one (what a use case holds for rendering).
pub fn sale_view_of(s: &Sale) -> SaleView {
    let due = s.due().amount();
    let invoice_no = s.invoice_no();
    SaleView {
        id: s.id.get(),
        register_id: s.register_id.get(),
        invoice_no,
        date: s.date,
        customer_id: s.customer_id.map(CustomerId::get),
        user_id: s.user_id.get(),
        status: s.status.as_str().to_owned(),
        lines: s
            .lines
            .iter()
            .map(|l| {
                let cost = l.cost().amount();
                let p = &l.priced;
                SaleLineView {
                    id: l.id.get(),
                    product_id: p.product_id.get(),
                    quantity: p.quantity.value(),
                    unit_price: p.unit_price.amount(),
                    tax_rate: p.tax_rate.map(|(r, _)| r.value()),
                    tax_mode: p.tax_rate.map(|(_, m)| m.as_str().to_owned()),
                    gross: p.gross.amount(),
                    discount: p.discount().amount(),
                    tax: p.tax.amount(),
                    total: p.total.amount(),
                    cost,
                    returned: l.returned.value(),
                    lots: l
                        .takes
                        .iter()
                        .map(|t| LotTakeView {
                            lot_id: t.lot_id.get(),
                            quantity: t.quantity.value(),
                            cost: t.cost.amount(),
                        })
                        .collect(),
                }
            })
            .collect(),
        subtotal: s.subtotal.amount(),
        discount: s.discount.amount(),
        tax: s.tax.amount(),
        total: s.total.amount(),
        tendered: s.tendered.amount(),
        change: s.change.amount(),
        paid: s.paid.amount(),
        credited: s.credited.amount(),
        refunded: s.refunded.amount(),
        due,
        payments: s
            .payments
            .iter()
            .map(|p| SalePaymentView {
                method_id: p.method_id.get(),
                amount: p.amount.amount(),
            })
            .collect(),
        note: s.note.clone(),
        created_at: s.created_at,
    }
}

/// A sale with the journal entries it and its returns posted.
#[derive(Debug, Serialize, ToSchema)]
pub struct SaleDetail {
    pub sale: SaleView,
    pub entries: Vec<EntryView>,
}

/// Parses the lines and tenders of a checkout, reporting every bad field.
pub fn checkout_lines(errors: &mut FieldErrors, lines: &[SaleLineInput]) -> Vec<CheckoutLine> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let quantity = errors.check(
            &format!("lines[{i}].quantity"),
            Quantity::new(line.quantity)
                .ok()
                .filter(|q| *q > Quantity::ZERO)
                .ok_or("must be greater than zero, with at most 3 decimals"),
        );
        let d = discount(&format!("lines[{i}].discount"), errors, &line.discount);
        let price = errors.check_opt(
            &format!("lines[{i}].unit_price"),
            line.unit_price,
            Money::non_negative,
        );
        if let (Some(quantity), Some(discount), Some(unit_price)) = (quantity, d, price) {
            out.push(CheckoutLine {
                product_id: ProductId::new(line.product_id),
                quantity,
                discount,
                unit_price,
            });
        }
    }
    out
}

/// Parses the tenders of a checkout: each method code with a positive amount.
pub fn tenders(errors: &mut FieldErrors, payments: &[TenderLine]) -> Vec<(String, Money)> {
    let mut out = Vec::new();
    for (i, t) in payments.iter().enumerate() {
        if let Some(amount) = errors.check(
            &format!("payments[{i}].amount"),
            crate::ledger::payments::positive(t.amount),
        ) {
            out.push((t.method.clone(), amount));
        }
    }
    out
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SaleListParams {
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub from: Option<Date>,
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub to: Option<Date>,
    #[garde(skip)]
    pub customer_id: Option<i64>,
    #[garde(skip)]
    pub user_id: Option<i64>,
    /// Sales with a line of this product.
    #[garde(skip)]
    pub product_id: Option<i64>,
    /// `completed`, `partially_refunded` or `refunded`.
    #[garde(length(chars, max = 20))]
    #[param(max_length = 20, pattern = "^(completed|partially_refunded|refunded)$")]
    pub status: Option<String>,
    /// Sales paid (partly) by this method code.
    #[garde(length(chars, max = 32))]
    #[param(max_length = 32)]
    pub method: Option<String>,
    #[garde(skip)]
    pub order: Option<SortOrder>,
    #[garde(range(min = 1, max = 2147483647))]
    #[param(minimum = 1, maximum = 2147483647)]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// A sale as one CSV record: the list's columns, its lines counted. A struct of its own, as
/// the view nests lines and payments, which have no cell.
#[derive(Default, Serialize)]
pub struct SaleRecord<'a> {
    pub id: i64,
    pub invoice_no: &'a str,
    /// `YYYY-MM-DD` (a string, so that an empty list's header row has a default).
    pub date: String,
    pub customer_id: Option<i64>,
    pub user_id: i64,
    pub status: &'a str,
    pub lines: usize,
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
    pub paid: Decimal,
    pub credited: Decimal,
    pub refunded: Decimal,
    pub due: Decimal,
}

impl<'a> From<&'a SaleView> for SaleRecord<'a> {
    fn from(s: &'a SaleView) -> Self {
        SaleRecord {
            id: s.id,
            invoice_no: &s.invoice_no,
            date: s.date.to_string(),
            customer_id: s.customer_id,
            user_id: s.user_id,
            status: &s.status,
            lines: s.lines.len(),
            subtotal: s.subtotal,
            discount: s.discount,
            tax: s.tax,
            total: s.total,
            paid: s.paid,
            credited: s.credited,
            refunded: s.refunded,
            due: s.due,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceiptParams {
    /// `text` (default) or `html`.
    #[param(pattern = "^(text|html)$")]
    pub format: Option<String>,
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// How a line's unit price relates to tax, printed beside it: a shelf price is before tax
/// when the rate is added on top and includes it otherwise, while the line's total always
/// includes it, so a receipt must say which the price is.
fn tax_note(tax: Option<(Percent, TaxMode)>) -> String {
    match tax {
        Some((rate, TaxMode::Exclusive)) => format!("+ {}% tax", rate.value()),
        Some((rate, TaxMode::Inclusive)) => format!("incl. {}% tax", rate.value()),
        None => "no tax".to_owned(),
    }
}

/// A receipt as an HTML page.
pub fn receipt_html(receipt: &Receipt) -> String {
    let invoice = receipt.sale.invoice_no();
    let lines: String = receipt
        .lines
        .iter()
        .map(|l| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&l.name),
                l.quantity,
                l.unit_price,
                tax_note(l.tax),
                l.total
            )
        })
        .collect();
    let sums: String = receipt
        .totals
        .iter()
        .map(|(k, v)| format!("<tr><th colspan=\"4\">{}</th><td>{v}</td></tr>", escape(k)))
        .collect();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{invoice}</title></head><body><h1>{invoice}</h1><p>{}</p><table><thead><tr><th>Item</th><th>Qty</th><th>Unit price</th><th>Tax</th><th>Total with tax</th></tr></thead><tbody>{lines}</tbody><tfoot>{sums}</tfoot></table></body></html>",
        receipt.sale.date
    )
}

/// A receipt as plain text, 40 columns wide (for thermal printers).
pub fn receipt_text(receipt: &Receipt) -> String {
    let invoice = receipt.sale.invoice_no();
    let mut text = format!(
        "{invoice}\n{}\n{}\n{:<20}{:>20}\n",
        receipt.sale.date,
        "-".repeat(40),
        "Qty x unit price",
        "Total with tax"
    );
    for l in &receipt.lines {
        let (n, q, u, t) = (&l.name, l.quantity, l.unit_price, l.total);
        let priced = format!("  {q} x {u} {}", tax_note(l.tax));
        text.push_str(&format!(
            "{n}\n{priced}{:>width$}\n",
            t.to_string(),
            width = 40usize.saturating_sub(priced.len()).max(1)
        ));
    }
    text.push_str(&format!("{}\n", "-".repeat(40)));
    for (k, v) in &receipt.totals {
        text.push_str(&format!("{k:<20}{:>20}\n", v.to_string()));
    }
    text
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnLineInput {
    #[garde(skip)]
    pub sale_line_id: i64,
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "1", pattern = "^(?!0(\\.0+)?$)(0|[1-9][0-9]{0,11})(\\.[0-9]{1,3}0{0,13})?$")]
    #[garde(skip)]
    pub quantity: Decimal,
    /// Back on the shelf (default); `false` writes the units off as shrinkage.
    #[serde(default = "yes")]
    #[garde(skip)]
    pub restock: bool,
}

pub fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaleReturnInput {
    /// The register (till) it happens at; the default register when omitted.
    #[serde(default)]
    #[garde(skip)]
    pub register_id: Option<i64>,
    #[garde(length(min = 1, max = 200), dive)]
    #[schema(min_items = 1, max_items = 200)]
    pub lines: Vec<ReturnLineInput>,
    /// How a refund beyond what the customer owes is paid back (default `cash`).
    #[garde(length(chars, min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32)]
    pub refund_method: Option<String>,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SaleReturnView {
    pub sale: SaleView,
    #[schema(value_type = String)]
    pub refund: Decimal,
    /// Taken off what the customer owes.
    #[schema(value_type = String)]
    pub credited: Decimal,
    /// Paid back.
    #[schema(value_type = String)]
    pub refunded: Decimal,
    pub entries: Vec<EntryView>,
}

/// Renders journal entries with the chart they name.
pub fn entry_views(
    entries: Vec<pos_domain::ledger::JournalEntry>,
    accounts: &AccountIndex,
) -> Result<Vec<EntryView>, Unrenderable> {
    entries
        .into_iter()
        .map(|e| entry_view(e, accounts))
        .collect()
}

/// Renders a sale the checkout made (at the counter or completing a held sale): its entries
/// are named from the static data it was priced with, with no further reads.
pub fn sold_detail(sold: &Sold) -> Result<SaleDetail, Unrenderable> {
    let accounts: AccountIndex = sold
        .statics
        .accounts
        .iter()
        .map(|a| (a.id, a.clone()))
        .collect();
    Ok(SaleDetail {
        sale: sale_view_of(&sold.sale),
        entries: entry_views(sold.entries.clone(), &accounts)?,
    })
}

/// Renders a return with the entries it posted.
pub fn return_view(done: &SaleReturned) -> Result<SaleReturnView, Unrenderable> {
    let r = &done.returned;
    Ok(SaleReturnView {
        sale: sale_view_of(&r.sale),
        refund: r.refund.amount(),
        credited: r.credited.amount(),
        refunded: r.refunded.amount(),
        entries: entry_views(r.entries.clone(), &done.accounts)?,
    })
}
