"""Conexión a la base de reportes: SQLite por omisión, PostgreSQL con ``DATABASE_URL``."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
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
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine, "connect", _pragmas_sqlite)
    else:
        engine = create_engine(
            url, pool_pre_ping=True, pool_size=5, max_overflow=5, hide_parameters=True
        )
    preparar_esquema(engine)
    return engine


def crear_esquema(url: str) -> None:
    """Crea o migra el esquema con un motor de un solo uso (antes de lanzar procesos hijos).

    El proceso principal de gunicorn no debe quedarse con conexiones abiertas que sus hijos
    heredarían: cada hijo abre las suyas con :func:`motor` en su primera petición.
    """
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


def preparar_esquema(engine: Engine) -> None:
    """Crea las tablas que falten y registra la versión del esquema (migración al arrancar).

    Es idempotente y segura con varios procesos arrancando a la vez.
    """
    Base.metadata.create_all(engine, checkfirst=True)
    with Session(engine) as sesion:
        actual = sesion.get(Esquema, 1)
        if actual is None:
            sesion.add(Esquema(id=1, version=VERSION_ESQUEMA))
            try:
                sesion.commit()
            except Exception:  # otro proceso la registró primero
                sesion.rollback()
        elif actual.version < VERSION_ESQUEMA:
            _migrar(engine, actual.version)
            actual.version = VERSION_ESQUEMA
            sesion.commit()


def _migrar(engine: Engine, desde: int) -> None:
    """Pasos de migración entre versiones del esquema (hoy solo existe la 1)."""
    columnas = {c["name"] for c in inspect(engine).get_columns("reportes")}
    del columnas, desde  # aquí irán los ``ALTER TABLE`` de versiones futuras


def _pragmas_sqlite(conexion, _registro) -> None:
    cursor = conexion.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # un reporte confirmado sobrevive a una caída
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


__all__ = ["motor", "preparar_esquema", "sesiones", "text", "url_base"]
