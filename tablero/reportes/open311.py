"""Open311 GeoReport v2 en ``/open311/v2/``: los mismos reportes, con los nombres del estándar.

Otras aplicaciones (FixMyStreet, apps de ciudad, analistas) leen y levantan reportes sin
conocer la API propia. Rutas (solo JSON):

- ``GET services.json``: un servicio por clase de objeto y tipo de reporte
  (``service_code`` = ``"<objeto>.<tipo>"``, p. ej. ``obra.obra_detenida``).
- ``GET services/<service_code>.json``: su definición (el atributo que nombra el objeto).
- ``GET requests.json``: filtros estándar ``service_request_id`` (lista con comas; manda
  sobre los demás), ``service_code`` (lista), ``start_date``, ``end_date`` y ``status``
  (``open``/``closed``). Sin fechas, los últimos :data:`VENTANA` días; a lo más :data:`TOPE`
  solicitudes, la más nueva primero.
- ``POST requests.json``: ``service_code``, ``lat``, ``long``, ``address_string``,
  ``description``, ``email`` (opcional; nunca se devuelve) y el atributo del objeto
  (``attribute[folio]``, ``attribute[cct]``, ``attribute[estacionamiento_id]``).
- ``GET requests/<service_request_id>.json``: una solicitud (lista de un elemento).

Validación, límite por hora, duplicados (sumarse al reporte abierto igual) y privacidad son
los de :mod:`tablero.reportes.servicio`. Los errores son una lista de ``{code, description}``
en español con el estado HTTP del código.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import flask
from werkzeug.exceptions import RequestEntityTooLarge

from tablero.componentes import lugar_del_sitio, titulo_sitio
from tablero.reportes import servicio
from tablero.reportes.modelo import OBJETOS, Reporte
from tablero.reportes.servicio import (
    ABIERTOS,
    CAMPO_OBJETO,
    ESTADOS,
    NOMBRES_OBJETO,
    OCULTO,
    TIPOS_POR_OBJETO,
    ErrorReporte,
    LimiteExcedido,
)

PREFIJO = "/open311/v2"
#: Máximo de solicitudes en una respuesta de ``GET requests.json``.
TOPE = 1000
#: Ventana por omisión de ``GET requests.json`` (sin ``start_date`` ni ``end_date``).
VENTANA = timedelta(days=90)
#: Estado Open311 de cada estado propio: abiertos los que esperan atención.
ESTADO_OPEN311: dict[str, str] = {e: ("open" if e in ABIERTOS else "closed") for e in ESTADOS}
#: Atributo (``attribute[<código>]``) que nombra el objeto de cada clase; un punto no tiene.
ATRIBUTO: dict[str, str] = {"obra": "folio", "escuela": "cct", "cajon": "estacionamiento_id"}
_DESCRIPCION_ATRIBUTO = {
    "obra": "Folio de la obra en los datos publicados (p. ej. 05096400004)",
    "escuela": "Clave del centro de trabajo (CCT) de la escuela (p. ej. 20DES0006A)",
    "cajon": "Identificador del cajón de estacionamiento en los datos publicados",
}
_GRUPO = {
    "obra": "Obras públicas",
    "escuela": "Escuelas (uniformes y útiles)",
    "cajon": "Estacionamientos para personas con discapacidad",
    "punto": "Estacionamientos para personas con discapacidad",
}
#: Nombre del campo propio -> parámetro Open311 (para decir qué corregir).
_PARAMETRO = {
    "latitud": "lat",
    "longitud": "long",
    "descripcion": "description",
    "contacto": "email",
    "tipo": "service_code",
    **{campo: f"attribute[{ATRIBUTO[o]}]" for o, campo in CAMPO_OBJETO.items()},
}

api = flask.Blueprint("open311", __name__)


class ErrorOpen311(Exception):
    """Error con el código HTTP que se responde y su descripción en español."""

    def __init__(self, codigo: int, descripcion: str):
        super().__init__(descripcion)
        self.codigo = codigo
        self.descripcion = descripcion


@dataclass(frozen=True)
class Servicio:
    """Un servicio Open311: una clase de objeto y un tipo de reporte de esa clase."""

    objeto: str
    tipo: str

    @property
    def codigo(self) -> str:
        """``service_code``: ``"<objeto>.<tipo>"``."""
        return f"{self.objeto}.{self.tipo}"


def catalogo_servicios() -> dict[str, Servicio]:
    """``service_code -> Servicio`` de todas las clases de objeto (:data:`modelo.OBJETOS`)."""
    return {
        s.codigo: s
        for objeto in OBJETOS
        for s in (Servicio(objeto, tipo) for tipo in TIPOS_POR_OBJETO[objeto])
    }


def servicio_de(codigo: object) -> Servicio:
    """El servicio de un ``service_code``.

    Raises
    ------
    ErrorOpen311
        400 si falta o no existe.
    """
    servicios = catalogo_servicios()
    if not isinstance(codigo, str) or not codigo.strip():
        raise ErrorOpen311(400, "Falta service_code: consulte services.json")
    if codigo.strip() not in servicios:
        raise ErrorOpen311(
            400, f"No existe el servicio {codigo.strip()[:60]!r}: consulte services.json"
        )
    return servicios[codigo.strip()]


def descripcion_servicio(s: Servicio) -> dict:
    """Un elemento de ``services.json`` con los siete campos del estándar."""
    tipo = TIPOS_POR_OBJETO[s.objeto][s.tipo]
    nombre = NOMBRES_OBJETO[s.objeto]
    if s.objeto == "punto":
        donde = "en un punto del mapa (lat y long) sin cajón registrado"
    else:
        donde = f"de un {nombre} publicado (attribute[{ATRIBUTO[s.objeto]}])"
        if s.objeto in ("obra", "escuela"):
            donde = f"de una {nombre} publicada (attribute[{ATRIBUTO[s.objeto]}])"
    return {
        "service_code": s.codigo,
        "service_name": f"{nombre.capitalize()}: {tipo}",
        "description": f"Reporte «{tipo}» {donde}.",
        "metadata": s.objeto in ATRIBUTO,
        "type": "realtime",
        "keywords": ", ".join(
            [s.objeto, s.tipo, *([ATRIBUTO[s.objeto]] if s.objeto in ATRIBUTO else [])]
        ),
        "group": _GRUPO[s.objeto],
    }


def definicion_servicio(s: Servicio) -> dict:
    """``services/<service_code>.json``: el atributo obligatorio que nombra el objeto."""
    atributos = []
    if s.objeto in ATRIBUTO:
        atributos.append(
            {
                "variable": True,
                "code": ATRIBUTO[s.objeto],
                "datatype": "string",
                "required": True,
                "datatype_description": _DESCRIPCION_ATRIBUTO[s.objeto],
                "order": 1,
                "description": _DESCRIPCION_ATRIBUTO[s.objeto],
            }
        )
    return {"service_code": s.codigo, "attributes": atributos}


def fecha_iso(fecha: datetime | None) -> str | None:
    """ISO 8601 con zona (UTC, ``Z``) de una fecha guardada en UTC sin zona."""
    return None if fecha is None else fecha.replace(microsecond=0).isoformat() + "Z"


def solicitud(reporte: Reporte, raiz: str = "", nombre_objeto: str | None = None) -> dict:
    """Un reporte como solicitud Open311: los campos del estándar, nunca el contacto.

    ``raiz`` es la dirección del sitio (para ``media_url``, solo la primera foto aprobada);
    ``nombre_objeto``, el nombre publicado de la obra, escuela o cajón (para ``address``).
    """
    estado = ESTADOS.get(reporte.estado, reporte.estado)
    notas = f"{estado}: {reporte.respuesta}" if reporte.respuesta else estado
    aprobadas = [f for f in reporte.fotos if f.estado == "aprobada"]
    direccion = None
    if reporte.objeto != "punto" and reporte.objeto_id:
        direccion = f"{NOMBRES_OBJETO[reporte.objeto].capitalize()} {reporte.objeto_id}"
        if nombre_objeto:
            direccion += f": {nombre_objeto}"
    descripcion = (
        (reporte.nota_moderacion or OCULTO) if reporte.texto_oculto else reporte.descripcion
    )
    tipo = TIPOS_POR_OBJETO.get(reporte.objeto, {}).get(reporte.tipo, reporte.tipo)
    return {
        "service_request_id": reporte.folio,
        "status": ESTADO_OPEN311.get(reporte.estado, "open"),
        "status_notes": notas,
        "service_name": f"{NOMBRES_OBJETO.get(reporte.objeto, reporte.objeto).capitalize()}: {tipo}",
        "service_code": f"{reporte.objeto}.{reporte.tipo}",
        "description": descripcion,
        "agency_responsible": None,
        "service_notice": None,
        "requested_datetime": fecha_iso(reporte.creado),
        "updated_datetime": fecha_iso(reporte.actualizado),
        "expected_datetime": None,
        "address": direccion,
        "address_id": reporte.objeto_id,
        "zipcode": None,
        "lat": reporte.latitud,
        "long": reporte.longitud,
        "media_url": (raiz.rstrip("/") + servicio.url_foto(aprobadas[0].archivo))
        if aprobadas
        else None,
    }


def _fecha(texto: str, parametro: str) -> datetime:
    """Fecha ISO 8601 (con zona; sin zona se toma UTC) como UTC sin zona."""
    try:
        fecha = datetime.fromisoformat(texto.strip())
        if fecha.tzinfo is not None:
            fecha = fecha.astimezone(UTC).replace(tzinfo=None)
    except ValueError:
        raise ErrorOpen311(
            400,
            f"{parametro} no es una fecha ISO 8601 (p. ej. 2026-01-31T00:00:00-06:00)",
        ) from None
    except OverflowError:
        fecha = datetime.min
    if fecha.year < 1900:  # la ventana de 90 días antes de ella no cabe en el calendario
        raise ErrorOpen311(400, f"{parametro} debe ser posterior al año 1900")
    return fecha


def _lista(texto: str) -> list[str]:
    return [p.strip() for p in texto.split(",") if p.strip()]


def filtros(parametros: Mapping[str, str], momento: datetime) -> dict:
    """Argumentos de :func:`servicio.buscar` para los filtros estándar de ``GET requests.json``.

    ``service_request_id`` manda sobre todos los demás. Sin ``start_date`` ni ``end_date``,
    los últimos :data:`VENTANA` días hasta ``momento``; con solo ``end_date``, los
    :data:`VENTANA` días antes de ella. Siempre a lo más :data:`TOPE`.

    Raises
    ------
    ErrorOpen311
        400 con una fecha, estado o servicio no válido.
    """
    ids = parametros.get("service_request_id")
    if ids is not None and ids.strip():
        folios = _lista(ids)
        if len(folios) > TOPE:
            raise ErrorOpen311(400, f"Pida a lo más {TOPE} service_request_id a la vez")
        return {"folios": folios, "tope": TOPE}
    argumentos: dict = {"tope": TOPE}
    codigos = parametros.get("service_code")
    if codigos is not None and codigos.strip():
        servicios = [servicio_de(c) for c in _lista(codigos)]
        argumentos["tipos"] = [(s.objeto, s.tipo) for s in servicios]
    estados = parametros.get("status")
    if estados is not None and estados.strip():
        pedidos = {e.lower() for e in _lista(estados)}
        if not pedidos <= {"open", "closed"}:
            raise ErrorOpen311(400, "status debe ser open, closed o ambos separados por coma")
        argumentos["estados"] = [e for e, o in ESTADO_OPEN311.items() if o in pedidos]
    inicio, fin = parametros.get("start_date"), parametros.get("end_date")
    desde = _fecha(inicio, "start_date") if inicio else None
    hasta = _fecha(fin, "end_date") if fin else None
    if desde is None and hasta is None:
        desde = momento - VENTANA
    elif desde is None:
        desde = hasta - VENTANA
    if hasta is not None and desde > hasta:
        raise ErrorOpen311(400, "start_date es posterior a end_date")
    argumentos["desde"], argumentos["hasta"] = desde, hasta
    return argumentos


#: Parámetros estándar de ``POST requests.json`` que se aceptan y no se guardan: los datos
#: de la persona (nombre, teléfono, cuenta, equipo), la dirección escrita (no se geocodifica)
#: y ``media_url`` (el servidor no descarga archivos de otros sitios).
IGNORADOS = (
    "api_key",
    "jurisdiction_id",
    "address_string",
    "address_id",
    "first_name",
    "last_name",
    "phone",
    "device_id",
    "account_id",
    "media_url",
)


def datos_del_envio(formulario: Mapping[str, str]) -> dict:
    """Cuerpo de un reporte de la API propia (para :func:`servicio.validar`) desde un POST.

    Raises
    ------
    ErrorOpen311
        400 si falta el servicio, sobra o falta su atributo, o un punto no trae lat y long.
    """
    s = servicio_de(formulario.get("service_code"))
    datos: dict = {"tipo": s.tipo, "descripcion": formulario.get("description") or ""}
    if formulario.get("email"):
        datos["contacto"] = formulario.get("email")
    atributos = {
        clave[len("attribute[") : -1]: valor
        for clave, valor in formulario.items()
        if clave.startswith("attribute[") and clave.endswith("]")
    }
    esperado = ATRIBUTO.get(s.objeto)
    sobrantes = sorted(set(atributos) - {esperado})
    if sobrantes:
        nombre = sobrantes[0][:40]
        raise ErrorOpen311(400, f"El servicio {s.codigo} no tiene el atributo {nombre!r}")
    if esperado is not None:
        valor = (atributos.get(esperado) or "").strip()
        if not valor:
            raise ErrorOpen311(
                400, f"Falta attribute[{esperado}]: {_DESCRIPCION_ATRIBUTO[s.objeto].lower()}"
            )
        datos[CAMPO_OBJETO[s.objeto]] = valor
        return datos
    lat, lon = formulario.get("lat"), formulario.get("long")
    if not lat or not lon:
        raise ErrorOpen311(
            400, "Indique lat y long del punto (este servidor no ubica address_string)"
        )
    datos["latitud"], datos["longitud"] = _numero(lat), _numero(lon)
    return datos


def _numero(texto: str):
    try:
        return float(texto.strip().replace(",", "."))
    except ValueError:
        return texto  # servicio.validar explica el error


def error_de_reporte(error: ErrorReporte) -> ErrorOpen311:
    """Un error de validación del servicio, nombrando el parámetro Open311 que corregir."""
    codigo = 429 if isinstance(error, LimiteExcedido) else 400
    parametro = _PARAMETRO.get(error.campo or "")
    return ErrorOpen311(codigo, f"{parametro}: {error.mensaje}" if parametro else error.mensaje)


# --- Rutas -------------------------------------------------------------------------------


def _respuesta(cuerpo, estado: int = 200) -> flask.Response:
    respuesta = flask.jsonify(cuerpo)
    respuesta.status_code = estado
    respuesta.headers["Cache-Control"] = "no-cache"
    return respuesta


def respuesta_error(error: ErrorOpen311) -> flask.Response:
    """Lista de errores de Open311 (``[{code, description}]``) con su estado HTTP."""
    return _respuesta([{"code": error.codigo, "description": error.descripcion}], error.codigo)


@api.errorhandler(ErrorOpen311)
def _manejar(error: ErrorOpen311):
    return respuesta_error(error)


@api.get(f"{PREFIJO}/discovery.json")
def descubrimiento():
    """Descubrimiento (GeoReport v2): versión, formato y dirección del servicio."""
    raiz = flask.request.url_root.rstrip("/") + PREFIJO + "/"
    return _respuesta(
        {
            "changeset": "2026-12-02T00:00:00Z",
            "contact": titulo_sitio(lugar_del_sitio()),
            "key_service": "No se necesita api_key",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": raiz,
                    "changeset": "2026-12-02T00:00:00Z",
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
        }
    )


@api.get(f"{PREFIJO}/services.json")
def servicios():
    """Lista de servicios (un tipo de reporte de una clase de objeto)."""
    return _respuesta([descripcion_servicio(s) for s in catalogo_servicios().values()])


@api.get(f"{PREFIJO}/services/<codigo>.json")
def definicion(codigo: str):
    """Definición de un servicio (sus atributos) o 404."""
    s = catalogo_servicios().get(codigo)
    if s is None:
        raise ErrorOpen311(404, "No existe ese servicio: consulte services.json")
    return _respuesta(definicion_servicio(s))


def _catalogo():
    """Objetos publicados, o ``None`` si el almacén todavía no tiene versión."""
    from almacen.errores import VersionNoEncontrada
    from tablero.reportes import web

    try:
        return web.catalogo_publicado()
    except VersionNoEncontrada:
        return None


def _solicitudes(reportes: list[Reporte]) -> list[dict]:
    """Solicitudes de los reportes, con el nombre publicado de su objeto (para ``address``)."""

    raiz = flask.request.url_root
    catalogo = _catalogo() if any(r.objeto != "punto" for r in reportes) else None

    def nombre(reporte: Reporte) -> str | None:
        if catalogo is None or reporte.objeto == "punto":
            return None
        lugar = catalogo.lugar(reporte.objeto, reporte.objeto_id or "")
        return lugar.nombre if lugar is not None else None

    return [solicitud(r, raiz, nombre(r)) for r in reportes]


@api.get(f"{PREFIJO}/requests.json")
def solicitudes():
    """Solicitudes con los filtros estándar (ver :func:`filtros`)."""
    from tablero.reportes import web

    argumentos = filtros(flask.request.args, servicio.ahora())
    return _respuesta(_solicitudes(servicio.buscar(web.sesion(), **argumentos)))


@api.get(f"{PREFIJO}/requests/<folio>.json")
def una_solicitud(folio: str):
    """Una solicitud (lista de un elemento, como pide el estándar) o 404."""
    from tablero.reportes import web

    reporte = servicio.consultar(web.sesion(), folio)
    if reporte is None:
        raise ErrorOpen311(404, "No existe una solicitud con ese service_request_id")
    return _respuesta(_solicitudes([reporte]))


@api.post(f"{PREFIJO}/requests.json")
def crear():
    """Crea una solicitud con la validación, el límite y los duplicados de la API propia.

    201 con ``[{service_request_id, service_notice, account_id}]``. Si la obra, escuela o
    cajón ya tiene una solicitud abierta del mismo servicio, el envío se suma a ella (200,
    con su ``service_request_id`` y un aviso en ``service_notice``).
    """
    from tablero.reportes import web

    tipo = flask.request.mimetype
    if tipo and tipo not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise ErrorOpen311(
            400, "Envíe los campos como application/x-www-form-urlencoded (GeoReport v2)"
        )
    flask.request.max_content_length = web.LIMITE_CUERPO
    try:
        formulario = flask.request.form
    except RequestEntityTooLarge:
        raise ErrorOpen311(413, f"El envío pasa de {web.LIMITE_CUERPO // 1024} KB") from None
    if flask.request.files:
        raise ErrorOpen311(400, "Este servidor no recibe archivos por Open311; use /reportar")
    datos = datos_del_envio(formulario)
    catalogo = _catalogo()
    if catalogo is None:
        raise ErrorOpen311(503, "Todavía no hay datos publicados: intente más tarde")
    s = web.sesion()
    try:
        campos = servicio.validar(datos, catalogo)
        similar = servicio.abierto_similar(s, campos["objeto_id"], campos["tipo"], campos["objeto"])
        if similar is not None:
            reporte = web.sumarse(similar.folio, campos["descripcion"], campos["contacto"])
            aviso = (
                f"Ya había una solicitud abierta igual ({reporte.folio}): su envío se sumó a ella"
            )
            return _respuesta(
                [{"service_request_id": reporte.folio, "service_notice": aviso, "account_id": None}]
            )
        reporte = servicio.crear(s, campos, web.cliente(), web.limite_por_hora())
    except ErrorReporte as error:
        raise error_de_reporte(error) from None
    respuesta = _respuesta(
        [{"service_request_id": reporte.folio, "service_notice": None, "account_id": None}], 201
    )
    respuesta.headers["Location"] = f"{PREFIJO}/requests/{reporte.folio}.json"
    return respuesta


@api.route(f"{PREFIJO}/<path:resto>", methods=["GET", "POST"])
@api.route("/open311/<path:resto>", methods=["GET", "POST"])
def desconocida(resto: str):
    """Cualquier otra dirección bajo ``/open311``: 404 en el formato de Open311."""
    del resto
    raise ErrorOpen311(
        404, "No existe esa dirección de Open311; use services.json o requests.json (solo JSON)"
    )
