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
/// Identifies the embedded file's bytes, for its raw load cache.
#[cfg(embedded_network)]
const EMBEDDED_KEY: &str = env!("CORRIDOR_EMBEDDED_KEY");
#[cfg(not(embedded_network))]
const EMBEDDED_KEY: &str = "";

/// Loads the network chosen by the flags and environment.
pub fn network(path: Option<&PathBuf>) -> Result<std::sync::Arc<Network>> {
    network_owned(path).map(std::sync::Arc::new)
}

fn network_owned(path: Option<&PathBuf>) -> Result<Network> {
    let env = std::env::var_os("CORRIDOR_NETWORK").map(PathBuf::from);
    match path.or(env.as_ref()) {
        Some(p) => corridor::network::format::read(p).with_context(|| format!("loading network {}", p.display())),
        None if EMBEDDED.is_empty() => Err(anyhow!(
            "this binary has no embedded network: pass --network FILE, or build data/network/world.cnet (see README) and rebuild"
        )),
        None => {
            // the raw cache `corridor prepare` writes loads in place; a missing one falls back to
            // decoding the embedded file, and so does an unusable one, with a warning (the answer
            // is the same, only slower)
            if let Some((path, bytes)) = raw_cache_path().and_then(|p| map(&p).map(|b| (p, b))) {
                match corridor::network::format::decode_raw(bytes) {
                    Ok(net) => return Ok(net),
                    Err(e) => eprintln!(
                        "corridor: warning: the network cache {} is unusable ({e}); decoding the embedded network instead (`corridor prepare` rewrites it)",
                        path.display()
                    ),
                }
            }
            corridor::network::format::decode(EMBEDDED).context("decoding the embedded network")
        }
    }
}

/// Whether the network comes from the binary (no `--network` and no `$CORRIDOR_NETWORK`).
pub fn is_embedded(path: Option<&PathBuf>) -> bool {
    path.is_none() && std::env::var_os("CORRIDOR_NETWORK").is_none() && !EMBEDDED.is_empty()
}

/// The raw (uncompressed, mappable) copy of the embedded network in the cache directory.
pub fn raw_cache_path() -> Option<PathBuf> {
    (!EMBEDDED_KEY.is_empty()).then_some(())?;
    cache_dir().map(|d| d.join(format!("network-{EMBEDDED_KEY}.raw")))
}

/// Maps a cache file read-only.
fn map(path: &std::path::Path) -> Option<corridor::col::SharedBytes> {
    let file = std::fs::File::open(path).ok()?;
    // Safety: cache files are written atomically (temp file + rename) and never modified in
    // place, so the mapping does not change under us.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    Some(std::sync::Arc::new(Mapped(map)))
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
    cache_dir().map(|d| d.join(corridor::prepared::Prepared::file_name(net)))
}

/// A read-only memory map shared by the columns that view it.
struct Mapped(memmap2::Mmap);

impl AsRef<[u8]> for Mapped {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// A planner over `net` with `params` and the prepared engine from the cache when there is one
/// (what every routing command starts from).
pub fn planner(net: std::sync::Arc<Network>, params: corridor::model::params::Params) -> corridor::planner::Planner {
    attach_engine(corridor::planner::Planner::with_params(net, params))
}

/// Attaches the prepared engine from the cache, if `corridor prepare` wrote one for this
/// network: the file is memory-mapped and read in place, so a query only touches the pages it
/// needs. Without one (or if it does not fit), the planner is returned as it was.
pub fn attach_engine(planner: corridor::planner::Planner) -> corridor::planner::Planner {
    let Some(path) = engine_path(planner.net()) else { return planner };
    let Some(bytes) = map(&path) else { return planner };
    let prepared = corridor::prepared::Prepared::from_bytes(bytes, &planner).map(std::sync::Arc::new);
    if prepared.is_none() {
        eprintln!(
            "corridor: warning: the prepared engine {} does not fit this network; searching without it (same answers, slower; `corridor prepare` rebuilds it)",
            path.display()
        );
    }
    planner.with_prepared(prepared)
}
