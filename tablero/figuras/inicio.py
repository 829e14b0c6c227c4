"""Figuras y piezas de la página de inicio: mapa de municipios, cifras de la entidad y tabla.

Funciones puras: reciben tablas ya armadas por :mod:`capas` (``tabla_municipios`` de un ciclo,
``tabla_estado``) y devuelven figuras, ``Patch`` o componentes. No leen el almacén.

El mapa tiene una parte fija por versión (:func:`mapa_base`: geometría, ubicaciones, nombres y
*layout*, en dict plano, que la página serializa una sola vez) y los valores del indicador y
del ciclo (:func:`propiedades_mapa`): la primera vez van juntos (:func:`figura_mapa`); al
cambiar de indicador o de ciclo la página manda solo :func:`parche_mapa` (valores, colores,
barra de color y textos).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from dash import Patch, html

from capas.config import ETIQUETAS_COBERTURA, ETIQUETAS_GASTO, LUCES, PALETA, UMBRALES
from tablero import glosario, tablas
from tablero.componentes import semaforo
from tablero.formato import SIN_DATO, de_cada, entero, fecha_larga, pesos, porcentaje
from tablero.mapas import ALTO_MAPA, coropletas_base, propiedades_valores


@dataclass(frozen=True)
class Indicador:
    """Un indicador que se puede pintar en el mapa de municipios.

    Attributes
    ----------
    clave
        Columna de la capa ``municipios`` (la misma de la descarga CSV) y valor en la URL.
    nombre
        Nombre en el selector, en la etiqueta del mapa y en la tabla.
    titulo_escala
        Título corto de la barra de color.
    descripcion
        Qué mide, en una frase (va en el pie del mapa).
    tipo
        ``"fraccion"``, ``"pesos"``, ``"conteo"`` o ``"semaforo"``.
    etiquetas
        Solo semáforos: texto de cada luz, en el orden de :data:`capas.config.LUCES`.
    columna_etiqueta
        Solo semáforos: columna con el texto de la luz de cada municipio.
    """

    clave: str
    nombre: str
    titulo_escala: str
    descripcion: str
    tipo: str
    etiquetas: tuple[str, ...] | None = None
    columna_etiqueta: str | None = None


def _etiquetas_cobertura() -> tuple[str, ...]:
    verde = porcentaje(UMBRALES.cobertura_verde, 0)
    amarillo = porcentaje(UMBRALES.cobertura_amarillo, 0)
    return (
        f"{ETIQUETAS_COBERTURA['verde']} ({verde} o más)",
        f"{ETIQUETAS_COBERTURA['amarillo']} ({amarillo} a {verde})",
        f"{ETIQUETAS_COBERTURA['rojo']} (menos de {amarillo})",
        ETIQUETAS_COBERTURA["gris"],
    )


#: Indicadores del mapa, en el orden del selector. La clave es la columna de la descarga.
INDICADORES: dict[str, Indicador] = {
    indicador.clave: indicador
    for indicador in (
        Indicador(
            "cobertura",
            "Cobertura del programa de uniformes y útiles",
            "Cobertura",
            "Alumnos que recibieron uniformes o útiles de cada 100 inscritos en escuelas públicas "
            "de educación básica del municipio.",
            "fraccion",
        ),
        Indicador(
            "semaforo_cobertura",
            "Semáforo de cobertura",
            "Cobertura",
            "Semáforo de la cobertura del programa en el municipio.",
            "semaforo",
            _etiquetas_cobertura(),
            "etiqueta_cobertura",
        ),
        Indicador(
            "semaforo_gasto",
            "Semáforo del gasto del programa",
            "Gasto",
            "Avance del gasto del programa de uniformes y útiles frente a lo esperado a la fecha "
            "de corte.",
            "semaforo",
            (
                ETIQUETAS_GASTO["en_tiempo"],
                ETIQUETAS_GASTO["con_rezago"],
                f"{ETIQUETAS_GASTO['rezago_grave']} o {ETIQUETAS_GASTO['sobregiro']}",
                ETIQUETAS_GASTO["sin_dato"],
            ),
            "etiqueta_gasto",
        ),
        Indicador(
            "presupuesto_ejercido",
            "Presupuesto ejercido del programa",
            "Ejercido",
            "Pesos ejercidos del programa de uniformes y útiles en el municipio.",
            "pesos",
        ),
        Indicador(
            "obras_monto_aprobado",
            "Monto aprobado de obra pública",
            "Obras",
            "Pesos aprobados para las obras públicas del municipio (federales, estatales y "
            "municipales) en su último reporte del año.",
            "pesos",
        ),
        Indicador(
            "obras_con_alerta",
            "Obras con alguna alerta",
            "Con alerta",
            "Obras públicas del municipio con al menos una alerta, grave (pago sin avance, "
            "sobrecosto, vencida) o leve (p. ej. sin georreferencia).",
            "conteo",
        ),
    )
}

#: Indicador que se muestra si la URL no pide otro.
INDICADOR_INICIAL = "cobertura"


def ciclo(anio: int) -> str:
    """``2025`` -> ``"2025-2026"`` (el ciclo escolar que empieza ese año)."""
    return f"{int(anio)}-{int(anio) + 1}"


def opciones_indicador() -> list[dict]:
    """Opciones del selector de indicador."""
    return [{"label": ind.nombre, "value": ind.clave} for ind in INDICADORES.values()]


def opciones_anio(anios: list[int]) -> list[dict]:
    """Opciones del selector de ciclo, el más reciente primero."""
    return [
        {"label": f"Ciclo {ciclo(anio)} (ejercicio {anio})", "value": int(anio)}
        for anio in sorted(anios, reverse=True)
    ]


def anio_inicial(estado: pd.DataFrame, pedido=None) -> int | None:
    """Ciclo a mostrar: el pedido si existe; si no, el más reciente con cobertura.

    ``estado`` es :func:`capas.tabla_estado` sin filtro de año (una fila por ciclo). Sin
    ciclos con cobertura, el más reciente con algún dato; sin ciclos, ``None``.
    """
    anios = [int(a) for a in estado["anio"]]
    try:
        if int(pedido) in anios:
            return int(pedido)
    except (TypeError, ValueError):
        pass
    con_cobertura = estado.loc[estado["cobertura"].notna(), "anio"]
    if len(con_cobertura):
        return int(con_cobertura.max())
    return max(anios) if anios else None


def indicador_valido(pedido) -> str:
    """La clave pedida si es un indicador del mapa; si no, :data:`INDICADOR_INICIAL`."""
    return pedido if pedido in INDICADORES else INDICADOR_INICIAL


# --- mapa -----------------------------------------------------------------------------------


def texto_valor(indicador: Indicador, valor) -> str:
    """Un valor del indicador como se lee en pantalla (``"87.3 %"``, ``"$1,234"``, ``"3"``)."""
    if indicador.tipo == "fraccion":
        return porcentaje(valor)
    if indicador.tipo == "pesos":
        return pesos(valor)
    if indicador.tipo == "conteo":
        return entero(valor)
    raise ValueError(f"texto_valor: el indicador {indicador.clave!r} es un semáforo")


def propiedades_mapa(tabla: pd.DataFrame, clave: str) -> dict:
    """Lo que cambia en ``data[0]`` del mapa con el indicador y el ciclo.

    ``z``, escala y barra de color (:func:`tablero.mapas.propiedades_valores`), el texto de
    cada municipio (en el orden de ``tabla``) y la plantilla de la etiqueta.

    Parameters
    ----------
    tabla
        :func:`capas.tabla_municipios` de un ciclo (una fila por municipio).
    clave
        Clave de :data:`INDICADORES`.
    """
    indicador = INDICADORES[clave]
    if indicador.tipo == "semaforo":
        luces = [luz if luz in PALETA else "gris" for luz in tabla[clave].fillna("gris")]
        propiedades = propiedades_valores(luces, list(indicador.etiquetas), indicador.titulo_escala)
        # Solo iconos bajo el mapa (caben en el teléfono); el texto va en :func:`leyenda_mapa`.
        propiedades["colorbar"]["ticktext"] = [PALETA[luz].icono for luz in LUCES]
        etiquetas = tabla[indicador.columna_etiqueta].fillna(SIN_DATO)
        textos = [
            f"{PALETA[luz].icono} {texto}" for luz, texto in zip(luces, etiquetas, strict=True)
        ]
    else:
        valores = [None if pd.isna(v) else float(v) for v in tabla[clave]]
        formato_escala = {"fraccion": ".0%", "pesos": "~s", "conteo": "d"}[indicador.tipo]
        propiedades = propiedades_valores(
            valores, None, indicador.titulo_escala, formato_escala=formato_escala
        )
        if indicador.tipo == "pesos":
            propiedades["colorbar"]["tickprefix"] = "$"
        textos = [texto_valor(indicador, v) for v in valores]
    # Mezcla a un nivel más: ``title`` conserva su texto y gana ``side``. (Con ``update``
    # simple el título perdía el texto: el mapa y cada ``Patch`` quedaban sin título.)
    barra = propiedades["colorbar"]
    titulo = {**barra.get("title", {}), **_BARRA_DE_COLOR["title"]}
    barra.update(_BARRA_DE_COLOR)
    barra["title"] = titulo
    propiedades["text"] = textos
    propiedades["hovertemplate"] = (
        f"<b>%{{customdata}}</b><br>{indicador.nombre}: %{{text}}<extra></extra>"
    )
    return propiedades


#: Alto (px) del margen inferior del mapa, donde va la barra de color.
MARGEN_BARRA = 70

#: Barra de color horizontal bajo el mapa (en su margen): no le quita ancho al mapa en el
#: teléfono ni tapa municipios.
_BARRA_DE_COLOR = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": 0,
    "yanchor": "top",
    "ypad": 6,
    "len": 1,
    "thickness": 14,
    "title": {"side": "top"},
}


def mapa_base(
    municipios: pd.DataFrame, geojson: dict, centro: dict, contorno=None, sin_dato: bool = False
) -> dict:
    """Mapa de coropletas de los municipios sin valores (dict plano): lo fijo de una versión.

    ``municipios`` es ``datos.municipios`` (``cvegeo`` y ``municipio`` en el orden de
    :func:`capas.tabla_municipios`): las ubicaciones y el nombre de cada municipio
    (``customdata``, no cambia con el indicador). ``contorno`` (la entidad,
    :func:`tablero.mapas.geojson_entidad`) se pinta debajo en el gris de «sin dato»: un
    municipio sin valor (que Plotly no dibuja) se ve gris, no vacío.

    Con ``sin_dato`` (el mapa de las entidades del modo nacional) va primero una traza gris
    con todas las formas, debajo de la de valores (que queda última): una entidad sin dato
    se dibuja gris, dice «sin dato» y se puede tocar para bajar a sus municipios. No cambia
    con el indicador (el ``Patch`` solo toca la última traza).
    """
    fondo = None
    if contorno:
        fondo = [
            {
                "sourcetype": "geojson",
                "source": contorno,
                "type": "fill",
                "color": PALETA["gris"].color,
                "below": "traces",
            }
        ]
    figura = coropletas_base(
        geojson,
        list(municipios["cvegeo"]),
        list(municipios["municipio"].fillna("")),
        centro=centro,
        capas_fondo=fondo,
    )
    if sin_dato:
        traza = figura["data"][0]
        gris = {
            **traza,
            "z": [0] * len(traza["locations"]),
            "zmin": 0,
            "zmax": 1,
            "colorscale": [[0, PALETA["gris"].color], [1, PALETA["gris"].color]],
            "showscale": False,
            "hovertemplate": f"<b>%{{customdata}}</b><br>{SIN_DATO.capitalize()}<extra></extra>",
        }
        figura["data"] = [gris, traza]
    figura["layout"]["margin"]["b"] = MARGEN_BARRA
    figura["layout"]["hoverlabel"] = {"bgcolor": "#ffffff", "font": {"color": "#1f1f1f"}}
    return figura


def figura_mapa(base: Mapping, tabla: pd.DataFrame, clave: str) -> dict:
    """La figura entera: :func:`mapa_base` (o sus fragmentos ya serializados) más los valores.

    ``tabla`` es :func:`capas.tabla_municipios` de un ciclo, en el orden de la base.
    """
    traza = {**base["data"][-1], **propiedades_mapa(tabla, clave)}
    return {"data": [*base["data"][:-1], traza], "layout": base["layout"]}


def figura_cargando() -> dict:
    """Figura provisional mientras llega el mapa: sin ejes, del mismo alto, con un aviso.

    Las cifras y la tabla de la página se dibujan sin esperar la geometría (que llega después,
    en su propio callback).
    """
    return {
        "data": [],
        "layout": {
            "height": ALTO_MAPA,
            "margin": {"l": 0, "r": 0, "t": 0, "b": MARGEN_BARRA},
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [
                {
                    "text": "Cargando el mapa…",
                    "showarrow": False,
                    "font": {"size": 16, "color": "#1f1f1f"},
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                }
            ],
        },
    }


def parche_mapa(tabla: pd.DataFrame, clave: str, traza: int = 0) -> Patch:
    """``Patch`` de ``data[traza]`` (la de valores: 1 con la traza gris de :func:`mapa_base`)
    con :func:`propiedades_mapa` (sin geometría ni ubicaciones)."""
    parche = Patch()
    for propiedad, valor in propiedades_mapa(tabla, clave).items():
        parche["data"][traza][propiedad] = valor
    return parche


def leyenda_mapa(clave: str) -> html.Ul:
    """Leyenda del mapa en texto: cada luz del semáforo con su icono, color y significado.

    Para los indicadores continuos (la barra de color da la escala) dice qué es el gris.
    """
    indicador = INDICADORES[clave]
    if indicador.tipo == "semaforo":
        luces = zip(LUCES, indicador.etiquetas, strict=True)
    else:
        luces = [("gris", "sin dato")]
    return html.Ul(
        [html.Li(semaforo(luz, etiqueta)) for luz, etiqueta in luces],
        className="inicio-leyenda",
        **{"aria-label": f"Leyenda del mapa: {indicador.nombre}"},
    )


def pie_mapa(tabla: pd.DataFrame, clave: str, anio: int) -> str:
    """Descripción del mapa en palabras: qué muestra, de qué ciclo y cuántos no tienen dato."""
    indicador = INDICADORES[clave]
    if indicador.tipo == "semaforo":
        sin_dato = int((tabla[clave].fillna("gris") == "gris").sum())
    else:
        sin_dato = int(tabla[clave].isna().sum())
    texto = f"{indicador.nombre} por municipio, ciclo {ciclo(anio)}. {indicador.descripcion}"
    if sin_dato:
        muni = "municipio" if sin_dato == 1 else "municipios"
        texto += f" {entero(sin_dato)} {muni} sin dato."
    return texto


# --- cifras de la entidad -------------------------------------------------------------------


def cifras_estado(estado: pd.DataFrame) -> list:
    """Tarjetas de los indicadores 1 (cobertura estatal) y 2 (eficacia presupuestal).

    Parameters
    ----------
    estado
        :func:`capas.tabla_estado` de un ciclo (una fila; vacía si no hay datos).
    """
    if not len(estado):
        return [html.P("Todavía no hay cifras de la entidad para este ciclo.")]
    fila = estado.iloc[0].to_dict()
    return [_tarjeta_cobertura(fila), _tarjeta_gasto(fila)]


def _tarjeta_cobertura(estado: Mapping) -> html.Article:
    cobertura = estado.get("cobertura")
    if pd.isna(cobertura):
        frase = "No hay datos de alumnos atendidos para este ciclo."
    else:
        frase = (
            f"{de_cada(cobertura).capitalize()} alumnos inscritos en escuelas públicas de "
            f"educación básica recibieron uniformes o útiles escolares gratuitos: "
            f"{entero(estado.get('alumnos_atendidos'))} de "
            f"{entero(estado.get('alumnos_inscritos'))}."
        )
    hijos = [
        html.H3("Cobertura estatal", className="indicador__titulo"),
        html.P(porcentaje(cobertura), className="indicador__valor", id="inicio-cobertura-estatal"),
        html.P(
            semaforo(estado.get("semaforo_cobertura"), estado.get("etiqueta_cobertura")),
            className="indicador__semaforo",
        ),
        html.P(frase),
    ]
    if bool(estado.get("cobertura_excedida")):
        hijos.append(
            html.P(
                "La cobertura pasa de 100 %: más alumnos atendidos que inscritos. Es un problema "
                "de calidad de los datos y se publica tal como se calculó.",
                className="indicador__alerta",
            )
        )
    hijos.append(
        html.P(
            "Indicador 1: alumnos distintos que recibieron un beneficio dividido entre alumnos "
            "inscritos.",
            className="indicador__nota",
        )
    )
    hijos += [glosario.ayuda("cobertura"), glosario.ayuda("semaforo_cobertura")]
    return html.Article(hijos, className="indicador")


def frase_semaforo_gasto(fila: Mapping) -> str:
    """Qué etapas comparó el semáforo del gasto y con qué resultado, en una frase."""
    avance, base = fila.get("etapa_avance"), fila.get("etapa_base")
    if (
        pd.isna(fila.get("avance_gasto"))
        or not isinstance(avance, str)
        or not isinstance(base, str)
    ):
        return "Sin datos suficientes para calcular el semáforo del gasto."
    frase = (
        f"Compara lo {avance} con lo {base}: se ha usado el "
        f"{porcentaje(fila.get('avance_gasto'))} del "
        f"presupuesto {base}"
    )
    esperado = fila.get("esperado_gasto")
    if not pd.isna(esperado):
        frase += f" y a la fecha de corte se esperaba el {porcentaje(esperado)}"
    corte = fila.get("fecha_corte_presupuesto")
    if corte is not None and not pd.isna(corte):
        frase += f" ({fecha_larga(pd.Timestamp(corte).date())})"
    return frase + "."


def frase_sin_eficacia(fila: Mapping) -> str:
    """Por qué no hay eficacia, sin negar los montos que sí se publicaron.

    Con aprobado y sin ejercido: «Se aprobaron $X; todavía no se publica cuánto se ejerció».
    Con ejercido y sin aprobado (o aprobado en cero): lo ejercido y que falta la base.
    Sin ninguno de los dos: «Sin datos de presupuesto del programa…».
    """
    aprobado, ejercido = fila.get("presupuesto_aprobado"), fila.get("presupuesto_ejercido")
    hay_aprobado = aprobado is not None and not pd.isna(aprobado) and float(aprobado) != 0
    hay_ejercido = ejercido is not None and not pd.isna(ejercido)
    if hay_aprobado and not hay_ejercido:
        return (
            f"Se aprobaron {pesos(aprobado)} para el programa; todavía no se ha publicado cuánto "
            "se ejerció, así que no se puede calcular la eficacia."
        )
    if hay_ejercido:
        base = "es cero" if aprobado is not None and not pd.isna(aprobado) else "no se publicó"
        return (
            f"Se han ejercido {pesos(ejercido)} del programa; el presupuesto aprobado {base}, "
            "así que no se puede calcular la eficacia."
        )
    return "Sin datos de presupuesto del programa (aprobado ni ejercido) para este ejercicio."


def frase_eficacia(fila: Mapping) -> str:
    """Indicador 2 en palabras: ejercido / aprobado (y / modificado si hay modificado)."""
    eficacia = fila.get("eficacia")
    if pd.isna(eficacia):
        return frase_sin_eficacia(fila)
    frase = (
        f"Se ha ejercido el {porcentaje(eficacia)} del presupuesto aprobado del programa: "
        f"{pesos(fila.get('presupuesto_ejercido'))} de {pesos(fila.get('presupuesto_aprobado'))}."
    )
    if not pd.isna(fila.get("eficacia_modificado")):
        frase += (
            f" Frente al presupuesto modificado ({pesos(fila.get('presupuesto_modificado'))}) es "
            f"el {porcentaje(fila.get('eficacia_modificado'))}."
        )
    return frase


def _tarjeta_gasto(estado: Mapping) -> html.Article:
    detalle = frase_semaforo_gasto(estado)
    return html.Article(
        [
            html.H3("Eficacia presupuestal", className="indicador__titulo"),
            html.P(
                porcentaje(estado.get("eficacia")),
                className="indicador__valor",
                id="inicio-eficacia-estatal",
            ),
            html.P(
                [
                    "Semáforo del gasto: ",
                    semaforo(
                        estado.get("semaforo_gasto"), estado.get("etiqueta_gasto"), detalle=detalle
                    ),
                ],
                className="indicador__semaforo",
            ),
            html.P(frase_eficacia(estado)),
            html.P(detalle),
            html.P(
                "Indicador 2: presupuesto ejercido dividido entre el presupuesto aprobado del "
                "programa de uniformes y útiles, sumando todas sus líneas en la entidad.",
                className="indicador__nota",
            ),
            glosario.ayuda("eficacia"),
            glosario.ayuda("semaforo_gasto"),
            glosario.ayuda("sobregiro"),
        ],
        className="indicador",
    )


# --- tabla (alternativa al mapa) ------------------------------------------------------------

#: Columnas de la tabla de municipios, después del nombre: claves de :data:`INDICADORES`.
COLUMNAS_TABLA = (
    "cobertura",
    "semaforo_cobertura",
    "presupuesto_ejercido",
    "semaforo_gasto",
    "obras_monto_aprobado",
    "obras_con_alerta",
)

#: Encabezado de cada columna de la tabla.
_ENCABEZADOS = {
    "cobertura": "Cobertura",
    "semaforo_cobertura": "Semáforo de cobertura",
    "presupuesto_ejercido": "Presupuesto ejercido",
    "semaforo_gasto": "Semáforo del gasto",
    "obras_monto_aprobado": "Monto de obras",
    "obras_con_alerta": "Obras con alguna alerta",
}


def filas_tabla(tabla: pd.DataFrame, anio: int, ruta_municipio: str = "/municipio") -> list[dict]:
    """Filas de la tabla de municipios: números como números, semáforos con su texto.

    El nombre es un enlace (Markdown) al perfil del municipio en el ciclo.
    """
    orden_luz = {luz: i for i, luz in enumerate(LUCES)}
    filas = []
    for fila in tabla.to_dict("records"):
        nombre = str(fila["municipio"] or fila["cvegeo"]).replace("[", "(").replace("]", ")")
        salida = {
            "cvegeo": fila["cvegeo"],
            "municipio": f"[{nombre}]({ruta_municipio}?municipio={fila['cvegeo']}&anio={anio})",
        }
        for clave in COLUMNAS_TABLA:
            indicador = INDICADORES[clave]
            valor = fila[clave]
            if indicador.tipo == "semaforo":
                luz = valor if valor in PALETA else "gris"
                etiqueta = fila[indicador.columna_etiqueta] or SIN_DATO
                salida[clave] = orden_luz[luz]  # ordena por luz, de verde a gris
                salida[f"{clave}_luz"] = luz
                salida[f"{clave}_texto"] = f"{PALETA[luz].icono} {etiqueta}"
            else:
                salida[clave] = None if pd.isna(valor) else float(valor)
        filas.append(salida)
    return filas


def columna_semaforo(campo: str, titulo: str, **extra) -> dict:
    """Columna de semáforo para :mod:`tablero.tablas`: color, icono y texto de la luz.

    La fila trae ``<campo>`` (orden de la luz, para ordenar), ``<campo>_luz`` y
    ``<campo>_texto``.
    """
    return {
        "field": campo,
        "headerName": titulo,
        "valueFormatter": {"function": f"params.data.{campo}_texto"},
        "cellClassRules": {
            f"celda-semaforo celda-semaforo--{luz}": f"params.data.{campo}_luz === '{luz}'"
            for luz in LUCES
        },
        **extra,
    }


def columnas_tabla() -> list[dict]:
    """Definición de columnas de la tabla de municipios (formatos de :mod:`tablero.tablas`)."""
    columnas = [
        tablas.texto(
            "municipio",
            "Municipio",
            cellRenderer="markdown",
            minWidth=120,
            valueFormatter=None,
            wrapText=True,
            autoHeight=True,
        )
    ]
    for clave in COLUMNAS_TABLA:
        tipo, titulo = INDICADORES[clave].tipo, _ENCABEZADOS[clave]
        if tipo == "semaforo":
            columnas.append(columna_semaforo(clave, titulo, minWidth=120))
        elif tipo == "fraccion":
            columnas.append(tablas.porcentaje(clave, titulo, minWidth=85))
        elif tipo == "pesos":
            columnas.append(tablas.pesos(clave, titulo, minWidth=140))
        else:
            columnas.append(tablas.entero(clave, titulo, minWidth=100))
    columnas[0].pop("valueFormatter")
    return columnas


def tabla_alternativa(
    id_: str,
    tabla: pd.DataFrame,
    anio: int,
    ruta_municipio: str = "/municipio",
    filas: list[dict] | None = None,
) -> html.Div:
    """Tabla ordenable de todos los municipios con los indicadores del mapa y su enlace.

    ``filas`` son las de :func:`filas_tabla` si ya están hechas (la página las guarda por
    versión y ciclo); si no, se arman aquí.
    """
    contenedor = tablas.tabla(
        id_,
        columnas_tabla(),
        filas if filas is not None else filas_tabla(tabla, anio, ruta_municipio),
        descripcion="Municipios con los indicadores del mapa",
        id_fila="cvegeo",
        columnas_telefono=["municipio", "cobertura", "semaforo_gasto"],
    )
    # Orden alfabético que respeta los acentos (Ánimas Trujano va con la A).
    contenedor.children.dashGridOptions["accentedSort"] = True
    return contenedor


def clave_del_clic(clic: dict | None) -> str | None:
    """``cvegeo`` del municipio tocado en el mapa (``clickData`` de Plotly), o ``None``."""
    puntos = (clic or {}).get("points") or []
    if not puntos:
        return None
    return puntos[0].get("location")
