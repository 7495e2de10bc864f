//! The route table: mounts every operation the route modules list (see `routes.rs`) at the
//! method and path its `#[utoipa::path]` declares, behind the guard its `bearer` scope asks for.
//!
//! A route is thus declared once, on its handler: the app, the OpenAPI document and the guard
//! test all read the same declaration, so a route cannot be served undocumented, documented
//! unserved, or mounted without its guard.

use crate::auth::guard::authorise;
use crate::auth::rate_limit::LoginLimit;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_governor::Governor;
use actix_web::Route;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::{Next, from_fn};
use actix_web::web::{self, ServiceConfig};
use actix_web::{Error, HttpMessage};
use pos_domain::code::Code;
use pos_domain::user::Role;
use std::rc::Rc;

/// How to mount one handler on a route, by its operation id.
pub(crate) type Handler = (&'static str, fn(Route) -> Route);

/// Declares the operations of one module, at its end, in mount order: their OpenAPI paths
/// (`Operations`) and how to mount each handler (`handlers`). `routes.rs` lists the modules.
macro_rules! module_operations {
    ($($handler:ident),* $(,)?) => {
        /// The OpenAPI paths of this module's operations (merged by `routes::openapi`).
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($handler),*))]
        pub struct Operations;

        /// Each operation's id (its handler's name) and how to mount its handler on a route.
        pub(crate) fn handlers() -> Vec<$crate::routes::table::Handler> {
            vec![$((
                stringify!($handler),
                |route: actix_web::Route| route.to($handler),
            )),*]
        }
    };
}
pub(crate) use module_operations;

/// Declares the API's operations from its modules, in mount order: the OpenAPI paths of them
/// all (`openapi`) and every handler (`handlers`).
macro_rules! modules {
    ($($module:ident),* $(,)?) => {
        /// The OpenAPI paths of every operation (merged into the document by `openapi::spec`).
        pub fn openapi() -> utoipa::openapi::OpenApi {
            use utoipa::OpenApi as _;
            let mut doc = utoipa::openapi::OpenApiBuilder::new().build();
            $(doc.merge($module::Operations::openapi());)*
            doc
        }

        /// Every handler, in mount order.
        pub(crate) fn handlers() -> Vec<table::Handler> {
            let mut all = Vec::new();
            $(all.extend($module::handlers());)*
            all
        }
    };
}
pub(crate) use modules;

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: login, refresh, health.
    Public,
    /// A live login whose user holds at least this role now.
    AtLeast(Role),
    /// Such a login, or a signed link to the very file (`?sig=`, stored media only).
    AtLeastOrSignedLink(Role),
}

/// One operation as mounted.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: &'static str,
    pub method: Method,
    /// As the spec writes it (`/api/users/{id}`).
    pub path: String,
    pub access: Access,
    mount: fn(Route) -> Route,
}

/// Routes whose path parameter spans segments: the spec writes `{key}`, the router needs a
/// pattern that matches slashes too.
const MULTI_SEGMENT: &[(&str, &str)] = &[("/api/media/{key}", "/api/media/{key:.+}")];

/// Routes behind the per-address login flood guard.
const LOGIN_LIMITED: &[&str] = &["/api/auth/login"];

/// Every operation, in mount order, with the method, path and access its handler declares.
/// Fails (at start-up, and in the tests) if a handler's declaration cannot be read.
pub fn operations() -> Result<Vec<Operation>, String> {
    let spec = serde_json::to_value(super::openapi()).map_err(|e| e.to_string())?;
    let paths = spec["paths"].as_object().ok_or("the spec has no paths")?;
    super::handlers()
        .into_iter()
        .map(|(id, mount)| {
            let (path, method, op) = paths
                .iter()
                .flat_map(|(path, item)| {
                    let ops = item.as_object().into_iter().flatten();
                    ops.map(move |(method, op)| (path, method, op))
                })
                .find(|(_, _, op)| op["operationId"] == id)
                .ok_or_else(|| format!("{id} is mounted but has no #[utoipa::path]"))?;
            Ok(Operation {
                id,
                method: method
                    .to_uppercase()
                    .parse()
                    .map_err(|_| format!("{id}: unknown method {method}"))?,
                path: path.clone(),
                access: access_of(id, op)?,
                mount,
            })
        })
        .collect()
}

/// The least role in an operation's `bearer` scope; public with an empty requirement
/// (`security(())`). Every operation says which, so none inherits a default by accident.
fn access_of(id: &str, op: &serde_json::Value) -> Result<Access, String> {
    let requirement = &op["security"][0];
    if requirement.as_object().is_some_and(|r| r.is_empty()) {
        return Ok(Access::Public);
    }
    let scope = requirement["bearer"][0].as_str().ok_or_else(|| {
        format!(
            "{id}: declare security(()) for a public route, else its least role: \
                     security((\"bearer\" = [\"staff\"]))"
        )
    })?;
    let role = scope
        .parse::<Role>()
        .map_err(|_| format!("{id}: {scope} is not a role"))?;
    let signed = op["security"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|r| r.get(crate::auth::signed_links::SCHEME).is_some());
    Ok(if signed {
        Access::AtLeastOrSignedLink(role)
    } else {
        Access::AtLeast(role)
    })
}

/// Mounts every operation: one resource per path (so another method on a known path gets 405),
/// each behind the guard of its operations.
pub fn configure(cfg: &mut ServiceConfig, login_limit: &LoginLimit) {
    let operations = match operations() {
        Ok(operations) => operations,
        // The declarations are compiled in: a broken one is a bug the tests catch first.
        Err(e) => panic!("the route table cannot be built: {e}"),
    };
    let mut paths: Vec<&str> = Vec::new();
    for op in &operations {
        if !paths.contains(&op.path.as_str()) {
            paths.push(&op.path);
        }
    }
    for path in paths {
        let here: Vec<&Operation> = operations.iter().filter(|o| o.path == path).collect();
        let pattern = MULTI_SEGMENT
            .iter()
            .find(|(spec, _)| *spec == path)
            .map_or(path, |(_, pattern)| *pattern);
        let mut resource = web::resource(pattern);
        for op in &here {
            resource = resource.route((op.mount)(web::route().method(op.method.clone())));
        }
        let access: Rc<[(Method, Access)]> =
            here.iter().map(|o| (o.method.clone(), o.access)).collect();
        let resource = resource.wrap(from_fn(move |req, next| guard(access.clone(), req, next)));
        if LOGIN_LIMITED.contains(&path) {
            cfg.service(resource.wrap(Governor::new(login_limit)));
        } else {
            cfg.service(resource);
        }
    }
}

/// Admits the request if its method's operation is public or its caller holds the role, and
/// hands the handler the [`crate::auth::Caller`]. Runs before the handler's extractors, so the
/// body of a request that may not call the route is never read.
async fn guard<B: MessageBody + 'static>(
    access: Rc<[(Method, Access)]>,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<impl MessageBody + use<B>>, Error> {
    // A refusal is a response, not an error of the service, so that the middleware around the
    // route (request id, metrics, problem+json) sees it like any other answer.
    let needed = access
        .iter()
        .find(|(method, _)| method == req.method())
        .map(|(_, access)| *access);
    let role = match needed {
        None | Some(Access::Public) => None,
        Some(Access::AtLeast(role)) => Some(role),
        Some(Access::AtLeastOrSignedLink(role)) => match signed_link(&req) {
            // The link opens this one file; no caller.
            Some(Ok(())) => None,
            Some(Err(refusal)) => return Ok(req.error_response(refusal).map_into_right_body()),
            // No link: a token, as everywhere else.
            None => Some(role),
        },
    };
    if let Some(role) = role {
        match authorise(req.request(), role).await {
            Ok(caller) => {
                req.extensions_mut().insert(caller);
            }
            Err(refusal) => return Ok(req.error_response(refusal).map_into_right_body()),
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// The verdict on a request's signed link (`?sig=`) to the file its path names, if it has one.
fn signed_link(req: &ServiceRequest) -> Option<Result<(), ApiError>> {
    use crate::auth::signed_links::{LinkError, PARAM};
    let sig = req.query_string().split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name == PARAM).then_some(value)
    })?;
    let verdict = (|| {
        let state = req
            .app_data::<web::Data<AppState>>()
            .ok_or_else(|| ApiError::internal("AppState is not registered"))?;
        let key = req.match_info().get("key").unwrap_or_default();
        state
            .links
            .check(key, sig, state.now())
            .map_err(|e| match e {
                LinkError::Expired => ApiError::unauthorized(
                    Code::TokenExpired,
                    "This image link has expired: read the product again for a fresh image_url.",
                ),
                LinkError::Invalid => ApiError::unauthorized(
                    Code::InvalidToken,
                    "This image link is not valid: use the image_url of the product as answered.",
                ),
            })
    })();
    Some(verdict)
}
