"""Mapas de puntos con filtros (escuelas, obras, cajones): figura inicial y ``Patch``.

La figura inicial lleva, una sola vez, el contorno de la entidad (capa del mapa) y la leyenda;
al cambiar un filtro el ``Patch`` manda solo los arreglos de los puntos (coordenadas
redondeadas, colores, textos, ids), los nombres de la leyenda (con sus cuentas) y, si cambió
el municipio, su contorno y el encuadre. El navegador ajusta el acercamiento al ancho real
del mapa (``assets/mapas.js``) con los límites de :func:`datos_vista`.

Orden de las trazas: ``data[0]`` contorno del municipio elegido (líneas), ``data[1]`` borde
oscuro de los puntos, ``data[2]`` los puntos, ``data[3:]`` la leyenda.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dash
import numpy as np
import plotly.graph_objects as go

from tablero import mapas

TRAZA_MUNICIPIO = 0
TRAZA_PUNTOS = 2
PRIMERA_LEYENDA = 3


@dataclass(frozen=True)
class Puntos:
    """Arreglos listos para el mapa: solo los puntos con coordenadas."""

    latitudes: list[float]
    longitudes: list[float]
    colores: list[str]
    textos: list[str]
    ids: list[str] | None = None
    sin_coordenadas: int = 0


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
) -> Puntos:
    """Arreglos del mapa sin las filas sin coordenadas y con coordenadas redondeadas.

    4 decimales son unos 11 m: de sobra para un mapa de la entidad y más ligero.
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
        sin_coordenadas=int((~validos).sum()),
    )


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
) -> go.Figure:
    """Figura inicial: contorno de la entidad, contorno del municipio, puntos con borde y leyenda."""
    figura = mapas.figura_puntos(
        datos.latitudes,
        datos.longitudes,
        datos.colores,
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
    linea = go.Scattermap(
        lat=latitudes,
        lon=longitudes,
        mode="lines",
        line={"width": 2.5, "color": "#1f1f1f"},
        hoverinfo="skip",
        showlegend=False,
    )
    figura.add_trace(linea)
    figura.data = (figura.data[-1], *figura.data[:-1])
    figura.update_layout(
        uirevision=f"{etiqueta_mapa}-{vista.revision}",
        legend={"font": {"size": 13}, "itemclick": False, "itemdoubleclick": False},
    )
    return figura


def parche(
    datos: Puntos,
    nombres_leyenda: list[str],
    *,
    vista: Vista,
    etiqueta_mapa: str = "mapa",
) -> dash.Patch:
    """``Patch`` con los puntos filtrados, la leyenda, el municipio y el encuadre."""
    cambio = dash.Patch()
    latitudes, longitudes, _ = mapas.lineas_de(vista.municipio)
    cambio["data"][TRAZA_MUNICIPIO]["lat"] = latitudes
    cambio["data"][TRAZA_MUNICIPIO]["lon"] = longitudes
    mapas.parche_puntos(
        datos.latitudes,
        datos.longitudes,
        datos.colores,
        datos.textos,
        ids=datos.ids,
        traza=TRAZA_PUNTOS,
        borde=TRAZA_PUNTOS - 1,
        parche=cambio,
    )
    for i, texto in enumerate(nombres_leyenda):
        cambio["data"][PRIMERA_LEYENDA + i]["name"] = texto
    cambio["layout"]["map"]["center"] = vista.centro
    cambio["layout"]["map"]["zoom"] = vista.zoom
    cambio["layout"]["uirevision"] = f"{etiqueta_mapa}-{vista.revision}"
    return cambio
