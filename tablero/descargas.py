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
- ``?bom=1`` (solo ``.csv``): CSV para Excel, el mismo contenido con el BOM UTF-8
  (``EF BB BF``) delante y nombre ``...-excel.csv``. Es un parámetro de formato, no un filtro
  (no llega a ``capa.leer``); ``?bom=0`` o vacío es el CSV de siempre, sin BOM.

El armado de cada archivo (CSV, GeoJSON, Parquet, paquete de datos, cita, metadatos) está en
:mod:`capas.publicacion`, sin Flask; aquí quedan las rutas, la caché, las cabeceras y los
errores HTTP.

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
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import flask
import pandas as pd
from werkzeug.datastructures import MultiDict

import capas
from almacen.errores import VersionNoEncontrada
from almacen.versiones import Version
from capas import publicacion
from capas.parametros import ParametroInvalido, leer_parametros

# El armado de los archivos vive en capas.publicacion (sin Flask); estos nombres se
# reexportan porque la página de datos abiertos y otras herramientas los importan de aquí.
from capas.publicacion import (  # noqa: F401
    BOM,
    FORMATO_JSON,
    FORMATOS,
    FUENTE_INEGI,
    LICENCIA,
    LICENCIA_INEGI,
    NOMBRE,
    Formato,
    cita,
    lugar_de_version,
    metadatos,
    nombre_archivo,
    paquete_de_datos,
    url_descarga,
)
from capas.registro import Capa
from tablero.datos import almacen_servido, version_servida
from tablero.url import url_base

#: Bytes de archivos armados que se guardan en memoria (por proceso).
LIMITE_CACHE = 96 * 1024 * 1024

#: Clave de ``servidor.config`` con los parámetros dinámicos de cada capa.
CLAVE_PARAMETROS = "SIGUE_PARAMETROS_DESCARGA"

#: Parámetro de formato (no de filtro) que pide el CSV para Excel: ``?bom=1``.
PARAMETRO_BOM = "bom"

#: Cabeceras con la versión y la fecha de corte de cada archivo.
CABECERA_VERSION = "X-Sigue-Version"
CABECERA_CORTE = "X-Sigue-Fecha-Corte"


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


# --- Vistas --------------------------------------------------------------------------------


def _vista_capa(capa: str, formato: str) -> flask.Response:
    registrada = _capa(capa)
    if formato not in FORMATOS:
        raise ErrorDescarga(
            404,
            f"No existe el formato «{formato}». Los formatos son: {', '.join(FORMATOS)}.",
            formatos=list(FORMATOS),
        )
    argumentos, bom = _parametro_bom(flask.request.args, formato)
    version = _version()
    datos = capas.datos_de(version)
    filtros = _filtros(registrada, argumentos, datos)
    extras = _parametros_dinamicos(registrada)
    clave = (
        _clave_version(version),
        registrada.nombre,
        formato,
        tuple(sorted((k, _congelar(v)) for k, v in filtros.items())),
        tuple(sorted((k, _congelar(v)) for k, v in extras.items())),
    )
    archivo = _CACHE.obtener(
        clave,
        lambda: _Archivo(
            publicacion.armar(
                registrada, formato, datos, version.meta, filtros, extras, lugar_de_version(datos)
            )
        ),
    )
    if bom:
        # Mismos bytes con la marca delante: se arma una vez a partir del CSV de siempre.
        base = archivo
        archivo = _CACHE.obtener(
            (*clave, PARAMETRO_BOM), lambda: _Archivo(publicacion.con_bom(base.contenido))
        )
    return _responder(
        archivo,
        FORMATOS[formato],
        version.meta,
        nombre_archivo(
            registrada.nombre, formato, version.meta, filtros, variante="excel" if bom else None
        ),
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
            json.dumps(
                paquete_de_datos(version, raiz, lugar_de_version(capas.datos_de(version))),
                ensure_ascii=False,
                indent=2,
            ).encode()
        ),
    )
    return _responder(
        archivo,
        FORMATO_JSON,
        version.meta,
        f"datapackage-{version.id}.json",
        inmutable=_version_pedida(),
        adjunto=False,
    )


def _vista_rechazos(nombre: str) -> flask.Response:
    _solo_version(PARAMETRO_BOM)
    _, bom = _parametro_bom(flask.request.args, "csv")
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
    clave = (_clave_version(version), "rechazos", nombre)
    archivo = _CACHE.obtener(clave, lambda: _Archivo(ruta.read_bytes()))
    if bom:
        base = archivo
        archivo = _CACHE.obtener(
            (*clave, PARAMETRO_BOM), lambda: _Archivo(publicacion.con_bom(base.contenido))
        )
    return _responder(
        archivo,
        FORMATOS["csv"],
        version.meta,
        nombre_archivo(
            f"rechazos-{nombre}", "csv", version.meta, variante="excel" if bom else None
        ),
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
        json.dumps(cuerpo, ensure_ascii=False),
        status=error.estado,
        content_type=FORMATO_JSON.tipo_mime,
    )
    respuesta.headers["Cache-Control"] = "no-store"
    respuesta.headers["Access-Control-Allow-Origin"] = "*"
    return respuesta


# --- Piezas --------------------------------------------------------------------------------


def _parametro_bom(argumentos, formato: str):
    """Quita ``bom`` de los parámetros (es de formato, no un filtro) y dice si se pidió.

    ``?bom=1`` pide el CSV para Excel; ``?bom=0`` o vacío, el CSV de siempre. Cualquier otro
    valor, o ``bom`` en un formato que no es CSV, responde 400.
    """
    valores = [v.strip() for v in argumentos.getlist(PARAMETRO_BOM)]
    if not valores:
        return argumentos, False
    if len(valores) > 1 or valores[0] not in ("", "0", "1"):
        raise ErrorDescarga(
            400,
            f"El parámetro «{PARAMETRO_BOM}» vale 1 (CSV para Excel, con BOM UTF-8) o 0; se "
            f"recibió «{','.join(valores)}».",
        )
    bom = valores[0] == "1"
    if bom and formato != "csv":
        raise ErrorDescarga(
            400,
            f"El parámetro «{PARAMETRO_BOM}=1» solo existe para CSV (/descargas/<capa>.csv); "
            f"se pidió {formato}.",
        )
    resto = MultiDict(argumentos)
    resto.poplist(PARAMETRO_BOM)
    return resto, bom


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


def _solo_version(*otros_aceptados: str) -> None:
    aceptados = ["version", *otros_aceptados]
    otros = sorted(set(flask.request.args) - set(aceptados))
    if otros:
        lista = " y ".join(f"«{a}»" for a in aceptados)
        raise ErrorDescarga(
            400,
            f"Parámetro desconocido: {', '.join(otros)}. Esta descarga solo acepta {lista}.",
            aceptados=aceptados,
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
        aceptados = [*capa.filtros, "version", PARAMETRO_BOM]
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
