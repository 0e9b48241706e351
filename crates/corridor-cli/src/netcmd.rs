//! `corridor network build|check|info`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::Subcommand;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use corridor::planner::Planner;
use indicatif::{ProgressBar, ProgressStyle};

use crate::fmt::{jsonln, outln};
use crate::{load, Failure, Format};

#[derive(Subcommand)]
pub enum NetworkCommand {
    /// Build the network file from the converted sources (scripts/fetch_sources.py) and the
    /// curated data; deterministic, written atomically.
    Build {
        #[arg(long, default_value = "data/sources")]
        sources: PathBuf,
        #[arg(long, default_value = "data/curated")]
        curated: PathBuf,
        #[arg(long, default_value = "data/network/world.cnet")]
        out: PathBuf,
        /// Stitch same-country gaps in rail and road up to this many km.
        #[arg(long, default_value_t = 2.0)]
        stitch_km: f64,
    },
    /// Check that the corridor segments connect with acceptable detours; exit 1 if one fails.
    Check {
        /// Segment list (CSV: name,from,to,modes,avoid,max_detour,note); default: the list shipped
        /// in data/qa/segments.csv.
        #[arg(long)]
        segments: Option<PathBuf>,
        #[arg(long, default_value = "table", value_parser = crate::formats(crate::TABLE_JSON))]
        format: Format,
    },
    /// Describe the network: version, sources and licences, counts, disputed-areas policy.
    Info {
        #[arg(long, default_value = "table", value_parser = crate::formats(crate::TABLE_JSON))]
        format: Format,
    },
}

pub fn run(cmd: NetworkCommand, network: Option<&PathBuf>) -> Result<u8, Failure> {
    match cmd {
        NetworkCommand::Build { sources, curated, out, stitch_km } => {
            if !(0.0..=50.0).contains(&stitch_km) {
                return Err(Failure { code: 2, message: "--stitch-km must be between 0 and 50".into() });
            }
            let bar = if std::io::stderr().is_terminal() { ProgressBar::new_spinner() } else { ProgressBar::hidden() };
            bar.set_style(ProgressStyle::with_template("{spinner} [{elapsed}] {msg}").unwrap());
            bar.enable_steady_tick(Duration::from_millis(120));
            let opts = corridor_build::BuildOptions { sources, curated, stitch_km };
            let built = corridor_build::build(&opts, &mut |m| bar.set_message(m.to_string())).map_err(|e| Failure {
                code: if matches!(e, corridor_build::BuildError::Network(_)) { 1 } else { 2 },
                message: e.to_string(),
            })?;
            bar.finish_and_clear();
            corridor::network::format::write_atomic(&out, &built.bytes)?;
            for w in &built.warnings {
                eprintln!("warning: {w}");
            }
            eprintln!("wrote {} ({:.1} MB)", out.display(), built.bytes.len() as f64 / 1e6);
            jsonln!("{}", serde_json::to_string_pretty(&built.stats).unwrap());
            Ok(0)
        }
        NetworkCommand::Check { segments, format } => {
            let text = match &segments {
                Some(p) => crate::read_input(p)?,
                None => load::QA_SEGMENTS.to_string(),
            };
            let specs = corridor::qa::parse_segments(&text)?;
            let net = load::network(network)?;
            let planner = Planner::new(net.clone());
            let results = corridor::qa::check(&planner, &specs)?;
            let failed = results.iter().filter(|r| !r.ok).count();
            if format == Format::Table {
                let mut t = Table::new();
                t.load_preset(UTF8_FULL_CONDENSED);
                t.set_header(vec!["segment", "modes", "km", "great-circle km", "detour", "max", "status"]);
                for r in &results {
                    t.add_row(vec![
                        r.name.clone(),
                        r.modes.clone(),
                        r.distance_km.map(|d| format!("{d:.0}")).unwrap_or("-".into()),
                        r.great_circle_km.map(|d| format!("{d:.0}")).unwrap_or("-".into()),
                        r.detour.map(|d| format!("{d:.2}")).unwrap_or("-".into()),
                        format!("{:.2}", r.max_detour),
                        if r.ok { "ok".into() } else { format!("FAIL: {}", r.problem.clone().unwrap_or_default()) },
                    ]);
                }
                outln!("{t}");
                outln!("{} segments, {} failed (network {})", results.len(), failed, net.meta.version);
            } else {
                jsonln!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({"network": net.meta.version, "failed": failed, "segments": results})
                    )
                    .unwrap()
                );
            }
            Ok(if failed > 0 { 1 } else { 0 })
        }
        NetworkCommand::Info { format } => {
            let net = load::network(network)?;
            let info = serde_json::json!({
                "version": net.meta.version,
                "nodes": net.node_count(),
                "edges": net.edge_count(),
                "stats": net.meta.stats,
                "sources": net.meta.sources,
                "attribution": net.meta.attribution,
                "disputed_policy": net.meta.disputed_policy,
                "passages": net.meta.passages[1..],
                "default_closed_passages": net.meta.default_closed_passages,
                "countries": net.meta.countries.len() - 1,
                "curated_links": net.meta.links.iter().map(|l| serde_json::json!({"id": l.id, "mode": l.mode, "planned": l.planned, "km": l.km, "source": l.source})).collect::<Vec<_>>(),
            });
            if format == Format::Table {
                outln!(
                    "network {}: {} nodes, {} edges, {} countries",
                    net.meta.version,
                    net.node_count(),
                    net.edge_count(),
                    net.meta.countries.len() - 1
                );
                outln!("stats: {}", net.meta.stats);
                for s in &net.meta.sources {
                    outln!("source: {} {} ({}) - {}", s.name, s.version, s.licence, s.attribution);
                }
                outln!("passages: {}", net.meta.passages[1..].join(", "));
                outln!("closed by default: {}", net.meta.default_closed_passages.join(", "));
                outln!("disputed areas: {}", net.meta.disputed_policy);
                // stats.closed_borders: one row of data/curated/closed_borders.csv each
                if let Some(rows) = net.meta.stats.get("closed_borders").and_then(|v| v.as_array()) {
                    let text = |r: &serde_json::Value, k: &str| r[k].as_str().unwrap_or("").to_string();
                    let list: Vec<String> = rows
                        .iter()
                        .map(|r| {
                            let near = if r["near"].is_null() { "" } else { " near a crossing" };
                            format!(
                                "{} {}{near} (since {}, {} edges)",
                                text(r, "between"),
                                text(r, "mode"),
                                text(r, "since"),
                                r["edges_dropped"]
                            )
                        })
                        .collect();
                    outln!("closed borders (data/curated/closed_borders.csv): {}", list.join("; "));
                }
                // stats.sea_trade_bans: one row of data/curated/sea_trade_bans.csv each
                if let Some(rows) = net.meta.stats.get("sea_trade_bans").and_then(|v| v.as_array()) {
                    let list: Vec<String> = rows
                        .iter()
                        .map(|r| {
                            format!(
                                "{} with {} (since {}; {} and {} ports)",
                                r["a"].as_str().unwrap_or(""),
                                r["b"].as_str().unwrap_or(""),
                                r["since"].as_str().unwrap_or(""),
                                r["ports_a"],
                                r["ports_b"]
                            )
                        })
                        .collect();
                    outln!("sea trades closed to liners (data/curated/sea_trade_bans.csv): {}", list.join("; "));
                }
                // stats.{rail,road}_length_factors: one row of data/curated/*_length_factors.csv each
                for (name, what) in [("rail", "operated lengths"), ("road", "published road lengths")] {
                    let Some(rows) = net.meta.stats.get(format!("{name}_length_factors")).and_then(|v| v.as_array())
                    else {
                        continue;
                    };
                    let list: Vec<String> = rows
                        .iter()
                        .map(|r| {
                            format!(
                                "{} x{} ({} edges, {} km before)",
                                r["country"].as_str().unwrap_or(""),
                                r["factor"],
                                r["edges"],
                                r["km_before"]
                            )
                        })
                        .collect();
                    outln!("{name} lengthened to {what} (data/curated/{name}_length_factors.csv): {}", list.join("; "));
                    let rows = net.meta.stats.get(format!("{name}_length_regions")).and_then(|v| v.as_array());
                    let list: Vec<String> = rows
                        .into_iter()
                        .flatten()
                        .map(|r| {
                            format!(
                                "{} x{} ({} edges in {}, {} km before)",
                                r["region"].as_str().unwrap_or(""),
                                r["factor"],
                                r["edges"],
                                r["countries"]
                                    .as_array()
                                    .into_iter()
                                    .flatten()
                                    .filter_map(|c| c.as_str())
                                    .collect::<Vec<_>>()
                                    .join(" "),
                                r["km_before"]
                            )
                        })
                        .collect();
                    if !list.is_empty() {
                        outln!(
                            "{name} lengthened by region (data/curated/{name}_length_regions.csv): {}",
                            list.join("; ")
                        );
                    }
                }
                // stats.liner_ports: searoute's terminal flag amended by data/curated/liner_ports.csv
                if let Some(l) = net.meta.stats.get("liner_ports") {
                    let codes = |k: &str| -> String {
                        l[k].as_array()
                            .map(|a| a.iter().filter_map(|c| c.as_str()).collect::<Vec<_>>().join(" "))
                            .unwrap_or_default()
                    };
                    outln!(
                        "liner ports: {} container terminals of searoute, added {}, removed {} (data/curated/liner_ports.csv); {} other seaports without rail/road transfers",
                        l["source_terminals"],
                        codes("curated_added"),
                        codes("curated_removed"),
                        l["seaports_without_transfers"]
                    );
                }
                outln!("curated links: {}", net.meta.links.len());
                outln!("attribution: {}", net.meta.attribution);
            } else {
                jsonln!("{}", serde_json::to_string_pretty(&info).unwrap());
            }
            Ok(0)
        }
    }
}
