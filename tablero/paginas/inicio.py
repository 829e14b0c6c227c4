"""Página de inicio."""

import dash
from dash import html

from tablero.componentes import TITULO, pagina_provisional

dash.register_page(
    __name__,
    path="/",
    name="Inicio",
    title=TITULO,
    order=0,
)


def layout(**_parametros) -> html.Div:
    """Contenido provisional de la página."""
    return pagina_provisional(
        "Sigue el dinero",
        "Consulte en qué se gasta el dinero público en Oaxaca: uniformes y útiles escolares, obra "
        "pública y estacionamientos para personas con discapacidad. Cada cifra indica su fuente, "
        "su versión y su fecha de corte.",
    )
