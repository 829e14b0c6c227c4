"""Formatos en español para lo que se muestra en pantalla."""

from __future__ import annotations

import pandas as pd

from capas.numeros import MESES, fecha_larga  # noqa: F401

# Las fechas en palabras viven en capas.numeros (también las usa capas.publicacion).

SIN_DATO = "sin dato"


def _sin_dato(valor) -> bool:
    return valor is None or bool(pd.isna(valor))


def entero(valor) -> str:
    """``1234567`` -> ``"1,234,567"`` (convención mexicana); nulo -> ``"sin dato"``."""
    if _sin_dato(valor):
        return SIN_DATO
    return f"{round(float(valor)):,}"


def pesos(valor, decimales: int = 0) -> str:
    """``1234567.8`` -> ``"$1,234,568"``; con ``decimales=2`` -> ``"$1,234,567.80"``."""
    if _sin_dato(valor):
        return SIN_DATO
    return f"${float(valor):,.{decimales}f}"


def pesos_cortos(valor) -> str:
    """Montos grandes abreviados para tarjetas: ``"$12.3 millones"``, ``"$1.2 mil millones"``."""
    if _sin_dato(valor):
        return SIN_DATO
    valor = float(valor)
    for divisor, nombre in ((1e9, "mil millones"), (1e6, "millones")):
        if abs(valor) >= divisor:
            return f"${valor / divisor:,.1f} {nombre}"
    return pesos(valor)


def porcentaje(valor, decimales: int = 1) -> str:
    """Fracción a porcentaje: ``0.873`` -> ``"87.3 %"``; nulo -> ``"sin dato"``."""
    if _sin_dato(valor):
        return SIN_DATO
    return f"{float(valor) * 100:,.{decimales}f} %"


def de_cada(valor, base: int = 4) -> str:
    """Fracción en palabras para todo público: ``0.75`` -> ``"3 de cada 4"``.

    Usa base 4 o 10, la que represente mejor el valor; nulo -> ``"sin dato"``.
    """
    if _sin_dato(valor):
        return SIN_DATO
    valor = float(valor)
    cuartos = round(valor * 4)
    if abs(cuartos / 4 - valor) <= 0.03:
        return f"{cuartos} de cada 4"
    return f"{round(valor * 10)} de cada 10"
