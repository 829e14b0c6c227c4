"""Tablas grandes servidas por bloques (modelo de filas infinito de dash-ag-grid).

La cuadrícula pide bloques (``getRowsRequest``: ``startRow``, ``endRow``, ``sortModel``) y
el callback de la página responde con :meth:`TablaServida.respuesta` (``getRowsResponse``:
``rowData`` del bloque y ``rowCount``). La búsqueda, el orden y la rebanada son de
:mod:`capas.paginado`; aquí solo se guarda, por versión y filtros, la tabla ya armada y lo
que se calcula una vez (los textos que se ven, el texto de búsqueda de cada fila y las
vistas recientes), para que pedir el bloque siguiente sea solo rebanar.

Uso en una página::

    TABLA = paginado.TablaServida(
        "obras", leer=CAPA.leer, filas=figuras.filas,
        directas={"folio": "folio", "monto_aprobado": "monto_aprobado"},
        derivadas=("estatus", "semaforo", "alertas"),
        columnas_texto=("folio", "estatus", "semaforo", "alertas"),
    )
    # al importar: el callback del bloque y el que vuelve a pedir los bloques
    bloque_tabla = paginado.conectar(
        TABLA, "obras-tabla", id_version="obras-version",
        controles={"anio": ("obras-anio", "value")}, id_busqueda="obras-buscar",
        filtros=lambda datos, valores: filtros_de_la_pagina(datos, valores)[0],
    )
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import dash
import numpy as np
import pandas as pd
from cachetools import LRUCache
from dash import Input, Output, State

from capas import paginado
from capas.busqueda import clave_busqueda
from capas.paginado import Orden
from tablero import respuestas, tablas

#: Filas por bloque que pide la cuadrícula (``cacheBlockSize``).
FILAS_POR_BLOQUE = tablas.FILAS_POR_BLOQUE
#: Tablas armadas (una por combinación de filtros) que se recuerdan por versión y página.
TABLAS_EN_MEMORIA = 6
#: Vistas (búsqueda + orden) que se recuerdan por tabla armada.
VISTAS_EN_MEMORIA = 8
#: Filas que se sirven como máximo en un bloque, pida lo que pida la cuadrícula.
MAXIMO_POR_BLOQUE = 500
#: Respuesta sin filas (p. ej. la versión pedida ya no existe).
VACIA = {"rowData": [], "rowCount": 0}


class _Recientes(LRUCache):
    """``cachetools.LRUCache`` con candado: guarda los ``maximo`` usados más recientemente.

    :meth:`obtener` calcula fuera del candado (dos hilos pueden calcular la misma clave a la
    vez; gana el último, y los dos valores son iguales).
    """

    def __init__(self, maximo: int):
        super().__init__(maxsize=maximo)
        self._candado = threading.Lock()

    def obtener(self, clave, calcular: Callable):
        with self._candado:
            try:
                return self[clave]  # y la marca como la más reciente
            except KeyError:
                pass
        valor = calcular()
        with self._candado:
            self[clave] = valor
        return valor


@dataclass
class Armada:
    """Una tabla ya filtrada y lo que se calcula una vez para servirla por bloques.

    Attributes
    ----------
    tabla
        La capa con los filtros de la página (índice ``0..n-1``).
    textos
        Las columnas de la cuadrícula como se ven (textos) o como se ordenan (números).
    """

    tabla: pd.DataFrame
    textos: pd.DataFrame
    columnas_texto: tuple[str, ...]
    _renglones: pd.Series | None = None
    _vistas: _Recientes = field(default_factory=lambda: _Recientes(VISTAS_EN_MEMORIA))

    def vista(self, busqueda: str = "", orden: Sequence[Orden] = ()) -> np.ndarray:
        """Posiciones de las filas que pasan la búsqueda, en el orden pedido (en caché)."""
        clave = (clave_busqueda(busqueda), tuple(orden))
        return self._vistas.obtener(clave, lambda: self._calcular_vista(busqueda, orden))

    def _calcular_vista(self, busqueda: str, orden: Sequence[Orden]) -> np.ndarray:
        renglones = None
        if clave_busqueda(busqueda):
            if self._renglones is None:
                self._renglones = paginado.renglones_busqueda(self.textos, self.columnas_texto)
            renglones = self._renglones
        return paginado.vista(
            self.textos,
            busqueda=busqueda,
            orden=orden,
            columnas_texto=self.columnas_texto,
            renglones=renglones,
        )


@dataclass(frozen=True)
class TablaServida:
    """La tabla por bloques de una página.

    Attributes
    ----------
    nombre
        Nombre de la página (para la caché).
    leer
        ``leer(datos, **filtros) -> DataFrame``: la capa filtrada (p. ej. ``CAPA.leer``).
    filas
        ``filas(tabla) -> list[dict]``: ``rowData`` de unas filas (la función de la figura).
    directas
        Campo de la cuadrícula -> columna de la capa, para los que se muestran tal cual (o
        solo los nombres, si el campo y la columna se llaman igual).
    derivadas
        Columnas de la capa (pocas combinaciones) de las que salen los demás campos: sus
        textos se piden a ``filas`` una vez por combinación.
    columnas_texto
        Campos de la cuadrícula donde se busca y que se ordenan por su clave de búsqueda.
    orden_fijo
        Criterios que mandan antes del orden que pida la cuadrícula (p. ej. «sin dato» al
        final del ranking de contratistas con cualquier orden).
    """

    nombre: str
    leer: Callable[..., pd.DataFrame]
    filas: Callable[[pd.DataFrame], list[dict]]
    directas: Mapping[str, str] | Sequence[str]
    derivadas: tuple[str, ...] = ()
    columnas_texto: tuple[str, ...] = ()
    orden_fijo: tuple[Orden, ...] = ()

    def __post_init__(self):
        if not isinstance(self.directas, Mapping):
            object.__setattr__(self, "directas", {campo: campo for campo in self.directas})

    def armada(self, datos, filtros: Mapping, tabla: pd.DataFrame | None = None) -> Armada:
        """La tabla de ``filtros`` lista para servir (en caché por versión y filtros).

        ``tabla`` es la capa ya leída con esos filtros, si se tiene (el ``layout``).
        """
        recientes = datos.memo(
            ("tablas-paginadas", self.nombre), lambda: _Recientes(TABLAS_EN_MEMORIA)
        )
        clave = _congelar(filtros)

        def calcular() -> Armada:
            leida = self.leer(datos, **filtros) if tabla is None else tabla
            leida = leida.reset_index(drop=True)
            return Armada(leida, self._textos(leida), self.columnas_texto)

        return recientes.obtener(clave, calcular)

    def respuesta(self, datos, filtros: Mapping, pedido: Mapping | None, busqueda) -> dict:
        """``getRowsResponse`` de un ``getRowsRequest``: ``{"rowData", "rowCount"}``."""
        pedido = pedido or {}
        inicio = _entero(pedido.get("startRow"), 0)
        fin = min(
            _entero(pedido.get("endRow"), inicio + FILAS_POR_BLOQUE), inicio + MAXIMO_POR_BLOQUE
        )
        armada = self.armada(datos, filtros)
        orden = [*self.orden_fijo, *orden_de(pedido.get("sortModel"))]
        posiciones = armada.vista(busqueda or "", orden)
        bloque = paginado.rebanar(armada.tabla, posiciones, inicio, fin)
        return {"rowData": self.filas(bloque), "rowCount": len(posiciones)}

    def total_y_lugar(
        self, datos, filtros: Mapping, busqueda, campo: str | None = None, valor=None, tabla=None
    ) -> tuple[int, int | None]:
        """Filas de la vista inicial (sin orden elegido) y el lugar de ``campo == valor`` en ella."""
        armada = self.armada(datos, filtros, tabla)
        posiciones = armada.vista(busqueda or "", self.orden_fijo)
        lugar = paginado.posicion(posiciones, armada.textos, campo, valor) if campo else None
        return len(posiciones), lugar

    def _textos(self, tabla: pd.DataFrame) -> pd.DataFrame:
        """Campos de la cuadrícula para buscar y ordenar: textos como se ven, números tal cual.

        Los campos derivados (``estatus`` con su texto, el semáforo con su icono...) se piden
        a :attr:`filas` para una fila de cada combinación de :attr:`derivadas` y se reparten.
        """
        textos = pd.DataFrame(
            {
                campo: tabla[columna].to_numpy()
                for campo, columna in self.directas.items()
                if columna in tabla.columns  # p. ej. el municipio del ranking por entidad
            },
            index=tabla.index,
        )
        if tabla.empty:
            return textos
        derivadas = [c for c in self.derivadas if c in tabla.columns]
        if not derivadas:
            return textos
        grupo = tabla.groupby(derivadas, dropna=False, sort=False).ngroup().to_numpy()
        primera = pd.Series(np.arange(len(tabla))).groupby(grupo).first().to_numpy()
        muestras = pd.DataFrame(self.filas(tabla.iloc[primera]))
        for campo in muestras.columns:
            if campo not in textos:
                textos[campo] = muestras[campo].to_numpy(dtype=object)[grupo]
        return textos


def conectar(
    servida: TablaServida,
    id_tabla: str,
    *,
    id_version: str,
    controles: Mapping[str, tuple[str, str]],
    filtros: Callable[[object, dict], Mapping],
    id_busqueda: str | None = None,
) -> Callable:
    """Registra (al importar la página) los callbacks de una tabla por bloques.

    Dos callbacks: el del servidor, que responde cada ``getRowsRequest`` con
    :meth:`TablaServida.respuesta`, y el del navegador (:func:`tablero.tablas.conectar_bloques`)
    que vuelve a pedir los bloques cuando cambia un control o la búsqueda.

    Parameters
    ----------
    servida
        La tabla de la página.
    id_tabla
        Id del ``AgGrid`` (con ``por_bloques=True``, :func:`tablero.tablas.tabla`).
    id_version
        ``dcc.Store`` con la versión que muestra la página.
    controles
        Nombre -> ``(id, propiedad)`` de los controles de los que dependen las filas.
    filtros
        ``filtros(datos, valores) -> dict``: los argumentos de ``servida.leer`` desde los
        valores de ``controles`` (nombre -> valor); lo inválido se ignora (modo tolerante).
    id_busqueda
        Campo de búsqueda rápida (:func:`tablero.tablas.busqueda`), si la tabla lo tiene.

    Returns
    -------
    Callable
        El callback del bloque: ``(pedido, [busqueda,] *valores, version) -> dict``.
    """
    from tablero.datos import datos_servidos

    nombres = list(controles)
    busqueda = [State(id_busqueda, "value")] if id_busqueda else []

    @dash.callback(
        Output(id_tabla, "getRowsResponse"),
        Input(id_tabla, "getRowsRequest"),
        *busqueda,
        *[State(*controles[nombre]) for nombre in nombres],
        State(id_version, "data"),
        prevent_initial_call=True,
    )
    @respuestas.pura
    def bloque(pedido, *entradas):
        """Un bloque de la tabla (filas, orden y búsqueda del pedido) con los controles."""
        *valores, version = entradas
        texto = valores.pop(0) if id_busqueda else ""
        datos = datos_servidos(version if isinstance(version, str) else None)
        if datos is None:
            return VACIA
        elegidos = filtros(datos, dict(zip(nombres, valores, strict=True)))
        pedido = pedido if isinstance(pedido, Mapping) else None
        return servida.respuesta(datos, elegidos, pedido, texto if isinstance(texto, str) else "")

    entradas = [controles[nombre] for nombre in nombres]
    tablas.conectar_bloques(id_tabla, entradas + ([(id_busqueda, "value")] if id_busqueda else []))
    return bloque


def orden_de(modelo) -> list[Orden]:
    """Criterios de orden desde el ``sortModel`` de la cuadrícula (lo inválido se ignora)."""
    criterios = []
    for parte in modelo if isinstance(modelo, list) else []:
        if isinstance(parte, dict) and isinstance(parte.get("colId"), str):
            criterios.append(Orden(parte["colId"], parte.get("sort") == "desc"))
    return criterios


def _entero(valor, omision: int) -> int:
    try:
        return max(int(valor), 0)
    except (TypeError, ValueError, OverflowError):  # None, «x», Infinity
        return omision


def _congelar(valor):
    """Valor hashable de unos filtros (listas -> tuplas, dict -> tuplas ordenadas)."""
    if isinstance(valor, Mapping):
        return tuple(sorted((str(k), _congelar(v)) for k, v in valor.items()))
    if isinstance(valor, list | tuple | set):
        return tuple(_congelar(v) for v in valor)
    return valor
