"""Mapas de puntos con filtros (escuelas, obras, cajones): figura inicial y ``Patch``.

La figura inicial lleva, una sola vez, el contorno de la entidad (capa del mapa) y la leyenda;
al cambiar un filtro el ``Patch`` manda solo los arreglos de los puntos (coordenadas
redondeadas, colores, textos, ids), los nombres de la leyenda (con sus cuentas) y, si cambió
el municipio, su contorno y el encuadre. El navegador ajusta el acercamiento al ancho real
del mapa (``assets/mapas.js``) con los límites de :func:`datos_vista`.

Los puntos están acotados (:func:`capas.puntos.elegir_puntos`): a lo más ``MAXIMO_PUNTOS``,
los más importantes y siempre el elegido; los demás se dibujan como un círculo gris por
municipio con su cuenta, y :func:`nota` lo dice en texto junto al mapa. La
figura es un diccionario plano (sin la validación de ``go.Figure``, que con decenas de miles
de puntos costaba segundos).

Las coordenadas, los colores (posiciones en la paleta) y los tamaños viajan como arreglos
binarios de Plotly (:func:`binario`: ``{"dtype": "f4", "bdata": "..."}``, base64 de un
``Float32Array``): 5.3 caracteres por coordenada en lugar de ~9.5 como texto. Los textos y los
ids van como listas.

Orden de las trazas: ``data[0]`` contorno del municipio elegido (líneas), ``data[1]`` los
círculos de lo no dibujado por municipio, ``data[2]`` borde oscuro de los puntos, ``data[3]``
los puntos, ``data[4:]`` la leyenda (una por luz y, al final, la de los círculos).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

import dash
import numpy as np
import pandas as pd

from capas.config import LUCES, PALETA
from capas.puntos import Seleccion, falta_dibujar
from tablero import mapas
from tablero.formato import entero
from tablero.mapas import texto_seguro

TRAZA_MUNICIPIO = 0
TRAZA_GRUPOS = 1
TRAZA_PUNTOS = 3
PRIMERA_LEYENDA = 4

#: Puntos que dibuja el mapa como mucho (los demás, contados por municipio). Con 1,000 la
#: figura de obras pesa unos 190 kB de JSON (20 kB con gzip) con 570 municipios; con 2,000,
#: unos 370 kB (``benchmarks/mapa_puntos.py``).
MAXIMO_PUNTOS = 1_000

#: Colores de las luces en el orden de ``LUCES``: el mapa manda la posición de cada punto.
COLORES_LUCES = tuple(PALETA[luz].color for luz in LUCES)
POSICION_LUZ = {luz: i for i, luz in enumerate(LUCES)}

#: Color de los círculos de lo no dibujado (gris oscuro, translúcido: deja ver los puntos).
COLOR_GRUPOS = "#4D4D4D"
OPACIDAD_GRUPOS = 0.35


def binario(valores, tipo: str = "f4") -> dict:
    """Arreglo numérico como *typed array* de Plotly: ``{"dtype": tipo, "bdata": base64}``.

    ``f4`` (``Float32Array``) para coordenadas: a 17° o 97° su paso es menor de un metro,
    de sobra con las coordenadas ya redondeadas a 4 decimales; ``u1`` (``Uint8Array``) para
    posiciones en la paleta y tamaños en px (0 a 255). Plotly.js lo decodifica al dibujar.
    """
    arreglo = np.asarray(valores, dtype=np.dtype(tipo).newbyteorder("<"))
    return {"dtype": tipo, "bdata": base64.b64encode(arreglo.tobytes()).decode("ascii")}


def como_lista(valor) -> list:
    """Valores de un arreglo de la figura (binario de :func:`binario` o lista) como lista."""
    if isinstance(valor, dict) and "bdata" in valor:
        tipo = np.dtype(valor["dtype"]).newbyteorder("<")
        return np.frombuffer(base64.b64decode(valor["bdata"]), dtype=tipo).tolist()
    return list(valor)


def _colores(datos: Puntos):
    """Colores de los puntos: con paleta, sus posiciones en binario; si no, la lista."""
    return binario(datos.colores, "u1") if datos.paleta else datos.colores


@dataclass(frozen=True)
class Grupos:
    """Círculos de lo que no se dibuja, uno por municipio: posición, tamaño y texto."""

    latitudes: list[float] = field(default_factory=list)
    longitudes: list[float] = field(default_factory=list)
    tamanos: list[int] = field(default_factory=list)
    textos: list[str] = field(default_factory=list)
    total: int = 0


@dataclass(frozen=True)
class Puntos:
    """Arreglos listos para el mapa: solo los puntos con coordenadas.

    Con ``paleta`` los ``colores`` son posiciones en ella (``0``, ``1``...: un carácter por
    punto en lugar de ``"#117A65"``) y el mapa los pinta con una escala discreta.
    ``titulos`` (opcional) va en ``hovertext``: la plantilla del mapa lo combina con
    ``textos`` y ``ids`` (``figura(..., plantilla=...)``), así lo fijo de cada texto viaja
    una vez.
    """

    latitudes: list[float]
    longitudes: list[float]
    colores: list
    textos: list[str]
    ids: list[str] | None = None
    sin_coordenadas: int = 0
    grupos: Grupos = field(default_factory=Grupos)
    paleta: tuple[str, ...] | None = None
    titulos: list[str] | None = None


@dataclass(frozen=True)
class Vista:
    """Encuadre del mapa; ``revision`` cambia con el municipio para que el mapa lo siga.

    ``centro`` y ``zoom`` son una primera aproximación (mapa de 640 px de ancho); el navegador
    ajusta el acercamiento al ancho real con ``limites`` (ver :func:`datos_vista`).
    """

    centro: dict
    zoom: float
    revision: str
    limites: tuple[float, float, float, float]
    municipio: dict | None = field(default=None)


#: Alto (px) que ocupa la leyenda bajo el mapa (el acercamiento deja ese margen).
MARGEN_LEYENDA = 60

#: Límites ``(oeste, sur, este, norte)`` si la versión no tiene municipios (Oaxaca).
LIMITES_POR_OMISION = (-98.6, 15.6, -93.8, 18.7)


def puntos(
    latitudes,
    longitudes,
    colores,
    textos,
    ids=None,
    *,
    decimales: int = 4,
    grupos: Grupos | None = None,
    sin_coordenadas: int = 0,
    paleta: tuple[str, ...] | None = None,
    titulos=None,
) -> Puntos:
    """Arreglos del mapa sin las filas sin coordenadas y con coordenadas redondeadas.

    4 decimales son unos 11 m: de sobra para un mapa de la entidad y más ligero.
    ``sin_coordenadas`` se suma a las que aquí no tienen coordenadas (las que quedaron
    fuera antes, en :func:`capas.puntos.elegir_puntos`).
    """
    lat = np.asarray(latitudes, dtype="float64")
    lon = np.asarray(longitudes, dtype="float64")
    validos = np.isfinite(lat) & np.isfinite(lon)
    indices = np.flatnonzero(validos)
    return Puntos(
        latitudes=np.round(lat[validos], decimales).tolist(),
        longitudes=np.round(lon[validos], decimales).tolist(),
        colores=[colores[i] for i in indices],
        textos=[textos[i] for i in indices],
        ids=None if ids is None else [ids[i] for i in indices],
        sin_coordenadas=sin_coordenadas + int((~validos).sum()),
        grupos=grupos or Grupos(),
        paleta=paleta,
        titulos=None if titulos is None else [titulos[i] for i in indices],
    )


def escala_discreta(paleta: tuple[str, ...]) -> dict:
    """Propiedades ``marker`` para pintar las posiciones ``0..n-1`` con los colores de ``paleta``."""
    n = len(paleta)
    escala = []
    for i, color in enumerate(paleta):
        escala += [[i / n, color], [(i + 1) / n, color]]
    return {"colorscale": escala, "cmin": -0.5, "cmax": n - 0.5, "showscale": False}


def grupos(seleccion: Seleccion, singular: str, plural: str, decimales: int = 4) -> Grupos:
    """Un círculo por municipio con lo no dibujado; su tamaño crece con la raíz de la cuenta.

    El texto (al pasar o tocar) nombra el municipio y cuántas hay; cómo verlas lo dice
    :func:`nota`, visible junto al mapa.
    """
    tabla = seleccion.grupos
    if tabla.empty:
        return Grupos()
    cuantos = tabla["cuantos"].to_numpy(dtype="float64")
    tamanos = np.rint(14 + 26 * np.sqrt(cuantos / cuantos.max())).astype(int).tolist()
    textos = [
        f"{texto_seguro(nombre) if nombre else 'Sin municipio'}: {entero(n)} "
        f"{singular if n == 1 else plural} más"
        for nombre, n in zip(tabla["nombre"], tabla["cuantos"], strict=True)
    ]
    return Grupos(
        latitudes=np.round(tabla["latitud"].to_numpy(dtype="float64"), decimales).tolist(),
        longitudes=np.round(tabla["longitud"].to_numpy(dtype="float64"), decimales).tolist(),
        tamanos=tamanos,
        textos=textos,
        total=int(cuantos.sum()),
    )


def corto(texto, largo: int = 40) -> str:
    """``texto`` recortado a ``largo`` caracteres con «…» (las etiquetas del mapa pesan menos)."""
    texto = "" if texto is None or (not isinstance(texto, str) and pd.isna(texto)) else str(texto)
    return texto if len(texto) <= largo else texto[: largo - 1].rstrip() + "…"


def falta_en_el_mapa(tabla: pd.DataFrame, prioridad, clave: str, elegido: str | None) -> bool:
    """Verdadero si la fila ``elegido`` (valor de ``clave``) tiene coordenadas y no está entre
    las ``MAXIMO_PUNTOS`` que el mapa dibuja sin elegida (:func:`capas.puntos.falta_dibujar`):
    al elegirla hay que redibujar los puntos para que se vea."""
    return falta_dibujar(tabla, prioridad, maximo=MAXIMO_PUNTOS, clave=clave, elegido=elegido)


def nota(
    con_coordenadas: int,
    plural: str,
    criterio: str,
    maximo: int | None = None,
    *,
    articulo: str = "las",
    resto: str = "se cuentan en círculos grises, uno por municipio: elija un municipio o "
    "filtre para verlas",
) -> str:
    """Frase visible de cuántos puntos dibuja el mapa y dónde están los demás.

    Vacía si caben todos. ``criterio`` dice cuáles se dibujan primero; ``maximo`` es
    ``MAXIMO_PUNTOS`` si no se da. ``articulo`` concuerda con ``plural`` («las obras», «los
    espacios») y ``resto`` dice dónde están los que no se dibujan.
    """
    maximo = MAXIMO_PUNTOS if maximo is None else maximo
    if con_coordenadas <= maximo:
        return ""
    return (
        f"El mapa dibuja {entero(maximo)} de {articulo} {entero(con_coordenadas)} {plural} con "
        f"coordenadas ({criterio}); {entero(con_coordenadas - maximo)} más {resto}."
    )


def texto_leyenda_grupos(total: int, plural: str) -> str:
    """Texto de la leyenda de los círculos: ``"Más obras por municipio (no dibujadas): 7"``."""
    return f"Más {plural} por municipio (no dibujadas): {entero(total)}"


def vista(
    limites: tuple[float, float, float, float] | None, municipio: dict | None = None
) -> Vista:
    """Encuadre de la entidad (``limites``) o, si se eligió, del municipio (``Feature``)."""
    if municipio is not None:
        _, _, limites_municipio = mapas.lineas_de(municipio)
        if limites_municipio is not None:
            centro, zoom = mapas.encuadre(limites_municipio)
            clave = municipio.get("properties", {}).get("cvegeo", "municipio")
            return Vista(centro, zoom, f"municipio-{clave}", limites_municipio, municipio)
    limites = tuple(limites) if limites is not None else LIMITES_POR_OMISION
    centro, zoom = mapas.encuadre(limites)
    return Vista(centro, zoom, "entidad", limites)


def datos_vista(vista: Vista) -> dict:
    """Datos del ``dcc.Store`` con el que el navegador ajusta el acercamiento al ancho real.

    Los lee ``sigue_mapas.ajustar_acercamiento`` (``assets/mapas.js``).
    """
    return {"limites": list(vista.limites), "margen": MARGEN_LEYENDA}


def figura(
    datos: Puntos,
    leyenda: list[tuple[str, str]],
    *,
    vista: Vista,
    entidad: dict | None = None,
    tamano: int = 7,
    etiqueta_mapa: str = "mapa",
    plural: str = "puntos",
    plantilla: str | None = None,
) -> dict:
    """Figura inicial (diccionario plano): contornos, círculos por municipio, puntos y leyenda.

    ``plantilla`` es el ``hovertemplate`` de los puntos (por omisión solo su texto), p. ej.
    ``"%{customdata} · %{text}<extra></extra>"`` para que la clave no viaje dos veces.
    """
    figura = mapas.figura_puntos_plana(
        binario(datos.latitudes),
        binario(datos.longitudes),
        _colores(datos),
        datos.textos,
        ids=datos.ids,
        centro=vista.centro,
        zoom=vista.zoom,
        leyenda=leyenda,
        contorno=entidad,
        tamano=tamano,
        borde=True,
    )
    latitudes, longitudes, _ = mapas.lineas_de(vista.municipio)
    linea = {
        "type": "scattermap",
        "lat": latitudes,
        "lon": longitudes,
        "mode": "lines",
        "line": {"width": 2.5, "color": "#1f1f1f"},
        "hoverinfo": "skip",
        "showlegend": False,
    }
    circulos = {
        "type": "scattermap",
        "mode": "markers",
        **_arreglos_grupos(datos.grupos),
        "hovertemplate": "%{text}<extra></extra>",
        "showlegend": False,
    }
    circulos["marker"].update({"color": COLOR_GRUPOS, "opacity": OPACIDAD_GRUPOS})
    leyenda_grupos = mapas.traza_leyenda(
        COLOR_GRUPOS,
        texto_leyenda_grupos(datos.grupos.total, plural),
        tamano=16,
        showlegend=bool(datos.grupos.total),
    )
    leyenda_grupos["marker"]["opacity"] = OPACIDAD_GRUPOS * 2  # en la leyenda no hay encimados
    figura["data"] = [linea, circulos, *figura["data"], leyenda_grupos]
    if datos.paleta:
        figura["data"][TRAZA_PUNTOS]["marker"].update(escala_discreta(datos.paleta))
    if plantilla:
        figura["data"][TRAZA_PUNTOS]["hovertemplate"] = plantilla
    if datos.titulos is not None:
        figura["data"][TRAZA_PUNTOS]["hovertext"] = datos.titulos
    figura["layout"]["uirevision"] = f"{etiqueta_mapa}-{vista.revision}"
    figura["layout"]["legend"].update(
        {"font": {"size": 13}, "itemclick": False, "itemdoubleclick": False}
    )
    return figura


def parche(
    datos: Puntos,
    nombres_leyenda: list[str],
    *,
    vista: Vista,
    etiqueta_mapa: str = "mapa",
    plural: str = "puntos",
) -> dash.Patch:
    """``Patch`` con los puntos filtrados, los círculos, la leyenda, el municipio y el encuadre."""
    cambio = dash.Patch()
    latitudes, longitudes, _ = mapas.lineas_de(vista.municipio)
    cambio["data"][TRAZA_MUNICIPIO]["lat"] = latitudes
    cambio["data"][TRAZA_MUNICIPIO]["lon"] = longitudes
    circulos = cambio["data"][TRAZA_GRUPOS]
    for clave, valor in _arreglos_grupos(datos.grupos).items():
        if clave == "marker":
            circulos["marker"]["size"] = valor["size"]
        else:
            circulos[clave] = valor
    mapas.parche_puntos(
        binario(datos.latitudes),
        binario(datos.longitudes),
        _colores(datos),
        datos.textos,
        ids=datos.ids,
        traza=TRAZA_PUNTOS,
        borde=TRAZA_PUNTOS - 1,
        parche=cambio,
    )
    if datos.titulos is not None:
        cambio["data"][TRAZA_PUNTOS]["hovertext"] = datos.titulos
    for i, texto in enumerate(nombres_leyenda):
        cambio["data"][PRIMERA_LEYENDA + i]["name"] = texto
    ultima = PRIMERA_LEYENDA + len(nombres_leyenda)
    cambio["data"][ultima]["name"] = texto_leyenda_grupos(datos.grupos.total, plural)
    cambio["data"][ultima]["showlegend"] = bool(datos.grupos.total)
    cambio["layout"]["map"]["center"] = vista.centro
    cambio["layout"]["map"]["zoom"] = vista.zoom
    cambio["layout"]["uirevision"] = f"{etiqueta_mapa}-{vista.revision}"
    return cambio


def _arreglos_grupos(grupos: Grupos) -> dict:
    return {
        "lat": binario(grupos.latitudes),
        "lon": binario(grupos.longitudes),
        "text": grupos.textos,
        "marker": {"size": binario(grupos.tamanos, "u1")},
    }
