//! Sales and purchases in memory: the documents a party owes on, listed, summed and searched
//! for open ones alike. Each function is told how to read the document type it serves.

use pos_domain::ids::ProductId;
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Order, Page};
use pos_domain::quantity::Quantity;
use std::collections::BTreeMap;
use time::Date;

pub(crate) fn add(a: Money, b: Money) -> Money {
    Money::from_minor_units(a.minor_units() + b.minor_units())
}

fn add_quantity(a: Quantity, b: Quantity) -> Quantity {
    Quantity::from_thousandths(a.thousandths() + b.thousandths())
}

/// The requested page of `rows` in ledger order: by date, then by id (`key`), both in the
/// requested direction.
pub(crate) fn dated_page<D, F>(
    mut rows: Vec<D>,
    key: impl Fn(&D) -> (Date, i64),
    query: &ListQuery<F, ()>,
) -> Page<D> {
    rows.sort_by_key(|d| key(d));
    if query.order == Order::Desc {
        rows.reverse();
    }
    Page::slice(rows, query.page)
}

/// The documents with something owed (`due`), oldest first.
pub(crate) fn open<'a, D: Clone + 'a>(
    documents: impl Iterator<Item = &'a D>,
    due: impl Fn(&D) -> Money,
    key: impl Fn(&D) -> (Date, i64),
) -> Vec<D> {
    let mut open: Vec<D> = documents
        .filter(|d| due(d) > Money::ZERO)
        .cloned()
        .collect();
    open.sort_by_key(|d| key(d));
    open
}

/// What one document counts towards its party's totals.
pub(crate) struct Amounts {
    pub total: Money,
    pub paid: Money,
    pub credited: Money,
    /// Zero where documents keep no refunds.
    pub refunded: Money,
    pub due: Money,
}

/// A party's documents summed.
pub(crate) struct Sums {
    pub documents: u64,
    pub amounts: Amounts,
}

pub(crate) fn sums<'a, D: 'a>(
    documents: impl Iterator<Item = &'a D>,
    amounts: impl Fn(&D) -> Amounts,
) -> Sums {
    let mut sums = Sums {
        documents: 0,
        amounts: Amounts {
            total: Money::ZERO,
            paid: Money::ZERO,
            credited: Money::ZERO,
            refunded: Money::ZERO,
            due: Money::ZERO,
        },
    };
    for document in documents {
        let (sum, one) = (&mut sums.amounts, amounts(document));
        sums.documents += 1;
        sum.total = add(sum.total, one.total);
        sum.paid = add(sum.paid, one.paid);
        sum.credited = add(sum.credited, one.credited);
        sum.refunded = add(sum.refunded, one.refunded);
        sum.due = add(sum.due, one.due);
    }
    sums
}

/// One document line as the products summary reads it.
pub(crate) struct ProductLine {
    pub product_id: ProductId,
    pub quantity: Quantity,
    pub returned: Quantity,
    pub total: Money,
}

/// One product over a party's documents: its lines summed, and how many lines there were.
pub(crate) struct ProductSums {
    pub line: ProductLine,
    pub lines: u64,
}

/// The products on the documents' lines (`lines`), by product id.
pub(crate) fn products<'a, D: 'a>(
    documents: impl Iterator<Item = &'a D>,
    lines: impl Fn(&D) -> Vec<ProductLine>,
) -> Vec<ProductSums> {
    let mut by_product: BTreeMap<i64, ProductSums> = BTreeMap::new();
    for line in documents.flat_map(lines) {
        let entry = by_product
            .entry(line.product_id.get())
            .or_insert(ProductSums {
                line: ProductLine {
                    product_id: line.product_id,
                    quantity: Quantity::ZERO,
                    returned: Quantity::ZERO,
                    total: Money::ZERO,
                },
                lines: 0,
            });
        let sum = &mut entry.line;
        sum.quantity = add_quantity(sum.quantity, line.quantity);
        sum.returned = add_quantity(sum.returned, line.returned);
        sum.total = add(sum.total, line.total);
        entry.lines += 1;
    }
    by_product.into_values().collect()
}
