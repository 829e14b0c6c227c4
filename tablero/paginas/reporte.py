"""Seguimiento público de reportes: por folio (``/reporte?folio=R-XXXXXXX``) o por objeto
(``/reporte?estacionamiento=<id>``, ``?obra=<folio>``, ``?escuela=<cct>``). Nunca muestra el
contacto del ciudadano; lo oculto por moderación sale como su nota pública."""

from __future__ import annotations

import dash
from dash import dcc, html

from tablero.componentes import titulo_pagina
from tablero.formato import fecha_hora, fecha_larga
from tablero.reportes import fichas, servicio
from tablero.reportes.servicio import ESTADOS, NOMBRES_OBJETO, TIPOS

dash.register_page(
    __name__,
    path="/reporte",
    name="Seguir un reporte",
    title=titulo_pagina("Seguir un reporte"),
    order=90,
    en_menu=False,
)


def layout(
    folio: str | None = None,
    estacionamiento: str | None = None,
    obra: str | None = None,
    escuela: str | None = None,
    nuevo: str | None = None,
    sumado: str | None = None,
    **_,
) -> html.Div:
    """Formulario para buscar un folio y, si se pidió, el reporte o los reportes de un objeto."""
    from tablero.reportes import web

    contenido: list = [html.H1("Seguir un reporte")]
    if folio and (nuevo or sumado):
        texto = "Recibimos su reporte." if nuevo else "Se sumó al reporte existente."
        contenido.append(
            html.Div(
                [
                    html.P([texto, " Su folio es ", html.Strong(folio), "."]),
                    html.P("Guárdelo (o guarde esta página) para seguir la atención."),
                ],
                className="mensaje-ok",
                role="status",
            )
        )
    contenido.append(_buscador(folio))
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
    else:
        for objeto, valor in (("obra", obra), ("escuela", escuela)):
            if valor:
                valor = str(valor).strip()
                valor = valor.upper() if objeto == "escuela" else valor
                reportes = servicio.reportes_publicos(web.sesion(), objeto=objeto, objeto_id=valor)
                contenido.append(lista_del_objeto(objeto, valor, reportes))
                break
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
    lugar = _lugar(reporte)
    descripcion = (
        html.Em(reporte.get("nota_moderacion"))
        if reporte.get("texto_oculto")
        else reporte["descripcion"]
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
                    html.Dd(descripcion, className="texto-ciudadano"),
                    html.Dt("Recibido"),
                    html.Dd(fecha_hora(reporte["creado"])),
                    html.Dt("Respuesta de la autoridad"),
                    html.Dd(reporte["respuesta"] or "Todavía sin respuesta."),
                    html.Dt("Personas que se sumaron"),
                    html.Dd(str(reporte["adhesiones"])),
                ],
                className="detalle",
            ),
            *(
                [html.H3("Fotos"), html.Div(fichas.fotos_publicas(reporte), className="fotos")]
                if reporte.get("fotos")
                or reporte.get("fotos_ocultas")
                or reporte.get("fotos_en_revision")
                else []
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


def _lugar(reporte: dict):
    """Sobre qué es el reporte, con enlace a la página del objeto y a sus reportes."""
    objeto, id_ = reporte.get("objeto"), reporte.get("objeto_id")
    if objeto == "cajon" or (objeto is None and reporte["estacionamiento_id"]):
        id_ = id_ or reporte["estacionamiento_id"]
        return dcc.Link(f"cajón {id_}", href=f"/reporte?estacionamiento={id_}")
    if objeto in ("obra", "escuela") and id_:
        return [
            dcc.Link(f"{NOMBRES_OBJETO[objeto]} {id_}", href=fichas.PAGINA[objeto].format(id_)),
            " (",
            dcc.Link("todos sus reportes", href=f"/reporte?{fichas.PARAMETRO[objeto]}={id_}"),
            ")",
        ]
    if reporte["latitud"] is None or reporte["longitud"] is None:
        return "punto sin ubicación"
    return f"punto sin cajón ({reporte['latitud']:.5f}, {reporte['longitud']:.5f})"


def lista_del_objeto(objeto: str, id_: str, reportes: list[dict]) -> html.Section:
    """Reportes de una obra o escuela, el más nuevo primero, con enlace a cada folio."""
    nombre = f"{NOMBRES_OBJETO[objeto]} {id_}"
    if not reportes:
        cuerpo = html.P(f"La {nombre} no tiene reportes.")
    else:
        cuerpo = html.Ul(
            [
                html.Li(
                    [
                        dcc.Link(r["folio"], href=f"/reporte?folio={r['folio']}"),
                        f" · {TIPOS[r['tipo']]} · {ESTADOS[r['estado']]} · {fecha_larga(r['creado'])}",
                        *([html.Br(), "Respuesta: ", r["respuesta"]] if r["respuesta"] else []),
                    ]
                )
                for r in reportes
            ]
        )
    return html.Section(
        [
            html.H2(f"Reportes de la {nombre}"),
            cuerpo,
            html.P(
                dcc.Link(f"Ir a la {nombre} y reportar", href=fichas.PAGINA[objeto].format(id_))
            ),
        ]
    )


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
