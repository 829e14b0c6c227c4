"""obras — Obra pública tal como se publica: SHCP SRFT «destino del gasto» (formato A), SHCP
«Obra Pública Abierta» en sus dos versiones (formato B), paquetes de proyectos OC4IDS
(formato C) y proyectos del Ramo 23 de la SHCP por municipio (formato D).

Cada formato publicado es configuración: un :class:`~ingesta.fuentes.base.Formato` con su
lista de :class:`~ingesta.lectura.Columna` (nombre canónico, alias y si es obligatoria) y un
título para personas. Las dos versiones de Obra Pública Abierta (``_opa.csv`` de 2016-2017 y
``proyectos_opa.csv``) usan los mismos nombres canónicos —los del archivo nuevo— y los del
viejo como alias, así que las procesa la misma función (:func:`procesar_opa`).

Una fila del almacén es una obra en un reporte: el mismo folio aparece una vez por reporte
(``anio`` + ``trimestre``) y el más reciente es el estado actual de la obra; los anteriores
son su historia. Por eso la capa se particiona por ``formato, anio, trimestre``: cargar el
reporte de 2025-T3 se suma a los anteriores y recargarlo lo reemplaza. Ramo 23 tiene su
propio formato (``D``) para que un año de Ramo 23 no reemplace el mismo año de Obra Pública
Abierta. La columna ``fuente`` (``srft``, ``opa``, ``oc4ids``, ``ramo23``) nombra la fuente
publicada (:data:`almacen.esquemas.FUENTE_DE_FORMATO_OBRAS`).

El SRFT publica, además de los trimestres 1 a 4, el **informe definitivo anual** como
``TRIMESTRE`` 5: se guarda como trimestre 5 (ordena después del 4, así que es el estado más
reciente de ese año y no reemplaza al reporte del cuarto trimestre) y su fecha de corte es el
31 de diciembre del año.

Los problemas de calidad de los datos se señalan, no se esconden: un avance físico fuera de
0–100 % se guarda tal cual (como fracción) con la advertencia ``avance_invalido`` y un folio
repetido en un mismo reporte conserva todas sus filas con la advertencia ``folio_duplicado``.
Las alertas de obra se calculan después, en ``capas``.

Los datos del servidor público responsable que trae Obra Pública Abierta (nombre, apellidos,
cargo, correo y teléfono) no están en ninguna lista de columnas: no se leen ni se publican.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from almacen.esquemas import ESQUEMAS, FUENTE_DE_FORMATO_OBRAS, columnas
from ingesta import normalizacion as norm
from ingesta.errores import ColumnaFaltante
from ingesta.fuentes.base import (
    Contexto,
    Formato,
    Fuente,
    Georreferencia,
    Salida,
    capa_de_puntos,
    exigir,
    fechas,
    fuera_de_la_entidad,
    georreferenciar,
    montos,
    opcional,
)
from ingesta.lectura import Archivo, Columna

#: Partición de la capa en el almacén: un reporte de un formato reemplaza solo a sí mismo.
PARTICION = ["formato", "anio", "trimestre"]

#: ``TRIMESTRE`` con que el SRFT publica el informe definitivo anual (posterior al 4).
TRIMESTRE_ANUAL = 5

#: Importes del formato A: columna publicada -> columna del almacén.
ETAPAS_A = {
    "MONTO_GLOBAL_APROBADO": "monto_aprobado",
    "MONTO_MODIFICADO": "monto_modificado",
    "MONTO_COMPROMETIDO": "monto_comprometido",
    "MONTO_DEVENGADO": "monto_devengado",
    "MONTO_EJERCIDO": "monto_ejercido",
    "MONTO_PAGADO": "monto_pagado",
}
#: Columnas de importe de la capa (pesos corrientes).
MONTOS = list(ETAPAS_A.values())
#: Importes del formato B (Obra Pública Abierta).
ETAPAS_B = {
    "APROBADO": "monto_aprobado",
    "MODIFICADO": "monto_modificado",
    "EJERCIDO": "monto_ejercido",
}
#: Importes del formato D (Ramo 23): ``monto`` es el aprobado y ``pagado`` el pagado.
ETAPAS_D = {"monto": "monto_aprobado", "pagado": "monto_pagado"}

NIVELES = {
    "FEDERAL": "FEDERAL",
    "ESTATAL": "ESTATAL",
    "ESTADO": "ESTATAL",
    "MUNICIPAL": "MUNICIPAL",
    "MUNICIPIO": "MUNICIPAL",
}
LICITACION = "LICITACION PUBLICA"
INVITACION = "INVITACION A TRES"
DIRECTA = "ADJUDICACION DIRECTA"

#: RFC de persona moral (12 caracteres) y de persona física (13, dato personal: no se guarda).
PATRON_RFC_MORAL = r"^[A-ZÑ&]{3}\d{6}[A-Z0-9]{3}$"
PATRON_RFC_FISICA = r"^[A-ZÑ&]{4}\d{6}[A-Z0-9]{3}$"

#: Claves de «entidad» de la SHCP que no son una entidad (Obra Pública Abierta): 34 = no
#: distribuible geográficamente, 35 = varias entidades. No se pueden atribuir a la entidad.
CLAVES_SIN_ENTIDAD = frozenset({"34", "35"})
MOTIVO_SIN_ENTIDAD = "proyecto de varias entidades o no distribuible geográficamente"
#: Municipio del Ramo 23 que significa «cobertura estatal».
MUNICIPIO_ESTATAL_RAMO23 = "9999"
AVISO_RAMO23 = (
    "El Ramo 23 no publica coordenadas: sus obras quedan sin punto en el mapa (sin_georreferencia)"
)
MOTIVO_SIN_CICLO = "sin ciclo (CICLO y ANIO vacíos): puede indicarse con --anio"

COLUMNAS_A = [
    Columna("FOLIO"),
    Columna("CICLO", ("EJERCICIO",)),
    Columna("TRIMESTRE"),
    Columna("ID_ENTIDAD_FEDERATIVA", ("ENTIDAD_FEDERATIVA",)),
    Columna("ID_MUNICIPIO_RESPONSABLE", ("ID_MUNICIPIO", "MUNICIPIO_RESPONSABLE", "MUNICIPIO")),
    Columna("NOMBRE_PROYECTO", ("NOMBRE",), requerida=False),
    Columna("CATEGORIA", requerida=False),
    Columna("TIPO_PROGRAMA_PROYECTO", ("TIPO_PROYECTO",), requerida=False),
    Columna("CLASIFICACION", requerida=False),
    Columna("MONTO_GLOBAL_APROBADO", ("MONTO_APROBADO",), requerida=False),
    *[Columna(c, requerida=False) for c in list(ETAPAS_A)[1:]],
    Columna("FECHA_INICIO", requerida=False),
    Columna("FECHA_ESTIMADA_TERMINO", ("FECHA_TERMINO",), requerida=False),
    Columna("ESTATUS", requerida=False),
    Columna("NIVEL_GOBIERNO", requerida=False),
    Columna("AVANCE_FISICO", requerida=False),
    Columna("LATITUD", requerida=False),
    Columna("LONGITUD", requerida=False),
    Columna("CONTRATISTA", requerida=False),
    Columna("RFC_CONTRATISTA", requerida=False),
    Columna("TIPO_ADJUDICACION", requerida=False),
]

#: Obra Pública Abierta, archivo nuevo (``proyectos_opa.csv``). Sus nombres son los canónicos
#: del formato B.
COLUMNAS_B = [
    Columna("CVE_CARTERA", ("CLAVE_CARTERA", "ID_PPI"), requerida=False),
    Columna("CICLO", ("ANIO",)),
    Columna("ID_ENTIDAD_FEDERATIVA", ("ENTIDAD_FEDERATIVA",)),
    Columna("ID_RAMO"),
    Columna("DESCRIPCION_RAMO", requerida=False),
    Columna("ID_UR", requerida=False),
    Columna("DESCRIPCION_UR", requerida=False),
    Columna("NOMBRE_PPI", ("NOMBRE_PROYECTO",), requerida=False),
    Columna("DESCRIPCION_TIPO_PPI", requerida=False),
    Columna("LOCALIZACION", requerida=False),
    Columna("BENEFICIOS_ESPERADOS", requerida=False),
    Columna("LATITUD", requerida=False),
    Columna("LONGITUD", requerida=False),
    Columna("FECHA_INICIO_CAL_FF", requerida=False),
    Columna("FECHA_FIN_CAL_FF", requerida=False),
    *[Columna(c, requerida=False) for c in ETAPAS_B],
    Columna("AVANCE_FISICO", requerida=False),
    Columna("ESTATUS_OPERACION", requerida=False),
]

#: Obra Pública Abierta, archivo viejo (2016-2017, ``_opa.csv``): los mismos campos con otros
#: nombres (alias). ``CVE_PPI`` es el folio (texto: conserva los ceros a la izquierda);
#: ``CICLO`` a veces viene vacío y entonces vale ``ANIO``. ``ID_PPI`` es un número interno,
#: no el folio, y no se lee.
COLUMNAS_B_2016 = [
    Columna("CVE_CARTERA", ("CVE_PPI",)),
    Columna("NOMBRE_PPI", ("NOMBRE",), requerida=False),
    Columna("ID_RAMO", ("RAMO",)),
    Columna("DESCRIPCION_RAMO", ("DESC_RAMO",), requerida=False),
    Columna("ID_UR", ("UNIDAD",), requerida=False),
    Columna("DESCRIPCION_UR", ("DESC_UNIDAD",), requerida=False),
    Columna("DESCRIPCION_TIPO_PPI", ("TIPO_PPI",), requerida=False),
    Columna("LOCALIZACION", requerida=False),
    Columna("ID_ENTIDAD_FEDERATIVA", ("CVE_ENTFED",)),
    Columna("LATITUD", ("LATITUD_INICIAL",), requerida=False),
    Columna("LONGITUD", ("LONGITUD_INICIAL",), requerida=False),
    Columna("FECHA_INICIO_CAL_FF", ("FECHA_INI_CAL_FISCAL",), requerida=False),
    Columna("FECHA_FIN_CAL_FF", ("FECHA_FIN_CAL_FISCAL",), requerida=False),
    *[Columna(c, requerida=False) for c in ETAPAS_B],
    Columna("AVANCE_FISICO", requerida=False),
    Columna("CICLO", requerida=False),
    Columna("ANIO"),
]

#: SHCP Ramo 23, proyectos por municipio (``_ramo23_2016.csv``): sin columna de año
#: (``--anio``); ``id_municipio`` 9999 = cobertura estatal.
COLUMNAS_D = [
    Columna("numero_de_proyecto"),
    Columna("clave_del_proyecto"),
    Columna("fondo", requerida=False),
    Columna("id_entidad"),
    Columna("entidad", requerida=False),
    Columna("id_municipio"),
    Columna("municipio", requerida=False),
    Columna("proyecto", requerida=False),
    Columna("monto"),
    Columna("pagado", requerida=False),
]


def procesar_srft(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """Formato A (SRFT): una fila por folio y reporte trimestral (``CICLO`` + ``TRIMESTRE``).

    ``TRIMESTRE`` 5 es el informe definitivo anual (ver el docstring del módulo).
    ``ID_MUNICIPIO_RESPONSABLE`` 0 o una clave terminada en ``000`` es una obra estatal: se
    acepta sin municipio declarado.
    """
    reg = ctx.registro
    presentes = [c for c in ETAPAS_A if c in tabla.columns]
    if not presentes:
        raise ColumnaFaltante(
            f"El archivo {ctx.archivo.nombre} no tiene ninguna columna de importe "
            f"({', '.join(ETAPAS_A)})"
        )
    # Cada columna leída se suelta en cuanto se usó (memoria pico de un archivo grande); la
    # copia superficial deja intacta la tabla de quien llama.
    tabla = tabla.copy(deep=False)
    otra = _otra_entidad(tabla["ID_ENTIDAD_FEDERATIVA"], ctx)
    exigir(tabla, ["FOLIO", "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA"], ctx)
    anio = _anio(tabla["CICLO"], "CICLO", ctx)
    trimestre = _trimestre(tabla["TRIMESTRE"], ctx)
    # Las filas de otra entidad no se buscan en esta; las estatales no tienen municipio.
    municipio = norm.texto(tabla["ID_MUNICIPIO_RESPONSABLE"]).where(~otra)
    estatal = _municipio_estatal(municipio)
    municipio = municipio.where(~estatal)
    cvegeo, motivo = ctx.geo.resolver(municipio, tabla["ID_ENTIDAD_FEDERATIVA"])
    reg.rechazar(motivo.notna(), "ID_MUNICIPIO_RESPONSABLE", motivo)
    reg.rechazar(
        municipio.isna() & ~otra & ~estatal, "ID_MUNICIPIO_RESPONSABLE", "falta el municipio"
    )
    del municipio, motivo
    _soltar(tabla, "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO_RESPONSABLE")
    importes = montos(tabla, {c: ETAPAS_A[c] for c in presentes}, ctx)
    _soltar(tabla, *presentes)
    periodo = fechas(
        tabla, {"FECHA_INICIO": "fecha_inicio", "FECHA_ESTIMADA_TERMINO": "fecha_termino"}, ctx
    )
    _soltar(tabla, "FECHA_INICIO", "FECHA_ESTIMADA_TERMINO")
    # Las filas de otra entidad se omiten: no se ubican (en un archivo nacional son la mayoría).
    lat, lon = (_tomar(tabla, c).where(~otra) for c in ("LATITUD", "LONGITUD"))
    geo = georreferenciar(lat, lon, cvegeo, ctx)
    del lat, lon
    avance, cod_avance = _avance(_tomar(tabla, "AVANCE_FISICO"), "AVANCE_FISICO", ctx)
    folio = _folio(tabla["FOLIO"])
    _soltar(tabla, "FOLIO")
    cod_folio = _folios_duplicados(folio, anio, trimestre, ~otra, "FOLIO", ctx)
    categoria = _tomar(tabla, "CATEGORIA").fillna(_tomar(tabla, "TIPO_PROGRAMA_PROYECTO"))
    datos = {
        "folio": folio,
        "anio": anio,
        "trimestre": trimestre,
        "nombre": _tomar(tabla, "NOMBRE_PROYECTO"),
        "nivel_gobierno": _nivel(_tomar(tabla, "NIVEL_GOBIERNO"), ctx),
        "cvegeo_declarado": cvegeo,
        "categoria": categoria,
        "clasificacion": _tomar(tabla, "CLASIFICACION"),
        **importes,
        **periodo,
        "estatus": _tomar(tabla, "ESTATUS"),
        "avance_fisico": avance,
        "contratista": _tomar(tabla, "CONTRATISTA"),
        "rfc_contratista": _rfc(_tomar(tabla, "RFC_CONTRATISTA"), "RFC_CONTRATISTA", ctx),
        "tipo_adjudicacion": _adjudicacion(_tomar(tabla, "TIPO_ADJUDICACION"), ctx),
    }
    del tabla, folio, anio, trimestre, cvegeo, categoria, importes, periodo, avance
    capa = _capa(datos, geo, [cod_avance, cod_folio], "A", ctx)
    return Salida(capas={"obras": (capa, PARTICION)}, fecha_corte=_fin_de_trimestre(capa))


def procesar_opa(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """Formato B (Obra Pública Abierta, archivo viejo o nuevo): proyectos federales por ciclo,
    sin municipio declarado.

    - Folio: la clave de cartera (``CVE_PPI`` o ``CVE_CARTERA``), como texto; si no viene se
      arma uno estable (``OPA-`` + huella de ramo, unidad, tipo, localización, inicio y
      coordenadas).
    - Ciclo: ``CICLO``; si está vacío, ``ANIO``; si también, la opción ``--anio`` de la carga
      (sin ella la fila se rechaza).
    - Fechas del calendario como mes y año: el inicio ``jun-05`` es el 1 de junio de 2005 y
      el término ``dic-16`` el 31 de diciembre de 2016 (la obra no está vencida durante ese
      mes). Coordenadas 0,0 = sin ubicación.
    """
    reg = ctx.registro
    otra = _otra_entidad(tabla["ID_ENTIDAD_FEDERATIVA"], ctx)
    exigir(tabla, ["ID_ENTIDAD_FEDERATIVA"], ctx)
    ciclo = opcional(tabla, "CICLO").fillna(opcional(tabla, "ANIO"))
    if ctx.opciones.get("anio") is not None:
        ciclo = ciclo.fillna(str(ctx.opciones["anio"]))
    reg.rechazar(ciclo.isna(), "CICLO", MOTIVO_SIN_CICLO)
    anio = _anio(ciclo, "CICLO", ctx)
    sin_municipio = pd.Series(None, index=tabla.index, dtype=object)
    importes = montos(tabla, ETAPAS_B, ctx)
    periodo = fechas(
        tabla, {"FECHA_INICIO_CAL_FF": "fecha_inicio", "FECHA_FIN_CAL_FF": "fecha_termino"}, ctx
    )
    periodo["fecha_termino"] = _fin_de_mes(periodo["fecha_termino"], tabla, "FECHA_FIN_CAL_FF")
    lat, lon = (opcional(tabla, c).where(~otra) for c in ("LATITUD", "LONGITUD"))
    geo = georreferenciar(lat, lon, sin_municipio, ctx)
    avance, cod_avance = _avance(opcional(tabla, "AVANCE_FISICO"), "AVANCE_FISICO", ctx)
    folio = _folio(opcional(tabla, "CVE_CARTERA")).fillna(_folio_estable(tabla))
    trimestre = pd.Series(pd.NA, index=tabla.index, dtype="Int64")
    cod_folio = _folios_duplicados(folio, anio, trimestre, ~otra, "CVE_CARTERA", ctx)
    tipo = opcional(tabla, "DESCRIPCION_TIPO_PPI")
    lugar = opcional(tabla, "LOCALIZACION")
    descrito = tipo.str.cat(lugar, sep=" — ").fillna(tipo).fillna(lugar)
    nombre = opcional(tabla, "NOMBRE_PPI").fillna(descrito)
    nombre = nombre.fillna(opcional(tabla, "BENEFICIOS_ESPERADOS"))
    datos = {
        "folio": folio,
        "anio": anio,
        "trimestre": trimestre,
        "nombre": nombre,
        "nivel_gobierno": "FEDERAL",
        "cvegeo_declarado": sin_municipio,
        "categoria": tipo,
        "clasificacion": opcional(tabla, "DESCRIPCION_RAMO"),
        **importes,
        **periodo,
        "estatus": opcional(tabla, "ESTATUS_OPERACION"),
        "avance_fisico": avance,
    }
    capa = _capa(datos, geo, [cod_avance, cod_folio], "B", ctx)
    # Obra Pública Abierta no publica fecha de corte: la cartera es anual, así que se usa el
    # cierre del ciclo más reciente (nunca después de hoy; ``--fecha-corte`` manda).
    return Salida(capas={"obras": (capa, PARTICION)}, fecha_corte=_fin_de_anio(capa))


def procesar_ramo23(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """Formato D (SHCP Ramo 23): un proyecto federal por fila, del año dado con ``--anio``.

    - Folio ``<clave_del_proyecto>-<anio>-<numero_de_proyecto>`` (p. ej. ``U128-2016-777``).
    - ``monto`` es el aprobado y ``pagado`` el pagado; nivel de gobierno federal.
    - ``id_municipio`` 9999 = cobertura estatal: sin municipio declarado, sin rechazo.
    - El archivo no publica coordenadas (todas las obras llevan ``sin_georreferencia`` y la
      carga un aviso) ni fecha de corte (se usa la de la carga).
    """
    anio_carga = int(ctx.opcion("anio", "no trae el año (Ramo 23)"))
    reg = ctx.registro
    entidad = opcional(tabla, "id_entidad").fillna(opcional(tabla, "entidad"))
    otra = _otra_entidad(entidad, ctx, "id_entidad")
    exigir(tabla, ["numero_de_proyecto", "clave_del_proyecto"], ctx)
    reg.rechazar(entidad.isna(), "id_entidad", "valor obligatorio vacío")
    clave_municipio = norm.texto(tabla["id_municipio"])
    estatal = (
        clave_municipio.str.replace(r"\.0+$", "", regex=True) == MUNICIPIO_ESTATAL_RAMO23
    ).fillna(False)
    municipio = clave_municipio.fillna(opcional(tabla, "municipio")).where(~otra & ~estatal)
    cvegeo, motivo = ctx.geo.resolver(municipio, entidad)
    reg.rechazar(motivo.notna(), "id_municipio", motivo)
    reg.rechazar(municipio.isna() & ~otra & ~estatal, "id_municipio", "falta el municipio")
    importes = montos(tabla, ETAPAS_D, ctx)
    anio = pd.Series(anio_carga, index=tabla.index, dtype="Int64")
    trimestre = pd.Series(pd.NA, index=tabla.index, dtype="Int64")
    folio = (
        _folio(tabla["clave_del_proyecto"])
        + f"-{anio_carga}-"
        + _folio(tabla["numero_de_proyecto"])
    )
    cod_folio = _folios_duplicados(folio, anio, trimestre, ~otra, "numero_de_proyecto", ctx)
    vacia = pd.Series(None, index=tabla.index, dtype=object)
    # El formato no tiene coordenadas: un aviso para el archivo, no una advertencia por fila.
    geo = Georreferencia(
        latitud=pd.Series(np.nan, index=tabla.index),
        longitud=pd.Series(np.nan, index=tabla.index),
        cvegeo_coordenadas=vacia,
        codigos=pd.Series("sin_georreferencia", index=tabla.index, dtype=object),
    )
    datos = {
        "folio": folio,
        "anio": anio,
        "trimestre": trimestre,
        "nombre": opcional(tabla, "proyecto"),
        "nivel_gobierno": "FEDERAL",
        "cvegeo_declarado": cvegeo,
        "categoria": opcional(tabla, "fondo"),
        "clasificacion": "Ramo 23",
        **importes,
        "fecha_inicio": pd.Series(pd.NaT, index=tabla.index, dtype="datetime64[ns]"),
        "fecha_termino": pd.Series(pd.NaT, index=tabla.index, dtype="datetime64[ns]"),
        "estatus": vacia,
        "avance_fisico": pd.Series(np.nan, index=tabla.index),
    }
    capa = _capa(datos, geo, [cod_folio], "D", ctx)
    return Salida(
        capas={"obras": (capa, PARTICION)}, fecha_corte=_fin_de_anio(capa), avisos=[AVISO_RAMO23]
    )


# --- Formato C: OC4IDS ---------------------------------------------------------------------

#: Columnas (texto) que ``leer_oc4ids`` arma por proyecto; el nombre es la ruta JSON de origen.
COLUMNAS_C = [
    "id",
    "title",
    "description",
    "status",
    "sector",
    "type",
    "latitud",
    "longitud",
    "locations",
    "budget.amount",
    "contractValue",
    "completion.finalValue",
    "financialProgress.value",
    "financialProgress",
    "transactions",
    "currency",
    "period.startDate",
    "period.endDate",
    "completion.endDate",
    "physicalProgress",
    "supplier",
    "supplier.rfc",
    "procurementMethodDetails",
    "procurementMethod",
    "publishedDate",
    "proyecto",
]


def reconoce_oc4ids(datos: object) -> bool:
    """Un paquete de proyectos OC4IDS: objeto JSON con la lista ``projects``."""
    return isinstance(datos, dict) and isinstance(datos.get("projects"), list)


def leer_oc4ids(datos: object, archivo: Archivo) -> pd.DataFrame:
    """Aplana el paquete OC4IDS a una tabla de texto: una fila por proyecto.

    - Ubicación: la primera ``locations[].geometry``; un punto tal cual y cualquier otra
      geometría, su punto representativo (dentro de la figura).
    - Importes: ``budget.amount`` (objeto ``{amount, currency}`` o número); de los procesos de
      contratación se suman ``summary.contractValue`` y ``summary.transactions[].value``.
    - Avances: ``physicalProgress`` / ``financialProgress`` directos o como métricas OC4IDS
      (``metrics[id=physicalProgress].observations[]``, la observación más reciente).
    """
    publicado = _texto(datos.get("publishedDate"))
    filas = [_proyecto(p) for p in datos["projects"]]
    tabla = pd.DataFrame(filas, columns=COLUMNAS_C, dtype=object)
    tabla["publishedDate"] = publicado
    return tabla.where(tabla.notna(), None)


def procesar_oc4ids(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """Formato C (OC4IDS): una fila por proyecto del paquete.

    ``anio`` y ``trimestre`` son los de ``publishedDate`` del paquete (el «reporte»), que es
    también la fecha de corte.
    """
    reg = ctx.registro
    reg.rechazar(tabla["proyecto"].notna(), "projects", tabla["proyecto"])
    reg.rechazar(tabla["id"].isna() & tabla["proyecto"].isna(), "id", "valor obligatorio vacío")
    reg.rechazar(
        tabla["currency"].notna(),
        "currency",
        "importes en una moneda que no es MXN (no se comparan con pesos)",
        valores=tabla["currency"],
    )
    importes = montos(
        tabla,
        {
            "budget.amount": "monto_aprobado",
            "contractValue": "monto_comprometido",
            "completion.finalValue": "final",
            "financialProgress.value": "financiero",
            "transactions": "monto_pagado",
        },
        ctx,
    )
    # Avance financiero publicado como porcentaje: ejercido = porcentaje × presupuesto.
    porcentaje, porcentaje_mal = norm.numero(tabla["financialProgress"])
    reg.advertir(
        porcentaje_mal,
        "financialProgress",
        "avance financiero no numérico: se ignora",
        valores=tabla["financialProgress"],
    )
    ejercido = (
        importes.pop("final")
        .fillna(importes.pop("financiero"))
        .fillna(porcentaje / 100 * importes["monto_aprobado"])
        .fillna(importes["monto_pagado"])
    )
    periodo = fechas(
        tabla,
        {
            "period.startDate": "fecha_inicio",
            "period.endDate": "fecha_termino",
            "completion.endDate": "fin_real",
        },
        ctx,
    )
    fecha_termino = periodo["fecha_termino"].fillna(periodo.pop("fin_real"))
    publicado, _ = norm.fecha(tabla["publishedDate"])
    sin_municipio = pd.Series(None, index=tabla.index, dtype=object)
    reg.advertir(
        tabla["locations"].notna(),
        "locations",
        "geometría no reconocida (se ignora)",
        valores=tabla["locations"],
    )
    geo = georreferenciar(
        tabla["latitud"], tabla["longitud"], sin_municipio, ctx, columna="locations"
    )
    avance, cod_avance = _avance(tabla["physicalProgress"], "physicalProgress", ctx)
    folio = _folio(tabla["id"])
    anio = publicado.dt.year.astype("Int64")
    trimestre = publicado.dt.quarter.astype("Int64")
    todas = pd.Series(True, index=tabla.index)
    cod_folio = _folios_duplicados(folio, anio, trimestre, todas, "id", ctx)
    # El detalle en español («Invitación a cuando menos tres personas») manda sobre el código.
    metodo = norm.texto(tabla["procurementMethodDetails"]).fillna(
        norm.texto(tabla["procurementMethod"])
    )
    adjudicacion = _canonica(norm.texto(tabla["procurementMethodDetails"])).fillna(
        _canonica(norm.texto(tabla["procurementMethod"]))
    )
    desconocido = metodo.notna() & adjudicacion.isna()
    reg.advertir(
        desconocido,
        "procurementMethod",
        "tipo de adjudicación no reconocido: se conserva como se publicó",
        valores=metodo,
    )
    datos = {
        "folio": folio,
        "anio": anio,
        "trimestre": trimestre,
        "nombre": norm.texto(tabla["title"]).fillna(norm.texto(tabla["description"])),
        "nivel_gobierno": sin_municipio,
        "cvegeo_declarado": sin_municipio,
        "categoria": norm.texto(tabla["sector"]),
        "clasificacion": norm.texto(tabla["type"]),
        **importes,
        "monto_ejercido": ejercido,
        "fecha_inicio": periodo["fecha_inicio"],
        "fecha_termino": fecha_termino,
        "estatus": norm.texto(tabla["status"]),
        "avance_fisico": avance,
        "contratista": norm.texto(tabla["supplier"]),
        "rfc_contratista": _rfc(norm.texto(tabla["supplier.rfc"]), "supplier.rfc", ctx),
        "tipo_adjudicacion": adjudicacion.fillna(_mayusculas(metodo)),
    }
    capa = _capa(datos, geo, [cod_avance, cod_folio], "C", ctx)
    corte = publicado.dropna().max()
    return Salida(
        capas={"obras": (capa, PARTICION)},
        fecha_corte=None if pd.isna(corte) else corte.date().isoformat(),
    )


FUENTE = Fuente(
    tipo="obras",
    descripcion="Obra pública: SRFT, Obra Pública Abierta y Ramo 23 (SHCP) y proyectos OC4IDS",
    formatos=[
        Formato(
            nombre="A",
            entidad=("ID_ENTIDAD_FEDERATIVA",),
            columnas=COLUMNAS_A,
            procesar=procesar_srft,
            distintivas=("FOLIO", "TRIMESTRE"),
            titulo="SHCP SRFT (destino del gasto)",
        ),
        Formato(
            nombre="B",
            entidad=("ID_ENTIDAD_FEDERATIVA",),
            columnas=COLUMNAS_B,
            procesar=procesar_opa,
            distintivas=("ID_RAMO", "DESCRIPCION_TIPO_PPI"),
            titulo="SHCP Obra Pública Abierta (proyectos_opa.csv)",
        ),
        Formato(
            nombre="B",
            entidad=("ID_ENTIDAD_FEDERATIVA",),
            columnas=COLUMNAS_B_2016,
            procesar=procesar_opa,
            distintivas=("CVE_PPI", "TIPO_PPI", "CVE_ENTFED"),
            titulo="SHCP Obra Pública Abierta 2016-2017 (_opa.csv)",
        ),
        Formato(
            nombre="D",
            entidad=("id_entidad", "entidad"),
            columnas=COLUMNAS_D,
            procesar=procesar_ramo23,
            distintivas=("numero_de_proyecto", "clave_del_proyecto"),
            titulo="SHCP Ramo 23, proyectos por municipio (_ramo23_AAAA.csv)",
        ),
        Formato(
            nombre="C",
            columnas=[],
            procesar=procesar_oc4ids,
            json=True,
            leer_json=leer_oc4ids,
            reconoce_json=reconoce_oc4ids,
            titulo="Paquete de proyectos OC4IDS (JSON)",
        ),
    ],
    personales=frozenset({"RFC_CONTRATISTA"}),
)


# --- Piezas comunes ------------------------------------------------------------------------


def _capa(
    datos: dict, geo: Georreferencia, codigos: list[pd.Series], formato: str, ctx: Contexto
) -> gpd.GeoDataFrame:
    """Tabla final con las columnas del esquema, solo filas aceptadas, con geometría de punto."""
    indice = geo.latitud.index
    # Sin copiar las columnas ya armadas (memoria pico de un archivo grande).
    tabla = pd.DataFrame(datos, index=indice, copy=False).assign(
        cvegeo_coordenadas=geo.cvegeo_coordenadas,
        latitud=geo.latitud,
        longitud=geo.longitud,
        fuente=FUENTE_DE_FORMATO_OBRAS[formato],
        formato=formato,
        advertencias=norm.unir_codigos(geo.codigos, *codigos),
    )
    for columna in MONTOS:
        tabla[columna] = tabla.get(columna, pd.Series(np.nan, index=indice)).astype("float64")
    for columna in ("contratista", "rfc_contratista", "tipo_adjudicacion"):
        if columna not in tabla:
            tabla[columna] = pd.Series(None, index=indice, dtype=object)
    aceptada = ctx.registro.aceptada
    tabla = tabla[columnas("obras")]
    tabla = _tipos(tabla if aceptada.all() else tabla[aceptada], "obras")
    return capa_de_puntos(tabla, "obras")


def _soltar(tabla: pd.DataFrame, *columnas: str) -> None:
    """Quita de ``tabla`` las columnas ya usadas (las que estén): su memoria se libera si
    nada más las usa."""
    for columna in columnas:
        if columna in tabla.columns:
            del tabla[columna]


def _tomar(tabla: pd.DataFrame, columna: str) -> pd.Series:
    """:func:`~ingesta.fuentes.base.opcional` y la columna fuera de ``tabla`` (:func:`_soltar`)."""
    serie = opcional(tabla, columna)
    _soltar(tabla, columna)
    return serie


def _mayusculas(serie: pd.Series) -> pd.Series:
    """``norm.sin_acentos_mayusculas`` a prueba de columnas de texto completamente vacías.

    Con ``dtype`` ``str`` y solo nulos, ``.str.encode`` devuelve flotantes y ``.str.decode``
    falla; como ``object`` funciona igual con o sin valores.
    """
    return norm.sin_acentos_mayusculas(serie.astype(object))


def _tipos(tabla: pd.DataFrame, capa: str) -> pd.DataFrame:
    """Columnas de texto del esquema como ``str`` (aunque vengan todas vacías)."""
    texto = [c.nombre for c in ESQUEMAS[capa] if c.tipo == "string"]
    return tabla.astype({c: "str" for c in texto})


def _otra_entidad(
    entidad: pd.Series, ctx: Contexto, columna: str = "ID_ENTIDAD_FEDERATIVA"
) -> pd.Series:
    """Filas fuera de la entidad (archivos nacionales): se omiten, no son errores.

    Las claves 34 y 35 de la SHCP (no distribuible geográficamente, varias entidades) se
    omiten con su propio motivo; las demás de otra entidad, con el motivo común.
    """
    clave = norm.texto(entidad).str.replace(r"\.0+$", "", regex=True).str.lstrip("0")
    sin_entidad = clave.isin(CLAVES_SIN_ENTIDAD).fillna(False).astype(bool)
    ctx.registro.omitir(sin_entidad, MOTIVO_SIN_ENTIDAD)
    return fuera_de_la_entidad(entidad, columna, ctx, omitir=sin_entidad)


def _fin_de_mes(valores: pd.Series, tabla: pd.DataFrame, columna: str) -> pd.Series:
    """Una fecha de término publicada solo como mes y año (``dic-16``) es el último día de
    ese mes; las que traen día quedan igual."""
    if columna not in tabla.columns:
        return valores
    solo_mes = norm.texto(tabla[columna]).str.match(r"\s*[^\W\d_]{3}", na=False)
    return valores.where(~solo_mes.to_numpy(), valores + pd.offsets.MonthEnd(0))


@norm.por_valores_unicos
def _municipio_estatal(municipio: pd.Series) -> pd.Series:
    """Clave de municipio 0 o CVEGEO terminada en ``000`` (``20000``): obra estatal."""
    clave = municipio.astype(object).str.replace(r"\.0+$", "", regex=True)
    return clave.str.fullmatch(r"0+|\d{1,2}000").fillna(False).astype(bool)


def _anio(serie: pd.Series, columna: str, ctx: Contexto) -> pd.Series:
    anio, invalido = norm.entero_no_negativo(serie)
    ctx.registro.rechazar(invalido, columna, "ejercicio no reconocido", valores=serie)
    return anio


def _trimestre(serie: pd.Series, ctx: Contexto) -> pd.Series:
    """``3``, ``3.0``, ``T3`` o ``3T`` -> 3; ``5`` es el informe definitivo anual; otro valor
    se rechaza."""
    numero, invalido = _numero_trimestre(serie)
    ctx.registro.rechazar(
        invalido,
        "TRIMESTRE",
        "trimestre no reconocido (se espera 1 a 4, o 5 = informe definitivo anual)",
        valores=serie,
    )
    return numero


@norm.por_valores_unicos
def _numero_trimestre(serie: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Número de trimestre (``Int64``) y si el valor no se reconoce, una vez por valor distinto."""
    texto = _mayusculas(serie)
    numero = texto.str.extract(r"^T?\s*([1-5])(?:\.0+)?\s*T?$")[0]
    invalido = (texto.notna() & numero.isna()).astype(bool)
    return pd.to_numeric(numero).astype("Int64"), invalido


@norm.por_valores_unicos
def _folio(serie: pd.Series) -> pd.Series:
    """Folio como texto, sin el apóstrofo inicial con que Excel marca texto (una vez por
    valor distinto: cada folio se repite en los reportes trimestrales)."""
    return norm.texto(serie).str.lstrip("'").replace("", None)


def _folio_estable(tabla: pd.DataFrame) -> pd.Series:
    """Folio ``OPA-<huella>`` para proyectos sin clave: igual en cada ciclo del mismo proyecto."""
    partes = ["ID_RAMO", "ID_UR", "DESCRIPCION_TIPO_PPI", "LOCALIZACION", "FECHA_INICIO_CAL_FF"]
    partes += ["LATITUD", "LONGITUD"]
    texto = pd.Series("", index=tabla.index, dtype=object)
    for parte in partes:
        valor = _mayusculas(opcional(tabla, parte)).fillna("")
        texto = texto.str.cat(valor, sep="|")
    return texto.map(lambda t: "OPA-" + hashlib.sha1(t.encode("utf-8")).hexdigest()[:12])


def _folios_duplicados(
    folio: pd.Series,
    anio: pd.Series,
    trimestre: pd.Series,
    considerar: pd.Series,
    columna: str,
    ctx: Contexto,
) -> pd.Series:
    """Código ``folio_duplicado`` para el mismo folio más de una vez en un mismo reporte.

    Se conservan todas las filas (el duplicado es un hallazgo de calidad, no un error).
    """
    claves = pd.DataFrame({"folio": folio, "anio": anio, "trimestre": trimestre})
    parte = claves[considerar.to_numpy() & folio.notna().to_numpy()]
    veces = parte.groupby(["folio", "anio", "trimestre"], dropna=False)["folio"].transform("size")
    veces = veces.reindex(claves.index)
    repetido = (veces > 1).fillna(False).to_numpy()
    if repetido.any():  # el motivo se arma solo para las filas repetidas
        motivo = pd.Series(None, index=folio.index, dtype=object)
        motivo[repetido] = (
            "folio_duplicado: el folio "
            + folio[repetido].fillna("")
            + " aparece "
            + veces[repetido].astype("Int64").astype("str").fillna("")
            + " veces en el mismo reporte"
        ).to_numpy(dtype=object)
        ctx.registro.advertir(repetido, columna, motivo)
    return pd.Series(np.where(repetido, "folio_duplicado", None), index=folio.index, dtype=object)


def _avance(serie: pd.Series, columna: str, ctx: Contexto) -> tuple[pd.Series, pd.Series]:
    """Avance publicado en porcentaje (0–100) -> fracción, sin recortar ni rechazar.

    Un valor fuera de 0–100 (se han publicado 3,600,000 %) se guarda igual, dividido entre
    100, con la advertencia ``avance_invalido``; la alerta se calcula en ``capas``.
    """
    valores, invalido = norm.numero(serie)
    ctx.registro.advertir(
        invalido, columna, "avance físico no numérico: se deja vacío", valores=serie
    )
    fuera = ((valores < 0) | (valores > 100)).to_numpy()
    ctx.registro.advertir(
        fuera,
        columna,
        "avance_invalido: el avance físico publicado está fuera de 0 a 100 %",
        valores=serie,
    )
    codigos = pd.Series(np.where(fuera, "avance_invalido", None), index=serie.index, dtype=object)
    return valores / 100, codigos


def _nivel(serie: pd.Series, ctx: Contexto) -> pd.Series:
    """FEDERAL, ESTATAL o MUNICIPAL; otro valor se conserva en mayúsculas con advertencia."""
    clave = _mayusculas(serie)
    nivel = clave.map(NIVELES)
    desconocido = clave.notna() & nivel.isna()
    ctx.registro.advertir(
        desconocido,
        "NIVEL_GOBIERNO",
        "nivel de gobierno no reconocido: se conserva como se publicó",
        valores=serie,
    )
    return nivel.fillna(clave).astype(object)


@norm.por_valores_unicos
def _canonica(serie: pd.Series) -> pd.Series:
    """Tipo de adjudicación canónico o nulo si no se reconoce (una vez por valor distinto).

    Se revisa primero «directa» (``ADJUDICACION DIRECTA POR EXCEPCION A LA LICITACION`` es
    directa), luego invitación y al final licitación; acepta los códigos de OCDS.
    """
    clave = _mayusculas(serie)
    condiciones = [
        clave.str.contains("DIRECTA", na=False) | (clave == "DIRECT"),
        clave.str.contains("INVITACION", na=False) | clave.isin(["SELECTIVE", "LIMITED"]),
        clave.str.contains("LICITACION", na=False) | (clave == "OPEN"),
    ]
    canonica = np.select(condiciones, [DIRECTA, INVITACION, LICITACION], default="")
    return pd.Series(canonica, index=serie.index, dtype=object).replace("", None)


def _adjudicacion(serie: pd.Series, ctx: Contexto) -> pd.Series:
    """Tipo de adjudicación canónico; uno desconocido se conserva en mayúsculas (advertencia)."""
    canonica = _canonica(serie)
    desconocido = serie.notna() & canonica.isna()
    ctx.registro.advertir(
        desconocido,
        "TIPO_ADJUDICACION",
        "tipo de adjudicación no reconocido: se conserva como se publicó",
        valores=serie,
    )
    return canonica.fillna(_mayusculas(serie)).astype(object)


def _rfc(serie: pd.Series, columna: str, ctx: Contexto) -> pd.Series:
    """RFC de persona moral; el de persona física es dato personal y no se guarda.

    Los mensajes nunca muestran el RFC.
    """
    rfc, moral, fisica = _formas_rfc(serie)
    ctx.registro.advertir(
        fisica, columna, "RFC de persona física: no se guarda por ser dato personal"
    )
    ctx.registro.advertir(
        rfc.notna() & ~moral & ~fisica, columna, "RFC con estructura no válida: se deja vacío"
    )
    return rfc.where(moral).astype(object)


@norm.por_valores_unicos
def _formas_rfc(serie: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """RFC sin espacios ni guiones, en mayúsculas, y si tiene la forma de persona moral o
    física (una vez por valor distinto: hay pocos contratistas)."""
    rfc = serie.str.upper().str.replace(r"[\s-]", "", regex=True).replace("", None)
    moral = rfc.str.fullmatch(PATRON_RFC_MORAL).fillna(False).astype(bool)
    fisica = rfc.str.fullmatch(PATRON_RFC_FISICA).fillna(False).astype(bool)
    return rfc, moral, fisica


def _fin_de_anio(capa: pd.DataFrame) -> str | None:
    """31 de diciembre del ciclo más reciente, sin pasar de hoy (la carga recorta con aviso
    una fecha futura; aquí basta con no inventarla)."""
    anios = capa["anio"].dropna()
    if anios.empty:
        return None
    return min(f"{int(anios.max())}-12-31", date.today().isoformat())


def _fin_de_trimestre(capa: pd.DataFrame) -> str | None:
    """Último día del reporte más reciente (p. ej. 2025-T3 -> ``2025-09-30``; el informe
    definitivo anual, trimestre 5, -> 31 de diciembre)."""
    reportes = capa[["anio", "trimestre"]].dropna()
    if reportes.empty:
        return None
    anio = reportes["anio"].max()
    trimestre = reportes.loc[reportes["anio"] == anio, "trimestre"].max()
    trimestre = min(int(trimestre), 4)
    return pd.Period(year=int(anio), quarter=trimestre, freq="Q").end_time.date().isoformat()


# --- Lectura de OC4IDS ---------------------------------------------------------------------


def _proyecto(proyecto: object) -> dict:
    """Una fila de texto por proyecto (``None`` donde no hay dato)."""
    if not isinstance(proyecto, dict):
        return {"proyecto": "el proyecto no es un objeto JSON"}
    fila: dict = {
        "id": _texto(proyecto.get("id")),
        "title": _texto(proyecto.get("title")),
        "description": _texto(proyecto.get("description")),
        "status": _texto(proyecto.get("status")),
        "sector": _lista(proyecto.get("sector")),
        "type": _texto(proyecto.get("type")),
        "period.startDate": _texto(_en(proyecto, "period", "startDate")),
        "period.endDate": _texto(_en(proyecto, "period", "endDate")),
        "completion.endDate": _texto(_en(proyecto, "completion", "endDate")),
    }
    fila["latitud"], fila["longitud"], fila["locations"] = _ubicacion(proyecto.get("locations"))
    monedas: list[str | None] = []
    fila["budget.amount"] = _importe(_en(proyecto, "budget", "amount"), monedas)
    fila["completion.finalValue"] = _importe(_en(proyecto, "completion", "finalValue"), monedas)
    fila["physicalProgress"], _ = _metrica(proyecto, "physicalProgress", monedas)
    fila["financialProgress"], fila["financialProgress.value"] = _metrica(
        proyecto, "financialProgress", monedas
    )
    contratos, pagos, metodos, proveedores = [], [], [], []
    for proceso in _lista_de_objetos(proyecto.get("contractingProcesses")):
        resumen = proceso.get("summary") if isinstance(proceso.get("summary"), dict) else {}
        contratos.append(_importe(resumen.get("contractValue"), monedas))
        for pago in _lista_de_objetos(resumen.get("transactions")):
            pagos.append(_importe(pago.get("value"), monedas))
        licitacion = resumen.get("tender") if isinstance(resumen.get("tender"), dict) else {}
        metodos.append(
            (
                _texto(licitacion.get("procurementMethodDetails")),
                _texto(licitacion.get("procurementMethod")),
            )
        )
        proveedores += [_texto(p.get("name")) for p in _lista_de_objetos(resumen.get("suppliers"))]
    fila["contractValue"] = _sumar(contratos)
    fila["transactions"] = _sumar(pagos)
    # Tipo de adjudicación: el del primer proceso que lo publica.
    detalle, metodo = next(((d, m) for d, m in metodos if d or m), (None, None))
    fila["procurementMethodDetails"], fila["procurementMethod"] = detalle, metodo
    fila["supplier"], fila["supplier.rfc"] = _proveedores(proyecto.get("parties"), proveedores)
    distintas = sorted({m.upper() for m in monedas if m and m.upper() != "MXN"})
    fila["currency"] = ", ".join(distintas) or None
    return fila


def _ubicacion(ubicaciones: object) -> tuple[str | None, str | None, str | None]:
    """``(latitud, longitud, problema)`` de la primera ubicación con geometría."""
    for ubicacion in _lista_de_objetos(ubicaciones):
        geometria = ubicacion.get("geometry")
        if not geometria:
            continue
        tipo = geometria.get("type") if isinstance(geometria, dict) else None
        try:
            forma = shapely.geometry.shape(geometria)
            punto = forma if forma.geom_type == "Point" else forma.representative_point()
        except Exception:  # shapely lanza varios tipos ante geometrías mal formadas
            punto = None
        if punto is None or punto.is_empty:
            return None, None, str(tipo or "sin tipo")
        return repr(float(punto.y)), repr(float(punto.x)), None
    return None, None, None


def _metrica(proyecto: dict, nombre: str, monedas: list) -> tuple[str | None, str | None]:
    """``(porcentaje, importe)`` de un avance: campo directo o métrica OC4IDS más reciente."""
    valor = proyecto.get(nombre)
    if valor is not None and not isinstance(valor, dict | list):
        return _texto(valor), None
    observacion = valor if isinstance(valor, dict) else None
    if observacion is None:
        for metrica in _lista_de_objetos(proyecto.get("metrics")):
            if str(metrica.get("id", "")).lower() == nombre.lower():
                observaciones = _lista_de_objetos(metrica.get("observations"))
                if observaciones:
                    observacion = max(reversed(observaciones), key=_fecha_observacion)
    if observacion is None:
        return None, None
    return _texto(observacion.get("measure")), _importe(observacion.get("value"), monedas)


def _fecha_observacion(observacion: dict) -> str:
    periodo = observacion.get("period") if isinstance(observacion.get("period"), dict) else {}
    return str(periodo.get("endDate") or periodo.get("startDate") or "")


def _proveedores(partes: object, de_procesos: list) -> tuple[str | None, str | None]:
    """Contratista(s): partes con rol ``supplier`` (o proveedores de los procesos).

    El RFC solo se toma cuando hay un único proveedor con identificador ``MX-RFC``.
    """
    nombres, rfcs = [], []
    for parte in _lista_de_objetos(partes):
        roles = parte.get("roles")
        roles = [roles] if isinstance(roles, str) else roles or []
        if "supplier" in roles:
            nombres.append(_texto(parte.get("name")))
            identificadores = [
                parte.get("identifier"),
                *_lista_de_objetos(parte.get("additionalIdentifiers")),
            ]
            rfcs.append(
                next(
                    (
                        _texto(i.get("id"))
                        for i in identificadores
                        if isinstance(i, dict) and str(i.get("scheme", "")).upper() == "MX-RFC"
                    ),
                    None,
                )
            )
    if not nombres:
        nombres = de_procesos
    unicos = list(dict.fromkeys(n for n in nombres if n))
    rfc = rfcs[0] if len(rfcs) == 1 else None
    return ("; ".join(unicos) or None), rfc


def _importe(valor: object, monedas: list) -> str | None:
    """Texto del importe de un ``Value`` OCDS (``{amount, currency}``) o de un número."""
    if isinstance(valor, dict):
        monedas.append(_texto(valor.get("currency")))
        return _texto(valor.get("amount"))
    return _texto(valor)


def _sumar(importes: list[str | None]) -> str | None:
    """Suma de importes en texto; si alguno no es numérico o es negativo se devuelve ese
    (para que la validación común rechace la fila mostrando el valor publicado)."""
    presentes = [i for i in importes if i is not None]
    if len(presentes) <= 1:
        return presentes[0] if presentes else None
    valores, invalido = norm.monto(pd.Series(presentes, dtype=object))
    malos = np.flatnonzero(invalido | (valores < 0).to_numpy())
    if len(malos):
        return presentes[malos[0]]
    return repr(float(valores.sum()))


def _texto(valor: object) -> str | None:
    """Escalar JSON como texto; objetos y listas como JSON (para mostrarlos en un rechazo)."""
    if valor is None or isinstance(valor, bool):
        return None
    if isinstance(valor, dict | list):
        return json.dumps(valor, ensure_ascii=False)
    texto = str(valor).strip()
    return texto or None


def _lista(valor: object) -> str | None:
    if isinstance(valor, list):
        return ", ".join(t for t in (_texto(v) for v in valor) if t) or None
    return _texto(valor)


def _lista_de_objetos(valor: object) -> list[dict]:
    return [v for v in valor if isinstance(v, dict)] if isinstance(valor, list) else []


def _en(objeto: dict, *ruta: str) -> object:
    for llave in ruta:
        if not isinstance(objeto, dict):
            return None
        objeto = objeto.get(llave)
    return objeto
