"""Página de datos abiertos: descargas."""

import dash
from dash import html

from tablero.componentes import pagina_provisional, titulo_pagina

dash.register_page(
    __name__,
    path="/datos",
    name="Datos abiertos",
    title=titulo_pagina("Datos abiertos"),
    order=5,
)


def layout(**_parametros) -> html.Div:
    """Contenido provisional de la página."""
    return pagina_provisional(
        "Datos abiertos",
        "Aquí podrá descargar sin registro cada capa en CSV y GeoJSON, con la descripción de cada "
        "campo, la versión y la fecha de corte. Sección en construcción.",
    )
