//! Where the CLI gets its network: `--network FILE`, else `$CORRIDOR_NETWORK`, else the network
//! embedded in the binary at build time. Also the prepared engine (CCH) that `corridor prepare`
//! writes (`$CORRIDOR_CACHE`, else `$XDG_CACHE_HOME/corridor`, else `~/.cache/corridor`), one
//! file per network version; searches use it when it matches the network, else bidirectional
//! Dijkstra.

use std::path::PathBuf;

use anyhow::{anyhow, Context, Result};
use corridor::Network;

#[cfg(embedded_network)]
static EMBEDDED: &[u8] = include_bytes!(env!("CORRIDOR_EMBEDDED_NETWORK"));
#[cfg(not(embedded_network))]
static EMBEDDED: &[u8] = &[];

/// Loads the network chosen by the flags and environment.
pub fn network(path: Option<&PathBuf>) -> Result<Network> {
    let env = std::env::var_os("CORRIDOR_NETWORK").map(PathBuf::from);
    match path.or(env.as_ref()) {
        Some(p) => corridor::network::format::read(p).with_context(|| format!("loading network {}", p.display())),
        None if EMBEDDED.is_empty() => Err(anyhow!(
            "this binary has no embedded network: pass --network FILE, or build data/network/world.cnet (see README) and rebuild"
        )),
        None => corridor::network::format::decode(EMBEDDED).context("decoding the embedded network"),
    }
}

/// The QA segment list shipped with the repository (data/qa/segments.csv), embedded.
pub const QA_SEGMENTS: &str = include_str!(env!("CORRIDOR_QA_SEGMENTS"));

fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("CORRIDOR_CACHE") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(d).join("corridor"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("corridor"))
}

/// The prepared-engine cache file of a network (one per network version).
pub fn engine_path(net: &Network) -> Option<PathBuf> {
    cache_dir().map(|d| d.join(format!("engine-{}.cch", net.meta.version)))
}

/// A read-only memory map shared by the columns that view it.
struct Mapped(memmap2::Mmap);

impl AsRef<[u8]> for Mapped {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Attaches the prepared engine from the cache, if `corridor prepare` wrote one for this
/// network: the file is memory-mapped and read in place, so a query only touches the pages it
/// needs. Returns whether an engine was attached.
pub fn attach_engine(planner: &mut corridor::planner::Planner) -> bool {
    let Some(path) = engine_path(planner.net) else { return false };
    let Ok(file) = std::fs::File::open(path) else { return false };
    // Safety: the cache file is written atomically (temp file + rename) and never modified in
    // place, so the mapping does not change under us.
    let Ok(map) = (unsafe { memmap2::Mmap::map(&file) }) else { return false };
    let bytes: corridor::col::SharedBytes = std::sync::Arc::new(Mapped(map));
    planner.prepared = corridor::prepared::Prepared::from_bytes(bytes, planner);
    planner.prepared.is_some()
}
