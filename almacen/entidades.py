"""Entidades federativas (claves y nombres del INEGI) y el modo nacional.

Vive en ``almacen`` porque lo usan la ingesta (reconocer la columna ``Estado``) y el tablero
(títulos y filtro de entidad), que no se importan entre sí.
"""

from __future__ import annotations

#: Clave de ``SIGUE_ESTADO`` para el modo nacional: todas las entidades en una instancia.
NACIONAL = "00"

#: Nombre que se muestra para el país entero (modo nacional sin entidad elegida).
NOMBRE_NACIONAL = "México"

#: Nombres de las entidades federativas (INEGI), clave de 2 dígitos -> nombre oficial.
ENTIDADES = {
    "01": "Aguascalientes", "02": "Baja California", "03": "Baja California Sur",
    "04": "Campeche", "05": "Coahuila de Zaragoza", "06": "Colima", "07": "Chiapas",
    "08": "Chihuahua", "09": "Ciudad de México", "10": "Durango", "11": "Guanajuato",
    "12": "Guerrero", "13": "Hidalgo", "14": "Jalisco", "15": "México",
    "16": "Michoacán de Ocampo", "17": "Morelos", "18": "Nayarit", "19": "Nuevo León",
    "20": "Oaxaca", "21": "Puebla", "22": "Querétaro", "23": "Quintana Roo",
    "24": "San Luis Potosí", "25": "Sinaloa", "26": "Sonora", "27": "Tabasco",
    "28": "Tamaulipas", "29": "Tlaxcala", "30": "Veracruz de Ignacio de la Llave",
    "31": "Yucatán", "32": "Zacatecas",
}  # fmt: skip


def es_nacional(estado: str) -> bool:
    """¿``estado`` es la clave del modo nacional (``00``)?"""
    return estado == NACIONAL


def nombre_entidad(clave: str | None) -> str:
    """Nombre de la entidad ``clave`` (``"20"`` -> ``"Oaxaca"``); ``"00"`` o vacío -> «México».

    El Estado de México (15) se nombra «Estado de México» para no confundirlo con el país.
    """
    if not clave or clave == NACIONAL:
        return NOMBRE_NACIONAL
    if clave == "15":
        return "Estado de México"
    return ENTIDADES.get(clave, clave)


def lugar_configurado() -> str:
    """Nombre de la entidad de ``SIGUE_ESTADO`` («México» con ``00``; con un valor no válido,
    la de por omisión): el lugar del sitio cuando no hay versión que leer."""
    from almacen.config import ESTADO_POR_OMISION, clave_estado

    try:
        clave = clave_estado()
    except ValueError:
        clave = ESTADO_POR_OMISION
    return nombre_entidad(clave)


def clave_entidad_valida(valor) -> str | None:
    """Clave de 2 dígitos si ``valor`` (``"20"``, ``"7"``, ``17``) es una entidad; si no ``None``."""
    texto = str(valor).strip() if valor is not None else ""
    if not texto.isdigit() or len(texto) > 2:
        return None
    clave = texto.zfill(2)
    return clave if clave in ENTIDADES else None
