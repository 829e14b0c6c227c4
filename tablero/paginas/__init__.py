"""Páginas del tablero: un módulo por página con ``dash.register_page`` y ``layout``.

Dash las importa al construir la aplicación (:func:`tablero.app.crear_app`); no se importan a
mano. Usan ``dash.callback``, nunca la aplicación.
"""

import sys
from types import ModuleType

import dash


def modulo_de(ruta: str) -> ModuleType | None:
    """El módulo de la página de ``ruta`` tal como Dash lo importó (``None`` si no hay)."""
    for pagina in dash.page_registry.values():
        if pagina.get("path") == ruta:
            return sys.modules.get(pagina["module"])
    return None
