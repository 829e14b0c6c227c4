"""Respuestas guardadas: lo que no cambia mientras no cambie la versión de los datos.

Muchas personas piden lo mismo (la portada con sus filtros por omisión, ``/obras`` del último
año): el callback que arma esa respuesta depende solo de lo que manda el navegador y de la
versión servida, que es inmutable. Aquí se guarda la **respuesta HTTP final** (ya comprimida)
en memoria, en cada proceso, y la siguiente petición igual la recibe sin pasar por Dash.

Qué se guarda (todo lo demás pasa de largo, como siempre):

- ``POST …/_dash-update-component`` cuyo callback, o el ``layout`` de la página que arma, está
  marcado con :func:`pura`; ``GET …/_dash-layout`` (el armazón, marcado igual) y
  ``GET …/_dash-dependencies`` (fijo mientras corre el proceso);
- solo respuestas 200 sin ``Set-Cookie``, de hasta :data:`MAXIMO_RESPUESTA` bytes;
- nunca si durante la petición se abrió la base de reportes ciudadanos (cambia sin que cambie
  la versión): :func:`instalar` escucha cada conexión de SQLAlchemy y la marca. Así una página
  marcada pura que muestra reportes (la ficha de una obra con sus reportes) no se guarda.

La clave es ``(versión servida, método, ruta, cuerpo, Accept-Encoding)``: con una versión nueva
las claves cambian y lo viejo sale solo por LRU. El tamaño total por proceso es
``SIGUE_CACHE_RESPUESTAS_MB`` (por omisión 64; ``0`` la apaga, p. ej. para medir el peor caso
en ``benchmarks/usuarios.py``). Si varias peticiones iguales llegan a la vez, una arma la
respuesta y las demás la esperan (hasta :data:`ESPERA_MAXIMA` s), en vez de repetir el trabajo.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import threading
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl, urlencode

import flask
from cachetools import LRUCache

#: Cabecera interna con la que una respuesta se declara guardable (no sale al navegador).
CABECERA = "X-Sigue-Guardable"
#: Variable de entorno con el tamaño de la memoria de respuestas por proceso, en MB.
VARIABLE_MB = "SIGUE_CACHE_RESPUESTAS_MB"
MB_OMISION = 64
#: Una respuesta más grande que esto no se guarda (las de Dash aquí pesan ≤ 200 kB).
MAXIMO_RESPUESTA = 2 * 1024 * 1024
#: Segundos que una petición espera a otra igual que ya se está armando.
ESPERA_MAXIMA = 30.0
_RUTAS_GET = ("/_dash-layout", "/_dash-dependencies")
_RUTA_CALLBACK = "/_dash-update-component"
_ATRIBUTO_G = "sigue_guardable"


def pura(funcion: Callable) -> Callable:
    """Marca un callback o el ``layout`` de una página como puro: su respuesta depende solo
    de sus argumentos y de la versión servida (nada de reportes, sesión, hora ni azar).

    Va **debajo** de ``@callback`` (lo que Dash envuelve es esta función).
    """

    @functools.wraps(funcion)
    def envoltura(*args, **kwargs):
        if flask.has_request_context() and getattr(flask.g, _ATRIBUTO_G, None) is None:
            setattr(flask.g, _ATRIBUTO_G, True)
        return funcion(*args, **kwargs)

    return envoltura


def impura() -> None:
    """La petición en curso leyó algo que cambia sin cambiar la versión: no se guarda."""
    if flask.has_request_context():
        setattr(flask.g, _ATRIBUTO_G, False)


def _tamano(entrada: tuple) -> int:
    _estado, cabeceras, cuerpo = entrada
    return len(cuerpo) + sum(len(k) + len(v) for k, v in cabeceras) + 200


class Guardadas:
    """Middleware WSGI con la memoria de respuestas (una por aplicación y proceso)."""

    def __init__(self, wsgi, version: Callable[[], str | None], maximo_bytes: int):
        self.wsgi = wsgi
        self.version = version
        self.memoria: LRUCache = LRUCache(maxsize=maximo_bytes, getsizeof=_tamano)
        self.candado = threading.Lock()
        self.en_curso: dict[bytes, threading.Event] = {}
        self.aciertos = 0
        self.fallos = 0
        #: Salidas de callback (o rutas GET) que ya se guardaron alguna vez: solo en ellas una
        #: petición espera a otra igual.
        self.puras: set[str] = set()

    def __call__(self, environ, start_response):
        clave = self._clave(environ)
        if clave is None:
            return self.wsgi(environ, start_response)
        evento, propio = self._turno(clave)
        if not propio:
            if _salida(environ) in self.puras:
                evento.wait(ESPERA_MAXIMA)
            else:  # algo que nunca se guardó: cada petición lo arma sin esperar a otra
                return self.wsgi(environ, start_response)
        with self.candado:
            guardada = self.memoria.get(clave)
            if guardada is not None:
                self.aciertos += 1
        if guardada is not None:
            if propio:
                self._soltar(clave, evento)
            estado, cabeceras, cuerpo = guardada
            start_response(estado, list(cabeceras))
            return [cuerpo]
        try:
            return self._armar(clave, environ, start_response)
        finally:
            if propio:
                self._soltar(clave, evento)

    def _turno(self, clave: bytes) -> tuple[threading.Event, bool]:
        with self.candado:
            evento = self.en_curso.get(clave)
            if evento is not None:
                return evento, False
            evento = self.en_curso[clave] = threading.Event()
            return evento, True

    def _soltar(self, clave: bytes, evento: threading.Event) -> None:
        with self.candado:
            self.en_curso.pop(clave, None)
        evento.set()

    def _armar(self, clave: bytes, environ, start_response) -> Iterable[bytes]:
        visto: dict = {}

        def anotar(estado, cabeceras, exc_info=None):
            visto["estado"], visto["cabeceras"] = estado, cabeceras
            limpias = [(k, v) for k, v in cabeceras if k.lower() != CABECERA.lower()]
            return start_response(estado, limpias, exc_info)

        resultado = self.wsgi(environ, anotar)
        estado, cabeceras = visto.get("estado", ""), visto.get("cabeceras", [])
        nombres = {k.lower() for k, _ in cabeceras}
        if not (
            estado.startswith("200") and CABECERA.lower() in nombres and "set-cookie" not in nombres
        ):
            with self.candado:
                self.fallos += 1
            return resultado
        try:
            cuerpo = b"".join(resultado)
        finally:
            if hasattr(resultado, "close"):
                resultado.close()
        limpias = tuple((k, v) for k, v in cabeceras if k.lower() != CABECERA.lower())
        entrada = (estado, limpias, cuerpo)
        with self.candado:
            self.fallos += 1
            if len(cuerpo) <= MAXIMO_RESPUESTA and _tamano(entrada) <= self.memoria.maxsize:
                self.memoria[clave] = entrada
                self.puras.add(_salida(environ))
        return [cuerpo]

    def _clave(self, environ) -> bytes | None:
        metodo = environ.get("REQUEST_METHOD", "")
        ruta = environ.get("PATH_INFO", "")
        if metodo == "GET" and ruta.endswith(_RUTAS_GET):
            cuerpo = b""
        elif metodo == "POST" and ruta.endswith(_RUTA_CALLBACK):
            try:
                largo = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return None
            if largo <= 0 or largo > MAXIMO_RESPUESTA:
                return None  # Flask responde como siempre (413, 400…)
            cuerpo = environ["wsgi.input"].read(largo)
            environ["wsgi.input"] = io.BytesIO(cuerpo)
        else:
            return None
        if environ.get("HTTP_IF_NONE_MATCH") or environ.get("HTTP_IF_MODIFIED_SINCE"):
            return None
        try:
            version = self.version()
        except Exception:  # noqa: BLE001 - almacén vacío o ilegible: se responde sin guardar
            return None
        if version is None:
            return None
        resumen = hashlib.blake2b(digest_size=20)
        for parte in (
            version,
            metodo,
            environ.get("SCRIPT_NAME", ""),
            ruta,
            _consulta(environ.get("QUERY_STRING", "")),
            _codificaciones(environ.get("HTTP_ACCEPT_ENCODING", "")),
        ):
            resumen.update(parte.encode("utf-8", "surrogateescape") + b"\0")
        resumen.update(cuerpo)
        return resumen.digest()


#: Lo único de la consulta que lee algo marcado puro (los títulos: ``lugar_actual``). Lo
#: demás (el ``endId`` que Dash firma en cada carga de página, o lo que alguien invente) no
#: cambia la respuesta y no entra en la clave: nadie multiplica las claves con la consulta.
_CONSULTA_LEIDA = ("entidad", "municipio")
#: Codificaciones que la compresión puede elegir; la clave lleva las que el cliente acepta.
_CODIFICACIONES = ("br", "gzip", "deflate", "zstd")


def _consulta(texto: str) -> str:
    """Los argumentos de :data:`_CONSULTA_LEIDA` de la consulta, en orden."""
    if not texto:
        return ""
    pares = [(k, v) for k, v in parse_qsl(texto, keep_blank_values=True) if k in _CONSULTA_LEIDA]
    return urlencode(sorted(pares))


def _codificaciones(texto: str) -> str:
    """Las codificaciones conocidas que acepta el cliente (``q`` > 0), en orden.

    Dos clientes con el mismo conjunto aceptan lo que se eligió para cualquiera de los dos; una
    cabecera inventada no crea claves nuevas (a lo más 2⁴ conjuntos).
    """
    aceptadas = set()
    for parte in texto.lower().split(","):
        nombre, _, parametros = parte.partition(";")
        nombre = nombre.strip()
        if nombre not in _CODIFICACIONES:
            continue
        calidad = parametros.strip()
        if calidad.startswith("q="):
            try:
                if float(calidad[2:]) <= 0:
                    continue
            except ValueError:
                continue
        aceptadas.add(nombre)
    return ",".join(sorted(aceptadas))


def _salida(environ) -> str:
    """La salida del callback de la petición (o la ruta, en un GET); ``""`` si no se lee."""
    if environ.get("REQUEST_METHOD") != "POST":
        return environ.get("PATH_INFO", "")
    try:
        cuerpo = environ["wsgi.input"].getvalue()
        salida = json.loads(cuerpo).get("output")
    except (AttributeError, ValueError, TypeError):
        return ""
    return salida if isinstance(salida, str) else ""


def _marcar(respuesta: flask.Response) -> flask.Response:
    """``after_request``: declara guardable lo que cumplió las condiciones del módulo."""
    ruta = flask.request.path
    guardable = getattr(flask.g, _ATRIBUTO_G, None)
    if ruta.endswith("/_dash-dependencies") and guardable is None:
        guardable = True
    if guardable and respuesta.status_code == 200 and not respuesta.direct_passthrough:
        respuesta.headers[CABECERA] = "1"
    return respuesta


def _desmarcar() -> None:
    flask.g.pop(_ATRIBUTO_G, None)


def _al_conectar(*_args) -> None:
    impura()


def megabytes() -> float:
    """Tamaño configurado de la memoria de respuestas (``SIGUE_CACHE_RESPUESTAS_MB``)."""
    texto = os.environ.get(VARIABLE_MB, "").strip()
    try:
        return max(0.0, float(texto)) if texto else float(MB_OMISION)
    except ValueError:
        return float(MB_OMISION)


def instalar(servidor: flask.Flask, version: Callable[[], str | None]) -> Guardadas | None:
    """Pone la memoria de respuestas delante de ``servidor`` (``None`` si está apagada).

    ``version`` da el id de la versión servida (o ``None``), sin contexto de Flask.
    """
    from sqlalchemy import Engine, event

    if not event.contains(Engine, "engine_connect", _al_conectar):
        event.listen(Engine, "engine_connect", _al_conectar)
    # Después de los ``before_request`` de Dash (que al armarse llama al armazón, puro): la
    # marca es solo de lo que corre para esta petición.
    servidor.before_request(_desmarcar)
    servidor.after_request(_marcar)
    maximo = int(megabytes() * 1024 * 1024)
    if maximo <= 0:
        return None
    guardadas = Guardadas(servidor.wsgi_app, version, maximo)
    servidor.wsgi_app = guardadas
    servidor.extensions["sigue_respuestas"] = guardadas
    return guardadas
