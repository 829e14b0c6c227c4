"""Conexión a la base de reportes: SQLite por omisión, PostgreSQL con ``DATABASE_URL``."""

from __future__ import annotations

import os
import stat
import weakref
from functools import lru_cache
from pathlib import Path

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    insert,
    inspect,
    make_url,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from tablero.reportes.modelo import VERSION_ESQUEMA, Base, Esquema


def url_base(carpeta_datos: str | Path) -> str:
    """``DATABASE_URL`` si existe; si no, SQLite en ``<carpeta_datos>/reportes.sqlite``."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # Heroku y otros usan ``postgres://``; SQLAlchemy 2 quiere el driver explícito.
        for prefijo in ("postgres://", "postgresql://"):
            if url.startswith(prefijo):
                return "postgresql+psycopg://" + url[len(prefijo) :]
        return url
    carpeta = Path(carpeta_datos)
    carpeta.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{carpeta / 'reportes.sqlite'}"


@lru_cache(maxsize=8)
def motor(url: str) -> Engine:
    """Motor (con su grupo de conexiones) por URL, uno por proceso; crea o migra el esquema.

    ``hide_parameters``: un error de la base nunca repite los valores (p. ej. el contacto de
    un ciudadano) en el mensaje ni en la bitácora.
    """
    if url.startswith("sqlite"):
        _crear_privado(url)
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine, "connect", _pragmas_sqlite)
    else:
        engine = create_engine(
            url, pool_pre_ping=True, pool_size=5, max_overflow=5, hide_parameters=True
        )
    preparar_esquema(engine)
    _CREADOS.add(engine)
    return engine


#: Motores creados por :func:`motor` en este proceso (para :func:`soltar_motores`); débiles:
#: un motor que ya nadie usa se libera (y cierra sus conexiones) como siempre.
_CREADOS: weakref.WeakSet[Engine] = weakref.WeakSet()


def soltar_motores() -> None:
    """Cierra las conexiones de los motores de este proceso y los olvida.

    Para el proceso principal de gunicorn antes de crear los hijos: lo que abrió al calentar
    (una página que lee reportes) no debe heredarse; dos procesos que usan la misma conexión
    corrompen su protocolo. Cada hijo abre las suyas en su primera petición.
    """
    for engine in list(_CREADOS):
        engine.dispose()
    _CREADOS.clear()
    motor.cache_clear()


def crear_esquema(url: str) -> None:
    """Crea o migra el esquema con un motor de un solo uso (antes de lanzar procesos hijos).

    El proceso principal de gunicorn no debe quedarse con conexiones abiertas que sus hijos
    heredarían: cada hijo abre las suyas con :func:`motor` en su primera petición.
    """
    if url.startswith("sqlite"):
        _crear_privado(url)
    engine = create_engine(url, hide_parameters=True)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _pragmas_sqlite)
    try:
        preparar_esquema(engine)
    finally:
        engine.dispose()


def sesiones(url: str) -> sessionmaker[Session]:
    """Fábrica de sesiones para la base ``url``."""
    return sessionmaker(motor(url), expire_on_commit=False)


#: Llave del candado consultivo de PostgreSQL que ordena la preparación del esquema entre
#: instancias que arrancan a la vez.
CANDADO_ESQUEMA = 0x5167_0011
#: Intentos de preparar el esquema (un choque con otro proceso que lo crea a la vez se reintenta).
INTENTOS_ESQUEMA = 3


def preparar_esquema(engine: Engine) -> None:
    """Crea las tablas que falten y registra la versión del esquema (migración al arrancar).

    Es idempotente y segura con varios procesos, o varias instancias, arrancando a la vez
    sobre la misma base: con PostgreSQL un candado consultivo de la transacción
    (``pg_advisory_xact_lock``) las pone en fila (sin él, dos ``CREATE TABLE`` simultáneos
    chocan con ``IntegrityError``); con SQLite, ``BEGIN IMMEDIATE`` toma el bloqueo de
    escritura antes de revisar qué tablas faltan. Un choque que aun así ocurra se reintenta.
    """
    for intento in range(INTENTOS_ESQUEMA):
        try:
            with engine.begin() as conexion:
                if engine.dialect.name == "postgresql":
                    conexion.execute(
                        text("SELECT pg_advisory_xact_lock(:llave)"), {"llave": CANDADO_ESQUEMA}
                    )
                elif engine.dialect.name == "sqlite":
                    # El bloqueo de escritura desde el principio: revisar y crear las tablas
                    # queda en una sola transacción (pysqlite no abre una para el DDL).
                    conexion.exec_driver_sql("BEGIN IMMEDIATE")
                Base.metadata.create_all(conexion, checkfirst=True)
                consulta = select(Esquema.version).where(Esquema.id == 1)
                actual = conexion.execute(consulta).scalar_one_or_none()
                if actual is None:
                    conexion.execute(insert(Esquema).values(id=1, version=VERSION_ESQUEMA))
                elif actual < VERSION_ESQUEMA:
                    _migrar(conexion, actual)
                    conexion.execute(
                        update(Esquema).where(Esquema.id == 1).values(version=VERSION_ESQUEMA)
                    )
            return
        except DBAPIError:
            if intento == INTENTOS_ESQUEMA - 1:
                raise


#: Columnas que la versión 3 agrega a ``reportes`` (nombre, definición SQL común).
_COLUMNAS_V3 = (
    ("objeto", "VARCHAR(12) NOT NULL DEFAULT 'punto'"),
    ("objeto_id", "VARCHAR(100)"),
    ("cvegeo", "VARCHAR(5)"),
    ("texto_oculto", "BOOLEAN NOT NULL DEFAULT {falso}"),
    ("nota_moderacion", "TEXT"),
)


def _migrar(conexion: Connection, desde: int) -> None:
    """Pasos de migración entre versiones del esquema, sin perder reportes.

    De 2 a 3: columnas nuevas de ``reportes`` (``create_all`` ya creó la tabla ``fotos``);
    los reportes de antes con cajón pasan a ``objeto = "cajon"`` con su ``objeto_id``, los
    demás quedan como ``"punto"``. De 3 a 4: solo tablas nuevas (``suscripciones`` y
    ``avisos``, de los avisos por correo), que ``create_all`` ya creó. Corre dentro de la transacción con candado de
    :func:`preparar_esquema`; cada paso revisa lo que ya existe.
    """
    if desde < 3:
        falso = "false" if conexion.dialect.name == "postgresql" else "0"
        existentes = {c["name"] for c in inspect(conexion).get_columns("reportes")}
        for nombre, definicion in _COLUMNAS_V3:
            if nombre not in existentes:
                conexion.execute(
                    text(
                        f"ALTER TABLE reportes ADD COLUMN {nombre} {definicion.format(falso=falso)}"
                    )
                )
        conexion.execute(
            text(
                "UPDATE reportes SET objeto = 'cajon', objeto_id = estacionamiento_id "
                "WHERE estacionamiento_id IS NOT NULL AND objeto_id IS NULL"
            )
        )
        for columna in ("objeto_id", "cvegeo"):
            conexion.execute(
                text(f"CREATE INDEX IF NOT EXISTS ix_reportes_{columna} ON reportes ({columna})")
            )


def _pragmas_sqlite(conexion, _registro) -> None:
    cursor = conexion.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # un reporte confirmado sobrevive a una caída
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # La base (contactos, hashes de contraseñas) y sus archivos WAL y SHM solo para el dueño.
    # SQLite crea el WAL y el SHM con los permisos de la base; si ya existían de antes, se
    # corrigen aquí.
    for fila in cursor.execute("PRAGMA database_list").fetchall():
        if fila[2]:
            for sufijo in ("", "-wal", "-shm"):
                solo_dueno(Path(fila[2] + sufijo))
    cursor.close()


def _crear_privado(url: str) -> None:
    """Crea el archivo de la base SQLite vacío con permisos 0600 antes de que SQLite lo abra."""
    ruta = make_url(url).database
    if not ruta or ruta == ":memory:" or ruta.startswith("file:"):
        return
    ruta = Path(ruta)
    ruta.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(ruta, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        solo_dueno(ruta)


def solo_dueno(ruta: Path) -> None:
    """Deja ``ruta`` (si existe) con permisos 0600: lectura y escritura solo para el dueño."""
    try:
        if stat.S_IMODE(ruta.stat().st_mode) != 0o600:
            ruta.chmod(0o600)
    except (FileNotFoundError, PermissionError):  # no existe, o es de otro usuario
        pass


__all__ = ["motor", "preparar_esquema", "sesiones", "solo_dueno", "text", "url_base"]
