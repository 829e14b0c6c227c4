"""CSV que ninguna hoja de cálculo ejecuta: el único escritor de CSV públicos.

Cada celda de texto que empieza con ``=``, ``+``, ``-`` (si no es un número), ``@``,
tabulador o retorno de carro va con ``'`` delante (INDICADORES.md, «Open-data contract»).
Lo usan los archivos de rechazos de la ingesta y las descargas del tablero.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

_NUMERO = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_PELIGROSOS = ("=", "+", "-", "@", "\t", "\r")


def celda_segura(valor):
    """``'=HYPERLINK(...)'`` -> ``"'=HYPERLINK(...)"``; ``'-5'`` y los no textos, igual."""
    if isinstance(valor, str) and valor[:1] in _PELIGROSOS and not _NUMERO.match(valor):
        return "'" + valor
    return valor


def neutralizar(tabla: pd.DataFrame) -> pd.DataFrame:
    """Copia de ``tabla`` con :func:`celda_segura` en cada columna de texto (vectorizado)."""
    resultado = tabla.copy()
    for columna in resultado.columns:
        serie = resultado[columna]
        if not (serie.dtype == object or pd.api.types.is_string_dtype(serie.dtype)):
            continue
        valores = serie.astype(object).to_numpy(dtype=object)
        try:
            # Cada texto distinto se revisa una vez (motivos y columnas se repiten mucho).
            codigos, distintos = pd.factorize(valores, use_na_sentinel=True)
        except TypeError:  # valores que no se pueden comparar (listas...): uno por uno
            codigos, distintos = np.arange(len(valores)), valores
        candidato = np.fromiter(
            (isinstance(v, str) and v[:1] in _PELIGROSOS for v in distintos),
            dtype=bool,
            count=len(distintos),
        )
        if not candidato.any():
            continue
        seguros = np.empty(len(distintos), dtype=object)
        for i in np.flatnonzero(candidato):
            seguros[i] = celda_segura(distintos[i])
        cambiar = codigos >= 0
        cambiar[cambiar] = candidato[codigos[cambiar]]
        valores = valores.copy()
        valores[cambiar] = seguros[codigos[cambiar]]
        resultado[columna] = pd.Series(valores, index=serie.index, dtype=object)
    return resultado


def escribir_csv(tabla: pd.DataFrame, ruta: str | Path | None = None, **opciones) -> str | None:
    """``DataFrame.to_csv`` con celdas neutralizadas (UTF-8, ``\\n``); sin ruta devuelve el texto."""
    opciones = {"index": False, "lineterminator": "\n", **opciones}
    if ruta is None:
        return neutralizar(tabla).to_csv(**opciones)
    neutralizar(tabla).to_csv(ruta, encoding="utf-8", **opciones)
    return None
