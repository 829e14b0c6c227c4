"""Almacén de versiones inmutables de los datos: lo escribe la ingesta y lo leen capas y tablero.

Uso::

    from almacen import Almacen, directorio_datos

    almacen = Almacen(directorio_datos())
    version = almacen.actual()          # Version o None
    tabla = version.leer("obras")

Módulos: :mod:`almacen.versiones` (versiones, escritura atómica, procedencia de cargas),
:mod:`almacen.esquemas` (campos de cada capa del almacén), :mod:`almacen.config` (carpetas y
entidad), :mod:`almacen.csv_seguro` (CSV sin fórmulas) y :mod:`almacen.errores`.
"""

from almacen import crs
from almacen.config import clave_estado, directorio_cache, directorio_datos
from almacen.errores import CarpetaInvalida, ErrorDatos, VersionNoEncontrada
from almacen.versiones import Almacen, Version, cargas_de

crs.activar()  # GeoParquet leído sin el rodeo de ~22 ms por capa (ver almacen.crs)

__all__ = [
    "Almacen",
    "CarpetaInvalida",
    "ErrorDatos",
    "Version",
    "VersionNoEncontrada",
    "cargas_de",
    "clave_estado",
    "directorio_cache",
    "directorio_datos",
]
