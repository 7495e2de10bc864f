//! One shop per backend, driven in-process, and the checks every test ends with.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use pos_domain::ports::Store;
use pos_http::HttpSettings;
use pos_tests::harness::{Client, TestApp};
use pos_tests::stores;
use serde_json::{Value, json};
use std::sync::Arc;

/// Every backend this run can reach: memory and SQLite always, MariaDB when configured.
pub async fn backends() -> Vec<(&'static str, Arc<dyn Store>)> {
    let mut all = vec![
        ("memory", stores::memory()),
        ("sqlite", stores::sqlite().await),
    ];
    if let Some(mysql) = stores::mysql().await {
        all.push(("mysql", mysql));
    }
    all
}

/// Runs `$body(client, backend)` once on every backend, each with a fresh shop.
#[macro_export]
macro_rules! on_every_backend {
    ($(#[$meta:meta])* $name:ident, $body:path) => {
        $(#[$meta])*
        #[actix_web::test]
        async fn $name() {
            for (backend, store) in $crate::guards::support::backends().await {
                let settings = pos_http::HttpSettings::for_tests();
                $crate::guards::support::run(store, settings, backend, $body).await;
            }
        }
    };
}

pub async fn run<F>(store: Arc<dyn Store>, settings: HttpSettings, backend: &'static str, body: F)
where
    F: AsyncFnOnce(&Shop, &'static str),
{
    let shop = instance(store, settings).await;
    body(&shop, backend).await;
}

/// One app instance on `store`; several on one store behave as instances on one database.
pub async fn instance(store: Arc<dyn Store>, settings: HttpSettings) -> Shop {
    let api = TestApp::api_on(store, settings).await;
    let service = actix_web::test::init_service(api.app()).await;
    Shop {
        client: Box::new(Erased(Client::new(service))),
    }
}

/// The test client with its service type erased, so test bodies are plain functions.
pub struct Shop {
    client: Box<dyn Send_>,
}

#[async_trait::async_trait(?Send)]
pub trait Send_ {
    async fn call(
        &self,
        method: actix_web::http::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> pos_tests::harness::Reply;
    async fn call_from(
        &self,
        peer: std::net::SocketAddr,
        method: actix_web::http::Method,
        path: &str,
        body: Option<Value>,
    ) -> pos_tests::harness::Reply;
}

struct Erased<S>(Client<S>);

#[async_trait::async_trait(?Send)]
impl<S, B> Send_ for Erased<S>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    async fn call(
        &self,
        method: actix_web::http::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> pos_tests::harness::Reply {
        self.0.call(method, path, token, body).await
    }

    async fn call_from(
        &self,
        peer: std::net::SocketAddr,
        method: actix_web::http::Method,
        path: &str,
        body: Option<Value>,
    ) -> pos_tests::harness::Reply {
        let mut req = actix_web::test::TestRequest::default()
            .method(method)
            .uri(path)
            .peer_addr(peer);
        if let Some(body) = body {
            req = req.set_json(body);
        }
        let response = actix_web::test::call_service(&self.0.service, req.to_request()).await;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = actix_web::test::read_body(response).await.to_vec();
        pos_tests::harness::Reply {
            status,
            headers,
            bytes,
        }
    }
}

impl Shop {
    pub async fn get(&self, path: &str, token: &str) -> pos_tests::harness::Reply {
        self.client
            .call(actix_web::http::Method::GET, path, Some(token), None)
            .await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> pos_tests::harness::Reply {
        self.client
            .call(actix_web::http::Method::POST, path, Some(token), Some(body))
            .await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> pos_tests::harness::Reply {
        self.client
            .call(actix_web::http::Method::PUT, path, Some(token), Some(body))
            .await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> pos_tests::harness::Reply {
        self.client
            .call(
                actix_web::http::Method::PATCH,
                path,
                Some(token),
                Some(body),
            )
            .await
    }

    /// A login from `ip`, as the rate limits see it.
    pub async fn login_from(
        &self,
        ip: [u8; 4],
        login: &str,
        password: &str,
    ) -> pos_tests::harness::Reply {
        self.client
            .call_from(
                std::net::SocketAddr::from((ip, 40000)),
                actix_web::http::Method::POST,
                "/api/auth/login",
                Some(json!({ "login": login, "password": password })),
            )
            .await
    }

    pub async fn login(&self, login: &str, password: &str) -> String {
        let reply = self
            .client
            .call(
                actix_web::http::Method::POST,
                "/api/auth/login",
                None,
                Some(json!({ "login": login, "password": password })),
            )
            .await;
        reply.expect(200);
        reply.json()["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn login_reply(&self, login: &str, password: &str) -> pos_tests::harness::Reply {
        self.client
            .call(
                actix_web::http::Method::POST,
                "/api/auth/login",
                None,
                Some(json!({ "login": login, "password": password })),
            )
            .await
    }

    /// Exchanges a refresh token (sent in the body, as a non-browser client does).
    pub async fn refresh(&self, refresh_token: &str) -> pos_tests::harness::Reply {
        self.client
            .call(
                actix_web::http::Method::POST,
                "/api/auth/refresh",
                None,
                Some(json!({ "refresh_token": refresh_token })),
            )
            .await
    }

    pub async fn admin(&self) -> String {
        self.login(
            pos_tests::harness::ADMIN_EMAIL,
            pos_tests::harness::ADMIN_PASSWORD,
        )
        .await
    }

    /// Creates a user with `role` and logs in as them.
    pub async fn user(&self, admin: &str, username: &str, role: &str) -> (i64, String) {
        let password = format!("{username}-password");
        let user = self
            .post(
                "/api/users",
                admin,
                json!({ "username": username, "email": format!("{username}@example.com"), "name": username, "role": role, "password": password }),
            )
            .await
            .expect(201)
            .json();
        (
            user["id"].as_i64().unwrap(),
            self.login(username, &password).await,
        )
    }

    /// A product priced `price`, with `units` bought in at `cost` each.
    pub async fn stocked(
        &self,
        token: &str,
        sku: &str,
        price: &str,
        units: &str,
        cost: &str,
    ) -> Value {
        let supplier = self
            .post(
                "/api/suppliers",
                token,
                json!({ "name": format!("Supplier of {sku}") }),
            )
            .await
            .expect(201)
            .json();
        let product = self
            .post(
                "/api/products",
                token,
                json!({ "name": format!("Product {sku}"), "sku": sku, "price": price }),
            )
            .await
            .expect(201)
            .json();
        self.post("/api/purchases", token, json!({ "supplier_id": supplier["id"], "invoice_no": format!("INV-{sku}"), "lines": [{ "product_id": product["id"], "quantity": units, "unit_cost": cost }] }))
            .await
            .expect(201);
        product
    }

    /// Asserts that the integrity check finds nothing.
    pub async fn assert_books_intact(&self, token: &str, backend: &str) {
        let report = self
            .get("/api/admin/integrity", token)
            .await
            .expect(200)
            .json();
        assert_eq!(report["ok"], true, "{backend}: {report}");
    }

    /// What must not move when a request is refused: the journal, stock and dues.
    pub async fn fingerprint(&self, token: &str) -> Value {
        let journal = self.get("/api/journal?per_page=1", token).await.json();
        let tb = self.get("/api/ledger/trial-balance", token).await.json();
        let inventory = self.get("/api/inventory", token).await.json();
        json!({ "entries": journal["total"], "trial_balance": tb, "inventory": inventory })
    }
}

/// A report period around today (the server dates documents by its clock): `from=..&to=..`.
pub fn around_today() -> String {
    let today = time::OffsetDateTime::now_utc().date();
    format!(
        "from={}&to={}",
        today - time::Duration::days(2),
        today + time::Duration::days(2)
    )
}
