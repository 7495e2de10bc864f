//! The chart of accounts a shop starts with, and the data-driven payment methods and expense
//! categories mapped onto it. Seeded once; a shop adds its own through the API.

use super::AccountKind;
use crate::code::Code;

/// Codes the posting rules rely on. Everything else in the chart is the shop's to extend.
pub mod codes {
    pub const CASH: &str = "1000";
    pub const CASH_IN_SAFE: &str = "1005";
    pub const CARD_CLEARING: &str = "1010";
    pub const BKASH: &str = "1020";
    pub const NAGAD: &str = "1030";
    pub const BANK: &str = "1050";
    /// Terminal and wallet differences found at a close, until someone explains them.
    pub const SUSPENSE: &str = "1090";
    pub const ACCOUNTS_RECEIVABLE: &str = "1100";
    pub const INVENTORY: &str = "1200";
    /// Stock shipped between locations and not yet received or reported short.
    pub const INVENTORY_IN_TRANSIT: &str = "1210";
    pub const ACCOUNTS_PAYABLE: &str = "2000";
    pub const TAX_PAYABLE: &str = "2100";
    pub const OWNERS_EQUITY: &str = "3000";
    pub const OPENING_BALANCES: &str = "3100";
    pub const OWNERS_DRAWINGS: &str = "3200";
    pub const SALES_REVENUE: &str = "4000";
    pub const INVENTORY_GAIN: &str = "4200";
    pub const SALES_RETURNS: &str = "4900";
    pub const DISCOUNTS: &str = "4910";
    pub const COST_OF_GOODS_SOLD: &str = "5000";
    pub const INVENTORY_SHRINKAGE: &str = "5100";
    pub const CASH_OVER_SHORT: &str = "5200";
    pub const OTHER_EXPENSES: &str = "6900";
}

/// The documents that alone may post to a control account: the accounts a subledger backs
/// (lots, open sales, open purchases) or that the sales reports are reconciled with. A manual
/// payment, an opening entry or any other hand-made posting on one of them would put the books
/// out of line with what backs them, so those routes refuse it and say which route posts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostedBy {
    /// Inventory: purchases, supplier returns, sales, returns, adjustments and counts.
    StockDocuments,
    /// Receivables: credit sales, returns and customer payments.
    CustomerDocuments,
    /// Payables: purchases, supplier returns and supplier payments.
    SupplierDocuments,
    /// Revenue, returns, discounts, tax and cost of goods sold: sales and returns.
    Counter,
    /// Inventory gains and shrinkage: adjustments and counts.
    Adjustments,
    /// The opening-balances equity account: opening entries.
    Opening,
}

impl PostedBy {
    /// The stable problem code a refused posting carries.
    pub fn code(self) -> Code {
        match self {
            PostedBy::StockDocuments => Code::PostedByStockDocuments,
            PostedBy::CustomerDocuments => Code::PostedByCustomerDocuments,
            PostedBy::SupplierDocuments => Code::PostedBySupplierDocuments,
            PostedBy::Counter => Code::PostedBySales,
            PostedBy::Adjustments => Code::PostedByAdjustments,
            PostedBy::Opening => Code::PostedByOpening,
        }
    }

    /// The routes that post it, for the person whose posting was refused.
    pub fn routes(self) -> &'static str {
        match self {
            PostedBy::StockDocuments => {
                "purchases, supplier returns, sales, returns, adjustments and counts \
                 (POST /api/purchases, /api/sales, /api/inventory/adjustments, ...)"
            }
            PostedBy::CustomerDocuments => {
                "credit sales, returns and customer payments (POST /api/sales, \
                 /api/sales/{id}/returns, /api/customers/{id}/payments)"
            }
            PostedBy::SupplierDocuments => {
                "purchases, supplier returns and supplier payments (POST /api/purchases, \
                 /api/purchases/{id}/returns, /api/suppliers/{id}/payments)"
            }
            PostedBy::Counter => "sales and returns (POST /api/sales, /api/sales/{id}/returns)",
            PostedBy::Adjustments => {
                "inventory adjustments and counts (POST /api/inventory/adjustments, \
                 /api/inventory/counts)"
            }
            PostedBy::Opening => "opening balances (POST /api/journal/opening)",
        }
    }
}

/// The documents that alone post to the account with this code; `None` for an account any
/// manual posting may use (cash and wallets, owner's equity, expenses, a shop's own accounts).
pub fn posted_only_by(code: &str) -> Option<PostedBy> {
    Some(match code {
        codes::INVENTORY | codes::INVENTORY_IN_TRANSIT => PostedBy::StockDocuments,
        codes::ACCOUNTS_RECEIVABLE => PostedBy::CustomerDocuments,
        codes::ACCOUNTS_PAYABLE => PostedBy::SupplierDocuments,
        codes::TAX_PAYABLE
        | codes::SALES_REVENUE
        | codes::SALES_RETURNS
        | codes::DISCOUNTS
        | codes::COST_OF_GOODS_SOLD => PostedBy::Counter,
        codes::INVENTORY_GAIN | codes::INVENTORY_SHRINKAGE => PostedBy::Adjustments,
        codes::OPENING_BALANCES => PostedBy::Opening,
        _ => return None,
    })
}

/// (code, name, kind) of every account seeded in a new shop.
pub const ACCOUNTS: &[(&str, &str, AccountKind)] = &[
    (codes::CASH, "Cash", AccountKind::Asset),
    (codes::CASH_IN_SAFE, "Cash in the safe", AccountKind::Asset),
    (codes::CARD_CLEARING, "Card clearing", AccountKind::Asset),
    (codes::BKASH, "bKash wallet", AccountKind::Asset),
    (codes::NAGAD, "Nagad wallet", AccountKind::Asset),
    (codes::BANK, "Bank account", AccountKind::Asset),
    (codes::SUSPENSE, "Suspense", AccountKind::Asset),
    (
        codes::ACCOUNTS_RECEIVABLE,
        "Accounts receivable",
        AccountKind::Asset,
    ),
    (codes::INVENTORY, "Inventory", AccountKind::Asset),
    (
        codes::INVENTORY_IN_TRANSIT,
        "Inventory in transit",
        AccountKind::Asset,
    ),
    (
        codes::ACCOUNTS_PAYABLE,
        "Accounts payable",
        AccountKind::Liability,
    ),
    (codes::TAX_PAYABLE, "Tax payable", AccountKind::Liability),
    (codes::OWNERS_EQUITY, "Owner's equity", AccountKind::Equity),
    (
        codes::OPENING_BALANCES,
        "Opening balances",
        AccountKind::Equity,
    ),
    (
        codes::OWNERS_DRAWINGS,
        "Owner's drawings",
        AccountKind::Equity,
    ),
    (codes::SALES_REVENUE, "Sales revenue", AccountKind::Revenue),
    (
        codes::INVENTORY_GAIN,
        "Inventory gains",
        AccountKind::Revenue,
    ),
    (codes::SALES_RETURNS, "Sales returns", AccountKind::Contra),
    (codes::DISCOUNTS, "Discounts given", AccountKind::Contra),
    (
        codes::COST_OF_GOODS_SOLD,
        "Cost of goods sold",
        AccountKind::Expense,
    ),
    (
        codes::INVENTORY_SHRINKAGE,
        "Inventory shrinkage",
        AccountKind::Expense,
    ),
    (
        codes::CASH_OVER_SHORT,
        "Cash over/short",
        AccountKind::Expense,
    ),
    ("6000", "Rent", AccountKind::Expense),
    ("6010", "Utilities", AccountKind::Expense),
    ("6020", "Salaries and wages", AccountKind::Expense),
    ("6030", "Supplies", AccountKind::Expense),
    ("6040", "Transport", AccountKind::Expense),
    ("6050", "Repairs and maintenance", AccountKind::Expense),
    (
        codes::OTHER_EXPENSES,
        "Other expenses",
        AccountKind::Expense,
    ),
];

/// (code, name, account code) of the payment methods a new shop has.
pub const PAYMENT_METHODS: &[(&str, &str, &str)] = &[
    ("cash", "Cash", codes::CASH),
    ("card", "Card", codes::CARD_CLEARING),
    ("bkash", "bKash", codes::BKASH),
    ("nagad", "Nagad", codes::NAGAD),
];

/// (name, account code) of the expense categories a new shop has.
pub const EXPENSE_CATEGORIES: &[(&str, &str)] = &[
    ("Rent", "6000"),
    ("Utilities", "6010"),
    ("Salaries", "6020"),
    ("Supplies", "6030"),
    ("Transport", "6040"),
    ("Repairs", "6050"),
    ("Other", codes::OTHER_EXPENSES),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_every_mapping_points_into_the_chart() {
        let codes: HashSet<_> = ACCOUNTS.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(codes.len(), ACCOUNTS.len());
        for (_, _, account) in PAYMENT_METHODS {
            assert!(codes.contains(account), "{account}");
        }
        for (_, account) in EXPENSE_CATEGORIES {
            let kind = ACCOUNTS.iter().find(|(c, _, _)| c == account).map(|a| a.2);
            assert_eq!(kind, Some(AccountKind::Expense), "{account}");
        }
    }
}
