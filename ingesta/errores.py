"""Excepciones de la ingesta: la CLI las convierte en un mensaje claro y salida 1."""

from __future__ import annotations

from almacen.errores import ErrorDatos, VersionNoEncontrada

__all__ = [
    "ArchivoIlegible",
    "ColumnaFaltante",
    "ErrorDatos",
    "ErrorIngesta",
    "FormatoNoReconocido",
    "OpcionFaltante",
    "TipoDesconocido",
    "VersionNoEncontrada",
]


class ErrorIngesta(ErrorDatos):
    """Error que impide una carga; el mensaje, en español, nombra archivo y columna.

    ``archivo`` y ``columna`` (opcionales) van también en la salida ``--json`` de la CLI.
    """

    def __init__(self, mensaje: str, *, archivo: str | None = None, columna: str | None = None):
        from ingesta.privacidad import enmascarar

        super().__init__(enmascarar(mensaje), archivo=archivo, columna=columna)


class ArchivoIlegible(ErrorIngesta):
    """El archivo no existe, está vacío o no se puede leer en ningún formato aceptado."""


class ColumnaFaltante(ErrorIngesta):
    """Falta una columna obligatoria."""


class TipoDesconocido(ErrorIngesta):
    """El tipo de fuente no existe o el archivo no corresponde a ese tipo."""


class FormatoNoReconocido(ColumnaFaltante, TipoDesconocido):
    """Ningún formato de la fuente corresponde a las columnas del archivo."""


class OpcionFaltante(ErrorIngesta):
    """El archivo necesita una opción de la carga (p. ej. ``--anio``) que no se dio."""
