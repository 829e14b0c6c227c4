"""Página de un municipio: gasto, cobertura y obras."""

import dash
from dash import html

from tablero.componentes import pagina_provisional, titulo_pagina

dash.register_page(
    __name__,
    path="/municipio",
    name="Mi municipio",
    title=titulo_pagina("Mi municipio"),
    order=1,
)


def layout(**_parametros) -> html.Div:
    """Contenido provisional de la página."""
    return pagina_provisional(
        "Mi municipio",
        "Aquí verá cuánto se gastó en su municipio, en qué y con qué avance. Sección en "
        "construcción.",
    )
