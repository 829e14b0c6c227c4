"""Padrón público agregado (datos.gob.mx): becas e importe por programa, año, municipio y
localidad; --programa obligatorio; año de --anio o de la fecha de alta más reciente."""

from __future__ import annotations

import json

import pytest

from almacen.versiones import Almacen
from ingesta.carga import cargar
from ingesta.cli import main
from ingesta.errores import ErrorIngesta, OpcionFaltante
from tests.conftest import (
    escribir_csv,
    leer_advertencias,
    leer_rechazos,
    textos_de_archivos,
    valores,
)
from tests.test_fuente_padron import ENCABEZADO as ENCABEZADO_SIIPP
from tests.test_fuente_padron import FILAS as FILAS_SIIPP

ENCABEZADO = ["bimestre", "cve_edo", "nom_edo", "cve_mun", "nom_mun", "cve_loc", "nom_loc", "beca", "fecha_alta"]  # fmt: skip
OAXACA = "Oaxaca de Juárez"
FILAS = [
    ["1", "20", "Oaxaca", "67", OAXACA, "1", OAXACA, "1900.0", "2024-10-23"],  # 2
    ["1", "20", "Oaxaca", "67", OAXACA, "1", OAXACA, "1900.0", "2025-02-24"],  # 3
    ["1", "20", "Oaxaca", "067", OAXACA, "12", "San Luis Beltrán", "1900.0", "2025-01-10"],  # 4
    ["1", "20", "Oaxaca", "", "Abejones", "1", "Abejones", "1900.0", "2024-10-23"],  # 5: por nombre
    ["1", "17", "Morelos", "1", "Amacuzac", "1", "Amacuzac", "1900.0", "2024-10-23"],  # 6: otra entidad
    ["1", "20", "Oaxaca", "67", OAXACA, "1", OAXACA, "abc", "2024-10-23"],  # 7
    ["1", "20", "Oaxaca", "67", OAXACA, "1", OAXACA, "-1900.0", "2024-10-23"],  # 8
    ["1", "20", "Oaxaca", "999", "Nada", "1", "X", "1900.0", "2024-10-23"],  # 9
    ["1", "20", "Oaxaca", "1", OAXACA, "1", "Abejones", "", "2024-10-23"],  # 10: sin importe
    ["1", "20", "Oaxaca", "", "", "1", "X", "1900.0", "2024-10-23"],  # 11: sin municipio
]  # fmt: skip


@pytest.fixture(autouse=True)
def oaxaca(monkeypatch):
    monkeypatch.setenv("SIGUE_ESTADO", "20")


def _cargar(
    tmp_path, filas=FILAS, encabezado=ENCABEZADO, nombre="S311_EDO_20_OAXACA_Q1.csv", **opciones
):
    ruta = escribir_csv(tmp_path, nombre, [encabezado, *filas])
    return cargar("padron", ruta, tmp_path / "datos", opciones={"programa": "S311", **opciones})


def _programas(tmp_path) -> list[list]:
    tabla = Almacen(tmp_path / "datos").version().leer("programas")
    return valores(tabla, list(tabla.columns))


def test_filas_aceptadas_omitidas_y_rechazadas_exactas(tmp_path):
    carga = _cargar(tmp_path)
    assert carga.formato == "publico"
    assert (carga.filas_leidas, carga.filas_aceptadas, carga.filas_rechazadas) == (10, 5, 4)
    assert carga.filas_omitidas == 1
    assert leer_rechazos(carga) == [
        (7, "beca", "importe no numérico: abc"),
        (8, "beca", "importe negativo: -1900.0"),
        (9, "cve_mun", "clave de municipio '999' no existe en la entidad 20"),
        (11, "cve_mun", "falta el municipio"),
    ]
    assert leer_advertencias(carga) == [
        (10, "nom_mun", f"el nombre no es el del municipio de cve_mun (se usa la clave): {OAXACA}"),
        (10, "beca", "sin importe: la beca cuenta como beneficiario pero no suma al monto"),
    ]
    meta = Almacen(tmp_path / "datos").version().meta
    assert meta["carga"]["filas_omitidas"] == 1
    assert meta["carga"]["omisiones"] == {"fila de otra entidad": 1}
    assert meta["carga"]["programa"] == "S311"


def test_capa_programas_exacta(tmp_path):
    carga = _cargar(tmp_path)
    assert _programas(tmp_path) == [
        # programa, anio, cvegeo, cve_loc, localidad, beneficiarios, monto
        ["S311", 2025, "20001", "0001", "Abejones", 2, 1900.0],  # filas 5 y 10 (sin importe)
        ["S311", 2025, "20067", "0001", OAXACA, 2, 3800.0],  # filas 2 y 3
        ["S311", 2025, "20067", "0012", "San Luis Beltrán", 1, 1900.0],  # fila 4
    ]
    # El año es el de la fecha de alta más reciente (2025-02-24), no el más frecuente (2024).
    assert carga.avisos == [
        "El año 2025 se tomó de la fecha_alta más reciente (2025-02-24); si el padrón es de "
        "otro año, indíquelo con --anio"
    ]
    assert carga.fecha_corte == "2025-02-24"
    assert Almacen(tmp_path / "datos").version().tiene("padron") is False


def test_anio_de_la_opcion(tmp_path):
    carga = _cargar(tmp_path, anio=2024)
    assert carga.avisos == []
    assert {fila[1] for fila in _programas(tmp_path)} == {2024}


def test_sin_programa_error_que_nombra_la_opcion(tmp_path):
    ruta = escribir_csv(tmp_path, "becas.csv", [ENCABEZADO, *FILAS])
    with pytest.raises(OpcionFaltante) as error:
        cargar("padron", ruta, tmp_path / "datos")
    assert str(error.value) == (
        "El archivo becas.csv es un padrón público que no dice de qué programa es: "
        "indíquelo con --programa"
    )
    assert error.value.columna == "programa"
    assert not (tmp_path / "datos" / "versiones").exists()


def test_sin_programa_por_la_cli_json(tmp_path, capsys):
    ruta = escribir_csv(tmp_path, "becas.csv", [ENCABEZADO, *FILAS])
    codigo = main(["cargar", "padron", str(ruta), "--datos", str(tmp_path / "d"), "--json"])
    assert codigo == 1
    salida = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert salida["columna"] == "programa" and salida["archivo"] == "becas.csv"
    assert "--programa" in salida["error"]


@pytest.mark.parametrize(("dado", "guardado"), [("s311", "S311"), (" S-311 ", "S311")])
def test_clave_del_programa_en_mayusculas(tmp_path, dado, guardado):
    _cargar(tmp_path, programa=dado)
    assert {fila[0] for fila in _programas(tmp_path)} == {guardado}


def test_programa_que_no_es_una_clave(tmp_path):
    with pytest.raises(ErrorIngesta, match=r"^--programa debe ser la clave del programa") as error:
        _cargar(tmp_path, programa="becas")
    assert error.value.columna == "programa"


def test_sin_fecha_de_alta_pide_el_anio(tmp_path):
    encabezado = ENCABEZADO[:-1]
    filas = [fila[:-1] for fila in FILAS[:2]]
    with pytest.raises(OpcionFaltante, match=r"indíquelo con --anio$") as error:
        _cargar(tmp_path, filas=filas, encabezado=encabezado)
    assert error.value.columna == "anio"
    carga = _cargar(tmp_path, filas=filas, encabezado=encabezado, anio=2025)
    assert carga.filas_aceptadas == 2
    assert carga.avisos == []
    assert _programas(tmp_path) == [["S311", 2025, "20067", "0001", OAXACA, 2, 3800.0]]


def test_particion_programa_y_anio(tmp_path):
    """Cargar S311 2025 no borra otro programa ni otro año; volver a cargarlo lo reemplaza."""
    uno = [FILAS[0]]
    dos = [FILAS[0], FILAS[1]]
    _cargar(tmp_path, filas=uno, anio=2024)  # S311 2024: 1
    _cargar(tmp_path, filas=dos, programa="U084", anio=2025)  # U084 2025: 2
    _cargar(tmp_path, filas=dos, anio=2025)  # S311 2025: 2
    _cargar(tmp_path, filas=uno, anio=2025)  # S311 2025 otra vez: 1
    filas = sorted((f[0], f[1], f[5]) for f in _programas(tmp_path))
    assert filas == [("S311", 2024, 1), ("S311", 2025, 1), ("U084", 2025, 2)]


def test_morelos_con_su_entidad(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGUE_ESTADO", "17")
    filas = [
        ["1", "17", "Morelos", "1", "Amacuzac", "1", "Amacuzac", "1900.0", "2024-10-23"],
        ["1", "17", "Morelos", "1", "Amacuzac", "7", "Rancho Nuevo", "1900.0", "2025-02-23"],
        ["1", "17", "Morelos", "7", "Cuernavaca", "1", "Cuernavaca", "1900.0", "2025-02-24"],
        ["1", "20", "Oaxaca", "67", OAXACA, "1", OAXACA, "1900.0", "2025-02-24"],
    ]
    carga = _cargar(tmp_path, filas=filas, nombre="S311_EDO_17_MORELOS_Q1.csv")
    assert (carga.filas_aceptadas, carga.filas_rechazadas, carga.filas_omitidas) == (3, 0, 1)
    assert _programas(tmp_path) == [
        ["S311", 2025, "17001", "0001", "Amacuzac", 1, 1900.0],
        ["S311", 2025, "17001", "0007", "Rancho Nuevo", 1, 1900.0],
        ["S311", 2025, "17007", "0001", "Cuernavaca", 1, 1900.0],
    ]


def test_columnas_de_nombre_y_curp_no_se_leen(tmp_path):
    encabezado = [*ENCABEZADO, "nombre", "curp"]
    filas = [
        [*FILAS[0], "JUAN PÉREZ MARTÍNEZ", "PEMJ150312HOCRRN09"],
        [*FILAS[1], "ANA NÚÑEZ", "NUNA140101MOCXXX01"],
    ]
    carga = _cargar(tmp_path, filas=filas, encabezado=encabezado)
    assert carga.formato == "publico" and carga.filas_aceptadas == 2
    archivos = list(textos_de_archivos(tmp_path / "datos"))
    assert any("20067" in texto for _, texto in archivos)  # la búsqueda sí ve los datos
    for archivo, texto in archivos:
        for buscado in ("JUAN", "PÉREZ", "NÚÑEZ", "PEMJ150312HOCRRN09", "NUNA140101MOCXXX01"):
            assert buscado not in texto, (archivo, buscado)


def test_el_padron_siipp_g_se_sigue_reconociendo(tmp_path):
    ruta = escribir_csv(tmp_path, "padron.csv", [ENCABEZADO_SIIPP, *FILAS_SIIPP], "cp1252")
    carga = cargar("padron", ruta, tmp_path / "datos", opciones={"programa": "S311"})
    assert carga.formato == "SIIPP-G"
    assert (carga.filas_leidas, carga.filas_aceptadas) == (8, 5)
    assert not Almacen(tmp_path / "datos").version().tiene("programas")


def test_archivo_que_no_es_ningun_padron(tmp_path):
    ruta = escribir_csv(tmp_path, "otro.csv", [["cve_edo", "cve_mun", "total"], ["20", "67", "5"]])
    with pytest.raises(ErrorIngesta) as error:
        cargar("padron", ruta, tmp_path / "datos", opciones={"programa": "S311"})
    mensaje = str(error.value)
    assert (
        "«padrón público agregado (datos.gob.mx)», al que le faltan las columnas: beca" in mensaje
    )
