//! Reports: what the shop sold, earned and holds, over a range of days.
//!
//! Storage does the summing: every figure here is built from a handful of per-group totals
//! (`GROUP BY` a day, a product, a seller, a customer or a tax rate over an index range), never
//! from sale rows loaded into the application. This module holds the definitions (what counts
//! as net sales, profit, an average basket) as plain arithmetic on those totals, so every
//! adapter and every endpoint agrees on them.
//!
//! The definitions, once:
//! - a sale counts on its **sale date**, a return on its **return date** (both the shop's local
//!   calendar day), exactly as the books post them;
//! - **sales** are what lines were charged before discounts, without tax; **discounts** what was
//!   taken off; **returns** what was refunded, without tax; **net sales** = sales - discounts
//!   - returns (the books' revenue less their contra accounts);
//! - **tax** is tax charged less tax refunded;
//! - **COGS** is the FIFO cost of the units sold less the cost of the units returned (restocked
//!   or written off: a write-off moves its cost to shrinkage);
//! - **gross profit** = net sales - COGS; **net profit** adds the books' other income
//!   (inventory gains) and takes off every other expense (shrinkage, operating expenses).

mod figures;
mod financial;
mod inventory;
mod period;

pub use figures::{
    GroupKey, Grouping, Performance, ReturnFigures, SalesFigures, SalesScope, ratio,
};
pub use financial::{AccountLine, FinancialSummary, financial_summary};
pub use inventory::{ReorderAdvice, StockLevel, reorder_advice};
pub use period::{MAX_DAYS, Period, PeriodError};
