"""Presupuesto por capítulo (de la entidad o de un municipio): cifras, gráfica y tabla.

Funciones puras: reciben un :class:`capas.presupuesto.PresupuestoCapitulos` ya calculado y
devuelven componentes. No leen el almacén. Las usan la portada (presupuesto del estado) y el
perfil de un municipio (presupuesto municipal).
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from capas.numeros import es_nulo
from capas.presupuesto import FUENTES, PresupuestoCapitulos
from tablero.componentes import TEXTOS_LISTA, campo
from tablero.formato import SIN_DATO, fecha_larga, pesos, pesos_cortos, porcentaje

#: Colores de las barras (contraste >= 3:1 sobre blanco); el devengado además va rayado,
#: para distinguirlo sin color.
COLOR_APROBADO = "#0B4F8A"
COLOR_EJERCIDO = "#117A65"

#: Configuración de la gráfica: sin barra de botones ni zoom (la tabla tiene los números).
CONFIGURACION_GRAFICA = {"displayModeBar": False, "scrollZoom": False, "responsive": True}


def nombre_etapa(resultado: PresupuestoCapitulos) -> str:
    """``"Devengado"`` o ``"Ejercido"`` (la etapa que se muestra como gasto)."""
    return (resultado.etapa or "devengado").capitalize()


def opciones_ejercicio(anios: list[int]) -> list[dict]:
    """Opciones del selector de ejercicio fiscal, el más reciente primero."""
    return [{"label": str(anio), "value": int(anio)} for anio in sorted(anios, reverse=True)]


def selector_ejercicio(id_: str, anios: list[int], valor: int) -> html.Div:
    """Lista del ejercicio fiscal (sin borrar ni buscar), con su etiqueta visible."""
    return html.Div(
        campo(
            "Ejercicio fiscal",
            dcc.Dropdown(
                id=id_,
                options=opciones_ejercicio(anios),
                value=valor,
                clearable=False,
                searchable=False,
                labels=TEXTOS_LISTA,
            ),
        ),
        className="control control--ciclo",
    )


def aviso_pedido(pedido, anio: int) -> html.P | None:
    """Aviso cuando la URL pidió un ejercicio que no hay (``None`` si no pidió ninguno)."""
    if pedido is None or str(pedido).strip() == "":
        return None
    return html.P(
        f"No hay presupuesto del ejercicio «{str(pedido).strip()}»; se muestra el de {anio}.",
        className="aviso-municipio",
        role="status",
    )


def _quien(resultado: PresupuestoCapitulos) -> str:
    return "el municipio" if resultado.cvegeo is not None else "el gobierno del estado"


def frase_resumen(resultado: PresupuestoCapitulos) -> str:
    """El presupuesto del año en palabras: cuánto se aprobó, cuánto se gastó y en qué.

    Ejemplo: «En 2024 el gobierno del estado aprobó $1,000 y devengó $900: el 90.0 % de lo
    aprobado. El capítulo con más gasto fue «Servicios personales», con el 50.0 % del total
    devengado.»
    """
    anio, quien, capitulos = resultado.anio, _quien(resultado), resultado.capitulos
    if resultado.solo_aprobado:
        frase = f"Para {anio} {quien} tiene aprobados {pesos(resultado.aprobado)}."
        columna, participacion = "aprobado", "participacion_aprobado"
        mayor_texto, total = "El capítulo con más presupuesto es", "aprobado"
    else:
        verbo = "ejerció" if resultado.etapa == "ejercido" else "devengó"
        frase = (
            f"En {anio} {quien} aprobó {pesos(resultado.aprobado)} y {verbo} "
            f"{pesos(resultado.ejercido)}"
        )
        proporcion = resultado.proporcion_ejercida
        frase += "." if es_nulo(proporcion) else f": el {porcentaje(proporcion)} de lo aprobado."
        columna, participacion = "ejercido", "participacion_ejercido"
        mayor_texto, total = "El capítulo con más gasto fue", resultado.etapa
    if capitulos[columna].notna().any():
        mayor = capitulos.loc[capitulos[columna].idxmax()]
        frase += f" {mayor_texto} «{mayor['concepto']}»"
        parte = mayor[participacion]
        frase += "." if es_nulo(parte) else f", con el {porcentaje(parte)} del total {total}."
    return frase


def cifras(resultado: PresupuestoCapitulos, id_prefijo: str) -> html.Div:
    """Dos tarjetas: total aprobado y total devengado (o ejercido) del año."""
    etapa = nombre_etapa(resultado)
    if resultado.solo_aprobado:
        gastado = [
            html.P(SIN_DATO, className="indicador__valor", id=f"{id_prefijo}-ejercido"),
            html.P(f"{resultado.aviso.capitalize()}."),
        ]
    else:
        gastado = [
            html.P(
                pesos_cortos(resultado.ejercido),
                className="indicador__valor",
                id=f"{id_prefijo}-ejercido",
            ),
            html.P(
                f"{pesos(resultado.ejercido)}: el {porcentaje(resultado.proporcion_ejercida)} "
                "de lo aprobado."
            ),
        ]
    return html.Div(
        [
            html.Article(
                [
                    html.H3("Aprobado", className="indicador__titulo"),
                    html.P(
                        pesos_cortos(resultado.aprobado),
                        className="indicador__valor",
                        id=f"{id_prefijo}-aprobado",
                    ),
                    html.P(pesos(resultado.aprobado)),
                ],
                className="indicador",
            ),
            html.Article(
                [html.H3(etapa, className="indicador__titulo"), *gastado],
                className="indicador",
            ),
        ],
        className="indicadores",
    )


#: Unidades del eje de la gráfica: (a partir de, divisor, título del eje).
_UNIDADES = (
    (1e9, 1e9, "Miles de millones de pesos"),
    (1e6, 1e6, "Millones de pesos"),
    (0, 1, "Pesos"),
)

#: Alto (px) de cada renglón de la gráfica: una línea del nombre del capítulo o una barra.
_ALTO_RENGLON = 22
#: Caracteres por línea del nombre de un capítulo (caben en un teléfono de 320 px).
_ANCHO_NOMBRE = 38


def unidad_grafica(maximo) -> tuple[float, str]:
    """Divisor y título del eje para el monto más grande (``1e9, "Miles de millones..."``)."""
    maximo = 0.0 if es_nulo(maximo) else abs(float(maximo))
    for desde, divisor, titulo in _UNIDADES:
        if maximo >= desde:
            return divisor, titulo
    return 1, "Pesos"


def grafica_capitulos(resultado: PresupuestoCapitulos) -> go.Figure:
    """Barras horizontales por capítulo: aprobado (lisa) y devengado o ejercido (rayada).

    El nombre de cada capítulo va sobre sus barras, a todo lo ancho (en el teléfono no le
    quita espacio a las barras); los montos van en la unidad que mejor se lee (millones o
    miles de millones de pesos) y, exactos, en la etiqueta al pasar el cursor y en la tabla.
    """
    capitulos = resultado.capitulos
    series = [("Aprobado", "aprobado", COLOR_APROBADO, "")]
    if not resultado.solo_aprobado:
        series.append((nombre_etapa(resultado), "ejercido", COLOR_EJERCIDO, "/"))
    # Renglones de cada capítulo: su nombre (uno por línea de texto) y una barra por serie.
    nombres = [textwrap.wrap(str(c), _ANCHO_NOMBRE) or [str(c)] for c in capitulos["concepto"]]
    y_nombre, y_barras, renglon = [], [], 0
    for lineas in nombres:
        y_nombre.append(renglon + (len(lineas) - 1) / 2)
        renglon += len(lineas)
        y_barras.append(renglon)
        renglon += len(series)
    renglones = max(renglon, 1)
    maximo = pd.concat([capitulos[c] for _, c, _, _ in series]).abs().max()  # sin vacíos
    divisor, titulo_eje = unidad_grafica(maximo)
    figura = go.Figure()
    for i, (nombre, columna, color, trama) in enumerate(series):
        montos = [None if es_nulo(v) else float(v) for v in capitulos[columna]]
        figura.add_trace(
            go.Bar(
                name=nombre,
                y=[y + i for y in y_barras],
                x=[None if v is None else v / divisor for v in montos],
                orientation="h",
                width=0.9,
                marker={
                    "color": color,
                    "line": {"color": color, "width": 1},
                    "pattern": {"shape": trama, "fgcolor": "#ffffff", "solidity": 0.35},
                },
                customdata=[
                    [concepto, pesos(v)]
                    for concepto, v in zip(capitulos["concepto"], montos, strict=True)
                ],
                hovertemplate=f"%{{customdata[0]}}<br>{nombre}: %{{customdata[1]}}<extra></extra>",
            )
        )
    for lineas, y in zip(nombres, y_nombre, strict=True):
        figura.add_annotation(
            text="<br>".join(lineas),
            align="left",
            x=0,
            xref="paper",
            xanchor="left",
            y=y,
            yref="y",
            yanchor="middle",
            showarrow=False,
            font={"size": 13, "color": "#1f1f1f"},
        )
    figura.update_layout(
        barmode="overlay",
        height=130 + _ALTO_RENGLON * renglones,
        margin={"l": 8, "r": 12, "t": 36, "b": 50},
        xaxis={
            "title": {"text": titulo_eje, "font": {"size": 13}},
            "tickformat": ",~r",
            "gridcolor": "#dddddd",
            "zerolinecolor": "#8a8a8a",
            "rangemode": "tozero",
            "fixedrange": True,
        },
        yaxis={
            "showticklabels": False,
            "showgrid": False,
            "zeroline": False,
            "range": [renglones - 0.5, -0.6],
            "fixedrange": True,
        },
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom", "traceorder": "normal"},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        font={"color": "#1f1f1f", "size": 13},
        dragmode=False,
        hoverlabel={"bgcolor": "#ffffff", "font": {"color": "#1f1f1f"}},
    )
    return figura


def descripcion_grafica(resultado: PresupuestoCapitulos) -> str:
    """Texto alternativo de la gráfica: qué muestra y dónde están los números."""
    if resultado.solo_aprobado:
        return (
            f"Barras horizontales con el presupuesto aprobado de cada capítulo en "
            f"{resultado.anio}. Los montos exactos están en la tabla."
        )
    etapa = nombre_etapa(resultado).lower()
    return (
        f"Barras horizontales de cada capítulo en {resultado.anio}: aprobado (barra lisa) y "
        f"{etapa} (barra rayada). Los montos exactos están en la tabla."
    )


def tabla_capitulos(resultado: PresupuestoCapitulos, id_: str, titulo: str) -> html.Div:
    """Tabla por capítulo con el total al pie (encabezados con ``scope``).

    Columnas: capítulo, aprobado y, si hay ejercicio publicado, devengado (o ejercido),
    devengado / aprobado y parte del total devengado; si no, parte del total aprobado.
    """
    etapa = nombre_etapa(resultado)
    if resultado.solo_aprobado:
        columnas = [
            ("Aprobado", "aprobado", pesos),
            ("Parte del total aprobado", "participacion_aprobado", porcentaje),
        ]
    else:
        columnas = [
            ("Aprobado", "aprobado", pesos),
            (etapa, "ejercido", pesos),
            (f"{etapa} / aprobado", "proporcion_ejercida", porcentaje),
            (f"Parte del total {etapa.lower()}", "participacion_ejercido", porcentaje),
        ]
    filas = []
    for fila in resultado.capitulos.to_dict("records"):
        filas.append(
            html.Tr(
                [
                    html.Th(fila["concepto"], scope="row"),
                    *[
                        html.Td(formato(fila[c]), className="numero", **{"data-etiqueta": nombre})
                        for nombre, c, formato in columnas
                    ],
                ]
            )
        )
    total = {
        "aprobado": resultado.aprobado,
        "ejercido": resultado.ejercido,
        "proporcion_ejercida": resultado.proporcion_ejercida,
        "participacion_aprobado": None if es_nulo(resultado.aprobado) else 1.0,
        "participacion_ejercido": None if es_nulo(resultado.ejercido) else 1.0,
    }
    nombre_total = "Total" if resultado.total_publicado else "Total (suma de los capítulos)"
    pie = html.Tr(
        [
            html.Th(nombre_total, scope="row"),
            *[
                html.Td(formato(total[c]), className="numero", **{"data-etiqueta": nombre})
                for nombre, c, formato in columnas
            ],
        ]
    )
    return html.Div(
        html.Table(
            [
                html.Caption(titulo),
                html.Thead(
                    html.Tr(
                        [
                            html.Th("Capítulo", scope="col"),
                            *[
                                html.Th(nombre, scope="col", className="numero")
                                for nombre, _, _ in columnas
                            ],
                        ]
                    )
                ),
                html.Tbody(filas),
                html.Tfoot(pie),
            ]
        ),
        id=id_,
        className="perfil-tabla perfil-tabla--apilada presupuesto-tabla",
        tabIndex="0",
        role="region",
        **{"aria-label": titulo},
    )


def nota_total(resultado: PresupuestoCapitulos) -> html.P | None:
    """Si el total publicado no es la suma de los capítulos, lo dice (diferencia > $1)."""
    if not resultado.total_publicado:
        return html.P(
            "No se publicó el total: es la suma de los capítulos.",
            className="indicador__nota",
        )
    diferencias = [
        (nombre, publicado, suma)
        for nombre, publicado, suma in (
            ("aprobado", resultado.aprobado, resultado.suma_aprobado),
            (nombre_etapa(resultado).lower(), resultado.ejercido, resultado.suma_ejercido),
        )
        if not es_nulo(publicado) and not es_nulo(suma) and abs(publicado - suma) > 1
    ]
    if not diferencias:
        return None
    partes = [
        f"{nombre}: total publicado {pesos(publicado)}, suma de los capítulos {pesos(suma)}"
        for nombre, publicado, suma in diferencias
    ]
    return html.P(
        "El total publicado no es igual a la suma de los capítulos (" + "; ".join(partes) + ").",
        className="indicador__nota",
    )


def cita(resultado: PresupuestoCapitulos) -> html.P:
    """Fuente con su licencia y enlace, y la fecha de corte de las cifras."""
    fuente = FUENTES.get(resultado.fuente or "")
    texto = resultado.cita or SIN_DATO
    hijos: list = ["Fuente: "]
    if fuente and fuente.url:
        hijos.append(html.A(texto, href=fuente.url))
    else:
        hijos.append(texto)
    hijos.append(f". Fecha de corte: {fecha_larga(resultado.fecha_corte)}.")
    return html.P(hijos, className="indicador__nota presupuesto-fuente")


def contenido(
    resultado: PresupuestoCapitulos,
    id_prefijo: str,
    zona: str,
    enlace_descarga: str,
    aviso: html.P | None = None,
) -> list:
    """Todo lo que cambia con el ejercicio: cifras, frase, gráfica, tabla, fuente y descarga.

    Parameters
    ----------
    resultado
        :func:`capas.capitulos_presupuesto` del año y la zona.
    id_prefijo
        Prefijo de los ``id`` (``"inicio-presupuesto"``, ``"municipio-presupuesto"``).
    zona
        ``"del estado"`` o ``"del municipio"`` (para los títulos).
    enlace_descarga
        Dirección de ``/descargas/presupuesto.csv`` con los filtros del año y la zona.
    aviso
        :func:`aviso_pedido`, si la URL pidió un ejercicio que no hay.
    """
    titulo = f"Presupuesto {zona} por capítulo del gasto, {resultado.anio}"
    hijos: list = [aviso] if aviso is not None else []
    hijos += [
        cifras(resultado, id_prefijo),
        html.P(frase_resumen(resultado), id=f"{id_prefijo}-frase"),
    ]
    if resultado.solo_aprobado:
        hijos.append(
            html.P(
                f"{resultado.aviso.capitalize()}. Los montos son lo que se planeó gastar, no "
                "lo gastado.",
                className="aviso-municipio",
                id=f"{id_prefijo}-aviso-aprobado",
            )
        )
    if len(resultado.capitulos):
        hijos.append(
            html.Figure(
                [
                    html.Div(
                        dcc.Graph(
                            id=f"{id_prefijo}-grafica",
                            figure=grafica_capitulos(resultado),
                            config=CONFIGURACION_GRAFICA,
                        ),
                        role="img",
                        **{"aria-label": descripcion_grafica(resultado)},
                    ),
                    html.Figcaption(descripcion_grafica(resultado)),
                ],
                className="perfil-figura",
            )
        )
        hijos.append(tabla_capitulos(resultado, f"{id_prefijo}-tabla", titulo))
    else:
        hijos.append(html.P("No se publicaron capítulos del gasto para este ejercicio."))
    nota = nota_total(resultado)
    if nota is not None:
        hijos.append(nota)
    hijos += [
        cita(resultado),
        html.P(
            html.A(
                "Descargar (CSV) las líneas de presupuesto de este ejercicio",
                href=enlace_descarga,
                id=f"{id_prefijo}-descarga",
            ),
            className="inicio-descarga",
        ),
    ]
    return hijos
