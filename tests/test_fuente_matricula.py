"""Matrícula (Formato 911): enteros, ciclos y reemplazo por ciclo en el almacén."""

from almacen.versiones import Almacen
from ingesta.carga import cargar
from tests.conftest import escribir_csv, leer_rechazos, valores

ENCABEZADO = ["CLAVECCT", "CICLO", "INSC_T", "EXIST_T", "APROB_T"]


def test_filas_aceptadas_y_rechazos(tmp_path):
    filas = [
        ENCABEZADO,
        ["20DPR0001X", "2023-2024", "100", "95", "90"],
        ["20DPR0001X", "2024-2025", "1,020", "", ""],
        ["20DPR0002Y", "2023-2024", "50", "40", "45"],  # aprobados > existencia
        ["20DPR0003Z", "2023", "-3", "0", "0"],  # negativo
        ["20DPR0004A", "23-24", "10", "9", "9"],  # ciclo no reconocido
        ["20DPR0001X", "2023-2024", "100", "95", "90"],  # repetida en el ciclo
        ["20DPR0005B", "2024", "12.5", "", ""],  # no entero
    ]
    resultado = cargar("matricula", escribir_csv(tmp_path, "m.csv", filas), tmp_path / "d")
    assert (resultado.filas_leidas, resultado.filas_aceptadas, resultado.filas_rechazadas) == (
        7,
        2,
        5,
    )
    assert leer_rechazos(resultado) == [
        (4, "APROB_T", "APROBADOS mayor que EXISTENCIA"),
        (5, "INSC_T", "se espera un entero no negativo: -3"),
        (6, "CICLO", "ciclo no reconocido (se espera 2023-2024): 23-24"),
        (7, "CLAVECCT", "la escuela aparece dos veces en el mismo ciclo"),
        (8, "INSC_T", "se espera un entero no negativo: 12.5"),
    ]
    tabla = Almacen(tmp_path / "d").version().leer("matricula")
    assert valores(tabla, list(tabla.columns)) == [
        ["20DPR0001X", "2023-2024", 2023, 100, 95, 90],
        ["20DPR0001X", "2024-2025", 2024, 1020, None, None],
    ]


def test_cargar_otro_ciclo_conserva_los_anteriores(tmp_path):
    raiz = tmp_path / "d"
    cargar("matricula", escribir_csv(tmp_path, "a.csv", [ENCABEZADO, ["20DPR0001X", "2023-2024", "10", "9", "8"], ["20DPR0001X", "2024-2025", "11", "10", "9"]]), raiz)  # fmt: skip
    cargar("matricula", escribir_csv(tmp_path, "b.csv", [ENCABEZADO, ["20DPR0001X", "2024-2025", "12", "12", "12"]]), raiz)  # fmt: skip
    tabla = Almacen(raiz).version().leer("matricula").sort_values("anio")
    assert valores(tabla, ["anio", "inscritos"]) == [[2023, 10], [2024, 12]]
    # la versión anterior sigue intacta y legible
    anterior = Almacen(raiz).version("v0001").leer("matricula").sort_values("anio")
    assert valores(anterior, ["anio", "inscritos"]) == [[2023, 10], [2024, 11]]


def test_existencia_mayor_que_inscritos_se_acepta_con_advertencia_e_infinito_se_rechaza(tmp_path):
    from tests.conftest import leer_advertencias

    filas = [
        ENCABEZADO,
        ["20DPR0001X", "2024-2025", "100", "104", "100"],  # altas a medio ciclo
        ["20DPR0002Y", "2024-2025", "inf", "", ""],
        ["20DPR0003Z", "2024-2025", "1e400", "", ""],
    ]
    resultado = cargar("matricula", escribir_csv(tmp_path, "m.csv", filas), tmp_path / "d")
    assert (resultado.filas_aceptadas, resultado.filas_rechazadas) == (1, 2)
    assert leer_advertencias(resultado) == [
        (2, "EXIST_T", "EXISTENCIA mayor que INSCRITOS (altas durante el ciclo): se acepta")
    ]
    assert leer_rechazos(resultado) == [
        (3, "INSC_T", "se espera un entero no negativo: inf"),
        (4, "INSC_T", "se espera un entero no negativo: 1e400"),
    ]
