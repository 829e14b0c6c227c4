"""Modo nacional: cargas del presupuesto de estados distintos se suman, no se reemplazan.

Cada línea guarda su entidad (``cve_ent``); en el modo nacional la entidad es parte de la
partición de la capa, así que una carga reemplaza solo las filas de sus entidades. Con una
sola entidad configurada nada cambia: la carga del mismo año reemplaza la anterior. Los
archivos son pequeños y las cifras esperadas se suman a mano de sus filas.
"""

from __future__ import annotations

import pytest

import capas
from almacen.versiones import Almacen
from capas.entidades import tabla_entidades
from ingesta.carga import cargar
from tests.conftest import escribir_csv
from tests.test_nacional import ENCABEZADO_SHCP

PROGRAMA = "Uniformes y útiles"

#: SHCP de Oaxaca: Oaxaca de Juárez (067) 1,000 / 900 y una línea estatal 200 / 100.
SHCP_OAXACA = [
    ["2024", "20", "067", PROGRAMA, "1000", "900", "31/12/2024"],
    ["2024", "20", "", PROGRAMA, "200", "100", "31/12/2024"],
]
#: SHCP de Morelos: Cuernavaca (007) 300 / 150 y una línea estatal 50 / 50.
SHCP_MORELOS = [
    ["2024", "17", "007", PROGRAMA, "300", "150", "31/12/2024"],
    ["2024", "17", "", PROGRAMA, "50", "50", "31/12/2024"],
]
#: Oaxaca corregido: solo Oaxaca de Juárez, 1,000 / 950.
SHCP_OAXACA_CORREGIDO = [["2024", "20", "067", PROGRAMA, "1000", "950", "31/12/2024"]]

#: Cuenta Pública estatal por capítulo (Ojos al Gasto), un archivo por entidad.
OJOS_MORELOS = [
    "Estado,Año,Código,Concepto,Aprobado,Devengado,Observaciones",
    "Morelos,2024,COG01,Servicios Personales,100,80,x",
    "Morelos,2024,COG02,Materiales y Suministros,50,40,x",
]
OJOS_OAXACA = [
    "Estado,Año,Código,Concepto,Aprobado,Devengado,Observaciones",
    "Oaxaca,2024,COG01,Servicios Personales,1000,900,x",
]


def _shcp(carpeta, nombre, filas):
    return escribir_csv(carpeta, nombre, [ENCABEZADO_SHCP, *filas])


def _ojos(carpeta, nombre, lineas):
    ruta = carpeta / nombre
    ruta.write_bytes(("\r\n".join(lineas) + "\r\n").encode("utf-8"))
    return ruta


def _por_entidad(raiz) -> dict[str, tuple[float, float]]:
    tabla = tabla_entidades(capas.abrir(raiz), 2024)
    tabla = tabla[tabla["presupuesto_aprobado"].notna()]
    return {
        c: (a, e)
        for c, a, e in zip(
            tabla["cvegeo"],
            tabla["presupuesto_aprobado"],
            tabla["presupuesto_ejercido"],
            strict=True,
        )
    }


@pytest.fixture
def nacional(monkeypatch):
    monkeypatch.setenv("SIGUE_ESTADO", "00")


def test_presupuesto_de_dos_estados_se_conserva_y_se_corrige_por_estado(tmp_path, nacional):
    raiz = tmp_path / "datos"
    cargar("presupuesto", _shcp(tmp_path, "oaxaca.csv", SHCP_OAXACA), raiz)
    assert _por_entidad(raiz) == {"20": (1200.0, 1000.0)}
    cargar("presupuesto", _shcp(tmp_path, "morelos.csv", SHCP_MORELOS), raiz)
    # Oaxaca sigue: 1,000 + 200 aprobados, 900 + 100 ejercidos; Morelos 300 + 50 / 150 + 50
    assert _por_entidad(raiz) == {"20": (1200.0, 1000.0), "17": (350.0, 200.0)}
    # el país: 1,550 aprobados, 1,200 ejercidos (4 líneas)
    capa = Almacen(raiz).version().leer("presupuesto")
    assert (len(capa), capa["aprobado"].sum(), capa["ejercido"].sum()) == (4, 1550.0, 1200.0)
    # volver a cargar Oaxaca reemplaza solo Oaxaca (su línea estatal ya no viene)
    cargar("presupuesto", _shcp(tmp_path, "oaxaca-2.csv", SHCP_OAXACA_CORREGIDO), raiz)
    assert _por_entidad(raiz) == {"20": (1000.0, 950.0), "17": (350.0, 200.0)}
    # la procedencia: siguen la carga de Morelos y la corregida de Oaxaca, no la primera
    cargas = Almacen(raiz).version().meta["cargas"]
    assert [c["archivo"] for c in cargas] == ["morelos.csv", "oaxaca-2.csv"]


def test_cuenta_publica_estatal_por_capitulo_de_dos_estados(tmp_path, nacional):
    raiz = tmp_path / "datos"
    cargar("presupuesto", _ojos(tmp_path, "COG Estatal.csv", OJOS_MORELOS), raiz)
    cargar("presupuesto", _ojos(tmp_path, "COG Estatal.csv", OJOS_OAXACA), raiz)
    datos = capas.abrir(raiz)
    morelos = capas.capitulos_presupuesto(datos, 2024, entidad="17")
    oaxaca = capas.capitulos_presupuesto(datos, 2024, entidad="20")
    pais = capas.capitulos_presupuesto(datos, 2024)
    # Morelos: 100 + 50 aprobados, 80 + 40 devengados; Oaxaca 1,000 / 900; el país, la suma
    assert (morelos.aprobado, morelos.ejercido) == (150.0, 120.0)
    assert (oaxaca.aprobado, oaxaca.ejercido) == (1000.0, 900.0)
    assert (pais.aprobado, pais.ejercido) == (1150.0, 1020.0)


def test_con_una_entidad_la_carga_del_mismo_anio_reemplaza(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGUE_ESTADO", "20")
    raiz = tmp_path / "datos"
    cargar("presupuesto", _shcp(tmp_path, "oaxaca.csv", SHCP_OAXACA), raiz)
    cargar("presupuesto", _shcp(tmp_path, "oaxaca-2.csv", SHCP_OAXACA_CORREGIDO), raiz)
    capa = Almacen(raiz).version().leer("presupuesto")
    # solo la segunda carga: 1,000 / 950 (la línea estatal de la primera ya no está)
    assert (len(capa), capa["aprobado"].sum(), capa["ejercido"].sum()) == (1, 1000.0, 950.0)
    assert Almacen(raiz).version().meta["carga"]["particiones"] == {
        "presupuesto": ["shcp|programa|2024"]
    }


ENCABEZADO_911 = ["CLAVECCT", "CICLO", "INSC_T", "EXIST_T", "APROB_T"]
ENCABEZADO_SIGED = [
    "CV_CCT", "C_NOMBRE", "INMUEBLE_C_NOM_MUN", "INMUEBLE_LATITUD", "INMUEBLE_LONGITUD",
    "TIPONIVELSUB_C_SERVICION2", "SOSTENIMIENTO_C_CONTROL",
]  # fmt: skip


def test_matricula_y_escuelas_de_dos_estados_se_conservan(tmp_path, nacional):
    raiz = tmp_path / "datos"
    oaxaca = [["20DPR0001X", "2024-2025", "100", "95", "90"]]
    morelos = [
        ["17DPR0001A", "2024-2025", "40", "38", "35"],
        ["17DPR0002B", "2024-2025", "60", "60", "50"],
    ]
    cargar("matricula", escribir_csv(tmp_path, "m20.csv", [ENCABEZADO_911, *oaxaca]), raiz)
    cargar("matricula", escribir_csv(tmp_path, "m17.csv", [ENCABEZADO_911, *morelos]), raiz)
    matricula = Almacen(raiz).version().leer("matricula")
    # 100 inscritos de Oaxaca + 40 + 60 de Morelos, el mismo ciclo
    por_entidad = matricula.groupby(matricula["cct"].str[:2])["inscritos"].sum().to_dict()
    assert por_entidad == {"17": 100, "20": 100}
    assert len(matricula) == 3
    # Morelos corregido: solo su escuela 1 (40 -> 45); Oaxaca no cambia
    corregido = [["17DPR0001A", "2024-2025", "45", "40", "35"]]
    cargar("matricula", escribir_csv(tmp_path, "m17b.csv", [ENCABEZADO_911, *corregido]), raiz)
    matricula = Almacen(raiz).version().leer("matricula")
    assert sorted(zip(matricula["cct"], matricula["inscritos"], strict=True)) == [
        ("17DPR0001A", 45),
        ("20DPR0001X", 100),
    ]
    # el catálogo de escuelas: cada entidad conserva las suyas
    siged_oaxaca = [
        [
            "20DPR0001X",
            "Niños Héroes",
            "Oaxaca de Juárez",
            "17.0606",
            "-96.7266",
            "PRIMARIA",
            "PÚBLICO",
        ]
    ]
    siged_morelos = [
        ["17DPR0001A", "Cuauhtémoc", "Cuernavaca", "18.9186", "-99.2342", "PRIMARIA", "PÚBLICO"]
    ]
    cargar("escuelas", escribir_csv(tmp_path, "e20.csv", [ENCABEZADO_SIGED, *siged_oaxaca]), raiz)
    cargar("escuelas", escribir_csv(tmp_path, "e17.csv", [ENCABEZADO_SIGED, *siged_morelos]), raiz)
    escuelas = Almacen(raiz).version().leer("escuelas")
    assert sorted(escuelas["cct"]) == ["17DPR0001A", "20DPR0001X"]


def test_padron_de_dos_estados_se_conserva(tmp_path, nacional):
    from tests.test_fuente_padron import ENCABEZADO, FILAS

    raiz = tmp_path / "datos"
    # Oaxaca: las filas aceptadas de la prueba del padrón (escuelas 20DPR0001X y 20DPR0002Y)
    cargar("padron", escribir_csv(tmp_path, "p20.csv", [ENCABEZADO, *FILAS], "cp1252"), raiz)
    oaxaca = Almacen(raiz).version().leer("padron")
    # Morelos: un alumno con uniforme en 17DPR0001A, el mismo ciclo
    morelos = [
        "7", "SOTO", "CRUZ", "RAÚL", "SOCR150101HMSTRL08", "01/01/2015", "H", "17DPR0001A",
        "2024-2025", "UNIFORME", "$450.00", "",
    ]  # fmt: skip
    cargar("padron", escribir_csv(tmp_path, "p17.csv", [ENCABEZADO, morelos], "cp1252"), raiz)
    padron = Almacen(raiz).version().leer("padron")

    # las filas de Oaxaca siguen tal cual; Morelos suma su escuela (fila TOTAL y UNIFORME)
    def filas(tabla):
        return sorted(
            zip(tabla["cct"], tabla["beneficio"], tabla["alumnos"], tabla["monto"], strict=True)
        )

    de_oaxaca = padron[padron["cct"].str.startswith("20")]
    assert filas(de_oaxaca) == filas(oaxaca)
    assert filas(padron[padron["cct"].str.startswith("17")]) == [
        ("17DPR0001A", "TOTAL", 1, 450.0),
        ("17DPR0001A", "UNIFORME", 1, 450.0),
    ]


def test_padron_publico_de_dos_estados_se_conserva(tmp_path, nacional):
    from tests.test_fuente_padron_publico import ENCABEZADO as PUBLICO

    raiz = tmp_path / "datos"

    def cargar_publico(nombre, filas):
        ruta = escribir_csv(tmp_path, nombre, [PUBLICO, *filas])
        cargar("padron", ruta, raiz, opciones={"programa": "S311", "anio": 2025})

    oaxaca = "Oaxaca de Juárez"
    cargar_publico(
        "S311_EDO_20.csv",
        [
            ["1", "20", "Oaxaca", "67", oaxaca, "1", oaxaca, "1900.0", "2025-01-10"],
            ["1", "20", "Oaxaca", "67", oaxaca, "1", oaxaca, "1900.0", "2025-02-10"],
        ],
    )
    cargar_publico(
        "S311_EDO_17.csv",
        [["1", "17", "Morelos", "7", "Cuernavaca", "1", "Cuernavaca", "1900.0", "2025-01-10"]],
    )
    tabla = Almacen(raiz).version().leer("programas")
    # Oaxaca de Juárez: 2 becas, 3,800; Cuernavaca: 1 beca, 1,900 (el mismo programa y año)
    por_municipio = tabla.groupby("cvegeo")["monto"].sum().to_dict()
    assert por_municipio == {"17007": 1900.0, "20067": 3800.0}
