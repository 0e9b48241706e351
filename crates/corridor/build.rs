//! With the `embedded` feature, embeds the default network (data/network/world.cnet) into the
//! library ([`corridor::embedded`]) when it exists, so that a fresh clone's front ends work with
//! no data set-up. Without the file (while bootstrapping the data build) the library still builds
//! and the front ends ask for a network file.
use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(embedded_network)");
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var_os("CARGO_FEATURE_EMBEDDED").is_none() {
        return;
    }
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let net = manifest.join("../../data/network/world.cnet");
    println!("cargo:rerun-if-changed={}", net.display());
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
}
