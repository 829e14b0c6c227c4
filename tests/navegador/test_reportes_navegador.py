"""Reportes ciudadanos en Chromium: el formulario con el teclado, texto hostil como texto
(ningún script se ejecuta), accesibilidad (axe-core) del formulario, del seguimiento y de la
entrada de funcionarios."""

from __future__ import annotations

import re
import socket
import time

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from ingesta.carga import cargar
from tablero.app import crear_app
from tablero.reportes import servicio, web
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
USUARIO = "atiende"
CONTRASENA = "una-contraseña-larga"
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
    app = crear_app(raiz)
    # una funcionaria de prueba para entrar a /atencion
    with app.server.test_request_context():
        servicio.crear_usuario(web.sesion(), USUARIO, CONTRASENA)
    dash_duo.start_server(app, port=puerto)
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


def _activo(duo) -> dict:
    """El elemento con el foco: etiqueta, id, clases, texto y si está dentro de la cuadrícula."""
    return duo.driver.execute_script(
        """
        const e = document.activeElement;
        return {
            etiqueta: e.tagName.toLowerCase(),
            id: e.id,
            clases: e.className.toString(),
            href: e.getAttribute("href"),
            texto: (e.textContent || "").trim().slice(0, 80),
            en_cuadricula: e.closest("[role='grid'], [role='treegrid']") !== null,
            celda: e.classList.contains("ag-cell"),
            fila: e.closest(".ag-row") ? e.closest(".ag-row").getAttribute("row-index") : null,
        };
        """
    )


class Teclado:
    """Pulsa teclas en el elemento con el foco (como una persona) y las cuenta."""

    def __init__(self, duo):
        self.duo = duo
        self.pulsaciones = 0

    def __call__(self, tecla: str, *, mayusculas: bool = False) -> dict:
        acciones = ActionChains(self.duo.driver)
        if mayusculas:
            acciones.key_down(Keys.SHIFT).send_keys(tecla).key_up(Keys.SHIFT)
        else:
            acciones.send_keys(tecla)
        acciones.perform()
        self.pulsaciones += 1
        time.sleep(0.2)  # AG Grid y los manejadores de foco trabajan en el siguiente ciclo
        return _activo(self.duo)

    def tab_hasta(self, condicion, maximo: int = 40) -> int:
        """Pulsa Tab hasta que el foco cumpla ``condicion``; devuelve cuántas veces."""
        for veces in range(1, maximo + 1):
            if condicion(self(Keys.TAB)):
                return veces
        raise AssertionError(f"el foco no llegó en {maximo} Tab: {_activo(self.duo)}")


def _abrir_estacionamientos(duo) -> None:
    _ancho(duo, ESCRITORIO)
    duo.wait_for_page(url=duo.server_url + "/estacionamientos")
    duo.wait_for_element(".tabla-datos .ag-row", timeout=20)
    duo.wait_for_element(".figura-mapa canvas.maplibregl-canvas", timeout=20)
    # el foco empieza arriba de la página (nada enfocado)
    assert _activo(duo)["etiqueta"] == "body"


def test_reportar_un_cajon_solo_con_el_teclado(tablero):
    duo = tablero
    _abrir_estacionamientos(duo)
    pulsar = Teclado(duo)
    assert pulsar(Keys.TAB)["clases"] == "saltar"
    assert pulsar(Keys.ENTER)["id"] == "contenido"
    # el primer control del contenido lleva a la tabla de espacios (la lista, antes del
    # formulario)
    assert pulsar(Keys.TAB)["href"] == "#estacionamientos-lista"
    assert pulsar(Keys.ENTER)["id"] == "estacionamientos-lista"
    assert pulsar(Keys.TAB)["id"] == "estacionamientos-buscar"
    cuadricula = pulsar(Keys.TAB)  # una parada: la cuadrícula (su primer encabezado)
    assert cuadricula["en_cuadricula"] and "ag-header-cell" in cuadricula["clases"]
    celda = pulsar(Keys.ARROW_DOWN)
    assert (celda["celda"], celda["fila"], celda["texto"]) == (True, "0", "EST-001")
    # ENTER elige el espacio y el foco pasa al formulario (a su título)
    assert pulsar(Keys.ENTER)["id"] == "reportar"
    elegir = pulsar.pulsaciones
    duo.wait_for_contains_text("#reportar-lugar", "Reportará el espacio EST-001")
    duo.wait_for_contains_text("#estacionamientos-seleccion", "Espacio EST-001 elegido.")
    assert duo.driver.current_url.endswith("/estacionamientos?espacio=EST-001")
    # con un espacio elegido el punto (latitud y longitud) se cierra: un Tab menos por campo
    limite = time.monotonic() + 5
    while duo.find_element("#reportar-punto").get_attribute("open") and time.monotonic() < limite:
        time.sleep(0.1)
    assert duo.find_element("#reportar-punto").get_attribute("open") is None
    # tipo (un grupo de radios: una parada), descripción, contacto, el punto, el enlace al
    # formulario con fotos de ese espacio y "Enviar"
    despues = pulsar.tab_hasta(lambda activo: activo["id"] == "reportar-enviar")
    # medido: 8 pulsaciones para elegir (Tab, Enter, Tab, Enter, Tab, Tab, Flecha abajo,
    # Enter) y 6 Tab del título del formulario a "Enviar": 14 desde el inicio de la página
    assert (elegir, despues, pulsar.pulsaciones) == (8, 6, 14)
    assert pulsar.pulsaciones <= 15
    _sin_errores(duo)


def test_tab_sale_de_la_tabla_en_una_pulsacion(tablero):
    duo = tablero
    _abrir_estacionamientos(duo)
    duo.find_element("#estacionamientos-buscar").click()
    pulsar = Teclado(duo)
    assert pulsar(Keys.TAB)["en_cuadricula"]
    # Tab desde el encabezado sale de la cuadrícula (a la paginación), no recorre columnas
    fuera = pulsar(Keys.TAB)
    assert not fuera["en_cuadricula"] and "ag-paging-button" in fuera["clases"]
    # Mayús+Tab vuelve a la cuadrícula en una pulsación
    assert pulsar(Keys.TAB, mayusculas=True)["en_cuadricula"]
    # dentro se mueve con las flechas...
    assert pulsar(Keys.ARROW_DOWN)["celda"]
    derecha = pulsar(Keys.ARROW_RIGHT)
    assert derecha["celda"] and derecha["texto"] != ""
    # ...y Tab desde una celda también sale en una pulsación
    fuera = pulsar(Keys.TAB)
    assert not fuera["en_cuadricula"] and "ag-paging-button" in fuera["clases"]
    # Mayús+Tab desde una celda vuelve al control anterior (la búsqueda) en una pulsación
    duo.find_element("#estacionamientos-buscar").click()
    pulsar(Keys.TAB)
    assert pulsar(Keys.ARROW_DOWN)["celda"]
    assert pulsar(Keys.TAB, mayusculas=True)["id"] == "estacionamientos-buscar"
    # con la tabla recorrida así, nada quedó elegido (elegir es ENTER o ESPACIO)
    assert duo.find_element("#estacionamientos-seleccion").text == "Ningún espacio elegido."


def test_entrada_de_funcionarios_accesible(tablero):
    duo = tablero
    for ancho in (ESCRITORIO, TELEFONO):
        _ancho(duo, ancho)
        duo.driver.get(duo.server_url + "/atencion/entrar")
        duo.wait_for_text_to_equal("h1", "Entrar a la atención de reportes")
        violaciones, informe = _axe(duo)
        assert violaciones == [], informe
        _captura(duo, "atencion-entrar", ancho)
    # la hoja del sitio: «Saltar al contenido» fuera de la vista hasta recibir el foco
    salto = duo.find_element("a.saltar")
    assert salto.location["y"] < 0
    ActionChains(duo.driver).send_keys(Keys.TAB).perform()
    assert duo.driver.execute_script("return document.activeElement.className") == "saltar"
    assert salto.location["y"] >= 0
    assert (
        duo.driver.execute_script(
            "return getComputedStyle(document.querySelector('header')).backgroundColor"
        )
        == "rgb(74, 16, 48)"
    )  # --marca del sitio (#4a1030)


def test_lista_y_detalle_de_atencion_accesibles(tablero):
    duo = tablero
    # un reporte ciudadano para que la lista y el detalle tengan contenido
    duo.driver.get(duo.server_url + "/estacionamientos?espacio=EST-002")
    duo.wait_for_contains_text("#reportar-lugar", "Reportará el espacio EST-002")
    duo.driver.find_element(By.CSS_SELECTOR, "#reportar-tipo input[value='danado']").click()
    duo.find_element("#reportar-descripcion").send_keys("La rampa está rota")
    duo.find_element("#reportar-enviar").click()
    duo.wait_for_contains_text("#reportar-resultado", "Su folio es", timeout=15)
    folio = re.search(r"R-[2-9A-HJ-NP-Z]{7}", duo.find_element("#reportar-resultado").text).group(0)

    duo.driver.get(duo.server_url + "/atencion/entrar")
    duo.wait_for_text_to_equal("h1", "Entrar a la atención de reportes")
    duo.find_element("#usuario").send_keys(USUARIO)
    duo.find_element("#contrasena").send_keys(CONTRASENA)
    duo.find_element("button.boton").click()
    duo.wait_for_text_to_equal("h1", "Reportes abiertos (1)")
    for ancho in (ESCRITORIO, TELEFONO):
        _ancho(duo, ancho)
        violaciones, informe = _axe(duo)
        assert violaciones == [], informe
        _captura(duo, "atencion-lista", ancho)
    duo.driver.find_element(By.LINK_TEXT, folio).click()
    duo.wait_for_text_to_equal("h1", f"Reporte {folio}")
    for ancho in (ESCRITORIO, TELEFONO):
        _ancho(duo, ancho)
        violaciones, informe = _axe(duo)
        assert violaciones == [], informe
        _captura(duo, "atencion-detalle", ancho)
