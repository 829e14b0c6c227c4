"""Deserción y aprobación, y su variación entre ciclos (indicadores 5 y 6).

Se calculan sobre las escuelas del programa (públicas de educación básica), con la
matrícula del Formato 911: ``INSCRITOS`` al inicio del ciclo, ``EXISTENCIA`` y ``APROBADOS``
al final.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from capas.config import LECTURA_VARIACION, SIN_DATO, UMBRALES, Umbrales
from capas.numeros import a_flotantes, dividir, es_nulo, sumar_por_grupo

#: Columnas de :func:`tasas_por_zona`.
COLUMNAS_TASAS = ["desercion", "desercion_variacion", "aprobacion", "aprobacion_variacion"]


def tasa_desercion(inscritos, existencia):
    """Tasa de deserción = (``INSCRITOS`` − ``EXISTENCIA``) / ``INSCRITOS`` (fracción).

    Nula si falta alguno de los dos o si no hay inscritos.
    """
    if isinstance(inscritos, pd.Series) or isinstance(existencia, pd.Series):
        diferencia = pd.to_numeric(inscritos, errors="coerce") - pd.to_numeric(
            existencia, errors="coerce"
        )
    elif np.ndim(inscritos) == 0 and np.ndim(existencia) == 0:
        diferencia = float(a_flotantes([inscritos])[0] - a_flotantes([existencia])[0])
    else:
        diferencia = a_flotantes(inscritos) - a_flotantes(existencia)
    return dividir(diferencia, inscritos)


def tasa_aprobacion(aprobados, existencia):
    """Tasa de aprobación = ``APROBADOS`` / ``EXISTENCIA`` (fracción; nula sin dato o con 0)."""
    return dividir(aprobados, existencia)


def variacion(actual, anterior):
    """Variación = tasa del ciclo / tasa del ciclo anterior (nula sin dato o con 0).

    Menor que 1: la tasa bajó respecto al ciclo anterior.
    """
    return dividir(actual, anterior)


def tasas_por_zona(base: pd.DataFrame, zona: pd.Series | str) -> pd.DataFrame:
    """Indicadores 5 y 6 por zona (escuela, municipio o entidad) y ciclo.

    - ``desercion`` = (Σ inscritos − Σ existencia) / Σ inscritos, sumando las escuelas de la
      zona que reportaron inscritos y existencia ese ciclo.
    - ``aprobacion`` = Σ aprobados / Σ existencia, sumando las escuelas que reportaron
      aprobados y existencia.
    - ``desercion_variacion`` y ``aprobacion_variacion`` = tasa del ciclo / tasa del ciclo
      inmediato anterior (``anio - 1``) de la misma zona; nula en el primer ciclo, cuando
      falta el ciclo anterior o su tasa es 0.

    Parameters
    ----------
    base
        Tabla de :func:`capas.cobertura.base_escolar`.
    zona
        Columna de ``base`` que define la zona (``"cct"``, ``"cvegeo"``) o una ``Series``
        alineada con ``base``.

    Returns
    -------
    DataFrame
        Índice ``(zona, anio)`` con todas las parejas presentes en ``base``; columnas
        ``desercion``, ``desercion_variacion``, ``aprobacion``, ``aprobacion_variacion``.
    """
    claves = base[zona] if isinstance(zona, str) else zona
    inscritos = a_flotantes(base["inscritos"])
    existencia = a_flotantes(base["existencia"])
    aprobados = a_flotantes(base["aprobados"])
    con_desercion = ~np.isnan(inscritos) & ~np.isnan(existencia)
    con_aprobacion = ~np.isnan(aprobados) & ~np.isnan(existencia)
    sumas = sumar_por_grupo(
        {"zona": claves.to_numpy(dtype=object), "anio": base["anio"].to_numpy()},
        {
            "ins_d": np.where(con_desercion, inscritos, np.nan),
            "exi_d": np.where(con_desercion, existencia, np.nan),
            "apr_a": np.where(con_aprobacion, aprobados, np.nan),
            "exi_a": np.where(con_aprobacion, existencia, np.nan),
        },
    )
    tasas = pd.DataFrame(index=sumas.index)
    tasas["desercion"] = tasa_desercion(sumas["ins_d"].to_numpy(), sumas["exi_d"].to_numpy())
    tasas["aprobacion"] = tasa_aprobacion(sumas["apr_a"].to_numpy(), sumas["exi_a"].to_numpy())
    # El índice está ordenado por (zona, anio): el ciclo anterior es la fila previa si es de
    # la misma zona y de anio - 1.
    zonas = sumas.index.get_level_values("zona").to_numpy()
    anios = sumas.index.get_level_values("anio").to_numpy()
    hay_anterior = np.zeros(len(sumas), dtype=bool)
    hay_anterior[1:] = (zonas[1:] == zonas[:-1]) & (anios[1:] == anios[:-1] + 1)
    for columna in ("desercion", "aprobacion"):
        actual = tasas[columna].to_numpy()
        anterior = np.full(len(actual), np.nan)
        anterior[1:] = actual[:-1]
        anterior[~hay_anterior] = np.nan
        tasas[f"{columna}_variacion"] = variacion(actual, anterior)
    return tasas[COLUMNAS_TASAS]


def lectura_variacion(indicador: str, valor, umbrales: Umbrales = UMBRALES) -> str:
    """Frase que dice si el cambio es bueno o malo.

    ``indicador`` es ``"desercion"`` o ``"aprobacion"``; ``valor`` la variación (tasa del
    ciclo / tasa del anterior). Menos deserción es mejor; más aprobación es mejor.
    """
    if indicador not in LECTURA_VARIACION:
        raise ValueError(
            f"indicador debe ser uno de {sorted(LECTURA_VARIACION)}; se recibió {indicador!r}"
        )
    if es_nulo(valor):
        return SIN_DATO
    menor, igual, mayor = LECTURA_VARIACION[indicador]
    if abs(float(valor) - 1.0) <= umbrales.tolerancia:
        return igual
    return menor if float(valor) < 1.0 else mayor
