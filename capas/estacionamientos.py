"""Cajones de estacionamiento para personas con discapacidad: estado y reportes abiertos.

Los reportes ciudadanos llegan en otra etapa: aquí solo hay un punto de enganche,
``reportes_abiertos`` (``id -> número de reportes abiertos``), que por omisión es 0.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from capas.config import ESTADOS_ESTACIONAMIENTO
from capas.numeros import a_flotantes, dividir

#: Columnas de :func:`tabla_estacionamientos`: las 7 primeras son las del contrato de descargas.
COLUMNAS = [
    "id",
    "direccion",
    "cajones",
    "estado",
    "reportes_abiertos",
    "latitud",
    "longitud",
    "etiqueta_estado",
    "cvegeo",
    "fecha_revision",
    "observaciones",
    "foto_url",
    "origen",
]


def tabla_estacionamientos(
    estacionamientos: pd.DataFrame,
    reportes_abiertos: Mapping[str, int] | pd.Series | None = None,
) -> pd.DataFrame:
    """Cajones con su estado en palabras y el número de reportes abiertos.

    Parameters
    ----------
    estacionamientos
        Capa ``estacionamientos`` del almacén.
    reportes_abiertos
        Reportes ciudadanos abiertos por ``id`` de cajón; los cajones que no aparecen
        tienen 0. Sin él, todos tienen 0.
    """
    tabla = pd.DataFrame({c: _columna(estacionamientos, c) for c in COLUMNAS})
    conteo = pd.Series(reportes_abiertos if reportes_abiertos is not None else {}, dtype=object)
    abiertos = tabla["id"].map(conteo)
    tabla["reportes_abiertos"] = (
        pd.to_numeric(abiertos, errors="coerce").fillna(0).astype("int64").to_numpy()
    )
    etiquetas = {e.valor: e.etiqueta for e in ESTADOS_ESTACIONAMIENTO}
    estado = tabla["estado"].astype(object)
    tabla["etiqueta_estado"] = estado.map(etiquetas).where(estado.map(etiquetas).notna(), estado)
    tabla["cajones"] = pd.array(np.round(a_flotantes(tabla["cajones"])), dtype="Float64").astype(
        "Int64"
    )
    return tabla


def por_estado(tabla: pd.DataFrame) -> pd.DataFrame:
    """Cajones por estado: número de registros, cajones, participación y reportes abiertos.

    Todos los estados de :data:`capas.config.ESTADOS_ESTACIONAMIENTO` aparecen (con 0 si no
    hay), en su orden, seguidos de cualquier otro estado publicado.

    Returns
    -------
    DataFrame
        ``estado``, ``etiqueta``, ``color``, ``icono``, ``espacios`` (registros),
        ``cajones``, ``participacion_cajones`` (cajones del estado / todos los cajones) y
        ``reportes_abiertos``.
    """
    conocidos = [e.valor for e in ESTADOS_ESTACIONAMIENTO]
    otros = sorted(set(tabla["estado"].dropna().astype(str)) - set(conocidos))
    orden = conocidos + otros
    cajones = a_flotantes(tabla["cajones"])
    abiertos = a_flotantes(tabla["reportes_abiertos"]) if "reportes_abiertos" in tabla else 0.0
    datos = pd.DataFrame(
        {
            "estado": tabla["estado"].astype(object).to_numpy(),
            "espacios": 1,
            "cajones": cajones,
            "reportes_abiertos": abiertos,
        }
    )
    suma = datos.groupby("estado").agg(
        espacios=("espacios", "sum"),
        cajones=("cajones", lambda s: s.sum(min_count=1)),
        reportes_abiertos=("reportes_abiertos", "sum"),
    )
    suma = suma.reindex(orden)
    suma["espacios"] = suma["espacios"].fillna(0).astype("int64")
    suma["cajones"] = suma["cajones"].fillna(0)
    suma["reportes_abiertos"] = suma["reportes_abiertos"].fillna(0).astype("int64")
    presentacion = {e.valor: e for e in ESTADOS_ESTACIONAMIENTO}
    resultado = suma.reset_index(names="estado")
    resultado["etiqueta"] = [
        presentacion[e].etiqueta if e in presentacion else e for e in resultado["estado"]
    ]
    resultado["color"] = [presentacion[e].color if e in presentacion else None for e in orden]
    resultado["icono"] = [presentacion[e].icono if e in presentacion else None for e in orden]
    total = float(np.nansum(cajones)) if len(cajones) else np.nan
    resultado["participacion_cajones"] = dividir(resultado["cajones"].to_numpy(), total)
    resultado["cajones"] = resultado["cajones"].astype("int64")
    return resultado[
        [
            "estado",
            "etiqueta",
            "color",
            "icono",
            "espacios",
            "cajones",
            "participacion_cajones",
            "reportes_abiertos",
        ]
    ]


def _columna(tabla: pd.DataFrame, nombre: str) -> np.ndarray:
    if nombre in tabla:
        return tabla[nombre].to_numpy()
    return np.full(len(tabla), None, dtype=object)
