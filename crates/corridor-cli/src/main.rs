//! `corridor`: the command-line interface. Thin: parse arguments, call the library, format output.
//! Exit codes: 0 success, 1 no route or failed check, 2 bad input (including bad flags).

mod args;
mod fmt;
mod gascmd;
mod load;
mod netcmd;
mod output;
mod prepare;
mod riskcmd;
mod whatif;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use args::{
    formats, load_params, objective_parser, place_list, read_input, ConstraintArgs, Failure, Format, ModelArgs,
    MAX_INPUT_BYTES, ROUTE_FORMATS, TABLE_JSON, TABLE_JSON_CSV,
};
use corridor::model::params::Params;
use corridor::planner::{Planner, Query};

#[derive(Parser)]
#[command(
    name = "corridor",
    version,
    about = "Freight routes and corridors across Asia, the Middle East and Europe, under geopolitical constraints"
)]
struct Cli {
    /// Network file to use instead of the embedded one (also: $CORRIDOR_NETWORK).
    #[arg(long, global = true)]
    network: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Shortest route between two places under exclusions, explained leg by leg.
    Route(RouteArgs),
    /// Compare the named corridors (Middle, Northern, INSTC, IMEC, sea via Suez or the Cape...)
    /// between two places: km, days, US$, CO2e, countries, borders, availability.
    Compare(CompareArgs),
    /// Rank the links, ports, border crossings, passages and countries a set of flows depends on
    /// by the damage their removal does (flows lost, extra km, days, US$, CO2e).
    Critical(CriticalArgs),
    /// Many-to-many matrix of distance, time, cost or CO2e between places, in parallel.
    Matrix(MatrixArgs),
    /// What-if: apply a scenario file (closures, planned links, dwell, parameters, capacities)
    /// and report every measure before and after, per pair and per corridor.
    Scenario(whatif::ScenarioArgs),
    /// Maximum flow (TEU/year) of a corridor or set of pairs and its bottleneck; with --demand,
    /// a least-cost assignment across corridors within the capacities.
    Capacity(whatif::CapacityArgs),
    /// Compare the model with published figures (data/validation); exit 1 on an unexplained gap.
    Validate {
        #[arg(long, default_value = "table", value_parser = formats(TABLE_JSON))]
        format: Format,
        /// Override file (TOML key = value pairs) applied on top of every market's parameters:
        /// a calibration experiment.
        #[arg(long)]
        params: Option<PathBuf>,
    },
    /// Print the effective cost, time and emission parameters with their sources.
    Params {
        /// Override file (TOML key = value pairs).
        #[arg(long)]
        params: Option<PathBuf>,
        /// Show the parameters of this market state (normal-2023, red-sea-2024, latest).
        #[arg(long)]
        market: Option<String>,
        /// List the market states instead of the parameters.
        #[arg(long)]
        markets: bool,
        #[arg(long, default_value = "table", value_parser = formats(TABLE_JSON))]
        format: Format,
    },
    /// Precompute the fast engine (a customizable contraction hierarchy with its customizations)
    /// and a mappable copy of the network with its lookup indexes into the cache directory;
    /// later commands map them. About 25 s, 250 + 90 MB on disk. An engine already in the cache
    /// for this network is kept unless --force.
    Prepare {
        /// Rebuild the engine even if the cache holds one for this network.
        #[arg(long)]
        force: bool,
        /// Verify the cache instead (every section's checksum and the structure of the network
        /// cache and the engine): one line per file, exit 1 if one is missing or damaged.
        #[arg(long, conflicts_with = "force")]
        check: bool,
    },
    /// Find places in the gazetteer (cities, ports, corridor places) by name prefix.
    Places {
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, default_value = "table", value_parser = formats(TABLE_JSON))]
        format: Format,
    },
    /// Serve the HTTP API (JSON, OSRM-compatible) and the offline web map on 127.0.0.1:PORT.
    Serve(corridor_server::ServeArgs),
    /// Build, check or describe the network.
    Network {
        #[command(subcommand)]
        command: netcmd::NetworkCommand,
    },
    /// Gas supply model: maximum flows and bottlenecks, security of supply (N-1), scenarios.
    Gas(gascmd::GasArgs),
    /// Threats to routes: a route's, a corridor's or the high-risk areas' exposure to recorded
    /// incidents (risk field, listed areas, war-risk premiums, nearest incidents with sources).
    Risk(riskcmd::RiskCmd),
}

#[derive(clap::Args)]
struct CompareArgs {
    from: String,
    to: String,
    #[command(flatten)]
    constraints: ConstraintArgs,
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    risk: riskcmd::RiskArgs,
    #[arg(long, default_value = "table", value_parser = formats(TABLE_JSON_CSV))]
    format: Format,
}

#[derive(clap::Args)]
struct MatrixArgs {
    /// Origins: a file with one place per line (names, UN/LOCODEs or lat,lon; '#' comments), or
    /// places separated by ';'.
    #[arg(long)]
    from: String,
    /// Destinations, in the same forms.
    #[arg(long)]
    to: String,
    #[command(flatten)]
    constraints: ConstraintArgs,
    #[command(flatten)]
    model: ModelArgs,
    /// Worker threads (default and maximum: the machine's cores).
    #[arg(long)]
    threads: Option<usize>,
    #[arg(long, default_value = "csv", value_parser = formats(TABLE_JSON_CSV))]
    format: Format,
}

#[derive(clap::Args)]
struct CriticalArgs {
    /// Origin/destination flows: CSV with header from,to[,demand].
    #[arg(long)]
    od: Option<PathBuf>,
    /// A corridor of data/corridors.toml (middle, northern, ...): its exclusions and modes are
    /// added (not its via points, so that flows can re-route), and without --od its default
    /// flows (data/od/<corridor>.csv) are used.
    #[arg(long)]
    corridor: Option<String>,
    #[command(flatten)]
    constraints: ConstraintArgs,
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    risk: riskcmd::RiskArgs,
    /// Rows to show in the table (JSON and CSV carry every element).
    #[arg(long, default_value_t = 25)]
    top: usize,
    /// Worker threads (default and maximum: the machine's cores).
    #[arg(long)]
    threads: Option<usize>,
    #[arg(long, default_value = "table", value_parser = formats(TABLE_JSON_CSV))]
    format: Format,
}

#[derive(clap::Args)]
struct RouteArgs {
    /// Origin: a place name ("Xi'an", "Brest, BY"), a UN/LOCODE (NLRTM) or "lat,lon".
    from: String,
    /// Destination, in the same forms as the origin.
    to: String,
    /// Places to pass through, in order (repeatable).
    #[arg(long)]
    via: Vec<String>,
    #[command(flatten)]
    constraints: ConstraintArgs,
    #[command(flatten)]
    model: ModelArgs,
    /// Also return up to K meaningfully different routes (penalty method: stretch at most 1.5x,
    /// at most 70% of km shared with an earlier route).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=5))]
    alternatives: u8,
    #[command(flatten)]
    risk: riskcmd::RiskArgs,
    /// Show the dwell breakdown (borders, gauge breaks, port handling, ferry waits, canals) with
    /// the parameters behind each figure.
    #[arg(long)]
    explain: bool,
    #[arg(long, default_value = "table", value_parser = formats(ROUTE_FORMATS))]
    format: Format,
}

/// Worker threads: as asked but at most the machine's cores (more only adds contention and
/// memory: each holds node-sized search state), all of them by default.
fn worker_threads(asked: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    asked.unwrap_or(cores).clamp(1, cores)
}

/// Restores the default SIGPIPE action, so that `corridor route ... | head` ends quietly when
/// the reader closes the pipe instead of panicking in `println!` (Rust ignores SIGPIPE). Not for
/// the server, whose sockets must report a closed connection as an error.
#[cfg(unix)]
fn default_sigpipe() {
    unsafe extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    // Safety: resetting a signal to its default action at start-up, before any thread exists.
    unsafe {
        signal(SIGPIPE, SIG_DFL);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    #[cfg(unix)]
    if !matches!(cli.command, Command::Serve(..)) {
        default_sigpipe();
    }
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("corridor: {}", fmt::escape_controls(&f.message));
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Route(args) => {
            let constraints = args.constraints.to_constraints()?;
            let params = args.model.load()?;
            let timing = std::env::var_os("CORRIDOR_TIMING").is_some();
            let t = std::time::Instant::now();
            let lap = |what: &str| {
                if timing {
                    eprintln!("timing: {what} at {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
                }
            };
            let net = load::network(cli.network.as_ref())?;
            lap("network loaded");
            let planner = Planner::with_params(net, params);
            lap("planner built");
            let planner = load::attach_engine(planner);
            lap("engine attached");
            let (planner, risk) = riskcmd::apply(&args.risk, planner)?;
            let q = Query { from: args.from, to: args.to, via: args.via, constraints, objective: args.model.by };
            let routes = planner.routes(&q, args.alternatives as usize)?;
            lap("routes found");
            output::print_routes(&planner, &q, &routes, args.format, args.explain);
            riskcmd::after_route(&risk, &planner, &routes, args.format, args.explain);
            lap("printed");
            Ok(0)
        }
        Command::Compare(args) => {
            let constraints = args.constraints.to_constraints()?;
            let params = args.model.load()?;
            let net = load::network(cli.network.as_ref())?;
            let planner = load::planner(net, params);
            let (planner, risk) = riskcmd::apply(&args.risk, planner)?;
            let catalogue = corridor::compare::Catalogue::shipped();
            let rows =
                corridor::compare::compare(&planner, &catalogue, &args.from, &args.to, &constraints, args.model.by)?;
            output::print_compare(&planner, &rows, args.format, constraints.door);
            riskcmd::after_compare(&risk, args.format);
            Ok(0)
        }
        Command::Critical(args) => {
            let constraints = args.constraints.to_constraints()?;
            let params = args.model.load()?;
            let od_text = (args.od.as_ref()).map(|path| read_input(path)).transpose()?;
            let (ods, constraints) = corridor::critical::inputs(
                od_text.as_deref(),
                args.corridor.as_deref(),
                constraints,
                &corridor::compare::Catalogue::shipped(),
            )?;
            let net = load::network(cli.network.as_ref())?;
            let planner = load::planner(net, params);
            let (planner, risk) = riskcmd::apply(&args.risk, planner)?;
            let threads = worker_threads(args.threads);
            let bar = if std::io::stderr().is_terminal() {
                indicatif::ProgressBar::new(0)
            } else {
                indicatif::ProgressBar::hidden()
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "removing elements {bar:30} {pos}/{len} [{elapsed}, eta {eta}]",
                )
                .unwrap(),
            );
            let result =
                corridor::critical::critical(&planner, &ods, &constraints, args.model.by, threads, &|done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                    true
                })?;
            bar.finish_and_clear();
            output::print_critical(&result, args.top, args.format);
            riskcmd::after_compare(&risk, args.format);
            Ok(0)
        }
        Command::Matrix(args) => {
            let constraints = args.constraints.to_constraints()?;
            let params = args.model.load()?;
            let (origins, destinations) = (place_list(&args.from)?, place_list(&args.to)?);
            let net = load::network(cli.network.as_ref())?;
            let planner = load::planner(net, params);
            let threads = worker_threads(args.threads);
            let bar = if std::io::stderr().is_terminal() {
                indicatif::ProgressBar::new(origins.len() as u64)
            } else {
                indicatif::ProgressBar::hidden()
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} origins [{elapsed} < {eta}]").unwrap(),
            );
            let m = planner.matrix(&origins, &destinations, &constraints, args.model.by, threads, &|| bar.inc(1))?;
            bar.finish_and_clear();
            output::print_matrix(&m, args.format);
            Ok(0)
        }
        Command::Validate { format, params } => {
            let net = load::network(cli.network.as_ref())?;
            let overrides = match &params {
                Some(path) => Some((read_input(path)?, path.display().to_string())),
                None => None,
            };
            let planner = load::planner(net, load_params(None, None, params.as_ref())?);
            let checks = corridor::validation::run_with_overrides(
                &planner,
                &corridor::compare::Catalogue::shipped(),
                overrides.as_ref().map(|(t, o)| (t.as_str(), o.as_str())),
            )?;
            output::print_validation(&checks, format);
            let unexplained = checks.iter().filter(|c| !c.within && c.explanation.is_none()).count();
            Ok(if unexplained > 0 { 1 } else { 0 })
        }
        Command::Params { params, market, markets, format } => {
            if markets {
                let list: Vec<corridor::model::params::Market> = corridor::model::params::MARKETS
                    .iter()
                    .map(|(name, _)| Params::for_market(name).map(|p| p.market))
                    .collect::<Result<_, _>>()?;
                output::print_markets(&list, format);
                return Ok(0);
            }
            let p = load_params(market.as_deref(), None, params.as_ref())?;
            output::print_params(&p, format);
            Ok(0)
        }
        Command::Prepare { force, check } => prepare::run(cli.network.as_ref(), force, check),
        Command::Places { query, limit, format } => {
            let net = load::network(cli.network.as_ref())?;
            let planner = Planner::new(net.clone());
            let hits = planner.gazetteer().complete(&net.meta.places, &query, limit);
            output::print_places(&net, &hits, format);
            Ok(if hits.is_empty() { 1 } else { 0 })
        }
        Command::Serve(args) => {
            // the server crate binds and serves; the CLI loads (its loader, its warnings)
            let params = load_params(None, None, args.params.as_ref())?;
            let server = corridor_server::Server::bind(&args)?;
            let net = load::network(cli.network.as_ref())?;
            server.run(load::planner(net, params), load::warnings);
            Ok(0)
        }
        Command::Network { command } => netcmd::run(command, cli.network.as_ref()),
        Command::Scenario(args) => whatif::scenario(args, cli.network.as_ref()),
        Command::Capacity(args) => whatif::capacity(args, cli.network.as_ref()),
        Command::Gas(args) => gascmd::run(args),
        Command::Risk(args) => riskcmd::run(args, cli.network.as_ref()),
    }
}
