"""Resumen de la calidad de los datos de una versión.

Los problemas no se esconden: se cuentan y se publican junto con los datos (página de datos
abiertos). Las descripciones están en :data:`capas.config.PROBLEMAS_CALIDAD`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from capas.cobertura import cobertura
from capas.config import CODIGOS_ALERTA, PROBLEMAS_CALIDAD, problema_calidad_obra
from capas.gasto import lineas_sumables
from capas.lectura import DatosVersion, datos_de
from capas.numeros import a_flotantes
from capas.tablas import Fuente, tabla_presupuesto

#: Columnas del resumen.
COLUMNAS = ["codigo", "descripcion", "anio", "cantidad"]


def resumen_calidad(fuente: Fuente) -> pd.DataFrame:
    """Problemas de calidad de una versión y cuántos casos tiene cada uno.

    - ``cobertura_mayor_100_escuelas`` / ``_municipios``: por ciclo, escuelas y municipios
      con cobertura mayor que 100 %.
    - ``escuelas_fuera_de_municipio``: escuelas del catálogo cuyas coordenadas caen en otro
      municipio que el declarado; ``escuelas_sin_georreferencia``: sin coordenadas útiles.
    - ``curp_en_varias_escuelas``: por ciclo, alumnos distintos (CURP) que aparecen en más
      de una escuela (``padron_repetidos``), sin revelar quiénes.
    - ``padron_fuera_del_programa``: por ciclo, escuelas del padrón que no son públicas de
      básica del catálogo.
    - ``presupuesto_sobregiro``: líneas de presupuesto con sobregiro, contando un solo nivel
      de una sola clasificación por año y municipio (:func:`capas.gasto.lineas_sumables`:
      un total con sobregiro no se cuenta otra vez en sus capítulos y conceptos).
    - ``obras_<alerta>``: obras (estado actual) con cada una de las ocho alertas.

    Returns
    -------
    DataFrame
        ``codigo``, ``descripcion``, ``anio`` (vacío si el problema no es por ciclo) y
        ``cantidad``; todos los códigos aparecen aunque su cantidad sea 0.
    """
    datos = datos_de(fuente)
    filas: list[tuple[str, int | None, int]] = []
    filas += _por_anio(
        "cobertura_mayor_100_escuelas",
        datos.base_escolar,
        _mayor_100(datos.base_escolar["atendidos"], datos.base_escolar["inscritos"]),
        datos.anios_escolares,
    )
    municipal = datos.cobertura_municipal.reset_index()
    filas += _por_anio(
        "cobertura_mayor_100_municipios",
        municipal,
        a_flotantes(municipal["cobertura"]) > 1.0,
        datos.anios_escolares,
    )
    escuelas = datos.tabla("escuelas").drop_duplicates("cct")
    coordenadas = escuelas["cvegeo_coordenadas"].astype(object)
    declarado = escuelas["cvegeo_declarado"].astype(object)
    fuera = coordenadas.notna() & declarado.notna() & (coordenadas != declarado)
    filas.append(("escuelas_fuera_de_municipio", None, int(fuera.sum())))
    filas.append(("escuelas_sin_georreferencia", None, int(coordenadas.isna().sum())))
    filas += _curp_repetidas(datos)
    filas += _padron_fuera(datos)
    presupuesto = tabla_presupuesto(datos)
    sumables = lineas_sumables(presupuesto, ["anio", "cvegeo"])
    sobregiro = int(((presupuesto["etiqueta_gasto"] == "sobregiro").to_numpy() & sumables).sum())
    filas.append(("presupuesto_sobregiro", None, sobregiro))
    evaluadas = datos.obras_evaluadas(None)
    for codigo in CODIGOS_ALERTA:
        filas.append((f"obras_{codigo}", None, int(evaluadas[f"alerta_{codigo}"].sum())))
    tabla = pd.DataFrame(filas, columns=["codigo", "anio", "cantidad"])
    tabla["descripcion"] = [_descripcion(c) for c in tabla["codigo"]]
    tabla["anio"] = pd.array(tabla["anio"].to_numpy(dtype=object), dtype="Int64")
    tabla["cantidad"] = tabla["cantidad"].astype("int64")
    return tabla[COLUMNAS]


def _mayor_100(atendidos: pd.Series, inscritos: pd.Series) -> np.ndarray:
    return cobertura(a_flotantes(atendidos), a_flotantes(inscritos)) > 1.0


def _por_anio(
    codigo: str, tabla: pd.DataFrame, mascara: np.ndarray, anios: list[int]
) -> list[tuple[str, int | None, int]]:
    conteo = pd.Series(np.asarray(mascara, dtype=bool)).groupby(tabla["anio"].to_numpy()).sum()
    return [(codigo, int(a), int(conteo.get(a, 0))) for a in anios]


def _curp_repetidas(datos: DatosVersion) -> list[tuple[str, int | None, int]]:
    repetidos = datos.tabla("padron_repetidos")
    grupos = repetidos[["anio", "grupo"]].dropna().drop_duplicates()
    conteo = grupos.groupby(a_flotantes(grupos["anio"]).astype("int64")).size()
    anios = sorted(set(datos.anios_escolares) | {int(a) for a in conteo.index})
    return [("curp_en_varias_escuelas", a, int(conteo.get(a, 0))) for a in anios]


def _padron_fuera(datos: DatosVersion) -> list[tuple[str, int | None, int]]:
    padron = datos.tabla("padron")
    programa = set(datos.base_escolar["cct"])
    escuelas = padron[["cct", "anio"]].dropna().drop_duplicates()
    fuera = escuelas[~escuelas["cct"].isin(programa).to_numpy()]
    conteo = fuera.groupby(a_flotantes(fuera["anio"]).astype("int64")).size()
    anios = sorted(set(datos.anios_escolares))
    return [("padron_fuera_del_programa", a, int(conteo.get(a, 0))) for a in anios]


def _descripcion(codigo: str) -> str:
    if codigo in PROBLEMAS_CALIDAD:
        return PROBLEMAS_CALIDAD[codigo]
    return problema_calidad_obra(codigo.removeprefix("obras_"))
