"""Búsqueda de texto insensible a acentos, mayúsculas y espacios de más.

La gente escribe en el teléfono sin acentos: "santa lucia" debe encontrar «Santa Lucía del
Camino» y "jicara" a «Constructora Jícara». Todos los buscadores del tablero comparan claves
de :func:`clave_busqueda`: los desplegables (la clave ``search`` de cada opción, ver
``tablero.componentes.opcion``) y las tablas (``sigueClaveBusqueda`` en ``tablero/assets/tablas.js`` hace lo
mismo en el navegador).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def clave_busqueda(texto) -> str:
    """Clave para buscar: minúsculas, sin diacríticos (``ñ`` -> ``n``), espacios colapsados.

    Parameters
    ----------
    texto
        Un texto (o ``None``: clave vacía; otro valor se convierte con ``str``).

    Returns
    -------
    str
        ``"Santa Lucía  del Camino"`` -> ``"santa lucia del camino"``.
    """
    if texto is None:
        return ""
    texto = str(texto)
    # Solo los textos cortos (nombres) van a la caché: lo que escribe alguien puede ser largo.
    return _clave(texto) if len(texto) <= LARGO_EN_CACHE else _clave.__wrapped__(texto)


#: Textos de hasta este largo se guardan en la caché de :func:`clave_busqueda`.
LARGO_EN_CACHE = 120


@lru_cache(maxsize=32_768)
def _clave(texto: str) -> str:
    # Los mismos nombres (municipios, contratistas) se buscan en cada página: una vez cada uno.
    if texto.isascii():
        return " ".join(texto.lower().split())
    descompuesto = unicodedata.normalize("NFD", texto).lower()
    # marcas (categoría M*), igual que ``\p{M}`` en ``tablero/assets/tablas.js``
    sin_marcas = "".join(c for c in descompuesto if not unicodedata.category(c).startswith("M"))
    return " ".join(sin_marcas.split())


def coincide(consulta, texto) -> bool:
    """Si cada palabra de ``consulta`` aparece (como parte de palabra) en ``texto``.

    Es la regla de los desplegables y de las tablas: ``"juchitan zara"`` coincide con
    ``"Heroica Ciudad de Juchitán de Zaragoza"``; una consulta vacía coincide con todo.
    """
    clave = clave_busqueda(texto)
    return all(parte in clave for parte in clave_busqueda(consulta).split())
