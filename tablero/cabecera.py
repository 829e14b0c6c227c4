"""Etiquetas propias en la cabecera (``<head>``) del HTML que Dash arma para cada página.

Un solo mecanismo para todo el tablero: :func:`agregar` envuelve ``app.interpolate_index``
(Dash lo llama en cada petición de una página) y pone las etiquetas tras el ícono de la
pestaña (``{%favicon%}`` de la plantilla). Lo usan la aplicación instalable (manifiesto,
ícono de iOS) y los canales Atom (``<link rel="alternate">`` según la página pedida).
"""

from __future__ import annotations

from collections.abc import Callable

import dash


def agregar(app: dash.Dash, etiquetas: Callable[[], str | None]) -> None:
    """Agrega a la cabecera de cada página el HTML que devuelve ``etiquetas()``.

    ``etiquetas`` se llama al armar cada página (dentro de la petición: puede mirar
    ``flask.request``); ``None`` o ``""`` no agrega nada. El HTML debe venir ya escapado.
    """
    original = app.interpolate_index

    def interpolar(**partes) -> str:
        extra = etiquetas()
        if extra:
            partes["favicon"] = f"{partes.get('favicon', '')}\n        {extra}"
        return original(**partes)

    app.interpolate_index = interpolar
