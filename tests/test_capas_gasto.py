"""Indicador 2 (eficacia presupuestal) y semáforo del gasto, calculados a mano."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from capas import gasto, tabla_estado, tabla_municipios, tabla_presupuesto
from capas.config import PALETA, Umbrales

try:
    from tests.conftest_capas import A, B, C, almacen_prueba, datos_prueba
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    from conftest_capas import A, B, C, almacen_prueba, datos_prueba

__all__ = ["almacen_prueba", "datos_prueba"]


@pytest.mark.parametrize(
    ("anio", "corte", "esperado"),
    [
        (2025, "2025-09-30", 0.7479452054794521),  # 273 / 365
        (2025, "2025-06-30", 0.4958904109589041),  # 181 / 365
        (2024, "2024-02-29", 0.16393442622950818),  # 60 / 366 (año bisiesto)
        (2024, "2024-12-31", 1.0),  # 366 / 366
        (2024, "2025-09-30", 1.0),  # año cerrado
        (2026, "2025-09-30", 0.0),  # el año aún no empieza
        (2025, date(2025, 1, 1), 0.0027397260273972603),  # 1 / 365
    ],
)
def test_fraccion_del_anio_transcurrida(anio, corte, esperado):
    assert gasto.fraccion_anio_transcurrido(anio, corte) == pytest.approx(esperado)


def test_fraccion_del_anio_sin_fecha_de_corte_no_tiene_dato():
    assert math.isnan(gasto.fraccion_anio_transcurrido(2025, None))
    vector = gasto.fraccion_anio_transcurrido(
        np.array([2024, 2025]), pd.Series(["2025-09-30", None])
    )
    assert vector[0] == 1.0 and math.isnan(vector[1])


def test_semaforo_verde_en_tiempo():
    r = gasto.semaforo_gasto(anio=2024, fecha_corte="2025-01-15", aprobado=100, ejercido=95)
    # avance 95 / 100 = 0.95; esperado 1 (año cerrado); r = 0.95 >= 0.90
    assert (r.luz, r.etiqueta, r.icono) == ("verde", "en tiempo", PALETA["verde"].icono)
    assert (r.avance, r.esperado, r.razon) == (0.95, 1.0, 0.95)
    assert (r.etapa_avance, r.etapa_base, r.etapas) == (
        "ejercido",
        "aprobado",
        "ejercido / aprobado",
    )


def test_semaforo_usa_comprobado_y_modificado_cuando_existen():
    r = gasto.semaforo_gasto(
        anio=2024, fecha_corte="2024-12-31", aprobado=100, modificado=200, ejercido=180,
        comprobado=150,
    )  # fmt: skip
    # avance 150 / 200 = 0.75 -> 0.70 <= r < 0.90
    assert (r.luz, r.etiqueta) == ("amarillo", "con rezago")
    assert r.avance == 0.75
    assert r.etapas == "comprobado / modificado"


def test_semaforo_usa_devengado_si_no_hay_ejercido():
    r = gasto.semaforo_gasto(anio=2024, fecha_corte="2024-12-31", aprobado=100, devengado=50)
    # 50 / 100 = 0.5 < 0.70
    assert (r.luz, r.etiqueta, r.etapas) == ("rojo", "rezago grave", "devengado / aprobado")


def test_semaforo_sobregiro():
    r = gasto.semaforo_gasto(anio=2025, fecha_corte="2025-09-30", aprobado=100, ejercido=120)
    # avance 1.2 > 1.00: se gastó más de lo asignado, aunque r sea alto
    assert (r.luz, r.etiqueta, r.icono) == ("rojo", "sobregiro", PALETA["rojo"].icono)


def test_semaforo_sobregiro_se_detecta_sin_fecha_de_corte():
    r = gasto.semaforo_gasto(anio=2025, fecha_corte=None, aprobado=100, ejercido=120)
    assert (r.luz, r.etiqueta) == ("rojo", "sobregiro")
    assert math.isnan(r.esperado)


def test_semaforo_a_mitad_de_anio():
    r = gasto.semaforo_gasto(anio=2025, fecha_corte="2025-09-30", aprobado=100, ejercido=60)
    # esperado 273 / 365 = 0.747945...; r = 0.6 / 0.747945... = 0.802197... -> amarillo
    assert r.razon == pytest.approx(0.8021978021978021)
    assert r.luz == "amarillo"


@pytest.mark.parametrize(
    ("ejercido", "luz"),
    [(100, "verde"), (90, "verde"), (70, "amarillo"), (69.99, "rojo"), (100.01, "rojo")],
)
def test_semaforo_limites(ejercido, luz):
    # año cerrado: r = avance = ejercido / 100
    r = gasto.semaforo_gasto(anio=2024, fecha_corte="2024-12-31", aprobado=100, ejercido=ejercido)
    assert r.luz == luz


@pytest.mark.parametrize(
    "montos",
    [
        {"aprobado": 100},  # no hay avance
        {"ejercido": 50},  # no hay monto asignado
        {"aprobado": 0, "ejercido": 50},  # división entre cero
    ],
)
def test_semaforo_sin_dato(montos):
    r = gasto.semaforo_gasto(anio=2024, fecha_corte="2024-12-31", **montos)
    assert (r.luz, r.etiqueta, r.icono) == ("gris", "sin dato", PALETA["gris"].icono)
    assert math.isnan(r.avance)
    assert r.etapas == "sin dato"


def test_semaforo_sin_fecha_de_corte_no_tiene_dato():
    r = gasto.semaforo_gasto(anio=2025, fecha_corte=None, aprobado=100, ejercido=50)
    assert r.luz == "gris"


def test_semaforo_con_umbrales_propios():
    umbrales = Umbrales(gasto_verde=0.5, gasto_amarillo=0.3)
    r = gasto.semaforo_gasto(
        anio=2024, fecha_corte="2024-12-31", aprobado=100, ejercido=55, umbrales=umbrales
    )
    assert r.luz == "verde"


def test_indicador_2_eficacia_estatal(datos_prueba):
    estado = tabla_estado(datos_prueba, anio=2024).iloc[0]
    # Todas las líneas del programa: A, B, C y la estatal (sin municipio).
    # aprobado 1,000,000 + 500,000 + 200,000 + 2,000,000 = 3,700,000
    # ejercido 1,100,000 + 450,000 + 230,000 + 1,500,000 = 3,280,000
    assert estado["presupuesto_aprobado"] == 3_700_000
    assert estado["presupuesto_ejercido"] == 3_280_000
    assert estado["eficacia"] == pytest.approx(0.8864864864864865)  # 3.28 M / 3.7 M
    # vigente: modificado de A (1.2 M) y de la estatal (2.1 M), aprobado de B (0.5 M) y de
    # C (0.2 M) = 4 M; 3.28 M / 4 M
    assert estado["eficacia_modificado"] == pytest.approx(0.82)
    assert estado["presupuesto_modificado"] == 3_300_000  # solo lo publicado: 1.2 M + 2.1 M


def test_semaforo_estatal_suma_el_avance_de_cada_linea(datos_prueba):
    estado = tabla_estado(datos_prueba, anio=2024).iloc[0]
    # avance de cada línea: A ejercido 1.1 M / modificado 1.2 M; B comprobado 0.3 M /
    # aprobado 0.5 M; C ejercido 0.23 M / aprobado 0.2 M; estatal ejercido 1.5 M /
    # modificado 2.1 M -> (1.1 + 0.3 + 0.23 + 1.5) / (1.2 + 0.5 + 0.2 + 2.1) = 3.13 / 4
    assert estado["avance_gasto"] == pytest.approx(0.7825)
    assert estado["esperado_gasto"] == 1.0  # 2024 cerró antes del corte 2025-09-30
    assert (estado["semaforo_gasto"], estado["etiqueta_gasto"]) == ("amarillo", "con rezago")
    assert estado["etapa_avance"] == "comprobado y ejercido"
    assert estado["etapa_base"] == "modificado y aprobado"


def test_semaforo_estatal_omite_lineas_sin_dato(datos_prueba):
    estado = tabla_estado(datos_prueba, anio=2025).iloc[0]
    # 2025: A (aprobado 1 M, devengado 0.4 M, corte 2025-06-30) y B (solo ejercido 10):
    # B no tiene monto asignado y no entra al semáforo: 0.4 M / 1 M = 0.4;
    # esperado 181 / 365; r = 0.8066 -> con rezago
    assert estado["avance_gasto"] == pytest.approx(0.4)
    assert estado["esperado_gasto"] == pytest.approx(0.4958904109589041)
    assert estado["semaforo_gasto"] == "amarillo"
    assert (estado["etapa_avance"], estado["etapa_base"]) == ("devengado", "aprobado")
    # eficacia: ejercido 10 / aprobado 1,000,000 (sumas de lo publicado)
    assert estado["eficacia"] == pytest.approx(0.00001)
    assert math.isnan(estado["eficacia_modificado"])  # ninguna línea publica modificado


def test_indicador_2_y_semaforo_por_municipio(datos_prueba):
    tabla = tabla_municipios(datos_prueba, anio=2024).set_index("cvegeo")
    # A: la línea de "Caminos rurales" (9,999) no es del programa y no se suma
    assert tabla.loc[A, "presupuesto_aprobado"] == 1_000_000
    assert tabla.loc[A, "eficacia"] == pytest.approx(1.1)  # 1.1 M / 1 M
    assert tabla.loc[A, "eficacia_modificado"] == pytest.approx(0.9166666666666666)  # / 1.2 M
    assert (tabla.loc[A, "semaforo_gasto"], tabla.loc[A, "etiqueta_gasto"]) == (
        "verde",
        "en tiempo",
    )  # 1.1 M / 1.2 M = 0.9167 >= 0.90, año cerrado
    assert (tabla.loc[A, "etapa_avance"], tabla.loc[A, "etapa_base"]) == ("ejercido", "modificado")
    # B: sin modificado y con comprobado: 300,000 / 500,000 = 0.6 -> rezago grave
    assert tabla.loc[B, "eficacia"] == pytest.approx(0.9)  # 450,000 / 500,000
    assert math.isnan(tabla.loc[B, "eficacia_modificado"])
    assert tabla.loc[B, "avance_gasto"] == pytest.approx(0.6)
    assert (tabla.loc[B, "semaforo_gasto"], tabla.loc[B, "etiqueta_gasto"]) == (
        "rojo",
        "rezago grave",
    )
    assert (tabla.loc[B, "etapa_avance"], tabla.loc[B, "etapa_base"]) == ("comprobado", "aprobado")
    # C: 230,000 / 200,000 = 1.15 -> sobregiro
    assert tabla.loc[C, "eficacia"] == pytest.approx(1.15)
    assert (tabla.loc[C, "semaforo_gasto"], tabla.loc[C, "etiqueta_gasto"]) == ("rojo", "sobregiro")


def test_semaforo_municipal_a_mitad_de_anio_con_fecha_de_la_linea(datos_prueba):
    tabla = tabla_municipios(datos_prueba, anio=2025).set_index("cvegeo")
    # A 2025: devengado 400,000 / aprobado 1,000,000 = 0.4; corte de la línea 2025-06-30:
    # esperado 181 / 365 = 0.49589...; r = 0.80663 -> con rezago
    assert tabla.loc[A, "avance_gasto"] == pytest.approx(0.4)
    assert tabla.loc[A, "esperado_gasto"] == pytest.approx(0.4958904109589041)
    assert tabla.loc[A, "semaforo_gasto"] == "amarillo"
    assert math.isnan(tabla.loc[A, "eficacia"])  # no hay ejercido
    # B 2025: ejercido sin aprobado ni modificado -> sin dato
    assert (tabla.loc[B, "semaforo_gasto"], tabla.loc[B, "etiqueta_gasto"]) == ("gris", "sin dato")
    # C 2025: no hay presupuesto
    assert tabla.loc[C, "semaforo_gasto"] == "gris"
    assert math.isnan(tabla.loc[C, "presupuesto_aprobado"])


def test_capa_presupuesto_por_linea(datos_prueba):
    tabla = tabla_presupuesto(datos_prueba, anio=2024)
    assert len(tabla) == 5
    assert list(tabla["programa_escolar"]) == [True, True, True, True, False]
    # las líneas de 2024 no traen fecha de corte: se usa la de la versión (2025-09-30),
    # con la que el año 2024 ya cerró
    assert set(tabla["esperado"]) == {1.0}
    assert list(tabla["semaforo_gasto"]) == ["verde", "rojo", "rojo", "amarillo", "gris"]
    assert list(tabla["etiqueta_gasto"]) == [
        "en tiempo",
        "rezago grave",
        "sobregiro",
        "con rezago",
        "sin dato",
    ]


def test_capa_presupuesto_filtros(datos_prueba):
    assert len(tabla_presupuesto(datos_prueba, municipio=A)) == 3
    assert len(tabla_presupuesto(datos_prueba, programa="caminos rurales")) == 1


def test_montos_por_zona():
    lineas = pd.DataFrame(
        {
            "anio": [2024, 2024, 2024, 2024],
            "cvegeo": ["X", "X", "Y", "Y"],
            "aprobado": [100.0, 50.0, 10.0, 20.0],
            "ejercido": [np.nan, np.nan, np.nan, 8.0],
            "comprobado": [80.0, np.nan, 5.0, np.nan],
        }
    )
    montos = gasto.montos_por_zona(lineas, ["anio", "cvegeo"])
    x, y = montos.loc[(2024, "X")], montos.loc[(2024, "Y")]
    # X: etapas sumadas como en una hoja de cálculo: aprobado 150, comprobado 80
    assert (x["aprobado"], x["comprobado"], x["lineas"]) == (150.0, 80.0, 2)
    assert math.isnan(x["ejercido"])
    # semáforo de X: la segunda línea no tiene avance y no cuenta: 80 / 100
    assert (x["avance_monto"], x["base_monto"]) == (80.0, 100.0)
    assert (x["etapa_avance"], x["etapa_base"]) == ("comprobado", "aprobado")
    # Y: comprobado 5 (línea 1) y ejercido 8 (línea 2): (5 + 8) / (10 + 20)
    assert (y["avance_monto"], y["base_monto"]) == (13.0, 30.0)
    assert y["etapa_avance"] == "comprobado y ejercido"
    semaforo = gasto.semaforos_gasto(montos.reset_index().assign(fecha_corte="2024-12-31"))
    assert list(semaforo["avance"]) == pytest.approx([0.8, 0.43333333333333335])  # 13 / 30
    assert list(semaforo["semaforo_gasto"]) == ["amarillo", "rojo"]
    assert math.isnan(x["vigente"])  # nadie publica modificado


def test_lineas_del_programa_sin_acentos_ni_mayusculas():
    lineas = pd.DataFrame({"programa": ["UNIFORMES ESCOLARES", "Útiles escolares", "Salud", None]})
    assert list(gasto.lineas_programa(lineas)) == [True, True, False, False]


def _cuenta_publica(filas) -> pd.DataFrame:
    """Líneas tipo Ojos al Gasto: (cvegeo, clasificación, código, nivel, aprobado, devengado)."""
    cvegeo, clasificacion, codigo, nivel, aprobado, devengado = zip(*filas, strict=True)
    return pd.DataFrame(
        {
            "anio": [2018] * len(filas),
            "cvegeo": pd.Series(cvegeo, dtype=object),
            "clasificacion": list(clasificacion),
            "codigo": list(codigo),
            "nivel": pd.Series(nivel, dtype=object),
            "aprobado": list(aprobado),
            "devengado": list(devengado),
            "fuente": ["ojos_al_gasto"] * len(filas),
        }
    )


#: Un total de 100 desglosado en capítulos (60 + 40) y conceptos (30 + 30 + 40), y el mismo
#: total por dependencia (70 + 30): sumar todas las líneas de objeto del gasto da 300 (el
#: triple) y todas juntas 500.
CUENTA_PUBLICA = [
    (None, "objeto_gasto", "COGTOT", "total", 100.0, 90.0),
    (None, "objeto_gasto", "COG01", "capitulo", 60.0, 50.0),
    (None, "objeto_gasto", "COG02", "capitulo", 40.0, 40.0),
    (None, "objeto_gasto", "COG11", "concepto", 30.0, 25.0),
    (None, "objeto_gasto", "COG12", "concepto", 30.0, 25.0),
    (None, "objeto_gasto", "COG21", "concepto", 40.0, 40.0),
    (None, "administrativa", "CA1", "concepto", 70.0, 60.0),
    (None, "administrativa", "CA2", "concepto", 30.0, 30.0),
    (None, "administrativa", "CATOT", "total", 100.0, 90.0),
]


def test_montos_por_zona_nunca_suma_capitulos_conceptos_y_totales_juntos():
    lineas = _cuenta_publica(CUENTA_PUBLICA)
    assert lineas["aprobado"].sum() == 500.0  # sumar todo: cinco veces el mismo dinero
    assert lineas.loc[lineas["clasificacion"] == "objeto_gasto", "aprobado"].sum() == 300.0
    montos = gasto.montos_por_zona(lineas, ["anio"]).loc[2018]
    # solo el total por objeto del gasto (una clasificación, un nivel)
    assert (montos["aprobado"], montos["devengado"], montos["lineas"]) == (100.0, 90.0, 1)
    assert list(gasto.lineas_sumables(lineas, ["anio"])) == [True] + [False] * 8


def test_sin_total_se_suman_los_capitulos_y_sin_capitulos_los_conceptos():
    sin_total = _cuenta_publica(CUENTA_PUBLICA[1:6])
    montos = gasto.montos_por_zona(sin_total, ["anio"]).loc[2018]
    assert (montos["aprobado"], montos["devengado"], montos["lineas"]) == (100.0, 90.0, 2)
    solo_conceptos = _cuenta_publica(CUENTA_PUBLICA[3:6])
    montos = gasto.montos_por_zona(solo_conceptos, ["anio"]).loc[2018]
    assert (montos["aprobado"], montos["lineas"]) == (100.0, 3)
    # solo la clasificación administrativa: su total, no las dependencias
    administrativa = _cuenta_publica(CUENTA_PUBLICA[6:])
    assert gasto.montos_por_zona(administrativa, ["anio"]).loc[2018, "aprobado"] == 100.0


def test_cada_zona_elige_su_nivel():
    """La entidad tiene total; el municipio solo capítulos: cada suma usa un solo nivel."""
    lineas = _cuenta_publica(
        [
            *CUENTA_PUBLICA[:3],
            ("20067", "objeto_gasto", "COG01", "capitulo", 7.0, 6.0),
            ("20067", "objeto_gasto", "COG02", "capitulo", 3.0, 3.0),
            ("20067", "objeto_gasto", "COG11", "concepto", 7.0, 6.0),
        ]
    )
    sumables = gasto.lineas_sumables(lineas, ["anio", "cvegeo"])
    assert list(sumables) == [True, False, False, True, True, False]
    montos = gasto.montos_por_zona(lineas, ["anio", "cvegeo"])
    assert montos.loc[(2018, "20067"), "aprobado"] == 10.0


def test_lineas_de_programa_no_se_suman_con_la_cuenta_publica():
    programa = pd.DataFrame(
        {
            "anio": [2018, 2018],
            "cvegeo": pd.Series([None, "20067"], dtype=object),
            "clasificacion": ["programa", "programa"],
            "nivel": pd.Series([None, None], dtype=object),
            "aprobado": [5.0, 2.0],
            "fuente": ["shcp", "shcp"],
        }
    )
    lineas = pd.concat([_cuenta_publica(CUENTA_PUBLICA), programa], ignore_index=True)
    # las dos líneas de programa (estatal y municipal), sin nada de la Cuenta Pública
    assert gasto.montos_por_zona(lineas, ["anio"]).loc[2018, "aprobado"] == 7.0
