"""Página de estacionamientos para personas con discapacidad."""

import dash
from dash import html

from tablero.componentes import pagina_provisional, titulo_pagina

dash.register_page(
    __name__,
    path="/estacionamientos",
    name="Estacionamientos",
    title=titulo_pagina("Estacionamientos para personas con discapacidad"),
    order=4,
)


def layout(**_parametros) -> html.Div:
    """Contenido provisional de la página."""
    return pagina_provisional(
        "Estacionamientos para personas con discapacidad",
        "Aquí verá en un mapa los cajones para personas con discapacidad de Oaxaca de Juárez, su "
        "estado y los reportes ciudadanos. Sección en construcción.",
    )
