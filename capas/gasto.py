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
from capas.numeros import a_fechas, a_flotantes, dividir, normalizar_texto, sumar_por_grupo

#: Etapas del gasto que se suman al agregar líneas.
ETAPAS = ("aprobado", "modificado", "comprometido", "devengado", "ejercido", "pagado", "comprobado")

#: Al sumar montos se usa una sola clasificación, una sola fuente y un solo nivel por suma
#: (capítulos, conceptos y totales se traslapan): en cada grupo se elige la primera
#: clasificación presente de esta lista (las demás, después, en orden alfabético)...
PREFERENCIA_CLASIFICACION = ("programa", "objeto_gasto", "administrativa")
#: ...la primera fuente presente de esta lista...
PREFERENCIA_FUENTE = ("shcp", "ojos_al_gasto")
#: ...y el primer nivel presente de esta lista (``None`` = líneas sin nivel).
PREFERENCIA_NIVEL = ("total", "capitulo", None, "concepto")

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
        return f"{_nombrar(self.etapa_avance)} / {_nombrar(self.etapa_base)}"


def eficacia_presupuestal(ejercido, aprobado):
    """Indicador 2: eficacia = presupuesto ejercido / presupuesto aprobado (fracción).

    Nula si falta alguno o si el aprobado es 0.
    """
    return dividir(ejercido, aprobado)


def eficacia_modificado(ejercido, modificado):
    """Eficacia sobre el modificado = ejercido / modificado; nula si no hay modificado.

    Para varias líneas el denominador es el monto vigente (``vigente`` de
    :func:`montos_por_zona`: el modificado de las líneas que lo tienen y el aprobado de las
    demás).
    """
    return dividir(ejercido, modificado)


def fraccion_anio_transcurrido(anio, fecha_corte):
    """Fracción del ejercicio fiscal ``anio`` transcurrida a la fecha de corte.

    = días del 1 de enero a la fecha de corte, contando ambos / días del año; 0 antes del
    año, 1.0 a partir del 31 de diciembre (año cerrado); nula sin fecha de corte. Ejemplo:
    corte 2025-09-30 para 2025 = 273 / 365 = 0.7479…

    Acepta números/fechas sueltos (devuelve ``float``) o arreglos/``Series`` de igual largo.
    """
    suelto = (
        np.ndim(anio) == 0 and np.ndim(fecha_corte) == 0 and not isinstance(fecha_corte, pd.Series)
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
        como vacías), o bien montos ya agregados por :func:`montos_por_zona`
        (``avance_monto``, ``base_monto``, ``etapa_avance``, ``etapa_base``).
    fecha_corte_omision
        Fecha de corte para las filas sin ``fecha_corte`` (p. ej. la de la fuente).

    Returns
    -------
    DataFrame
        Con el índice de ``montos``: ``avance``, ``esperado``, ``razon``,
        ``semaforo_gasto``, ``etiqueta_gasto``, ``etapa_avance``, ``etapa_base``.
    """
    n = len(montos)
    if "avance_monto" in montos and "base_monto" in montos:  # montos ya agregados
        avance_num = a_flotantes(montos["avance_monto"])
        base = a_flotantes(montos["base_monto"])
        etapa_avance = montos["etapa_avance"].to_numpy(dtype=object)
        etapa_base = montos["etapa_base"].to_numpy(dtype=object)
    else:
        avance_num, etapa_avance, base, etapa_base = etapas_de_lineas(montos)
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
    condiciones = [
        np.isnan(avance),
        avance > umbrales.gasto_sobregiro + tol,
        np.isnan(razon),
        razon >= umbrales.gasto_verde - tol,
        razon >= umbrales.gasto_amarillo - tol,
    ]
    claves = ["sin_dato", "sobregiro", "sin_dato", "en_tiempo", "con_rezago", "rezago_grave"]
    luces = ["gris", "rojo", "gris", "verde", "amarillo", "rojo"]
    luz = np.select(condiciones, luces[:-1], default=luces[-1]).astype(object)
    etiquetas = [ETIQUETAS_GASTO[c] for c in claves]
    etiqueta = np.select(condiciones, etiquetas[:-1], default=etiquetas[-1]).astype(object)
    con_dato = ~np.isnan(avance)
    return pd.DataFrame(
        {
            "avance": avance,
            "esperado": esperado,
            "razon": razon,
            "semaforo_gasto": luz,
            "etiqueta_gasto": etiqueta,
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
    programas = presupuesto["programa"]
    unicos = pd.unique(programas.dropna())
    normalizados = normalizar_texto(pd.Series(unicos, dtype=object))
    del_programa = {
        original: patron.search(texto) is not None
        for original, texto in zip(unicos, normalizados, strict=True)
    }
    return programas.map(del_programa).astype("boolean").fillna(False).to_numpy(dtype=bool)


def etapas_de_lineas(
    lineas: pd.DataFrame,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Monto de avance y monto asignado de cada línea, con las etapas que se usaron.

    Avance = comprobado si existe, si no ejercido, si no devengado; asignado = modificado si
    existe, si no aprobado.

    Returns
    -------
    tuple
        ``(avance, etapa_avance, base, etapa_base)``: arreglos del largo de ``lineas``
        (montos nulos y etapas ``None`` donde no hay ninguna etapa).
    """
    n = len(lineas)
    avance, etapa_avance = _primera_presente(lineas, ETAPAS_AVANCE, n)
    base, etapa_base = _primera_presente(lineas, ETAPAS_BASE, n)
    return avance, etapa_avance, base, etapa_base


def lineas_sumables(lineas: pd.DataFrame, zona: list[str]) -> np.ndarray:
    """Máscara de las líneas que se pueden sumar por ``zona`` sin contar dos veces el mismo
    dinero.

    Capítulos, conceptos y total de una clasificación son el mismo dinero desglosado, y la
    clasificación por objeto del gasto y la administrativa son dos maneras de repartir el
    mismo total. En cada grupo de ``zona`` se conservan solo las líneas de una clasificación
    y una fuente (:data:`PREFERENCIA_CLASIFICACION`, :data:`PREFERENCIA_FUENTE`) y, dentro de
    ellas, de un solo nivel (:data:`PREFERENCIA_NIVEL`: el total si existe; si no, los
    capítulos; si no, las líneas sin nivel; si no, los conceptos). Las columnas
    ``clasificacion``, ``fuente`` y ``nivel`` que falten cuentan como vacías.
    """
    n = len(lineas)
    if n == 0:
        return np.zeros(0, dtype=bool)
    clasificacion = _rango(lineas, "clasificacion", PREFERENCIA_CLASIFICACION)
    fuente = _rango(lineas, "fuente", PREFERENCIA_FUENTE)
    nivel = _rango(lineas, "nivel", PREFERENCIA_NIVEL)
    grupos = [pd.Series(lineas[c].to_numpy(dtype=object)).fillna("") for c in zona]
    origen = clasificacion * n + fuente  # una clasificación y una fuente por grupo
    elegido = origen == pd.Series(origen).groupby(grupos).transform("min").to_numpy()
    nivel_elegido = np.where(elegido, nivel, np.iinfo(np.int64).max)
    minimo = pd.Series(nivel_elegido).groupby(grupos).transform("min").to_numpy()
    return elegido & (nivel == minimo)


def _rango(lineas: pd.DataFrame, columna: str, preferencia: tuple) -> np.ndarray:
    """Posición de cada valor en ``preferencia``; los demás después, en orden alfabético."""
    if columna not in lineas:
        valores = pd.Series(None, index=range(len(lineas)), dtype=object)
    else:
        valores = pd.Series(lineas[columna].to_numpy(dtype=object)).where(
            pd.notna(lineas[columna].to_numpy(dtype=object)), None
        )
    otros = sorted({v for v in valores if v not in preferencia and v is not None})
    orden = {v: i for i, v in enumerate((*preferencia, *otros))}
    sin_valor = orden.get(None, len(orden))
    return np.array([orden.get(v, sin_valor) for v in valores], dtype=np.int64)


def montos_por_zona(lineas: pd.DataFrame, zona: list[str]) -> pd.DataFrame:
    """Agrega líneas de presupuesto por ``zona`` (p. ej. ``["anio", "cvegeo"]``).

    - Solo se suman líneas de una misma clasificación, fuente y nivel por grupo
      (:func:`lineas_sumables`): capítulos, conceptos y totales nunca se suman juntos.
    - Cada etapa (``aprobado`` ... ``comprobado``) es la suma de las líneas que la publican,
      como la suma de una hoja de cálculo (vacía si ninguna la publica).
    - Para el semáforo, cada línea aporta su propio avance y su propio monto asignado
      (:func:`etapas_de_lineas`); ``avance_monto`` y ``base_monto`` suman solo las líneas que
      tienen ambos (una línea sin dato no cuenta a favor ni en contra). ``etapa_avance`` y
      ``etapa_base`` nombran la etapa usada o, si las líneas usaron varias, todas en orden
      de preferencia unidas con " y " (p. ej. ``"comprobado y ejercido"``).
    - ``vigente``: suma del monto asignado de cada línea (modificado si lo tiene, si no
      aprobado); solo cuando alguna línea publica modificado (base de la eficacia sobre el
      modificado).
    - ``fecha_corte`` es la más reciente de las líneas; ``lineas`` cuenta las líneas sumadas.
    """
    lineas = lineas[lineas_sumables(lineas, zona)]
    avance, etapa_avance, base, etapa_base = etapas_de_lineas(lineas)
    util = ~np.isnan(avance) & ~np.isnan(base)
    valores = {
        e: (a_flotantes(lineas[e]) if e in lineas else np.full(len(lineas), np.nan)) for e in ETAPAS
    }
    valores["avance_monto"] = np.where(util, avance, np.nan)
    valores["base_monto"] = np.where(util, base, np.nan)
    valores["vigente"] = base
    for etapas, usadas in ((ETAPAS_AVANCE, etapa_avance), (ETAPAS_BASE, etapa_base)):
        for etapa in etapas:
            valores[f"_{etapa}"] = np.where(util & (usadas == etapa), 1.0, 0.0)
    fechas = np.full(len(lineas), np.nan)
    if "fecha_corte" in lineas:
        dias = a_fechas(lineas["fecha_corte"]).to_numpy(dtype="datetime64[D]")
        fechas[~np.isnat(dias)] = dias[~np.isnat(dias)].astype("int64")
    claves = {c: lineas[c].to_numpy() for c in zona}
    sumas = sumar_por_grupo(claves, valores, {"fecha_corte": fechas})
    sumas["vigente"] = sumas["vigente"].where(sumas["modificado"].notna())
    sumas["fecha_corte"] = pd.to_datetime(sumas["fecha_corte"], unit="D")
    sumas["lineas"] = sumas.pop("filas").astype("int64")
    usos = sumas[[f"_{e}" for e in (*ETAPAS_AVANCE, *ETAPAS_BASE)]] > 0
    for nombre, etapas in (("etapa_avance", ETAPAS_AVANCE), ("etapa_base", ETAPAS_BASE)):
        sumas[nombre] = _unir_etapas(usos, etapas)
    return sumas.drop(columns=list(usos.columns))


def entidad_de_lineas(lineas: pd.DataFrame, unica: str | None = None) -> np.ndarray:
    """Clave de 2 dígitos de la entidad de cada línea de presupuesto (``None`` si no se sabe).

    La columna ``cve_ent`` del almacén; si falta o está vacía (versiones anteriores), los dos
    primeros dígitos de ``cvegeo`` y, en una línea estatal, ``unica`` (la entidad de una
    versión de una sola entidad).
    """
    n = len(lineas)
    claves = np.full(n, None, dtype=object)
    if "cve_ent" in lineas:
        propias = lineas["cve_ent"].astype(object).to_numpy()
        presentes = pd.notna(propias)
        claves[presentes] = propias[presentes]
    municipio = lineas["cvegeo"].astype(object).to_numpy()
    faltan = pd.isna(claves) & pd.notna(municipio)
    claves[faltan] = [str(c)[:2] for c in municipio[faltan]]
    if unica is not None:
        claves[pd.isna(claves)] = unica
    return claves


def presupuesto_estatal(lineas: pd.DataFrame) -> pd.DataFrame:
    """Montos estatales del programa por año (base del indicador 2 estatal).

    Es la suma de todas las líneas del programa: las municipales y las de nivel estatal
    (``cvegeo`` vacío, p. ej. logística), ver :func:`montos_por_zona`.
    """
    return montos_por_zona(lineas, ["anio"])


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


def _nombrar(etapas: str) -> str:
    return " y ".join(NOMBRES_ETAPAS[e] for e in etapas.split(" y "))


def _unir_etapas(usos: pd.DataFrame, etapas: tuple[str, ...]) -> np.ndarray:
    """Etapas usadas en cada grupo, en orden de preferencia, unidas con " y " (o ``None``)."""
    texto = np.full(len(usos), "", dtype=object)
    for etapa in etapas:
        texto = texto + np.where(usos[f"_{etapa}"].to_numpy(), f" y {etapa}", "").astype(object)
    return np.array([t[3:] if t else None for t in texto], dtype=object)
