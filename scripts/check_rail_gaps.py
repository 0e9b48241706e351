#!/usr/bin/env python3
"""Look for breaks in the rail (or, with --modes road, the road) network: routes of that mode between
cities of the corridor countries that lie less than --max-km apart, flagged where their km exceed
--ratio x the great circle. A flag is a
place to look (a real detour such as Dushanbe-Khujand, or a missing line such as Kulsary-Beyneu was
until 2026-12-06); "no route" rows between countries with rail are worth a look too. Repairs go into
data/curated/links.csv with their check (data/curated/NOTES.md).

Usage: scripts/check_rail_gaps.py [target/release/corridor] [--max-km 900] [--ratio 1.9] [--modes rail|road]
(roads: --ratio 1.6 found the Astara, Aktobe-Atyrau and Pomorie-Burgas breaks on 2026-12-22)
Needs a prepared engine (`corridor prepare`); about 4 minutes on the 2-core machine.
"""
import argparse
import itertools
import json
import math
import subprocess

CITIES = [
    "Ulaanbaatar", "Darkhan", "Irkutsk", "Ulan-Ude", "Chita", "Harbin", "Hohhot", "Lanzhou", "Urumqi", "Kashgar",
    "Almaty", "Astana", "Karaganda", "Aktobe", "Atyrau", "Aktau", "Tashkent", "Samarkand", "Bukhara", "Termez",
    "Ashgabat", "Turkmenabat", "Bishkek", "Dushanbe", "Khujand", "Mashhad", "Tehran", "Tabriz", "Bandar Abbas",
    "Zahedan", "Quetta", "Lahore", "Karachi", "Baku", "Ganja", "Tbilisi", "Yerevan", "Kars", "Erzurum", "Ankara",
    "Istanbul", "Mersin", "Sofia", "Bucharest", "Belgrade", "Budapest", "Thessaloniki", "Skopje", "Zagreb", "Vienna",
    "Warsaw", "Minsk", "Vilnius", "Riga", "Kyiv", "Lviv", "Chisinau", "Odesa", "Moscow", "Samara", "Volgograd",
    "Astrakhan", "Orenburg", "Yekaterinburg", "Novosibirsk", "Omsk", "Riyadh", "Dammam", "Amman", "Haifa", "Delhi",
    "Mumbai", "Zhengzhou", "Xi'an", "Chengdu", "Chongqing", "Wuhan", "Beijing", "Shanghai", "Kunming", "Hami",
    "Korla", "Yining", "Erenhot", "Manzhouli", "Samsun", "Izmir", "Konya", "Kayseri", "Sivas", "Malatya",
    "Diyarbakir", "Gaziantep", "Adana", "Van", "Isfahan", "Shiraz", "Ahvaz", "Kerman", "Yazd", "Qazvin", "Rasht",
    "Sari", "Gorgan", "Hamburg", "Berlin", "Prague", "Munich", "Milan", "Trieste", "Duisburg", "Rotterdam", "Paris",
    "Lyon", "Madrid", "Barcelona", "Gdansk", "Poznan", "Krakow", "Bratislava", "Ljubljana", "Rijeka", "Constanta",
    "Varna", "Burgas", "Plovdiv", "Nis", "Sarajevo", "Tirana", "Athens", "Ahmedabad", "Jaipur", "Kolkata", "Chennai",
    "Hyderabad", "Nagpur", "Peshawar", "Multan",
]


def great_circle_km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def route(binary, a, b, modes):
    p = subprocess.run([binary, "route", a, b, "--modes", modes, "--by", "distance", "--format", "json"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip()
    d = json.loads(p.stdout)
    return d.get("routes", [d])[0], None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary", nargs="?", default="target/release/corridor")
    ap.add_argument("--max-km", type=float, default=900.0)
    ap.add_argument("--ratio", type=float, default=1.9)
    ap.add_argument("--modes", default="rail", choices=["rail", "road"])
    args = ap.parse_args()
    where = {}
    for c in CITIES:
        r, err = route(args.binary, c, "Moscow", "road")
        if r is None:
            print(f"?  {c}: {err[:100]}")
            continue
        where[c] = (r["origin"]["lat"], r["origin"]["lon"])
    for a, b in itertools.combinations(where, 2):
        gc = great_circle_km(where[a], where[b])
        if gc > args.max_km:
            continue
        r, err = route(args.binary, a, b, args.modes)
        if r is None:
            print(f"no route  {a}-{b} ({gc:.0f} km apart): {err[:90]}")
            continue
        ratio = r["distance_km"] / max(gc, 1.0)
        if ratio > args.ratio:
            print(f"x{ratio:<4.1f} {a}-{b}: {args.modes} {r['distance_km']:.0f} km, {gc:.0f} km apart, "
                  f"{' '.join(r['countries'])}")


if __name__ == "__main__":
    main()
