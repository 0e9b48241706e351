#!/usr/bin/env python3
"""Fit `rail.speed_eu_km_per_day` to published European intermodal train transit times
(docs/research/eu_intermodal_train_times.csv): each pair's rail length on the network
(`corridor route A B --modes rail --by distance`) over its published hours; the fit is the ratio of
sums (km-weighted) over the rows that quote a train's running time (measure departure_arrival, or
unclear: an advertised "transit time"). Rows quoting day A to day B or cut-off to availability
include terminal dwell, which the model does not count on a rail leg; they are printed as a check.

Usage: scripts/fit_eu_rail_speed.py [target/release/corridor]
"""
import csv
import json
import statistics
import subprocess
import sys

ROWS = "docs/research/eu_intermodal_train_times.csv"
# terminals the gazetteer does not know, by the nearest place it knows (None: no single place)
PLACE = {
    "Rotterdam RSC / P&O-Stena terminal": "Rotterdam", "Rotterdam RSC": "Rotterdam", "Rotterdam ECT": "Rotterdam",
    "Rotterdam (Maasvlakte/Waalhaven)": "Rotterdam", "Rotterdam CTT Pernis": "Rotterdam",
    "PCC terminals in Poland (Kutno, Poznan, Brzeg Dolny, Gliwice, Kolbuszowa)": None,
    "Swarzedz CLIP (Poznan)": "Swarzędz", "Duisburg DIT": "Duisburg", "Duisburg-Rheinhausen": "Duisburg",
    "Munich Riem / Nuremberg": "Munich", "Weil am Rhein (Basel area)": "Weil am Rhein", "Vienna Freudenau": "Vienna",
    "Genk (H. Essers Railport)": "Genk", "Curtici (Railport Arad)": "Arad", "Curtici (Arad) / Budapest BILK": "Arad",
    "Budapest BILK": "Budapest", "Budapest Ferencvaros": "Budapest", "Padova Interporto": "Padua",
    "Trieste (Molo VII)": "Trieste", "Trieste Marine Terminal": "Trieste", "Ulm Dornstadt": "Ulm",
    "Kiel (Schwedenkai)": "Kiel", "Verona Quadrante Europa": "Verona", "Lübeck-Travemünde (Baltic Rail Gate)": "Lübeck",
    "Melzo (Rail Hub Milano)": "Melzo", "Fos-sur-Mer / Marseille": "Fos-sur-Mer", "London Gateway": "Stanford-le-Hope",
    "London Gateway (Stanford-le-Hope)": "Stanford-le-Hope", "Doncaster Railport": "Doncaster", "Oslo Alnabru": "Oslo",
    "Malmö / Trelleborg": "Malmö", "Stockholm Årsta": "Stockholm", "Gothenburg (APM Terminals)": "Gothenburg",
    "Sines (Terminal XXI)": "Sines", "Warsaw Praga": "Warsaw", "Poznan Franowo": "Poznań",
    "Chavornay (Lausanne)": "Lausanne",
}
RUNNING = {"departure_arrival", "unclear"}
# zone rail_speed.see (South-East Europe) has its own speed since 2026-12-15
# (scripts/fit_rail_zone_speed.py see): rows whose route crosses it are left out of this fit
SEE = {"BG", "RO", "GR", "HR", "RS", "BA", "ME", "MK", "AL", "XK"}


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/corridor"
    fit, check = [], []
    print(f"{'id':<28} {'measure':<20} {'km':>6} {'hours':>6} {'km/day':>7}")
    for r in csv.DictReader(open(ROWS, encoding="utf-8")):
        a, b = (PLACE.get(r[k], r[k]) for k in ("from", "to"))
        if a is None or b is None:
            print(f"{r['id']:<28} skipped: no single place", file=sys.stderr)
            continue
        cmd = [binary, "route", f"{a}, {r['from_cc']}", f"{b}, {r['to_cc']}", "--modes", "rail", "--by", "distance",
               "--format", "json"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            print(f"{r['id']:<28} skipped: {p.stderr.strip()[:90]}", file=sys.stderr)
            continue
        route = json.loads(p.stdout)
        km, hours = route["distance_km"], float(r["hours"])
        if SEE & set(route["countries"]):
            print(f"{r['id']:<28} left out: crosses South-East Europe ({'-'.join(route['countries'])})", file=sys.stderr)
            continue
        (fit if r["measure"] in RUNNING else check).append((km, hours))
        print(f"{r['id']:<28} {r['measure']:<20} {km:>6.0f} {hours:>6.1f} {km / hours * 24:>7.0f}")
    for name, rows in (("running time (fit)", fit), ("with terminal dwell (check)", check)):
        speeds = [km / h * 24 for km, h in rows]
        print(f"{name}: {len(rows)} rows, ratio of sums {sum(k for k, _ in rows) / sum(h for _, h in rows) * 24:.0f} "
              f"km/day, median {statistics.median(speeds):.0f}, quartiles "
              f"{', '.join(f'{q:.0f}' for q in statistics.quantiles(speeds, n=4))}")


if __name__ == "__main__":
    main()
