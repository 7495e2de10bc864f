//! The shared state every handler receives: ports and settings.

use crate::auth::signed_links::MediaLinks;
use crate::auth::tokens::TokenKeys;
use crate::metrics::Metrics;
use crate::settings::HttpSettings;
use pos_api::catalog::products::ProductView;
use pos_domain::app::{App, Policy};
use pos_domain::clock::Clock;
use pos_domain::ports::{MediaStore, Store};
use std::sync::Arc;
use time::OffsetDateTime;

#[derive(Clone)]
pub struct AppState {
    /// Every use case: the application layer the handlers call.
    pub app: App,
    pub media: Arc<dyn MediaStore>,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<HttpSettings>,
    pub tokens: Arc<TokenKeys>,
    /// Signs and checks links to stored media (product images).
    pub links: Arc<MediaLinks>,
    /// A bcrypt hash checked when a login names no user, so that an unknown user costs the same
    /// time as a wrong password and cannot be told apart.
    pub dummy_hash: Arc<str>,
    /// The process's Prometheus recorder, rendered at `GET /metrics`.
    pub metrics: Metrics,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        media: Arc<dyn MediaStore>,
        clock: Arc<dyn Clock>,
        settings: HttpSettings,
    ) -> Result<Self, bcrypt::BcryptError> {
        let dummy_hash = bcrypt::hash("not-a-real-password", settings.bcrypt_cost)?.into();
        let policy = Policy {
            staff_refund_limit: settings.staff_refund_limit,
            staff_discount_limit: settings.staff_discount_limit,
            staff_payout_limit: settings.staff_payout_limit,
            close_tolerance: settings.close_tolerance,
            shop_offset: settings.shop_offset,
        };
        let app = App::new(store, clock.clone(), policy)
            .with_telemetry(Arc::new(crate::metrics::RetryCounter));
        Ok(Self {
            app,
            media,
            clock,
            tokens: Arc::new(TokenKeys::new(&settings)),
            links: Arc::new(MediaLinks::new(&settings.jwt_secret)),
            settings: Arc::new(settings),
            dummy_hash,
            metrics: Metrics::global(),
        })
    }

    /// A product as answered: its image link signed for the next hour or two.
    pub fn product_view(&self, product: pos_domain::catalog::Product) -> ProductView {
        let image = product.image.clone();
        let mut view = ProductView::from(product);
        view.image_url = image.map(|key| self.links.url(&key, self.now()));
        view
    }

    /// The current time, to the microsecond (what every database stores exactly).
    pub fn now(&self) -> OffsetDateTime {
        self.app.now()
    }
}

/// The wall clock in UTC.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}
