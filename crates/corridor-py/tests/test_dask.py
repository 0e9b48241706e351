"""corridor.dask on a real dask.distributed LocalCluster (2 worker processes, loopback only):
results equal to the single-process planner's."""

import random

import pandas as pd
import pytest

import corridor
import corridor.dask as cd
from corridor.frames import scenario_frame

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None, worker_dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def pairs(planner, seed, big_places):
    rng = random.Random(seed + 4)
    rows = [(rng.choice(big_places), rng.choice(big_places), float(rng.randint(1, 50))) for _ in range(48)]
    rows.append(("Xyzzyq", "Rotterdam", 1.0))  # bad input: a status, not an exception
    return pd.DataFrame(rows, columns=["from", "to", "demand"])


def test_route_many_equals_single_process(client, planner, pairs):
    avoid = ["RU", "IR"]
    got = cd.route_many(pairs, avoid=avoid)
    assert list(got.columns) == ["from", "to", "demand"] + cd.ROUTE_COLUMNS
    assert len(got) == len(pairs) and (got.index == pairs.index).all()
    single = planner.route_rows(zip(pairs["from"], pairs["to"]), avoid=avoid)
    assert [tuple(None if pd.isna(v) else v for v in row) for row in got[cd.ROUTE_COLUMNS].itertuples(index=False)] \
        == [tuple(r) for r in single]
    assert got["status"].iloc[-1].startswith("bad input: unknown place 'Xyzzyq'")
    # the single-process DataFrame helper gives the same frame
    pd.testing.assert_frame_equal(got, planner.route_frame(pairs, avoid=avoid))
    ok = got[got["status"] == "ok"]
    assert len(ok) >= 10
    # the figures are those of a full route
    row = ok.iloc[0]
    r = planner.route(row["from"], row["to"], avoid=avoid)
    assert (row["distance_km"], row["days"], row["usd_per_feu"], row["kg_co2e_per_teu"]) == (
        r["distance_km"], r["days"], r["usd_per_feu"], r["kg_co2e_per_teu"])
    assert row["countries"] == " > ".join(r["countries"])
    # each worker process opened one planner for these options, once
    opened = client.run(lambda: len(__import__("corridor.dask").dask._planners))
    assert len(opened) == 2 and all(n == 1 for n in opened.values()), opened


def test_route_many_dask_dataframe_is_lazy(client, planner, pairs):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(pairs.iloc[:12], npartitions=3)
    lazy = cd.route_many(ddf, avoid_passage="suez", by="time")
    assert isinstance(lazy, dd.DataFrame)
    got = lazy.compute()
    single = planner.route_rows(zip(pairs["from"][:12], pairs["to"][:12]), avoid_passage="suez", by="time")
    assert list(got["status"]) == [r[-1] for r in single]
    assert [None if pd.isna(v) else v for v in got["days"]] == [r[3] for r in single]


def test_route_many_rejects_bad_frames(client):
    with pytest.raises(corridor.BadInput, match="missing: to"):
        cd.route_many(pd.DataFrame({"from": ["Almaty"]}))
    with pytest.raises(corridor.BadInput, match="pandas or Dask DataFrame"):
        cd.route_many([("Almaty", "Istanbul")])
    with pytest.raises(TypeError, match="avoid_country"):
        cd.route_many(pd.DataFrame({"from": ["Almaty"], "to": ["Baku"]}), avoid_country="RU")


def test_matrix_equals_single_process(client, planner, big_places):
    origins, destinations = big_places[:7], big_places[-5:]
    assert cd.matrix(origins, destinations, avoid="RU", chunks=3) == planner.matrix(origins, destinations, avoid="RU")


def test_scenario_ensemble_equals_single_process(client, planner):
    from conftest import REPO

    scenarios = [str(REPO / "examples/scenarios/red-sea-closed.toml"),
                 {"name": "Georgia closed", "close": {"countries": ["GE"]}}]
    rows = [("Shanghai", "Rotterdam"), ("Almaty", "Istanbul"), ("Xi'an", "Duisburg")]
    got = cd.scenario_ensemble(scenarios, rows, chunks=2)
    expected = pd.concat([scenario_frame(planner.scenario(s, pairs=rows)) for s in scenarios], ignore_index=True)
    pd.testing.assert_frame_equal(got.drop(columns=["scenario_file"]), expected)
    assert list(dict.fromkeys(got["scenario"])) == ["Red Sea closed", "Georgia closed"]


def test_critical_equals_single_process(client, planner):
    rows = [("Almaty", "Istanbul", 5), ("Xi'an", "Duisburg", 3), ("Tashkent", "Baku", 2), ("Urumqi", "Tbilisi", 1)]
    got = cd.critical(rows, avoid="RU", parts=3)
    assert got == planner.critical(rows, avoid="RU")
    assert [r["rank"] for r in got["ranking"]] == list(range(1, len(got["ranking"]) + 1))
