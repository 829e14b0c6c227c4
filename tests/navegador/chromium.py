"""Chromium sin pantalla para las pruebas de navegador y las mediciones (``benchmarks/``).

Las mismas banderas en ``tests/navegador/conftest.py``, ``benchmarks/primera_carga.py`` y
``benchmarks/usuarios.py``: como root y sin red (nada de tráfico en segundo plano).
"""

from __future__ import annotations

import os
import shutil

#: Chromium que se usa; ``SIGUE_CHROMIUM`` lo cambia.
CHROMIUM = os.environ.get("SIGUE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

#: Banderas para Chromium sin pantalla (el tamaño de la ventana va aparte).
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
    # Los mapas (MapLibre) necesitan WebGL: sin GPU, Chromium lo da con SwiftShader solo así.
    "--enable-unsafe-swiftshader",
]


def opciones_chromium(ancho: int = 1280, alto: int = 900):
    """``Options`` de selenium con :data:`CHROMIUM`, :data:`BANDERAS` y la ventana dada."""
    from selenium.webdriver.chrome.options import Options

    opciones = Options()
    opciones.binary_location = CHROMIUM
    for bandera in [*BANDERAS, f"--window-size={ancho},{alto}"]:
        opciones.add_argument(bandera)
    return opciones
