"""Obras públicas: estado actual, historial, alertas, semáforo y agregados por contratista.

La capa ``obras`` del almacén tiene una fila por obra y reporte trimestral (``anio`` +
``trimestre``). El reporte más reciente de un folio es el estado actual de la obra; los
anteriores son su historial. ``avance_fisico`` es una fracción (1.0 = 100 %) tal como se
publicó (puede ser inválido, p. ej. 36000.0).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from capas.config import (
    ALERTAS,
    ALERTAS_ROJAS,
    CODIGOS_ALERTA,
    ESTATUS_TERMINADO,
    ETIQUETAS_OBRA,
    UMBRALES,
    Umbrales,
)
from capas.numeros import (
    a_fecha,
    a_fechas,
    a_flotantes,
    dividir,
    es_nulo,
    fecha_en_palabras,
    normalizar_texto,
    pesos,
    porcentaje,
    puntos,
)

#: Palabras que niegan un estatus ("no terminada").
_NEGACIONES = frozenset({"no", "sin"})


@dataclass(frozen=True)
class Alerta:
    """Una alerta de una obra: código, título, frase en español y los números detrás."""

    codigo: str
    titulo: str
    mensaje: str
    datos: dict = field(default_factory=dict)


def municipio_obra(obras: pd.DataFrame) -> pd.Series:
    """Municipio (CVEGEO) de cada obra: el declarado (responsable); si falta, el de sus
    coordenadas.

    Cuando las coordenadas caen en otro municipio la obra conserva el declarado y lleva la
    alerta ``fuera_de_municipio``.
    """
    declarado = obras["cvegeo_declarado"].astype(object)
    coordenadas = obras["cvegeo_coordenadas"].astype(object)
    return declarado.where(declarado.notna(), coordenadas).astype(object)


def avance_financiero(ejercido, aprobado):
    """Avance financiero = monto ejercido / monto aprobado (fracción; nulo sin dato o con 0)."""
    return dividir(ejercido, aprobado)


def estado_actual(obras: pd.DataFrame, anio: int | None = None) -> pd.DataFrame:
    """Estado actual de cada obra: su reporte más reciente.

    Con ``anio``, solo se consideran los reportes de ese año (el estado de la obra en el
    último reporte de ``anio``); sin él, todos. El orden de los reportes es ``anio`` y
    luego ``trimestre`` (vacío cuenta como anterior al trimestre 1); si un folio aparece
    más de una vez en el mismo reporte se toma la última fila publicada. Las filas sin folio
    no se pueden seguir y se omiten.

    Returns
    -------
    DataFrame
        Una fila por folio con las columnas del almacén más ``reportes`` (número de
        reportes distintos), ``duplicados`` (máximo de veces que el folio aparece en un
        mismo reporte) y ``reporte_duplicado`` (el reporte más reciente con el folio
        repetido, p. ej. ``'2024 T2'``; vacío si nunca se repitió).
    """
    tabla = obras[obras["folio"].notna().to_numpy()]
    if anio is not None:
        tabla = tabla[(a_flotantes(tabla["anio"]) == anio)]
    tabla = tabla.reset_index(drop=True)
    if tabla.empty:
        return tabla.assign(
            reportes=np.array([], dtype="int64"),
            duplicados=np.array([], dtype="int64"),
            reporte_duplicado=np.array([], dtype=object),
        )
    codigos, folios = pd.factorize(tabla["folio"], sort=True)
    anios = np.nan_to_num(a_flotantes(tabla["anio"]), nan=-1.0)
    trimestres = np.nan_to_num(a_flotantes(tabla["trimestre"]), nan=0.0)
    filas = np.arange(len(tabla))
    orden = np.lexsort((filas, trimestres, anios, codigos))
    c, a, t = codigos[orden], anios[orden], trimestres[orden]
    # Un "tramo" = filas consecutivas (ya ordenadas) del mismo folio y reporte.
    inicio = np.ones(len(orden), dtype=bool)
    inicio[1:] = (c[1:] != c[:-1]) | (a[1:] != a[:-1]) | (t[1:] != t[:-1])
    tramo = np.cumsum(inicio) - 1
    copias_tramo = np.bincount(tramo)
    fin_tramo = np.flatnonzero(np.r_[inicio[1:], True])
    c_tramo = c[fin_tramo]
    n = len(folios)
    reportes = np.bincount(c_tramo, minlength=n)
    duplicados = np.zeros(n, dtype="int64")
    np.maximum.at(duplicados, c_tramo, copias_tramo)
    reporte_dup = np.full(n, None, dtype=object)
    repetidos = np.flatnonzero(copias_tramo > 1)
    for k in repetidos:  # pocos: solo los tramos con el folio repetido
        reporte_dup[c_tramo[k]] = _nombre_reporte(a[fin_tramo[k]], t[fin_tramo[k]])
    ultima = np.flatnonzero(np.r_[c[1:] != c[:-1], True])
    actual = tabla.take(orden[ultima]).reset_index(drop=True)
    codigo_actual = c[ultima]
    return actual.assign(
        reportes=reportes[codigo_actual],
        duplicados=duplicados[codigo_actual],
        reporte_duplicado=reporte_dup[codigo_actual],
    )


def historial(obras: pd.DataFrame, folio: str) -> pd.DataFrame:
    """Historial de una obra: todos sus reportes en orden, con su avance financiero.

    Returns
    -------
    DataFrame
        Las filas del folio ordenadas por ``anio`` y ``trimestre``, con ``reporte``
        (``'2024 T2'``) y ``avance_financiero`` (ejercido / aprobado de ese reporte).
    """
    tabla = obras[(obras["folio"] == folio).fillna(False).to_numpy(dtype=bool)].copy()
    tabla["_t"] = np.nan_to_num(a_flotantes(tabla["trimestre"]), nan=0.0)
    tabla = tabla.sort_values(["anio", "_t"], kind="stable").drop(columns="_t")
    tabla["reporte"] = [
        _nombre_reporte(a, t)
        for a, t in zip(a_flotantes(tabla["anio"]), tabla["trimestre"], strict=True)
    ]
    tabla["avance_financiero"] = avance_financiero(
        a_flotantes(tabla["monto_ejercido"]), a_flotantes(tabla["monto_aprobado"])
    )
    return tabla.reset_index(drop=True)


def banderas_alertas(
    actuales: pd.DataFrame,
    fecha_referencia: date | str | None,
    umbrales: Umbrales = UMBRALES,
) -> pd.DataFrame:
    """Qué alertas tiene cada obra: una columna booleana por código, en el orden de config.

    Reglas (umbrales en :mod:`capas.config`; avances como fracciones):

    - ``pago_sin_avance``: avance financiero (ejercido / aprobado) − avance físico > 0.25.
    - ``sobrecosto``: el mayor de ejercido y modificado supera al aprobado en más de 10 %.
    - ``vencida``: ``fecha_termino`` anterior a ``fecha_referencia`` (la fecha de corte) y
      avance físico < 1.
    - ``avance_invalido``: avance físico publicado fuera de 0–1.
    - ``terminada_sin_estatus``: avance físico = 1 y un estatus que no es de obra terminada
      (también si no se publicó estatus).
    - ``folio_duplicado``: el folio aparece más de una vez en un mismo reporte
      (``duplicados > 1``, ver :func:`estado_actual`).
    - ``fuera_de_municipio``: las coordenadas caen en otro municipio que el declarado.
    - ``sin_georreferencia``: faltan las coordenadas o caen fuera de la entidad.

    Un avance físico inválido o vacío no se compara (no da ``pago_sin_avance``, ``vencida``
    ni ``terminada_sin_estatus``); un aprobado vacío o 0 no da ``pago_sin_avance`` ni
    ``sobrecosto``.
    """
    tol = umbrales.tolerancia
    fisico = _fisico_valido(actuales, tol)
    diferencia = _diferencia(actuales, tol)
    aprobado = a_flotantes(actuales["monto_aprobado"])
    mayor = np.fmax(
        a_flotantes(actuales["monto_ejercido"]), a_flotantes(_columna(actuales, "monto_modificado"))
    )
    exceso = dividir(mayor, aprobado) - 1.0
    publicado = a_flotantes(actuales["avance_fisico"])
    termino = a_fechas(_columna(actuales, "fecha_termino")).to_numpy(dtype="datetime64[D]")
    if fecha_referencia is None:
        vencida = np.zeros(len(actuales), dtype=bool)
    else:
        referencia = np.datetime64(pd.Timestamp(fecha_referencia).date(), "D")
        vencida = ~np.isnat(termino) & (termino < referencia) & (fisico < 1.0 - tol)
    terminado = _terminados(_columna(actuales, "estatus"))
    declarado = actuales["cvegeo_declarado"].astype(object)
    coordenadas = actuales["cvegeo_coordenadas"].astype(object)
    sin_coordenadas = (
        coordenadas.isna().to_numpy()
        | np.isnan(a_flotantes(_columna(actuales, "latitud")))
        | np.isnan(a_flotantes(_columna(actuales, "longitud")))
    )
    duplicados = a_flotantes(_columna(actuales, "duplicados"))
    banderas = {
        "pago_sin_avance": diferencia > umbrales.obra_pago_sin_avance + tol,
        "sobrecosto": exceso > umbrales.obra_sobrecosto + tol,
        "vencida": vencida,
        "avance_invalido": ~np.isnan(publicado) & ((publicado < -tol) | (publicado > 1.0 + tol)),
        "terminada_sin_estatus": (np.abs(fisico - 1.0) <= tol) & ~terminado,
        "folio_duplicado": duplicados > 1,
        "fuera_de_municipio": (
            declarado.notna() & coordenadas.notna() & (declarado != coordenadas)
        ).to_numpy(dtype=bool),
        "sin_georreferencia": sin_coordenadas,
    }
    return pd.DataFrame({c: banderas[c] for c in CODIGOS_ALERTA}, index=actuales.index)


def semaforos_obra(
    actuales: pd.DataFrame, banderas: pd.DataFrame, umbrales: Umbrales = UMBRALES
) -> np.ndarray:
    """Semáforo de cada obra (arreglo de luces).

    rojo con ``pago_sin_avance``, ``sobrecosto`` o ``vencida``; si no, gris cuando no se
    pueden comparar los avances (falta el avance físico válido o el financiero); amarillo
    cuando el avance financiero supera al físico por 10 a 25 puntos; verde en otro caso.
    """
    diferencia = _diferencia(actuales, umbrales.tolerancia)
    roja = banderas[list(ALERTAS_ROJAS)].to_numpy().any(axis=1)
    return np.select(
        [roja, np.isnan(diferencia), diferencia >= umbrales.obra_amarillo - umbrales.tolerancia],
        ["rojo", "gris", "amarillo"],
        default="verde",
    ).astype(object)


def evaluar_obras(
    obras: pd.DataFrame,
    anio: int | None = None,
    fecha_referencia: date | str | None = None,
    umbrales: Umbrales = UMBRALES,
) -> pd.DataFrame:
    """Estado actual de cada obra con su municipio, avance financiero, alertas y semáforo.

    Returns
    -------
    DataFrame
        :func:`estado_actual` más ``cvegeo`` (:func:`municipio_obra`),
        ``avance_financiero``, una columna booleana ``alerta_<código>`` por alerta,
        ``alertas`` (códigos separados por ``;``, vacío sin alertas), ``num_alertas``,
        ``semaforo`` y ``etiqueta_semaforo``.
    """
    actuales = estado_actual(obras, anio)
    banderas = banderas_alertas(actuales, fecha_referencia, umbrales)
    matriz = banderas.to_numpy()
    luces = semaforos_obra(actuales, banderas, umbrales)
    nuevas = {
        "cvegeo": municipio_obra(actuales).to_numpy(),
        "avance_financiero": avance_financiero(
            a_flotantes(actuales["monto_ejercido"]), a_flotantes(actuales["monto_aprobado"])
        ),
        "alertas": _unir_codigos(matriz),
        "num_alertas": matriz.sum(axis=1).astype("int64"),
        **{f"alerta_{c}": banderas[c].to_numpy() for c in CODIGOS_ALERTA},
        "semaforo": luces,
        "etiqueta_semaforo": [ETIQUETAS_OBRA[luz] for luz in luces],
    }
    return pd.concat([actuales, pd.DataFrame(nuevas, index=actuales.index)], axis=1)


def alertas_obra(
    obra: Mapping | pd.Series,
    fecha_referencia: date | str | None,
    umbrales: Umbrales = UMBRALES,
    nombres_municipios: Mapping[str, str] | None = None,
) -> list[Alerta]:
    """Las alertas de una obra (una fila de :func:`estado_actual`), con frase y números.

    Usa las mismas reglas que :func:`banderas_alertas`. ``nombres_municipios``
    (``cvegeo -> nombre``) sirve para nombrar los municipios en la frase.
    """
    registro = dict(obra)
    if isinstance(obra, pd.Series) and "folio" not in registro:
        registro["folio"] = obra.name  # fila de una tabla indexada por folio
    fila = pd.DataFrame([registro])
    for columna in ("duplicados", "monto_modificado", "fecha_termino", "estatus"):
        if columna not in fila:
            fila[columna] = None
    banderas = banderas_alertas(fila, fecha_referencia, umbrales).iloc[0]
    datos = _datos_alertas(fila.iloc[0], fecha_referencia, umbrales, nombres_municipios or {})
    resultado = []
    for regla in ALERTAS:
        if banderas[regla.codigo]:
            numeros, textos = datos[regla.codigo]
            resultado.append(
                Alerta(regla.codigo, regla.titulo, regla.plantilla.format(**textos), numeros)
            )
    return resultado


def fecha_referencia_reportes(obras: pd.DataFrame) -> date | None:
    """Fin del periodo del reporte más reciente (fin de trimestre, o 31 de diciembre).

    Se usa como fecha de referencia de ``vencida`` cuando la versión no tiene fecha de corte.
    """
    anios = a_flotantes(obras["anio"])
    if np.all(np.isnan(anios)):
        return None
    ultimo = np.nanmax(anios)
    trimestres = a_flotantes(obras["trimestre"])[anios == ultimo]
    # Sin trimestre (reporte anual) o el informe definitivo anual (5): el 31 de diciembre.
    trimestre = 4 if np.all(np.isnan(trimestres)) else min(int(np.nanmax(trimestres)), 4)
    fin = pd.Timestamp(int(ultimo), trimestre * 3, 1) + pd.offsets.MonthEnd(0)
    return fin.date()


def _datos_alertas(
    obra: pd.Series,
    fecha_referencia,
    umbrales: Umbrales,
    nombres: Mapping[str, str],
) -> dict[str, tuple[dict, dict]]:
    """Números (``dict``) y textos para la plantilla de cada alerta posible."""
    fisico = _flotante(obra.get("avance_fisico"))
    aprobado = _flotante(obra.get("monto_aprobado"))
    ejercido = _flotante(obra.get("monto_ejercido"))
    modificado = _flotante(obra.get("monto_modificado"))
    financiero = dividir(ejercido, aprobado)
    diferencia = financiero - fisico
    if np.isnan(modificado) or (not np.isnan(ejercido) and ejercido >= modificado):
        etapa, monto = "ejercido", ejercido
    else:
        etapa, monto = "modificado", modificado
    exceso = dividir(monto, aprobado) - 1.0
    termino = a_fecha(obra.get("fecha_termino"))
    referencia = a_fecha(fecha_referencia)
    declarado = obra.get("cvegeo_declarado")
    coordenadas = obra.get("cvegeo_coordenadas")
    faltan = any(es_nulo(obra.get(c)) for c in ("latitud", "longitud"))
    motivo = (
        "no se publicaron coordenadas" if faltan else "las coordenadas caen fuera de la entidad"
    )
    estatus = obra.get("estatus")
    anio_dup, trim_dup = _partes_reporte(obra.get("reporte_duplicado"))

    def municipio(clave):
        if es_nulo(clave):
            return "sin dato"
        return f"{nombres[clave]} ({clave})" if clave in nombres else str(clave)

    return {
        "pago_sin_avance": (
            {
                "avance_financiero": financiero,
                "avance_fisico": fisico,
                "diferencia": diferencia,
                "umbral": umbrales.obra_pago_sin_avance,
            },
            {
                "avance_financiero": porcentaje(financiero),
                "avance_fisico": porcentaje(fisico),
                "diferencia": puntos(diferencia),
                "umbral": puntos(umbrales.obra_pago_sin_avance),
            },
        ),
        "sobrecosto": (
            {
                "etapa": etapa,
                "monto": monto,
                "monto_aprobado": aprobado,
                "exceso": exceso,
                "umbral": umbrales.obra_sobrecosto,
            },
            {
                "etapa": etapa,
                "monto": pesos(monto),
                "aprobado": pesos(aprobado),
                "exceso": porcentaje(exceso),
                "umbral": porcentaje(umbrales.obra_sobrecosto),
            },
        ),
        "vencida": (
            {"fecha_termino": termino, "fecha_referencia": referencia, "avance_fisico": fisico},
            {
                "fecha_termino": fecha_en_palabras(termino),
                "fecha_referencia": fecha_en_palabras(referencia),
                "avance_fisico": porcentaje(fisico),
            },
        ),
        "avance_invalido": ({"avance_fisico": fisico}, {"avance_fisico": porcentaje(fisico)}),
        "terminada_sin_estatus": (
            {"avance_fisico": fisico, "estatus": None if es_nulo(estatus) else estatus},
            {"estatus": "sin estatus" if es_nulo(estatus) else str(estatus)},
        ),
        "folio_duplicado": (
            {
                "veces": int(_flotante(obra.get("duplicados"))),
                "anio": anio_dup,
                "trimestre": trim_dup,
            },
            {
                "folio": str(obra.get("folio")),
                "veces": int(_flotante(obra.get("duplicados"))),
                "reporte": str(obra.get("reporte_duplicado")),
            },
        ),
        "fuera_de_municipio": (
            {"cvegeo_declarado": declarado, "cvegeo_coordenadas": coordenadas},
            {"declarado": municipio(declarado), "coordenadas": municipio(coordenadas)},
        ),
        "sin_georreferencia": ({"motivo": motivo}, {"motivo": motivo}),
    }


def _diferencia(actuales: pd.DataFrame, tol: float) -> np.ndarray:
    """Avance financiero − avance físico válido (nulo si falta alguno)."""
    financiero = dividir(
        a_flotantes(actuales["monto_ejercido"]), a_flotantes(actuales["monto_aprobado"])
    )
    return financiero - _fisico_valido(actuales, tol)


def _fisico_valido(actuales: pd.DataFrame, tol: float) -> np.ndarray:
    fisico = a_flotantes(actuales["avance_fisico"])
    invalido = (fisico < -tol) | (fisico > 1.0 + tol)
    return np.where(invalido, np.nan, fisico)


def _terminados(estatus: pd.Series) -> np.ndarray:
    """Verdadero donde el estatus publicado es de obra terminada (no «no terminada»)."""
    unicos = pd.unique(estatus.dropna())
    normalizados = normalizar_texto(pd.Series(unicos, dtype=object))
    tabla = {}
    for original, texto in zip(unicos, normalizados, strict=True):
        palabras = set(str(texto).split())
        tabla[original] = bool(palabras & ESTATUS_TERMINADO) and not (palabras & _NEGACIONES)
    return estatus.map(tabla).astype("boolean").fillna(False).to_numpy(dtype=bool)


def _unir_codigos(matriz: np.ndarray) -> np.ndarray:
    """Códigos de alerta presentes en cada fila, separados por ``;`` (``None`` sin alertas)."""
    texto = np.full(len(matriz), "", dtype=object)
    for j, codigo in enumerate(CODIGOS_ALERTA):
        texto = texto + np.where(matriz[:, j], codigo + ";", "").astype(object)
    return np.array([t[:-1] if t else None for t in texto], dtype=object)


def _columna(tabla: pd.DataFrame, nombre: str) -> pd.Series:
    if nombre in tabla:
        return tabla[nombre]
    return pd.Series([None] * len(tabla), index=tabla.index, dtype=object)


def _flotante(valor) -> float:
    return np.nan if es_nulo(valor) else float(valor)


#: Nombre del informe definitivo anual del SRFT (trimestre 5) en ``reporte``.
REPORTE_ANUAL = "anual"


def _nombre_reporte(anio, trimestre) -> str:
    """``'2024 T2'``; ``'2024'`` sin trimestre; ``'2024 anual'`` el informe definitivo (5)."""
    t = _flotante(trimestre)
    if np.isnan(t) or t == 0:
        return f"{int(anio)}"
    if int(t) == 5:
        return f"{int(anio)} {REPORTE_ANUAL}"
    return f"{int(anio)} T{int(t)}"


def _partes_reporte(reporte) -> tuple[int | None, int | None]:
    if es_nulo(reporte):
        return None, None
    partes = str(reporte).split()
    anio = int(partes[0])
    if len(partes) < 2:
        return anio, None
    trimestre = 5 if partes[1] == REPORTE_ANUAL else int(partes[1][1:])
    return anio, trimestre
