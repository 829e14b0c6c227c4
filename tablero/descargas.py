"""Descargas de datos abiertos: rutas Flask sin registro sobre el servidor del tablero.

Rutas (contrato de ``INDICADORES.md``; otras herramientas dependen de ellas)::

    /descargas/<capa>.csv              UTF-8, coma, fila de encabezado
    /descargas/<capa>.geojson          FeatureCollection WGS84 (RFC 7946)
    /descargas/<capa>.parquet          GeoParquet (Parquet simple si la capa no tiene geometría)
    /descargas/datapackage.json        paquete de datos (Frictionless) de una versión
    /descargas/rechazos/<tipo>.csv     filas rechazadas de la última carga de una fuente
    /descargas/rechazos/<tipo>-advertencias.csv

``<capa>`` es cualquiera de :data:`capas.REGISTRO` (la única lista de capas). Parámetros:

- los mismos filtros que las páginas, los que acepta cada capa (``Capa.filtros``):
  ``?anio=2024``, ``?municipio=20067`` (o varios: ``20067,20390``), ``?alerta=sobrecosto``,
  ``?estado=bueno``, ``?programa=...`` (en ``programas``, la clave: ``?programa=S311``),
  ``?clasificacion=objeto_gasto``. Un valor vacío se ignora; un parámetro desconocido o un
  valor inválido responde 400 con un mensaje en español (JSON ``{"error": ...}``).
- ``?version=v0003`` elige una versión publicada (404 si no existe); sin él, la actual.

Decisiones donde el contrato no dice nada:

- Una capa sin geometría (``presupuesto``, ``padron``) también se sirve en GeoJSON, con
  ``"geometry": null`` en cada elemento (válido en RFC 7946): quien recorre las capas no
  tropieza con un 404. Su ``.parquet`` es Parquet simple, sin metadatos ``geo``.
- Cada archivo lleva su versión y su fecha de corte: en el nombre del archivo
  (``municipios-v0007-corte-2025-09-30.csv``), en las cabeceras ``X-Sigue-Version`` y
  ``X-Sigue-Fecha-Corte``, en la cabecera ``Link`` (``rel="describedby"``) hacia su paquete de
  datos y, en GeoJSON y Parquet, dentro del archivo (miembro ``metadata`` y metadatos del
  esquema ``sigue``, con licencia y cita).
- Con ``?version=`` la respuesta no cambia nunca: ``Cache-Control: immutable`` de un año.
  Sin él la versión actual puede cambiar: ``no-cache`` con ``ETag`` (revalidar cuesta poco).
- Los archivos ya armados se guardan en memoria por versión y filtros (hasta
  :data:`LIMITE_CACHE` bytes) y su versión gzip se calcula una vez: la segunda descarga es
  inmediata. CSV y GeoJSON se envían comprimidos con gzip si el cliente lo acepta.
- Las filas rechazadas se publican: solo traen fila, columna y motivo, y por construcción
  ningún motivo muestra un dato personal (ver ``ingesta/fuentes/padron.py``).
- Una capa cuyos valores no dependen solo de la versión recibe esos parámetros de
  :func:`parametros_dinamicos`; entonces la respuesta no se marca como inmutable. Es el caso
  de ``reportes_abiertos`` de los estacionamientos: con los reportes ciudadanos activos
  (``tablero.reportes``) se cuentan en cada descarga, también en versiones anteriores (son
  los reportes abiertos hoy, no los de la fecha de esa versión).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import flask
import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import shapely
from werkzeug.datastructures import MultiDict

import capas
from almacen.csv_seguro import escribir_csv
from almacen.errores import VersionNoEncontrada
from almacen.versiones import Version, cargas_de
from capas.parametros import ParametroInvalido, leer_parametros
from capas.registro import Capa
from tablero.datos import almacen_servido, version_servida
from tablero.formato import fecha_larga
from tablero.url import url_base

#: Bytes de archivos armados que se guardan en memoria (por proceso).
LIMITE_CACHE = 96 * 1024 * 1024

#: Clave de ``servidor.config`` con los parámetros dinámicos de cada capa.
CLAVE_PARAMETROS = "SIGUE_PARAMETROS_DESCARGA"

#: Nombre del tablero en la cita y en el paquete de datos.
NOMBRE = "Sigue el dinero Oaxaca"

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

#: Cabeceras con la versión y la fecha de corte de cada archivo.
CABECERA_VERSION = "X-Sigue-Version"
CABECERA_CORTE = "X-Sigue-Fecha-Corte"


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

_JSON = Formato("json", "application/json; charset=utf-8", "JSON", True)


def registrar_descargas(servidor: flask.Flask) -> None:
    """Registra las rutas ``/descargas/...`` en el servidor Flask del tablero."""
    rutas = flask.Blueprint("descargas", __name__)
    rutas.add_url_rule("/descargas/datapackage.json", "paquete", _vista_paquete)
    rutas.add_url_rule("/descargas/rechazos/<nombre>.csv", "rechazos", _vista_rechazos)
    rutas.add_url_rule("/descargas/<capa>.<formato>", "capa", _vista_capa)
    rutas.add_url_rule("/descargas/<path:resto>", "otra", _vista_otra)
    rutas.register_error_handler(ErrorDescarga, _responder_error)
    servidor.register_blueprint(rutas)


def parametros_dinamicos(
    servidor: flask.Flask, capa: str, funcion: Callable[[], dict[str, Any]]
) -> None:
    """Parámetros de ``capa.leer`` que se calculan en cada descarga (no son de la versión).

    Ejemplo: ``parametros_dinamicos(app.server, "estacionamientos", lambda: {"reportes_abiertos":
    abiertos_por_cajon(sesion())})``. La función se llama dentro de la petición.
    """
    capas.capa(capa)  # ValueError si no existe
    servidor.config.setdefault(CLAVE_PARAMETROS, {})[capa] = funcion


class ErrorDescarga(Exception):
    """Error de una descarga: estado HTTP y mensaje en español para quien la pidió."""

    def __init__(self, estado: int, mensaje: str, **detalle):
        super().__init__(mensaje)
        self.estado = estado
        self.mensaje = mensaje
        self.detalle = detalle


# --- Textos compartidos con la página de datos abiertos -----------------------------------


def url_descarga(capa: str, formato: str, version: str | None = None, **filtros) -> str:
    """Ruta relativa de una descarga: ``/descargas/escuelas.csv?version=v0003``."""
    parametros = {
        k: ",".join(map(str, v)) if isinstance(v, list | tuple) else v
        for k, v in filtros.items()
        if v not in (None, "")
    }
    if version:
        parametros["version"] = version
    consulta = urlencode(parametros, safe=",")
    return f"/descargas/{capa}.{formato}" + (f"?{consulta}" if consulta else "")


def cita(meta: dict, url: str | None = None) -> str:
    """Cita lista para copiar de una versión: nombre, versión, fecha de corte, licencia, fuentes.

    Parameters
    ----------
    meta
        Metadatos de la versión (``Version.meta`` o un elemento de ``Almacen.versiones()``).
    url
        Dirección de la página de la versión (``https://.../datos?version=v0007``).
    """
    anio = str(meta.get("creada") or "")[:4] or "s. f."
    partes = [
        f"{NOMBRE} ({anio}). Datos abiertos del gasto público en Oaxaca, versión "
        f"{meta['id']}, fecha de corte: {fecha_larga(meta.get('fecha_corte'))}.",
    ]
    if _es_ejemplo(meta):
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


def nombre_archivo(capa: str, extension: str, meta: dict, filtros: dict | None = None) -> str:
    """Nombre del archivo descargado: capa, versión, fecha de corte y filtros."""
    partes = [capa, meta["id"]]
    if meta.get("fecha_corte"):
        partes.append(f"corte-{str(meta['fecha_corte'])[:10]}")
    for nombre, valor in (filtros or {}).items():
        valor = ",".join(valor) if isinstance(valor, list | tuple) else str(valor)
        partes.append(f"{nombre}-{valor}")
    base = re.sub(r"[^A-Za-z0-9_.,-]+", "_", "-".join(partes)).replace(",", "_")
    return f"{base}.{extension}"


def paquete_de_datos(version: Version, url_base: str) -> dict:
    """Paquete de datos (Frictionless, *tabular data package*) de una versión.

    Cada capa de :data:`capas.REGISTRO` es un recurso con su CSV de esa versión y el esquema
    de cada campo (nombre, tipo, descripción, unidad); los otros formatos van en
    ``formatos``. Incluye versión, fecha de corte, fuentes (archivo y sha256), licencias y
    cómo citar.

    Parameters
    ----------
    url_base
        Raíz del tablero (``https://ejemplo.org/``) para las direcciones absolutas.
    """
    meta = version.meta
    raiz = url_base.rstrip("/")
    recursos = [_recurso(capa, meta, raiz) for capa in capas.REGISTRO]
    return {
        "profile": "tabular-data-package",
        "name": "sigue-el-dinero-oaxaca",
        "id": f"sigue-el-dinero-oaxaca-{meta['id']}",
        "title": f"{NOMBRE}: datos abiertos del gasto público en Oaxaca",
        "description": "Capas de datos abiertos del tablero: uniformes y útiles escolares "
        "(cobertura, presupuesto, deserción y aprobación), obra pública, estacionamientos "
        "para personas con discapacidad y padrones públicos de programas sociales. Los montos están en pesos corrientes; las "
        "proporciones son fracciones (0.87, no 87); una celda vacía es «sin dato».",
        "version": meta["id"],
        "created": meta.get("creada"),
        "fecha_corte": meta.get("fecha_corte"),
        "version_anterior": meta.get("anterior"),
        "datos_de_ejemplo": _es_ejemplo(meta),
        "homepage": f"{raiz}/datos?version={meta['id']}",
        "licenses": [LICENCIA, LICENCIA_INEGI],
        "cita": cita(meta, f"{raiz}/datos?version={meta['id']}"),
        "sources": [_fuente(info["tipo"], info, meta, raiz) for info in cargas_de(meta)]
        + [FUENTE_INEGI],
        "resources": recursos,
    }


def metadatos(meta: dict, capa: Capa | None = None, filtros: dict | None = None) -> dict:
    """Metadatos que viajan dentro de cada GeoJSON y Parquet."""
    datos = {
        "plataforma": NOMBRE,
        "version": meta["id"],
        "fecha_corte": meta.get("fecha_corte"),
        "creada": meta.get("creada"),
        "datos_de_ejemplo": _es_ejemplo(meta),
        "licencia": f"{LICENCIA['title']} ({LICENCIA['path']})",
        "licencia_limites_municipales": f"{LICENCIA_INEGI['title']} ({LICENCIA_INEGI['path']})",
        "cita": cita(meta),
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


# --- Vistas --------------------------------------------------------------------------------


def _vista_capa(capa: str, formato: str) -> flask.Response:
    registrada = _capa(capa)
    if formato not in FORMATOS:
        raise ErrorDescarga(
            404,
            f"No existe el formato «{formato}». Los formatos son: {', '.join(FORMATOS)}.",
            formatos=list(FORMATOS),
        )
    version = _version()
    datos = capas.datos_de(version)
    filtros = _filtros(registrada, flask.request.args, datos)
    extras = _parametros_dinamicos(registrada)
    clave = (
        _clave_version(version),
        registrada.nombre,
        formato,
        tuple(sorted((k, _congelar(v)) for k, v in filtros.items())),
        tuple(sorted((k, _congelar(v)) for k, v in extras.items())),
    )
    archivo = _CACHE.obtener(
        clave, lambda: _armar(registrada, formato, datos, version.meta, filtros, extras)
    )
    return _responder(
        archivo,
        FORMATOS[formato],
        version.meta,
        nombre_archivo(registrada.nombre, formato, version.meta, filtros),
        inmutable=_version_pedida() and not extras,
    )


def _vista_paquete() -> flask.Response:
    _solo_version()
    version = _version()
    raiz = url_base() + flask.request.script_root
    clave = (_clave_version(version), "datapackage", raiz)
    archivo = _CACHE.obtener(
        clave,
        lambda: _Archivo(
            json.dumps(paquete_de_datos(version, raiz), ensure_ascii=False, indent=2).encode()
        ),
    )
    return _responder(
        archivo,
        _JSON,
        version.meta,
        f"datapackage-{version.id}.json",
        inmutable=_version_pedida(),
        adjunto=False,
    )


def _vista_rechazos(nombre: str) -> flask.Response:
    _solo_version()
    tipo, _, sufijo = nombre.partition("-")
    version = _version()
    tipos = sorted(version.meta.get("fuentes", {}))
    if tipo not in tipos or sufijo not in ("", "advertencias"):
        raise ErrorDescarga(
            404,
            f"No existe el archivo de rechazos «{nombre}.csv». Hay uno por fuente cargada "
            f"({', '.join(tipos)}) y sus advertencias (<fuente>-advertencias.csv).",
        )
    carga = _version_de_carga(version, tipo)
    ruta = carga.ruta / "rechazos" / f"{nombre}.csv" if carga else None
    if ruta is None or not ruta.is_file():
        raise ErrorDescarga(
            404, f"La versión {version.id} no tiene filas rechazadas de la fuente «{tipo}»."
        )
    archivo = _CACHE.obtener(
        (_clave_version(version), "rechazos", nombre), lambda: _Archivo(ruta.read_bytes())
    )
    return _responder(
        archivo,
        FORMATOS["csv"],
        version.meta,
        nombre_archivo(f"rechazos-{nombre}", "csv", version.meta),
        inmutable=_version_pedida(),
    )


def _vista_otra(resto: str) -> flask.Response:
    raise ErrorDescarga(
        404,
        f"No existe la descarga «{resto}». Las capas son: {', '.join(capas.NOMBRES)}; "
        f"los formatos: {', '.join(FORMATOS)}; además /descargas/datapackage.json.",
        capas=list(capas.NOMBRES),
    )


def _responder_error(error: ErrorDescarga) -> flask.Response:
    cuerpo = {"error": error.mensaje, "estado": error.estado, **error.detalle}
    respuesta = flask.Response(
        json.dumps(cuerpo, ensure_ascii=False), status=error.estado, content_type=_JSON.tipo_mime
    )
    respuesta.headers["Cache-Control"] = "no-store"
    respuesta.headers["Access-Control-Allow-Origin"] = "*"
    return respuesta


# --- Piezas --------------------------------------------------------------------------------


def _capa(nombre: str) -> Capa:
    try:
        return capas.capa(nombre)
    except ValueError:
        raise ErrorDescarga(
            404,
            f"No existe la capa «{nombre}». Las capas son: {', '.join(capas.NOMBRES)}.",
            capas=list(capas.NOMBRES),
        ) from None


def _version() -> Version:
    id_version = flask.request.args.get("version") or None
    try:
        return version_servida(id_version)
    except VersionNoEncontrada:
        if id_version is None:
            raise ErrorDescarga(404, "Todavía no hay datos publicados en este tablero.") from None
        disponibles = [v["id"] for v in almacen_servido().versiones()]
        raise ErrorDescarga(
            404,
            f"No existe la versión «{id_version}». Las versiones publicadas son: "
            f"{', '.join(disponibles) or 'ninguna'}.",
            versiones=disponibles,
        ) from None


def _version_pedida() -> bool:
    """Verdadero si la petición nombra su versión (la respuesta no cambiará nunca)."""
    return bool(flask.request.args.get("version"))


def _solo_version() -> None:
    otros = sorted(set(flask.request.args) - {"version"})
    if otros:
        raise ErrorDescarga(
            400,
            f"Parámetro desconocido: {', '.join(otros)}. Esta descarga solo acepta «version».",
            aceptados=["version"],
        )


def _clave_version(version: Version) -> tuple[str, str]:
    return (str(version.ruta.resolve()), version.id)


def _version_de_carga(version: Version, tipo: str) -> Version | None:
    """La versión, igual o anterior a ``version``, creada por la última carga de ``tipo``."""
    if tipo not in version.meta.get("fuentes", {}):
        return None
    almacen = almacen_servido()
    actual: Version | None = version
    while actual is not None:
        if actual.meta.get("carga", {}).get("tipo") == tipo:
            return actual
        anterior = actual.meta.get("anterior")
        actual = almacen.version(anterior) if anterior else None
    return None


def _parametros_dinamicos(capa: Capa) -> dict[str, Any]:
    funcion = flask.current_app.config.get(CLAVE_PARAMETROS, {}).get(capa.nombre)
    if funcion is None and capa.nombre == "estacionamientos":
        if "reportes_api" in flask.current_app.blueprints:  # reportes ciudadanos activos
            funcion = _reportes_abiertos
    return dict(funcion()) if funcion else {}


def _reportes_abiertos() -> dict[str, Any]:
    """Reportes ciudadanos abiertos por cajón (``tablero.reportes``), en cada descarga."""
    from tablero.reportes import servicio, web

    return {"reportes_abiertos": servicio.abiertos_por_cajon(web.sesion())}


# --- Filtros -------------------------------------------------------------------------------


def _filtros(capa: Capa, argumentos, datos) -> dict[str, Any]:
    """Filtros de la URL validados para ``capa.leer`` (400 si sobra o falla alguno).

    Los lee la declaración de la capa (:func:`capas.parametros.leer_parametros`), la misma
    que usan las páginas: una URL de la página da el mismo archivo que su tabla.
    """
    consulta = MultiDict((k, v) for k, v in argumentos.items(multi=True) if k != "version")
    try:
        filtros, _ = leer_parametros(capa, consulta, datos, estricto=True)
    except ParametroInvalido as error:
        aceptados = [*capa.filtros, "version"]
        mensaje = error.mensaje
        if error.nombre not in capa.filtros:
            mensaje = (
                f"La capa {capa.nombre} no acepta el parámetro «{error.nombre}». Acepta: "
                f"{', '.join(aceptados)}."
            )
        raise ErrorDescarga(400, mensaje, aceptados=[str(a) for a in aceptados]) from None
    return filtros


def _congelar(valor):
    if isinstance(valor, dict):
        return tuple(sorted((str(k), _congelar(v)) for k, v in valor.items()))
    if isinstance(valor, pd.Series):
        return tuple(sorted((str(k), _congelar(v)) for k, v in valor.items()))
    if isinstance(valor, list | tuple | set):
        return tuple(_congelar(v) for v in valor)
    return valor


# --- Armado de archivos --------------------------------------------------------------------


def _armar(capa: Capa, formato: str, datos, meta: dict, filtros: dict, extras: dict) -> _Archivo:
    geometria = formato != "csv" and capa.geometria is not None
    parametros = {**filtros, **extras}
    if geometria:
        parametros["geometria"] = True
    tabla = capa.leer(datos, **parametros)
    tabla = _ordenar(tabla, capa)
    if formato == "csv":
        return _Archivo(_csv(tabla))
    info = metadatos(meta, capa, filtros)
    if formato == "geojson":
        return _Archivo(_geojson(tabla, capa, info))
    return _Archivo(_parquet(tabla, info))


def _ordenar(tabla: pd.DataFrame, capa: Capa) -> pd.DataFrame:
    """Columnas del contrato primero, en su orden; las demás después (geometría al final)."""
    geometria = tabla.geometry.name if isinstance(tabla, gpd.GeoDataFrame) else None
    resto = [c for c in tabla.columns if c not in capa.columnas and c != geometria]
    orden = [*capa.columnas, *resto] + ([geometria] if geometria else [])
    return tabla[orden]


def _csv(tabla: pd.DataFrame) -> bytes:
    tabla = pd.DataFrame(tabla.drop(columns="geometry", errors="ignore"))
    return escribir_csv(_valores_de_texto(tabla)).encode("utf-8")


def _valores_de_texto(tabla: pd.DataFrame) -> pd.DataFrame:
    """Fechas ``AAAA-MM-DD`` y booleanos ``true``/``false`` (vacío = sin dato)."""
    cambios = {}
    for nombre in tabla.columns:
        serie = tabla[nombre]
        if pd.api.types.is_datetime64_any_dtype(serie):
            cambios[nombre] = serie.dt.strftime("%Y-%m-%d").astype(object)
        elif pd.api.types.is_bool_dtype(serie):
            cambios[nombre] = serie.map({True: "true", False: "false"}).astype(object)
    return tabla.assign(**cambios) if cambios else tabla


def _geojson(tabla: pd.DataFrame, capa: Capa, info: dict) -> bytes:
    if isinstance(tabla, gpd.GeoDataFrame):
        if tabla.crs is not None and not tabla.crs.equals("EPSG:4326"):
            tabla = tabla.to_crs(4326)
        geometrias = shapely.to_geojson(np.asarray(tabla.geometry.values, dtype=object))
        propiedades = pd.DataFrame(tabla.drop(columns=tabla.geometry.name))
    else:
        geometrias = [None] * len(tabla)
        propiedades = pd.DataFrame(tabla)
    propiedades = _valores_de_texto(propiedades).astype(object)
    propiedades = propiedades.where(propiedades.notna(), None)
    nombres = list(propiedades.columns)
    cabeza = json.dumps(
        {"type": "FeatureCollection", "name": capa.nombre, "metadata": info},
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


def _parquet(tabla: pd.DataFrame, info: dict) -> bytes:
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


def _es_ejemplo(meta: dict) -> bool:
    return any(c.get("ejemplo") for c in cargas_de(meta))


# --- Respuesta y caché ---------------------------------------------------------------------


@dataclass(eq=False)
class _Archivo:
    """Un archivo armado, con su huella y su versión gzip (calculada una vez)."""

    contenido: bytes
    _gzip: bytes | None = field(default=None, repr=False)

    @property
    def etag(self) -> str:
        return hashlib.blake2b(self.contenido, digest_size=12).hexdigest()

    def comprimido(self) -> bytes:
        if self._gzip is None:
            self._gzip = gzip.compress(self.contenido, compresslevel=6, mtime=0)
        return self._gzip

    @property
    def tamano(self) -> int:
        return len(self.contenido) + len(self._gzip or b"")


def _responder(
    archivo: _Archivo,
    formato: Formato,
    meta: dict,
    nombre: str,
    *,
    inmutable: bool,
    adjunto: bool = True,
) -> flask.Response:
    peticion = flask.request
    comprimir = formato.texto and peticion.accept_encodings["gzip"] > 0
    datos = archivo.comprimido() if comprimir else archivo.contenido
    respuesta = flask.Response(datos, content_type=formato.tipo_mime)
    if comprimir:
        respuesta.headers["Content-Encoding"] = "gzip"
    respuesta.vary.add("Accept-Encoding")
    respuesta.set_etag(archivo.etag + ("-gz" if comprimir else ""))
    respuesta.headers[CABECERA_VERSION] = meta["id"]
    respuesta.headers[CABECERA_CORTE] = str(meta.get("fecha_corte") or "")
    respuesta.headers["Link"] = (
        f"<{peticion.script_root}/descargas/datapackage.json?version={meta['id']}>; "
        'rel="describedby"; type="application/json"'
    )
    respuesta.headers["Access-Control-Allow-Origin"] = "*"
    respuesta.headers["Access-Control-Expose-Headers"] = f"{CABECERA_VERSION}, {CABECERA_CORTE}"
    respuesta.headers["Cache-Control"] = (
        "public, max-age=31536000, immutable" if inmutable else "public, no-cache"
    )
    disposicion = "attachment" if adjunto else "inline"
    respuesta.headers["Content-Disposition"] = f'{disposicion}; filename="{nombre}"'
    return respuesta.make_conditional(peticion)


class _CacheArchivos:
    """Archivos armados por clave, los más recientes primero, hasta ``limite`` bytes."""

    def __init__(self, limite: int):
        self.limite = limite
        self._archivos: OrderedDict[tuple, _Archivo] = OrderedDict()
        self._candado = threading.Lock()

    def obtener(self, clave: tuple, armar: Callable[[], _Archivo]) -> _Archivo:
        with self._candado:
            archivo = self._archivos.get(clave)
            if archivo is not None:
                self._archivos.move_to_end(clave)
                return archivo
        archivo = armar()  # fuera del candado: otra descarga no espera a esta
        with self._candado:
            self._archivos[clave] = archivo
            self._archivos.move_to_end(clave)
            while len(self._archivos) > 1 and self._total() > self.limite:
                self._archivos.popitem(last=False)
        return archivo

    def limpiar(self) -> None:
        with self._candado:
            self._archivos.clear()

    def _total(self) -> int:
        return sum(a.tamano for a in self._archivos.values())


_CACHE = _CacheArchivos(LIMITE_CACHE)


def limpiar_cache() -> None:
    """Vacía los archivos armados en memoria (útil en pruebas)."""
    _CACHE.limpiar()
