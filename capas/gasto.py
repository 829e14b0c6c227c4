"""Presupuesto del programa: eficacia presupuestal (indicador 2) y semáforo del gasto.

Etapas del gasto en la capa ``presupuesto`` del almacén: ``aprobado``, ``modificado``,
``comprometido``, ``devengado``, ``ejercido``, ``pagado`` y ``comprobado`` (con
documentación). Qué etapas existen cambia por año y por quien publica: el semáforo dice
siempre cuáles comparó.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from capas.config import (
    ETAPAS_AVANCE,
    ETAPAS_BASE,
    ETIQUETAS_GASTO,
    NOMBRES_ETAPAS,
    PALETA,
    PROGRAMA_ESCOLAR,
    UMBRALES,
    Umbrales,
)
from capas.numeros import a_fechas, a_flotantes, dividir, normalizar_texto

#: Etapas del gasto que se suman al agregar líneas.
ETAPAS = ("aprobado", "modificado", "comprometido", "devengado", "ejercido", "pagado", "comprobado")

#: Columnas que agrega :func:`semaforos_gasto`.
COLUMNAS_SEMAFORO = [
    "avance",
    "esperado",
    "razon",
    "semaforo_gasto",
    "etiqueta_gasto",
    "etapa_avance",
    "etapa_base",
]


@dataclass(frozen=True)
class ResultadoGasto:
    """Semáforo del gasto de un monto: luz, texto, icono, color y etapas comparadas."""

    luz: str
    etiqueta: str
    icono: str
    color: str
    avance: float
    esperado: float
    razon: float
    etapa_avance: str | None
    etapa_base: str | None

    @property
    def etapas(self) -> str:
        """Las etapas comparadas en palabras, p. ej. ``'comprobado / modificado'``."""
        if self.etapa_avance is None or self.etapa_base is None:
            return ETIQUETAS_GASTO["sin_dato"]
        return f"{NOMBRES_ETAPAS[self.etapa_avance]} / {NOMBRES_ETAPAS[self.etapa_base]}"


def eficacia_presupuestal(ejercido, aprobado):
    """Indicador 2: eficacia = presupuesto ejercido / presupuesto aprobado (fracción).

    Nula si falta alguno o si el aprobado es 0.
    """
    return dividir(ejercido, aprobado)


def eficacia_modificado(ejercido, modificado):
    """Eficacia sobre el modificado = ejercido / modificado; nula si no hay modificado."""
    return dividir(ejercido, modificado)


def fraccion_anio_transcurrido(anio, fecha_corte):
    """Fracción del ejercicio fiscal ``anio`` transcurrida a la fecha de corte.

    = días del 1 de enero a la fecha de corte, contando ambos / días del año; 0 antes del
    año, 1.0 a partir del 31 de diciembre (año cerrado); nula sin fecha de corte. Ejemplo:
    corte 2025-09-30 para 2025 = 273 / 365 = 0.7479…

    Acepta números/fechas sueltos (devuelve ``float``) o arreglos/``Series`` de igual largo.
    """
    suelto = np.ndim(anio) == 0 and np.ndim(fecha_corte) == 0 and not isinstance(
        fecha_corte, pd.Series
    )
    anios = a_flotantes(anio)
    fechas = a_fechas(fecha_corte).to_numpy(dtype="datetime64[D]")
    if len(fechas) == 1 and len(anios) > 1:
        fechas = np.repeat(fechas, len(anios))
    if len(anios) == 1 and len(fechas) > 1:
        anios = np.repeat(anios, len(fechas))
    resultado = np.full(len(anios), np.nan)
    validos = ~np.isnan(anios) & ~np.isnat(fechas)
    a = anios[validos].astype("int64")
    inicio = (a - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    fin = (a - 1970 + 1).astype("datetime64[Y]").astype("datetime64[D]")
    dias = (fechas[validos] - inicio).astype("int64") + 1
    dias_anio = (fin - inicio).astype("int64")
    resultado[validos] = np.clip(dias / dias_anio, 0.0, 1.0)
    return float(resultado[0]) if suelto else resultado


def semaforo_gasto(
    *,
    anio: int,
    fecha_corte: date | str | None,
    aprobado: float | None = None,
    modificado: float | None = None,
    devengado: float | None = None,
    ejercido: float | None = None,
    comprobado: float | None = None,
    umbrales: Umbrales = UMBRALES,
) -> ResultadoGasto:
    """Semáforo del gasto de un monto del programa.

    - avance = monto comprobado si existe, si no el ejercido, si no el devengado; dividido
      entre el modificado si existe, si no entre el aprobado.
    - esperado = fracción del año fiscal transcurrida a la fecha de corte (1.0 con el año
      cerrado), ver :func:`fraccion_anio_transcurrido`.
    - r = avance / esperado.

    Luces (umbrales configurables en :mod:`capas.config`): rojo «sobregiro» si el avance
    es mayor que 1.00 (se gastó más de lo asignado); verde «en tiempo» si r ≥ 0.90; amarillo
    «con rezago» si 0.70 ≤ r < 0.90; rojo «rezago grave» si r < 0.70; gris «sin dato» si
    falta el avance o el esperado (o el esperado es 0).
    """
    montos = pd.DataFrame(
        {
            "anio": [anio],
            "fecha_corte": [fecha_corte],
            "aprobado": [aprobado],
            "modificado": [modificado],
            "devengado": [devengado],
            "ejercido": [ejercido],
            "comprobado": [comprobado],
        }
    )
    fila = semaforos_gasto(montos, umbrales=umbrales).iloc[0]
    presentacion = PALETA[fila["semaforo_gasto"]]
    return ResultadoGasto(
        luz=fila["semaforo_gasto"],
        etiqueta=fila["etiqueta_gasto"],
        icono=presentacion.icono,
        color=presentacion.color,
        avance=float(fila["avance"]),
        esperado=float(fila["esperado"]),
        razon=float(fila["razon"]),
        etapa_avance=fila["etapa_avance"],
        etapa_base=fila["etapa_base"],
    )


def semaforos_gasto(
    montos: pd.DataFrame,
    fecha_corte_omision: date | str | None = None,
    umbrales: Umbrales = UMBRALES,
) -> pd.DataFrame:
    """Versión vectorizada de :func:`semaforo_gasto` (mismas reglas), fila por fila.

    Parameters
    ----------
    montos
        Columnas ``anio``, ``fecha_corte`` (opcional) y las etapas que haya (``aprobado``,
        ``modificado``, ``devengado``, ``ejercido``, ``comprobado``; las que falten cuentan
        como vacías).
    fecha_corte_omision
        Fecha de corte para las filas sin ``fecha_corte`` (p. ej. la de la fuente).

    Returns
    -------
    DataFrame
        Con el índice de ``montos``: ``avance``, ``esperado``, ``razon``,
        ``semaforo_gasto``, ``etiqueta_gasto``, ``etapa_avance``, ``etapa_base``.
    """
    n = len(montos)
    avance_num, etapa_avance = _primera_presente(montos, ETAPAS_AVANCE, n)
    base, etapa_base = _primera_presente(montos, ETAPAS_BASE, n)
    avance = dividir(avance_num, base)
    if "fecha_corte" in montos:
        fechas = a_fechas(montos["fecha_corte"].reset_index(drop=True))
    else:
        fechas = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    if fecha_corte_omision is not None:
        fechas = fechas.fillna(pd.Timestamp(fecha_corte_omision))
    esperado = fraccion_anio_transcurrido(a_flotantes(montos["anio"]), fechas)
    razon = dividir(avance, esperado)
    tol = umbrales.tolerancia
    clave = np.select(
        [
            np.isnan(avance),
            avance > umbrales.gasto_sobregiro + tol,
            np.isnan(razon),
            razon >= umbrales.gasto_verde - tol,
            razon >= umbrales.gasto_amarillo - tol,
        ],
        ["sin_dato", "sobregiro", "sin_dato", "en_tiempo", "con_rezago"],
        default="rezago_grave",
    )
    luces = {
        "sin_dato": "gris",
        "sobregiro": "rojo",
        "en_tiempo": "verde",
        "con_rezago": "amarillo",
        "rezago_grave": "rojo",
    }
    con_dato = ~np.isnan(avance)
    return pd.DataFrame(
        {
            "avance": avance,
            "esperado": esperado,
            "razon": razon,
            "semaforo_gasto": [luces[c] for c in clave],
            "etiqueta_gasto": [ETIQUETAS_GASTO[c] for c in clave],
            "etapa_avance": np.where(con_dato, etapa_avance, None),
            "etapa_base": np.where(con_dato, etapa_base, None),
        },
        index=montos.index,
    )


def lineas_programa(presupuesto: pd.DataFrame, patron=PROGRAMA_ESCOLAR) -> np.ndarray:
    """Máscara de las líneas del programa de uniformes y útiles.

    Una línea es del programa cuando su ``programa`` (en minúsculas y sin acentos) coincide
    con ``patron`` (por omisión :data:`capas.config.PROGRAMA_ESCOLAR`).
    """
    nombres = normalizar_texto(presupuesto["programa"].astype(object))
    return nombres.map(lambda t: bool(t) and patron.search(t) is not None).to_numpy(dtype=bool)


def montos_por_zona(lineas: pd.DataFrame, zona: list[str]) -> pd.DataFrame:
    """Suma las etapas del gasto de varias líneas por ``zona`` (p. ej. ``["anio", "cvegeo"]``).

    Una etapa de un grupo es la suma de sus líneas solo si todas las líneas la tienen; si a
    alguna le falta, la etapa queda vacía (no se mezclan etapas distintas). ``fecha_corte``
    es la más reciente de las líneas; ``lineas`` cuenta las líneas del grupo.
    """
    tabla = pd.DataFrame({c: lineas[c].to_numpy() for c in zona})
    for etapa in ETAPAS:
        tabla[etapa] = a_flotantes(lineas[etapa]) if etapa in lineas else np.nan
    tabla["fecha_corte"] = (
        a_fechas(lineas["fecha_corte"]).to_numpy() if "fecha_corte" in lineas else pd.NaT
    )
    grupos = tabla.groupby(zona, sort=True, dropna=False)
    sumas = grupos[list(ETAPAS)].sum(min_count=1)
    cuentas = grupos[list(ETAPAS)].count()
    tamanos = grupos.size()
    sumas = sumas.where(cuentas.eq(tamanos, axis=0))
    sumas["fecha_corte"] = grupos["fecha_corte"].max()
    sumas["lineas"] = tamanos
    return sumas


def presupuesto_estatal(lineas: pd.DataFrame) -> pd.DataFrame:
    """Montos estatales del programa por año (base del indicador 2 estatal).

    Se usan las líneas de nivel estatal (``cvegeo`` vacío) cuando existen para ese año; si
    no, la suma de las líneas municipales (así no se cuenta dos veces un total estatal y su
    desglose por municipio).
    """
    estatal = lineas["cvegeo"].isna()
    anios_con_estatal = set(lineas.loc[estatal, "anio"])
    usar = estatal | ~lineas["anio"].isin(anios_con_estatal)
    return montos_por_zona(lineas[usar.to_numpy()], ["anio"])


def _primera_presente(
    montos: pd.DataFrame, etapas: tuple[str, ...], n: int
) -> tuple[np.ndarray, np.ndarray]:
    valores = np.full(n, np.nan)
    nombres = np.full(n, None, dtype=object)
    for etapa in reversed(etapas):
        if etapa not in montos:
            continue
        columna = a_flotantes(montos[etapa])
        presente = ~np.isnan(columna)
        valores[presente] = columna[presente]
        nombres[presente] = etapa
    return valores, nombres
