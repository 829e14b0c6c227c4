"""Errores del almacén de versiones: la CLI y el tablero los convierten en mensajes claros."""

from __future__ import annotations


class ErrorDatos(Exception):
    """Error de datos con mensaje en español; ``archivo`` y ``columna`` son opcionales.

    Es la base de los errores de la ingesta y del almacén: quien atiende a una persona
    (la CLI, una página) lo convierte en un mensaje claro, nunca en una traza.
    """

    def __init__(self, mensaje: str, *, archivo: str | None = None, columna: str | None = None):
        super().__init__(mensaje)
        self.archivo = archivo
        self.columna = columna


class CarpetaInvalida(ErrorDatos):
    """La carpeta de datos indicada no se puede usar (p. ej. es un archivo)."""


class VersionNoEncontrada(ErrorDatos):
    """Se pidió una versión que no existe en el almacén."""
