"""Avisos de una página con filtros: lo que no se reconoció de la URL y «Quitar filtros».

Uso en el layout de una página::

    filtros, no_reconocidos = leer_parametros(capa, parametros, datos, estricto=False)
    avisos.no_reconocidos(ID["aviso"], no_reconocidos, "las obras", bool(filtros))
    avisos.quitar_filtros(ID["vacio"], "/obras", tabla.empty)
"""

from __future__ import annotations

import dash
from dash import html

from capas.parametros import NoReconocido


def texto_no_reconocidos(
    no_reconocidos: list[NoReconocido], sustantivo: str, otros_filtros: bool
) -> str:
    """«No reconocimos contratista=Nadie; se muestran todas las obras.» (vacío si no hay).

    Parameters
    ----------
    sustantivo
        Lo que muestra la página, con artículo y en plural: ``"las obras"``.
    otros_filtros
        Quedaron otros filtros aplicados: se dice «sin ese filtro» en lugar de «todas».
    """
    if not no_reconocidos:
        return ""
    nombres = [str(n) for n in dict.fromkeys(no_reconocidos)]
    lista = nombres[0] if len(nombres) == 1 else ", ".join(nombres[:-1]) + " ni " + nombres[-1]
    if otros_filtros:
        ese = "ese filtro" if len(nombres) == 1 else "esos filtros"
        return f"No reconocimos {lista}; se muestran {sustantivo} sin {ese}."
    todos = "todos" if sustantivo.startswith("los ") else "todas"
    return f"No reconocimos {lista}; se muestran {todos} {sustantivo}."


def no_reconocidos(
    id_: str, no_reconocidos: list[NoReconocido], sustantivo: str, otros_filtros: bool
) -> html.P:
    """Aviso visible (``role="status"``) con los valores de la URL que se ignoraron."""
    texto = texto_no_reconocidos(no_reconocidos, sustantivo, otros_filtros)
    return html.P(
        texto,
        id=id_,
        className="aviso aviso--url",
        role="status",
        hidden=not texto,
    )


def quitar_filtros(id_: str, ruta: str, vacio: bool) -> html.P:
    """«Ningún resultado con estos filtros. Quitar filtros» (oculto si hay resultados).

    Es un enlace normal (recarga la página sin parámetros), no un ``dcc.Link``: la URL que
    escriben los filtros cambia sin que Dash lo sepa y un ``dcc.Link`` a la misma ruta no
    volvería a dibujar la página.
    """
    return html.P(
        [
            "Ningún resultado con estos filtros. ",
            html.A("Quitar filtros", href=dash.get_relative_path(ruta)),
        ],
        id=id_,
        className="resumen-filtros resumen-filtros--vacio",
        hidden=not vacio,
    )
