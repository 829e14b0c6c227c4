"""Capa ``programas`` (padrones públicos): tabla con filtros, resumen del municipio, descargas
CSV / GeoJSON / GeoParquet, paquete de datos, página de datos y perfil del municipio."""

from __future__ import annotations

import io
import json
import sys

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pytest
import shapely

import capas
from ingesta.carga import cargar
from tablero import descargas
from tablero.app import crear_app
from tests import ayuda_paginas as ayuda
from tests.conftest import escribir_csv, valores
from tests.test_fuente_padron_publico import ENCABEZADO, FILAS

try:
    from tests.conftest_capas import A, B, C, almacen_prueba, datos_prueba
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    from conftest_capas import A, B, C, almacen_prueba, datos_prueba

__all__ = ["almacen_prueba", "datos_prueba"]

S311 = "S311 · Beca Universal de Educación Media Superior Benito Juárez"
#: La descarga completa del almacén de :func:`raiz`, tal cual (valores calculados a mano
#: desde FILAS de ``test_fuente_padron_publico``: filas 5 y 10; 2 y 3; 4; y la U084).
CSV = (
    "programa,anio,cvegeo,municipio,beneficiarios,monto,cve_loc,localidad\n"
    "S311,2025,20001,Abejones,2,1900.0,0001,Abejones\n"
    "S311,2025,20067,Oaxaca de Juárez,2,3800.0,0001,Oaxaca de Juárez\n"
    "S311,2025,20067,Oaxaca de Juárez,1,1900.0,0012,San Luis Beltrán\n"
    "U084,2024,20067,Oaxaca de Juárez,1,1900.0,0001,Oaxaca de Juárez\n"
)


# --- capa, con el escenario hecho a mano (tests/conftest_capas.py) --------------------------


def test_tabla_programas_completa(datos_prueba):
    tabla = capas.tabla_programas(datos_prueba)
    assert list(tabla.columns) == capas.capa("programas").nombres_campos
    assert valores(tabla, list(tabla.columns)) == [
        ["S311", 2024, A, "Abejones", 8, 15200.0, "0001", "Abejones"],
        ["S311", 2025, A, "Abejones", 10, 19000.0, "0001", "Abejones"],
        ["S311", 2025, B, "Acatlán de Pérez Figueroa", 4, 7600.0, "0001", "Acatlán"],
        ["S311", 2025, B, "Acatlán de Pérez Figueroa", 1, None, "0005", "La Cinco"],
        ["U084", 2025, A, "Abejones", 3, 4500.0, "0002", "El Dos"],
    ]


@pytest.mark.parametrize(
    ("filtros", "esperadas"),
    [
        ({"anio": 2024}, [("S311", 2024, A, "0001")]),
        ({"municipio": B}, [("S311", 2025, B, "0001"), ("S311", 2025, B, "0005")]),
        ({"programa": "u084"}, [("U084", 2025, A, "0002")]),
        ({"programa": "S311", "anio": 2025, "municipio": A}, [("S311", 2025, A, "0001")]),
        ({"municipio": C}, []),
    ],
)
def test_filtros_de_la_capa(datos_prueba, filtros, esperadas):
    tabla = capas.capa("programas").leer(datos_prueba, **filtros)
    filas = [tuple(f) for f in valores(tabla, ["programa", "anio", "cvegeo", "cve_loc"])]
    assert filas == esperadas


def test_programas_del_municipio(datos_prueba):
    columnas = ["programa", "nombre_programa", "anio", "beneficiarios", "monto", "localidades"]
    nombre = capas.tablas.NOMBRES_PROGRAMAS["S311"]
    resumen = capas.programas_municipio(datos_prueba, A)
    assert list(resumen.columns) == columnas
    assert valores(resumen, columnas) == [
        ["S311", nombre, 2025, 10, 19000.0, 1],
        ["U084", None, 2025, 3, 4500.0, 1],
        ["S311", nombre, 2024, 8, 15200.0, 1],
    ]
    # B: 4 + 1 beneficiarios; la localidad sin importe no suma (no es 0 ni vacía la suma)
    assert valores(capas.programas_municipio(datos_prueba, B), columnas) == [
        ["S311", nombre, 2025, 5, 7600.0, 2],
    ]
    assert len(capas.programas_municipio(datos_prueba, C)) == 0


def test_con_geometria_el_poligono_del_municipio(datos_prueba):
    tabla = capas.tabla_programas(datos_prueba, municipio=B, geometria=True)
    assert isinstance(tabla, gpd.GeoDataFrame) and tabla.crs.to_epsg() == 4326
    caja_b = shapely.box(-97, 16, -96, 17)  # el municipio B del escenario
    assert all(shapely.equals(g, caja_b) for g in tabla.geometry)


# --- carga real por la ingesta y el tablero -------------------------------------------------


@pytest.fixture(scope="module")
def raiz(tmp_path_factory):
    """Almacén con S311 2025 (FILAS) y U084 2024 (una beca en Oaxaca de Juárez), de Oaxaca."""
    carpeta = tmp_path_factory.mktemp("programas")
    with pytest.MonkeyPatch.context() as parche:
        parche.setenv("SIGUE_ESTADO", "20")
        s311 = escribir_csv(carpeta, "S311_EDO_20_OAXACA_Q1.csv", [ENCABEZADO, *FILAS])
        u084 = escribir_csv(carpeta, "U084.csv", [ENCABEZADO, FILAS[0]])
        cargar("padron", s311, carpeta / "datos", opciones={"programa": "S311"})
        cargar("padron", u084, carpeta / "datos", opciones={"programa": "U084", "anio": 2024})
    return carpeta / "datos"


@pytest.fixture(scope="module")
def app(raiz):
    descargas.limpiar_cache()
    return crear_app(raiz)


@pytest.fixture(scope="module")
def cliente(app):
    return app.server.test_client()


def test_descarga_csv_columnas_y_valores_exactos(cliente):
    respuesta = cliente.get("/descargas/programas.csv")
    assert respuesta.status_code == 200
    assert respuesta.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert respuesta.data.decode("utf-8") == CSV
    filtrada = cliente.get("/descargas/programas.csv?municipio=20067&programa=s311&anio=2025")
    assert (
        filtrada.data.decode("utf-8").splitlines() == CSV.splitlines()[:1] + CSV.splitlines()[2:4]
    )


def test_descarga_con_filtro_invalido(cliente):
    respuesta = cliente.get("/descargas/programas.csv?nivel=PRIMARIA")
    assert respuesta.status_code == 400
    assert "anio, municipio, entidad, programa" in respuesta.get_json()["error"]


def test_descarga_geojson_con_el_poligono_del_municipio(cliente):
    geo = json.loads(cliente.get("/descargas/programas.geojson").data)
    assert geo["name"] == "programas"
    rasgos = geo["features"]
    assert [r["properties"]["cvegeo"] for r in rasgos] == ["20001", "20067", "20067", "20067"]
    assert list(rasgos[0]["properties"]) == capas.capa("programas").nombres_campos
    assert rasgos[1]["properties"]["beneficiarios"] == 2
    assert rasgos[1]["properties"]["monto"] == 3800.0
    assert {r["geometry"]["type"] for r in rasgos} <= {"Polygon", "MultiPolygon"}
    assert rasgos[1]["geometry"] == rasgos[2]["geometry"] == rasgos[3]["geometry"]
    centro = shapely.geometry.shape(rasgos[1]["geometry"]).representative_point()
    assert -96.8 < centro.x < -96.6 and 17.0 < centro.y < 17.2  # Oaxaca de Juárez


def test_descarga_geoparquet(cliente):
    respuesta = cliente.get("/descargas/programas.parquet")
    esquema = pq.read_schema(io.BytesIO(respuesta.data))
    assert b"geo" in esquema.metadata
    assert json.loads(esquema.metadata[b"sigue"])["capa"] == "programas"
    tabla = gpd.read_parquet(io.BytesIO(respuesta.data))
    assert tabla.crs.to_epsg() == 4326
    assert list(tabla.columns) == [*capas.capa("programas").nombres_campos, "geometry"]
    assert tabla["beneficiarios"].tolist() == [2, 2, 1, 1]


def test_paquete_de_datos_describe_la_capa(cliente):
    paquete = cliente.get("/descargas/datapackage.json").get_json()
    recurso = next(r for r in paquete["resources"] if r["name"] == "programas")
    assert recurso["columnas_contrato"] == [
        "programa", "anio", "cvegeo", "municipio", "beneficiarios", "monto",
    ]  # fmt: skip
    assert [c["name"] for c in recurso["schema"]["fields"]] == [
        "programa", "anio", "cvegeo", "municipio", "beneficiarios", "monto", "cve_loc", "localidad",
    ]  # fmt: skip
    assert recurso["filtros"] == ["anio", "municipio", "entidad", "programa"]
    assert recurso["geometria"] == "poligono"
    assert {lic["name"] for lic in recurso["licenses"]} == {"CC-BY-4.0", "INEGI-libre-uso"}
    assert recurso["en_contrato"] is True


def test_pagina_de_datos_ofrece_la_capa(app):
    pagina = ayuda.modulo("/datos")
    with app.server.test_request_context("/datos"):
        arbol = pagina.layout()
    assert "Programas sociales (padrones públicos)" in ayuda.texto(arbol)
    enlaces = {n["props"].get("href") for n in ayuda.componentes(arbol, "A")}
    for formato in ("csv", "geojson", "parquet"):
        assert any(e and e.startswith(f"/descargas/programas.{formato}?version=") for e in enlaces)


def _texto(arbol) -> str:
    return " ".join(ayuda.texto(arbol).split())


def test_perfil_del_municipio_con_programas(app, cliente):
    pagina = sys.modules["paginas.municipio"]
    with app.server.test_request_context("/municipio"):
        arbol = pagina.layout(municipio="20067")
    texto = _texto(arbol)
    assert "Oaxaca de Juárez" in texto
    # Sin escuelas, presupuesto ni obras no hay ciclos: el perfil lo dice y muestra los programas.
    assert "Todavía no hay indicadores del programa de uniformes y útiles" in texto
    assert "Programas sociales" in texto
    seccion = _texto(ayuda.por_id(arbol, "municipio-programas"))
    # S311 2025: filas 2, 3 y 4 (3 becas, $5,700, 2 localidades); U084 2024: 1 beca.
    assert f"{S311} 2025 3 $5,700 2" in seccion
    assert "U084 2024 1 $1,900 1" in seccion
    assert seccion.index("2025") < seccion.index("2024")  # el año más reciente primero
    enlaces = {n["props"].get("href") for n in ayuda.componentes(arbol, "A")}
    assert "/descargas/programas.csv?municipio=20067" in enlaces
    # Los mismos números que la descarga del municipio.
    csv = pd.read_csv(
        io.BytesIO(cliente.get("/descargas/programas.csv?municipio=20067&anio=2025").data)
    )
    assert csv["beneficiarios"].sum() == 3 and csv["monto"].sum() == 5700.0


def test_perfil_del_municipio_sin_programas(app):
    pagina = sys.modules["paginas.municipio"]
    with app.server.test_request_context("/municipio"):
        arbol = pagina.layout(municipio="20390")
    texto = _texto(arbol)
    assert "Santa Lucía del Camino" in texto
    assert "Sin datos de programas sociales para este municipio" in texto
