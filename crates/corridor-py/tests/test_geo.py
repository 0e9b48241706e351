"""Routes as GeoJSON and as geopandas GeoDataFrames (run where geopandas is installed, as in CI:
scripts/python_ci.sh installs the package's `geo` extra)."""

import pytest

geopandas = pytest.importorskip("geopandas")


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"modes": "sea", "avoid_passage": "suez"}, {"avoid": "RU", "alternatives": 2}, {"as_of": "2024-03-01"}],
)
def test_geodataframe_is_the_geojson(planner, cli, kwargs):
    fc = planner.geojson("Shanghai", "Rotterdam", **kwargs)
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in kwargs.items()]
    assert cli("route", "Shanghai", "Rotterdam", *flags, "--format", "geojson")[1] == fc
    gdf = planner.to_geodataframe("Shanghai", "Rotterdam", **kwargs)
    assert isinstance(gdf, geopandas.GeoDataFrame)
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == len(fc["features"]) > 0
    for (_, row), f in zip(gdf.iterrows(), fc["features"]):
        assert row.geometry.geom_type == f["geometry"]["type"]
        for k, v in f["properties"].items():
            assert row[k] == v or (v is None and row[k] != row[k])
    # one leg's line starts near Shanghai (lon 121.5, lat 31.2) and one ends near Rotterdam (4.3, 51.9)
    minx, miny, maxx, maxy = gdf.total_bounds
    assert minx <= 4.5 and maxx >= 121 and miny <= 31.3 and maxy >= 51.8
