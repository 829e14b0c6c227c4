"""Página 404 (Dash la usa para cualquier dirección que no sea de otra página)."""

import dash
from dash import dcc, html

from tablero.componentes import titulo_pagina

dash.register_page(
    __name__, path="/404", name="Página no encontrada", title=titulo_pagina("Página no encontrada")
)


def layout(**_parametros) -> html.Div:
    """Aviso en español con un enlace al inicio."""
    return html.Div(
        [
            html.H1("Página no encontrada"),
            html.P("La dirección que abrió no existe en este tablero o cambió de lugar."),
            html.P(dcc.Link("Volver al inicio", href=dash.get_relative_path("/"))),
        ],
        className="pagina-provisional",
    )
