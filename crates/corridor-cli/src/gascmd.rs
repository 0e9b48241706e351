//! `corridor gas ...`: the gas supply model (library: `corridor::gas`). Parses flags, calls the
//! library, prints tables for people and JSON or CSV for programs.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Subcommand};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use corridor::gas::analysis::{self, FlowResult, Options, SecurityReport, SecurityRow};
use corridor::gas::{build, qa, scenario, GasError, GasNetwork};

use crate::{Failure, Format};

impl From<GasError> for Failure {
    fn from(e: GasError) -> Failure {
        Failure { code: if e.is_bad_input() { 2 } else { 1 }, message: e.to_string() }
    }
}

#[derive(Args)]
pub struct GasArgs {
    /// Gas network file instead of the embedded data/gas/network.json.
    #[arg(long, global = true)]
    gas_network: Option<PathBuf>,
    #[command(subcommand)]
    command: GasCommand,
}

/// Exclusions shared by the questions.
#[derive(Args, Clone, Default)]
pub struct Exclusions {
    /// Countries no gas may flow through (ISO codes, comma-separated), e.g. RU,UA.
    #[arg(long, value_delimiter = ',')]
    pub avoid: Vec<String>,
    /// Pipelines or LNG terminals to remove (names, comma-separated), e.g. "TurkStream,TAP".
    #[arg(long, value_delimiter = ',')]
    pub without: Vec<String>,
}

#[derive(Subcommand)]
pub enum GasCommand {
    /// Build, check or describe the gas network.
    Network {
        #[command(subcommand)]
        command: NetworkCommand,
    },
    /// Maximum deliverable gas (bcm/y) from suppliers to countries, its bottleneck (minimum cut,
    /// named pipelines) and the paths with their flows.
    Flow {
        /// Suppliers: codes or names, comma-separated (RU, NO, DZ, LY, AZ, TM, IR, KZ, UZ, EG, IL, LNG).
        #[arg(long)]
        from: String,
        /// Countries: codes or names, comma-separated; EU = the 27 member states; -XX removes one (EU,-GR).
        #[arg(long)]
        to: String,
        #[command(flatten)]
        excl: Exclusions,
        /// Do not serve the suppliers' committed offtakes outside --to first (data/gas/commitments.csv:
        /// Turkey's and Georgia's contracts for Azerbaijani gas...).
        #[arg(long)]
        no_reserve: bool,
        /// Do not cap suppliers at their availability (data/gas/supply.csv); with --no-reserve, the
        /// pure physical maximum flow of the pipes and terminals.
        #[arg(long)]
        no_supply_cap: bool,
        /// Paths shown in the table (JSON and CSV carry all).
        #[arg(long, default_value_t = 12)]
        paths: usize,
        #[arg(long, default_value = "table", value_parser = crate::formats(crate::TABLE_JSON_CSV))]
        format: Format,
    },
    /// Per country: gas deliverable without a supplier (default RU), share of demand covered,
    /// the single infrastructure whose loss hurts most, and the N-1 formula (Reg. 2017/1938).
    Security {
        /// Suppliers whose gas is excluded (comma-separated; "none" for none).
        #[arg(long, value_delimiter = ',', default_value = "RU")]
        without_supplier: Vec<String>,
        #[command(flatten)]
        excl: Exclusions,
        /// Do not cap suppliers at their availability (data/gas/supply.csv).
        #[arg(long)]
        no_supply_cap: bool,
        /// Only these countries (codes, names or EU).
        #[arg(long)]
        country: Option<String>,
        #[arg(long, default_value = "table", value_parser = crate::formats(crate::TABLE_JSON_CSV))]
        format: Format,
    },
    /// Apply a scenario file ([gas] section) and report its flow questions and the security table
    /// before and after.
    Scenario {
        file: PathBuf,
        #[arg(long, value_delimiter = ',', default_value = "RU")]
        without_supplier: Vec<String>,
        #[arg(long, default_value = "table", value_parser = crate::formats(crate::TABLE_JSON_CSV))]
        format: Format,
    },
    /// Compare the model with data/validation/gas.csv; exit 1 on an unexplained gap.
    Validate {
        #[arg(long, default_value = "table", value_parser = crate::formats(crate::TABLE_JSON_CSV))]
        format: Format,
    },
    /// Time every gas query (median and max of N runs) on this machine.
    Bench {
        #[arg(long, default_value_t = 21)]
        runs: usize,
    },
}

#[derive(Subcommand)]
pub enum NetworkCommand {
    /// Build the network file from data/gas (sources, countries.csv, overrides.csv).
    Build {
        #[arg(long, default_value = "data/gas")]
        dir: PathBuf,
        #[arg(long, default_value = "data/gas/network.json")]
        out: PathBuf,
    },
    /// Check the known pipelines (data/gas/qa.csv); exit 1 on failure.
    Check {
        #[arg(long, default_value = "table", value_parser = crate::formats(crate::TABLE_JSON_CSV))]
        format: Format,
    },
    /// Describe the network: sources, counts, pipelines with their routes and capacities.
    Info {
        /// List every pipeline and terminal.
        #[arg(long)]
        all: bool,
        #[arg(long, default_value = "table", value_parser = crate::formats(crate::TABLE_JSON_CSV))]
        format: Format,
    },
}

fn load(path: Option<&PathBuf>) -> Result<GasNetwork, Failure> {
    match path {
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| Failure { code: 2, message: format!("{}: {e}", p.display()) })?;
            Ok(GasNetwork::from_json(&bytes)?)
        }
        None => Ok(GasNetwork::embedded()?),
    }
}

pub fn options(net: &GasNetwork, excl: &Exclusions, without_supplier: &[String]) -> Result<Options, Failure> {
    Ok(Options::resolve(net, &excl.avoid, &excl.without, without_supplier)?)
}

/// One CSV field, quoted by the `csv` crate where needed, control characters escaped.
fn csv_field(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        crate::fmt::csv_record([s])
    }
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map(|x| format!("{x:.digits$}")).unwrap_or_default()
}

pub fn run(args: GasArgs) -> Result<u8, Failure> {
    let path = args.gas_network.as_ref();
    match args.command {
        GasCommand::Network { command } => network(command, path),
        GasCommand::Flow { from, to, excl, no_reserve, no_supply_cap, paths, format } => {
            let net = load(path)?;
            let mut opts = options(&net, &excl, &[])?;
            (opts.no_reserve, opts.no_supply_cap) = (no_reserve, no_supply_cap);
            let from = net.parse_suppliers(&from)?;
            let to = net.parse_countries(&to)?;
            let r = analysis::max_flow(&net, &from, &to, &opts)?;
            print_flow(&r, &opts, paths, format);
            Ok(0)
        }
        GasCommand::Security { without_supplier, excl, no_supply_cap, country, format } => {
            let net = load(path)?;
            let mut opts = options(&net, &excl, &without_supplier)?;
            opts.no_supply_cap = no_supply_cap;
            let only = country.map(|c| net.parse_countries(&c)).transpose()?;
            let report = analysis::security_report(&net, &opts, only.as_deref())?;
            print_security(&report, &opts, format);
            Ok(0)
        }
        GasCommand::Scenario { file, without_supplier, format } => {
            let net = load(path)?;
            let text = crate::read_input(&file)?;
            let sc = scenario::Scenario::parse(&text, &file.display().to_string())?;
            let opts = options(&net, &Exclusions::default(), &without_supplier)?;
            let report = scenario::evaluate(&net, &sc, &opts)?;
            print_scenario(&report, &opts, format);
            Ok(0)
        }
        GasCommand::Validate { format } => {
            let net = load(path)?;
            let rows = qa::validate(&net, qa::VALIDATION_CSV)?;
            let unexplained = rows.iter().filter(|r| !r.within && r.explanation.is_empty()).count();
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&rows).unwrap()),
                Format::Csv => {
                    println!("id,kind,query,observed,year,model,within,rule,explanation");
                    for r in &rows {
                        println!(
                            "{},{},{},{},{},{},{},{},{}",
                            r.id,
                            r.kind,
                            csv_field(&r.query),
                            r.observed,
                            r.year,
                            opt(r.model, 3),
                            r.within,
                            csv_field(&r.rule),
                            csv_field(&r.explanation)
                        );
                    }
                }
                _ => {
                    let mut t = Table::new();
                    t.load_preset(UTF8_FULL_CONDENSED);
                    t.set_header(["id", "query", "published", "year", "model", "ok", "rule / explanation"]);
                    for r in &rows {
                        let note = if r.explanation.is_empty() { r.rule.clone() } else { r.explanation.clone() };
                        t.add_row([
                            r.id.clone(),
                            r.query.clone(),
                            format!("{}", r.observed),
                            r.year.clone(),
                            opt(r.model, 2),
                            (if r.within { "yes" } else { "GAP" }).to_string(),
                            note,
                        ]);
                    }
                    println!("{t}");
                    println!(
                        "{} rows, {} outside, {unexplained} unexplained",
                        rows.len(),
                        rows.iter().filter(|r| !r.within).count()
                    );
                }
            }
            Ok(if unexplained > 0 { 1 } else { 0 })
        }
        GasCommand::Bench { runs } => bench(path, runs.max(1)),
    }
}

fn network(cmd: NetworkCommand, path: Option<&PathBuf>) -> Result<u8, Failure> {
    match cmd {
        NetworkCommand::Build { dir, out } => {
            let read = |name: &str| {
                let p = dir.join(name);
                std::fs::read_to_string(&p).map_err(|e| Failure { code: 2, message: format!("{}: {e}", p.display()) })
            };
            let (pipelines, lng, storage) = (
                read("sources/ggit_pipelines.csv")?,
                read("sources/ggit_lng_import.csv")?,
                read("sources/iggielgn_storage.csv")?,
            );
            let (countries, overrides) = (read("countries.csv")?, read("overrides.csv")?);
            let interconnections = read("interconnections.csv")?;
            let (supply, commitments) = (read("supply.csv")?, read("commitments.csv")?);
            let src = build::Sources {
                pipelines: &pipelines,
                lng: &lng,
                storage: &storage,
                countries: &countries,
                overrides: &overrides,
                interconnections: &interconnections,
                supply: &supply,
                commitments: &commitments,
            };
            let tagger = corridor_build::countries::Tagger::new();
            let built = build::build(&src, &|lat, lon| tagger.country(lat, lon))?;
            for line in &built.log {
                eprintln!("{line}");
            }
            let bytes = built.network.to_json();
            let tmp = out.with_extension("json.tmp");
            std::fs::write(&tmp, &bytes)
                .and_then(|_| std::fs::rename(&tmp, &out))
                .map_err(|e| Failure { code: 1, message: format!("{}: {e}", out.display()) })?;
            eprintln!("wrote {} ({} bytes); rebuild the binary to embed it", out.display(), bytes.len());
            Ok(0)
        }
        NetworkCommand::Check { format } => {
            let net = load(path)?;
            let rows = qa::check(&net, qa::QA_CSV)?;
            let failed = rows.iter().filter(|r| !r.ok).count();
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&rows).unwrap()),
                Format::Csv => {
                    println!("name,expected,found,ok");
                    for r in &rows {
                        println!("{},{},{},{}", csv_field(&r.name), csv_field(&r.expected), csv_field(&r.found), r.ok);
                    }
                }
                _ => {
                    let mut t = Table::new();
                    t.load_preset(UTF8_FULL_CONDENSED);
                    t.set_header(["pipeline", "expected", "found", "ok"]);
                    for r in &rows {
                        t.add_row([
                            r.name.clone(),
                            r.expected.clone(),
                            r.found.clone(),
                            (if r.ok { "ok" } else { "FAIL" }).into(),
                        ]);
                    }
                    println!("{t}");
                    println!("{} checks, {failed} failed", rows.len());
                }
            }
            Ok(if failed > 0 { 1 } else { 0 })
        }
        NetworkCommand::Info { all, format } => {
            let net = load(path)?;
            let operating = net.pipelines.iter().filter(|p| p.operating()).count();
            match format {
                Format::Json => {
                    if all {
                        println!("{}", String::from_utf8(net.to_json()).unwrap());
                    } else {
                        let info = serde_json::json!({
                            "version": net.version, "sources": net.sources, "countries": net.countries.len(),
                            "suppliers": net.suppliers, "pipelines": net.pipelines.len(), "operating_pipelines": operating,
                            "terminals": net.terminals.len(), "storage_sites": net.storages.len(),
                            "supply": net.supply, "commitments": net.commitments,
                        });
                        println!("{}", serde_json::to_string_pretty(&info).unwrap());
                    }
                }
                Format::Csv => {
                    println!("kind,name,status,route,capacity_bcm_y,reverse_bcm_y,route_from,ids");
                    for p in &net.pipelines {
                        println!(
                            "pipeline,{},{},{},{},{},{},{}",
                            csv_field(&p.name),
                            p.status,
                            p.route.join(">"),
                            p.capacity,
                            p.reverse,
                            p.route_from,
                            p.ids.join(" ")
                        );
                    }
                    for c in &net.supply {
                        println!(
                            "supply,{},{},{},{},0,{},{}",
                            c.supplier,
                            c.year,
                            c.supplier,
                            c.bcm,
                            csv_field(&c.basis),
                            csv_field(&c.source)
                        );
                    }
                    for c in &net.commitments {
                        println!(
                            "commitment,{},{},{}>{},{},0,{},{}",
                            csv_field(&c.name),
                            c.year,
                            c.supplier,
                            c.offtaker,
                            c.bcm,
                            csv_field(&c.basis),
                            csv_field(&c.source)
                        );
                    }
                    for t in &net.terminals {
                        println!(
                            "terminal,{},{},{},{},0,,{}",
                            csv_field(&t.name),
                            t.status,
                            t.country,
                            t.capacity,
                            t.ids.join(" ")
                        );
                    }
                }
                _ => {
                    println!("gas network version {}", net.version);
                    for s in &net.sources {
                        println!("source: {s}");
                    }
                    println!(
                        "{} countries ({} with sourced demand, {} with a peak day), suppliers: {}",
                        net.countries.len(),
                        net.countries.iter().filter(|c| c.demand.is_some()).count(),
                        net.countries.iter().filter(|c| c.peak.is_some()).count(),
                        net.suppliers.join(", ")
                    );
                    println!(
                        "{} cross-border pipelines ({operating} operating), {} LNG import terminals ({} operating), {} storage sites",
                        net.pipelines.len(),
                        net.terminals.len(),
                        net.terminals.iter().filter(|t| t.status == "operating").count(),
                        net.storages.len()
                    );
                    let mut t = Table::new();
                    t.load_preset(UTF8_FULL_CONDENSED);
                    t.set_header(["pipeline", "status", "route", "bcm/y", "reverse", "corrections"]);
                    for p in net.pipelines.iter().filter(|p| all || p.operating() || !p.notes.is_empty()) {
                        t.add_row([
                            p.name.clone(),
                            p.status.clone(),
                            p.route.join(">"),
                            format!("{:.2}", p.capacity),
                            format!("{:.2}", p.reverse),
                            p.notes.len().to_string(),
                        ]);
                    }
                    println!("{t}");
                    if !all {
                        println!("(operating or corrected pipelines; --all for every pipeline, --format csv for terminals too)");
                    }
                    let mut t = Table::new();
                    t.load_preset(UTF8_FULL_CONDENSED);
                    t.set_header(["supplier", "availability bcm/y", "year", "basis", "source"]);
                    for s in &net.suppliers {
                        match net.supply_cap(s) {
                            Some(c) => t.add_row([
                                s.clone(),
                                format!("{:.2}", c.bcm),
                                c.year.clone(),
                                c.basis.clone(),
                                c.source.clone(),
                            ]),
                            None => t.add_row([
                                s.clone(),
                                "uncapped".into(),
                                String::new(),
                                String::new(),
                                "not sourced".into(),
                            ]),
                        };
                    }
                    println!("supply caps (data/gas/supply.csv):\n{t}");
                    let mut t = Table::new();
                    t.load_preset(UTF8_FULL_CONDENSED);
                    t.set_header(["committed offtake", "supplier>country", "bcm/y", "year", "basis", "source"]);
                    for c in &net.commitments {
                        t.add_row([
                            c.name.clone(),
                            format!("{}>{}", c.supplier, c.offtaker),
                            format!("{:.2}", c.bcm),
                            c.year.clone(),
                            c.basis.clone(),
                            c.source.clone(),
                        ]);
                    }
                    println!("committed offtakes, served before a flow question (data/gas/commitments.csv):\n{t}");
                }
            }
            Ok(0)
        }
    }
}

fn print_flow(r: &FlowResult, opts: &Options, paths: usize, format: Format) {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(r).unwrap()),
        Format::Csv => {
            println!("section,name,from,to,bcm_y");
            println!("max,,{},{},{:.3}", r.from.join(" "), r.to.join(" "), r.max_bcm);
            for c in &r.cut {
                println!("bottleneck,{},{},{},{:.3}", csv_field(&c.name), c.from, c.to, c.capacity);
                if c.reserved > 0.0 {
                    println!("bottleneck_committed,{},{},{},{:.3}", csv_field(&c.name), c.from, c.to, c.reserved);
                }
            }
            for p in &r.paths {
                println!(
                    "path,{},{},{},{:.3}",
                    csv_field(&p.text()),
                    p.supplier,
                    p.legs.last().and_then(|l| l.countries.last()).cloned().unwrap_or_default(),
                    p.flow
                );
            }
            for (c, f) in &r.delivered {
                println!("delivered,,,{c},{f:.3}");
            }
            for s in &r.supply {
                println!(
                    "supply_cap,{},{},,{}",
                    csv_field(s.basis.as_deref().unwrap_or("uncapped")),
                    s.supplier,
                    opt(s.cap, 3)
                );
            }
            for x in &r.reserved {
                println!("reserved,{},{},{},{:.3}", csv_field(&x.name), x.supplier, x.offtaker, x.served);
            }
        }
        _ => {
            let to = if r.to.len() > 6 { format!("{} countries", r.to.len()) } else { r.to.join(",") };
            println!("maximum deliverable from {} to {to}: {:.2} bcm/y", r.from.join(","), r.max_bcm);
            print_supply_notes(r);
            if !opts.avoid.is_empty() || !opts.without.is_empty() {
                println!(
                    "excluding: {}",
                    [opts.avoid.join(","), opts.without.join(",")]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("; ")
                );
            }
            if r.max_bcm == 0.0 {
                println!("no operating pipeline or terminal connects them under these exclusions");
                return;
            }
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            let reserved = r.cut.iter().any(|c| c.reserved > 0.0);
            if reserved {
                t.set_header(["bottleneck (minimum cut)", "border", "bcm/y", "committed", "left"]);
            } else {
                t.set_header(["bottleneck (minimum cut)", "border", "bcm/y"]);
            }
            for c in &r.cut {
                let (name, border) = if c.kind == "supply" {
                    (format!("{} export availability", c.from), c.from.clone())
                } else {
                    (c.name.clone(), format!("{}>{}", c.from, c.to))
                };
                let mut row = vec![name, border, format!("{:.2}", c.capacity)];
                if reserved {
                    row.push(format!("{:.2}", c.reserved));
                    row.push(format!("{:.2}", c.capacity - c.reserved));
                }
                t.add_row(row);
            }
            println!("{t}");
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header(["path (flow decomposition)", "bcm/y"]);
            for p in r.paths.iter().take(paths) {
                t.add_row([p.text(), format!("{:.2}", p.flow)]);
            }
            println!("{t}");
            if r.paths.len() > paths {
                println!("... {} more paths (--paths N, or --format json)", r.paths.len() - paths);
            }
            let d: Vec<String> = r.delivered.iter().map(|(c, f)| format!("{c} {f:.2}")).collect();
            println!("delivered (one maximum flow; the split can differ): {}", d.join(", "));
        }
    }
}

/// The caps and the committed offtakes of a flow answer, a line each (what was reserved, from
/// which figures).
fn print_supply_notes(r: &FlowResult) {
    let caps: Vec<String> = r
        .supply
        .iter()
        .map(|s| match (s.cap, &s.basis, &s.year) {
            (Some(c), Some(b), Some(y)) => format!("{} {c:.1} ({b} {y})", s.supplier),
            _ => format!("{} uncapped", s.supplier),
        })
        .collect();
    if r.supply_caps {
        println!("supply caps (data/gas/supply.csv, --no-supply-cap to lift): {}", caps.join(", "));
    } else {
        println!("supply caps: none (--no-supply-cap)");
    }
    if !r.reserve {
        println!("committed offtakes: not served first (--no-reserve)");
        return;
    }
    if r.reserved.is_empty() {
        return;
    }
    let mut by: Vec<(String, f64, f64, Vec<String>)> = Vec::new();
    for x in &r.reserved {
        let item = format!("{} {:.1}", x.name, x.bcm);
        match by.iter_mut().find(|b| b.0 == x.offtaker) {
            Some(b) => {
                b.1 += x.bcm;
                b.2 += x.served;
                b.3.push(item);
            }
            None => by.push((x.offtaker.clone(), x.bcm, x.served, vec![item])),
        }
    }
    let parts: Vec<String> = by
        .iter()
        .map(|(c, bcm, served, items)| {
            let short = if (bcm - served).abs() > 1e-9 { format!(", {served:.1} served") } else { String::new() };
            format!("{c} {bcm:.1} bcm/y{short} ({})", items.join(" + "))
        })
        .collect();
    let total: f64 = r.reserved.iter().map(|x| x.served).sum();
    println!(
        "reserved first for committed offtakes (data/gas/commitments.csv, --no-reserve to lift): {} = {total:.1} bcm/y",
        parts.join("; ")
    );
}

fn security_note(opts: &Options) -> String {
    let w = if opts.without_suppliers.is_empty() { "none".to_string() } else { opts.without_suppliers.join(",") };
    format!("suppliers excluded: {w}")
}

fn print_security(report: &SecurityReport, opts: &Options, format: Format) {
    let rows = &report.countries;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(report).unwrap()),
        Format::Csv => {
            println!("code,name,eu,own_supplier,demand_bcm,deliverable_bcm,covered_pct,worst_loss,after_loss_bcm,n1_pct,n1_largest,n1_largest_mcm_d,epm,pm,sm,lngm,dmax,dmax_estimated,note");
            for r in rows {
                let n = r.n1.as_ref();
                println!(
                    "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                    r.code,
                    csv_field(&r.name),
                    r.eu,
                    r.own_supplier,
                    opt(r.demand, 3),
                    opt(r.deliverable, 3),
                    opt(r.covered_pct, 1),
                    csv_field(&r.worst_loss.as_ref().map(|w| w.0.clone()).unwrap_or_default()),
                    opt(r.worst_loss.as_ref().map(|w| w.1), 3),
                    opt(n.map(|n| n.percent), 1),
                    csv_field(&n.map(|n| n.im_name.clone()).unwrap_or_default()),
                    opt(n.map(|n| n.im), 1),
                    opt(n.map(|n| n.epm), 1),
                    opt(n.map(|n| n.pm), 1),
                    opt(n.map(|n| n.sm), 1),
                    opt(n.map(|n| n.lngm), 1),
                    opt(n.map(|n| n.dmax), 1),
                    n.map(|n| n.dmax_estimated.to_string()).unwrap_or_default(),
                    csv_field(r.note.as_deref().unwrap_or_default()),
                );
            }
        }
        _ => {
            println!(
                "{}; each country alone (others' demand ignored), annual bcm/y; N-1 in mcm/d",
                security_note(opts)
            );
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header([
                "country",
                "demand",
                "deliverable",
                "covered",
                "worst single loss (after)",
                "N-1",
                "largest infrastructure (mcm/d)",
            ]);
            for r in rows {
                let deliverable = if r.own_supplier { "own supply".into() } else { opt(r.deliverable, 1) };
                t.add_row([
                    format!("{} {}", r.code, r.name),
                    opt(r.demand, 1),
                    deliverable,
                    r.covered_pct.map(|p| format!("{p:.0}%")).unwrap_or_default(),
                    r.worst_loss.as_ref().map(|(n, v)| format!("{n} ({v:.1})")).unwrap_or_default(),
                    r.n1.as_ref()
                        .map(|n| format!("{}{:.0}%", if n.dmax_estimated { "~" } else { "" }, n.percent))
                        .unwrap_or_default(),
                    r.n1.as_ref().map(|n| format!("{} ({:.0})", n.im_name, n.im)).unwrap_or_default(),
                ]);
            }
            println!("{t}");
            println!(
                "demand and peak day from data/gas/countries.csv (each with its source); empty demand = not sourced"
            );
            println!(
                "~N-1: Dmax not published, estimated as annual demand / 365 x the mean peak-to-average-day ratio of the countries with a published peak (data/gas/README.md)"
            );
            let notes: Vec<&SecurityRow> = rows.iter().filter(|r| r.note.is_some() && !r.own_supplier).collect();
            if !notes.is_empty() {
                println!("notes:");
                for r in notes {
                    println!("  {}: {}", r.code, r.note.as_deref().unwrap_or_default());
                }
            }
        }
    }
}

fn print_scenario(r: &scenario::Report, opts: &Options, format: Format) {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(r).unwrap()),
        Format::Csv => {
            println!("section,subject,measure,before,after");
            for f in &r.flows {
                let subject = format!("{}>{}", f.from, f.to);
                println!("flow,{},max_bcm,{:.3},{:.3}", csv_field(&subject), f.before.max_bcm, f.after.max_bcm);
            }
            for s in &r.security {
                println!(
                    "security,{},deliverable_bcm,{},{}",
                    s.before.code,
                    opt(s.before.deliverable, 3),
                    opt(s.after.deliverable, 3)
                );
                println!(
                    "security,{},covered_pct,{},{}",
                    s.before.code,
                    opt(s.before.covered_pct, 1),
                    opt(s.after.covered_pct, 1)
                );
                println!(
                    "security,{},n1_pct,{},{}",
                    s.before.code,
                    opt(s.before.n1.as_ref().map(|n| n.percent), 1),
                    opt(s.after.n1.as_ref().map(|n| n.percent), 1)
                );
            }
        }
        _ => {
            println!("scenario: {}", r.name);
            if !r.description.is_empty() {
                println!("{}", r.description);
            }
            let cut = |f: &FlowResult| {
                f.cut
                    .iter()
                    .map(|c| {
                        if c.kind == "supply" {
                            format!("{} export availability", c.from)
                        } else {
                            format!("{} {}>{}", c.name, c.from, c.to)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header(["flow", "before bcm/y", "after bcm/y", "change", "bottleneck after"]);
            for f in &r.flows {
                t.add_row([
                    format!("{} > {}", f.from, f.to),
                    format!("{:.2}", f.before.max_bcm),
                    format!("{:.2}", f.after.max_bcm),
                    format!("{:+.2}", f.after.max_bcm - f.before.max_bcm),
                    cut(&f.after),
                ]);
            }
            println!("{t}");
            if r.security.is_empty() {
                println!("security ({}): no country changes", security_note(opts));
                return;
            }
            println!("security, countries that change ({}):", security_note(opts));
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header(["country", "deliverable before", "after", "covered before", "after", "N-1 before", "after"]);
            let pct = |v: Option<f64>| v.map(|p| format!("{p:.0}%")).unwrap_or_default();
            for s in &r.security {
                let d = |x: &SecurityRow| if x.own_supplier { "own supply".into() } else { opt(x.deliverable, 1) };
                t.add_row([
                    format!("{} {}", s.before.code, s.before.name),
                    d(&s.before),
                    d(&s.after),
                    pct(s.before.covered_pct),
                    pct(s.after.covered_pct),
                    pct(s.before.n1.as_ref().map(|n| n.percent)),
                    pct(s.after.n1.as_ref().map(|n| n.percent)),
                ]);
            }
            println!("{t}");
        }
    }
}

/// Times each query kind `runs` times in this process (network loading included once, timed
/// separately) and prints median and max in milliseconds.
fn bench(path: Option<&PathBuf>, runs: usize) -> Result<u8, Failure> {
    let time = |f: &mut dyn FnMut()| -> (f64, f64) {
        let mut v: Vec<f64> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2], v[v.len() - 1])
    };
    let mut rows: Vec<(String, (f64, f64))> = Vec::new();
    rows.push((
        "load embedded network (parse JSON)".into(),
        time(&mut || {
            let _ = load(path).ok();
        }),
    ));
    let net = load(path)?;
    let eu = net.parse_countries("EU")?;
    let q = |s: &str| net.parse_suppliers(s).unwrap();
    let none = Options::default();
    let ru = Options { without_suppliers: vec!["RU".into()], ..Options::default() };
    let avoid =
        Options { avoid: vec!["RU".into(), "UA".into()], without: vec!["TurkStream".into()], ..Options::default() };
    rows.push((
        "flow AZ -> EU".into(),
        time(&mut || {
            analysis::max_flow(&net, &q("AZ"), &eu, &none).unwrap();
        }),
    ));
    rows.push((
        "flow all suppliers -> EU".into(),
        time(&mut || {
            analysis::max_flow(&net, &net.suppliers, &eu, &none).unwrap();
        }),
    ));
    rows.push((
        "flow NO,DZ,LNG -> EU --avoid RU,UA --without TurkStream".into(),
        time(&mut || {
            analysis::max_flow(&net, &q("NO,DZ,LNG"), &eu, &avoid).unwrap();
        }),
    ));
    rows.push((
        "security --without-supplier RU (all countries)".into(),
        time(&mut || {
            analysis::security(&net, &ru).unwrap();
        }),
    ));
    let sc = scenario::Scenario::parse(
        include_str!("../../../examples/scenarios/gas-southern-corridor-20.toml"),
        "example",
    )?;
    rows.push((
        "scenario gas-southern-corridor-20.toml".into(),
        time(&mut || {
            scenario::evaluate(&net, &sc, &ru).unwrap();
        }),
    ));
    rows.push((
        "network check".into(),
        time(&mut || {
            qa::check(&net, qa::QA_CSV).unwrap();
        }),
    ));
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(["query (in process)", "median ms", "max ms"]);
    for (name, (med, max)) in &rows {
        t.add_row([name.clone(), format!("{med:.2}"), format!("{max:.2}")]);
    }
    println!("{t}");
    println!(
        "{runs} runs each; {} threads available",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    Ok(0)
}
