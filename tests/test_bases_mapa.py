"""La base del mapa de la portada en su propia URL (:mod:`tablero.bases_mapa`).

La geometría no viaja en el callback: se sirve una vez por versión en una URL con la versión
y la huella, comprimida una vez, con caché de un año e ``ETag``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import sys

import brotli
import geopandas as gpd
import numpy as np
import pytest
import shapely

from almacen import Almacen
from capas.lectura import DatosVersion
from tablero import json_rapido, mapas
from tablero.app import crear_app
from tablero.estaticos import INMUTABLE

ANIO = 2025
URL = re.compile(r"/_sigue/mapa/inicio/(v\d{4,})/todo\.([0-9a-f]{16})\.json")


@pytest.fixture(scope="module")
def raiz(raiz_ejemplo, tmp_path_factory):
    """Copia propia del ejemplo: la prueba de la versión nueva publica otra."""
    destino = tmp_path_factory.mktemp("bases") / "datos"
    shutil.copytree(raiz_ejemplo, destino)
    return destino


@pytest.fixture(scope="module")
def app(raiz):
    return crear_app(raiz)


def _salida(app, version=None) -> dict:
    pagina = sys.modules["paginas.inicio"]
    with app.server.test_request_context("/"):
        return json.loads(json_rapido.a_json(pagina.cargar_mapa(version, "cobertura", ANIO)))


def test_el_callback_manda_la_url_y_los_valores_sin_geometria(app):
    salida = _salida(app)
    assert set(salida) == {"base", "valores", "vista"}
    version, huella = URL.fullmatch(salida["base"]).groups()
    assert version == Almacen(app.server.config["SIGUE_DATOS"]).id_actual()
    assert "geojson" not in salida["valores"] and "locations" not in salida["valores"]
    assert len(salida["valores"]["z"]) == 570
    # la huella es la del contenido que se sirve
    cuerpo = app.server.test_client().get(salida["base"]).data
    assert hashlib.sha256(cuerpo).hexdigest()[:16] == huella
    # sin geometría la respuesta del callback es chica (antes, ~470 kB sin comprimir)
    assert len(json_rapido.a_json(salida)) < 60_000


def test_encabezados_compresion_y_304(app):
    cliente = app.server.test_client()
    url = _salida(app)["base"]
    huella = URL.fullmatch(url).group(2)
    crudo = cliente.get(url, headers={"Accept-Encoding": "identity"})
    assert crudo.status_code == 200
    assert crudo.headers["Cache-Control"] == INMUTABLE
    assert crudo.headers["Content-Type"] == "application/json"
    assert crudo.headers["ETag"] == f'"{huella}"'
    assert "Content-Encoding" not in crudo.headers
    base = json.loads(crudo.data)
    assert base["data"][0]["type"] == "choroplethmap"
    assert len(base["data"][0]["geojson"]["features"]) == 570
    assert "z" not in base["data"][0]
    comprimido = cliente.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert comprimido.headers["Content-Encoding"] == "br"
    assert comprimido.headers["ETag"] == f'"{huella}-br"'
    assert comprimido.headers["Vary"] == "Accept-Encoding"
    assert brotli.decompress(comprimido.data) == crudo.data
    assert len(comprimido.data) < len(crudo.data) / 3
    con_gzip = cliente.get(url, headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(con_gzip.data) == crudo.data
    # revalidar: 304 sin cuerpo, con cualquiera de sus ETag
    for etiqueta in (f'"{huella}"', f'"{huella}-br"', f'W/"{huella}-gzip"'):
        r = cliente.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etiqueta})
        assert (r.status_code, r.data) == (304, b"")
        assert r.headers["Cache-Control"] == INMUTABLE
    otra = cliente.get(url, headers={"If-None-Match": '"otra"'})
    assert otra.status_code == 200


def test_se_comprime_una_vez_por_version(app, monkeypatch):
    from tablero import estaticos

    url = _salida(app)["base"]
    cliente = app.server.test_client()
    cliente.get(url, headers={"Accept-Encoding": "br"})  # ya armada
    compresiones = []
    original = estaticos._comprimir
    monkeypatch.setattr(estaticos, "_comprimir", lambda *a: compresiones.append(1) or original(*a))
    for _ in range(3):
        assert cliente.get(url, headers={"Accept-Encoding": "br"}).status_code == 200
    assert compresiones == []


@pytest.mark.parametrize(
    ("ruta", "motivo"),
    [
        ("v9999/todo.0123456789abcdef.json", "No existe la versión 'v9999' de los datos"),
        ("../todo.0123456789abcdef.json", None),
        ("x1/todo.0123456789abcdef.json", "No existe la versión 'x1'"),
        ("{v}/20.0123456789abcdef.json", "no es nacional: no tiene la entidad 20"),
        ("{v}/todo.0123456789abcdef.json", "cambió (huella 0123456789abcdef, ahora "),
        ("{v}/todo.json", "Dirección de mapa no válida: 'todo.json'"),
    ],
)
def test_lo_que_no_existe_responde_404_con_el_motivo(app, ruta, motivo):
    version = URL.fullmatch(_salida(app)["base"]).group(1)
    r = app.server.test_client().get("/_sigue/mapa/inicio/" + ruta.format(v=version))
    assert r.status_code == 404
    if motivo is not None:
        assert motivo in r.get_data(as_text=True)
        assert r.headers["Cache-Control"] == "no-store"


def test_otro_mapa_responde_404(app):
    url = _salida(app)["base"].replace("/inicio/", "/escuelas/")
    r = app.server.test_client().get(url)
    assert (r.status_code, r.get_data(as_text=True)) == (404, "No hay un mapa llamado 'escuelas'")


def test_coordenadas_con_cuatro_decimales_validas_y_a_menos_de_medio_paso(app, raiz):
    """La base lleva las coordenadas en la rejilla de 1e-4 grados (≈ 11 m): cada vértice se
    mueve a lo más medio paso en cada eje (√2 · 0.5e-4 grados) y los polígonos siguen válidos."""
    cliente = app.server.test_client()
    url = _salida(app)["base"]
    base = json.loads(cliente.get(url, headers={"Accept-Encoding": "identity"}).data)
    rasgos = base["data"][0]["geojson"]["features"]
    coordenadas = np.concatenate(
        [shapely.get_coordinates(shapely.from_geojson(json.dumps(r["geometry"]))) for r in rasgos]
    )
    assert np.array_equal(coordenadas, np.round(coordenadas, 4))
    servidas = {
        r["properties"]["cvegeo"]: shapely.from_geojson(json.dumps(r["geometry"])) for r in rasgos
    }
    assert all(shapely.is_valid(g) and not g.is_empty for g in servidas.values())
    capa = DatosVersion(Almacen(raiz).version()).tabla("municipios")
    assert set(servidas) == set(capa["cvegeo"])
    for clave, original in zip(capa["cvegeo"], capa.geometry.values, strict=True):
        assert shapely.hausdorff_distance(original, servidas[clave]) <= 0.5e-4 * 2**0.5 + 1e-9


def test_geojson_de_redondea_a_la_rejilla():
    capa = gpd.GeoDataFrame(
        {"cvegeo": ["20001"]},
        geometry=[shapely.box(-96.123449, 17.000049, -96.000051, 17.123461)],
        crs="EPSG:4326",
    )
    rasgo = mapas.geojson_de(capa)["features"][0]
    assert rasgo["properties"] == {"cvegeo": "20001"}
    # -96.123449 -> -96.1234; 17.000049 -> 17.0000; -96.000051 -> -96.0001; 17.123461 -> 17.1235
    esperado = shapely.box(-96.1234, 17.0, -96.0001, 17.1235)
    assert shapely.equals(shapely.from_geojson(json.dumps(rasgo["geometry"])), esperado)


def test_la_base_se_comprime_con_brotli_11(app):
    cliente = app.server.test_client()
    url = _salida(app)["base"]
    crudo = cliente.get(url, headers={"Accept-Encoding": "identity"}).data
    comprimido = cliente.get(url, headers={"Accept-Encoding": "br"}).data
    assert comprimido == brotli.compress(crudo, quality=11)
    assert len(comprimido) < len(brotli.compress(crudo, quality=9))


def test_el_html_de_inicio_precarga_la_base(app):
    cliente = app.server.test_client()
    url = _salida(app)["base"]
    enlace = f'<link rel="preload" as="fetch" href="{url}" crossorigin fetchpriority="low">'
    assert enlace in cliente.get("/").get_data(as_text=True)
    # otra página, o una entidad en la URL (en el modo nacional, otra base): nada
    for otra in ("/obras", "/?entidad=20"):
        assert 'as="fetch"' not in cliente.get(otra).get_data(as_text=True)


def test_version_nueva_url_nueva_y_la_vieja_sigue(app, raiz):
    vieja = _salida(app)["base"]
    Almacen(raiz).crear_version({}, carga={"tipo": "prueba", "archivo": "x"})
    nueva = _salida(app)["base"]
    assert URL.fullmatch(vieja).group(1) != URL.fullmatch(nueva).group(1)
    assert nueva != vieja
    cliente = app.server.test_client()
    # la página que se abrió con la versión anterior sigue pidiendo su base (inmutable)
    assert cliente.get(vieja).status_code == 200
    assert cliente.get(nueva).status_code == 200
    # la misma geometría: el contenido es igual, la dirección no
    assert cliente.get(vieja).data == cliente.get(nueva).data
    # pedir la versión vieja por su id da la URL vieja
    assert _salida(app, URL.fullmatch(vieja).group(1))["base"] == vieja
