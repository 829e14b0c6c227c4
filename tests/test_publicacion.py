"""Armado de los archivos publicados (``capas.publicacion``), sin servidor web."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from shapely.geometry import Point

import capas
from almacen.versiones import Version
from capas import publicacion

META = {
    "id": "v0007",
    "fecha_corte": "2025-09-30",
    "creada": "2025-10-02T10:00:00",
    "cargas": [
        {
            "tipo": "escuelas",
            "descripcion": "Catálogo de escuelas (SEP)",
            "archivo": "escuelas.csv",
            "sha256": "abc123",
            "fecha_corte": "2025-09-30",
        }
    ],
}


def _tabla() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nombre": ["Escuela Benito Juárez", "=1+1"],
            "cvegeo": ["20067", "20390"],
            "monto": [1500000.5, np.nan],
            "fecha": pd.to_datetime(["2024-03-05", None]),
            "activa": pd.array([True, False], dtype=bool),
        }
    )


# --- CSV -----------------------------------------------------------------------------------


def test_csv_columnas_filas_acentos_y_formula_neutralizada():
    texto = publicacion.tabla_csv(_tabla()).decode("utf-8")
    assert texto == (
        "nombre,cvegeo,monto,fecha,activa\n"
        "Escuela Benito Juárez,20067,1500000.5,2024-03-05,true\n"
        "'=1+1,20390,,,false\n"
    )


def test_csv_sin_bom_y_sin_columna_de_geometria():
    tabla = gpd.GeoDataFrame(
        {"clave": ["A"], "nombre": ["Tlacolula"]}, geometry=[Point(-96.5, 17.0)], crs=4326
    )
    contenido = publicacion.tabla_csv(tabla)
    assert contenido == b"clave,nombre\nA,Tlacolula\n"
    assert not contenido.startswith(publicacion.BOM)


def test_csv_para_excel_lleva_bom_y_el_resto_identico():
    normal = publicacion.tabla_csv(_tabla())
    excel = publicacion.con_bom(normal)
    assert excel[:3] == b"\xef\xbb\xbf"
    assert excel[3:] == normal
    assert excel.decode("utf-8-sig").splitlines()[1].startswith("Escuela Benito Juárez,")
    # Aplicarlo dos veces no duplica la marca.
    assert publicacion.con_bom(excel) == excel


# --- GeoJSON -------------------------------------------------------------------------------


def test_geojson_con_coordenadas_y_propiedades_exactas():
    tabla = gpd.GeoDataFrame(
        {"cct": ["20DPR0001A"], "nombre": ["Benito Juárez"], "alumnos": [120]},
        geometry=[Point(-96.72365, 17.06087)],
        crs=4326,
    )
    documento = json.loads(publicacion.tabla_geojson(tabla, "escuelas", {"version": "v0007"}))
    assert documento == {
        "type": "FeatureCollection",
        "name": "escuelas",
        "metadata": {"version": "v0007"},
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-96.72365, 17.06087]},
                "properties": {"cct": "20DPR0001A", "nombre": "Benito Juárez", "alumnos": 120},
            }
        ],
    }


def test_geojson_reproyecta_a_wgs84():
    # (500000, 0) en UTM 14N es el meridiano central de la zona (-99°) sobre el ecuador.
    tabla = gpd.GeoDataFrame({"clave": ["A"]}, geometry=[Point(500000, 0)], crs=32614)
    documento = json.loads(publicacion.tabla_geojson(tabla, "x", {}))
    x, y = documento["features"][0]["geometry"]["coordinates"]
    assert (round(x, 9), round(y, 9)) == (-99.0, 0.0)


def test_geojson_sin_geometria_y_valores_nulos_fechas_booleanos():
    documento = json.loads(publicacion.tabla_geojson(_tabla(), "presupuesto", {}))
    assert [f["geometry"] for f in documento["features"]] == [None, None]
    assert documento["features"][1]["properties"] == {
        "nombre": "=1+1",  # JSON no es una hoja de cálculo: el texto va tal cual
        "cvegeo": "20390",
        "monto": None,
        "fecha": None,
        "activa": "false",
    }
    assert documento["features"][0]["properties"]["fecha"] == "2024-03-05"


# --- Parquet -------------------------------------------------------------------------------


def test_parquet_con_metadatos_sigue():
    tabla = pd.DataFrame({"cvegeo": ["20067"], "monto": [10.5]})
    contenido = publicacion.tabla_parquet(tabla, {"version": "v0007", "capa": "municipios"})
    leido = pq.read_table(io.BytesIO(contenido))
    assert leido.column_names == ["cvegeo", "monto"]
    assert leido.to_pydict() == {"cvegeo": ["20067"], "monto": [10.5]}
    sigue = json.loads(leido.schema.metadata[b"sigue"])
    assert sigue == {"version": "v0007", "capa": "municipios"}


# --- Orden y armado ------------------------------------------------------------------------


def test_ordenar_contrato_primero_y_geometria_al_final():
    tabla = gpd.GeoDataFrame({"extra": [1], "b": [2], "a": [3]}, geometry=[Point(0, 1)], crs=4326)
    assert list(publicacion.ordenar(tabla, ["a", "b"]).columns) == ["a", "b", "extra", "geometry"]


def _capa_falsa(geometria: str | None, llamadas: list) -> SimpleNamespace:
    def leer(_datos, **parametros):
        llamadas.append(parametros)
        tabla = pd.DataFrame({"nota": ["Cañada"], "clave": ["A"]})
        if parametros.get("geometria"):
            return gpd.GeoDataFrame(tabla, geometry=[Point(-96.5, 17.25)], crs=4326)
        return tabla

    return SimpleNamespace(
        nombre="prueba",
        titulo="Capa de prueba",
        descripcion="Una fila.",
        columnas=("clave", "nota"),
        geometria=geometria,
        leer=leer,
    )


def test_armar_csv_pasa_filtros_y_extras_sin_geometria():
    llamadas: list = []
    capa = _capa_falsa("punto", llamadas)
    contenido = publicacion.armar(capa, "csv", None, META, {"anio": 2024}, {"reportes": 1})
    assert contenido == "clave,nota\nA,Cañada\n".encode()
    assert llamadas == [{"anio": 2024, "reportes": 1}]


def test_armar_geojson_pide_geometria_y_anota_filtros():
    llamadas: list = []
    capa = _capa_falsa("punto", llamadas)
    documento = json.loads(publicacion.armar(capa, "geojson", None, META, {"anio": 2024}))
    assert llamadas == [{"anio": 2024, "geometria": True}]
    assert documento["features"][0]["geometry"] == {"type": "Point", "coordinates": [-96.5, 17.25]}
    assert list(documento["features"][0]["properties"]) == ["clave", "nota"]
    assert documento["metadata"]["capa"] == "prueba"
    assert documento["metadata"]["filtros"] == {"anio": 2024}
    assert documento["metadata"]["version"] == "v0007"


def test_armar_rechaza_formato_desconocido():
    with pytest.raises(ValueError, match="formato desconocido «xlsx»"):
        publicacion.armar(_capa_falsa(None, []), "xlsx", None, META)


# --- Textos: nombre, dirección, cita, metadatos, paquete -----------------------------------


def test_nombre_archivo_con_version_corte_y_filtros():
    nombre = publicacion.nombre_archivo(
        "escuelas", "csv", META, {"anio": 2024, "municipio": ["20067", "20390"]}
    )
    assert nombre == "escuelas-v0007-corte-2025-09-30-anio-2024-municipio-20067_20390.csv"


def test_url_descarga_une_listas_con_coma_y_omite_vacios():
    url = publicacion.url_descarga(
        "obras", "csv", "v0003", municipio=["20067", "20390"], alerta="", anio=None, nivel="x y"
    )
    assert url == "/descargas/obras.csv?municipio=20067,20390&nivel=x+y&version=v0003"
    assert publicacion.url_descarga("obras", "geojson") == "/descargas/obras.geojson"


def test_cita_exacta():
    assert publicacion.cita(META, "https://ejemplo.org/datos?version=v0007") == (
        "Sigue el dinero Oaxaca (2025). Datos abiertos del gasto público en Oaxaca, versión "
        "v0007, fecha de corte: 30 de septiembre de 2025. Fuentes: Catálogo de escuelas (SEP); "
        "INEGI, Marco Geoestadístico (límites municipales). Licencia Creative Commons "
        "Atribución 4.0 Internacional (CC BY 4.0). Disponible en "
        "https://ejemplo.org/datos?version=v0007"
    )


def test_cita_y_metadatos_de_datos_de_ejemplo():
    meta = {**META, "cargas": [{**META["cargas"][0], "ejemplo": True}]}
    assert publicacion.es_ejemplo(meta) and not publicacion.es_ejemplo(META)
    assert "Datos de ejemplo (sintéticos), no son cifras oficiales." in publicacion.cita(meta)
    assert publicacion.metadatos(meta)["datos_de_ejemplo"] is True


def test_metadatos_con_fuentes():
    datos = publicacion.metadatos(META)
    assert datos["fuentes"] == [
        {
            "tipo": "escuelas",
            "descripcion": "Catálogo de escuelas (SEP)",
            "archivo": "escuelas.csv",
            "sha256": "abc123",
            "fecha_corte": "2025-09-30",
        }
    ]
    assert datos["paquete_de_datos"] == "/descargas/datapackage.json?version=v0007"
    assert "capa" not in datos


def test_paquete_de_datos_un_recurso_por_capa():
    paquete = publicacion.paquete_de_datos(Version(Path("."), META), "https://ejemplo.org/")
    assert [r["name"] for r in paquete["resources"]] == list(capas.NOMBRES)
    escuelas = next(r for r in paquete["resources"] if r["name"] == "escuelas")
    assert escuelas["path"] == "https://ejemplo.org/descargas/escuelas.csv?version=v0007"
    assert escuelas["formatos"]["geojson"]["path"] == (
        "https://ejemplo.org/descargas/escuelas.geojson?version=v0007"
    )
    assert paquete["sources"][0]["rechazos"] == (
        "https://ejemplo.org/descargas/rechazos/escuelas.csv?version=v0007"
    )
    assert paquete["homepage"] == "https://ejemplo.org/datos?version=v0007"


def test_fecha_larga_en_capas():
    assert publicacion.fecha_larga(date(2025, 1, 2)) == "2 de enero de 2025"
