"""Excepciones de la ingesta: la CLI las convierte en un mensaje claro y salida 1."""


class ErrorIngesta(Exception):
    """Error que impide una carga; el mensaje, en español, nombra archivo y columna."""


class ArchivoIlegible(ErrorIngesta):
    """El archivo no existe, está vacío o no se puede leer en ningún formato aceptado."""


class ColumnaFaltante(ErrorIngesta):
    """Falta una columna obligatoria."""


class TipoDesconocido(ErrorIngesta):
    """El tipo de fuente no existe o el archivo no corresponde a ese tipo."""


class VersionNoEncontrada(ErrorIngesta):
    """Se pidió una versión que no existe en el almacén."""
