"""Piezas de presentación compartidas por el armazón y las páginas.

Funciones puras: reciben datos ya leídos y devuelven componentes; no leen el almacén.
"""

from __future__ import annotations

from dash import dcc, html

from almacen.versiones import Version
from capas.busqueda import clave_busqueda
from capas.config import PALETA, SIN_DATO
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


# --- Controles de filtro (los comparten las páginas) ---------------------------------------

#: Textos en español de ``dcc.Dropdown`` (Dash 4 los trae en inglés).
TEXTOS_LISTA = {
    "select_all": "Elegir todos",
    "deselect_all": "Quitar todos",
    "selected_count": "{num_selected} elegidos",
    "search": "Buscar",
    "clear_search": "Borrar la búsqueda",
    "clear_selection": "Quitar la selección",
    "no_options_found": "Ninguna opción coincide",
}


def campo(etiqueta: str, control, *, ayuda: str | None = None) -> html.Div:
    """Un control (``dcc.Dropdown``, ``dcc.Input``...) con su etiqueta visible ``<label for>``.

    ``ayuda`` es un texto corto bajo la etiqueta (formato esperado, unidades).
    """
    hijos = [html.Label(etiqueta, htmlFor=control.id, className="campo__etiqueta")]
    if ayuda:
        hijos.append(html.Span(ayuda, className="campo__ayuda"))
    hijos.append(control)
    return html.Div(hijos, className="campo")


def grupo_opciones(leyenda: str, control) -> html.Fieldset:
    """Casillas u opciones (``dcc.Checklist``, ``dcc.RadioItems``) con su ``<legend>`` visible."""
    return html.Fieldset(
        [html.Legend(leyenda, className="campo__etiqueta"), control],
        className="campo campo--grupo",
    )


def opcion(etiqueta: str, valor, **extra) -> dict:
    """Opción de un ``dcc.Dropdown`` que se encuentra escribiendo sin acentos.

    Dash 4 busca cada palabra escrita (en minúsculas) como parte de la etiqueta, del valor o
    de la clave ``search``; con ``search = clave_busqueda(etiqueta)`` también encuentra lo
    escrito sin acentos ni mayúsculas ("santa lucia" -> «Santa Lucía del Camino»). Lo
    escrito con acentos sigue encontrando la etiqueta.
    """
    return {"label": etiqueta, "value": valor, "search": clave_busqueda(etiqueta), **extra}


def opciones_municipios(nombres: dict[str, str]) -> list[dict]:
    """Opciones ``{label, value: cvegeo, search}`` en orden alfabético (sin distinguir acentos).

    Los nombres repetidos (hay municipios homónimos) llevan su clave entre paréntesis.
    ``search`` es la clave de búsqueda (:func:`capas.busqueda.clave_busqueda`) del nombre.
    """
    veces: dict[str, int] = {}
    for nombre in nombres.values():
        veces[nombre] = veces.get(nombre, 0) + 1
    opciones = [
        opcion(nombre if veces[nombre] == 1 else f"{nombre} ({clave})", clave)
        for clave, nombre in nombres.items()
    ]
    return sorted(opciones, key=lambda o: (o["search"], o["value"]))


def bloque_mapa(id_mapa: str, figura, pie: str) -> html.Figure:
    """Mapa de puntos con su pie de figura (qué significan los colores y dónde está la tabla)."""
    from tablero.mapas import CONFIGURACION_MAPA

    return html.Figure(
        [
            dcc.Graph(id=id_mapa, figure=figura, config=CONFIGURACION_MAPA, className="mapa"),
            html.Figcaption(pie),
        ],
        className="figura-mapa",
    )


def selector_ciclo(id_: str, opciones: list[dict], valor) -> html.Div:
    """Lista del ciclo escolar (sin borrar ni buscar), con su etiqueta visible."""
    return html.Div(
        campo(
            "Ciclo escolar",
            dcc.Dropdown(
                id=id_,
                options=opciones,
                value=valor,
                clearable=False,
                searchable=False,
                labels=TEXTOS_LISTA,
            ),
        ),
        className="control control--ciclo",
    )
