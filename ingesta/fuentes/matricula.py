"""matricula — Alumnos por escuela y ciclo escolar (Formato 911 de la SEP)."""

from __future__ import annotations

import pandas as pd

from almacen.esquemas import columnas
from ingesta import normalizacion as norm
from ingesta.fuentes.base import Contexto, Formato, Fuente, Salida, exigir
from ingesta.fuentes.escuelas import PATRON_CCT
from ingesta.lectura import Columna

COLUMNAS = [
    Columna("CV_CCT", ("CLAVECCT", "CLAVE_CCT")),
    Columna("CICLO"),
    Columna("INSCRITOS", ("INSC_T", "INSCRIPCION_TOTAL")),
    Columna("EXISTENCIA", ("EXIST_T",), requerida=False),
    Columna("APROBADOS", ("APROB_T",), requerida=False),
]


def procesar(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """Enteros no negativos; ``APROBADOS > EXISTENCIA`` y ciclos repetidos se rechazan."""
    reg = ctx.registro
    exigir(tabla, ["CV_CCT", "CICLO", "INSCRITOS"], ctx)
    cct = norm.texto(tabla["CV_CCT"]).str.upper()
    reg.rechazar(
        cct.notna() & ~cct.str.fullmatch(PATRON_CCT).fillna(False).astype(bool),
        "CV_CCT",
        "clave CCT no válida",
        valores=cct,
    )
    texto_ciclo, anio, ciclo_mal = norm.ciclo(tabla["CICLO"])
    reg.rechazar(
        ciclo_mal, "CICLO", "ciclo no reconocido (se espera 2023-2024)", valores=tabla["CICLO"]
    )
    valores = {}
    for columna in ("INSCRITOS", "EXISTENCIA", "APROBADOS"):
        origen = (
            tabla[columna]
            if columna in tabla.columns
            else pd.Series(None, index=tabla.index, dtype=object)
        )
        valores[columna], invalido = norm.entero_no_negativo(origen)
        reg.rechazar(invalido, columna, "se espera un entero no negativo", valores=origen)
    aprob, exist, insc = valores["APROBADOS"], valores["EXISTENCIA"], valores["INSCRITOS"]
    reg.rechazar((aprob > exist).fillna(False), "APROBADOS", "APROBADOS mayor que EXISTENCIA")
    # Altas a medio ciclo: la existencia puede superar a los inscritos; se avisa, no se rechaza.
    reg.advertir(
        (exist > insc).fillna(False),
        "EXISTENCIA",
        "EXISTENCIA mayor que INSCRITOS (altas durante el ciclo): se acepta",
    )
    repetida = cct.notna() & anio.notna() & pd.DataFrame({"c": cct, "a": anio}).duplicated()
    reg.rechazar(repetida, "CV_CCT", "la escuela aparece dos veces en el mismo ciclo")
    datos = pd.DataFrame(
        {
            "cct": cct,
            "ciclo": texto_ciclo,
            "anio": anio,
            "inscritos": insc,
            "existencia": exist,
            "aprobados": aprob,
        }
    )[columnas("matricula")]
    return Salida(capas={"matricula": (datos[reg.aceptada], ["anio"])})


FUENTE = Fuente(
    tipo="matricula",
    descripcion="Matrícula por escuela y ciclo escolar (Formato 911)",
    formatos=[Formato(nombre="911", columnas=COLUMNAS, procesar=procesar)],
)
