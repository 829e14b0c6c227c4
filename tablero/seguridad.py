"""Cabeceras de seguridad y respuestas de error de todo el servidor del tablero.

- Toda respuesta (páginas, API, descargas, recursos de Dash) lleva ``X-Content-Type-Options:
  nosniff``, ``X-Frame-Options: DENY``, ``Referrer-Policy`` y una ``Content-Security-Policy``
  compatible con Dash: de los scripts en línea solo corren los de Dash (el *renderer* y las
  funciones de los callbacks del navegador), permitidos por su hash.
- Los errores HTTP responden en español: ``{"error": ...}`` en la API, las descargas y los
  callbacks de Dash; una página sencilla en lo demás.
- Una excepción no prevista responde 500 genérico en español, sin traza ni datos. La
  bitácora guarda el tipo de error y dónde ocurrió, no su mensaje (podría llevar datos que
  mandó el usuario).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import os
import traceback
from urllib.parse import urlsplit

import dash
import flask
from dash.exceptions import DependencyException
from werkzeug.exceptions import BadRequest, HTTPException, NotFound

registro = logging.getLogger(__name__)

#: Mensajes en español por código HTTP (los de Werkzeug vienen en inglés).
MENSAJES = {
    400: ("Solicitud no válida", "La solicitud tiene datos que el servidor no entiende."),
    401: ("Sin autorización", "Necesita entrar para ver esta página."),
    403: ("Prohibido", "No tiene permiso para ver esta página."),
    404: ("No encontrado", "No existe esa dirección."),
    405: ("Método no permitido", "Esta dirección no acepta ese método."),
    408: ("Tiempo agotado", "La solicitud tardó demasiado en llegar."),
    413: ("Solicitud demasiado grande", "La solicitud pasa del tamaño máximo aceptado."),
    414: ("Dirección demasiado larga", "La dirección pasa del largo máximo aceptado."),
    415: ("Tipo de contenido no aceptado", "El servidor no acepta ese tipo de contenido."),
    429: ("Demasiadas solicitudes", "Demasiadas solicitudes seguidas: espere un momento."),
    431: ("Cabeceras demasiado grandes", "Las cabeceras de la solicitud son demasiado grandes."),
    500: ("Error del servidor", "Ocurrió un error en el servidor. Intente de nuevo más tarde."),
}
#: Rutas que responden JSON (API, descargas y los callbacks de Dash).
PREFIJOS_JSON = ("/api/", "/descargas/", "/_dash-")
RUTA_CALLBACKS = "/_dash-update-component"


def proteger(app: dash.Dash) -> None:
    """Pone las cabeceras de seguridad y los manejadores de error en ``app.server``."""
    servidor = app.server
    servidor.config["SIGUE_APP_DASH"] = app

    @servidor.after_request
    def _cabeceras(respuesta: flask.Response) -> flask.Response:
        cabeceras = respuesta.headers
        cabeceras.setdefault("X-Content-Type-Options", "nosniff")
        cabeceras.setdefault("X-Frame-Options", "DENY")
        cabeceras.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        cabeceras.setdefault("Content-Security-Policy", politica_de_contenido(app))
        return respuesta

    @servidor.before_request
    def _callback_bien_formado():
        # Corre después de ``Dash._setup_server`` (registrado antes): el mapa de callbacks
        # ya está completo.
        if flask.request.method == "POST" and flask.request.path.endswith(RUTA_CALLBACKS):
            validar_callback(app)

    servidor.register_error_handler(HTTPException, respuesta_error)
    servidor.register_error_handler(DependencyException, _recurso_inexistente)
    servidor.register_error_handler(Exception, _error_no_previsto)


def politica_de_contenido(app: dash.Dash) -> str:
    """``Content-Security-Policy`` del tablero.

    - Scripts: solo del mismo origen y los en línea de Dash por su hash
      (:meth:`dash.Dash.csp_hashes` hace lo mismo); un ``<script>`` inyectado no corre.
    - Estilos en línea permitidos: Plotly y MapLibre los crean al dibujar.
    - ``blob:`` para los *workers* de MapLibre; el origen de ``SIGUE_TESELAS`` (si está
      definida) para las teselas del mapa base.
    - Nadie puede incrustar el tablero en un marco (``frame-ancestors 'none'``).
    """
    scripts = " ".join(_hashes_en_linea(app))
    teselas = _origen_teselas()
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {scripts}",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob:{teselas}",
            "font-src 'self' data:",
            f"connect-src 'self'{teselas}",
            "worker-src 'self' blob:",
            "child-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _hashes_en_linea(app: dash.Dash) -> list[str]:
    scripts = [*app._inline_scripts, app.renderer]
    clave = tuple(scripts)
    guardados = getattr(app, "_sigue_hashes_csp", None)
    if guardados is None or guardados[0] != clave:
        hashes = [
            "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in scripts
        ]
        guardados = (clave, hashes)
        app._sigue_hashes_csp = guardados
    return guardados[1]


def _origen_teselas() -> str:
    plantilla = os.environ.get("SIGUE_TESELAS", "").strip()
    if not plantilla:
        return ""
    partes = urlsplit(plantilla)
    if partes.scheme not in ("http", "https") or not partes.netloc:
        return ""
    anfitrion = partes.netloc.replace("{s}", "*")
    if any(c in anfitrion for c in " ;'\"{}"):
        return ""
    return f" {partes.scheme}://{anfitrion}"


def validar_callback(app: dash.Dash) -> None:
    """Forma de una petición de callback de Dash; si no la tiene, 400 antes de despacharla.

    Lo que el navegador manda siempre es un objeto JSON con ``output`` (un callback
    registrado), ``outputs`` y listas ``inputs``/``state`` de ``{"id", "property"}`` (o
    listas de ellos, con comodines ``ALL``). Otra cosa (JSON roto o anidado sin fin,
    ``NaN``, una salida que no existe, tipos cambiados) no llega al código de Dash.
    """
    try:
        cuerpo = json.loads(
            flask.request.get_data(cache=True).decode("utf-8"),
            parse_constant=_constante_no_valida,
        )
    except (ValueError, RecursionError):
        raise BadRequest() from None
    if not isinstance(cuerpo, dict) or not isinstance(cuerpo.get("output"), str):
        raise BadRequest()
    if cuerpo["output"] not in app.callback_map:
        raise BadRequest()
    if not isinstance(cuerpo.get("outputs"), dict | list):
        raise BadRequest()
    for clave in ("inputs", "state"):
        valores = cuerpo.get(clave, [])
        if not isinstance(valores, list) or not all(map(_entrada_de_callback, valores)):
            raise BadRequest()
    cambiados = cuerpo.get("changedPropIds", [])
    if not isinstance(cambiados, list) or not all(isinstance(c, str) for c in cambiados):
        raise BadRequest()


def _entrada_de_callback(valor: object) -> bool:
    if isinstance(valor, list):  # comodín ALL: una lista de entradas
        return all(_entrada_de_callback(v) and not isinstance(v, list) for v in valor)
    return (
        isinstance(valor, dict)
        and isinstance(valor.get("id"), str | dict)
        and isinstance(valor.get("property"), str)
    )


def _constante_no_valida(nombre: str):
    raise ValueError(f"{nombre} no es JSON")


def _recurso_inexistente(_error: DependencyException) -> flask.Response:
    """Dash lanza ``DependencyException`` por un recurso que no registró: es un 404."""
    return respuesta_error(NotFound())


def respuesta_error(error: HTTPException) -> flask.Response:
    """Respuesta en español para un error HTTP (JSON o una página sencilla según la ruta)."""
    if error.response is not None:  # ``abort(respuesta)``: ya trae su respuesta
        return error.response
    codigo = error.code or 500
    titulo, mensaje = MENSAJES.get(
        codigo, ("Solicitud no atendida", "La solicitud no se pudo atender.")
    )
    respuesta = _respuesta(codigo, titulo, mensaje)
    # Las cabeceras propias del error (``Allow`` de un 405, ``Retry-After`` de un 429).
    for nombre, valor in error.get_headers():
        if nombre in ("Allow", "Retry-After"):
            respuesta.headers[nombre] = valor
    return respuesta


def mensaje_de(error: HTTPException) -> str:
    """El mensaje propio del error (``abort(400, "...")``) o el de su código, en español."""
    if error.description and error.description != type(error).description:
        return error.description
    return MENSAJES.get(error.code or 500, MENSAJES[500])[1]


def _error_no_previsto(error: Exception) -> flask.Response:
    if isinstance(error, HTTPException):
        return respuesta_error(error)
    if flask.request.path.endswith(RUTA_CALLBACKS):
        # La petición tenía la forma correcta pero valores que el tablero nunca manda (tipos
        # cambiados, rutas, números enormes): es una entrada mala, 400; queda en la bitácora
        # por si fuera un error del tablero.
        registro.warning(
            "Callback rechazado (%s) en %s", type(error).__name__, flask.request.path[:200]
        )
        return respuesta_error(BadRequest())
    marcos = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
    registro.error(
        "Error no previsto (%s) en %s %s; el mensaje no se registra:\n%s",
        type(error).__name__,
        flask.request.method,
        flask.request.path[:200],
        marcos,
    )
    return _respuesta(500, *MENSAJES[500])


def _sitio() -> str:
    """«Sigue el dinero …» del lugar del sitio; si leer la versión falla (la página de error
    puede ser por eso), el de ``SIGUE_ESTADO``."""
    from almacen.entidades import lugar_configurado
    from tablero.componentes import lugar_del_sitio, titulo_sitio

    try:
        return titulo_sitio(lugar_del_sitio())
    except Exception:  # noqa: BLE001 - la página de error se sirve siempre
        return titulo_sitio(lugar_configurado())


def _respuesta(codigo: int, titulo: str, mensaje: str) -> flask.Response:
    if flask.request.path.startswith(PREFIJOS_JSON):
        return flask.Response(
            json.dumps({"error": mensaje}, ensure_ascii=False),
            status=codigo,
            content_type="application/json; charset=utf-8",
        )
    pagina = (
        '<!DOCTYPE html>\n<html lang="es">\n<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(titulo)} · {html.escape(_sitio())}</title></head>\n"
        f'<body><main><h1>{html.escape(titulo)}</h1><p role="alert">{html.escape(mensaje)}</p>'
        '<p><a href="/">Volver al inicio</a></p></main></body>\n</html>\n'
    )
    return flask.Response(pagina, status=codigo, content_type="text/html; charset=utf-8")
