"""Reglas de los reportes ciudadanos: validar, crear, sumarse, consultar y atender.

Funciones sobre una sesión de SQLAlchemy; no saben nada de HTTP ni de Dash. Los mensajes de
error están en español y nunca repiten el contacto del ciudadano.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from tablero.reportes.modelo import Adhesion, Cambio, Envio, Reporte, Usuario, ahora

#: Tipos de reporte (contrato de la API) y su nombre para mostrar.
TIPOS: dict[str, str] = {
    "ocupado_indebidamente": "Ocupado indebidamente",
    "danado": "Dañado",
    "sin_senalizacion": "Sin señalización",
    "obstruido": "Obstruido",
    "falta_cajon": "Falta un cajón",
    "otro": "Otro",
}

#: Estados de un reporte y su nombre para mostrar.
ESTADOS: dict[str, str] = {
    "recibido": "Recibido",
    "en_atencion": "En atención",
    "atendido": "Atendido",
    "no_procede": "No procede",
    "duplicado": "Duplicado",
}
#: Estados en los que el reporte sigue abierto.
ABIERTOS = ("recibido", "en_atencion")
#: Cambios de estado permitidos (un reporte cerrado se puede reabrir).
TRANSICIONES: dict[str, tuple[str, ...]] = {
    "recibido": ("en_atencion", "atendido", "no_procede", "duplicado"),
    "en_atencion": ("atendido", "no_procede", "duplicado"),
    "atendido": ("en_atencion",),
    "no_procede": ("en_atencion",),
    "duplicado": ("en_atencion",),
}

LARGO_DESCRIPCION = 1000
LARGO_CONTACTO = 200
LARGO_RESPUESTA = 2000
#: Caracteres de los folios: sin 0/O ni 1/I/L, para dictarlos sin confusión.
_ALFABETO_FOLIO = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CORREO = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TELEFONO = re.compile(r"^\+?[\d\s().-]{8,20}$")


class ErrorReporte(ValueError):
    """Datos de un reporte no válidos; el mensaje se muestra tal cual al ciudadano."""

    def __init__(self, mensaje: str, campo: str | None = None):
        super().__init__(mensaje)
        self.mensaje = mensaje
        self.campo = campo


class LimiteExcedido(ErrorReporte):
    """El cliente ya envió el máximo de reportes de la última hora."""


@dataclass(frozen=True)
class Cajones:
    """Lo que el servicio necesita saber de los cajones publicados.

    ``ids``: identificadores válidos. ``dentro``: ``(latitud, longitud) -> bool``, verdadero si
    el punto cae en la entidad. ``ubicacion``: ``id -> (latitud, longitud)``.
    """

    ids: frozenset[str]
    dentro: Callable[[float, float], bool]
    ubicacion: dict[str, tuple[float, float]]


def validar(datos: object, cajones: Cajones) -> dict:
    """Valida el cuerpo de un reporte y devuelve sus campos limpios.

    Raises
    ------
    ErrorReporte
        Con un mensaje en español que dice qué corregir.
    """
    if not isinstance(datos, dict):
        raise ErrorReporte("El cuerpo debe ser un objeto JSON con los campos del reporte")
    permitidos = {"estacionamiento_id", "latitud", "longitud", "tipo", "descripcion", "contacto"}
    sobrantes = sorted(set(datos) - permitidos)
    if sobrantes:
        raise ErrorReporte(f"Campos desconocidos: {', '.join(sobrantes)}", sobrantes[0])
    tipo = datos.get("tipo")
    if tipo not in TIPOS:
        raise ErrorReporte(f"Tipo de reporte desconocido; use uno de: {', '.join(TIPOS)}", "tipo")
    descripcion = _texto(datos.get("descripcion"), "descripcion", LARGO_DESCRIPCION)
    if not descripcion:
        raise ErrorReporte("Describa el problema (máximo 1,000 caracteres)", "descripcion")
    contacto = _contacto(datos.get("contacto"))
    id_cajon = datos.get("estacionamiento_id")
    latitud, longitud = datos.get("latitud"), datos.get("longitud")
    if id_cajon not in (None, ""):
        id_cajon = str(id_cajon).strip()
        if id_cajon not in cajones.ids:
            raise ErrorReporte(
                "No existe un estacionamiento con ese identificador", "estacionamiento_id"
            )
        latitud, longitud = cajones.ubicacion.get(id_cajon, (None, None))
    else:
        id_cajon = None
        if not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in (latitud, longitud)
        ):
            raise ErrorReporte(
                "Indique el estacionamiento (estacionamiento_id) o el punto (latitud y longitud)",
                "latitud",
            )
        if not cajones.dentro(float(latitud), float(longitud)):
            raise ErrorReporte("El punto está fuera de la entidad", "latitud")
    return {
        "estacionamiento_id": id_cajon,
        "latitud": None if latitud is None else float(latitud),
        "longitud": None if longitud is None else float(longitud),
        "tipo": tipo,
        "descripcion": descripcion,
        "contacto": contacto,
    }


def abierto_similar(sesion: Session, estacionamiento_id: str | None, tipo: str) -> Reporte | None:
    """Reporte abierto del mismo cajón y tipo (para sumarse en vez de duplicar)."""
    if estacionamiento_id is None:
        return None
    consulta = (
        select(Reporte)
        .where(Reporte.estacionamiento_id == estacionamiento_id, Reporte.tipo == tipo)
        .where(Reporte.estado.in_(ABIERTOS))
        .order_by(Reporte.creado)
        .limit(1)
    )
    return sesion.scalars(consulta).first()


def crear(sesion: Session, campos: dict, cliente: str, limite: int) -> Reporte:
    """Registra un reporte ya validado y devuelve el reporte confirmado (con folio).

    El envío cuenta para el límite por hora del cliente; se confirma (``commit``) antes de
    responder, así un reporte con folio entregado sobrevive a una caída del servidor.
    """
    _contar_envio(sesion, cliente, limite)
    for _ in range(10):
        reporte = Reporte(folio=_folio(), estado="recibido", **campos)
        reporte.cambios.append(Cambio(de_estado=None, a_estado="recibido"))
        sesion.add(reporte)
        try:
            sesion.commit()
        except IntegrityError:  # folio repetido (muy improbable): otro intento
            sesion.rollback()
            _contar_envio(sesion, cliente, limite)
            continue
        return reporte
    raise RuntimeError("No se pudo asignar un folio único")  # pragma: no cover


def sumarse(
    sesion: Session,
    folio: str,
    descripcion: str | None,
    contacto: str | None,
    cliente: str,
    limite: int,
) -> Reporte:
    """Suma a un ciudadano a un reporte abierto (cuenta para el límite por hora)."""
    reporte = consultar(sesion, folio)
    if reporte is None:
        raise ErrorReporte("No existe un reporte con ese folio", "folio")
    if reporte.estado not in ABIERTOS:
        raise ErrorReporte("Ese reporte ya está cerrado; levante uno nuevo", "folio")
    adhesion = Adhesion(
        descripcion=_texto(descripcion, "descripcion", LARGO_DESCRIPCION) or None,
        contacto=_contacto(contacto),
    )
    _contar_envio(sesion, cliente, limite)
    reporte.adhesiones.append(adhesion)
    sesion.commit()
    return reporte


def consultar(sesion: Session, folio: str) -> Reporte | None:
    """Reporte por folio (sin distinguir mayúsculas), con su historial."""
    folio = str(folio or "").strip().upper()
    consulta = (
        select(Reporte)
        .where(Reporte.folio == folio)
        .options(selectinload(Reporte.cambios), selectinload(Reporte.adhesiones))
    )
    return sesion.scalars(consulta).first()


def publico(reporte: Reporte) -> dict:
    """Campos públicos de un reporte: nunca el contacto ni quién lo atendió."""
    return {
        "folio": reporte.folio,
        "estado": reporte.estado,
        "tipo": reporte.tipo,
        "descripcion": reporte.descripcion,
        "estacionamiento_id": reporte.estacionamiento_id,
        "latitud": reporte.latitud,
        "longitud": reporte.longitud,
        "creado": _iso(reporte.creado),
        "actualizado": _iso(reporte.actualizado),
        "respuesta": reporte.respuesta,
        "adhesiones": len(reporte.adhesiones),
        "historial": [
            {"fecha": _iso(c.fecha), "de": c.de_estado, "a": c.a_estado, "respuesta": c.respuesta}
            for c in reporte.cambios
        ],
    }


def reportes_publicos(sesion: Session, estacionamiento_id: str | None = None) -> list[dict]:
    """Todos los reportes (o los de un cajón) con sus campos públicos, el más nuevo primero."""
    consulta = (
        select(Reporte)
        .options(selectinload(Reporte.cambios), selectinload(Reporte.adhesiones))
        .order_by(Reporte.creado.desc(), Reporte.id.desc())
    )
    if estacionamiento_id is not None:
        consulta = consulta.where(Reporte.estacionamiento_id == estacionamiento_id)
    return [publico(r) for r in sesion.scalars(consulta)]


def abiertos_por_cajon(sesion: Session) -> dict[str, int]:
    """Número de reportes abiertos por cajón (para el mapa y la capa de estacionamientos)."""
    consulta = (
        select(Reporte.estacionamiento_id, func.count())
        .where(Reporte.estado.in_(ABIERTOS), Reporte.estacionamiento_id.is_not(None))
        .group_by(Reporte.estacionamiento_id)
    )
    return {id_: n for id_, n in sesion.execute(consulta)}


def pendientes(sesion: Session) -> list[Reporte]:
    """Reportes abiertos, el más antiguo primero (vista de atención)."""
    consulta = (
        select(Reporte)
        .where(Reporte.estado.in_(ABIERTOS))
        .options(selectinload(Reporte.adhesiones))
        .order_by(Reporte.creado, Reporte.id)
    )
    return list(sesion.scalars(consulta))


def cambiar_estado(
    sesion: Session, folio: str, nuevo: str, respuesta: str | None, usuario: str
) -> Reporte:
    """Cambia el estado de un reporte con una respuesta pública; queda en el historial."""
    reporte = consultar(sesion, folio)
    if reporte is None:
        raise ErrorReporte("No existe un reporte con ese folio", "folio")
    if nuevo not in TRANSICIONES.get(reporte.estado, ()):
        permitidos = ", ".join(ESTADOS[e] for e in TRANSICIONES.get(reporte.estado, ()))
        raise ErrorReporte(
            f"Un reporte «{ESTADOS[reporte.estado]}» solo puede pasar a: {permitidos}", "estado"
        )
    respuesta = _texto(respuesta, "respuesta", LARGO_RESPUESTA) or None
    if nuevo in ("atendido", "no_procede", "duplicado") and not respuesta:
        raise ErrorReporte("Escriba la respuesta pública para cerrar el reporte", "respuesta")
    reporte.cambios.append(
        Cambio(de_estado=reporte.estado, a_estado=nuevo, respuesta=respuesta, usuario=usuario)
    )
    reporte.estado = nuevo
    if respuesta:
        reporte.respuesta = respuesta
    reporte.actualizado = ahora()
    sesion.commit()
    return reporte


def crear_usuario(sesion: Session, nombre: str, contrasena: str) -> Usuario:
    """Alta de un funcionario; la contraseña se guarda como hash (scrypt de Werkzeug)."""
    nombre = (nombre or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_.-]{3,80}", nombre):
        raise ErrorReporte("El usuario debe tener de 3 a 80 letras, números, '.', '_' o '-'")
    if len(contrasena or "") < 12:
        raise ErrorReporte("La contraseña debe tener al menos 12 caracteres")
    if sesion.scalars(select(Usuario).where(Usuario.nombre == nombre)).first():
        raise ErrorReporte(f"Ya existe el usuario {nombre}")
    usuario = Usuario(nombre=nombre, hash_contrasena=generate_password_hash(contrasena))
    sesion.add(usuario)
    sesion.commit()
    return usuario


def verificar(sesion: Session, nombre: str, contrasena: str) -> Usuario | None:
    """El usuario activo si la contraseña es correcta; ``None`` si no."""
    usuario = sesion.scalars(
        select(Usuario).where(Usuario.nombre == (nombre or "").strip())
    ).first()
    if usuario is None or not usuario.activo:
        check_password_hash(generate_password_hash("x"), contrasena or "")  # mismo tiempo
        return None
    return usuario if check_password_hash(usuario.hash_contrasena, contrasena or "") else None


def recientes(sesion: Session, cliente: str) -> int:
    """Envíos (o intentos) del cliente en la última hora."""
    hace_una_hora = ahora() - timedelta(hours=1)
    return sesion.scalar(
        select(func.count())
        .select_from(Envio)
        .where(Envio.cliente == cliente, Envio.fecha >= hace_una_hora)
    )


def anotar(sesion: Session, cliente: str) -> None:
    """Anota un envío (o un intento fallido de entrada) del cliente; borra los viejos."""
    sesion.execute(delete(Envio).where(Envio.fecha < ahora() - timedelta(hours=2)))
    sesion.add(Envio(cliente=cliente))


def usuario_activo(sesion: Session, nombre: str | None) -> bool:
    """Verdadero si ``nombre`` es un funcionario que existe y sigue activo."""
    if not nombre:
        return False
    usuario = sesion.scalars(select(Usuario).where(Usuario.nombre == nombre)).first()
    return usuario is not None and usuario.activo


def _contar_envio(sesion: Session, cliente: str, limite: int) -> None:
    """Registra el envío y falla si el cliente ya llegó al límite de la última hora."""
    if recientes(sesion, cliente) >= limite:
        sesion.rollback()
        raise LimiteExcedido(f"Llegó al límite de {limite} reportes por hora; intente más tarde")
    sesion.add(Envio(cliente=cliente))


def _folio() -> str:
    return "R-" + "".join(secrets.choice(_ALFABETO_FOLIO) for _ in range(7))


def _texto(valor: object, campo: str, largo: int) -> str:
    if valor is None:
        return ""
    if not isinstance(valor, str):
        raise ErrorReporte(f"El campo {campo} debe ser texto", campo)
    valor = valor.strip()
    if len(valor) > largo:
        raise ErrorReporte(f"El campo {campo} pasa de {largo:,} caracteres", campo)
    return valor


def _contacto(valor: object) -> str | None:
    contacto = _texto(valor, "contacto", LARGO_CONTACTO)
    if not contacto:
        return None
    if not (_CORREO.match(contacto) or _TELEFONO.match(contacto)):
        raise ErrorReporte("El contacto debe ser un correo o un teléfono", "contacto")
    return contacto


def _iso(fecha) -> str | None:
    return None if fecha is None else fecha.replace(microsecond=0).isoformat() + "Z"
