"""Enmascarado de datos personales por su forma, no por la columna donde vienen.

Todo motivo de rechazo o advertencia, mensaje de error y línea de bitácora pasa por
:func:`enmascarar`: una CURP escrita en la columna del CCT, un correo en la de observaciones
o un RFC de persona física en el nombre del proyecto nunca se repiten tal cual.
"""

from __future__ import annotations

import logging
import re

import pandas as pd

#: Forma de una CURP (18 caracteres): 4 letras, fecha, sexo, entidad, 3 consonantes, 2 más.
_CURP = r"[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d"
#: Forma de un RFC (persona física 13 o moral 12 caracteres, con o sin guiones).
_RFC = r"[A-ZÑ&]{3,4}[- ]?\d{6}[- ]?[A-Z0-9]{3}"
#: Forma de un correo electrónico.
_CORREO = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"

_PATRONES = [
    (re.compile(rf"(?<![A-Z0-9]){_CURP}(?![A-Z0-9])", re.IGNORECASE), "[CURP oculta]"),
    (re.compile(_CORREO), "[correo oculto]"),
    (re.compile(rf"(?<![A-Z0-9Ñ&]){_RFC}(?![A-Z0-9])", re.IGNORECASE), "[RFC oculto]"),
]


def enmascarar(texto: str) -> str:
    """Reemplaza todo lo que tenga forma de CURP, RFC o correo por una marca."""
    for patron, marca in _PATRONES:
        texto = patron.sub(marca, texto)
    return texto


def enmascarar_serie(serie: pd.Series) -> pd.Series:
    """:func:`enmascarar` sobre una columna de texto (vectorizado)."""
    # Los motivos se repiten mucho: se enmascara cada texto distinto una sola vez.
    codigos, unicos = pd.factorize(serie.astype(object), use_na_sentinel=True)
    limpios = [enmascarar(t) if isinstance(t, str) else t for t in unicos]
    valores = pd.Series([*limpios, None], dtype=object).take(
        [len(limpios) if c < 0 else c for c in codigos]
    )
    valores.index = serie.index
    return valores


class FiltroPrivacidad(logging.Filter):
    """Filtro de bitácora: cada línea sale ya enmascarada."""

    def filter(self, record: logging.LogRecord) -> bool:
        mensaje = record.getMessage()
        limpio = enmascarar(mensaje)
        if limpio != mensaje:
            record.msg, record.args = limpio, ()
        return True


def proteger_bitacoras() -> None:
    """Pone :class:`FiltroPrivacidad` en los manejadores de la bitácora raíz (CLIs y servidor)."""
    raiz = logging.getLogger()
    if not raiz.handlers:
        logging.basicConfig(level=logging.WARNING)
    for manejador in raiz.handlers:
        if not any(isinstance(f, FiltroPrivacidad) for f in manejador.filters):
            manejador.addFilter(FiltroPrivacidad())
