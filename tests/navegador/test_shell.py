"""El armazón en Chromium sin pantalla: cada página, accesibilidad (axe-core), teléfono, teclado.

Guarda capturas a 1280 y 375 px en ``capturas/`` (raíz del repositorio) para mirarlas.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pandas as pd
import pytest

from almacen.versiones import Almacen
from tablero.app import crear_app

pytestmark = [
    pytest.mark.navegador,
    # selenium 4.2 con urllib3 reciente: avisos ajenos al tablero
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]

CAPTURAS = Path(__file__).resolve().parents[2] / "capturas"

#: ruta -> (h1 esperado, título de la ventana, nombre de la captura)
PAGINAS = {
    "/": ("Sigue el dinero", "Sigue el dinero Oaxaca", "inicio"),
    "/municipio": ("Mi municipio", "Mi municipio · Sigue el dinero Oaxaca", "municipio"),
    "/escuelas": (
        "Escuelas: uniformes y útiles escolares",
        "Escuelas · Sigue el dinero Oaxaca",
        "escuelas",
    ),
    "/obras": ("Obra pública", "Obra pública · Sigue el dinero Oaxaca", "obras"),
    "/estacionamientos": (
        "Estacionamientos para personas con discapacidad",
        "Estacionamientos para personas con discapacidad · Sigue el dinero Oaxaca",
        "estacionamientos",
    ),
    "/datos": ("Datos abiertos", "Datos abiertos · Sigue el dinero Oaxaca", "datos"),
    "/metodologia": ("Metodología", "Metodología · Sigue el dinero Oaxaca", "metodologia"),
    "/no-existe": (
        "Página no encontrada",
        "Página no encontrada · Sigue el dinero Oaxaca",
        "no-encontrada",
    ),
}

TELEFONO = 375
ESCRITORIO = 1280


@pytest.fixture
def tablero(dash_duo, tmp_path):
    """``dash_duo`` con el tablero servido sobre un almacén con una versión de ejemplo."""
    Almacen(tmp_path).crear_version(
        {"estacionamientos": (pd.DataFrame({"id": ["1"]}), None)},
        carga={
            "tipo": "estacionamientos",
            "archivo": "x.csv",
            "sha256": "0",
            "fecha_corte": "2025-09-30",
            "ejemplo": True,
        },
    )
    dash_duo.start_server(crear_app(tmp_path))
    dash_duo.driver.set_script_timeout(60)
    return dash_duo


def _abrir(duo, ruta: str, ancho: int = ESCRITORIO) -> None:
    _ancho(duo, ancho)
    duo.wait_for_page(url=duo.server_url.rstrip("/") + ruta)
    duo.wait_for_text_to_equal("h1", PAGINAS[ruta][0])
    duo.wait_for_contains_text("#banda-version", "v0001")


def _ancho(duo, ancho: int, alto: int = 900) -> None:
    """Ventana del ancho pedido; a 375 px se emula un teléfono (viewport móvil)."""
    duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": ancho, "height": alto, "deviceScaleFactor": 1, "mobile": ancho < 768},
    )


def _axe(duo) -> tuple[list[dict], str]:
    """Corre axe-core en la página; ``SIGUE_AXE`` apunta a otro ``axe.min.js`` (más nuevo)."""
    from axe_selenium_python import Axe

    opciones = {"script_url": os.environ["SIGUE_AXE"]} if os.environ.get("SIGUE_AXE") else {}
    axe = Axe(duo.driver, **opciones)
    axe.inject()
    resultado = axe.run()
    # axe-core corrió de verdad: al menos el contraste de color se evaluó y pasó
    assert "color-contrast" in {regla["id"] for regla in resultado["passes"]}
    return resultado["violations"], axe.report(resultado["violations"])


def _captura(duo, nombre: str, ancho: int) -> Path:
    """Captura de la página entera a ``ancho`` px en ``capturas/<nombre>-<ancho>.png``."""
    _ancho(duo, ancho)
    alto = duo.driver.execute_script("return document.documentElement.scrollHeight")
    imagen = duo.driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": ancho, "height": alto, "scale": 1},
        },
    )
    CAPTURAS.mkdir(exist_ok=True)
    ruta = CAPTURAS / f"{nombre}-{ancho}.png"
    ruta.write_bytes(base64.b64decode(imagen["data"]))
    return ruta


@pytest.mark.parametrize("ruta", list(PAGINAS))
def test_pagina_accesible_en_escritorio_y_telefono(tablero, ruta):
    encabezado, titulo, nombre = PAGINAS[ruta]
    _abrir(tablero, ruta)
    tablero.wait_for_contains_text("#banda-version", "Fecha de corte: 30 de septiembre de 2025")
    tablero.wait_for_contains_text(".aviso-ejemplo", "Datos de ejemplo (sintéticos)")
    assert tablero.driver.title == titulo
    assert tablero.driver.find_element("css selector", "html").get_attribute("lang") == "es"

    for ancho in (ESCRITORIO, TELEFONO):
        _ancho(tablero, ancho)
        violaciones, informe = _axe(tablero)
        assert violaciones == [], f"axe-core a {ancho} px en {ruta}:\n{informe}"
        _captura(tablero, nombre, ancho)

    # Teléfono: nada se sale de la pantalla ni obliga a desplazarse a los lados.
    _ancho(tablero, TELEFONO)
    medidas = tablero.driver.execute_script(
        """
        const fuera = [...document.querySelectorAll('#react-entry-point *')]
            .filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > 376)
            .map((e) => e.tagName + '.' + e.className);
        return {
            ancho: document.documentElement.scrollWidth,
            vista: window.innerWidth,
            fuera: fuera,
            menu: [...document.querySelectorAll('.menu a')]
                .map((a) => a.getBoundingClientRect().height),
        };
        """
    )
    assert medidas["vista"] == TELEFONO
    assert medidas["ancho"] <= TELEFONO, medidas
    assert medidas["fuera"] == []
    assert len(medidas["menu"]) == 7 and min(medidas["menu"]) >= 44  # objetivos táctiles

    assert _errores_de_consola(tablero) == []


def test_teclado_salto_al_contenido_y_menu(tablero):
    from selenium.webdriver.common.keys import Keys

    _abrir(tablero, "/", TELEFONO)
    cuerpo = tablero.driver.find_element("css selector", "body")
    cuerpo.send_keys(Keys.TAB)
    activo = tablero.driver.switch_to.active_element
    assert activo.text == "Saltar al contenido"
    assert activo.is_displayed() and activo.rect["y"] >= 0  # visible al recibir el foco
    _captura(tablero, "foco-saltar", TELEFONO)
    activo.send_keys(Keys.ENTER)
    assert tablero.driver.switch_to.active_element.get_attribute("id") == "contenido"
    # el siguiente TAB sigue desde el contenido (en el inicio no hay enlaces: va al pie)
    tablero.driver.switch_to.active_element.send_keys(Keys.TAB)
    assert tablero.driver.switch_to.active_element.text == "Datos abiertos"

    # El foco se ve también sobre el encabezado oscuro.
    _abrir(tablero, "/obras")
    for _ in range(3):  # saltar, marca, Inicio
        tablero.driver.switch_to.active_element.send_keys(Keys.TAB)
    assert tablero.driver.switch_to.active_element.text == "Inicio"
    _captura(tablero, "foco-menu", ESCRITORIO)

    # Navegar con el menú no recarga la página y marca la sección abierta.
    tablero.driver.execute_script("window.__sin_recarga = true")
    tablero.find_element(".menu a[href='/metodologia']").click()
    tablero.wait_for_text_to_equal("h1", "Metodología")
    tablero.wait_for_class_to_equal(".menu a[href='/metodologia']", "menu__enlace activo")
    assert tablero.driver.execute_script("return window.__sin_recarga") is True
    actual = tablero.driver.find_elements("css selector", ".menu a[aria-current='page']")
    assert [a.text for a in actual] == ["Metodología"]
    tablero.wait_for_contains_text("#banda-version", "v0001")
    assert tablero.driver.title == "Metodología · Sigue el dinero Oaxaca"

    # La 404 lleva de vuelta al inicio.
    _abrir(tablero, "/no-existe")
    tablero.find_element("#contenido a[href='/']").click()
    tablero.wait_for_text_to_equal("h1", "Sigue el dinero")
    assert _errores_de_consola(tablero) == []


def _errores_de_consola(tablero) -> list[dict]:
    """Mensajes de la consola, sin el aviso del navegador por el 404 de ``/no-existe``.

    Esa página responde 404 a propósito (una URL que no existe no es un «200»); Chromium lo
    anota como «Failed to load resource». Cualquier otro mensaje es un error.
    """
    return [
        entrada
        for entrada in tablero.get_logs()
        if not (
            entrada.get("source") == "network"
            and "/no-existe - Failed to load resource" in entrada.get("message", "")
            and "status of 404" in entrada.get("message", "")
        )
    ]
