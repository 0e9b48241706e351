//! Where the CLI gets its network: `--network FILE`, else `$CORRIDOR_NETWORK`, else the network
//! embedded in the binary at build time. Also the landmark cache that `corridor prepare` writes
//! (`$CORRIDOR_CACHE`, else `$XDG_CACHE_HOME/corridor`, else `~/.cache/corridor`), one file per
//! network version; searches use it when it matches the network, else bidirectional Dijkstra.

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

/// Number of landmarks `corridor prepare` computes.
pub const LANDMARKS: usize = 16;

fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("CORRIDOR_CACHE") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(d).join("corridor"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("corridor"))
}

/// Landmarks per family (the unrestricted set gets more).
pub fn landmark_count(family: &str) -> usize {
    if family == "all" {
        LANDMARKS
    } else {
        8
    }
}

/// The landmark cache file of a family for a network.
pub fn landmark_path(net: &Network, family: &str) -> Option<PathBuf> {
    cache_dir().map(|d| d.join(format!("landmarks-{}-{}-{}.bin", net.meta.version, family, landmark_count(family))))
}

/// Landmark distances read in place from a memory-mapped cache file (little-endian hosts).
struct MappedDistances {
    map: memmap2::Mmap,
    offset: usize,
}

impl AsRef<[u64]> for MappedDistances {
    fn as_ref(&self) -> &[u64] {
        bytemuck::cast_slice(&self.map[self.offset..])
    }
}

/// Every landmark set in the cache for this network (none if `corridor prepare` has not run).
pub fn all_landmarks(planner: &corridor::planner::Planner) -> Vec<corridor::engine::alt::Landmarks> {
    corridor::planner::LANDMARK_FAMILIES
        .iter()
        .filter_map(|(name, _, _)| {
            let mut lm = landmarks(planner.net, name)?;
            lm.family = planner.family_restrictions(name);
            Some(lm)
        })
        .collect()
}

/// Landmarks of a family from the cache, if `corridor prepare` wrote them for this network. The
/// file is memory-mapped: a query reads only the pages of the nodes it touches.
pub fn landmarks(net: &Network, family: &str) -> Option<corridor::engine::alt::Landmarks> {
    let file = std::fs::File::open(landmark_path(net, family)?).ok()?;
    // Safety: the cache file is written atomically (temp file + rename) and never modified in
    // place, so the mapping does not change under us.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let (nodes, offset) = corridor::engine::alt::Landmarks::parse_header(&map, net)?;
    if cfg!(target_endian = "big") || !(map.as_ptr() as usize + offset).is_multiple_of(8) {
        return corridor::engine::alt::Landmarks::from_bytes(&map, net);
    }
    corridor::engine::alt::Landmarks::from_parts(nodes, Box::new(MappedDistances { map, offset }), net)
}
