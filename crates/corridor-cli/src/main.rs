//! `corridor`: the command-line interface. Thin: parse arguments, call the library, format output.
//! Exit codes: 0 success, 1 no route or failed check, 2 bad input (including bad flags).

mod load;
mod netcmd;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use corridor::engine::bidir::Searcher;
use corridor::network::Mode;
use corridor::planner::{Constraints, Planner, Query};

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
    /// Find places in the gazetteer (cities, ports, corridor places) by name prefix.
    Places {
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Build, check or describe the network.
    Network {
        #[command(subcommand)]
        command: netcmd::NetworkCommand,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Geojson,
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
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Exclusion flags shared by every routing command.
#[derive(clap::Args, Clone)]
pub struct ConstraintArgs {
    /// Countries the route must not touch (ISO 3166-1 alpha-2, comma-separated), e.g. RU,IR.
    #[arg(long, value_delimiter = ',')]
    avoid: Vec<String>,
    /// Also avoid the territorial waters of the --avoid countries (closes Hormuz with IR, the
    /// Bosporus with TR...). Off by default: ships pass through territorial seas.
    #[arg(long)]
    avoid_waters: bool,
    /// Maritime passages to avoid, e.g. suez,babalmandab,ormuz,bosporus,malacca,panama,gibraltar.
    #[arg(long, value_delimiter = ',')]
    avoid_passage: Vec<String>,
    /// Open passages that are closed by default (northwest, nsr: ice-bound Arctic routes).
    #[arg(long, value_delimiter = ',')]
    allow_passage: Vec<String>,
    /// Modes to use (comma-separated subset of rail,road,sea,ferry; default all).
    #[arg(long, value_delimiter = ',')]
    modes: Vec<String>,
    /// Use planned links (IMEC's missing rail, Rasht-Astara...).
    #[arg(long)]
    allow_planned: bool,
}

impl ConstraintArgs {
    fn to_constraints(&self) -> Result<Constraints, corridor::Error> {
        let modes = self
            .modes
            .iter()
            .filter(|m| !m.trim().is_empty())
            .map(|m| Mode::parse(m).ok_or_else(|| corridor::Error::UnknownMode(m.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        let clean =
            |v: &Vec<String>| v.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect::<Vec<_>>();
        Ok(Constraints {
            avoid: clean(&self.avoid),
            avoid_passages: clean(&self.avoid_passage),
            allow_passages: clean(&self.allow_passage),
            modes,
            allow_planned: self.allow_planned,
            avoid_waters: self.avoid_waters,
        })
    }
}

/// An error on its way out, with the exit code it maps to.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl From<corridor::Error> for Failure {
    fn from(e: corridor::Error) -> Failure {
        // bad input exits 2; no route, failed checks and everything else exit 1
        let code = if e.is_bad_input() { 2 } else { 1 };
        Failure { code, message: e.to_string() }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure { code: 1, message: format!("{e:#}") }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("corridor: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Route(args) => {
            let constraints = args.constraints.to_constraints()?;
            let net = load::network(cli.network.as_ref())?;
            let planner = Planner::new(&net);
            let mut searcher = Searcher::new(&net);
            let q = Query { from: args.from, to: args.to, via: args.via, constraints };
            let route = planner.route(&q, &mut searcher)?;
            output::print_route(&net, &q, &route, args.format);
            Ok(0)
        }
        Command::Places { query, limit, format } => {
            let net = load::network(cli.network.as_ref())?;
            let planner = Planner::new(&net);
            let hits = planner.gazetteer.complete(&net.meta.places, &query, limit);
            output::print_places(&net, &hits, format);
            Ok(if hits.is_empty() { 1 } else { 0 })
        }
        Command::Network { command } => netcmd::run(command, cli.network.as_ref()),
    }
}
