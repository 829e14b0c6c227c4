"""Página de escuelas: programa de uniformes y útiles escolares."""

import dash
from dash import html

from tablero.componentes import pagina_provisional, titulo_pagina

dash.register_page(
    __name__,
    path="/escuelas",
    name="Escuelas",
    title=titulo_pagina("Escuelas"),
    order=2,
)


def layout(**_parametros) -> html.Div:
    """Contenido provisional de la página."""
    return pagina_provisional(
        "Escuelas: uniformes y útiles escolares",
        "Aquí verá la cobertura del programa de uniformes y útiles escolares gratuitos por escuela"
        " y por municipio, y el semáforo del gasto. Sección en construcción.",
    )
