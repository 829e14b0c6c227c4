"""«Descargar esta vista»: enlaces con los filtros de la página que bajan las filas en pantalla."""

from __future__ import annotations

import io
import json
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest

import capas
from tablero import componentes
from tablero.app import crear_app

try:
    from tests import ayuda_paginas as ayuda
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    import ayuda_paginas as ayuda

SUFIJOS = ("csv", "excel", "geojson")


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


@pytest.fixture(scope="module")
def cliente(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


@pytest.fixture
def peticion(app):
    with app.server.test_request_context("/obras"):
        yield


def _hrefs(arbol, id_: str) -> list[str]:
    return [ayuda.por_id(arbol, f"{id_}-{sufijo}")["props"]["href"] for sufijo in SUFIJOS]


def _csv(cliente, href: str) -> pd.DataFrame:
    respuesta = cliente.get(href)
    assert respuesta.status_code == 200, respuesta.data[:300]
    return pd.read_csv(io.BytesIO(respuesta.data), dtype=str, keep_default_na=False)


# --- Componente ----------------------------------------------------------------------------


def test_hrefs_con_los_filtros_de_la_capa_y_sin_los_demas(peticion):
    filtros = {
        "anio": 2024,
        "nivel": ["federal", "estatal"],
        "monto_min": "1,500,000",
        "municipio": None,
        "estatus": [],
        "contratista": "",
        "buscar": "escuela",  # búsqueda de la tabla: no es un filtro de la capa
        "folio": "OB-1",
    }
    assert componentes.hrefs_vista("obras", filtros, "v0001") == [
        "/descargas/obras.csv?anio=2024&nivel=federal,estatal&monto_min=1,500,000&version=v0001",
        "/descargas/obras.csv?anio=2024&nivel=federal,estatal&monto_min=1,500,000&bom=1"
        "&version=v0001",
        "/descargas/obras.geojson?anio=2024&nivel=federal,estatal&monto_min=1,500,000"
        "&version=v0001",
    ]


def test_componente_accesible(peticion):
    arbol = componentes.descargar_vista(
        "x-descarga", "escuelas", {"anio": 2024}, que="las escuelas de esta vista"
    )
    nodo = ayuda.a_json(arbol)
    assert nodo["props"]["role"] == "group"
    assert nodo["props"]["aria-labelledby"] == "x-descarga-titulo"
    assert ayuda.texto(arbol) == "Descargar esta vista: ⬇  CSV ⬇  CSV para Excel ⬇  GeoJSON"
    enlaces = ayuda.componentes(arbol, "A")
    assert [a["props"]["download"] for a in enlaces] == [
        "escuelas.csv",
        "escuelas-excel.csv",
        "escuelas.geojson",
    ]
    assert [a["props"]["aria-label"] for a in enlaces] == [
        "CSV: descargar las escuelas de esta vista",
        "CSV para Excel: descargar las escuelas de esta vista",
        "GeoJSON: descargar las escuelas de esta vista",
    ]
    assert {a["props"]["className"] for a in enlaces} == {"descarga-vista__enlace"}


def test_css_objetivo_tactil_de_44_px():
    from pathlib import Path

    import tablero

    css = (Path(tablero.__file__).parent / "assets" / "paginas.css").read_text(encoding="utf-8")
    regla = css[css.index(".descarga-vista__enlace {") :]
    regla = regla[: regla.index("}")]
    assert "min-height: 2.75rem;" in regla and "min-width: 2.75rem;" in regla


# --- Páginas: los enlaces llevan los valores de los controles --------------------------------


def test_obras_enlaces_con_los_filtros_de_la_url(app, cliente, datos):
    pagina = ayuda.modulo("/obras")
    with app.server.test_request_context("/obras"):
        arbol = pagina.layout(anio="2024", nivel="FEDERAL", buscar="calle", folio="X")
    hrefs = _hrefs(arbol, "obras-descarga")
    assert hrefs[0] == f"/descargas/obras.csv?anio=2024&nivel=FEDERAL&version={datos.id}"
    assert hrefs[1] == f"/descargas/obras.csv?anio=2024&nivel=FEDERAL&bom=1&version={datos.id}"
    # La descarga trae exactamente las filas que la página muestra (su tabla, que pide sus
    # bloques con los controles del layout); el texto del buscador no entra en la descarga.
    with app.server.test_request_context("/obras"):
        en_pantalla = pd.DataFrame(ayuda.filas_del_layout(pagina, arbol, con_busqueda=False))
    descargadas = _csv(cliente, hrefs[0])
    assert not en_pantalla.empty
    assert sorted(descargadas["folio"]) == sorted(en_pantalla["folio"])
    excel = cliente.get(hrefs[1]).data
    assert excel == b"\xef\xbb\xbf" + cliente.get(hrefs[0]).data
    geojson = json.loads(cliente.get(hrefs[2]).data)
    assert sorted(f["properties"]["folio"] for f in geojson["features"]) == sorted(
        en_pantalla["folio"]
    )


def test_escuelas_enlaces_con_los_filtros_de_la_url(app, cliente, datos):
    pagina = ayuda.modulo("/escuelas")
    with app.server.test_request_context("/escuelas"):
        arbol = pagina.layout(anio="2024", municipio="20067", nivel="PRIMARIA")
        en_pantalla = pd.DataFrame(ayuda.filas_del_layout(pagina, arbol))
    hrefs = _hrefs(arbol, "escuelas-descarga")
    assert dict(parse_qsl(urlsplit(hrefs[0]).query)) == {
        "anio": "2024",
        "municipio": "20067",
        "nivel": "PRIMARIA",
        "version": datos.id,
    }
    assert sorted(_csv(cliente, hrefs[0])["cct"]) == sorted(en_pantalla["cct"])


def test_estacionamientos_bloque_bajo_la_tabla_con_el_estado(app, datos):
    pagina = ayuda.modulo("/estacionamientos")
    with app.server.test_request_context("/estacionamientos"):
        arbol = pagina.layout(estado="bueno,propuesto", buscar="Alcalá")
    assert _hrefs(arbol, "estacionamientos-descarga-tabla") == [
        f"/descargas/estacionamientos.csv?estado=bueno,propuesto&version={datos.id}",
        f"/descargas/estacionamientos.csv?estado=bueno,propuesto&bom=1&version={datos.id}",
        f"/descargas/estacionamientos.geojson?estado=bueno,propuesto&version={datos.id}",
    ]


# --- Callback: al cambiar los controles cambian los href -----------------------------------


def _dependencia(cliente, salida_csv: str) -> dict:
    for dependencia in cliente.get("/_dash-dependencies").get_json():
        if salida_csv in dependencia["output"]:
            return dependencia
    raise KeyError(salida_csv)


def test_callback_escucha_solo_los_filtros_de_la_capa(cliente):
    dependencia = _dependencia(cliente, "obras-descarga-csv.href")
    assert [e["id"] for e in dependencia["inputs"]] == [
        "obras-anio",
        "obras-municipio",
        "obras-entidad",  # modo nacional (en una versión de una entidad, oculto)
        "obras-nivel",
        "obras-estatus",
        "obras-contratista",
        "obras-alerta",
        "obras-semaforo",
        "obras-monto-min",
        "obras-monto-max",
    ]
    assert [e["id"] for e in dependencia["state"]] == ["obras-version"]


def test_callback_reescribe_los_hrefs_y_el_aviso(cliente, datos, monkeypatch):
    lecturas = []
    leer = componentes.leer_parametros
    monkeypatch.setattr(
        componentes, "leer_parametros", lambda *a, **k: lecturas.append(a[1]) or leer(*a, **k)
    )
    dependencia = _dependencia(cliente, "obras-descarga-csv.href")
    valores = {
        "obras-anio": 2024,
        "obras-nivel": ["FEDERAL"],
        "obras-monto-min": "abc",  # escrito a mano: no es un monto
        "obras-monto-max": "2,000,000",
    }
    cuerpo = {
        "output": dependencia["output"],
        "outputs": [{"id": f"obras-descarga-{sufijo}", "property": "href"} for sufijo in SUFIJOS]
        + [
            {"id": "obras-aviso", "property": "children"},
            {"id": "obras-aviso", "property": "hidden"},
        ],
        "inputs": [{**e, "value": valores.get(e["id"])} for e in dependencia["inputs"]],
        "state": [{**e, "value": datos.id} for e in dependencia["state"]],
        "changedPropIds": ["obras-monto-min.value"],
    }
    respuesta = cliente.post("/_dash-update-component", json=cuerpo)
    assert respuesta.status_code == 200, respuesta.data[:300]
    salida = respuesta.get_json()["response"]
    # El monto «abc» no llega al enlace (que respondería 400): se nombra en el aviso.
    consulta = "anio=2024&nivel=FEDERAL&monto_max=2000000"
    assert [salida[f"obras-descarga-{s}"]["href"] for s in SUFIJOS] == [
        f"/descargas/obras.csv?{consulta}&version={datos.id}",
        f"/descargas/obras.csv?{consulta}&bom=1&version={datos.id}",
        f"/descargas/obras.geojson?{consulta}&version={datos.id}",
    ]
    assert salida["obras-aviso"] == {
        "children": "No reconocimos monto_min=abc; se muestran las obras sin ese filtro.",
        "hidden": False,
    }
    assert cliente.get(salida["obras-descarga-csv"]["href"]).status_code == 200
    # Los filtros se leen una sola vez para los enlaces y el aviso.
    assert len(lecturas) == 1


def test_portada_enlaces_del_mapa_con_el_ciclo(app, cliente, datos):
    pagina = ayuda.modulo("/")
    with app.server.test_request_context("/"):
        arbol = pagina.layout(anio="2024", indicador="cobertura")
    hrefs = _hrefs(arbol, "inicio-descarga-vista")
    assert hrefs[0] == f"/descargas/municipios.csv?anio=2024&version={datos.id}"
    tabla = _csv(cliente, hrefs[0])
    assert set(tabla["anio"]) == {"2024"}
    assert len(tabla) == len(capas.tabla_municipios(datos, anio=2024))


def test_datos_abiertos_ofrece_csv_para_excel_de_cada_capa(app, cliente, datos):
    pagina = ayuda.modulo("/datos")
    with app.server.test_request_context("/datos"):
        arbol = pagina.layout()
    enlaces = [
        a["props"]
        for a in ayuda.componentes(arbol, "A")
        if a["props"].get("data-formato") == "csv-excel"
    ]
    assert [a["data-capa"] for a in enlaces] == list(capas.NOMBRES)
    escuelas = next(a for a in enlaces if a["data-capa"] == "escuelas")
    assert escuelas["href"] == f"/descargas/escuelas.csv?bom=1&version={datos.id}"
    assert escuelas["download"].endswith("-excel.csv")
    normal = cliente.get(f"/descargas/escuelas.csv?version={datos.id}").data
    assert cliente.get(escuelas["href"]).data == b"\xef\xbb\xbf" + normal
