"""Perfil sin callejones en Chromium: el enlace de una obra abre su ficha en /obras (a la
vista y con el foco), elegir una fila en el teléfono trae la ficha a la vista, el glosario se
abre con el teclado; axe-core sin violaciones y capturas a 375 px.
"""

from __future__ import annotations

import time

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

import capas
from tablero.app import crear_app
from tests.navegador.test_shell import ESCRITORIO, TELEFONO, _ancho, _axe, _captura

pytestmark = [
    pytest.mark.navegador,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]

ESPERA = 30
ANIO, CLAVE = 2025, "20067"


@pytest.fixture
def tablero(dash_duo, raiz_ejemplo):
    dash_duo.start_server(crear_app(raiz_ejemplo))
    dash_duo.driver.set_script_timeout(60)
    return dash_duo


def _abrir(duo, ruta: str, encabezado: str, ancho: int = ESCRITORIO) -> None:
    _ancho(duo, ancho)
    duo.wait_for_page(url=duo.server_url.rstrip("/") + ruta)
    duo.wait_for_text_to_equal("h1", encabezado, timeout=ESPERA)


def _esperar(duo, condicion, mensaje: str):
    return WebDriverWait(duo.driver, ESPERA).until(lambda _: condicion(), message=mensaje)


def _ficha_a_la_vista_con_foco(duo, folio: str) -> bool:
    """La ficha de ``folio`` empieza dentro de la ventana y su título tiene el foco."""
    return duo.driver.execute_script(
        """
        const t = document.getElementById('obras-detalle-titulo');
        if (!t || !t.textContent.includes(arguments[0])) return false;
        const r = document.getElementById('obras-detalle').getBoundingClientRect();
        return r.top >= -2 && r.top < window.innerHeight / 2 && document.activeElement === t;
        """,
        folio,
    )


def _errores(duo) -> list[dict]:
    return [e for e in duo.get_logs() if "GPU stall" not in e.get("message", "")]


def test_el_enlace_de_una_obra_del_perfil_abre_su_ficha(tablero, raiz_ejemplo):
    datos = capas.abrir(raiz_ejemplo)
    obras = capas.tabla_obras(datos, anio=ANIO, municipio=CLAVE)
    obra = obras[obras["num_alertas"] > 0].iloc[0]  # en la tabla visible (no en el desplegable)
    _abrir(tablero, f"/municipio?municipio={CLAVE}", "Oaxaca de Juárez", TELEFONO)
    enlace = tablero.wait_for_element(
        f"a.perfil-obra__enlace[href$='folio={obra['folio']}']", timeout=ESPERA
    )
    assert enlace.text == obra["nombre"]
    ver = tablero.find_element("#municipio-ver-obras")
    assert ver.get_attribute("href").endswith(f"/obras?municipio={CLAVE}&anio={ANIO}")
    tablero.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", enlace)
    enlace.click()
    tablero.wait_for_text_to_equal("h1", "Obra pública", timeout=ESPERA)
    tablero.wait_for_contains_text("#obras-detalle h2", f"Obra {obra['folio']}", timeout=ESPERA)
    url = tablero.driver.current_url
    assert f"folio={obra['folio']}" in url and f"municipio={CLAVE}" in url and "anio=2025" in url
    _esperar(
        tablero,
        lambda: _ficha_a_la_vista_con_foco(tablero, obra["folio"]),
        "la ficha de la obra no quedó a la vista con el foco",
    )
    violaciones, informe = _axe(tablero)
    assert violaciones == [], f"axe-core en /obras con la ficha abierta:\n{informe}"
    _captura(tablero, "obras-ficha-desde-perfil", TELEFONO)
    assert _errores(tablero) == []


def test_elegir_una_fila_en_el_telefono_trae_la_ficha_a_la_vista(tablero):
    _abrir(tablero, f"/obras?municipio={CLAVE}&anio={ANIO}", "Obra pública", TELEFONO)
    # La tabla pide sus filas por bloques y, en el teléfono, vuelve a ocultar columnas: la
    # celda puede redibujarse entre encontrarla y tocarla. Se busca de nuevo si quedó vieja.
    for intento in range(5):
        try:
            celda = tablero.wait_for_element(
                "#obras-tabla .ag-center-cols-container .ag-row[row-index='1'] [col-id='nombre']",
                timeout=ESPERA,
            )
            fila = celda.find_element(By.XPATH, "./ancestor::div[contains(@class,'ag-row')]")
            folio = (
                tablero.driver.execute_script("return arguments[0].getAttribute('row-id')", fila)
                or ""
            )
            tablero.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", celda)
            celda.click()
            break
        except StaleElementReferenceException:
            if intento == 4:
                raise
            time.sleep(0.5)
    _esperar(
        tablero,
        lambda: "folio=" in tablero.driver.current_url,
        "elegir la fila no puso el folio en la URL",
    )
    folio = folio or tablero.driver.current_url.split("folio=")[1].split("&")[0]
    _esperar(
        tablero,
        lambda: _ficha_a_la_vista_con_foco(tablero, folio),
        "la ficha no se desplazó a la vista al elegir la fila",
    )
    # los montos de la ficha no se parten
    for valor in tablero.driver.find_elements(By.CSS_SELECTOR, "#obras-detalle .cifra__valor"):
        assert valor.value_of_css_property("white-space") == "nowrap"
    assert _errores(tablero) == []


def test_el_glosario_se_abre_con_el_teclado(tablero):
    _abrir(tablero, f"/municipio?municipio={CLAVE}", "Oaxaca de Juárez")
    resumen = tablero.wait_for_element("details[data-termino='eficacia'] summary", timeout=ESPERA)
    detalle = resumen.find_element(By.XPATH, "..")
    texto = detalle.find_element(By.CSS_SELECTOR, ".glosario__texto")
    assert not texto.is_displayed()
    # Tab desde la pregunta anterior (semáforo de cobertura) llega a esta; Enter la abre
    anterior = tablero.find_element("details[data-termino='semaforo_cobertura'] summary")
    tablero.driver.execute_script("arguments[0].focus()", anterior)
    anterior.send_keys(Keys.TAB)
    assert tablero.driver.switch_to.active_element == resumen
    resumen.send_keys(Keys.ENTER)
    _esperar(tablero, texto.is_displayed, "Enter no abrió la explicación")
    assert "lo ejercido dividido entre lo aprobado" in texto.text
    resumen.send_keys(Keys.SPACE)
    _esperar(tablero, lambda: not texto.is_displayed(), "Espacio no cerró la explicación")
    resumen.send_keys(Keys.ENTER)
    for ancho in (ESCRITORIO, TELEFONO):
        _ancho(tablero, ancho)
        violaciones, informe = _axe(tablero)
        assert violaciones == [], f"axe-core a {ancho} px con el glosario abierto:\n{informe}"
    _captura(tablero, "municipio-glosario", TELEFONO)
    assert _errores(tablero) == []


def test_portada_accesible_con_el_glosario(tablero):
    _abrir(tablero, "/", "Sigue el dinero", TELEFONO)
    tablero.wait_for_element("details[data-termino='eficacia']", timeout=ESPERA)
    violaciones, informe = _axe(tablero)
    assert violaciones == [], f"axe-core en la portada:\n{informe}"
    _captura(tablero, "inicio-glosario", TELEFONO)
    assert _errores(tablero) == []
