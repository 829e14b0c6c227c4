"""Filtros de página en la URL: cada vista se puede compartir.

Uso en una página::

    CONTROLES = {"anio": ("inicio-anio", "value"), "indicador": ("inicio-indicador", "value")}
    sincronizar_url("inicio", CONTROLES)           # al importar el módulo de la página

    def layout(anio=None, indicador=None, **_):
        return html.Div([almacen_url("inicio", CONTROLES), ...])

La URL cambia en el navegador (``history.replaceState``) sin que Dash vuelva a dibujar la
página; al abrir esa URL, ``layout`` recibe los parámetros.
"""

from __future__ import annotations

import os

from dash import ClientsideFunction, Input, Output, clientside_callback, dcc


def url_base() -> str:
    """Sitio de las URL públicas que se escriben en archivos y citas (sin ``/`` final).

    Sale de ``SIGUE_URL_BASE`` (p. ej. ``https://sigue.oaxaca.gob.mx``), nunca de la
    cabecera ``Host`` de la petición: un ``Host`` falso no debe quedar escrito en un
    ``datapackage.json`` que se guarda en caché. Sin configurar, las URL son relativas al
    sitio (``/descargas/...``). El prefijo de la aplicación lo agrega quien arma la ruta.
    """
    base = os.environ.get("SIGUE_URL_BASE", "").strip().rstrip("/")
    return base if base.startswith(("http://", "https://")) else ""


def almacen_url(pagina: str, controles: dict[str, tuple[str, str]]) -> dcc.Store:
    """Componente que guarda los nombres de los parámetros de la página (va en su layout)."""
    return dcc.Store(id=f"{pagina}-parametros-url", data=list(controles))


def sincronizar_url(pagina: str, controles: dict[str, tuple[str, str]]) -> None:
    """Registra el callback del navegador que escribe los filtros en la URL."""
    clientside_callback(
        ClientsideFunction(namespace="sigue", function_name="actualizar_url"),
        Output(f"{pagina}-parametros-url", "id"),
        # Entrada (no State): Dash pide las entradas antes que los estados y la función del
        # navegador recibe primero los nombres. El almacén no cambia: nunca dispara el callback.
        Input(f"{pagina}-parametros-url", "data"),
        # Opcionales: una variante de la página puede no tener todos sus controles (p. ej. la
        # portada sin ciclos escolares no tiene mapa); el que falta cuenta como vacío.
        *[Input(id_, propiedad, allow_optional=True) for id_, propiedad in controles.values()],
        prevent_initial_call=True,
    )
