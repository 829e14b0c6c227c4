"""Página de estacionamientos para personas con discapacidad: mapa, tablas y ficha de un espacio.

Funciones puras: reciben tablas de :func:`capas.tabla_estacionamientos` y
:func:`capas.resumen_estacionamientos` y devuelven figuras, ``Patch``, filas o componentes.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import dash
import numpy as np
import pandas as pd
from dash import dcc, html

from capas.config import ESTADOS_ESTACIONAMIENTO, EstadoCajon
from capas.puntos import elegir_puntos, prioridad_estacionamientos
from tablero import mapas, tablas
from tablero.figuras import puntos as mapa_puntos
from tablero.formato import SIN_DATO, entero, fecha_larga, porcentaje
from tablero.mapas import texto_seguro

#: Estados publicados con su etiqueta, color e icono (capas.config), por valor.
ESTADOS: dict[str, EstadoCajon] = {e.valor: e for e in ESTADOS_ESTACIONAMIENTO}

#: Color de los estados que no están en la configuración.
COLOR_OTRO = "#999999"

#: Acercamiento a nivel de calle (el máximo al ajustar el mapa a los espacios).
ACERCAMIENTO_CALLE = 14.0

#: Qué espacios dibuja primero el mapa cuando no caben todos (a lo más
#: ``mapa_puntos.MAXIMO_PUNTOS``; :func:`capas.puntos.prioridad_estacionamientos`).
CRITERIO_MAPA = "primero los que tienen reportes abiertos y los que requieren rehabilitación"
#: Dónde están los espacios que el mapa no dibuja (aquí no hay círculos por municipio).
RESTO_MAPA = "están en la tabla: filtre por estado para verlos en el mapa"

#: Índices de las trazas de :func:`tablero.mapas.figura_puntos_plana` con ``borde=True``.
TRAZA_BORDE, TRAZA_PUNTOS, PRIMERA_LEYENDA = 0, 1, 2

COLUMNAS = [
    tablas.texto("id", "Clave", width=110),
    tablas.texto("direccion", "Dirección", width=260, minWidth=120, wrapText=True, autoHeight=True),
    tablas.entero("cajones", "Cajones", width=90, minWidth=84),
    tablas.texto("estado", "Estado", width=180, minWidth=110, wrapText=True, autoHeight=True),
    tablas.fecha("fecha_revision", "Fecha de revisión", width=120),
    tablas.entero("reportes_abiertos", "Reportes abiertos", width=110),
]
COLUMNAS_TELEFONO = ["direccion", "cajones", "estado"]


def texto_estado(valor) -> str:
    """Estado con su icono: ``"✔ En buen estado"``; un estado desconocido va tal cual."""
    if valor is None or (not isinstance(valor, str) and pd.isna(valor)):
        return SIN_DATO
    estado = ESTADOS.get(valor)
    return f"{estado.icono} {estado.etiqueta}" if estado else str(valor)


def color_texto(fondo: str) -> str:
    """Negro o blanco, el que tenga más contraste (WCAG) sobre el color ``fondo`` (``#rrggbb``)."""
    canales = [int(fondo[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lineales = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in canales]
    luminancia = 0.2126 * lineales[0] + 0.7152 * lineales[1] + 0.0722 * lineales[2]
    return "#000000" if (luminancia + 0.05) / 0.05 >= 1.05 / (luminancia + 0.05) else "#ffffff"


def insignia(valor) -> html.Span:
    """El estado de un espacio con color, icono y texto (nunca solo el color)."""
    estado = ESTADOS.get(valor)
    color = estado.color if estado else COLOR_OTRO
    return html.Span(
        [
            html.Span(estado.icono if estado else "?", **{"aria-hidden": "true"}),
            html.Span(estado.etiqueta if estado else (valor or SIN_DATO)),
        ],
        className="insignia",
        style={"backgroundColor": color, "color": color_texto(color)},
    )


def opciones_estado() -> list[dict]:
    """Los estados de la configuración con su muestra de color, icono y texto."""
    return [
        {
            "label": html.Span(
                [
                    html.Span(
                        estado.icono,
                        className="muestra",
                        style={"backgroundColor": estado.color, "color": color_texto(estado.color)},
                        **{"aria-hidden": "true"},
                    ),
                    f" {estado.etiqueta}",
                ]
            ),
            "value": estado.valor,
        }
        for estado in ESTADOS_ESTACIONAMIENTO
    ]


def filas(tabla: pd.DataFrame) -> list[dict]:
    """``rowData`` de la tabla de espacios (fechas ISO: ordenan bien)."""
    fechas = pd.to_datetime(tabla["fecha_revision"], errors="coerce")
    salida = pd.DataFrame(
        {
            "id": tabla["id"].astype(object),
            "direccion": tabla["direccion"].astype(object),
            "cajones": tabla["cajones"].astype(object),
            "estado": [texto_estado(v) for v in tabla["estado"]],
            "fecha_revision": fechas.dt.strftime("%Y-%m-%d").astype(object),
            "reportes_abiertos": tabla["reportes_abiertos"].astype(object),
        }
    )
    return salida.where(salida.notna(), None).to_dict("records")


def limites(tabla: pd.DataFrame) -> tuple[float, float, float, float] | None:
    """Límites ``(oeste, sur, este, norte)`` del 90 % central de los espacios.

    Sin los 5 % más alejados a cada lado, un espacio lejano no aleja el mapa del centro (el
    mapa abre a nivel de calle). ``None`` si ningún espacio tiene coordenadas.
    """
    lat = pd.to_numeric(tabla["latitud"], errors="coerce").to_numpy(dtype="float64")
    lon = pd.to_numeric(tabla["longitud"], errors="coerce").to_numpy(dtype="float64")
    validos = np.isfinite(lat) & np.isfinite(lon)
    if not validos.any():
        return None
    oeste, este = np.quantile(lon[validos], [0.05, 0.95])
    sur, norte = np.quantile(lat[validos], [0.05, 0.95])
    return float(oeste), float(sur), float(este), float(norte)


def leyenda(tabla: pd.DataFrame) -> list[str]:
    """Textos de la leyenda: icono, estado y cuántos espacios hay."""
    cuentas = tabla["estado"].value_counts()
    return [
        f"{e.icono} {e.etiqueta}: {entero(cuentas.get(e.valor, 0))}"
        for e in ESTADOS_ESTACIONAMIENTO
    ]


def figura_mapa(
    tabla: pd.DataFrame,
    *,
    centro: dict,
    zoom: float,
    contorno: dict | None,
    elegido: str | None = None,
) -> dict:
    """Mapa a nivel de calle con los espacios coloreados por estado y leyenda con texto.

    Un diccionario plano (sin la validación de ``go.Figure``). Dibuja a lo más
    ``mapa_puntos.MAXIMO_PUNTOS`` espacios (:data:`CRITERIO_MAPA`) y siempre el ``elegido``.
    """
    latitudes, longitudes, colores, textos, ids = _arreglos(tabla, elegido)
    figura = mapas.figura_puntos_plana(
        latitudes,
        longitudes,
        colores,
        textos,
        ids=ids,
        centro=centro,
        zoom=zoom,
        leyenda=list(zip([e.color for e in ESTADOS_ESTACIONAMIENTO], leyenda(tabla), strict=True)),
        contorno=contorno,
        tamano=13,
        borde=True,
    )
    figura["layout"]["uirevision"] = "estacionamientos"
    figura["layout"]["legend"].update(
        {"font": {"size": 13}, "itemclick": False, "itemdoubleclick": False}
    )
    return figura


def parche_mapa(tabla: pd.DataFrame, elegido: str | None = None) -> dash.Patch:
    """``Patch`` con los espacios filtrados y la leyenda (el encuadre no cambia).

    Acotado como :func:`figura_mapa` (siempre con el ``elegido``).
    """
    latitudes, longitudes, colores, textos, ids = _arreglos(tabla, elegido)
    parche = mapas.parche_puntos(
        latitudes,
        longitudes,
        colores,
        textos,
        ids=ids,
        traza=TRAZA_PUNTOS,
        borde=TRAZA_BORDE,
    )
    for i, texto in enumerate(leyenda(tabla)):
        parche["data"][PRIMERA_LEYENDA + i]["name"] = texto
    return parche


def resumen(tabla: pd.DataFrame) -> str:
    """Cuántos espacios y cajones se muestran."""
    n = len(tabla)
    if n == 0:
        return "Ningún espacio cumple el filtro elegido."
    cajones = pd.to_numeric(tabla["cajones"], errors="coerce").sum()
    frase = (
        f"Se muestran {entero(n)} {'espacio' if n == 1 else 'espacios'} con "
        f"{entero(cajones)} {'cajón' if cajones == 1 else 'cajones'}."
    )
    sin = int((tabla["latitud"].isna() | tabla["longitud"].isna()).sum())
    if sin:
        frase += f" {entero(sin)} sin coordenadas no aparecen en el mapa (sí en la tabla)."
    limite = mapa_puntos.nota(n - sin, "espacios", CRITERIO_MAPA, articulo="los", resto=RESTO_MAPA)
    return f"{frase} {limite}" if limite else frase


def falta_en_el_mapa(tabla: pd.DataFrame, elegido: str | None) -> bool:
    """Verdadero si el espacio ``elegido`` no está entre los que el mapa dibuja sin elegido:
    al elegirlo hay que redibujar los puntos para que se vea."""
    return mapa_puntos.falta_en_el_mapa(tabla, prioridad_estacionamientos(tabla), "id", elegido)


def tabla_resumen(por_estado: pd.DataFrame) -> html.Div:
    """Cajones por estado (:func:`capas.resumen_estacionamientos`) en una tabla pequeña."""
    filas_html = [
        html.Tr(
            [
                html.Th(insignia(fila["estado"]), scope="row"),
                html.Td(entero(fila["espacios"]), className="numero"),
                html.Td(entero(fila["cajones"]), className="numero"),
                html.Td(porcentaje(fila["participacion_cajones"]), className="numero solo-ancho"),
                html.Td(entero(fila["reportes_abiertos"]), className="numero solo-ancho"),
            ]
        )
        for fila in por_estado.to_dict("records")
    ]
    total = [
        html.Th("Total", scope="row"),
        html.Td(entero(por_estado["espacios"].sum()), className="numero"),
        html.Td(entero(por_estado["cajones"].sum()), className="numero"),
        html.Td(
            porcentaje(1.0 if por_estado["cajones"].sum() else None), className="numero solo-ancho"
        ),
        html.Td(entero(por_estado["reportes_abiertos"].sum()), className="numero solo-ancho"),
    ]
    encabezados = [
        ("Estado", ""),
        ("Espacios", ""),
        ("Cajones", ""),
        ("Parte de los cajones", "solo-ancho"),
        ("Reportes abiertos", "solo-ancho"),
    ]
    return html.Div(
        html.Table(
            [
                html.Caption("Espacios y cajones por estado"),
                html.Thead(html.Tr([html.Th(t, scope="col", className=c) for t, c in encabezados])),
                html.Tbody(filas_html),
                html.Tfoot(html.Tr(total)),
            ]
        ),
        className="tabla-simple",
        tabIndex="0",
        role="region",
        **{"aria-label": "Espacios y cajones por estado (tabla desplazable)"},
    )


def no_encontrado(espacio: str) -> str:
    """Aviso de un espacio pedido (en la URL) que no está en los datos."""
    return f"No encontramos el cajón {espacio}; elija uno de la lista."


def estado_seleccion(espacio: str | None, desconocido: str = ""):
    """Qué espacio está elegido; ``desconocido``: el pedido que no existe (no queda elegido)."""
    if espacio:
        return [
            f"Espacio {espacio} elegido. ",
            html.A("Ver su ficha", href="#estacionamientos-detalle"),
            ".",
        ]
    if desconocido:
        return no_encontrado(desconocido)
    return "Ningún espacio elegido."


def ficha(espacio: Mapping | None, id_buscado: str | None = None) -> list:
    """Ficha de un espacio: dirección, cajones, estado, revisión, observaciones y reportes."""
    if espacio is None:
        mensaje = (
            no_encontrado(id_buscado)
            if id_buscado
            else "Elija un espacio en la tabla (clic, o ENTER con el teclado) o en el mapa "
            "para ver su ficha."
        )
        return [html.H2("Ficha del espacio"), html.P(mensaje, className="ficha__vacia")]
    abiertos = espacio.get("reportes_abiertos")
    return [
        html.Div(
            [html.H2(f"Espacio {espacio['id']}"), insignia(espacio.get("estado"))],
            className="ficha__encabezado",
        ),
        html.Dl(
            [
                html.Dt("Dirección"),
                html.Dd(_texto(espacio.get("direccion"))),
                html.Dt("Cajones"),
                html.Dd(entero(espacio.get("cajones"))),
                html.Dt("Estado"),
                html.Dd(texto_estado(espacio.get("estado"))),
                html.Dt("Fecha de revisión"),
                html.Dd(_fecha(espacio.get("fecha_revision"))),
                html.Dt("Observaciones"),
                html.Dd(_texto(espacio.get("observaciones"))),
            ],
            className="datos-ficha",
        ),
        html.Section(
            [
                html.H3("Reportes ciudadanos"),
                html.P(
                    [
                        "Reportes abiertos sobre este espacio: ",
                        html.Strong(entero(abiertos if abiertos is not None else 0)),
                        ".",
                    ]
                ),
                html.P(
                    dcc.Link(
                        "Ver los reportes de este espacio y su atención",
                        href=dash.get_relative_path(
                            f"/reporte?{urlencode({'estacionamiento': espacio['id']})}"
                        ),
                    )
                ),
                html.P(html.A("Reportar un problema de este espacio", href="#reportar")),
            ],
            className="reportes-ciudadanos",
            **{"aria-label": "Reportes ciudadanos"},
        ),
    ]


def _arreglos(tabla: pd.DataFrame, elegido: str | None = None):
    seleccion = elegir_puntos(
        tabla,
        prioridad_estacionamientos(tabla),
        maximo=mapa_puntos.MAXIMO_PUNTOS,
        clave="id",
        elegido=elegido,
        nombre_grupo="cvegeo",
    )
    parte = tabla.iloc[seleccion.posiciones]
    lat = pd.to_numeric(parte["latitud"], errors="coerce").to_numpy(dtype="float64")
    lon = pd.to_numeric(parte["longitud"], errors="coerce").to_numpy(dtype="float64")
    colores = [ESTADOS[v].color if v in ESTADOS else COLOR_OTRO for v in parte["estado"]]
    textos = [
        f"{texto_seguro(_texto(direccion))}<br>{texto_estado(estado)} · {entero(cajones)} "
        f"{'cajón' if entero(cajones) == '1' else 'cajones'}"
        + (f"<br>⚠ {entero(abiertos)} reporte(s) ciudadano(s) abierto(s)" if abiertos else "")
        for direccion, estado, cajones, abiertos in zip(
            parte["direccion"],
            parte["estado"],
            parte["cajones"],
            parte["reportes_abiertos"].fillna(0).astype(int),
            strict=True,
        )
    ]
    return (
        np.round(lat, 5).tolist(),
        np.round(lon, 5).tolist(),
        colores,
        textos,
        parte["id"].astype(object).tolist(),
    )


def _texto(valor) -> str:
    if valor is None or (not isinstance(valor, str) and pd.isna(valor)) or valor == "":
        return SIN_DATO
    return str(valor)


def _fecha(valor) -> str:
    if valor is None or (not isinstance(valor, str) and pd.isna(valor)):
        return SIN_DATO
    return fecha_larga(pd.Timestamp(valor).date())
