use crate::ids::{AccountId, ProductId, PurchaseId, PurchaseLineId, SupplierId, UserId};
use crate::inventory::line_value;
use crate::ledger::money_events::PaymentMethod;
use crate::ledger::{BalancedEntry, EntryDraft, LedgerError, LineDraft, Party, Source, SourceKind};
use crate::money::Money;
use crate::quantity::Quantity;
use crate::text::TextError;
use std::collections::HashSet;
use time::{Date, OffsetDateTime};

/// The supplier's invoice number: 1 to 64 printable characters, unique per supplier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InvoiceNo(String);

impl InvoiceNo {
    pub fn new(raw: &str) -> Result<Self, TextError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(TextError::Empty);
        }
        if value.chars().count() > 64 {
            return Err(TextError::TooLong { max: 64 });
        }
        if value.chars().any(char::is_control) {
            return Err(TextError::Invalid("must not contain control characters"));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseLineDraft {
    pub product_id: ProductId,
    pub quantity: Quantity,
    pub unit_cost: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseDraft {
    pub supplier_id: SupplierId,
    pub invoice_no: InvoiceNo,
    pub date: Date,
    pub lines: Vec<PurchaseLineDraft>,
    /// Paid at receipt, by method. Zero or more.
    pub payments: Vec<(PaymentMethod, Money)>,
    pub note: Option<String>,
    pub user_id: UserId,
    /// Where the goods are received: their lots are there.
    pub location: crate::ids::LocationId,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurchaseError {
    #[error("a purchase needs at least one line")]
    NoLines,
    #[error("line {0}: the quantity must be greater than zero")]
    ZeroQuantity(usize),
    #[error("line {0}: the product is already on another line; put it on one line")]
    DuplicateProduct(usize),
    #[error("payment {0}: the amount must be greater than zero")]
    ZeroPayment(usize),
    #[error("the payments ({paid}) exceed the total ({total})")]
    Overpaid { paid: Money, total: Money },
    /// A line, the total or the payments would leave the range of an amount.
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
}

/// A purchase with its totals worked out and its rules checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedPurchase {
    pub draft: PurchaseDraft,
    /// Each line's quantity x unit cost, rounded half up to the cent.
    pub line_totals: Vec<Money>,
    pub total: Money,
    pub paid: Money,
}

impl PricedPurchase {
    pub fn due(&self) -> Money {
        // Both are in range and not negative, and `price_purchase` refused paid above total:
        // the difference is within `0..=total`, so the fallback is never reached.
        self.total.checked_sub(self.paid).unwrap_or(Money::ZERO)
    }
}

pub fn price_purchase(draft: PurchaseDraft) -> Result<PricedPurchase, PurchaseError> {
    if draft.lines.is_empty() {
        return Err(PurchaseError::NoLines);
    }
    let mut seen = HashSet::new();
    for (i, line) in draft.lines.iter().enumerate() {
        if line.quantity == Quantity::ZERO {
            return Err(PurchaseError::ZeroQuantity(i));
        }
        if !seen.insert(line.product_id) {
            return Err(PurchaseError::DuplicateProduct(i));
        }
    }
    if let Some(i) = draft
        .payments
        .iter()
        .position(|(_, amount)| *amount == Money::ZERO)
    {
        return Err(PurchaseError::ZeroPayment(i));
    }
    let out_of_range = |field: String| PurchaseError::OutOfRange { field };
    let line_totals: Vec<Money> = draft
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            line_value(l.quantity, l.unit_cost)
                .map_err(|_| out_of_range(format!("lines[{i}].unit_cost")))
        })
        .collect::<Result<_, _>>()?;
    let total = Money::checked_sum(line_totals.iter().copied())
        .map_err(|_| out_of_range("lines".to_owned()))?;
    let paid = Money::checked_sum(draft.payments.iter().map(|(_, m)| *m))
        .map_err(|_| out_of_range("payments".to_owned()))?;
    if paid > total {
        return Err(PurchaseError::Overpaid { paid, total });
    }
    Ok(PricedPurchase {
        draft,
        line_totals,
        total,
        paid,
    })
}

/// Dr inventory for the total; Cr each payment's account; Cr payables (the supplier) for the
/// rest. `None` when the purchase is worth nothing (free goods): there is nothing to post.
pub fn purchase_entry(
    p: &PricedPurchase,
    inventory: AccountId,
    payable: AccountId,
    purchase_id: PurchaseId,
) -> Result<Option<BalancedEntry>, LedgerError> {
    if p.total == Money::ZERO {
        return Ok(None);
    }
    let mut lines = vec![LineDraft::debit(inventory, p.total)];
    for (method, amount) in &p.draft.payments {
        lines.push(LineDraft::credit(method.account_id, *amount));
    }
    if p.due() != Money::ZERO {
        lines.push(
            LineDraft::credit(payable, p.due())
                .with_party(Some(Party::Supplier(p.draft.supplier_id))),
        );
    }
    BalancedEntry::new(EntryDraft {
        date: p.draft.date,
        memo: format!("Purchase, invoice {}", p.draft.invoice_no.as_str()),
        source: Source {
            kind: SourceKind::Purchase,
            id: Some(purchase_id.get()),
        },
        user_id: p.draft.user_id,
        lines,
    })
    .map(Some)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseLine {
    pub id: PurchaseLineId,
    pub product_id: ProductId,
    pub quantity: Quantity,
    pub unit_cost: Money,
    pub total: Money,
    /// Units sent back to the supplier so far.
    pub returned: Quantity,
}

/// A stored purchase. Its totals only move through payments and returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    pub id: PurchaseId,
    pub supplier_id: SupplierId,
    pub invoice_no: InvoiceNo,
    pub date: Date,
    pub note: Option<String>,
    pub user_id: UserId,
    pub lines: Vec<PurchaseLine>,
    pub total: Money,
    /// Paid at receipt and by later supplier payments allocated to it.
    pub paid: Money,
    /// Value of goods returned that reduced what is owed.
    pub credited: Money,
    pub created_at: OffsetDateTime,
}

impl Purchase {
    /// What is still owed on this purchase.
    pub fn due(&self) -> Money {
        // Each figure is stored within the range of an amount (and paid and credited never
        // pass the total), so the difference fits 64 bits exactly: `wide_sub` never refuses
        // it, and the fallback is never reached.
        self.total
            .wide_sub(self.paid)
            .and_then(|left| left.wide_sub(self.credited))
            .unwrap_or(Money::ZERO)
    }
}

#[derive(Debug, Clone, Default)]
pub struct PurchaseFilter {
    pub supplier_id: Option<SupplierId>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Only purchases with something still owed.
    pub open_only: bool,
    /// Only purchases with a line of this product.
    pub product_id: Option<ProductId>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PaymentMethodId;
    use crate::ledger::Side;
    use crate::text::Name;

    fn cash() -> PaymentMethod {
        PaymentMethod {
            id: PaymentMethodId::new(1),
            code: "cash".into(),
            name: Name::new("Cash").unwrap(),
            account_id: AccountId::new(10),
            active: true,
        }
    }

    fn draft(payments: Vec<(PaymentMethod, Money)>) -> PurchaseDraft {
        PurchaseDraft {
            location: crate::location::DEFAULT_LOCATION,
            supplier_id: SupplierId::new(5),
            invoice_no: InvoiceNo::new("PO-1").unwrap(),
            date: time::macros::date!(2026 - 11 - 01),
            lines: vec![
                PurchaseLineDraft {
                    product_id: ProductId::new(1),
                    quantity: Quantity::from_thousandths(10_000),
                    unit_cost: Money::from_minor_units(850),
                },
                PurchaseLineDraft {
                    product_id: ProductId::new(2),
                    quantity: Quantity::from_thousandths(1_500),
                    unit_cost: Money::from_minor_units(333),
                },
            ],
            payments,
            note: None,
            user_id: UserId::new(1),
        }
    }

    proptest::proptest! {
        /// Near the limits a purchase is priced exactly or refused as out of range, never
        /// clamped: its total is the exact sum of the exact line values whenever it is accepted.
        #[test]
        fn figures_near_the_limits_are_exact_or_refused(
            lines in proptest::collection::vec(
                (0i64..=crate::quantity::MAX_THOUSANDTHS, 0i64..=crate::money::MAX_MINOR_UNITS),
                1..6,
            )
        ) {
            let mut d = draft(Vec::new());
            d.lines = lines
                .iter()
                .enumerate()
                .map(|(i, (q, c))| PurchaseLineDraft {
                    product_id: ProductId::new(i64::try_from(i).unwrap() + 1),
                    quantity: Quantity::from_thousandths((*q).max(1)),
                    unit_cost: Money::from_minor_units(*c),
                })
                .collect();
            let exact: Vec<i128> = d
                .lines
                .iter()
                .map(|l| {
                    (i128::from(l.quantity.thousandths()) * i128::from(l.unit_cost.minor_units())
                        + 500)
                        / 1000
                })
                .collect();
            let max = i128::from(crate::money::MAX_MINOR_UNITS);
            let fits = exact.iter().all(|v| *v <= max) && exact.iter().sum::<i128>() <= max;
            match price_purchase(d) {
                Ok(priced) => {
                    proptest::prop_assert!(fits);
                    proptest::prop_assert_eq!(
                        i128::from(priced.total.minor_units()),
                        exact.iter().sum::<i128>()
                    );
                }
                Err(PurchaseError::OutOfRange { .. }) => proptest::prop_assert!(!fits),
                Err(other) => proptest::prop_assert!(false, "unexpected {other}"),
            }
        }
    }

    #[test]
    fn a_part_paid_purchase_credits_cash_and_payables() {
        let priced = price_purchase(draft(vec![(cash(), Money::from_minor_units(5_000))])).unwrap();
        assert_eq!(
            priced.line_totals,
            vec![Money::from_minor_units(8_500), Money::from_minor_units(500)]
        );
        assert_eq!(
            (priced.total, priced.due()),
            (
                Money::from_minor_units(9_000),
                Money::from_minor_units(4_000)
            )
        );
        let entry = purchase_entry(
            &priced,
            AccountId::new(12),
            AccountId::new(20),
            PurchaseId::new(3),
        )
        .unwrap()
        .unwrap();
        let lines = &entry.draft().lines;
        assert_eq!(
            (lines[0].account_id, lines[0].side, lines[0].amount),
            (
                AccountId::new(12),
                Side::Debit,
                Money::from_minor_units(9_000)
            )
        );
        assert_eq!(
            (lines[1].account_id, lines[1].amount),
            (AccountId::new(10), Money::from_minor_units(5_000))
        );
        assert_eq!(
            (lines[2].account_id, lines[2].amount, lines[2].party),
            (
                AccountId::new(20),
                Money::from_minor_units(4_000),
                Some(Party::Supplier(SupplierId::new(5)))
            )
        );
    }

    #[test]
    fn overpaying_or_empty_or_duplicate_lines_are_refused() {
        assert!(matches!(
            price_purchase(draft(vec![(cash(), Money::from_minor_units(9_001))])),
            Err(PurchaseError::Overpaid { .. })
        ));
        let mut empty = draft(vec![]);
        empty.lines.clear();
        assert_eq!(price_purchase(empty), Err(PurchaseError::NoLines));
        let mut twice = draft(vec![]);
        twice.lines[1].product_id = ProductId::new(1);
        assert_eq!(
            price_purchase(twice),
            Err(PurchaseError::DuplicateProduct(1))
        );
        let mut zero = draft(vec![]);
        zero.lines[0].quantity = Quantity::ZERO;
        assert_eq!(price_purchase(zero), Err(PurchaseError::ZeroQuantity(0)));
    }
}
