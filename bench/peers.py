#!/usr/bin/env python3
"""Side-by-side benchmark of corridor against peer engines on corridor's own exported graph.

Input: a directory written by `corridor-bench --queries N --export DIR` (nodes.csv, edges.csv,
queries.csv, README.txt). Peers, run in the venv made by bench/peers.sh:

* scgraph (C++ Dijkstra / bidirectional Dijkstra). It cannot exclude per query, so one filtered
  graph is built per distinct exclusion set; building is NOT timed, only the query call is.
* pyroutingkit (RoutingKit customizable contraction hierarchies). The CCH topology (nested
  dissection order by inertial flow) is built once; per query the exclusions are turned into
  weights (excluded arcs = INF_WEIGHT) and the metric is customized, and that IS timed with the
  query. A second row uses partial customization (update_weights on the newly excluded arcs of a
  metric customized once with only the default closures).
* searoute (optional, --searoute N pairs): checks corridor's sea layer against searoute's marnet.

Exclusions per query: nodes whose country is avoided (unless open_water == 1), edges whose passage
is avoided or default-closed (northwest, nsr), and planned edges.

Usage: bench/peers.py EXPORT_DIR [--limit N] [--searoute 100] [--skip scgraph,cch,searoute]
Corridor's times come from queries.csv (measured by corridor-bench in its own process).
"""
import argparse
import csv
import datetime
import heapq
import math
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

# Passages closed by default in corridor; replaced by the export's default_closed.txt (the planner's
# closures: the network's Arctic routes, and Panama for the parameters' vessel class)
DEFAULT_CLOSED = ("northwest", "nsr")


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def log(msg):
    print(msg, flush=True)


# ----------------------------------------------------------------------------------------- load
class Graph:
    pass


def load(export_dir):
    g = Graph()
    t0 = time.perf_counter()
    lat, lon, country, layer, ow = [], [], [], [], []
    with open(os.path.join(export_dir, "nodes.csv"), newline="") as f:
        r = csv.reader(f)
        header = next(r)
        assert header[:6] == ["id", "lat", "lon", "country", "layer", "open_water"], header
        for i, row in enumerate(r):
            assert int(row[0]) == i, "node ids must be dense and in order"
            lat.append(float(row[1]))
            lon.append(float(row[2]))
            country.append(row[3])
            layer.append(row[4])
            ow.append(row[5] == "1")
    g.n = len(lat)
    g.lat = np.array(lat)
    g.lon = np.array(lon)
    g.countries = sorted(set(country))
    cidx = {c: i for i, c in enumerate(g.countries)}
    g.country = np.array([cidx[c] for c in country], dtype=np.int32)
    g.layer = np.array(layer)
    g.open_water = np.array(ow, dtype=bool)

    a, b, w, mode, passage, planned = [], [], [], [], [], []
    with open(os.path.join(export_dir, "edges.csv"), newline="") as f:
        r = csv.reader(f)
        header = next(r)
        assert header[:6] == ["a", "b", "len_m", "mode", "passage", "planned"], header
        for row in r:
            a.append(int(row[0]))
            b.append(int(row[1]))
            w.append(int(row[2]))
            mode.append(row[3])
            passage.append(row[4])
            planned.append(row[5] == "1")
    g.a = np.array(a, dtype=np.int64)
    g.b = np.array(b, dtype=np.int64)
    g.w = np.array(w, dtype=np.int64)
    g.m = len(a)
    g.modes = sorted(set(mode))
    midx = {m: i for i, m in enumerate(g.modes)}
    g.mode = np.array([midx[m] for m in mode], dtype=np.int32)
    g.passages = sorted(set(passage))
    pidx = {p: i for i, p in enumerate(g.passages)}
    g.passage = np.array([pidx[p] for p in passage], dtype=np.int32)
    g.planned = np.array(planned, dtype=bool)

    g.queries = []
    with open(os.path.join(export_dir, "queries.csv"), newline="") as f:
        for row in csv.DictReader(f):
            g.queries.append({
                "id": int(row["id"]),
                "s": int(row["source"]),
                "t": int(row["target"]),
                "countries": tuple(sorted(x for x in row["avoid_countries"].split("|") if x)),
                "passages": tuple(sorted(x for x in row["avoid_passages"].split("|") if x)),
                "corridor_m": int(row["corridor_m"]) if row["corridor_m"] else None,
                "bidir_ms": float(row["corridor_bidir_ms"]),
                # the production search (A* with CCH potentials); older exports lack it
                "ms": float(row["corridor_ms"]),
                "dij_ms": float(row["corridor_dijkstra_ms"]),
            })
    g.load_s = time.perf_counter() - t0
    return g


def edge_keep_mask(g, countries, passages):
    """True for every undirected edge that survives the exclusion set."""
    closed = [g.passages.index(p) for p in set(passages) | set(DEFAULT_CLOSED) if p in g.passages]
    keep = ~g.planned & ~np.isin(g.passage, closed)
    cids = [g.countries.index(c) for c in countries if c in g.countries]
    if cids:
        node_out = np.isin(g.country, cids) & ~g.open_water
        keep &= ~node_out[g.a] & ~node_out[g.b]
    return keep


# ---------------------------------------------------------------------------------- comparison
def same(peer, ref):
    """peer: float metres or None; ref: corridor's integer metres or None."""
    if ref is None or peer is None:
        return ref is None and peer is None
    return abs(peer - ref) <= max(1e-6 * ref, 1e-3)


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


class Row:
    def __init__(self, name):
        self.name = name
        self.ms = []
        self.mismatches = []
        self.note = ""

    def add(self, q, ms, dist):
        self.ms.append(ms)
        if not same(dist, q["corridor_m"]):
            self.mismatches.append((q["id"], q["s"], q["t"], q["corridor_m"], dist))


# -------------------------------------------------------------------------------------- scgraph
def run_scgraph(g, queries, rows):
    import scgraph

    base_keep = edge_keep_mask(g, (), ())
    groups = {}
    for q in queries:
        groups.setdefault((q["countries"], q["passages"]), []).append(q)
    log(f"scgraph: {len(groups)} distinct exclusion sets "
        f"for {len(queries)} queries")
    r_dij = rows.setdefault("scgraph dijkstra", Row("scgraph Graph.dijkstra"))
    r_bi = rows.setdefault("scgraph bidir", Row("scgraph Graph.bidirectional_dijkstra"))
    build_s = []
    for (countries, passages), qs in groups.items():
        t0 = time.perf_counter()
        keep = edge_keep_mask(g, countries, passages)
        a, b, w = g.a[keep], g.b[keep], g.w[keep]
        # parallel edges: keep the shortest (sort by length descending, last write wins)
        order = np.argsort(-w, kind="stable")
        adj = [{} for _ in range(g.n)]
        for u, v, x in zip(a[order].tolist(), b[order].tolist(), w[order].astype(float).tolist()):
            if u != v:
                adj[u][v] = x
                adj[v][u] = x
        graph = scgraph.Graph(adj)
        del adj
        # warm-up outside the timing: bidirectional_dijkstra builds the inverse graph lazily and
        # both searches size their thread-local state on first use
        for fn in (graph.dijkstra, graph.bidirectional_dijkstra):
            try:
                fn(qs[0]["s"], qs[0]["s"])
            except Exception:
                pass
        build_s.append(time.perf_counter() - t0)
        for q in qs:
            for row, fn in ((r_dij, graph.dijkstra), (r_bi, graph.bidirectional_dijkstra)):
                t1 = time.perf_counter()
                try:
                    d = fn(q["s"], q["t"])["length"]
                except Exception:  # "not connected" is raised as RuntimeError
                    d = None
                row.add(q, (time.perf_counter() - t1) * 1e3, d)
        del graph
    note = (f"graph build per exclusion set (not timed): median {statistics.median(build_s):.2f} s, "
            f"total {sum(build_s):.0f} s for {len(build_s)} sets")
    r_dij.note = r_bi.note = note
    return {"scgraph graph build (per exclusion set, median)": statistics.median(build_s)}


# --------------------------------------------------------------------------------- pyroutingkit
def run_cch(g, queries, rows, threads):
    import pyroutingkit as rk

    INF = rk.INF_WEIGHT
    # directed arcs: each undirected edge both ways, sorted by tail (RoutingKit convention)
    tail = np.concatenate([g.a, g.b])
    head = np.concatenate([g.b, g.a])
    order = np.lexsort((head, tail))
    tail = tail[order].astype(np.uint32)
    head = head[order].astype(np.uint32)
    arc_edge = np.concatenate([np.arange(g.m), np.arange(g.m)])[order]  # arc -> undirected edge
    base_w = g.w[arc_edge].astype(np.uint32)
    assert int(g.w.max()) < INF

    t0 = time.perf_counter()
    topo = rk.CCHTopology()
    topo.build(tail, head, g.lat.astype(np.float32), g.lon.astype(np.float32), g.n)
    build_s = time.perf_counter() - t0
    log(f"pyroutingkit: CCH topology (nested dissection, inertial flow) built in {build_s:.1f} s, "
        f"{topo.node_count} nodes, {topo.arc_count} arcs, OpenMP={rk.HAS_OPENMP}")
    rss0 = rss_mb()

    # data needed to turn an exclusion set into arc weights (prepared once, not per query)
    closed_default = np.isin(g.passage, [g.passages.index(p) for p in DEFAULT_CLOSED if p in g.passages])
    arc_default_out = (g.planned | closed_default)[arc_edge]
    arc_passage = g.passage[arc_edge]
    tail_c = g.country[tail.astype(np.int64)]
    head_c = g.country[head.astype(np.int64)]
    tail_ow = g.open_water[tail.astype(np.int64)]
    head_ow = g.open_water[head.astype(np.int64)]

    def excluded_arcs(q):
        out = arc_default_out.copy()
        ps = [g.passages.index(p) for p in q["passages"] if p in g.passages]
        if ps:
            out |= np.isin(arc_passage, ps)
        cs = [g.countries.index(c) for c in q["countries"] if c in g.countries]
        if cs:
            out |= (np.isin(tail_c, cs) & ~tail_ow) | (np.isin(head_c, cs) & ~head_ow)
        return out

    def result(d):
        return None if d >= INF else float(d)

    # full customization per query (weights array + customize + query all timed)
    metric = rk.CCHMetric(topo)
    variants = [(1, "pyroutingkit CCH full customize, 1 thread")]
    if rk.HAS_OPENMP and threads > 1:
        variants.append((threads, f"pyroutingkit CCH full customize, {threads} threads"))
    parts = {}
    for tc, name in variants:
        row = rows.setdefault(name, Row(name))
        wt, ct, qt = [], [], []
        for q in queries:
            t1 = time.perf_counter()
            w = base_w.copy()
            w[excluded_arcs(q)] = INF
            t2 = time.perf_counter()
            metric.customize(w, thread_count=tc if tc > 1 else 0)
            t3 = time.perf_counter()
            d = metric.query(q["s"], q["t"])[0]
            t4 = time.perf_counter()
            row.add(q, (t4 - t1) * 1e3, result(d))
            wt.append(t2 - t1), ct.append(t3 - t2), qt.append(t4 - t3)
        row.note = (f"median split: weights {statistics.median(wt)*1e3:.1f} ms + customize "
                    f"{statistics.median(ct)*1e3:.1f} ms + query {statistics.median(qt)*1e3:.3f} ms")
        parts[name] = statistics.median(qt)

    # partial customization: metric customized once with only the default closures; per query
    # set the query's extra excluded arcs to INF (timed with the query), then restore (not timed)
    name = "pyroutingkit CCH partial update_weights"
    row = rows.setdefault(name, Row(name))
    w0 = base_w.copy()
    w0[arc_default_out] = INF
    t1 = time.perf_counter()
    metric.customize(w0)
    base_cust_s = time.perf_counter() - t1
    ut, rt, n_arcs = [], [], []
    for q in queries:
        t1 = time.perf_counter()
        ids = np.flatnonzero(excluded_arcs(q) & ~arc_default_out).astype(np.uint32)
        if len(ids):
            metric.update_weights(ids, np.full(len(ids), INF, dtype=np.uint32))
        t2 = time.perf_counter()
        d = metric.query(q["s"], q["t"])[0]
        t3 = time.perf_counter()
        row.add(q, (t3 - t1) * 1e3, result(d))
        if len(ids):
            metric.update_weights(ids, w0[ids])
        rt.append(time.perf_counter() - t3)
        ut.append(t2 - t1)
        n_arcs.append(len(ids))
    row.note = (f"median {statistics.median(n_arcs):.0f} arcs changed; update {statistics.median(ut)*1e3:.1f} ms "
                f"(restore afterwards {statistics.median(rt)*1e3:.1f} ms, not timed); "
                f"base customization {base_cust_s*1e3:.0f} ms once")
    log(f"pyroutingkit: RSS {rss_mb():.0f} MB with topology+metric (was {rss0:.0f} MB after build)")
    return {"pyroutingkit CCH topology build": build_s}


# ------------------------------------------------------------------------------------- searoute
def run_searoute(g, npairs, export_dir, bench, seed=42):
    import searoute as sr

    sea_mode = g.modes.index("sea") if "sea" in g.modes else -1
    closed = [g.passages.index(p) for p in DEFAULT_CLOSED if p in g.passages]
    keep = (g.mode == sea_mode) & ~g.planned & ~np.isin(g.passage, closed)
    adj = {}
    for u, v, x in zip(g.a[keep].tolist(), g.b[keep].tolist(), g.w[keep].tolist()):
        for p, r in ((u, v), (v, u)):
            d = adj.setdefault(p, {})
            if x < d.get(r, 1 << 62):
                d[r] = x
    sea_nodes = [i for i in adj if g.layer[i] == "Sea"]
    log(f"searoute: sea graph {len(adj)} nodes, {int(keep.sum())} edges; {len(sea_nodes)} Sea-layer nodes")

    def dijkstra(s, t):
        dist = {s: 0}
        heap = [(0, s)]
        while heap:
            d, u = heapq.heappop(heap)
            if u == t:
                return d
            if d > dist[u]:
                continue
            for v, x in adj[u].items():
                nd = d + x
                if nd < dist.get(v, 1 << 62):
                    dist[v] = nd
                    heapq.heappush(heap, (nd, v))
        return None

    rng = random.Random(seed)
    pairs = [tuple(rng.sample(sea_nodes, 2)) for _ in range(npairs)]
    # corridor's own sea-only queries on the same pairs (prepared engine, checked against Dijkstra)
    pairs_file = os.path.join(export_dir, "sea-pairs.csv")
    result_file = os.path.join(export_dir, "sea-corridor.csv")
    with open(pairs_file, "w") as f:
        f.writelines(f"{s},{t}\n" for s, t in pairs)
    subprocess.run([bench, "--sea-pairs", pairs_file, result_file], check=True, stdout=subprocess.DEVNULL)
    corridor = {}
    with open(result_file) as f:
        for row in csv.DictReader(f):
            corridor[(int(row["source"]), int(row["target"]))] = (
                int(row["corridor_m"]) if row["corridor_m"] else None, float(row["corridor_ms"]))
    pt = lambda i: [float(g.lon[i]), float(g.lat[i])]
    t0 = time.perf_counter()
    sr.searoute(pt(sea_nodes[0]), pt(sea_nodes[1]))  # loads marnet: not timed
    setup_s = time.perf_counter() - t0
    ms, rels, bad, unreachable, corridor_ms, disagree = [], [], [], 0, [], 0
    import warnings
    for s, t in pairs:
        ref = dijkstra(s, t)
        c_m, c_ms = corridor[(s, t)]
        corridor_ms.append(c_ms)
        if c_m != ref:
            disagree += 1
        t1 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            f = sr.searoute(pt(s), pt(t), units="km")
        ms.append((time.perf_counter() - t1) * 1e3)
        km = f["properties"]["length"]
        if ref is None:
            unreachable += 1
            if km and km != float("inf"):
                bad.append((s, t, None, km))
            continue
        rel = abs(km * 1000 - ref) / max(ref, 1)
        rels.append(rel)
        if rel > 0.005:
            bad.append((s, t, ref / 1000, km))
    return {"ms": ms, "rels": rels, "bad": bad, "unreachable": unreachable, "setup_s": setup_s,
            "n": npairs, "corridor_ms": corridor_ms, "disagree": disagree}


# ----------------------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("export_dir")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N queries")
    ap.add_argument("--searoute", type=int, default=100, help="sea pairs for the searoute check (0: skip)")
    ap.add_argument("--bench", default="target/release/corridor-bench",
                    help="corridor-bench binary (times corridor's sea-only queries for the searoute check)")
    ap.add_argument("--skip", default="", help="comma list of: scgraph,cch,searoute")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                    help="threads for the parallel CCH customization row")
    args = ap.parse_args()
    skip = set(x for x in args.skip.split(",") if x)

    global DEFAULT_CLOSED
    closed_file = os.path.join(args.export_dir, "default_closed.txt")
    if os.path.exists(closed_file):
        with open(closed_file) as f:
            DEFAULT_CLOSED = tuple(line.strip() for line in f if line.strip())
    g = load(args.export_dir)
    queries = g.queries[: args.limit] if args.limit else g.queries
    log(f"loaded {g.n} nodes, {g.m} edges, {len(g.queries)} queries in {g.load_s:.1f} s "
        f"(RSS {rss_mb():.0f} MB); benchmarking {len(queries)} queries")

    rows, prep, mem = {}, {}, []
    mem.append(("after load", rss_mb(), peak_mb()))
    if "scgraph" not in skip:
        t0 = time.perf_counter()
        prep.update(run_scgraph(g, queries, rows))
        mem.append(("after scgraph", rss_mb(), peak_mb()))
        log(f"scgraph phase {time.perf_counter() - t0:.0f} s")
    if "cch" not in skip:
        t0 = time.perf_counter()
        prep.update(run_cch(g, queries, rows, args.threads))
        mem.append(("after pyroutingkit", rss_mb(), peak_mb()))
        log(f"pyroutingkit phase {time.perf_counter() - t0:.0f} s")
    sea = None
    if "searoute" not in skip and args.searoute > 0:
        try:
            sea = run_searoute(g, args.searoute, args.export_dir, args.bench)
            mem.append(("after searoute", rss_mb(), peak_mb()))
        except Exception as e:  # optional part: report, do not fail the run
            log(f"searoute check failed: {e!r}")

    # ---- report
    alt_med = statistics.median(q["ms"] for q in queries)
    no_route = sum(q["corridor_m"] is None for q in queries)
    print()
    print(f"# corridor vs peers — {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, "
          f"{platform.node()} ({platform.machine()}), os.cpu_count()={os.cpu_count()}, Python {platform.python_version()}")
    print(f"# graph {g.n:,} nodes, {g.m:,} undirected edges; {len(queries)} queries "
          f"({no_route} without route per corridor); export {os.path.abspath(args.export_dir)}")
    print()
    hdr = f"| {'engine':<47} | {'median ms':>10} | {'p99 ms':>10} | {'vs corridor':>15} | {'mismatches':>10} |"
    print(hdr)
    print("|" + "|".join("-" * (len(c)) for c in hdr.split("|")[1:-1]) + "|")
    corridor_rows = [("corridor CCH potentials (corridor_ms)", [q["ms"] for q in queries]),
                     ("corridor bidirectional Dijkstra (corridor_bidir_ms)", [q["bidir_ms"] for q in queries]),
                     ("corridor plain Dijkstra (corridor_dijkstra_ms)", [q["dij_ms"] for q in queries])]
    for name, ms in corridor_rows:
        med = statistics.median(ms)
        print(f"| {name:<47} | {med:>10.2f} | {pct(ms, 99):>10.2f} | {med / alt_med:>14.2f}x | {'(ref)':>10} |")
    for row in rows.values():
        med = statistics.median(row.ms)
        print(f"| {row.name:<47} | {med:>10.2f} | {pct(row.ms, 99):>10.2f} | {med / alt_med:>14.2f}x | "
              f"{len(row.mismatches):>10} |")
    print()
    for row in rows.values():
        if row.note:
            print(f"- {row.name}: {row.note}")
    for row in rows.values():
        for mm in row.mismatches[:5]:
            print(f"  MISMATCH {row.name}: query {mm[0]} {mm[1]}->{mm[2]} corridor_m={mm[3]} peer={mm[4]}")
        if len(row.mismatches) > 5:
            print(f"  ... {len(row.mismatches) - 5} more for {row.name}")
    print()
    print("Preprocessing:")
    print(f"- export load (csv module + numpy): {g.load_s:.1f} s")
    for k, v in prep.items():
        print(f"- {k}: {v:.2f} s")
    print("Memory (this process; ru_maxrss is a running peak, so later rows include earlier phases):")
    for name, cur, peak in mem:
        print(f"- {name}: RSS {cur:.0f} MB, peak {peak:.0f} MB")
    if sea:
        rels = sea["rels"]
        print()
        print(f"searoute {sea['n']} random Sea-node pairs (searoute.searoute, default restrictions=['northwest'];"
              f" reference: Python Dijkstra over exported mode=sea edges without planned edges and the default closures"
              f" {'/'.join(DEFAULT_CLOSED)}):")
        c_med = statistics.median(sea['corridor_ms'])
        print(f"- corridor time per query (prepared engine, modes=sea): median {c_med:.2f} ms, "
              f"p99 {pct(sea['corridor_ms'], 99):.2f} ms; {sea['disagree']} distances differ from the "
              f"Python Dijkstra reference")
        print(f"- searoute time per query: median {statistics.median(sea['ms']):.1f} ms, "
              f"p99 {pct(sea['ms'], 99):.1f} ms (marnet load {sea['setup_s']:.1f} s, not timed); "
              f"{statistics.median(sea['ms']) / c_med:.1f}x corridor's median")
        if rels:
            print(f"- relative length difference: median {statistics.median(rels)*100:.3f} %, "
                  f"max {max(rels)*100:.3f} %; {len(sea['bad'])} pairs beyond 0.5 %; "
                  f"{sea['unreachable']} pairs unreachable in corridor's sea layer")
        for s, t, ref_km, km in sea["bad"][:8]:
            print(f"  DIFF {s}->{t}: corridor sea layer {ref_km if ref_km is None else round(ref_km, 1)} km, "
                  f"searoute {km:.1f} km")
    total_mm = sum(len(r.mismatches) for r in rows.values()) + (sea["disagree"] if sea else 0)
    print()
    print(f"{total_mm} distance mismatches in total (tolerance: relative 1e-6 of corridor_m)")


if __name__ == "__main__":
    main()
