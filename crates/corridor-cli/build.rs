//! Embeds the default network (data/network/world.cnet) into the binary when it exists, so that a
//! fresh clone's `corridor` works with no data set-up. Without it (while bootstrapping the data
//! build) the binary still builds and asks for `--network`.
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let net = manifest.join("../../data/network/world.cnet");
    let qa = manifest.join("../../data/qa/segments.csv");
    println!("cargo:rerun-if-changed={}", net.display());
    println!("cargo:rerun-if-changed={}", qa.display());
    println!("cargo::rustc-check-cfg=cfg(embedded_network)");
    if net.exists() {
        println!("cargo:rustc-cfg=embedded_network");
        println!("cargo:rustc-env=CORRIDOR_EMBEDDED_NETWORK={}", net.canonicalize().unwrap().display());
        // a key for the raw load cache of this exact file (FNV-1a 64 of its bytes)
        let bytes = std::fs::read(&net).unwrap();
        let mut h: u64 = 0xcbf29ce484222325;
        for b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        println!("cargo:rustc-env=CORRIDOR_EMBEDDED_KEY={h:016x}");
    }
    println!("cargo:rustc-env=CORRIDOR_QA_SEGMENTS={}", qa.canonicalize().unwrap_or(qa).display());
}
