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
            if let Some((path, (bytes, id))) = raw_cache_path().and_then(|p| map(&p).map(|b| (p, b))) {
                let verify = stamp::verify_level(&path, &id);
                match corridor::network::format::decode_raw_with(bytes, verify) {
                    Ok(net) => {
                        stamp::record(&path, &id, verify);
                        return Ok(net);
                    }
                    Err(e) => warn(format!(
                        "the network cache {} is unusable ({e}); decoding the embedded network instead (same answers, slower; `corridor prepare` rewrites it)",
                        path.display()
                    )),
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

/// Maps a cache file read-only; also returns the file's identity for its stamp (see [`stamp`]).
fn map(path: &std::path::Path) -> Option<(corridor::col::SharedBytes, String)> {
    let file = std::fs::File::open(path).ok()?;
    let id = stamp::identity(&file).unwrap_or_default();
    // Safety: cache files are written atomically (temp file + rename) and never modified in
    // place by corridor, so the mapping does not change under us; a file damaged in place by
    // something else is caught by the checksums (a write changes its identity) or, at worst,
    // by the structural validation every load runs.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    Some((std::sync::Arc::new(Mapped(map)), id))
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
/// needs. Without one, or if it is damaged (reported once on stderr and kept for `/api/info`),
/// the planner is returned as it was and bidirectional Dijkstra gives the same answers.
pub fn attach_engine(planner: corridor::planner::Planner) -> corridor::planner::Planner {
    let Some(path) = engine_path(planner.net()) else { return planner };
    let Some((bytes, id)) = map(&path) else { return planner };
    let verify = stamp::verify_level(&path, &id);
    match corridor::prepared::Prepared::from_bytes(bytes, &planner, verify) {
        Ok(prepared) => {
            stamp::record(&path, &id, verify);
            planner.with_prepared(Some(std::sync::Arc::new(prepared)))
        }
        Err(e) => {
            warn(format!(
                "the prepared engine {} is unusable ({e}); searching without it (same answers, slower; `corridor prepare` rebuilds it)",
                path.display()
            ));
            planner.with_prepared(None)
        }
    }
}

/// The cache warnings of this process (a damaged file is reported once on stderr when loaded;
/// the server also shows them in `/api/info`).
static WARNINGS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Reports a cache problem on stderr, once per message, and keeps it for [`warnings`].
fn warn(message: String) {
    let mut w = WARNINGS.lock().unwrap_or_else(|e| e.into_inner());
    if !w.contains(&message) {
        eprintln!("corridor: warning: {message}");
        w.push(message);
    }
}

/// The cache warnings reported so far.
pub fn warnings() -> Vec<String> {
    WARNINGS.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Checks the cache files for `corridor prepare --check`: every section's checksum and the
/// structure, whatever the stamps say. Returns one line per file and whether all are sound.
pub fn check_cache(net: &Network, planner: &corridor::planner::Planner, embedded: bool) -> (Vec<String>, bool) {
    let mut lines = Vec::new();
    let mut ok = true;
    let verify = corridor::col::Verify::Checksums;
    let mut check =
        |path: Option<PathBuf>, what: &str, f: &dyn Fn(corridor::col::SharedBytes) -> Result<(), String>| {
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
            corridor::network::format::decode_raw_with(b, verify).map(|_| ()).map_err(|e| e.to_string())
        });
    }
    check(engine_path(net), "prepared engine", &|b| {
        let p = corridor::prepared::Prepared::from_bytes(b, planner, verify)?;
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

    use corridor::col::Verify;

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
