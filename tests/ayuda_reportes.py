"""Ayuda común de las pruebas de reportes (``tests/test_reportes*.py``).

Cada archivo de pruebas define sus fijaciones ``app`` y ``cliente`` con :func:`crear_app_de_prueba`:
con PostgreSQL (``DATABASE_URL``, compartido entre pruebas) la base empieza de cero; con
SQLite ya lo es (una carpeta temporal por prueba).
"""

from __future__ import annotations

import os

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


def crear_app_de_prueba(tmp_path, monkeypatch):
    """Tablero con dos cajones de estacionamiento publicados y la base de reportes vacía."""
    limpiar_base(tmp_path)
    monkeypatch.delenv("SIGUE_LIMITE_REPORTES", raising=False)
    raiz = tmp_path / "datos"
    cargar("estacionamientos", escribir_csv(tmp_path, "e.csv", CAJONES), raiz)
    aplicacion = crear_app(raiz)
    aplicacion.server.config["TESTING"] = True
    return aplicacion
