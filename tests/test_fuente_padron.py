"""Padrón: solo agregados por escuela; ningún dato personal llega al almacén ni a los mensajes."""

import pytest

from almacen.versiones import Almacen
from ingesta.carga import cargar
from tests.conftest import escribir_csv, leer_rechazos, textos_de_archivos, valores

ENCABEZADO = [
    "ID_PERSONA", "NB_PRIMER_AP", "NB_SEGUNDO_AP", "NB_NOMBRE", "NB_CURP", "FH_NACIMIENTO",
    "CD_SEXO", "CV_CCT", "CICLO", "CD_BENEFICIO", "NU_IMP_MONETARIO", "FH_ENTREGA",
]  # fmt: skip
CURP_A = "PEMJ150312HOCRRN09"
CURP_B = "NUÑA140101MOCXXX01".replace("Ñ", "N")  # estructura válida: NUNA...
CURP_C = "LOGA160505MOCPRS02"
FILAS = [
    ["1", "PÉREZ", "MARTÍNEZ", "JUAN", CURP_A, "12/03/2015", "H", "20DPR0001X", "2024-2025", "UNIFORME", "$450.00", "15/09/2024"],
    ["1", "PÉREZ", "MARTÍNEZ", "JUAN", CURP_A, "12/03/2015", "H", "20DPR0001X", "2024-2025", "UTILES", "$ 320.50", "15/09/2024"],
    ["2", "NÚÑEZ", "ÑANDÚ", "ANA", CURP_B, "01/01/2014", "M", "20DPR0001X", "2024-2025", "Útiles", "$320.50", "2024-09-16"],
    # la misma alumna en otra escuela (CURP repetida entre escuelas)
    ["2", "NÚÑEZ", "ÑANDÚ", "ANA", CURP_B, "01/01/2014", "M", "20DPR0002Y", "2024-2025", "1", "$1,450.00", "45550"],
    ["3", "LÓPEZ", "GARCÍA", "ALMA", CURP_C, "05/05/2016", "M", "20DPR0002Y", "2024-2025", "UNIFORME", "", ""],
    ["4", "ROSAS", "SOLÍS", "EVA", "ROSE160505MOC", "05/05/2016", "M", "20DPR0002Y", "2024-2025", "UNIFORME", "$450.00", ""],
    ["5", "MORA", "DÍAZ", "LUIS", "MODL150101HOCRZS05", "01/01/2015", "H", "20DPR0002Y", "2024-2025", "ZAPATOS", "$450.00", ""],
    ["6", "VEGA", "RÍOS", "IVÁN", "VERI150101HOCGSV04", "01/01/2015", "H", "20DPR0002Y", "2024-2025", "UNIFORME", "-$450.00", ""],
]  # fmt: skip
NOMBRES = ["PÉREZ", "MARTÍNEZ", "JUAN", "NÚÑEZ", "ÑANDÚ", "LÓPEZ", "GARCÍA", "ALMA", "ROSAS", "SOLÍS", "VEGA", "IVÁN"]  # fmt: skip


@pytest.fixture()
def carga(tmp_path):
    ruta = escribir_csv(tmp_path, "padron.csv", [ENCABEZADO, *FILAS], "cp1252")
    return cargar("padron", ruta, tmp_path / "datos")


def test_rechazos_sin_datos_personales(carga):
    assert (carga.filas_leidas, carga.filas_aceptadas, carga.filas_rechazadas) == (8, 5, 3)
    assert leer_rechazos(carga) == [
        (7, "NB_CURP", "CURP con estructura no válida (valor oculto por ser dato personal)"),
        (8, "CD_BENEFICIO", "beneficio desconocido (se espera UNIFORME o UTILES): ZAPATOS"),
        (9, "NU_IMP_MONETARIO", "importe negativo"),
    ]


def test_agregados_por_escuela_ciclo_y_beneficio(carga, tmp_path):
    version = Almacen(tmp_path / "datos").version()
    padron = version.leer("padron")
    assert valores(padron, list(padron.columns)) == [
        # cct, anio, beneficio, alumnos, paquetes, monto, mujeres, hombres
        ["20DPR0001X", 2024, "TOTAL", 2, 3, 1091.0, 1, 1],
        ["20DPR0001X", 2024, "UNIFORME", 1, 1, 450.0, None, None],
        ["20DPR0001X", 2024, "UTILES", 2, 2, 641.0, None, None],
        ["20DPR0002Y", 2024, "TOTAL", 2, 2, 1450.0, 2, 0],
        ["20DPR0002Y", 2024, "UNIFORME", 2, 2, 1450.0, None, None],
    ]
    repetidos = version.leer("padron_repetidos")
    assert valores(repetidos, ["anio", "grupo", "cct"]) == [
        [2024, 1, "20DPR0001X"],
        [2024, 1, "20DPR0002Y"],
    ]


def test_ningun_dato_personal_en_el_almacen(carga, tmp_path):
    """Se revisa cada archivo del almacén (Parquet decodificado) buscando CURP y nombres."""
    buscados = [CURP_A, CURP_B, CURP_C, "ROSE160505MOC", *NOMBRES, "12/03/2015", "2015-03-12"]
    archivos = list(textos_de_archivos(tmp_path / "datos"))
    assert len(archivos) >= 5
    assert any("20DPR0001X" in texto for _, texto in archivos)  # la búsqueda sí ve los datos
    for archivo, texto in archivos:
        for buscado in buscados:
            assert buscado not in texto, (archivo, buscado)
