"""Cajones de estacionamiento por estado y reportes abiertos."""

from __future__ import annotations

import pandas as pd

from capas import estacionamientos, tabla_estacionamientos
from capas.config import ESTADOS_ESTACIONAMIENTO

try:
    from tests.conftest_capas import almacen_prueba, datos_prueba
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    from conftest_capas import almacen_prueba, datos_prueba

__all__ = ["almacen_prueba", "datos_prueba"]


def test_capa_sin_reportes_tiene_cero_abiertos(datos_prueba):
    tabla = tabla_estacionamientos(datos_prueba)
    assert list(tabla["id"]) == ["P1", "P2", "P3"]
    assert list(tabla["reportes_abiertos"]) == [0, 0, 0]
    assert list(tabla["etiqueta_estado"]) == [
        "En buen estado",
        "Requiere rehabilitación",
        "En buen estado",
    ]


def test_enganche_de_reportes_abiertos(datos_prueba):
    tabla = tabla_estacionamientos(datos_prueba, reportes_abiertos={"P2": 2, "Z9": 5})
    assert list(tabla["reportes_abiertos"]) == [0, 2, 0]
    serie = pd.Series({"P1": 1})
    assert list(
        tabla_estacionamientos(datos_prueba, reportes_abiertos=serie)["reportes_abiertos"]
    ) == [1, 0, 0]


def test_filtro_por_estado(datos_prueba):
    tabla = tabla_estacionamientos(datos_prueba, estado="bueno")
    assert list(tabla["id"]) == ["P1", "P3"]


def test_cajones_por_estado(datos_prueba):
    tabla = tabla_estacionamientos(datos_prueba, reportes_abiertos={"P2": 2})
    resumen = estacionamientos.por_estado(tabla).set_index("estado")
    assert list(resumen.index) == [e.valor for e in ESTADOS_ESTACIONAMIENTO]
    # bueno: P1 (2 cajones) + P3 (1) = 3 de 4 cajones; requiere: P2 (1) = 1 de 4
    assert resumen.loc["bueno", ["espacios", "cajones"]].tolist() == [2, 3]
    assert resumen.loc["bueno", "participacion_cajones"] == 0.75
    assert resumen.loc["requiere_rehabilitacion", "participacion_cajones"] == 0.25
    assert resumen.loc["requiere_rehabilitacion", "reportes_abiertos"] == 2
    # estados sin cajones: 0, no sin dato
    assert resumen.loc["propuesto", ["espacios", "cajones", "reportes_abiertos"]].tolist() == [
        0,
        0,
        0,
    ]
    assert resumen.loc["propuesto", "participacion_cajones"] == 0.0


def test_resumen_desde_la_version(datos_prueba):
    from capas import resumen_estacionamientos

    resumen = resumen_estacionamientos(datos_prueba).set_index("estado")
    assert resumen["cajones"].to_dict() == {
        "bueno": 3,
        "requiere_rehabilitacion": 1,
        "en_rehabilitacion": 0,
        "rehabilitado": 0,
        "propuesto": 0,
    }
