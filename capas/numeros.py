"""Aritmética segura y formatos de número comunes a todas las capas.

Regla de todo el paquete: una división entre cero o con un dato faltante da nulo
("sin dato"), nunca 0 ni infinito.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd


def dividir(numerador, denominador):
    """Cociente ``numerador / denominador`` con nulo cuando no se puede calcular.

    Da nulo (``NaN``) si alguno de los dos falta, si el denominador es 0 o si el resultado no
    es finito. Acepta números, arreglos de numpy o ``Series`` (alineadas por índice) y
    devuelve el mismo tipo de objeto (``float`` para dos números).
    """
    if isinstance(numerador, pd.Series) or isinstance(denominador, pd.Series):
        num = numerador if isinstance(numerador, pd.Series) else pd.Series(numerador)
        den = denominador if isinstance(denominador, pd.Series) else pd.Series(denominador)
        if isinstance(numerador, pd.Series) and isinstance(denominador, pd.Series):
            num, den = num.align(den)
        elif isinstance(numerador, pd.Series):
            den = pd.Series(np.broadcast_to(a_flotantes(den), len(num)), index=num.index)
        else:
            num = pd.Series(np.broadcast_to(a_flotantes(num), len(den)), index=den.index)
        valores = _dividir_arreglos(a_flotantes(num), a_flotantes(den))
        return pd.Series(valores, index=num.index, dtype="float64")
    if np.ndim(numerador) == 0 and np.ndim(denominador) == 0:
        return float(_dividir_arreglos(a_flotantes([numerador]), a_flotantes([denominador]))[0])
    return _dividir_arreglos(a_flotantes(numerador), a_flotantes(denominador))


def a_flotantes(valores) -> np.ndarray:
    """Arreglo ``float64`` con ``NaN`` en lugar de nulos (``None``, ``pd.NA``, ``NaN``)."""
    if isinstance(valores, pd.Series | pd.Index):
        return pd.to_numeric(valores, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    if isinstance(valores, np.ndarray) and valores.dtype.kind in "fiu":
        return valores.astype("float64", copy=False)
    serie = pd.Series(np.atleast_1d(np.asarray(valores, dtype=object)))
    return pd.to_numeric(serie, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def es_nulo(valor) -> bool:
    """Verdadero para ``None``, ``NaN``, ``pd.NA`` y ``NaT``."""
    return valor is None or bool(pd.isna(valor))


def normalizar_texto(valores: pd.Series) -> pd.Series:
    """Minúsculas, sin acentos ni espacios repetidos; conserva los nulos."""
    unicos = pd.unique(valores.dropna())
    tabla = {v: _normalizar(v) for v in unicos}
    return valores.map(tabla).astype(object).where(valores.notna(), None)


def a_fechas(valores) -> pd.Series:
    """Convierte fechas (``date``, texto ISO, ``datetime64``) a ``datetime64``; nulo si no se puede."""
    if not isinstance(valores, pd.Series):
        valores = pd.Series(np.atleast_1d(np.asarray(valores, dtype=object)))
    if valores.dtype.kind == "M":
        return valores.astype("datetime64[ns]")
    return pd.to_datetime(valores, errors="coerce").astype("datetime64[ns]")


def a_fecha(valor) -> date | None:
    """Una fecha (``date``) a partir de texto ISO, ``date`` o ``Timestamp``; ``None`` si falta."""
    if es_nulo(valor):
        return None
    marca = pd.to_datetime(valor, errors="coerce")
    return None if pd.isna(marca) else marca.date()


def fecha_en_palabras(valor) -> str:
    """Fecha en palabras para los mensajes: ``"2024-08-10"`` -> ``"10 de agosto de 2024"``."""
    dia = a_fecha(valor)
    return "sin dato" if dia is None else fecha_larga(dia)


def porcentaje(valor, decimales: int = 1) -> str:
    """Fracción como porcentaje en texto: ``0.873 -> '87.3 %'``, ``0.8 -> '80 %'``."""
    if es_nulo(valor):
        return "sin dato"
    texto = f"{float(valor) * 100:,.{decimales}f}"
    if "." in texto:
        texto = texto.rstrip("0").rstrip(".")
    return f"{texto} %"


def puntos(valor, decimales: int = 1) -> str:
    """Diferencia de fracciones en puntos porcentuales: ``0.3 -> '30'``."""
    if es_nulo(valor):
        return "sin dato"
    texto = f"{float(valor) * 100:.{decimales}f}"
    return texto.rstrip("0").rstrip(".") if "." in texto else texto


def pesos(valor) -> str:
    """Monto en pesos con separador de miles: ``1234.5 -> '$1,234.50'``."""
    if es_nulo(valor):
        return "sin dato"
    return f"${float(valor):,.2f}"


def _dividir_arreglos(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        resultado = num / den
    resultado[~np.isfinite(resultado)] = np.nan
    return resultado


def _normalizar(texto) -> str:
    sin_acentos = "".join(
        c for c in unicodedata.normalize("NFKD", str(texto)) if not unicodedata.combining(c)
    )
    return " ".join(sin_acentos.lower().replace("_", " ").split())


def sumar_por_grupo(
    claves: dict[str, np.ndarray],
    valores: dict[str, np.ndarray],
    maximos: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Suma ``valores`` por grupo de ``claves`` (vectorizado con ``np.bincount``).

    Como ``groupby(...).sum(min_count=1)``: un grupo cuyos valores son todos nulos da nulo.
    Las filas con alguna clave nula se omiten. Añade la columna ``filas`` (filas del grupo)
    y, para cada arreglo de ``maximos`` (números), su máximo por grupo (nulo si no hay).

    Returns
    -------
    DataFrame
        Índice (``MultiIndex`` si hay varias claves) con los grupos presentes, ordenados.
    """
    codigos = []
    niveles = []
    validas = None
    for arreglo in claves.values():
        codigo, unicos = pd.factorize(np.asarray(arreglo), sort=True)
        codigos.append(codigo)
        niveles.append(unicos)
        validas = codigo >= 0 if validas is None else validas & (codigo >= 0)
    if validas is None or not validas.any():
        nombres = [*valores, "filas", *(maximos or {})]
        vacio = {nombre: np.array([], dtype="float64") for nombre in nombres}
        if len(claves) == 1:
            return pd.DataFrame(vacio, index=pd.Index([], name=next(iter(claves))))
        indice = pd.MultiIndex.from_arrays([[] for _ in claves], names=list(claves))
        return pd.DataFrame(vacio, index=indice)
    tamanos = [len(u) for u in niveles]
    plano = np.ravel_multi_index([c[validas] for c in codigos], tamanos)
    grupos, inversa = np.unique(plano, return_inverse=True)
    n = len(grupos)
    datos = {}
    for nombre, arreglo in valores.items():
        v = a_flotantes(arreglo)[validas]
        con_dato = ~np.isnan(v)
        suma = np.bincount(inversa[con_dato], weights=v[con_dato], minlength=n)
        cuenta = np.bincount(inversa[con_dato], minlength=n)
        datos[nombre] = np.where(cuenta > 0, suma, np.nan)
    datos["filas"] = np.bincount(inversa, minlength=n).astype("float64")
    for nombre, arreglo in (maximos or {}).items():
        v = a_flotantes(arreglo)[validas]
        maximo = np.full(n, -np.inf)
        con_dato = ~np.isnan(v)
        np.maximum.at(maximo, inversa[con_dato], v[con_dato])
        datos[nombre] = np.where(np.isinf(maximo), np.nan, maximo)
    posiciones = np.unravel_index(grupos, tamanos)
    if len(niveles) == 1:
        indice = pd.Index(niveles[0][posiciones[0]], name=next(iter(claves)))
    else:
        indice = pd.MultiIndex.from_arrays(
            [u[p] for u, p in zip(niveles, posiciones, strict=True)], names=list(claves)
        )
    return pd.DataFrame(datos, index=indice)


#: Zona horaria de los textos en pantalla: hora del centro de México.
ZONA_MEXICO = ZoneInfo("America/Mexico_City")

#: Meses en español, en minúsculas (para fechas en palabras).
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
        return "sin dato"
    if isinstance(valor, datetime):
        dia = en_mexico(valor).date()
    elif isinstance(valor, date):
        dia = valor
    elif isinstance(valor, str):
        dia = en_mexico(leer_iso(valor, "fecha_larga")).date()
    else:
        raise TypeError(
            f"fecha_larga: 'valor' debe ser str, date o None; se recibió {type(valor).__name__}"
        )
    return f"{dia.day} de {MESES[dia.month - 1]} de {dia.year}"


def leer_iso(texto: str, funcion: str) -> datetime:
    limpio = texto.strip()
    if limpio.endswith(("Z", "z")):
        limpio = limpio[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(limpio)
    except ValueError:
        raise ValueError(
            f"{funcion}: 'valor' debe ser una fecha ISO (AAAA-MM-DD); se recibió {texto!r}"
        ) from None


def en_mexico(momento: datetime, *, sin_zona_es_utc: bool = False) -> datetime:
    """Un momento con zona, en hora del centro de México (sin zona: tal cual o como UTC)."""
    if momento.tzinfo is None:
        if not sin_zona_es_utc:
            return momento
        momento = momento.replace(tzinfo=ZoneInfo("UTC"))
    return momento.astimezone(ZONA_MEXICO)
