"""Medición: la primera carga de ``/`` en Chromium sin pantalla, en frío y en un teléfono lento.

Qué mide:

(0) **Revalidar** (``If-None-Match`` → 304) plotly.js y ``dash_core_components``: CPU por
    petición en este proceso (``app.server.test_client()``). Meta: ≤ 5 ms.

Y con el tablero servido por gunicorn (2 procesos × 4 hilos, como en producción) en
127.0.0.1 sobre los datos de ejemplo:

(a) **Peso en frío**: bytes transferidos (cuerpo comprimido y cabeceras, ``transferSize`` de
    Resource Timing) al abrir ``/`` con la caché vacía, hasta que el mapa está dibujado y la
    red lleva 2 s quieta; con el desglose por recurso. Meta: ≤ 1 MB. Sin el service worker
    (:func:`sin_service_worker`): lo que él pide, Resource Timing lo cuenta con 0 bytes.
(b) **Teléfono lento** (DevTools: ``Network.emulateNetworkConditions`` 1.6 Mbps de bajada,
    750 kbps de subida, 150 ms de latencia; ``Emulation.setCPUThrottlingRate`` 4; ventana de
    412 px), caché vacía: milisegundos desde el inicio de la navegación hasta que

    - se ven los números (meta: ≤ 3 s): las tarjetas de la vista previa del HTML
      (``#sigue-previo .indicadores``, ver ``tablero/previo.py``) o ``#inicio-cifras`` de la
      página tienen cifras y se ven; aparte, cuándo se ven las de la página de Dash
      (``#inicio-cifras``, «cifras de Dash»);
    - se ve el mapa: ``#inicio-mapa .js-plotly-plot`` con ``_fullLayout.map`` y su lienzo
      ``canvas.maplibregl-canvas``, y el mapa de MapLibre terminó de cargar
      (``map.loaded()``) (meta: ≤ 8 s).

    Un observador instalado antes de que cargue la página (``Page.addScriptToEvaluateOnNewDocument``)
    anota ``performance.now()`` la primera vez que se cumple cada condición.

Uso::

    python benchmarks/primera_carga.py [--datos DIR] [--puerto 8204] [--repeticiones 3]
    python benchmarks/primera_carga.py --url http://127.0.0.1:8050/   # un servidor ya en marcha

Sin ``--datos`` carga los datos de ejemplo en una carpeta temporal (se borra al terminar). El
tablero que se sirve es el que importa este Python (``PYTHONPATH``): para comparar con otra
rama, córralo con ``PYTHONPATH=/ruta/de/la/otra/rama``. Necesita ``chromium`` y
``chromedriver`` (Debian: ``apt-get install chromium chromium-driver``). No es una prueba:
imprime tablas; con la máquina cargada los tiempos crecen (el peso no).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

if str(Path(__file__).resolve().parents[1]) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.navegador.chromium import opciones_chromium  # noqa: E402

#: Red del «teléfono lento» (bytes por segundo) y multiplicador de CPU.
BAJADA = 1_600_000 / 8
SUBIDA = 750_000 / 8
LATENCIA_MS = 150
CPU_LENTA = 4

#: Corre en cada página antes que sus scripts: anota cuándo se ven los números y el mapa.
OBSERVADOR = """
(function () {
  window.__sigue = {};
  function visible(el) {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }
  function revisar() {
    const t = window.__sigue;
    const cifras = document.querySelector('#inicio-cifras');
    if (t.numeros_app === undefined && visible(cifras) && /\\d/.test(cifras.textContent)) {
      t.numeros_app = performance.now();
    }
    // Las cifras de la vista previa del HTML (tablero/previo.py) o las de la página.
    const previas = document.querySelector('#sigue-previo .indicadores');
    if (t.numeros === undefined && ((visible(previas) && /\\d/.test(previas.textContent))
        || t.numeros_app !== undefined)) {
      t.numeros = performance.now();
    }
    const gd = document.querySelector('#inicio-mapa .js-plotly-plot');
    if (t.mapa === undefined && gd && gd._fullLayout && gd._fullLayout.map
        && gd.querySelector('canvas.maplibregl-canvas')) {
      const sub = gd._fullLayout.map._subplot;
      if (sub && sub.map && sub.map.loaded()) t.mapa = performance.now();
    }
    if (t.numeros_app === undefined || t.mapa === undefined) requestAnimationFrame(revisar);
  }
  requestAnimationFrame(revisar);
})();
"""

TRANSFERENCIAS = """
const entradas = performance.getEntriesByType('navigation')
  .concat(performance.getEntriesByType('resource'));
return entradas.map(e => [e.name, e.transferSize, e.encodedBodySize, e.initiatorType]);
"""


def navegador(ancho: int = 1280, alto: int = 900) -> webdriver.Chrome:
    """Chromium sin pantalla con un perfil nuevo (caché vacía)."""
    opciones = opciones_chromium(ancho, alto)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opciones)


def sin_service_worker(driver) -> None:
    """Que todo pase por la red de la página (``Network.setBypassServiceWorker``).

    En la primera visita el service worker se instala y reclama la página (``clients.claim``):
    desde ahí las peticiones que intercepta (la base del mapa, los callbacks) las hace él, y
    Resource Timing de la página las cuenta con 0 bytes, y la regulación de red de DevTools
    de la página no las frena. Sin él se cuenta y se regula todo lo que baja la página (el
    service worker baja además sus íconos, unos 4 kB).
    """
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBypassServiceWorker", {"bypass": True})


def esperar(driver, condicion: str, limite: float = 300.0) -> None:
    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        if driver.execute_script(condicion):
            return
        time.sleep(0.2)
    raise TimeoutError(f"no se cumplió: {condicion}")


def red_quieta(driver, quieta: float = 2.0, limite: float = 120.0) -> None:
    """Espera a que no aparezcan recursos nuevos durante ``quieta`` segundos."""
    fin = time.monotonic() + limite
    antes, desde = -1, time.monotonic()
    while time.monotonic() < fin:
        n = driver.execute_script("return performance.getEntriesByType('resource').length")
        if n != antes:
            antes, desde = n, time.monotonic()
        elif time.monotonic() - desde >= quieta:
            return
        time.sleep(0.25)


def peso_en_frio(url: str) -> list[tuple[str, int, int, str]]:
    """Recursos transferidos al abrir ``url`` con la caché vacía."""
    driver = navegador()
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": OBSERVADOR})
        sin_service_worker(driver)
        driver.get(url)
        esperar(driver, "return window.__sigue && window.__sigue.mapa !== undefined")
        red_quieta(driver)
        return [tuple(e) for e in driver.execute_script(TRANSFERENCIAS)]
    finally:
        driver.quit()


def telefono_lento(url: str) -> dict[str, float]:
    """Milisegundos hasta ver los números y el mapa, con red y CPU de un teléfono lento."""
    driver = navegador(412, 915)
    try:
        sin_service_worker(driver)  # que la regulación frene también la base del mapa
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCIA_MS,
                "downloadThroughput": BAJADA,
                "uploadThroughput": SUBIDA,
            },
        )
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": CPU_LENTA})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": OBSERVADOR})
        driver.set_page_load_timeout(300)
        driver.get(url)
        esperar(driver, "return window.__sigue && window.__sigue.mapa !== undefined", 300)
        esperar(driver, "return window.__sigue.numeros_app !== undefined", 60)
        tiempos = driver.execute_script("return window.__sigue")
        total = sum(e[1] for e in driver.execute_script(TRANSFERENCIAS))
        return {
            "numeros": tiempos["numeros"],
            "numeros_app": tiempos["numeros_app"],
            "mapa": tiempos["mapa"],
            "bytes": total,
        }
    finally:
        driver.quit()


def costo_304(datos: Path, repeticiones: int = 20) -> dict[str, float | None]:
    """Milisegundos de CPU (mediana) de revalidar (304) los JavaScript grandes de ``/``.

    En este proceso, con ``app.server.test_client()``: la URL de plotly.js que usa el
    navegador (la de ``<meta name="sigue-plotly">`` si está, si no la de Dash) y el paquete
    de ``dash_core_components``, con el ETag de la primera respuesta.
    """
    import re

    from tablero.app import crear_app

    app = crear_app(datos)
    cliente = app.server.test_client()
    indice = cliente.get("/").get_data(as_text=True)
    meta = re.search(r'<meta name="sigue-plotly" content="([^"]+)"', indice)
    urls = {
        "plotly.js": meta.group(1)
        if meta
        else "/_dash-component-suites/plotly/package_data/plotly.min.js",
        "dash_core_components": next(
            u for u in re.findall(r'<script src="([^"]+)"', indice) if "dash_core_components." in u
        ),
    }
    cabeceras = {"Accept-Encoding": "gzip, deflate, br"}
    resultado = {}
    for nombre, url in urls.items():
        etag = cliente.get(url, headers=cabeceras).headers.get("ETag")
        if etag is None:  # sin ETag no hay 304 (p. ej. Dash con huella, sin cambios)
            resultado[nombre] = None
            continue
        tiempos = []
        for _ in range(repeticiones):
            inicio = time.process_time()
            respuesta = cliente.get(url, headers={**cabeceras, "If-None-Match": etag})
            tiempos.append(time.process_time() - inicio)
            assert respuesta.status_code == 304, (url, respuesta.status_code)
        resultado[nombre] = statistics.median(tiempos) * 1e3
    return resultado


def levantar(datos: Path, puerto: int) -> subprocess.Popen:
    """gunicorn con el tablero en ``puerto`` (2 procesos × 4 hilos) y espera a que responda."""
    # Sin PYTHONPATH, el tablero de este repositorio; gunicorn corre en otra carpeta para que
    # ``python -m`` no anteponga la carpeta actual (otra rama) a ``sys.path``.
    entorno = {
        **os.environ,
        "SIGUE_DATOS": str(datos),
        "PYTHONPATH": os.environ.get("PYTHONPATH") or str(Path(__file__).resolve().parents[1]),
    }
    proceso = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{puerto}",
            "--log-level",
            "warning",
            "tablero.wsgi:server",
        ],
        env=entorno,
        cwd=tempfile.gettempdir(),
        start_new_session=True,
    )
    fin = time.monotonic() + 120
    while time.monotonic() < fin:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{puerto}/", timeout=30) as r:
                if r.status == 200:
                    return proceso
        except OSError:
            time.sleep(0.5)
    proceso.kill()
    raise RuntimeError("el tablero no respondió")


def _nombre(url: str) -> str:
    ruta = url.split("//", 1)[-1].split("/", 1)[-1].split("?", 1)[0]
    return "/" + ruta


def main(argv: list[str] | None = None) -> int:
    analizador = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    analizador.add_argument("--datos", type=Path, help="carpeta del almacén (si no, ejemplo)")
    analizador.add_argument("--puerto", type=int, default=8204)
    analizador.add_argument("--url", help="medir un tablero ya en marcha en esta URL")
    analizador.add_argument("--repeticiones", type=int, default=3)
    analizador.add_argument("--json", type=Path, help="guardar los resultados en este archivo")
    analizador.add_argument(
        "--solo-304", action="store_true", help="solo (0): sin navegador ni gunicorn"
    )
    args = analizador.parse_args(argv)

    temporal = None
    proceso = None
    try:
        if args.url:
            url = args.url
        else:
            datos = args.datos
            if datos is None:
                from ingesta.carga import cargar_ejemplo

                temporal = tempfile.mkdtemp(prefix="sigue-primera-carga-")
                datos = Path(temporal) / "datos"
                print(f"Cargando los datos de ejemplo en {datos} ...", flush=True)
                cargar_ejemplo(datos, cache=Path(temporal) / "cache")
            print("\n(0) Revalidar (304), CPU por petición (mediana de 20, test_client):")
            for nombre, ms in costo_304(datos).items():
                print(f"    {nombre:22s} " + ("sin ETag" if ms is None else f"{ms:7.1f} ms"))
            if args.solo_304:
                return 0
            proceso = levantar(datos, args.puerto)
            url = f"http://127.0.0.1:{args.puerto}/"
        # Una visita de calentamiento (cachés del servidor: geometría, compresión).
        peso_en_frio(url)

        recursos = peso_en_frio(url)
        total = sum(r[1] for r in recursos)
        print(f"\n(a) Peso en frío de {url}: {total / 1e6:.2f} MB en {len(recursos)} recursos")
        for nombre, transferido, _cuerpo, tipo in sorted(recursos, key=lambda r: -r[1])[:15]:
            print(f"    {transferido / 1e3:9.1f} kB  {tipo:14s} {_nombre(nombre)}")

        corridas = [telefono_lento(url) for _ in range(args.repeticiones)]
        numeros = [c["numeros"] for c in corridas]
        numeros_app = [c["numeros_app"] for c in corridas]
        mapas = [c["mapa"] for c in corridas]
        print(
            f"\n(b) Teléfono lento ({BAJADA * 8 / 1e6:.1f} Mbps, {LATENCIA_MS} ms, CPU ×{CPU_LENTA}),"
            f" {args.repeticiones} corridas en frío:"
        )
        print(
            f"    números visibles: mediana {statistics.median(numeros) / 1e3:.1f} s "
            f"(corridas: {', '.join(f'{n / 1e3:.1f}' for n in numeros)})"
        )
        print(
            f"    (cifras de Dash:  mediana {statistics.median(numeros_app) / 1e3:.1f} s "
            f"(corridas: {', '.join(f'{n / 1e3:.1f}' for n in numeros_app)}))"
        )
        print(
            f"    mapa visible:     mediana {statistics.median(mapas) / 1e3:.1f} s "
            f"(corridas: {', '.join(f'{m / 1e3:.1f}' for m in mapas)})"
        )
        if args.json:
            args.json.write_text(
                json.dumps(
                    {"bytes_frio": total, "recursos": recursos, "telefono": corridas}, indent=2
                )
            )
    finally:
        if proceso is not None:
            os.killpg(proceso.pid, signal.SIGTERM)
            proceso.wait(timeout=30)
        if temporal:
            shutil.rmtree(temporal, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
