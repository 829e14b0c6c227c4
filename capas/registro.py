"""Registro explícito de las capas publicadas: una sola lista, sin descubrimiento automático.

La app, las descargas, el paquete de datos y las pruebas recorren :data:`REGISTRO`. Cada
:class:`Capa` dice su nombre, título y descripción en español, la función que la arma desde
una versión (con sus filtros), sus columnas de contrato (fijas: otras herramientas dependen
de ellas) y la descripción de cada campo (nombre, tipo, descripción, unidad).

Uso::

    import capas

    datos = capas.abrir(raiz)                     # versión actual, en caché
    municipios = capas.capa("municipios")
    tabla = municipios.leer(datos, anio=2024)     # DataFrame con municipios.campos
    for capa in capas.REGISTRO: ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from almacen.esquemas import ESQUEMAS, Campo
from capas import parametros as p
from capas import tablas
from capas.config import CODIGOS_ALERTA
from capas.parametros import Filtro


@dataclass(frozen=True)
class Capa:
    """Una capa publicada.

    Attributes
    ----------
    nombre
        Nombre en URLs y archivos (``/descargas/<nombre>.csv``).
    titulo, descripcion
        Textos en español para la página de datos y el ``datapackage.json``.
    construir
        ``construir(fuente, **filtros) -> DataFrame``; ``fuente`` es una ``Version`` o los
        datos de :func:`capas.abrir`.
    columnas
        Columnas del contrato de datos abiertos, en orden (la tabla puede tener más).
    campos
        Descripción de cada columna que devuelve ``construir``, en orden.
    filtros
        Filtros de URL de la capa (``?anio=2024``), cada uno con su lector y su mensaje
        (:mod:`capas.parametros`); páginas y descargas los leen con
        :func:`capas.parametros.leer_parametros`. Un :class:`~capas.parametros.Filtro` es
        también su nombre (``"anio" in capa.filtros``).
    geometria
        ``"poligono"``, ``"punto"`` o ``None``: tipo de geometría de la descarga GeoJSON.
    en_contrato
        Verdadero si la capa está en la lista fija de descargas de ``INDICADORES.md``.
    parametros
        Otros parámetros de ``construir`` que no son filtros de URL (p. ej. ``geometria``,
        ``reportes_abiertos``).
    entidad_propia
        ``construir`` recibe el filtro ``entidad`` tal cual (el presupuesto: sus líneas
        estatales no tienen municipio). Si no, :meth:`leer` lo vuelve la lista de municipios
        de la entidad.
    """

    nombre: str
    titulo: str
    descripcion: str
    construir: Callable[..., pd.DataFrame]
    columnas: tuple[str, ...]
    campos: tuple[Campo, ...]
    filtros: tuple[Filtro, ...]
    geometria: str | None
    en_contrato: bool = True
    parametros: tuple[str, ...] = ()
    entidad_propia: bool = False

    def leer(self, fuente, **filtros) -> pd.DataFrame:
        """Arma la capa desde ``fuente`` con los filtros dados (se rechaza uno desconocido).

        Un filtro con valor ``None`` se ignora. ``entidad`` (modo nacional) deja las filas de
        los municipios de esa entidad (con ``municipio``, los que estén en ella); en una
        versión de una sola entidad no filtra nada.
        """
        aceptados = set(self.filtros) | set(self.parametros)
        desconocidos = sorted(set(filtros) - aceptados)
        if desconocidos:
            raise ValueError(
                f"La capa {self.nombre!r} no acepta los filtros {desconocidos}; "
                f"acepta {sorted(aceptados)}"
            )
        filtros = {k: v for k, v in filtros.items() if v is not None}
        if "entidad" in filtros:
            filtros = _filtro_entidad(fuente, filtros, self.entidad_propia)
        return self.construir(fuente, **filtros)

    @property
    def nombres_campos(self) -> list[str]:
        """Nombres de los campos descritos, en orden."""
        return [campo.nombre for campo in self.campos]


def _filtro_entidad(fuente, filtros: dict, propia: bool) -> dict:
    """Los filtros con ``entidad`` resuelta: fuera si la versión es de una sola entidad; si no,
    tal cual (``propia``) o como la lista de municipios de la entidad (intersecada con
    ``municipio``)."""
    from capas.entidades import es_nacional, municipios_de

    filtros = dict(filtros)
    entidad = str(filtros.pop("entidad"))
    if not es_nacional(fuente):
        return filtros
    if propia:
        return {**filtros, "entidad": entidad}
    pedidos = filtros.get("municipio")
    if pedidos is None:
        filtros["municipio"] = municipios_de(fuente, entidad)
    else:
        pedidos = [pedidos] if isinstance(pedidos, str) else list(pedidos)
        filtros["municipio"] = [m for m in pedidos if str(m).startswith(entidad)]
    return filtros


def _almacen(capa: str, nombre: str, descripcion: str | None = None) -> Campo:
    """Campo copiado del esquema del almacén (misma descripción), o con otra descripción."""
    original = next(c for c in ESQUEMAS[capa] if c.nombre == nombre)
    if descripcion is None:
        return original
    return Campo(original.nombre, original.tipo, descripcion, original.unidad)


def _c(nombre: str, tipo: str, descripcion: str, unidad: str | None = None) -> Campo:
    return Campo(nombre, tipo, descripcion, unidad)


_MUNICIPIO = _c("cvegeo", "string", "Clave geoestadística INEGI del municipio (5 dígitos)")
_NOMBRE_MUNICIPIO = _c("municipio", "string", "Nombre oficial del municipio (INEGI)")
_ANIO_CICLO = _c(
    "anio",
    "integer",
    "Año: ciclo escolar que empieza ese año (2024 = 2024-2025) y ejercicio fiscal de ese año",
)
_SEMAFORO_COBERTURA = _c(
    "semaforo_cobertura",
    "string",
    "Semáforo de cobertura: verde (≥ 95 %), amarillo (80–95 %), rojo (< 80 %), gris (sin dato)",
)
_ETIQUETA_COBERTURA = _c("etiqueta_cobertura", "string", "Texto del semáforo de cobertura")
_EXCEDIDA = _c(
    "cobertura_excedida",
    "boolean",
    "Cobertura mayor que 100 %: problema de calidad de los datos (se publica tal cual)",
)
_TASAS = (
    _c(
        "desercion",
        "number",
        "Indicador 5: tasa de deserción = (inscritos − existencia) / inscritos",
        "fracción",
    ),
    _c(
        "desercion_variacion",
        "number",
        "Indicador 5: deserción del ciclo / deserción del ciclo anterior (menor que 1: bajó)",
        "razón",
    ),
    _c(
        "aprobacion",
        "number",
        "Indicador 6: tasa de aprobación = aprobados / existencia",
        "fracción",
    ),
    _c(
        "aprobacion_variacion",
        "number",
        "Indicador 6: aprobación del ciclo / aprobación del ciclo anterior (menor que 1: bajó)",
        "razón",
    ),
)
_SEMAFORO_GASTO = _c(
    "semaforo_gasto",
    "string",
    "Semáforo del gasto: verde (en tiempo), amarillo (con rezago), rojo (rezago grave o "
    "sobregiro), gris (sin dato)",
)
_ETIQUETA_GASTO = _c(
    "etiqueta_gasto",
    "string",
    "Texto del semáforo del gasto: en tiempo, con rezago, rezago grave, sobregiro, sin dato",
)
_ETAPAS = (
    _c(
        "etapa_avance",
        "string",
        "Etapa usada como avance del gasto: comprobado, ejercido o devengado (la primera "
        "publicada)",
    ),
    _c(
        "etapa_base",
        "string",
        "Etapa usada como monto asignado: modificado o aprobado (la primera publicada)",
    ),
)

CAMPOS_MUNICIPIOS = (
    _MUNICIPIO,
    _NOMBRE_MUNICIPIO,
    _ANIO_CICLO,
    _c(
        "alumnos_inscritos",
        "integer",
        "Alumnos inscritos en las escuelas públicas de educación básica del municipio",
        "alumnos",
    ),
    _c(
        "alumnos_atendidos",
        "integer",
        "Alumnos distintos que recibieron uniforme o útiles en esas escuelas (un alumno en "
        "dos escuelas del municipio cuenta una vez)",
        "alumnos",
    ),
    _c(
        "cobertura",
        "number",
        "Indicador 3: alumnos atendidos / alumnos inscritos (vacío si el municipio no tiene "
        "escuelas del programa)",
        "fracción",
    ),
    _SEMAFORO_COBERTURA,
    _c(
        "presupuesto_aprobado",
        "number",
        "Presupuesto aprobado del programa de uniformes y útiles en el municipio",
        "pesos",
    ),
    _c(
        "presupuesto_ejercido",
        "number",
        "Presupuesto ejercido del programa en el municipio",
        "pesos",
    ),
    _c(
        "eficacia",
        "number",
        "Eficacia presupuestal: presupuesto ejercido / presupuesto aprobado",
        "fracción",
    ),
    _SEMAFORO_GASTO,
    *_TASAS,
    _c(
        "obras",
        "integer",
        "Obras públicas del municipio reportadas en el año (estado de su último reporte)",
        "obras",
    ),
    _c(
        "obras_monto_aprobado",
        "number",
        "Suma del monto aprobado de esas obras",
        "pesos",
    ),
    _c("obras_con_alerta", "integer", "Obras con al menos una alerta", "obras"),
    _c("escuelas", "integer", "Escuelas públicas de educación básica en el municipio", "escuelas"),
    _EXCEDIDA,
    _ETIQUETA_COBERTURA,
    _c(
        "presupuesto_modificado",
        "number",
        "Presupuesto modificado del programa en el municipio",
        "pesos",
    ),
    _c(
        "presupuesto_comprobado",
        "number",
        "Presupuesto comprobado con documentación del programa en el municipio",
        "pesos",
    ),
    _c(
        "eficacia_modificado",
        "number",
        "Presupuesto ejercido / presupuesto modificado (si hay modificado)",
        "fracción",
    ),
    _c(
        "avance_gasto",
        "number",
        "Avance del gasto: etapa_avance / etapa_base",
        "fracción",
    ),
    _c(
        "esperado_gasto",
        "number",
        "Fracción del año fiscal transcurrida a la fecha de corte (1 con el año cerrado)",
        "fracción",
    ),
    _ETIQUETA_GASTO,
    *_ETAPAS,
)

CAMPOS_ESCUELAS = (
    _almacen("escuelas", "cct"),
    _almacen("escuelas", "nombre"),
    _almacen("escuelas", "nivel"),
    _c(
        "cvegeo",
        "string",
        "Municipio de la escuela: donde caen sus coordenadas o, si faltan o caen fuera de la "
        "entidad, el declarado (CVEGEO)",
    ),
    _ANIO_CICLO,
    _c("alumnos_inscritos", "integer", "Alumnos inscritos al inicio del ciclo", "alumnos"),
    _c(
        "alumnos_atendidos",
        "integer",
        "Alumnos distintos que recibieron uniforme o útiles en la escuela",
        "alumnos",
    ),
    _c(
        "cobertura",
        "number",
        "Indicador 4: alumnos atendidos / alumnos inscritos",
        "fracción",
    ),
    _SEMAFORO_COBERTURA,
    _almacen("escuelas", "latitud"),
    _almacen("escuelas", "longitud"),
    _NOMBRE_MUNICIPIO,
    _almacen("escuelas", "cvegeo_declarado"),
    _c(
        "fuera_de_municipio",
        "boolean",
        "Las coordenadas caen en otro municipio que el declarado",
    ),
    _EXCEDIDA,
    _ETIQUETA_COBERTURA,
    *_TASAS,
    _almacen("escuelas", "localidad"),
    _almacen("escuelas", "turno"),
)

CAMPOS_PADRON = (
    _almacen("padron", "cct"),
    _almacen("escuelas", "nombre"),
    _c("cvegeo", "string", "Municipio de la escuela (coordenadas; si no, el declarado)"),
    _NOMBRE_MUNICIPIO,
    _almacen("padron", "anio"),
    _almacen("padron", "beneficio"),
    _almacen("padron", "alumnos"),
    _almacen("padron", "paquetes"),
    _almacen("padron", "monto"),
    _almacen("padron", "mujeres"),
    _almacen("padron", "hombres"),
    _c(
        "en_programa",
        "boolean",
        "La escuela es pública de educación básica del catálogo (cuenta para la cobertura)",
    ),
)

CAMPOS_PRESUPUESTO = (
    _almacen("presupuesto", "anio"),
    _almacen("presupuesto", "cvegeo"),
    _almacen("presupuesto", "clasificacion"),
    _almacen("presupuesto", "codigo"),
    _almacen("presupuesto", "nivel"),
    _almacen("presupuesto", "concepto"),
    _almacen("presupuesto", "aprobado"),
    _almacen("presupuesto", "modificado"),
    _almacen("presupuesto", "devengado"),
    _almacen("presupuesto", "ejercido"),
    _almacen("presupuesto", "pagado"),
    _almacen("presupuesto", "comprobado"),
    _almacen("presupuesto", "fuente"),
    _NOMBRE_MUNICIPIO,
    _almacen("presupuesto", "programa"),
    _almacen("presupuesto", "fecha_corte"),
    _c("eficacia", "number", "Monto ejercido / monto aprobado", "fracción"),
    _c("avance", "number", "Avance del gasto: etapa_avance / etapa_base", "fracción"),
    _c(
        "esperado",
        "number",
        "Fracción del año fiscal transcurrida a la fecha de corte (1 con el año cerrado)",
        "fracción",
    ),
    _c("razon", "number", "avance / esperado, comparada con los umbrales del semáforo", "razón"),
    _SEMAFORO_GASTO,
    _ETIQUETA_GASTO,
    *_ETAPAS,
    _c(
        "programa_escolar",
        "boolean",
        "La línea es del programa de uniformes y útiles escolares",
    ),
    _almacen(
        "presupuesto",
        "cve_ent",
        "Entidad federativa de la línea (clave INEGI de 2 dígitos): la de una línea estatal "
        "(cvegeo vacío) solo se sabe por esta columna; en versiones anteriores, la de cvegeo",
    ),
)

CAMPOS_OBRAS = (
    _almacen("obras", "folio"),
    _almacen("obras", "nombre"),
    _almacen("obras", "nivel_gobierno"),
    _c(
        "cvegeo",
        "string",
        "Municipio de la obra: el declarado (responsable) o, si falta, donde caen sus "
        "coordenadas (CVEGEO)",
    ),
    _c("anio", "integer", "Ciclo (ejercicio) del último reporte de la obra"),
    _almacen("obras", "monto_aprobado"),
    _almacen("obras", "monto_ejercido"),
    _almacen("obras", "monto_pagado"),
    _c(
        "avance_fisico",
        "number",
        "Avance físico publicado en el último reporte (fracción; puede ser inválido)",
        "fracción",
    ),
    _c("avance_financiero", "number", "Monto ejercido / monto aprobado", "fracción"),
    _almacen("obras", "estatus"),
    _almacen("obras", "contratista"),
    _c(
        "semaforo",
        "string",
        "Semáforo de la obra: rojo (pago sin avance, sobrecosto o vencida), amarillo (avance "
        "financiero 10–25 puntos arriba del físico), verde, gris (sin dato)",
    ),
    _c(
        "alertas",
        "string",
        "Códigos de alerta separados por ';': " + ", ".join(CODIGOS_ALERTA),
    ),
    _almacen("obras", "latitud"),
    _almacen("obras", "longitud"),
    _almacen("obras", "fecha_inicio", "Fecha de inicio de la obra (AAAA-MM-DD)"),
    _almacen("obras", "fecha_termino", "Fecha estimada de término de la obra (AAAA-MM-DD)"),
    _almacen("obras", "fuente"),
    _c(
        "trimestre",
        "integer",
        "Trimestre del último reporte (5 = informe definitivo anual del SRFT; vacío si el "
        "reporte es anual)",
    ),
    _NOMBRE_MUNICIPIO,
    _almacen("obras", "cvegeo_declarado"),
    _almacen("obras", "cvegeo_coordenadas"),
    _almacen("obras", "monto_modificado"),
    _almacen("obras", "tipo_adjudicacion"),
    _c("etiqueta_semaforo", "string", "Texto del semáforo de la obra"),
    _c("num_alertas", "integer", "Número de alertas de la obra", "alertas"),
    _c("reportes", "integer", "Número de reportes trimestrales de la obra", "reportes"),
    _almacen("obras", "categoria"),
)

CAMPOS_ESTACIONAMIENTOS = (
    _almacen("estacionamientos", "id"),
    _almacen("estacionamientos", "direccion"),
    _almacen("estacionamientos", "cajones"),
    _almacen("estacionamientos", "estado"),
    _c(
        "reportes_abiertos",
        "integer",
        "Reportes ciudadanos abiertos sobre el cajón",
        "reportes",
    ),
    _almacen("estacionamientos", "latitud"),
    _almacen("estacionamientos", "longitud"),
    _c("etiqueta_estado", "string", "Estado del cajón en palabras"),
    _almacen("estacionamientos", "cvegeo"),
    _almacen("estacionamientos", "fecha_revision"),
    _almacen("estacionamientos", "observaciones"),
    _almacen("estacionamientos", "foto_url", "Dirección (URL) de una fotografía del cajón"),
    _almacen(
        "estacionamientos",
        "origen",
        "Origen del registro: csv (archivo publicado) u osm (OpenStreetMap)",
    ),
)

CAMPOS_PROGRAMAS = (
    _almacen("programas", "programa"),
    _almacen("programas", "anio"),
    _MUNICIPIO,
    _NOMBRE_MUNICIPIO,
    _almacen("programas", "beneficiarios"),
    _almacen("programas", "monto"),
    _almacen("programas", "cve_loc"),
    _almacen("programas", "localidad"),
)

#: Las capas publicadas, en el orden en que se muestran. Es la única lista.
REGISTRO: tuple[Capa, ...] = (
    Capa(
        nombre="municipios",
        titulo="Indicadores por municipio",
        descripcion="Cobertura del programa de uniformes y útiles, presupuesto del programa "
        "con su semáforo del gasto, deserción y aprobación, y obras públicas, por municipio "
        "y año.",
        construir=tablas.tabla_municipios,
        columnas=tuple(tablas.CONTRATO_MUNICIPIOS),
        campos=CAMPOS_MUNICIPIOS,
        filtros=(p.ANIO_MUNICIPIOS, p.MUNICIPIO, p.ENTIDAD),
        geometria="poligono",
        parametros=("geometria",),
    ),
    Capa(
        nombre="escuelas",
        titulo="Escuelas públicas de educación básica",
        descripcion="Escuelas del programa (preescolar, primaria y secundaria públicas) con "
        "su ubicación, matrícula, alumnos atendidos y cobertura por ciclo escolar.",
        construir=tablas.tabla_escuelas,
        columnas=tuple(tablas.CONTRATO_ESCUELAS),
        campos=CAMPOS_ESCUELAS,
        filtros=(p.ANIO_ESCOLAR, p.MUNICIPIO, p.ENTIDAD, p.NIVEL_ESCOLAR, p.SEMAFORO),
        geometria="punto",
        parametros=("geometria",),
    ),
    Capa(
        nombre="padron",
        titulo="Padrón de beneficiarios (agregado)",
        descripcion="Beneficiarios del programa por escuela, ciclo y beneficio: alumnos "
        "distintos, paquetes e importe. Sin datos personales.",
        construir=tablas.tabla_padron,
        columnas=tuple(tablas.COLUMNAS_PADRON),
        campos=CAMPOS_PADRON,
        filtros=(p.ANIO_PADRON, p.MUNICIPIO, p.ENTIDAD),
        geometria=None,
        en_contrato=False,
    ),
    Capa(
        nombre="presupuesto",
        titulo="Presupuesto",
        descripcion="Líneas de presupuesto por año, municipio (vacío = estatal), "
        "clasificación (objeto del gasto, administrativa o programa), código y nivel, con sus "
        "etapas del gasto, eficacia y semáforo del gasto. Capítulos, conceptos y totales son "
        "el mismo dinero desglosado: para sumar, use un solo nivel de una sola clasificación.",
        construir=tablas.tabla_presupuesto,
        columnas=tuple(tablas.CONTRATO_PRESUPUESTO),
        campos=CAMPOS_PRESUPUESTO,
        filtros=(p.ANIO_PRESUPUESTO, p.MUNICIPIO, p.ENTIDAD, p.PROGRAMA, p.CLASIFICACION),
        geometria=None,
        entidad_propia=True,
    ),
    Capa(
        nombre="obras",
        titulo="Obras públicas",
        descripcion="Obras públicas de los tres niveles de gobierno en su último reporte "
        "trimestral: montos, avances, contratista, semáforo y alertas.",
        construir=tablas.tabla_obras,
        columnas=tuple(tablas.CONTRATO_OBRAS),
        campos=CAMPOS_OBRAS,
        filtros=(
            p.ANIO_OBRAS,
            p.MUNICIPIO,
            p.ENTIDAD,
            p.ALERTA,
            p.NIVEL_GOBIERNO,
            p.ESTATUS,
            p.CONTRATISTA,
            p.SEMAFORO,
            p.MONTO_MIN,
            p.MONTO_MAX,
        ),
        geometria="punto",
        parametros=("geometria",),
    ),
    Capa(
        nombre="estacionamientos",
        titulo="Estacionamientos para personas con discapacidad",
        descripcion="Cajones de estacionamiento para personas con discapacidad con su estado "
        "y los reportes ciudadanos abiertos.",
        construir=tablas.tabla_estacionamientos,
        columnas=tuple(tablas.CONTRATO_ESTACIONAMIENTOS),
        campos=CAMPOS_ESTACIONAMIENTOS,
        filtros=(p.ESTADO_CAJON,),
        geometria="punto",
        parametros=("geometria", "reportes_abiertos"),
    ),
    Capa(
        nombre="programas",
        titulo="Programas sociales (padrones públicos)",
        descripcion="Beneficiarios e importe de los padrones públicos de programas sociales "
        "(datos.gob.mx; p. ej. la beca S311) por programa, año, municipio y localidad. Sin "
        "datos personales. En GeoJSON y GeoParquet cada fila lleva el polígono de su municipio.",
        construir=tablas.tabla_programas,
        columnas=tuple(tablas.CONTRATO_PROGRAMAS),
        campos=CAMPOS_PROGRAMAS,
        filtros=(p.ANIO_PROGRAMAS, p.MUNICIPIO, p.ENTIDAD, p.PROGRAMA),
        geometria="poligono",
        parametros=("geometria",),
    ),
)

#: Nombres de las capas, en orden.
NOMBRES: tuple[str, ...] = tuple(c.nombre for c in REGISTRO)


def capa(nombre: str) -> Capa:
    """La capa registrada con ese nombre (``ValueError`` si no existe)."""
    for registrada in REGISTRO:
        if registrada.nombre == nombre:
            return registrada
    raise ValueError(f"Capa desconocida: {nombre!r}; las capas son {list(NOMBRES)}")
