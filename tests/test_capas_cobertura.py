"""Indicadores 1, 3 y 4 (cobertura) y semáforo de cobertura, calculados a mano."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from capas import cobertura, tabla_escuelas, tabla_estado, tabla_municipios
from capas.config import PALETA, Umbrales

try:
    from tests.conftest_capas import E1, E2, E3, E4, E5, E6, A, B, C, almacen_prueba, datos_prueba
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    from conftest_capas import E1, E2, E3, E4, E5, E6, A, B, C, almacen_prueba, datos_prueba

__all__ = ["almacen_prueba", "datos_prueba"]


def test_municipio_escuela_usa_coordenadas_y_si_no_el_declarado():
    escuelas = pd.DataFrame(
        {
            "cvegeo_coordenadas": pd.Series(["20002", None, "20001"], dtype="str"),
            "cvegeo_declarado": pd.Series(["20001", "20003", None], dtype="str"),
        }
    )
    assert list(cobertura.municipio_escuela(escuelas)) == ["20002", "20003", "20001"]


def test_base_escolar_solo_escuelas_del_programa_con_su_municipio(datos_prueba):
    base = datos_prueba.base_escolar
    ubicacion = dict(zip(base["cct"], base["cvegeo"], strict=True))
    # E2 se declaró en A pero sus coordenadas caen en B; E3 no tiene coordenadas (declarado B);
    # E5 es privada y queda fuera del programa.
    assert ubicacion == {E1: A, E2: B, E3: B, E4: B, E6: B}
    assert sorted(set(base["anio"])) == [2023, 2024]


def test_indicador_1_cobertura_estatal(datos_prueba):
    estado = tabla_estado(datos_prueba).set_index("anio")
    # 2023: atendidos 0 (E1) + 45 + 40 + 150 + 20 = 255; inscritos 100 + 50 + 40 + 200 + 30 = 420
    assert estado.loc[2023, "alumnos_atendidos"] == 255
    assert estado.loc[2023, "alumnos_inscritos"] == 420
    assert estado.loc[2023, "cobertura"] == pytest.approx(0.6071428571428571)  # 255 / 420
    # 2024: atendidos 100 + 60 + 30 + 0 + 30 = 220, menos 2 alumnos repetidos en la entidad
    # (grupo 1 en E1 y E2, grupo 2 en E2 y E3; el grupo 3 está en E5, privada) = 218;
    # inscritos 110 + 60 + 40 + 0 + 25 = 235
    assert estado.loc[2024, "alumnos_atendidos"] == 218
    assert estado.loc[2024, "alumnos_inscritos"] == 235
    assert estado.loc[2024, "cobertura"] == pytest.approx(0.9276595744680851)  # 218 / 235
    assert estado.loc[2024, "semaforo_cobertura"] == "amarillo"


def test_indicador_3_cobertura_municipal(datos_prueba):
    tabla = tabla_municipios(datos_prueba, anio=2024).set_index("cvegeo")
    # A: solo E1 (E5 es privada, E2 cae en B): 100 / 110
    assert tabla.loc[A, "alumnos_atendidos"] == 100
    assert tabla.loc[A, "alumnos_inscritos"] == 110
    assert tabla.loc[A, "cobertura"] == pytest.approx(0.9090909090909091)
    assert tabla.loc[A, "semaforo_cobertura"] == "amarillo"
    # B: E2 + E3 + E4 + E6 = 60 + 30 + 0 + 30 = 120, menos el grupo 2 (E2 y E3, ambas en B)
    # = 119; el grupo 1 (E1 en A y E2 en B) cuenta una vez en cada municipio.
    # Inscritos 60 + 40 + 0 + 25 = 125. 119 / 125 = 0.952
    assert tabla.loc[B, "alumnos_atendidos"] == 119
    assert tabla.loc[B, "alumnos_inscritos"] == 125
    assert tabla.loc[B, "cobertura"] == pytest.approx(0.952)
    assert tabla.loc[B, "semaforo_cobertura"] == "verde"
    assert tabla.loc[B, "escuelas"] == 4


def test_municipio_con_escuelas_sin_beneficiarios_tiene_cobertura_0(datos_prueba):
    tabla = tabla_municipios(datos_prueba, anio=2023).set_index("cvegeo")
    # En 2023 el padrón existe pero E1, la única escuela del programa en A, no aparece: 0 / 100
    assert tabla.loc[A, "alumnos_atendidos"] == 0
    assert tabla.loc[A, "cobertura"] == 0.0
    assert tabla.loc[A, "semaforo_cobertura"] == "rojo"
    # B en 2023: (45 + 40 + 150 + 20) / (50 + 40 + 200 + 30) = 255 / 320 = 0.796875 -> rojo
    assert tabla.loc[B, "cobertura"] == pytest.approx(0.796875)
    assert tabla.loc[B, "semaforo_cobertura"] == "rojo"


def test_municipio_sin_escuelas_no_tiene_dato(datos_prueba):
    fila = tabla_municipios(datos_prueba, anio=2024, municipio=C).iloc[0]
    assert fila["escuelas"] == 0
    assert pd.isna(fila["alumnos_inscritos"])
    assert pd.isna(fila["alumnos_atendidos"])
    assert math.isnan(fila["cobertura"])
    assert fila["semaforo_cobertura"] == "gris"
    assert fila["etiqueta_cobertura"] == "sin dato"


def test_indicador_4_cobertura_por_escuela(datos_prueba):
    tabla = tabla_escuelas(datos_prueba, anio=2024).set_index("cct")
    assert E5 not in tabla.index  # privada: fuera del programa
    assert tabla.loc[E1, "cobertura"] == pytest.approx(0.9090909090909091)  # 100 / 110
    assert tabla.loc[E2, "cobertura"] == 1.0  # 60 / 60
    assert tabla.loc[E3, "cobertura"] == 0.75  # 30 / 40
    assert list(tabla.loc[[E1, E2, E3], "semaforo_cobertura"]) == ["amarillo", "verde", "rojo"]
    # E2: fuera de su municipio declarado (A), se ubica en B
    assert tabla.loc[E2, "cvegeo"] == B
    assert tabla.loc[E2, "cvegeo_declarado"] == A
    assert bool(tabla.loc[E2, "fuera_de_municipio"])


def test_escuela_sin_inscritos_no_tiene_dato(datos_prueba):
    fila = tabla_escuelas(datos_prueba, anio=2024).set_index("cct").loc[E4]
    # E4 reportó 0 inscritos y no está en el padrón: 0 / 0 -> sin dato, nunca 0 ni infinito
    assert fila["alumnos_inscritos"] == 0
    assert fila["alumnos_atendidos"] == 0
    assert math.isnan(fila["cobertura"])
    assert fila["semaforo_cobertura"] == "gris"


def test_escuela_con_inscritos_sin_beneficiarios_tiene_cobertura_0(datos_prueba):
    fila = tabla_escuelas(datos_prueba, anio=2023).set_index("cct").loc[E1]
    assert fila["cobertura"] == 0.0  # 0 / 100


def test_cobertura_mayor_que_100_se_publica_tal_cual_y_se_marca(datos_prueba):
    tabla = tabla_escuelas(datos_prueba, anio=2024).set_index("cct")
    # E6: 30 atendidos / 25 inscritos = 1.2
    assert tabla.loc[E6, "cobertura"] == pytest.approx(1.2)
    assert bool(tabla.loc[E6, "cobertura_excedida"])
    assert tabla.loc[E6, "semaforo_cobertura"] == "verde"
    assert not tabla.drop(index=E6)["cobertura_excedida"].any()


def test_ciclo_sin_padron_no_tiene_dato_de_atendidos():
    escuelas = pd.DataFrame(
        {
            "cct": ["X1"],
            "basica_publica": [True],
            "cvegeo_declarado": ["20001"],
            "cvegeo_coordenadas": ["20001"],
        }
    )
    matricula = pd.DataFrame(
        {
            "cct": ["X1", "X1"],
            "anio": [2023, 2024],
            "inscritos": [10, 20],
            "existencia": [10, 20],
            "aprobados": [10, 20],
        }
    )
    padron = pd.DataFrame({"cct": ["X1"], "anio": [2024], "beneficio": ["TOTAL"], "alumnos": [5]})
    base = cobertura.base_escolar(escuelas, matricula, padron).set_index("anio")
    # No hay padrón de 2023: no se sabe cuántos recibieron (no es 0)
    assert math.isnan(base.loc[2023, "atendidos"])
    assert base.loc[2024, "atendidos"] == 5
    tabla = cobertura.cobertura_escuelas(base.reset_index()).set_index("anio")
    assert math.isnan(tabla.loc[2023, "cobertura"])
    assert tabla.loc[2024, "cobertura"] == 0.25  # 5 / 20


def test_cobertura_division_segura():
    resultado = cobertura.cobertura(
        np.array([5.0, 5.0, np.nan, 0.0]), np.array([0.0, 10.0, 4.0, 8.0])
    )
    # 5 / 0 -> sin dato; 5 / 10 = 0.5; falta el numerador -> sin dato; 0 / 8 = 0
    assert np.isnan(resultado[0]) and np.isnan(resultado[2])
    assert list(resultado[[1, 3]]) == [0.5, 0.0]
    assert cobertura.cobertura(3, None) != cobertura.cobertura(3, None)  # NaN


@pytest.mark.parametrize(
    ("valor", "luz", "etiqueta"),
    [
        (0.95, "verde", "cobertura alta"),
        (1.30, "verde", "cobertura alta"),
        (0.9499, "amarillo", "cobertura media"),
        (0.80, "amarillo", "cobertura media"),
        (0.7999, "rojo", "cobertura baja"),
        (0.0, "rojo", "cobertura baja"),
        (None, "gris", "sin dato"),
        (float("nan"), "gris", "sin dato"),
    ],
)
def test_semaforo_de_cobertura(valor, luz, etiqueta):
    resultado = cobertura.semaforo_cobertura(valor)
    assert (resultado.luz, resultado.etiqueta) == (luz, etiqueta)
    assert resultado.icono == PALETA[luz].icono
    assert resultado.color == PALETA[luz].color


def test_semaforo_de_cobertura_con_umbrales_propios():
    umbrales = Umbrales(cobertura_verde=0.90, cobertura_amarillo=0.50)
    assert cobertura.semaforo_cobertura(0.91, umbrales).luz == "verde"
    assert cobertura.semaforo_cobertura(0.60, umbrales).luz == "amarillo"
    assert cobertura.semaforo_cobertura(0.49, umbrales).luz == "rojo"
