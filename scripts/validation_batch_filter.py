#!/usr/bin/env python3
"""Admit rows of a blind validation batch (docs/research/validation_batch_*.csv) by rules fixed
before the model is run on them (docs/research/validation_batch_2026_12_05.md), and print the
admitted rows as data/validation/published.csv lines; the rejected ones, with the rule, to stderr.

Usage: scripts/validation_batch_filter.py BATCH.csv [BATCH.csv ...] >> rows.csv
"""
import csv
import io
import re
import sys

PUBLISHED = "data/validation/published.csv"
MARKETS = {"normal-2023", "red-sea-2024", "latest"}
# lanes and years the market states' sea rates were fitted to (data/params/markets/*.toml):
# index values on them are not independent checks
FITTED_LANES = {
    ("shanghai", "rotterdam"), ("shanghai", "genoa"), ("shanghai", "genova"), ("shanghai", "dubai"),
    ("shanghai", "jebel ali"), ("shanghai", "singapore"), ("shanghai", "busan"),
    ("nhava sheva", "rotterdam"), ("nhava sheva", "genoa"), ("nhava sheva", "genova"),
    ("nhava sheva", "jebel ali"), ("rotterdam", "shanghai"),
}
UNDATED = re.compile(r"\b(inferred|infer|guess|undated|placeholder|date unknown|approximate date|year not given)\b", re.I)
ABOUT_YEAR = re.compile(r"\b(about|c\.|circa|around) ?(19|20)\d\d\b", re.I)
NOT_OBSERVED = re.compile(r"\b(EXPECTED|PLANNED|TARGET|SCHEDULED|aim|will take|to take about|is to)\b|\b(planned|expected|scheduled|announced|at departure|at launch|at the launch|claim by|claim, not)\b", re.I)
STAND_IN = re.compile(r"(representative|stand-in|no city named|not named|not stated|start point as in|country pair|countries only|region)", re.I)
# on sea corridor rows "not stated" usually means the routing (Suez assumed), so only explicit
# stand-in wording counts there
STAND_IN_PLACE = re.compile(r"(representative|stand-in|no city named|countries only|country pair)", re.I)
NOT_FTL = re.compile(r"\b(LTL|groupage|Ro-?Ro|ferry|ferries|roll-on|multimodal|intermodal)\b", re.I)
# the source leaves open what the number measures
UNCLEAR = re.compile(r"(unit missing|no unit|unclear whether|ambiguous|probably straight-line)", re.I)


def key(r):
    return (r["from"].strip().lower(), r["to"].strip().lower(), r["measure"], r.get("market", ""), r["year"])


def admit(r, seen):
    money = r["measure"] in ("usd_per_feu", "freight_usd_per_feu")
    note = r["note"]
    # a distance does not depend on its date; prices and times do
    dated = r["measure"] not in ("distance_km", "distance_nm")
    if dated and (not r["year"].strip() or UNDATED.search(note) or ABOUT_YEAR.search(r["source"])):
        return "no published date"
    if money and r.get("market", "") not in MARKETS:
        return "a price of no market state (2018, 2020-2022 or undated)"
    if r["measure"] == "freight_usd_per_feu" and (r["from"].lower(), r["to"].lower()) in FITTED_LANES:
        return "an index lane the market states were fitted to (not independent)"
    if re.search(r"not an independent figure", note, re.I):
        return "not independent (the collector: it repeats a figure already in published.csv)"
    if UNCLEAR.search(note):
        return "unclear what the number measures"
    if NOT_OBSERVED.search(note):
        return "planned, expected or target, not observed"
    # sea index lanes keep their base ports (the index's own); any other row whose places stand in
    # for a country or region is out, sea corridors included (2026-12-06: "countries only, Nhava
    # Sheva and Moscow representative" passed as a sea_suez row before)
    sea = r["corridor"] in ("sea_suez", "sea_cape")
    index_lane = sea and r["measure"] == "freight_usd_per_feu"
    if not index_lane and (STAND_IN_PLACE if sea else STAND_IN).search(note):
        return "a place chosen for the source (country or region figure)"
    if r["corridor"] == "mode:road" and NOT_FTL.search(note):
        return "not a full truckload by road (groupage or a ferry leg)"
    if key(r) in seen:
        return "duplicate"
    return None


def main():
    seen = {key(r) for r in csv.DictReader(open(PUBLISHED, newline=""))}
    fields = next(csv.reader(open(PUBLISHED, newline="")))
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    n_in = n_out = 0
    for path in sys.argv[1:]:
        for r in csv.DictReader(open(path, newline="")):
            r = {k: (v or "").strip() for k, v in r.items() if k}
            r.setdefault("market", "")
            why = admit(r, seen)
            if why:
                n_out += 1
                print(f"out  {r['id']}: {why}", file=sys.stderr)
                continue
            seen.add(key(r))
            n_in += 1
            w.writerow(r)
    sys.stdout.write(out.getvalue())
    print(f"{n_in} admitted, {n_out} left out", file=sys.stderr)


if __name__ == "__main__":
    main()
