"""Avisos por correo: cuando un reporte cambia de estado, quien dejó su correo se entera.

Flujo (bandeja de salida en la base):

1. :func:`encolar` escribe un :class:`~tablero.reportes.modelo.Aviso` por suscripción en la
   **misma transacción** que el cambio de estado: si el cambio se guarda, el aviso también.
2. Después del ``commit`` (al cerrar la respuesta HTTP, o con ``tablero avisos``),
   :func:`enviar_pendientes` reclama los avisos con una actualización condicional (ningún
   otro proceso reclama el mismo), abre **una** conexión SMTP con tiempo límite y los envía.
   Cada aviso enviado se confirma al instante: un correo no se envía dos veces.
3. Un fallo deja el aviso pendiente con su intento contado y una espera creciente; un
   rechazo definitivo (5xx) o :data:`MAXIMO_INTENTOS` intentos lo dejan ``fallido``.

Sin ``SIGUE_SMTP_HOST`` no se encola ni se envía nada. El correo del ciudadano solo sale en
el encabezado ``To`` del mensaje: nunca en páginas, bitácoras ni mensajes de error (la
bitácora dice «aviso enviado del reporte FOLIO»). El texto del ciudadano nunca va en un
encabezado. Cada mensaje lleva un enlace de baja de un clic (RFC 8058).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as _politica_base
from email.utils import formatdate
from urllib.parse import quote, urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from tablero.reportes.modelo import Aviso, Cambio, Reporte, Suscripcion, ahora

_bitacora = logging.getLogger(__name__)

#: Seguridad de la conexión SMTP y su puerto por omisión.
PUERTOS = {"starttls": 587, "ssl": 465, "ninguna": 25}
#: Segundos que espera cada operación SMTP (conectar, saludar, enviar) antes de rendirse.
TIEMPO_SMTP = 10.0
#: Intentos de un aviso antes de darlo por fallido.
MAXIMO_INTENTOS = 8
#: Espera antes del segundo intento; cada fallo la dobla, hasta :data:`ESPERA_MAXIMA`.
ESPERA_INICIAL = timedelta(minutes=1)
ESPERA_MAXIMA = timedelta(hours=6)
#: Un aviso reclamado que no se confirmó en este tiempo (el proceso murió) se vuelve a enviar.
RECLAMO_VENCE = timedelta(minutes=15)
#: Avisos por envío tras un cambio de estado (la orden ``tablero avisos`` manda todos).
TOPE_TRAS_CAMBIO = 20

#: Política de los mensajes: la de siempre, con líneas de encabezado de hasta 998 caracteres.
POLITICA = _politica_base.clone(max_line_length=998)
#: Correo que se acepta: ``dot-atom`` ASCII de RFC 5322 y un dominio con punto. Sin comillas,
#: comas, espacios ni ``<>``: un contacto nunca se lee como dos direcciones.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_ETIQUETA = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_CORREO = re.compile(rf"{_LOCAL}@{_ETIQUETA}(?:\.{_ETIQUETA})+")
#: Forma de un token de baja (32 bytes en base64 para URL, sin relleno).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


class ErrorAjustes(ValueError):
    """Ajustes SMTP del entorno no válidos; el mensaje dice cuál corregir."""


@dataclass(frozen=True)
class Ajustes:
    """Ajustes del correo saliente (de las variables ``SIGUE_SMTP_*`` y ``SIGUE_URL_BASE``)."""

    host: str
    puerto: int
    seguridad: str
    remitente: str
    usuario: str | None = None
    clave: str | None = None
    tiempo: float = TIEMPO_SMTP
    #: Sitio público para los enlaces absolutos (``SIGUE_URL_BASE``); vacío si falta.
    url_publica: str = ""


def configurado(entorno: Mapping[str, str] | None = None) -> bool:
    """Verdadero si hay servidor de correo (``SIGUE_SMTP_HOST``)."""
    entorno = os.environ if entorno is None else entorno
    return bool(entorno.get("SIGUE_SMTP_HOST", "").strip())


def ajustes_del_entorno(entorno: Mapping[str, str] | None = None) -> Ajustes | None:
    """Ajustes del entorno, o ``None`` sin ``SIGUE_SMTP_HOST``.

    Raises
    ------
    ErrorAjustes
        Con ``SIGUE_SMTP_SEGURIDAD``, ``SIGUE_SMTP_PUERTO`` o ``SIGUE_SMTP_TIEMPO`` no válidos.
    """
    entorno = os.environ if entorno is None else entorno
    host = entorno.get("SIGUE_SMTP_HOST", "").strip()
    if not host:
        return None
    seguridad = entorno.get("SIGUE_SMTP_SEGURIDAD", "starttls").strip().lower() or "starttls"
    if seguridad not in PUERTOS:
        raise ErrorAjustes(
            f"SIGUE_SMTP_SEGURIDAD debe ser starttls, ssl o ninguna; se recibió {seguridad!r}"
        )
    texto = entorno.get("SIGUE_SMTP_PUERTO", "").strip()
    try:
        puerto = int(texto) if texto else PUERTOS[seguridad]
    except ValueError:
        puerto = 0
    if not 1 <= puerto <= 65535:
        raise ErrorAjustes(
            f"SIGUE_SMTP_PUERTO debe ser un número de 1 a 65535; se recibió {texto!r}"
        )
    texto = entorno.get("SIGUE_SMTP_TIEMPO", "").strip()
    try:
        tiempo = float(texto) if texto else TIEMPO_SMTP
    except ValueError:
        tiempo = 0.0
    if not 0 < tiempo <= 120:
        raise ErrorAjustes(
            f"SIGUE_SMTP_TIEMPO debe ser un número de segundos mayor que 0 y hasta 120; "
            f"se recibió {texto!r}"
        )
    usuario = entorno.get("SIGUE_SMTP_USUARIO", "").strip() or None
    url_publica = entorno.get("SIGUE_URL_BASE", "").strip().rstrip("/")
    if not url_publica.startswith(("http://", "https://")):
        url_publica = ""
    remitente = entorno.get("SIGUE_SMTP_REMITENTE", "").strip()
    if not remitente:
        if usuario and es_correo(usuario):
            remitente = usuario
        else:
            dominio = urlsplit(url_publica).hostname or "localhost"
            remitente = f"no-responder@{dominio}"
    if "\n" in remitente or "\r" in remitente:
        raise ErrorAjustes("SIGUE_SMTP_REMITENTE no puede tener saltos de línea")
    return Ajustes(
        host=host,
        puerto=puerto,
        seguridad=seguridad,
        remitente=remitente,
        usuario=usuario,
        clave=entorno.get("SIGUE_SMTP_CLAVE") or None,
        tiempo=tiempo,
        url_publica=url_publica,
    )


def es_correo(texto: object) -> bool:
    """Verdadero si ``texto`` es un correo que se puede usar tal cual en ``To``."""
    if not isinstance(texto, str) or len(texto) > 254:
        return False
    return bool(_CORREO.fullmatch(texto)) and len(texto.split("@", 1)[0]) <= 64


# --- Encolar (dentro de la transacción del cambio de estado) -------------------------------


def encolar(sesion: Session, reporte: Reporte, cambio: Cambio) -> int:
    """Agrega a la sesión un aviso del ``cambio`` para cada suscripción vigente; no confirma.

    Reciben aviso el reportante y quienes se sumaron, si dejaron un correo y no se dieron de
    baja; una misma dirección recibe un solo aviso por cambio. Devuelve cuántos avisos agregó.
    """
    destinos: dict[str, int | None] = {}
    candidatos = [(reporte.contacto, None)]
    candidatos += [(a.contacto, a.id) for a in reporte.adhesiones]
    for contacto, adhesion_id in candidatos:
        if es_correo(contacto):
            destinos.setdefault(contacto.lower(), adhesion_id)
    if not destinos:
        return 0
    existentes = sesion.scalars(
        select(Suscripcion).where(Suscripcion.reporte_id == reporte.id)
    ).all()
    agregados = 0
    for adhesion_id in destinos.values():
        propias = [s for s in existentes if s.adhesion_id == adhesion_id]
        if any(s.baja is not None for s in propias):
            continue
        if propias:
            suscripcion = propias[0]
        else:
            suscripcion = Suscripcion(
                reporte_id=reporte.id, adhesion_id=adhesion_id, sal=secrets.token_hex(16)
            )
            sesion.add(suscripcion)
        sesion.add(Aviso(cambio=cambio, suscripcion=suscripcion, siguiente=ahora()))
        agregados += 1
    return agregados


# --- Baja de un clic ------------------------------------------------------------------------


def token_baja(secreto: str | bytes, suscripcion: Suscripcion) -> str:
    """Token del enlace de baja: HMAC del secreto del servidor con la sal de la suscripción.

    Es el mismo en todos los avisos de la suscripción; en la base solo queda su hash.
    """
    clave = secreto.encode("utf-8") if isinstance(secreto, str) else secreto
    mensaje = f"baja\0{suscripcion.id}\0{suscripcion.sal}".encode()
    digesto = hmac.new(clave, mensaje, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digesto).rstrip(b"=").decode("ascii")


def huella(token: str) -> str:
    """Hash SHA-256 (hexadecimal) de un token de baja: lo único que se guarda."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def suscripcion_de_token(sesion: Session, token: object) -> Suscripcion | None:
    """La suscripción del token de baja, o ``None`` si el token no tiene forma o no existe."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return sesion.scalars(
        select(Suscripcion)
        .where(Suscripcion.token == huella(token))
        .options(selectinload(Suscripcion.reporte))
    ).first()


def dar_de_baja(sesion: Session, suscripcion: Suscripcion) -> None:
    """Baja de la suscripción (y de sus gemelas del mismo destinatario): no más avisos.

    Los avisos que aún esperaban su envío se cancelan. Repetirla no cambia nada.
    """
    momento = ahora()
    gemelas = select(Suscripcion.id).where(Suscripcion.reporte_id == suscripcion.reporte_id)
    if suscripcion.adhesion_id is None:
        gemelas = gemelas.where(Suscripcion.adhesion_id.is_(None))
    else:
        gemelas = gemelas.where(Suscripcion.adhesion_id == suscripcion.adhesion_id)
    ids = list(sesion.scalars(gemelas))
    sesion.execute(
        update(Suscripcion)
        .where(Suscripcion.id.in_(ids), Suscripcion.baja.is_(None))
        .values(baja=momento)
        .execution_options(synchronize_session=False)
    )
    sesion.execute(
        update(Aviso)
        .where(Aviso.suscripcion_id.in_(ids), Aviso.estado == "pendiente")
        .values(estado="cancelado")
        .execution_options(synchronize_session=False)
    )
    sesion.commit()
    sesion.refresh(suscripcion)


# --- Envío ----------------------------------------------------------------------------------


@dataclass
class Resultado:
    """Cuentas de un envío: enviados, fallidos (sin más intentos), pendientes y cancelados."""

    enviados: int = 0
    fallidos: int = 0
    pendientes: int = 0
    cancelados: int = 0


def espera(intentos: int) -> timedelta:
    """Espera antes del siguiente intento tras ``intentos`` fallidos (1 min, 2, 4... 6 h)."""
    return min(ESPERA_MAXIMA, ESPERA_INICIAL * 2 ** min(max(intentos - 1, 0), 20))


def enviar_pendientes(
    fabrica: sessionmaker[Session],
    ajustes: Ajustes,
    secreto: str | bytes,
    *,
    todos: bool = False,
    tope: int | None = None,
    momento: datetime | None = None,
) -> Resultado:
    """Envía los avisos que ya toca enviar, con una sola conexión SMTP.

    ``todos``: también los que esperan su siguiente intento y los fallidos (orden
    ``tablero avisos --todos``). ``tope``: a lo más tantos avisos en esta vuelta.
    Sin ``SIGUE_URL_BASE`` no se envía nada (los enlaces deben ser completos).
    """
    resultado = Resultado()
    if not ajustes.url_publica:
        _bitacora.warning(
            "Los avisos por correo esperan: defina SIGUE_URL_BASE (los enlaces deben ser completos)"
        )
        return resultado
    momento = momento or ahora()
    with fabrica() as sesion:
        reclamados = _reclamar(sesion, momento, todos, tope)
        if not reclamados:
            return resultado
        avisos = sesion.scalars(
            select(Aviso)
            .where(Aviso.id.in_(reclamados))
            .order_by(Aviso.id)
            .options(
                selectinload(Aviso.cambio),
                selectinload(Aviso.suscripcion).selectinload(Suscripcion.reporte),
                selectinload(Aviso.suscripcion).selectinload(Suscripcion.adhesion),
            )
        ).all()
        mensajes: list[tuple[Aviso, EmailMessage]] = []
        for aviso in avisos:
            suscripcion = aviso.suscripcion
            destino = (
                suscripcion.adhesion.contacto
                if suscripcion.adhesion is not None
                else suscripcion.reporte.contacto
            )
            if suscripcion.baja is not None or not es_correo(destino):
                aviso.estado = "cancelado"
                resultado.cancelados += 1
                continue
            token = token_baja(secreto, suscripcion)
            if suscripcion.token != huella(token):
                suscripcion.token = huella(token)
            mensajes.append((aviso, componer(aviso, destino, token, ajustes)))
        sesion.commit()  # el token de baja ya vale antes de que salga el correo
        if mensajes:
            _enviar(sesion, ajustes, mensajes, resultado)
    return resultado


def _reclamar(sesion: Session, momento: datetime, todos: bool, tope: int | None) -> list[int]:
    """Marca como ``enviando`` los avisos por enviar; devuelve los ids que reclamó este proceso.

    Cada reclamo es un ``UPDATE`` condicional: si otro proceso reclamó el aviso primero, no
    cambia ninguna fila y el aviso no se toma.
    """
    colgado = (Aviso.estado == "enviando") & (Aviso.reclamado < momento - RECLAMO_VENCE)
    if todos:
        condicion = Aviso.estado.in_(("pendiente", "fallido")) | colgado
    else:
        condicion = ((Aviso.estado == "pendiente") & (Aviso.siguiente <= momento)) | colgado
    consulta = select(Aviso.id).where(condicion).order_by(Aviso.id)
    if tope is not None:
        consulta = consulta.limit(tope)
    reclamados = []
    for id_ in list(sesion.scalars(consulta)):
        cambio = sesion.execute(
            update(Aviso)
            .where(Aviso.id == id_, condicion)
            .values(estado="enviando", reclamado=momento, intentos=Aviso.intentos + 1)
            .execution_options(synchronize_session=False)
        )
        if cambio.rowcount == 1:
            reclamados.append(id_)
    sesion.commit()
    return reclamados


def _conectar(ajustes: Ajustes) -> smtplib.SMTP:
    contexto = ssl.create_default_context()
    if ajustes.seguridad == "ssl":
        cliente = smtplib.SMTP_SSL(
            ajustes.host, ajustes.puerto, timeout=ajustes.tiempo, context=contexto
        )
    else:
        cliente = smtplib.SMTP(ajustes.host, ajustes.puerto, timeout=ajustes.tiempo)
    try:
        if ajustes.seguridad == "starttls":
            cliente.ehlo()
            cliente.starttls(context=contexto)  # sin STARTTLS no se sigue: nada viaja en claro
            cliente.ehlo()
        if ajustes.usuario:
            cliente.login(ajustes.usuario, ajustes.clave or "")
    except BaseException:
        cliente.close()
        raise
    return cliente


def _enviar(
    sesion: Session,
    ajustes: Ajustes,
    mensajes: list[tuple[Aviso, EmailMessage]],
    resultado: Resultado,
) -> None:
    try:
        cliente = _conectar(ajustes)
    except (OSError, smtplib.SMTPException) as error:
        _bitacora.warning(
            "No se pudo conectar al servidor de correo (%s); avisos por reintentar: %d",
            _describir(error),
            len(mensajes),
        )
        for aviso, _mensaje in mensajes:
            # Un error al conectar (también una clave mal puesta: 535) es del servidor o de
            # los ajustes, no del destinatario: el aviso se reintenta.
            _fallo(aviso, error, resultado, definitivo=False)
        sesion.commit()
        return
    try:
        for posicion, (aviso, mensaje) in enumerate(mensajes):
            try:
                cliente.send_message(mensaje)
            except (OSError, smtplib.SMTPException) as error:
                _fallo(aviso, error, resultado)
                sesion.commit()
                if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
                    for otro, _m in mensajes[posicion + 1 :]:  # conexión perdida: otra vez luego
                        _fallo(otro, error, resultado)
                    sesion.commit()
                    return
                continue
            aviso.estado, aviso.enviado, aviso.error = "enviado", ahora(), None
            sesion.commit()  # confirmado al instante: no se vuelve a enviar
            resultado.enviados += 1
            _bitacora.info("aviso enviado del reporte %s", aviso.suscripcion.reporte.folio)
    finally:
        try:
            cliente.quit()
        except (OSError, smtplib.SMTPException):
            cliente.close()


def _codigo(error: BaseException) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codigos = [c for c, _m in error.recipients.values()]
        return max(codigos) if codigos else None
    return getattr(error, "smtp_code", None)


def _describir(error: BaseException) -> str:
    """Clase del error y código SMTP: nunca el texto del servidor (puede traer la dirección)."""
    codigo = _codigo(error)
    return type(error).__name__ + (f" {codigo}" if codigo else "")


def _fallo(
    aviso: Aviso, error: BaseException, resultado: Resultado, definitivo: bool | None = None
) -> None:
    """Anota el fallo: pendiente con espera creciente, o fallido si es definitivo o se
    agotaron los intentos. Definitivo por omisión: un rechazo 5xx del destinatario o del
    contenido (no del remitente, que es un problema de los ajustes)."""
    if definitivo is None:
        codigo = _codigo(error)
        definitivo = (
            codigo is not None
            and codigo >= 500
            and not isinstance(error, smtplib.SMTPSenderRefused)
        )
    aviso.error = _describir(error)[:200]
    folio = aviso.suscripcion.reporte.folio
    if definitivo or aviso.intentos >= MAXIMO_INTENTOS:
        aviso.estado = "fallido"
        resultado.fallidos += 1
        _bitacora.warning(
            "aviso del reporte %s no se envió (%s, intento %d): no se reintenta",
            folio,
            aviso.error,
            aviso.intentos,
        )
    else:
        aviso.estado = "pendiente"
        aviso.siguiente = ahora() + espera(aviso.intentos)
        resultado.pendientes += 1
        _bitacora.warning(
            "aviso del reporte %s no se envió (%s, intento %d): queda pendiente",
            folio,
            aviso.error,
            aviso.intentos,
        )


# --- El mensaje -----------------------------------------------------------------------------


def url_seguimiento(ajustes: Ajustes, folio: str) -> str:
    """Página pública de seguimiento del reporte (absoluta)."""
    return f"{ajustes.url_publica}/reporte?folio={quote(folio)}"


def url_baja(ajustes: Ajustes, token: str) -> str:
    """Enlace de baja de un clic (absoluto)."""
    return f"{ajustes.url_publica}/reportes/baja/{token}"


def sitio_configurado() -> str:
    """«Sigue el dinero …» de la entidad configurada (``SIGUE_ESTADO``; ``00``: «México»).

    Los avisos se mandan también fuera de una petición (``tablero avisos``): no se lee la
    versión servida.
    """
    from almacen.entidades import lugar_configurado
    from tablero.componentes import titulo_sitio

    return titulo_sitio(lugar_configurado())


def componer(aviso: Aviso, destino: str, token: str, ajustes: Ajustes) -> EmailMessage:
    """El correo de un aviso, en español, con el estado nuevo, la respuesta pública del
    funcionario (si la hay), el enlace de seguimiento y el de baja.

    Los encabezados solo llevan datos del sistema (folio, nombre del estado, direcciones
    validadas): ningún texto escrito por el ciudadano ni por el funcionario.
    """
    from tablero.formato import fecha_hora
    from tablero.reportes.servicio import ESTADOS, NOMBRES_OBJETO, TIPOS

    reporte, cambio = aviso.suscripcion.reporte, aviso.cambio
    estado = ESTADOS.get(cambio.a_estado, cambio.a_estado)
    anterior = ESTADOS.get(cambio.de_estado, cambio.de_estado) if cambio.de_estado else None
    seguimiento = url_seguimiento(ajustes, reporte.folio)
    baja = url_baja(ajustes, token)
    sobre = NOMBRES_OBJETO.get(reporte.objeto, reporte.objeto)
    if reporte.objeto_id:
        sobre = f"{sobre} {reporte.objeto_id}"
    quien = (
        f"El reporte {reporte.folio} al que usted se sumó"
        if aviso.suscripcion.adhesion_id is not None
        else f"Su reporte {reporte.folio}"
    )
    lineas = [
        "Hola:",
        "",
        f"{quien} ({TIPOS.get(reporte.tipo, reporte.tipo)}, {sobre}) cambió de estado"
        + (f": de «{anterior}» a «{estado}»." if anterior else f": «{estado}»."),
        f"Fecha del cambio: {fecha_hora(cambio.fecha)}.",
    ]
    if cambio.respuesta:
        lineas += ["", "Respuesta de la autoridad:", "", cambio.respuesta]
    lineas += [
        "",
        "Vea el seguimiento y el historial del reporte en:",
        seguimiento,
        "",
        "--",
        f"Recibe este aviso porque dejó este correo al reportar en {sitio_configurado()}.",
        "Su correo nunca se publica. Para no recibir más avisos de este reporte, abra:",
        baja,
    ]
    # Líneas de hasta 998 caracteres (RFC 5322): el enlace de ``List-Unsubscribe`` no tiene
    # espacios donde doblarse y no debe salir codificado (RFC 2047).
    mensaje = EmailMessage(policy=POLITICA)
    propio = aviso.suscripcion.adhesion_id is None
    mensaje["Subject"] = f"{'Su reporte' if propio else 'Reporte'} {reporte.folio}: {estado}"
    mensaje["From"] = ajustes.remitente
    mensaje["To"] = Address(addr_spec=destino)
    mensaje["Date"] = formatdate(usegmt=True)
    dominio = ajustes.remitente.rsplit("@", 1)[-1].strip(" >") or "localhost"
    mensaje["Message-ID"] = f"<aviso-{aviso.id}.{reporte.folio.lower()}@{dominio}>"
    mensaje["Auto-Submitted"] = "auto-generated"
    mensaje["List-Unsubscribe"] = f"<{baja}>"
    mensaje["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mensaje.set_content("\n".join(lineas) + "\n", charset="utf-8")
    return mensaje


# --- Después de la respuesta HTTP -----------------------------------------------------------


def enviar_tras_cambio(url_base_datos: str, secreto: str | bytes) -> None:
    """Envía los avisos pendientes al cerrar la respuesta del cambio de estado.

    Corre después de que el navegador del funcionario recibió la respuesta
    (``Response.call_on_close``) y nunca lanza: cualquier problema queda en la bitácora, sin
    direcciones, y los avisos siguen pendientes para el siguiente envío o ``tablero avisos``.
    """
    from tablero.reportes import bd

    try:
        ajustes = ajustes_del_entorno()
        if ajustes is None:
            return
        enviar_pendientes(bd.sesiones(url_base_datos), ajustes, secreto, tope=TOPE_TRAS_CAMBIO)
    except ErrorAjustes as error:
        _bitacora.warning("Avisos por correo sin enviar: %s", error)
    except Exception as error:  # noqa: BLE001 - la respuesta ya salió; se registra y sigue
        _bitacora.error("Avisos por correo sin enviar por un error (%s)", type(error).__name__)
