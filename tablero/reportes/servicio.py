"""Reglas de los reportes ciudadanos: validar, crear, sumarse, consultar y atender.

Funciones sobre una sesión de SQLAlchemy; no saben nada de HTTP ni de Dash. Los mensajes de
error están en español y nunca repiten el contacto del ciudadano.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import delete, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from tablero.reportes import correo
from tablero.reportes.modelo import (
    Adhesion,
    Cambio,
    Envio,
    Foto,
    Limite,
    Reporte,
    SesionAtencion,
    Usuario,
    ahora,
)

#: Tipos de reporte de un cajón o de un punto (contrato de la API) y su nombre para mostrar.
TIPOS_CAJON: dict[str, str] = {
    "ocupado_indebidamente": "Ocupado indebidamente",
    "danado": "Dañado",
    "sin_senalizacion": "Sin señalización",
    "obstruido": "Obstruido",
    "falta_cajon": "Falta un cajón",
    "otro": "Otro",
}
#: Tipos de reporte de una obra pública.
TIPOS_OBRA: dict[str, str] = {
    "obra_detenida": "Obra detenida",
    "terminada_sin_uso": "Terminada pero sin uso",
    "mala_calidad": "Mala calidad",
    "no_existe": "La obra no existe",
    "otro": "Otro",
}
#: Tipos de reporte de una escuela (programa de uniformes y útiles escolares).
TIPOS_ESCUELA: dict[str, str] = {
    "no_llegaron_uniformes": "No llegaron los uniformes",
    "entrega_incompleta": "Entrega incompleta",
    "cobro_indebido": "Cobro indebido",
    "otro": "Otro",
}
#: Tipos válidos para cada clase de objeto (``modelo.OBJETOS``).
TIPOS_POR_OBJETO: dict[str, dict[str, str]] = {
    "cajon": TIPOS_CAJON,
    "punto": TIPOS_CAJON,
    "obra": TIPOS_OBRA,
    "escuela": TIPOS_ESCUELA,
}
#: Nombre para mostrar de todos los tipos.
TIPOS: dict[str, str] = {**TIPOS_CAJON, **TIPOS_OBRA, **TIPOS_ESCUELA}
#: Campo del cuerpo de un reporte que nombra cada clase de objeto.
CAMPO_OBJETO: dict[str, str] = {"cajon": "estacionamiento_id", "obra": "obra", "escuela": "escuela"}
#: Nombre para mostrar de cada clase de objeto.
NOMBRES_OBJETO: dict[str, str] = {
    "cajon": "cajón de estacionamiento",
    "obra": "obra",
    "escuela": "escuela",
    "punto": "punto",
}
_NO_EXISTE = {
    "cajon": "No existe un estacionamiento con ese identificador",
    "obra": "No existe una obra con ese folio en los datos publicados",
    "escuela": "No existe una escuela con esa clave (CCT) en los datos publicados",
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
_TELEFONO = re.compile(r"^\+?[\d\s().-]{8,20}$")
#: Forma de un folio (se consulta la base solo con folios de esta forma).
_FOLIO = re.compile(r"R-[A-Z0-9]{1,14}")
#: Forma de un nombre de usuario.
_NOMBRE_USUARIO = re.compile(r"[A-Za-z0-9_.-]{3,80}")
#: Caracteres que ningún texto acepta: de control (salvo tabulador y saltos de línea) y
#: sustitutos sueltos de UTF-16 (no se pueden guardar ni codificar en UTF-8).
_NO_VALIDOS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
LARGO_CONTRASENA = 1024


class ErrorReporte(ValueError):
    """Datos de un reporte no válidos; el mensaje se muestra tal cual al ciudadano."""

    def __init__(self, mensaje: str, campo: str | None = None):
        super().__init__(mensaje)
        self.mensaje = mensaje
        self.campo = campo


class LimiteExcedido(ErrorReporte):
    """El cliente ya envió el máximo de reportes de la última hora."""


@dataclass(frozen=True)
class Lugar:
    """Ubicación (si se publicó), municipio (CVEGEO) y nombre de un objeto público."""

    latitud: float | None
    longitud: float | None
    cvegeo: str | None = None
    nombre: str | None = None


def _sin_municipio(_latitud: float, _longitud: float) -> str | None:
    return None


@dataclass(frozen=True)
class Catalogo:
    """Lo que el servicio necesita saber de los objetos publicados.

    ``objetos``: para cada clase (``cajon``, ``obra``, ``escuela``), ``id -> Lugar``.
    ``dentro``: ``(latitud, longitud) -> bool``, verdadero si el punto cae en la entidad.
    ``municipio``: ``(latitud, longitud) -> CVEGEO`` del municipio donde cae el punto.
    """

    dentro: Callable[[float, float], bool]
    objetos: Mapping[str, Mapping[str, Lugar]] = field(default_factory=dict)
    municipio: Callable[[float, float], str | None] = _sin_municipio

    def lugar(self, objeto: str, id_: str) -> Lugar | None:
        """El lugar del objeto ``id_`` de la clase ``objeto``, o ``None`` si no existe."""
        return self.objetos.get(objeto, {}).get(id_)


#: Campos que acepta el cuerpo de un reporte.
CAMPOS = (
    "estacionamiento_id",
    "obra",
    "escuela",
    "latitud",
    "longitud",
    "tipo",
    "descripcion",
    "contacto",
)


def validar(datos: object, catalogo: Catalogo) -> dict:
    """Valida el cuerpo de un reporte y devuelve sus campos limpios.

    El objeto se nombra con uno solo de ``estacionamiento_id``, ``obra`` (su folio) o
    ``escuela`` (su CCT); sin ninguno, el reporte es de un punto (``latitud`` y ``longitud``).
    El tipo debe ser uno de los de esa clase de objeto (:data:`TIPOS_POR_OBJETO`).

    Raises
    ------
    ErrorReporte
        Con un mensaje en español que dice qué corregir.
    """
    if not isinstance(datos, dict):
        raise ErrorReporte("El cuerpo debe ser un objeto JSON con los campos del reporte")
    sobrantes = sorted(set(datos) - set(CAMPOS))
    if sobrantes:
        # Nombres recortados y sin caracteres no válidos: la respuesta no repite lo enviado.
        nombres = [_NO_VALIDOS.sub("?", n[:40]) for n in sobrantes[:5]]
        raise ErrorReporte(f"Campos desconocidos: {', '.join(nombres)}", nombres[0])
    pedidos = [o for o, campo in CAMPO_OBJETO.items() if datos.get(campo) not in (None, "")]
    if len(pedidos) > 1:
        campos = " y ".join(CAMPO_OBJETO[o] for o in pedidos)
        raise ErrorReporte(f"Un reporte es de un solo objeto: envíe {campos} por separado")
    objeto = pedidos[0] if pedidos else "punto"
    tipos = TIPOS_POR_OBJETO[objeto]
    tipo = datos.get("tipo")
    if not isinstance(tipo, str) or tipo not in tipos:
        raise ErrorReporte(f"Tipo de reporte desconocido; use uno de: {', '.join(tipos)}", "tipo")
    descripcion = _texto(datos.get("descripcion"), "descripcion", LARGO_DESCRIPCION)
    if not descripcion:
        raise ErrorReporte("Describa el problema (máximo 1,000 caracteres)", "descripcion")
    contacto = _contacto(datos.get("contacto"))
    latitud, longitud = datos.get("latitud"), datos.get("longitud")
    id_objeto = None
    if objeto != "punto":
        campo = CAMPO_OBJETO[objeto]
        id_objeto = datos.get(campo)
        if isinstance(id_objeto, int) and not isinstance(id_objeto, bool):
            id_objeto = str(id_objeto)
        id_objeto = _texto(id_objeto, campo, 100)
        if objeto == "escuela":
            id_objeto = id_objeto.upper()
        lugar = catalogo.lugar(objeto, id_objeto)
        if lugar is None:
            raise ErrorReporte(_NO_EXISTE[objeto], campo)
        latitud, longitud, cvegeo = lugar.latitud, lugar.longitud, lugar.cvegeo
    else:
        if latitud is None or longitud is None:
            raise ErrorReporte(
                "Indique el estacionamiento (estacionamiento_id) o el punto (latitud y longitud)",
                "latitud",
            )
        latitud = _coordenada(latitud, "latitud", 90)
        longitud = _coordenada(longitud, "longitud", 180)
        if not catalogo.dentro(latitud, longitud):
            raise ErrorReporte("El punto está fuera de la entidad", "latitud")
        cvegeo = catalogo.municipio(latitud, longitud)
    return {
        "objeto": objeto,
        "objeto_id": id_objeto,
        "estacionamiento_id": id_objeto if objeto == "cajon" else None,
        "cvegeo": cvegeo,
        "latitud": None if latitud is None else float(latitud),
        "longitud": None if longitud is None else float(longitud),
        "tipo": tipo,
        "descripcion": descripcion,
        "contacto": contacto,
    }


def abierto_similar(
    sesion: Session, objeto_id: str | None, tipo: str, objeto: str = "cajon"
) -> Reporte | None:
    """Reporte abierto del mismo objeto y tipo (para sumarse en vez de duplicar).

    Un punto sin objeto no tiene duplicados (dos cajones faltantes pueden estar cerca).
    """
    if objeto_id is None or objeto == "punto":
        return None
    consulta = (
        select(Reporte)
        .where(Reporte.objeto == objeto, Reporte.objeto_id == objeto_id, Reporte.tipo == tipo)
        .where(Reporte.estado.in_(ABIERTOS))
        .order_by(Reporte.creado)
        .limit(1)
    )
    return sesion.scalars(consulta).first()


def crear(
    sesion: Session,
    campos: dict,
    cliente: str,
    limite: int,
    fotos: Sequence = (),
    carpeta_fotos: Path | None = None,
) -> Reporte:
    """Registra un reporte ya validado y devuelve el reporte confirmado (con folio).

    El envío cuenta para el límite por hora del cliente; se confirma (``commit``) antes de
    responder, así un reporte con folio entregado sobrevive a una caída del servidor.
    ``fotos`` (:class:`tablero.reportes.fotos.FotoProcesada`, ya limpias) se guardan en
    ``carpeta_fotos`` pendientes de aprobación; si el reporte no se confirma, se borran.
    """
    from tablero.reportes import fotos as modulo_fotos

    if len(fotos) > modulo_fotos.MAXIMO_FOTOS:
        raise ErrorReporte(
            f"Se aceptan hasta {modulo_fotos.MAXIMO_FOTOS} fotos por reporte", "fotos"
        )
    _contar_envio(sesion, cliente, limite)
    guardadas = []
    try:
        for foto in fotos:
            guardadas.append((modulo_fotos.guardar(carpeta_fotos, foto.contenido), foto))
        for _ in range(10):
            reporte = Reporte(folio=_folio(), estado="recibido", **campos)
            reporte.cambios.append(Cambio(de_estado=None, a_estado="recibido"))
            for archivo, foto in guardadas:
                reporte.fotos.append(
                    Foto(
                        archivo=archivo,
                        estado="pendiente",
                        ancho=foto.ancho,
                        alto=foto.alto,
                        bytes=len(foto.contenido),
                    )
                )
            sesion.add(reporte)
            try:
                sesion.commit()
            except IntegrityError:  # folio repetido (muy improbable): otro intento
                sesion.rollback()
                _contar_envio(sesion, cliente, limite)
                continue
            return reporte
        raise RuntimeError("No se pudo asignar un folio único")  # pragma: no cover
    except BaseException:
        for archivo, _foto in guardadas:
            modulo_fotos.borrar(carpeta_fotos, archivo)
        raise


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
    """Reporte por folio (sin distinguir mayúsculas), con su historial.

    Un texto sin forma de folio (bytes nulos, miles de caracteres...) no llega a la base.
    """
    folio = str(folio or "").strip().upper()
    if not _FOLIO.fullmatch(folio):
        return None
    consulta = select(Reporte).where(Reporte.folio == folio).options(*_CARGAR)
    return sesion.scalars(consulta).first()


_CARGAR = (
    selectinload(Reporte.cambios),
    selectinload(Reporte.adhesiones),
    selectinload(Reporte.fotos),
)
#: Texto público en lugar de lo que un funcionario ocultó.
OCULTO = "Oculto por moderación"


def url_foto(archivo: str) -> str:
    """Dirección pública de una foto aprobada."""
    return f"/reportes/fotos/{archivo}"


def publico(reporte: Reporte) -> dict:
    """Campos públicos de un reporte: nunca el contacto ni quién lo atendió.

    Una descripción oculta sale como ``None`` con ``texto_oculto`` y la nota pública; solo
    las fotos aprobadas llevan dirección (las ocultas, su nota; las pendientes, solo cuántas).
    """
    fotos = [f for f in reporte.fotos if f.estado == "aprobada"]
    return {
        "folio": reporte.folio,
        "estado": reporte.estado,
        "tipo": reporte.tipo,
        "descripcion": None if reporte.texto_oculto else reporte.descripcion,
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
        "objeto": reporte.objeto,
        "objeto_id": reporte.objeto_id,
        "cvegeo": reporte.cvegeo,
        "texto_oculto": bool(reporte.texto_oculto),
        "nota_moderacion": (reporte.nota_moderacion or OCULTO) if reporte.texto_oculto else None,
        "fotos": [{"url": url_foto(f.archivo), "ancho": f.ancho, "alto": f.alto} for f in fotos],
        "fotos_ocultas": [
            {"nota": f.nota or OCULTO} for f in reporte.fotos if f.estado == "oculta"
        ],
        "fotos_en_revision": sum(f.estado == "pendiente" for f in reporte.fotos),
    }


def reportes_publicos(
    sesion: Session,
    estacionamiento_id: str | None = None,
    *,
    objeto: str | None = None,
    objeto_id: str | None = None,
    cvegeo: str | None = None,
) -> list[dict]:
    """Todos los reportes (o los de un objeto o municipio), campos públicos, el más nuevo primero.

    ``estacionamiento_id`` equivale a ``objeto="cajon", objeto_id=...``.
    """
    if estacionamiento_id is not None:
        objeto, objeto_id = "cajon", estacionamiento_id
    consulta = select(Reporte).options(*_CARGAR).order_by(Reporte.creado.desc(), Reporte.id.desc())
    for columna, valor in ((Reporte.objeto_id, objeto_id), (Reporte.cvegeo, cvegeo)):
        if valor is not None:
            if not isinstance(valor, str) or _NO_VALIDOS.search(valor) or len(valor) > 100:
                return []
            consulta = consulta.where(columna == valor)
    if objeto is not None:
        consulta = consulta.where(Reporte.objeto == objeto)
    return [publico(r) for r in sesion.scalars(consulta)]


def buscar(
    sesion: Session,
    *,
    folios: Sequence[str] | None = None,
    tipos: Sequence[tuple[str, str]] | None = None,
    estados: Sequence[str] | None = None,
    desde: datetime | None = None,
    hasta: datetime | None = None,
    tope: int = 1000,
) -> list[Reporte]:
    """Reportes que cumplen todos los filtros dados, el más nuevo primero, a lo más ``tope``.

    ``folios`` (se ignoran los que no tienen forma de folio), ``tipos`` como pares
    ``(objeto, tipo)``, ``estados`` propios (:data:`ESTADOS`) y ``desde``/``hasta`` sobre la
    fecha de creación (UTC sin zona, ambos inclusive). Un filtro vacío no deja pasar nada.
    """
    consulta = select(Reporte).options(*_CARGAR)
    if folios is not None:
        validos = [f for f in (str(f).strip().upper() for f in folios) if _FOLIO.fullmatch(f)]
        consulta = consulta.where(Reporte.folio.in_(validos))
    if tipos is not None:
        pares = [(Reporte.objeto == o) & (Reporte.tipo == t) for o, t in tipos]
        consulta = consulta.where(or_(false(), *pares))
    if estados is not None:
        consulta = consulta.where(Reporte.estado.in_(list(estados)))
    if desde is not None:
        consulta = consulta.where(Reporte.creado >= desde)
    if hasta is not None:
        consulta = consulta.where(Reporte.creado <= hasta)
    consulta = consulta.order_by(Reporte.creado.desc(), Reporte.id.desc()).limit(max(0, tope))
    return list(sesion.scalars(consulta))


def completar_municipios(sesion: Session, catalogo: Catalogo, lote: int = 1000) -> int:
    """Pone el municipio (CVEGEO) a los reportes que no lo tienen; devuelve cuántos.

    Los reportes de antes del esquema 3 no guardaban municipio: se toma del objeto publicado
    (cajón, obra, escuela) o, en un punto, del municipio donde cae. Los que no se pueden
    ubicar (un objeto que ya no se publica) se quedan sin municipio.
    """
    sin_municipio = sesion.scalars(
        select(Reporte).where(Reporte.cvegeo.is_(None)).order_by(Reporte.id).limit(lote)
    ).all()
    completados = 0
    for reporte in sin_municipio:
        if reporte.objeto == "punto":
            if reporte.latitud is None or reporte.longitud is None:
                continue
            cvegeo = catalogo.municipio(reporte.latitud, reporte.longitud)
        else:
            lugar = catalogo.lugar(reporte.objeto, reporte.objeto_id or "")
            cvegeo = lugar.cvegeo if lugar is not None else None
        if cvegeo:
            reporte.cvegeo = cvegeo
            completados += 1
    if completados:
        sesion.commit()
    return completados


def conteo_por_estado(
    sesion: Session, *, cvegeo: str | None = None, objeto: str | None = None
) -> dict[str, int]:
    """Reportes por estado (de un municipio, de una clase de objeto o todos)."""
    consulta = select(Reporte.estado, func.count()).group_by(Reporte.estado)
    if cvegeo is not None:
        consulta = consulta.where(Reporte.cvegeo == str(cvegeo)[:5])
    if objeto is not None:
        consulta = consulta.where(Reporte.objeto == objeto)
    return {estado: n for estado, n in sesion.execute(consulta)}


def abiertos_por_cajon(sesion: Session) -> dict[str, int]:
    """Número de reportes abiertos por cajón (para el mapa y la capa de estacionamientos)."""
    consulta = (
        select(Reporte.objeto_id, func.count())
        .where(Reporte.estado.in_(ABIERTOS), Reporte.objeto == "cajon")
        .group_by(Reporte.objeto_id)
    )
    return {id_: n for id_, n in sesion.execute(consulta)}


def pendientes(sesion: Session) -> list[Reporte]:
    """Reportes abiertos, el más antiguo primero (vista de atención)."""
    consulta = (
        select(Reporte)
        .where(Reporte.estado.in_(ABIERTOS))
        .options(selectinload(Reporte.adhesiones), selectinload(Reporte.fotos))
        .order_by(Reporte.creado, Reporte.id)
    )
    return list(sesion.scalars(consulta))


def cambiar_estado(
    sesion: Session,
    folio: str,
    nuevo: str,
    respuesta: str | None,
    usuario: str,
    *,
    avisar: bool | None = None,
) -> Reporte:
    """Cambia el estado de un reporte con una respuesta pública; queda en el historial.

    ``avisar``: deja en la bandeja de salida un aviso por correo para el reportante y quienes
    se sumaron (:func:`tablero.reportes.correo.encolar`), en la misma transacción. Por
    omisión, solo si hay servidor de correo (``SIGUE_SMTP_HOST``).
    """
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
    cambio = Cambio(de_estado=reporte.estado, a_estado=nuevo, respuesta=respuesta, usuario=usuario)
    reporte.cambios.append(cambio)
    reporte.estado = nuevo
    if respuesta:
        reporte.respuesta = respuesta
    reporte.actualizado = ahora()
    if avisar is None:
        avisar = correo.configurado()
    if avisar:
        # En la misma transacción que el cambio: si el cambio se guarda, su aviso también.
        correo.encolar(sesion, reporte, cambio)
    sesion.commit()
    return reporte


#: Acciones de moderación de una foto y el estado al que la llevan.
ACCIONES_FOTO = {"aprobar": "aprobada", "ocultar": "oculta"}
LARGO_NOTA = 500


def moderar_foto(
    sesion: Session, folio: str, foto_id: object, accion: str, nota: object, usuario: str
) -> Reporte:
    """Aprueba (se publica) u oculta (con nota pública) una foto del reporte ``folio``."""
    reporte = consultar(sesion, folio)
    if reporte is None:
        raise ErrorReporte("No existe un reporte con ese folio", "folio")
    foto = next((f for f in reporte.fotos if str(f.id) == str(foto_id)), None)
    if foto is None:
        raise ErrorReporte("Ese reporte no tiene esa foto", "foto")
    if accion not in ACCIONES_FOTO:
        raise ErrorReporte("Acción desconocida: use aprobar u ocultar", "accion")
    foto.estado = ACCIONES_FOTO[accion]
    foto.nota = (_texto(nota, "nota", LARGO_NOTA) or None) if accion == "ocultar" else None
    foto.usuario = usuario
    foto.actualizado = reporte.actualizado = ahora()
    sesion.commit()
    return reporte


def moderar_texto(
    sesion: Session, folio: str, ocultar: bool, nota: object, usuario: str
) -> Reporte:
    """Oculta la descripción del ciudadano con una nota pública, o la vuelve a mostrar.

    La descripción se conserva en la base (la ve el funcionario); solo deja de publicarse.
    """
    reporte = consultar(sesion, folio)
    if reporte is None:
        raise ErrorReporte("No existe un reporte con ese folio", "folio")
    reporte.texto_oculto = bool(ocultar)
    reporte.nota_moderacion = (_texto(nota, "nota", LARGO_NOTA) or None) if ocultar else None
    reporte.actualizado = ahora()
    del usuario  # la moderación del texto no se publica con su autor
    sesion.commit()
    return reporte


def foto_publica(sesion: Session, archivo: str) -> Foto | None:
    """La foto aprobada con ese nombre de archivo, o ``None`` (pendiente, oculta o inexistente)."""
    if not isinstance(archivo, str) or len(archivo) > 64:
        return None
    return sesion.scalars(
        select(Foto).where(Foto.archivo == archivo, Foto.estado == "aprobada")
    ).first()


# --- Funcionarios: usuarios, contraseñas y sesiones ----------------------------------------

#: Duración de una sesión de atención, contada desde la entrada.
DURACION_SESION = timedelta(hours=8)

#: Costo de scrypt (n, r, p) de las contraseñas: el de Werkzeug, 32 MiB por hash.
SCRYPT_SEGURO = (2**15, 8, 1)
#: Menor ``n`` que Werkzeug puede calcular con ``r = 8`` (su ``maxmem`` no alcanza debajo).
SCRYPT_N_MINIMO = 2**7
#: Mayor ``n`` aceptado (1 GiB por hash).
SCRYPT_N_MAXIMO = 2**20
#: Variable de entorno que baja ``n`` solo dentro de pytest (ver :func:`metodo_hash`).
ENTORNO_SCRYPT_N = "SIGUE_SCRYPT_N"

_bitacora = logging.getLogger(__name__)


def metodo_hash() -> str:
    """Método de Werkzeug para los hashes nuevos: ``"scrypt:n:r:p"``.

    ``n`` es ``SCRYPT_SEGURO[0]`` salvo que ``SIGUE_SCRYPT_N`` pida otra potencia de 2 (de
    ``SCRYPT_N_MINIMO`` a ``SCRYPT_N_MAXIMO``). Un valor mayor que el seguro se acepta
    siempre; uno menor solo mientras corre pytest (existe ``PYTEST_CURRENT_TEST``): fuera
    de las pruebas se ignora, se usa el seguro y se avisa en la bitácora (al arrancar, pues
    ``preparar`` calcula :func:`hash_ficticio`). El hash guardado lleva sus ``n:r:p``, así
    que :func:`check_password_hash` verifica hashes hechos con cualquier costo.
    """
    n, r, p = SCRYPT_SEGURO
    pedido = os.environ.get(ENTORNO_SCRYPT_N, "").strip()
    if pedido:
        try:
            valor = int(pedido)
        except ValueError:
            valor = 0
        if not SCRYPT_N_MINIMO <= valor <= SCRYPT_N_MAXIMO or valor & (valor - 1):
            _bitacora.warning(
                "%s=%r no es una potencia de 2 de %d a %d; se usa n=%d",
                ENTORNO_SCRYPT_N,
                pedido,
                SCRYPT_N_MINIMO,
                SCRYPT_N_MAXIMO,
                n,
            )
        elif valor >= n or os.environ.get("PYTEST_CURRENT_TEST"):
            n = valor
        else:
            _bitacora.warning(
                "%s=%d es menor que el costo seguro y solo vale en las pruebas; se usa n=%d",
                ENTORNO_SCRYPT_N,
                valor,
                n,
            )
    return f"scrypt:{n}:{r}:{p}"


def crear_usuario(sesion: Session, nombre: str, contrasena: str) -> Usuario:
    """Alta de un funcionario; la contraseña se guarda como hash (scrypt de Werkzeug)."""
    nombre = (nombre or "").strip()
    if not _NOMBRE_USUARIO.fullmatch(nombre):
        raise ErrorReporte("El usuario debe tener de 3 a 80 letras, números, '.', '_' o '-'")
    _validar_contrasena(contrasena)
    if _usuario(sesion, nombre) is not None:
        raise ErrorReporte(f"Ya existe el usuario {nombre}")
    usuario = Usuario(
        nombre=nombre, hash_contrasena=generate_password_hash(contrasena, metodo_hash())
    )
    sesion.add(usuario)
    sesion.commit()
    return usuario


def cambiar_contrasena(sesion: Session, nombre: str, contrasena: str) -> Usuario:
    """Cambia la contraseña de un funcionario y cierra todas sus sesiones abiertas."""
    usuario = _usuario_existente(sesion, nombre)
    _validar_contrasena(contrasena)
    usuario.hash_contrasena = generate_password_hash(contrasena, metodo_hash())
    _cerrar_sesiones(sesion, usuario)
    sesion.commit()
    return usuario


def desactivar_usuario(sesion: Session, nombre: str) -> Usuario:
    """Da de baja a un funcionario (no puede entrar) y cierra todas sus sesiones abiertas."""
    usuario = _usuario_existente(sesion, nombre)
    usuario.activo = False
    _cerrar_sesiones(sesion, usuario)
    sesion.commit()
    return usuario


@lru_cache(maxsize=1)
def hash_ficticio() -> str:
    """Hash de una contraseña al azar, con el mismo método y costo que los reales.

    :func:`verificar` compara contra él cuando el usuario no existe: un scrypt siempre.
    """
    return generate_password_hash(secrets.token_urlsafe(24), metodo_hash())


def verificar(sesion: Session, nombre: str, contrasena: str) -> Usuario | None:
    """El usuario activo si la contraseña es correcta; ``None`` si no.

    Siempre cuesta exactamente un scrypt: si el usuario no existe (o el nombre ni siquiera
    tiene forma de usuario) se compara contra :func:`hash_ficticio`. El tiempo de respuesta
    no dice qué usuarios existen.
    """
    nombre = nombre.strip() if isinstance(nombre, str) else ""
    usuario = _usuario(sesion, nombre) if _NOMBRE_USUARIO.fullmatch(nombre) else None
    texto = contrasena if isinstance(contrasena, str) else ""
    valida = len(texto) <= LARGO_CONTRASENA and not _NO_VALIDOS.search(texto)
    objetivo = usuario.hash_contrasena if usuario is not None else hash_ficticio()
    correcta = check_password_hash(objetivo, texto if valida else "")
    if usuario is None or not usuario.activo or not valida or not correcta:
        return None
    return usuario


def abrir_sesion(sesion: Session, usuario: Usuario) -> str:
    """Abre una sesión del lado del servidor y devuelve su token (va en la cookie firmada).

    En la base solo queda el hash del token: quien lea la base no puede usar las sesiones.
    """
    token = secrets.token_urlsafe(32)
    momento = ahora()
    _purgar(sesion, SesionAtencion, SesionAtencion.id, SesionAtencion.expira < momento)
    sesion.add(
        SesionAtencion(
            token=_huella(token),
            usuario_id=usuario.id,
            creada=momento,
            expira=momento + DURACION_SESION,
        )
    )
    sesion.commit()
    return token


def usuario_de_sesion(sesion: Session, token: object) -> Usuario | None:
    """El funcionario de la sesión ``token`` si sigue abierta, vigente y el usuario activo."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    fila = sesion.scalars(
        select(SesionAtencion)
        .where(SesionAtencion.token == _huella(token))
        .options(selectinload(SesionAtencion.usuario))
    ).first()
    if fila is None or fila.expira <= ahora() or not fila.usuario.activo:
        return None
    return fila.usuario


def cerrar_sesion(sesion: Session, token: object) -> None:
    """Cierra la sesión ``token`` (salir): la cookie deja de servir aunque alguien la copiara."""
    if isinstance(token, str) and token:
        sesion.execute(
            delete(SesionAtencion)
            .where(SesionAtencion.token == _huella(token))
            .execution_options(synchronize_session=False)
        )
        sesion.commit()


def _cerrar_sesiones(sesion: Session, usuario: Usuario) -> None:
    sesion.execute(
        delete(SesionAtencion)
        .where(SesionAtencion.usuario_id == usuario.id)
        .execution_options(synchronize_session=False)
    )


def _huella(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _usuario(sesion: Session, nombre: str) -> Usuario | None:
    return sesion.scalars(select(Usuario).where(Usuario.nombre == nombre)).first()


def _usuario_existente(sesion: Session, nombre: str) -> Usuario:
    nombre = (nombre or "").strip()
    usuario = _usuario(sesion, nombre) if _NOMBRE_USUARIO.fullmatch(nombre) else None
    if usuario is None:
        raise ErrorReporte(f"No existe el usuario {nombre}")
    return usuario


def _validar_contrasena(contrasena: str) -> None:
    if not isinstance(contrasena, str) or len(contrasena) < 12:
        raise ErrorReporte("La contraseña debe tener al menos 12 caracteres")
    if len(contrasena) > LARGO_CONTRASENA or _NO_VALIDOS.search(contrasena):
        raise ErrorReporte(
            f"La contraseña debe tener a lo más {LARGO_CONTRASENA:,} caracteres y ninguno de control"
        )


# --- Límites: entrada de funcionarios y envíos por cliente ---------------------------------


@dataclass(frozen=True)
class Regla:
    """Esperas crecientes para los intentos fallidos de entrada de una clave.

    Los primeros ``umbral`` fallos son libres; al llegar al umbral hay que esperar
    ``espera_inicial`` y cada fallo siguiente dobla la espera, hasta ``espera_maxima``. Los
    fallos se olvidan ``olvido`` después del último. ``reinicia`` dice si una entrada correcta
    borra los fallos de la clave (si no, solo devuelve el intento que reservó).
    """

    umbral: int
    espera_inicial: timedelta
    espera_maxima: timedelta
    olvido: timedelta
    reinicia: bool

    def espera(self, fallos: int) -> timedelta:
        """Espera obligatoria después de ``fallos`` fallos seguidos."""
        if fallos < self.umbral:
            return timedelta(0)
        return min(self.espera_maxima, self.espera_inicial * 2 ** min(fallos - self.umbral, 30))


#: Por (dirección, cuenta): 5 fallos libres; después 30 s, 1 min, 2 min... hasta 15 min.
POR_CUENTA = Regla(5, timedelta(seconds=30), timedelta(minutes=15), timedelta(minutes=30), True)
#: Por dirección, sin importar la cuenta: 20 fallos libres; después 30 s... hasta 1 h.
POR_DIRECCION = Regla(20, timedelta(seconds=30), timedelta(hours=1), timedelta(hours=2), False)


def claves_entrada(cliente: str, nombre: object) -> dict[str, Regla]:
    """Claves de límite de un intento de entrada: la dirección y el par (dirección, cuenta).

    No hay clave por cuenta sola: diez contraseñas equivocadas desde otras direcciones no
    bloquean al funcionario en la suya. ``cliente`` ya es una huella de la dirección con el
    secreto del servidor; la cuenta entra solo como hash.
    """
    cuenta = nombre.strip().lower()[:80] if isinstance(nombre, str) else ""
    par = hashlib.sha256(f"{cliente}\0{cuenta}".encode("utf-8", "surrogatepass")).hexdigest()
    return {f"entrada:{cliente}"[:80]: POR_DIRECCION, f"cuenta:{par[:40]}": POR_CUENTA}


def reservar_entrada(sesion: Session, claves: dict[str, Regla]) -> timedelta | None:
    """Reserva un intento de entrada antes de verificar la contraseña.

    Devuelve ``None`` si se puede verificar, o cuánto falta esperar. El intento cuenta como
    fallido desde ya, dentro de una transacción que bloquea las filas de sus claves: de una
    ráfaga simultánea pasan exactamente los intentos libres, ni uno más. Si la contraseña
    resulta correcta, :func:`entrada_correcta` devuelve el intento.
    """
    momento = ahora()
    filas = {clave: _cerrojo(sesion, clave, momento) for clave in sorted(claves)}
    bloqueos = [
        fila.bloqueado_hasta - momento
        for fila in filas.values()
        if fila.bloqueado_hasta is not None and fila.bloqueado_hasta > momento
    ]
    if bloqueos:
        sesion.commit()
        return max(bloqueos)
    for clave, fila in filas.items():
        regla = claves[clave]
        if fila.ultimo is not None and fila.ultimo < momento - regla.olvido:
            fila.fallos = 0
        fila.fallos = (fila.fallos or 0) + 1
        fila.ultimo = momento
        espera = regla.espera(fila.fallos)
        fila.bloqueado_hasta = momento + espera if espera else None
    _purgar_limites(sesion, momento)
    sesion.commit()
    return None


def entrada_correcta(sesion: Session, claves: dict[str, Regla]) -> None:
    """Devuelve el intento reservado por una entrada correcta: solo cuentan los fallidos."""
    momento = ahora()
    for clave in sorted(claves):
        regla = claves[clave]
        fila = _cerrojo(sesion, clave, momento)
        fila.fallos = 0 if regla.reinicia else max(0, (fila.fallos or 0) - 1)
        # La reserva solo se concedió sin espera vigente: se vuelve a ese estado.
        fila.bloqueado_hasta = None
    sesion.commit()


def recientes(sesion: Session, cliente: str) -> int:
    """Envíos del cliente en la última hora."""
    hace_una_hora = ahora() - timedelta(hours=1)
    return sesion.scalar(
        select(func.count())
        .select_from(Envio)
        .where(Envio.cliente == cliente, Envio.fecha >= hace_una_hora)
    )


def _contar_envio(sesion: Session, cliente: str, limite: int) -> None:
    """Registra el envío y falla si el cliente ya llegó al límite de la última hora.

    Cuenta y anota con la fila de cerrojo del cliente bloqueada hasta el ``commit`` de quien
    llama: dos envíos simultáneos del mismo cliente se cuentan uno después del otro.
    """
    momento = ahora()
    _cerrojo(sesion, f"envios:{cliente}"[:80], momento)
    if recientes(sesion, cliente) >= limite:
        sesion.rollback()
        raise LimiteExcedido(f"Llegó al límite de {limite} reportes por hora; intente más tarde")
    sesion.add(Envio(cliente=cliente, fecha=momento))
    _purgar(sesion, Envio, Envio.id, Envio.fecha < momento - timedelta(hours=2))
    _purgar_limites(sesion, momento)


def _cerrojo(sesion: Session, clave: str, momento: datetime) -> Limite:
    """Crea si falta y bloquea hasta el fin de la transacción la fila ``clave`` de límites.

    ``INSERT ... ON CONFLICT DO UPDATE`` es una sola sentencia de escritura: en PostgreSQL
    bloquea la fila (otra transacción con la misma clave espera a que esta termine); en
    SQLite abre la transacción tomando el cerrojo de escritura antes de leer nada.
    """
    if sesion.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    sentencia = insert(Limite).values(clave=clave, fallos=0, usado=momento)
    sesion.execute(
        sentencia.on_conflict_do_update(index_elements=[Limite.clave], set_={"usado": momento})
    )
    return sesion.scalars(
        select(Limite).where(Limite.clave == clave).execution_options(populate_existing=True)
    ).one()


def _purgar_limites(sesion: Session, momento: datetime) -> None:
    """Borra filas de límites sin uso desde hace un día y sin bloqueo vigente."""
    _purgar(
        sesion,
        Limite,
        Limite.clave,
        (Limite.usado < momento - timedelta(days=1))
        & (Limite.bloqueado_hasta.is_(None) | (Limite.bloqueado_hasta < momento)),
    )


def _purgar(sesion: Session, modelo, columna, condicion) -> None:
    """Borra hasta 500 filas viejas que ninguna otra transacción tenga bloqueadas.

    ``SKIP LOCKED`` (PostgreSQL): la limpieza nunca espera a otra petición, así que no puede
    trabarse con ella. SQLite ya ordena las escrituras con su cerrojo único.
    """
    viejas = select(columna).where(condicion).limit(500).with_for_update(skip_locked=True)
    sesion.execute(
        delete(modelo).where(columna.in_(viejas)).execution_options(synchronize_session=False)
    )


def _folio() -> str:
    return "R-" + "".join(secrets.choice(_ALFABETO_FOLIO) for _ in range(7))


def _texto(valor: object, campo: str, largo: int) -> str:
    if valor is None:
        return ""
    if not isinstance(valor, str):
        raise ErrorReporte(f"El campo {campo} debe ser texto", campo)
    if _NO_VALIDOS.search(valor):
        raise ErrorReporte(
            f"El campo {campo} tiene caracteres no válidos (de control o sustitutos sueltos)",
            campo,
        )
    valor = valor.strip()
    if len(valor) > largo:
        raise ErrorReporte(f"El campo {campo} pasa de {largo:,} caracteres", campo)
    return valor


def _contacto(valor: object) -> str | None:
    contacto = _texto(valor, "contacto", LARGO_CONTACTO)
    if not contacto:
        return None
    if "@" in contacto:
        # Se valida estricto: el correo irá en el encabezado ``To`` de los avisos.
        if not correo.es_correo(contacto):
            raise ErrorReporte(
                "El correo no es válido; escríbalo como nombre@dominio.mx", "contacto"
            )
    elif not _TELEFONO.match(contacto):
        raise ErrorReporte("El contacto debe ser un correo o un teléfono", "contacto")
    return contacto


def _coordenada(valor: object, campo: str, maximo: int) -> float:
    """Latitud o longitud en grados decimales; cualquier otra cosa es un error de datos."""
    mensaje = f"La {campo} debe ser un número en grados decimales entre -{maximo} y {maximo}"
    if isinstance(valor, bool) or not isinstance(valor, int | float):
        raise ErrorReporte(mensaje, campo)
    try:
        numero = float(valor)
    except OverflowError:  # un entero de cientos de cifras
        raise ErrorReporte(mensaje, campo) from None
    if not math.isfinite(numero) or abs(numero) > maximo:
        raise ErrorReporte(mensaje, campo)
    return numero


def _iso(fecha) -> str | None:
    return None if fecha is None else fecha.replace(microsecond=0).isoformat() + "Z"
