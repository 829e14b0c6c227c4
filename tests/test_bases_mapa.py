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
import pytest

from almacen import Almacen
from tablero import json_rapido
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
