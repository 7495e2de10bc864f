//! Drives the real HTTP app (routes, middleware, extractors) in-process, on the in-memory
//! adapter or on a temporary SQLite file.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{self, HeaderMap};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use pos_domain::ports::Store;
use pos_http::{Api, AppState, HttpSettings, SystemClock};
use pos_memory::MemoryMedia;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "admin-password-1";

/// The adapters the black-box API suite runs on, neither needing a service: each test binary
/// (`api` on memory, `api_sqlite` on SQLite) picks one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Memory,
    /// A migrated database in a fresh temporary file.
    SqliteFile,
}

/// The app's parts, before it is turned into a service with [`actix_web::test::init_service`].
pub struct TestApp {
    pub api: Api,
    pub store: Arc<dyn Store>,
}

impl TestApp {
    /// An app on an empty store of `backend` with the books and the first admin seeded.
    pub async fn on(backend: Backend, settings: HttpSettings) -> Self {
        let store = match backend {
            Backend::Memory => crate::stores::memory(),
            Backend::SqliteFile => crate::stores::sqlite().await,
        };
        Self {
            api: Self::api_on(store.clone(), settings).await,
            store,
        }
    }

    /// The API on another store (SQLite, MariaDB), seeded like [`TestApp::new`].
    pub async fn api_on(port: Arc<dyn Store>, settings: HttpSettings) -> Api {
        let seed = pos_app::config::AdminSeed {
            username: "admin".into(),
            email: ADMIN_EMAIL.into(),
            password: Some(ADMIN_PASSWORD.into()),
        };
        pos_app::bootstrap::ensure_books(port.as_ref())
            .await
            .expect("seed the books");
        pos_app::bootstrap::ensure_first_admin(port.as_ref(), &seed, settings.bcrypt_cost)
            .await
            .expect("seed admin");
        let state = AppState::new(
            port,
            Arc::new(MemoryMedia::default()),
            Arc::new(SystemClock),
            settings,
        )
        .expect("state");
        Api::new(state).expect("api")
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.bytes)
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status, and that errors are problem+json with the given code.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "body: {}",
            String::from_utf8_lossy(&self.bytes)
        );
        self
    }

    #[track_caller]
    pub fn expect_problem(&self, status: u16, code: &str) -> Value {
        self.expect(status);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json")
        );
        let body = self.json();
        assert_eq!(body["code"], code, "problem: {body}");
        assert_eq!(body["status"], status);
        assert_eq!(body["type"], format!("urn:pos:problem:{code}"));
        body
    }
}

/// Sends requests to an initialised app service.
pub struct Client<S> {
    pub service: S,
    pub peer: SocketAddr,
}

impl<S, B> Client<S>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    pub fn new(service: S) -> Self {
        Self {
            service,
            peer: SocketAddr::from(([127, 0, 0, 1], 40000)),
        }
    }

    /// Sends a request; a problem in the answer must be one the spec documents for its
    /// operation (see [`crate::documented`]).
    #[track_caller]
    pub fn send(&self, req: TestRequest) -> impl std::future::Future<Output = Reply> + '_ {
        let request = req.peer_addr(self.peer).to_request();
        let (method, path) = (request.method().to_string(), request.path().to_owned());
        async move {
            let response = test::call_service(&self.service, request).await;
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = test::read_body(response).await.to_vec();
            let reply = Reply {
                status,
                headers,
                bytes,
            };
            if status.as_u16() >= 400
                && reply.header("content-type") == Some("application/problem+json")
            {
                let code = reply.json()["code"].as_str().unwrap_or_default().to_owned();
                crate::documented::check_problem(&method, &path, status.as_u16(), &code);
            }
            reply
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = TestRequest::default().method(method).uri(path);
        if let Some(token) = token {
            req = req.insert_header((header::AUTHORIZATION, format!("Bearer {token}")));
        }
        if let Some(body) = body {
            req = req.set_json(body);
        }
        self.send(req).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// Logs in and returns the whole token response.
    pub async fn login_reply(&self, login: &str, password: &str) -> Reply {
        let body = json!({ "login": login, "password": password });
        self.call(Method::POST, "/api/auth/login", None, Some(body))
            .await
    }

    /// Logs in and returns the access token.
    pub async fn login(&self, login: &str, password: &str) -> String {
        let reply = self.login_reply(login, password).await;
        reply.expect(200);
        reply.json()["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// Creates a user with `role` (as admin) and returns its access token.
    pub async fn user_token(&self, admin: &str, username: &str, role: &str) -> String {
        let password = format!("{username}-password");
        self.post(
            "/api/users",
            admin,
            json!({ "username": username, "email": format!("{username}@example.com"), "name": username, "role": role, "password": password }),
        )
        .await
        .expect(201);
        self.login(username, &password).await
    }
}

/// Starts the app service for a test: `let c = client(&app).await;`
pub async fn client(
    app: &TestApp,
) -> Client<
    impl Service<
        actix_http::Request,
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
    >,
> {
    Client::new(test::init_service(app.api.app()).await)
}
