//! Search, sort and paging shared by every list, so all lists behave alike.

use crate::errors::db_err;
use pos_domain::StoreError;
use pos_domain::paging::{Order, Page, PageRequest};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, IntoSimpleExpr,
    PaginatorTrait, QueryOrder, QuerySelect, Select,
};

/// Escapes `%`, `_` and itself in LIKE patterns. Not a backslash: MySQL treats a backslash in
/// the `ESCAPE '\'` literal itself as an escape, so the clause would not mean the same thing on
/// both backends.
const LIKE_ESCAPE: char = '!';

/// Rows whose column, lower-cased, contains `needle` lower-cased: any of `columns` may match.
/// Both sides are lowered so MySQL and SQLite agree whatever the column collation.
pub(crate) fn search<C: ColumnTrait>(needle: &str, columns: &[C]) -> Condition {
    let pattern = format!("%{}%", escape_like(&needle.to_lowercase()));
    columns.iter().fold(Condition::any(), |any, column| {
        any.add(lower(*column).like(LikeExpr::new(pattern.clone()).escape(LIKE_ESCAPE)))
    })
}

/// `lower(column)`: for case-insensitive search and name sorting.
pub(crate) fn lower<C: ColumnTrait>(column: C) -> SimpleExpr {
    Expr::expr(Func::lower(column.into_simple_expr()))
}

fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_') || c == LIKE_ESCAPE {
            escaped.push(LIKE_ESCAPE);
        }
        escaped.push(c);
    }
    escaped
}

/// One page of `select` sorted by `sort` in the requested direction, then by ascending `id` so
/// rows with equal keys keep a stable order across pages (the rule every adapter follows);
/// `total` counts every row the filter matches.
pub(crate) async fn fetch_page<E, M, C>(
    conn: &C,
    select: Select<E>,
    sort: impl IntoSimpleExpr,
    id: E::Column,
    order: Order,
    request: PageRequest,
) -> Result<Page<M>, StoreError>
where
    E: EntityTrait<Model: Send + Sync>,
    M: FromQueryResult + Send + Sync,
    C: ConnectionTrait,
{
    let total = select.clone().count(conn).await.map_err(db_err)?;
    let items = select
        .order_by(sort, direction(order))
        .order_by(id, sea_orm::Order::Asc)
        .offset(request.offset())
        .limit(u64::from(request.per_page()))
        .into_model::<M>()
        .all(conn)
        .await
        .map_err(db_err)?;
    Ok(Page {
        items,
        page: request.page(),
        per_page: request.per_page(),
        total,
    })
}

/// One page of `select` in ledger order: by `date`, then by `id`, both in the requested direction
/// (with `Desc` the newest first, and of one day the latest posted first); `total` counts every
/// row the filter matches.
pub(crate) async fn fetch_dated_page<E, C>(
    conn: &C,
    select: Select<E>,
    date: E::Column,
    id: E::Column,
    order: Order,
    request: PageRequest,
) -> Result<Page<E::Model>, StoreError>
where
    E: EntityTrait<Model: Send + Sync>,
    C: ConnectionTrait,
{
    let direction = direction(order);
    let ordered = select
        .order_by(date, direction.clone())
        .order_by(id, direction);
    fetch_ordered_page(conn, ordered, request).await
}

/// One page of `select` in id order (a log's sequence), in the requested direction; `total`
/// counts every row the filter matches.
pub(crate) async fn fetch_sequence_page<E, C>(
    conn: &C,
    select: Select<E>,
    id: E::Column,
    order: Order,
    request: PageRequest,
) -> Result<Page<E::Model>, StoreError>
where
    E: EntityTrait<Model: Send + Sync>,
    C: ConnectionTrait,
{
    fetch_ordered_page(conn, select.order_by(id, direction(order)), request).await
}

fn direction(order: Order) -> sea_orm::Order {
    match order {
        Order::Asc => sea_orm::Order::Asc,
        Order::Desc => sea_orm::Order::Desc,
    }
}

/// The requested page of an already ordered `select`, with the count of every row it matches
/// (the count ignores the ORDER BY).
async fn fetch_ordered_page<E, C>(
    conn: &C,
    select: Select<E>,
    request: PageRequest,
) -> Result<Page<E::Model>, StoreError>
where
    E: EntityTrait<Model: Send + Sync>,
    C: ConnectionTrait,
{
    let total = select.clone().count(conn).await.map_err(db_err)?;
    let items = select
        .offset(request.offset())
        .limit(u64::from(request.per_page()))
        .all(conn)
        .await
        .map_err(db_err)?;
    Ok(Page {
        items,
        page: request.page(),
        per_page: request.per_page(),
        total,
    })
}

/// Converts every row of a page, failing on the first row the domain refuses.
pub(crate) fn try_map_page<T, U>(
    page: Page<T>,
    convert: impl FnMut(T) -> Result<U, StoreError>,
) -> Result<Page<U>, StoreError> {
    let items = page
        .items
        .into_iter()
        .map(convert)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_search_text_match_literally() {
        assert_eq!(escape_like("50%_off!"), "50!%!_off!!");
    }
}
