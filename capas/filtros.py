"""Filtros de las páginas sobre las tablas de :mod:`capas.tablas`: valores elegidos y rangos.

Las páginas piden una capa (``capas.tabla_obras(datos, anio=...)``) y aplican aquí los demás
filtros que eligió el usuario, para que los callbacks no hagan cuentas con pandas::

    tabla = capas.tabla_obras(datos, anio=2025)
    tabla = filtrar(tabla, nivel_gobierno=["FEDERAL"], rangos={"monto_aprobado": (1e6, None)})
    opciones = valores(capas.tabla_obras(datos), "estatus")
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from capas.numeros import a_flotantes


def filtrar(
    tabla: pd.DataFrame,
    rangos: Mapping[str, tuple[float | None, float | None]] | None = None,
    **elegidos,
) -> pd.DataFrame:
    """Filas de ``tabla`` que cumplen todos los filtros, en una tabla nueva.

    Parameters
    ----------
    tabla
        Una tabla de :mod:`capas.tablas` (no se modifica).
    rangos
        ``columna -> (mínimo, máximo)``, ambos inclusivos; ``None`` en un extremo es "sin
        límite". Con algún límite, las filas sin dato en esa columna quedan fuera.
    **elegidos
        ``columna=valor`` o ``columna=[valores]``: pasa la fila cuyo valor es alguno de
        ellos. ``None`` o una lista vacía no filtran.

    Returns
    -------
    DataFrame
        Las filas que pasan, con el índice renumerado desde 0.

    Raises
    ------
    KeyError
        Si un filtro nombra una columna que ``tabla`` no tiene.
    """
    filas = np.ones(len(tabla), dtype=bool)
    for columna, elegido in elegidos.items():
        pedidos = _lista(elegido)
        if not pedidos:
            continue
        _exigir_columna(tabla, columna, "elegidos")
        filas &= tabla[columna].isin(pedidos).to_numpy(dtype=bool)
    for columna, (minimo, maximo) in (rangos or {}).items():
        if minimo is None and maximo is None:
            continue
        _exigir_columna(tabla, columna, "rangos")
        numeros = a_flotantes(tabla[columna])
        dentro = ~np.isnan(numeros)
        if minimo is not None:
            dentro &= numeros >= float(minimo)
        if maximo is not None:
            dentro &= numeros <= float(maximo)
        filas &= dentro
    return tabla[filas].reset_index(drop=True)


def valores(tabla: pd.DataFrame, columna: str) -> list:
    """Valores distintos de ``columna`` sin los nulos, ordenados (para las listas de opciones)."""
    _exigir_columna(tabla, columna, "columna")
    unicos = pd.unique(tabla[columna].dropna())
    return sorted(v.item() if isinstance(v, np.generic) else v for v in unicos)


def _lista(elegido) -> list:
    if elegido is None:
        return []
    if isinstance(elegido, str) or not isinstance(elegido, Iterable):
        return [elegido]
    return [v for v in elegido if v is not None]


def _exigir_columna(tabla: pd.DataFrame, columna: str, argumento: str) -> None:
    if columna not in tabla.columns:
        raise KeyError(
            f"filtrar: {argumento!r} nombra la columna {columna!r}, que la tabla no tiene "
            f"(columnas: {', '.join(map(str, tabla.columns))})"
        )
