"""Formulario de reporte en la ficha de una obra, en Chromium: el campo de fotos aparece,
se envía con una foto y lleva a la página del folio; accesibilidad (axe-core) de la ficha."""

from __future__ import annotations

import socket

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tablero.app import crear_app
from tablero.reportes import web
from tablero.reportes.modelo import Foto
from tests.ayuda_reportes import _plantilla_completa
from tests.navegador.test_shell import TELEFONO, _ancho, _axe

pytestmark = [
    pytest.mark.navegador,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]

OBRA = "05096400004"


@pytest.fixture
def tablero(dash_duo, tmp_path):
    import shutil

    raiz = shutil.copytree(_plantilla_completa(), tmp_path / "datos")
    with socket.socket() as prueba:
        prueba.bind(("127.0.0.1", 0))
        puerto = prueba.getsockname()[1]
    app = crear_app(raiz)
    dash_duo.start_server(app, port=puerto)
    return dash_duo, app


def test_reportar_una_obra_con_foto_desde_su_ficha(tablero, tmp_path):
    from PIL import Image

    duo, app = tablero
    foto = tmp_path / "grieta.png"
    Image.new("RGB", (64, 48), (120, 60, 30)).save(foto)
    _ancho(duo, TELEFONO)
    duo.wait_for_page(url=f"{duo.server_url}/obras?folio={OBRA}")
    duo.wait_for_element("#reportar-obra-fotos", timeout=30)  # lo pone assets/reportes_fotos.js
    campo = duo.find_element("#reportar-obra-fotos")
    assert (campo.get_attribute("type"), campo.get_attribute("name")) == ("file", "fotos")
    assert "Nadie ha reportado problemas en esta obra." in duo.find_element("#obras-detalle").text
    violaciones, informe = _axe(duo)
    assert violaciones == [], informe

    Select(duo.find_element("#reportar-obra-tipo")).select_by_value("terminada_sin_uso")
    duo.find_element("#reportar-obra-descripcion").send_keys("Terminada y cerrada con candado")
    campo.send_keys(str(foto))
    duo.driver.find_element(By.CSS_SELECTOR, "#reportar-obra button[type=submit]").click()
    duo.wait_for_contains_text(".mensaje-ok", "Recibimos su reporte", timeout=30)
    assert "nuevo=1" in duo.driver.current_url
    folio = duo.driver.current_url.split("folio=")[1].split("&")[0]
    assert "1 foto en revisión" in duo.find_element(".pagina-reporte").text
    with app.server.test_request_context():
        fotos = web.sesion().query(Foto).all()
        assert [(f.reporte.folio, f.estado, f.ancho, f.alto) for f in fotos] == [
            (folio, "pendiente", 64, 48)
        ]
    assert [e for e in duo.get_logs() if e["level"] == "SEVERE"] == []
