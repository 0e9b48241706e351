//! The network shipped inside the front ends (`data/network/world.cnet`, embedded at build time
//! with the `embedded` feature) and the cache files `corridor prepare` writes beside it: a raw,
//! mappable copy of the network with its lookup indexes, and the prepared engine (CCH). Shared by
//! every front end (the `corridor` binary, the Python package), so that they open the same
//! network and the same cache the same way.
//!
//! The cache directory is `$CORRIDOR_CACHE`, else `$XDG_CACHE_HOME/corridor`, else
//! `~/.cache/corridor`. The files are written atomically and never modified in place, so they
//! are memory-mapped read-only and many processes share their pages. This module is the one
//! place where the library maps files; it reports problems through a `warn` callback and never
//! prints.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::col::SharedBytes;
use crate::planner::Planner;
use crate::prepared::{Prepared, Stage};
use crate::{Error, Network, Result};

#[cfg(embedded_network)]
static EMBEDDED: &[u8] = include_bytes!(env!("CORRIDOR_EMBEDDED_NETWORK"));
#[cfg(not(embedded_network))]
static EMBEDDED: &[u8] = &[];
/// Identifies the embedded file's bytes (FNV-1a 64 of them), for its raw load cache.
#[cfg(embedded_network)]
const EMBEDDED_KEY: &str = env!("CORRIDOR_EMBEDDED_KEY");
#[cfg(not(embedded_network))]
const EMBEDDED_KEY: &str = "";

/// The bytes of the embedded network file (empty when the build had none).
pub fn bytes() -> &'static [u8] {
    EMBEDDED
}

/// Whether the network comes from the build (no `path` and no `$CORRIDOR_NETWORK`).
pub fn is_embedded(path: Option<&Path>) -> bool {
    path.is_none() && std::env::var_os("CORRIDOR_NETWORK").is_none() && !EMBEDDED.is_empty()
}

/// The cache directory: `$CORRIDOR_CACHE`, else `$XDG_CACHE_HOME/corridor`, else
/// `~/.cache/corridor`.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("CORRIDOR_CACHE") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(d).join("corridor"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("corridor"))
}

/// The raw (uncompressed, mappable) copy of the embedded network in the cache directory.
pub fn raw_cache_path() -> Option<PathBuf> {
    (!EMBEDDED_KEY.is_empty()).then_some(())?;
    cache_dir().map(|d| d.join(format!("network-{EMBEDDED_KEY}.raw")))
}

/// The prepared-engine cache file of a network (one per network version).
pub fn engine_path(net: &Network) -> Option<PathBuf> {
    cache_dir().map(|d| d.join(Prepared::file_name(net)))
}

/// A read-only memory map shared by the columns that view it.
struct Mapped(memmap2::Mmap);

impl AsRef<[u8]> for Mapped {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Maps a cache file read-only; None if it cannot be opened.
pub fn map(path: &Path) -> Option<SharedBytes> {
    let file = std::fs::File::open(path).ok()?;
    // Safety: cache files are written atomically (temp file + rename) and never modified in
    // place, so the mapping does not change under us.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    Some(Arc::new(Mapped(map)))
}

/// Loads the network: the file at `path`, else `$CORRIDOR_NETWORK`, else the embedded one (from
/// its raw cache when `corridor prepare` wrote it; an unusable cache is reported through `warn`
/// and the embedded file decoded instead: same answer, only slower).
pub fn network(path: Option<&Path>, warn: &dyn Fn(&str)) -> Result<Network> {
    let env = std::env::var_os("CORRIDOR_NETWORK").map(PathBuf::from);
    match path.or(env.as_deref()) {
        Some(p) => crate::network::format::read(p),
        None if EMBEDDED.is_empty() => Err(Error::Format(
            "this build has no embedded network: give a network file, or build data/network/world.cnet (see README) and rebuild".into(),
        )),
        None => {
            if let Some((path, bytes)) = raw_cache_path().and_then(|p| map(&p).map(|b| (p, b))) {
                match crate::network::format::decode_raw(bytes) {
                    Ok(net) => return Ok(net),
                    Err(e) => warn(&format!(
                        "the network cache {} is unusable ({e}); decoding the embedded network instead (`corridor prepare` rewrites it)",
                        path.display()
                    )),
                }
            }
            crate::network::format::decode(EMBEDDED)
        }
    }
}

/// Attaches the prepared engine from the cache, if `corridor prepare` wrote one for this
/// network: the file is memory-mapped and read in place, so a query only touches the pages it
/// needs. Without one (or if it does not fit, reported through `warn`), the planner is returned
/// as it was.
pub fn attach_engine(planner: Planner, warn: &dyn Fn(&str)) -> Planner {
    let Some(path) = engine_path(planner.net()) else { return planner };
    let Some(bytes) = map(&path) else { return planner };
    let prepared = Prepared::from_bytes(bytes, &planner).map(Arc::new);
    if prepared.is_none() {
        warn(&format!(
            "the prepared engine {} does not fit this network; searching without it (same answers, slower; `corridor prepare` rebuilds it)",
            path.display()
        ));
    }
    planner.with_prepared(prepared)
}

/// What [`prepare`] wrote.
#[derive(Clone, Default)]
pub struct Prepare {
    /// The raw network copy and its size in bytes (embedded network only).
    pub raw: Option<(PathBuf, usize)>,
    /// The engine file and its size in bytes; None when the cache already held a complete one.
    pub engine: Option<(PathBuf, usize)>,
    /// The engine built (None when it was up to date).
    pub prepared: Option<Arc<Prepared>>,
    /// Where the engine is (written or kept).
    pub engine_path: PathBuf,
    /// The network's version.
    pub network_version: String,
}

/// Writes the cache files of the network at `path` (as [`network`] chooses it): the raw
/// mappable copy (embedded network only) and the prepared engine, unless the cache already holds
/// a complete engine for this network and the shipped parameters (`force` rebuilds it).
/// Temporary files of an interrupted run are removed first. About 25 s on two cores.
pub fn prepare(
    path: Option<&Path>,
    force: bool,
    warn: &dyn Fn(&str),
    progress: &(dyn Fn(Stage) + Sync),
) -> Result<Prepare> {
    let net = Arc::new(network(path, warn)?);
    let engine_path = engine_path(&net).ok_or_else(|| Error::Io {
        context: "no cache directory".into(),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "set CORRIDOR_CACHE"),
    })?;
    if let Some(dir) = engine_path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|source| Error::Io { context: format!("creating {}", dir.display()), source })?;
        // temporary files of an interrupted `prepare` (killed before its rename) are of no use
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
    let mut out =
        Prepare { engine_path: engine_path.clone(), network_version: net.meta.version.clone(), ..Prepare::default() };
    // the raw copy first: it is cheap, and a stale one (older layout) would make every later
    // call decode the compressed file
    if is_embedded(path) {
        if let Some(raw) = raw_cache_path() {
            let bytes = crate::network::format::encode_raw(&net)?;
            crate::network::format::write_atomic(&raw, &bytes)?;
            out.raw = Some((raw, bytes.len()));
        }
    }
    // (building ignores an attached engine: it only reads the network and the cost model)
    let planner = attach_engine(Planner::new(net), warn);
    if !force && planner.prepared().is_some_and(|p| p.is_complete(&planner)) {
        return Ok(out);
    }
    let prepared = Prepared::build(&planner, progress);
    let bytes = prepared.to_bytes(&planner);
    crate::network::format::write_atomic(&engine_path, &bytes)?;
    out.engine = Some((engine_path, bytes.len()));
    out.prepared = Some(Arc::new(prepared));
    Ok(out)
}
