"""Piezas de presentación compartidas por el armazón y las páginas.

Funciones puras: reciben datos ya leídos y devuelven componentes; no leen el almacén.
"""

from __future__ import annotations

from dash import html

from capas.config import PALETA, SIN_DATO
from ingesta.almacen import Version
from tablero.formato import fecha_larga

#: Nombre del tablero, en el título de la ventana y en el encabezado.
TITULO = "Sigue el dinero Oaxaca"

#: Aviso obligatorio cuando la versión servida contiene datos de ejemplo.
AVISO_EJEMPLO = "Datos de ejemplo (sintéticos): no son cifras oficiales"

#: Id del contenedor de la banda de versión (lo actualiza un callback del armazón).
ID_BANDA = "banda-version"


def titulo_pagina(nombre: str) -> str:
    """Título de ventana de una página: ``"Obras · Sigue el dinero Oaxaca"``."""
    return f"{nombre} · {TITULO}"


def contenido_banda(version: Version | None) -> list:
    """Contenido de la banda de versión: id, fecha de corte y, si aplica, el aviso de ejemplo.

    Parameters
    ----------
    version
        Versión servida, o ``None`` si el almacén todavía no tiene ninguna.
    """
    if version is None:
        return [
            html.P(
                "Todavía no hay datos publicados en este tablero.",
                className="banda-version__texto",
            )
        ]
    contenido = [
        html.P(
            [
                "Versión de los datos: ",
                html.Strong(version.id),
                html.Span(" · ", className="separador", **{"aria-hidden": "true"}),
                html.Span(
                    ["Fecha de corte: ", html.Strong(fecha_larga(version.meta.get("fecha_corte")))],
                    className="banda-version__corte",
                ),
            ],
            className="banda-version__texto",
        )
    ]
    if version.es_ejemplo:
        contenido.append(
            html.P(
                [
                    html.Span("⚠", className="aviso-ejemplo__icono", **{"aria-hidden": "true"}),
                    " ",
                    html.Strong(AVISO_EJEMPLO + "."),
                    " Sirven para conocer el tablero; no los use para tomar decisiones.",
                ],
                className="aviso-ejemplo",
            )
        )
    return contenido


def pagina_provisional(titulo: str, texto: str) -> html.Div:
    """Página provisional: un encabezado ``h1`` y una frase."""
    return html.Div([html.H1(titulo), html.P(texto)], className="pagina-provisional")


def semaforo(
    luz: str | None, etiqueta: str | None = None, *, detalle: str | None = None
) -> html.Span:
    """Luz de un semáforo con icono y texto además del color (nunca solo el color).

    Parameters
    ----------
    luz
        ``verde``, ``amarillo``, ``rojo`` o ``gris`` (``None`` = gris, sin dato).
    etiqueta
        Texto de la luz (``"en tiempo"``, ``"cobertura baja"``...).
    detalle
        Texto adicional para lectores de pantalla (p. ej. qué etapas se compararon).
    """
    datos = PALETA.get(luz or "gris", PALETA["gris"])
    texto = etiqueta or SIN_DATO
    return html.Span(
        [
            html.Span(datos.icono, className="semaforo__icono", **{"aria-hidden": "true"}),
            html.Span(texto, className="semaforo__texto"),
        ],
        className=f"semaforo semaforo--{datos.valor}",
        title=detalle or f"Semáforo: {texto}",
        style={"backgroundColor": datos.color, "color": datos.color_texto},
    )
