"""padron, formato público agregado — padrón de un programa social tal como se publica en
datos.gob.mx (p. ej. la beca S311, ``S311_EDO_17_MORELOS_Q1.csv``).

Encabezado publicado: ``bimestre,cve_edo,nom_edo,cve_mun,nom_mun,cve_loc,nom_loc,beca,fecha_alta``;
una fila por beca, sin CURP, sin nombre y sin escuela. Es otro formato de la fuente
``padron`` (``ingesta cargar padron ARCHIVO --programa S311 [--anio 2025]``); el padrón
SIIPP-G por alumno (:mod:`ingesta.fuentes.padron`) sigue siendo la fuente de la cobertura.

Decisiones:

- ``--programa`` es obligatorio (el archivo no dice de qué programa es): clave del programa
  presupuestario, una letra y tres cifras; se guarda en mayúsculas (``s311`` -> ``S311``).
- El año es ``--anio``; si falta, el de la ``fecha_alta`` **más reciente** de las filas
  aceptadas, con un aviso. No el más frecuente: el padrón de un año trae las altas de años
  anteriores (en el de 2025 de Morelos, 12,168 altas son de 2024 y 7,831 de 2025). Sin
  ninguna fecha válida, un error pide ``--anio``.
- La fecha de corte es esa misma fecha de alta más reciente (la última que el archivo
  demuestra), salvo ``--fecha-corte``.
- Filas de otra entidad (``cve_edo``) se omiten. El municipio sale de ``cve_mun`` (clave de
  1 a 3 cifras dentro de la entidad, o la CVEGEO de 5) y, si está vacía, de ``nom_mun``; si
  las dos dicen municipios distintos se usa la clave, con una advertencia.
- ``beca`` es el importe: texto no numérico o negativo se rechaza; vacío se acepta con
  advertencia (la beca cuenta como beneficiario pero no suma al monto).
- La localidad es ``cve_loc`` a 4 cifras (``1`` -> ``0001``) con el nombre publicado
  (``nom_loc``).

Al almacén llega solo la capa ``programas``: becas (renglones) e importe por programa, año,
municipio y localidad; la partición es programa + año (cargar S311 2025 no toca otro
programa ni otro año, y volver a cargar S311 2025 lo reemplaza). Solo se leen las columnas
de arriba: si un archivo trajera nombres o CURP, esas columnas no se leen.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from almacen.esquemas import columnas
from ingesta.errores import ErrorIngesta
from ingesta.fuentes.base import (
    Contexto,
    Formato,
    Salida,
    fechas,
    fuera_de_la_entidad,
    montos,
    opcional,
)
from ingesta.lectura import Columna, exigir_alguna

#: Clave de un programa presupuestario: una letra (modalidad) y tres cifras (S311, U084...).
PATRON_PROGRAMA = r"[A-Z]\d{3}"

COLUMNAS = [
    Columna("cve_edo", ("cve_ent", "id_entidad", "id_entidad_federativa")),
    Columna("nom_edo", ("nom_ent", "entidad"), requerida=False),
    Columna("cve_mun", ("id_municipio", "cve_municipio"), requerida=False),
    Columna("nom_mun", ("nom_municipio", "municipio"), requerida=False),
    Columna("cve_loc", ("id_localidad", "cve_localidad"), requerida=False),
    Columna("nom_loc", ("nom_localidad", "localidad"), requerida=False),
    Columna("beca", ("monto", "importe", "monto_beca")),
    Columna("fecha_alta", requerida=False),
]


def procesar(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """Valida el padrón público y lo reduce a becas e importe por municipio y localidad."""
    reg = ctx.registro
    programa = clave_programa(ctx)
    exigir_alguna(tabla, ["cve_mun", "nom_mun"], ctx.archivo.nombre)
    fuera_de_la_entidad(tabla["cve_edo"], "cve_edo", ctx)
    cvegeo = _municipio(tabla, ctx)
    importe = montos(tabla, {"beca": "monto"}, ctx)["monto"]
    reg.advertir(
        tabla["beca"].isna(),
        "beca",
        "sin importe: la beca cuenta como beneficiario pero no suma al monto",
    )
    alta = fechas(tabla, {"fecha_alta": "fecha_alta"}, ctx)["fecha_alta"]
    cve_loc = _localidad(opcional(tabla, "cve_loc"))

    ok = reg.aceptada
    if not ok.any():  # la carga explica por qué no se aceptó ninguna fila
        vacia = pd.DataFrame({c: pd.Series(dtype=object) for c in columnas("programas")})
        return Salida(capas={"programas": (vacia, ["programa", "anio"])})
    ultima = alta[ok].max()
    avisos = []
    anio = ctx.opciones.get("anio")
    if anio is None:
        if pd.isna(ultima):
            ctx.opcion("anio", "no trae el año (ninguna fila aceptada tiene fecha_alta válida)")
        anio = int(ultima.year)
        avisos.append(
            f"El año {anio} se tomó de la fecha_alta más reciente ({ultima.date().isoformat()}); "
            "si el padrón es de otro año, indíquelo con --anio"
        )
    datos = pd.DataFrame(
        {
            "cvegeo": cvegeo[ok].to_numpy(dtype=object),
            "cve_loc": cve_loc[ok].to_numpy(dtype=object),
            "localidad": opcional(tabla, "nom_loc")[ok].to_numpy(dtype=object),
            "monto": importe[ok].to_numpy(dtype="float64"),
        }
    )
    agregado = _agregar(datos, programa, int(anio))
    return Salida(
        capas={"programas": (agregado, ["programa", "anio"])},
        fecha_corte=None if pd.isna(ultima) else ultima.date().isoformat(),
        avisos=avisos,
    )


def clave_programa(ctx: Contexto) -> str:
    """``--programa`` en mayúsculas (``s-311`` -> ``S311``); error claro si falta o no es una clave."""
    valor = ctx.opcion("programa", "es un padrón público que no dice de qué programa es")
    clave = re.sub(r"[\s\-_]", "", str(valor)).upper()
    if not re.fullmatch(PATRON_PROGRAMA, clave):
        raise ErrorIngesta(
            f"--programa debe ser la clave del programa presupuestario: una letra y tres "
            f"cifras (por ejemplo S311); se recibió {valor!r}",
            archivo=ctx.archivo.nombre,
            columna="programa",
        )
    return clave


def _municipio(tabla: pd.DataFrame, ctx: Contexto) -> pd.Series:
    """CVEGEO por ``cve_mun``; si está vacía, por ``nom_mun``. Rechaza los desconocidos."""
    reg = ctx.registro
    clave, nombre = opcional(tabla, "cve_mun"), opcional(tabla, "nom_mun")
    por_clave, motivo_clave = ctx.geo.resolver(clave, tabla["cve_edo"])
    por_nombre, motivo_nombre = ctx.geo.resolver(nombre, tabla["cve_edo"])
    con_clave = clave.notna().to_numpy()
    reg.rechazar(con_clave & motivo_clave.notna().to_numpy(), "cve_mun", motivo_clave)
    reg.rechazar(~con_clave & motivo_nombre.notna().to_numpy(), "nom_mun", motivo_nombre)
    columna = "cve_mun" if "cve_mun" in tabla.columns else "nom_mun"
    reg.rechazar(clave.isna() & nombre.isna(), columna, "falta el municipio")
    distinto = (por_clave.notna() & por_nombre.notna() & (por_clave != por_nombre)).to_numpy()
    reg.advertir(
        distinto,
        "nom_mun",
        "el nombre no es el del municipio de cve_mun (se usa la clave)",
        valores=nombre,
    )
    return por_clave.where(pd.Series(con_clave, index=clave.index), por_nombre)


def _localidad(valores: pd.Series) -> pd.Series:
    """Clave de localidad a 4 cifras (``1`` o ``1.0`` -> ``0001``); otra cosa, tal cual."""
    texto = valores.str.replace(r"\.0$", "", regex=True)
    corta = texto.str.fullmatch(r"\d{1,4}").fillna(False).astype(bool)
    return texto.where(~corta, texto.str.zfill(4)).astype(object)


def _agregar(datos: pd.DataFrame, programa: str, anio: int) -> pd.DataFrame:
    """Becas (renglones) e importe por municipio y localidad.

    La localidad se agrupa por su clave; el nombre es el primero publicado con esa clave.
    Sin clave, por su nombre. El monto es nulo si ninguna beca del grupo trae importe.
    """
    grupo_loc = datos["cve_loc"].fillna("#" + datos["localidad"].fillna(""))
    grupos = datos.assign(_loc=grupo_loc).groupby(["cvegeo", "_loc"], sort=True, dropna=False)
    tabla = pd.DataFrame(
        {
            "cve_loc": grupos["cve_loc"].first(),
            "localidad": grupos["localidad"].first(),
            "beneficiarios": grupos.size().astype("int64"),
            "monto": grupos["monto"].sum(min_count=1).astype("float64"),
        }
    ).reset_index()
    tabla["programa"] = programa
    tabla["anio"] = np.int64(anio)
    tabla = tabla.astype({"cvegeo": "str", "cve_loc": object, "localidad": object})
    return tabla[columnas("programas")].reset_index(drop=True)


FORMATO = Formato(
    nombre="publico",
    entidad=("cve_edo",),
    columnas=COLUMNAS,
    procesar=procesar,
    titulo="padrón público agregado (datos.gob.mx)",
)
