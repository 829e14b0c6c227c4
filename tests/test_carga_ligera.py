"""Primera carga ligera: estáticos comprimidos una vez, caché larga con huella, plotly.js parcial
y AG Grid diferido (``tablero/estaticos.py``, ``scripts/plotly_parcial``)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from pathlib import Path
from unittest import mock

import brotli
import flask
import plotly.graph_objects as go
import pytest
from plotly.basedatatypes import BaseTraceType

from tablero import estaticos
from tablero.app import crear_app

RAIZ = Path(__file__).resolve().parents[1]
VENDOR = RAIZ / "tablero" / "vendor"
BR = {"Accept-Encoding": "gzip, deflate, br"}
INMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return crear_app(tmp_path_factory.mktemp("datos"))


@pytest.fixture(scope="module")
def indice(app) -> str:
    return app.server.test_client().get("/").get_data(as_text=True)


def _scripts(indice: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', indice)


def _renderer(indice: str) -> str:
    return next(s for s in _scripts(indice) if "dash_renderer" in s)


def _cliente(app):
    return app.server.test_client()


# --- Cabeceras ---------------------------------------------------------------------------


def test_con_huella_de_dash_es_inmutable_y_sin_huella_se_revalida(app, indice):
    url = _renderer(indice)
    assert re.search(r"\.v[\w-]+m\d+\.", url), url  # Dash puso su huella en el nombre
    con = _cliente(app).get(url, headers=BR)
    sin = _cliente(app).get(re.sub(r"\.v[\w-]+m\d+\.", ".", url), headers=BR)
    assert con.status_code == sin.status_code == 200
    assert con.headers["Cache-Control"] == INMUTABLE
    assert sin.headers["Cache-Control"] == "no-cache"
    assert con.headers["Vary"] == "Accept-Encoding"
    assert con.data == sin.data


def test_chunk_asincrono_lleva_etag_y_se_revalida(app, indice):
    respuesta = _cliente(app).get("/_dash-component-suites/dash/dcc/async-graph.js", headers=BR)
    assert respuesta.status_code == 200
    assert respuesta.headers["Cache-Control"] == "no-cache"
    assert respuesta.headers["ETag"]


def test_assets_inmutables_solo_con_la_fecha_del_archivo(app, indice):
    url = next(s for s in _scripts(indice) if "/assets/accesibilidad.js" in s)
    ruta = RAIZ / "tablero" / "assets" / "accesibilidad.js"
    m = float(url.split("?m=")[1])
    assert abs(m - os.stat(ruta).st_mtime) < 1e-3
    cliente = _cliente(app)
    assert cliente.get(url, headers=BR).headers["Cache-Control"] == INMUTABLE
    assert cliente.get("/assets/accesibilidad.js").headers["Cache-Control"] == "no-cache"
    otra = cliente.get(f"/assets/accesibilidad.js?m={m + 10}")
    assert otra.headers["Cache-Control"] == "no-cache"
    assert otra.data == ruta.read_bytes()  # sin Accept-Encoding: el archivo tal cual


def test_plotly_parcial_con_su_huella_es_inmutable(app, indice):
    contenido = (VENDOR / "plotly-parcial.min.js").read_bytes()
    huella = hashlib.sha256(contenido).hexdigest()[:12]
    url = re.search(r'<meta name="sigue-plotly" content="([^"]+)"', indice).group(1)
    assert url == f"/_sigue/plotly-parcial.min.js?v={huella}"
    cliente = _cliente(app)
    bien = cliente.get(url, headers=BR)
    assert bien.status_code == 200
    assert bien.headers["Cache-Control"] == INMUTABLE
    assert bien.headers["Content-Encoding"] == "br"
    assert bien.headers["Content-Type"].startswith("text/javascript")
    assert brotli.decompress(bien.data) == contenido
    vieja = cliente.get("/_sigue/plotly-parcial.min.js?v=000000000000", headers=BR)
    assert vieja.headers["Cache-Control"] == "no-cache"
    # Y la ruta donde Dash pide plotly.js por omisión sirve el mismo bundle parcial.
    dash = cliente.get("/_dash-component-suites/plotly/package_data/plotly.min.js")
    assert dash.status_code == 200
    assert dash.data == contenido


def test_gzip_para_quien_no_acepta_brotli(app, indice):
    url = _renderer(indice)
    respuesta = _cliente(app).get(url, headers={"Accept-Encoding": "gzip"})
    assert respuesta.headers["Content-Encoding"] == "gzip"
    crudo = _cliente(app).get(url).data
    assert gzip.decompress(respuesta.data) == crudo
    assert "Content-Encoding" not in _cliente(app).get(url).headers


def test_ruta_no_registrada_no_se_sirve(app, indice):
    cliente = _cliente(app)
    assert cliente.get("/_dash-component-suites/dash/../../setup.py").status_code == 404
    assert cliente.get("/_dash-component-suites/dash/dcc/Graph.py").status_code == 404
    assert cliente.get("/assets/../app.py").status_code == 404


def test_paginas_y_callbacks_siguen_comprimidos(app, indice):
    cliente = _cliente(app)
    pagina = cliente.get("/", headers=BR)
    assert pagina.headers["Content-Encoding"] == "br"
    assert "immutable" not in pagina.headers.get("Cache-Control", "")
    dependencias = cliente.get("/_dash-dependencies", headers=BR)
    assert dependencias.headers["Content-Encoding"] == "br"


# --- Un 304 no vuelve a comprimir --------------------------------------------------------


def test_304_sin_recomprimir(app, indice):
    url = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    cliente = _cliente(app)
    primera = cliente.get(url, headers=BR)
    etag = primera.headers["ETag"]
    contador = app.server.extensions["sigue_estaticos"]
    antes = contador.compresiones
    with (
        mock.patch("flask_compress.flask_compress._compress_data") as flask_compress,
        mock.patch.object(estaticos.brotli, "compress") as br,
        mock.patch.object(estaticos.gzip, "compress") as gz,
    ):
        revalidada = cliente.get(url, headers={**BR, "If-None-Match": etag})
        otra_vez = cliente.get(url, headers=BR)
    assert revalidada.status_code == 304
    assert revalidada.data == b""
    assert revalidada.headers["ETag"] == etag
    assert otra_vez.status_code == 200 and otra_vez.data == primera.data
    assert contador.compresiones == antes
    assert flask_compress.call_count == br.call_count == gz.call_count == 0


def test_304_con_el_etag_de_otra_codificacion(app, indice):
    url = _renderer(indice)
    cliente = _cliente(app)
    etag_gzip = cliente.get(url, headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    assert etag_gzip.endswith('-gzip"')
    assert cliente.get(url, headers={**BR, "If-None-Match": etag_gzip}).status_code == 304


def _servir(archivero: estaticos.Estaticos, ruta: Path, **cabeceras):
    with flask.Flask(__name__).test_request_context(headers=cabeceras):
        return archivero.responder(ruta, inmutable=False)


def test_archivo_cambiado_en_disco_se_vuelve_a_leer(tmp_path):
    ruta = tmp_path / "a.js"
    ruta.write_text("var a = 1;" * 100)
    archivero = estaticos.Estaticos()
    primera = _servir(archivero, ruta, **BR)
    ruta.write_text("var b = 2;" * 100)
    os.utime(ruta, ns=(1, 1))  # otra fecha aunque el reloj no avance
    segunda = _servir(archivero, ruta, **BR)
    assert primera.headers["ETag"] != segunda.headers["ETag"]
    assert brotli.decompress(segunda.get_data()) == b"var b = 2;" * 100
    assert archivero.compresiones == 2


def test_precomprimidos_solo_si_coinciden(tmp_path):
    contenido = b"function f() { return 1; }\n" * 50
    ruta = tmp_path / "b.js"
    ruta.write_bytes(contenido)
    bueno = brotli.compress(contenido, quality=11)
    (tmp_path / "b.js.br").write_bytes(bueno)
    (tmp_path / "b.js.gz").write_bytes(gzip.compress(b"otra cosa" * 50))  # no coincide
    archivero = estaticos.Estaticos()
    archivo = archivero.archivo(ruta)
    assert archivo.variantes["br"] == bueno
    assert gzip.decompress(archivo.variantes["gzip"]) == contenido
    assert archivo.variantes["identity"] == contenido


def test_archivo_chico_no_se_comprime(tmp_path):
    ruta = tmp_path / "c.css"
    ruta.write_text("a{}")
    respuesta = _servir(estaticos.Estaticos(), ruta, **BR)
    assert "Content-Encoding" not in respuesta.headers
    assert respuesta.get_data() == b"a{}"


# --- AG Grid diferido ----------------------------------------------------------------------


def test_ag_grid_fuera_del_html_y_su_url_en_una_meta(app, indice):
    assert not any("dash_ag_grid" in s for s in _scripts(indice))
    url = re.search(r'<meta name="sigue-ag-grid" content="([^"]+)"', indice).group(1)
    assert re.fullmatch(
        r"/_dash-component-suites/dash_ag_grid/dash_ag_grid\.v[\w-]+m\d+\.min\.js", url
    )
    respuesta = _cliente(app).get(url, headers=BR)
    assert respuesta.status_code == 200
    assert respuesta.headers["Cache-Control"] == INMUTABLE
    # El componente que lo carga a pedido va en el HTML (antes que el renderer de Dash).
    scripts = _scripts(indice)
    diferido = next(i for i, s in enumerate(scripts) if "ag-grid-diferido.js" in s)
    assert diferido < scripts.index(_renderer(indice))


# --- Bundle parcial de plotly.js ------------------------------------------------------------


def _trazas_de_plotly() -> dict[str, str]:
    """``{"Scattermap": "scattermap", ...}``: las clases de trazas de plotly.py y su tipo."""
    return {
        nombre: clase().type
        for nombre in dir(go)
        if isinstance(clase := getattr(go, nombre), type)
        and issubclass(clase, BaseTraceType)
        and clase is not BaseTraceType
    }


def trazas_de_la_app() -> set[str]:
    """Tipos de traza que el código del tablero arma (``go.X(...)`` o ``{"type": "x"}``)."""
    clases = _trazas_de_plotly()
    tipos = set(clases.values())
    usadas: set[str] = set()
    for archivo in (RAIZ / "tablero").rglob("*.py"):
        texto = archivo.read_text(encoding="utf-8")
        usadas |= {clases[c] for c in re.findall(r"\bgo\.([A-Z]\w*)\(", texto) if c in clases}
        usadas |= {
            t for t in re.findall(r"""["']?type["']?\s*[:=]\s*["'](\w+)["']""", texto) if t in tipos
        }
        if re.search(r"\bpx\.\w+\(", texto):
            pytest.fail(f"{archivo.name} usa plotly.express: agregue sus trazas a mano")
    return usadas


def test_el_bundle_trae_todas_las_trazas_de_la_app():
    manifiesto = json.loads((VENDOR / "plotly-parcial.json").read_text())
    usadas = trazas_de_la_app()
    assert {"choroplethmap", "scattermap", "bar"} <= usadas  # la búsqueda sí las encuentra
    assert usadas <= set(manifiesto["trazas"]), (
        f"faltan en el bundle: {usadas - set(manifiesto['trazas'])}; agréguelas a "
        "scripts/plotly_parcial/trazas.json y corra make plotly-parcial"
    )
    trazas_json = json.loads((RAIZ / "scripts" / "plotly_parcial" / "trazas.json").read_text())
    assert sorted(trazas_json) == manifiesto["trazas"]


def test_el_bundle_es_el_del_manifiesto():
    manifiesto = json.loads((VENDOR / "plotly-parcial.json").read_text())
    contenido = (VENDOR / "plotly-parcial.min.js").read_bytes()
    assert len(contenido) == manifiesto["bytes"]
    assert hashlib.sha256(contenido).hexdigest() == manifiesto["sha256"]
    assert brotli.decompress((VENDOR / "plotly-parcial.min.js.br").read_bytes()) == contenido
    assert gzip.decompress((VENDOR / "plotly-parcial.min.js.gz").read_bytes()) == contenido
    # Registra las trazas (cada módulo de traza declara su nombre) y trae su licencia.
    for traza in manifiesto["trazas"]:
        assert f'name: "{traza}"'.encode() in contenido or f'name:"{traza}"'.encode() in contenido
    licencias = (VENDOR / "plotly-parcial.LICENCIAS.txt").read_text()
    assert "plotly.js@" in licencias and "MIT" in licencias
    assert "maplibre-gl@" in licencias
    paquete = json.loads((RAIZ / "scripts" / "plotly_parcial" / "package.json").read_text())
    assert paquete["devDependencies"]["plotly.js"] == manifiesto["plotly_js"]


def test_calentar_comprime_de_antemano_lo_de_la_primera_carga(tmp_path):
    app = crear_app(tmp_path)
    servidos = estaticos.calentar(app)
    contador = app.server.extensions["sigue_estaticos"]
    antes = contador.compresiones
    assert servidos >= 10 and antes >= 10
    indice = app.server.test_client().get("/").get_data(as_text=True)
    urls = [
        *_scripts(indice),
        re.search(r'<meta name="sigue-plotly" content="([^"]+)"', indice).group(1),
        re.search(r'<meta name="sigue-ag-grid" content="([^"]+)"', indice).group(1),
        "/_dash-component-suites/dash/dcc/async-graph.js",
    ]
    for url in urls:
        assert app.server.test_client().get(url, headers=BR).status_code == 200
    assert contador.compresiones == antes


# --- Sin @babel/polyfill ni dash_table ------------------------------------------------------


def test_regenerator_en_lugar_del_polyfill_y_primero(app, indice):
    scripts = _scripts(indice)
    assert not any("polyfill" in s for s in scripts)
    contenido = (VENDOR / "regenerator-runtime.js").read_bytes()
    huella = hashlib.sha256(contenido).hexdigest()[:12]
    # En el sitio del polyfill: antes que React y que los componentes de Dash.
    assert scripts[0] == f"/_sigue/regenerator-runtime.js?v={huella}"
    assert b"regeneratorRuntime = runtime" in contenido
    cliente = _cliente(app)
    bien = cliente.get(scripts[0], headers=BR)
    assert bien.status_code == 200
    assert bien.headers["Cache-Control"] == INMUTABLE
    assert brotli.decompress(bien.data) == contenido
    sin_huella = cliente.get("/_sigue/regenerator-runtime.js", headers=BR)
    assert sin_huella.headers["Cache-Control"] == "no-cache"


def test_sin_dash_table_en_el_html_ni_en_el_tablero(app, indice):
    assert not any("dash_table" in s for s in _scripts(indice))
    # Los demás paquetes de Dash siguen, en su orden.
    nombres = [s.rsplit("/", 1)[-1].split(".")[0] for s in _scripts(indice) if "/dash/" in s]
    assert nombres == [
        "react@18",
        "react-dom@18",
        "prop-types@15",
        "dash_renderer",
        "dash_core_components",
        "dash_core_components-shared",
        "dash_html_components",
    ]
    for archivo in (RAIZ / "tablero").rglob("*.py"):
        texto = archivo.read_text(encoding="utf-8")
        assert not re.search(r"\bdash_table\.\w|import[^\n]*\bdash_table\b|\bDataTable\(", texto), (
            f"{archivo.name} usa dash_table: quite SCRIPT_DASH_TABLE de aligerar_scripts"
        )
