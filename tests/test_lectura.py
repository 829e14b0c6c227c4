"""Lectura de archivos: codificaciones, separadores, importes y fechas."""

import pandas as pd
import pytest

from ingesta import normalizacion as norm
from ingesta.almacen import Almacen
from ingesta.carga import cargar
from tests.conftest import valores

TEXTO = "CV_CCT;C_NOMBRE;MUNICIPIO;LATITUD;LONGITUD;NIVEL\n20DPR0001X;Niños Héroes de Ñuu Savi;Oaxaca de Juárez;17.0606;-96.7266;PRIMARIA\n"  # fmt: skip


@pytest.mark.parametrize("codificacion", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_codificaciones_no_estropean_acentos_ni_enie(tmp_path, codificacion):
    ruta = tmp_path / "e.csv"
    ruta.write_bytes(TEXTO.encode(codificacion))
    cargar("escuelas", ruta, tmp_path / "d")
    escuelas = Almacen(tmp_path / "d").version().leer("escuelas")
    assert escuelas["nombre"].tolist() == ["Niños Héroes de Ñuu Savi"]


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("1234.5", 1234.5),
        ("1,234.50", 1234.5),
        ("$1,234.50", 1234.5),
        ("$ 1,234.50", 1234.5),
        ("", None),
    ],
)
def test_importes(texto, esperado):
    serie, invalido = norm.monto(pd.Series([texto or None], dtype="str"))
    assert valores(serie.to_frame("v"), ["v"]) == [[esperado]] and not invalido.any()


@pytest.mark.parametrize("texto", ["2024-03-31", "31/03/2024", "45382", "2024-03-31 00:00:00"])
def test_fechas(texto):
    serie, invalido = norm.fecha(pd.Series([texto], dtype="str"))
    assert serie.iloc[0] == pd.Timestamp("2024-03-31") and not invalido.any()
