"""Ayuda común de las pruebas de reportes (``tests/test_reportes*.py``).

Cada archivo de pruebas define sus fijaciones ``app`` y ``cliente`` con :func:`crear_app_de_prueba`:
con PostgreSQL (``DATABASE_URL``, compartido entre pruebas) la base empieza de cero; con
SQLite ya lo es (una carpeta temporal por prueba). El almacén con los dos cajones se carga
una sola vez por proceso y cada prueba recibe su propia copia (:func:`copiar_almacen`).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

from ingesta.carga import cargar
from tablero.app import crear_app
from tablero.reportes import bd
from tablero.reportes.modelo import Base
from tests.conftest import escribir_csv
from tests.test_reportes import CAJONES


def limpiar_base(tmp_path) -> None:
    """Con PostgreSQL borra todas las tablas de reportes (se vuelven a crear al usarlas)."""
    if os.environ.get("DATABASE_URL"):
        Base.metadata.drop_all(bd.motor(bd.url_base(tmp_path)))
        bd.motor.cache_clear()


@cache
def _plantilla() -> Path:
    """Almacén con :data:`CAJONES` cargados por la vía normal, una vez por proceso.

    Sin base de reportes ni secreto: esos se crean en la copia al arrancar cada tablero.
    """
    carpeta = Path(tempfile.mkdtemp(prefix="sigue-reportes-"))
    atexit.register(shutil.rmtree, carpeta, ignore_errors=True)
    cargar("estacionamientos", escribir_csv(carpeta, "e.csv", CAJONES), carpeta / "datos")
    return carpeta / "datos"


def copiar_almacen(tmp_path) -> Path:
    """Copia propia, en ``tmp_path / "datos"``, del almacén con los dos cajones publicados."""
    return Path(shutil.copytree(_plantilla(), tmp_path / "datos"))


def crear_app_de_prueba(tmp_path, monkeypatch):
    """Tablero con dos cajones de estacionamiento publicados y la base de reportes vacía."""
    limpiar_base(tmp_path)
    monkeypatch.delenv("SIGUE_LIMITE_REPORTES", raising=False)
    aplicacion = crear_app(copiar_almacen(tmp_path))
    aplicacion.server.config["TESTING"] = True
    return aplicacion


@cache
def _plantilla_completa() -> Path:
    """Almacén con los cajones, las obras de OPA 2016 y el catálogo de escuelas de las
    pruebas de sus fuentes, cargados por la vía normal una vez por proceso."""
    from tests.test_fuente_escuelas import ENCABEZADO, FILAS
    from tests.test_fuente_obras import FILAS_OPA_2016

    carpeta = Path(tempfile.mkdtemp(prefix="sigue-reportes-objetos-"))
    atexit.register(shutil.rmtree, carpeta, ignore_errors=True)
    datos = carpeta / "datos"
    cargar("estacionamientos", escribir_csv(carpeta, "e.csv", CAJONES), datos)
    cargar("obras", escribir_csv(carpeta, "_opa.csv", FILAS_OPA_2016), datos)
    cargar("escuelas", escribir_csv(carpeta, "escuelas.csv", [ENCABEZADO, *FILAS], "cp1252"), datos)
    return datos


def crear_app_completa(tmp_path, monkeypatch):
    """Tablero con cajones, obras y escuelas publicados y la base de reportes vacía."""
    limpiar_base(tmp_path)
    monkeypatch.delenv("SIGUE_LIMITE_REPORTES", raising=False)
    datos = Path(shutil.copytree(_plantilla_completa(), tmp_path / "datos"))
    aplicacion = crear_app(datos)
    aplicacion.server.config["TESTING"] = True
    return aplicacion
