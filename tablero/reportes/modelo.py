"""Tablas de la base de reportes (SQLAlchemy 2, estilo declarativo con tipos)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: Versión del esquema; al cambiar las tablas se sube y se agrega el paso en ``bd._migrar``.
#: 2: tablas ``limites`` y ``sesiones`` (nuevas: ``create_all`` las crea al arrancar).
#: 3: reportes sobre cualquier objeto público (``objeto``, ``objeto_id``, ``cvegeo``),
#: moderación del texto (``texto_oculto``, ``nota_moderacion``) y tabla ``fotos``.
#: 4: avisos por correo: tablas ``suscripciones`` y ``avisos`` (nuevas: ``create_all``).
VERSION_ESQUEMA = 4

#: Objetos públicos sobre los que se reporta: un cajón de estacionamiento, una obra (por su
#: folio), una escuela (por su CCT) o un punto (latitud y longitud, sin objeto).
OBJETOS = ("cajon", "obra", "escuela", "punto")


def ahora() -> datetime:
    """Fecha y hora actual en UTC, sin zona (igual en SQLite y PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Base declarativa."""


class Esquema(Base):
    """Versión del esquema instalado."""

    __tablename__ = "esquema"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class Reporte(Base):
    """Un reporte ciudadano sobre un objeto público: cajón, obra, escuela o punto.

    ``objeto`` dice de qué clase es y ``objeto_id`` cuál (``None`` en un punto);
    ``estacionamiento_id`` se conserva para los cajones (contrato de la API anterior).
    ``actualizado`` cambia con cada cambio de estado y cada moderación (para avisos y
    canales de noticias).
    """

    __tablename__ = "reportes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    folio: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    objeto: Mapped[str] = mapped_column(String(12), default="punto", server_default="punto")
    objeto_id: Mapped[str | None] = mapped_column(String(100), index=True)
    #: Municipio (CVEGEO) del objeto o del punto, si se conoce (perfil del municipio).
    cvegeo: Mapped[str | None] = mapped_column(String(5), index=True)
    estacionamiento_id: Mapped[str | None] = mapped_column(String(100), index=True)
    latitud: Mapped[float | None] = mapped_column(Float)
    longitud: Mapped[float | None] = mapped_column(Float)
    tipo: Mapped[str] = mapped_column(String(40))
    descripcion: Mapped[str] = mapped_column(Text)
    #: Correo o teléfono del ciudadano: **nunca** se publica ni se registra en bitácoras.
    contacto: Mapped[str | None] = mapped_column(String(200))
    estado: Mapped[str] = mapped_column(String(20), default="recibido")
    respuesta: Mapped[str | None] = mapped_column(Text)
    #: Un funcionario ocultó la descripción; en su lugar se publica ``nota_moderacion``.
    texto_oculto: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    nota_moderacion: Mapped[str | None] = mapped_column(Text)
    creado: Mapped[datetime] = mapped_column(DateTime(), default=ahora)
    actualizado: Mapped[datetime] = mapped_column(DateTime(), default=ahora)
    fotos: Mapped[list[Foto]] = relationship(
        back_populates="reporte", order_by="Foto.id", cascade="all, delete-orphan"
    )
    cambios: Mapped[list[Cambio]] = relationship(
        back_populates="reporte", order_by="Cambio.id", cascade="all, delete-orphan"
    )
    adhesiones: Mapped[list[Adhesion]] = relationship(
        back_populates="reporte", order_by="Adhesion.id", cascade="all, delete-orphan"
    )


class Cambio(Base):
    """Un cambio de estado de un reporte: quién, cuándo, de qué a qué y la respuesta pública."""

    __tablename__ = "cambios"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reporte_id: Mapped[int] = mapped_column(ForeignKey("reportes.id"), index=True)
    fecha: Mapped[datetime] = mapped_column(DateTime(), default=ahora)
    de_estado: Mapped[str | None] = mapped_column(String(20))
    a_estado: Mapped[str] = mapped_column(String(20))
    respuesta: Mapped[str | None] = mapped_column(Text)
    #: Usuario funcionario que hizo el cambio (``None`` al recibir el reporte).
    usuario: Mapped[str | None] = mapped_column(String(80))
    reporte: Mapped[Reporte] = relationship(back_populates="cambios")


class Adhesion(Base):
    """Otro ciudadano que se suma a un reporte abierto en vez de duplicarlo."""

    __tablename__ = "adhesiones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reporte_id: Mapped[int] = mapped_column(ForeignKey("reportes.id"), index=True)
    fecha: Mapped[datetime] = mapped_column(DateTime(), default=ahora)
    descripcion: Mapped[str | None] = mapped_column(Text)
    contacto: Mapped[str | None] = mapped_column(String(200))
    reporte: Mapped[Reporte] = relationship(back_populates="adhesiones")


class Foto(Base):
    """Foto de un reporte, ya re-codificada (JPEG sin metadatos) en la carpeta de datos.

    ``archivo`` es un nombre aleatorio (no dice nada del reporte ni de quien la envió). Se
    publica solo con ``estado == "aprobada"``; ``"oculta"`` lleva una nota pública.
    """

    __tablename__ = "fotos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reporte_id: Mapped[int] = mapped_column(ForeignKey("reportes.id"), index=True)
    archivo: Mapped[str] = mapped_column(String(64), unique=True)
    estado: Mapped[str] = mapped_column(String(12), default="pendiente")
    nota: Mapped[str | None] = mapped_column(Text)
    ancho: Mapped[int] = mapped_column(Integer)
    alto: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(Integer)
    creado: Mapped[datetime] = mapped_column(DateTime(), default=ahora)
    actualizado: Mapped[datetime] = mapped_column(DateTime(), default=ahora)
    #: Funcionario que la aprobó u ocultó por última vez (no se publica).
    usuario: Mapped[str | None] = mapped_column(String(80))
    reporte: Mapped[Reporte] = relationship(back_populates="fotos")


class Usuario(Base):
    """Funcionario que atiende reportes; la contraseña se guarda solo como hash."""

    __tablename__ = "usuarios"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    nombre: Mapped[str] = mapped_column(String(80), unique=True)
    hash_contrasena: Mapped[str] = mapped_column(String(255))
    activo: Mapped[bool] = mapped_column(default=True)
    creado: Mapped[datetime] = mapped_column(DateTime(), default=ahora)


class Envio(Base):
    """Un envío de reporte por cliente (huella anónima), para el límite por hora."""

    __tablename__ = "envios"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cliente: Mapped[str] = mapped_column(String(64))
    fecha: Mapped[datetime] = mapped_column(DateTime(), default=ahora)
    __table_args__ = (Index("ix_envios_cliente_fecha", "cliente", "fecha"),)


class Limite(Base):
    """Fila de cerrojo y contador de un límite (entrada de funcionarios, envíos por cliente).

    Cada operación limitada bloquea su fila (``INSERT ... ON CONFLICT DO UPDATE``) durante
    su transacción: dos peticiones simultáneas del mismo cliente se ordenan y el límite se
    cumple exactamente, en SQLite y en PostgreSQL. ``fallos`` y ``bloqueado_hasta`` llevan
    las esperas crecientes de la entrada; la clave nunca contiene la IP ni el usuario en
    claro (es un hash con el secreto del servidor).
    """

    __tablename__ = "limites"
    clave: Mapped[str] = mapped_column(String(80), primary_key=True)
    fallos: Mapped[int] = mapped_column(Integer, default=0)
    ultimo: Mapped[datetime | None] = mapped_column(DateTime())
    bloqueado_hasta: Mapped[datetime | None] = mapped_column(DateTime())
    usado: Mapped[datetime] = mapped_column(DateTime(), default=ahora, index=True)


class SesionAtencion(Base):
    """Sesión abierta de un funcionario (del lado del servidor).

    La cookie firmada solo lleva un token aleatorio; aquí se guarda su hash. Salir borra la
    fila; desactivar al usuario o cambiar su contraseña borra todas las suyas: una cookie
    copiada antes deja de servir al instante.
    """

    __tablename__ = "sesiones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    usuario_id: Mapped[int] = mapped_column(ForeignKey("usuarios.id"), index=True)
    creada: Mapped[datetime] = mapped_column(DateTime(), default=ahora)
    expira: Mapped[datetime] = mapped_column(DateTime(), index=True)
    usuario: Mapped[Usuario] = relationship()


class Suscripcion(Base):
    """Quien recibe por correo los cambios de estado de un reporte: el reportante o alguien
    que se sumó (``adhesion_id``).

    El correo no se copia aquí: se lee del reporte o de la adhesión al enviar. El enlace de
    baja lleva un token derivado del secreto del servidor y de ``sal`` (aleatoria); en la
    base solo queda su hash (``token``). ``baja`` dice desde cuándo ya no quiere avisos.
    """

    __tablename__ = "suscripciones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reporte_id: Mapped[int] = mapped_column(ForeignKey("reportes.id"), index=True)
    adhesion_id: Mapped[int | None] = mapped_column(ForeignKey("adhesiones.id"), unique=True)
    sal: Mapped[str] = mapped_column(String(64))
    #: Hash SHA-256 del token de baja vigente (se fija al enviar el primer aviso).
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    creada: Mapped[datetime] = mapped_column(DateTime(), default=ahora)
    baja: Mapped[datetime | None] = mapped_column(DateTime())
    reporte: Mapped[Reporte] = relationship()
    adhesion: Mapped[Adhesion | None] = relationship()


class Aviso(Base):
    """Bandeja de salida: un correo por cambio de estado y suscripción.

    Se escribe en la misma transacción que el cambio de estado; se envía después. ``estado``:
    ``pendiente`` (espera hasta ``siguiente``), ``enviando`` (reclamado por un proceso desde
    ``reclamado``), ``enviado``, ``fallido`` (rechazo definitivo o intentos agotados) o
    ``cancelado`` (baja, o el contacto ya no es un correo). La pareja (cambio, suscripción)
    es única: un cambio nunca genera dos correos para la misma persona. ``error`` guarda solo
    la clase del error y el código SMTP, nunca la dirección.
    """

    __tablename__ = "avisos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cambio_id: Mapped[int] = mapped_column(ForeignKey("cambios.id"), index=True)
    suscripcion_id: Mapped[int] = mapped_column(ForeignKey("suscripciones.id"), index=True)
    estado: Mapped[str] = mapped_column(String(12), default="pendiente", index=True)
    intentos: Mapped[int] = mapped_column(Integer, default=0)
    creado: Mapped[datetime] = mapped_column(DateTime(), default=ahora)
    siguiente: Mapped[datetime] = mapped_column(DateTime(), default=ahora)
    reclamado: Mapped[datetime | None] = mapped_column(DateTime())
    enviado: Mapped[datetime | None] = mapped_column(DateTime())
    error: Mapped[str | None] = mapped_column(String(200))
    cambio: Mapped[Cambio] = relationship()
    suscripcion: Mapped[Suscripcion] = relationship()
    __table_args__ = (UniqueConstraint("cambio_id", "suscripcion_id", name="uq_avisos_cambio"),)
