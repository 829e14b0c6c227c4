"""Presupuesto por capítulo (``capas.presupuesto``), con valores calculados a mano.

Escenario: :mod:`tests.datos_presupuesto`.
"""

from __future__ import annotations

import math
from datetime import date

import pytest

import capas
from capas import presupuesto as pre
from capas.lectura import limpiar_cache

try:
    from tests.conftest_capas import crear_almacen, municipios
    from tests.datos_presupuesto import FILAS, MUNICIPIO, lineas_presupuesto
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    from conftest_capas import crear_almacen, municipios
    from datos_presupuesto import FILAS, MUNICIPIO, lineas_presupuesto


@pytest.fixture(scope="module")
def lineas():
    return lineas_presupuesto()


def _filas(resultado) -> list[list]:
    tabla = resultado.capitulos
    return [
        [None if isinstance(v, float) and math.isnan(v) else v for v in fila]
        for fila in tabla.itertuples(index=False)
    ]


def test_capitulos_con_el_total_publicado_sin_sumar_conceptos_ni_total(lineas):
    r = pre.presupuesto_por_capitulo(lineas, 2024)
    assert list(r.capitulos.columns) == pre.COLUMNAS_CAPITULOS
    # En orden de código. Proporción = devengado / aprobado; participación = monto / total.
    assert _filas(r) == [
        ["COG01", "Servicios personales", 600.0, 450.0, 0.75, 0.6, 0.45],
        ["COG02", "Materiales y suministros", 400.0, 550.0, 1.375, 0.4, 0.55],
    ]
    # El total es la línea COGTOT (1000), no 600 + 400 + 600 (concepto) + 1000 (total).
    assert (r.aprobado, r.ejercido, r.proporcion_ejercida) == (1000.0, 1000.0, 1.0)
    assert (r.suma_aprobado, r.suma_ejercido) == (1000.0, 1000.0)
    assert r.total_publicado is True
    assert (r.etapa, r.solo_aprobado, r.aviso) == ("devengado", False, None)
    assert (r.anio, r.cvegeo, r.fuente, r.fecha_corte) == (
        2024,
        None,
        "ojos_al_gasto",
        date(2024, 12, 31),
    )
    assert r.cita == (
        "Ojos al Gasto (Política Colectiva), a partir de la Cuenta Pública estatal; "
        "licencia ODbL 1.0"
    )


def test_sin_total_publicado_el_total_es_la_suma_de_capitulos(lineas):
    r = pre.presupuesto_por_capitulo(lineas, 2023)
    # Aprobado 300 + 100 = 400; devengado 150 + vacío = 150 (como una hoja de cálculo).
    assert _filas(r) == [
        ["COG01", "Servicios personales", 300.0, 150.0, 0.5, 0.75, 1.0],
        ["COG03", "Servicios generales", 100.0, None, None, 0.25, None],
    ]
    assert (r.aprobado, r.ejercido, r.total_publicado) == (400.0, 150.0, False)
    assert r.proporcion_ejercida == 0.375
    assert r.fecha_corte == date(2023, 9, 30)  # la más reciente de las líneas


def test_el_ejercido_manda_sobre_el_devengado(lineas):
    r = pre.presupuesto_por_capitulo(lineas, 2022)
    assert r.etapa == "ejercido"
    assert _filas(r) == [["COG01", "Servicios personales", 100.0, 80.0, 0.8, 1.0, 1.0]]


def test_una_sola_fuente_por_anio(lineas):
    r = pre.presupuesto_por_capitulo(lineas, 2021)
    assert (r.fuente, r.aprobado) == ("shcp", 200.0)  # no 100 + 200
    assert r.cita == (
        "Secretaría de Hacienda y Crédito Público (SHCP), a partir de la información "
        "presupuestaria publicada"
    )


def test_anio_aprobado_sin_ejercicio_lo_dice(lineas):
    r = pre.presupuesto_por_capitulo(lineas, 2025)
    assert _filas(r) == [["COG01", "Servicios personales", 700.0, None, None, 1.0, None]]
    assert r.aprobado == 700.0 and math.isnan(r.ejercido) and math.isnan(r.proporcion_ejercida)
    assert (r.etapa, r.solo_aprobado) == (None, True)
    assert r.aviso == "presupuesto aprobado: aún no hay ejercicio publicado"


def test_municipio_con_sus_propias_lineas(lineas):
    r = pre.presupuesto_por_capitulo(lineas, 2024, MUNICIPIO)
    assert _filas(r) == [["COG01", "Servicios personales", 50.0, 25.0, 0.5, 1.0, 1.0]]
    assert (r.aprobado, r.ejercido, r.cvegeo) == (50.0, 25.0, MUNICIPIO)
    assert r.cita == (
        "Ojos al Gasto (Política Colectiva), a partir de la Cuenta Pública municipal; "
        "licencia ODbL 1.0"
    )
    assert pre.presupuesto_por_capitulo(lineas, 2024, "20999") is None
    assert pre.presupuesto_por_capitulo(lineas, 2020) is None


def test_anios_disponibles(lineas):
    assert pre.anios_con_presupuesto(lineas) == [2021, 2022, 2023, 2024, 2025]
    assert pre.anios_con_ejercicio(lineas) == [2022, 2023, 2024]
    assert pre.anios_con_presupuesto(lineas, MUNICIPIO) == [2024]
    assert pre.anios_con_presupuesto(lineas, "20999") == []


@pytest.mark.parametrize(
    ("pedido", "municipio", "esperado"),
    [
        (None, None, (2024, False)),  # el último con ejercicio publicado (2025 es aprobado)
        ("2025", None, (2025, True)),
        (2023, None, (2023, True)),
        (" 2022 ", None, (2022, True)),
        ("abc", None, (2024, False)),
        ("1999", None, (2024, False)),
        ("2024.5", None, (2024, False)),
        (None, MUNICIPIO, (2024, False)),
        ("2024", MUNICIPIO, (2024, True)),
        ("2024", "20999", (None, False)),
    ],
)
def test_elegir_anio(lineas, pedido, municipio, esperado):
    assert pre.elegir_anio(lineas, pedido, municipio) == esperado


def test_sin_ejercicio_en_ningun_anio_elige_el_ultimo():
    solo_aprobado = [f for f in FILAS if f[0] in (2021, 2025)]
    assert pre.elegir_anio(lineas_presupuesto(solo_aprobado), None) == (2025, False)


def test_desde_una_version_del_almacen(tmp_path):
    crear_almacen(tmp_path, {"municipios": municipios(), "presupuesto": lineas_presupuesto()})
    limpiar_cache()
    datos = capas.abrir(tmp_path)
    assert capas.ejercicios_presupuesto(datos) == [2021, 2022, 2023, 2024, 2025]
    assert capas.ejercicios_presupuesto(datos, municipio=MUNICIPIO) == [2024]
    assert capas.ejercicio_inicial(datos, "abc") == (2024, False)
    r = capas.capitulos_presupuesto(datos, 2024)
    assert _filas(r) == [
        ["COG01", "Servicios personales", 600.0, 450.0, 0.75, 0.6, 0.45],
        ["COG02", "Materiales y suministros", 400.0, 550.0, 1.375, 0.4, 0.55],
    ]
    assert capas.capitulos_presupuesto(datos, 2024, municipio=MUNICIPIO).aprobado == 50.0


def test_version_sin_presupuesto(tmp_path):
    crear_almacen(tmp_path, {"municipios": municipios()})
    limpiar_cache()
    datos = capas.abrir(tmp_path)
    assert capas.ejercicios_presupuesto(datos) == []
    assert capas.ejercicio_inicial(datos, "2024") == (None, False)
    assert capas.capitulos_presupuesto(datos, 2024) is None
