"""Reportar un problema con fotos: ``/reportar?estacionamiento=<id>`` (también ``?obra=`` y
``?escuela=``).

El formulario de ``/estacionamientos`` está hecho con callbacks de Dash (funciona sin
conexión: :mod:`tablero.assets.instalable`), pero un callback no es buen camino para fotos de
hasta 5 MB: viajarían en base64 dentro del JSON de Dash (cuyo límite es 1 MB por petición) y
no caben en la cola sin conexión del teléfono. Por eso ese formulario lleva aquí, donde está
el mismo formulario HTML de las fichas de obras y escuelas (:func:`fichas.formulario`,
``POST /reportar`` con ``multipart/form-data``): las fotos se validan y limpian con
:mod:`tablero.reportes.fotos` y un error se explica en una página en español (400/413).
"""

from __future__ import annotations

import dash
from dash import dcc, html

from tablero.componentes import titulo_pagina
from tablero.reportes import fichas
from tablero.reportes.servicio import NOMBRES_OBJETO

dash.register_page(
    __name__,
    path="/reportar",
    name="Reportar con fotos",
    title=titulo_pagina("Reportar un problema con fotos"),
    order=91,
    en_menu=False,
)

#: Parámetro de la dirección -> clase de objeto (el mismo de ``/reporte``).
OBJETOS = {parametro: objeto for objeto, parametro in fichas.PARAMETRO.items()}


def layout(**parametros) -> html.Div:
    """Formulario con fotos para el objeto pedido; si no existe, cómo elegir uno."""
    from tablero.reportes import web

    objeto, id_objeto = elegido(parametros)
    lugar = web.catalogo_publicado().lugar(objeto, id_objeto) if objeto else None
    if lugar is None:
        return html.Div(
            [
                html.H1("Reportar un problema con fotos"),
                html.P(
                    (f"No encontramos {_cual(objeto)} «{id_objeto}». " if objeto else "")
                    + "Elija primero qué quiere reportar:",
                    role="alert" if objeto else None,
                ),
                html.Ul(
                    [
                        html.Li(dcc.Link("un cajón de estacionamiento", href="/estacionamientos")),
                        html.Li(dcc.Link("una obra", href="/obras")),
                        html.Li(dcc.Link("una escuela", href="/escuelas")),
                    ]
                ),
            ],
            className="pagina-reporte",
        )
    parametro = fichas.PARAMETRO[objeto]
    pagina = fichas.PAGINA[objeto].format(id_objeto)
    return html.Div(
        [
            html.H1("Reportar un problema con fotos"),
            html.P(dcc.Link(f"← Volver {_a_cual(objeto)} {id_objeto}", href=pagina)),
            fichas.formulario(
                objeto,
                id_objeto,
                lugar.nombre,
                volver=f"/reportar?{parametro}={id_objeto}",
                nivel=2,
            ),
        ],
        className="pagina-reporte",
    )


def elegido(parametros: dict) -> tuple[str | None, str]:
    """``(objeto, id)`` del primer parámetro reconocido (``estacionamiento``, ``obra``...)."""
    for parametro, objeto in OBJETOS.items():
        valor = str(parametros.get(parametro) or "").strip()[:100]
        if valor:
            return objeto, valor.upper() if objeto == "escuela" else valor
    return None, ""


def _a_cual(objeto: str | None) -> str:
    """«al cajón», «a la obra», «a la escuela» (con la contracción de «a el»)."""
    cual = _cual(objeto)
    return "al" + cual[2:] if cual.startswith("el ") else f"a {cual}"


def _cual(objeto: str | None) -> str:
    return "el cajón" if objeto == "cajon" else f"la {NOMBRES_OBJETO.get(objeto or '', '')}"
