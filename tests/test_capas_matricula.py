"""Indicadores 5 (deserción) y 6 (aprobación) y su variación, calculados a mano."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from capas import matricula, tabla_escuelas, tabla_estado, tabla_municipios

try:
    from tests.conftest_capas import E1, E3, A, B, C, almacen_prueba, datos_prueba
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    from conftest_capas import E1, E3, A, B, C, almacen_prueba, datos_prueba

__all__ = ["almacen_prueba", "datos_prueba"]


def test_tasas_definicion():
    # (100 - 90) / 100 = 0.1; 81 / 90 = 0.9
    assert matricula.tasa_desercion(100, 90) == pytest.approx(0.1)
    assert matricula.tasa_aprobacion(81, 90) == pytest.approx(0.9)
    # sin inscritos o sin existencia: sin dato
    assert math.isnan(matricula.tasa_desercion(0, 0))
    assert math.isnan(matricula.tasa_desercion(None, 10))
    assert math.isnan(matricula.tasa_aprobacion(5, 0))
    assert math.isnan(matricula.variacion(0.1, 0.0))


def test_indicador_5_desercion_municipal(datos_prueba):
    tabla = tabla_municipios(datos_prueba).set_index(["cvegeo", "anio"])
    # A (solo E1): 2023 (100 - 90) / 100 = 0.1; 2024 (110 - 104) / 110 = 0.054545...
    assert tabla.loc[(A, 2023), "desercion"] == pytest.approx(0.1)
    assert tabla.loc[(A, 2024), "desercion"] == pytest.approx(0.05454545454545454)
    # variación 2024 = 0.054545... / 0.1
    assert tabla.loc[(A, 2024), "desercion_variacion"] == pytest.approx(0.5454545454545454)
    # B: 2023 inscritos 50 + 40 + 200 + 30 = 320, existencia 50 + 38 + 180 + 30 = 298
    #    -> 22 / 320 = 0.06875; 2024: 60 + 40 + 0 + 25 = 125 y 57 + 40 + 0 + 24 = 121
    #    -> 4 / 125 = 0.032; variación 0.032 / 0.06875
    assert tabla.loc[(B, 2023), "desercion"] == pytest.approx(0.06875)
    assert tabla.loc[(B, 2024), "desercion"] == pytest.approx(0.032)
    assert tabla.loc[(B, 2024), "desercion_variacion"] == pytest.approx(0.46545454545454545)


def test_indicador_6_aprobacion_municipal(datos_prueba):
    tabla = tabla_municipios(datos_prueba).set_index(["cvegeo", "anio"])
    # A: 81 / 90 = 0.9; 94 / 104 = 0.903846...; variación 0.903846... / 0.9
    assert tabla.loc[(A, 2023), "aprobacion"] == pytest.approx(0.9)
    assert tabla.loc[(A, 2024), "aprobacion"] == pytest.approx(0.9038461538461539)
    assert tabla.loc[(A, 2024), "aprobacion_variacion"] == pytest.approx(1.0042735042735043)
    # B (E3 no reporta aprobados y no cuenta): 2023 (45 + 150 + 30) / (50 + 180 + 30)
    # = 225 / 260; 2024 (57 + 0 + 20) / (57 + 0 + 24) = 77 / 81
    assert tabla.loc[(B, 2023), "aprobacion"] == pytest.approx(0.8653846153846154)
    assert tabla.loc[(B, 2024), "aprobacion"] == pytest.approx(0.9506172839506173)
    assert tabla.loc[(B, 2024), "aprobacion_variacion"] == pytest.approx(1.098491083676269)


def test_primer_ciclo_no_tiene_variacion(datos_prueba):
    tabla = tabla_municipios(datos_prueba, anio=2023)
    assert tabla["desercion_variacion"].isna().all()
    assert tabla["aprobacion_variacion"].isna().all()
    estado = tabla_estado(datos_prueba, anio=2023).iloc[0]
    assert math.isnan(estado["desercion_variacion"])


def test_municipio_sin_escuelas_no_tiene_tasas(datos_prueba):
    fila = tabla_municipios(datos_prueba, anio=2024, municipio=C).iloc[0]
    assert np.isnan(fila[["desercion", "aprobacion", "desercion_variacion"]].astype(float)).all()


def test_indicadores_5_y_6_estatales(datos_prueba):
    estado = tabla_estado(datos_prueba).set_index("anio")
    # 2023: (420 - 388) / 420; 2024: (235 - 225) / 235; variación (10/235) / (32/420)
    assert estado.loc[2023, "desercion"] == pytest.approx(0.0761904761904762)
    assert estado.loc[2024, "desercion"] == pytest.approx(0.0425531914893617)
    assert estado.loc[2024, "desercion_variacion"] == pytest.approx(0.5585106382978723)
    # 2023: (81 + 225) / (90 + 260) = 306 / 350; 2024: (94 + 77) / (104 + 81) = 171 / 185
    assert estado.loc[2023, "aprobacion"] == pytest.approx(0.8742857142857143)
    assert estado.loc[2024, "aprobacion"] == pytest.approx(0.9243243243243243)
    assert estado.loc[2024, "aprobacion_variacion"] == pytest.approx(1.0572337042925277)


def test_tasas_por_escuela(datos_prueba):
    tabla = tabla_escuelas(datos_prueba, anio=2024).set_index("cct")
    # E1: 0.054545... / 0.1
    assert tabla.loc[E1, "desercion_variacion"] == pytest.approx(0.5454545454545454)
    # E3: 2024 (40 - 40) / 40 = 0: una tasa 0 es un dato; variación 0 / 0.05 = 0
    assert tabla.loc[E3, "desercion"] == 0.0
    assert tabla.loc[E3, "desercion_variacion"] == 0.0
    # E3 no reporta aprobados
    assert math.isnan(tabla.loc[E3, "aprobacion"])


def test_variacion_usa_el_ciclo_inmediato_anterior():
    base = pd.DataFrame(
        {
            "cct": ["X", "X"],
            "anio": [2021, 2023],
            "cvegeo": ["20001", "20001"],
            "inscritos": [100.0, 100.0],
            "existencia": [90.0, 80.0],
            "aprobados": [90.0, 80.0],
            "atendidos": [0.0, 0.0],
        }
    )
    tasas = matricula.tasas_por_zona(base, "cvegeo")
    # falta 2022: 2023 no tiene variación aunque 2021 tenga tasa
    assert math.isnan(tasas.loc[("20001", 2023), "desercion_variacion"])


@pytest.mark.parametrize(
    ("indicador", "valor", "frase"),
    [
        ("desercion", 0.5, "menos deserción que el ciclo anterior (mejoró)"),
        ("desercion", 1.5, "más deserción que el ciclo anterior (empeoró)"),
        ("aprobacion", 0.9, "menos aprobación que el ciclo anterior (empeoró)"),
        ("aprobacion", 1.1, "más aprobación que el ciclo anterior (mejoró)"),
        ("aprobacion", 1.0, "la misma aprobación que el ciclo anterior"),
        ("desercion", None, "sin dato"),
    ],
)
def test_lectura_de_la_variacion(indicador, valor, frase):
    assert matricula.lectura_variacion(indicador, valor) == frase


def test_lectura_de_indicador_desconocido():
    with pytest.raises(ValueError, match="indicador debe ser uno de"):
        matricula.lectura_variacion("cobertura", 1.0)
