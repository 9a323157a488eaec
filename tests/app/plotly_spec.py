"""Reading plotly figure JSON as AppTest sees it (`chart.proto.spec`)."""

import base64
import json

import numpy as np


def values(array) -> list:
    """A plotly array as a list (plotly 6 ships numbers as base64 typed arrays)."""
    if isinstance(array, dict) and "bdata" in array:
        flat = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
        shape = [int(n) for n in str(array.get("shape", len(flat))).split(",")]
        return flat.reshape(shape).tolist()
    return list(array)


def legend(at) -> dict[str, set[str]]:
    """The page's map: legend label -> the countries drawn in it (choropleth traces only)."""
    (chart,) = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    return {
        t["name"]: set(t["locations"])
        for t in json.loads(chart.proto.spec)["data"]
        if t["type"] == "choropleth" and t.get("showlegend")
    }
