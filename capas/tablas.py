"""Tablas de las capas publicadas, armadas desde una versión del almacén.

Cada función recibe una :class:`~almacen.versiones.Version` (o los
:class:`~capas.lectura.DatosVersion` de :func:`capas.abrir`) y filtros opcionales, y
devuelve una tabla nueva (se puede modificar sin afectar la caché). Las columnas del
contrato de datos abiertos van primero, en el orden de ``INDICADORES.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from almacen.esquemas import FUENTE_DE_FORMATO_OBRAS
from almacen.versiones import Version
from capas import cobertura, estacionamientos, obras
from capas.config import (
    ALERTA_CUALQUIERA,
    ALERTA_NINGUNA,
    ETIQUETAS_COBERTURA,
    ETIQUETAS_GASTO,
    UMBRALES,
    Umbrales,
)
from capas.filtros import filtrar
from capas.gasto import (
    eficacia_presupuestal,
    entidad_de_lineas,
    lineas_programa,
    semaforos_gasto,
)
from capas.lectura import DatosVersion, datos_de
from capas.numeros import a_flotantes

Fuente = Version | DatosVersion

CONTRATO_MUNICIPIOS = [
    "cvegeo",
    "municipio",
    "anio",
    "alumnos_inscritos",
    "alumnos_atendidos",
    "cobertura",
    "semaforo_cobertura",
    "presupuesto_aprobado",
    "presupuesto_ejercido",
    "eficacia",
    "semaforo_gasto",
    "desercion",
    "desercion_variacion",
    "aprobacion",
    "aprobacion_variacion",
    "obras",
    "obras_monto_aprobado",
    "obras_con_alerta",
]
EXTRA_MUNICIPIOS = [
    "escuelas",
    "cobertura_excedida",
    "etiqueta_cobertura",
    "presupuesto_modificado",
    "presupuesto_comprobado",
    "eficacia_modificado",
    "avance_gasto",
    "esperado_gasto",
    "etiqueta_gasto",
    "etapa_avance",
    "etapa_base",
]
CONTRATO_ESCUELAS = [
    "cct",
    "nombre",
    "nivel",
    "cvegeo",
    "anio",
    "alumnos_inscritos",
    "alumnos_atendidos",
    "cobertura",
    "semaforo_cobertura",
    "latitud",
    "longitud",
]
EXTRA_ESCUELAS = [
    "municipio",
    "cvegeo_declarado",
    "fuera_de_municipio",
    "cobertura_excedida",
    "etiqueta_cobertura",
    "desercion",
    "desercion_variacion",
    "aprobacion",
    "aprobacion_variacion",
    "localidad",
    "turno",
]
CONTRATO_OBRAS = [
    "folio",
    "nombre",
    "nivel_gobierno",
    "cvegeo",
    "anio",
    "monto_aprobado",
    "monto_ejercido",
    "monto_pagado",
    "avance_fisico",
    "avance_financiero",
    "estatus",
    "contratista",
    "semaforo",
    "alertas",
    "latitud",
    "longitud",
    "fecha_inicio",
    "fecha_termino",
    "fuente",
]
EXTRA_OBRAS = [
    "trimestre",
    "municipio",
    "cvegeo_declarado",
    "cvegeo_coordenadas",
    "monto_modificado",
    "tipo_adjudicacion",
    "etiqueta_semaforo",
    "num_alertas",
    "reportes",
    "categoria",
]
CONTRATO_ESTACIONAMIENTOS = estacionamientos.COLUMNAS[:7]
CONTRATO_PRESUPUESTO = [
    "anio",
    "cvegeo",
    "clasificacion",
    "codigo",
    "nivel",
    "concepto",
    "aprobado",
    "modificado",
    "devengado",
    "ejercido",
    "pagado",
    "comprobado",
    "fuente",
]
EXTRA_PRESUPUESTO = [
    "municipio",
    "programa",
    "fecha_corte",
    "eficacia",
    "avance",
    "esperado",
    "razon",
    "semaforo_gasto",
    "etiqueta_gasto",
    "etapa_avance",
    "etapa_base",
    "programa_escolar",
    "cve_ent",
]
COLUMNAS_PRESUPUESTO = CONTRATO_PRESUPUESTO + EXTRA_PRESUPUESTO
COLUMNAS_PADRON = [
    "cct",
    "nombre",
    "cvegeo",
    "municipio",
    "anio",
    "beneficio",
    "alumnos",
    "paquetes",
    "monto",
    "mujeres",
    "hombres",
    "en_programa",
]
CONTRATO_PROGRAMAS = ["programa", "anio", "cvegeo", "municipio", "beneficiarios", "monto"]
EXTRA_PROGRAMAS = ["cve_loc", "localidad"]
#: Nombre de los programas conocidos por su clave (los demás se muestran con la clave).
NOMBRES_PROGRAMAS = {
    "S311": "Beca Universal de Educación Media Superior Benito Juárez",
}


def tabla_municipios(
    fuente: Fuente,
    anio: int | None = None,
    municipio: str | Iterable[str] | None = None,
    geometria: bool = False,
) -> pd.DataFrame:
    """Capa ``municipios``: los indicadores de cada municipio por ciclo.

    Una fila por municipio y año (ciclo escolar que empieza ese año = ejercicio fiscal de ese
    año). Cobertura (indicador 3), presupuesto del programa con eficacia (indicador 2) y
    semáforo del gasto, deserción y aprobación con su variación (5 y 6), y obras (estado en
    el último reporte del año) con su monto aprobado y cuántas tienen alguna alerta. Sin
    ``anio``, todos los años con algún dato.
    """
    datos = datos_de(fuente)
    anios = [int(anio)] if anio is not None else _anios(datos)
    claves = _claves(datos.municipios["cvegeo"], municipio)
    indice = pd.MultiIndex.from_product([claves, anios], names=["cvegeo", "anio"])
    tabla = pd.DataFrame(index=indice)
    cob = datos.cobertura_municipal.reindex(indice)
    tabla["escuelas"] = cob["escuelas"].fillna(0.0).to_numpy()
    tabla["alumnos_inscritos"] = cob["alumnos_inscritos"].to_numpy()
    tabla["alumnos_atendidos"] = cob["alumnos_atendidos"].to_numpy()
    tabla["cobertura"] = cob["cobertura"].to_numpy()
    tasas = datos.tasas_municipales
    tasas = tasas.set_axis(tasas.index.set_names(["cvegeo", "anio"])).reindex(indice)
    for columna in ("desercion", "desercion_variacion", "aprobacion", "aprobacion_variacion"):
        tabla[columna] = tasas[columna].to_numpy()
    gasto = datos.gasto_municipal.set_index(["cvegeo", "anio"]).reindex(indice)
    tabla["presupuesto_aprobado"] = gasto["aprobado"].to_numpy()
    tabla["presupuesto_modificado"] = gasto["modificado"].to_numpy()
    tabla["presupuesto_ejercido"] = gasto["ejercido"].to_numpy()
    tabla["presupuesto_comprobado"] = gasto["comprobado"].to_numpy()
    tabla["eficacia"] = gasto["eficacia"].to_numpy()
    tabla["eficacia_modificado"] = gasto["eficacia_modificado"].to_numpy()
    tabla["avance_gasto"] = gasto["avance"].to_numpy()
    tabla["esperado_gasto"] = gasto["esperado"].to_numpy()
    sin_gasto = gasto["semaforo_gasto"].isna().to_numpy()
    tabla["semaforo_gasto"] = np.where(sin_gasto, "gris", gasto["semaforo_gasto"].to_numpy())
    etiqueta = gasto["etiqueta_gasto"].to_numpy()
    tabla["etiqueta_gasto"] = np.where(sin_gasto, ETIQUETAS_GASTO["sin_dato"], etiqueta)
    tabla["etapa_avance"] = gasto["etapa_avance"].to_numpy()
    tabla["etapa_base"] = gasto["etapa_base"].to_numpy()
    _agregar_obras(tabla, datos, anios)
    tabla = tabla.reset_index()
    tabla["municipio"] = tabla["cvegeo"].map(datos.nombres_municipios).astype(object)
    _agregar_semaforo_cobertura(tabla)
    for columna in ("alumnos_inscritos", "alumnos_atendidos", "escuelas", "obras"):
        tabla[columna] = _enteros(tabla[columna])
    tabla["obras_con_alerta"] = _enteros(tabla["obras_con_alerta"])
    tabla = tabla[CONTRATO_MUNICIPIOS + EXTRA_MUNICIPIOS]
    if geometria:
        return _con_poligonos(tabla, datos)
    return tabla


def tabla_estado(fuente: Fuente, anio: int | None = None) -> pd.DataFrame:
    """Indicadores de la entidad por ciclo: cobertura estatal (1), eficacia (2), 5 y 6.

    Una fila por año. La eficacia y el semáforo del gasto suman todas las líneas del
    programa, municipales y estatales (ver :func:`capas.gasto.presupuesto_estatal`).
    """
    datos = datos_de(fuente)
    anios = [int(anio)] if anio is not None else _anios(datos)
    tabla = pd.DataFrame(index=pd.Index(anios, name="anio"))
    cob = datos.cobertura_estatal.reindex(tabla.index)
    for columna in ("escuelas", "alumnos_inscritos", "alumnos_atendidos", "cobertura"):
        tabla[columna] = cob[columna].to_numpy()
    tasas = datos.tasas_estatales.reindex(tabla.index)
    for columna in tasas.columns:
        tabla[columna] = tasas[columna].to_numpy()
    gasto = datos.gasto_estatal.set_index("anio").reindex(tabla.index)
    for origen, destino in [
        ("aprobado", "presupuesto_aprobado"),
        ("modificado", "presupuesto_modificado"),
        ("ejercido", "presupuesto_ejercido"),
        ("comprobado", "presupuesto_comprobado"),
        ("eficacia", "eficacia"),
        ("eficacia_modificado", "eficacia_modificado"),
        ("avance", "avance_gasto"),
        ("esperado", "esperado_gasto"),
        ("semaforo_gasto", "semaforo_gasto"),
        ("etiqueta_gasto", "etiqueta_gasto"),
        ("etapa_avance", "etapa_avance"),
        ("etapa_base", "etapa_base"),
        ("fecha_corte", "fecha_corte_presupuesto"),
    ]:
        tabla[destino] = gasto[origen].to_numpy()
    sin_gasto = tabla["semaforo_gasto"].isna().to_numpy()
    tabla.loc[sin_gasto, "semaforo_gasto"] = "gris"
    tabla.loc[sin_gasto, "etiqueta_gasto"] = ETIQUETAS_GASTO["sin_dato"]
    tabla = tabla.reset_index()
    _agregar_semaforo_cobertura(tabla)
    for columna in ("escuelas", "alumnos_inscritos", "alumnos_atendidos"):
        tabla[columna] = _enteros(tabla[columna])
    return tabla


def tabla_escuelas(
    fuente: Fuente,
    anio: int | None = None,
    municipio: str | Iterable[str] | None = None,
    nivel: str | Iterable[str] | None = None,
    semaforo: str | Iterable[str] | None = None,
    geometria: bool = False,
) -> pd.DataFrame:
    """Capa ``escuelas``: escuelas del programa con su cobertura (indicador 4) por ciclo.

    ``nivel`` y ``semaforo`` (de cobertura) son los mismos filtros de la página ``/escuelas``.

    Solo escuelas públicas de educación básica. ``cvegeo`` es el municipio de la escuela
    (coordenadas; si faltan, el declarado). Incluye deserción y aprobación de la escuela
    con su variación.
    """
    datos = datos_de(fuente)
    anio = None if anio is None else int(anio)
    # La tabla del ciclo (o de todos) se arma una vez por versión; los filtros de la página
    # (municipio, nivel, semáforo) solo escogen filas: cada fila depende solo de su escuela.
    tabla = datos.memo(("capas", "escuelas", anio), lambda: _escuelas_del_ciclo(datos, anio))
    if municipio is not None:
        tabla = tabla[tabla["cvegeo"].isin(_lista(municipio)).to_numpy(dtype=bool)]
    tabla = filtrar(tabla, nivel=nivel, semaforo_cobertura=semaforo)
    if geometria:
        return _con_puntos(tabla)
    return tabla


def _escuelas_del_ciclo(datos: DatosVersion, anio: int | None) -> pd.DataFrame:
    """La capa ``escuelas`` de un ciclo (o de todos) sin otros filtros (ver
    :func:`tabla_escuelas`). Se guarda por versión: **no se modifica**."""
    base = datos.base_escolar
    if anio is not None:
        base = base[base["anio"] == anio]
    tabla = cobertura.cobertura_escuelas(base)
    tasas = datos.tasas_escuelas
    indice = pd.MultiIndex.from_arrays([tabla["cct"], tabla["anio"]])
    tasas = tasas.reindex(indice)
    for columna in ("desercion", "desercion_variacion", "aprobacion", "aprobacion_variacion"):
        tabla[columna] = tasas[columna].to_numpy()
    escuelas = datos.tabla("escuelas").drop_duplicates("cct").set_index("cct")
    atributos = escuelas.reindex(tabla["cct"])
    for columna in ("nombre", "nivel", "cvegeo_declarado", "latitud", "longitud", "localidad"):
        tabla[columna] = atributos[columna].to_numpy()
    tabla["turno"] = atributos["turno"].to_numpy()
    coordenadas = atributos["cvegeo_coordenadas"].astype(object)
    declarado = atributos["cvegeo_declarado"].astype(object)
    tabla["fuera_de_municipio"] = (
        coordenadas.notna() & declarado.notna() & (coordenadas != declarado)
    ).to_numpy(dtype=bool)
    tabla["municipio"] = tabla["cvegeo"].map(datos.nombres_municipios).astype(object)
    _agregar_semaforo_cobertura(tabla)
    for columna in ("alumnos_inscritos", "alumnos_atendidos"):
        tabla[columna] = _enteros(tabla[columna])
    return tabla[CONTRATO_ESCUELAS + EXTRA_ESCUELAS]


def tabla_padron(
    fuente: Fuente,
    anio: int | None = None,
    municipio: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Capa ``padron`` (agregada): beneficiarios por escuela, ciclo y beneficio.

    Sin datos personales: alumnos distintos, paquetes e importe por escuela. ``cvegeo`` es
    el municipio de la escuela; ``en_programa`` dice si la escuela cuenta para la cobertura
    (pública de educación básica del catálogo).
    """
    datos = datos_de(fuente)
    padron = datos.tabla("padron")
    escuelas = datos.tabla("escuelas").drop_duplicates("cct")
    ubicacion = pd.Series(
        cobertura.municipio_escuela(escuelas).to_numpy(), index=escuelas["cct"].to_numpy()
    )
    programa = pd.Series(
        escuelas["basica_publica"].astype("boolean").fillna(False).to_numpy(dtype=bool),
        index=escuelas["cct"].to_numpy(),
    )
    nombres = pd.Series(escuelas["nombre"].to_numpy(), index=escuelas["cct"].to_numpy())
    tabla = pd.DataFrame({c: padron[c].to_numpy() for c in padron.columns if c in COLUMNAS_PADRON})
    tabla["nombre"] = tabla["cct"].map(nombres).astype(object)
    tabla["cvegeo"] = tabla["cct"].map(ubicacion).astype(object)
    tabla["municipio"] = tabla["cvegeo"].map(datos.nombres_municipios).astype(object)
    tabla["en_programa"] = tabla["cct"].isin(programa.index[programa.to_numpy()]).to_numpy()
    if anio is not None:
        tabla = tabla[a_flotantes(tabla["anio"]) == int(anio)]
    if municipio is not None:
        tabla = tabla[tabla["cvegeo"].isin(_lista(municipio)).to_numpy()]
    return tabla[COLUMNAS_PADRON].reset_index(drop=True)


def tabla_presupuesto(
    fuente: Fuente,
    anio: int | None = None,
    municipio: str | Iterable[str] | None = None,
    programa: str | None = None,
    clasificacion: str | None = None,
    umbrales: Umbrales = UMBRALES,
    entidad: str | None = None,
) -> pd.DataFrame:
    """Capa ``presupuesto``: cada línea con su eficacia y su semáforo del gasto.

    Las columnas del contrato van primero (``anio``, ``cvegeo``, ``clasificacion``,
    ``codigo``, ``nivel``, ``concepto``, etapas y ``fuente``). Capítulos, conceptos y totales
    son líneas distintas del mismo dinero: para sumar, use un solo ``nivel`` de una sola
    ``clasificacion`` (ver :func:`capas.gasto.lineas_sumables`).

    ``eficacia`` = ejercido / aprobado; ``avance``, ``esperado``, ``razon`` y el semáforo
    como en :func:`capas.gasto.semaforo_gasto`, con las etapas comparadas en
    ``etapa_avance`` y ``etapa_base``. ``programa_escolar`` marca las líneas del programa
    de uniformes y útiles. ``programa`` filtra por nombre (sin distinguir mayúsculas) y
    ``clasificacion`` por clasificación (``objeto_gasto``, ``administrativa``, ``programa``).
    ``entidad`` (modo nacional) deja las líneas de esa entidad, municipales y estatales
    (:func:`capas.gasto.entidad_de_lineas`).
    """
    datos = datos_de(fuente)
    lineas = datos.tabla("presupuesto")
    if entidad is not None:
        lineas = lineas[entidad_de_lineas(lineas) == str(entidad)]
    if anio is not None:
        lineas = lineas[a_flotantes(lineas["anio"]) == int(anio)]
    if municipio is not None:
        lineas = lineas[lineas["cvegeo"].isin(_lista(municipio)).to_numpy()]
    if programa is not None:
        nombres = lineas["programa"].astype(object).str.casefold()
        lineas = lineas[(nombres == programa.casefold()).fillna(False).to_numpy(dtype=bool)]
    if clasificacion is not None:
        clases = lineas["clasificacion"].astype(object)
        lineas = lineas[(clases == clasificacion).fillna(False).to_numpy(dtype=bool)]
    tabla = lineas.reset_index(drop=True).copy()
    semaforo = semaforos_gasto(tabla, datos.fecha_corte_fuente("presupuesto"), umbrales)
    tabla = pd.concat([tabla, semaforo], axis=1)
    tabla["eficacia"] = eficacia_presupuestal(
        a_flotantes(tabla["ejercido"]), a_flotantes(tabla["aprobado"])
    )
    tabla["municipio"] = tabla["cvegeo"].map(datos.nombres_municipios).astype(object)
    tabla["programa_escolar"] = lineas_programa(tabla)
    # la entidad de cada línea: una estatal (cvegeo vacío) solo se distingue por ella
    tabla["cve_ent"] = pd.array(entidad_de_lineas(tabla), dtype="string")
    return tabla[COLUMNAS_PRESUPUESTO]


def tabla_programas(
    fuente: Fuente,
    anio: int | None = None,
    municipio: str | Iterable[str] | None = None,
    programa: str | Iterable[str] | None = None,
    geometria: bool = False,
) -> pd.DataFrame:
    """Capa ``programas``: beneficiarios e importe de padrones públicos por localidad.

    Una fila por programa, año, municipio y localidad, tal como se cargó
    (:mod:`ingesta.fuentes.padron_publico`); ``municipio`` es el nombre oficial (INEGI).
    ``programa`` filtra por clave sin distinguir mayúsculas (``s311`` = ``S311``). Con
    ``geometria``, cada fila lleva el polígono simplificado de su municipio (el padrón no
    trae la ubicación de la localidad).
    """
    datos = datos_de(fuente)
    tabla = datos.tabla("programas")
    filas = np.ones(len(tabla), dtype=bool)
    if anio is not None:
        filas &= a_flotantes(tabla["anio"]) == int(anio)
    if municipio is not None:
        filas &= tabla["cvegeo"].isin(_lista(municipio)).to_numpy()
    if programa is not None:
        claves = [p.strip().upper() for p in _lista(programa)]
        filas &= tabla["programa"].astype(object).str.upper().isin(claves).to_numpy(dtype=bool)
    tabla = tabla[filas].sort_values(
        ["programa", "anio", "cvegeo", "cve_loc"], kind="stable", ignore_index=True
    )
    tabla["municipio"] = tabla["cvegeo"].map(datos.nombres_municipios).astype(object)
    tabla["beneficiarios"] = _enteros(tabla["beneficiarios"])
    tabla["monto"] = a_flotantes(tabla["monto"])
    tabla = tabla[CONTRATO_PROGRAMAS + EXTRA_PROGRAMAS]
    if geometria:
        return _con_poligonos(tabla, datos)
    return tabla


def programas_municipio(fuente: Fuente, municipio: str) -> pd.DataFrame:
    """Beneficiarios e importe de cada programa y año en un municipio (perfil del municipio).

    Suma las localidades de :func:`tabla_programas`. Columnas: ``programa``,
    ``nombre_programa`` (vacío si la clave no está en :data:`NOMBRES_PROGRAMAS`), ``anio``,
    ``beneficiarios``, ``monto`` (nulo si ninguna localidad trae importe) y ``localidades``.
    El año más reciente primero; vacía si el municipio no tiene datos de programas.
    """
    tabla = tabla_programas(fuente, municipio=municipio)
    grupos = tabla.assign(monto=a_flotantes(tabla["monto"])).groupby(
        ["programa", "anio"], sort=True
    )
    resumen = pd.DataFrame(
        {
            "beneficiarios": grupos["beneficiarios"].sum(),
            "monto": grupos["monto"].sum(min_count=1),
            "localidades": grupos.size(),
        }
    ).reset_index()
    resumen["nombre_programa"] = resumen["programa"].map(NOMBRES_PROGRAMAS).astype(object)
    resumen = resumen.sort_values(["anio", "programa"], ascending=[False, True], ignore_index=True)
    for columna in ("anio", "beneficiarios", "localidades"):
        resumen[columna] = _enteros(resumen[columna])
    resumen["monto"] = a_flotantes(resumen["monto"])
    return resumen[["programa", "nombre_programa", "anio", "beneficiarios", "monto", "localidades"]]


def tabla_obras(
    fuente: Fuente,
    anio: int | None = None,
    municipio: str | Iterable[str] | None = None,
    alerta: str | None = None,
    nivel: str | Iterable[str] | None = None,
    estatus: str | Iterable[str] | None = None,
    contratista: str | Iterable[str] | None = None,
    semaforo: str | Iterable[str] | None = None,
    monto_min: float | None = None,
    monto_max: float | None = None,
    geometria: bool = False,
) -> pd.DataFrame:
    """Capa ``obras``: estado actual de cada obra con su semáforo y sus alertas.

    Una fila por folio (su último reporte; con ``anio``, su último reporte de ese año).
    ``cvegeo`` es el municipio declarado (responsable); si falta, el de las coordenadas.
    ``alertas`` son los códigos separados por ``;``; ``alerta`` filtra las obras que tienen
    ese código (``"cualquiera"``: alguna alerta; ``"ninguna"``: sin alertas). ``nivel`` (de gobierno), ``estatus``, ``contratista`` y ``semaforo`` aceptan
    uno o varios valores; ``monto_min``/``monto_max`` acotan el monto aprobado (inclusive).
    Son los mismos filtros de la página ``/obras``.
    """
    datos = datos_de(fuente)
    evaluadas = datos.obras_evaluadas(anio)
    filas = np.ones(len(evaluadas), dtype=bool)
    if municipio is not None:
        filas &= evaluadas["cvegeo"].isin(_lista(municipio)).to_numpy()
    if alerta == ALERTA_CUALQUIERA:
        filas &= evaluadas["num_alertas"].to_numpy() > 0
    elif alerta == ALERTA_NINGUNA:
        filas &= evaluadas["num_alertas"].to_numpy() == 0
    elif alerta is not None:
        if f"alerta_{alerta}" not in evaluadas:
            raise ValueError(f"alerta desconocida: {alerta!r}")
        filas &= evaluadas[f"alerta_{alerta}"].to_numpy(dtype=bool)
    tabla = evaluadas[filas].reset_index(drop=True).copy()
    tabla["municipio"] = tabla["cvegeo"].map(datos.nombres_municipios).astype(object)
    tabla["anio"] = _enteros(tabla["anio"])
    tabla["trimestre"] = _enteros(tabla["trimestre"])
    # Las versiones guardadas antes de la columna ``fuente`` solo tienen ``formato``.
    tabla["fuente"] = (
        tabla["fuente"].astype(object).fillna(tabla["formato"].map(FUENTE_DE_FORMATO_OBRAS))
    ).astype(object)
    tabla = filtrar(
        tabla[CONTRATO_OBRAS + EXTRA_OBRAS],
        rangos={"monto_aprobado": (monto_min, monto_max)},
        nivel_gobierno=nivel,
        estatus=estatus,
        contratista=contratista,
        semaforo=semaforo,
    )
    if geometria:
        return _con_puntos(tabla)
    return tabla


def historial_obra(fuente: Fuente, folio: str) -> pd.DataFrame:
    """Reportes trimestrales de una obra en orden (ver :func:`capas.obras.historial`)."""
    return obras.historial(datos_de(fuente).tabla("obras"), folio)


def alertas_de_obra(fuente: Fuente, folio: str, anio: int | None = None) -> list[obras.Alerta]:
    """Alertas de una obra en su estado actual, cada una con su frase y sus números.

    Lista vacía si la obra no tiene alertas; ``KeyError`` si el folio no existe.
    """
    datos = datos_de(fuente)
    evaluadas = datos.obras_evaluadas(anio)
    filas = evaluadas[(evaluadas["folio"] == folio).fillna(False).to_numpy(dtype=bool)]
    if filas.empty:
        raise KeyError(f"No existe la obra con folio {folio!r}")
    return obras.alertas_obra(
        filas.iloc[0],
        datos.fecha_referencia_obras_anio(anio),
        nombres_municipios=datos.nombres_municipios,
    )


def tabla_estacionamientos(
    fuente: Fuente,
    estado: str | Iterable[str] | None = None,
    reportes_abiertos: Mapping[str, int] | pd.Series | None = None,
    geometria: bool = False,
) -> pd.DataFrame:
    """Capa ``estacionamientos``: cada cajón con su estado y sus reportes abiertos.

    ``reportes_abiertos`` (``id -> número``) es el enganche para los reportes ciudadanos;
    sin él, 0 en todos.
    """
    datos = datos_de(fuente)
    tabla = estacionamientos.tabla_estacionamientos(
        datos.tabla("estacionamientos"), reportes_abiertos
    )
    if estado is not None:
        tabla = tabla[tabla["estado"].isin(_lista(estado)).to_numpy()].reset_index(drop=True)
    if geometria:
        return _con_puntos(tabla)
    return tabla


def resumen_estacionamientos(
    fuente: Fuente, reportes_abiertos: Mapping[str, int] | pd.Series | None = None
) -> pd.DataFrame:
    """Cajones por estado (ver :func:`capas.estacionamientos.por_estado`)."""
    return estacionamientos.por_estado(
        tabla_estacionamientos(fuente, reportes_abiertos=reportes_abiertos)
    )


def _anios(datos: DatosVersion) -> list[int]:
    anios = set(datos.anios_escolares)
    anios |= {int(a) for a in pd.unique(datos.presupuesto_programa["anio"].dropna())}
    anios |= {int(a) for a in pd.unique(datos.tabla("obras")["anio"].dropna())}
    return sorted(anios)


def _lista(valor: str | Iterable[str]) -> list[str]:
    if isinstance(valor, str | int):
        return [str(valor)]
    return [str(v) for v in valor]


def _claves(todas: pd.Series, municipio) -> list[str]:
    claves = list(todas)
    if municipio is None:
        return claves
    pedidas = set(_lista(municipio))
    return [c for c in claves if c in pedidas]


def _agregar_obras(tabla: pd.DataFrame, datos: DatosVersion, anios: list[int]) -> None:
    tiene_obras = datos.version.tiene("obras")
    partes = []
    for anio in anios:
        evaluadas = datos.obras_evaluadas(anio)
        grupos = pd.DataFrame(
            {
                "cvegeo": evaluadas["cvegeo"].to_numpy(),
                "anio": anio,
                "obras": 1.0,
                "obras_monto_aprobado": a_flotantes(evaluadas["monto_aprobado"]),
                "obras_con_alerta": (evaluadas["num_alertas"].to_numpy() > 0).astype(float),
            }
        ).groupby(["cvegeo", "anio"])
        partes.append(
            pd.DataFrame(
                {
                    "obras": grupos["obras"].sum(),
                    "obras_monto_aprobado": grupos["obras_monto_aprobado"].sum(min_count=1),
                    "obras_con_alerta": grupos["obras_con_alerta"].sum(),
                }
            )
        )
    if not partes:  # sin ciclos que mostrar (p. ej. una versión sin datos escolares)
        for columna in ("obras", "obras_monto_aprobado", "obras_con_alerta"):
            tabla[columna] = np.full(len(tabla), np.nan)
        return
    suma = pd.concat(partes).reindex(tabla.index)
    con_obras = suma["obras"].notna().to_numpy()
    for columna in ("obras", "obras_monto_aprobado", "obras_con_alerta"):
        valores = suma[columna].to_numpy(dtype="float64", copy=True)
        if tiene_obras:
            # Sin obras en el municipio: 0 obras y $0 (no es un dato faltante).
            valores[~con_obras] = 0.0
        tabla[columna] = valores


def _agregar_semaforo_cobertura(tabla: pd.DataFrame) -> None:
    luces = cobertura.luces_cobertura(tabla["cobertura"])
    tabla["semaforo_cobertura"] = luces
    tabla["etiqueta_cobertura"] = [ETIQUETAS_COBERTURA[luz] for luz in luces]
    tabla["cobertura_excedida"] = a_flotantes(tabla["cobertura"]) > 1.0 + UMBRALES.tolerancia


def _enteros(valores) -> pd.arrays.IntegerArray:
    """Cuentas como enteros con nulos (``Int64``), sin alinear por índice."""
    return pd.array(np.round(a_flotantes(valores)), dtype="Float64").astype("Int64")


def _con_poligonos(tabla: pd.DataFrame, datos: DatosVersion) -> gpd.GeoDataFrame:
    capa = datos.tabla("municipios")
    if "geometry" not in capa or not len(capa):
        geometria = np.full(len(tabla), None, dtype=object)
        return gpd.GeoDataFrame(tabla, geometry=geometria, crs="EPSG:4326")
    geometrias = pd.Series(capa.geometry.values, index=capa["cvegeo"].astype(object).to_numpy())
    geometria = geometrias.reindex(tabla["cvegeo"]).to_numpy()
    return gpd.GeoDataFrame(tabla, geometry=list(geometria), crs=capa.crs or "EPSG:4326")


def _con_puntos(tabla: pd.DataFrame) -> gpd.GeoDataFrame:
    lon = a_flotantes(tabla["longitud"])
    lat = a_flotantes(tabla["latitud"])
    puntos = np.full(len(tabla), None, dtype=object)
    validos = ~np.isnan(lon) & ~np.isnan(lat)
    puntos[validos] = shapely.points(lon[validos], lat[validos])
    return gpd.GeoDataFrame(tabla, geometry=puntos, crs="EPSG:4326")
