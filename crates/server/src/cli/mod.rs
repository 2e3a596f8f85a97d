//! The `hubnet` command line: `serve`, `migrate`, `import`, `token`.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use hubnet_domain::TokenId;
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_store::{Store, StoreError, StoreOptions};
use tracing_subscriber::EnvFilter;

use crate::config::Database;
use crate::config::{Config, LogFormat, Overrides};
use crate::state::AppState;
use crate::{app, auth, demo, import, metrics};

#[derive(Debug, Parser)]
#[command(name = "hubnet", version, about = "A network of workplaces for the public sector")]
struct Cli {
    /// Configuration file (TOML); default: hubnet.toml in the working directory, if present.
    #[arg(long, global = true, env = "HUBNET_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API and the web pages.
    Serve {
        #[command(flatten)]
        database: Database,
        /// Address and port to listen on (also `HUBNET_LISTEN`; default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
        /// Seed the demo network into an empty database and print the demo accounts.
        #[arg(long)]
        demo: bool,
        /// Stop when standard input closes (for tests that start a server).
        #[arg(long, hide = true)]
        exit_on_stdin_eof: bool,
    },
    /// Bring the database schema up to date, then exit.
    Migrate {
        #[command(flatten)]
        database: Database,
    },
    /// Import organisations, sites, spaces and people from CSV files (see docs/import.md).
    /// Every row is checked first; with any error nothing is written.
    Import {
        #[command(flatten)]
        database: Database,
        #[arg(long)]
        organisations: Option<PathBuf>,
        #[arg(long)]
        sites: Option<PathBuf>,
        #[arg(long)]
        spaces: Option<PathBuf>,
        #[arg(long)]
        people: Option<PathBuf>,
        /// Check the files and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Issue, list and revoke API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Set a person's password for signing in to the pages (a local account). Reads the
    /// password from the first line of standard input, so that it stays out of shell history.
    Password {
        #[command(flatten)]
        database: Database,
        #[arg(long)]
        email: String,
    },
    /// Print the OpenAPI document (docs/openapi.json is this output).
    Openapi,
    /// Build the national benchmark data set into an empty database (docs/performance.md).
    BenchData {
        #[command(flatten)]
        database: Database,
        /// Size relative to the national data set (1,000 sites, 250,000 people, ~22 M bookings).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// The random generator's seed: the same seed and date give the same data.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// The day the year of bookings is built around (default: today).
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
    /// Run the benchmarks on a database built by bench-data; prints a table and JSON.
    Bench(Box<crate::bench::BenchArgs>),
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Issue a token for a person; prints the token alone on standard output.
    Issue {
        #[command(flatten)]
        database: Database,
        #[arg(long)]
        email: String,
        /// What the token is for, to recognise it later.
        #[arg(long, default_value = "cli")]
        label: String,
    },
    /// List a person's tokens (never their secrets).
    List {
        #[command(flatten)]
        database: Database,
        #[arg(long)]
        email: String,
    },
    /// Revoke a token by its id; it stops working at once.
    Revoke {
        #[command(flatten)]
        database: Database,
        #[arg(long)]
        id: TokenId,
    },
}

/// Parses the command line, runs the command and maps failure to exit code 1 with the error
/// chain on standard error.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("hubnet: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(dispatch(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("hubnet: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn load(config: Option<&PathBuf>, database: &Database, listen: Option<String>) -> anyhow::Result<Config> {
    Config::load(config, &Overrides { database_url: database.database_url.clone(), listen })
}

async fn open(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let options = StoreOptions { sqlite_durable: config.sqlite_durable, max_connections: config.max_connections };
    hubnet_store::connect(config.database_url.expose(), &options)
        .await
        .with_context(|| format!("opening the database {:?}", config.database_url))
}

fn init_logging(config: &Config) {
    let filter = EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    // Logs go to standard error: standard output carries results (a token, the address).
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

async fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { database, listen, demo, exit_on_stdin_eof } => {
            let config = load(cli.config.as_ref(), &database, listen)?;
            init_logging(&config);
            serve(config, demo, exit_on_stdin_eof).await?;
        }
        Command::Migrate { database } => {
            let config = load(cli.config.as_ref(), &database, None)?;
            init_logging(&config);
            let store = open(&config).await?;
            store.close().await;
            eprintln!("the database schema is up to date");
        }
        Command::Import { database, organisations, sites, spaces, people, dry_run } => {
            let config = load(cli.config.as_ref(), &database, None)?;
            init_logging(&config);
            let files = import::Files { organisations, sites, spaces, people };
            let store = open(&config).await?;
            let outcome = import::run(store.as_ref(), &files, dry_run).await;
            store.close().await;
            return outcome;
        }
        Command::Token { command } => return token(cli.config.as_ref(), command).await,
        Command::BenchData { database, scale, seed, today } => {
            let config = load(cli.config.as_ref(), &database, None)?;
            init_logging(&config);
            let size = crate::bench::data::Size::scaled(scale)?;
            let today = today.unwrap_or_else(|| chrono::Utc::now().date_naive());
            let summary = crate::bench::data::build(config.database_url.expose(), size, seed, today).await?;
            println!(
                "built {} organisations, {} sites, {} spaces, {} people in {:.1} s and {} bookings in {:.1} s",
                summary.organisations,
                summary.sites,
                summary.spaces,
                summary.people,
                summary.network_seconds,
                summary.bookings,
                summary.bookings_seconds
            );
        }
        Command::Bench(args) => {
            let config = load(cli.config.as_ref(), &args.database, None)?;
            init_logging(&config);
            return crate::bench::run(&config, &args).await;
        }
        Command::Password { database, email } => {
            let config = load(cli.config.as_ref(), &database, None)?;
            init_logging(&config);
            let store = open(&config).await?;
            let person = store
                .people()
                .person_by_email(&email)
                .await
                .with_context(|| format!("no person with email {email}"))?;
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
            let password = line.trim_end_matches(['\r', '\n']);
            if password.chars().count() < 12 {
                anyhow::bail!("a password has at least 12 characters");
            }
            let hash = crate::web::session::hash_password(password).map_err(|e| anyhow::anyhow!("{e}"))?;
            store.sign_in().set_password(person.id, &hash, chrono::Utc::now()).await?;
            store
                .audit()
                .append_audit(&crate::audit::by_command_line(
                    person.organisation_id,
                    AuditAction::PersonUpdated,
                    crate::audit::Subject::new(SubjectKind::Person, person.id),
                    serde_json::json!({ "changed": ["password"] }),
                ))
                .await?;
            store.close().await;
            println!("{email} can now sign in with that password");
        }
        Command::Openapi => println!("{}", crate::openapi().to_pretty_json().context("writing the OpenAPI document")?),
    }
    Ok(ExitCode::SUCCESS)
}

async fn token(config: Option<&PathBuf>, command: TokenCommand) -> anyhow::Result<ExitCode> {
    let (database, email) = match &command {
        TokenCommand::Issue { database, email, .. } | TokenCommand::List { database, email } => {
            (database, Some(email.clone()))
        }
        TokenCommand::Revoke { database, .. } => (database, None),
    };
    let config = load(config, database, None)?;
    init_logging(&config);
    let store = open(&config).await?;
    let person = match &email {
        Some(email) => match store.people().person_by_email(email).await {
            Ok(person) => Some(person),
            Err(StoreError::NotFound) => {
                store.close().await;
                bail!("nobody has the email address {email}");
            }
            Err(other) => return Err(other.into()),
        },
        None => None,
    };
    let result = match (command, person) {
        (TokenCommand::Issue { label, .. }, Some(person)) => {
            let (token, hash) = auth::new_token().map_err(|e| anyhow::anyhow!("{e}"))?;
            let id: TokenId = hubnet_domain::ids::new_id();
            store.tokens().create_token(id, person.id, &hash, label.trim(), chrono::Utc::now()).await?;
            store
                .audit()
                .append_audit(&crate::audit::by_command_line(
                    person.organisation_id,
                    AuditAction::TokenCreated,
                    crate::audit::Subject::new(SubjectKind::Token, id),
                    serde_json::json!({ "person_id": person.id }),
                ))
                .await?;
            println!("{token}");
            eprintln!("issued token {id} for {} ({})", person.name, person.email);
            Ok(())
        }
        (TokenCommand::List { .. }, Some(person)) => {
            for t in store.tokens().list_tokens(person.id).await? {
                let state = t.revoked_at.map_or_else(|| "active".to_owned(), |at| format!("revoked {at}"));
                println!("{}\t{}\t{}\t{state}", t.id, t.created_at, t.label);
            }
            Ok(())
        }
        (TokenCommand::Revoke { id, .. }, _) => {
            store.tokens().revoke_token(id, chrono::Utc::now()).await.map_err(|e| match e {
                StoreError::NotFound => anyhow::anyhow!("there is no token {id}"),
                other => other.into(),
            })?;
            eprintln!("revoked token {id}");
            Ok(())
        }
        _ => Ok(()),
    };
    store.close().await;
    result.map(|()| ExitCode::SUCCESS)
}

async fn serve(config: Config, demo: bool, exit_on_stdin_eof: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let store = open(&config).await?;
    let accounts = if demo { Some(demo::seed(store.as_ref(), chrono::Utc::now()).await?) } else { None };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {} (is another program using it?)", config.listen))?;
    let address = listener.local_addr().context("reading the listening address")?;
    metrics::install();
    let mut state = AppState::new(Arc::clone(&store), config);
    if demo {
        state = state.with_demo_people(demo::people(store.as_ref()).await?);
    }
    // Ready at once; the copy of the network fills in the background, so that the first
    // searches do not each load a site's spaces.
    let directory = Arc::clone(&state.directory);
    tokio::spawn(async move {
        let started = Instant::now();
        match directory.warm().await {
            Ok(sites) => tracing::info!(sites, after_ms = started.elapsed().as_millis(), "network copy loaded"),
            Err(error) => tracing::warn!(%error, "loading the network copy failed; it fills on demand"),
        }
    });
    tracing::info!(%address, ready_after_ms = started.elapsed().as_millis(), "hubnet is ready");
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "hubnet listening on http://{address}");
    if let Some(accounts) = &accounts {
        let _ = writeln!(out, "{accounts}");
    }
    let _ = out.flush();
    drop(out);
    // The peer address is where failed sign-ins are counted from (unless a proxy tells it).
    axum::serve(listener, app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal(exit_on_stdin_eof))
        .await
        .context("serving HTTP")?;
    tracing::info!("finishing pending writes");
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C, or when standard input closes if asked to. axum then stops
/// accepting connections and finishes the requests in flight.
async fn shutdown_signal(exit_on_stdin_eof: bool) {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    let stdin_closed = async {
        if exit_on_stdin_eof {
            use tokio::io::AsyncReadExt as _;
            let mut stdin = tokio::io::stdin();
            let mut buffer = [0u8; 64];
            while matches!(stdin.read(&mut buffer).await, Ok(n) if n > 0) {}
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("interrupted; shutting down"),
        () = terminate => tracing::info!("SIGTERM; shutting down"),
        () = stdin_closed => tracing::info!("standard input closed; shutting down"),
    }
}
