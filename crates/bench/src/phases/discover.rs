//! Finding what to sell: products with plenty of stock, and the cash payment method.

use crate::http_client::Connection;
use crate::session::Session;
use anyhow::{Context, Result};
use serde_json::Value;

/// Enough distinct products that concurrent checkouts rarely contend on the same rows.
const WANTED: usize = 200;
/// A product qualifies with at least this many units: a checkout takes one unit per line.
const MIN_STOCK: i64 = 50;
const PER_PAGE: u64 = 100;
/// Stop walking the catalog here even if fewer products qualified.
const MAX_PAGES: u64 = 50;
/// The default cash tender: far above any demo basket. Cash is the one method that may be
/// overpaid (change is given), so an ample tender always settles the sale.
const DEFAULT_TENDER: u64 = 100_000;

pub struct Catalog {
    /// Active products with at least `MIN_STOCK` units on hand.
    pub product_ids: Vec<i64>,
    /// The same products with their whole units on hand, the most stocked first (ties by id):
    /// the one-product rows sell the first ones.
    pub by_stock: Vec<(i64, i64)>,
    /// Products in the catalog, as the server counts them.
    pub catalog_total: u64,
    /// The cash method's code, if the server has an active one.
    pub cash_method: Option<String>,
    /// The cash amount each checkout tenders, as a decimal string.
    pub tender: String,
}

pub async fn discover(session: &Session) -> Result<Catalog> {
    let mut connection = Connection::new(session.target().clone());
    let mut product_ids = Vec::new();
    let mut by_stock = Vec::new();
    let mut catalog_total = 0;
    let mut highest_price = 0;
    let mut page = 1;
    while product_ids.len() < WANTED && page <= MAX_PAGES {
        let path = format!("/api/products?per_page={PER_PAGE}&page={page}");
        let listing = session.get_json(&mut connection, &path).await?;
        let rows = listing
            .get("data")
            .and_then(Value::as_array)
            .with_context(|| format!("GET {path}: no \"data\" array in {listing}"))?;
        catalog_total = listing.get("total").and_then(Value::as_u64).unwrap_or(0);
        for product in rows {
            let Some(id) = product.get("id").and_then(Value::as_i64) else {
                continue;
            };
            // An inactive product cannot be sold, whatever its stock.
            let active = product.get("status").and_then(Value::as_str) == Some("active");
            let stock = decimal_field(product, "stock_on_hand").unwrap_or(0);
            if active && stock >= MIN_STOCK {
                product_ids.push(id);
                by_stock.push((id, stock));
                highest_price = highest_price.max(decimal_field(product, "price").unwrap_or(0));
            }
        }
        if rows.is_empty() || page * PER_PAGE >= catalog_total {
            break;
        }
        page += 1;
    }

    let methods = session
        .get_json(&mut connection, "/api/payment-methods?per_page=100")
        .await?;
    let cash_method = methods["data"]
        .as_array()
        .context("GET /api/payment-methods: no list")?
        .iter()
        .filter(|m| m.get("active").and_then(Value::as_bool) != Some(false))
        .filter_map(|m| m.get("code").and_then(Value::as_str))
        .find(|code| *code == "cash")
        .map(str::to_owned);

    by_stock.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

    // Three lines of the dearest product with generous tax still fit in ten times its price.
    let highest_price = u64::try_from(highest_price).unwrap_or(0) + 1;
    let tender = DEFAULT_TENDER.max(highest_price.saturating_mul(10));
    Ok(Catalog {
        product_ids,
        by_stock,
        catalog_total,
        cash_method,
        tender: format!("{tender}.00"),
    })
}

/// A product's whole units on hand now (`GET /api/products/{id}`).
pub async fn units_on_hand(session: &Session, id: i64) -> Result<i64> {
    let mut connection = Connection::new(session.target().clone());
    let path = format!("/api/products/{id}");
    let product = session.get_json(&mut connection, &path).await?;
    decimal_field(&product, "stock_on_hand")
        .with_context(|| format!("GET {path}: no \"stock_on_hand\" in {product}"))
}

/// The whole units of a decimal-string field ("49.5" → 49). Enough to compare against a
/// threshold or to bound a tender; no money arithmetic is done with it.
fn decimal_field(object: &Value, field: &str) -> Option<i64> {
    let text = object.get(field)?.as_str()?;
    let whole = text.split_once('.').map_or(text, |(whole, _)| whole);
    match whole {
        "" | "-" => Some(0),
        whole => whole.parse().ok(),
    }
}
