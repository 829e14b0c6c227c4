"""Formatos en español para lo que se muestra en pantalla."""

from __future__ import annotations

from datetime import date, datetime

MESES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

SIN_DATO = "sin dato"


def fecha_larga(valor: str | date | None) -> str:
    """Fecha en palabras: ``"2025-09-30"`` -> ``"30 de septiembre de 2025"``.

    Parameters
    ----------
    valor
        Fecha ISO 8601 (``AAAA-MM-DD``, con o sin hora), ``date``/``datetime`` o ``None``.

    Returns
    -------
    str
        La fecha en español, o ``"sin dato"`` si ``valor`` es ``None`` o vacío.
    """
    if valor is None or valor == "":
        return SIN_DATO
    if isinstance(valor, datetime):
        dia = valor.date()
    elif isinstance(valor, date):
        dia = valor
    elif isinstance(valor, str):
        try:
            dia = datetime.fromisoformat(valor.strip()).date()
        except ValueError:
            raise ValueError(
                f"fecha_larga: 'valor' debe ser una fecha ISO (AAAA-MM-DD); se recibió {valor!r}"
            ) from None
    else:
        raise TypeError(
            f"fecha_larga: 'valor' debe ser str, date o None; se recibió {type(valor).__name__}"
        )
    return f"{dia.day} de {MESES[dia.month - 1]} de {dia.year}"
