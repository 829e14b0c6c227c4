"""padron — Padrón de beneficiarios, una fila por alumno (SIIPP-G, "Estructura Personas").

Los datos personales (nombre, CURP, fecha de nacimiento) solo se usan aquí para contar
alumnos distintos y detectar CURP repetidas entre escuelas: del CSV se leen únicamente las
columnas necesarias (los nombres y fechas de nacimiento ni siquiera se cargan) y al almacén
llegan solo agregados por escuela, ciclo y beneficio. Ningún mensaje muestra una CURP.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ingesta import normalizacion as norm
from ingesta.esquemas import columnas
from ingesta.fuentes.base import Contexto, Formato, Fuente, Salida, exigir, fechas
from ingesta.fuentes.escuelas import PATRON_CCT
from ingesta.lectura import Columna

#: CURP: 4 letras, fecha AAMMDD, sexo (H, M o X), 2 letras de entidad, 3 consonantes,
#: homoclave y dígito verificador.
PATRON_CURP = r"^[A-Z]{4}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[A-Z0-9]\d$"

#: Único lugar donde se traducen los códigos numéricos del programa a beneficios.
BENEFICIOS = {
    "UNIFORME": "UNIFORME",
    "UNIFORMES": "UNIFORME",
    "UNIFORME ESCOLAR": "UNIFORME",
    "1": "UNIFORME",
    "UTILES": "UTILES",
    "UTILES ESCOLARES": "UTILES",
    "2": "UTILES",
}

#: Columnas personales del layout: no se leen (y su valor nunca se muestra).
PERSONALES = frozenset(
    {"NB_CURP", "NB_PRIMER_AP", "NB_SEGUNDO_AP", "NB_NOMBRE", "FH_NACIMIENTO", "ID_PERSONA"}
)

COLUMNAS = [
    Columna("NB_CURP", ("CURP",)),
    Columna("CV_CCT", ("CLAVECCT", "CCT")),
    Columna("CICLO", ("ANIO",)),
    Columna("CD_BENEFICIO", ("BENEFICIO",)),
    Columna("NU_IMP_MONETARIO", ("MONTO", "IMPORTE"), requerida=False),
    Columna("FH_ENTREGA", requerida=False),
    Columna("CD_SEXO", requerida=False),
]


def procesar(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """Valida el padrón y lo reduce a agregados por escuela, ciclo y beneficio."""
    reg = ctx.registro
    exigir(tabla, ["NB_CURP", "CV_CCT", "CICLO", "CD_BENEFICIO"], ctx)
    curp = tabla["NB_CURP"].str.upper()
    reg.rechazar(
        curp.notna() & ~curp.str.fullmatch(PATRON_CURP).fillna(False),
        "NB_CURP",
        "CURP con estructura no válida (valor oculto por ser dato personal)",
    )
    cct = tabla["CV_CCT"].str.upper()
    reg.rechazar(
        cct.notna() & ~cct.str.fullmatch(PATRON_CCT).fillna(False),
        "CV_CCT",
        "clave CCT no válida",
        valores=cct,
    )
    _, anio, ciclo_mal = norm.ciclo(tabla["CICLO"])
    reg.rechazar(ciclo_mal, "CICLO", "ciclo no reconocido", valores=tabla["CICLO"])
    beneficio = _beneficio(tabla["CD_BENEFICIO"])
    reg.rechazar(
        tabla["CD_BENEFICIO"].notna() & beneficio.isna(),
        "CD_BENEFICIO",
        "beneficio desconocido (se espera UNIFORME o UTILES)",
        valores=tabla["CD_BENEFICIO"],
    )
    if "NU_IMP_MONETARIO" in tabla.columns:
        monto, monto_mal = norm.monto(tabla["NU_IMP_MONETARIO"])
        reg.rechazar(monto_mal, "NU_IMP_MONETARIO", "importe no numérico")
        reg.rechazar(monto < 0, "NU_IMP_MONETARIO", "importe negativo")
    else:
        monto = pd.Series(np.nan, index=tabla.index)
    fechas(tabla, {"FH_ENTREGA": "fecha_entrega"}, ctx)
    sexo = tabla["CD_SEXO"].str.upper().str.strip() if "CD_SEXO" in tabla.columns else None

    ok = reg.aceptada
    filas = pd.DataFrame(
        {
            "curp": pd.factorize(curp[ok])[0],
            "cct": cct[ok].to_numpy(),
            "anio": anio[ok].to_numpy(dtype="int64"),
            "beneficio": beneficio[ok].to_numpy(),
            "monto": monto[ok].to_numpy(),
            "sexo": sexo[ok].to_numpy() if sexo is not None else None,
        }
    )
    return Salida(
        capas={
            "padron": (_agregar(filas, sexo is not None), ["anio"]),
            "padron_repetidos": (_repetidos(filas), ["anio"]),
        }
    )


@norm.por_valores_unicos
def _beneficio(serie: pd.Series) -> pd.Series:
    clave = norm.sin_acentos_mayusculas(serie).str.replace(r"\.0$", "", regex=True)
    return clave.map(BENEFICIOS).astype(object)


def _agregar(filas: pd.DataFrame, con_sexo: bool) -> pd.DataFrame:
    """Alumnos distintos, paquetes e importe por escuela, ciclo y beneficio (y TOTAL).

    Se trabaja con códigos enteros (``np.unique`` y ``np.bincount``): un padrón de un
    millón de filas se agrega en una fracción de segundo.
    """
    cct_cod, ccts = pd.factorize(filas["cct"])
    anio_cod, anios = pd.factorize(filas["anio"])
    ben_cod, beneficios = pd.factorize(filas["beneficio"])
    curp = filas["curp"].to_numpy(dtype="int64")
    n_curp = int(curp.max()) + 1 if len(curp) else 1
    escuela_ciclo = anio_cod.astype("int64") * len(ccts) + cct_cod
    monto = filas["monto"].to_numpy(dtype="float64")
    sexo = filas["sexo"].to_numpy() if con_sexo else None
    partes = []
    for etiqueta, grupo, n_grupos in (
        (None, escuela_ciclo * len(beneficios) + ben_cod, len(anios) * len(ccts) * len(beneficios)),
        ("TOTAL", escuela_ciclo, len(anios) * len(ccts)),
    ):
        paquetes = np.bincount(grupo, minlength=n_grupos)
        suma = np.bincount(grupo, weights=np.nan_to_num(monto), minlength=n_grupos)
        con_monto = np.bincount(grupo, weights=~np.isnan(monto), minlength=n_grupos)
        pares, primera = np.unique(grupo * n_curp + curp, return_index=True)
        grupo_par = pares // n_curp
        alumnos = np.bincount(grupo_par, minlength=n_grupos)
        presentes = np.flatnonzero(paquetes)
        ec = presentes if etiqueta else presentes // len(beneficios)
        tabla = pd.DataFrame(
            {
                "cct": ccts.to_numpy()[ec % len(ccts)],
                "anio": anios.to_numpy()[ec // len(ccts)].astype("int64"),
                "beneficio": etiqueta or beneficios.to_numpy()[presentes % len(beneficios)],
                "alumnos": alumnos[presentes],
                "paquetes": paquetes[presentes],
                "monto": np.where(con_monto[presentes] > 0, suma[presentes], np.nan),
            }
        )
        if etiqueta and sexo is not None:
            for columna, letra in (("mujeres", "M"), ("hombres", "H")):
                conteo = np.bincount(grupo_par[sexo[primera] == letra], minlength=n_grupos)
                tabla[columna] = pd.array(conteo[presentes], dtype="Int64")
        partes.append(tabla)
    resultado = pd.concat(partes, ignore_index=True)
    for columna in ("mujeres", "hombres"):
        if columna not in resultado:
            resultado[columna] = pd.NA
        resultado[columna] = resultado[columna].astype("Int64")
    llaves = ["cct", "anio", "beneficio"]
    return resultado[columnas("padron")].sort_values(llaves, ignore_index=True)


def _repetidos(filas: pd.DataFrame) -> pd.DataFrame:
    """Alumnos (anónimos) en más de una escuela: ``(anio, grupo, cct)``, sin la CURP."""
    pares = filas[["anio", "curp", "cct"]].drop_duplicates()
    escuelas_por_alumno = pares.groupby(["anio", "curp"])["cct"].transform("size")
    repetidos = pares[escuelas_por_alumno > 1].sort_values(["anio", "curp", "cct"])
    grupo = repetidos.groupby(["anio", "curp"], sort=False).ngroup() + 1
    return pd.DataFrame(
        {
            "anio": repetidos["anio"].to_numpy(dtype="int64"),
            "grupo": grupo.to_numpy(dtype="int64"),
            "cct": repetidos["cct"].to_numpy(),
        }
    )


FUENTE = Fuente(
    tipo="padron",
    descripcion="Padrón de beneficiarios de uniformes y útiles (SIIPP-G), solo agregados",
    formatos=[Formato(nombre="SIIPP-G", columnas=COLUMNAS, procesar=procesar)],
    personales=PERSONALES,
)
