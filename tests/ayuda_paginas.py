"""Ayudas para probar páginas del tablero sin navegador: módulos, árboles de componentes, Patch.

Los callbacks de una página (``@dash.callback``) son funciones normales: se llaman dentro de
``app.server.test_request_context()`` de una aplicación de :func:`tablero.app.crear_app`.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from contextvars import copy_context

import dash


def modulo(ruta: str):
    """El módulo de la página de ``ruta`` (Dash lo importa como ``paginas.<nombre>``)."""
    for pagina in dash.page_registry.values():
        if pagina["path"] == ruta:
            return sys.modules[pagina["module"]]
    raise KeyError(ruta)


def a_json(arbol):
    """Un componente (o lista) como JSON decodificado (``{"type", "props"...}``).

    Con el codificador con que Dash manda el árbol al navegador (:mod:`tablero.json_rapido`,
    misma salida que el de Plotly: ``tests/test_json_rapido.py``): orjson lo recorre en C,
    unas 8 veces más rápido que ``PlotlyJSONEncoder`` (y ``por_id`` lo hace en cada búsqueda).
    """
    from tablero import json_rapido

    return json.loads(json_rapido.a_json(arbol))


def texto(arbol) -> str:
    """Todo el texto visible de un árbol de componentes, separado por espacios."""
    partes: list[str] = []

    def recorrer(nodo):
        if isinstance(nodo, str):
            partes.append(nodo)
        elif isinstance(nodo, int | float) and not isinstance(nodo, bool):
            partes.append(str(nodo))
        elif isinstance(nodo, list):
            for hijo in nodo:
                recorrer(hijo)
        elif isinstance(nodo, dict):
            recorrer(nodo.get("props", {}).get("children"))

    recorrer(a_json(arbol))
    return " ".join(partes)


def componentes(arbol, tipo: str | None = None) -> list[dict]:
    """Todos los componentes (JSON) del árbol, o solo los de ``tipo`` (``"AgGrid"``...)."""
    encontrados: list[dict] = []

    def recorrer(nodo):
        if isinstance(nodo, list):
            for hijo in nodo:
                recorrer(hijo)
        elif isinstance(nodo, dict):
            if "type" in nodo and "props" in nodo:
                if tipo is None or nodo["type"] == tipo:
                    encontrados.append(nodo)
                for valor in nodo["props"].values():
                    recorrer(valor)
            else:
                for valor in nodo.values():
                    recorrer(valor)

    recorrer(a_json(arbol))
    return encontrados


def por_id(arbol, id_: str) -> dict:
    """El componente (JSON) con ``id_``."""
    for nodo in componentes(arbol):
        if nodo["props"].get("id") == id_:
            return nodo
    raise KeyError(id_)


def asignaciones(parche: dash.Patch) -> dict[tuple, object]:
    """Las asignaciones de un ``Patch``: ``{("data", 2, "lat"): [...], ...}``."""
    return {
        tuple(op["location"]): op["params"]["value"]
        for op in parche.to_plotly_json()["operations"]
        if op["operation"] == "Assign"
    }


@contextmanager
def disparado_por(id_prop: str):
    """Contexto de callback en el que ``dash.ctx.triggered_id`` es el id de ``id_prop``."""
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    contexto = copy_context()

    def _llamar(funcion, *args):
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": id_prop, "value": None}]))
        return funcion(*args)

    yield lambda funcion, *args: contexto.run(_llamar, funcion, *args)


def filas_por_bloques(
    pagina, valores: list, version: str, buscar: str = "", orden: list | None = None
) -> list[dict]:
    """Todas las filas de la tabla por bloques de ``pagina``, pedidas bloque a bloque.

    Como lo hace la cuadrícula: ``pagina.bloque_tabla`` con ``startRow``/``endRow`` de 100
    en 100 hasta ``rowCount``; ``valores`` son los de los controles de ``pagina.FILTROS``.
    """
    return filas_de_bloques(pagina.bloque_tabla, [buscar, *valores, version], orden)


def filas_de_bloques(bloque, argumentos: list, orden: list | None = None) -> list[dict]:
    """Todas las filas que da el callback ``bloque(pedido, *argumentos)``, de 100 en 100.

    Como lo hace la cuadrícula: ``startRow``/``endRow`` de 100 en 100 hasta ``rowCount``.
    """
    filas: list[dict] = []
    inicio = 0
    while True:
        pedido = {"startRow": inicio, "endRow": inicio + 100, "sortModel": orden or []}
        respuesta = bloque(pedido, *argumentos)
        filas += respuesta["rowData"]
        inicio += 100
        if inicio >= respuesta["rowCount"]:
            assert len(filas) == respuesta["rowCount"]
            return filas


def filas_del_layout(pagina, arbol, con_busqueda: bool = True) -> list[dict]:
    """Las filas que la tabla del ``layout`` muestra, con los controles tal como abren.

    Una tabla por bloques (``rowModelType="infinite"``) las pide a ``pagina.bloque_tabla``;
    las demás las traen en ``rowData``. ``con_busqueda=False``: sin el texto del buscador.
    """
    rejilla = por_id(arbol, f"{pagina.PAGINA}-tabla")["props"]
    if rejilla.get("rowModelType") != "infinite":
        return rejilla["rowData"]
    valores = []
    for nombre in pagina.FILTROS:
        id_control, propiedad = pagina.CONTROLES[nombre]
        valores.append(por_id(arbol, id_control)["props"].get(propiedad))
    version = por_id(arbol, pagina.ID["version"])["props"]["data"]
    buscar = por_id(arbol, pagina.ID["buscar"])["props"].get("value") or ""
    if not con_busqueda:
        buscar = ""
    return filas_por_bloques(pagina, valores, version, buscar)


def figura_del_mapa(salida: dict) -> dict:
    """La figura que arma el navegador con la salida de ``cargar_mapa`` de la portada.

    Dentro de una petición de prueba: pide la base (``salida["base"]``,
    :mod:`tablero.bases_mapa`) a la aplicación de esa petición y le suma los
    valores a la última traza, como ``sigue_mapas.figura_ajustada`` (assets/mapas.js).
    """
    import flask

    from tablero import json_rapido

    salida = json.loads(json_rapido.a_json(salida))
    respuesta = flask.current_app.test_client().get(salida["base"])
    assert respuesta.status_code == 200, (salida["base"], respuesta.status_code)
    base = json.loads(respuesta.data)
    return {**base, "data": [*base["data"][:-1], {**base["data"][-1], **salida["valores"]}]}
