#!/usr/bin/env python3
"""Converts the gas source files into the committed CSVs under data/gas/sources/.

Inputs (not committed; see data/gas/README.md for provenance and licences):
  ggit_2024-10-08.xlsx   Global Energy Monitor, Global Gas Infrastructure Tracker (CC BY 4.0)
  iggielgn_storages.csv  SciGRID_gas IGGIELGN storage sites (CC BY 4.0)

Outputs (committed, read by `corridor gas network build`):
  ggit_pipelines.csv     pipelines that touch at least two modelled countries, route thinned to ~2 km
  ggit_lng_import.csv    LNG import terminal units in modelled countries
  iggielgn_storage.csv   storage sites in modelled countries with withdrawal rate and working gas

Usage: python3 scripts/gas_sources.py [SOURCE_DIR] (default /work/shared/data/gas).
Requires openpyxl. Deterministic: same inputs, same bytes.
"""
import ast
import csv
import math
import re
import sys
from pathlib import Path

import openpyxl

SRC = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/gas")
OUT = Path(__file__).resolve().parent.parent / "data" / "gas" / "sources"

# GGIT country names -> ISO 3166-1 alpha-2, for the countries the model covers: the EU-27, the
# rest of geographic Europe, Turkey, the Caucasus, the Caspian and the suppliers around them.
COUNTRIES = {
    "Austria": "AT", "Belgium": "BE", "Bulgaria": "BG", "Croatia": "HR", "Cyprus": "CY",
    "Czech Republic": "CZ", "Denmark": "DK", "Estonia": "EE", "Finland": "FI", "France": "FR",
    "Germany": "DE", "Greece": "GR", "Hungary": "HU", "Ireland": "IE", "Italy": "IT",
    "Latvia": "LV", "Lithuania": "LT", "Luxembourg": "LU", "Malta": "MT", "Netherlands": "NL",
    "Poland": "PL", "Portugal": "PT", "Romania": "RO", "Slovakia": "SK", "Slovenia": "SI",
    "Spain": "ES", "Sweden": "SE",
    "Norway": "NO", "United Kingdom": "GB", "Switzerland": "CH", "Ukraine": "UA", "Moldova": "MD",
    "Belarus": "BY", "Serbia": "RS", "Bosnia and Herzegovina": "BA", "North Macedonia": "MK",
    "Albania": "AL", "Montenegro": "ME", "Kosovo": "XK", "Türkiye": "TR", "Georgia": "GE",
    "Armenia": "AM", "Azerbaijan": "AZ", "Russia": "RU", "Turkmenistan": "TM", "Kazakhstan": "KZ",
    "Uzbekistan": "UZ", "Iran": "IR", "Algeria": "DZ", "Libya": "LY", "Tunisia": "TN",
    "Morocco": "MA", "Egypt": "EG", "Israel": "IL",
}
DROP_STATUS = {"cancelled", "retired"}


def num(v):
    try:
        x = float(v)
    except (TypeError, ValueError):
        return ""
    return f"{x:.3f}".rstrip("0").rstrip(".")


def iso_list(areas):
    codes = []
    for a in str(areas or "").split(","):
        c = COUNTRIES.get(a.strip())
        if c and c not in codes:
            codes.append(c)
    return codes


def thin(wkt):
    """Route as 'lon lat;lon lat|...' (parts separated by '|'), keeping a point only when it is
    more than ~2 km from the last one kept (plus each part's last point): enough to see which
    borders a pipeline crosses, a tenth of the size."""
    parts = re.findall(r"\(([^()]+)\)", wkt or "")
    out = []
    for part in parts:
        pts = [tuple(map(float, p.split()[:2])) for p in part.split(",") if p.strip()]
        kept = []
        for i, (x, y) in enumerate(pts):
            if not kept or i == len(pts) - 1 or math.hypot(x - kept[-1][0], y - kept[-1][1]) > 0.02:
                kept.append((x, y))
        out.append(";".join(f"{x:.4f} {y:.4f}" for x, y in kept))
    return "|".join(out)


def main():
    wb = openpyxl.load_workbook(SRC / "ggit_2024-10-08.xlsx", read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    h = {name: i for i, name in enumerate(rows[0])}
    pipes, lng = [], []
    for r in rows[1:]:
        status = str(r[h["status"]])
        if status in DROP_STATUS:
            continue
        codes = iso_list(r[h["areas"]])
        unit = "" if r[h["unit-name"]] in (None, "None") else str(r[h["unit-name"]])
        if r[h["tracker-acro"]] == "GGIT" and len(codes) >= 2:
            pipes.append([r[h["id"]], r[h["name"]], unit, status, " ".join(codes),
                          num(r[h["capacity"]]), r[h["start-year"]] or "", r[h["url"]],
                          thin(r[h["geometry"]])])
        elif r[h["tracker-custom"]] == "GGIT - import" and len(codes) == 1:
            lng.append([r[h["id"]], r[h["name"]], unit, status, codes[0], num(r[h["capacity"]]),
                        r[h["start-year"]] if r[h["start-year"]] not in (None, "--") else "",
                        r[h["Latitude"]], r[h["Longitude"]], r[h["url"]]])
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "ggit_pipelines.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "unit", "status", "countries", "capacity_bcm_y", "start_year", "url", "route"])
        w.writerows(sorted(pipes))
    with open(OUT / "ggit_lng_import.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "unit", "status", "country", "capacity_mtpa", "start_year", "lat", "lon", "url"])
        w.writerows(sorted(lng))
    # storage: `param` is a Python-dict literal; withdrawal (store -> pipe) and working gas
    stor = []
    with open(SRC / "iggielgn_storages.csv", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            if r["country_code"] not in COUNTRIES.values():
                continue
            p = ast.literal_eval(r["param"])
            stor.append([r["id"], r["name"], r["country_code"], num(p.get("max_cap_store2pipe_M_m3_per_d")),
                         num(p.get("max_workingGas_M_m3")), num(r["lat"]), num(r["long"])])
    with open(OUT / "iggielgn_storage.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "country", "withdrawal_mcm_d", "working_gas_mcm", "lat", "lon"])
        w.writerows(sorted(stor))
    print(f"{len(pipes)} pipelines, {len(lng)} LNG import units, {len(stor)} storage sites -> {OUT}")


if __name__ == "__main__":
    main()
