//! Brands and categories: the same shape and rules, so one implementation serves both.

use crate::dto::Body;
use crate::dto::Paged;
use crate::problem::ApiError;
use garde::Validate;
use pos_api::catalog::LabelListParams;
use pos_api::catalog::labels::*;
use pos_domain::app::catalog::UpdateLabel;

/// Declares the five handlers of a label resource (list, create, get, update, delete), each a
/// thin documented wrapper over the application's use cases named.
macro_rules! label_routes {
    (
        module: $module:ident, tag: $tag:tt, what: $what:tt, id: $id:ty,
        list_path: $list_path:tt, item_path: $item_path:tt,
        ops: [$list_op:ident, $create_op:ident, $get_op:ident, $update_op:ident, $delete_op:ident],
        app: [$list:ident, $insert:ident, $find:ident, $update:ident, $delete:ident]
    ) => {
        pub mod $module {
            use super::*;

            crate::routes::table::module_operations! {
                $list_op, $create_op, $get_op, $update_op, $delete_op,
            }
            use crate::auth::Caller;
            use crate::problem::Problem;
            use crate::state::AppState;
            use actix_web::{HttpResponse, web};

            #[doc = concat!("List ", $tag, ".")]
            #[utoipa::path(
                get, path = $list_path, tag = $tag,
                params(LabelListParams),
                responses((status = 200, body = Paged<LabelView>), (status = 401, body = Problem)),
                security(("bearer" = ["staff"]))
            )]
            pub async fn $list_op(
                state: web::Data<AppState>,
                _auth: Caller,
                params: web::Query<LabelListParams>,
            ) -> Result<web::Json<Paged<LabelView>>, ApiError> {
                params.validate()?;
                let query = params.into_inner().into_query(label_sort);
                Ok(web::Json(paged(state.app.$list(query).await?)))
            }

            #[doc = concat!("Create a ", $what, ". Managers and admins.")]
            #[utoipa::path(
                post, path = $list_path, tag = $tag,
                request_body = LabelInput,
                responses(
                    (status = 201, body = LabelView),
                    (status = 401, body = Problem), (status = 403, body = Problem),
                    (status = 409, description = "Name taken", body = Problem),
                    (status = 422, body = Problem),
                ),
                security(("bearer" = ["manager"]))
            )]
            pub async fn $create_op(
                state: web::Data<AppState>,
                _auth: Caller,
                body: Body<LabelInput>,
            ) -> Result<HttpResponse, ApiError> {
                let draft = body.into_inner().into_draft()?;
                let label = state.app.$insert(draft).await?;
                Ok(HttpResponse::Created().json(LabelView::from(label)))
            }

            #[doc = concat!("One ", $what, ".")]
            #[utoipa::path(
                get, path = $item_path, tag = $tag,
                params(("id" = i64, Path)),
                responses((status = 200, body = LabelView), (status = 401, body = Problem), (status = 404, body = Problem)),
                security(("bearer" = ["staff"]))
            )]
            pub async fn $get_op(
                state: web::Data<AppState>,
                _auth: Caller,
                id: web::Path<i64>,
            ) -> Result<web::Json<LabelView>, ApiError> {
                let label = state.app.$find(<$id>::new(*id)).await?;
                Ok(web::Json(label.into()))
            }

            #[doc = concat!("Replace a ", $what, "'s name and description. Managers and admins.")]
            #[utoipa::path(
                put, path = $item_path, tag = $tag,
                params(("id" = i64, Path)),
                request_body = LabelInput,
                responses(
                    (status = 200, body = LabelView),
                    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
                    (status = 409, description = "Name taken", body = Problem),
                    (status = 422, body = Problem),
                ),
                security(("bearer" = ["manager"]))
            )]
            pub async fn $update_op(
                state: web::Data<AppState>,
                _auth: Caller,
                id: web::Path<i64>,
                body: Body<LabelInput>,
            ) -> Result<web::Json<LabelView>, ApiError> {
                let draft = body.into_inner().into_draft()?;
                let command = UpdateLabel { id: <$id>::new(*id), draft };
                let label = state.app.$update(command).await?;
                Ok(web::Json(label.into()))
            }

            #[doc = concat!("Delete a ", $what, " that no product uses. Managers and admins.")]
            #[utoipa::path(
                delete, path = $item_path, tag = $tag,
                params(("id" = i64, Path)),
                responses(
                    (status = 204, description = "Deleted"),
                    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
                    (status = 409, description = "Products still use it", body = Problem),
                ),
                security(("bearer" = ["manager"]))
            )]
            pub async fn $delete_op(
                state: web::Data<AppState>,
                _auth: Caller,
                id: web::Path<i64>,
            ) -> Result<HttpResponse, ApiError> {
                state.app.$delete(<$id>::new(*id)).await?;
                Ok(HttpResponse::NoContent().finish())
            }
        }
    };
}

label_routes! {
    module: brands, tag: "brands", what: "brand", id: pos_domain::ids::BrandId,
    list_path: "/api/brands", item_path: "/api/brands/{id}",
    ops: [list_brands, create_brand, get_brand, update_brand, delete_brand],
    app: [brands, create_brand, brand, update_brand, delete_brand]
}

label_routes! {
    module: categories, tag: "categories", what: "category", id: pos_domain::ids::CategoryId,
    list_path: "/api/categories", item_path: "/api/categories/{id}",
    ops: [list_categories, create_category, get_category, update_category, delete_category],
    app: [categories, create_category, category, update_category, delete_category]
}
