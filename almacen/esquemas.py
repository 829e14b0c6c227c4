"""Esquema de cada capa guardada en el almacén: columna, tipo y descripción.

Es la única lista de campos: la usan la ingesta (para escribir), las capas (para leer) y el
paquete de datos (``datapackage.json``). Los montos están en pesos corrientes; los avances y
proporciones son fracciones (0.87, no 87).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Campo:
    """Un campo de una capa: nombre, tipo de Frictionless, descripción y unidad."""

    nombre: str
    tipo: str
    descripcion: str
    unidad: str | None = None


def _c(nombre: str, tipo: str, descripcion: str, unidad: str | None = None) -> Campo:
    return Campo(nombre, tipo, descripcion, unidad)


ESQUEMAS: dict[str, list[Campo]] = {
    "municipios": [
        _c("cvegeo", "string", "Clave geoestadística INEGI del municipio (5 dígitos)"),
        _c("cve_ent", "string", "Clave INEGI de la entidad (2 dígitos)"),
        _c("cve_mun", "string", "Clave INEGI del municipio dentro de la entidad (3 dígitos)"),
        _c("municipio", "string", "Nombre oficial del municipio (INEGI)"),
        _c("geometry", "geojson", "Polígono simplificado sin huecos ni traslapes, WGS84"),
    ],
    "escuelas": [
        _c("cct", "string", "Clave de centro de trabajo (SEP), 10 caracteres"),
        _c("nombre", "string", "Nombre de la escuela"),
        _c(
            "nivel",
            "string",
            "Nivel educativo en mayúsculas sin acentos (PREESCOLAR, PRIMARIA, ...)",
        ),
        _c("control", "string", "Sostenimiento: PUBLICO o PRIVADO (vacío si no se publicó)"),
        _c(
            "basica_publica", "boolean", "Escuela pública de educación básica (dentro del programa)"
        ),
        _c("cvegeo_declarado", "string", "Municipio declarado en el catálogo (CVEGEO)"),
        _c(
            "cvegeo_coordenadas",
            "string",
            "Municipio donde caen las coordenadas (vacío fuera de la entidad)",
        ),
        _c("latitud", "number", "Latitud WGS84", "grados"),
        _c("longitud", "number", "Longitud WGS84", "grados"),
        _c("localidad", "string", "Nombre de la localidad, si se publicó"),
        _c("cve_loc", "string", "Clave de localidad, si se publicó"),
        _c("turno", "string", "Turno, si se publicó"),
        _c("advertencias", "string", "Códigos de advertencia separados por ';'"),
    ],
    "matricula": [
        _c("cct", "string", "Clave de centro de trabajo"),
        _c("ciclo", "string", "Ciclo escolar, p. ej. 2023-2024"),
        _c("anio", "integer", "Año de inicio del ciclo escolar"),
        _c("inscritos", "integer", "Alumnos inscritos al inicio del ciclo", "alumnos"),
        _c("existencia", "integer", "Alumnos inscritos al final del ciclo", "alumnos"),
        _c("aprobados", "integer", "Alumnos aprobados al final del ciclo", "alumnos"),
    ],
    "padron": [
        _c("cct", "string", "Escuela donde se entregó el beneficio"),
        _c("anio", "integer", "Año de inicio del ciclo escolar"),
        _c("beneficio", "string", "UNIFORME, UTILES o TOTAL (cualquier beneficio)"),
        _c("alumnos", "integer", "Alumnos distintos (CURP distintas) con el beneficio", "alumnos"),
        _c("paquetes", "integer", "Paquetes entregados (renglones del padrón)", "paquetes"),
        _c(
            "monto",
            "number",
            "Importe de los beneficios entregados (vacío si no se publicó)",
            "pesos",
        ),
        _c(
            "mujeres", "integer", "Alumnas distintas (solo en la fila TOTAL, si se publicó el sexo)"
        ),
        _c(
            "hombres", "integer", "Alumnos distintos (solo en la fila TOTAL, si se publicó el sexo)"
        ),
    ],
    "padron_repetidos": [
        _c("anio", "integer", "Año de inicio del ciclo escolar"),
        _c("grupo", "integer", "Número anónimo de un alumno que aparece en más de una escuela"),
        _c("cct", "string", "Escuela donde aparece ese alumno"),
    ],
    "programas": [
        _c("programa", "string", "Clave del programa presupuestario (p. ej. S311), de --programa"),
        _c(
            "anio",
            "integer",
            "Año del padrón (--anio o el de la fecha de alta más reciente del archivo)",
        ),
        _c("cvegeo", "string", "Municipio (CVEGEO)"),
        _c("cve_loc", "string", "Clave INEGI de la localidad en el municipio (4 dígitos)"),
        _c("localidad", "string", "Nombre de la localidad, como se publicó"),
        _c(
            "beneficiarios",
            "integer",
            "Becas o apoyos del padrón público (un renglón por beneficiario; sin CURP no se "
            "distinguen personas repetidas)",
            "beneficiarios",
        ),
        _c(
            "monto",
            "number",
            "Suma del importe de esos apoyos (vacío si ninguno trae importe)",
            "pesos",
        ),
    ],
    "presupuesto": [
        _c("anio", "integer", "Ejercicio fiscal"),
        _c("cvegeo", "string", "Municipio (CVEGEO); vacío = nivel estatal"),
        _c(
            "clasificacion",
            "string",
            "Clasificación del gasto: objeto_gasto (capítulos y conceptos del COG), "
            "administrativa (dependencias) o programa (programas presupuestarios)",
        ),
        _c(
            "codigo",
            "string",
            "Código tal como se publica: COG01 (capítulo), COG11 (concepto), COGTOT (total), "
            "CA3 (dependencia), CATOT (total) o la clave del programa (p. ej. S311)",
        ),
        _c(
            "nivel",
            "string",
            "capitulo, concepto o total; vacío en líneas de programa. Capítulos, conceptos y "
            "totales se traslapan: sume un solo nivel de una sola clasificación",
        ),
        _c(
            "concepto",
            "string",
            "Capítulo o concepto del gasto, dependencia o concepto de la línea",
        ),
        _c(
            "programa",
            "string",
            "Programa presupuestario (vacío en clasificaciones por objeto o dependencia)",
        ),
        _c("aprobado", "number", "Monto aprobado", "pesos"),
        _c("modificado", "number", "Monto modificado", "pesos"),
        _c("comprometido", "number", "Monto comprometido", "pesos"),
        _c(
            "devengado",
            "number",
            "Monto devengado (vacío si el archivo es de presupuesto aprobado y lo repetía)",
            "pesos",
        ),
        _c("ejercido", "number", "Monto ejercido", "pesos"),
        _c("pagado", "number", "Monto pagado", "pesos"),
        _c("comprobado", "number", "Monto comprobado con documentación", "pesos"),
        _c("fecha_corte", "date", "Fecha de corte de las cifras (nunca posterior a la carga)"),
        _c(
            "fuente",
            "string",
            "Quién publica: shcp (SHCP) u ojos_al_gasto (Ojos al Gasto, Política Colectiva, ODbL)",
        ),
        _c(
            "cve_ent",
            "string",
            "Entidad federativa de la línea (clave INEGI de 2 dígitos): la de una línea estatal "
            "(cvegeo vacío) solo se sabe por esta columna; vacía en versiones anteriores",
        ),
    ],
    "obras": [
        _c("folio", "string", "Folio o identificador del proyecto"),
        _c("anio", "integer", "Ciclo (ejercicio) del reporte"),
        _c(
            "trimestre",
            "integer",
            "Trimestre del reporte (1 a 4; 5 = informe definitivo anual del SRFT, posterior "
            "al 4; vacío si el reporte es anual)",
        ),
        _c("nombre", "string", "Nombre del proyecto"),
        _c("nivel_gobierno", "string", "FEDERAL, ESTATAL o MUNICIPAL"),
        _c("cvegeo_declarado", "string", "Municipio responsable declarado (CVEGEO)"),
        _c("cvegeo_coordenadas", "string", "Municipio donde caen las coordenadas"),
        _c("categoria", "string", "Categoría / tipo de proyecto"),
        _c("clasificacion", "string", "Clasificación del proyecto"),
        _c("monto_aprobado", "number", "Monto global aprobado", "pesos"),
        _c("monto_modificado", "number", "Monto modificado", "pesos"),
        _c("monto_comprometido", "number", "Monto comprometido", "pesos"),
        _c("monto_devengado", "number", "Monto devengado", "pesos"),
        _c("monto_ejercido", "number", "Monto ejercido", "pesos"),
        _c("monto_pagado", "number", "Monto pagado", "pesos"),
        _c("fecha_inicio", "date", "Fecha de inicio"),
        _c("fecha_termino", "date", "Fecha estimada de término"),
        _c("estatus", "string", "Estatus publicado"),
        _c("avance_fisico", "number", "Avance físico publicado como fracción (puede ser inválido)"),
        _c("latitud", "number", "Latitud WGS84", "grados"),
        _c("longitud", "number", "Longitud WGS84", "grados"),
        _c("contratista", "string", "Razón social del contratista"),
        _c("rfc_contratista", "string", "RFC del contratista (persona moral)"),
        _c(
            "tipo_adjudicacion",
            "string",
            "LICITACION PUBLICA, INVITACION A TRES o ADJUDICACION DIRECTA",
        ),
        _c(
            "fuente",
            "string",
            "Fuente publicada: srft (SHCP SRFT), opa (SHCP Obra Pública Abierta), oc4ids "
            "(paquete OC4IDS) o ramo23 (SHCP Ramo 23)",
        ),
        _c(
            "formato",
            "string",
            "Formato de origen (partición de la capa): A (SRFT), B (Obra Pública Abierta), "
            "C (OC4IDS), D (Ramo 23)",
        ),
        _c("advertencias", "string", "Códigos de advertencia de la ingesta separados por ';'"),
    ],
    "estacionamientos": [
        _c("id", "string", "Identificador del cajón o estacionamiento"),
        _c("direccion", "string", "Dirección o referencia"),
        _c("cajones", "integer", "Número de cajones para personas con discapacidad"),
        _c(
            "estado",
            "string",
            "bueno, requiere_rehabilitacion, en_rehabilitacion, rehabilitado, propuesto",
        ),
        _c("fecha_revision", "date", "Fecha de la última revisión"),
        _c("observaciones", "string", "Observaciones"),
        _c("foto_url", "string", "Fotografía"),
        _c("latitud", "number", "Latitud WGS84", "grados"),
        _c("longitud", "number", "Longitud WGS84", "grados"),
        _c("cvegeo", "string", "Municipio donde cae el punto"),
        _c("origen", "string", "csv u osm"),
        _c("advertencias", "string", "Códigos de advertencia separados por ';'"),
    ],
}


#: Fuente publicada (columna ``fuente`` de ``obras``) de cada formato (columna ``formato``,
#: la partición de la capa). Sirve también para las versiones guardadas antes de que
#: existiera ``fuente``.
FUENTE_DE_FORMATO_OBRAS = {"A": "srft", "B": "opa", "C": "oc4ids", "D": "ramo23"}


def columnas(capa: str) -> list[str]:
    """Nombres de columna, en orden, de una capa del almacén."""
    return [campo.nombre for campo in ESQUEMAS[capa]]
