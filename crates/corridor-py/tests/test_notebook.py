"""examples/corridor.ipynb runs from top to bottom (nbclient, a real kernel) and draws its map."""

import importlib.util
import pathlib

import pytest

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")

REPO = pathlib.Path(__file__).resolve().parents[3]


def test_notebook_executes():
    path = REPO / "examples" / "corridor.ipynb"
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the map was not drawn"
    text = "".join(o.get("text", "") for o in outputs)
    assert "Almaty" in text and "countries: KZ" in text
    if importlib.util.find_spec("geopandas") is not None:
        assert "drawn with geopandas" in text
    assert "bcm/y" in text and "as of 2024-03-01" in text
