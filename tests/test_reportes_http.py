"""Respuestas HTTP: entrada mala da 4xx en español (nunca 500), un error no previsto da un
500 genérico sin traza ni datos, cabeceras de seguridad en toda respuesta y archivos
privados con permisos 0600.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import stat

import pytest

from tablero.reportes.servicio import TIPOS_CAJON as TIPOS
from tests.ayuda_reportes import crear_app_de_prueba


@pytest.fixture()
def app(tmp_path, monkeypatch):
    return crear_app_de_prueba(tmp_path, monkeypatch)


@pytest.fixture()
def cliente(app):
    return app.server.test_client()


CUERPO_BUENO = '{"estacionamiento_id": "EST-001", "tipo": "otro", "descripcion": "x"}'
NO_JSON = "El cuerpo no es un JSON válido"


@pytest.mark.parametrize(
    ("cuerpo", "mensaje"),
    [
        ("[" * 5000, "El cuerpo no es un JSON válido: anida demasiados niveles"),
        (
            '{"a":' * 2000 + "1" + "}" * 2000,
            "El cuerpo no es un JSON válido: anida demasiados niveles",
        ),
        (
            '{"estacionamiento_id": "EST-001", "tipo": "otro", "descripcion": "\\ud800"}',
            "El campo descripcion tiene caracteres no válidos (de control o sustitutos sueltos)",
        ),
        (
            '{"estacionamiento_id": "EST-001", "tipo": "otro", "descripcion": "x",'
            ' "contacto": "\\udc00@example.org"}',
            "El campo contacto tiene caracteres no válidos (de control o sustitutos sueltos)",
        ),
        (
            '{"estacionamiento_id": "EST-001", "tipo": "otro", "descripcion": "a\\u0000b"}',
            "El campo descripcion tiene caracteres no válidos (de control o sustitutos sueltos)",
        ),
        (
            '{"estacionamiento_id": "EST-\\u0000", "tipo": "otro", "descripcion": "x"}',
            "El campo estacionamiento_id tiene caracteres no válidos (de control o sustitutos sueltos)",
        ),
        (
            '{"estacionamiento_id": ["EST-001"], "tipo": "otro", "descripcion": "x"}',
            "El campo estacionamiento_id debe ser texto",
        ),
        (
            '{"estacionamiento_id": "EST-001", "tipo": ["otro"], "descripcion": "x"}',
            "Tipo de reporte desconocido; use uno de: " + ", ".join(TIPOS),
        ),
        (
            '{"estacionamiento_id": "EST-001", "tipo": {"otro": 1}, "descripcion": "x"}',
            "Tipo de reporte desconocido; use uno de: " + ", ".join(TIPOS),
        ),
        (
            '{"tipo": "falta_cajon", "descripcion": "x", "latitud": '
            + "1" * 400
            + ', "longitud": -96.72}',
            "La latitud debe ser un número en grados decimales entre -90 y 90",
        ),
        (
            '{"tipo": "falta_cajon", "descripcion": "x", "latitud": 17.06, "longitud": 1e400}',
            "La longitud debe ser un número en grados decimales entre -180 y 180",
        ),
        (
            '{"tipo": "falta_cajon", "descripcion": "x", "latitud": "17.06", "longitud": -96.7}',
            "La latitud debe ser un número en grados decimales entre -90 y 90",
        ),
        ('{"tipo": "falta_cajon", "descripcion": "x", "latitud": NaN, "longitud": -96.7}', NO_JSON),
        ('{"tipo": "falta_cajon", "latitud": ' + "9" * 5000 + "}", NO_JSON),
        ('"hola"', "El cuerpo debe ser un objeto JSON con los campos del reporte"),
        ("5", "El cuerpo debe ser un objeto JSON con los campos del reporte"),
        ("null", "El cuerpo debe ser un objeto JSON con los campos del reporte"),
        ("[]", "El cuerpo debe ser un objeto JSON con los campos del reporte"),
        ("", NO_JSON),
        ('{"\\ud800": 1, "' + "k" * 500 + '": 2}', "Campos desconocidos: " + "k" * 40 + ", ?"),
    ],
)
def test_entrada_mala_400_con_mensaje_en_espanol(cliente, cuerpo, mensaje):
    r = cliente.post("/api/reportes", data=cuerpo, content_type="application/json")
    assert r.status_code == 400
    assert r.mimetype == "application/json"
    assert r.get_json()["error"] == mensaje


def test_bytes_que_no_son_utf8_y_tipo_de_contenido(cliente):
    r = cliente.post("/api/reportes", data=b'{"a": "\xff\xfe"}', content_type="application/json")
    assert (r.status_code, r.get_json()["error"]) == (400, NO_JSON)
    r = cliente.post("/api/reportes", data=CUERPO_BUENO, content_type="text/plain")
    assert r.status_code == 415
    assert r.get_json()["error"] == "El cuerpo debe ser JSON (Content-Type: application/json)"


def test_folio_con_bytes_nulos_o_enorme_es_404(cliente):
    for folio in ("R-%00AAAA", "%ED%A0%80", "R-" + "A" * 3000, "R-ABC%0A"):
        r = cliente.get(f"/api/reportes/{folio}")
        assert r.status_code == 404, folio
        assert r.get_json()["error"] == "No existe un reporte con ese folio"


VERSION_ENORME = "v" + "9" * 300


@pytest.mark.parametrize(
    "ruta",
    [
        "/descargas/estacionamientos.csv",
        "/descargas/estacionamientos.geojson",
        "/descargas/datapackage.json",
        "/descargas/rechazos/estacionamientos.csv",
    ],
)
def test_version_de_300_cifras_en_descargas_es_4xx(cliente, ruta):
    r = cliente.get(f"{ruta}?version={VERSION_ENORME}")
    assert r.status_code in (400, 404)
    assert r.get_json()["error"]


@pytest.mark.parametrize("ruta", ["/", "/datos", "/estacionamientos", "/reporte"])
def test_version_de_300_cifras_en_paginas_no_es_500(cliente, ruta):
    r = cliente.get(f"{ruta}?version={VERSION_ENORME}")
    assert r.status_code in (200, 400, 404)


def test_error_no_previsto_da_500_generico_sin_traza_ni_datos(tmp_path, monkeypatch, caplog):
    app = crear_app_de_prueba(tmp_path, monkeypatch)
    secreto = "vecina.privada@example.org"

    def fallar():
        raise ValueError(f"dato que no debe salir: {secreto}")

    app.server.add_url_rule("/api/prueba-falla", "prueba_api", fallar)
    app.server.add_url_rule("/prueba-falla", "prueba_pagina", fallar)
    cliente = app.server.test_client()
    caplog.set_level(logging.ERROR)
    api = cliente.get("/api/prueba-falla")
    assert api.status_code == 500 and api.mimetype == "application/json"
    assert api.get_json() == {
        "error": "Ocurrió un error en el servidor. Intente de nuevo más tarde."
    }
    pagina = cliente.get("/prueba-falla")
    assert pagina.status_code == 500 and pagina.mimetype == "text/html"
    texto = pagina.get_data(as_text=True)
    assert '<html lang="es">' in texto and "Error del servidor" in texto
    for respuesta in (api, pagina):
        cuerpo = respuesta.get_data(as_text=True)
        assert secreto not in cuerpo and "Traceback" not in cuerpo and "ValueError" not in cuerpo
    # La bitácora dice qué falló y dónde, nunca el mensaje (podría traer datos personales).
    assert "Error no previsto (ValueError) en GET /api/prueba-falla" in caplog.text
    assert secreto not in caplog.text


def test_errores_http_en_espanol(cliente):
    no_hay = cliente.get("/_dash-component-suites/nada/nada.js")
    assert no_hay.status_code == 404 and no_hay.get_json() == {"error": "No existe esa dirección."}
    pagina = cliente.get("/assets/no-existe.css")
    assert pagina.status_code == 404 and pagina.mimetype == "text/html"
    assert "No existe esa dirección." in pagina.get_data(as_text=True)
    metodo = cliente.put("/api/reportes")
    assert metodo.status_code == 405
    assert metodo.get_json() == {"error": "Esta dirección no acepta ese método."}
    assert "POST" in metodo.headers["Allow"]
    grande = cliente.post(
        "/api/reportes", data="x" * (1024 * 1024 + 10), content_type="application/json"
    )
    assert grande.status_code == 413
    assert grande.get_json() == {"error": "La solicitud pasa del tamaño máximo aceptado."}


CALLBACK_BANDA = {
    "output": "banda-version.children",
    "outputs": {"id": "banda-version", "property": "children"},
    "inputs": [{"id": "ubicacion", "property": "pathname", "value": "/estacionamientos"}],
    "changedPropIds": ["ubicacion.pathname"],
}


@pytest.mark.parametrize(
    "cuerpo",
    [
        "{no es json",
        "",
        "[1, 2]",
        json.dumps({**CALLBACK_BANDA, "output": "nada.children"}),
        json.dumps({"output": "banda-version.children"}),
        json.dumps({**CALLBACK_BANDA, "inputs": "hola"}),
        json.dumps({**CALLBACK_BANDA, "inputs": [[["anidado"]]]}),
        json.dumps({**CALLBACK_BANDA, "state": [{"id": 5, "property": "value"}]}),
        json.dumps({**CALLBACK_BANDA, "changedPropIds": [{"a": 1}]}),
        '{"output": "banda-version.children", "inputs": ' + "[" * 5000 + "]" * 5000 + "}",
        json.dumps(CALLBACK_BANDA).replace('"/estacionamientos"', "NaN"),
    ],
)
def test_callback_de_dash_mal_formado_da_400(cliente, cuerpo):
    r = cliente.post("/_dash-update-component", data=cuerpo, content_type="application/json")
    assert r.status_code == 400
    assert r.get_json() == {"error": "La solicitud tiene datos que el servidor no entiende."}


def test_callback_de_dash_bien_formado_sigue_funcionando(cliente):
    r = cliente.post("/_dash-update-component", json=CALLBACK_BANDA)
    assert r.status_code == 200
    assert r.get_json()["response"]["banda-version"]["children"]


# --- cabeceras de seguridad ---------------------------------------------------------------


def _comprobar_cabeceras(respuesta, ruta):
    cabeceras = respuesta.headers
    assert cabeceras.get("X-Content-Type-Options") == "nosniff", ruta
    assert cabeceras.get("X-Frame-Options") == "DENY", ruta
    assert cabeceras.get("Referrer-Policy") in ("strict-origin-when-cross-origin", "same-origin")
    csp = cabeceras.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, ruta
    return csp


def test_cabeceras_de_seguridad_en_toda_respuesta(cliente):
    folio = cliente.post("/api/reportes", data=CUERPO_BUENO, content_type="application/json")
    rutas = [
        "/",
        "/estacionamientos",
        "/_dash-layout",
        "/_dash-dependencies",
        "/assets/estilos.css",
        f"/api/reportes/{folio.get_json()['folio']}",
        "/api/reportes/R-NOEXISTE",
        "/descargas/reportes.csv",
        "/descargas/estacionamientos.csv",
        "/descargas/datapackage.json",
        "/atencion/entrar",
        "/atencion",
    ]
    for ruta in rutas:
        _comprobar_cabeceras(cliente.get(ruta), ruta)
    _comprobar_cabeceras(folio, "POST /api/reportes")
    # La vista de atención (con contactos) sigue sin caché.
    assert cliente.get("/atencion/entrar").headers["Cache-Control"] == "no-store"


def test_la_csp_permite_los_scripts_de_dash_y_nada_mas(cliente):
    """Cada script en línea de la página principal (el renderer de Dash y las funciones de los
    callbacks del navegador) está en la CSP por su hash; los recursos de Dash se sirven."""
    pagina = cliente.get("/")
    html = pagina.get_data(as_text=True)
    csp = _comprobar_cabeceras(pagina, "/")
    directivas = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    fuentes = directivas["script-src"].split()
    assert "'unsafe-inline'" not in fuentes
    en_linea = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
    ejecutables = [c for atributos, c in en_linea if "application/json" not in atributos]
    assert any("new DashRenderer" in c for c in ejecutables)
    for contenido in ejecutables:
        huella = base64.b64encode(hashlib.sha256(contenido.encode()).digest()).decode()
        assert f"'sha256-{huella}'" in fuentes
    assert len(fuentes) == 1 + len(ejecutables)  # 'self' y un hash por script, nada más
    externos = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    assert externos and all(e.startswith("/") for e in externos)
    for ruta in externos + re.findall(r'<link[^>]*href="(/[^"]+\.css[^"]*)"', html):
        assert cliente.get(ruta).status_code == 200, ruta
    assert cliente.get("/_dash-layout").status_code == 200
    assert cliente.get("/_dash-dependencies").status_code == 200


def test_la_csp_permite_las_teselas_configuradas(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGUE_TESELAS", "https://{s}.teselas.example.org/{z}/{x}/{y}.png")
    app = crear_app_de_prueba(tmp_path, monkeypatch)
    csp = app.server.test_client().get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://*.teselas.example.org" in csp
    assert "connect-src 'self' https://*.teselas.example.org" in csp


# --- permisos de los archivos privados ------------------------------------------------------


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="solo con SQLite")
def test_base_wal_shm_y_secreto_solo_para_el_dueno(tmp_path, monkeypatch):
    monkeypatch.delenv("SIGUE_SECRETO", raising=False)
    mascara = os.umask(0o022)
    try:
        app = crear_app_de_prueba(tmp_path, monkeypatch)
        cliente = app.server.test_client()
        r = cliente.post("/api/reportes", data=CUERPO_BUENO, content_type="application/json")
        assert r.status_code == 201
        datos = tmp_path / "datos"
        for nombre in ("reportes.sqlite", "reportes.sqlite-wal", "reportes.sqlite-shm", ".secreto"):
            ruta = datos / nombre
            assert ruta.exists(), nombre
            assert stat.S_IMODE(ruta.stat().st_mode) == 0o600, nombre
    finally:
        os.umask(mascara)


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="solo con SQLite")
def test_una_base_vieja_legible_por_todos_se_corrige_al_abrirla(tmp_path, monkeypatch):
    import sqlite3

    monkeypatch.delenv("SIGUE_SECRETO", raising=False)
    from tablero.reportes import bd

    ruta = tmp_path / "reportes.sqlite"
    conexion = sqlite3.connect(ruta)
    conexion.execute("PRAGMA journal_mode=WAL")
    conexion.execute("CREATE TABLE vieja (x)")
    conexion.commit()
    secreto = tmp_path / ".secreto"
    secreto.write_text("secreto-de-antes")
    for archivo in (ruta, secreto, *tmp_path.glob("reportes.sqlite-*")):
        archivo.chmod(0o644)
    try:
        bd.motor(bd.url_base(tmp_path))
        from tablero.reportes.web import _secreto

        assert _secreto(tmp_path) == "secreto-de-antes"
        for archivo in (ruta, secreto, *tmp_path.glob("reportes.sqlite-*")):
            assert stat.S_IMODE(archivo.stat().st_mode) == 0o600, archivo.name
    finally:
        conexion.close()
