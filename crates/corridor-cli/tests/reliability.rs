//! Reliability of the `corridor` binary (issue 17):
//! * every cache file (the raw network copy and the prepared engine) damaged section by section
//!   (bytes flipped, zeroed, the file truncated) is reported on stderr, once, ignored, and the
//!   exact fallback gives the intact answer byte for byte; a damaged network file is a clear
//!   error; never a panic or a different answer with exit 0;
//! * the prepared engine and the fallback (bidirectional Dijkstra, no cache) give byte-identical
//!   JSON on random queries for every objective (ties between equal-cost routes are broken the
//!   same way by every engine).
//!
//! Uses the cache `corridor prepare` wrote to `$CORRIDOR_CACHE` (CI prepares it first), else
//! `target/corridor-cache`, prepared here if it does not pass `corridor prepare --check`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

struct Run {
    code: i32,
    out: String,
    err: String,
}

fn run(args: &[&str], cache: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .env("CORRIDOR_CACHE", cache)
        .env_remove("CORRIDOR_NETWORK")
        .output()
        .expect("run corridor");
    Run {
        code: out.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&out.stdout).into_owned(),
        err: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The prepared cache (directory, raw network file, engine file), checked once per test binary.
fn prepared() -> &'static (PathBuf, PathBuf, PathBuf) {
    static CACHE: OnceLock<(PathBuf, PathBuf, PathBuf)> = OnceLock::new();
    CACHE.get_or_init(|| {
        let dir = std::env::var_os("CORRIDOR_CACHE")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/corridor-cache")));
        let mut check = run(&["prepare", "--check"], &dir);
        if check.code != 0 {
            let p = run(&["prepare"], &dir);
            assert_eq!(p.code, 0, "corridor prepare failed: {}", p.err);
            check = run(&["prepare", "--check"], &dir);
        }
        assert_eq!(check.code, 0, "the cache does not check: {}{}", check.out, check.err);
        // "ok       PATH (network cache)" and "ok       PATH (prepared engine)"
        let file = |what: &str| -> PathBuf {
            let line = check.out.lines().find(|l| l.ends_with(what)).expect("a line per cache file");
            PathBuf::from(line.trim_start_matches("ok").trim().trim_end_matches(what).trim())
        };
        (dir.clone(), file("(network cache)"), file("(prepared engine)"))
    })
}

/// `corridor prepare` run again over its own cache (whose network it maps, aliases undecoded)
/// rewrites the raw copy with the places' aliases: a later rebuild of the gazetteer still finds
/// the cities by their other spellings.
#[test]
fn prepare_again_keeps_the_place_aliases() {
    let (dir, raw, _) = prepared();
    let p = run(&["prepare"], dir);
    assert_eq!(p.code, 0, "{}", p.err);
    let bytes = std::fs::read(raw).unwrap();
    let (_, _, len) = sections(&bytes).into_iter().find(|s| s.0 == "place_aliases").expect("an aliases section");
    // about 95,000 aliases; without them the section is a count per place (about 150 KB)
    assert!(len > 500_000, "the aliases section holds {len} bytes");
}

/// A fresh empty directory under target/ (no cache: the fallback answers).
fn temp_dir(name: &str) -> PathBuf {
    let d = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/reliability-tests")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The section table of a corridor section file (`col::SectionWriter`): (name, offset, length).
fn sections(bytes: &[u8]) -> Vec<(String, usize, usize)> {
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap()) as usize;
    let mut pos = 12;
    let mut out = vec![("(header)".to_string(), 0, 0)];
    for _ in 0..u32_at(8) {
        let nlen = u32_at(pos);
        let name = String::from_utf8_lossy(&bytes[pos + 4..pos + 4 + nlen]).into_owned();
        pos += 4 + nlen;
        out.push((name, u64_at(pos), u64_at(pos + 8)));
        pos += 20;
    }
    out[0].2 = pos + 4; // the header itself, with its checksum
    out
}

/// One way of damaging a file.
#[derive(Debug, Clone)]
enum Damage {
    /// XOR these bytes with 0x5a.
    Flip(Vec<usize>),
    /// Zero this range.
    Zero(usize, usize),
    /// Cut the file to this length.
    Truncate(usize),
}

/// Flips, zeroes and truncates in each section `(name, offset, length)`.
fn damages(table: &[(String, usize, usize)], original: &[u8]) -> Vec<(String, Damage)> {
    let mut out = Vec::new();
    for (name, at, len) in table {
        if *len == 0 {
            continue;
        }
        let flips: Vec<usize> = (0..8).map(|k| at + (len * (2 * k + 1)) / 16).collect();
        out.push((format!("{name}: 8 bytes flipped"), Damage::Flip(flips)));
        let (z0, z1) = (at + len / 2, (at + len / 2 + 4096).min(at + len));
        // zeroing bytes that are zero already changes nothing: zero the start instead
        let (z0, z1) =
            if original[z0..z1].iter().all(|&b| b == 0) { (*at, (at + 4096).min(at + len)) } else { (z0, z1) };
        if original[z0..z1].iter().any(|&b| b != 0) {
            out.push((format!("{name}: {} bytes zeroed", z1 - z0), Damage::Zero(z0, z1)));
        }
        out.push((format!("{name}: file cut in this section"), Damage::Truncate(at + len / 2)));
    }
    out
}

/// Applies a damage to `path` (whose intact content is `original`) in place.
fn apply(path: &Path, original: &[u8], d: &Damage) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    match d {
        Damage::Flip(at) => {
            for &i in at {
                f.seek(SeekFrom::Start(i as u64)).unwrap();
                f.write_all(&[original[i] ^ 0x5a]).unwrap();
            }
        }
        Damage::Zero(a, b) => {
            f.seek(SeekFrom::Start(*a as u64)).unwrap();
            f.write_all(&vec![0u8; b - a]).unwrap();
        }
        Damage::Truncate(len) => f.set_len(*len as u64).unwrap(),
    }
}

/// Undoes [`apply`].
fn restore(path: &Path, original: &[u8], d: &Damage) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    match d {
        Damage::Flip(at) => {
            for &i in at {
                f.seek(SeekFrom::Start(i as u64)).unwrap();
                f.write_all(&original[i..i + 1]).unwrap();
            }
        }
        Damage::Zero(a, b) => {
            f.seek(SeekFrom::Start(*a as u64)).unwrap();
            f.write_all(&original[*a..*b]).unwrap();
        }
        Damage::Truncate(len) => {
            f.seek(SeekFrom::Start(*len as u64)).unwrap();
            f.write_all(&original[*len..]).unwrap();
        }
    }
}

const QUERY: [&str; 7] = ["route", "Istanbul", "Baku", "--by", "time", "--format", "json"];

/// Each section of each cache file flipped, zeroed and cut, one case at a time, in a copy of
/// the cache: every case answers exactly as the intact cache (and the fallback) with exit 0 and
/// one warning naming the damaged file.
#[test]
fn damaged_cache_files_are_reported_ignored_and_the_fallback_answers_exactly() {
    let (_, raw, engine) = prepared();
    let work = temp_dir("damaged-cache");
    let copies: Vec<(PathBuf, Vec<u8>)> = [raw, engine]
        .iter()
        .map(|p| {
            let to = work.join(p.file_name().unwrap());
            std::fs::copy(p, &to).unwrap();
            let bytes = std::fs::read(&to).unwrap();
            (to, bytes)
        })
        .collect();
    let intact = run(&QUERY, &work);
    assert_eq!(intact.code, 0, "{}", intact.err);
    assert!(!intact.err.contains("warning"), "the intact copy is sound: {}", intact.err);
    let fallback = run(&QUERY, &temp_dir("no-cache"));
    assert_eq!((fallback.code, &fallback.out), (0, &intact.out), "the fallback gives the same JSON");
    let mut cases = 0;
    for (path, original) in &copies {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for (what, d) in damages(&sections(original), original) {
            apply(path, original, &d);
            let got = run(&QUERY, &work);
            restore(path, original, &d);
            let case = format!("{name}, {what}");
            assert!(!got.err.contains("panicked"), "{case}: {}", got.err);
            assert_eq!(got.code, 0, "{case}: {}", got.err);
            assert_eq!(got.out, intact.out, "{case}: a different answer");
            let warnings: Vec<&str> = got.err.lines().filter(|l| l.contains("warning")).collect();
            assert!(
                warnings.len() == 1 && warnings[0].contains(&name) && warnings[0].contains("unusable"),
                "{case}: one warning naming the file, got {:?}",
                got.err
            );
            cases += 1;
        }
        assert_eq!(&std::fs::read(path).unwrap(), original, "{name} restored");
    }
    // restored files check again (and are stamped again)
    let again = run(&QUERY, &work);
    assert_eq!((again.code, &again.out, again.err.contains("warning")), (0, &intact.out, false));
    assert!(cases >= 200, "{cases} cases");
    let _ = std::fs::remove_dir_all(&work);
}

/// The network file (`--network FILE`, a zstd frame with its checksum): damaged anywhere, a
/// clear error (exit 2 or 1, a message naming the file), never a panic or a wrong answer.
#[test]
fn a_damaged_network_file_is_a_clear_error() {
    let src = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network/world.cnet"));
    let original = std::fs::read(&src).unwrap();
    let work = temp_dir("damaged-network");
    let path = work.join("world.cnet");
    std::fs::write(&path, &original).unwrap();
    let no_cache = temp_dir("damaged-network-no-cache");
    let arg = path.to_str().unwrap();
    let query = |p: &str| run(&["--network", p, "route", "Istanbul", "Baku", "--format", "json"], &no_cache);
    let intact = query(arg);
    assert_eq!(intact.code, 0, "{}", intact.err);
    // sections: magic, format version, the frame's header, 16 spots through its blocks, the
    // frame's checksum (last 4 bytes)
    let n = original.len();
    let mut table =
        vec![("magic".to_string(), 0, 8), ("format version".to_string(), 8, 4), ("frame header".to_string(), 12, 6)];
    for k in 0..16 {
        let at = 18 + (n - 22) * k / 16;
        table.push((format!("frame block {k}"), at, (n - 22) / 16));
    }
    table.push(("frame checksum".to_string(), n - 4, 4));
    let mut cases = 0;
    for (what, d) in damages(&table, &original) {
        apply(&path, &original, &d);
        let got = query(arg);
        restore(&path, &original, &d);
        assert!(!got.err.contains("panicked"), "{what}: {}", got.err);
        if got.code == 0 {
            assert_eq!(got.out, intact.out, "{what}: a different answer with exit 0");
        } else {
            assert!(got.err.contains("world.cnet") && got.out.is_empty(), "{what}: a clear error: {}", got.err);
            cases += 1;
        }
    }
    assert!(cases >= 50, "most damage is an error ({cases})");
    let _ = std::fs::remove_dir_all(&work);
}

/// The prepared engine (CCH potentials) and the fallback (bidirectional Dijkstra, no cache)
/// give byte-identical `route --format json` on random queries under every objective.
#[test]
fn route_json_is_byte_identical_with_and_without_the_prepared_engine() {
    let (dir, _, _) = prepared();
    let empty = temp_dir("identical-no-cache");
    let places = [
        "Almaty",
        "Istanbul",
        "Baku",
        "Tbilisi",
        "Tashkent",
        "Tehran",
        "Ankara",
        "Constanta",
        "Warsaw",
        "Berlin",
        "Duisburg",
        "Vienna",
        "Budapest",
        "Aktau",
        "Urumqi",
        "Samsun",
        "Odesa",
        "Bucharest",
        "Sofia",
        "Thessaloniki",
        "Piraeus",
        "Mersin",
        "Izmir",
        "Poti",
        "Batumi",
        "Turkmenbashi",
        "Bishkek",
        "Dushanbe",
        "Kars",
        "Yerevan",
    ];
    let mut rng = SmallRng::seed_from_u64(17);
    let mut routed = 0;
    for by in ["time", "cost", "co2", "distance"] {
        for _ in 0..5 {
            let pair: Vec<&&str> = places.choose_multiple(&mut rng, 2).collect();
            let mut args = vec!["route", pair[0], pair[1], "--by", by, "--format", "json"];
            let avoid: Vec<&str> = ["RU", "IR", "AM"].into_iter().filter(|_| rng.gen_bool(0.4)).collect();
            let avoid = avoid.join(",");
            if !avoid.is_empty() {
                args.extend(["--avoid", &avoid]);
            }
            let prepared = run(&args, dir);
            let fallback = run(&args, &empty);
            assert!(!prepared.err.contains("warning"), "the prepared cache is used: {}", prepared.err);
            assert_eq!(prepared.code, fallback.code, "{args:?}: {} / {}", prepared.err, fallback.err);
            assert_eq!(prepared.out, fallback.out, "{args:?}: prepared engine and fallback differ");
            routed += (prepared.code == 0) as usize;
        }
    }
    assert!(routed >= 15, "most queries have a route ({routed}/20)");
}

/// Control characters in the input (an escape sequence in a place name) are shown escaped in
/// the error, never sent raw to the terminal.
#[test]
fn control_characters_in_input_are_escaped_in_errors() {
    let got = run(&["route", "Alm\u{1b}[31maty\u{7}", "Istanbul"], &temp_dir("control-no-cache"));
    assert_eq!(got.code, 2, "{}", got.err);
    assert!(!got.err.contains('\u{1b}') && !got.err.contains('\u{7}'), "raw control characters: {:?}", got.err);
    assert!(got.err.contains("\\u{1b}"), "escaped: {:?}", got.err);
}

/// Control characters in input echoed by a table or a CSV file (a scenario's name, the places
/// as typed) are escaped as in errors, and the CSV is quoted by the csv crate: a name with a
/// comma, quotes and an escape sequence reads back as one field.
#[test]
fn control_characters_in_input_are_escaped_in_tables_and_csv() {
    let dir = temp_dir("control-output");
    let file = dir.join("s.toml");
    let name = "red\u{1b}[31m \"sea\", closed\r\u{9b}2J";
    std::fs::write(&file, format!("name = {}\n[close]\npassages = [\"suez\"]\n", toml_string(name))).unwrap();
    let (from, to) = ("Almaty\u{7}", "Istanbul\u{1b}");
    let args =
        |format: &'static str| ["scenario", file.to_str().unwrap(), from, to, "--by", "distance", "--format", format];
    for format in ["table", "csv"] {
        let got = run(&args(format), &dir);
        assert_eq!(got.code, 0, "{format}: {}", got.err);
        let raw: Vec<char> = got.out.chars().filter(|&c| c.is_control() && c != '\n').collect();
        assert!(raw.is_empty(), "{format}: raw control characters {raw:?} in {:?}", got.out);
        if format == "table" {
            assert!(got.out.contains("red\\u{1b}[31m \"sea\", closed\\u{d}\\u{9b}2J"), "{}", got.out);
        } else {
            let mut r = csv::Reader::from_reader(got.out.as_bytes());
            let width = r.headers().unwrap().len();
            let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
            assert!(!rows.is_empty());
            for row in &rows {
                assert_eq!(row.len(), width, "{row:?}");
                assert_eq!((&row[0], &row[1]), ("Almaty\\u{7}", "Istanbul\\u{1b}"), "{row:?}");
            }
        }
    }
    // JSON keeps the text as given (serde escapes it)
    let got = run(&args("json"), &dir);
    assert_eq!(got.code, 0, "{}", got.err);
    let v: serde_json::Value = serde_json::from_str(&got.out).unwrap();
    assert_eq!(v["scenario"], name);
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A scenario border change must select crossings: two countries exactly, with a crossing
/// between them on the network (FR-JP has none).
#[test]
fn scenario_borders_need_two_countries_with_a_crossing() {
    let dir = temp_dir("scenario-borders");
    for (body, want) in [
        ("[[border]]\nbetween = [\"FR\", \"JP\"]\nhours = 1\n", "no crossing FR-JP"),
        ("[[border]]\nbetween = [\"CN\", \"KZ\", \"RU\"]\nhours = 1\n", "exactly two countries"),
        ("[close]\nborders = [{ between = [\"FR\", \"JP\"] }]\n", "no crossing FR-JP"),
    ] {
        let file = dir.join("s.toml");
        std::fs::write(&file, format!("name = \"t\"\n{body}")).unwrap();
        let got = run(&["scenario", file.to_str().unwrap(), "Almaty", "Istanbul"], &dir);
        assert_eq!(got.code, 2, "{body}: {}", got.err);
        assert!(got.err.contains(want), "{body}: {}", got.err);
    }
}
