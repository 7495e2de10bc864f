use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sale_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sale_id: i64,
    /// Position in the sale, from 0.
    pub line_no: i32,
    pub product_id: i64,
    /// Thousandths of a unit.
    pub quantity_e3: i64,
    pub unit_price_cents: i64,
    /// Ten-thousandths of a percent; NULL (with `tax_mode`) for an untaxed line.
    pub tax_rate_e4: Option<i64>,
    /// `TaxMode::as_str`.
    pub tax_mode: Option<String>,
    pub gross_cents: i64,
    pub line_discount_cents: i64,
    pub order_discount_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    /// Thousandths of a unit brought back by the customer.
    pub returned_e3: i64,
    /// Copies of the sale's date, seller and customer, and the line's FIFO cost (the sum of its
    /// takes), so reports group one table (migration 5).
    pub sale_date: i32,
    pub user_id: i64,
    pub customer_id: Option<i64>,
    pub cost_cents: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
