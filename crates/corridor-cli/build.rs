//! Embeds the QA segment list (data/qa/segments.csv) for `corridor network check`. The default
//! network itself is embedded by the library (`corridor::embedded`, feature `embedded`).
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let qa = manifest.join("../../data/qa/segments.csv");
    println!("cargo:rerun-if-changed={}", qa.display());
    println!("cargo:rustc-env=CORRIDOR_QA_SEGMENTS={}", qa.canonicalize().unwrap_or(qa).display());
}
