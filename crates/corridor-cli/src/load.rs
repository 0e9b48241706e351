//! Where the CLI gets its network: `--network FILE`, else `$CORRIDOR_NETWORK`, else the network
//! embedded in the binary at build time.

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
