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
import pyarrow as pa
import pyarrow.compute as pc

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
#: Todas las formas en una búsqueda (sin distinguir mayúsculas, como la CURP y el RFC; el
#: correo y el teléfono no dependen de ellas): sin coincidencia, el texto queda igual.
_ALGUNA = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _PATRONES), re.IGNORECASE)


def enmascarar_capa(tabla, conservar: frozenset[str] = frozenset({"rfc_contratista"})):
    """Copia de una capa con :func:`enmascarar_serie` en cada columna de texto, salvo
    ``conservar`` (el RFC de una persona moral contratista es público y se publica).

    En una columna de texto de Arrow solo pasan por Python los valores distintos que pueden
    cambiar (:func:`_candidatos`, buscado en Arrow); una columna en la que ninguno cambia se
    deja tal cual, y en otra solo se reemplazan las celdas de los valores que cambian.
    """
    resultado = tabla.copy(deep=False)  # solo se reemplazan columnas enteras
    for columna in resultado.columns:
        serie = resultado[columna]
        if columna in conservar or columna == "geometry":
            continue
        if isinstance(serie.dtype, pd.StringDtype):
            enmascarada = _enmascarar_arrow(serie)
            if enmascarada is not None:
                resultado[columna] = enmascarada
        elif serie.dtype == object or pd.api.types.is_string_dtype(serie.dtype):
            enmascarada = enmascarar_serie(serie)
            if not enmascarada.equals(serie.astype(object)):
                resultado[columna] = enmascarada.astype(serie.dtype)
    return resultado


def _enmascarar_arrow(serie: pd.Series) -> pd.Series | None:
    """:func:`enmascarar` de una columna de texto de pandas (``StringDtype``), o ``None`` si
    ningún valor cambia.

    Los valores distintos se sacan en Arrow y solo los candidatos (:func:`_candidatos`) se
    revisan en Python; las celdas de los que cambian se reemplazan en Arrow. El resultado es
    el mismo que enmascarar celda por celda, con el mismo tipo.
    """
    columna = pa.chunked_array(pa.array(serie.array))
    distintos = pc.unique(columna).drop_null()
    candidatos = distintos.filter(_candidatos(distintos)).to_pylist()
    cambios = {t: enmascarar(t) for t in candidatos if _POSIBLE.search(t) and _ALGUNA.search(t)}
    cambios = {t: limpio for t, limpio in cambios.items() if limpio != t}
    if not cambios:
        return None
    originales = pa.array(list(cambios), type=columna.type)
    posicion = pc.index_in(columna, value_set=originales)
    reemplazo = pc.take(pa.array(list(cambios.values()), type=columna.type), posicion)
    nueva = pc.if_else(pc.is_valid(posicion), reemplazo, columna)
    return pd.Series(pd.array(nueva, dtype=serie.dtype), index=serie.index, name=serie.name)


def enmascarar(texto: str) -> str:
    """Reemplaza todo lo que tenga forma de CURP, RFC o correo por una marca."""
    for patron, marca in _PATRONES:
        texto = patron.sub(marca, texto)
    return texto


def enmascarar_serie(serie: pd.Series) -> pd.Series:
    """:func:`enmascarar` sobre una columna de texto (vectorizado)."""
    # Los motivos se repiten mucho: se enmascara cada texto distinto una sola vez.
    if not isinstance(serie.dtype, pd.StringDtype):
        serie = serie.astype(object)
    codigos, unicos = pd.factorize(serie, use_na_sentinel=True)
    return _repartir(_enmascarar_unicos(unicos), codigos, serie.index)


def _enmascarar_unicos(unicos) -> list:
    """:func:`enmascarar` de cada valor; el mismo objeto si no tiene nada que ocultar.

    Toda forma buscada lleva un dígito o una arroba, y si ninguna coincide en el texto
    original tampoco coincide después de reemplazar otra (las marcas no llevan dígitos ni
    arrobas): basta una búsqueda con todas las formas para saber que el texto queda igual.
    """
    return [
        enmascarar(t) if isinstance(t, str) and _POSIBLE.search(t) and _ALGUNA.search(t) else t
        for t in unicos.tolist()
    ]


#: Lo que toda forma buscada contiene: seis dígitos seguidos (CURP, RFC), una arroba (correo)
#: o tres dígitos, separador y cuatro dígitos (teléfono). ``\p{Nd}`` de Arrow (RE2) acepta
#: todos los dígitos que acepta ``\d`` de Python (lo comprueba una prueba).
_NECESARIO = r"\p{Nd}{6}|@|\p{Nd}{3}[ -]\p{Nd}{4}"
#: En texto ASCII, las mismas formas de :data:`_PATRONES` en RE2 (sin distinguir mayúsculas;
#: RE2 no tiene «lookaround»: el carácter de antes y el de después se exigen con
#: ``(?:^|[^...])`` y ``(?:[^...]|$)``, que para saber si hay coincidencia es lo mismo).
_FORMAS_ASCII = "|".join(
    [
        r"[A-Za-z]{4}[0-9]{6}[HMXhmx][A-Za-z]{5}[A-Za-z0-9][0-9]",
        r"[A-Za-z0-9_.+-]+@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+",
        r"(?:^|[^A-Za-z0-9&])[A-Za-z&]{3,4}[- ]?[0-9]{6}[- ]?[A-Za-z0-9]{3}(?:[^A-Za-z0-9]|$)",
        r"(?:^|[^0-9-])(?:\+?52[ -]?)?(?:\([0-9]{2,3}\)[ -]?|[0-9]{2,3}[ -])[0-9]{3,4}[ -][0-9]{4}"
        r"(?:[^0-9-]|$)",
    ]
)


def _candidatos(texto: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Verdadero en los valores que pueden cambiar al enmascararlos (buscado en Arrow).

    Un valor ASCII es candidato si alguna forma coincide (:data:`_FORMAS_ASCII`; un folio
    como ``OAX2411359321`` no lo es); uno con otros caracteres, si trae lo que toda forma
    necesita (:data:`_NECESARIO`), y Python decide.
    """
    ascii_ = pc.string_is_ascii(texto)
    forma = pc.match_substring_regex(texto, _FORMAS_ASCII)
    necesario = pc.match_substring_regex(texto, _NECESARIO)
    return pc.if_else(ascii_, forma, necesario).fill_null(False)


def _puede_cambiar(serie: pd.Series) -> bool:
    """Falso si ningún valor de la columna puede cambiar al enmascararlo (:func:`_candidatos`)."""
    return bool(pc.any(_candidatos(pa.array(serie.array))).as_py())


def _repartir(limpios: list, codigos: np.ndarray, indice: pd.Index) -> pd.Series:
    """Valores por fila a partir de los valores distintos (código -1 = nulo)."""
    valores = pd.Series([*limpios, None], dtype=object).take(
        np.where(codigos < 0, len(limpios), codigos)
    )
    valores.index = indice
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
