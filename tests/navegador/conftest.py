"""Pruebas de extremo a extremo en Chromium sin pantalla (``dash[testing]`` + selenium).

Se corren aparte, con el complemento de ``dash[testing]`` (la suite rápida lo apaga):
``python -m pytest -p dash.testing.plugin -m navegador -n 0 tests/navegador``.
Necesitan Chromium y su chromedriver (Debian: ``apt-get install -y chromium chromium-driver``)
y ``axe-selenium-python`` (trae axe-core 3.1; ``SIGUE_AXE=/ruta/axe.min.js`` usa otro, p. ej.
el del paquete npm ``axe-core`` 4.x). Sin red: todo (Dash, axe-core) se sirve o inyecta
localmente. Las capturas quedan en ``capturas/`` en la raíz del repositorio.
"""

from __future__ import annotations

import shutil
import socket

import pytest
from dash.testing.application_runners import ThreadedRunner
from dash.testing.composite import DashComposite

from tablero.app import crear_app
from tests.navegador.chromium import CHROMIUM, opciones_chromium


def pytest_setup_options():
    """Opciones de Chromium para el ``dash_duo`` de ``dash[testing]``."""
    return opciones_chromium()


@pytest.fixture(scope="session", autouse=True)
def _navegador_instalado():
    """Falla con un mensaje claro (no se salta) si falta algo: un CI sin navegador no pasa."""
    faltan = [
        f"{nombre} (apt-get install -y chromium chromium-driver)"
        for nombre, ruta in (("chromium", CHROMIUM), ("chromedriver", "chromedriver"))
        if not shutil.which(ruta)
    ]
    try:
        import axe_selenium_python  # noqa: F401
    except ImportError:
        faltan.append("axe-selenium-python (pip install axe-selenium-python)")
    if faltan:
        pytest.fail("Faltan para las pruebas en navegador: " + "; ".join(faltan), pytrace=False)


def puerto_libre() -> int:
    """Un puerto libre de 127.0.0.1 para el servidor de una prueba."""
    with socket.socket() as prueba:
        prueba.bind(("127.0.0.1", 0))
        return prueba.getsockname()[1]


@pytest.fixture(scope="module")
def tablero(request, raiz_ejemplo, tmp_path_factory):
    """Un ``dash_duo`` para todo el módulo: el tablero sobre el almacén de ejemplo."""
    with (
        ThreadedRunner() as servidor,
        DashComposite(
            server=servidor,
            browser=request.config.getoption("webdriver"),
            remote=request.config.getoption("remote"),
            remote_url=request.config.getoption("remote_url"),
            headless=request.config.getoption("headless"),
            options=request.config.hook.pytest_setup_options(),
            download_path=str(tmp_path_factory.mktemp("descargas")),
            percy_assets_root=request.config.getoption("percy_assets"),
            percy_finalize=request.config.getoption("nopercyfinalize"),
            pause=request.config.getoption("pause"),
        ) as duo,
    ):
        duo.start_server(crear_app(raiz_ejemplo), port=puerto_libre())
        duo.driver.set_script_timeout(60)
        yield duo
