"""«Datos abiertos» y «Metodología» en Chromium con los datos de ejemplo.

Accesibilidad (axe-core) a 1280 y 375 px, sin errores en la consola, una descarga pedida desde
el navegador y el selector de versión. Capturas en ``capturas/`` para mirarlas.
"""

from __future__ import annotations

import pytest

from tablero.app import crear_app
from tests.navegador.test_shell import ESCRITORIO, TELEFONO, _ancho, _axe, _captura

pytestmark = [
    pytest.mark.navegador,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]

PAGINAS = {"/datos": "Datos abiertos", "/metodologia": "Metodología"}


@pytest.fixture
def tablero(dash_duo, raiz_ejemplo):
    """``dash_duo`` con el tablero servido sobre el almacén de ejemplo (seis versiones)."""
    dash_duo.start_server(crear_app(raiz_ejemplo))
    dash_duo.driver.set_script_timeout(60)
    return dash_duo


def _abrir(duo, ruta: str, encabezado: str) -> None:
    _ancho(duo, ESCRITORIO)
    duo.wait_for_page(url=duo.server_url.rstrip("/") + ruta)
    duo.wait_for_text_to_equal("h1", encabezado)
    duo.wait_for_contains_text("#banda-version", "v0006")


def _fuera_de_pantalla(duo) -> dict:
    return duo.driver.execute_script(
        """
        const fuera = [...document.querySelectorAll('#react-entry-point *')]
            .filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > 376)
            .map((e) => e.tagName + '.' + e.className);
        return {ancho: document.documentElement.scrollWidth, fuera: fuera};
        """
    )


@pytest.mark.parametrize("ruta", list(PAGINAS))
def test_pagina_accesible_y_sin_errores(tablero, ruta):
    _abrir(tablero, ruta, PAGINAS[ruta])
    nombre = ruta.strip("/") + "-ejemplo"
    for ancho in (ESCRITORIO, TELEFONO):
        _ancho(tablero, ancho)
        violaciones, informe = _axe(tablero)
        assert violaciones == [], f"axe-core a {ancho} px en {ruta}:\n{informe}"
        _captura(tablero, nombre, ancho)
    _ancho(tablero, TELEFONO)
    medidas = _fuera_de_pantalla(tablero)
    assert medidas["ancho"] <= TELEFONO and medidas["fuera"] == [], medidas
    assert tablero.get_logs() == []


def test_descarga_desde_el_navegador_y_selector_de_version(tablero):
    _abrir(tablero, "/datos", "Datos abiertos")
    enlace = tablero.find_element("a[data-capa='municipios'][data-formato='csv']")
    href = enlace.get_attribute("href")
    assert href.endswith("/descargas/municipios.csv?version=v0006")
    respuesta = tablero.driver.execute_async_script(
        """
        const listo = arguments[arguments.length - 1];
        fetch(arguments[0]).then(async (r) => listo({
            estado: r.status,
            tipo: r.headers.get('Content-Type'),
            version: r.headers.get('X-Sigue-Version'),
            primera: (await r.text()).split('\\n')[0],
        })).catch((e) => listo({error: String(e)}));
        """,
        href,
    )
    assert respuesta["estado"] == 200, respuesta
    assert respuesta["tipo"] == "text/csv; charset=utf-8"
    assert respuesta["version"] == "v0006"
    assert respuesta["primera"].startswith(
        "cvegeo,municipio,anio,alumnos_inscritos,alumnos_atendidos,cobertura,"
    )

    # Elegir una versión anterior cambia la URL y los enlaces, sin recargar la página.
    tablero.driver.execute_script("window.__sin_recarga = true")
    tablero.find_element("#versiones a[href='/datos?version=v0003']").click()
    tablero.wait_for_contains_text("h2", "Descargas de la versión v0003")
    assert tablero.driver.current_url.endswith("/datos?version=v0003")
    assert tablero.driver.execute_script("return window.__sin_recarga") is True
    enlace = tablero.find_element("a[data-capa='escuelas'][data-formato='geojson']")
    assert enlace.get_attribute("href").endswith("/descargas/escuelas.geojson?version=v0003")
    estado = tablero.driver.execute_async_script(
        """
        const listo = arguments[arguments.length - 1];
        fetch(arguments[0]).then((r) => r.json().then((j) => listo([r.status, j.type,
            j.metadata.version]))).catch((e) => listo([String(e)]));
        """,
        enlace.get_attribute("href"),
    )
    assert estado == [200, "FeatureCollection", "v0003"]
    _captura(tablero, "datos-version-anterior", TELEFONO)
    assert tablero.get_logs() == []
