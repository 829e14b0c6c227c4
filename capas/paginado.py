"""Tablas servidas por bloques: búsqueda, orden y rebanada en el servidor.

Las tablas grandes del tablero (``/obras``, ``/escuelas``) no mandan todas sus filas al
navegador: la cuadrícula pide un bloque (filas ``inicio`` a ``fin``) con su orden y su
búsqueda, y este módulo lo resuelve sobre una tabla ya filtrada. Funciones puras sobre
``DataFrame``; la única memoria es la de las claves de búsqueda de cada texto (un texto
siempre da la misma clave).

Uso::

    from capas.paginado import Orden, bloque

    filas, total = bloque(vista, 0, 100, busqueda="juchitan",
                          orden=[Orden("monto", descendente=True)],
                          columnas_texto=["nombre", "municipio"])

Reglas:

* **Búsqueda**: cada palabra de la consulta, como clave (:func:`capas.busqueda.clave_busqueda`:
  sin acentos, mayúsculas ni espacios de más), debe aparecer como parte de palabra en
  alguna de las columnas de texto de la fila (la misma regla que los desplegables).
* **Orden**: uno o varios criterios (el primero manda); las columnas de texto se ordenan por
  su clave (``"Ánimas"`` junto a ``"animas"``), las demás por su valor. Los vacíos van al
  final en los dos sentidos. Los empates conservan el orden de la tabla.
* **Bloque**: las filas ``inicio`` a ``fin - 1`` del resultado y cuántas filas tiene en total.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from capas.busqueda import clave_busqueda

#: Cuántas claves de texto se recuerdan (un texto siempre da la misma clave).
CLAVES_EN_MEMORIA = 400_000

_MARCAS = re.compile("[\u0300-\u036f]+")


@dataclass(frozen=True)
class Orden:
    """Un criterio de orden: la columna y el sentido."""

    columna: str
    descendente: bool = False


@lru_cache(maxsize=CLAVES_EN_MEMORIA)
def _clave(texto: str) -> str:
    # Atajo exacto de ``clave_busqueda``: si tras quitar los acentos comunes (marcas
    # combinantes U+0300-U+036F) el texto es ASCII, basta colapsar los espacios; si queda
    # otro carácter, la función completa.
    sin_marcas = _MARCAS.sub("", unicodedata.normalize("NFD", texto).lower())
    if sin_marcas.isascii():
        return " ".join(sin_marcas.split())
    return clave_busqueda(texto)


def claves_busqueda(valores: Iterable) -> np.ndarray:
    """Clave de búsqueda de cada valor (:func:`~capas.busqueda.clave_busqueda`), en orden.

    Un vacío (``None``, ``NaN``) da ``""``. Cada valor distinto se convierte una vez.
    """
    serie = pd.Series(list(valores) if not isinstance(valores, pd.Series) else valores)
    codigos, unicos = pd.factorize(serie, use_na_sentinel=True)
    claves = np.array([_clave(str(u)) for u in unicos] + [""], dtype=object)
    return claves[codigos]  # el código -1 (vacío) toma el último: ""


def renglones_busqueda(tabla: pd.DataFrame, columnas_texto: Iterable[str]) -> pd.Series:
    """El texto de búsqueda de cada fila: las claves de sus columnas de texto juntas.

    Las columnas van separadas por un salto de línea (una palabra buscada no tiene espacios:
    no puede empezar en una columna y terminar en otra). Se calcula una vez por tabla y sirve
    para todas las búsquedas (:func:`coinciden`).
    """
    columnas = [c for c in columnas_texto if c in tabla.columns]
    if not columnas:
        return pd.Series([""] * len(tabla), dtype="str")
    partes = [claves_busqueda(tabla[c]) for c in columnas]
    renglon = partes[0]
    for claves in partes[1:]:
        renglon = renglon + "\n" + claves
    return pd.Series(renglon, dtype="str")


def coinciden(renglones: pd.Series, consulta) -> np.ndarray:
    """Qué filas tienen cada palabra de ``consulta`` (como clave) en su texto de búsqueda.

    ``renglones`` es el resultado de :func:`renglones_busqueda`. Una consulta vacía (o solo
    espacios) deja pasar todas las filas.
    """
    pasa = np.ones(len(renglones), dtype=bool)
    for palabra in clave_busqueda(consulta).split():
        pasa &= renglones.str.contains(palabra, regex=False).to_numpy(dtype=bool)
    return pasa


def ordenar(
    tabla: pd.DataFrame,
    orden: Sequence[Orden],
    columnas_texto: Iterable[str] = (),
    filas: np.ndarray | None = None,
) -> np.ndarray:
    """Posiciones (``iloc``) de ``filas`` (todas si es ``None``) en el orden pedido.

    Las columnas de ``columnas_texto`` se comparan por su clave de búsqueda; las demás por
    su valor. Vacíos al final en ambos sentidos; los empates, en el orden de la tabla.
    Un criterio con una columna que la tabla no tiene se ignora.
    """
    posiciones = np.arange(len(tabla)) if filas is None else np.asarray(filas, dtype=np.int64)
    texto = set(columnas_texto)
    # np.lexsort: la última llave manda; se pasan del criterio menos importante al primero
    llaves: list[np.ndarray] = []
    for criterio in reversed([o for o in orden if o.columna in tabla.columns]):
        valores = tabla[criterio.columna].iloc[posiciones]
        if criterio.columna in texto:
            claves = claves_busqueda(valores)
            vacio = claves == ""
            rango = pd.factorize(pd.Series(claves), sort=True)[0].astype(np.int64)
        else:
            numeros = pd.to_numeric(valores, errors="coerce").to_numpy(dtype=float)
            vacio = np.isnan(numeros)
            rango = pd.factorize(pd.Series(numeros), sort=True)[0].astype(np.int64)
        if criterio.descendente:
            rango = -rango
        llaves += [rango, vacio]  # primero el vacío (al final), luego el valor
    if not llaves:
        return posiciones
    return posiciones[np.lexsort(llaves)]


def vista(
    tabla: pd.DataFrame,
    *,
    busqueda: str = "",
    orden: Sequence[Orden] = (),
    columnas_texto: Sequence[str] = (),
    renglones: pd.Series | None = None,
) -> np.ndarray:
    """Posiciones (``iloc``) de las filas que pasan la búsqueda, en el orden pedido.

    ``renglones`` (opcional) es :func:`renglones_busqueda` ya calculado para ``tabla``.
    """
    if clave_busqueda(busqueda):
        if renglones is None:
            renglones = renglones_busqueda(tabla, columnas_texto)
        filas = np.flatnonzero(coinciden(renglones, busqueda))
    else:
        filas = np.arange(len(tabla))
    return ordenar(tabla, orden, columnas_texto, filas)


def bloque(
    tabla: pd.DataFrame,
    inicio: int,
    fin: int,
    *,
    busqueda: str = "",
    orden: Sequence[Orden] = (),
    columnas_texto: Sequence[str] = (),
) -> tuple[pd.DataFrame, int]:
    """Las filas ``inicio`` a ``fin - 1`` de la tabla buscada y ordenada, y el total.

    Parameters
    ----------
    tabla
        La tabla ya filtrada (los filtros de la página se aplican antes, en la capa).
    inicio, fin
        Primera fila que se pide y la primera que ya no (como ``startRow``/``endRow`` de
        la cuadrícula); se recortan a ``[0, total]``.
    busqueda
        Texto de la búsqueda rápida (ver el encabezado del módulo).
    orden
        Criterios de orden, el primero manda.
    columnas_texto
        Columnas donde se busca y que se ordenan por su clave.

    Returns
    -------
    tuple
        ``(filas, total)``: el bloque (índice de ``tabla`` conservado) y cuántas filas
        pasan la búsqueda.
    """
    posiciones = vista(tabla, busqueda=busqueda, orden=orden, columnas_texto=columnas_texto)
    return rebanar(tabla, posiciones, inicio, fin), len(posiciones)


def rebanar(tabla: pd.DataFrame, posiciones: np.ndarray, inicio: int, fin: int) -> pd.DataFrame:
    """Las filas ``posiciones[inicio:fin]`` de ``tabla`` (límites recortados)."""
    total = len(posiciones)
    inicio = min(max(int(inicio), 0), total)
    fin = min(max(int(fin), inicio), total)
    return tabla.iloc[posiciones[inicio:fin]]


def posicion(posiciones: np.ndarray, tabla: pd.DataFrame, columna: str, valor) -> int | None:
    """Lugar (0, 1, ...) de la fila con ``columna == valor`` dentro de una vista, o ``None``.

    ``posiciones`` es el resultado de :func:`vista` sobre ``tabla``.
    """
    if valor is None or columna not in tabla.columns:
        return None
    iguales = (tabla[columna].astype(object).to_numpy() == valor)[posiciones]
    lugares = np.flatnonzero(iguales)
    return int(lugares[0]) if len(lugares) else None
