//! Where the CLI gets its network: `--network FILE`, else `$CORRIDOR_NETWORK`, else the network
//! embedded at build time. Also the prepared engine (CCH) that `corridor prepare` writes
//! (`$CORRIDOR_CACHE`, else `$XDG_CACHE_HOME/corridor`, else `~/.cache/corridor`), one file per
//! network version; searches use it when it matches the network, else bidirectional Dijkstra.
//! The loading itself is the library's ([`corridor::embedded`], shared with the Python package);
//! this module words its warnings and errors for the command line.

use std::path::PathBuf;

use anyhow::{Context, Result};
use corridor::Network;

/// The cache warnings of this process (a damaged file is reported once on stderr when loaded;
/// the server also shows them in `/api/info`).
static WARNINGS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Prints a loader warning (an unusable cache: the answer is the same, only slower), once per
/// message, and keeps it for [`warnings`].
pub fn warn(message: &str) {
    let mut w = WARNINGS.lock().unwrap_or_else(|e| e.into_inner());
    if !w.iter().any(|m| m == message) {
        eprintln!("corridor: warning: {message}");
        w.push(message.to_string());
    }
}

/// The cache warnings reported so far.
pub fn warnings() -> Vec<String> {
    WARNINGS.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Loads the network chosen by the flags and environment.
pub fn network(path: Option<&PathBuf>) -> Result<std::sync::Arc<Network>> {
    let net = corridor::embedded::network(path.map(PathBuf::as_path), &warn);
    let net = match path.cloned().or_else(|| std::env::var_os("CORRIDOR_NETWORK").map(PathBuf::from)) {
        Some(p) => net.with_context(|| format!("loading network {}", p.display()))?,
        None => net.context("decoding the embedded network")?,
    };
    Ok(std::sync::Arc::new(net))
}

/// The QA segment list shipped with the repository (data/qa/segments.csv), embedded.
pub const QA_SEGMENTS: &str = include_str!(env!("CORRIDOR_QA_SEGMENTS"));

/// A planner over `net` with `params` and the prepared engine from the cache when there is one
/// (what every routing command starts from).
pub fn planner(net: std::sync::Arc<Network>, params: corridor::model::params::Params) -> corridor::planner::Planner {
    attach_engine(corridor::planner::Planner::with_params(net, params))
}

/// Attaches the prepared engine from the cache, if `corridor prepare` wrote one for this
/// network (memory-mapped, read in place). Without one, the planner is returned as it was.
pub fn attach_engine(planner: corridor::planner::Planner) -> corridor::planner::Planner {
    corridor::embedded::attach_engine(planner, &warn)
}
