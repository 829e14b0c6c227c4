"""Pruebas de extremo a extremo en Chromium sin pantalla (``dash[testing]`` + selenium).

Se corren aparte: ``python -m pytest tests/navegador -m navegador -p no:cacheprovider``.
Necesitan Chromium y su chromedriver (Debian: ``apt-get install -y chromium chromium-driver``)
y ``axe-selenium-python`` (trae axe-core 3.1; ``SIGUE_AXE=/ruta/axe.min.js`` usa otro, p. ej.
el del paquete npm ``axe-core`` 4.x). Sin red: todo (Dash, axe-core) se sirve o inyecta
localmente. Las capturas quedan en ``capturas/`` en la raíz del repositorio.
"""

from __future__ import annotations

import os
import shutil

import pytest

#: Chromium que se usa; ``SIGUE_CHROMIUM`` lo cambia.
CHROMIUM = os.environ.get("SIGUE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

#: Banderas para Chromium sin pantalla como root y sin red (nada de tráfico en segundo plano).
BANDERAS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--force-device-scale-factor=1",
    "--hide-scrollbars",
    "--lang=es-MX",
    "--window-size=1280,900",
    # Los mapas (MapLibre) necesitan WebGL: sin GPU, Chromium lo da con SwiftShader solo así.
    "--enable-unsafe-swiftshader",
]


def pytest_setup_options():
    """Opciones de Chromium para el ``dash_duo`` de ``dash[testing]``."""
    from selenium.webdriver.chrome.options import Options

    opciones = Options()
    opciones.binary_location = CHROMIUM
    for bandera in BANDERAS:
        opciones.add_argument(bandera)
    return opciones


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
