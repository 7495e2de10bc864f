//! Held sales: parked carts completed later.
//!
//! A held sale is a cart saved at the counter with no stock taken and nothing posted. It is
//! completed by [`App::checkout`] with [`crate::app::sales::Cart::Held`] (priced again from
//! today's catalog) or discarded.

use crate::app::{App, AppResult};
use crate::ids::{CustomerId, HeldSaleId, UserId};
use crate::money::Money;
use crate::ports::{SalesRepo, Tx};
use crate::sales::Discount;
use crate::sales::held::{HeldLine, HeldSale, NewHeldSale};
use crate::services::ServiceError;
use crate::services::error::Refusal;
use crate::user::Role;

/// Hold a cart as it is.
#[derive(Debug, Clone)]
pub struct HoldSale {
    pub customer: Option<CustomerId>,
    pub lines: Vec<HeldLine>,
    pub order_discount: Option<Discount>,
    pub note: Option<String>,
    pub user: UserId,
    /// The caller's role: a price override needs a manager.
    pub role: Role,
}

/// A held sale with the unit price each line would be charged if it were completed now,
/// before discounts and as labelled on the shelf: the manager's override, or today's catalog
/// price (`None` when the product no longer exists). Completion prices it again anyway.
#[derive(Debug, Clone)]
pub struct HeldCart {
    pub sale: HeldSale,
    pub unit_prices: Vec<Option<Money>>,
}

/// Looks up today's prices of a held sale's lines.
async fn priced(tx: &mut dyn Tx, sale: HeldSale) -> AppResult<HeldCart> {
    let mut unit_prices = Vec::with_capacity(sale.lines.len());
    for line in &sale.lines {
        let price = match line.unit_price {
            Some(price) => Some(price),
            None => tx
                .find_product(line.product_id)
                .await?
                .map(|p| p.draft.price),
        };
        unit_prices.push(price);
    }
    Ok(HeldCart { sale, unit_prices })
}

impl App {
    /// Holds a cart: saved as is, with no stock taken and nothing posted. Refused (403) when a
    /// line overrides the price and the caller is below manager; 422 on `customer_id` when the
    /// customer does not exist.
    pub async fn hold_sale(&self, command: HoldSale) -> AppResult<HeldCart> {
        if command.lines.iter().any(|l| l.unit_price.is_some())
            && !command.role.at_least(Role::Manager)
        {
            return Err(ServiceError::Forbidden(
                "Overriding a price needs the manager role or higher.".to_owned(),
            ));
        }
        let held = NewHeldSale {
            customer_id: command.customer,
            user_id: command.user,
            lines: command.lines,
            order_discount: command.order_discount,
            note: command.note,
            created_at: self.now(),
        };
        self.write(async |tx| {
            if let Some(customer) = held.customer_id
                && tx.find_customer(customer).await?.is_none()
            {
                return Err(ServiceError::invalid("customer_id", "no such customer"));
            }
            let held = tx.insert_held_sale(held).await?;
            priced(tx, held).await
        })
        .await
    }

    /// Every held sale, newest first, with today's prices.
    pub async fn held_sales(&self) -> AppResult<Vec<HeldCart>> {
        self.read(async |tx| {
            let held = tx.list_held_sales(None).await?;
            let mut carts = Vec::with_capacity(held.len());
            for sale in held {
                carts.push(priced(tx, sale).await?);
            }
            Ok(carts)
        })
        .await
    }

    /// One held sale with today's prices; 404 when there is none (completed, discarded or
    /// never held).
    pub async fn held_sale(&self, id: HeldSaleId) -> AppResult<HeldCart> {
        self.read(async |tx| {
            let sale = tx
                .find_held_sale(id)
                .await?
                .ok_or(ServiceError::NotFound("held sale"))?;
            priced(tx, sale).await
        })
        .await
    }

    /// Discards a held sale; 404 when there is none.
    pub async fn discard_held_sale(&self, id: HeldSaleId) -> AppResult<()> {
        self.write(async |tx| {
            if !tx.delete_held_sale(id).await? {
                return Err(ServiceError::NotFound("held sale"));
            }
            Ok(())
        })
        .await
    }
}

/// Takes a held sale off the shelf to complete it, in the completing transaction: 404 when
/// there is none, or when another till took it first (the delete decides).
pub(crate) async fn take_held<T: SalesRepo + ?Sized>(
    tx: &mut T,
    id: HeldSaleId,
) -> Result<HeldSale, Refusal> {
    let held = tx
        .find_held_sale(id)
        .await?
        .ok_or(Refusal::NotFound("held sale"))?;
    if !tx.delete_held_sale(id).await? {
        return Err(Refusal::NotFound("held sale"));
    }
    Ok(held)
}
