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

use crate::col::{SharedBytes, Verify};
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

/// Maps a cache file read-only; also returns the file's identity for its stamp (see [`stamp`]).
/// None if it cannot be opened.
pub fn map(path: &Path) -> Option<(SharedBytes, String)> {
    let file = std::fs::File::open(path).ok()?;
    let id = stamp::identity(&file).unwrap_or_default();
    // Safety: cache files are written atomically (temp file + rename) and never modified in
    // place by corridor, so the mapping does not change under us; a file damaged in place by
    // something else is caught by the checksums (a write changes its identity) or, at worst,
    // by the structural validation every load runs.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    Some((Arc::new(Mapped(map)), id))
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
            if let Some((path, (bytes, id))) = raw_cache_path().and_then(|p| map(&p).map(|b| (p, b))) {
                let verify = stamp::verify_level(&path, &id);
                match crate::network::format::decode_raw_with(bytes, verify) {
                    Ok(net) => {
                        stamp::record(&path, &id, verify);
                        return Ok(net);
                    }
                    Err(e) => warn(&format!(
                        "the network cache {} is unusable ({e}); decoding the embedded network instead (same answers, slower; `corridor prepare` rewrites it)",
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
/// needs. Without one, or if it is damaged or does not fit (reported through `warn`), the
/// planner is returned without an engine and bidirectional Dijkstra gives the same answers.
pub fn attach_engine(planner: Planner, warn: &dyn Fn(&str)) -> Planner {
    let Some(path) = engine_path(planner.net()) else { return planner };
    let Some((bytes, id)) = map(&path) else { return planner };
    let verify = stamp::verify_level(&path, &id);
    match Prepared::from_bytes(bytes, &planner, verify) {
        Ok(prepared) => {
            stamp::record(&path, &id, verify);
            planner.with_prepared(Some(Arc::new(prepared)))
        }
        Err(e) => {
            warn(&format!(
                "the prepared engine {} is unusable ({e}); searching without it (same answers, slower; `corridor prepare` rebuilds it)",
                path.display()
            ));
            planner.with_prepared(None)
        }
    }
}

/// Checks the cache files (`corridor prepare --check`, and after every write): every section's
/// checksum and the structure, whatever the stamps say. Returns one line per file and whether
/// all are sound.
pub fn check_cache(net: &Network, planner: &Planner, embedded: bool) -> (Vec<String>, bool) {
    let mut lines = Vec::new();
    let mut ok = true;
    let verify = Verify::Checksums;
    let mut check = |path: Option<PathBuf>, what: &str, f: &dyn Fn(SharedBytes) -> std::result::Result<(), String>| {
        let Some(path) = path else { return };
        let Some((bytes, id)) = map(&path) else {
            lines.push(format!("missing  {} ({what}; `corridor prepare` writes it)", path.display()));
            ok = false;
            return;
        };
        match f(bytes) {
            Ok(()) => {
                stamp::record(&path, &id, verify);
                lines.push(format!("ok       {} ({what})", path.display()));
            }
            Err(e) => {
                stamp::forget(&path);
                lines.push(format!("DAMAGED  {} ({what}): {e}", path.display()));
                ok = false;
            }
        }
    };
    if embedded {
        check(raw_cache_path(), "network cache", &|b| {
            crate::network::format::decode_raw_with(b, verify).map(|_| ()).map_err(|e| e.to_string())
        });
    }
    check(engine_path(net), "prepared engine", &|b| {
        let p = Prepared::from_bytes(b, planner, verify)?;
        if p.is_complete(planner) {
            Ok(())
        } else {
            Err("sound, but lacks customizations for these parameters (`corridor prepare` completes it)".into())
        }
    });
    (lines, ok)
}

/// Stamps of verified cache files: `<file>.verified` holds the identity of the file whose every
/// checksum was verified (device, inode, size, modification and change times). While the file
/// keeps that identity, a later run checks its structure only: verifying 500 MB of checksums
/// costs 0.3-0.5 s, far more than a query. Any write to the file, a replacement or a `touch`
/// changes its change time (which user programs cannot set back), so it is verified again.
mod stamp {
    use std::path::{Path, PathBuf};

    use crate::col::Verify;

    fn stamp_path(path: &Path) -> PathBuf {
        let mut s = path.as_os_str().to_owned();
        s.push(".verified");
        PathBuf::from(s)
    }

    /// The identity of an open file (from the descriptor that was mapped, so that a file
    /// replaced meanwhile is not stamped in its place).
    pub fn identity(file: &std::fs::File) -> Option<String> {
        use std::os::unix::fs::MetadataExt;
        let m = file.metadata().ok()?;
        Some(format!(
            "corridor verified v1 {} {} {} {}.{} {}.{}\n",
            m.dev(),
            m.ino(),
            m.size(),
            m.mtime(),
            m.mtime_nsec(),
            m.ctime(),
            m.ctime_nsec()
        ))
    }

    /// [`Verify::HeaderOnly`] if the file's stamp matches its identity, else [`Verify::Checksums`].
    pub fn verify_level(path: &Path, id: &str) -> Verify {
        match std::fs::read_to_string(stamp_path(path)) {
            Ok(stamp) if !id.is_empty() && stamp == id => Verify::HeaderOnly,
            _ => Verify::Checksums,
        }
    }

    /// After a file passed verification at `level`: stamps it if its checksums were verified
    /// (best effort: a read-only cache is verified again next time).
    pub fn record(path: &Path, id: &str, level: Verify) {
        if level == Verify::Checksums && !id.is_empty() {
            let stamp = stamp_path(path);
            let mut tmp = stamp.as_os_str().to_owned();
            tmp.push(format!(".{}.tmp", std::process::id()));
            let tmp = PathBuf::from(tmp);
            if std::fs::write(&tmp, id).and_then(|_| std::fs::rename(&tmp, &stamp)).is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
        }
    }

    /// Removes the stamp of a file found damaged.
    pub fn forget(path: &Path) {
        let _ = std::fs::remove_file(stamp_path(path));
    }
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
            // from the embedded file, not from `net`: a network mapped from an earlier raw copy
            // leaves its places' aliases undecoded (`format::decode_raw_with`), and a copy made
            // from it would lose them for good
            let bytes = crate::network::format::encode_raw(&crate::network::format::decode(EMBEDDED)?)?;
            crate::network::format::write_atomic(&raw, &bytes)?;
            out.raw = Some((raw, bytes.len()));
        }
    }
    // (building ignores an attached engine: it only reads the network and the cost model)
    let planner = attach_engine(Planner::new(net.clone()), warn);
    // read back what is in the cache, every checksum, and stamp it: the next process maps it
    // without the verification pass
    let read_back = |planner: &Planner| -> Result<()> {
        let (lines, ok) = check_cache(&net, planner, is_embedded(path));
        if ok {
            Ok(())
        } else {
            Err(Error::Format(format!("the cache does not read back: {}", lines.join("; "))))
        }
    };
    if !force && planner.prepared().is_some_and(|p| p.is_complete(&planner)) {
        read_back(&planner)?;
        return Ok(out);
    }
    let prepared = Prepared::build(&planner, progress);
    let bytes = prepared.to_bytes(&planner);
    crate::network::format::write_atomic(&engine_path, &bytes)?;
    let len = bytes.len();
    // the read-back maps the file: not a second copy beside this one
    drop(bytes);
    read_back(&planner)?;
    out.engine = Some((engine_path, len));
    out.prepared = Some(Arc::new(prepared));
    Ok(out)
}
