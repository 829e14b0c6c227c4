"""Página de metodología."""

import dash
from dash import html

from tablero.componentes import pagina_provisional, titulo_pagina

dash.register_page(
    __name__,
    path="/metodologia",
    name="Metodología",
    title=titulo_pagina("Metodología"),
    order=6,
)


def layout(**_parametros) -> html.Div:
    """Contenido provisional de la página."""
    return pagina_provisional(
        "Metodología",
        "Aquí se explica de dónde vienen los datos y cómo se calculan los indicadores, los "
        "semáforos y las alertas. Sección en construcción.",
    )
