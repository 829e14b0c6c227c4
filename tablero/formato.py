"""Formatos en español para lo que se muestra en pantalla."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from capas.busqueda import clave_busqueda
from capas.numeros import MESES, ZONA_MEXICO, en_mexico, fecha_larga, leer_iso  # noqa: F401

SIN_DATO = "sin dato"


def fecha_hora(valor: str | datetime | None) -> str:
    """Fecha y hora del centro de México: ``"2026-12-02T00:18:50+00:00"`` ->
    ``"1 de diciembre de 2026, 18:18 h (hora del centro de México)"``.

    Parameters
    ----------
    valor
        Momento ISO 8601 o ``datetime``. Con zona (``+00:00``, ``Z``) se convierte a
        America/Mexico_City; sin zona se toma como UTC (así se guardan en el almacén).

    Returns
    -------
    str
        La fecha en palabras con la hora de 24 horas, o ``"sin dato"`` si no hay valor.
    """
    if valor is None or valor == "":
        return SIN_DATO
    if isinstance(valor, str):
        valor = leer_iso(valor, "fecha_hora")
    if not isinstance(valor, datetime):
        raise TypeError(
            f"fecha_hora: 'valor' debe ser str, datetime o None; se recibió {type(valor).__name__}"
        )
    local = en_mexico(valor, sin_zona_es_utc=True)
    return f"{fecha_larga(local.date())}, {local:%H:%M} h (hora del centro de México)"


#: Valores de la fuente escritos sin acentos (en mayúsculas o minúsculas) y cómo se muestran.
#: Solo presentación: las descargas conservan el valor tal como se publicó.
VALORES_CON_ACENTOS: dict[str, str] = {
    "licitacion publica": "Licitación pública",
    "licitacion publica nacional": "Licitación pública nacional",
    "licitacion publica internacional": "Licitación pública internacional",
    "adjudicacion directa": "Adjudicación directa",
    "invitacion a tres": "Invitación a cuando menos tres personas",
    "invitacion a cuando menos tres personas": "Invitación a cuando menos tres personas",
    "invitacion restringida": "Invitación restringida",
    "en ejecucion": "En ejecución",
    "en proceso": "En proceso",
    "terminado": "Terminado",
    "terminada": "Terminada",
    "suspendido": "Suspendido",
    "cancelado": "Cancelado",
    "registrado": "Registrado",
    "federal": "Federal",
    "estatal": "Estatal",
    "municipal": "Municipal",
}


def valor_fuente(valor) -> str | None:
    """Un valor de la fuente como se muestra en pantalla, con sus acentos.

    ``"LICITACION PUBLICA"`` -> ``"Licitación pública"``. Un valor que no está en
    :data:`VALORES_CON_ACENTOS` se devuelve tal cual; nulo -> ``None``.
    """
    if valor is None or (not isinstance(valor, str) and bool(pd.isna(valor))):
        return None
    texto = str(valor)
    clave = clave_busqueda(texto)
    return VALORES_CON_ACENTOS.get(clave, texto)


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
