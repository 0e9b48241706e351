//! `corridor-bench --help` prints its flags (clap) and runs no benchmark.

use std::process::Command;

#[test]
fn help_prints_the_flags_and_runs_nothing() {
    let out = Command::new(env!("CARGO_BIN_EXE_corridor-bench")).arg("--help").output().expect("run corridor-bench");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Usage: corridor-bench") && help.contains("--queries") && help.contains("--any"), "{help}");
    // a benchmark run starts by loading the prepared engine ("CCH: loaded ..."); help does not
    assert!(!help.contains("CCH:"), "{help}");
}
