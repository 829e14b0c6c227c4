"""escuelas — Catálogo de centros de trabajo de la SEP (SIGED)."""

from __future__ import annotations

import pandas as pd

from almacen.esquemas import columnas
from ingesta import normalizacion as norm
from ingesta.fuentes.base import (
    Contexto,
    Formato,
    Fuente,
    Salida,
    capa_de_puntos,
    exigir,
    georreferenciar,
    opcional,
    resolver_municipio,
)
from ingesta.lectura import Columna

#: Niveles de educación básica (dentro del programa de uniformes y útiles).
NIVELES_BASICA = ("PREESCOLAR", "PRIMARIA", "SECUNDARIA")
#: CCT: 2 dígitos de entidad, letra, 2 letras de tipo, 4 dígitos y letra verificadora.
PATRON_CCT = r"^\d{2}[A-Z]{3}\d{4}[A-Z]$"

COLUMNAS = [
    Columna("CV_CCT", ("CLAVECCT", "CLAVE_CCT", "CCT")),
    Columna("C_NOMBRE", ("NOMBRECT", "NOMBRE")),
    Columna("INMUEBLE_CV_MUN", ("CV_MUN", "MUNICIPIO"), requerida=False),
    Columna("INMUEBLE_C_NOM_MUN", ("NOMBRE_MUNICIPIO",), requerida=False),
    Columna("INMUEBLE_LATITUD", ("LATITUD",)),
    Columna("INMUEBLE_LONGITUD", ("LONGITUD",)),
    Columna("TIPONIVELSUB_C_SERVICION2", ("NIVEL", "N_NIVEL")),
    Columna("SOSTENIMIENTO_C_CONTROL", ("CONTROL",), requerida=False),
    Columna("INMUEBLE_CV_ENT", requerida=False),
    Columna("INMUEBLE_CV_LOC", requerida=False),
    Columna("INMUEBLE_C_NOM_LOC", requerida=False),
    Columna("C_TURNO_1", requerida=False),
]


def procesar(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """Valida el catálogo y ubica cada escuela en su municipio por coordenadas."""
    reg = ctx.registro
    from ingesta.lectura import exigir_alguna

    exigir_alguna(tabla, ["INMUEBLE_CV_MUN", "INMUEBLE_C_NOM_MUN"], ctx.archivo.nombre)
    cct = norm.texto(tabla["CV_CCT"]).str.upper()
    exigir(tabla, ["CV_CCT", "C_NOMBRE", "TIPONIVELSUB_C_SERVICION2"], ctx)
    reg.rechazar(
        cct.notna() & ~cct.str.fullmatch(PATRON_CCT).fillna(False),
        "CV_CCT",
        "clave CCT no válida (se esperan 10 caracteres como 20DPR0001X)",
        valores=cct,
    )
    repetida = cct.notna() & cct.duplicated(keep="first")
    reg.rechazar(repetida, "CV_CCT", "clave CCT repetida en el archivo", valores=cct)

    declarado_por = (
        "INMUEBLE_CV_MUN" if "INMUEBLE_CV_MUN" in tabla.columns else "INMUEBLE_C_NOM_MUN"
    )
    declarado = tabla[declarado_por]
    if declarado_por == "INMUEBLE_CV_MUN" and "INMUEBLE_C_NOM_MUN" in tabla.columns:
        declarado = declarado.fillna(tabla["INMUEBLE_C_NOM_MUN"])
    # Modo nacional: la entidad de la escuela es INMUEBLE_CV_ENT o, si falta, los dos
    # primeros dígitos de su clave CCT.
    entidad = opcional(tabla, "INMUEBLE_CV_ENT").fillna(cct.str[:2])
    cvegeo = resolver_municipio(declarado, ctx, declarado_por, entidad=entidad)

    geo = georreferenciar(
        tabla["INMUEBLE_LATITUD"],
        tabla["INMUEBLE_LONGITUD"],
        cvegeo,
        ctx,
        columna="INMUEBLE_LATITUD",
    )
    nivel = norm.sin_acentos_mayusculas(tabla["TIPONIVELSUB_C_SERVICION2"])
    control = norm.sin_acentos_mayusculas(opcional(tabla, "SOSTENIMIENTO_C_CONTROL"))
    basica_publica = nivel.isin(NIVELES_BASICA) & control.fillna("PUBLICO").str.startswith("PUBLIC")

    datos = pd.DataFrame(
        {
            "cct": cct,
            "nombre": norm.texto(tabla["C_NOMBRE"]),
            "nivel": nivel,
            "control": control,
            "basica_publica": basica_publica.astype(bool),
            "cvegeo_declarado": cvegeo,
            "cvegeo_coordenadas": geo.cvegeo_coordenadas,
            "latitud": geo.latitud,
            "longitud": geo.longitud,
            "localidad": opcional(tabla, "INMUEBLE_C_NOM_LOC"),
            "cve_loc": opcional(tabla, "INMUEBLE_CV_LOC"),
            "turno": opcional(tabla, "C_TURNO_1"),
            "advertencias": geo.codigos,
        }
    )[columnas("escuelas")]
    datos = datos[reg.aceptada]
    return Salida(capas={"escuelas": (capa_de_puntos(datos, "escuelas"), None)})


FUENTE = Fuente(
    tipo="escuelas",
    descripcion="Catálogo de centros de trabajo de la SEP (SIGED)",
    formatos=[Formato(nombre="SIGED", columnas=COLUMNAS, procesar=procesar)],
)
