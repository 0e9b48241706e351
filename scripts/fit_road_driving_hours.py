#!/usr/bin/env python3
"""Fit `road.driving_hours_per_day`, the hours a truck drives per calendar day, to published long-haul
truck run times (docs/research/road_run_times.csv).

Each row is routed by road on the network (`corridor route FROM TO --modes road`, the default
objective) twice, at 16 and at 9 driving hours a day (`--params`). A route's days are
A + B / h: A the dwell (borders, which do not depend on h), B the driving hours at the zones'
speeds. Solving the two runs for A and B per row, the fit is the h at which the model's days sum
to the published days (ratio of sums), over the rows that measure a truck's driving day:
  - not in data/validation/published.csv (the fit must not use the validation figures);
  - full truckloads (groupage promises with consolidation, and the Moscow import lanes'
    congested promises, are left out: rt014-rt016, rt023, rt031-rt036);
  - no Caspian ferry on the way (rt004, rt005), no bound-only row (rt038).
Printed: each row's A, B, published days and the h that would match it alone, then the fit for
all the kept rows and for the EU/Turkey and the Asian/Middle East rows apart.

Usage: scripts/fit_road_driving_hours.py [target/release/corridor]   (set CORRIDOR_CACHE)
"""
import csv
import statistics
import sys

from fitlib import route_with

ROWS = "docs/research/road_run_times.csv"
# The rows the research marks as repeating validation figures, groupage/congested promises,
# Caspian ferry legs and an upper bound (docs/research/road_run_times.md).
LEFT_OUT = {
    "validation": {"rt001", "rt002", "rt003", "rt006", "rt007", "rt008", "rt010", "rt028", "rt029", "rt030"},
    "groupage or congested": {"rt014", "rt015", "rt016", "rt023", "rt031", "rt032", "rt033", "rt034", "rt035", "rt036"},
    "caspian ferry": {"rt004", "rt005"},
    "bound only": {"rt038"},
}
EUROPE = {"ES", "DE", "PL", "GR", "IT", "RO", "FR", "HU", "TR", "AT", "CZ", "NL", "BE"}


def days_at(binary, a, b, hours):
    r, err = route_with(binary, a, b, "road", "road.driving_hours_per_day", hours)
    return (r["days"], None) if r is not None else (None, err)


def fit(rows):
    """h with sum(A + B/h) = sum(published), or None."""
    a = sum(r["A"] for r in rows)
    b = sum(r["B"] for r in rows)
    pub = sum(r["days"] for r in rows)
    return b / (pub - a) if pub > a else None


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/corridor"
    left = {rid: why for why, ids in LEFT_OUT.items() for rid in ids}
    kept = []
    print(f"{'id':<6} {'from':<18} {'to':<18} {'kind':<16} {'pub d':>6} {'A d':>5} {'B h':>6} {'h alone':>7}")
    for r in csv.DictReader(open(ROWS, encoding="utf-8")):
        if r["id"] in left:
            print(f"{r['id']:<6} left out: {left[r['id']]}")
            continue
        d16, err = days_at(binary, r["from"], r["to"], 16.0)
        d9, _ = days_at(binary, r["from"], r["to"], 9.0) if err is None else (None, None)
        if d16 is None or d9 is None:
            print(f"{r['id']:<6} skipped: {err}")
            continue
        b = (d9 - d16) / (1 / 9 - 1 / 16)  # driving hours at the zone speeds
        a = d16 - b / 16  # dwell days
        row = {"id": r["id"], "A": a, "B": b, "days": float(r["days"]), "kind": r["days_kind"],
               "europe": r["from_cc"] in EUROPE and r["to_cc"] in EUROPE}
        alone = b / (row["days"] - a) if row["days"] > a else float("inf")
        row["alone"] = alone
        kept.append(row)
        print(f"{r['id']:<6} {r['from'][:18]:<18} {r['to'][:18]:<18} {r['days_kind']:<16} {row['days']:>6.2f} "
              f"{a:>5.2f} {b:>6.1f} {alone:>7.1f}")
    for name, rows in (("all kept rows", kept),
                       ("Europe and Turkey", [r for r in kept if r["europe"]]),
                       ("Asia, Middle East", [r for r in kept if not r["europe"]])):
        h = fit(rows)
        med = statistics.median(r["alone"] for r in rows) if rows else float("nan")
        print(f"{name}: {len(rows)} rows, ratio of sums h = {h:.1f} h/day, median of rows {med:.1f}")
    # Door-to-door figures and transit promises count calendar days, the day of collection and
    # the day of delivery included, where the model counts from departure to arrival: half a
    # day less on each such row is the sensitivity of the fit to that convention.
    shifted = [dict(r, days=r["days"] - 0.5) if r["kind"] != "first_run" else r for r in kept]
    print(f"sensitivity, door-to-door and promises less half a day: h = {fit(shifted):.1f} h/day")


if __name__ == "__main__":
    main()
