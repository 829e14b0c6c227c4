"""Figuras de mapa (MapLibre vía Plotly) que comparten todas las páginas.

- La geometría municipal se manda **una sola vez** (en la figura inicial de la página); al
  cambiar un filtro las páginas devuelven un ``dash.Patch`` con valores, no con formas.
- Las teselas del mapa base vienen de una fuente configurable (``SIGUE_TESELAS``: plantilla
  ``https://.../{z}/{x}/{y}.png``, y ``SIGUE_TESELAS_ATRIBUCION``). Sin ella el mapa usa un
  fondo blanco y sigue mostrando municipios, puntos y leyendas: no necesita internet.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

from capas.config import COLOR_BORDE, LUCES, PALETA
from capas.lectura import DatosVersion, datos_de
from ingesta.almacen import Almacen

#: Centro y acercamiento iniciales para la entidad (se ajustan a la extensión de los datos).
ACERCAMIENTO_ESTADO = 6.1
ALTO_MAPA = 460

#: Escala secuencial apta para daltonismo (cividis) para valores continuos.
ESCALA_CONTINUA = "Cividis"


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
    return _geojson(str(datos.version.ruta), datos.id)


def limites_municipios(datos: DatosVersion) -> tuple[float, float, float, float]:
    """Límites ``(oeste, sur, este, norte)`` de los municipios de la versión."""
    return _limites(str(datos.version.ruta), datos.id)


@lru_cache(maxsize=8)
def _geojson(ruta: str, id_version: str) -> dict:
    capa = datos_de(Almacen(Path(ruta).parent.parent).version(id_version)).tabla("municipios")
    return json.loads(capa[["cvegeo", "geometry"]].to_json(drop_id=True))


@lru_cache(maxsize=8)
def _limites(ruta: str, id_version: str) -> tuple[float, float, float, float]:
    capa = datos_de(Almacen(Path(ruta).parent.parent).version(id_version)).tabla("municipios")
    return tuple(float(v) for v in capa.total_bounds)


def figura_coropletas(
    geojson: dict,
    claves: list[str],
    valores: list[float | None],
    textos: list[str],
    *,
    titulo_escala: str,
    centro: dict,
    zoom: float = ACERCAMIENTO_ESTADO,
    categorias: list[str] | None = None,
    formato_escala: str | None = None,
) -> go.Figure:
    """Mapa de coropletas por municipio.

    Con ``categorias`` (luces de un semáforo) los valores son esas categorías y se pintan con
    la paleta del semáforo; si no, con una escala continua apta para daltonismo. El texto de
    cada municipio (``textos``) es lo que muestra la etiqueta al pasar o tocar.
    """
    traza = go.Choroplethmap(
        geojson=geojson,
        featureidkey="properties.cvegeo",
        locations=claves,
        text=textos,
        hovertemplate="%{text}<extra></extra>",
        marker={"line": {"width": 0.4, "color": "#555555"}},
        **propiedades_valores(valores, categorias, titulo_escala, formato_escala),
    )
    figura = go.Figure(traza)
    figura.update_layout(
        map=estilo_mapa(centro, zoom),
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=ALTO_MAPA,
        uirevision="mapa",
        dragmode=False,
    )
    return figura


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


def figura_puntos(
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
) -> go.Figure:
    """Mapa de puntos (escuelas, obras, cajones) con leyenda propia y contorno opcional.

    ``leyenda`` es una lista ``(color, texto)``: se dibuja como trazas vacías para que la
    leyenda muestre el significado de cada color con su texto (nunca solo el color).
    ``contorno`` es un GeoJSON que se dibuja como líneas (p. ej. el municipio).
    """
    figura = go.Figure()
    if contorno:
        figura.update_layout(
            map_layers=[
                {
                    "sourcetype": "geojson",
                    "source": contorno,
                    "type": "line",
                    "color": "#444444",
                    "line": {"width": 1},
                    "below": "traces",
                }
            ]
        )
    figura.add_trace(
        go.Scattermap(
            lat=latitudes,
            lon=longitudes,
            mode="markers",
            marker={"size": 10, "color": colores},
            text=textos,
            customdata=ids,
            hovertemplate="%{text}<extra></extra>",
            showlegend=False,
        )
    )
    for color, texto in leyenda or []:
        figura.add_trace(
            go.Scattermap(
                lat=[None],
                lon=[None],
                mode="markers",
                marker={"size": 12, "color": color},
                name=texto,
            )
        )
    estilo = estilo_mapa(centro, zoom)
    if contorno:
        estilo["layers"] = [*estilo.get("layers", []), *figura.layout.map.layers]
    figura.update_layout(
        map=estilo,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=ALTO_MAPA,
        uirevision="mapa",
        legend={"orientation": "h", "y": 0, "yanchor": "top", "bgcolor": "rgba(255,255,255,0.9)"},
    )
    return figura
