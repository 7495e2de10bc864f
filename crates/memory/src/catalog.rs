use crate::MemoryTx;
use crate::state::ordered;
use async_trait::async_trait;
use pos_domain::catalog::{
    Brand, Category, Label, LabelDraft, LabelSort, Product, ProductDraft, ProductFilter,
    ProductSort, TaxRate, TaxRateDraft, TaxRateSort,
};
use pos_domain::error::{Referenced, StoreError, Unique};
use pos_domain::ids::{BrandId, CategoryId, ProductId, TaxRateId};
use pos_domain::paging::{ListQuery, Page, matches_search};
use pos_domain::ports::CatalogRepo;
use pos_domain::ports::catalog::NameSearch;
use pos_domain::quantity::Quantity;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// Inserts (id `None`) or replaces a brand or category, enforcing the unique name.
fn save_label<Id: Copy + PartialEq>(
    labels: &mut BTreeMap<i64, Label<Id>>,
    raw_id: i64,
    id: Id,
    draft: LabelDraft,
    at: OffsetDateTime,
    unique: Unique,
) -> Result<Label<Id>, StoreError> {
    if labels
        .values()
        .any(|l| l.id != id && l.name.key() == draft.name.key())
    {
        return Err(StoreError::Duplicate(unique));
    }
    let created_at = labels.get(&raw_id).map_or(at, |l| l.created_at);
    let label = Label {
        id,
        name: draft.name,
        description: draft.description,
        created_at,
        updated_at: at,
    };
    labels.insert(raw_id, label.clone());
    Ok(label)
}

fn list_labels<Id: Clone>(
    labels: &BTreeMap<i64, Label<Id>>,
    query: &ListQuery<NameSearch, LabelSort>,
) -> Page<Label<Id>> {
    let mut rows: Vec<(i64, Label<Id>)> = labels
        .iter()
        .filter(|(_, l)| {
            query
                .filter
                .as_deref()
                .is_none_or(|q| matches_search(q, &[l.name.as_str()]))
        })
        .map(|(id, l)| (*id, l.clone()))
        .collect();
    rows.sort_by(|(ia, a), (ib, b)| {
        let key = |l: &Label<Id>| match query.sort {
            LabelSort::Name => (l.name.as_str().to_lowercase(), None),
            LabelSort::CreatedAt => (String::new(), Some(l.created_at)),
        };
        ordered(query.order, (key(a), *ia), (key(b), *ib))
    });
    Page::slice(rows.into_iter().map(|(_, l)| l).collect(), query.page)
}

impl MemoryTx {
    fn referenced_by_products(
        &self,
        pick: impl Fn(&ProductDraft) -> bool,
    ) -> Result<(), StoreError> {
        if self.staged.products.values().any(|p| pick(&p.draft)) {
            return Err(StoreError::InUse(Referenced::ByProducts));
        }
        Ok(())
    }

    fn check_product(&self, id: Option<ProductId>, draft: &ProductDraft) -> Result<(), StoreError> {
        let refs_exist = [
            (
                "brand_id",
                draft
                    .brand_id
                    .is_none_or(|b| self.staged.brands.contains_key(&b.get())),
            ),
            (
                "category_id",
                draft
                    .category_id
                    .is_none_or(|c| self.staged.categories.contains_key(&c.get())),
            ),
            (
                "tax_rate_id",
                draft
                    .tax_rate_id
                    .is_none_or(|t| self.staged.tax_rates.contains_key(&t.get())),
            ),
        ];
        if let Some((field, _)) = refs_exist.iter().find(|(_, exists)| !exists) {
            return Err(StoreError::MissingReference(field));
        }
        for other in self.staged.products.values().filter(|p| Some(p.id) != id) {
            if other.draft.sku == draft.sku {
                return Err(StoreError::Duplicate(Unique::ProductSku));
            }
            if draft.barcode.is_some() && other.draft.barcode == draft.barcode {
                return Err(StoreError::Duplicate(Unique::ProductBarcode));
            }
        }
        Ok(())
    }

    fn existing_product(&self, id: ProductId) -> Result<Product, StoreError> {
        self.staged
            .products
            .get(&id.get())
            .cloned()
            .ok_or(StoreError::NotFound)
    }
}

#[async_trait]
impl CatalogRepo for MemoryTx {
    async fn insert_brand(
        &mut self,
        draft: LabelDraft,
        at: OffsetDateTime,
    ) -> Result<Brand, StoreError> {
        let raw = self.staged.next_id();
        save_label(
            &mut self.staged.brands,
            raw,
            BrandId::new(raw),
            draft,
            at,
            Unique::BrandName,
        )
    }

    async fn find_brand(&mut self, id: BrandId) -> Result<Option<Brand>, StoreError> {
        Ok(self.staged.brands.get(&id.get()).cloned())
    }

    async fn update_brand(
        &mut self,
        id: BrandId,
        draft: LabelDraft,
        at: OffsetDateTime,
    ) -> Result<Brand, StoreError> {
        if !self.staged.brands.contains_key(&id.get()) {
            return Err(StoreError::NotFound);
        }
        save_label(
            &mut self.staged.brands,
            id.get(),
            id,
            draft,
            at,
            Unique::BrandName,
        )
    }

    async fn delete_brand(&mut self, id: BrandId) -> Result<(), StoreError> {
        self.referenced_by_products(|p| p.brand_id == Some(id))?;
        self.staged
            .brands
            .remove(&id.get())
            .map(drop)
            .ok_or(StoreError::NotFound)
    }

    async fn list_brands(
        &mut self,
        query: &ListQuery<NameSearch, LabelSort>,
    ) -> Result<Page<Brand>, StoreError> {
        Ok(list_labels(&self.staged.brands, query))
    }

    async fn insert_category(
        &mut self,
        draft: LabelDraft,
        at: OffsetDateTime,
    ) -> Result<Category, StoreError> {
        let raw = self.staged.next_id();
        save_label(
            &mut self.staged.categories,
            raw,
            CategoryId::new(raw),
            draft,
            at,
            Unique::CategoryName,
        )
    }

    async fn find_category(&mut self, id: CategoryId) -> Result<Option<Category>, StoreError> {
        Ok(self.staged.categories.get(&id.get()).cloned())
    }

    async fn update_category(
        &mut self,
        id: CategoryId,
        draft: LabelDraft,
        at: OffsetDateTime,
    ) -> Result<Category, StoreError> {
        if !self.staged.categories.contains_key(&id.get()) {
            return Err(StoreError::NotFound);
        }
        save_label(
            &mut self.staged.categories,
            id.get(),
            id,
            draft,
            at,
            Unique::CategoryName,
        )
    }

    async fn delete_category(&mut self, id: CategoryId) -> Result<(), StoreError> {
        self.referenced_by_products(|p| p.category_id == Some(id))?;
        self.staged
            .categories
            .remove(&id.get())
            .map(drop)
            .ok_or(StoreError::NotFound)
    }

    async fn list_categories(
        &mut self,
        query: &ListQuery<NameSearch, LabelSort>,
    ) -> Result<Page<Category>, StoreError> {
        Ok(list_labels(&self.staged.categories, query))
    }

    async fn insert_tax_rate(
        &mut self,
        draft: TaxRateDraft,
        at: OffsetDateTime,
    ) -> Result<TaxRate, StoreError> {
        self.staged.static_version += 1;
        let id = TaxRateId::new(self.staged.next_id());
        self.save_tax_rate(id, draft, at, at)
    }

    async fn find_tax_rate(&mut self, id: TaxRateId) -> Result<Option<TaxRate>, StoreError> {
        Ok(self.staged.tax_rates.get(&id.get()).cloned())
    }

    async fn update_tax_rate(
        &mut self,
        id: TaxRateId,
        draft: TaxRateDraft,
        at: OffsetDateTime,
    ) -> Result<TaxRate, StoreError> {
        self.staged.static_version += 1;
        let created_at = self
            .staged
            .tax_rates
            .get(&id.get())
            .ok_or(StoreError::NotFound)?
            .created_at;
        self.save_tax_rate(id, draft, created_at, at)
    }

    async fn delete_tax_rate(&mut self, id: TaxRateId) -> Result<(), StoreError> {
        self.staged.static_version += 1;
        self.referenced_by_products(|p| p.tax_rate_id == Some(id))?;
        self.staged
            .tax_rates
            .remove(&id.get())
            .map(drop)
            .ok_or(StoreError::NotFound)
    }

    async fn list_tax_rates(
        &mut self,
        query: &ListQuery<NameSearch, TaxRateSort>,
    ) -> Result<Page<TaxRate>, StoreError> {
        let mut rates: Vec<TaxRate> = self
            .staged
            .tax_rates
            .values()
            .filter(|t| {
                query
                    .filter
                    .as_deref()
                    .is_none_or(|q| matches_search(q, &[t.name.as_str()]))
            })
            .cloned()
            .collect();
        rates.sort_by(|a, b| {
            let key = |t: &TaxRate| match query.sort {
                TaxRateSort::Name => (t.name.as_str().to_lowercase(), None),
                TaxRateSort::Rate => (String::new(), Some(t.rate)),
            };
            ordered(query.order, (key(a), a.id.get()), (key(b), b.id.get()))
        });
        Ok(Page::slice(rates, query.page))
    }

    async fn insert_product(
        &mut self,
        draft: ProductDraft,
        at: OffsetDateTime,
    ) -> Result<Product, StoreError> {
        self.check_product(None, &draft)?;
        let product = Product {
            id: ProductId::new(self.staged.next_id()),
            draft,
            image: None,
            stock_on_hand: Quantity::ZERO,
            created_at: at,
            updated_at: at,
        };
        self.staged
            .products
            .insert(product.id.get(), product.clone());
        Ok(product)
    }

    async fn find_product(&mut self, id: ProductId) -> Result<Option<Product>, StoreError> {
        Ok(self.staged.products.get(&id.get()).cloned())
    }

    async fn find_product_by_barcode(
        &mut self,
        barcode: &str,
    ) -> Result<Option<Product>, StoreError> {
        let found = self.staged.products.values().find(|p| {
            p.draft
                .barcode
                .as_ref()
                .is_some_and(|b| b.as_str() == barcode)
        });
        Ok(found.cloned())
    }

    async fn update_product(
        &mut self,
        id: ProductId,
        draft: ProductDraft,
        at: OffsetDateTime,
    ) -> Result<Product, StoreError> {
        let mut product = self.existing_product(id)?;
        self.check_product(Some(id), &draft)?;
        product.draft = draft;
        product.updated_at = at;
        self.staged.products.insert(id.get(), product.clone());
        Ok(product)
    }

    async fn set_product_image(
        &mut self,
        id: ProductId,
        image: Option<String>,
        at: OffsetDateTime,
    ) -> Result<Product, StoreError> {
        let mut product = self.existing_product(id)?;
        product.image = image;
        product.updated_at = at;
        self.staged.products.insert(id.get(), product.clone());
        Ok(product)
    }

    async fn list_products(
        &mut self,
        query: &ListQuery<ProductFilter, ProductSort>,
    ) -> Result<Page<Product>, StoreError> {
        let f = &query.filter;
        let mut products: Vec<Product> = self
            .staged
            .products
            .values()
            .filter(|p| {
                let d = &p.draft;
                let barcode = d.barcode.as_ref().map_or("", |b| b.as_str());
                f.q.as_deref()
                    .is_none_or(|q| matches_search(q, &[d.name.as_str(), d.sku.as_str(), barcode]))
                    && f.brand_id.is_none_or(|b| d.brand_id == Some(b))
                    && f.category_id.is_none_or(|c| d.category_id == Some(c))
                    && f.tax_rate_id.is_none_or(|t| d.tax_rate_id == Some(t))
                    && f.status.is_none_or(|s| d.status == s)
                    && (!f.low_stock || p.stock_on_hand <= d.reorder_level)
            })
            .cloned()
            .collect();
        products.sort_by(|a, b| {
            // Money and quantities sort by their exact integer encodings.
            let key = |p: &Product| match query.sort {
                ProductSort::Name => (p.draft.name.as_str().to_lowercase(), 0, None),
                ProductSort::Sku => (p.draft.sku.as_str().to_owned(), 0, None),
                ProductSort::Price => (String::new(), p.draft.price.minor_units(), None),
                ProductSort::Stock => (String::new(), p.stock_on_hand.thousandths(), None),
                ProductSort::CreatedAt => (String::new(), 0, Some(p.created_at)),
            };
            ordered(query.order, (key(a), a.id.get()), (key(b), b.id.get()))
        });
        Ok(Page::slice(products, query.page))
    }
}

impl MemoryTx {
    fn save_tax_rate(
        &mut self,
        id: TaxRateId,
        draft: TaxRateDraft,
        created_at: OffsetDateTime,
        at: OffsetDateTime,
    ) -> Result<TaxRate, StoreError> {
        if self
            .staged
            .tax_rates
            .values()
            .any(|t| t.id != id && t.name.key() == draft.name.key())
        {
            return Err(StoreError::Duplicate(Unique::TaxRateName));
        }
        let rate = TaxRate {
            id,
            name: draft.name,
            rate: draft.rate,
            mode: draft.mode,
            created_at,
            updated_at: at,
        };
        self.staged.tax_rates.insert(id.get(), rate.clone());
        Ok(rate)
    }
}
