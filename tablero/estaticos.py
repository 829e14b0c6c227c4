"""Archivos estáticos del tablero: comprimidos una sola vez y con caché larga si llevan huella.

Flask-Compress comprime cada respuesta al vuelo, y su ETag (``"…:br"``) no coincide con el
que compara Dash: cada revalidación de un JavaScript grande (``plotly.min.js``) volvía a leer,
comprimir y descartar el archivo. Aquí los JavaScript, CSS y demás archivos de
``/_dash-component-suites/``, ``/assets/`` y el bundle parcial de plotly.js se sirven desde una
caché en memoria por ruta, fecha y tamaño del archivo: se comprimen (brotli y gzip) la
primera vez que se piden o se toman ya comprimidos (``archivo.br`` / ``archivo.gz`` junto al
original, si descomprimen a lo mismo). Un 304 solo compara el ETag.

Cabeceras:

- URL con huella (``.v4_4_1m123.js`` de Dash, ``?m=`` de los *assets* cuando coincide con la
  fecha del archivo, ``?v=`` del bundle de plotly.js cuando coincide con su contenido):
  ``Cache-Control: public, max-age=31536000, immutable``.
- Sin huella (los *chunks* asíncronos de Dash, que se piden sin versión): ``no-cache``: el
  navegador guarda el archivo y lo revalida con su ETag (un 304 barato). Una caché larga sin
  huella mezclaría, tras actualizar Dash, un *chunk* viejo con el paquete nuevo.

Las respuestas de callbacks, páginas, API y descargas no pasan por aquí: siguen comprimidas por
Flask-Compress.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
import sys
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import brotli
import dash
import flask
from dash.fingerprint import check_fingerprint
from werkzeug.security import safe_join

CARPETA = Path(__file__).resolve().parent
#: Bundle parcial de plotly.js (solo las trazas del tablero; ver ``scripts/plotly_parcial``).
PLOTLY_PARCIAL = CARPETA / "vendor" / "plotly-parcial.min.js"
#: Ruta (bajo el prefijo de la aplicación) donde se sirve el bundle parcial.
RUTA_PLOTLY = "_sigue/plotly-parcial.min.js"
#: Ruta donde Dash pide plotly.js si nadie le dice otra: también sirve el bundle parcial.
RUTA_PLOTLY_DASH = "package_data/plotly.min.js"
#: ``regeneratorRuntime`` (regenerator-runtime de npm, MIT), en lugar de ``@babel/polyfill``.
REGENERATOR = CARPETA / "vendor" / "regenerator-runtime.js"
RUTA_REGENERATOR = "_sigue/regenerator-runtime.js"

#: La etiqueta ``<script>`` del paquete de dash-ag-grid en el HTML de Dash.
SCRIPT_AG_GRID = re.compile(
    r'<script src="([^"]*/_dash-component-suites/dash_ag_grid/dash_ag_grid\.[^"]*\.js)"></script>'
)
#: La etiqueta de ``@babel/polyfill`` (core-js 2 y regenerator-runtime) que Dash pone primero.
SCRIPT_POLYFILL = re.compile(
    r'<script src="[^"]*/_dash-component-suites/dash/deps/polyfill@[^"]*\.js"></script>'
)
#: La etiqueta del paquete de ``dash_table`` (``DataTable``): el tablero no la usa.
SCRIPT_DASH_TABLE = re.compile(
    r'<script src="[^"]*/_dash-component-suites/dash/dash_table/bundle\.[^"]*\.js"></script>\n?'
)

INMUTABLE = "public, max-age=31536000, immutable"
REVALIDAR = "no-cache"
#: Por debajo de este tamaño no vale la pena comprimir.
MINIMO_COMPRIMIR = 500
#: Tipos que se comprimen (las imágenes y fuentes ya van comprimidas).
TIPOS_COMPRIMIBLES = {
    "text/javascript",
    "application/javascript",
    "text/css",
    "application/json",
    "text/plain",
    "image/svg+xml",
    "text/html",
}


@dataclass
class Archivo:
    """Un archivo estático en memoria: su contenido y sus versiones comprimidas."""

    tipo: str
    etag: str
    variantes: dict[str, bytes] = field(default_factory=dict)
    """Contenido por codificación: ``"identity"`` siempre; ``"br"`` y ``"gzip"`` si ahorran."""


class Estaticos:
    """Caché de archivos estáticos comprimidos, por ruta, fecha de modificación y tamaño.

    ``compresiones`` cuenta los archivos comprimidos (para las pruebas: un 304 no comprime).
    """

    def __init__(self) -> None:
        self._archivos: dict[tuple[str, int, int], Archivo] = {}
        self._candado = threading.Lock()
        self.compresiones = 0

    def archivo(self, ruta: Path) -> Archivo:
        """El archivo en memoria (lo lee y comprime la primera vez, o si cambió en disco)."""
        estado = ruta.stat()
        clave = (str(ruta), estado.st_mtime_ns, estado.st_size)
        guardado = self._archivos.get(clave)
        if guardado is not None:
            return guardado
        with self._candado:
            guardado = self._archivos.get(clave)
            if guardado is None:
                # Quita la versión anterior del mismo archivo, si cambió en disco.
                for vieja in [c for c in self._archivos if c[0] == clave[0]]:
                    del self._archivos[vieja]
                guardado = self._archivos[clave] = self._leer(ruta)
            return guardado

    def _leer(self, ruta: Path) -> Archivo:
        crudo = ruta.read_bytes()
        tipo = mimetypes.guess_type(ruta.name)[0] or "application/octet-stream"
        if tipo == "application/javascript":
            tipo = "text/javascript"
        archivo = en_memoria(crudo, tipo, hashlib.sha1(crudo).hexdigest(), ruta)
        if _comprimible(tipo, crudo):
            self.compresiones += 1
        return archivo

    def responder(self, ruta: Path, inmutable: bool) -> flask.Response:
        """Respuesta para ``ruta`` según ``Accept-Encoding`` e ``If-None-Match``."""
        return responder(self.archivo(ruta), inmutable)


def en_memoria(
    crudo: bytes,
    tipo: str,
    etag: str,
    ruta: Path | None = None,
    calidad_brotli: int | None = None,
) -> Archivo:
    """Un :class:`Archivo` con ``crudo`` y sus versiones comprimidas (si ahorran).

    ``ruta`` es el archivo en disco, si lo hay: sus ``.br`` / ``.gz`` precomprimidos se usan
    en lugar de comprimir al vuelo. Sirve también para contenido armado en memoria (la base
    de un mapa, :mod:`tablero.bases_mapa`): se comprime una vez y se responde muchas.
    ``calidad_brotli`` (0 a 11) cambia la calidad de brotli al vuelo (por omisión 9, o 5 con
    más de 2 MB).
    """
    archivo = Archivo(tipo=tipo, etag=etag)
    archivo.variantes["identity"] = crudo
    if _comprimible(tipo, crudo):
        for codificacion, comprimido in _comprimir(ruta, crudo, calidad_brotli).items():
            if len(comprimido) < len(crudo):
                archivo.variantes[codificacion] = comprimido
    return archivo


def _comprimible(tipo: str, crudo: bytes) -> bool:
    return tipo in TIPOS_COMPRIMIBLES and len(crudo) >= MINIMO_COMPRIMIR


def responder(archivo: Archivo, inmutable: bool) -> flask.Response:
    """Respuesta con ``archivo`` según ``Accept-Encoding`` e ``If-None-Match`` (304)."""
    codificacion = _elegir(archivo)
    etiquetas = {_etag(archivo, c) for c in archivo.variantes}
    cabeceras = {
        "Cache-Control": INMUTABLE if inmutable else REVALIDAR,
        "Vary": "Accept-Encoding",
        "ETag": f'"{_etag(archivo, codificacion)}"',
    }
    pedidas = flask.request.if_none_match
    if pedidas and any(pedidas.contains_weak(e) for e in etiquetas):  # RFC 9110: débil
        return flask.Response(status=304, headers=cabeceras)
    if codificacion != "identity":
        cabeceras["Content-Encoding"] = codificacion
    return flask.Response(archivo.variantes[codificacion], mimetype=archivo.tipo, headers=cabeceras)


def _etag(archivo: Archivo, codificacion: str) -> str:
    return archivo.etag if codificacion == "identity" else f"{archivo.etag}-{codificacion}"


def _elegir(archivo: Archivo) -> str:
    aceptadas = flask.request.accept_encodings
    for codificacion in ("br", "gzip"):
        if codificacion in archivo.variantes and aceptadas[codificacion] > 0:
            return codificacion
    return "identity"


def _comprimir(
    ruta: Path | None, crudo: bytes, calidad_brotli: int | None = None
) -> dict[str, bytes]:
    """brotli y gzip de ``crudo``: los precomprimidos junto al archivo si valen, si no al vuelo."""
    resultado: dict[str, bytes] = {}
    for codificacion, sufijo, descomprimir in (
        ("br", ".br", brotli.decompress),
        ("gzip", ".gz", gzip.decompress),
    ):
        previo = None if ruta is None else ruta.with_name(ruta.name + sufijo)
        if previo is not None and previo.is_file():
            datos = previo.read_bytes()
            try:
                if descomprimir(datos) == crudo:
                    resultado[codificacion] = datos
            except (brotli.error, OSError, EOFError):
                pass
    # Al vuelo, una sola vez por archivo: calidad alta pero rápida (brotli 11 tarda ~13 s
    # con 3 MB; el bundle de plotly.js ya viene precomprimido así).
    if "br" not in resultado:
        if calidad_brotli is None:
            calidad_brotli = 9 if len(crudo) < 2_000_000 else 5
        resultado["br"] = brotli.compress(crudo, quality=calidad_brotli)
    if "gzip" not in resultado:
        resultado["gzip"] = gzip.compress(crudo, compresslevel=9, mtime=0)
    return resultado


def huella(ruta: Path) -> str:
    """Huella del contenido de ``ruta`` (12 cifras hexadecimales de su SHA-256).

    Se calcula una vez mientras el archivo no cambie en disco (mismo inodo, fecha y tamaño):
    el HTML de cada página la lleva y leer 3 MB de plotly.js costaba 2.5 ms por petición.
    """
    estado = ruta.stat()
    return _huella(str(ruta), estado.st_ino, estado.st_mtime_ns, estado.st_size)


@lru_cache(maxsize=64)
def _huella(ruta: str, _inodo: int, _fecha: int, _tamano: int) -> str:
    return hashlib.sha256(Path(ruta).read_bytes()).hexdigest()[:12]


def url_plotly(app: dash.Dash) -> str | None:
    """URL con huella del bundle parcial de plotly.js, o ``None`` si no está."""
    if not PLOTLY_PARCIAL.is_file():
        return None
    return f"{app.config.requests_pathname_prefix}{RUTA_PLOTLY}?v={huella(PLOTLY_PARCIAL)}"


def registrar(app: dash.Dash) -> Estaticos:
    """Sirve los estáticos de ``app`` desde la caché (antes que las rutas de Dash y Flask)."""
    estaticos = Estaticos()
    prefijo = app.config.routes_pathname_prefix
    suites = f"{prefijo}_dash-component-suites/"
    assets = f"{prefijo}{app.config.assets_url_path.strip('/')}/"
    carpeta_assets = Path(app.config.assets_folder)
    huella_plotly = huella(PLOTLY_PARCIAL) if PLOTLY_PARCIAL.is_file() else None
    huella_regenerator = huella(REGENERATOR)
    app.server.extensions["sigue_estaticos"] = estaticos

    @app.server.before_request
    def _estatico():
        peticion = flask.request
        if peticion.method not in ("GET", "HEAD"):
            return None
        ruta = peticion.path
        if ruta.startswith(suites):
            encontrado = _archivo_de_suite(app, ruta[len(suites) :], huella_plotly is not None)
            if encontrado is None:
                return None  # Dash responde (404 en español)
            return estaticos.responder(*encontrado)
        if ruta.startswith(assets):
            destino = safe_join(str(carpeta_assets), ruta[len(assets) :])
            if destino is None or not Path(destino).is_file():
                return None
            destino = Path(destino)
            return estaticos.responder(destino, _m_coincide(peticion.args.get("m"), destino))
        return None

    if huella_plotly:
        # Una ruta propia (y no la comodín de Dash, que respondería 404 a lo que no es página).
        def _plotly_parcial():
            inmutable = flask.request.args.get("v") == huella_plotly
            return estaticos.responder(PLOTLY_PARCIAL, inmutable)

        app.server.add_url_rule(
            prefijo + RUTA_PLOTLY, endpoint="sigue_plotly_parcial", view_func=_plotly_parcial
        )

    def _regenerator():
        inmutable = flask.request.args.get("v") == huella_regenerator
        return estaticos.responder(REGENERATOR, inmutable)

    app.server.add_url_rule(
        prefijo + RUTA_REGENERATOR, endpoint="sigue_regenerator", view_func=_regenerator
    )
    return estaticos


def _archivo_de_suite(app: dash.Dash, resto: str, con_parcial: bool) -> tuple[Path, bool] | None:
    """Archivo y si es inmutable para ``<paquete>/<ruta con huella>`` de ``_dash-component-suites``.

    Solo las rutas que Dash registró (las mismas que serviría él); ``None`` para las demás.
    """
    paquete, _, con_huella = resto.partition("/")
    ruta, tiene_huella = check_fingerprint(con_huella)
    if ruta not in app.registered_paths.get(paquete, ()):
        return None
    if paquete == "plotly" and ruta == RUTA_PLOTLY_DASH and con_parcial:
        return PLOTLY_PARCIAL, tiene_huella
    modulo = sys.modules.get(paquete)
    if modulo is None or not getattr(modulo, "__file__", None):
        return None
    destino = safe_join(str(Path(modulo.__file__).parent), ruta)
    if destino is None or not Path(destino).is_file():
        return None
    return Path(destino), tiene_huella


def _m_coincide(m: str | None, ruta: Path) -> bool:
    """Verdadero si ``?m=`` (la fecha que Dash pone a los *assets*) es la del archivo."""
    if not m:
        return False
    try:
        return abs(float(m) - ruta.stat().st_mtime) < 1e-3
    except ValueError:
        return False


def diferir_ag_grid(app: dash.Dash) -> None:
    """Quita del HTML el paquete de dash-ag-grid: se pide solo cuando se muestra una tabla.

    Su URL (con huella) queda en ``<meta name="sigue-ag-grid">``; ``assets/ag-grid-diferido.js``
    define ``window.dash_ag_grid.AgGrid`` como un componente que carga el paquete al montarse
    (dentro de un ``<details>`` cerrado, al abrirlo) y luego dibuja la tabla real.
    """
    original = app.interpolate_index

    def interpolar(**partes):
        scripts = partes.get("scripts", "")
        hallado = SCRIPT_AG_GRID.search(scripts)
        if hallado:
            partes["scripts"] = scripts.replace(hallado.group(0), "")
            meta = f'<meta name="sigue-ag-grid" content="{hallado.group(1)}">'
            partes["metas"] = f"{partes.get('metas', '')}\n      {meta}"
        return original(**partes)

    app.interpolate_index = interpolar


def aligerar_scripts(app: dash.Dash) -> None:
    """Quita del HTML dos paquetes de Dash que la primera carga no necesita.

    - ``@babel/polyfill`` 7 (99 kB; 32 kB con brotli): core-js 2 para navegadores sin ES2015+
      (Internet Explorer) más ``regenerator-runtime``. De él los componentes de Dash solo usan
      el global ``regeneratorRuntime`` (``asyncDecorator`` de los componentes perezosos), así
      que va en su lugar ``vendor/regenerator-runtime.js`` (25 kB; 7 kB con brotli), en el
      mismo sitio (primero) y con huella.
    - ``dash_table`` (``DataTable``, 33 kB; 9 kB con brotli): Dash lo pone en toda página
      porque ``import dash`` lo registra; el tablero no tiene ninguna ``DataTable`` (las tablas
      son HTML o AG Grid; lo vigila ``tests/test_carga_ligera.py``).
    """
    original = app.interpolate_index
    url = f"{app.config.requests_pathname_prefix}{RUTA_REGENERATOR}?v={huella(REGENERATOR)}"

    def interpolar(**partes):
        scripts = partes.get("scripts", "")
        scripts = SCRIPT_POLYFILL.sub(f'<script src="{url}"></script>', scripts, count=1)
        partes["scripts"] = SCRIPT_DASH_TABLE.sub("", scripts, count=1)
        return original(**partes)

    app.interpolate_index = interpolar


#: *Chunks* asíncronos de ``dcc`` que ``/`` pide en cuanto Dash dibuja la página (la gráfica
#: del mapa y las listas desplegables).
CHUNKS_INICIO = ("dash/dcc/async-graph.js", "dash/dcc/async-dropdown.js")


def precargar_inicio(app: dash.Dash) -> None:
    """En el HTML de ``/``, ``<link rel="preload">`` de plotly.js y de los *chunks* del mapa.

    Sin esto el navegador pide plotly.js (0.6 MB con brotli) solo cuando Dash ya dibujó la
    página y montó ``dcc.Graph``: en un teléfono lento son segundos de red después de todo lo
    demás.
    Con prioridad baja (``fetchpriority="low"``) baja mientras tanto sin quitarle red a los
    scripts de Dash; ``dcc`` luego inserta el ``<script>`` con la misma URL y lo toma de la
    caché. Solo en ``/``, la página que abre con un mapa.

    Se precarga (no ``<script async>``): plotly.js se ejecuta una sola vez, cuando ``dcc`` lo
    pide; un ``async`` que aún no terminara al montarse la gráfica se ejecutaría dos veces.
    """
    original = app.interpolate_index
    raiz = app.config.routes_pathname_prefix
    prefijo = app.config.requests_pathname_prefix

    def interpolar(**partes):
        if flask.has_request_context() and flask.request.path == raiz:
            urls = [f"{prefijo}_dash-component-suites/{c}" for c in CHUNKS_INICIO]
            plotly = url_plotly(app)
            if plotly:
                urls.append(plotly)
            enlaces = "".join(
                f'\n      <link rel="preload" as="script" href="{u}" fetchpriority="low">'
                for u in urls
            )
            partes["metas"] = partes.get("metas", "") + enlaces
        return original(**partes)

    app.interpolate_index = interpolar


def calentar(app: dash.Dash, limite: int = 1_500_000) -> int:
    """Lee y comprime de antemano los estáticos de la primera carga; devuelve cuántos.

    Los del HTML de la aplicación (scripts, hojas de estilo, plotly.js y dash-ag-grid de las
    ``<meta>``) y los *chunks* asíncronos registrados de menos de ``limite`` bytes. Con
    gunicorn ``preload_app`` se hace una vez en el proceso principal y los trabajadores lo
    heredan; sin calentar, cada trabajador comprime cada archivo la primera vez que se pide.
    """
    cliente = app.server.test_client()
    html_indice = cliente.get(app.config.routes_pathname_prefix).get_data(as_text=True)
    urls = re.findall(r'<script src="([^"]+)"', html_indice)
    urls += re.findall(r'<link rel="stylesheet" href="([^"]+)"', html_indice)
    urls += re.findall(r'<meta name="sigue-(?:plotly|ag-grid)" content="([^"]+)"', html_indice)
    prefijo = app.config.requests_pathname_prefix
    for paquete, rutas in app.registered_paths.items():
        modulo = sys.modules.get(paquete)
        if modulo is None or not getattr(modulo, "__file__", None):
            continue
        carpeta = Path(modulo.__file__).parent
        for ruta in rutas:
            archivo = carpeta / ruta
            if (
                "async-" in ruta
                and ruta.endswith(".js")
                and archivo.is_file()
                and archivo.stat().st_size < limite
            ):
                urls.append(f"{prefijo}_dash-component-suites/{paquete}/{ruta}")
    servidos = 0
    for url in dict.fromkeys(urls):
        if url.startswith(prefijo):
            url = "/" + url[len(prefijo) :].lstrip("/")
            if cliente.get(url, headers={"Accept-Encoding": "br"}).status_code == 200:
                servidos += 1
    return servidos
