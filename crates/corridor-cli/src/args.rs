//! What the command modules share with the crate root: the output formats and their `--format`
//! parsers, the flag groups of the routing commands (`ModelArgs`, `ConstraintArgs`), input files
//! read with a size limit, and `Failure` (an error with its exit code; library errors by their
//! `corridor::error::Reason`). Its own module, so that the command modules do not depend on
//! `main.rs`, which depends on them.

use std::path::PathBuf;

use corridor::model::cost::Objective;
use corridor::model::params::Params;
use corridor::planner::Constraints;

/// Output formats. Each command accepts only those it can write (see [`formats`]): anything
/// else is a clap error listing the command's formats.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Table,
    Json,
    Geojson,
    Csv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Geojson => "geojson",
            Format::Csv => "csv",
        }
    }
}

/// Formats of the commands that write a table or its JSON.
pub const TABLE_JSON: &[Format] = &[Format::Table, Format::Json];
/// Formats of the commands that write rows: a table, JSON or CSV.
pub const TABLE_JSON_CSV: &[Format] = &[Format::Table, Format::Json, Format::Csv];
/// Formats of the route command: a table, JSON or a GeoJSON FeatureCollection.
pub const ROUTE_FORMATS: &[Format] = &[Format::Table, Format::Json, Format::Geojson];

/// A `--format` parser that accepts exactly `allowed`.
pub fn formats(allowed: &'static [Format]) -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(allowed.iter().map(|f| f.name()))
        .map(move |s| *allowed.iter().find(|f| f.name() == s).expect("a listed format"))
}

/// The `--by` values: the library's objectives by name (the library's [`Objective::parse`] reads
/// them), listed so that clap can suggest and complete them.
pub fn objective_parser() -> impl clap::builder::TypedValueParser<Value = Objective> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["distance", "time", "cost", "co2"])
        .map(|s| Objective::parse(&s).expect("every listed value is an objective"))
}

/// The largest text file the CLI reads (parameter, scenario, OD, place-list, QA files): far above
/// any real one, so `--params /dev/zero` or a wrong file is refused instead of read forever.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// Reads a text input file, refusing anything larger than [`MAX_INPUT_BYTES`] (exit 2).
pub fn read_input(path: &std::path::Path) -> Result<String, Failure> {
    use std::io::Read;
    let fail = |m: String| Failure { code: 2, message: format!("{}: {m}", path.display()) };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(fail(format!("larger than {} MB: not an input file corridor reads", MAX_INPUT_BYTES >> 20)));
    }
    String::from_utf8(bytes).map_err(|_| fail("not UTF-8 text".into()))
}

/// Places from a file (one per line) or a ';'-separated list.
pub fn place_list(arg: &str) -> Result<Vec<String>, Failure> {
    let path = std::path::Path::new(arg);
    let text = if path.is_file() { read_input(path)? } else { arg.replace(';', "\n") };
    let list: Vec<String> =
        text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect();
    if list.is_empty() {
        return Err(Failure { code: 2, message: format!("no places in '{arg}'") });
    }
    Ok(list)
}

/// Cost-model flags shared by routing commands.
#[derive(clap::Args, Clone)]
pub struct ModelArgs {
    /// Objective: cost (total logistics cost: charges plus capital cost of the cargo in transit,
    /// US$/FEU; the default), time, distance or co2 (kg CO2e/TEU, well-to-wheel).
    #[arg(long, default_value = "cost", value_parser = objective_parser())]
    pub by: Objective,
    /// Freight market state: normal-2023 (default), red-sea-2024 or latest (see `corridor params --markets`).
    #[arg(long)]
    pub market: Option<String>,
    /// Value of the cargo, US$ per TEU (capital cost in transit; default cargo.value_usd_per_teu).
    #[arg(long)]
    pub cargo_value: Option<f64>,
    /// Parameter overrides (TOML key = value pairs; see `corridor params`).
    #[arg(long)]
    pub params: Option<PathBuf>,
}

impl ModelArgs {
    /// The parameters these flags select: market state, cargo value, then the override file.
    pub fn load(&self) -> Result<Params, Failure> {
        load_params(self.market.as_deref(), self.cargo_value, self.params.as_ref())
    }
}

/// Loads the shipped parameters in a market state (default: a normal year), sets the cargo value
/// and applies an override file.
pub fn load_params(market: Option<&str>, cargo_value: Option<f64>, path: Option<&PathBuf>) -> Result<Params, Failure> {
    let mut p = match market {
        Some(m) => Params::for_market(m)?,
        None => Params::defaults(),
    };
    if let Some(v) = cargo_value {
        p.apply_overrides(&format!("\"cargo.value_usd_per_teu\" = {v:?}"), "--cargo-value")?;
    }
    if let Some(path) = path {
        let text = read_input(path)?;
        p.apply_overrides(&text, &path.display().to_string())?;
    }
    Ok(p)
}

/// Exclusion flags shared by every routing command.
#[derive(clap::Args, Clone)]
pub struct ConstraintArgs {
    /// Countries the route must not touch (ISO 3166-1 alpha-2, comma-separated), e.g. RU,IR.
    #[arg(long, value_delimiter = ',')]
    pub avoid: Vec<String>,
    /// Also avoid the territorial waters of the --avoid countries (closes Hormuz with IR, the
    /// Bosporus with TR...). Off by default: ships pass through territorial seas.
    #[arg(long)]
    pub avoid_waters: bool,
    /// Maritime passages to avoid, e.g. suez,babalmandab,ormuz,bosporus,malacca,panama,gibraltar.
    #[arg(long, value_delimiter = ',')]
    pub avoid_passage: Vec<String>,
    /// Open passages that are closed by default (northwest, nsr: ice-bound Arctic routes).
    #[arg(long, value_delimiter = ',')]
    pub allow_passage: Vec<String>,
    /// Modes to use (comma-separated subset of rail,road,sea,ferry; default all).
    #[arg(long, value_delimiter = ',')]
    pub modes: Vec<String>,
    /// Use planned links (IMEC's missing rail, Rasht-Astara...).
    #[arg(long)]
    pub allow_planned: bool,
    /// Door to door: add the truck from the place to the network and back at the other end, with
    /// a drayage charge at both ends of a route by rail or container ship; by cost, the cheaper of
    /// that and a route by road alone (default: terminal to terminal, port to port).
    #[arg(long)]
    pub door: bool,
}

impl ConstraintArgs {
    pub fn to_constraints(&self) -> Result<Constraints, corridor::Error> {
        Constraints::from_lists(
            &self.avoid,
            &self.avoid_passage,
            &self.allow_passage,
            &self.modes,
            self.allow_planned,
            self.avoid_waters,
        )
        .map(|c| Constraints { door: self.door, ..c })
    }
}

/// An error on its way out, with the exit code it maps to.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl From<corridor::Error> for Failure {
    fn from(e: corridor::Error) -> Failure {
        // the library's reason decides: bad input exits 2; no route, a damaged file, a stop and
        // I/O errors exit 1
        let code = if e.reason().is_bad_input() { 2 } else { 1 };
        let message = match &e {
            // the exclusions that block the route, in the flags' terms
            corridor::Error::NoRoute { from, to, lifts, .. } if !lifts.is_empty() => {
                let hint = corridor::error::hint_of(lifts, |l| match l {
                    corridor::error::Lift::AllowPlanned => format!("{} (--allow-planned)", l.describe()),
                    _ => l.describe(),
                });
                format!("no route from {from} to {to} under the given constraints: {}", hint.unwrap_or_default())
            }
            _ => e.to_string(),
        };
        Failure { code, message }
    }
}

impl From<corridor_server::StartError> for Failure {
    fn from(e: corridor_server::StartError) -> Failure {
        Failure { code: e.code, message: e.message }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure { code: 1, message: format!("{e:#}") }
    }
}
