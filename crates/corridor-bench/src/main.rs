//! `corridor-bench`: per-query engine benchmark on the embedded world network.
//!
//! Draws N random origin/destination node pairs on the multimodal network, each with an
//! exclusion set drawn at random from {RU, IR, BY, suez, babalmandab, ormuz, bosporus} (the empty
//! set included), runs plain Dijkstra (the reference), bidirectional Dijkstra (the search without a prepared
//! engine), A* with the CCH potential alone and
//! with the exclusion-family potentials (the production search) on every query, checks that all
//! agree exactly, and prints median, p99 and the ratio to the reference. Single-threaded
//! queries. The prepared engine comes from `$CORRIDOR_CACHE` (`corridor prepare`), else is built
//! here and timed.
//!
//! With `--matrix N`: times an N x N matrix between random cities (population >= 100,000, not in
//! Russia) avoiding RU, on all cores, instead.
//!
//! With `--export DIR`: also writes the graph and the queries with corridor's answers and times
//! (nodes.csv, edges.csv, queries.csv) for the side-by-side run against peers (bench/peers.py).
//!
//! With `--sea-pairs IN OUT`: times sea-only queries (modes = sea, default-closed passages
//! closed) between the node pairs listed in IN (`source,target` per line), each checked against
//! plain Dijkstra, and writes `source,target,corridor_m,corridor_ms` to OUT (the searoute
//! comparison of bench/peers.py).
//!
//! With `--any N`: N queries drawn from the whole space users ask (0-3 of 60 transit countries,
//! 0-2 of every passage, every objective), each checked against plain Dijkstra; median and p99
//! of the production search per objective (issue "Fast for every query"), and of the explanation
//! of each found path (legs, borders, dwell, measures and its JSON).
//!
//! Usage: corridor-bench [--queries N] [--seed S] [--network FILE] [--matrix N] [--export DIR]
//! [--sea-pairs IN OUT] [--any N]

use std::time::Instant;

use corridor::engine::bidir::Searcher;
use corridor::engine::{reference, Metric, Terminal};
use corridor::planner::{Constraints, Planner};

/// Engine benchmark on the world network: every answer checked against plain Dijkstra.
#[derive(clap::Parser)]
#[command(
    name = "corridor-bench",
    about = "Engine benchmark on the world network: random queries and exclusion sets, every answer checked against plain Dijkstra"
)]
struct Args {
    /// Random world queries to time.
    #[arg(long, default_value_t = 1000)]
    queries: usize,
    /// Seed of the query draw.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Network file (default: data/network/world.cnet).
    #[arg(long)]
    network: Option<std::path::PathBuf>,
    /// Time an N x N matrix between random cities avoiding RU instead.
    #[arg(long, default_value_t = 0)]
    matrix: usize,
    /// Also write the graph and the queries with corridor's answers for bench/peers.py.
    #[arg(long)]
    export: Option<std::path::PathBuf>,
    /// Time N queries drawn from the whole space users ask instead: 0-3 avoided countries of the
    /// 60 transit countries between China, India and the Atlantic, 0-2 of every passage, every
    /// objective; median and p99 of the engine per objective, each answer checked against Dijkstra,
    /// and of the explanation of each found path.
    #[arg(long, default_value_t = 0)]
    any: usize,
    /// Time sea-only queries between the node pairs of IN and write the results to OUT.
    #[arg(long, num_args = 2, value_names = ["IN", "OUT"])]
    sea_pairs: Vec<std::path::PathBuf>,
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let args = <Args as clap::Parser>::parse();
    let n_queries = args.queries;
    let mut seed = args.seed;
    let t0 = Instant::now();
    let net = match &args.network {
        Some(p) => corridor::network::format::read(std::path::Path::new(p)).expect("network"),
        None => {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network/world.cnet");
            corridor::network::format::read(std::path::Path::new(path)).expect("network")
        }
    };
    let load_s = t0.elapsed().as_secs_f64();
    let net = std::sync::Arc::new(net);
    let planner = Planner::new(net.clone());
    // the prepared engine: from the cache `corridor prepare` writes, else built here (timed)
    let t1 = Instant::now();
    let (prepared, from_cache) = corridor::prepared::Prepared::from_env_cache_or_build(&planner);
    let planner = planner.with_prepared(Some(std::sync::Arc::new(prepared)));
    let prep_engine_s = t1.elapsed().as_secs_f64();
    let matrix_n = args.matrix;
    if matrix_n > 0 {
        let mut cities: Vec<String> = net
            .meta
            .places
            .iter()
            .filter(|p| p.kind == corridor::network::PlaceKind::City && p.population >= 100_000 && p.country != "RU")
            .map(|p| format!("{:.5},{:.5}", p.lat, p.lon))
            .collect();
        let mut s = seed;
        for i in (1..cities.len()).rev() {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            cities.swap(i, (s % (i as u64 + 1)) as usize);
        }
        // keep places that snap (inland cities far from any network are dropped)
        let plain = Planner::new(net.clone());
        let c = Constraints { avoid: vec!["RU".into()], ..Default::default() };
        let usable: Vec<String> = cities
            .into_iter()
            .filter(|q| {
                plain
                    .matrix(
                        std::slice::from_ref(q),
                        std::slice::from_ref(q),
                        &c,
                        corridor::model::cost::Objective::Distance,
                        1,
                        &|| {},
                    )
                    .is_ok()
            })
            .take(matrix_n)
            .collect();
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let t = Instant::now();
        let m = planner
            .matrix(&usable, &usable, &c, corridor::model::cost::Objective::Distance, threads, &|| {})
            .expect("matrix");
        let secs = t.elapsed().as_secs_f64();
        // check a sample of rows against one-to-many Dijkstra
        let sample: Vec<String> = usable.iter().step_by((n_rows(&usable) / 5).max(1)).take(5).cloned().collect();
        let t = Instant::now();
        let check = plain
            .matrix(&sample, &usable, &c, corridor::model::cost::Objective::Distance, threads, &|| {})
            .expect("matrix");
        let dijkstra_per_row = t.elapsed().as_secs_f64() / sample.len() as f64;
        for (k, q) in sample.iter().enumerate() {
            let i = usable.iter().position(|u| u == q).unwrap();
            assert_eq!(check.values[k], m.values[i], "matrix row {i} differs from Dijkstra");
        }
        println!(
            "one-to-many Dijkstra for comparison: {:.2} s per origin on {threads} threads ({} rows checked equal); whole matrix would take {:.0} s",
            dijkstra_per_row,
            sample.len(),
            dijkstra_per_row * usable.len() as f64
        );
        let reached = m.values.iter().flatten().filter(|v| v.is_some()).count();
        let n = usable.len();
        println!(
            "{n} x {n} matrix avoiding RU on {threads} threads: {secs:.1} s ({reached} of {} pairs connected)",
            n * n
        );
        return;
    }
    let prep = planner.prepared().unwrap();
    let t1 = Instant::now();
    let _ = prep.cch.customize_for(&net, None, Metric::Length);
    let custom_s = t1.elapsed().as_secs_f64();
    let st = prep.cch.stats();
    println!(
        "CCH: {} in {prep_engine_s:.1} s; one customization {custom_s:.2} s; {} arcs, max up-degree {}, elimination tree height {}, {} family customizations",
        if from_cache { "loaded from the cache" } else { "built (order, topology, customizations)" },
        st.arcs,
        st.max_up_degree,
        st.etree_height,
        prep.families.len()
    );
    let pots = prep.potentials(&planner, corridor::model::cost::Objective::Distance, Metric::Length);
    let cch = &prep.cch;
    let mut cchs = corridor::engine::cch::potential::CchSearcher::new(&net);
    if let [input, output] = args.sea_pairs.as_slice() {
        let r = planner
            .restrictions(&Constraints { modes: vec![corridor::network::Mode::Sea], ..Default::default() })
            .expect("sea");
        let mut rows = vec!["source,target,corridor_m,corridor_ms".to_string()];
        let mut times = Vec::new();
        for line in std::fs::read_to_string(input).expect("read the pairs").lines() {
            let Some((a, b)) = line.split_once(',') else { continue };
            let (Ok(a), Ok(b)) = (a.trim().parse::<u32>(), b.trim().parse::<u32>()) else { continue };
            let (s, t) = ([Terminal { node: a, cost: 0 }], [Terminal { node: b, cost: 0 }]);
            let clock = Instant::now();
            let got = cchs.shortest_path(&net, cch, &pots, &r, Metric::Length, &s, &t).map(|p| p.cost);
            let ms = clock.elapsed().as_secs_f64() * 1e3;
            let want = reference::shortest_path(&net, &r, Metric::Length, &s, &t).map(|p| p.cost);
            assert_eq!(got, want, "sea query {a}->{b} differs from Dijkstra");
            times.push(ms);
            rows.push(format!("{a},{b},{},{ms:.3}", got.map(|c| c.to_string()).unwrap_or_default()));
        }
        std::fs::write(output, rows.join("\n") + "\n").expect("write the sea results");
        let n = times.len();
        println!(
            "{n} sea-only queries: median {:.2} ms, p99 {:.2} ms; all equal to plain Dijkstra",
            percentile(&mut times, 0.5),
            percentile(&mut times, 0.99)
        );
        return;
    }
    if args.any > 0 {
        any_queries(&net, &planner, args.any, seed);
        return;
    }
    let mut t_cch1 = Vec::new();
    let mut t_cch = Vec::new();
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let pool = ["RU", "IR", "BY"];
    let passages = ["suez", "babalmandab", "ormuz", "bosporus"];
    let mut bidir = Searcher::new(&net);
    let (mut t_ref, mut t_bi) = (Vec::new(), Vec::new());
    let export = args.export.clone();
    let mut query_rows: Vec<String> = Vec::new();
    let mut connected = 0;
    for _ in 0..n_queries {
        let mut c = Constraints::default();
        let mask = rnd() % 128;
        for (i, x) in pool.iter().enumerate() {
            if mask & (1 << i) != 0 {
                c.avoid.push(x.to_string());
            }
        }
        for (i, x) in passages.iter().enumerate() {
            if mask & (1 << (i + 3)) != 0 {
                c.avoid_passages.push(x.to_string());
            }
        }
        let r = planner.restrictions(&c).expect("valid constraints");
        let pick = |rnd: &mut dyn FnMut() -> u64| loop {
            let v = (rnd() % net.node_count() as u64) as u32;
            if r.node_ok(&net, v) {
                return v;
            }
        };
        let s = [Terminal { node: pick(&mut rnd), cost: 0 }];
        let t = [Terminal { node: pick(&mut rnd), cost: 0 }];
        let a = Instant::now();
        let want = reference::shortest_path(&net, &r, Metric::Length, &s, &t).map(|p| p.cost);
        t_ref.push(a.elapsed().as_secs_f64() * 1e3);
        let a = Instant::now();
        let got_bi = bidir.shortest_path(&net, &r, Metric::Length, &s, &t).map(|p| p.cost);
        t_bi.push(a.elapsed().as_secs_f64() * 1e3);
        let a = Instant::now();
        let got_cch = cchs.shortest_path(&net, cch, &pots[..1], &r, Metric::Length, &s, &t).map(|p| p.cost);
        t_cch1.push(a.elapsed().as_secs_f64() * 1e3);
        assert_eq!(got_cch, want, "CCH potentials differ from Dijkstra");
        let a = Instant::now();
        let got_cch = cchs.shortest_path(&net, cch, &pots, &r, Metric::Length, &s, &t).map(|p| p.cost);
        t_cch.push(a.elapsed().as_secs_f64() * 1e3);
        assert_eq!(got_cch, want, "CCH potentials differ from Dijkstra");
        query_rows.push(format!(
            "{},{},{},{},{},{},{:.3},{:.3},{:.3}",
            query_rows.len(),
            s[0].node,
            t[0].node,
            c.avoid.join("|"),
            c.avoid_passages.join("|"),
            want.map(|w| w.to_string()).unwrap_or_default(),
            t_bi.last().unwrap(),
            t_ref.last().unwrap(),
            t_cch.last().unwrap()
        ));
        assert_eq!(got_bi, want, "bidirectional differs from Dijkstra");
        connected += want.is_some() as usize;
    }
    if let Some(dir) = export {
        write_export(&net, &planner.default_closed_passages(), &dir, &query_rows).expect("export");
        println!("exported graph and queries to {}", dir.display());
    }
    let med_ref = percentile(&mut t_ref.clone(), 0.5);
    println!("network: {} nodes, {} edges, loaded in {:.2} s", net.node_count(), net.edge_count(), load_s);
    println!("{n_queries} random world queries ({connected} connected), random exclusion sets; all answers equal to plain Dijkstra");
    println!("peak memory (VmHWM) of this process: {:.0} MB", peak_mb());
    println!("{:<26} {:>10} {:>10} {:>16}", "engine", "median ms", "p99 ms", "median speed-up");
    let rows = [
        ("plain Dijkstra", &mut t_ref),
        ("bidirectional Dijkstra", &mut t_bi),
        ("CCH potential only", &mut t_cch1),
        ("CCH + family potentials", &mut t_cch),
    ];
    for (name, v) in rows {
        let med = percentile(v, 0.5);
        let p99 = percentile(v, 0.99);
        println!("{:<26} {:>10.2} {:>10.2} {:>15.1}x", name, med, p99, med_ref / med);
    }
}

/// Transit countries between China, India and the Atlantic (the exclusions users ask for).
const TRANSIT: [&str; 60] = [
    "CN", "MN", "KZ", "KG", "UZ", "TJ", "TM", "AF", "PK", "IN", "IR", "AZ", "AM", "GE", "TR", "RU", "BY", "UA", "MD",
    "RO", "BG", "GR", "RS", "HU", "SK", "CZ", "PL", "LT", "LV", "EE", "FI", "DE", "AT", "CH", "IT", "FR", "ES", "PT",
    "NL", "BE", "SA", "AE", "OM", "QA", "KW", "BH", "IQ", "SY", "JO", "IL", "LB", "EG", "SD", "ER", "DJ", "YE", "SO",
    "CY", "AL", "MK",
];

/// `--any N`: queries from the whole space (any transit country, any passage, every objective)
/// through the production search (A* with the CCH potentials the planner uses), each checked
/// against plain Dijkstra on the same weights; medians and p99 per objective.
fn any_queries(net: &corridor::Network, planner: &Planner, n: usize, mut seed: u64) {
    use corridor::model::cost::Objective;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let prep = planner.prepared().expect("a prepared engine");
    let passages: Vec<String> = net.meta.passages[1..].to_vec();
    let objectives = [Objective::Distance, Objective::Time, Objective::Cost, Objective::Co2];
    let weights: Vec<Option<std::sync::Arc<Vec<u32>>>> =
        objectives.iter().map(|&o| planner.objective_weights(o)).collect();
    let mut cchs = corridor::engine::cch::potential::CchSearcher::new(net);
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); objectives.len()];
    // nodes settled per query: the work, whatever else loads the machine
    let mut settled: Vec<Vec<f64>> = vec![Vec::new(); objectives.len()];
    let mut slowest: Vec<(f64, String)> = Vec::new();
    // explanation (legs, borders, dwell, measures, JSON) per found path, and its route's km
    let mut explain_ms: Vec<Vec<f64>> = vec![Vec::new(); objectives.len()];
    let mut explain_km: Vec<Vec<f64>> = vec![Vec::new(); objectives.len()];
    for _ in 0..n {
        let mut c = Constraints::default();
        for _ in 0..rnd() % 4 {
            c.avoid.push(TRANSIT[(rnd() % TRANSIT.len() as u64) as usize].to_string());
        }
        for _ in 0..rnd() % 3 {
            c.avoid_passages.push(passages[(rnd() % passages.len() as u64) as usize].clone());
        }
        let k = (rnd() % objectives.len() as u64) as usize;
        let metric = match &weights[k] {
            Some(w) => Metric::PerEdge(w),
            None => Metric::Length,
        };
        let r = planner.restrictions(&c).expect("valid constraints");
        let pick = |rnd: &mut dyn FnMut() -> u64| loop {
            let v = (rnd() % net.node_count() as u64) as u32;
            if r.node_ok(net, v) {
                return v;
            }
        };
        let s = [Terminal { node: pick(&mut rnd), cost: 0 }];
        let t = [Terminal { node: pick(&mut rnd), cost: 0 }];
        let clock = Instant::now();
        let pots = prep.potentials(planner, objectives[k], metric);
        let path = cchs.shortest_path(net, &prep.cch, &pots, &r, metric, &s, &t);
        let ms = clock.elapsed().as_secs_f64() * 1e3;
        let got = path.as_ref().map(|p| p.cost);
        // the explanation of the found path and its JSON: what a route does after the search
        if let Some(p) = path.as_ref().filter(|p| !p.edges.is_empty()) {
            let clock = Instant::now();
            let route = planner.explain_path(p, objectives[k]);
            std::hint::black_box(serde_json::to_string(&route).expect("a route serializes"));
            explain_ms[k].push(clock.elapsed().as_secs_f64() * 1e3);
            explain_km[k].push(route.distance_km);
        }
        let want = reference::shortest_path(net, &r, metric, &s, &t).map(|p| p.cost);
        assert_eq!(
            got, want,
            "query {:?} {:?} by {:?} differs from Dijkstra",
            c.avoid, c.avoid_passages, objectives[k]
        );
        times[k].push(ms);
        settled[k].push(cchs.settled as f64);
        slowest.push((ms, {
            let at = |v: u32| {
                let p = net.coord(v);
                format!("node {v} ({:.3}, {:.3})", p.lat, p.lon)
            };
            format!(
                "{} -> {} by {} avoiding {:?} {:?}, {} settled",
                at(s[0].node),
                at(t[0].node),
                objectives[k].name(),
                c.avoid,
                c.avoid_passages,
                cchs.settled
            )
        }));
    }
    println!("{n} queries from the whole space (0-3 of 60 transit countries, 0-2 of every passage, every objective); all equal to plain Dijkstra");
    println!(
        "{:<10} {:>8} {:>10} {:>10} {:>10} {:>15} {:>12}",
        "objective", "queries", "median ms", "p99 ms", "max ms", "median settled", "p99 settled"
    );
    for (k, o) in objectives.iter().enumerate() {
        let v = &mut times[k];
        if v.is_empty() {
            continue;
        }
        let max = v.iter().cloned().fold(0.0, f64::max);
        let (p50, p99) = (percentile(v, 0.5), percentile(v, 0.99));
        let s = &mut settled[k];
        println!(
            "{:<10} {:>8} {:>10.2} {:>10.2} {:>10.2} {:>15.0} {:>12.0}",
            o.name(),
            v.len(),
            p50,
            p99,
            max,
            percentile(s, 0.5),
            percentile(s, 0.99)
        );
    }
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, q) in slowest.iter().take(3) {
        println!("slowest: {ms:.1} ms: {q}");
    }
    println!("explanation of the found path (legs, borders, dwell, measures, JSON):");
    println!(
        "{:<10} {:>8} {:>10} {:>10} {:>10} {:>14}",
        "objective", "routes", "median ms", "p99 ms", "max ms", "longest km"
    );
    for (k, o) in objectives.iter().enumerate() {
        let v = &mut explain_ms[k];
        if v.is_empty() {
            continue;
        }
        let max = v.iter().cloned().fold(0.0, f64::max);
        let km = explain_km[k].iter().cloned().fold(0.0, f64::max);
        println!(
            "{:<10} {:>8} {:>10.2} {:>10.2} {:>10.2} {:>14.0}",
            o.name(),
            v.len(),
            percentile(v, 0.5),
            percentile(v, 0.99),
            max,
            km
        );
    }
}

fn n_rows(v: &[String]) -> usize {
    v.len()
}

/// Peak resident memory of this process in MB (Linux; 0 elsewhere).
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l[6..].trim().trim_end_matches(" kB").trim().to_string())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Writes nodes.csv, edges.csv and queries.csv for the peer benchmark.
fn write_export(
    net: &corridor::Network,
    default_closed: &[String],
    dir: &std::path::Path,
    queries: &[String],
) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("nodes.csv"))?);
    writeln!(f, "id,lat,lon,country,layer,open_water")?;
    for v in 0..net.node_count() as u32 {
        let c = net.coord(v);
        writeln!(f, "{},{},{},{},{:?},{}", v, c.lat, c.lon, net.country(v), net.layer(v), net.is_open_water(v) as u8)?;
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("edges.csv"))?);
    writeln!(f, "a,b,len_m,mode,passage,planned")?;
    for e in 0..net.edge_count() {
        let planned = net.edge_flags[e] & corridor::network::edge_flags::PLANNED != 0;
        writeln!(
            f,
            "{},{},{},{},{},{}",
            net.edge_a[e],
            net.edge_b[e],
            net.edge_len_m[e],
            net.kind(e as u32).mode().name(),
            net.passage(e as u32).unwrap_or(""),
            planned as u8
        )?;
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("queries.csv"))?);
    writeln!(
        f,
        "id,source,target,avoid_countries,avoid_passages,corridor_m,corridor_bidir_ms,corridor_dijkstra_ms,corridor_ms"
    )?;
    for q in queries {
        writeln!(f, "{q}")?;
    }
    writeln!(std::io::BufWriter::new(std::fs::File::create(dir.join("README.txt"))?), "Default-closed passages (always excluded; default_closed.txt): {}. Planned edges are excluded. An avoided country excludes every node of that country except open-water sea nodes (open_water = 1).", default_closed.join(", "))?;
    // the planner's default closures (the network's, and Panama for the parameters' vessel class)
    std::fs::write(dir.join("default_closed.txt"), default_closed.join("\n") + "\n")?;
    Ok(())
}
