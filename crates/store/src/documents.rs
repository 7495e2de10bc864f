//! Documents read back whole (sales, purchases, held sales): a header row completed by its
//! child rows, one `IN` query per child table for any number of headers. Sales and purchases
//! are owed on by a party (a customer, a supplier): their open ones, their totals and the
//! products on them are read alike, by the functions below.

use crate::entities::{purchase_lines, purchases, sale_lines, sales};
use crate::errors::{corrupt, db_err};
use crate::paging::fetch_dated_page;
use crate::sums::{count, sum_i64};
use pos_domain::ids::{CustomerId, ProductId, SupplierId};
use pos_domain::paging::{Order, Page, PageRequest};
use pos_domain::purchasing::Purchase;
use pos_domain::quantity::Quantity;
use pos_domain::sales::Sale;
use pos_domain::{Money, StoreError};
use sea_orm::sea_query::{Expr, ExprTrait, Func, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, FromQueryResult,
    JoinType, PrimaryKeyTrait, QueryFilter, QueryOrder, QueryResult, QuerySelect, RelationDef,
    Select,
};
use std::collections::HashMap;
use std::future::Future;
use std::marker::PhantomData;

type Header<D> = <<D as Document>::Header as EntityTrait>::Model;
type HeaderColumn<D> = <<D as Document>::Header as EntityTrait>::Column;

/// A document type of the domain, stored as a header row and child rows.
pub(crate) trait Document: Sized + Send {
    type Header: EntityTrait<Model: Send + Sync, PrimaryKey: PrimaryKeyTrait<ValueType = i64>>;
    type Id: Copy + Send;
    fn raw(id: Self::Id) -> i64;
    /// Completes header rows with their children; the rows keep their order.
    fn assemble(
        conn: &DatabaseTransaction,
        rows: Vec<Header<Self>>,
    ) -> impl Future<Output = Result<Vec<Self>, StoreError>> + Send;
}

/// `impl Document for $document`, stored in `$header` and completed by `$assemble`.
macro_rules! document {
    ($document:ty, $id:ident, $header:ident, $assemble:ident) => {
        impl $crate::documents::Document for $document {
            type Header = $header::Entity;
            type Id = $id;

            fn raw(id: $id) -> i64 {
                id.get()
            }

            fn assemble(
                conn: &sea_orm::DatabaseTransaction,
                rows: Vec<$header::Model>,
            ) -> impl std::future::Future<Output = Result<Vec<Self>, pos_domain::StoreError>> + Send
            {
                $assemble(conn, rows)
            }
        }
    };
}
pub(crate) use document;

/// The header columns of a document a party owes on.
#[derive(Clone, Copy)]
pub(crate) enum OwedColumn {
    Id,
    Party,
    Date,
    Total,
    Paid,
    Credited,
}

/// The line columns of a document a party owes on.
#[derive(Clone, Copy)]
pub(crate) enum LineColumn {
    Document,
    Product,
    Quantity,
    Returned,
    Total,
}

/// A document a party owes on: sales (customers), purchases (suppliers).
pub(crate) trait Owed: Document {
    type Lines: EntityTrait;
    type Party: Copy + Send;
    /// What a corrupt sum is reported as (`customer totals`).
    const TOTALS: &'static str;
    fn party(id: Self::Party) -> i64;
    fn column(column: OwedColumn) -> HeaderColumn<Self>;
    fn line(column: LineColumn) -> <Self::Lines as EntityTrait>::Column;
    /// The refunded cents, where the document keeps them.
    fn refunded() -> Option<HeaderColumn<Self>>;
}

/// `impl Owed for $document`: its party (the id type, also the header's column), the
/// header's date column, the lines' table and column naming the header, and the refunds.
macro_rules! owed {
    (
        $document:ty, party: $party:ident $noun:literal, date: $date:ident,
        lines: $lines:ident by $document_column:ident, refunded: $refunded:expr
    ) => {
        impl Owed for $document {
            type Lines = $lines::Entity;
            type Party = $party;
            const TOTALS: &'static str = concat!($noun, " totals");

            fn party(id: $party) -> i64 {
                id.get()
            }

            fn column(column: OwedColumn) -> HeaderColumn<Self> {
                type C = HeaderColumn<$document>;
                match column {
                    OwedColumn::Id => C::Id,
                    OwedColumn::Party => C::$party,
                    OwedColumn::Date => C::$date,
                    OwedColumn::Total => C::TotalCents,
                    OwedColumn::Paid => C::PaidCents,
                    OwedColumn::Credited => C::CreditedCents,
                }
            }

            fn line(column: LineColumn) -> $lines::Column {
                use $lines::Column as L;
                match column {
                    LineColumn::Document => L::$document_column,
                    LineColumn::Product => L::ProductId,
                    LineColumn::Quantity => L::QuantityE3,
                    LineColumn::Returned => L::ReturnedE3,
                    LineColumn::Total => L::TotalCents,
                }
            }

            fn refunded() -> Option<HeaderColumn<Self>> {
                $refunded
            }
        }
    };
}

owed! {
    Sale, party: CustomerId "customer", date: SaleDate,
    lines: sale_lines by SaleId, refunded: Some(sales::Column::RefundedCents)
}
owed! {
    Purchase, party: SupplierId "supplier", date: PurchaseDate,
    lines: purchase_lines by PurchaseId, refunded: None::<purchases::Column>
}

pub(crate) async fn find<D: Document>(
    conn: &DatabaseTransaction,
    id: D::Id,
) -> Result<Option<D>, StoreError> {
    let Some(row) = D::Header::find_by_id(D::raw(id))
        .one(conn)
        .await
        .map_err(db_err)?
    else {
        return Ok(None);
    };
    Ok(D::assemble(conn, vec![row]).await?.pop())
}

/// The rows of `E` whose `parent` column is one of `parents`, by parent, then by `order`: one
/// query, none for no parents.
pub(crate) async fn children<E: EntityTrait>(
    conn: &DatabaseTransaction,
    parent: E::Column,
    parents: impl IntoIterator<Item = i64>,
    order: E::Column,
) -> Result<Vec<E::Model>, StoreError> {
    let parents: Vec<i64> = parents.into_iter().collect();
    if parents.is_empty() {
        return Ok(Vec::new());
    }
    E::find()
        .filter(parent.is_in(parents))
        .order_by_asc(parent)
        .order_by_asc(order)
        .all(conn)
        .await
        .map_err(db_err)
}

/// Child rows converted and grouped by their parent's id, each group in the rows' order.
pub(crate) fn grouped<T, U>(
    rows: Vec<T>,
    parent: impl Fn(&T) -> i64,
    mut convert: impl FnMut(T) -> Result<U, StoreError>,
) -> Result<HashMap<i64, Vec<U>>, StoreError> {
    let mut groups: HashMap<i64, Vec<U>> = HashMap::new();
    for row in rows {
        let key = parent(&row);
        groups.entry(key).or_default().push(convert(row)?);
    }
    Ok(groups)
}

/// Each header built with its own group (none: empty), in the headers' order.
pub(crate) fn attach<H, C, D>(
    headers: Vec<H>,
    id: impl Fn(&H) -> i64,
    mut groups: HashMap<i64, Vec<C>>,
    mut build: impl FnMut(H, Vec<C>) -> Result<D, StoreError>,
) -> Result<Vec<D>, StoreError> {
    headers
        .into_iter()
        .map(|header| {
            let own = groups.remove(&id(&header)).unwrap_or_default();
            build(header, own)
        })
        .collect()
}

/// `total - paid - credited > 0`: a document with something still owed.
pub(crate) fn is_open<D: Owed>() -> SimpleExpr {
    Expr::col(D::column(OwedColumn::Total))
        .sub(Expr::col(D::column(OwedColumn::Paid)))
        .sub(Expr::col(D::column(OwedColumn::Credited)))
        .gt(0)
}

/// One page of `select` in ledger order (by date, then by id), completed.
pub(crate) async fn dated_page<D: Owed>(
    conn: &DatabaseTransaction,
    select: Select<D::Header>,
    order: Order,
    request: PageRequest,
) -> Result<Page<D>, StoreError> {
    let date = D::column(OwedColumn::Date);
    let id = D::column(OwedColumn::Id);
    let page = fetch_dated_page(conn, select, date, id, order, request).await?;
    Ok(Page {
        items: D::assemble(conn, page.items).await?,
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    })
}

/// The party's documents with something owed, oldest first, read with `FOR UPDATE` on MySQL
/// (found through the party's index), so two payments by one party queue here and the second
/// reads what the first paid (a locking read sees the latest commit). SQLite drops the clause,
/// its writer transaction being exclusive already.
pub(crate) async fn open<D: Owed>(
    conn: &DatabaseTransaction,
    party: D::Party,
) -> Result<Vec<D>, StoreError> {
    let rows = D::Header::find()
        .filter(D::column(OwedColumn::Party).eq(D::party(party)))
        .filter(is_open::<D>())
        .order_by_asc(D::column(OwedColumn::Date))
        .order_by_asc(D::column(OwedColumn::Id))
        .lock_exclusive()
        .all(conn)
        .await
        .map_err(db_err)?;
    D::assemble(conn, rows).await
}

/// A party's documents summed; `refunded` is zero where documents keep no refunds.
pub(crate) struct Sums {
    pub documents: u64,
    pub total: Money,
    pub paid: Money,
    pub credited: Money,
    pub refunded: Money,
    pub due: Money,
}

/// The aggregate row; the sums are NULL over no documents.
struct RawSums<D> {
    documents: i64,
    total: Option<i64>,
    paid: Option<i64>,
    credited: Option<i64>,
    refunded: Option<i64>,
    owed: PhantomData<fn() -> D>,
}

impl<D: Owed> FromQueryResult for RawSums<D> {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(RawSums {
            documents: res.try_get(pre, "documents")?,
            total: res.try_get(pre, "total")?,
            paid: res.try_get(pre, "paid")?,
            credited: res.try_get(pre, "credited")?,
            refunded: match D::refunded() {
                Some(_) => res.try_get(pre, "refunded")?,
                None => None,
            },
            owed: PhantomData,
        })
    }
}

/// The party's documents summed by the database (one aggregate query, exact past 2^31 on both
/// backends, see `sums`).
pub(crate) async fn sums<D: Owed>(
    conn: &DatabaseTransaction,
    party: D::Party,
) -> Result<Sums, StoreError> {
    let backend = conn.get_database_backend();
    let sum = |column| sum_i64(backend, Expr::col(column));
    let mut select = D::Header::find()
        .select_only()
        .expr_as(
            Func::count(Expr::col(D::column(OwedColumn::Id))),
            "documents",
        )
        .expr_as(sum(D::column(OwedColumn::Total)), "total")
        .expr_as(sum(D::column(OwedColumn::Paid)), "paid")
        .expr_as(sum(D::column(OwedColumn::Credited)), "credited");
    if let Some(refunded) = D::refunded() {
        select = select.expr_as(sum(refunded), "refunded");
    }
    let sums = select
        .filter(D::column(OwedColumn::Party).eq(D::party(party)))
        .into_model::<RawSums<D>>()
        .one(conn)
        .await
        .map_err(db_err)?
        .ok_or_else(|| StoreError::backend("an aggregate query returned no row"))?;
    // Over no documents the sums are NULL: zero.
    let total = sums.total.unwrap_or(0);
    let paid = sums.paid.unwrap_or(0);
    let credited = sums.credited.unwrap_or(0);
    let due = total
        .checked_sub(paid)
        .and_then(|rest| rest.checked_sub(credited))
        .ok_or_else(|| corrupt(D::TOTALS, "overflow"))?;
    Ok(Sums {
        documents: count(sums.documents)?,
        total: Money::from_minor_units(total),
        paid: Money::from_minor_units(paid),
        credited: Money::from_minor_units(credited),
        refunded: Money::from_minor_units(sums.refunded.unwrap_or(0)),
        due: Money::from_minor_units(due),
    })
}

/// One product over a party's documents.
pub(crate) struct ProductSums {
    pub product_id: ProductId,
    pub quantity: Quantity,
    pub returned: Quantity,
    pub total: Money,
    /// How many documents have a line of it.
    pub documents: u64,
}

/// The products on the party's documents, summed by the database, by product id.
pub(crate) async fn products<D: Owed>(
    conn: &DatabaseTransaction,
    party: D::Party,
) -> Result<Vec<ProductSums>, StoreError> {
    let backend = conn.get_database_backend();
    let header: RelationDef = D::Lines::belongs_to(D::Header::default())
        .from(D::line(LineColumn::Document))
        .to(D::column(OwedColumn::Id))
        .into();
    // Qualified: both tables have a `total_cents`.
    let line = |column| Expr::col((D::Lines::default(), D::line(column)));
    let rows: Vec<(i64, i64, i64, i64, i64)> = D::Lines::find()
        .select_only()
        .column(D::line(LineColumn::Product))
        .expr_as(sum_i64(backend, line(LineColumn::Quantity)), "quantity")
        .expr_as(sum_i64(backend, line(LineColumn::Returned)), "returned")
        .expr_as(sum_i64(backend, line(LineColumn::Total)), "total")
        .expr_as(
            Func::count_distinct(line(LineColumn::Document)),
            "documents",
        )
        .join(JoinType::InnerJoin, header)
        .filter(D::column(OwedColumn::Party).eq(D::party(party)))
        .group_by(D::line(LineColumn::Product))
        .order_by_asc(D::line(LineColumn::Product))
        .into_tuple()
        .all(conn)
        .await
        .map_err(db_err)?;
    rows.into_iter()
        .map(|(product, quantity, returned, total, documents)| {
            Ok(ProductSums {
                product_id: ProductId::new(product),
                quantity: Quantity::from_thousandths(quantity),
                returned: Quantity::from_thousandths(returned),
                total: Money::from_minor_units(total),
                documents: count(documents)?,
            })
        })
        .collect()
}
