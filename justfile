# Everyday commands. `just` itself: `pip install rust-just` or `cargo install just`.
# Binaries are run from ${CARGO_TARGET_DIR:-target}/release, so a shared target directory works.
# The two commands a newcomer needs are plain cargo: `cargo run -p pos-app`, `cargo test --workspace`.

mysql_url := env_var_or_default("POS_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306")

# Serve on the embedded SQLite database (data/pos.sqlite).
run:
    cargo run -p pos-app

# Serve on MariaDB/MySQL (creates the database `pos` if needed).
run-mysql:
    mysql -uroot -h127.0.0.1 -e 'CREATE DATABASE IF NOT EXISTS pos CHARACTER SET utf8mb4'
    DATABASE_URL={{mysql_url}}/pos cargo run -p pos-app

# A year of demo data in a fresh MariaDB database `pos_demo` (drops it first).
demo-data:
    mysql -uroot -h127.0.0.1 -e 'DROP DATABASE IF EXISTS pos_demo; CREATE DATABASE pos_demo CHARACTER SET utf8mb4'
    cargo build --release -p pos-app
    DATABASE_URL={{mysql_url}}/pos_demo ${CARGO_TARGET_DIR:-target}/release/pos-app demo-data

# Serve `pos_demo` and benchmark it (POS_ADMIN_PASSWORD must be the demo admin's password).
bench:
    cargo build --release -p pos-app -p pos-bench
    DATABASE_URL={{mysql_url}}/pos_demo ${CARGO_TARGET_DIR:-target}/release/pos-app serve & server=$!; sleep 3; \
      POS_BENCH_PASSWORD=$POS_ADMIN_PASSWORD ${CARGO_TARGET_DIR:-target}/release/pos-bench --server-pid $server; \
      status=$?; kill $server; exit $status

# Every test that needs no running service.
test:
    cargo test --workspace

# The port contract and concurrency suites against MariaDB/MySQL.
test-mysql:
    POS_TEST_MYSQL_URL={{mysql_url}} cargo test -p pos-tests --test contract --test concurrency --test idempotency_race --test stock_race --test transfer_race --test counter_race --test guards -- --include-ignored
    POS_TEST_MYSQL_URL={{mysql_url}} cargo test -p pos-store --test store -- --include-ignored

# The README's command blocks, as written, on a fresh SQLite file and on MariaDB (tests/readme/run.py).
# They refuse an existing data/pos.sqlite, database `pos` or .env: POS_README_RESET=1 removes them first.
readme-test:
    python3 tests/readme/run.py --backend sqlite
    python3 tests/readme/run.py --backend mariadb

# Formatting and lints, as CI runs them.
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

# Regenerate the checked-in OpenAPI spec and the error catalogue (docs/errors.md) from the code.
openapi:
    POS_UPDATE_OPENAPI=1 cargo test -q -p pos-tests --test api openapi

# Everything CI runs. It assumes CI's machine: Debian, run as root (it may apt-get install npm
# and start MariaDB with start-stop-daemon), MariaDB's root user without a password on
# 127.0.0.1:3306.
ci:
    bash .ci/run
