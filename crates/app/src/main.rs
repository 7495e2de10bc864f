//! `pos-app [serve | migrate up|down|status | openapi | check]`

use anyhow::{Context, bail};
use pos_app::config::Config;
use pos_app::{Storage, redact, telemetry};

const USAGE: &str = "usage: pos-app [serve | migrate up|down|status | openapi | check | demo-data]

  serve            apply migrations and serve the API (default)
  migrate up       apply pending migrations
  migrate down     roll back the last migration
  migrate status   list migrations and whether each is applied
  openapi          print the OpenAPI spec as JSON
  demo-data [--products N] [--customers N] [--suppliers N] [--sale-lines N] [--days N] [--seed N]
                   fill an empty database with a year of trading (defaults: 2000, 500, 50, 1000000, 365)
  check            verify the books and the stock agree; exits 1 if anything does not

Configuration comes from the environment and an optional .env file; see README.md.";

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    // A missing .env is normal; a malformed one is worth failing on.
    match dotenvy::dotenv() {
        Err(e) if !e.not_found() => return Err(e).context("reading .env"),
        _ => {}
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if let ["openapi"] = args.as_slice() {
        print!("{}", pos_http::openapi::spec_json()?);
        return Ok(());
    }
    if let ["help" | "--help" | "-h"] = args.as_slice() {
        println!("{USAGE}");
        return Ok(());
    }
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    match args.as_slice() {
        [] | ["serve"] => pos_app::serve(config).await,
        ["migrate", action] => migrate(&config, action).await,
        ["check"] => check(&config).await,
        ["demo-data", options @ ..] => demo_data(&config, options).await,
        _ => bail!("unknown command {:?}\n\n{USAGE}", args.join(" ")),
    }
}

async fn migrate(config: &Config, action: &str) -> anyhow::Result<()> {
    let storage = Storage::open(&config.database_url).await?;
    let Some(sql) = storage.sql() else {
        bail!("the in-memory store has no migrations");
    };
    match action {
        "up" => sql.migrate_up().await?,
        "down" => sql.migrate_down().await?,
        "status" => {
            println!("database: {}", redact(&config.database_url));
            for (name, applied) in sql.migration_status().await? {
                println!("{} {name}", if applied { "applied" } else { "pending" });
            }
        }
        other => bail!("unknown migrate action {other:?}: use up, down or status"),
    }
    Ok(())
}

/// Generates demo data into the configured (empty) database, then checks its integrity.
async fn demo_data(config: &Config, options: &[&str]) -> anyhow::Result<()> {
    let size = pos_app::demo::DemoSize::parse(options)?;
    let (_, storage) = pos_app::build(config).await?;
    let store = storage.port();
    let admin = {
        let mut tx = store.begin_read().await?;
        tx.find_credentials(&config.admin.username)
            .await?
            .map(|(user, _)| user.id)
            .context("the first admin (POS_ADMIN_USERNAME) does not exist")?
    };
    let today = time::OffsetDateTime::now_utc()
        .to_offset(config.http.shop_offset)
        .date();
    let started = std::time::Instant::now();
    let made = pos_app::demo::generate(store.as_ref(), admin, &size, today).await?;
    println!(
        "demo-data: {} sales with {} lines, {} returns, {} purchases in {:.0?} ({} baskets refused for stock)",
        made.sales,
        made.sale_lines,
        made.returns,
        made.purchases,
        started.elapsed(),
        made.refused_for_stock
    );
    check(config).await
}

/// Runs the integrity check against the configured database.
async fn check(config: &Config) -> anyhow::Result<()> {
    let storage = Storage::open(&config.database_url).await?;
    let store = storage.port();
    let mut tx = store.begin_read().await?;
    let found = pos_domain::integrity::check(tx.as_mut()).await?;
    if found.is_empty() {
        println!(
            "integrity: ok (entries balance; stock equals lots and log; inventory, receivables and payables agree with the ledger)"
        );
        return Ok(());
    }
    for line in pos_http::routes::admin::describe(found) {
        println!("discrepancy: {line}");
    }
    std::process::exit(1)
}
