"""Registro de capas: contrato de columnas, campos documentados y carga de cada capa."""

from __future__ import annotations

import pandas as pd
import pytest

import capas
from capas.config import LUCES

try:
    from tests.conftest_capas import almacen_prueba, datos_prueba
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    from conftest_capas import almacen_prueba, datos_prueba

__all__ = ["almacen_prueba", "datos_prueba"]

#: Columnas fijas de INDICADORES.md ("Open-data contract"): otras herramientas dependen de ellas.
CONTRATO = {
    "municipios": (
        "cvegeo", "municipio", "anio", "alumnos_inscritos", "alumnos_atendidos", "cobertura",
        "semaforo_cobertura", "presupuesto_aprobado", "presupuesto_ejercido", "eficacia",
        "semaforo_gasto", "desercion", "desercion_variacion", "aprobacion",
        "aprobacion_variacion", "obras", "obras_monto_aprobado", "obras_con_alerta",
    ),
    "escuelas": (
        "cct", "nombre", "nivel", "cvegeo", "anio", "alumnos_inscritos", "alumnos_atendidos",
        "cobertura", "semaforo_cobertura", "latitud", "longitud",
    ),
    "obras": (
        "folio", "nombre", "nivel_gobierno", "cvegeo", "anio", "monto_aprobado",
        "monto_ejercido", "monto_pagado", "avance_fisico", "avance_financiero", "estatus",
        "contratista", "semaforo", "alertas", "latitud", "longitud", "fecha_inicio",
        "fecha_termino", "fuente",
    ),
    "estacionamientos": (
        "id", "direccion", "cajones", "estado", "reportes_abiertos", "latitud", "longitud",
    ),
    "programas": ("programa", "anio", "cvegeo", "municipio", "beneficiarios", "monto"),
    "presupuesto": (
        "anio", "cvegeo", "clasificacion", "codigo", "nivel", "concepto", "aprobado",
        "modificado", "devengado", "ejercido", "pagado", "comprobado", "fuente",
    ),
}  # fmt: skip

#: Capas sin filas en los datos de ejemplo: el ejemplo no trae padrones públicos (la capa
#: ``programas`` se prueba con datos en tests/test_programas.py).
SIN_DATOS_DE_EJEMPLO = {"programas"}

TIPOS = {"string", "integer", "number", "boolean", "date", "geojson"}


def test_registro_explicito():
    assert capas.NOMBRES == (
        "municipios",
        "escuelas",
        "padron",
        "presupuesto",
        "obras",
        "estacionamientos",
        "programas",
    )
    en_contrato = {c.nombre for c in capas.REGISTRO if c.en_contrato}
    assert en_contrato == {
        "municipios", "escuelas", "obras", "estacionamientos", "presupuesto", "programas",
    }  # fmt: skip
    with pytest.raises(ValueError, match="Capa desconocida"):
        capas.capa("inexistente")


@pytest.mark.parametrize("nombre", sorted(CONTRATO))
def test_columnas_de_contrato_fijas(nombre):
    assert capas.capa(nombre).columnas == CONTRATO[nombre]


@pytest.mark.parametrize("capa", capas.REGISTRO, ids=lambda c: c.nombre)
def test_cada_campo_esta_documentado(capa):
    assert capa.titulo and capa.descripcion
    nombres = capa.nombres_campos
    assert len(nombres) == len(set(nombres))
    assert nombres[: len(capa.columnas)] == list(capa.columnas)
    for campo in capa.campos:
        assert campo.tipo in TIPOS, campo
        assert len(campo.descripcion) > 10, campo


@pytest.mark.parametrize("capa", capas.REGISTRO, ids=lambda c: c.nombre)
def test_cada_capa_devuelve_sus_campos_documentados(capa, datos_prueba):
    tabla = capa.leer(datos_prueba)
    assert list(tabla.columns) == capa.nombres_campos
    assert len(tabla) > 0


def test_filtro_desconocido(datos_prueba):
    with pytest.raises(ValueError, match="no acepta los filtros"):
        capas.capa("obras").leer(datos_prueba, color="rojo")


def test_filtro_vacio_se_ignora(datos_prueba):
    tabla = capas.capa("municipios").leer(datos_prueba, anio=2024, municipio=None)
    assert len(tabla) == 3


def _revisar(tabla: pd.DataFrame, capa) -> None:
    assert list(tabla.columns[: len(capa.columnas)]) == list(capa.columnas)
    assert list(tabla.columns) == capa.nombres_campos
    for columna in tabla.columns:
        if columna.startswith("semaforo"):
            assert set(tabla[columna].dropna()) <= set(LUCES), columna


@pytest.mark.parametrize("capa", capas.REGISTRO, ids=lambda c: c.nombre)
def test_cada_capa_carga_con_los_datos_de_ejemplo(capa, version_ejemplo):
    """Con los datos de ejemplo incluidos, cada capa se arma y tiene sus columnas."""
    tabla = capa.leer(version_ejemplo)
    if capa.nombre in SIN_DATOS_DE_EJEMPLO:
        assert len(tabla) == 0, capa.nombre
    else:
        assert len(tabla) > 0, capa.nombre
    _revisar(tabla, capa)
    if "anio" in capa.filtros and len(tabla):
        anio = int(pd.to_numeric(tabla["anio"]).max())
        _revisar(capa.leer(version_ejemplo, anio=anio), capa)
