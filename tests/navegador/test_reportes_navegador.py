"""Reportes ciudadanos en Chromium: el formulario con el teclado, texto hostil como texto
(ningún script se ejecuta), accesibilidad (axe-core) del formulario, del seguimiento y de la
entrada de funcionarios."""

from __future__ import annotations

import re
import socket

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from ingesta.carga import cargar
from tablero.app import crear_app
from tests.conftest import escribir_csv
from tests.navegador.test_shell import ESCRITORIO, TELEFONO, _ancho, _axe, _captura

pytestmark = [
    pytest.mark.navegador,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]

HOSTIL = (
    '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
    " '; DROP TABLE reportes; -- \" OR 1=1"
)
CAJONES = [
    ["ID", "LATITUD", "LONGITUD", "DIRECCION", "CAJONES", "ESTADO"],
    ["EST-001", "17.0606", "-96.7266", "Macedonio Alcalá 202, Centro", "1", "bueno"],
    ["EST-002", "17.0650", "-96.7230", "García Vigil 100, Centro", "2", "requiere_rehabilitacion"],
]


@pytest.fixture
def tablero(dash_duo, tmp_path):
    raiz = tmp_path / "datos"
    cargar("estacionamientos", escribir_csv(tmp_path, "e.csv", CAJONES), raiz)
    with socket.socket() as prueba:
        prueba.bind(("127.0.0.1", 0))
        puerto = prueba.getsockname()[1]
    dash_duo.start_server(crear_app(raiz), port=puerto)
    dash_duo.driver.set_script_timeout(60)
    return dash_duo


def _sin_errores(duo) -> None:
    assert [e for e in duo.get_logs() if e["level"] == "SEVERE"] == []


def _sin_script_ejecutado(duo) -> None:
    assert duo.driver.execute_script("return window.__xss === undefined")
    with pytest.raises(NoAlertPresentException):
        duo.driver.switch_to.alert.text  # noqa: B018


def test_reportar_con_el_teclado_y_texto_hostil_solo_como_texto(tablero):
    duo = tablero
    _ancho(duo, ESCRITORIO)
    duo.wait_for_page(url=duo.server_url + "/estacionamientos?espacio=EST-001")
    duo.wait_for_contains_text("#reportar-lugar", "Reportará el espacio EST-001")
    violaciones, informe = _axe(duo)
    assert violaciones == [], informe

    # Todo con el teclado: elegir el tipo, escribir y enviar con la barra espaciadora.
    radio = duo.driver.find_element(By.CSS_SELECTOR, "#reportar-tipo input[value='obstruido']")
    radio.send_keys(Keys.SPACE)
    duo.find_element("#reportar-descripcion").send_keys(HOSTIL)
    duo.find_element("#reportar-contacto").send_keys("privado@example.org")
    duo.find_element("#reportar-enviar").send_keys(Keys.SPACE)
    duo.wait_for_contains_text("#reportar-resultado", "Su folio es", timeout=15)
    folio = re.search(r"R-[2-9A-HJ-NP-Z]{7}", duo.find_element("#reportar-resultado").text).group(0)
    _sin_script_ejecutado(duo)
    _captura(duo, "reporte-enviado", ESCRITORIO)

    duo.wait_for_page(url=f"{duo.server_url}/reporte?folio={folio}")
    duo.wait_for_text_to_equal("h2", f"Reporte {folio}")
    descripcion = duo.driver.find_element(By.CSS_SELECTOR, "dd.texto-ciudadano").text
    assert descripcion == HOSTIL  # se ve tal cual, como texto
    assert "privado@example.org" not in duo.driver.page_source
    _sin_script_ejecutado(duo)
    _sin_errores(duo)
    violaciones, informe = _axe(duo)
    assert violaciones == [], informe
    _captura(duo, "reporte-seguimiento", TELEFONO)


def test_entrada_de_funcionarios_accesible(tablero):
    duo = tablero
    duo.driver.get(duo.server_url + "/atencion/entrar")
    duo.wait_for_text_to_equal("h1", "Entrar a la atención de reportes")
    violaciones, informe = _axe(duo)
    assert violaciones == [], informe
