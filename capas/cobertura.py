"""Cobertura del programa de uniformes y útiles (indicadores 1, 3 y 4) y su semáforo.

Alcance: escuelas públicas de educación básica (preescolar, primaria y secundaria) del
catálogo (``basica_publica``). Tanto los alumnos atendidos como los inscritos se cuentan
solo en esas escuelas.

Cobertura = alumnos distintos que recibieron algún beneficio / alumnos inscritos
(``INSCRITOS``). En un municipio o en la entidad, un alumno que aparece en el padrón de
varias escuelas de la misma zona cuenta una sola vez (``padron_repetidos``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from capas.config import ETIQUETAS_COBERTURA, PALETA, UMBRALES, Umbrales
from capas.numeros import a_flotantes, dividir, sumar_por_grupo

#: Columnas de la tabla base por escuela y ciclo (ver :func:`base_escolar`).
COLUMNAS_BASE = [
    "cct",
    "anio",
    "cvegeo",
    "inscritos",
    "existencia",
    "aprobados",
    "atendidos",
]


@dataclass(frozen=True)
class Semaforo:
    """Resultado de un semáforo: luz, texto, icono y color (el color nunca va solo)."""

    luz: str
    etiqueta: str
    icono: str
    color: str


def municipio_escuela(escuelas: pd.DataFrame) -> pd.Series:
    """Municipio (CVEGEO) de cada escuela.

    Es el municipio donde caen sus coordenadas (``cvegeo_coordenadas``); cuando faltan o
    caen fuera de la entidad (``cvegeo_coordenadas`` vacío), el declarado en el catálogo
    (``cvegeo_declarado``).
    """
    coordenadas = escuelas["cvegeo_coordenadas"].astype(object)
    declarado = escuelas["cvegeo_declarado"].astype(object)
    return coordenadas.where(coordenadas.notna(), declarado).astype(object)


def base_escolar(
    escuelas: pd.DataFrame, matricula: pd.DataFrame, padron: pd.DataFrame
) -> pd.DataFrame:
    """Tabla por escuela del programa y ciclo con la matrícula y los alumnos atendidos.

    Una fila por cada escuela con ``basica_publica`` y cada ciclo (``anio``) presente en la
    matrícula o en el padrón. Columnas: ``cct``, ``anio``, ``cvegeo`` (ver
    :func:`municipio_escuela`), ``inscritos``, ``existencia``, ``aprobados`` (nulos si la
    escuela no reportó matrícula ese ciclo) y ``atendidos`` (alumnos distintos con algún
    beneficio, fila ``TOTAL`` del padrón; 0 si el padrón de ese ciclo existe pero la escuela
    no aparece; nulo si no hay padrón de ese ciclo). Cuentas en ``float64``.
    """
    en_programa = _es_programa(escuelas)
    programa = pd.DataFrame(
        {
            "cct": escuelas["cct"].to_numpy(dtype=object)[en_programa],
            "cvegeo": municipio_escuela(escuelas).to_numpy()[en_programa],
        }
    ).drop_duplicates("cct")
    total = padron[(padron["beneficio"] == "TOTAL").fillna(False).to_numpy(dtype=bool)]
    anios_matricula = {int(a) for a in pd.unique(matricula["anio"].dropna())}
    anios_padron = {int(a) for a in pd.unique(padron["anio"].dropna())}
    anios = np.array(sorted(anios_matricula | anios_padron), dtype="int64")
    if programa.empty or not len(anios):
        return pd.DataFrame({c: pd.Series(dtype=_tipo_base(c)) for c in COLUMNAS_BASE})

    ccts = pd.Index(programa["cct"])
    n, m = len(ccts), len(anios)
    columnas = _matrices(matricula, ["inscritos", "existencia", "aprobados"], ccts, anios)
    columnas.update(
        _matrices(total.rename(columns={"alumnos": "atendidos"}), ["atendidos"], ccts, anios)
    )
    con_padron = np.isin(anios, sorted(anios_padron))
    atendidos = columnas["atendidos"]
    atendidos[np.isnan(atendidos) & con_padron[np.newaxis, :]] = 0.0
    # Orden: por ciclo y, dentro de cada ciclo, por cct.
    orden_cct = np.argsort(ccts.to_numpy(dtype=object), kind="stable")
    base = pd.DataFrame(
        {
            "cct": np.tile(ccts.to_numpy(dtype=object)[orden_cct], m),
            "anio": np.repeat(anios, n),
            "cvegeo": np.tile(programa["cvegeo"].to_numpy(dtype=object)[orden_cct], m),
            **{c: columnas[c][orden_cct, :].T.ravel() for c in COLUMNAS_BASE[3:]},
        }
    )
    return base


def excedentes_repetidos(repetidos: pd.DataFrame, ubicacion: pd.Series) -> pd.Series:
    """Registros de más que hay que restar para contar alumnos distintos en una zona.

    Un alumno (``grupo`` de ``padron_repetidos``) que aparece en ``k`` escuelas del programa
    de la misma zona está contado ``k`` veces al sumar las filas ``TOTAL`` de las escuelas;
    sobran ``k - 1``. ``ubicacion`` es una ``Series`` ``cct -> zona`` (solo escuelas del
    programa). Devuelve una ``Series`` con índice ``(zona, anio)`` y los excedentes.
    """
    rep = repetidos[["anio", "grupo", "cct"]].dropna()
    zona = rep["cct"].map(ubicacion).to_numpy(dtype=object)
    validas = pd.notna(zona)
    anios = a_flotantes(rep["anio"])[validas].astype("int64")
    grupos = a_flotantes(rep["grupo"])[validas].astype("int64")
    ccts = rep["cct"].to_numpy(dtype=object)[validas]
    if not len(anios):
        indice = pd.MultiIndex.from_arrays([[], []], names=["zona", "anio"])
        return pd.Series([], index=indice, dtype="float64", name="excedentes")
    # Claves enteras de (zona, anio, grupo, escuela); sin repetir la misma escuela.
    codigos = [pd.factorize(v, sort=True) for v in (zona[validas], anios, grupos, ccts)]
    tamanos = tuple(max(len(u), 1) for _, u in codigos)
    llave = np.unique(np.ravel_multi_index([c for c, _ in codigos], tamanos))
    zona_anio_grupo = llave // tamanos[3]
    grupos_unicos, k = np.unique(zona_anio_grupo, return_counts=True)
    zona_anio = grupos_unicos // tamanos[2]
    presentes, inversa = np.unique(zona_anio, return_inverse=True)
    extra = np.bincount(inversa, weights=(k - 1).astype("float64"))
    i_zona, i_anio = np.divmod(presentes, tamanos[1])
    indice = pd.MultiIndex.from_arrays(
        [codigos[0][1][i_zona], codigos[1][1][i_anio]], names=["zona", "anio"]
    )
    return pd.Series(extra, index=indice, name="excedentes")


def cobertura(atendidos, inscritos):
    """Cobertura = alumnos atendidos / alumnos inscritos (fracción; nulo sin dato o con 0).

    Una cobertura mayor que 1 se devuelve tal cual (se marca aparte como problema de
    calidad de los datos).
    """
    return dividir(atendidos, inscritos)


def cobertura_escuelas(base: pd.DataFrame, anio: int | None = None) -> pd.DataFrame:
    """Indicador 4, cobertura por escuela y ciclo.

    Cobertura = alumnos distintos con algún beneficio en la escuela (fila ``TOTAL`` del
    padrón) / alumnos inscritos en la escuela. Una escuela con inscritos y sin beneficiarios
    tiene cobertura 0; sin inscritos (o con 0) la cobertura es nula.

    Returns
    -------
    DataFrame
        ``cct``, ``anio``, ``cvegeo``, ``alumnos_inscritos``, ``alumnos_atendidos``,
        ``cobertura``.
    """
    tabla = base if anio is None else base[base["anio"] == anio]
    resultado = pd.DataFrame(
        {
            "cct": tabla["cct"].to_numpy(),
            "anio": tabla["anio"].to_numpy(),
            "cvegeo": tabla["cvegeo"].to_numpy(),
            "alumnos_inscritos": tabla["inscritos"].to_numpy(),
            "alumnos_atendidos": tabla["atendidos"].to_numpy(),
        }
    )
    resultado["cobertura"] = cobertura(
        a_flotantes(resultado["alumnos_atendidos"]), a_flotantes(resultado["alumnos_inscritos"])
    )
    return resultado


def cobertura_por_zona(
    base: pd.DataFrame, excedentes: pd.Series, zona: pd.Series | str
) -> pd.DataFrame:
    """Cobertura de una zona (municipio o entidad) por ciclo: indicadores 1 y 3.

    Cobertura = alumnos distintos con algún beneficio en las escuelas del programa de la
    zona (suma de las filas ``TOTAL`` de sus escuelas menos los registros repetidos, ver
    :func:`excedentes_repetidos`) / suma de los inscritos de esas escuelas. Una zona con
    escuelas pero sin beneficiarios tiene cobertura 0; una zona sin escuelas (o sin
    inscritos) no tiene dato.

    Parameters
    ----------
    base
        Tabla de :func:`base_escolar`.
    excedentes
        Resultado de :func:`excedentes_repetidos` con la misma zona.
    zona
        Nombre de la columna de ``base`` que da la zona (p. ej. ``"cvegeo"``), o una
        ``Series`` alineada con ``base``.

    Returns
    -------
    DataFrame
        Índice ``(zona, anio)``; columnas ``escuelas``, ``alumnos_inscritos``,
        ``alumnos_atendidos``, ``cobertura``.
    """
    claves = base[zona] if isinstance(zona, str) else zona
    suma = sumar_por_grupo(
        {"zona": claves.to_numpy(dtype=object), "anio": base["anio"].to_numpy()},
        {"inscritos": base["inscritos"].to_numpy(), "atendidos": base["atendidos"].to_numpy()},
    )
    extra = excedentes.reindex(suma.index).fillna(0.0).to_numpy()
    atendidos = suma["atendidos"].to_numpy() - extra
    resultado = pd.DataFrame(
        {
            "escuelas": suma["filas"].to_numpy(),
            "alumnos_inscritos": suma["inscritos"].to_numpy(),
            "alumnos_atendidos": atendidos,
        },
        index=suma.index,
    )
    resultado["cobertura"] = cobertura(atendidos, suma["inscritos"].to_numpy())
    return resultado


def cobertura_estatal(base: pd.DataFrame, repetidos: pd.DataFrame) -> pd.DataFrame:
    """Indicador 1, cobertura estatal por ciclo.

    Cobertura = alumnos distintos con algún beneficio en las escuelas del programa de la
    entidad / alumnos inscritos en ellas. Un alumno que aparece en varias escuelas de la
    entidad cuenta una vez.

    Returns
    -------
    DataFrame
        Índice ``anio``; columnas ``escuelas``, ``alumnos_inscritos``,
        ``alumnos_atendidos``, ``cobertura``.
    """
    ubicacion = pd.Series("entidad", index=pd.unique(base["cct"]))
    excedentes = excedentes_repetidos(repetidos, ubicacion)
    zona = pd.Series("entidad", index=base.index)
    return cobertura_por_zona(base, excedentes, zona).droplevel("zona")


def cobertura_municipal(
    base: pd.DataFrame, repetidos: pd.DataFrame, municipios: list[str] | None = None
) -> pd.DataFrame:
    """Indicador 3, cobertura por municipio y ciclo.

    Cobertura = alumnos distintos con algún beneficio en las escuelas del programa ubicadas
    en el municipio (ver :func:`municipio_escuela`) / alumnos inscritos en ellas. Si se da
    ``municipios``, se incluyen todos (los que no tienen escuelas, sin dato).

    Returns
    -------
    DataFrame
        Índice ``(cvegeo, anio)``; columnas ``escuelas``, ``alumnos_inscritos``,
        ``alumnos_atendidos``, ``cobertura``.
    """
    ubicacion = base.drop_duplicates("cct").set_index("cct")["cvegeo"]
    excedentes = excedentes_repetidos(repetidos, ubicacion)
    resultado = cobertura_por_zona(base, excedentes, "cvegeo")
    resultado.index = resultado.index.set_names(["cvegeo", "anio"])
    if municipios is not None:
        anios = sorted(pd.unique(base["anio"]))
        completo = pd.MultiIndex.from_product([municipios, anios], names=["cvegeo", "anio"])
        resultado = resultado.reindex(completo)
        resultado["escuelas"] = resultado["escuelas"].fillna(0.0)
    return resultado


def semaforo_cobertura(valor, umbrales: Umbrales = UMBRALES) -> Semaforo:
    """Semáforo de cobertura de un valor.

    verde si cobertura ≥ ``cobertura_verde`` (0.95), amarillo si ≥ ``cobertura_amarillo``
    (0.80), rojo debajo, gris sin dato. Una cobertura mayor que 1 es verde (y se marca
    como problema de calidad).
    """
    luz = luces_cobertura(np.array([valor], dtype="float64"), umbrales)[0]
    presentacion = PALETA[luz]
    return Semaforo(luz, ETIQUETAS_COBERTURA[luz], presentacion.icono, presentacion.color)


def luces_cobertura(valores, umbrales: Umbrales = UMBRALES) -> np.ndarray:
    """Versión vectorizada de :func:`semaforo_cobertura`: arreglo de luces (texto)."""
    c = a_flotantes(valores)
    tol = umbrales.tolerancia
    return np.select(
        [np.isnan(c), c >= umbrales.cobertura_verde - tol, c >= umbrales.cobertura_amarillo - tol],
        ["gris", "verde", "amarillo"],
        default="rojo",
    ).astype(object)


def _es_programa(escuelas: pd.DataFrame) -> np.ndarray:
    return escuelas["basica_publica"].astype("boolean").fillna(False).to_numpy(dtype=bool)


def _matrices(
    tabla: pd.DataFrame, columnas: list[str], ccts: pd.Index, anios: np.ndarray
) -> dict[str, np.ndarray]:
    """Matriz escuela × ciclo de cada columna; varias filas de una pareja se suman."""
    fila = ccts.get_indexer(tabla["cct"])
    anio = a_flotantes(tabla["anio"])
    col = np.clip(np.searchsorted(anios, anio), 0, len(anios) - 1)
    validas = (fila >= 0) & ~np.isnan(anio) & (anios[col] == anio)
    resultado = {}
    forma = (len(ccts), len(anios))
    for columna in columnas:
        valores = a_flotantes(tabla[columna])
        con_dato = validas & ~np.isnan(valores)
        plano = np.ravel_multi_index((fila[con_dato], col[con_dato]), forma)
        n = forma[0] * forma[1]
        suma = np.bincount(plano, weights=valores[con_dato], minlength=n).reshape(forma)
        cuenta = np.bincount(plano, minlength=n).reshape(forma)
        resultado[columna] = np.where(cuenta > 0, suma, np.nan)
    return resultado


def _tipo_base(columna: str) -> str:
    return {"cct": "object", "cvegeo": "object", "anio": "int64"}.get(columna, "float64")
