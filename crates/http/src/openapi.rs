//! The OpenAPI description, generated from the handlers and DTOs.

use crate::routes::{customers, suppliers};
use pos_api::catalog::{products, tax_rates};
use pos_api::ledger::{journal, payments};
use pos_api::reports::sales as report_sales;
use pos_api::users;
mod errors;

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "POS API",
        description = "Point-of-sale backend. Money travels as decimal strings (\"19.99\"), \
            written canonically (`-?(0|[1-9][0-9]*)(\\.[0-9]+)?`, no spaces, leading zeros, \
            bare points or minus zero); errors are RFC 9457 problem+json with a stable `code`; \
            every route but login, refresh, health and the docs needs `Authorization: Bearer \
            <access token>`, and is authorised with the user's current role while the token's \
            login is live.\n\n\
            Ceilings: every amount of a document (a price, a line, a payment, a total) is at most \
            99999999999.99 and every quantity (a line, a lot, a product's stock) at most \
            999999999999.999; so are the totals kept per day (an account's debits or credits on \
            one day, a day's sales per product, seller, customer, tax rate and method), and documents \
            are dated at most twenty years back and one day ahead. A request \
            that would take any figure or total past its ceiling is refused whole with 422 \
            `amount_out_of_range` naming the field.",
        license(name = "GPL-3.0-or-later", identifier = "GPL-3.0-or-later"),
    ),
    // Schemas used only by query parameters are not collected automatically.
    components(schemas(
        pos_api::SortOrder,
        pos_api::transfers::TransferStatusDto,
        pos_api::catalog::LabelSortKey,
        tax_rates::TaxRateSortKey,
        products::ProductSortKey,
        users::UserSortKey,
        journal::PartyKindDto,
        payments::DirectionDto,
        suppliers::SupplierSortKey,
        customers::CustomerSortKey,
        report_sales::ProductRanking,
    )),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Log in, refresh and log out"),
        (name = "users", description = "Staff accounts and roles"),
        (name = "brands"), (name = "categories"), (name = "tax rates"),
        (name = "products", description = "The catalog and product images"),
        (name = "ledger", description = "The books: accounts, journal, payments, expenses, reports"),
        (name = "suppliers", description = "Suppliers, what is owed to them, paying them"),
        (name = "purchases", description = "Receiving goods into FIFO lots, and returns to suppliers"),
        (name = "inventory", description = "Stock, FIFO valuation, the inventory log, adjustments and counts"),
        (name = "customers", description = "Customers, credit limits, what they owe, their payments"),
        (name = "locations", description = "Stores (they have registers and sell) and warehouses (they only hold stock)"),
        (name = "transfers", description = "Stock moved between locations at its cost: created, shipped, received in full or in part, cancelled before shipping"),
        (name = "registers", description = "Tills: each sells with its own gapless invoice series"),
        (name = "cash sessions", description = "A register's drawer from its opening float to the count that closes it: cash in and out, X and Z reports, over and short in the books"),
        (name = "sales", description = "The counter: checkout, held sales, receipts, returns"),
        (name = "reports", description = "Dashboards and reports: every figure summed by the database, with its definition; list reports also answer `Accept: text/csv`"),
        (name = "operations", description = "Health and readiness probes"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("The access_token from POST /api/auth/login"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            crate::auth::signed_links::SCHEME,
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
                crate::auth::signed_links::PARAM,
                "A signed link's signature: the `image_url` of a product carries it, so an \
                 `<img src>` needs no token. It opens that one file until the hour after next.",
            ))),
        );
    }
}

/// Lists every error code in the Problem schema: its `code` is one of the catalogue's, each
/// described with its status and meaning (generated from `pos_domain::code::Code`).
struct ErrorCatalogue;

impl Modify for ErrorCatalogue {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use pos_domain::code::Code;
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
        let mut description =
            "The stable machine-readable code; branch on it, show `detail` to people.\n\n"
                .to_owned();
        for code in Code::ALL {
            let status = crate::problem::status_of(*code).as_u16();
            description.push_str(&format!("- `{code}` ({status}): {}\n", code.meaning()));
        }
        let code = ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(Code::ALL.iter().map(|c| c.as_str())))
            .description(Some(description))
            .build();
        let schemas = &mut openapi
            .components
            .get_or_insert_with(Default::default)
            .schemas;
        if let Some(RefOr::T(Schema::Object(problem))) = schemas.get_mut("Problem") {
            problem.properties.insert("code".to_owned(), code.into());
        }
    }
}

/// The whole document: the shared parts declared here, every operation of the route table, and
/// the error responses the plumbing adds to each (see [`errors`]).
pub fn spec() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::routes::openapi());
    ErrorCatalogue.modify(&mut doc);
    // The error responses are added on the JSON form, where an operation's shape (its security,
    // body and parameters) reads plainly; the result is the same document type again.
    let Ok(mut json) = serde_json::to_value(&doc) else {
        return doc;
    };
    errors::document(&mut json);
    serde_json::from_value(json).unwrap_or(doc)
}

/// The catalogue of error codes as Markdown (docs/errors.md): each code with the status it is
/// answered with and what it means, in catalogue order, generated from `pos_domain::code::Code`.
pub fn error_catalogue_markdown() -> String {
    use pos_domain::code::Code;
    let mut out = String::from(
        "# Error codes\n\n\
         Generated from `pos_domain::code::Code` (`just openapi` rewrites this file; a test fails \
         when it is stale). Every error is an RFC 9457 `application/problem+json` document whose \
         `code` is one of these; branch on the code, show `detail` to people. Codes are never \
         renamed or reused. The spec lists, per status, the codes it can carry \
         (`Problem400`, `Problem409`, ...).\n\n\
         | code | status | meaning |\n|---|---|---|\n",
    );
    for code in Code::ALL {
        let status = crate::problem::status_of(*code);
        out.push_str(&format!(
            "| `{code}` | {} {} | {} |\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or_default(),
            code.meaning().replace('\n', " ").replace('|', "\\|")
        ));
    }
    out
}

/// The spec as pretty JSON with a trailing newline: the form checked in at openapi/openapi.json.
pub fn spec_json() -> Result<String, serde_json::Error> {
    spec().to_pretty_json().map(|mut s| {
        s.push('\n');
        s
    })
}
