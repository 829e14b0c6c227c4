"""Página de un contratista y ranking de contratistas de ``/obras``: enlaces, cifras y tablas.

Funciones puras: reciben lo que calcula :mod:`capas.contratistas` (``Resumen``, tablas de
obras y ranking) y devuelven componentes, columnas o filas; no leen el almacén. Los
enlaces codifican la razón social (lleva comas, puntos y acentos) con
:func:`urllib.parse.quote`.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pandas as pd
from dash import html

from capas.config import ALERTAS
from capas.contratistas import Resumen
from capas.parametros import visible
from tablero import tablas
from tablero.formato import SIN_DATO, entero, pesos, porcentaje

#: Ruta de la página de un contratista.
RUTA = "/contratista"

#: Cómo se lee en las tablas el grupo de obras sin contratista publicado.
ETIQUETA_SIN_DATO = "Sin dato (sin contratista publicado)"

#: Títulos de las alertas por código.
TITULOS_ALERTA = {regla.codigo: regla.titulo for regla in ALERTAS}

#: Caracteres que Markdown interpretaría dentro del texto de un enlace.
_MARKDOWN = re.compile(r"([\\`*_\[\]()<>#!|~])")


# --- enlaces --------------------------------------------------------------------------------


def enlace_contratista(nombre: str) -> str:
    """``/contratista?nombre=<razón social codificada>``."""
    return f"{RUTA}?nombre={quote(str(nombre), safe='')}"


def enlace_obra(folio: str) -> str:
    """Ficha de la obra en ``/obras`` (``/obras?folio=<folio>``)."""
    return f"/obras?folio={quote(str(folio), safe='')}"


def enlace_descarga(nombre: str) -> str:
    """CSV de las obras del contratista: ``/descargas/obras.csv?contratista=<nombre>``."""
    return f"/descargas/obras.csv?contratista={quote(str(nombre), safe='')}"


def markdown_enlace(texto: str, destino: str) -> str:
    """Un enlace Markdown (``[texto](destino)``) con el texto escapado."""
    escapado = _MARKDOWN.sub(r"\\\1", str(texto))
    return f"[{escapado}]({destino})"


def migas(actual: str) -> html.Nav:
    """Migas de pan: Obra pública › ``actual``."""
    return html.Nav(
        html.Ol(
            [
                html.Li(html.A("Obra pública", href="/obras")),
                html.Li(actual, **{"aria-current": "page"}),
            ]
        ),
        className="migas",
        **{"aria-label": "Migas de pan"},
    )


# --- página del contratista -----------------------------------------------------------------


def no_encontrado(consulta: str | None, por_rfc: bool = False) -> list:
    """Aviso de contratista desconocido con el camino de vuelta a ``/obras``."""
    if not consulta:
        texto = "No se indicó un contratista. Elija uno en el ranking de contratistas de "
    elif por_rfc:
        texto = f"No encontramos un contratista con RFC «{consulta}» en estos datos. Vea "
    else:
        texto = f"No encontramos el contratista «{consulta}» en estos datos. Vea "
    return [
        html.P(
            [texto, html.A("las obras y sus contratistas", href="/obras#contratistas"), "."],
            className="aviso-contratista",
            role="status",
        )
    ]


def aviso_busqueda(buscado, consulta: str | None) -> list:
    """Lo que no se usó de la URL: un RFC de otro contratista, o un nombre no encontrado
    cuando el contratista se halló por su RFC."""
    if buscado.rfc_distinto:
        texto = (
            f"El RFC «{visible(buscado.rfc_distinto)}» no es de este contratista; se muestra "
            "el contratista por su nombre."
        )
    elif buscado.por == "rfc" and consulta:
        texto = (
            f"No encontramos el nombre «{visible(consulta)}»; se muestra el contratista con "
            "ese RFC."
        )
    else:
        return []
    return [html.P(texto, className="aviso-contratista", role="status")]


def cifras(resumen: Resumen) -> html.Ul:
    """Las cifras del contratista (obras, municipios, años, montos, alertas)."""
    anios = resumen.anios
    if not anios:
        texto_anios = SIN_DATO
    elif len(anios) == 1:
        texto_anios = str(anios[0])
    else:
        texto_anios = f"{anios[0]}–{anios[-1]}"
    return html.Ul(
        [
            _cifra("Obras", entero(resumen.obras)),
            _cifra("Municipios", entero(resumen.municipios)),
            _cifra("Años", texto_anios),
            _cifra("Monto aprobado", pesos(resumen.monto_aprobado)),
            _cifra("Monto ejercido", pesos(resumen.monto_ejercido)),
            _cifra("Monto pagado", pesos(resumen.monto_pagado)),
            _cifra("Obras con alerta", entero(resumen.obras_con_alerta)),
            _cifra("Con sobregiro", entero(resumen.obras_con_sobregiro)),
            _cifra("Con retraso", entero(resumen.obras_con_retraso)),
        ],
        className="cifras cifras--contratista",
    )


def adjudicacion(resumen: Resumen) -> html.P:
    """Frase con la parte por adjudicación directa (por número y por monto)."""
    if resumen.obras_adjudicacion_conocida == 0:
        return html.P(
            "Adjudicación directa: sin dato; ninguna de sus obras publicó el tipo de "
            "adjudicación (licitación pública, invitación a tres o adjudicación directa)."
        )
    sin_tipo = resumen.obras - resumen.obras_adjudicacion_conocida
    nota = f" {entero(sin_tipo)} obra(s) no publicaron su tipo de adjudicación." if sin_tipo else ""
    return html.P(
        [
            html.Strong("Adjudicación directa: "),
            f"{porcentaje(resumen.directa_por_numero)} de sus obras "
            f"({entero(resumen.obras_adjudicacion_directa)} de "
            f"{entero(resumen.obras_adjudicacion_conocida)} con el tipo publicado) y "
            f"{porcentaje(resumen.directa_por_monto)} de su monto aprobado.{nota}",
        ]
    )


def definiciones() -> html.Details:
    """Qué cuenta como alerta, sobregiro y retraso."""
    return html.Details(
        [
            html.Summary("¿Qué significan estas cifras?"),
            html.Ul(
                [
                    html.Li(
                        "Obras con alerta: con al menos una de las alertas de la metodología ("
                        + ", ".join(TITULOS_ALERTA.values()).lower()
                        + ")."
                    ),
                    html.Li("Sobregiro: el monto ejercido es mayor que el aprobado."),
                    html.Li(
                        "Retraso: la fecha estimada de término ya pasó y el avance físico es "
                        "menor a 100 % (la alerta «vencida»)."
                    ),
                    html.Li(
                        "Cada obra se cuenta en su reporte más reciente; su año es el de ese "
                        "reporte."
                    ),
                ]
            ),
        ],
        className="definiciones",
    )


_ENVUELTO = {"wrapText": True, "autoHeight": True}

COLUMNAS_OBRAS = [
    tablas.texto("municipio", "Municipio", width=120, minWidth=90, **_ENVUELTO),
    tablas.texto("anio", "Año", width=72, minWidth=72),
    {
        "field": "folio",
        "headerName": "Folio (ver la ficha)",
        "cellRenderer": "markdown",
        "width": 155,
        "minWidth": 135,
    },
    tablas.texto("nombre", "Obra", width=190, minWidth=140, **_ENVUELTO),
    tablas.pesos("monto_aprobado", "Monto aprobado", width=120, minWidth=110),
    tablas.pesos("monto_ejercido", "Monto ejercido", width=120, minWidth=110),
    tablas.texto("adjudicacion", "Adjudicación", width=120, minWidth=115, **_ENVUELTO),
    tablas.texto("alertas", "Alertas", width=130, minWidth=110, **_ENVUELTO),
    tablas.texto("sobregiro_retraso", "Sobregiro o retraso", width=115, minWidth=100, **_ENVUELTO),
]

#: Columnas visibles en el teléfono.
COLUMNAS_OBRAS_TELEFONO = ["folio", "municipio", "monto_aprobado"]


def filas_obras(tabla: pd.DataFrame) -> list[dict]:
    """``rowData`` de las obras del contratista (folio como enlace a su ficha en ``/obras``)."""
    filas = []
    for obra in tabla.to_dict("records"):
        filas.append(
            {
                "municipio": _valor(obra.get("municipio")),
                "anio": _valor(obra.get("anio")),
                "folio": markdown_enlace(obra["folio"], enlace_obra(obra["folio"])),
                "nombre": _valor(obra.get("nombre")),
                "monto_aprobado": _numero(obra.get("monto_aprobado")),
                "monto_ejercido": _numero(obra.get("monto_ejercido")),
                "adjudicacion": _capital(obra.get("tipo_adjudicacion")),
                "alertas": _alertas(obra.get("alertas")),
                "sobregiro_retraso": _sobregiro_retraso(obra.get("sobregiro"), obra.get("retraso")),
            }
        )
    return filas


# --- ranking de /obras ----------------------------------------------------------------------


def columnas_ranking(por_municipio: bool) -> list[dict]:
    """Columnas del ranking de contratistas (con el municipio o de toda la entidad)."""
    titulo = "Parte del monto del municipio" if por_municipio else "Parte del monto de la entidad"
    envuelto = {"wrapText": True, "autoHeight": True}
    municipio = [tablas.texto("municipio", "Municipio", width=140, minWidth=95, **envuelto)]
    return [
        *(municipio if por_municipio else []),
        {
            "field": "contratista",
            "headerName": "Contratista (ver sus obras)",
            "cellRenderer": "markdown",
            "width": 220,
            "minWidth": 105,
            **envuelto,
        },
        tablas.entero("obras", "Obras", width=80),
        tablas.pesos("monto", "Monto aprobado", width=130, minWidth=122, sort="desc"),
        tablas.porcentaje("participacion", titulo, width=110),
        tablas.entero("obras_adjudicacion_directa", "Obras por adjudicación directa", width=110),
        tablas.porcentaje(
            "participacion_adjudicacion_directa",
            "Parte del monto por adjudicación directa",
            width=120,
        ),
        tablas.entero("obras_con_alerta", "Obras con alerta", width=95),
        tablas.entero("obras_con_sobregiro", "Obras con sobregiro", width=105),
        tablas.entero("obras_con_retraso", "Obras con retraso", width=95),
    ]


#: Columnas visibles en el teléfono.
COLUMNAS_RANKING_TELEFONO = ["municipio", "contratista", "monto"]


def tabla_ranking(id_tabla: str, total: int, por_municipio: bool) -> html.Div:
    """La cuadrícula del ranking (:func:`tablero.tablas.tabla`), servida por bloques.

    Las filas las pide al servidor (``RANKING`` de la página ``/obras``), que deja «sin
    dato» al final con cualquier orden; ``total`` son las filas del ranking al abrir.
    """
    return tablas.tabla(
        id_tabla,
        columnas_ranking(por_municipio),
        [],
        descripcion="Obras por contratista",
        columnas_telefono=COLUMNAS_RANKING_TELEFONO,
        por_bloques=True,
        total=total,
    )


def total_ranking(total: int, por_municipio: bool) -> str:
    """Cuántas filas tiene el ranking: ``"1,234 filas (una por contratista y municipio)."``"""
    cada = "contratista y municipio" if por_municipio else "contratista en la entidad"
    filas = "fila" if total == 1 else "filas"
    return f"{entero(total)} {filas} en el ranking (una por {cada})."


def filas_ranking(tabla: pd.DataFrame) -> list[dict]:
    """``rowData`` del ranking: cada empresa enlaza a su página; «sin dato» sin enlace."""
    salida = tabla.copy()
    for columna in ("participacion", "participacion_adjudicacion_directa"):
        salida[columna] = salida[columna].round(4)
    salida["monto"] = salida["monto"].round(2)
    salida["contratista"] = [
        ETIQUETA_SIN_DATO if vacio else markdown_enlace(nombre, enlace_contratista(nombre))
        for nombre, vacio in zip(salida["contratista"], salida["sin_dato"], strict=True)
    ]
    salida = salida.drop(columns=[c for c in ("cvegeo",) if c in salida]).astype(object)
    return salida.where(salida.notna(), None).to_dict("records")


# --- auxiliares -----------------------------------------------------------------------------


def _cifra(nombre: str, valor: str) -> html.Li:
    return html.Li(
        [html.Span(nombre, className="cifra__nombre"), html.Span(valor, className="cifra__valor")],
        className="cifra",
    )


def _nulo(valor) -> bool:
    return valor is None or (not isinstance(valor, str) and bool(pd.isna(valor)))


def _valor(valor):
    if _nulo(valor):
        return None
    return int(valor) if isinstance(valor, int) or hasattr(valor, "__index__") else valor


def _numero(valor, decimales: int = 2) -> float | None:
    return None if _nulo(valor) else round(float(valor), decimales)


def _capital(valor) -> str | None:
    return None if _nulo(valor) else str(valor).capitalize()


def _sobregiro_retraso(sobregiro, retraso) -> str:
    if sobregiro and retraso:
        return "Sobregiro y retraso"
    if sobregiro:
        return "Sobregiro"
    return "Retraso" if retraso else "No"


def _alertas(codigos) -> str:
    if _nulo(codigos) or not codigos:
        return "Ninguna"
    return ", ".join(TITULOS_ALERTA.get(c, c) for c in str(codigos).split(";"))
