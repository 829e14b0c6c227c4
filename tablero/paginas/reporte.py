"""Seguimiento público de reportes: por folio (``/reporte?folio=R-XXXXXXX``) o por cajón
(``/reporte?estacionamiento=<id>``). Nunca muestra el contacto del ciudadano."""

from __future__ import annotations

import dash
from dash import dcc, html

from tablero.componentes import titulo_pagina
from tablero.formato import fecha_hora, fecha_larga
from tablero.reportes import servicio
from tablero.reportes.servicio import ESTADOS, TIPOS

dash.register_page(
    __name__,
    path="/reporte",
    name="Seguir un reporte",
    title=titulo_pagina("Seguir un reporte"),
    order=90,
    en_menu=False,
)


def layout(folio: str | None = None, estacionamiento: str | None = None, **_) -> html.Div:
    """Formulario para buscar un folio y, si se pidió, el reporte o los reportes de un cajón."""
    from tablero.reportes import web

    contenido: list = [html.H1("Seguir un reporte"), _buscador(folio)]
    if folio:
        reporte = servicio.consultar(web.sesion(), folio)
        if reporte is None:
            contenido.append(
                html.P(
                    f"No hay ningún reporte con el folio {folio}.", role="alert", className="aviso"
                )
            )
        else:
            contenido.append(detalle_publico(servicio.publico(reporte)))
    elif estacionamiento:
        reportes = servicio.reportes_publicos(web.sesion(), estacionamiento_id=estacionamiento)
        contenido.append(lista_del_cajon(estacionamiento, reportes))
    return html.Div(contenido, className="pagina-reporte")


def detalle_publico(reporte: dict) -> html.Section:
    """Estado, datos públicos e historial de un reporte (los textos se muestran como texto)."""
    historial = [
        html.Li(
            [
                html.Time(fecha_hora(cambio["fecha"]), dateTime=cambio["fecha"]),
                f": {ESTADOS.get(cambio['de'], '—') if cambio['de'] else 'Se recibió'}"
                f"{' → ' + ESTADOS[cambio['a']] if cambio['de'] else ''}",
                *([html.Br(), "Respuesta: ", cambio["respuesta"]] if cambio["respuesta"] else []),
            ]
        )
        for cambio in reporte["historial"]
    ]
    lugar = (
        dcc.Link(
            f"cajón {reporte['estacionamiento_id']}",
            href=f"/reporte?estacionamiento={reporte['estacionamiento_id']}",
        )
        if reporte["estacionamiento_id"]
        else f"punto sin cajón ({reporte['latitud']:.5f}, {reporte['longitud']:.5f})"
    )
    return html.Section(
        [
            html.H2(f"Reporte {reporte['folio']}", id="titulo-reporte"),
            html.P(
                ["Estado: ", html.Strong(ESTADOS[reporte["estado"]])], className="estado-reporte"
            ),
            html.Dl(
                [
                    html.Dt("Tipo"),
                    html.Dd(TIPOS[reporte["tipo"]]),
                    html.Dt("Lugar"),
                    html.Dd(lugar),
                    html.Dt("Descripción"),
                    html.Dd(reporte["descripcion"], className="texto-ciudadano"),
                    html.Dt("Recibido"),
                    html.Dd(fecha_hora(reporte["creado"])),
                    html.Dt("Respuesta de la autoridad"),
                    html.Dd(reporte["respuesta"] or "Todavía sin respuesta."),
                    html.Dt("Personas que se sumaron"),
                    html.Dd(str(reporte["adhesiones"])),
                ],
                className="detalle",
            ),
            html.H3("Historial"),
            html.Ol(historial),
        ],
        **{"aria-labelledby": "titulo-reporte"},
    )


def lista_del_cajon(estacionamiento: str, reportes: list[dict]) -> html.Section:
    """Reportes de un cajón, el más nuevo primero, con enlace a cada folio."""
    if not reportes:
        cuerpo = html.P(f"El cajón {estacionamiento} no tiene reportes.")
    else:
        cuerpo = html.Ul(
            [
                html.Li(
                    [
                        dcc.Link(r["folio"], href=f"/reporte?folio={r['folio']}"),
                        f" · {TIPOS[r['tipo']]} · {ESTADOS[r['estado']]} · {fecha_larga(r['creado'])}",
                    ]
                )
                for r in reportes
            ]
        )
    return html.Section([html.H2(f"Reportes del cajón {estacionamiento}"), cuerpo])


def _buscador(folio: str | None) -> html.Form:
    return html.Form(
        [
            html.Label("Folio del reporte", htmlFor="reporte-folio"),
            dcc.Input(
                id="reporte-folio",
                name="folio",
                type="text",
                value=folio or "",
                placeholder="R-XXXXXXX",
                autoComplete="off",
            ),
            html.Button("Consultar", type="submit"),
        ],
        method="get",
        action="/reporte",
        className="buscador-folio",
    )
