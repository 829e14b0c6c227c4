"""Página de obra pública: opciones de los filtros, mapa, tablas, ficha de una obra.

Funciones puras: reciben tablas de :mod:`capas` (:func:`capas.tabla_obras`,
:func:`capas.historial_obra`, :func:`capas.alertas_de_obra`)
y devuelven figuras, ``Patch``, filas o componentes; no leen el almacén.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from capas.config import (
    ALERTA_CUALQUIERA,
    ALERTA_NINGUNA,
    ALERTAS,
    ETIQUETAS_OBRA,
    LUCES,
    PALETA,
    metodologia,
)
from capas.contratistas import sin_dato
from capas.obras import Alerta
from capas.puntos import elegir_puntos, prioridad_obras
from tablero import tablas
from tablero.componentes import opcion, semaforo
from tablero.figuras import puntos as mapa_puntos
from tablero.figuras.contratista import enlace_contratista
from tablero.formato import (
    SIN_DATO,
    entero,
    fecha_larga,
    pesos,
    pesos_cortos,
    porcentaje,
    valor_fuente,
)
from tablero.mapas import texto_seguro

#: Títulos de las alertas por código, en el orden de la metodología.
TITULOS_ALERTA = {regla.codigo: regla.titulo for regla in ALERTAS}

#: Valores especiales del filtro de alertas (además de los 8 códigos).
CUALQUIER_ALERTA = ALERTA_CUALQUIERA
SIN_ALERTAS = ALERTA_NINGUNA

#: Colores de las dos series de avance (Okabe-Ito; también distintas por trazo y marcador).
COLOR_FISICO = "#0072B2"
COLOR_FINANCIERO = "#D55E00"

COLUMNAS = [
    tablas.texto("folio", "Folio", width=150, minWidth=150),
    tablas.texto("nombre", "Obra", width=260, minWidth=100, wrapText=True, autoHeight=True),
    tablas.texto("municipio", "Municipio", width=150, minWidth=140, wrapText=True, autoHeight=True),
    tablas.texto("estatus", "Estatus", width=115, minWidth=112, wrapText=True, autoHeight=True),
    tablas.texto("contratista", "Contratista", width=160, wrapText=True, autoHeight=True),
    tablas.pesos("monto_aprobado", "Monto aprobado", width=125, minWidth=115),
    tablas.porcentaje("avance_fisico", "Avance físico", width=90, minWidth=88),
    tablas.texto("semaforo", "Semáforo", width=110, minWidth=100, wrapText=True, autoHeight=True),
    tablas.texto("alertas", "Alertas", width=130, wrapText=True, autoHeight=True),
]
COLUMNAS_TELEFONO = ["nombre", "monto_aprobado", "semaforo"]


def nivel_gobierno(valor) -> str:
    """``"FEDERAL"`` -> ``"Federal"``."""
    return SIN_DATO if valor is None or pd.isna(valor) else str(valor).capitalize()


def texto_luz(luz: str) -> str:
    """Texto del semáforo de una obra con su icono: ``"✖ con alerta"``."""
    return f"{PALETA[luz].icono} {ETIQUETAS_OBRA[luz]}"


# --- opciones de los filtros ----------------------------------------------------------------


def opciones_anio(anios: list[int]) -> list[dict]:
    """Años de reporte, el más reciente primero."""
    return [{"label": str(a), "value": a} for a in sorted(anios, reverse=True)]


def opciones_texto(valores: list[str], formato=str) -> list[dict]:
    """Opciones ``{label, value, search}`` de una lista de valores publicados.

    ``search`` (ver :func:`tablero.componentes.opcion`): "jicara" encuentra «Constructora
    Jícara S.A. de C.V.».
    """
    return [opcion(formato(v), v) for v in valores]


def opciones_alerta() -> list[dict]:
    """Cualquier alerta, sin alertas, y las ocho alertas con su título."""
    return [
        {"label": "Con cualquier alerta", "value": CUALQUIER_ALERTA},
        {"label": "Sin alertas", "value": SIN_ALERTAS},
        *({"label": regla.titulo, "value": regla.codigo} for regla in ALERTAS),
    ]


def opciones_semaforo() -> list[dict]:
    """Las cuatro luces del semáforo de obra con icono y texto."""
    return [
        {
            "label": html.Span(
                [
                    html.Span(
                        PALETA[luz].icono,
                        className=f"muestra muestra--{luz}",
                        **{"aria-hidden": "true"},
                    ),
                    f" {ETIQUETAS_OBRA[luz].capitalize()}",
                ]
            ),
            "value": luz,
        }
        for luz in LUCES
    ]


def texto_rango(minimo: float | None, maximo: float | None) -> str:
    """El rango de montos elegido en pesos, en palabras."""
    if minimo is None and maximo is None:
        return "Cualquier monto."
    if maximo is None:
        return f"Desde {pesos(minimo)}."
    if minimo is None:
        return f"Hasta {pesos(maximo)}."
    return f"Entre {pesos(minimo)} y {pesos(maximo)}."


# --- tabla, mapa y resumen ------------------------------------------------------------------


def filas(tabla: pd.DataFrame) -> list[dict]:
    """``rowData`` de la tabla de obras: solo las columnas que se muestran."""
    salida = pd.DataFrame(
        {
            "folio": tabla["folio"].astype(object),
            "nombre": tabla["nombre"].astype(object),
            "municipio": tabla["municipio"].astype(object),
            "estatus": [valor_fuente(v) for v in tabla["estatus"]],
            "contratista": tabla["contratista"].astype(object),
            "monto_aprobado": tabla["monto_aprobado"].round(2).astype(object),
            "avance_fisico": tabla["avance_fisico"].round(4).astype(object),
            "semaforo": [texto_luz(luz) for luz in tabla["semaforo"]],
            "alertas": [_titulos(codigos) for codigos in tabla["alertas"]],
        }
    )
    return salida.where(salida.notna(), None).to_dict("records")


def leyenda(tabla: pd.DataFrame) -> list[str]:
    """Textos de la leyenda del mapa con cuántas obras hay de cada luz."""
    cuentas = tabla["semaforo"].value_counts()
    return [f"{texto_luz(luz)}: {entero(cuentas.get(luz, 0))}" for luz in LUCES]


#: Qué obras dibuja primero el mapa cuando no caben todas (:func:`capas.puntos.prioridad_obras`).
CRITERIO_MAPA = "primero las de semáforo rojo, con más alertas y de mayor monto"


def figura_mapa(
    tabla: pd.DataFrame,
    *,
    vista: mapa_puntos.Vista,
    entidad: dict | None,
    elegida: str | None = None,
) -> dict:
    """Mapa de las obras coloreadas por su semáforo; al tocar una se abre su ficha.

    Dibuja a lo más ``mapa_puntos.MAXIMO_PUNTOS`` obras (las más graves y de mayor monto, y
    siempre la ``elegida``); las demás, contadas en un círculo por municipio.
    """
    return mapa_puntos.figura(
        _puntos(tabla, elegida),
        list(zip([PALETA[luz].color for luz in LUCES], leyenda(tabla), strict=True)),
        vista=vista,
        entidad=entidad,
        tamano=9,
        etiqueta_mapa="obras",
        plural="obras",
    )


def parche_mapa(
    tabla: pd.DataFrame, *, vista: mapa_puntos.Vista, elegida: str | None = None
) -> dash.Patch:
    """``Patch`` del mapa con las obras filtradas (acotadas como en :func:`figura_mapa`)."""
    return mapa_puntos.parche(
        _puntos(tabla, elegida), leyenda(tabla), vista=vista, etiqueta_mapa="obras", plural="obras"
    )


def falta_en_el_mapa(tabla: pd.DataFrame, elegida: str | None) -> bool:
    """Verdadero si la obra ``elegida`` no está entre las que el mapa dibuja sin elegida.

    Al elegirla (en la tabla o con ``?folio=``) hay que redibujar los puntos para que se vea.
    """
    return mapa_puntos.falta_en_el_mapa(tabla, prioridad_obras(tabla), "folio", elegida)


def resumen(tabla: pd.DataFrame) -> str:
    """Cuántas obras cumplen los filtros, su monto aprobado y cuántas tienen alertas."""
    n = len(tabla)
    if n == 0:
        return "Ninguna obra cumple los filtros elegidos."
    monto = tabla["monto_aprobado"].sum(min_count=1)
    con_alerta = int((tabla["num_alertas"] > 0).sum())
    sin = int((tabla["latitud"].isna() | tabla["longitud"].isna()).sum())
    frase = (
        f"Se muestran {entero(n)} {'obra' if n == 1 else 'obras'} con "
        f"{pesos_cortos(monto)} aprobados; {entero(con_alerta)} con alguna alerta."
    )
    if sin:
        frase += f" {entero(sin)} sin coordenadas no aparecen en el mapa (sí en la tabla)."
    limite = mapa_puntos.nota(n - sin, "obras", CRITERIO_MAPA)
    return f"{frase} {limite}" if limite else frase


# --- ficha de una obra ----------------------------------------------------------------------


def ficha(
    obra: Mapping,
    historial: pd.DataFrame,
    alertas: list[Alerta],
    *,
    anio: int | None = None,
) -> list:
    """Contenido de la ficha de una obra: datos, montos, alertas explicadas y su avance.

    Parameters
    ----------
    obra
        La fila de la obra en :func:`capas.tabla_obras` (su estado en ``anio``).
    historial
        :func:`capas.historial_obra`: un reporte trimestral por fila.
    alertas
        :func:`capas.alertas_de_obra`: cada alerta con su frase y sus números.
    """
    folio = obra["folio"]
    reporte = _reporte(obra.get("anio"), obra.get("trimestre"))
    return [
        html.Div(
            [
                html.Div(
                    [
                        html.H2(f"Obra {folio}", id="obras-detalle-titulo", tabIndex="-1"),
                        html.P(html.Strong(obra.get("nombre") or SIN_DATO)),
                    ]
                ),
                semaforo(
                    obra.get("semaforo"),
                    obra.get("etiqueta_semaforo"),
                    detalle=f"Semáforo de la obra: {obra.get('etiqueta_semaforo') or SIN_DATO}",
                ),
            ],
            className="ficha__encabezado",
        ),
        html.Dl(
            _pares(
                [
                    ("Municipio", obra.get("municipio")),
                    ("Nivel de gobierno", nivel_gobierno(obra.get("nivel_gobierno"))),
                    ("Estatus", valor_fuente(obra.get("estatus"))),
                    ("Contratista", _contratista(obra.get("contratista"))),
                    ("Tipo de adjudicación", valor_fuente(obra.get("tipo_adjudicacion"))),
                    ("Categoría", obra.get("categoria")),
                    ("Inicio", _fecha(obra.get("fecha_inicio"))),
                    ("Término estimado", _fecha(obra.get("fecha_termino"))),
                    ("Estado al reporte", reporte + (f" (año elegido: {anio})" if anio else "")),
                ]
            ),
            className="datos-ficha",
        ),
        html.H3("Montos y avance"),
        html.Ul(
            [
                _cifra("Aprobado", pesos(obra.get("monto_aprobado"))),
                *(
                    [_cifra("Modificado", pesos(obra.get("monto_modificado")))]
                    if not _nulo(obra.get("monto_modificado"))
                    else []
                ),
                _cifra("Ejercido", pesos(obra.get("monto_ejercido"))),
                _cifra("Pagado", pesos(obra.get("monto_pagado"))),
                _cifra("Avance físico", porcentaje(obra.get("avance_fisico"))),
                _cifra("Avance financiero", porcentaje(obra.get("avance_financiero"))),
            ],
            className="cifras",
        ),
        html.H3(f"Alertas ({len(alertas)})"),
        lista_alertas(alertas),
        html.H3("Avance por trimestre"),
        *avance(historial),
    ]


def lista_alertas(alertas: list[Alerta]) -> html.Div | html.Ul:
    """Cada alerta con su título, su frase con los números y la regla que la dispara."""
    if not alertas:
        return html.P(
            "Esta obra no tiene ninguna de las ocho alertas de la metodología.",
            className="sin-alertas",
        )
    reglas = {a["codigo"]: a for a in metodologia()["alertas"]}
    return html.Ul(
        [
            html.Li(
                [
                    html.Span(
                        [
                            html.Span("⚠ ", **{"aria-hidden": "true"}),
                            alerta.titulo,
                        ],
                        className="alerta__titulo",
                    ),
                    html.P(alerta.mensaje),
                    html.P(
                        ["Regla: ", reglas[alerta.codigo]["regla"]],
                        className="campo__ayuda",
                    ),
                ],
                className="alerta" if reglas[alerta.codigo]["roja"] else "alerta alerta--aviso",
            )
            for alerta in alertas
        ],
        className="alertas",
    )


def avance(historial: pd.DataFrame) -> list:
    """Gráfica del avance físico y financiero por trimestre y su tabla (la alternativa)."""
    if historial.empty:
        return [html.P("No hay reportes trimestrales de esta obra.", className="ficha__vacia")]
    return [
        html.Figure(
            [
                dcc.Graph(
                    figure=grafica_avance(historial),
                    config={"displayModeBar": False, "responsive": True},
                    className="grafica-avance",
                ),
                html.Figcaption(
                    "Avance físico (línea continua, círculos) y financiero (línea punteada, "
                    "cuadros) en cada reporte trimestral. La tabla siguiente tiene los mismos "
                    "datos."
                ),
            ]
        ),
        tabla_historial(historial),
    ]


def grafica_avance(historial: pd.DataFrame) -> go.Figure:
    """Líneas del avance físico y financiero (%) en cada reporte trimestral."""
    reportes = historial["reporte"].tolist()
    figura = go.Figure()
    for columna, nombre, color, trazo, simbolo in (
        ("avance_fisico", "Avance físico", COLOR_FISICO, "solid", "circle"),
        ("avance_financiero", "Avance financiero", COLOR_FINANCIERO, "dash", "square"),
    ):
        valores = (historial[columna].astype("float64") * 100).round(1)
        figura.add_trace(
            go.Scatter(
                x=reportes,
                y=valores.where(valores.notna(), None).tolist(),
                name=nombre,
                mode="lines+markers",
                line={"color": color, "dash": trazo, "width": 3},
                marker={"symbol": simbolo, "size": 9, "color": color},
                hovertemplate=f"{nombre}: %{{y:.1f}} %<extra>%{{x}}</extra>",
            )
        )
    figura.update_layout(
        height=300,
        margin={"l": 56, "r": 12, "t": 12, "b": 40},
        yaxis={"title": {"text": "Avance (%)"}, "ticksuffix": " %", "rangemode": "tozero"},
        xaxis={"title": {"text": "Reporte trimestral"}, "type": "category"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        font={"size": 14},
        separators=".,",
        hovermode="x unified",
    )
    figura.update_xaxes(showgrid=False, linecolor="#767676")
    figura.update_yaxes(gridcolor="#dddddd", linecolor="#767676")
    return figura


def tabla_historial(historial: pd.DataFrame) -> html.Div:
    """Los reportes trimestrales de la obra en una tabla HTML."""
    # En el teléfono (clase solo-ancho) quedan reporte y avances: la tabla cabe sin
    # desplazarse a los lados; los montos actuales están en la ficha.
    encabezados = [
        ("Reporte", ""),
        ("Avance físico", ""),
        ("Avance financiero", ""),
        ("Aprobado", "solo-ancho"),
        ("Ejercido", "solo-ancho"),
        ("Pagado", "solo-ancho"),
        ("Estatus", "solo-ancho"),
    ]
    filas_html = [
        html.Tr(
            [
                html.Th(fila["reporte"], scope="row"),
                html.Td(porcentaje(fila["avance_fisico"]), className="numero"),
                html.Td(porcentaje(fila["avance_financiero"]), className="numero"),
                html.Td(pesos(fila["monto_aprobado"]), className="numero solo-ancho"),
                html.Td(pesos(fila["monto_ejercido"]), className="numero solo-ancho"),
                html.Td(pesos(fila["monto_pagado"]), className="numero solo-ancho"),
                html.Td(
                    fila["estatus"] if not _nulo(fila["estatus"]) else SIN_DATO,
                    className="solo-ancho",
                ),
            ]
        )
        for fila in historial.to_dict("records")
    ]
    return html.Div(
        html.Table(
            [
                html.Caption("Reportes trimestrales de la obra"),
                html.Thead(html.Tr([html.Th(t, scope="col", className=c) for t, c in encabezados])),
                html.Tbody(filas_html),
            ]
        ),
        className="tabla-simple",
        tabIndex="0",
        role="region",
        **{"aria-label": "Reportes trimestrales (tabla desplazable)"},
    )


def estado_seleccion(folio: str | None, encontrada: bool = True) -> list | str:
    """Aviso (región viva) de qué obra está elegida, con un enlace a su ficha."""
    if not folio:
        return "Elija una obra en la tabla (clic, o ENTER con el teclado) o en el mapa."
    if not encontrada:
        return f"No hay una obra con folio {folio} en estos datos."
    return [f"Obra {folio} elegida. ", html.A("Ver su detalle", href="#obras-detalle"), "."]


# --- auxiliares -----------------------------------------------------------------------------


def _puntos(tabla: pd.DataFrame, elegida: str | None = None) -> mapa_puntos.Puntos:
    seleccion = elegir_puntos(
        tabla,
        prioridad_obras(tabla),
        maximo=mapa_puntos.MAXIMO_PUNTOS,
        clave="folio",
        elegido=elegida,
    )
    columnas = ["folio", "nombre", "semaforo", "monto_aprobado", "latitud", "longitud"]
    tabla = tabla[columnas].iloc[seleccion.posiciones]
    luces = tabla["semaforo"].tolist()
    textos = [
        _texto_punto(folio, nombre, luz, monto)
        for folio, nombre, luz, monto in zip(
            tabla["folio"], tabla["nombre"], luces, tabla["monto_aprobado"], strict=True
        )
    ]
    return mapa_puntos.puntos(
        tabla["latitud"],
        tabla["longitud"],
        [mapa_puntos.POSICION_LUZ[luz] for luz in luces],
        textos,
        tabla["folio"].tolist(),
        grupos=mapa_puntos.grupos(seleccion, "obra", "obras"),
        sin_coordenadas=seleccion.sin_coordenadas,
        paleta=mapa_puntos.COLORES_LUCES,
    )


@lru_cache(maxsize=16_384)
def _texto_punto(folio, nombre, luz, monto) -> str:
    """Lo que dice un punto al tocarlo (las mismas obras salen en cada vista: una vez cada una)."""
    return (
        f"{texto_seguro(folio)} · {texto_seguro(mapa_puntos.corto(nombre))}<br>"
        f"{ETIQUETAS_OBRA[luz]} · {pesos_cortos(monto)}"
    )


def _titulos(codigos) -> str:
    if _nulo(codigos) or not codigos:
        return "Ninguna"
    return ", ".join(TITULOS_ALERTA.get(c, c) for c in str(codigos).split(";"))


def _nulo(valor) -> bool:
    return valor is None or (not isinstance(valor, str) and bool(pd.isna(valor)))


def _fecha(valor) -> str:
    if _nulo(valor):
        return SIN_DATO
    return fecha_larga(pd.Timestamp(valor).date())


def _reporte(anio, trimestre) -> str:
    if _nulo(anio):
        return SIN_DATO
    if _nulo(trimestre):
        return f"{int(anio)}"
    if int(trimestre) == 5:  # el SRFT publica el informe definitivo anual como trimestre 5
        return f"{int(anio)}, informe definitivo anual"
    return f"{int(anio)}, trimestre {int(trimestre)}"


def _pares(pares: list[tuple[str, object]]) -> list:
    hijos = []
    for nombre, valor in pares:
        if isinstance(valor, dash.development.base_component.Component):
            hijos += [html.Dt(nombre), html.Dd(valor)]
        else:
            hijos += [html.Dt(nombre), html.Dd(SIN_DATO if _nulo(valor) else str(valor))]
    return hijos


def _contratista(nombre) -> object:
    """El contratista con enlace a su página (``/contratista?nombre=``); «sin dato» sin enlace."""
    if _nulo(nombre) or sin_dato(pd.Series([nombre]))[0]:
        return nombre
    return dcc.Link(str(nombre), href=dash.get_relative_path(enlace_contratista(nombre)))


def _cifra(nombre: str, valor: str) -> html.Li:
    return html.Li(
        [
            html.Span(nombre, className="cifra__nombre"),
            html.Span(valor, className="cifra__valor monto"),
        ],
        className="cifra",
    )
