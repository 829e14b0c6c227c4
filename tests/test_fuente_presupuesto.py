"""Presupuesto: formato SHCP (A) y Ojos al Gasto (B)."""

import pytest

from ingesta.almacen import Almacen
from ingesta.carga import cargar
from ingesta.errores import ColumnaFaltante
from tests.conftest import escribir_csv, leer_rechazos, valores


def test_formato_shcp(tmp_path):
    filas = [
        ["CICLO", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO", "DESC_PP", "MONTO_APROBADO", "MONTO_MODIFICADO", "MONTO_EJERCIDO", "MONTO_COMPROBADO", "FECHA_CORTE"],
        ["2025", "20", "067", "Uniformes y útiles", "$1,234.50", "$ 1,500.00", "1000", "", "30/09/2025"],
        ["2025", "20", "", "Uniformes y útiles", "10,000,000.00", "", "2500000", "2000000", "2025-09-30"],
        ["2025", "21", "001", "Otro estado", "100", "", "", "", "30/09/2025"],
        ["2025", "20", "Oaxaca de Juarez", "Uniformes y útiles", "-5", "", "", "", "30/09/2025"],
        ["2025", "20", "San Pedro Mixtepec", "Uniformes y útiles", "5", "", "", "", "30/09/2025"],
        ["2025", "20", "068", "Uniformes y útiles", "", "", "", "", "30/09/2025"],
        ["2024", "20", "68", "Uniformes y útiles", "abc", "", "", "", "45657"],
    ]  # fmt: skip
    resultado = cargar("presupuesto", escribir_csv(tmp_path, "p.csv", filas), tmp_path / "d")
    assert (resultado.formato, resultado.filas_leidas, resultado.filas_aceptadas) == ("A", 7, 2)
    assert resultado.fecha_corte == "2025-09-30"
    assert leer_rechazos(resultado) == [
        (4, "ID_ENTIDAD_FEDERATIVA", "fila de otra entidad: se omite"),
        (5, "MONTO_APROBADO", "importe negativo: -5"),
        (6, "ID_MUNICIPIO", "municipio 'San Pedro Mixtepec' es ambiguo: hay varios con ese nombre; use la clave INEGI"),
        (7, "MONTO_APROBADO", "la fila no trae ningún importe"),
        (8, "MONTO_APROBADO", "importe no numérico: abc"),
        (8, "MONTO_APROBADO", "la fila no trae ningún importe"),
    ]  # fmt: skip
    tabla = Almacen(tmp_path / "d").version().leer("presupuesto")
    columnas = ["anio", "cvegeo", "aprobado", "modificado", "ejercido", "comprobado", "formato"]
    assert valores(tabla, columnas) == [
        [2025, "20067", 1234.5, 1500.0, 1000.0, None, "A"],
        [2025, None, 10_000_000.0, None, 2_500_000.0, 2_000_000.0, "A"],
    ]
    assert [str(f.date()) for f in tabla["fecha_corte"]] == ["2025-09-30", "2025-09-30"]


def test_formato_ojos_al_gasto(tmp_path):
    filas = [
        ["Estado", "Año", "Código", "Concepto", "Aprobado", "Devengado", "Observaciones"],
        ["Oaxaca", "2023", "COG01", "  Servicios personales ", "1,000.5", "900", ""],
        ["Puebla", "2023", "COG01", "Servicios personales", "5", "5", ""],
        ["Oaxaca", "2023", "COGTOT", "Total", "2,000", "", "sin devengado"],
    ]
    resultado = cargar(
        "presupuesto", escribir_csv(tmp_path, "o.csv", filas, "cp1252"), tmp_path / "d"
    )
    assert (resultado.formato, resultado.filas_aceptadas, resultado.filas_rechazadas) == ("B", 2, 1)
    assert leer_rechazos(resultado) == [(3, "Estado", "fila de otra entidad: se omite")]
    tabla = Almacen(tmp_path / "d").version().leer("presupuesto")
    assert valores(tabla, ["anio", "codigo", "concepto", "aprobado", "devengado"]) == [
        [2023, "COG01", "Servicios personales", 1000.5, 900.0],
        [2023, "COGTOT", "Total", 2000.0, None],
    ]
    assert resultado.fecha_corte == "2023-12-31"


def test_sin_ninguna_etapa_es_error(tmp_path):
    filas = [["CICLO", "ID_ENTIDAD_FEDERATIVA", "DESC_PP"], ["2025", "20", "X"]]
    with pytest.raises(ColumnaFaltante, match="ninguna etapa del gasto"):
        cargar("presupuesto", escribir_csv(tmp_path, "p.csv", filas), tmp_path / "d")
