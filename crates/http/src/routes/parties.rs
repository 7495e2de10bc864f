//! What customers and suppliers share over HTTP, written once: the profile (name, phones,
//! email, address, note) with its checks and its view, the active toggle, the search, the
//! products bought, and settling open documents (sales, purchases) with a payment.
//!
//! [`party_routes!`] declares one party's share: its DTOs and handlers, each documented with
//! the party's own words, path and least role. What is each one's own (a customer's details and
//! sales; a supplier's details, dues, history and statement) stays in `customers` and
//! `suppliers`.

use crate::problem::FieldErrors;
use garde::Validate;
use pos_domain::contact::{Address, Phone};
use pos_domain::text::{Email, Name};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A postal address; every part optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressDto {
    #[garde(length(chars, max = 120))]
    #[schema(max_length = 120)]
    pub line1: Option<String>,
    #[garde(length(chars, max = 120))]
    #[schema(max_length = 120)]
    pub line2: Option<String>,
    #[garde(length(chars, max = 120))]
    #[schema(max_length = 120)]
    pub city: Option<String>,
    #[garde(length(chars, max = 120))]
    #[schema(max_length = 120)]
    pub region: Option<String>,
    #[garde(length(chars, max = 120))]
    #[schema(max_length = 120)]
    pub postal_code: Option<String>,
    #[garde(length(chars, max = 120))]
    #[schema(max_length = 120)]
    pub country: Option<String>,
}

impl AddressDto {
    pub fn into_domain(self) -> Address {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        Address {
            line1: clean(self.line1),
            line2: clean(self.line2),
            city: clean(self.city),
            region: clean(self.region),
            postal_code: clean(self.postal_code),
            country: clean(self.country),
        }
    }

    pub fn from_domain(a: Address) -> Self {
        Self {
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            region: a.region,
            postal_code: a.postal_code,
            country: a.country,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActiveInput {
    /// `false` deactivates: the supplier keeps its history but takes no new purchases.
    #[garde(skip)]
    pub active: bool,
}

/// The checked contact fields of a profile (a customer's or a supplier's).
pub struct Contact {
    pub name: Name,
    pub phone: Option<Phone>,
    pub alt_phone: Option<Phone>,
    pub email: Option<Email>,
}

/// Checks a profile's name, phones and email, in that order, recording each bad one.
pub fn check_contact(
    errors: &mut FieldErrors,
    name: &str,
    phone: Option<&str>,
    alt_phone: Option<&str>,
    email: Option<&str>,
) -> Option<Contact> {
    fn given(s: Option<&str>) -> Option<&str> {
        s.map(str::trim).filter(|s| !s.is_empty())
    }
    let name = errors.check("name", Name::new(name));
    let phone = errors.check_opt("phone", given(phone), Phone::new);
    let alt_phone = errors.check_opt("alt_phone", given(alt_phone), Phone::new);
    let email = errors.check_opt("email", given(email), Email::new);
    Some(Contact {
        name: name?,
        phone: phone?,
        alt_phone: alt_phone?,
        email: email?,
    })
}

/// Declares what a customer and a supplier share over HTTP, for one of them: the profile input
/// and view, the list's sort key and parameters, the products view, the payment input and
/// views, and the handlers that list, create, show, update, (de)activate, list the products of
/// and pay a party. The invocation names, in this order:
///
/// - `tag`, `role` (the least role of every route), the party's id, profile, draft, filter,
///   sort and document types, and the five paths (list, item, active, products, payments);
/// - each handler with its doc (the operation's summary), its name and the `App` method it
///   calls; `create` and `update` build their command from the checked draft (and the caller's
///   role), `create` names what its 403 means (`""`: nothing more), and `get` names the party's
///   own details view, made `From` what the `App` method returns;
/// - the DTOs' names, each with what is the party's own: examples and docs, the input's and
///   view's extra fields (after `address`: a checked `field: Type => parse` in the input, a
///   `field: Type = |draft| value` in the view), the products view's count field, the payment's
///   amount example and the field naming the document paid.
///
/// The items are declared in a private module and re-exported, so they are reached as
/// `customers::list_customers` like any other. A `"manager"` party's routes may answer 403 to
/// staff; a `"staff"` party's only where the use case checks the role (create, update).
macro_rules! party_routes {
    (tag: $tag:tt, role: "staff", $($rest:tt)*) => {
        $crate::routes::parties::party_routes! {
            @declare tag: $tag, role: "staff", forbidden: [], $($rest)*
        }
    };
    (tag: $tag:tt, role: "manager", $($rest:tt)*) => {
        $crate::routes::parties::party_routes! {
            @declare tag: $tag, role: "manager", forbidden: [(status = 403, body = Problem),],
            $($rest)*
        }
    };
    (
        @declare tag: $tag:tt, role: $role:tt, forbidden: [$($forbidden:tt)*],
        types: $party:ident, $profile:ident, $draft:ident, $filter:ident, $sort:ident,
            $document:ident;
        paths: $list_path:tt, $item_path:tt, $active_path:tt, $products_path:tt,
            $payments_path:tt;
        $(#[$($list_doc:tt)*])*
        list: $list_op:ident => $list:ident;
        $(#[$($create_doc:tt)*])*
        create: $create_op:ident, refused $refused:tt
            => |$new_draft:ident, $new_role:ident| $create:ident($new:expr);
        $(#[$($get_doc:tt)*])*
        get: $get_op:ident => $details:ident -> $details_view:ident;
        $(#[$($update_doc:tt)*])*
        update: $update_op:ident
            => |$id:ident, $changed:ident, $role_var:ident| $update:ident($change:expr);
        $(#[$($active_doc:tt)*])*
        set_active: $active_op:ident => $set_active:ident;
        $(#[$($products_doc:tt)*])*
        products: $products_op:ident => $products:ident;
        $(#[$($pay_doc:tt)*])*
        pay: $pay_op:ident => $pay:ident;
        input $input:ident {
            $(#[$($name_attr:tt)*])* name,
            $(#[$($phone_attr:tt)*])* phone,
            $($(#[$($x_attr:tt)*])* $x:ident: $x_ty:ty => $x_check:expr,)*
        }
        view $view:ident {
            $(#[$($active_attr:tt)*])* active,
            $($(#[$($v_attr:tt)*])* $v:ident: $v_ty:ty = |$v_draft:ident| $v_value:expr,)*
        }
        $(#[$($sort_doc:tt)*])* sort $sort_key:ident;
        params $params:ident;
        products $product_view:ident { count $count:ident }
        payment $payment_input:ident {
            $(#[$($amount_doc:tt)*])* amount = $amount_example:tt,
            $(#[$($method_doc:tt)*])* method,
            $(#[$($document_doc:tt)*])* $document_field:ident,
        }
        allocation $allocation:ident;
        paid $payment_view:ident { $(#[$($allocations_doc:tt)*])* allocations }
    ) => {
        mod shared {
            use super::*;
            use $crate::auth::Caller;
            use $crate::dto::date::iso_date;
            use $crate::dto::{Body, PageParams, Paged, SortOrder, decimal};
            use $crate::idempotency::{Idempotency, created, reply};
            use $crate::problem::{ApiError, FieldErrors, Problem};
            use pos_api::ledger::journal::{EntryView, entry_view};
            use pos_api::ledger::payments::payment_fields;
            use $crate::routes::parties::{ActiveInput, AddressDto, check_contact};
            use $crate::state::AppState;
            use actix_web::{HttpResponse, web};
            use garde::Validate;
            use pos_domain::app::parties::{SetActive, Settle, Settlement};
            use pos_domain::paging::{ListQuery, PageRequest};
            use pos_domain::text::{Email, optional_text};
            use rust_decimal::Decimal;
            use serde::{Deserialize, Serialize};
            use time::{Date, OffsetDateTime};
            use utoipa::{IntoParams, ToSchema};

            #[derive(Debug, Deserialize, Validate, ToSchema)]
            #[serde(deny_unknown_fields)]
            pub struct $input {
                #[garde(length(chars, min = 1, max = 120))]
                #[schema(min_length = 1, max_length = 120, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$")]
                $(#[$($name_attr)*])*
                pub name: String,
                #[garde(length(chars, max = 32))]
                #[schema(max_length = 32, pattern = "^(\\s*|\\s*(?=(?:[^0-9]*[0-9]){3})[0-9 +().-]{1,32}\\s*)$")]
                $(#[$($phone_attr)*])*
                pub phone: Option<String>,
                #[garde(length(chars, max = 32))]
                #[schema(max_length = 32, pattern = "^(\\s*|\\s*(?=(?:[^0-9]*[0-9]){3})[0-9 +().-]{1,32}\\s*)$")]
                pub alt_phone: Option<String>,
                #[garde(length(chars, max = 254))]
                #[schema(max_length = 254, pattern = "^(\\s*|\\s*[^@\\s\\u0000-\\u001f\\u007f-\\u009f]+@[^@\\s.\\u0000-\\u001f\\u007f-\\u009f][^@\\s\\u0000-\\u001f\\u007f-\\u009f]*\\.[^@\\s\\u0000-\\u001f\\u007f-\\u009f]*[^@\\s.\\u0000-\\u001f\\u007f-\\u009f]\\s*)$")]
                pub email: Option<String>,
                #[serde(default)]
                #[garde(dive)]
                pub address: AddressDto,
                $(
                    $(#[$($x_attr)*])*
                    #[garde(skip)]
                    pub $x: $x_ty,
                )*
                #[garde(length(chars, max = 1000))]
                #[schema(max_length = 1000)]
                pub note: Option<String>,
            }

            impl $input {
                fn into_draft(self) -> Result<$draft, ApiError> {
                    let mut errors = FieldErrors::validated(&self);
                    let contact = check_contact(
                        &mut errors,
                        &self.name,
                        self.phone.as_deref(),
                        self.alt_phone.as_deref(),
                        self.email.as_deref(),
                    );
                    $(let $x = errors.check_opt(stringify!($x), self.$x, $x_check);)*
                    let note = errors.check("note", optional_text(self.note.as_deref(), 1000));
                    let (contact, $($x,)* note) = errors.values((contact, $($x,)* note))?;
                    Ok($draft {
                        name: contact.name,
                        phone: contact.phone,
                        alt_phone: contact.alt_phone,
                        email: contact.email,
                        address: self.address.into_domain(),
                        $($x,)*
                        note,
                    })
                }
            }

            #[derive(Debug, Serialize, ToSchema)]
            pub struct $view {
                pub id: i64,
                pub name: String,
                pub phone: Option<String>,
                pub alt_phone: Option<String>,
                pub email: Option<String>,
                pub address: AddressDto,
                $($(#[$($v_attr)*])* pub $v: $v_ty,)*
                pub note: Option<String>,
                $(#[$($active_attr)*])*
                pub active: bool,
                #[serde(with = "time::serde::rfc3339")]
                #[schema(value_type = String, format = DateTime)]
                pub created_at: OffsetDateTime,
                #[serde(with = "time::serde::rfc3339")]
                #[schema(value_type = String, format = DateTime)]
                pub updated_at: OffsetDateTime,
            }

            impl From<$profile> for $view {
                fn from(p: $profile) -> Self {
                    let d = p.draft;
                    $(let $v = { let $v_draft = &d; $v_value };)*
                    Self {
                        id: p.id.get(),
                        name: d.name.into_inner(),
                        phone: d.phone.map(|p| p.as_str().to_owned()),
                        alt_phone: d.alt_phone.map(|p| p.as_str().to_owned()),
                        email: d.email.map(Email::into_inner),
                        address: AddressDto::from_domain(d.address),
                        $($v,)*
                        note: d.note,
                        active: p.active,
                        created_at: p.created_at,
                        updated_at: p.updated_at,
                    }
                }
            }

            $(#[$($sort_doc)*])*
            #[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
            #[serde(rename_all = "snake_case")]
            pub enum $sort_key {
                #[default]
                Name,
                CreatedAt,
            }

            #[derive(Debug, Deserialize, Validate, IntoParams)]
            #[into_params(parameter_in = Query)]
            pub struct $params {
                /// Search in name, phones and email.
                #[garde(length(chars, max = 100))]
                #[param(max_length = 100)]
                pub q: Option<String>,
                #[garde(skip)]
                pub active: Option<bool>,
                #[garde(skip)]
                pub sort: Option<$sort_key>,
                #[garde(skip)]
                pub order: Option<SortOrder>,
                #[garde(range(min = 1, max = 2147483647))]
                #[param(minimum = 1, maximum = 2147483647)]
                pub page: Option<u32>,
                #[garde(range(min = 1, max = 100))]
                #[param(minimum = 1, maximum = 100)]
                pub per_page: Option<u32>,
            }

            $(#[$($list_doc)*])*
            #[utoipa::path(
                get, path = $list_path, tag = $tag,
                params($params),
                responses((status = 200, body = Paged<$view>), (status = 401, body = Problem), $($forbidden)*),
                security(("bearer" = [$role]))
            )]
            pub async fn $list_op(
                state: web::Data<AppState>,
                _auth: Caller,
                params: web::Query<$params>,
            ) -> Result<web::Json<Paged<$view>>, ApiError> {
                params.validate()?;
                let p = params.into_inner();
                let query = ListQuery {
                    filter: $filter {
                        q: p.q.filter(|q| !q.trim().is_empty()),
                        active: p.active,
                    },
                    sort: match p.sort.unwrap_or_default() {
                        $sort_key::Name => $sort::Name,
                        $sort_key::CreatedAt => $sort::CreatedAt,
                    },
                    order: p.order.unwrap_or_default().into(),
                    page: PageRequest::new(p.page, p.per_page),
                };
                Ok(web::Json(Paged::from_page(
                    state.app.$list(query).await?,
                    $view::from,
                )))
            }

            $(#[$($create_doc)*])*
            #[utoipa::path(
                post, path = $list_path, tag = $tag,
                request_body = $input,
                responses((status = 201, body = $view), (status = 401, body = Problem), (status = 403, description = $refused, body = Problem), (status = 422, body = Problem)),
                security(("bearer" = [$role]))
            )]
            pub async fn $create_op(
                state: web::Data<AppState>,
                auth: Caller,
                body: Body<$input>,
            ) -> Result<HttpResponse, ApiError> {
                let $new_draft = body.into_inner().into_draft()?;
                let $new_role = auth.principal().role;
                let profile = state.app.$create($new).await?;
                Ok(HttpResponse::Created().json($view::from(profile)))
            }

            $(#[$($get_doc)*])*
            #[utoipa::path(
                get, path = $item_path, tag = $tag,
                params(("id" = i64, Path)),
                responses((status = 200, body = $details_view), (status = 401, body = Problem), $($forbidden)* (status = 404, body = Problem)),
                security(("bearer" = [$role]))
            )]
            pub async fn $get_op(
                state: web::Data<AppState>,
                _auth: Caller,
                id: web::Path<i64>,
            ) -> Result<web::Json<$details_view>, ApiError> {
                Ok(web::Json(state.app.$details($party::new(*id)).await?.into()))
            }

            $(#[$($update_doc)*])*
            #[utoipa::path(
                put, path = $item_path, tag = $tag,
                params(("id" = i64, Path)),
                request_body = $input,
                responses((status = 200, body = $view), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
                security(("bearer" = [$role]))
            )]
            pub async fn $update_op(
                state: web::Data<AppState>,
                auth: Caller,
                id: web::Path<i64>,
                body: Body<$input>,
            ) -> Result<web::Json<$view>, ApiError> {
                let $id = $party::new(*id);
                let $changed = body.into_inner().into_draft()?;
                let $role_var = auth.principal().role;
                Ok(web::Json(state.app.$update($change).await?.into()))
            }

            $(#[$($active_doc)*])*
            #[utoipa::path(
                put, path = $active_path, tag = $tag,
                params(("id" = i64, Path)),
                request_body = ActiveInput,
                responses((status = 200, body = $view), (status = 401, body = Problem), $($forbidden)* (status = 404, body = Problem)),
                security(("bearer" = [$role]))
            )]
            pub async fn $active_op(
                state: web::Data<AppState>,
                _auth: Caller,
                id: web::Path<i64>,
                body: Body<ActiveInput>,
            ) -> Result<web::Json<$view>, ApiError> {
                let command = SetActive {
                    party: $party::new(*id),
                    active: body.active,
                };
                Ok(web::Json(state.app.$set_active(command).await?.into()))
            }

            #[derive(Debug, Serialize, ToSchema)]
            pub struct $product_view {
                pub product_id: i64,
                #[schema(value_type = String)]
                pub quantity: Decimal,
                #[schema(value_type = String)]
                pub returned: Decimal,
                #[schema(value_type = String)]
                pub total: Decimal,
                pub $count: u64,
            }

            $(#[$($products_doc)*])*
            #[utoipa::path(
                get, path = $products_path, tag = $tag,
                params(("id" = i64, Path), PageParams),
                responses((status = 200, body = Paged<$product_view>), (status = 401, body = Problem), $($forbidden)* (status = 404, body = Problem)),
                security(("bearer" = [$role]))
            )]
            pub async fn $products_op(
                state: web::Data<AppState>,
                _auth: Caller,
                id: web::Path<i64>,
                page: web::Query<PageParams>,
            ) -> Result<web::Json<Paged<$product_view>>, ApiError> {
                page.validate()?;
                let rows = state.app.$products($party::new(*id)).await?;
                Ok(web::Json(Paged::slice(rows, &page, |r| $product_view {
                    product_id: r.product_id.get(),
                    quantity: r.quantity.value(),
                    returned: r.returned.value(),
                    total: r.total.amount(),
                    $count: r.$count,
                })))
            }

            #[derive(Debug, Deserialize, Validate, ToSchema)]
            #[serde(deny_unknown_fields)]
            pub struct $payment_input {
                $(#[$($amount_doc)*])*
                #[serde(deserialize_with = "decimal::from_str")]
                #[schema(value_type = String, example = $amount_example, pattern = "^(?!0(\\.0+)?$)(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
                #[garde(skip)]
                pub amount: Decimal,
                $(#[$($method_doc)*])*
                #[garde(length(chars, min = 1, max = 32))]
                #[schema(min_length = 1, max_length = 32)]
                pub method: String,
                $(#[$($document_doc)*])*
                #[garde(skip)]
                pub $document_field: Option<i64>,
                #[serde(default, with = "iso_date::option")]
                #[schema(value_type = Option<String>, format = Date)]
                #[garde(skip)]
                pub date: Option<Date>,
                #[garde(length(chars, max = 100))]
                #[schema(max_length = 100)]
                pub reference: Option<String>,
                #[garde(length(chars, max = 500))]
                #[schema(max_length = 500)]
                pub note: Option<String>,
            }

            #[derive(Debug, Serialize, ToSchema)]
            pub struct $allocation {
                pub $document_field: i64,
                #[schema(value_type = String)]
                pub amount: Decimal,
            }

            #[derive(Debug, Serialize, ToSchema)]
            pub struct $payment_view {
                pub payment_id: i64,
                #[schema(value_type = String)]
                pub amount: Decimal,
                $(#[$($allocations_doc)*])*
                pub allocations: Vec<$allocation>,
                pub entry: EntryView,
            }

            $(#[$($pay_doc)*])*
            #[utoipa::path(
                post, path = $payments_path, tag = $tag,
                params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
                request_body = $payment_input,
                responses(
                    (status = 201, body = $payment_view),
                    (status = 401, body = Problem), $($forbidden)* (status = 404, body = Problem),
                    (status = 409, description = "More than is owed", body = Problem), (status = 422, body = Problem),
                ),
                security(("bearer" = [$role]))
            )]
            pub async fn $pay_op(
                state: web::Data<AppState>,
                auth: Caller,
                idempotency: Idempotency,
                id: web::Path<i64>,
                body: Body<$payment_input>,
            ) -> Result<HttpResponse, ApiError> {
                let errors = FieldErrors::validated(&*body);
                let (amount, reference, note) = payment_fields(
                    errors,
                    body.amount,
                    body.reference.as_deref(),
                    body.note.as_deref(),
                )?;
                let command = Settle {
                    party: $party::new(*id),
                    amount,
                    method: body.method.clone(),
                    document: body.$document_field.map($document::new),
                    date: body.date,
                    reference,
                    note,
                    user: auth.principal().user_id,
                };
                let render = created(render_payment);
                let once = idempotency.once(command.user, body.canonical(), &render);
                Ok(reply(state.app.$pay(command, once).await?))
            }

            /// A payment with the documents it paid and the entry it posted.
            fn render_payment(paid: &Settlement<$document>) -> Result<$payment_view, ApiError> {
                Ok($payment_view {
                    payment_id: paid.payment.id.get(),
                    amount: paid.payment.amount.amount(),
                    allocations: paid
                        .allocations
                        .iter()
                        .map(|(document, m)| $allocation {
                            $document_field: document.get(),
                            amount: m.amount(),
                        })
                        .collect(),
                    entry: entry_view(paid.posted.entry.clone(), &paid.posted.accounts)?,
                })
            }
        }

        pub use shared::*;
    };
}

pub(crate) use party_routes;
