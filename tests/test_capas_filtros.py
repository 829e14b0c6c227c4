"""Filtros de las páginas sobre las tablas de capas (``capas.filtros``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from capas.filtros import filtrar, valores


@pytest.fixture
def tabla():
    return pd.DataFrame(
        {
            "folio": ["a", "b", "c", "d", "e"],
            "nivel": ["FEDERAL", "ESTATAL", None, "FEDERAL", "MUNICIPAL"],
            "anio": pd.array([2024, 2025, 2025, None, 2024], dtype="Int64"),
            "monto": [100.0, np.nan, 300.0, 400.0, 50.0],
        }
    )


@pytest.mark.parametrize(
    ("filtros", "folios"),
    [
        ({}, ["a", "b", "c", "d", "e"]),
        ({"nivel": None}, ["a", "b", "c", "d", "e"]),
        ({"nivel": []}, ["a", "b", "c", "d", "e"]),
        ({"nivel": "FEDERAL"}, ["a", "d"]),
        ({"nivel": ["FEDERAL", "MUNICIPAL"]}, ["a", "d", "e"]),
        ({"anio": [2025]}, ["b", "c"]),
        ({"nivel": ["FEDERAL"], "anio": 2024}, ["a"]),
        ({"rangos": {"monto": (100, 300)}}, ["a", "c"]),
        ({"rangos": {"monto": (None, 99)}}, ["e"]),
        ({"rangos": {"monto": (None, None)}}, ["a", "b", "c", "d", "e"]),
        ({"rangos": {"monto": (200, None)}, "nivel": ["FEDERAL"]}, ["d"]),
    ],
)
def test_filtrar(tabla, filtros, folios):
    resultado = filtrar(tabla, **filtros)
    assert list(resultado["folio"]) == folios
    assert list(resultado.index) == list(range(len(folios)))


def test_no_modifica_la_tabla(tabla):
    copia = tabla.copy()
    filtrar(tabla, nivel=["FEDERAL"], rangos={"monto": (0, 1000)})
    pd.testing.assert_frame_equal(tabla, copia)


def test_columna_desconocida(tabla):
    with pytest.raises(KeyError, match="'elegidos' nombra la columna 'estatus'"):
        filtrar(tabla, estatus=["Terminado"])
    with pytest.raises(KeyError, match="'rangos' nombra la columna 'precio'"):
        filtrar(tabla, rangos={"precio": (1, 2)})


def test_valores(tabla):
    assert valores(tabla, "nivel") == ["ESTATAL", "FEDERAL", "MUNICIPAL"]
    assert valores(tabla, "anio") == [2024, 2025]
    assert all(type(v) is int for v in valores(tabla, "anio"))
