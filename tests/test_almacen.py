"""Almacén: versiones inmutables y cambio atómico de la versión servida."""

import json
import shutil

import pytest

from almacen.versiones import Almacen
from ingesta.carga import cargar
from ingesta.cli import main
from ingesta.errores import VersionNoEncontrada
from tests.conftest import escribir_csv, valores

MATRICULA = [["CV_CCT", "CICLO", "INSCRITOS"], ["20DPR0001X", "2024-2025", "10"]]


class Caida(Exception):
    """Simula una caída del proceso a mitad de la escritura."""


def test_una_carga_que_falla_a_medias_no_cambia_la_version_servida(tmp_path):
    raiz = tmp_path / "d"
    cargar("matricula", escribir_csv(tmp_path, "a.csv", MATRICULA), raiz)
    otra = [MATRICULA[0], ["20DPR0001X", "2024-2025", "99"]]

    def caer(carpeta):
        assert (carpeta / "matricula.parquet").exists()  # la versión nueva ya estaba escrita
        raise Caida()

    with pytest.raises(Caida):
        cargar("matricula", escribir_csv(tmp_path, "b.csv", otra), raiz, antes_de_publicar=caer)
    almacen = Almacen(raiz)
    assert almacen.id_actual() == "v0001"
    assert [v["id"] for v in almacen.versiones()] == ["v0001"]
    assert valores(almacen.version().leer("matricula"), ["inscritos"]) == [[10]]
    assert list((raiz / "tmp").iterdir()) == []  # sin restos de la carga fallida


def test_versiones_anteriores_siguen_legibles_y_registran_su_fuente(tmp_path):
    raiz = tmp_path / "d"
    cargar("matricula", escribir_csv(tmp_path, "a.csv", MATRICULA), raiz, fecha_corte="2025-06-30")
    cargar("matricula", escribir_csv(tmp_path, "b.csv", [MATRICULA[0], ["20DPR0001X", "2024-2025", "12"]]), raiz)  # fmt: skip
    almacen = Almacen(raiz)
    assert [(v["id"], v["actual"]) for v in almacen.versiones()] == [
        ("v0002", True),
        ("v0001", False),
    ]
    v1 = almacen.version("v0001")
    assert v1.meta["fecha_corte"] == "2025-06-30"
    assert v1.meta["fuentes"]["matricula"]["archivo"] == "a.csv"
    assert len(v1.meta["fuentes"]["matricula"]["sha256"]) == 64
    assert valores(v1.leer("matricula"), ["inscritos"]) == [[10]]
    assert sorted(almacen.version().capas) == ["matricula", "municipios"]
    assert len(almacen.version().leer("municipios")) == 570


@pytest.mark.parametrize("id_malo", ["v9999", "../../etc", "x"])
def test_version_inexistente(tmp_path, id_malo):
    cargar("matricula", escribir_csv(tmp_path, "a.csv", MATRICULA), tmp_path / "d")
    with pytest.raises(VersionNoEncontrada):
        Almacen(tmp_path / "d").version(id_malo)


def test_cli_cargar_json_y_versiones(tmp_path, capsys):
    ruta = escribir_csv(tmp_path, "a.csv", [*MATRICULA, ["20DPR0002Y", "2024", "-1"]])
    assert main(["cargar", "matricula", str(ruta), "--datos", str(tmp_path / "d"), "--json"]) == 0
    salida = capsys.readouterr().out.strip().splitlines()
    resumen = json.loads(salida[-1])
    assert {k: resumen[k] for k in ("version", "filas_leidas", "filas_aceptadas", "filas_rechazadas", "advertencias")} == {
        "version": "v0001", "filas_leidas": 2, "filas_aceptadas": 1, "filas_rechazadas": 1, "advertencias": 0
    }  # fmt: skip
    assert resumen["rechazos"].endswith("rechazos/matricula.csv")
    assert main(["versiones", "--datos", str(tmp_path / "d"), "--json"]) == 0
    versiones = json.loads(capsys.readouterr().out)
    assert [(v["id"], v["actual"]) for v in versiones] == [("v0001", True)]


@pytest.mark.parametrize(
    ("argumentos", "mensaje"),
    [
        (["cargar", "obrax", "{ruta}"], "Tipo de fuente desconocido: 'obrax'"),
        (
            ["cargar", "escuelas", "{ruta}"],
            "No se reconoce el formato de a.csv como escuelas. El más cercano es «SIGED», al que le faltan las columnas: C_NOMBRE",
        ),
        (["cargar", "matricula", "/no/existe.csv"], "No existe el archivo /no/existe.csv"),
        (["cargar", "matricula", "{ruta}", "--fecha-corte", "30/09/2025"], "--fecha-corte"),
    ],
)
def test_cli_errores_claros_sin_traza(tmp_path, capsys, argumentos, mensaje):
    ruta = escribir_csv(tmp_path, "a.csv", MATRICULA)
    argumentos = [a.format(ruta=ruta) for a in argumentos] + ["--datos", str(tmp_path / "d")]
    assert main(argumentos) == 1
    error = capsys.readouterr().err
    assert mensaje in error and "Traceback" not in error
    assert Almacen(tmp_path / "d").versiones() == []


def test_carga_interrumpida_no_deja_restos_ni_version_huerfana(tmp_path):
    """Una carga muerta entre el renombrado y la publicación deja una carpeta de versión
    sin publicar y restos en ``tmp/``: no se listan ni se leen, y la carga siguiente los limpia."""

    ruta = escribir_csv(tmp_path, "a.csv", MATRICULA)
    raiz = tmp_path / "d"
    cargar("matricula", ruta, raiz)
    v1 = Almacen(raiz).version()
    (raiz / "tmp" / "v0002-abcd1234").mkdir(parents=True)
    shutil.copytree(v1.ruta, raiz / "versiones" / "v0002")  # huérfana: ACTUAL sigue en v0001
    almacen = Almacen(raiz)
    assert [v["id"] for v in almacen.versiones()] == ["v0001"]
    with pytest.raises(VersionNoEncontrada):
        almacen.version("v0002")
    cargar("matricula", ruta, raiz)
    assert [v["id"] for v in almacen.versiones()] == ["v0002", "v0001"]
    assert list((raiz / "tmp").iterdir()) == []
    assert almacen.version("v0002").meta["anterior"] == "v0001"


def test_datos_que_es_un_archivo_es_error_claro(tmp_path, capsys):
    archivo = tmp_path / "archivo"
    archivo.write_text("x")
    ruta = escribir_csv(tmp_path, "a.csv", MATRICULA)
    assert main(["cargar", "matricula", str(ruta), "--datos", str(archivo)]) == 1
    error = capsys.readouterr().err
    assert error == f"Error: La carpeta de datos {archivo} es un archivo, no una carpeta\n"


def test_dispositivo_no_se_lee(tmp_path, capsys):
    assert main(["cargar", "matricula", "/dev/zero", "--datos", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        "Error: /dev/zero no es un archivo común (dispositivo o tubería): no se lee\n"
    )


def test_procedencia_conserva_cada_archivo_con_datos_en_la_version(tmp_path):
    """Dos ciclos de matrícula (particiones distintas) quedan ambos en la procedencia; recargar
    un ciclo reemplaza solo a la carga de ese ciclo."""
    raiz = tmp_path / "d"
    c2024 = escribir_csv(tmp_path, "m2024.csv", MATRICULA)
    c2025 = escribir_csv(tmp_path, "m2025.csv", [MATRICULA[0], ["20DPR0001X", "2025-2026", "12"]])
    otra2024 = escribir_csv(
        tmp_path, "m2024b.csv", [MATRICULA[0], ["20DPR0001X", "2024-2025", "11"]]
    )
    cargar("matricula", c2024, raiz)
    cargar("matricula", c2025, raiz)
    version = Almacen(raiz).version()
    assert [(c["archivo"], c["version"]) for c in version.cargas] == [
        ("m2024.csv", "v0001"),
        ("m2025.csv", "v0002"),
    ]
    assert version.meta["fuentes"]["matricula"]["archivo"] == "m2025.csv"
    cargar("matricula", otra2024, raiz)
    version = Almacen(raiz).version()
    assert [(c["archivo"], c["version"]) for c in version.cargas] == [
        ("m2025.csv", "v0002"),
        ("m2024b.csv", "v0003"),
    ]
    assert version.cargas[0]["particiones"] == {"matricula": ["2025"]}


def test_neutralizar_igual_que_celda_por_celda():
    import numpy as np
    import pandas as pd

    from almacen.csv_seguro import celda_segura, escribir_csv, neutralizar

    valores = ["=1+1", "-5", "-x", "+", "@a", "\tb", "\rc", "ok", "", None, np.nan, 7, "=1+1"]
    tabla = pd.DataFrame(
        {
            "objeto": pd.Series(valores * 20, dtype=object),
            "texto": pd.Series(
                [v if isinstance(v, str) else None for v in valores] * 20, dtype="str"
            ),
            # Valores que no se pueden comparar (listas): se revisan uno por uno.
            "listas": pd.Series([["=a"], "=b", None] * 20 + [None] * 200, dtype=object),
            "numeros": np.arange(260.0),
            "limpio": pd.Series(["a", "b"] * 130, dtype="str"),
        }
    )
    resultado = neutralizar(tabla)
    for columna in ("objeto", "texto", "listas"):
        esperado = [celda_segura(v) for v in tabla[columna].astype(object)]
        obtenido = resultado[columna].tolist()
        assert [repr(v) for v in obtenido] == [repr(v) for v in esperado], columna
        assert resultado[columna].dtype == object
    assert resultado["limpio"].dtype == tabla["limpio"].dtype  # sin celdas peligrosas: igual
    assert resultado["numeros"].equals(tabla["numeros"])
    assert escribir_csv(tabla[["objeto"]]).splitlines()[1:4] == ["'=1+1", "-5", "'-x"]
