//! Typed identifiers, so a brand id can never be passed where a product id is expected.

macro_rules! define_id {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(i64);

        impl $name {
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

define_id!(
    /// A staff member's account.
    UserId,
    /// A brand in the catalog.
    BrandId,
    /// A product category.
    CategoryId,
    /// A tax rate applied to products.
    TaxRateId,
    /// A product for sale.
    ProductId,
    /// One refresh-token session of a user.
    SessionId,
    /// An account of the chart of accounts.
    AccountId,
    /// A journal entry.
    EntryId,
    /// A way to pay (cash, card, a mobile wallet...).
    PaymentMethodId,
    /// A kind of expense (rent, utilities...).
    ExpenseCategoryId,
    /// Money received or paid out.
    PaymentId,
    /// A recorded expense.
    ExpenseId,
    /// A customer (a party of AR postings).
    CustomerId,
    /// A supplier (a party of AP postings).
    SupplierId,
    /// A receipt of goods from a supplier.
    PurchaseId,
    /// One product line of a purchase.
    PurchaseLineId,
    /// A store or a warehouse.
    LocationId,
    /// A move of stock from one location to another.
    TransferId,
    /// Units a transfer shipped from one lot, in transit until received or reported short.
    TransitLotId,
    /// A register's cash session: from its opening float to its closing count.
    CashSessionId,
    /// Why cash is paid in or out of a drawer (petty cash, a bank deposit...).
    CashReasonId,
    /// Cash paid in or out of a drawer during a session.
    CashMovementId,
    /// A lot of stock: units received together at one cost.
    LotId,
    /// One entry of the inventory log.
    MovementId,
    /// Goods sent back to a supplier.
    SupplierReturnId,
    /// A stock adjustment (count correction, damage, loss, found).
    AdjustmentId,
    /// A sale at the counter.
    SaleId,
    /// One product line of a sale.
    SaleLineId,
    /// A cart saved at the counter without stock or ledger effect.
    HeldSaleId,
    /// A till: sales, completions and returns happen at one.
    RegisterId,
);
