//! `corridor prepare`: writes the prepared engine (CCH and customizations) and, for the embedded
//! network, its raw mappable copy with the lookup indexes into the cache directory (see
//! [`crate::load`]). An engine already there for this network and these parameters is kept
//! unless `--force`, so running the set-up command twice costs seconds, not minutes.

use std::io::IsTerminal;
use std::path::PathBuf;

use corridor::planner::Planner;
use corridor::prepared::{Prepared, Stage};

use crate::{load, Failure};

pub fn run(network: Option<&PathBuf>, force: bool, check: bool) -> Result<u8, Failure> {
    let net = load::network(network)?;
    let planner = Planner::new(net.clone());
    if check {
        // every checksum and the structure of each cache file, whatever the stamps say
        let (lines, ok) = load::check_cache(&net, &planner, load::is_embedded(network));
        for l in lines {
            println!("{l}");
        }
        return Ok(if ok { 0 } else { 1 });
    }
    let path = load::engine_path(&net)
        .ok_or_else(|| Failure { code: 1, message: "no cache directory: set CORRIDOR_CACHE".into() })?;
    let t = std::time::Instant::now();
    // temporary files of an interrupted `prepare` (killed before its rename) are of no use
    if let Some(dir) = path.parent() {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            let ours = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| (n.starts_with("engine-") || n.starts_with("network-")) && n.ends_with(".tmp"));
            if ours {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
    // the raw copy first: it is cheap, and a stale one (older layout) would make every later
    // call decode the compressed file
    if load::is_embedded(network) {
        if let Some(raw) = load::raw_cache_path() {
            let bytes = corridor::network::format::encode_raw(&net)?;
            corridor::network::format::write_atomic(&raw, &bytes)?;
            eprintln!("wrote {} ({:.0} MB): the network and its lookup indexes, mappable", raw.display(), mb(&bytes));
        }
    }
    // (building ignores an attached engine: it only reads the network and the cost model)
    let planner = load::attach_engine(planner);
    if !force && planner.prepared().is_some_and(|p| p.is_complete(&planner)) {
        // the raw copy was just rewritten: verify and stamp it with the engine
        let (lines, ok) = load::check_cache(&net, &planner, load::is_embedded(network));
        if !ok {
            return Err(Failure { code: 1, message: format!("the cache does not read back: {}", lines.join("; ")) });
        }
        eprintln!("{} is up to date for network {} (--force rebuilds it)", path.display(), net.meta.version);
        return Ok(0);
    }
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(net.node_count() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:24} {bar:30} {pos}/{len} [{elapsed}, eta {eta}]")
            .expect("the template is valid"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let prepared = Prepared::build(&planner, &|stage| {
        let (msg, done, total) = match stage {
            Stage::Order(done, total) => ("ordering (nested dissection)", done, total),
            Stage::Customize(done, total) => ("customizing", done, total),
        };
        bar.set_message(msg);
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    let bytes = prepared.to_bytes(&planner);
    corridor::network::format::write_atomic(&path, &bytes)?;
    bar.finish_and_clear();
    // read back what was written, every checksum, and stamp it: the next command maps it
    // without the 0.3 s verification
    let (lines, ok) = load::check_cache(&net, &planner, load::is_embedded(network));
    if !ok {
        return Err(Failure { code: 1, message: format!("the cache does not read back: {}", lines.join("; ")) });
    }
    let st = prepared.cch.stats();
    eprintln!(
        "wrote {} ({:.0} MB) in {:.1} s: CCH of {} nodes, {} arcs, elimination tree height {}; {} family and {} objective customizations",
        path.display(),
        mb(&bytes),
        t.elapsed().as_secs_f64(),
        st.nodes,
        st.arcs,
        st.etree_height,
        prepared.families.len(),
        prepared.objectives.len()
    );
    Ok(0)
}

fn mb(bytes: &[u8]) -> f64 {
    bytes.len() as f64 / 1e6
}
