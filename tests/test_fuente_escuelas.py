"""Catálogo de escuelas: lectura Latin-1, municipios por nombre y clave, coordenadas."""

import pandas as pd
import pytest

from almacen.versiones import Almacen
from ingesta.carga import cargar
from ingesta.errores import ColumnaFaltante, ErrorIngesta
from tests.conftest import escribir_csv, leer_advertencias, leer_rechazos, valores

ENCABEZADO = [
    "CV_CCT", "C_NOMBRE", "INMUEBLE_C_NOM_MUN", "INMUEBLE_LATITUD", "INMUEBLE_LONGITUD",
    "TIPONIVELSUB_C_SERVICION2", "SOSTENIMIENTO_C_CONTROL",
]  # fmt: skip
FILAS = [
    ["20DPR0001X", "Niños Héroes", "Oaxaca de Juarez", "17.0606", "-96.7266", "PRIMARIA", "PÚBLICO"],
    # latitud y longitud invertidas: se corrigen con advertencia
    ["20DPR0002Y", "Benito Juárez", "oaxaca de juárez", "-96.7266", "17.0606", "PRIMARIA", "PÚBLICO"],
    ["20DPR0003", "Clave corta", "Oaxaca de Juárez", "17.06", "-96.72", "PRIMARIA", "PÚBLICO"],
    ["20PPR0004Y", "Colegio Ñandú", "Narnia", "17.06", "-96.72", "PRIMARIA", "PRIVADO"],
    # punto en Puebla: fuera de la entidad, se acepta con advertencia y municipio declarado
    ["20DJN0005Z", "Jardín de niños", "Oaxaca de Juárez", "19.0414", "-98.2063", "PREESCOLAR", "PÚBLICO"],
    # declara Oaxaca de Juárez pero el punto cae en Juchitán
    ["20DES0006A", "Secundaria técnica", "Oaxaca de Juárez", "16.4336", "-95.0226", "SECUNDARIA", "PÚBLICO"],
    ["20DPR0001X", "Repetida", "Oaxaca de Juárez", "17.0606", "-96.7266", "PRIMARIA", "PÚBLICO"],
    ["20PPR0007B", "Colegio privado", "San Juan Mixtepec", "17.0606", "-96.7266", "PRIMARIA", "PRIVADO"],
    ["20DBH0008C", "Bachillerato", "Salina Cruz", "", "", "MEDIA SUPERIOR", "PÚBLICO"],
]  # fmt: skip


@pytest.fixture()
def carga(tmp_path):
    ruta = escribir_csv(tmp_path, "escuelas.csv", [ENCABEZADO, *FILAS], "cp1252")
    return cargar("escuelas", ruta, tmp_path / "datos")


def test_cuenta_filas_y_motivos_exactos(carga):
    assert (carga.filas_leidas, carga.filas_aceptadas, carga.filas_rechazadas) == (9, 5, 4)
    assert leer_rechazos(carga) == [
        (4, "CV_CCT", "clave CCT no válida (se esperan 10 caracteres como 20DPR0001X): 20DPR0003"),
        (5, "INMUEBLE_C_NOM_MUN", "municipio 'Narnia' no existe en la entidad 20"),
        (8, "CV_CCT", "clave CCT repetida en el archivo: 20DPR0001X"),
        (
            9,
            "INMUEBLE_C_NOM_MUN",
            "municipio 'San Juan Mixtepec' es ambiguo: hay varios con ese nombre; use la clave INEGI",
        ),
    ]
    assert leer_advertencias(carga) == [
        (3, "INMUEBLE_LATITUD", "coordenadas_invertidas: latitud y longitud se intercambiaron"),
        (6, "INMUEBLE_LATITUD", "fuera_del_estado: las coordenadas caen fuera de la entidad"),
        (
            7,
            "INMUEBLE_LATITUD",
            "fuera_de_municipio: las coordenadas caen en Heroica Ciudad de Juchitán de Zaragoza",
        ),
        (10, "INMUEBLE_LATITUD", "sin_georreferencia: sin coordenadas"),
    ]


def test_filas_aceptadas_exactas(carga, tmp_path):
    escuelas = Almacen(tmp_path / "datos").version().leer("escuelas")
    tabla = pd.DataFrame(escuelas.drop(columns="geometry"))
    assert tabla[["cct", "nombre", "nivel", "control", "basica_publica"]].values.tolist() == [
        ["20DPR0001X", "Niños Héroes", "PRIMARIA", "PUBLICO", True],
        ["20DPR0002Y", "Benito Juárez", "PRIMARIA", "PUBLICO", True],
        ["20DJN0005Z", "Jardín de niños", "PREESCOLAR", "PUBLICO", True],
        ["20DES0006A", "Secundaria técnica", "SECUNDARIA", "PUBLICO", True],
        ["20DBH0008C", "Bachillerato", "MEDIA SUPERIOR", "PUBLICO", False],
    ]
    assert tabla["cvegeo_declarado"].tolist() == ["20067", "20067", "20067", "20067", "20079"]
    assert valores(tabla, ["cvegeo_coordenadas"]) == [
        ["20067"],
        ["20067"],
        [None],
        ["20043"],
        [None],
    ]
    # coordenadas corregidas de la fila invertida
    assert tabla.loc[1, ["latitud", "longitud"]].tolist() == [17.0606, -96.7266]
    assert [fila[0] for fila in valores(tabla, ["advertencias"])] == [
        None, "coordenadas_invertidas", "fuera_del_estado", "fuera_de_municipio", "sin_georreferencia"
    ]  # fmt: skip


def test_municipio_por_clave_de_3_y_5_digitos(tmp_path):
    filas = [
        ["CCT", "NOMBRE", "CV_MUN", "LATITUD", "LONGITUD", "NIVEL"],
        ["20DPR0001X", "A", "67", "17.0606", "-96.7266", "Primaria"],
        ["20DPR0002Y", "B", "20067", "17.0606", "-96.7266", "primaria"],
        ["20DPR0003Z", "C", "999", "17.0606", "-96.7266", "PRIMARIA"],
    ]
    resultado = cargar("escuelas", escribir_csv(tmp_path, "e.csv", filas), tmp_path / "d")
    assert resultado.filas_aceptadas == 2
    assert leer_rechazos(resultado) == [
        (4, "CV_MUN", "clave de municipio '999' no existe en la entidad 20")
    ]


def test_xlsx(tmp_path):
    ruta = tmp_path / "escuelas.xlsx"
    pd.DataFrame(FILAS[:2], columns=ENCABEZADO).to_excel(ruta, index=False)
    resultado = cargar("escuelas", ruta, tmp_path / "datos")
    assert (resultado.filas_leidas, resultado.filas_aceptadas) == (2, 2)
    escuelas = Almacen(tmp_path / "datos").version().leer("escuelas")
    assert escuelas["nombre"].tolist() == ["Niños Héroes", "Benito Juárez"]


def test_falta_columna_obligatoria_no_crea_version(tmp_path):
    ruta = escribir_csv(tmp_path, "e.csv", [["CV_CCT", "C_NOMBRE"], ["20DPR0001X", "A"]])
    with pytest.raises(
        ColumnaFaltante,
        match=r"No se reconoce el formato de e.csv como escuelas.*faltan las columnas: INMUEBLE_LATITUD, INMUEBLE_LONGITUD, TIPONIVELSUB_C_SERVICION2\. Columnas encontradas: CV_CCT, C_NOMBRE$",
    ):
        cargar("escuelas", ruta, tmp_path / "datos")
    assert Almacen(tmp_path / "datos").versiones() == []


def test_sin_ninguna_columna_de_municipio(tmp_path):
    filas = [["CCT", "NOMBRE", "LATITUD", "LONGITUD", "NIVEL"], ["20DPR0001X", "A", "1", "2", "X"]]
    with pytest.raises(ColumnaFaltante, match="INMUEBLE_CV_MUN, INMUEBLE_C_NOM_MUN"):
        cargar("escuelas", escribir_csv(tmp_path, "e.csv", filas), tmp_path / "datos")


@pytest.mark.parametrize(
    ("contenido", "mensaje"),
    [
        (b"", "está vacío"),
        (b"  \n", "está vacío"),
        (",".join(ENCABEZADO).encode() + b"\n", "solo encabezado"),
    ],
)
def test_archivo_vacio_o_solo_encabezado(tmp_path, contenido, mensaje):
    ruta = tmp_path / "e.csv"
    ruta.write_bytes(contenido)
    with pytest.raises(ErrorIngesta, match=mensaje):
        cargar("escuelas", ruta, tmp_path / "datos")
    assert Almacen(tmp_path / "datos").id_actual() is None
