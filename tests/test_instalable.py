"""Aplicación instalable: manifiesto, íconos, service worker y enlaces en las páginas."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from tablero import instalable
from tablero.app import crear_app
from tablero.iconos import generar


@pytest.fixture(scope="module")
def cliente(raiz_ejemplo):
    return crear_app(raiz_ejemplo).server.test_client()


def test_manifiesto_es_json_con_los_campos_para_instalar(cliente):
    respuesta = cliente.get("/manifest.webmanifest")
    assert respuesta.status_code == 200
    assert respuesta.mimetype == "application/manifest+json"
    datos = json.loads(respuesta.get_data(as_text=True))
    assert datos["name"] == "Sigue el dinero Oaxaca"
    assert datos["short_name"] == "Sigue el dinero"
    assert datos["start_url"] == "/"
    assert datos["scope"] == "/"
    assert datos["display"] == "standalone"
    assert datos["theme_color"] == "#4a1030"
    assert [(i["sizes"], i["purpose"]) for i in datos["icons"]] == [
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    ]


def test_cada_icono_responde_200_y_mide_lo_que_dice(cliente):
    datos = json.loads(cliente.get("/manifest.webmanifest").get_data(as_text=True))
    for icono in datos["icons"]:
        respuesta = cliente.get(icono["src"])
        assert respuesta.status_code == 200, icono["src"]
        assert respuesta.mimetype == "image/png"
        imagen = Image.open(io.BytesIO(respuesta.get_data()))
        lado = int(icono["sizes"].split("x")[0])
        assert imagen.size == (lado, lado)
        assert imagen.format == "PNG"
        assert len(respuesta.get_data()) < 10_000  # pequeños
    apple = cliente.get("/assets/iconos/apple-touch-icon.png")
    assert apple.status_code == 200
    assert Image.open(io.BytesIO(apple.get_data())).size == (180, 180)


def test_service_worker_es_javascript_sin_cache_larga_con_su_alcance(cliente):
    respuesta = cliente.get("/sw.js")
    assert respuesta.status_code == 200
    assert respuesta.mimetype == "text/javascript"
    assert respuesta.headers["Cache-Control"] == "no-cache"
    assert respuesta.headers["Service-Worker-Allowed"] == "/"
    texto = respuesta.get_data(as_text=True)
    assert "__VERSION__" not in texto and "__PREFIJO__" not in texto
    assert 'const PREFIJO = "/";' in texto
    # la versión: 12 cifras hexadecimales, la misma en dos peticiones
    version = texto.split('const VERSION = "', 1)[1].split('"', 1)[0]
    assert len(version) == 12 and int(version, 16) >= 0
    assert version in cliente.get("/sw.js").get_data(as_text=True)


@pytest.mark.parametrize("ruta", ["/", "/estacionamientos", "/obras"])
def test_las_paginas_enlazan_el_manifiesto_y_el_icono_de_ios(cliente, ruta):
    html = cliente.get(ruta).get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<link rel="apple-touch-icon" href="/assets/iconos/apple-touch-icon.png">' in html
    assert '<meta name="theme-color" content="#4a1030">' in html
    assert html.count('rel="manifest"') == 1
    # el script que registra el service worker se carga como cualquier asset
    assert "/assets/instalable.js" in html


def test_con_prefijo_todo_vive_bajo_el_prefijo(raiz_ejemplo, monkeypatch):
    monkeypatch.setenv("DASH_REQUESTS_PATHNAME_PREFIX", "/tablero/")
    monkeypatch.setenv("DASH_ROUTES_PATHNAME_PREFIX", "/tablero/")
    cliente = crear_app(raiz_ejemplo).server.test_client()
    datos = json.loads(cliente.get("/tablero/manifest.webmanifest").get_data(as_text=True))
    assert (datos["start_url"], datos["scope"], datos["id"]) == ("/tablero/",) * 3
    assert {i["src"].split("iconos/")[0] for i in datos["icons"]} == {"/tablero/assets/"}
    respuesta = cliente.get("/tablero/sw.js")
    assert respuesta.headers["Service-Worker-Allowed"] == "/tablero/"
    assert 'const PREFIJO = "/tablero/";' in respuesta.get_data(as_text=True)
    html = cliente.get("/tablero/").get_data(as_text=True)
    assert '<link rel="manifest" href="/tablero/manifest.webmanifest">' in html


def test_la_api_y_las_descargas_nunca_van_a_la_cache():
    texto = (instalable.CARPETA / "sw.js").read_text(encoding="utf-8")
    nunca = texto.split("const NUNCA = [", 1)[1].split("]", 1)[0]
    assert '"api/"' in nunca and '"descargas/"' in nunca and '"atencion"' in nunca


def test_iconos_del_repositorio_son_los_que_genera_el_script(tmp_path):
    for ruta in generar(tmp_path):
        guardado = instalable.CARPETA / "assets" / "iconos" / ruta.name
        assert Image.open(ruta).tobytes() == Image.open(guardado).tobytes(), ruta.name
