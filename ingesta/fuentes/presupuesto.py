"""presupuesto — presupuesto por programa (SHCP) y Cuenta Pública por objeto del gasto o por
dependencia, estatal o municipal ("Ojos al Gasto", Política Colectiva, licencia ODbL).

Los diseños publicados son configuración (:data:`FUENTE`): cada :class:`Formato` declara
sus columnas con sus alias; el reconocimiento elige el que más columnas encuentra.

Decisiones (ver ``FORMATOS.md``, "presupuesto"):

- ``clasificacion`` y ``nivel`` salen del código publicado, que se guarda tal cual en
  ``codigo``: ``COG01``…``COG09`` son capítulos (``objeto_gasto``, ``capitulo``),
  ``COG11``…``COG99`` conceptos (``concepto``), ``COGTOT`` el total (``total``); ``CA1``…
  (o ``CA01``…) son dependencias (``administrativa``, nivel ``concepto``: cada dependencia
  es una parte del total, como un concepto) y ``CATOT`` el total (``total``). Las líneas
  de programa de la SHCP tienen ``clasificacion`` ``programa`` y ``nivel`` vacío (no se
  traslapan entre sí); su ``codigo`` es la clave del programa si se publicó
  (``ID_MODALIDAD`` + ``ID_PP``, p. ej. ``S311``) y ``programa`` su nombre (``DESC_PP``).
- ``fuente`` dice quién publica (``shcp``, ``ojos_al_gasto``).
- Partición en el almacén: una carga reemplaza solo las filas de su misma fuente,
  clasificación y año, así que la clasificación por objeto y la administrativa de un mismo
  año conviven. En Ojos al Gasto también por ``cvegeo`` (vacío = estatal): cargar el archivo
  municipal no borra el estatal ni al revés. La SHCP publica en un solo archivo las líneas
  estatales y las municipales de un año: ese archivo las reemplaza juntas.
- Archivo de presupuesto aprobado: si en un año (y municipio) todas las filas con ambos
  importes tienen devengado = aprobado y el año no ha cerrado, o el nombre del archivo dice
  «aprobado», el devengado no es gasto real: se guarda vacío y la carga lleva un aviso.
- Fecha de corte: la SHCP la publica (``FECHA_CORTE``); Ojos al Gasto no, y se toma el 31 de
  diciembre del año, o el fin del trimestre si el nombre del archivo lo dice
  (``COG Estatal 2025 2T.csv`` = 2025-06-30). Nunca es posterior al día de la carga.
- Municipio sin entidad (Ojos al Gasto municipal): un nombre de la entidad se acepta; uno
  que solo existe en otras entidades se omite; uno que no existe en ninguna se rechaza, y
  también uno que existe aquí y en otras entidades (no se sabe de cuál es).
"""

from __future__ import annotations

import re
from datetime import date
from functools import partial

import numpy as np
import pandas as pd

from almacen.esquemas import columnas
from ingesta import normalizacion as norm
from ingesta.errores import ColumnaFaltante
from ingesta.fuentes.base import (
    Contexto,
    Formato,
    Fuente,
    Salida,
    exigir,
    fechas,
    fuera_de_la_entidad,
    montos,
    opcional,
)
from ingesta.geografia import (
    claves_de_entidad,
    entidades_por_municipio,
    normalizar_nombre,
)
from ingesta.lectura import Columna

FUENTE_SHCP = "shcp"
FUENTE_OJOS = "ojos_al_gasto"

#: Partición de cada fuente en el almacén (ver el docstring del módulo).
PARTICION_SHCP = ["fuente", "clasificacion", "anio"]
PARTICION_OJOS = ["fuente", "clasificacion", "anio", "cvegeo"]

#: Etapas del gasto del formato SHCP: columna publicada -> columna del almacén.
ETAPAS_SHCP = {
    "MONTO_APROBADO": "aprobado",
    "MONTO_MODIFICADO": "modificado",
    "MONTO_COMPROMETIDO": "comprometido",
    "MONTO_DEVENGADO": "devengado",
    "MONTO_EJERCIDO": "ejercido",
    "MONTO_PAGADO": "pagado",
    "MONTO_COMPROBADO": "comprobado",
}
ETAPAS = list(ETAPAS_SHCP.values())

#: Código publicado -> (clasificación, nivel). Se prueba en orden; sin coincidencia = rechazo.
CODIGOS = (
    (re.compile(r"COG0?[1-9]"), "objeto_gasto", "capitulo"),
    (re.compile(r"COG[1-9][0-9]"), "objeto_gasto", "concepto"),
    (re.compile(r"COGTOT"), "objeto_gasto", "total"),
    (re.compile(r"CA[0-9]+"), "administrativa", "concepto"),
    (re.compile(r"CATOT"), "administrativa", "total"),
)
MOTIVO_CODIGO = "código no reconocido (se esperan COG01…COG09, COG11…COG99, COGTOT, CA1… o CATOT)"

#: Motivo con que se omite un municipio que solo existe en otras entidades.
MOTIVO_MUNICIPIO_OTRA_ENTIDAD = "municipio de otra entidad"

AVISO_APROBADO = (
    "archivo de presupuesto aprobado: el devengado repite el aprobado y no se usa como ejercido"
)

# --- Diseños publicados (configuración) ---------------------------------------------------

COLUMNAS_SHCP = [
    Columna("CICLO"),
    Columna("ID_ENTIDAD_FEDERATIVA"),
    Columna("ID_MUNICIPIO", requerida=False),
    Columna("DESC_PP", ("PROGRAMA",)),
    Columna("ID_MODALIDAD", requerida=False),
    Columna("ID_PP", ("CVE_PP", "CLAVE_PP"), requerida=False),
    Columna("CONCEPTO", requerida=False),
    *[Columna(c, requerida=False) for c in ETAPAS_SHCP],
    Columna("FECHA_CORTE", requerida=False),
]


def columnas_ojos(territorio: Columna, concepto: Columna, *otras: Columna) -> list[Columna]:
    """Columnas de un archivo de Ojos al Gasto: ``territorio,Año,Código,concepto,Aprobado,
    Devengado,Observaciones``."""
    return [
        territorio,
        Columna("Año", ("Anio", "Ejercicio")),
        Columna("Código", ("Clave",)),
        concepto,
        Columna("Aprobado"),
        Columna("Devengado", requerida=False),
        Columna("Observaciones", requerida=False),
        *otras,
    ]


#: ``Estado,Año,Código,Concepto,...`` (``COG Estatal ...csv``).
COLUMNAS_OJOS_COG_ESTATAL = columnas_ojos(Columna("Estado"), Columna("Concepto"))
#: ``Estado,Año,Código,Dependencia,...`` (``CA Estatal ...csv``).
COLUMNAS_OJOS_CA_ESTATAL = columnas_ojos(Columna("Estado"), Columna("Dependencia"))
#: ``Municipio,Año,Código,Concepto,...`` (``COG Municipal`` y ``CA Municipal ...csv``; el
#: municipio se nombra sin su entidad; si el archivo trae ``Estado``, se usa).
COLUMNAS_OJOS_MUNICIPAL = columnas_ojos(
    Columna("Municipio"),
    Columna("Concepto", ("Dependencia",)),
    Columna("Estado", requerida=False),
)


# --- SHCP ---------------------------------------------------------------------------------


def procesar_shcp(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """SHCP: una fila por ciclo, municipio (vacío = estatal), programa y concepto."""
    reg = ctx.registro
    presentes = [c for c in ETAPAS_SHCP if c in tabla.columns]
    if not presentes:
        raise ColumnaFaltante(
            f"El archivo {ctx.archivo.nombre} no tiene ninguna etapa del gasto "
            f"({', '.join(ETAPAS_SHCP)})",
            archivo=ctx.archivo.nombre,
            columna="MONTO_APROBADO",
        )
    fuera_de_la_entidad(tabla["ID_ENTIDAD_FEDERATIVA"], "ID_ENTIDAD_FEDERATIVA", ctx)
    exigir(tabla, ["CICLO", "DESC_PP"], ctx)
    anio, anio_mal = norm.entero_no_negativo(tabla["CICLO"])
    reg.rechazar(anio_mal, "CICLO", "ejercicio no reconocido", valores=tabla["CICLO"])
    cvegeo, motivo = ctx.geo.resolver(
        opcional(tabla, "ID_MUNICIPIO"), tabla["ID_ENTIDAD_FEDERATIVA"]
    )
    reg.rechazar(motivo.notna(), "ID_MUNICIPIO", motivo)
    importes = montos(tabla, {c: ETAPAS_SHCP[c] for c in presentes}, ctx)
    reg.rechazar(importes.isna().all(axis=1), presentes[0], "la fila no trae ningún importe")
    corte = fechas(tabla, {"FECHA_CORTE": "fecha_corte"}, ctx)["fecha_corte"]
    hoy = pd.Timestamp(date.today())
    futura = (corte > hoy).to_numpy()
    reg.advertir(
        futura,
        "FECHA_CORTE",
        "fecha de corte posterior a hoy: se usa la de hoy",
        tabla.get("FECHA_CORTE"),
    )
    datos = pd.DataFrame(
        {
            "anio": anio,
            "cvegeo": cvegeo,
            "clasificacion": "programa",
            "codigo": _clave_programa(tabla),
            "nivel": pd.Series(None, index=tabla.index, dtype=object),
            "concepto": opcional(tabla, "CONCEPTO"),
            "programa": norm.texto(tabla["DESC_PP"]),
            **{etapa: importes.get(etapa, np.nan) for etapa in ETAPAS},
            "fecha_corte": corte.where(~futura, hoy),
            "fuente": FUENTE_SHCP,
            "cve_ent": _entidad_de_fila(tabla["ID_ENTIDAD_FEDERATIVA"], cvegeo, ctx),
        }
    )[columnas("presupuesto")]
    datos = datos[reg.aceptada].reset_index(drop=True)
    avisos = _aviso_aprobado(_quitar_devengado_de_aprobado(datos, ctx))
    return Salida(
        capas={"presupuesto": (datos, PARTICION_SHCP)}, fecha_corte=_maxima(datos), avisos=avisos
    )


def _clave_programa(tabla: pd.DataFrame) -> pd.Series:
    """Clave del programa: ``ID_MODALIDAD`` + ``ID_PP`` de 3 cifras (``S`` + ``311`` = ``S311``),
    o ``ID_PP`` tal cual si no hay modalidad; vacía si no se publicó."""
    vacia = pd.Series(None, index=tabla.index, dtype=object)
    if "ID_PP" not in tabla.columns:
        return vacia
    pp = norm.texto(tabla["ID_PP"]).astype(object)
    if "ID_MODALIDAD" not in tabla.columns:
        return pp
    modalidad = norm.texto(tabla["ID_MODALIDAD"]).astype(object).str.upper()
    numero = pp.where(~pp.str.fullmatch(r"\d{1,3}").fillna(False).astype(bool), pp.str.zfill(3))
    clave = (modalidad + numero).where(modalidad.notna() & pp.notna(), pp)
    return clave.astype(object)


# --- Ojos al Gasto ------------------------------------------------------------------------


def procesar_ojos(
    tabla: pd.DataFrame, ctx: Contexto, *, concepto: str, municipal: bool = False
) -> Salida:
    """Ojos al Gasto: Cuenta Pública por objeto del gasto o por dependencia, estatal o
    municipal. Las filas de otras entidades se omiten (no son errores)."""
    reg = ctx.registro
    estados = (
        norm.texto(tabla["Estado"]).astype(object)
        if "Estado" in tabla.columns
        else pd.Series(None, index=tabla.index, dtype=object)
    )
    if municipal:
        cvegeo = _municipio_sin_entidad(tabla, ctx)
    else:
        fuera_de_la_entidad(estados, "Estado", ctx)
        cvegeo = pd.Series(None, index=tabla.index, dtype=object)
    exigir(tabla, ["Año", "Código"], ctx)
    anio, anio_mal = norm.entero_no_negativo(tabla["Año"])
    reg.rechazar(anio_mal, "Año", "año no reconocido", valores=tabla["Año"])
    codigo = norm.texto(tabla["Código"]).astype(object).str.upper()
    clasificacion, nivel = clasificar_codigos(codigo)
    reg.rechazar(
        codigo.notna() & clasificacion.isna(), "Código", MOTIVO_CODIGO, valores=tabla["Código"]
    )
    # Un archivo trae una sola clasificación (la que dice su diseño o, en el municipal, la de
    # la mayoría de sus códigos): un código de otra se rechaza, para que cargar el archivo
    # por dependencia nunca reemplace las filas por objeto del gasto del mismo año.
    esperada = {"Dependencia": "administrativa"}.get(concepto)
    if esperada is None and not municipal:
        esperada = "objeto_gasto"
    if esperada is None and clasificacion.notna().any():
        esperada = clasificacion.mode().iloc[0]
    reg.rechazar(
        clasificacion.notna() & (clasificacion != esperada),
        "Código",
        f"código de otra clasificación en un archivo de clasificación {esperada}",
        valores=tabla["Código"],
    )
    importes = montos(tabla, {"Aprobado": "aprobado", "Devengado": "devengado"}, ctx)
    corte, sin_corte = _cortes_ojos(anio, ctx.archivo.nombre)
    datos = pd.DataFrame(
        {
            "anio": anio,
            "cvegeo": cvegeo,
            "clasificacion": clasificacion,
            "codigo": codigo,
            "nivel": nivel,
            "concepto": norm.texto(tabla[concepto]).astype(object),
            "programa": pd.Series(None, index=tabla.index, dtype=object),
            **{etapa: importes.get(etapa, np.nan) for etapa in ETAPAS},
            "fecha_corte": corte,
            "fuente": FUENTE_OJOS,
            "cve_ent": _entidad_de_fila(estados, cvegeo, ctx),
        }
    )[columnas("presupuesto")]
    aceptada = reg.aceptada
    datos = datos[aceptada].reset_index(drop=True)
    aprobados = _quitar_devengado_de_aprobado(datos, ctx)
    avisos = _aviso_aprobado(aprobados)
    abiertos = {int(a) for a in anio[aceptada & sin_corte.to_numpy()].dropna()}
    abiertos = sorted(abiertos - set(aprobados))
    if abiertos:
        avisos.append(
            f"{ctx.archivo.nombre} no dice la fecha de corte de {_anios(abiertos)}, que no ha "
            f"cerrado: se usa la de hoy ({date.today().isoformat()})"
        )
    return Salida(
        capas={"presupuesto": (datos, PARTICION_OJOS)}, fecha_corte=_maxima(datos), avisos=avisos
    )


def _entidad_de_fila(entidad: pd.Series, cvegeo: pd.Series, ctx: Contexto) -> pd.Series:
    """Clave de 2 dígitos de la entidad de cada línea: la de su municipio, la que dice la
    fila (clave o nombre) o, con una entidad configurada, esa. En el modo nacional una línea
    estatal solo se puede atribuir a su entidad con esta columna."""
    claves = pd.Series(cvegeo.to_numpy(dtype=object), index=cvegeo.index).str[:2]
    claves = claves.where(claves.notna(), claves_de_entidad(entidad))
    if not ctx.geo.nacional:
        claves = claves.where(claves.notna(), ctx.geo.estado)
    return claves.astype(object).where(claves.notna(), None)


def clasificar_codigos(codigo: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Clasificación y nivel de cada código publicado (nulos si no se reconoce), ver
    :data:`CODIGOS`."""
    unicos = pd.unique(codigo.dropna())
    tabla = {}
    for valor in unicos:
        tabla[valor] = next(
            ((clas, nivel) for patron, clas, nivel in CODIGOS if patron.fullmatch(valor)),
            (None, None),
        )
    clasificacion = codigo.map(lambda v: tabla.get(v, (None, None))[0])
    nivel = codigo.map(lambda v: tabla.get(v, (None, None))[1])
    return clasificacion.astype(object), nivel.astype(object)


def _municipio_sin_entidad(tabla: pd.DataFrame, ctx: Contexto) -> pd.Series:
    """CVEGEO de la columna ``Municipio`` (nombre sin entidad, o clave INEGI).

    Si el archivo trae ``Estado`` se omiten las filas de otras entidades y el nombre se
    busca solo en la entidad. Si no, un nombre que solo existe en otras entidades se omite y
    uno que existe aquí y en otras se rechaza (no se sabe de cuál es).
    """
    reg = ctx.registro
    valores = norm.texto(tabla["Municipio"]).astype(object)
    reg.rechazar(valores.isna(), "Municipio", "falta el municipio")
    estado = norm.texto(tabla["Estado"]).astype(object) if "Estado" in tabla.columns else None
    cvegeo, motivo = ctx.geo.resolver(valores, estado)
    if "Estado" in tabla.columns:
        fuera_de_la_entidad(norm.texto(tabla["Estado"]).astype(object), "Estado", ctx)
        reg.rechazar(motivo.notna(), "Municipio", motivo)
        return cvegeo
    pais = entidades_por_municipio()
    unicos = pd.unique(valores.dropna())
    entidades = {v: pais.get(normalizar_nombre(v), frozenset()) for v in unicos}
    donde = valores.map(lambda v: entidades.get(v, frozenset()))
    if ctx.geo.nacional:  # todas las entidades son de alcance
        aqui = donde.map(lambda e: len(e) > 0).astype(bool)
        otras = pd.Series(False, index=valores.index)
    else:
        aqui = donde.map(lambda e: ctx.geo.estado in e).astype(bool)
        otras = donde.map(lambda e: len(e - {ctx.geo.estado}) > 0).astype(bool)
    reg.omitir(cvegeo.isna() & ~aqui & otras, MOTIVO_MUNICIPIO_OTRA_ENTIDAD)
    en_ninguna = motivo.notna() & ~aqui & ~otras & ~valores.fillna("0").str.isdigit()
    motivo = motivo.where(
        ~en_ninguna, "municipio '" + valores.fillna("") + "' no existe en ninguna entidad"
    )
    reg.rechazar(motivo.notna(), "Municipio", motivo)
    varias = cvegeo.notna() & aqui & otras
    texto_varias = (
        "municipio '"
        + valores.fillna("")
        + "' existe en varias entidades ("
        + donde.map(lambda e: ", ".join(sorted(e)))
        + ") y el archivo no dice la entidad: use la clave INEGI"
    )
    reg.rechazar(varias, "Municipio", texto_varias)
    return cvegeo.where(~varias)


def _cortes_ojos(anio: pd.Series, nombre: str) -> tuple[pd.Series, pd.Series]:
    """Fecha de corte de cada fila de Ojos al Gasto y si se recortó a hoy por falta de dato.

    31 de diciembre del año; el fin del trimestre para el año que el nombre del archivo
    marca con ``AAAA 2T`` o ``AAAA-3T``. Nunca posterior a hoy.
    """
    fin = pd.to_datetime(anio.astype("str") + "-12-31", errors="coerce")
    trimestre = re.search(r"(\d{4})[\s_-]*([1-4])\s*T(?![a-z])", nombre, flags=re.IGNORECASE)
    if trimestre:
        anio_t, t = int(trimestre.group(1)), int(trimestre.group(2))
        fin_t = pd.Timestamp(anio_t, 3 * t, 1) + pd.offsets.MonthEnd(0)
        fin = fin.where(anio.astype("float64").to_numpy() != anio_t, fin_t)
    hoy = pd.Timestamp(date.today())
    futura = (fin > hoy).fillna(False).astype(bool)
    return fin.where(~futura, hoy), futura


def _quitar_devengado_de_aprobado(datos: pd.DataFrame, ctx: Contexto) -> list[int]:
    """Vacía el devengado de un archivo de presupuesto aprobado; devuelve los años vaciados.

    Por año y municipio (vacío = estatal): todas las filas con ambos importes tienen
    devengado = aprobado (y alguno no es 0), y el año no ha cerrado o el nombre del archivo
    dice «aprobado». Modifica ``datos`` en su lugar.
    """
    ambos = (datos["aprobado"].notna() & datos["devengado"].notna()).to_numpy()
    if not ambos.any():
        return []
    aprobado = datos["aprobado"].to_numpy(dtype="float64")
    devengado = datos["devengado"].to_numpy(dtype="float64")
    marcas = pd.DataFrame(
        {
            "anio": datos["anio"].astype("float64").to_numpy(),
            "cvegeo": datos["cvegeo"].fillna("").astype(object).to_numpy(),
            "distinto": ambos & (aprobado != devengado),
            "con_monto": ambos & (aprobado > 0),
        }
    )
    grupos = marcas.groupby(["anio", "cvegeo"])[["distinto", "con_monto"]].any()
    anios = grupos.index.get_level_values("anio").to_numpy()
    dice_aprobado = "aprobado" in normalizar_nombre(ctx.archivo.nombre)
    abierto = anios >= date.today().year
    copia = ~grupos["distinto"].to_numpy() & grupos["con_monto"].to_numpy()
    elegidos = grupos.index[copia & (abierto | dice_aprobado)]
    if len(elegidos) == 0:
        return []
    filas = pd.MultiIndex.from_frame(marcas[["anio", "cvegeo"]]).isin(elegidos)
    datos.loc[filas, "devengado"] = np.nan
    return sorted({int(a) for a in elegidos.get_level_values("anio")})


def _aviso_aprobado(anios: list[int]) -> list[str]:
    return [f"{AVISO_APROBADO} ({_anios(anios)})"] if anios else []


def _anios(anios: list[int]) -> str:
    return ", ".join(str(a) for a in anios)


def _maxima(datos: pd.DataFrame) -> str | None:
    corte = datos["fecha_corte"].max()
    return None if pd.isna(corte) else corte.date().isoformat()


#: Ojos al Gasto (Política Colectiva) publica sus compilaciones con esta licencia.
LICENCIA_OJOS = "Open Data Commons Open Database License (ODbL) 1.0"

FUENTE = Fuente(
    tipo="presupuesto",
    descripcion="Presupuesto por programa (SHCP) o Cuenta Pública por objeto del gasto o "
    "dependencia, estatal o municipal (Ojos al Gasto)",
    formatos=[
        Formato(
            nombre="shcp",
            entidad=("ID_ENTIDAD_FEDERATIVA",),
            titulo="SHCP: presupuesto por programa",
            columnas=COLUMNAS_SHCP,
            procesar=procesar_shcp,
        ),
        Formato(
            nombre="ojos_cog_estatal",
            entidad=("Estado",),
            licencia=LICENCIA_OJOS,
            titulo="Ojos al Gasto: objeto del gasto estatal (COG Estatal)",
            columnas=COLUMNAS_OJOS_COG_ESTATAL,
            procesar=partial(procesar_ojos, concepto="Concepto"),
        ),
        Formato(
            nombre="ojos_ca_estatal",
            entidad=("Estado",),
            licencia=LICENCIA_OJOS,
            titulo="Ojos al Gasto: clasificación administrativa estatal (CA Estatal)",
            columnas=COLUMNAS_OJOS_CA_ESTATAL,
            procesar=partial(procesar_ojos, concepto="Dependencia"),
        ),
        Formato(
            nombre="ojos_municipal",
            entidad=("Estado",),
            licencia=LICENCIA_OJOS,
            titulo="Ojos al Gasto: municipal (COG o CA Municipal)",
            columnas=COLUMNAS_OJOS_MUNICIPAL,
            procesar=partial(procesar_ojos, concepto="Concepto", municipal=True),
        ),
    ],
)
