//! `corridor prepare`: writes the prepared engine (CCH and customizations) and, for the embedded
//! network, its raw mappable copy with the lookup indexes into the cache directory (see
//! [`corridor::embedded::prepare`]). An engine already there for this network and these
//! parameters is kept unless `--force`, so running the set-up command twice costs seconds, not
//! minutes. `--check` verifies every checksum and the structure of the cache files.

use std::io::IsTerminal;
use std::path::PathBuf;

use corridor::prepared::Stage;

use crate::{load, Failure};

pub fn run(network: Option<&PathBuf>, force: bool, check: bool) -> Result<u8, Failure> {
    if check {
        // every checksum and the structure of each cache file, whatever the stamps say
        let net = load::network(network)?;
        let planner = corridor::planner::Planner::new(net.clone());
        let embedded = corridor::embedded::is_embedded(network.map(PathBuf::as_path));
        let (lines, ok) = corridor::embedded::check_cache(&net, &planner, embedded);
        for l in lines {
            println!("{l}");
        }
        return Ok(if ok { 0 } else { 1 });
    }
    let t = std::time::Instant::now();
    let bar =
        if std::io::stderr().is_terminal() { indicatif::ProgressBar::new(0) } else { indicatif::ProgressBar::hidden() };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:24} {bar:30} {pos}/{len} [{elapsed}, eta {eta}]")
            .expect("the template is valid"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let done = corridor::embedded::prepare(network.map(PathBuf::as_path), force, &load::warn, &|stage| {
        let (msg, done, total) = match stage {
            Stage::Order(done, total) => ("ordering (nested dissection)", done, total),
            Stage::Customize(done, total) => ("customizing", done, total),
        };
        bar.set_message(msg);
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    if let Some((raw, size)) = &done.raw {
        eprintln!("wrote {} ({:.0} MB): the network and its lookup indexes, mappable", raw.display(), mb(*size));
    }
    match (&done.engine, &done.prepared) {
        (Some((path, size)), Some(prepared)) => {
            let st = prepared.cch.stats();
            eprintln!(
                "wrote {} ({:.0} MB) in {:.1} s: CCH of {} nodes, {} arcs, elimination tree height {}; {} family, {} objective and {} risk-listing customizations, {} single-exclusion families as differences ({:.0} MB)",
                path.display(),
                mb(*size),
                t.elapsed().as_secs_f64(),
                st.nodes,
                st.arcs,
                st.etree_height,
                prepared.families.len(),
                prepared.objectives.len(),
                prepared.risk_families.len(),
                prepared.deltas.len(),
                mb(prepared.deltas.iter().map(|(_, _, _, d)| d.bytes()).sum())
            );
        }
        _ => eprintln!(
            "{} is up to date for network {} (--force rebuilds it)",
            done.engine_path.display(),
            done.network_version
        ),
    }
    Ok(0)
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}
