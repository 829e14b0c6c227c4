"""Descargas de datos abiertos: contrato de columnas, filtros, versiones, formatos, privacidad."""

from __future__ import annotations

import gzip
import io
import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import capas
from almacen.versiones import Almacen
from ingesta.carga import cargar
from tablero import descargas
from tablero.app import crear_app
from tests.conftest import escribir_csv
from tests.test_fuente_padron import CURP_A, CURP_B, CURP_C, ENCABEZADO, FILAS, NOMBRES

#: Columnas fijas de INDICADORES.md ("Open-data contract"): otras herramientas dependen de ellas.
CONTRATO = {
    "municipios": [
        "cvegeo", "municipio", "anio", "alumnos_inscritos", "alumnos_atendidos", "cobertura",
        "semaforo_cobertura", "presupuesto_aprobado", "presupuesto_ejercido", "eficacia",
        "semaforo_gasto", "desercion", "desercion_variacion", "aprobacion",
        "aprobacion_variacion", "obras", "obras_monto_aprobado", "obras_con_alerta",
    ],
    "escuelas": [
        "cct", "nombre", "nivel", "cvegeo", "anio", "alumnos_inscritos", "alumnos_atendidos",
        "cobertura", "semaforo_cobertura", "latitud", "longitud",
    ],
    "obras": [
        "folio", "nombre", "nivel_gobierno", "cvegeo", "anio", "monto_aprobado",
        "monto_ejercido", "monto_pagado", "avance_fisico", "avance_financiero", "estatus",
        "contratista", "semaforo", "alertas", "latitud", "longitud", "fecha_inicio",
        "fecha_termino", "fuente",
    ],
    "estacionamientos": [
        "id", "direccion", "cajones", "estado", "reportes_abiertos", "latitud", "longitud",
    ],
    "programas": ["programa", "anio", "cvegeo", "municipio", "beneficiarios", "monto"],
    "presupuesto": [
        "anio", "cvegeo", "clasificacion", "codigo", "nivel", "concepto", "aprobado",
        "modificado", "devengado", "ejercido", "pagado", "comprobado", "fuente",
    ],
}  # fmt: skip

#: Capas del contrato: las seis de INDICADORES.md (más las que el registro agregue).
EN_CONTRATO = ["municipios", "escuelas", "obras", "estacionamientos", "presupuesto", "programas"]
#: Capas sin filas en los datos de ejemplo (no traen padrones públicos): sus descargas con
#: datos se prueban en tests/test_programas.py.
SIN_DATOS_DE_EJEMPLO = {"programas"}
FORMATOS = ["csv", "geojson", "parquet"]
#: Caja de Oaxaca en WGS84 (con margen): las coordenadas publicadas caen dentro.
OESTE, SUR, ESTE, NORTE = -99.0, 15.0, -93.0, 19.5

ENCABEZADO_CAJONES = [
    "ID", "LATITUD", "LONGITUD", "DIRECCION", "CAJONES", "ESTADO", "FECHA_REVISION",
    "OBSERVACIONES", "FOTO_URL",
]  # fmt: skip


@pytest.fixture(scope="module")
def app_ejemplo(raiz_ejemplo):
    descargas.limpiar_cache()
    return crear_app(raiz_ejemplo)


@pytest.fixture(scope="module")
def cliente(app_ejemplo):
    return app_ejemplo.server.test_client()


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


@pytest.fixture(scope="module")
def dos_versiones(tmp_path_factory):
    """Almacén con dos cargas de estacionamientos: v0001 (una fila rechazada) y v0002."""
    carpeta = tmp_path_factory.mktemp("dos_versiones")
    primera = escribir_csv(
        carpeta,
        "cajones-junio.csv",
        [
            ENCABEZADO_CAJONES,
            ["EST-1", "17.077960", "-96.726341", "Calle Murguía 136", "2", "bueno", "2025-03-09", "", ""],
            ["EST-2", "17.053189", "-96.726856", "Calle Trujano 233", "1", "requiere_rehabilitacion", "2025-02-11", "", ""],
            ["EST-3", "40.0", "-3.7", "Fuera de la entidad", "1", "bueno", "2025-02-11", "", ""],
        ],
    )  # fmt: skip
    segunda = escribir_csv(
        carpeta,
        "cajones-septiembre.csv",
        [
            ENCABEZADO_CAJONES,
            ["EST-1", "17.077960", "-96.726341", "Calle Murguía 136", "2", "rehabilitado", "2025-09-09", "", ""],
            ["EST-2", "17.053189", "-96.726856", "Calle Trujano 233", "1", "en_rehabilitacion", "2025-09-11", "", ""],
            ["EST-4", "17.060000", "-96.720000", "Calle Alcalá 100", "3", "propuesto", "2025-09-11", "", ""],
        ],
    )  # fmt: skip
    raiz = carpeta / "datos"
    cargar("estacionamientos", primera, raiz, fecha_corte="2025-06-30")
    cargar("estacionamientos", segunda, raiz, fecha_corte="2025-09-30")
    return raiz


@pytest.fixture(scope="module")
def cliente_dos(dos_versiones):
    return crear_app(dos_versiones).server.test_client()


def _csv(respuesta) -> pd.DataFrame:
    assert respuesta.status_code == 200, respuesta.data[:300]
    return pd.read_csv(io.BytesIO(respuesta.data), dtype=str, keep_default_na=False)


def _encabezado(respuesta) -> list[str]:
    return respuesta.data.decode("utf-8").split("\n", 1)[0].split(",")


# --- CSV: contrato y valores ----------------------------------------------------------------


@pytest.mark.parametrize("nombre", sorted(CONTRATO))
def test_csv_empieza_con_las_columnas_del_contrato_en_orden(cliente, nombre):
    respuesta = cliente.get(f"/descargas/{nombre}.csv")
    assert respuesta.status_code == 200
    assert respuesta.headers["Content-Type"] == "text/csv; charset=utf-8"
    encabezado = _encabezado(respuesta)
    assert encabezado[: len(CONTRATO[nombre])] == CONTRATO[nombre]
    # Las columnas extra van después y todas están documentadas (datapackage).
    assert encabezado == capas.capa(nombre).nombres_campos


def test_cada_capa_del_registro_se_descarga_en_cada_formato(cliente):
    assert set(EN_CONTRATO) <= set(capas.NOMBRES)
    for capa in capas.REGISTRO:
        for formato in FORMATOS:
            respuesta = cliente.get(f"/descargas/{capa.nombre}.{formato}")
            assert respuesta.status_code == 200, (capa.nombre, formato)
            if capa.nombre in SIN_DATOS_DE_EJEMPLO and formato == "csv":
                assert _encabezado(respuesta) == capa.nombres_campos
            else:
                assert len(respuesta.data) > 100


def test_csv_presupuesto_con_sus_columnas(cliente):
    encabezado = _encabezado(cliente.get("/descargas/presupuesto.csv"))
    assert encabezado[:13] == CONTRATO["presupuesto"]
    assert encabezado[13:16] == ["municipio", "programa", "fecha_corte"]
    assert encabezado == capas.capa("presupuesto").nombres_campos
    paquete = cliente.get("/descargas/datapackage.json").get_json()
    recurso = next(r for r in paquete["resources"] if r["name"] == "presupuesto")
    assert recurso["columnas_contrato"] == CONTRATO["presupuesto"]
    campos = {c["name"]: c for c in recurso["schema"]["fields"]}
    assert "objeto_gasto" in campos["clasificacion"]["description"]
    assert "sume un solo nivel" in campos["nivel"]["description"]
    assert "clasificacion" in recurso["filtros"]


def test_filtro_clasificacion_del_presupuesto(cliente):
    r = cliente.get("/descargas/presupuesto.csv?clasificacion=programa")
    assert r.status_code == 200
    tabla = pd.read_csv(io.StringIO(r.get_data(as_text=True)))
    assert len(tabla) > 0 and set(tabla["clasificacion"]) == {"programa"}
    assert set(tabla["fuente"]) == {"shcp"} and tabla["nivel"].isna().all()
    vacia = cliente.get("/descargas/presupuesto.csv?clasificacion=administrativa")
    assert vacia.status_code == 200 and vacia.get_data(as_text=True).count("\n") == 1
    mala = cliente.get("/descargas/presupuesto.csv?clasificacion=funcional")
    assert mala.status_code == 400
    assert "clasificación del gasto" in mala.get_json()["error"]


def test_csv_utf8_sin_bom_con_coma_y_vacios_como_sin_dato(cliente):
    texto = cliente.get("/descargas/escuelas.csv").data
    assert not texto.startswith(b"\xef\xbb\xbf")
    texto.decode("utf-8")  # UTF-8 válido
    tabla = _csv(cliente.get("/descargas/escuelas.csv"))
    assert (tabla["cobertura"] == "").any()  # sin dato: celda vacía
    assert not tabla.isin(["nan", "NaN", "<NA>", "None", "inf"]).any().any()
    assert set(tabla["fuera_de_municipio"]) <= {"true", "false"}
    assert set(tabla["semaforo_cobertura"]) <= {"verde", "amarillo", "rojo", "gris"}
    assert all(re.fullmatch(r"\d+", v) for v in tabla["alumnos_inscritos"] if v)
    assert "Ñ" in texto.decode("utf-8") or "É" in texto.decode("utf-8")


def test_valores_iguales_a_capas(cliente, datos):
    tabla = _csv(cliente.get("/descargas/municipios.csv?anio=2025"))
    fila = tabla[tabla["cvegeo"] == "20067"].iloc[0]
    esperada = capas.tabla_municipios(datos, anio=2025).set_index("cvegeo").loc["20067"]
    assert float(fila["cobertura"]) == esperada["cobertura"]
    assert int(fila["alumnos_inscritos"]) == esperada["alumnos_inscritos"]
    assert int(fila["alumnos_atendidos"]) == esperada["alumnos_atendidos"]
    assert fila["semaforo_cobertura"] == esperada["semaforo_cobertura"]
    assert float(fila["eficacia"]) == esperada["eficacia"]
    assert fila["semaforo_gasto"] == esperada["semaforo_gasto"]
    assert fila["municipio"] == "Oaxaca de Juárez"
    # Proporciones como fracción (0.87, no 87).
    coberturas = pd.to_numeric(tabla["cobertura"], errors="coerce").dropna()
    assert 0 < coberturas.median() < 1.5


def test_csv_obras_con_fechas_iso_y_fuente(tmp_path):
    from tests.test_fuente_obras import FILAS_OPA_2016, FILAS_RAMO23

    datos = tmp_path / "datos"
    cargar("obras", escribir_csv(tmp_path, "_opa.csv", FILAS_OPA_2016), datos)
    ramo23 = escribir_csv(tmp_path, "_ramo23_2016.csv", FILAS_RAMO23)
    cargar("obras", ramo23, datos, opciones={"anio": 2016})
    tabla = _csv(crear_app(datos).server.test_client().get("/descargas/obras.csv"))
    assert tabla[["folio", "fecha_inicio", "fecha_termino", "fuente"]].values.tolist() == [
        ["05096400004", "2005-06-01", "2016-12-31", "opa"],
        ["0912X000001", "2009-03-01", "2017-12-31", "opa"],
        ["U128-2016-777", "", "", "ramo23"],
        ["U128-2016-778", "", "", "ramo23"],
    ]


@pytest.mark.parametrize("nombre", EN_CONTRATO)
def test_csv_completo_igual_a_la_capa(cliente, datos, nombre):
    capa = capas.capa(nombre)
    tabla = pd.read_csv(io.BytesIO(cliente.get(f"/descargas/{nombre}.csv").data), dtype=object)
    esperada = capa.leer(datos)
    assert len(tabla) == len(esperada)
    for campo in capa.campos:
        leida, original = tabla[campo.nombre], esperada[campo.nombre]
        assert leida.isna().tolist() == original.isna().tolist(), campo.nombre
        if campo.tipo in ("number", "integer"):
            assert np.allclose(
                pd.to_numeric(leida).dropna(), pd.to_numeric(original).dropna(), rtol=0, atol=0
            ), campo.nombre
        elif campo.tipo == "string":
            assert leida.dropna().tolist() == original.dropna().astype(str).tolist(), campo.nombre


# --- filtros ------------------------------------------------------------------------------


@pytest.mark.parametrize("nombre", ["municipios", "escuelas", "obras", "presupuesto", "padron"])
def test_filtro_municipio(cliente, nombre):
    tabla = _csv(cliente.get(f"/descargas/{nombre}.csv?municipio=20067"))
    assert len(tabla) > 0
    assert set(tabla["cvegeo"]) == {"20067"}
    dos = _csv(cliente.get(f"/descargas/{nombre}.csv?municipio=20067,20043"))
    assert set(dos["cvegeo"]) <= {"20067", "20043"} and len(dos) > len(tabla)


@pytest.mark.parametrize("nombre", ["municipios", "escuelas", "obras", "presupuesto"])
def test_filtro_anio(cliente, nombre):
    tabla = _csv(cliente.get(f"/descargas/{nombre}.csv?anio=2024"))
    assert len(tabla) > 0 and set(tabla["anio"]) == {"2024"}


def test_filtros_combinados_en_geojson_y_parquet(cliente, datos):
    geo = cliente.get("/descargas/municipios.geojson?anio=2024&municipio=20067").get_json()
    assert [f["properties"]["cvegeo"] for f in geo["features"]] == ["20067"]
    assert geo["metadata"]["filtros"] == {"anio": 2024, "municipio": "20067"}
    tabla = gpd.read_parquet(
        io.BytesIO(cliente.get("/descargas/escuelas.parquet?anio=2024&municipio=20067").data)
    )
    esperada = capas.tabla_escuelas(datos, anio=2024, municipio="20067")
    assert tabla["cct"].tolist() == esperada["cct"].tolist()


def test_filtro_alerta_y_estado(cliente):
    obras = _csv(cliente.get("/descargas/obras.csv?alerta=sobrecosto"))
    assert len(obras) > 0
    assert all("sobrecosto" in a.split(";") for a in obras["alertas"])
    cajones = _csv(cliente.get("/descargas/estacionamientos.csv?estado=bueno"))
    assert len(cajones) > 0 and set(cajones["estado"]) == {"bueno"}
    varios = _csv(cliente.get("/descargas/estacionamientos.csv?estado=bueno,propuesto"))
    assert set(varios["estado"]) <= {"bueno", "propuesto"} and len(varios) >= len(cajones)


def test_filtro_vacio_se_ignora(cliente):
    completo = cliente.get("/descargas/obras.csv").data
    assert cliente.get("/descargas/obras.csv?anio=&municipio=").data == completo


@pytest.mark.parametrize(
    ("url", "estado", "fragmento"),
    [
        ("/descargas/inexistente.csv", 404, "No existe la capa «inexistente»"),
        ("/descargas/municipios.xlsx", 404, "No existe el formato «xlsx»"),
        ("/descargas/municipios.csv?version=v9999", 404, "No existe la versión «v9999»"),
        ("/descargas/municipios.csv?version=ultima", 404, "No existe la versión «ultima»"),
        ("/descargas/datapackage.json?version=v9999", 404, "No existe la versión"),
        ("/descargas/municipios.csv?color=rojo", 400, "no acepta el parámetro «color»"),
        ("/descargas/estacionamientos.csv?anio=2024", 400, "no acepta el parámetro «anio»"),
        ("/descargas/municipios.csv?anio=dos-mil", 400, "año de cuatro cifras"),
        ("/descargas/municipios.csv?anio=2024&anio=2025", 400, "un solo valor"),
        ("/descargas/escuelas.csv?municipio=Oaxaca", 400, "clave INEGI de 5 cifras"),
        ("/descargas/escuelas.csv?municipio=99999", 400, "municipio que no existe en la versión"),
        ("/descargas/obras.csv?alerta=robo", 400, "código de alerta"),
        ("/descargas/estacionamientos.geojson?estado=roto", 400, "estado del cajón"),
        ("/descargas/datapackage.json?anio=2024", 400, "solo acepta «version»"),
        ("/descargas/rechazos/desconocida.csv", 404, "No existe el archivo de rechazos"),
        ("/descargas/otra/cosa", 404, "No existe la descarga"),
    ],
)
def test_errores_con_mensaje_en_espanol(cliente, url, estado, fragmento):
    respuesta = cliente.get(url)
    assert respuesta.status_code == estado
    assert respuesta.headers["Content-Type"].startswith("application/json")
    cuerpo = respuesta.get_json()
    assert fragmento in cuerpo["error"]
    assert cuerpo["estado"] == estado


def test_almacen_vacio_responde_404(tmp_path):
    cliente = crear_app(tmp_path).server.test_client()
    respuesta = cliente.get("/descargas/municipios.csv")
    assert respuesta.status_code == 404
    assert "Todavía no hay datos publicados" in respuesta.get_json()["error"]


# --- versiones, cabeceras y caché ---------------------------------------------------------


def test_version_anterior_devuelve_sus_datos(cliente_dos):
    actual = _csv(cliente_dos.get("/descargas/estacionamientos.csv"))
    anterior = _csv(cliente_dos.get("/descargas/estacionamientos.csv?version=v0001"))
    assert actual[["id", "estado"]].values.tolist() == [
        ["EST-1", "rehabilitado"],
        ["EST-2", "en_rehabilitacion"],
        ["EST-4", "propuesto"],
    ]
    assert anterior[["id", "estado"]].values.tolist() == [
        ["EST-1", "bueno"],
        ["EST-2", "requiere_rehabilitacion"],
    ]
    geo = cliente_dos.get("/descargas/estacionamientos.geojson?version=v0001").get_json()
    assert geo["metadata"]["version"] == "v0001"
    assert geo["metadata"]["fecha_corte"] == "2025-06-30"
    assert [f["properties"]["id"] for f in geo["features"]] == ["EST-1", "EST-2"]


def test_cabeceras_de_version_fecha_y_nombre(cliente_dos):
    actual = cliente_dos.get("/descargas/estacionamientos.csv")
    assert actual.headers["X-Sigue-Version"] == "v0002"
    assert actual.headers["X-Sigue-Fecha-Corte"] == "2025-09-30"
    assert actual.headers["Content-Disposition"] == (
        'attachment; filename="estacionamientos-v0002-corte-2025-09-30.csv"'
    )
    assert actual.headers["Cache-Control"] == "public, no-cache"
    assert "datapackage.json?version=v0002" in actual.headers["Link"]
    assert actual.headers["Access-Control-Allow-Origin"] == "*"
    vacia = cliente_dos.get("/descargas/municipios.csv?version=")  # vacío = la actual
    assert vacia.headers["X-Sigue-Version"] == "v0002"
    assert vacia.headers["Cache-Control"] == "public, no-cache"
    anterior = cliente_dos.get("/descargas/estacionamientos.geojson?version=v0001&estado=bueno")
    assert anterior.headers["X-Sigue-Version"] == "v0001"
    assert anterior.headers["X-Sigue-Fecha-Corte"] == "2025-06-30"
    assert anterior.headers["Content-Disposition"] == (
        'attachment; filename="estacionamientos-v0001-corte-2025-06-30-estado-bueno.geojson"'
    )
    assert anterior.headers["Content-Type"] == "application/geo+json; charset=utf-8"
    # Una versión pedida por su id no cambia nunca...
    fija = cliente_dos.get("/descargas/municipios.csv?version=v0001")
    assert fija.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    paquete = cliente_dos.get("/descargas/datapackage.json?version=v0001")
    assert paquete.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # ...salvo los estacionamientos: sus reportes abiertos se cuentan en cada descarga.
    assert anterior.headers["Cache-Control"] == "public, no-cache"


def test_etag_y_304(cliente_dos):
    primera = cliente_dos.get("/descargas/estacionamientos.csv?version=v0001")
    etag = primera.headers["ETag"]
    segunda = cliente_dos.get(
        "/descargas/estacionamientos.csv?version=v0001", headers={"If-None-Match": etag}
    )
    assert segunda.status_code == 304 and segunda.data == b""


def test_gzip_si_el_cliente_lo_acepta(cliente):
    plano = cliente.get("/descargas/municipios.geojson")
    comprimido = cliente.get("/descargas/municipios.geojson", headers={"Accept-Encoding": "gzip"})
    assert comprimido.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in comprimido.headers["Vary"]
    assert gzip.decompress(comprimido.data) == plano.data
    assert len(comprimido.data) < len(plano.data) / 3
    parquet = cliente.get("/descargas/municipios.parquet", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in parquet.headers  # ya va comprimido por dentro


def test_una_version_nueva_se_ve_en_la_siguiente_descarga(tmp_path):
    raiz = tmp_path / "datos"
    fila = ["EST-9", "17.06", "-96.72", "Calle 1", "1", "bueno", "2025-01-01", "", ""]
    cargar("estacionamientos", escribir_csv(tmp_path, "a.csv", [ENCABEZADO_CAJONES, fila]), raiz)
    cliente = crear_app(raiz).server.test_client()
    assert _csv(cliente.get("/descargas/estacionamientos.csv"))["estado"].tolist() == ["bueno"]
    fila[5] = "propuesto"
    cargar("estacionamientos", escribir_csv(tmp_path, "b.csv", [ENCABEZADO_CAJONES, fila]), raiz)
    respuesta = cliente.get("/descargas/estacionamientos.csv")
    assert respuesta.headers["X-Sigue-Version"] == "v0002"
    assert _csv(respuesta)["estado"].tolist() == ["propuesto"]


def test_parametros_dinamicos_de_una_capa(dos_versiones):
    app = crear_app(dos_versiones)
    descargas.parametros_dinamicos(
        app.server, "estacionamientos", lambda: {"reportes_abiertos": {"EST-2": 3}}
    )
    cliente = app.server.test_client()
    respuesta = cliente.get("/descargas/estacionamientos.csv?version=v0002")
    tabla = _csv(respuesta)
    assert tabla.set_index("id")["reportes_abiertos"].to_dict() == {
        "EST-1": "0",
        "EST-2": "3",
        "EST-4": "0",
    }
    assert respuesta.headers["Cache-Control"] == "public, no-cache"  # cambia sin versión nueva


def test_reportes_ciudadanos_abiertos_en_la_descarga(tmp_path, dos_versiones):
    import shutil

    raiz = tmp_path / "datos"
    shutil.copytree(dos_versiones, raiz)
    cliente = crear_app(raiz).server.test_client()
    antes = _csv(cliente.get("/descargas/estacionamientos.csv"))
    assert set(antes["reportes_abiertos"]) == {"0"}
    creado = cliente.post(
        "/api/reportes",
        json={"estacionamiento_id": "EST-2", "tipo": "danado", "descripcion": "Señal caída"},
    )
    assert creado.status_code == 201, creado.data
    despues = _csv(cliente.get("/descargas/estacionamientos.csv"))
    assert despues.set_index("id")["reportes_abiertos"].to_dict() == {
        "EST-1": "0",
        "EST-2": "1",
        "EST-4": "0",
    }


# --- rechazos ------------------------------------------------------------------------------


def test_filas_rechazadas_de_cada_version(cliente_dos):
    anterior = _csv(cliente_dos.get("/descargas/rechazos/estacionamientos.csv?version=v0001"))
    assert anterior.values.tolist() == [["4", "LATITUD", "coordenadas fuera de la entidad"]]
    actual = cliente_dos.get("/descargas/rechazos/estacionamientos.csv")
    assert actual.headers["X-Sigue-Version"] == "v0002"
    assert _csv(actual).empty
    advertencias = cliente_dos.get("/descargas/rechazos/estacionamientos-advertencias.csv")
    assert _encabezado(advertencias) == ["fila", "columna", "motivo"]


def test_rechazos_de_una_fuente_cargada_antes(cliente):
    # La versión actual del ejemplo (v0006) se creó con estacionamientos; las escuelas se
    # cargaron en v0001: sus rechazos salen de ahí.
    respuesta = cliente.get("/descargas/rechazos/escuelas-advertencias.csv")
    assert respuesta.headers["X-Sigue-Version"] == _version_actual(cliente)
    assert "fuera_de_municipio" in respuesta.data.decode("utf-8")


def _version_actual(cliente) -> str:
    return cliente.get("/descargas/datapackage.json").get_json()["version"]


# --- GeoJSON y GeoParquet -----------------------------------------------------------------


@pytest.mark.parametrize(
    "capa",
    [c for c in capas.REGISTRO if c.nombre not in SIN_DATOS_DE_EJEMPLO],
    ids=lambda c: c.nombre,
)
def test_geojson_valido_en_wgs84(cliente, capa):
    respuesta = cliente.get(f"/descargas/{capa.nombre}.geojson")
    assert respuesta.headers["Content-Type"] == "application/geo+json; charset=utf-8"
    geo = json.loads(respuesta.data)
    assert geo["type"] == "FeatureCollection"
    assert "crs" not in geo  # RFC 7946: siempre WGS84
    filas = _csv(cliente.get(f"/descargas/{capa.nombre}.csv"))
    assert len(geo["features"]) == len(filas)
    assert all(f["type"] == "Feature" for f in geo["features"])
    assert list(geo["features"][0]["properties"]) == capa.nombres_campos
    tipos = {f["geometry"]["type"] if f["geometry"] else None for f in geo["features"]}
    if capa.geometria == "poligono":
        assert tipos <= {"Polygon", "MultiPolygon"} and tipos - {None}
    elif capa.geometria == "punto":
        assert tipos <= {"Point", None} and "Point" in tipos
    else:
        assert tipos == {None}
    for coordenada in _coordenadas(geo):
        lon, lat = coordenada[:2]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert OESTE <= lon <= ESTE and SUR <= lat <= NORTE
    meta = geo["metadata"]
    assert meta["version"] and meta["fecha_corte"]
    assert "Creative Commons Atribución 4.0" in meta["licencia"]
    assert "INEGI" in meta["licencia_limites_municipales"]
    assert meta["version"] in meta["cita"]
    assert all(len(f["sha256"]) == 64 for f in meta["fuentes"])


@pytest.mark.parametrize("nombre", sorted(SIN_DATOS_DE_EJEMPLO))
def test_geojson_de_una_capa_vacia(cliente, nombre):
    geo = json.loads(cliente.get(f"/descargas/{nombre}.geojson").data)
    assert geo["type"] == "FeatureCollection" and geo["features"] == []
    assert geo["metadata"]["capa"] == nombre and geo["metadata"]["version"]


def test_geojson_sin_geometria_conserva_propiedades(cliente, datos):
    obras = cliente.get("/descargas/obras.geojson").get_json()
    sin_punto = [f for f in obras["features"] if f["geometry"] is None]
    assert sin_punto, "el ejemplo tiene obras sin georreferencia"
    assert all(f["properties"]["folio"] for f in sin_punto)
    assert all("sin_georreferencia" in (f["properties"]["alertas"] or "") for f in sin_punto)
    punto = next(f for f in obras["features"] if f["geometry"])
    assert punto["geometry"]["coordinates"] == [
        punto["properties"]["longitud"],
        punto["properties"]["latitud"],
    ]


@pytest.mark.parametrize("capa", capas.REGISTRO, ids=lambda c: c.nombre)
def test_parquet_con_metadatos(cliente, capa):
    respuesta = cliente.get(f"/descargas/{capa.nombre}.parquet")
    assert respuesta.headers["Content-Type"] == "application/vnd.apache.parquet"
    esquema = pq.read_schema(io.BytesIO(respuesta.data))
    meta = json.loads(esquema.metadata[b"sigue"])
    assert meta["version"] == respuesta.headers["X-Sigue-Version"]
    assert meta["capa"] == capa.nombre and meta["cita"]
    if capa.geometria:
        assert b"geo" in esquema.metadata
        tabla = gpd.read_parquet(io.BytesIO(respuesta.data))
        assert tabla.crs.to_epsg() == 4326
        assert list(tabla.columns) == [*capa.nombres_campos, "geometry"]
    else:
        assert b"geo" not in esquema.metadata
        assert list(pd.read_parquet(io.BytesIO(respuesta.data)).columns) == capa.nombres_campos


# --- paquete de datos ---------------------------------------------------------------------


def test_paquete_de_datos_describe_cada_capa_y_campo(cliente, raiz_ejemplo):
    respuesta = cliente.get("/descargas/datapackage.json")
    assert respuesta.headers["Content-Type"] == "application/json; charset=utf-8"
    paquete = respuesta.get_json()
    version = Almacen(raiz_ejemplo).version()
    assert paquete["profile"] == "tabular-data-package"
    assert paquete["version"] == version.id
    assert paquete["fecha_corte"] == version.meta["fecha_corte"]
    assert [r["name"] for r in paquete["resources"]] == list(capas.NOMBRES)
    for recurso, capa in zip(paquete["resources"], capas.REGISTRO, strict=True):
        campos = recurso["schema"]["fields"]
        assert [(c["name"], c["type"], c["description"], c.get("unit")) for c in campos] == [
            (c.nombre, c.tipo, c.descripcion, c.unidad) for c in capa.campos
        ]
        assert all(len(c["description"]) > 10 for c in campos)
        assert recurso["path"].endswith(f"/descargas/{capa.nombre}.csv?version={version.id}")
        assert set(recurso["formatos"]) == set(FORMATOS)
        assert recurso["columnas_contrato"] == list(capa.columnas)
        # la dirección del recurso funciona y su encabezado es el del esquema
        relativa = recurso["path"].removeprefix("http://localhost")
        assert _encabezado(cliente.get(relativa)) == [c["name"] for c in campos]
    fuentes = {f.get("tipo"): f for f in paquete["sources"]}
    for tipo, info in version.meta["fuentes"].items():
        assert fuentes[tipo]["archivo"] == info["archivo"]
        assert fuentes[tipo]["sha256"] == info["sha256"]
        assert re.fullmatch(r"[0-9a-f]{64}", fuentes[tipo]["sha256"])
    assert any("INEGI" in f["title"] for f in paquete["sources"])
    licencias = {lic["name"] for lic in paquete["licenses"]}
    assert licencias == {"CC-BY-4.0", "INEGI-libre-uso"}
    assert version.id in paquete["cita"] and "CC BY 4.0" in paquete["cita"]
    assert "21 de" in paquete["cita"] or "de 20" in paquete["cita"]


def test_paquete_de_una_version_anterior(cliente_dos):
    paquete = cliente_dos.get("/descargas/datapackage.json?version=v0001").get_json()
    assert paquete["version"] == "v0001" and paquete["fecha_corte"] == "2025-06-30"
    fuente = next(f for f in paquete["sources"] if f.get("tipo") == "estacionamientos")
    assert fuente["archivo"] == "cajones-junio.csv"
    assert (fuente["filas_leidas"], fuente["filas_aceptadas"], fuente["filas_rechazadas"]) == (
        3,
        2,
        1,
    )
    assert "30 de junio de 2025" in paquete["cita"]


# --- privacidad ---------------------------------------------------------------------------


def test_ninguna_descarga_contiene_datos_personales_del_padron(tmp_path):
    """Padrón con CURP y nombres conocidos: ninguna descarga (ni Parquet decodificado) los trae."""
    ruta = escribir_csv(tmp_path, "padron.csv", [ENCABEZADO, *FILAS], "cp1252")
    raiz = tmp_path / "datos"
    cargar("padron", ruta, raiz)
    cliente = crear_app(raiz).server.test_client()
    buscados = [CURP_A, CURP_B, CURP_C, "ROSE160505MOC", *NOMBRES, "12/03/2015", "2015-03-12"]
    urls = [f"/descargas/{c}.{f}" for c in capas.NOMBRES for f in FORMATOS]
    urls += [
        "/descargas/datapackage.json",
        "/descargas/rechazos/padron.csv",
        "/descargas/rechazos/padron-advertencias.csv",
    ]
    textos = {}
    for url in urls:
        respuesta = cliente.get(url)
        assert respuesta.status_code == 200, url
        textos[url] = _texto_descarga(respuesta)
    assert "20DPR0001X" in textos["/descargas/padron.csv"]  # la búsqueda sí ve los datos
    assert "CURP con estructura no válida" in textos["/descargas/rechazos/padron.csv"]
    for url, texto in textos.items():
        for buscado in buscados:
            assert buscado not in texto, (url, buscado)


def _texto_descarga(respuesta) -> str:
    if respuesta.headers["Content-Type"].startswith("application/vnd.apache.parquet"):
        tabla = pq.read_table(io.BytesIO(respuesta.data))
        celdas = "\n".join(str(v) for col in tabla.columns for v in col.to_pylist())
        metadatos = "\n".join(v.decode("utf-8") for v in (tabla.schema.metadata or {}).values())
        return celdas + "\n" + metadatos
    return respuesta.data.decode("utf-8")


def _coordenadas(geo: dict):
    for rasgo in geo["features"]:
        if rasgo["geometry"]:
            yield from _aplanar(rasgo["geometry"]["coordinates"])


def _aplanar(coordenadas):
    if coordenadas and isinstance(coordenadas[0], int | float):
        yield coordenadas
    else:
        for parte in coordenadas:
            yield from _aplanar(parte)


def test_los_filtros_de_las_paginas_sirven_en_las_descargas(raiz_ejemplo):
    """``/obras`` y ``/escuelas`` ponen nivel, estatus, semáforo y montos en la URL: la
    descarga con esos mismos parámetros trae exactamente las filas de la página."""
    import io

    import capas
    from tablero.app import crear_app

    cliente = crear_app(raiz_ejemplo).server.test_client()
    datos = capas.abrir(raiz_ejemplo)
    obras = capas.tabla_obras(datos, anio=2025)
    esperadas = obras[
        (obras["nivel_gobierno"] == "FEDERAL")
        & (obras["semaforo"] == "rojo")
        & (obras["monto_aprobado"] >= 1_000_000)
    ]
    assert len(esperadas) > 0
    r = cliente.get(
        "/descargas/obras.csv?anio=2025&nivel=FEDERAL&semaforo=rojo&monto_min=1,000,000"
    )
    assert r.status_code == 200
    csv = pd.read_csv(io.StringIO(r.get_data(as_text=True)), dtype={"folio": str})
    assert sorted(csv["folio"]) == sorted(esperadas["folio"])

    escuelas = capas.tabla_escuelas(datos, anio=2025)
    rojas = escuelas[(escuelas["nivel"] == "PRIMARIA") & (escuelas["semaforo_cobertura"] == "rojo")]
    r = cliente.get("/descargas/escuelas.csv?anio=2025&nivel=PRIMARIA&semaforo=rojo")
    csv = pd.read_csv(io.StringIO(r.get_data(as_text=True)), dtype={"cct": str})
    assert sorted(csv["cct"]) == sorted(rojas["cct"]) and len(rojas) > 0

    malo = cliente.get("/descargas/obras.csv?semaforo=morado")
    assert malo.status_code == 400 and "luz del semáforo" in malo.get_json()["error"]


def test_paquete_de_datos_no_escribe_la_cabecera_host(cliente, monkeypatch):
    """Un ``Host`` falso no queda escrito en el paquete (que se guarda en caché): las URL salen
    de ``SIGUE_URL_BASE`` o son relativas al sitio."""
    descargas.limpiar_cache()
    monkeypatch.delenv("SIGUE_URL_BASE", raising=False)
    texto = cliente.get("/descargas/datapackage.json", headers={"Host": "malo.example"}).data
    assert b"malo.example" not in texto
    paquete = json.loads(texto)
    assert paquete["homepage"].startswith("/datos?version=")
    descargas.limpiar_cache()
    monkeypatch.setenv("SIGUE_URL_BASE", "https://datos.oaxaca.gob.mx")
    paquete = cliente.get(
        "/descargas/datapackage.json", headers={"Host": "malo.example"}
    ).get_json()
    assert paquete["homepage"].startswith("https://datos.oaxaca.gob.mx/datos?version=")
    assert all(
        r["path"].startswith("https://datos.oaxaca.gob.mx/descargas/") for r in paquete["resources"]
    )
    descargas.limpiar_cache()


def test_filtros_en_otro_orden_o_repetidos_son_la_misma_descarga(cliente):
    descargas.limpiar_cache()
    a = cliente.get("/descargas/municipios.csv?municipio=20067,20001,20067&anio=2024")
    antes = len(descargas._CACHE._archivos)
    b = cliente.get("/descargas/municipios.csv?municipio=20001,20067&anio=2024")
    assert a.status_code == b.status_code == 200 and a.data == b.data
    assert _csv(a)["cvegeo"].tolist() == ["20001", "20067"]
    assert len(descargas._CACHE._archivos) == antes
