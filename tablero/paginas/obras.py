"""Página de obra pública."""

import dash
from dash import html

from tablero.componentes import pagina_provisional, titulo_pagina

dash.register_page(
    __name__,
    path="/obras",
    name="Obras",
    title=titulo_pagina("Obra pública"),
    order=3,
)


def layout(**_parametros) -> html.Div:
    """Contenido provisional de la página."""
    return pagina_provisional(
        "Obra pública",
        "Aquí podrá seguir las obras federales, estatales y municipales: dónde están, cuánto se "
        "aprobó, ejerció y pagó, cuánto avanzan y qué alertas tienen. Sección en construcción.",
    )
