"""Estacionamientos para personas con discapacidad: CSV del levantamiento y GeoJSON de OSM."""

import json
from pathlib import Path

import pandas as pd
import pytest

from almacen.esquemas import columnas
from almacen.versiones import Almacen
from ingesta.carga import cargar
from ingesta.errores import ColumnaFaltante, ErrorIngesta
from tests.conftest import escribir_csv, leer_advertencias, leer_rechazos, valores

ENCABEZADO = [
    "ID", "LATITUD", "LONGITUD", "DIRECCION", "CAJONES", "ESTADO", "FECHA_REVISION",
    "OBSERVACIONES", "FOTO_URL",
]  # fmt: skip
FILAS = [
    # fila 2: cajones vacío = 1; estado con mayúscula, acento y espacio; fecha mexicana
    ["E-1", "17.0606", "-96.7266", "Macedonio Alcalá 100, Centro", "", "Requiere rehabilitación", "31/03/2024", "Rampa dañada", "https://ejemplo.mx/e1.jpg"],
    # fila 3: coordenadas invertidas (se corrigen)
    ["E-2", "-96.7266", "17.0606", "García Vigil 5", "2", "BUENO", "2024-04-01", "", ""],
    # filas 4 a 9: fuera del estado, sin coordenadas, id repetido, 0 cajones, 1.5 cajones, estado desconocido
    ["E-3", "19.0414", "-98.2063", "Puebla", "1", "bueno", "", "", ""],
    ["E-4", "", "", "Sin ubicación", "1", "bueno", "", "", ""],
    ["E-1", "17.0606", "-96.7266", "Repetido", "1", "bueno", "", "", ""],
    ["E-5", "17.0606", "-96.7266", "Cero", "0", "bueno", "", "", ""],
    ["E-6", "17.0606", "-96.7266", "Medio", "1.5", "bueno", "", "", ""],
    ["E-7", "17.0606", "-96.7266", "Roto", "1", "roto", "", "", ""],
    # fila 10: Santa Lucía del Camino; la «foto» no es http(s) y no se guarda
    ["E-8", "17.0677", "-96.6734", "Periférico", "3", "En rehabilitacion", "", "", "javascript:alert(1)"],
    # fila 11: sin estado publicado (queda vacío)
    ["E-9", "17.0606", "-96.7266", "Ñuu Savi 1", "1", "", "", "", ""],
]  # fmt: skip


@pytest.fixture(scope="module")
def carga_csv(tmp_path_factory):
    """Una sola carga del CSV de prueba para las pruebas que la revisan."""
    carpeta = tmp_path_factory.mktemp("csv")
    ruta = escribir_csv(carpeta, "estacionamientos.csv", [ENCABEZADO, *FILAS], "cp1252")
    return cargar("estacionamientos", ruta, carpeta / "datos")


def test_csv_motivos_exactos(carga_csv):
    assert (carga_csv.formato, carga_csv.filas_leidas, carga_csv.filas_aceptadas) == ("CSV", 10, 4)
    aceptados = "bueno, requiere_rehabilitacion, en_rehabilitacion, rehabilitado, propuesto"
    assert leer_rechazos(carga_csv) == [
        (4, "LATITUD", "coordenadas fuera de la entidad"),
        (5, "LATITUD", "sin coordenadas utilizables"),
        (6, "ID", "identificador repetido en el archivo: E-1"),
        (7, "CAJONES", "número de cajones no válido (se espera un entero mayor o igual a 1): 0"),
        (8, "CAJONES", "número de cajones no válido (se espera un entero mayor o igual a 1): 1.5"),
        (9, "ESTADO", f"estado no reconocido (se acepta: {aceptados}): roto"),
    ]
    assert leer_advertencias(carga_csv) == [
        (3, "LATITUD", "coordenadas_invertidas: latitud y longitud se intercambiaron"),
        (10, "FOTO_URL", "la foto no es una dirección http(s): se deja vacía: javascript:alert(1)"),
    ]


def test_csv_filas_aceptadas_exactas(carga_csv):
    tabla = Almacen(Path(carga_csv.rechazos).parents[3]).version().leer("estacionamientos")
    assert list(tabla.columns) == [*columnas("estacionamientos"), "geometry"]
    assert tabla.crs.to_epsg() == 4326
    assert valores(tabla, ["id", "direccion", "cajones", "estado", "observaciones", "foto_url"]) == [
        ["E-1", "Macedonio Alcalá 100, Centro", 1, "requiere_rehabilitacion", "Rampa dañada", "https://ejemplo.mx/e1.jpg"],
        ["E-2", "García Vigil 5", 2, "bueno", None, None],
        ["E-8", "Periférico", 3, "en_rehabilitacion", None, None],
        ["E-9", "Ñuu Savi 1", 1, None, None, None],
    ]  # fmt: skip
    assert valores(tabla, ["latitud", "longitud", "cvegeo", "origen", "advertencias"]) == [
        [17.0606, -96.7266, "20067", "csv", None],
        [17.0606, -96.7266, "20067", "csv", "coordenadas_invertidas"],
        [17.0677, -96.6734, "20390", "csv", None],
        [17.0606, -96.7266, "20067", "csv", None],
    ]
    revision = [None if pd.isna(f) else f.date().isoformat() for f in tabla["fecha_revision"]]
    assert revision == ["2024-03-31", "2024-04-01", None, None]
    assert tabla.geometry.iloc[1].coords[0] == (-96.7266, 17.0606)


def _punto(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


OSM = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "node/1001",
            "properties": {
                "@id": "node/1001",
                "amenity": "parking_space",
                "parking_space": "disabled",
                "addr:street": "Calle de García Vigil",
                "addr:housenumber": "5",
                "check_date": "2025-01-15",
            },
            "geometry": _punto(-96.7266, 17.0606),
        },
        {
            "type": "Feature",
            "id": "way/2002",
            "properties": {"amenity": "parking", "capacity:disabled": "3", "name": "Estacionamiento del Llano"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-96.72, 17.064], [-96.719, 17.064], [-96.719, 17.065], [-96.72, 17.065], [-96.72, 17.064]]],
            },
        },
        {
            "type": "Feature",
            "id": "node/1003",
            "properties": {"amenity": "parking", "capacity": "50", "name": "Estacionamiento general"},
            "geometry": _punto(-96.7266, 17.0606),
        },
        {
            "type": "Feature",
            "id": "node/1004",
            "properties": {"amenity": "parking_space", "parking_space": "disabled"},
            "geometry": None,
        },
        {
            "type": "Feature",
            "properties": {"@id": "node/1005", "amenity": "parking", "capacity:disabled": "yes"},
            "geometry": _punto(-96.6734, 17.0677),
        },
        {
            "type": "Feature",
            "id": 1006,
            "properties": {"@type": "node", "amenity": "parking_space", "parking_space": "disabled", "capacity": "2"},
            "geometry": _punto(-96.7266, 17.0606),
        },
    ],
}  # fmt: skip


def test_osm_geojson(tmp_path):
    ruta = tmp_path / "osm.geojson"
    ruta.write_text(json.dumps(OSM, ensure_ascii=False), encoding="utf-8")
    resultado = cargar("estacionamientos", ruta, tmp_path / "datos")
    assert (resultado.formato, resultado.filas_leidas, resultado.filas_aceptadas) == ("OSM", 6, 4)
    motivo = (
        "no es un estacionamiento para personas con discapacidad (se espera amenity=parking_space "
        "con parking_space=disabled, o amenity=parking con capacity:disabled)"
    )
    assert leer_rechazos(resultado) == [
        (3, "amenity", motivo),
        (4, "geometry", "sin coordenadas utilizables"),
    ]
    assert leer_advertencias(resultado) == []
    tabla = Almacen(tmp_path / "datos").version().leer("estacionamientos")
    assert valores(tabla, ["id", "direccion", "cajones", "estado", "cvegeo", "origen"]) == [
        ["node/1001", "Calle de García Vigil 5", 1, None, "20067", "osm"],
        ["way/2002", "Estacionamiento del Llano", 3, None, "20067", "osm"],
        ["node/1005", None, 1, None, "20390", "osm"],
        ["node/1006", None, 2, None, "20067", "osm"],
    ]
    # Polígono: su punto representativo.
    assert tabla.loc[1, ["longitud", "latitud"]].tolist() == pytest.approx([-96.7195, 17.0645])
    assert tabla["fecha_revision"].iloc[0].date().isoformat() == "2025-01-15"


def test_csv_y_osm_conviven_por_origen(tmp_path):
    datos = tmp_path / "datos"
    cargar("estacionamientos", escribir_csv(tmp_path, "e.csv", [ENCABEZADO, FILAS[0]]), datos)
    ruta = tmp_path / "osm.geojson"
    ruta.write_text(json.dumps(OSM), encoding="utf-8")
    cargar("estacionamientos", ruta, datos)
    assert Almacen(datos).version().leer("estacionamientos")["origen"].tolist() == [
        "csv", "osm", "osm", "osm", "osm"
    ]  # fmt: skip
    # Un CSV nuevo reemplaza solo los puntos del CSV.
    cargar("estacionamientos", escribir_csv(tmp_path, "e2.csv", [ENCABEZADO, FILAS[1]]), datos)
    tabla = Almacen(datos).version().leer("estacionamientos")
    assert sorted(zip(tabla["origen"], tabla["id"], strict=True)) == [
        ("csv", "E-2"), ("osm", "node/1001"), ("osm", "node/1005"), ("osm", "node/1006"), ("osm", "way/2002")
    ]  # fmt: skip


def test_falta_columna_id_no_crea_version(tmp_path):
    ruta = escribir_csv(tmp_path, "e.csv", [["LATITUD", "LONGITUD"], ["17.0606", "-96.7266"]])
    with pytest.raises(
        ColumnaFaltante,
        match=r"No se reconoce el formato de e.csv como estacionamientos.*faltan las columnas: ID\. Columnas encontradas: LATITUD, LONGITUD$",
    ):
        cargar("estacionamientos", ruta, tmp_path / "datos")
    assert Almacen(tmp_path / "datos").versiones() == []


def test_solo_encabezado(tmp_path):
    ruta = escribir_csv(tmp_path, "e.csv", [ENCABEZADO])
    with pytest.raises(ErrorIngesta, match="solo encabezado"):
        cargar("estacionamientos", ruta, tmp_path / "datos")
    assert Almacen(tmp_path / "datos").id_actual() is None
