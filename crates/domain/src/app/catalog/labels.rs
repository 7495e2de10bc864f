//! Brands and categories: the same shape and rules, so one declaration serves both.

use crate::app::{App, AppResult};
use crate::catalog::{Brand, Category, LabelDraft, LabelSort};
use crate::ids::{BrandId, CategoryId};
use crate::paging::{ListQuery, Page};
use crate::ports::catalog::NameSearch;
use crate::services::ServiceError;

/// Replace a brand's or category's name and description.
#[derive(Debug, Clone)]
pub struct UpdateLabel<Id> {
    pub id: Id,
    pub draft: LabelDraft,
}

/// Declares the five use cases of a label (list, one, create, update, delete) over the store
/// methods named.
macro_rules! label_use_cases {
    (
        what: $what:tt, id: $id:ty, label: $label:ty,
        app: [$list_op:ident, $get_op:ident, $create_op:ident, $update_op:ident, $delete_op:ident],
        store: [$list:ident, $find:ident, $insert:ident, $update:ident, $delete:ident]
    ) => {
        impl App {
            #[doc = concat!("Every ", $what, " whose name matches the search, sorted and paged.")]
            pub async fn $list_op(
                &self,
                query: ListQuery<NameSearch, LabelSort>,
            ) -> AppResult<Page<$label>> {
                self.read(async |tx| Ok(tx.$list(&query).await?)).await
            }

            #[doc = concat!("One ", $what, ". Refuses: 404 `", $what, "`.")]
            pub async fn $get_op(&self, id: $id) -> AppResult<$label> {
                self.read(async |tx| tx.$find(id).await?.ok_or(ServiceError::NotFound($what)))
                    .await
            }

            #[doc = concat!("Creates a ", $what, ". Refuses: a taken name (`Duplicate`).")]
            pub async fn $create_op(&self, draft: LabelDraft) -> AppResult<$label> {
                let now = self.now();
                self.write(async |tx| Ok(tx.$insert(draft, now).await?))
                    .await
            }

            #[doc = concat!(
                        "Replaces a ", $what, "'s name and description. Refuses: 404 `", $what,
                        "`, a taken name."
                    )]
            pub async fn $update_op(&self, command: UpdateLabel<$id>) -> AppResult<$label> {
                let now = self.now();
                self.write(async |tx| {
                    tx.$update(command.id, command.draft, now)
                        .await
                        .map_err(super::missing($what))
                })
                .await
            }

            #[doc = concat!(
                        "Deletes a ", $what, " no product uses. Refuses: 404 `", $what,
                        "`, products still using it (`InUse`)."
                    )]
            pub async fn $delete_op(&self, id: $id) -> AppResult<()> {
                self.write(async |tx| tx.$delete(id).await.map_err(super::missing($what)))
                    .await
            }
        }
    };
}

label_use_cases! {
    what: "brand", id: BrandId, label: Brand,
    app: [brands, brand, create_brand, update_brand, delete_brand],
    store: [list_brands, find_brand, insert_brand, update_brand, delete_brand]
}

label_use_cases! {
    what: "category", id: CategoryId, label: Category,
    app: [categories, category, create_category, update_category, delete_category],
    store: [list_categories, find_category, insert_category, update_category, delete_category]
}
