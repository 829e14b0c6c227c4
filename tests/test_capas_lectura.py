"""Lectura en caché por versión, capas que faltan, filtros y geometría."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

import capas
from almacen.versiones import Almacen
from capas.lectura import datos_de

try:
    from tests.conftest_capas import (
        E3,
        A,
        B,
        C,
        almacen_prueba,
        crear_almacen,
        datos_prueba,
        escuelas,
        matricula,
    )
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    from conftest_capas import (
        E3,
        A,
        B,
        C,
        almacen_prueba,
        crear_almacen,
        datos_prueba,
        escuelas,
        matricula,
    )

__all__ = ["almacen_prueba", "datos_prueba"]


def test_abrir_usa_la_cache_por_version(almacen_prueba, datos_prueba):
    assert capas.abrir(almacen_prueba.raiz) is datos_prueba
    assert capas.abrir(almacen_prueba.raiz, "v0001") is datos_prueba
    assert datos_de(almacen_prueba.version()) is datos_prueba
    assert datos_prueba.id == "v0001"
    assert str(datos_prueba.fecha_corte) == "2025-09-30"
    assert not datos_prueba.es_ejemplo


def test_una_version_nueva_se_lee_aparte_y_la_anterior_sigue_igual(tmp_path):
    almacen = crear_almacen(tmp_path)
    primera = capas.abrir(tmp_path)
    otras = escuelas().assign(basica_publica=pd.array([False] * 6, dtype="boolean"))
    almacen.crear_version({"escuelas": (otras, None)}, carga={"tipo": "escuelas", "archivo": "y"})
    segunda = capas.abrir(tmp_path)
    assert segunda.id == "v0002" and segunda is not primera
    assert capas.tabla_escuelas(segunda).empty
    assert len(capas.tabla_escuelas(capas.abrir(tmp_path, "v0001"), anio=2024)) == 5


def test_las_tablas_devueltas_no_alteran_la_cache(datos_prueba):
    tabla = capas.tabla_municipios(datos_prueba, anio=2024)
    tabla["cobertura"] = 99.0
    tabla.loc[0, "municipio"] = "otro"
    otra = capas.tabla_municipios(datos_prueba, anio=2024)
    assert otra["cobertura"].max() < 1.0
    assert otra.loc[0, "municipio"] == "Abejones"


def test_fuente_no_valida():
    with pytest.raises(TypeError, match="fuente debe ser una Version"):
        datos_de("no es una versión")


def test_filtros_de_municipios_y_escuelas(datos_prueba):
    assert list(capas.tabla_municipios(datos_prueba, anio=2024, municipio=[C, A])["cvegeo"]) == [
        A,
        C,
    ]
    escuelas_b = capas.tabla_escuelas(datos_prueba, anio=2024, municipio=B)
    assert set(escuelas_b["cvegeo"]) == {B} and len(escuelas_b) == 4
    # sin año: todos los años con algún dato (2023, 2024 y 2025 por el presupuesto)
    assert sorted(set(capas.tabla_municipios(datos_prueba)["anio"])) == [2023, 2024, 2025]


def test_escuelas_filtradas_son_filas_del_ciclo_y_no_tocan_la_cache(datos_prueba):
    """La tabla del ciclo se arma una vez por versión; municipio, nivel y semáforo solo
    escogen sus filas (mismos valores, índice desde 0) y quien modifica lo leído no cambia
    la siguiente lectura."""
    ciclo = capas.tabla_escuelas(datos_prueba, anio=2024)
    de_b = ciclo[ciclo["cvegeo"] == B].reset_index(drop=True)
    pd.testing.assert_frame_equal(capas.tabla_escuelas(datos_prueba, anio=2024, municipio=B), de_b)
    luz = ciclo["semaforo_cobertura"].iloc[0]
    elegidas = ciclo[(ciclo["cvegeo"] == B) & (ciclo["semaforo_cobertura"] == luz)]
    pd.testing.assert_frame_equal(
        capas.tabla_escuelas(datos_prueba, anio="2024", municipio=[B], semaforo=[luz]),
        elegidas.reset_index(drop=True),
    )
    leida = capas.tabla_escuelas(datos_prueba, anio=2024)
    leida["nombre"] = "CAMBIADO"
    leida.loc[0, "alumnos_inscritos"] = -1
    pd.testing.assert_frame_equal(capas.tabla_escuelas(datos_prueba, anio=2024), ciclo)
    assert capas.tabla_escuelas(datos_prueba, anio=1990).empty


def test_geometria(datos_prueba):
    municipios = capas.tabla_municipios(datos_prueba, anio=2024, geometria=True)
    assert isinstance(municipios, gpd.GeoDataFrame)
    assert municipios.crs.to_epsg() == 4326
    assert municipios.geometry.geom_type.tolist() == ["Polygon"] * 3
    escuelas_geo = capas.tabla_escuelas(datos_prueba, anio=2024, geometria=True).set_index("cct")
    assert escuelas_geo.geometry.loc[E3] is None  # sin coordenadas
    assert escuelas_geo.geometry.drop(index=E3).geom_type.eq("Point").all()


def test_padron_agregado(datos_prueba):
    tabla = capas.tabla_padron(datos_prueba, anio=2024)
    total = tabla[tabla["beneficio"] == "TOTAL"].set_index("cct")
    assert total["alumnos"].sum() == 225  # 100 + 60 + 30 + 5 + 30 (sin corregir repetidos)
    assert not total.loc["20PPR0005E", "en_programa"]
    assert total.loc["20DPR0002B", "cvegeo"] == B


def test_version_con_pocas_capas(tmp_path):
    """Sin padrón, presupuesto ni obras: las capas se arman con sin dato, no fallan."""
    Almacen(tmp_path).crear_version(
        {"escuelas": (escuelas(), None), "matricula": (matricula(), None)},
        carga={"tipo": "prueba", "archivo": "x"},
    )
    datos = capas.abrir(tmp_path)
    municipios = capas.tabla_municipios(datos, anio=2024).set_index("cvegeo")
    # sin capa municipios: los municipios que aparecen en los datos
    assert list(municipios.index) == [A, B]
    assert municipios["cobertura"].isna().all()  # no hay padrón: sin dato, no 0
    assert municipios["obras"].isna().all()  # no hay obras cargadas: sin dato
    assert set(municipios["semaforo_gasto"]) == {"gris"}
    for capa in capas.REGISTRO:
        assert list(capa.leer(datos).columns[: len(capa.columnas)]) == list(capa.columnas)
    assert capas.resumen_calidad(datos)["cantidad"].ge(0).all()


def test_la_memoria_por_version_tiene_tope(monkeypatch):
    """``DatosVersion.memo`` guarda a lo más ``MEMO_MAXIMO`` cálculos (las claves pueden
    venir del navegador): el más viejo sin usar sale primero y se recalcula si se pide."""
    from capas import lectura

    datos = lectura.DatosVersion(version=None)
    monkeypatch.setattr(datos, "_memo", type(datos._memo)(3))
    calculos = []

    def calcular(clave):
        calculos.append(clave)
        return clave * 10

    for clave in (1, 2, 3, 1, 4):  # 1 se usó otra vez: sale 2
        assert datos.memo(clave, lambda c=clave: calcular(c)) == clave * 10
    assert len(datos._memo) == 3 and calculos == [1, 2, 3, 4]
    assert datos.memo(2, lambda: calcular(2)) == 20
    assert calculos == [1, 2, 3, 4, 2]
    assert lectura.MEMO_MAXIMO == 4_096
