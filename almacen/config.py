"""Configuración en un solo lugar: estado, carpeta de datos."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

#: Clave INEGI de la entidad por omisión (Oaxaca). Se cambia con ``SIGUE_ESTADO``.
ESTADO_POR_OMISION = "20"


def clave_estado() -> str:
    """Clave INEGI de 2 dígitos de la entidad configurada (``SIGUE_ESTADO``, por omisión 20).

    ``00`` es el modo nacional: todas las entidades y sus 2,465 municipios en una instancia.
    """
    valor = os.environ.get("SIGUE_ESTADO", ESTADO_POR_OMISION).strip()
    if not (valor.isdigit() and len(valor) <= 2 and 0 <= int(valor) <= 32):
        raise ValueError(
            "SIGUE_ESTADO debe ser una clave de entidad de 01 a 32 (o 00 para todo el "
            f"país); se recibió {valor!r}"
        )
    return valor.zfill(2)


def directorio_datos(datos: str | os.PathLike | None = None) -> Path:
    """Carpeta del almacén: ``--datos``, luego ``SIGUE_DATOS``, luego la carpeta de datos del usuario."""
    if datos:
        ruta = Path(datos).expanduser().resolve()
    elif os.environ.get("SIGUE_DATOS"):
        ruta = Path(os.environ["SIGUE_DATOS"]).expanduser().resolve()
    else:
        ruta = Path(user_data_dir("sigue-el-dinero", appauthor=False))
    if ruta.exists() and not ruta.is_dir():
        from almacen.errores import CarpetaInvalida

        raise CarpetaInvalida(f"La carpeta de datos {ruta} es un archivo, no una carpeta")
    return ruta


def directorio_cache() -> Path:
    """Carpeta de caché (archivos crudos de ejemplo): ``SIGUE_CACHE`` o la del usuario."""
    if os.environ.get("SIGUE_CACHE"):
        return Path(os.environ["SIGUE_CACHE"]).expanduser().resolve()
    return Path(user_cache_dir("sigue-el-dinero", appauthor=False))
