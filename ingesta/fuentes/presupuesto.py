"""presupuesto — Presupuesto por programa (SHCP, formato A) y Cuenta Pública estatal por
capítulo COG o dependencia ("Ojos al Gasto", formato B)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ingesta import normalizacion as norm
from ingesta.errores import ColumnaFaltante
from ingesta.esquemas import columnas
from ingesta.fuentes.base import Contexto, Formato, Fuente, Salida, exigir, fechas, montos, opcional
from ingesta.geografia import MOTIVO_OTRA_ENTIDAD, es_la_entidad
from ingesta.lectura import Columna

#: Etapas del gasto del formato SHCP: columna publicada -> columna del almacén.
ETAPAS_A = {
    "MONTO_APROBADO": "aprobado",
    "MONTO_MODIFICADO": "modificado",
    "MONTO_COMPROMETIDO": "comprometido",
    "MONTO_DEVENGADO": "devengado",
    "MONTO_EJERCIDO": "ejercido",
    "MONTO_PAGADO": "pagado",
    "MONTO_COMPROBADO": "comprobado",
}

COLUMNAS_A = [
    Columna("CICLO"),
    Columna("ID_ENTIDAD_FEDERATIVA"),
    Columna("ID_MUNICIPIO", requerida=False),
    Columna("DESC_PP", ("PROGRAMA",)),
    Columna("CONCEPTO", requerida=False),
    *[Columna(c, requerida=False) for c in ETAPAS_A],
    Columna("FECHA_CORTE", requerida=False),
]

COLUMNAS_B = [
    Columna("Estado"),
    Columna("Año", ("ANIO",)),
    Columna("Código", ("CODIGO",)),
    Columna("Concepto", requerida=False),
    Columna("Dependencia", requerida=False),
    Columna("Aprobado"),
    Columna("Devengado", requerida=False),
    Columna("Observaciones", requerida=False),
]


def procesar_shcp(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """Formato A: una fila por ciclo, municipio (vacío = estatal), programa y concepto."""
    reg = ctx.registro
    presentes = [c for c in ETAPAS_A if c in tabla.columns]
    if not presentes:
        raise ColumnaFaltante(
            f"El archivo {ctx.archivo.nombre} no tiene ninguna etapa del gasto "
            f"({', '.join(ETAPAS_A)})"
        )
    exigir(tabla, ["CICLO", "ID_ENTIDAD_FEDERATIVA", "DESC_PP"], ctx)
    otra = tabla["ID_ENTIDAD_FEDERATIVA"].notna() & ~es_la_entidad(
        tabla["ID_ENTIDAD_FEDERATIVA"], ctx.geo.estado
    )
    reg.omitir(otra, MOTIVO_OTRA_ENTIDAD)
    anio, anio_mal = norm.entero_no_negativo(tabla["CICLO"])
    reg.rechazar(anio_mal, "CICLO", "ejercicio no reconocido", valores=tabla["CICLO"])
    municipio = opcional(tabla, "ID_MUNICIPIO")
    cvegeo, motivo = ctx.geo.resolver(municipio)
    reg.rechazar(motivo.notna(), "ID_MUNICIPIO", motivo)
    importes = montos(tabla, {c: ETAPAS_A[c] for c in presentes}, ctx)
    sin_importe = importes.isna().all(axis=1)
    reg.rechazar(sin_importe, presentes[0], "la fila no trae ningún importe")
    corte = fechas(tabla, {"FECHA_CORTE": "fecha_corte"}, ctx)["fecha_corte"]
    datos = pd.DataFrame(
        {
            "anio": anio,
            "cvegeo": cvegeo,
            "programa": norm.texto(tabla["DESC_PP"]),
            "concepto": opcional(tabla, "CONCEPTO"),
            "codigo": pd.Series(None, index=tabla.index, dtype=object),
            **{etapa: importes.get(etapa, np.nan) for etapa in ETAPAS_A.values()},
            "fecha_corte": corte,
            "formato": "A",
        }
    )[columnas("presupuesto")]
    datos = datos[reg.aceptada]
    return Salida(capas={"presupuesto": (datos, ["formato", "anio"])}, fecha_corte=_maxima(datos))


def procesar_ojos(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """Formato B (Ojos al Gasto): filas de otras entidades se omiten; cifras anuales cerradas."""
    reg = ctx.registro
    if "Concepto" not in tabla.columns and "Dependencia" not in tabla.columns:
        raise ColumnaFaltante(
            f"El archivo {ctx.archivo.nombre} necesita la columna Concepto o Dependencia"
        )
    otra = ~es_la_entidad(tabla["Estado"], ctx.geo.estado)
    reg.omitir(otra, MOTIVO_OTRA_ENTIDAD)
    exigir(tabla, ["Año", "Código"], ctx)
    anio, anio_mal = norm.entero_no_negativo(tabla["Año"])
    reg.rechazar(anio_mal, "Año", "año no reconocido", valores=tabla["Año"])
    importes = montos(tabla, {"Aprobado": "aprobado", "Devengado": "devengado"}, ctx)
    concepto = opcional(tabla, "Concepto").fillna(opcional(tabla, "Dependencia"))
    datos = pd.DataFrame(
        {
            "anio": anio,
            "cvegeo": pd.Series(None, index=tabla.index, dtype=object),
            "programa": pd.Series(None, index=tabla.index, dtype=object),
            "concepto": concepto,
            "codigo": norm.texto(tabla["Código"]).str.upper(),
            **{etapa: importes.get(etapa, np.nan) for etapa in ETAPAS_A.values()},
            "fecha_corte": pd.to_datetime(anio.astype("str") + "-12-31", errors="coerce"),
            "formato": "B",
        }
    )[columnas("presupuesto")]
    datos = datos[reg.aceptada]
    return Salida(capas={"presupuesto": (datos, ["formato", "anio"])}, fecha_corte=_maxima(datos))


def _maxima(datos: pd.DataFrame) -> str | None:
    corte = datos["fecha_corte"].max()
    return None if pd.isna(corte) else corte.date().isoformat()


FUENTE = Fuente(
    tipo="presupuesto",
    descripcion="Presupuesto del programa (SHCP) o Cuenta Pública estatal (Ojos al Gasto)",
    formatos=[
        Formato(nombre="A", columnas=COLUMNAS_A, procesar=procesar_shcp, distintivas=("DESC_PP",)),
        Formato(nombre="A", columnas=COLUMNAS_A, procesar=procesar_shcp, distintivas=("PROGRAMA",)),
        Formato(
            nombre="B",
            columnas=COLUMNAS_B,
            procesar=procesar_ojos,
            distintivas=("Estado", "Código"),
        ),
    ],
)
