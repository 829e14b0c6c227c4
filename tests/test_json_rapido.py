"""Codificador JSON de Dash con orjson (:mod:`tablero.json_rapido`): misma salida que Plotly."""

from __future__ import annotations

import datetime as dt
import json

import dash
import numpy as np
import orjson
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from tablero import json_rapido


def _arbol():
    """Componentes, figura validada, Patch, numpy, pandas, fechas y texto con marcas."""
    parche = dash.Patch()
    parche["data"][0]["z"] = [1.5, None]
    return {
        "multi": True,
        "response": {
            "a": {
                "children": html.Div(
                    [
                        html.P("Año </script> <b>ñ</b> \u2028", id="p"),
                        dcc.Graph(id="g", figure=go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))),
                    ]
                )
            },
            "b": {"data": np.array([1.0, np.nan, 3.0]), "enteros": np.arange(3)},
            "c": {"na": pd.NA, "nat": pd.NaT, "nan": float("nan"), "inf": float("inf")},
            "d": {"fecha": dt.date(2024, 5, 6), "hora": dt.datetime(2024, 5, 6, 7, 8, 9)},
            "e": {"parche": parche, "n": np.int64(7), "x": np.float64(0.25)},
        },
    }


def test_misma_salida_que_el_codificador_de_plotly():
    rapido = json_rapido.a_json(_arbol())
    original = json_rapido.ORIGINAL(_arbol(), engine="json")
    assert json.loads(rapido) == json.loads(original)
    decodificado = json.loads(rapido)["response"]
    assert decodificado["b"]["data"] == [1.0, None, 3.0]
    assert decodificado["c"] == {"na": None, "nat": None, "nan": None, "inf": None}
    assert decodificado["d"] == {"fecha": "2024-05-06", "hora": "2024-05-06T07:08:09"}


def test_escapa_lo_que_cerraria_un_script_en_html():
    texto = json_rapido.a_json({"t": "</script><b>\u2028\u2029"})
    assert texto == '{"t":"\\u003c\\u002fscript\\u003e\\u003cb\\u003e\\u2028\\u2029"}'
    assert json.loads(texto) == {"t": "</script><b>\u2028\u2029"}


def test_fragmento_se_incrusta_tal_cual():
    geometria = {"type": "Point", "coordinates": [-96.72, 17.06]}
    figura = {"data": [{"geojson": json_rapido.fragmento(geometria), "z": [1]}]}
    assert json.loads(json_rapido.a_json(figura)) == {"data": [{"geojson": geometria, "z": [1]}]}
    # orjson no vuelve a recorrer el fragmento: los mismos bytes en cada llamada
    fragmento = json_rapido.fragmento(geometria)
    assert orjson.dumps({"g": fragmento}) == b'{"g":{"type":"Point","coordinates":[-96.72,17.06]}}'


def test_dash_serializa_con_el_codificador_rapido():
    from dash._utils import to_json

    json_rapido.activar()
    json_rapido.activar()  # idempotente
    import plotly.io as pio

    assert pio.json.config.default_engine == "orjson"
    arbol = _arbol()
    assert to_json(arbol) == json_rapido.a_json(arbol)
    # con formato legible se usa el codificador original
    assert json.loads(json_rapido.a_json([1, 2], pretty=True)) == [1, 2]
