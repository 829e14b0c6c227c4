"""Aplicación instalable en Chromium: el service worker se instala y controla la página; sin
conexión (CDP ``Network.emulateNetworkConditions``) la página vuelve a cargar con los datos
vistos y el aviso con la fecha de corte; un reporte escrito sin conexión queda pendiente en el
teléfono y se envía al volver la conexión (aparece su folio y el reporte existe en la base)."""

from __future__ import annotations

import json
import re
import socket
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from ingesta.carga import cargar
from tablero.app import crear_app
from tablero.reportes.modelo import Reporte
from tests.ayuda_servidor import puerto_libre
from tests.conftest import escribir_csv
from tests.navegador.test_shell import TELEFONO, _ancho, _axe, _captura

pytestmark = [
    pytest.mark.navegador,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]

CAJONES = [
    ["ID", "LATITUD", "LONGITUD", "DIRECCION", "CAJONES", "ESTADO"],
    ["EST-001", "17.0606", "-96.7266", "Macedonio Alcalá 202, Centro", "1", "bueno"],
    ["EST-002", "17.0650", "-96.7230", "García Vigil 100, Centro", "2", "requiere_rehabilitacion"],
]


class SesionCDP:
    """Conexión directa (WebSocket) a un objetivo de DevTools de Chromium, p. ej. un service
    worker: selenium solo habla con la página. La emulación dura mientras siga abierta."""

    def __init__(self, url_ws: str):
        from urllib.parse import urlsplit

        from wsproto import ConnectionType, WSConnection
        from wsproto.events import Request

        partes = urlsplit(url_ws)
        self.socket = socket.create_connection((partes.hostname, partes.port), timeout=20)
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.socket.sendall(self.ws.send(Request(host=partes.netloc, target=partes.path)))
        self.siguiente = 0
        self._esperar(lambda evento: type(evento).__name__ == "AcceptConnection")

    def _esperar(self, condicion):
        from wsproto.events import TextMessage

        texto = ""
        while True:
            self.ws.receive_data(self.socket.recv(65536))
            for evento in self.ws.events():
                if isinstance(evento, TextMessage):
                    texto += evento.data
                    if not evento.message_finished:
                        continue
                    mensaje, texto = json.loads(texto), ""
                    if condicion(mensaje):
                        return mensaje
                elif condicion(evento):
                    return evento

    def __call__(self, metodo: str, **parametros) -> dict:
        from wsproto.events import TextMessage

        self.siguiente += 1
        numero = self.siguiente
        datos = json.dumps({"id": numero, "method": metodo, "params": parametros})
        self.socket.sendall(self.ws.send(TextMessage(data=datos)))
        respuesta = self._esperar(lambda m: isinstance(m, dict) and m.get("id") == numero)
        assert "error" not in respuesta, respuesta
        return respuesta.get("result", {})

    def cerrar(self) -> None:
        from wsproto.events import CloseConnection

        try:
            self.socket.sendall(self.ws.send(CloseConnection(code=1000)))
        finally:
            self.socket.close()


def _servir(dash_duo, raiz):
    """El tablero sobre ``raiz`` en un puerto libre; da ``(duo, app, sesiones CDP)`` y al
    terminar cierra las sesiones CDP abiertas por la prueba."""
    app = crear_app(raiz)
    dash_duo.start_server(app, port=puerto_libre())
    dash_duo.driver.set_script_timeout(60)
    sesiones: list[SesionCDP] = []
    yield dash_duo, app, sesiones
    for sesion in sesiones:
        sesion.cerrar()


@pytest.fixture
def tablero(dash_duo, tmp_path):
    raiz = tmp_path / "datos"
    cargar("estacionamientos", escribir_csv(tmp_path, "e.csv", CAJONES), raiz)
    yield from _servir(dash_duo, raiz)


def _red(duo, sesiones: list, *, conectada: bool) -> None:
    """Con o sin red la página (selenium) y sus service workers (DevTools directo).

    ``Network.emulateNetworkConditions`` sobre la página no alcanza a las peticiones que
    hace el service worker: sin esto la página "sin conexión" recibiría todo de la red.
    """
    condiciones = {
        "offline": not conectada,
        "latency": 0,
        "downloadThroughput": -1,
        "uploadThroughput": -1,
    }
    duo.driver.execute_cdp_cmd("Network.emulateNetworkConditions", condiciones)
    if not sesiones:
        direccion = duo.driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
        with urllib.request.urlopen(f"http://{direccion}/json/list", timeout=20) as lista:
            objetivos = json.load(lista)
        for objetivo in objetivos:
            if objetivo["type"] == "service_worker":
                sesion = SesionCDP(objetivo["webSocketDebuggerUrl"])
                sesion("Network.enable")
                sesiones.append(sesion)
        assert sesiones, [o["type"] for o in objetivos]
    for sesion in sesiones:
        sesion("Network.emulateNetworkConditions", **condiciones)


def _reportes(app) -> list:
    with app.server.test_request_context():
        from tablero.reportes import web

        return web.sesion().query(Reporte).all()


def test_sin_conexion_muestra_lo_ultimo_visto_y_envia_el_reporte_al_volver(tablero):
    duo, app, sesiones = tablero
    _ancho(duo, TELEFONO)
    url = duo.server_url + "/estacionamientos?espacio=EST-001"
    duo.wait_for_page(url=url)
    duo.wait_for_contains_text("#reportar-lugar", "Reportará el espacio EST-001", timeout=20)
    corte = duo.find_element(".banda-version__corte strong").text
    assert re.fullmatch(r"\d{1,2} de [a-z]+ de \d{4}", corte), corte

    # 1. el service worker se instala (armazón en caché) y controla la página al recargar
    alcance = duo.driver.execute_async_script(
        "const listo = arguments[0];navigator.serviceWorker.ready.then((r) => listo(r.scope));"
    )
    assert alcance == duo.server_url + "/"
    duo.driver.refresh()
    duo.wait_for_contains_text("#reportar-lugar", "Reportará el espacio EST-001", timeout=20)
    WebDriverWait(duo.driver, 20).until(
        lambda d: d.execute_script("return navigator.serviceWorker.controller !== null")
    )
    cachés = duo.driver.execute_async_script(
        "const listo = arguments[0];"
        "caches.keys().then(async (nombres) => {"
        "  const r = {}; for (const n of nombres) r[n] = (await (await caches.open(n)).keys()).length;"
        "  listo(r); });"
    )
    assert {n.rsplit("-", 1)[0] for n in cachés} == {"sigue-armazon", "sigue-datos"}
    assert all(cuantas > 0 for cuantas in cachés.values()), cachés
    assert not duo.find_element("#aviso-sin-conexion").is_displayed()

    # 2. sin conexión: la página vuelve a cargar con los datos y el aviso
    _red(duo, sesiones, conectada=False)
    duo.driver.refresh()
    duo.wait_for_contains_text("#reportar-lugar", "Reportará el espacio EST-001", timeout=20)
    duo.wait_for_contains_text(
        "#aviso-sin-conexion", "Sin conexión: se muestran los datos vistos por última vez el"
    )
    aviso = duo.find_element("#aviso-sin-conexion")
    assert aviso.get_attribute("role") == "status"
    assert aviso.is_displayed()
    assert aviso.text.endswith(f", con corte al {corte}."), aviso.text
    assert "EST-001" in duo.find_element("#contenido").text
    violaciones, informe = _axe(duo)
    assert violaciones == [], informe
    _captura(duo, "sin-conexion", TELEFONO)

    # 3. un reporte escrito sin conexión queda pendiente en el teléfono
    duo.driver.find_element(By.CSS_SELECTOR, "#reportar-tipo input[value='obstruido']").send_keys(
        Keys.SPACE
    )
    duo.find_element("#reportar-descripcion").send_keys("Un auto bloquea la rampa.")
    duo.find_element("#reportar-enviar").click()
    duo.wait_for_contains_text("#reportar-resultado", "pendiente de envío")
    duo.wait_for_contains_text("#reportes-pendientes", "1 reporte pendiente de envío")
    guardados = duo.driver.execute_script(
        "return JSON.parse(localStorage.getItem('sigue-reportes-pendientes'))"
    )
    assert [g["cuerpo"] for g in guardados] == [
        {
            "tipo": "obstruido",
            "descripcion": "Un auto bloquea la rampa.",
            "estacionamiento_id": "EST-001",
        }
    ]
    assert _reportes(app) == []
    violaciones, informe = _axe(duo)
    assert violaciones == [], informe
    _captura(duo, "reporte-pendiente", TELEFONO)

    # 4. al volver la conexión se envía y aparece el folio
    _red(duo, sesiones, conectada=True)
    duo.wait_for_contains_text("#reportes-pendientes", "Su folio es R-", timeout=40)
    folio = re.search(r"R-[2-9A-HJ-NP-Z]{7}", duo.find_element("#reportes-pendientes").text)[0]
    assert "pendiente de envío" not in duo.find_element("#reportes-pendientes").text
    assert (
        duo.driver.execute_script("return localStorage.getItem('sigue-reportes-pendientes')")
        is None
    )
    reportes = _reportes(app)
    assert [(r.folio, r.estado, r.tipo, r.descripcion, r.estacionamiento_id) for r in reportes] == [
        (folio, "recibido", "obstruido", "Un auto bloquea la rampa.", "EST-001")
    ]
    enlace = duo.driver.find_element(By.CSS_SELECTOR, "#reportes-pendientes a")
    assert enlace.get_attribute("href") == f"{duo.server_url}/reporte?folio={folio}"


@pytest.fixture
def tablero_ejemplo(dash_duo, raiz_ejemplo, tmp_path):
    """El tablero con los datos de ejemplo (municipios: la portada tiene mapa), en una copia."""
    import shutil

    raiz = tmp_path / "datos"
    shutil.copytree(raiz_ejemplo, raiz)
    yield from _servir(dash_duo, raiz)


#: Municipios dibujados en el mapa de la portada (ubicaciones y valores), o ``None``.
MAPA_INICIO = (
    "var g = document.querySelector('#inicio-mapa .js-plotly-plot');"
    "var t = g && g.data && g.data[0];"
    "return t && t.locations && t.z ? [t.locations.length, t.z.length, t.geojson.features.length]"
    " : null;"
)


def test_sin_conexion_el_mapa_de_inicio_se_dibuja(tablero_ejemplo):
    """La base del mapa (geometría por versión, en su propia URL) queda en la caché del service
    worker: sin red la portada vuelve a dibujar el mapa con la base y los valores guardados."""
    duo, _app, sesiones = tablero_ejemplo
    duo.wait_for_page(url=duo.server_url + "/")
    WebDriverWait(duo.driver, 40).until(lambda d: d.execute_script(MAPA_INICIO))
    assert duo.driver.execute_script(MAPA_INICIO) == [570, 570, 570]
    duo.driver.execute_async_script(
        "const listo = arguments[0]; navigator.serviceWorker.ready.then(() => listo(true));"
    )
    duo.driver.refresh()
    WebDriverWait(duo.driver, 20).until(
        lambda d: d.execute_script("return navigator.serviceWorker.controller !== null")
    )
    WebDriverWait(duo.driver, 40).until(lambda d: d.execute_script(MAPA_INICIO))
    guardadas = duo.driver.execute_async_script(
        "const listo = arguments[0];"
        "caches.keys().then(async (nombres) => {"
        "  const r = [];"
        "  for (const n of nombres) for (const p of await (await caches.open(n)).keys())"
        "    r.push(n.split('-').slice(0, 2).join('-') + ' ' + new URL(p.url).pathname);"
        "  listo(r); });"
    )
    bases = [g for g in guardadas if "/_sigue/mapa/inicio/" in g]
    assert len(bases) == 1 and bases[0].startswith("sigue-datos "), guardadas

    _red(duo, sesiones, conectada=False)
    duo.driver.refresh()
    duo.wait_for_contains_text(
        "#aviso-sin-conexion", "Sin conexión: se muestran los datos vistos por última vez el"
    )
    WebDriverWait(duo.driver, 40).until(lambda d: d.execute_script(MAPA_INICIO))
    assert duo.driver.execute_script(MAPA_INICIO) == [570, 570, 570]
    _red(duo, sesiones, conectada=True)
