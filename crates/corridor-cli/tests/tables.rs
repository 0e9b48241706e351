//! The human tables of route, compare, scenario and critical, checked whole by snapshots (insta,
//! `tests/snapshots/tables__*.snap`), and the README's example outputs checked against what the
//! binary prints now, so that neither a changed table nor a stale README passes.
//!
//! After a deliberate change: `INSTA_UPDATE=always cargo test --release -p corridor-cli --test
//! tables --test realism` rewrites the snapshots (or `cargo insta review`), and the README's
//! blocks are pasted from the new output.

use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn corridor(args: &[&str]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_corridor"));
    // the prepared engine CI (and `corridor prepare`) writes there, when it exists
    let cache = format!("{ROOT}/target/corridor-cache");
    if std::env::var_os("CORRIDOR_CACHE").is_none() && std::path::Path::new(&cache).is_dir() {
        cmd.env("CORRIDOR_CACHE", cache);
    }
    let out = cmd.current_dir(ROOT).args(args).output().expect("run corridor");
    assert_eq!(out.status.code(), Some(0), "corridor {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Shell-like words: spaces separate, double quotes group.
fn words(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// The README's example outputs: in ```text blocks, a `$ corridor ...` line and the lines up to
/// the next such line or the block's end.
fn readme_examples() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(format!("{ROOT}/README.md")).unwrap();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut in_text = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_text = line == "```text";
            continue;
        }
        if !in_text {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ corridor ") {
            out.push((cmd.to_string(), String::new()));
        } else if let Some((_, text)) = out.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    out
}

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let examples = readme_examples();
    let commands: Vec<&str> = examples.iter().map(|(c, _)| c.split(' ').next().unwrap()).collect();
    for c in ["route", "compare", "critical"] {
        assert!(commands.contains(&c), "the README shows a {c} table: {commands:?}");
    }
    for (cmd, shown) in &examples {
        let args = words(cmd);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let now = corridor(&args);
        let name = format!("readme-{}", args.join("-").replace(['"', '\'', ',', ' '], "").replace("--", ""));
        insta::assert_snapshot!(name, now);
        assert_eq!(
            &now, shown,
            "README.md shows another output for `corridor {cmd}` than the binary prints: paste the new output"
        );
    }
}

#[test]
fn scenario_table() {
    let file = "examples/scenarios/red-sea-closed.toml";
    insta::assert_snapshot!("scenario-red-sea-closed", corridor(&["scenario", file, "Shanghai", "Rotterdam"]));
}

#[test]
fn critical_table() {
    let dir = std::env::temp_dir().join(format!("corridor-tables-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let od = dir.join("od.csv");
    std::fs::write(&od, "from,to,demand\nAlmaty,Istanbul,2\nTashkent,Tbilisi,1\n").unwrap();
    let table = corridor(&["critical", "--od", od.to_str().unwrap(), "--avoid", "RU,IR", "--by", "distance"]);
    std::fs::remove_dir_all(&dir).ok();
    insta::assert_snapshot!("critical-caspian", table);
}

#[test]
fn route_and_compare_tables() {
    insta::assert_snapshot!("route-xian-duisburg-rail", corridor(&["route", "Xi'an", "Duisburg", "--modes", "rail"]));
    insta::assert_snapshot!("compare-mumbai-rotterdam", corridor(&["compare", "Mumbai", "Rotterdam"]));
}
