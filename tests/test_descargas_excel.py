"""CSV para Excel (``?bom=1``): la marca UTF-8 delante y, después, los mismos bytes."""

from __future__ import annotations

import json

import pytest

from tablero import descargas
from tablero.app import crear_app


@pytest.fixture(scope="module")
def cliente(raiz_ejemplo):
    descargas.limpiar_cache()
    return crear_app(raiz_ejemplo).server.test_client()


def _error(respuesta) -> str:
    assert respuesta.status_code == 400, respuesta.data[:300]
    return json.loads(respuesta.data)["error"]


@pytest.mark.parametrize(
    "consulta", ["", "?anio=2024", "?municipio=20067&anio=2024", "?anio=2024&bom=1&version=v0001"]
)
def test_bom_son_tres_bytes_y_el_resto_identico(cliente, consulta):
    normal = cliente.get("/descargas/escuelas.csv" + consulta.replace("&bom=1", ""))
    separador = "&" if consulta else "?"
    excel = cliente.get(
        "/descargas/escuelas.csv" + consulta + ("" if "bom" in consulta else f"{separador}bom=1")
    )
    assert normal.status_code == excel.status_code == 200
    assert excel.data[:3] == b"\xef\xbb\xbf"
    assert excel.data[3:] == normal.data
    assert not normal.data.startswith(b"\xef\xbb\xbf")
    assert excel.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_bom_cero_o_vacio_es_el_csv_de_siempre(cliente):
    normal = cliente.get("/descargas/obras.csv").data
    assert cliente.get("/descargas/obras.csv?bom=0").data == normal
    assert cliente.get("/descargas/obras.csv?bom=").data == normal


def test_bom_con_gzip_se_descomprime_igual(cliente):
    import gzip

    normal = cliente.get("/descargas/municipios.csv").data
    comprimido = cliente.get("/descargas/municipios.csv?bom=1", headers={"Accept-Encoding": "gzip"})
    assert comprimido.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(comprimido.data) == b"\xef\xbb\xbf" + normal


def test_nombre_del_archivo_para_excel(cliente):
    respuesta = cliente.get("/descargas/escuelas.csv?anio=2024&bom=1")
    disposicion = respuesta.headers["Content-Disposition"]
    assert disposicion.startswith('attachment; filename="escuelas-v')
    assert disposicion.endswith('-anio-2024-excel.csv"')
    normal = cliente.get("/descargas/escuelas.csv?anio=2024").headers["Content-Disposition"]
    assert normal.endswith('-anio-2024.csv"')


def test_bom_solo_en_csv(cliente):
    assert _error(cliente.get("/descargas/escuelas.geojson?bom=1")) == (
        "El parámetro «bom=1» solo existe para CSV (/descargas/<capa>.csv); se pidió geojson."
    )


def test_bom_con_otro_valor_es_400(cliente):
    assert _error(cliente.get("/descargas/escuelas.csv?bom=si")) == (
        "El parámetro «bom» vale 1 (CSV para Excel, con BOM UTF-8) o 0; se recibió «si»."
    )
    assert "se recibió «1,1»" in _error(cliente.get("/descargas/escuelas.csv?bom=1&bom=1"))


def test_url_descarga_para_excel():
    assert descargas.url_descarga("obras", "csv", anio=2024, bom=1) == (
        "/descargas/obras.csv?anio=2024&bom=1"
    )


def test_rechazos_para_excel(cliente):
    normal = cliente.get("/descargas/rechazos/escuelas-advertencias.csv")
    excel = cliente.get("/descargas/rechazos/escuelas-advertencias.csv?bom=1")
    assert normal.status_code == excel.status_code == 200
    assert excel.data == b"\xef\xbb\xbf" + normal.data
    assert excel.headers["Content-Disposition"].endswith('-excel.csv"')
    assert "bom=" not in normal.headers["Content-Disposition"]
    assert "vale 1 (CSV para Excel" in _error(
        cliente.get("/descargas/rechazos/escuelas-advertencias.csv?bom=2")
    )
    assert "solo acepta «version» y «bom»" in _error(
        cliente.get("/descargas/rechazos/escuelas.csv?anio=2024")
    )
