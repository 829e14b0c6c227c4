"""Bases de mapa (geometría, ubicaciones, nombres, *layout*) en una URL por versión y huella.

Lo fijo de un mapa de coropletas no cambia dentro de una versión de los datos: en lugar de
viajar en la respuesta de cada callback (unos 150 kB de los 195 kB de abrir ``/``) se sirve en

    <prefijo>_sigue/mapa/<nombre>/<versión>/<entidad o «todo»>.<huella>.json

con ``Cache-Control: public, max-age=31536000, immutable`` y ``ETag`` (la huella): el
navegador la pide una vez por versión y la guarda; el callback solo manda la URL y los
valores (``z``, colores, textos). La huella es la del contenido: si cambia la forma de armar
la base (otra versión del tablero), cambia la URL aunque la versión de los datos sea la misma.

Se arma, se serializa y se comprime (brotli y gzip) **una vez** por versión y entidad
(``datos.memo``); cada respuesta solo elige la variante comprimida. Una versión que no existe,
una entidad que no tiene la versión o una huella vieja responden 404 con el motivo.

Cada página registra con :func:`registrar_base` cómo se arma su base (``constructor(datos,
entidad)``); así cualquier proceso (otro trabajador de gunicorn) la arma sin haber atendido
antes el callback de la página.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import dash
import flask
import orjson

import capas
from almacen.errores import VersionNoEncontrada
from capas.lectura import DatosVersion
from tablero import estaticos
from tablero.datos import datos_servidos, version_servida
from tablero.json_rapido import OPCIONES, _por_defecto

RUTA = "_sigue/mapa"
#: Nombre del archivo: la entidad (dos cifras, o ``todo``) y la huella del contenido.
ARCHIVO = re.compile(r"(todo|\d{2})\.([0-9a-f]{16})\.json")
TODO = "todo"
#: Brotli con la calidad máxima: una vez por versión y entidad (~1.5 s con los 0.5 MB de los
#: 570 municipios de Oaxaca) a cambio de un cuarto menos de bytes que con la calidad 9 (86 kB
#: en lugar de 115 kB) en cada primera visita.
CALIDAD_BROTLI = 11

#: ``nombre`` → constructor ``(datos, entidad) -> figura`` (dict plano o fragmentos de orjson).
#: El constructor lanza ``LookupError`` si la versión no tiene esa entidad.
_CONSTRUCTORES: dict[str, Callable[[DatosVersion, str | None], dict]] = {}


def registrar_base(nombre: str, constructor: Callable[[DatosVersion, str | None], dict]) -> None:
    """Registra cómo se arma la base del mapa ``nombre`` (una vez, al importar la página)."""
    _CONSTRUCTORES[nombre] = constructor


def base_servida(datos: DatosVersion, nombre: str, entidad: str | None) -> estaticos.Archivo:
    """La base ya serializada y comprimida (:class:`tablero.estaticos.Archivo`), una vez por
    versión, mapa y entidad. Su ``etag`` es la huella de la URL.

    Raises
    ------
    LookupError
        Si no hay mapa ``nombre`` o la versión no tiene la entidad.
    """
    if nombre not in _CONSTRUCTORES:
        raise LookupError(f"No hay un mapa llamado {nombre!r}")

    def armar() -> estaticos.Archivo:
        figura = _CONSTRUCTORES[nombre](datos, entidad)
        crudo = orjson.dumps(figura, default=_por_defecto, option=OPCIONES)
        huella = hashlib.sha256(crudo).hexdigest()[:16]
        return estaticos.en_memoria(
            crudo, "application/json", huella, calidad_brotli=CALIDAD_BROTLI
        )

    return datos.memo(("bases_mapa", nombre, entidad), armar)


def url_base(datos: DatosVersion, nombre: str, entidad: str | None = None) -> str:
    """URL (con el prefijo de la aplicación) de la base del mapa ``nombre`` de esta versión."""
    huella = base_servida(datos, nombre, entidad).etag
    return dash.get_relative_path(f"/{RUTA}/{nombre}/{datos.id}/{entidad or TODO}.{huella}.json")


def precargar(app: dash.Dash, ruta: str, nombre: str) -> None:
    """En el HTML de ``ruta``, ``<link rel="preload" as="fetch">`` de la base ``nombre``.

    Sin esto la base se pide solo cuando Dash ya dibujó la página y el callback del mapa
    respondió con su URL: en un teléfono lento, casi medio segundo de red al final, cuando
    plotly.js ya llegó. Con la precarga baja junto con plotly.js (prioridad baja, para no
    quitarle red a los scripts de Dash) y ``fetch`` la toma de la caché: el atributo
    ``crossorigin`` hace que la precarga coincida con ``fetch(url, {credentials:
    "same-origin"})`` de ``assets/mapas.js``; sin él el navegador la bajaría dos veces.

    Es la base de la versión servida y de todo el mapa (``entidad`` ``None``): si la URL
    trae ``?entidad=`` no se precarga nada (en el modo nacional la base sería otra). La
    primera vez en cada proceso arma la base al responder el HTML en lugar de en el
    callback (:func:`tablero.estaticos.calentar` la deja lista al arrancar).
    """
    original = app.interpolate_index
    pagina = app.config.routes_pathname_prefix + ruta.lstrip("/")

    def interpolar(**partes):
        if (
            flask.has_request_context()
            and flask.request.path == pagina
            and "entidad" not in flask.request.args
        ):
            url = _url_servida(nombre)
            if url:
                enlace = (
                    f'\n      <link rel="preload" as="fetch" href="{url}" crossorigin'
                    ' fetchpriority="low">'
                )
                partes["metas"] = partes.get("metas", "") + enlace
        return original(**partes)

    app.interpolate_index = interpolar


def _url_servida(nombre: str) -> str | None:
    """URL de la base ``nombre`` (todo el mapa) de la versión servida; ``None`` si no hay."""
    datos = datos_servidos()
    if datos is None:
        return None
    try:
        return url_base(datos, nombre, None)
    except LookupError:
        return None


def registrar(app: dash.Dash) -> None:
    """Añade la ruta que sirve las bases de los mapas."""
    prefijo = app.config.routes_pathname_prefix
    app.server.add_url_rule(
        f"{prefijo}{RUTA}/<nombre>/<version>/<archivo>",
        endpoint="sigue_base_mapa",
        view_func=_servir,
    )


def _no_hay(motivo: str) -> flask.Response:
    return flask.Response(
        motivo, status=404, mimetype="text/plain", headers={"Cache-Control": "no-store"}
    )


def _servir(nombre: str, version: str, archivo: str) -> flask.Response:
    partes = ARCHIVO.fullmatch(archivo)
    if partes is None:
        return _no_hay(f"Dirección de mapa no válida: {archivo!r}")
    entidad, huella = partes.groups()
    try:
        datos = capas.datos_de(version_servida(version))
    except VersionNoEncontrada:
        return _no_hay(
            f"No existe la versión {version!r} de los datos: vuelva a abrir la página para "
            "ver la versión publicada."
        )
    try:
        base = base_servida(datos, nombre, None if entidad == TODO else entidad)
    except LookupError as error:
        return _no_hay(str(error))
    if base.etag != huella:
        return _no_hay(
            f"El mapa de la versión {version} cambió (huella {huella}, ahora {base.etag}): "
            "vuelva a abrir la página."
        )
    return estaticos.responder(base, inmutable=True)
