"""Resumen de calidad de los datos de una versión."""

from __future__ import annotations

import pandas as pd

from almacen.versiones import Almacen
from capas import resumen_calidad
from capas.config import CODIGOS_ALERTA, PROBLEMAS_CALIDAD

try:
    from tests.conftest_capas import almacen_prueba, datos_prueba
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    from conftest_capas import almacen_prueba, datos_prueba

__all__ = ["almacen_prueba", "datos_prueba"]


def test_resumen_de_calidad(datos_prueba):
    resumen = resumen_calidad(datos_prueba)
    cantidades = {
        (c, None if pd.isna(a) else int(a)): n
        for c, a, n in zip(resumen["codigo"], resumen["anio"], resumen["cantidad"], strict=True)
    }
    esperado = {
        # E6 en 2024: 30 / 25 = 120 %
        ("cobertura_mayor_100_escuelas", 2023): 0,
        ("cobertura_mayor_100_escuelas", 2024): 1,
        ("cobertura_mayor_100_municipios", 2023): 0,
        ("cobertura_mayor_100_municipios", 2024): 0,
        ("escuelas_fuera_de_municipio", None): 1,  # E2
        ("escuelas_sin_georreferencia", None): 1,  # E3
        ("curp_en_varias_escuelas", 2023): 0,
        ("curp_en_varias_escuelas", 2024): 3,  # grupos 1, 2 y 3
        ("padron_fuera_del_programa", 2023): 1,  # E5, privada
        ("padron_fuera_del_programa", 2024): 1,
        ("presupuesto_sobregiro", None): 1,  # C 2024: 230,000 / 200,000
        **{(f"obras_{codigo}", None): 1 for codigo in CODIGOS_ALERTA},
    }
    assert cantidades == esperado


def test_cada_problema_tiene_descripcion(datos_prueba):
    resumen = resumen_calidad(datos_prueba)
    assert resumen["descripcion"].notna().all()
    assert set(PROBLEMAS_CALIDAD) <= set(resumen["codigo"])


def test_sobregiro_de_la_cuenta_publica_se_cuenta_una_vez(tmp_path):
    """Total, capítulo y concepto con devengado mayor que el aprobado son el mismo dinero:
    un solo caso de sobregiro (el total), no tres."""
    from ingesta.carga import cargar

    ruta = tmp_path / "cog.csv"
    ruta.write_text(
        "Estado,Año,Código,Concepto,Aprobado,Devengado,Observaciones\n"
        "Oaxaca,2018,COGTOT,Total del Gasto,100,130,x\n"
        "Oaxaca,2018,COG01,Servicios Personales,60,80,x\n"
        "Oaxaca,2018,COG11,Remuneraciones,60,80,x\n",
        encoding="utf-8",
    )
    cargar("presupuesto", ruta, tmp_path / "d")
    resumen = resumen_calidad(Almacen(tmp_path / "d").version())
    sobregiro = resumen.loc[resumen["codigo"] == "presupuesto_sobregiro", "cantidad"]
    assert sobregiro.tolist() == [1]
