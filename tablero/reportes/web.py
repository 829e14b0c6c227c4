"""Rutas HTTP de los reportes: API pública, descargas y vista de atención para funcionarios.

- ``POST /api/reportes`` (JSON, o ``multipart/form-data`` con hasta 3 ``fotos``),
  ``GET /api/reportes/<folio>`` (contrato: otras herramientas lo usan) y
  ``POST /api/reportes/<folio>/adhesiones`` (sumarse a un reporte abierto).
- ``POST /reportar``: el formulario HTML de las fichas (obra, escuela); responde con páginas.
- ``/reportes/fotos/<archivo>``: una foto aprobada por un funcionario (las demás, 404).
- ``/descargas/reportes.csv`` y ``.geojson``: todos los reportes, solo campos públicos.
- ``/atencion``: funcionarios con usuario y contraseña (sesión firmada, protección CSRF);
  ver los reportes abiertos por antigüedad y tipo, cambiar su estado con respuesta pública.
  Solo ahí se ve el contacto del ciudadano.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import ipaddress
import json
import math
import os
import secrets
from datetime import timedelta
from functools import wraps
from pathlib import Path
from urllib.parse import urlsplit

import flask
import numpy as np
import shapely
from sqlalchemy.orm import Session
from werkzeug.exceptions import RequestEntityTooLarge

from almacen.csv_seguro import celda_segura
from tablero import respuestas
from tablero.formato import fecha_hora, fecha_larga
from tablero.reportes import bd, correo, fotos, servicio
from tablero.reportes.servicio import (
    ESTADOS,
    NOMBRES_OBJETO,
    TIPOS,
    Catalogo,
    ErrorReporte,
    LimiteExcedido,
    Lugar,
)
from tablero.seguridad import mensaje_de, respuesta_error

#: Tamaño máximo del cuerpo de ``POST /api/reportes`` (una descripción de 1,000 caracteres
#: en UTF-8 ocupa a lo más ~4 KB).
LIMITE_CUERPO = 16 * 1024
#: Tamaño máximo de un envío con fotos: 3 fotos de 5 MB y los campos del reporte.
LIMITE_CON_FOTOS = fotos.MAXIMO_FOTOS * fotos.MAXIMO_BYTES + 64 * 1024
#: Reportes por cliente por hora, si no se fija ``SIGUE_LIMITE_REPORTES``.
LIMITE_POR_HORA = 10
CLAVE_CSRF = "csrf"
#: Clave de la cookie de sesión con el token de la sesión del lado del servidor.
CLAVE_SESION = "sesion"

api = flask.Blueprint("reportes_api", __name__)
atencion = flask.Blueprint("atencion", __name__, template_folder="plantillas")
# Fechas de las plantillas en español y en hora del centro de México (se guardan en UTC).
atencion.add_app_template_filter(fecha_hora, "fecha_hora")
atencion.add_app_template_filter(fecha_larga, "fecha_larga")


def registrar(servidor: flask.Flask) -> None:
    """Registra las rutas de reportes en el servidor Flask del tablero y prepara la base."""
    servidor.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SIGUE_HTTPS") == "1",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
    )
    proxies = _entero_entorno("SIGUE_PROXIES", 0)
    if proxies:
        # Detrás de nginx u otro proxy: la IP del cliente viene en X-Forwarded-For (para el
        # límite por cliente); solo se confía en ``SIGUE_PROXIES`` saltos.
        from werkzeug.middleware.proxy_fix import ProxyFix

        servidor.wsgi_app = ProxyFix(servidor.wsgi_app, x_for=proxies, x_proto=proxies)
    servidor.before_request(_preparar)
    servidor.register_blueprint(api)
    servidor.register_blueprint(atencion)
    from tablero.reportes import open311

    servidor.register_blueprint(open311.api)


def preparar(servidor: flask.Flask) -> str:
    """Secreto de sesiones y base de reportes (esquema creado o migrado); devuelve la URL.

    Se llama al arrancar el servidor (``tablero``) y, por si acaso, en la primera petición:
    construir la aplicación no toca el disco.
    """
    datos = Path(servidor.config["SIGUE_DATOS"])
    if "SIGUE_BASE_REPORTES" not in servidor.config:
        servidor.config["SIGUE_BASE_REPORTES"] = bd.url_base(datos)
    if not servidor.secret_key:
        servidor.secret_key = _secreto(datos)
    bd.motor(servidor.config["SIGUE_BASE_REPORTES"])
    servicio.hash_ficticio()  # calculado al arrancar: la primera entrada no tarda el doble
    return servidor.config["SIGUE_BASE_REPORTES"]


def _preparar() -> None:
    app = flask.current_app
    if not app.secret_key or "SIGUE_BASE_REPORTES" not in app.config:
        preparar(app)


def sesion() -> Session:
    """Sesión de base de datos para la petición en curso (se cierra al terminar).

    La petición que la pide no se guarda en :mod:`tablero.respuestas` (los reportes cambian
    sin cambiar la versión), aunque la base no responda.
    """
    respuestas.impura()
    if "sesion_reportes" not in flask.g:
        url = flask.current_app.config.get("SIGUE_BASE_REPORTES") or preparar(flask.current_app)
        flask.g.sesion_reportes = bd.sesiones(url)()
    return flask.g.sesion_reportes


@api.teardown_app_request
def _cerrar_sesion(_error=None) -> None:
    abierta = flask.g.pop("sesion_reportes", None)
    if abierta is not None:
        abierta.close()


def limite_por_hora() -> int:
    """Reportes por cliente por hora (``SIGUE_LIMITE_REPORTES``, por omisión 10)."""
    return max(1, _entero_entorno("SIGUE_LIMITE_REPORTES", LIMITE_POR_HORA))


def _entero_entorno(nombre: str, omision: int) -> int:
    try:
        return int(os.environ.get(nombre, omision))
    except ValueError:
        return omision


def cliente() -> str:
    """Huella anónima del cliente (hash con secreto de su dirección): no se guarda la IP.

    Una dirección IPv6 cuenta por su red /64 (lo que suele tener un solo hogar o equipo):
    cambiar de dirección dentro de la misma red no da intentos ni reportes nuevos.
    """
    direccion = _red_del_cliente(flask.request.remote_addr or "desconocido")
    clave = flask.current_app.secret_key
    clave = clave.encode() if isinstance(clave, str) else clave
    return hmac.new(clave, direccion.encode(), hashlib.sha256).hexdigest()[:32]


def _red_del_cliente(direccion: str) -> str:
    try:
        ip = ipaddress.ip_address(direccion)
    except ValueError:
        return direccion
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def reportes_abiertos() -> dict[str, int]:
    """Reportes abiertos por cajón, para la capa de estacionamientos (mapa, ficha, descargas)."""
    return servicio.abiertos_por_cajon(sesion())


def catalogo_publicado() -> Catalogo:
    """Objetos de la versión servida (cajones, obras, escuelas) y contorno de la entidad."""
    import capas
    from tablero.datos import version_servida

    datos = capas.datos_de(version_servida())
    return datos.memo(("reportes", "catalogo"), lambda: _catalogo(datos))


def completar_municipios() -> int:
    """Municipio de los reportes que no lo tienen (los de antes del esquema 3), una vez por
    proceso y versión de los datos: :func:`servicio.completar_municipios`."""
    import capas
    from tablero.datos import version_servida

    datos = capas.datos_de(version_servida())
    return datos.memo(
        ("reportes", "municipios", flask.current_app.config.get("SIGUE_BASE_REPORTES")),
        lambda: servicio.completar_municipios(sesion(), catalogo_publicado()),
    )


#: Nombre anterior (solo había cajones).
cajones_publicados = catalogo_publicado


def _catalogo(datos) -> Catalogo:
    from capas.cobertura import municipio_escuela
    from capas.obras import municipio_obra

    objetos: dict[str, dict[str, Lugar]] = {}
    tabla = datos.tabla("estacionamientos")
    objetos["cajon"] = _lugares(tabla["id"], tabla, tabla.get("cvegeo"), tabla.get("direccion"))
    obras = datos.tabla("obras")
    if len(obras):
        orden = [c for c in ("anio", "trimestre") if c in obras]
        obras = obras.sort_values(orden, na_position="first", kind="stable") if orden else obras
        obras = obras.drop_duplicates("folio", keep="last")  # su reporte más reciente
        objetos["obra"] = _lugares(obras["folio"], obras, municipio_obra(obras), obras["nombre"])
    escuelas = datos.tabla("escuelas")
    if len(escuelas):
        escuelas = escuelas.drop_duplicates("cct", keep="last")
        objetos["escuela"] = _lugares(
            escuelas["cct"].astype(str).str.upper(),
            escuelas,
            municipio_escuela(escuelas),
            escuelas["nombre"],
        )
    municipios = datos.tabla("municipios")
    arbol = shapely.STRtree(np.asarray(municipios.geometry.values)) if len(municipios) else None
    claves = list(municipios["cvegeo"]) if len(municipios) else []

    def cae_en(latitud: float, longitud: float):
        if arbol is None or not (np.isfinite(latitud) and np.isfinite(longitud)):
            return []
        return arbol.query(shapely.Point(longitud, latitud), predicate="intersects")

    def dentro(latitud: float, longitud: float) -> bool:
        return len(cae_en(latitud, longitud)) > 0

    def municipio(latitud: float, longitud: float) -> str | None:
        indices = cae_en(latitud, longitud)
        return str(claves[int(indices[0])]) if len(indices) else None

    return Catalogo(dentro=dentro, objetos=objetos, municipio=municipio)


def _lugares(ids, tabla, cvegeo, nombres) -> dict[str, Lugar]:
    """``id -> Lugar`` de una tabla (coordenadas y municipio vacíos quedan como ``None``)."""
    n = len(tabla)
    cvegeo = list(cvegeo) if cvegeo is not None else [None] * n
    nombres = list(nombres) if nombres is not None else [None] * n
    lugares = {}
    for id_, lat, lon, cve, nombre in zip(
        ids, tabla["latitud"], tabla["longitud"], cvegeo, nombres, strict=True
    ):
        if id_ is None or id_ != id_ or not str(id_):  # sin identificador (vacío o NaN)
            continue
        lugares[str(id_)] = Lugar(
            float(lat) if lat == lat and lat is not None else None,
            float(lon) if lon == lon and lon is not None else None,
            str(cve) if isinstance(cve, str) and cve else None,
            str(nombre) if isinstance(nombre, str) and nombre else None,
        )
    return lugares


def carpeta_fotos() -> Path:
    """Carpeta de las fotos de los reportes (dentro de la carpeta de datos servida)."""
    return fotos.carpeta_fotos(flask.current_app.config["SIGUE_DATOS"])


# --- API pública ------------------------------------------------------------------------


class EnvioDemasiadoGrande(ErrorReporte):
    """El cuerpo de un envío pasa del máximo permitido (413)."""


@api.post("/api/reportes")
def crear_reporte():
    """Recibe un reporte en JSON o en ``multipart/form-data`` (con fotos).

    Responde ``201 {"folio", "estado"}`` (con fotos, también ``"fotos"``: cuántas quedaron
    en revisión).
    """
    if flask.request.mimetype == "multipart/form-data":
        try:
            datos, archivos = leer_formulario()
        except EnvioDemasiadoGrande as error:
            return _error(error.mensaje, 413, error.campo)
        except ErrorReporte as error:
            return _error(error.mensaje, 400, error.campo)
    elif flask.request.mimetype != "application/json":
        # Mensaje del contrato de siempre; multipart/form-data (con fotos) también se acepta.
        return _error("El cuerpo debe ser JSON (Content-Type: application/json)", 415)
    else:
        archivos = []
        cuerpo = flask.request.stream.read(LIMITE_CUERPO + 1)
        if len(cuerpo) > LIMITE_CUERPO:
            return _error(f"El cuerpo pasa de {LIMITE_CUERPO // 1024} KB", 413)
        try:
            datos = leer_json(cuerpo)
        except ErrorReporte as error:
            return _error(error.mensaje, 400)
    try:
        campos = servicio.validar(datos, catalogo_publicado())
        limpias = procesar_fotos(archivos)
        reporte = servicio.crear(
            sesion(), campos, cliente(), limite_por_hora(), limpias, carpeta_fotos()
        )
    except LimiteExcedido as error:
        return _error(error.mensaje, 429)
    except ErrorReporte as error:
        return _error(error.mensaje, 400, error.campo)
    cuerpo = {"folio": reporte.folio, "estado": reporte.estado}
    if flask.request.mimetype == "multipart/form-data":
        cuerpo["fotos"] = len(reporte.fotos)  # en revisión hasta que un funcionario las apruebe
    respuesta = flask.jsonify(cuerpo)
    respuesta.status_code = 201
    respuesta.headers["Location"] = f"/api/reportes/{reporte.folio}"
    return respuesta


def leer_formulario(extra: tuple[str, ...] = ()) -> tuple[dict, list[tuple[str, bytes]]]:
    """Campos y fotos de un envío ``multipart/form-data``.

    Los campos van como texto; ``latitud`` y ``longitud`` se leen como números (coma o punto
    decimal; lo que no es número se deja para que :func:`servicio.validar` lo explique). Los
    campos de ``extra`` (p. ej. ``volver``) se quitan. Las fotos van en el campo ``fotos``.

    Raises
    ------
    EnvioDemasiadoGrande
        Si el envío pasa de :data:`LIMITE_CON_FOTOS` (se revisa antes de leerlo).
    ErrorReporte
        Si trae más de :data:`fotos.MAXIMO_FOTOS` fotos.
    """
    mensaje = (
        f"El envío pasa de {LIMITE_CON_FOTOS // 1024 // 1024} MB: cada foto puede pesar hasta "
        f"{fotos.MAXIMO_BYTES // 1024 // 1024} MB (hasta {fotos.MAXIMO_FOTOS} fotos)"
    )
    largo = flask.request.content_length
    if largo is not None and largo > LIMITE_CON_FOTOS:
        raise EnvioDemasiadoGrande(f"{mensaje}; este pesa {largo / 1024 / 1024:.1f} MB", "fotos")
    flask.request.max_content_length = LIMITE_CON_FOTOS
    try:
        formulario, archivos = flask.request.form, flask.request.files
    except RequestEntityTooLarge:
        raise EnvioDemasiadoGrande(mensaje, "fotos") from None
    datos: dict = {}
    for nombre in formulario:
        if nombre in extra:
            continue
        valor = formulario.get(nombre, "")
        if nombre in ("latitud", "longitud"):
            valor = _numero_o_texto(valor)
        if valor not in ("", None):
            datos[nombre] = valor
    recibidas = [a for a in archivos.getlist("fotos") if a.filename or a.content_length]
    if len(recibidas) > fotos.MAXIMO_FOTOS:
        raise ErrorReporte(f"Se aceptan hasta {fotos.MAXIMO_FOTOS} fotos por reporte", "fotos")
    return datos, [(a.filename or "", a.read()) for a in recibidas]


def procesar_fotos(archivos: list[tuple[str, bytes]]) -> list[fotos.FotoProcesada]:
    """Limpia cada foto recibida (:func:`fotos.procesar`); la primera que falle detiene todo."""
    return [fotos.procesar(contenido, nombre) for nombre, contenido in archivos]


def _numero_o_texto(valor: str):
    texto = (valor or "").strip()
    if not texto:
        return None
    try:
        return float(texto.replace(",", "."))
    except ValueError:
        return texto


# --- Formulario HTML de las fichas (obra, escuela) --------------------------------------


def _mismo_origen() -> bool:
    """El formulario viene de este sitio, no de otro (defensa contra envíos cruzados).

    Manda ``Sec-Fetch-Site`` (lo envían los navegadores actuales; no depende de que un proxy
    conserve ``Host``); sin él, ``Origin`` debe ser este mismo servidor; sin ninguno de los
    dos (clientes que no son navegadores), se acepta: el límite por hora sigue valiendo.
    """
    sitio = flask.request.headers.get("Sec-Fetch-Site")
    if sitio is not None:
        return sitio in ("same-origin", "none")
    origen = flask.request.headers.get("Origin")
    return origen is None or urlsplit(origen).netloc == flask.request.host


def _volver() -> str:
    """Página de la que vino el formulario (solo rutas de este sitio)."""
    volver = flask.request.form.get("volver", "")
    if volver.startswith("/") and not volver.startswith("//") and "\\" not in volver:
        return volver[:500]
    return "/"


@api.post("/reportar")
def reportar():
    """Recibe el formulario de una ficha (con fotos) y lleva al seguimiento del folio.

    Si el objeto ya tiene un reporte abierto del mismo tipo no se duplica: se muestra ese
    reporte y se ofrece sumarse a él. Un error se explica en una página con el enlace de
    regreso (400, o 413 si el envío pesa demasiado).
    """
    if not _mismo_origen():
        return _pagina_error("El formulario no vino de este sitio.", 403, "/")
    try:
        datos, archivos = leer_formulario(extra=("volver",))
    except EnvioDemasiadoGrande as error:
        return _pagina_error(error.mensaje, 413, "/")
    except ErrorReporte as error:
        return _pagina_error(error.mensaje, 400, _volver())
    volver = _volver()
    s = sesion()
    try:
        campos = servicio.validar(datos, catalogo_publicado())
        limpias = procesar_fotos(archivos)
        similar = servicio.abierto_similar(s, campos["objeto_id"], campos["tipo"], campos["objeto"])
        if similar is not None:
            return flask.render_template(
                "similar.html",
                reporte=similar,
                descripcion=campos["descripcion"],
                contacto=campos["contacto"] or "",
                con_fotos=bool(limpias),
                volver=volver,
                NOMBRES_OBJETO=NOMBRES_OBJETO,
            )
        reporte = servicio.crear(s, campos, cliente(), limite_por_hora(), limpias, carpeta_fotos())
    except LimiteExcedido as error:
        return _pagina_error(error.mensaje, 429, volver)
    except ErrorReporte as error:
        return _pagina_error(error.mensaje, 400, volver)
    return flask.redirect(f"/reporte?folio={reporte.folio}&nuevo=1", 303)


def sumarse(folio: str, descripcion, contacto) -> servicio.Reporte:
    """Suma a quien hace la petición al reporte abierto ``folio`` (:func:`servicio.sumarse`):
    su huella anónima de cliente y el límite por hora; un contacto vacío no se guarda."""
    return servicio.sumarse(
        sesion(), folio, descripcion, contacto or None, cliente(), limite_por_hora()
    )


@api.post("/reportar/sumarse")
def reportar_sumarse():
    """Se suma al reporte abierto ofrecido por :func:`reportar` en vez de duplicarlo."""
    if not _mismo_origen():
        return _pagina_error("El formulario no vino de este sitio.", 403, "/")
    formulario = flask.request.form
    try:
        reporte = sumarse(
            formulario.get("folio", ""), formulario.get("descripcion"), formulario.get("contacto")
        )
    except LimiteExcedido as error:
        return _pagina_error(error.mensaje, 429, _volver())
    except ErrorReporte as error:
        return _pagina_error(error.mensaje, 400, _volver())
    return flask.redirect(f"/reporte?folio={reporte.folio}&sumado=1", 303)


def _pagina_error(mensaje: str, estado: int, volver: str):
    return flask.render_template("reportar_error.html", mensaje=mensaje, volver=volver), estado


@api.get("/reportes/fotos/<archivo>")
def ver_foto(archivo: str):
    """Una foto aprobada (JPEG limpio); pendiente, oculta o inexistente: 404."""
    foto = servicio.foto_publica(sesion(), archivo)
    camino = fotos.ruta(carpeta_fotos(), archivo) if foto is not None else None
    if camino is None:
        return _error("No existe esa foto o no está publicada", 404)
    respuesta = flask.send_file(camino, mimetype="image/jpeg", conditional=True, max_age=0)
    respuesta.headers["Cache-Control"] = "no-cache"  # si se oculta, deja de verse al instante
    return respuesta


@api.route("/reportes/baja/<token>", methods=["GET", "POST"])
def baja(token: str):
    """Baja de un clic de los avisos por correo (RFC 8058).

    ``POST`` (el botón de la página, o el cliente de correo con ``List-Unsubscribe=One-Click``)
    da de baja; ``GET`` solo muestra la página con el botón: los revisores de enlaces de los
    servidores de correo abren los enlaces y no deben dar de baja a nadie. Un token que no
    existe es una página 404 en español.
    """
    s = sesion()
    suscripcion = correo.suscripcion_de_token(s, token)
    if suscripcion is None:
        respuesta = flask.make_response(
            flask.render_template(
                "baja.html", suscripcion=None, hecho=False, folio=None, accion=None
            ),
            404,
        )
    else:
        hecho = flask.request.method == "POST"
        if hecho:
            correo.dar_de_baja(s, suscripcion)
        respuesta = flask.make_response(
            flask.render_template(
                "baja.html",
                suscripcion=suscripcion,
                hecho=hecho,
                folio=suscripcion.reporte.folio,
                accion=flask.request.path,
            )
        )
    # El token va en la dirección: ni caché, ni Referer, ni buscadores.
    respuesta.headers["Cache-Control"] = "no-store"
    respuesta.headers["Referrer-Policy"] = "no-referrer"
    respuesta.headers["X-Robots-Tag"] = "noindex"
    return respuesta


@api.post("/api/reportes/<folio>/adhesiones")
def sumarse_api(folio: str):
    """Se suma a un reporte abierto: JSON ``{"descripcion", "contacto"}`` (ambos opcionales).

    Responde ``201 {"folio", "estado", "adhesiones"}``; ``404`` si el folio no existe, ``400``
    si el reporte está cerrado o los campos no son válidos, ``429`` pasado el límite por hora
    (las adhesiones cuentan). Lo usa la cola sin conexión del teléfono
    (``assets/instalable.js``) para el botón «Sumarme a ese reporte».
    """
    if flask.request.mimetype != "application/json":
        return _error("El cuerpo debe ser JSON (Content-Type: application/json)", 415)
    cuerpo = flask.request.stream.read(LIMITE_CUERPO + 1)
    if len(cuerpo) > LIMITE_CUERPO:
        return _error(f"El cuerpo pasa de {LIMITE_CUERPO // 1024} KB", 413)
    try:
        datos = leer_json(cuerpo) if cuerpo.strip() else {}
        if not isinstance(datos, dict):
            raise ErrorReporte("El cuerpo debe ser un objeto JSON")
    except ErrorReporte as error:
        return _error(error.mensaje, 400, error.campo)
    if servicio.consultar(sesion(), folio) is None:
        return _error("No existe un reporte con ese folio", 404)
    try:
        reporte = sumarse(folio, datos.get("descripcion"), datos.get("contacto"))
    except LimiteExcedido as error:
        return _error(error.mensaje, 429)
    except ErrorReporte as error:
        return _error(error.mensaje, 400, error.campo)
    respuesta = flask.jsonify(
        {"folio": reporte.folio, "estado": reporte.estado, "adhesiones": len(reporte.adhesiones)}
    )
    respuesta.status_code = 201
    return respuesta


@api.get("/api/reportes/<folio>")
def ver_reporte(folio: str):
    """Campos públicos de un reporte (nunca el contacto) o 404."""
    reporte = servicio.consultar(sesion(), folio)
    if reporte is None:
        return _error("No existe un reporte con ese folio", 404)
    return flask.jsonify(servicio.publico(reporte))


def leer_json(cuerpo: bytes) -> object:
    """JSON estricto (RFC 8259) de un cuerpo UTF-8.

    Raises
    ------
    ErrorReporte
        Si no es UTF-8 o no es JSON: también ``NaN``/``Infinity``, números de miles de cifras
        y anidaciones tan profundas que Python no las puede leer (``[`` × 5000).
    """
    try:
        return json.loads(cuerpo.decode("utf-8"), parse_constant=_constante_no_valida)
    except RecursionError:
        raise ErrorReporte("El cuerpo no es un JSON válido: anida demasiados niveles") from None
    except ValueError:  # UnicodeDecodeError, JSONDecodeError, enteros de más de 4,300 cifras
        raise ErrorReporte("El cuerpo no es un JSON válido") from None


def _constante_no_valida(nombre: str):
    raise ValueError(f"{nombre} no es JSON")


#: Columnas de ``/descargas/reportes.*``: las 11 de siempre y, al final, las del objeto, el
#: municipio, la moderación y las fotos publicadas (direcciones separadas por ``;``).
COLUMNAS_CSV = [
    "folio", "estado", "tipo", "descripcion", "estacionamiento_id", "latitud", "longitud",
    "creado", "actualizado", "respuesta", "adhesiones",
    "objeto", "objeto_id", "cvegeo", "texto_oculto", "nota_moderacion", "fotos",
]  # fmt: skip


def _fila_descarga(fila: dict) -> dict:
    plana = {k: fila.get(k) for k in COLUMNAS_CSV}
    plana["fotos"] = ";".join(f["url"] for f in fila["fotos"])
    return plana


@api.get("/descargas/reportes.csv")
def descargar_csv():
    """Todos los reportes, campos públicos, CSV UTF-8."""
    salida = io.StringIO()
    escritor = csv.DictWriter(salida, fieldnames=COLUMNAS_CSV, extrasaction="ignore")
    escritor.writeheader()
    for fila in servicio.reportes_publicos(sesion()):
        escritor.writerow({k: celda_segura(v) for k, v in _fila_descarga(fila).items()})
    return _archivo(salida.getvalue(), "text/csv; charset=utf-8", "reportes.csv")


@api.get("/descargas/reportes.geojson")
def descargar_geojson():
    """Todos los reportes, campos públicos, GeoJSON WGS84 (sin geometría si no hay punto)."""
    rasgos = []
    for fila in servicio.reportes_publicos(sesion()):
        punto = None
        if fila["latitud"] is not None and fila["longitud"] is not None:
            punto = {"type": "Point", "coordinates": [fila["longitud"], fila["latitud"]]}
        propiedades = _fila_descarga(fila)
        rasgos.append({"type": "Feature", "geometry": punto, "properties": propiedades})
    contenido = json.dumps({"type": "FeatureCollection", "features": rasgos}, ensure_ascii=False)
    return _archivo(contenido, "application/geo+json; charset=utf-8", "reportes.geojson")


# --- Atención (funcionarios) --------------------------------------------------------------


def requiere_usuario(vista):
    """Decorador: solo funcionarios con sesión iniciada."""

    @wraps(vista)
    def envoltura(*args, **kwargs):
        # La cookie firmada no basta: la sesión debe seguir abierta en la base (salir,
        # desactivar al usuario o cambiar su contraseña la cierran al instante).
        usuario = servicio.usuario_de_sesion(sesion(), flask.session.get(CLAVE_SESION))
        if usuario is None:
            flask.session.clear()
            return flask.redirect(flask.url_for("atencion.entrar", siguiente=flask.request.path))
        flask.g.usuario_atencion = usuario.nombre
        return vista(*args, **kwargs)

    return envoltura


@atencion.after_request
def _cabeceras_privadas(respuesta: flask.Response) -> flask.Response:
    """Páginas con contactos: no se guardan en caché ni envían la dirección a otros sitios.

    Las cabeceras de seguridad comunes (marcos, CSP, ``nosniff``) las pone la aplicación a
    toda respuesta (:mod:`tablero.seguridad`).
    """
    respuesta.headers["Cache-Control"] = "no-store"
    respuesta.headers["Referrer-Policy"] = "same-origin"
    return respuesta


@atencion.before_request
def _verificar_csrf():
    if flask.request.method == "POST":
        esperado = flask.session.get(CLAVE_CSRF, "")
        recibido = flask.request.form.get(CLAVE_CSRF, "")
        if not esperado or not hmac.compare_digest(esperado, recibido):
            flask.abort(400, "Formulario vencido o no válido: recargue la página")


@atencion.app_context_processor
def _token_csrf():
    def token() -> str:
        if CLAVE_CSRF not in flask.session:
            flask.session[CLAVE_CSRF] = secrets.token_urlsafe(32)
        return flask.session[CLAVE_CSRF]

    return {
        "token_csrf": token,
        "recurso": recurso,
        "ESTADOS": ESTADOS,
        "TIPOS": TIPOS,
        "NOMBRES_OBJETO": NOMBRES_OBJETO,
        # «Sigue el dinero …» del lugar del sitio (la entidad servida o «México»).
        "sitio": _sitio,
    }


def _sitio() -> str:
    from tablero.componentes import lugar_del_sitio, titulo_sitio

    return titulo_sitio(lugar_del_sitio())


def recurso(nombre: str) -> str:
    """URL de un archivo de ``tablero/assets`` (hojas de estilo del sitio), con el prefijo de Dash."""
    app = flask.current_app.config.get("SIGUE_APP_DASH")
    return app.get_asset_url(nombre) if app is not None else f"/assets/{nombre}"


@atencion.route("/atencion/entrar", methods=["GET", "POST"])
def entrar():
    """Formulario de entrada de funcionarios."""
    mensaje = None
    if flask.request.method == "POST":
        s = sesion()
        nombre = flask.request.form.get("usuario", "")
        # Límite por dirección y por (dirección, cuenta), nunca por cuenta sola: nadie puede
        # bloquear a un funcionario desde otra dirección. El intento se reserva antes de
        # verificar (ráfagas exactas) y se devuelve si la contraseña es correcta.
        claves = servicio.claves_entrada(cliente(), nombre)
        espera = servicio.reservar_entrada(s, claves)
        if espera is not None:
            segundos = max(1, math.ceil(espera.total_seconds()))
            respuesta = flask.make_response(
                flask.render_template(
                    "entrar.html",
                    mensaje=f"Demasiados intentos fallidos: espere {_duracion(segundos)} "
                    "y vuelva a intentarlo.",
                ),
                429,
            )
            respuesta.headers["Retry-After"] = str(segundos)
            return respuesta
        usuario = servicio.verificar(s, nombre, flask.request.form.get("contrasena", ""))
        if usuario is not None:
            servicio.entrada_correcta(s, claves)
            flask.session.clear()
            flask.session[CLAVE_SESION] = servicio.abrir_sesion(s, usuario)
            flask.session.permanent = True
            siguiente = flask.request.args.get("siguiente", "")
            return flask.redirect(
                siguiente
                if siguiente.startswith("/atencion")
                else flask.url_for("atencion.pendientes")
            )
        mensaje = "Usuario o contraseña incorrectos."
    return flask.render_template("entrar.html", mensaje=mensaje), (401 if mensaje else 200)


@atencion.post("/atencion/salir")
def salir():
    """Cierra la sesión del funcionario (en la base: la cookie ya no sirve a nadie)."""
    servicio.cerrar_sesion(sesion(), flask.session.get(CLAVE_SESION))
    flask.session.clear()
    return flask.redirect(flask.url_for("atencion.entrar"))


@atencion.get("/atencion")
@requiere_usuario
def pendientes():
    """Reportes abiertos por antigüedad y tipo, con el contacto (solo aquí)."""
    reportes = servicio.pendientes(sesion())
    por_tipo: dict[str, int] = {}
    for reporte in reportes:
        por_tipo[reporte.tipo] = por_tipo.get(reporte.tipo, 0) + 1
    ahora = servicio.ahora()
    return flask.render_template(
        "pendientes.html",
        reportes=reportes,
        por_tipo=por_tipo,
        ahora=ahora,
        usuario=flask.g.usuario_atencion,
    )


@atencion.route("/atencion/reporte/<folio>", methods=["GET", "POST"])
@requiere_usuario
def detalle(folio: str):
    """Detalle de un reporte y cambio de estado con respuesta pública."""
    s = sesion()
    mensaje = None
    if flask.request.method == "POST":
        formulario = flask.request.form
        accion = formulario.get("accion", "estado")
        try:
            if accion == "foto":
                servicio.moderar_foto(
                    s,
                    folio,
                    formulario.get("foto"),
                    formulario.get("decision", ""),
                    formulario.get("nota"),
                    flask.g.usuario_atencion,
                )
            elif accion == "texto":
                servicio.moderar_texto(
                    s,
                    folio,
                    formulario.get("ocultar") == "1",
                    formulario.get("nota"),
                    flask.g.usuario_atencion,
                )
            else:
                servicio.cambiar_estado(
                    s,
                    folio,
                    formulario.get("estado", ""),
                    formulario.get("respuesta"),
                    flask.g.usuario_atencion,
                )
                return avisar_al_cerrar(
                    flask.redirect(flask.url_for("atencion.detalle", folio=folio, hecho=1))
                )
            return flask.redirect(flask.url_for("atencion.detalle", folio=folio, hecho=1))
        except ErrorReporte as error:
            mensaje = error.mensaje
    reporte = servicio.consultar(s, folio)
    if reporte is None:
        flask.abort(404)
    return flask.render_template(
        "detalle.html",
        reporte=reporte,
        mensaje=mensaje,
        hecho=flask.request.args.get("hecho"),
        transiciones=servicio.TRANSICIONES.get(reporte.estado, ()),
        usuario=flask.g.usuario_atencion,
    ), (400 if mensaje else 200)


def avisar_al_cerrar(respuesta: flask.Response) -> flask.Response:
    """Programa el envío de los avisos por correo para cuando la respuesta ya salió.

    El cambio de estado y sus avisos ya están confirmados en la base; el envío corre al
    cerrar la respuesta (el funcionario no espera al servidor de correo) con su propia
    sesión. Sin ``SIGUE_SMTP_HOST`` no hace nada.
    """
    if correo.configurado():
        url = flask.current_app.config["SIGUE_BASE_REPORTES"]
        secreto = flask.current_app.secret_key
        respuesta.call_on_close(lambda: correo.enviar_tras_cambio(url, secreto))
    return respuesta


@atencion.get("/atencion/foto/<int:foto_id>")
@requiere_usuario
def foto_en_revision(foto_id: int):
    """Cualquier foto de un reporte (también pendiente u oculta), solo para funcionarios."""
    from tablero.reportes.modelo import Foto

    foto = sesion().get(Foto, foto_id)
    camino = fotos.ruta(carpeta_fotos(), foto.archivo) if foto is not None else None
    if camino is None:
        flask.abort(404)
    return flask.send_file(camino, mimetype="image/jpeg", conditional=False, max_age=0)


@atencion.app_errorhandler(400)
def _solicitud_invalida(error):
    if not flask.request.path.startswith("/atencion"):
        return respuesta_error(error)
    return flask.render_template(
        "error.html", titulo="Solicitud no válida", mensaje=mensaje_de(error)
    ), 400


@atencion.app_errorhandler(404)
def _no_encontrado(error):
    if not flask.request.path.startswith("/atencion"):
        return respuesta_error(error)
    return flask.render_template(
        "error.html", titulo="No encontrado", mensaje="No existe ese reporte."
    ), 404


# --- utilidades ---------------------------------------------------------------------------


def _duracion(segundos: int) -> str:
    if segundos < 120:
        return f"{segundos} segundos"
    return f"{math.ceil(segundos / 60)} minutos"


def _error(mensaje: str, estado: int, campo: str | None = None):
    cuerpo = {"error": mensaje}
    if campo:
        cuerpo["campo"] = campo
    respuesta = flask.jsonify(cuerpo)
    respuesta.status_code = estado
    return respuesta


def _archivo(contenido: str, tipo: str, nombre: str) -> flask.Response:
    respuesta = flask.Response(contenido, mimetype=tipo.split(";")[0])
    respuesta.headers["Content-Type"] = tipo
    respuesta.headers["Content-Disposition"] = f'attachment; filename="{nombre}"'
    respuesta.headers["Cache-Control"] = "no-cache"
    return respuesta


def secreto_de(datos: str | Path) -> str:
    """El secreto del servidor para la carpeta ``datos`` (el mismo que usan las peticiones)."""
    return _secreto(Path(datos))


def _secreto(datos: Path) -> str:
    """``SIGUE_SECRETO`` o un secreto aleatorio guardado en la carpeta de datos (0600).

    Todos los procesos que sirven la misma carpeta comparten así el secreto de las sesiones.
    """
    if os.environ.get("SIGUE_SECRETO"):
        return os.environ["SIGUE_SECRETO"]
    ruta = datos / ".secreto"
    datos.mkdir(parents=True, exist_ok=True)
    if ruta.exists():
        bd.solo_dueno(ruta)  # un secreto de una versión anterior, quizá legible por todos
    else:
        temporal = datos / f".secreto.{secrets.token_hex(4)}"
        descriptor = os.open(temporal, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as archivo:
            archivo.write(secrets.token_urlsafe(48))
        try:
            os.link(temporal, ruta)  # atómico: si otro proceso ganó, se usa el suyo
        except FileExistsError:
            pass
        finally:
            temporal.unlink()
    return ruta.read_text(encoding="utf-8").strip()
