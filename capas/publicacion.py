"""Publicación de datos abiertos: arma los archivos de cada capa, sin servidor web.

Funciones puras que reciben tablas y metadatos de una versión y devuelven ``bytes`` (CSV,
GeoJSON, GeoParquet) o ``dict`` (paquete de datos, metadatos). Las rutas HTTP, la caché y
las cabeceras están en ``tablero.descargas``; este módulo no sabe nada de Flask.

Uso::

    from capas import publicacion

    contenido = publicacion.armar(capas.capa("escuelas"), "csv", datos, version.meta, {"anio": 2024})
    excel = publicacion.con_bom(contenido)          # CSV para Excel (BOM UTF-8 al inicio)
    paquete = publicacion.paquete_de_datos(version, "https://ejemplo.org")
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import shapely

from almacen.csv_seguro import escribir_csv
from almacen.versiones import Version, cargas_de
from capas.numeros import fecha_larga
from capas.registro import REGISTRO, Capa

#: Lugar por omisión del tablero y su nombre en la cita y en el paquete de datos. Los de cada
#: versión salen de :func:`lugar_de_version` (su entidad, o «México» en el modo nacional).
LUGAR = "Oaxaca"
NOMBRE = f"Sigue el dinero {LUGAR}"


def nombre_plataforma(lugar: str = LUGAR) -> str:
    """``"Sigue el dinero Morelos"``."""
    return f"Sigue el dinero {lugar}"


def lugar_de_version(datos) -> str:
    """Lugar de la versión de ``datos`` (:func:`capas.entidades.lugar_de` sin entidad)."""
    from capas.entidades import lugar_de

    return lugar_de(datos)


#: Licencia de todo lo que produce la plataforma.
LICENCIA = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Atribución 4.0 Internacional",
    "path": "https://creativecommons.org/licenses/by/4.0/deed.es",
}

#: Licencia de los límites municipales (geometría de la capa ``municipios``).
LICENCIA_INEGI = {
    "name": "INEGI-libre-uso",
    "title": "Términos de Libre Uso de la Información del INEGI",
    "path": "https://www.inegi.org.mx/inegi/terminos.html",
}

#: Fuente de los límites municipales (no es una carga: viene con la plataforma).
FUENTE_INEGI = {
    "title": "INEGI. Marco Geoestadístico: límites municipales",
    "path": "https://www.inegi.org.mx/temas/mg/",
    "licencia": LICENCIA_INEGI["title"],
}


@dataclass(frozen=True)
class Formato:
    """Un formato de descarga."""

    extension: str
    tipo_mime: str
    nombre: str
    #: Se comprime con gzip al enviarlo (texto); Parquet ya va comprimido por dentro.
    texto: bool


#: Formatos de cada capa, en el orden en que se ofrecen.
FORMATOS: dict[str, Formato] = {
    "csv": Formato("csv", "text/csv; charset=utf-8", "CSV", True),
    "geojson": Formato("geojson", "application/geo+json; charset=utf-8", "GeoJSON", True),
    "parquet": Formato("parquet", "application/vnd.apache.parquet", "GeoParquet", False),
}

#: Formato del paquete de datos.
FORMATO_JSON = Formato("json", "application/json; charset=utf-8", "JSON", True)


#: Marca de orden de bytes UTF-8: con ella Excel abre el CSV con sus acentos bien.
BOM = "\ufeff".encode()


def url_descarga(capa: str, formato: str, version: str | None = None, **filtros) -> str:
    """Ruta relativa de una descarga: ``/descargas/escuelas.csv?version=v0003``."""
    parametros = {
        k: ",".join(map(str, v)) if isinstance(v, list | tuple) else _numero_o_texto(v)
        for k, v in filtros.items()
        if v not in (None, "")
    }
    if version:
        parametros["version"] = version
    consulta = urlencode(parametros, safe=",")
    return f"/descargas/{capa}.{formato}" + (f"?{consulta}" if consulta else "")


def _numero_o_texto(valor):
    """Un monto entero como entero en la URL (``2000000``, no ``2000000.0``)."""
    return int(valor) if isinstance(valor, float) and valor.is_integer() else valor


def cita(meta: dict, url: str | None = None, lugar: str = LUGAR) -> str:
    """Cita lista para copiar de una versión: nombre, versión, fecha de corte, licencia, fuentes.

    Parameters
    ----------
    meta
        Metadatos de la versión (``Version.meta`` o un elemento de ``Almacen.versiones()``).
    url
        Dirección de la página de la versión (``https://.../datos?version=v0007``).
    lugar
        Lugar del tablero (:func:`lugar_de_version`).
    """
    anio = str(meta.get("creada") or "")[:4] or "s. f."
    partes = [
        f"{nombre_plataforma(lugar)} ({anio}). Datos abiertos del gasto público en {lugar}, versión "
        f"{meta['id']}, fecha de corte: {fecha_larga(meta.get('fecha_corte'))}.",
    ]
    if es_ejemplo(meta):
        partes.append("Datos de ejemplo (sintéticos), no son cifras oficiales.")
    fuentes = list(
        dict.fromkeys(
            (c.get("descripcion") or c["tipo"])
            + (f" (licencia {c['licencia_origen']})" if c.get("licencia_origen") else "")
            for c in cargas_de(meta)
        )
    )
    fuentes.append("INEGI, Marco Geoestadístico (límites municipales)")
    partes.append("Fuentes: " + "; ".join(fuentes) + ".")
    partes.append(f"Licencia {LICENCIA['title']} (CC BY 4.0).")
    if url:
        partes.append(f"Disponible en {url}")
    return " ".join(partes)


def nombre_archivo(
    capa: str,
    extension: str,
    meta: dict,
    filtros: dict | None = None,
    *,
    variante: str | None = None,
) -> str:
    """Nombre del archivo descargado: capa, versión, fecha de corte, filtros y variante.

    ``variante="excel"`` (CSV con BOM) termina en ``-excel.csv``.
    """
    partes = [capa, meta["id"]]
    if meta.get("fecha_corte"):
        partes.append(f"corte-{str(meta['fecha_corte'])[:10]}")
    for nombre, valor in (filtros or {}).items():
        valor = ",".join(valor) if isinstance(valor, list | tuple) else str(valor)
        partes.append(f"{nombre}-{valor}")
    if variante:
        partes.append(variante)
    base = re.sub(r"[^A-Za-z0-9_.,-]+", "_", "-".join(partes)).replace(",", "_")
    return f"{base}.{extension}"


def paquete_de_datos(version: Version, url_base: str, lugar: str = LUGAR) -> dict:
    """Paquete de datos (Frictionless, *tabular data package*) de una versión.

    Cada capa de :data:`REGISTRO` es un recurso con su CSV de esa versión y el esquema
    de cada campo (nombre, tipo, descripción, unidad); los otros formatos van en
    ``formatos``. Incluye versión, fecha de corte, fuentes (archivo y sha256), licencias y
    cómo citar.

    Parameters
    ----------
    url_base
        Raíz del tablero (``https://ejemplo.org/``) para las direcciones absolutas.
    lugar
        Lugar del tablero (:func:`lugar_de_version`): nombre, título y cita.
    """
    from capas.busqueda import clave_busqueda

    meta = version.meta
    raiz = url_base.rstrip("/")
    recursos = [_recurso(capa, meta, raiz) for capa in REGISTRO]
    nombre = clave_busqueda(nombre_plataforma(lugar)).replace(" ", "-")
    return {
        "profile": "tabular-data-package",
        "name": nombre,
        "id": f"{nombre}-{meta['id']}",
        "title": f"{nombre_plataforma(lugar)}: datos abiertos del gasto público en {lugar}",
        "description": "Capas de datos abiertos del tablero: uniformes y útiles escolares "
        "(cobertura, presupuesto, deserción y aprobación), obra pública, estacionamientos "
        "para personas con discapacidad y padrones públicos de programas sociales. Los montos están en pesos corrientes; las "
        "proporciones son fracciones (0.87, no 87); una celda vacía es «sin dato».",
        "version": meta["id"],
        "created": meta.get("creada"),
        "fecha_corte": meta.get("fecha_corte"),
        "version_anterior": meta.get("anterior"),
        "datos_de_ejemplo": es_ejemplo(meta),
        "homepage": f"{raiz}/datos?version={meta['id']}",
        "licenses": [LICENCIA, LICENCIA_INEGI],
        "cita": cita(meta, f"{raiz}/datos?version={meta['id']}", lugar),
        "sources": [_fuente(info["tipo"], info, meta, raiz) for info in cargas_de(meta)]
        + [FUENTE_INEGI],
        "resources": recursos,
    }


def metadatos(
    meta: dict, capa: Capa | None = None, filtros: dict | None = None, lugar: str = LUGAR
) -> dict:
    """Metadatos que viajan dentro de cada GeoJSON y Parquet."""
    datos = {
        "plataforma": nombre_plataforma(lugar),
        "version": meta["id"],
        "fecha_corte": meta.get("fecha_corte"),
        "creada": meta.get("creada"),
        "datos_de_ejemplo": es_ejemplo(meta),
        "licencia": f"{LICENCIA['title']} ({LICENCIA['path']})",
        "licencia_limites_municipales": f"{LICENCIA_INEGI['title']} ({LICENCIA_INEGI['path']})",
        "cita": cita(meta, lugar=lugar),
        "fuentes": [
            {
                "tipo": tipo,
                "descripcion": info.get("descripcion") or tipo,
                "archivo": info.get("archivo"),
                "sha256": info.get("sha256"),
                "fecha_corte": info.get("fecha_corte"),
            }
            for tipo, info in ((c["tipo"], c) for c in cargas_de(meta))
        ],
        "paquete_de_datos": f"/descargas/datapackage.json?version={meta['id']}",
    }
    if capa is not None:
        datos["capa"] = capa.nombre
        datos["titulo"] = capa.titulo
        datos["descripcion"] = capa.descripcion
        datos["filtros"] = dict(filtros or {})
    return datos


# --- Armado de archivos ---------------------------------------------------------------------


def armar(
    capa: Capa,
    formato: str,
    datos,
    meta: dict,
    filtros: dict | None = None,
    extras: dict | None = None,
    lugar: str = LUGAR,
) -> bytes:
    """Archivo completo de una capa: lee la tabla con sus filtros y la escribe en ``formato``.

    Parameters
    ----------
    capa
        Capa del registro (:data:`capas.REGISTRO`).
    formato
        ``csv``, ``geojson`` o ``parquet`` (:data:`FORMATOS`).
    datos
        Datos de la versión (:func:`capas.datos_de`).
    meta
        Metadatos de la versión (``Version.meta``): van dentro del GeoJSON y del Parquet.
    filtros
        Filtros ya validados para ``capa.leer`` (también se anotan en los metadatos).
    extras
        Otros parámetros de ``capa.leer`` que no son filtros (p. ej. ``reportes_abiertos``).
    lugar
        Lugar del tablero (:func:`lugar_de_version`) en los metadatos y la cita.
    """
    if formato not in FORMATOS:
        raise ValueError(f"armar: formato desconocido «{formato}»; son: {', '.join(FORMATOS)}")
    filtros = dict(filtros or {})
    geometria = formato != "csv" and capa.geometria is not None
    parametros = {**filtros, **(extras or {})}
    if geometria:
        parametros["geometria"] = True
    tabla = ordenar(capa.leer(datos, **parametros), capa.columnas)
    if formato == "csv":
        return tabla_csv(tabla)
    info = metadatos(meta, capa, filtros, lugar)
    if formato == "geojson":
        return tabla_geojson(tabla, capa.nombre, info)
    return tabla_parquet(tabla, info)


def ordenar(tabla: pd.DataFrame, columnas) -> pd.DataFrame:
    """Columnas del contrato primero, en su orden; las demás después (geometría al final)."""
    geometria = tabla.geometry.name if isinstance(tabla, gpd.GeoDataFrame) else None
    resto = [c for c in tabla.columns if c not in columnas and c != geometria]
    orden = [*columnas, *resto] + ([geometria] if geometria else [])
    return tabla[orden]


def tabla_csv(tabla: pd.DataFrame) -> bytes:
    """CSV UTF-8 sin BOM, coma, encabezado; fórmulas neutralizadas (``almacen.csv_seguro``).

    Fechas ``AAAA-MM-DD``, booleanos ``true``/``false`` y celda vacía = sin dato. La columna
    ``geometry`` no se escribe.
    """
    tabla = pd.DataFrame(tabla.drop(columns="geometry", errors="ignore"))
    return escribir_csv(valores_de_texto(tabla)).encode("utf-8")


def con_bom(contenido: bytes) -> bytes:
    """CSV para Excel: el mismo contenido con el BOM UTF-8 (``EF BB BF``) al inicio.

    Excel, sin BOM, lee el archivo como Windows-1252 y descompone los acentos
    (``Oaxaca de JuÃ¡rez``). El resto de los bytes no cambia.
    """
    return contenido if contenido.startswith(BOM) else BOM + contenido


def valores_de_texto(tabla: pd.DataFrame) -> pd.DataFrame:
    """Fechas ``AAAA-MM-DD`` y booleanos ``true``/``false`` (vacío = sin dato)."""
    cambios = {}
    for nombre in tabla.columns:
        serie = tabla[nombre]
        if pd.api.types.is_datetime64_any_dtype(serie):
            cambios[nombre] = serie.dt.strftime("%Y-%m-%d").astype(object)
        elif pd.api.types.is_bool_dtype(serie):
            cambios[nombre] = serie.map({True: "true", False: "false"}).astype(object)
    return tabla.assign(**cambios) if cambios else tabla


def tabla_geojson(tabla: pd.DataFrame, nombre: str, info: dict) -> bytes:
    """FeatureCollection WGS84 (RFC 7946) con ``metadata``; sin geometría, ``"geometry": null``."""
    if isinstance(tabla, gpd.GeoDataFrame):
        if tabla.crs is not None and not tabla.crs.equals("EPSG:4326"):
            tabla = tabla.to_crs(4326)
        geometrias = shapely.to_geojson(np.asarray(tabla.geometry.values, dtype=object))
        propiedades = pd.DataFrame(tabla.drop(columns=tabla.geometry.name))
    else:
        geometrias = [None] * len(tabla)
        propiedades = pd.DataFrame(tabla)
    propiedades = valores_de_texto(propiedades).astype(object)
    propiedades = propiedades.where(propiedades.notna(), None)
    nombres = list(propiedades.columns)
    cabeza = json.dumps(
        {"type": "FeatureCollection", "name": nombre, "metadata": info},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    partes = [cabeza[:-1], ',"features":[']
    separador = ""
    for geometria, fila in zip(
        geometrias, propiedades.itertuples(index=False, name=None), strict=True
    ):
        partes.append(
            f'{separador}{{"type":"Feature","geometry":{geometria or "null"},"properties":'
            + json.dumps(
                dict(zip(nombres, fila, strict=True)),
                ensure_ascii=False,
                separators=(",", ":"),
                default=_json_por_omision,
            )
            + "}"
        )
        separador = ","
    partes.append("]}")
    return "".join(partes).encode("utf-8")


def _json_por_omision(valor):
    if isinstance(valor, np.generic):
        return valor.item()
    if isinstance(valor, datetime | date | pd.Timestamp):
        return valor.isoformat()[:10]
    raise TypeError(f"Valor no serializable en JSON: {type(valor).__name__}")


def tabla_parquet(tabla: pd.DataFrame, info: dict) -> bytes:
    """GeoParquet (Parquet simple sin geometría) con ``info`` en los metadatos ``sigue``."""
    borrador = io.BytesIO()
    tabla.to_parquet(borrador, index=False)
    borrador.seek(0)
    arrow = pq.read_table(borrador)
    extra = dict(arrow.schema.metadata or {})
    extra[b"sigue"] = json.dumps(info, ensure_ascii=False).encode("utf-8")
    salida = io.BytesIO()
    pq.write_table(arrow.replace_schema_metadata(extra), salida, compression="zstd")
    return salida.getvalue()


def _recurso(capa: Capa, meta: dict, raiz: str) -> dict:
    version = meta["id"]
    campos = []
    for campo in capa.campos:
        descrito = {
            "name": campo.nombre,
            "type": campo.tipo,
            "description": campo.descripcion,
        }
        if campo.unidad:
            descrito["unit"] = campo.unidad
        if campo.tipo == "boolean":
            descrito["trueValues"] = ["true"]
            descrito["falseValues"] = ["false"]
        campos.append(descrito)
    recurso = {
        "profile": "tabular-data-resource",
        "name": capa.nombre,
        "title": capa.titulo,
        "description": capa.descripcion,
        "path": f"{raiz}{url_descarga(capa.nombre, 'csv', version)}",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "header": True},
        "schema": {"fields": campos, "missingValues": [""]},
        "en_contrato": capa.en_contrato,
        "columnas_contrato": list(capa.columnas),
        "filtros": list(capa.filtros),
        "geometria": capa.geometria,
        "formatos": {
            extension: {
                "path": f"{raiz}{url_descarga(capa.nombre, extension, version)}",
                "mediatype": formato.tipo_mime.split(";")[0],
            }
            for extension, formato in FORMATOS.items()
        },
        "licenses": [LICENCIA],
    }
    if capa.geometria == "poligono":
        recurso["licenses"] = [LICENCIA, LICENCIA_INEGI]
        recurso["nota_geometria"] = (
            "Polígonos simplificados sin huecos ni traslapes entre vecinos, WGS84 (INEGI, "
            "Marco Geoestadístico)."
        )
    elif capa.geometria is None:
        recurso["nota_geometria"] = (
            "Capa sin ubicación: su GeoJSON trae geometría nula y su Parquet no tiene "
            "columna de geometría."
        )
    return recurso


def _fuente(tipo: str, info: dict, meta: dict, raiz: str) -> dict:
    fuente = {
        "title": f"{info.get('descripcion') or tipo}: {info.get('archivo')}",
        "tipo": tipo,
        "formato": info.get("formato"),
        "archivo": info.get("archivo"),
        "sha256": info.get("sha256"),
        "fecha_corte": info.get("fecha_corte"),
        "filas_leidas": info.get("filas_leidas"),
        "filas_aceptadas": info.get("filas_aceptadas"),
        "filas_rechazadas": info.get("filas_rechazadas"),
        "filas_omitidas": info.get("filas_omitidas", 0),
        "advertencias": info.get("advertencias"),
        "datos_de_ejemplo": bool(info.get("ejemplo")),
    }
    if info.get("licencia_origen"):
        fuente["licencia"] = info["licencia_origen"]
    if tipo:
        # Los rechazos de esa carga, en la versión que la creó.
        version = info.get("version") or meta["id"]
        fuente["rechazos"] = f"{raiz}/descargas/rechazos/{tipo}.csv?version={version}"
    return fuente


def es_ejemplo(meta: dict) -> bool:
    """Verdadero si alguna carga de la versión es de datos de ejemplo (sintéticos)."""
    return any(c.get("ejemplo") for c in cargas_de(meta))
