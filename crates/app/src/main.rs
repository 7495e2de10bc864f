//! `pos-app [serve | migrate up|down|status | openapi | check | demo-data | reset-password]`:
//! see `--help`.
//!
//! Exit codes: 0 done; 1 the integrity check found discrepancies; 2 a mistake in the command
//! line or the configuration (one line says which); 3 the command could not run (the database
//! unreachable, a migration failing...). No backtrace is printed, whatever RUST_BACKTRACE says:
//! the message names the cause.

use anyhow::Context;
use clap::{Parser, Subcommand};
use pos_app::config::Config;
use pos_app::{Storage, redact, telemetry};
use std::process::ExitCode;

/// The point-of-sale backend. Configuration comes from the environment and an optional .env
/// file; see README.md.
#[derive(Debug, Parser)]
#[command(name = "pos-app", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply pending migrations and serve the API (the default).
    Serve,
    /// Apply, roll back or list the schema migrations.
    Migrate {
        #[command(subcommand)]
        action: Migrate,
    },
    /// Print the OpenAPI spec as JSON.
    Openapi,
    /// Verify that the books and the stock agree; exits 1 if anything does not.
    Check,
    /// Fill an empty database with generated trading, then run the check.
    DemoData(pos_app::demo::DemoSize),
    /// Set a user's password from the shell, for a lost admin password: prints a generated
    /// one, or takes it from POS_NEW_PASSWORD. Ends the user's sessions.
    ResetPassword {
        /// The user's login name, e.g. `admin`.
        username: String,
    },
}

#[derive(Debug, Subcommand)]
enum Migrate {
    /// Apply every pending migration.
    Up,
    /// Roll back the most recent migration.
    Down,
    /// List the migrations and whether each is applied.
    Status,
}

/// Why a command failed, and so its exit code.
enum Failure {
    /// The configuration is wrong: the user's to fix.
    Config(anyhow::Error),
    /// The books disagree (`check`).
    Discrepancies,
    /// Anything else that stopped the command.
    Run(anyhow::Error),
}

#[actix_web::main]
async fn main() -> ExitCode {
    // Usage errors print clap's message and exit 2; --help and --version exit 0.
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Discrepancies) => ExitCode::from(1),
        Err(Failure::Config(e)) => {
            eprintln!("pos-app: {e:#}");
            ExitCode::from(2)
        }
        Err(Failure::Run(e)) => {
            eprintln!("pos-app: {e:#}");
            ExitCode::from(3)
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        let spec = pos_http::openapi::spec_json().map_err(|e| Failure::Run(e.into()))?;
        print!("{spec}");
        return Ok(());
    }
    // A missing .env is normal; a malformed one is a mistake worth stopping on.
    match dotenvy::dotenv() {
        Err(e) if !e.not_found() => {
            return Err(Failure::Config(
                anyhow::Error::new(e).context("reading .env"),
            ));
        }
        _ => {}
    }
    let config = Config::from_env().map_err(Failure::Config)?;
    telemetry::init(config.log_format);
    match command {
        Command::Serve => pos_app::serve(config).await.map_err(Failure::Run),
        Command::Migrate { action } => migrate(&config, action).await.map_err(Failure::Run),
        Command::Check => check(&config).await,
        Command::DemoData(size) => demo_data(&config, &size).await,
        Command::ResetPassword { username } => reset_password(&config, &username).await,
        Command::Openapi => Ok(()),
    }
}

async fn migrate(config: &Config, action: Migrate) -> anyhow::Result<()> {
    let storage = Storage::open(&config.database_url).await?;
    let Some(sql) = storage.sql() else {
        anyhow::bail!("the in-memory store has no migrations");
    };
    match action {
        Migrate::Up => sql.migrate_up().await?,
        Migrate::Down => sql.migrate_down().await?,
        Migrate::Status => {
            println!("database: {}", redact(&config.database_url));
            for (name, applied) in sql.migration_status().await? {
                println!("{} {name}", if applied { "applied" } else { "pending" });
            }
        }
    }
    Ok(())
}

/// Generates demo data into the configured (empty) database, then checks its integrity.
async fn demo_data(config: &Config, size: &pos_app::demo::DemoSize) -> Result<(), Failure> {
    let generate = async {
        let (_, storage) = pos_app::build(config).await?;
        let store = storage.port();
        let app = pos_app::application(config, store.clone());
        let admin = pos_app::operator::user_named(&app, &config.admin.username)
            .await?
            .context("the first admin (POS_ADMIN_USERNAME) does not exist")?;
        let today = app.today();
        let started = std::time::Instant::now();
        let made = pos_app::demo::generate(store, app.policy().clone(), admin, size, today).await?;
        println!(
            "demo-data: {} sales with {} lines, {} returns, {} purchases in {:.0?} ({} baskets refused for stock)",
            made.sales,
            made.sale_lines,
            made.returns,
            made.purchases,
            started.elapsed(),
            made.refused_for_stock
        );
        anyhow::Ok(())
    };
    generate.await.map_err(Failure::Run)?;
    check(config).await
}

/// Sets a user's password: POS_NEW_PASSWORD, or a generated one printed once.
async fn reset_password(config: &Config, username: &str) -> Result<(), Failure> {
    let new = std::env::var("POS_NEW_PASSWORD").ok();
    let storage = Storage::open(&config.database_url)
        .await
        .map_err(Failure::Run)?;
    let app = pos_app::application(config, storage.port());
    let generated = pos_app::operator::reset_password(&app, username, new, config.http.bcrypt_cost)
        .await
        .map_err(Failure::Config)?;
    match generated {
        Some(password) => println!("reset-password: {username}'s new password is {password}"),
        None => println!("reset-password: {username}'s password is set"),
    }
    println!("reset-password: every session of {username} has ended");
    Ok(())
}

/// Runs the integrity check against the configured database.
async fn check(config: &Config) -> Result<(), Failure> {
    let found = async {
        let storage = Storage::open(&config.database_url).await?;
        let app = pos_app::application(config, storage.port());
        anyhow::Ok(app.integrity_check().await?)
    }
    .await
    .map_err(Failure::Run)?;
    if found.is_empty() {
        println!(
            "integrity: ok (entries balance; stock equals lots and log; inventory per location, stock in transit, receivables and payables agree with the ledger)"
        );
        return Ok(());
    }
    for line in pos_api::admin::describe(found) {
        println!("discrepancy: {line}");
    }
    Err(Failure::Discrepancies)
}
