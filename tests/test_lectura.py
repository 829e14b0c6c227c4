"""Lectura de archivos: codificaciones, separadores, importes y fechas."""

import pandas as pd
import pytest

from almacen.versiones import Almacen
from ingesta import normalizacion as norm
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
        ("1,000", 1000.0),
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


def test_fila_con_columnas_de_mas_es_error_claro_sin_mostrar_su_contenido(tmp_path):
    ruta = tmp_path / "m.csv"
    ruta.write_text("CV_CCT,CICLO,INSCRITOS\n20DPR0001X,2024,10\n20DPR0002X,2024,10,PÉREZ\n")
    from ingesta.errores import ArchivoIlegible

    with pytest.raises(ArchivoIlegible) as error:
        cargar("matricula", ruta, tmp_path / "d")
    assert str(error.value) == (
        "No se pudo leer el CSV m.csv: la fila 3 tiene 4 columnas y el encabezado 3 "
        "(revise separadores y comillas)"
    )


def test_saltos_de_linea_dentro_de_un_valor_entre_comillas(tmp_path):
    ruta = tmp_path / "m.csv"
    ruta.write_text(
        'CV_CCT,CICLO,INSCRITOS,OBS\n20DPR0001X,2024,10,"uno\ndos"\n20DPR0002Y,2024,11,x\n'
    )
    resultado = cargar("matricula", ruta, tmp_path / "d")
    assert (resultado.filas_leidas, resultado.filas_aceptadas) == (2, 2)
    tabla = Almacen(tmp_path / "d").version().leer("matricula")
    assert valores(tabla, ["cct", "inscritos"]) == [["20DPR0001X", 10], ["20DPR0002Y", 11]]
