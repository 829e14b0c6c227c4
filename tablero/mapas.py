"""Figuras de mapa (MapLibre vía Plotly) que comparten todas las páginas.

- La geometría municipal se manda **una sola vez** (en la figura inicial de la página); al
  cambiar un filtro las páginas devuelven un ``dash.Patch`` con valores, no con formas.
- Lo que no cambia en una versión (geometría, ubicaciones, *layout*) se arma como diccionario
  plano (sin los validadores de ``plotly.graph_objects``) y se serializa **una vez por
  versión** con orjson (:func:`fragmentos_figura`); cada petición solo suma los valores.
- Las teselas del mapa base vienen de una fuente configurable (``SIGUE_TESELAS``: plantilla
  ``https://.../{z}/{x}/{y}.png``, y ``SIGUE_TESELAS_ATRIBUCION``). Sin ella el mapa usa un
  fondo blanco y sigue mostrando municipios, puntos y leyendas: no necesita internet.
"""

from __future__ import annotations

import functools
import json
import os
from html import escape as html_escape

import dash
import numpy as np
import plotly.io as pio
import shapely

from capas.config import COLOR_BORDE, LUCES, PALETA
from capas.lectura import DatosVersion
from tablero.json_rapido import fragmento

#: Decimales de las coordenadas de los municipios en los mapas (4 decimales ≈ 11 m): la
#: geometría simplificada del almacén trae 5 (≈ 1 m), que en pantalla no se distinguen y pesan
#: un tercio más en la base del mapa de la portada (brotli).
DECIMALES_TABLERO = 4

#: Centro y acercamiento iniciales para la entidad (se ajustan a la extensión de los datos).
ACERCAMIENTO_ESTADO = 6.1
ALTO_MAPA = 460

#: Escala secuencial apta para daltonismo (viridis: morado oscuro, verde azulado, amarillo)
#: para valores continuos. No usa gris en ningún tramo: el gris claro (``PALETA["gris"]``)
#: queda solo para «sin dato». (Cividis pasaba por un gris medio que se leía como sin dato.)
ESCALA_CONTINUA = "Viridis"

#: Configuración de ``dcc.Graph`` para los mapas: botones en español, sin el logotipo.
CONFIGURACION_MAPA = {
    "displaylogo": False,
    "locale": "es",
    "locales": {
        "es": {
            "dictionary": {
                "Reset view": "Volver a la vista inicial",
                "Zoom in": "Acercar",
                "Zoom out": "Alejar",
                "Pan": "Mover",
                "Download plot as a png": "Descargar como imagen PNG",
                "Download plot": "Descargar imagen",
                "Reset axes": "Volver a la vista inicial",
                "Autoscale": "Ajustar",
                "Toggle show closest data on hover": "Mostrar el dato más cercano",
            }
        }
    },
    # Sin «Share chart...» (Plotly 6 sube la gráfica a Plotly Cloud: en inglés y fuera del
    # sitio), sin imagen ni selección: quedan mover, acercar, alejar y volver (en español).
    "modeBarButtonsToRemove": [
        "toImage",
        "select2d",
        "lasso2d",
        "sendChartToCloud",
        "sendDataToCloud",
        "editInChartStudio",
    ],
}


def fragmentos_figura(figura: dict) -> dict:
    """Una figura en dict plano con cada propiedad de sus trazas y el *layout* ya serializados.

    Se guarda una vez por versión (``datos.memo``): al responder, orjson copia los bytes sin
    volver a recorrer la geometría. Las páginas suman a ``data[i]`` las propiedades que
    cambian (``{**traza, "z": ...}``), que sí se serializan en cada respuesta.
    """
    return {
        "data": [{clave: fragmento(v) for clave, v in traza.items()} for traza in figura["data"]],
        "layout": fragmento(figura["layout"]),
    }


@functools.cache
def plantilla() -> dict:
    """La plantilla de Plotly por omisión como dict (la que ``go.Figure`` pone en el layout).

    Se arma una vez por proceso (cuesta ~2 ms) y se comparte: **no se modifica**.
    """
    return pio.templates[pio.templates.default].to_plotly_json()


def texto_seguro(valor) -> str:
    """Un dato (nombre, dirección...) escapado para las etiquetas de Plotly.

    Plotly interpreta algunas etiquetas (``<a>``, ``<b>``, ``<span>``) en los textos de las
    trazas: un nombre publicado con marcas se mostraría como marcas. Escapado se ve tal cual.
    """
    return html_escape("" if valor is None else str(valor), quote=False)


def estilo_mapa(centro: dict, zoom: float) -> dict:
    """Propiedades ``layout.map``: fondo blanco más teselas si ``SIGUE_TESELAS`` existe."""
    estilo: dict = {"style": "white-bg", "center": centro, "zoom": zoom}
    teselas = os.environ.get("SIGUE_TESELAS")
    if teselas:
        estilo["layers"] = [
            {
                "below": "traces",
                "sourcetype": "raster",
                "sourceattribution": os.environ.get("SIGUE_TESELAS_ATRIBUCION", ""),
                "source": [teselas],
            }
        ]
    return estilo


def centro_de(limites: tuple[float, float, float, float]) -> dict:
    """Centro ``{lat, lon}`` de unos límites ``(oeste, sur, este, norte)``."""
    oeste, sur, este, norte = limites
    return {"lat": (sur + norte) / 2, "lon": (oeste + este) / 2}


def geojson_municipios(datos: DatosVersion) -> dict:
    """GeoJSON de los municipios simplificados (solo la propiedad ``cvegeo``), una vez por versión."""
    return datos.memo(("mapas", "geojson_municipios"), lambda: _geojson(datos))


def limites_municipios(datos: DatosVersion) -> tuple[float, float, float, float]:
    """Límites ``(oeste, sur, este, norte)`` de los municipios de la versión."""
    return datos.memo(("mapas", "limites_municipios"), lambda: _limites(datos))


def geojson_entidad(datos: DatosVersion, tolerancia: float = 0.005) -> dict | None:
    """Contorno de la entidad (unión de sus municipios, simplificada), una vez por versión.

    Pesa unos 13 kB con la tolerancia por omisión (grados): sirve de referencia en los mapas
    de puntos sin teselas. ``None`` si la versión no tiene municipios.
    """
    return datos.memo(("mapas", "entidad", tolerancia), lambda: _entidad(datos, tolerancia))


def _geojson(datos: DatosVersion) -> dict:
    return geojson_de(datos.tabla("municipios"))


def geojson_de(capa, decimales: int = DECIMALES_TABLERO) -> dict:
    """GeoJSON (``FeatureCollection`` con solo ``cvegeo``) de una capa de municipios, con las
    coordenadas redondeadas a ``decimales``.

    ``shapely.set_precision`` lleva cada vértice a la rejilla de ``10**-decimales`` grados y
    deja polígonos válidos (si al redondear un anillo se tocara a sí mismo, lo corrige). Los
    vértices que comparten dos vecinos caen en el mismo punto de la rejilla: sin huecos ni
    traslapes nuevos entre municipios.
    """
    geometrias = shapely.set_precision(capa.geometry.values, 10**-decimales)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"cvegeo": str(clave)},
                "geometry": json.loads(shapely.to_geojson(geometria)),
            }
            for clave, geometria in zip(capa["cvegeo"], geometrias, strict=True)
        ],
    }


def _entidad(datos: DatosVersion, tolerancia: float) -> dict | None:
    capa = datos.tabla("municipios")
    if "geometry" not in capa or not len(capa):
        return None
    contorno = shapely.union_all(capa.geometry.values).simplify(tolerancia)
    contorno = shapely.set_precision(contorno, 1e-4)
    return {
        "type": "Feature",
        "properties": {},
        "geometry": json.loads(shapely.to_geojson(contorno)),
    }


def _limites(datos: DatosVersion) -> tuple[float, float, float, float]:
    capa = datos.tabla("municipios")
    return tuple(float(v) for v in capa.total_bounds)


def coropletas_base(
    geojson: dict,
    claves: list[str],
    nombres: list[str],
    *,
    centro: dict,
    zoom: float = ACERCAMIENTO_ESTADO,
    capas_fondo: list[dict] | None = None,
) -> dict:
    """Mapa de coropletas por municipio **sin valores**, como dict plano de Plotly.

    Es lo que no cambia en una versión: geometría, ubicaciones (``claves``, ``cvegeo``),
    nombres (``customdata``, para la etiqueta) y *layout* (con la plantilla de Plotly, igual
    que ``go.Figure``). Los valores (:func:`propiedades_valores` más el texto de cada
    municipio) se suman a ``data[0]``. ``capas_fondo`` son capas de MapLibre que van debajo
    de los municipios (después de las teselas, si hay).
    """
    traza = {
        "type": "choroplethmap",
        "geojson": geojson,
        "featureidkey": "properties.cvegeo",
        "locations": list(claves),
        "customdata": list(nombres),
        "marker": {"line": {"width": 0.4, "color": "#555555"}},
    }
    estilo = estilo_mapa(centro, zoom)
    if capas_fondo:
        estilo["layers"] = [*estilo.get("layers", []), *capas_fondo]
    layout = {
        "template": plantilla(),
        "map": estilo,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "height": ALTO_MAPA,
        "uirevision": "mapa",
        "dragmode": False,
    }
    return {"data": [traza], "layout": layout}


def propiedades_valores(
    valores: list,
    categorias: list[str] | None,
    titulo_escala: str,
    formato_escala: str | None = None,
) -> dict:
    """``z``, escala de color y barra de color de una traza de coropletas.

    Es lo único que cambia cuando el usuario elige otro indicador o ciclo: las páginas lo
    mandan en un ``Patch`` sobre ``data[0]``.
    """
    if categorias is not None:
        posicion = {luz: i for i, luz in enumerate(LUCES)}
        z = [posicion.get(v, posicion["gris"]) for v in valores]
        n = len(LUCES)
        escala = []
        for i, luz in enumerate(LUCES):
            escala += [[i / n, PALETA[luz].color], [(i + 1) / n, PALETA[luz].color]]
        return {
            "z": z,
            "zmin": -0.5,
            "zmax": n - 0.5,
            "colorscale": escala,
            "colorbar": {
                "title": {"text": titulo_escala},
                "tickvals": list(range(n)),
                "ticktext": [
                    f"{PALETA[luz].icono} {etiqueta}"
                    for luz, etiqueta in zip(LUCES, categorias, strict=True)
                ],
                "outlinecolor": COLOR_BORDE,
            },
            "showscale": True,
        }
    numeros = np.array([np.nan if v is None else v for v in valores], dtype=float)
    finitos = numeros[np.isfinite(numeros)]
    return {
        "z": [None if not np.isfinite(v) else float(v) for v in numeros],
        "zmin": float(finitos.min()) if len(finitos) else 0,
        "zmax": float(finitos.max()) if len(finitos) else 1,
        "colorscale": ESCALA_CONTINUA,
        "colorbar": {
            "title": {"text": titulo_escala},
            "tickformat": formato_escala or "",
            "outlinecolor": COLOR_BORDE,
        },
        "showscale": True,
    }


def figura_puntos_plana(
    latitudes: list[float],
    longitudes: list[float],
    colores: list[str],
    textos: list[str],
    *,
    centro: dict,
    zoom: float,
    ids: list[str] | None = None,
    leyenda: list[tuple[str, str]] | None = None,
    contorno: dict | None = None,
    tamano: int = 10,
    borde: bool = False,
) -> dict:
    """Mapa de puntos (escuelas, obras, cajones) con leyenda propia y contorno opcional.

    Un diccionario plano (``{"data": [...], "layout": {...}}``), sin los objetos validados de
    Plotly: validar decenas de miles de valores costaba segundos; ``dcc.Graph`` lo recibe
    igual.

    ``leyenda`` es una lista ``(color, texto)``: se dibuja como trazas vacías para que la
    leyenda muestre el significado de cada color con su texto (nunca solo el color).
    ``contorno`` es un GeoJSON que se dibuja como líneas (p. ej. el municipio).
    ``tamano`` es el diámetro de los puntos en px. Con ``borde`` cada punto lleva un borde
    oscuro (``COLOR_BORDE``: contraste 3:1 también para el amarillo y el gris claros sobre
    fondo blanco); es una traza de puntos más grandes debajo, así que los puntos pasan a
    ser la segunda traza (``data[1]``, ver :func:`parche_puntos`).
    """
    trazas = []
    if borde:
        trazas.append(
            {
                "type": "scattermap",
                "lat": latitudes,
                "lon": longitudes,
                "mode": "markers",
                "marker": {"size": tamano + 3, "color": COLOR_BORDE},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    puntos = {
        "type": "scattermap",
        "lat": latitudes,
        "lon": longitudes,
        "mode": "markers",
        "marker": {"size": tamano, "color": colores},
        "text": textos,
        "hovertemplate": "%{text}<extra></extra>",
        "showlegend": False,
    }
    if ids is not None:
        puntos["customdata"] = ids
    trazas.append(puntos)
    trazas += [traza_leyenda(color, texto) for color, texto in leyenda or []]
    estilo = estilo_mapa(centro, zoom)
    if contorno:
        # después de las teselas (si las hay): la línea queda encima del mapa base
        capa = {
            "sourcetype": "geojson",
            "source": contorno,
            "type": "line",
            "color": "#444444",
            "line": {"width": 1},
            "below": "traces",
        }
        estilo["layers"] = [*estilo.get("layers", []), capa]
    return {
        "data": trazas,
        "layout": {
            "map": estilo,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "height": ALTO_MAPA,
            "uirevision": "mapa",
            "legend": {
                "orientation": "h",
                "y": 0,
                "yanchor": "top",
                "bgcolor": "rgba(255,255,255,0.9)",
            },
        },
    }


def traza_leyenda(color: str, texto: str, tamano: int = 12, **otras) -> dict:
    """Traza vacía que solo pone en la leyenda un color con su texto."""
    return {
        "type": "scattermap",
        "lat": [None],
        "lon": [None],
        "mode": "markers",
        "marker": {"size": tamano, "color": color},
        "name": texto,
        **otras,
    }


def parche_puntos(
    latitudes: list[float],
    longitudes: list[float],
    colores: list[str],
    textos: list[str],
    *,
    ids: list[str] | None = None,
    traza: int = 0,
    borde: int | None = None,
    parche: dash.Patch | None = None,
) -> dash.Patch:
    """``Patch`` que cambia solo los arreglos de los puntos de :func:`figura_puntos_plana`.

    Al cambiar un filtro se mandan valores, no la figura. ``traza`` es el índice de la traza
    de los puntos y ``borde`` el de su borde (``figura_puntos_plana(..., borde=True)``: 1 y 0).
    ``parche`` permite sumar otros cambios al mismo ``Patch``.
    """
    parche = dash.Patch() if parche is None else parche
    if borde is not None:
        parche["data"][borde]["lat"] = latitudes
        parche["data"][borde]["lon"] = longitudes
    puntos = parche["data"][traza]
    puntos["lat"] = latitudes
    puntos["lon"] = longitudes
    puntos["marker"]["color"] = colores
    puntos["text"] = textos
    puntos["customdata"] = ids
    return parche


def encuadre(
    limites: tuple[float, float, float, float],
    *,
    ancho: int = 640,
    alto: int = ALTO_MAPA,
    minimo: float = 4.0,
    maximo: float = 16.0,
) -> tuple[dict, float]:
    """Centro y acercamiento (``zoom``) para ver ``(oeste, sur, este, norte)`` en un mapa.

    ``ancho`` y ``alto`` son los px del mapa (el ancho por omisión cabe en un teléfono
    horizontal y en una columna de escritorio).
    """
    oeste, sur, este, norte = limites
    centro = centro_de(limites)
    # Un mundo de 512 px en el acercamiento 0 (MapLibre); en Mercator un grado de latitud
    # ocupa 1 / cos(latitud) veces lo que un grado de longitud.
    zooms = []
    if este - oeste > 0:
        zooms.append(np.log2(ancho * 360 / (512 * (este - oeste))))
    if norte - sur > 0:
        coseno = np.cos(np.radians(centro["lat"]))
        zooms.append(np.log2(alto * 360 * coseno / (512 * (norte - sur))))
    zoom = min(zooms) - 0.2 if zooms else maximo
    return centro, float(np.clip(zoom, minimo, maximo))


def contorno_municipio(datos: DatosVersion, cvegeo: str | None) -> dict | None:
    """El municipio ``cvegeo`` como ``Feature`` de GeoJSON (de :func:`geojson_municipios`).

    ``None`` si no se pide ninguno, si no existe o si la versión no tiene municipios.
    """
    if not cvegeo or not datos.version.tiene("municipios"):
        return None
    for rasgo in geojson_municipios(datos)["features"]:
        if rasgo["properties"].get("cvegeo") == cvegeo:
            return rasgo
    return None


def lineas_de(geojson: dict | None, decimales: int = 4) -> tuple[list, list, tuple | None]:
    """Anillos de un polígono GeoJSON como ``(latitudes, longitudes, límites)``.

    Los anillos van separados por ``None`` (así se dibujan como líneas en una traza
    ``Scattermap``); los límites son ``(oeste, sur, este, norte)`` o ``None`` si no hay.
    """
    geometria = (geojson or {}).get("geometry", geojson) or {}
    tipo = geometria.get("type")
    if tipo == "Polygon":
        poligonos = [geometria["coordinates"]]
    elif tipo == "MultiPolygon":
        poligonos = geometria["coordinates"]
    else:
        return [], [], None
    latitudes: list = []
    longitudes: list = []
    for poligono in poligonos:
        for anillo in poligono:
            longitudes += [round(x, decimales) for x, _ in anillo] + [None]
            latitudes += [round(y, decimales) for _, y in anillo] + [None]
    lon = [v for v in longitudes if v is not None]
    lat = [v for v in latitudes if v is not None]
    limites = (min(lon), min(lat), max(lon), max(lat)) if lon else None
    return latitudes, longitudes, limites
