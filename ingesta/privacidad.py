"""Enmascarado de datos personales por su forma, no por la columna donde vienen.

Todo motivo de rechazo o advertencia, mensaje de error, línea de bitácora y columna de texto
de una capa que va al almacén pasa por :func:`enmascarar`: una CURP escrita en la columna
del CCT, un correo o un teléfono en observaciones o un RFC de persona física en el nombre
del proyecto nunca se repiten tal cual.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

#: Forma de una CURP (18 caracteres): 4 letras, fecha, sexo, entidad, 3 consonantes, 2 más.
_CURP = r"[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d"
#: Forma de un RFC (persona física 13 o moral 12 caracteres, con o sin guiones).
_RFC = r"[A-ZÑ&]{3,4}[- ]?\d{6}[- ]?[A-Z0-9]{3}"
#: Forma de un correo electrónico.
_CORREO = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"

#: Teléfono escrito con separadores (``951 123 4567``, ``(951) 123-4567``, ``+52 ...``): sin
#: separadores no se distingue de un folio o una clave numérica.
_TELEFONO = r"(?:\+?52[ -]?)?(?:\(\d{2,3}\)[ -]?|\d{2,3}[ -])\d{3,4}[ -]\d{4}"

#: Un dígito (cualquiera que ``\d`` acepte) o una arroba: sin ellos ningún patrón coincide.
_POSIBLE = re.compile(r"[\d@]")

_PATRONES = [
    # La forma de la CURP es tan precisa que se busca también pegada a otras letras.
    (re.compile(_CURP, re.IGNORECASE), "[CURP oculta]"),
    (re.compile(_CORREO), "[correo oculto]"),
    (re.compile(rf"(?<![A-Z0-9Ñ&]){_RFC}(?![A-Z0-9])", re.IGNORECASE), "[RFC oculto]"),
    (re.compile(rf"(?<![\d-]){_TELEFONO}(?![\d-])"), "[teléfono oculto]"),
]


def enmascarar_capa(tabla, conservar: frozenset[str] = frozenset({"rfc_contratista"})):
    """Copia de una capa con :func:`enmascarar_serie` en cada columna de texto, salvo
    ``conservar`` (el RFC de una persona moral contratista es público y se publica)."""
    resultado = tabla.copy()
    for columna in resultado.columns:
        serie = resultado[columna]
        if columna in conservar or columna == "geometry":
            continue
        if serie.dtype == object or pd.api.types.is_string_dtype(serie.dtype):
            enmascarada = enmascarar_serie(serie)
            if not enmascarada.equals(serie.astype(object)):
                resultado[columna] = enmascarada.astype(serie.dtype)
    return resultado


def enmascarar(texto: str) -> str:
    """Reemplaza todo lo que tenga forma de CURP, RFC o correo por una marca."""
    for patron, marca in _PATRONES:
        texto = patron.sub(marca, texto)
    return texto


def enmascarar_serie(serie: pd.Series) -> pd.Series:
    """:func:`enmascarar` sobre una columna de texto (vectorizado)."""
    # Los motivos se repiten mucho: se enmascara cada texto distinto una sola vez.
    codigos, unicos = pd.factorize(serie.astype(object), use_na_sentinel=True)
    # Toda forma buscada lleva un dígito o una arroba: sin ellos el texto queda igual.
    limpios = [enmascarar(t) if isinstance(t, str) and _POSIBLE.search(t) else t for t in unicos]
    valores = pd.Series([*limpios, None], dtype=object).take(
        np.where(codigos < 0, len(limpios), codigos)
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
