"""Medición: el mapa de la página de inicio frente a un mapa «ingenuo», en la misma corrida.

Qué mide, para los dos enfoques:

(a) bytes comprimidos (``Accept-Encoding: br, gzip``) de la primera carga de ``/``: el HTML,
    las hojas de estilo, los paquetes de JavaScript (los del HTML y los que el navegador pide
    después: ``async-graph``, ``async-dropdown``, ``plotly.min.js``, ``async-community`` de AG
    Grid, los mismos que pide Chromium), ``/_dash-layout``, ``/_dash-dependencies`` y las
    respuestas de los callbacks que el navegador llama al abrir. Meta: ≤ 3 MB.
(b) bytes comprimidos de la respuesta de una actualización del mapa (otro indicador u otro
    ciclo). Meta: ≤ 25 KB.
(c) tiempo de servidor por actualización, p50 y p95. Meta: p95 ≤ 100 ms.

- **Tablero**: la página ``/`` de :func:`tablero.app.crear_app`: la geometría simplificada va
  una sola vez en el *layout*; cada cambio devuelve un ``dash.Patch`` con valores y textos.
- **Ingenuo**: una aplicación Dash mínima (aquí abajo, :func:`crear_app_ingenua`) cuyo callback
  arma en cada cambio un ``plotly.express.choropleth_map`` con la geometría de resolución
  completa (``ingesta.geografia.municipios().completos``) y devuelve la figura entera.

Las dos se sirven con la misma compresión (Flask-Compress, brotli y gzip). Por omisión con el
cliente de pruebas de Flask, en el mismo proceso (el tiempo es el de atender la petición:
Dash, capas, JSON y compresión); con ``--gunicorn`` con un gunicorn de verdad en 127.0.0.1
(un proceso, 4 hilos; el tiempo incluye la red local).

Uso::

    python benchmarks/mapa.py [--datos DIR] [--actualizaciones 100] [--ingenuas 20] [--gunicorn]

Sin ``--datos`` carga los datos de ejemplo en una carpeta temporal (unos 6 s; se borra al
terminar). Las
actualizaciones recorren indicador y ciclo en orden fijo (la misma secuencia para los dos
enfoques); el ingenuo hace menos porque cada una tarda segundos. No es una prueba: no falla,
imprime una tabla.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import dash
import flask
from dash import Input, Output, dcc, html
from flask_compress import Compress

RAIZ_REPO = Path(__file__).resolve().parents[1]
if str(RAIZ_REPO) not in sys.path:
    sys.path.insert(0, str(RAIZ_REPO))

import capas  # noqa: E402
from almacen.versiones import Almacen  # noqa: E402
from tablero.app import CONFIG_COMPRESION, crear_app  # noqa: E402
from tablero.figuras.inicio import INDICADORES  # noqa: E402

ACEPTA = {"Accept-Encoding": "br, gzip"}

#: Trozos de JavaScript que el navegador pide después del HTML para esta página (observados
#: en Chromium: gráficas, listas desplegables, plotly.js y AG Grid).
ASINCRONOS = {
    "tablero": [
        "/_dash-component-suites/dash/dcc/async-graph.js",
        "/_dash-component-suites/dash/dcc/async-dropdown.js",
        "/_dash-component-suites/plotly/package_data/plotly.min.js",
        "/_dash-component-suites/dash_ag_grid/async-community.js",
    ],
    "ingenuo": [
        "/_dash-component-suites/dash/dcc/async-graph.js",
        "/_dash-component-suites/dash/dcc/async-dropdown.js",
        "/_dash-component-suites/plotly/package_data/plotly.min.js",
    ],
}

#: Metas del tablero.
META_PRIMERA_CARGA = 3_000_000
META_ACTUALIZACION = 25_000
META_P95_MS = 100


# --- el enfoque ingenuo ---------------------------------------------------------------------


def crear_app_ingenua(raiz: str | os.PathLike | None = None) -> dash.Dash:
    """Aplicación ingenua: cada cambio arma y manda el mapa entero con la geometría completa.

    Es lo que el tablero evita (``DISENO.md``, principio 5). Sin ``raiz``, ``SIGUE_DATOS``.
    """
    import plotly.express as px

    from ingesta.geografia import municipios

    raiz = str(raiz or os.environ["SIGUE_DATOS"])
    completos = municipios().completos
    geojson = json.loads(completos[["cvegeo", "geometry"]].to_json(drop_id=True))
    oeste, sur, este, norte = completos.total_bounds
    centro = {"lat": (sur + norte) / 2, "lon": (oeste + este) / 2}
    app = dash.Dash(__name__, serve_locally=True, compress=False, assets_folder="/nonexistent")
    app.server.config.update(CONFIG_COMPRESION)
    Compress(app.server)
    datos = capas.abrir(raiz)
    anios = [int(a) for a in capas.tabla_estado(datos)["anio"]]
    app.layout = html.Div(
        [
            dcc.Dropdown(id="indicador", options=list(INDICADORES), value="cobertura"),
            dcc.Dropdown(id="anio", options=anios, value=max(anios)),
            dcc.Graph(id="mapa"),
        ]
    )

    @app.callback(Output("mapa", "figure"), Input("indicador", "value"), Input("anio", "value"))
    def mapa(indicador, anio):
        tabla = capas.tabla_municipios(capas.abrir(raiz), anio=int(anio))
        return px.choropleth_map(
            tabla,
            geojson=geojson,
            locations="cvegeo",
            featureidkey="properties.cvegeo",
            color=indicador,
            hover_name="municipio",
            color_continuous_scale="Cividis",
            map_style="white-bg",
            center=centro,
            zoom=6.1,
        )

    return app


def servidor_ingenuo() -> flask.Flask:
    """Servidor WSGI de la aplicación ingenua (para ``gunicorn 'mapa:servidor_ingenuo()'``)."""
    return crear_app_ingenua().server


# --- clientes: el de pruebas de Flask o HTTP contra gunicorn --------------------------------


@dataclass
class Respuesta:
    estado: int
    cuerpo: bytes
    segundos: float


class ClienteFlask:
    """Peticiones con el cliente de pruebas de Flask (mismo proceso)."""

    def __init__(self, servidor: flask.Flask):
        self._cliente = servidor.test_client()

    def pedir(self, metodo: str, ruta: str, cuerpo: dict | None = None) -> Respuesta:
        inicio = time.perf_counter()
        r = self._cliente.open(ruta, method=metodo, json=cuerpo, headers=ACEPTA)
        datos = r.get_data()
        return Respuesta(r.status_code, datos, time.perf_counter() - inicio)

    def cerrar(self) -> None:
        pass


class ClienteHttp:
    """Peticiones HTTP a un gunicorn en 127.0.0.1 (lo arranca y lo detiene)."""

    def __init__(self, objetivo: str, raiz: Path, pythonpath: list[str]):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.puerto = s.getsockname()[1]
        entorno = dict(os.environ, SIGUE_DATOS=str(raiz))
        entorno["PYTHONPATH"] = os.pathsep.join([*pythonpath, entorno.get("PYTHONPATH", "")])
        self._proceso = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.puerto}",
                "--workers",
                "1",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--timeout",
                "120",
                objetivo,
            ],
            env=entorno,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        limite = time.monotonic() + 120
        while time.monotonic() < limite:
            try:
                if self.pedir("GET", "/_dash-dependencies").estado == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.cerrar()
        raise RuntimeError(f"gunicorn ({objetivo}) no respondió en 120 s")

    def pedir(self, metodo: str, ruta: str, cuerpo: dict | None = None) -> Respuesta:
        conexion = http.client.HTTPConnection("127.0.0.1", self.puerto, timeout=120)
        encabezados = dict(ACEPTA)
        datos = None
        if cuerpo is not None:
            datos = json.dumps(cuerpo).encode()
            encabezados["Content-Type"] = "application/json"
        inicio = time.perf_counter()
        conexion.request(metodo, ruta, body=datos, headers=encabezados)
        r = conexion.getresponse()
        contenido = r.read()
        segundos = time.perf_counter() - inicio
        conexion.close()
        return Respuesta(r.status, contenido, segundos)

    def cerrar(self) -> None:
        self._proceso.terminate()
        try:
            self._proceso.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proceso.kill()


# --- mediciones -----------------------------------------------------------------------------


def primera_carga(cliente, asincronos: list[str], llamadas: list[dict]) -> dict[str, int]:
    """Bytes comprimidos de todo lo que el navegador pide al abrir ``/``, por grupo."""
    grupos: dict[str, int] = {}
    html_ = cliente.pedir("GET", "/")
    assert html_.estado == 200, html_.estado
    grupos["HTML"] = len(html_.cuerpo)
    texto = _descomprimir(html_.cuerpo).decode()
    recursos = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/[^"]+)"', texto)
    for ruta in recursos + asincronos:
        r = cliente.pedir("GET", ruta)
        assert r.estado == 200, (ruta, r.estado)
        grupo = "JS" if ".js" in ruta else "CSS e icono"
        grupos[grupo] = grupos.get(grupo, 0) + len(r.cuerpo)
    for ruta in ("/_dash-layout", "/_dash-dependencies"):
        grupos["layout y dependencias"] = grupos.get("layout y dependencias", 0) + len(
            cliente.pedir("GET", ruta).cuerpo
        )
    for cuerpo in llamadas:
        r = cliente.pedir("POST", "/_dash-update-component", cuerpo)
        assert r.estado == 200, (cuerpo["output"], r.estado, r.cuerpo[:300])
        grupos["callbacks iniciales"] = grupos.get("callbacks iniciales", 0) + len(r.cuerpo)
        # la base del mapa de la portada va en su propia URL (una vez por versión, caché larga)
        respuesta = json.loads(_descomprimir(r.cuerpo)).get("response", {})
        base = (respuesta.get("inicio-mapa-datos") or {}).get("data", {}).get("base")
        if base:
            grupos["base del mapa"] = len(cliente.pedir("GET", base).cuerpo)
    return grupos


def _descomprimir(cuerpo: bytes) -> bytes:
    import gzip

    import brotli

    for funcion in (brotli.decompress, gzip.decompress):
        try:
            return funcion(cuerpo)
        except Exception:  # noqa: BLE001 - se prueba el siguiente formato
            continue
    return cuerpo


def llamadas_iniciales_tablero(anio: int) -> list[dict]:
    """Callbacks de servidor que Chromium llama al abrir ``/``: la página, el mapa y la banda.

    ``anio`` es el ciclo que la página eligió (el callback del mapa lo lee del selector).
    """
    return [
        {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": "/"},
                {"id": "_pages_location", "property": "search", "value": ""},
            ],
            "changedPropIds": ["_pages_location.pathname"],
            "state": [],
        },
        {
            # el mapa llega en su propio callback, después de la página (cifras primero)
            "output": "inicio-mapa-datos.data",
            "outputs": {"id": "inicio-mapa-datos", "property": "data"},
            "inputs": [{"id": "inicio-version", "property": "data", "value": None}],
            "changedPropIds": [],
            "state": [
                {"id": "inicio-indicador", "property": "value", "value": "cobertura"},
                {"id": "inicio-anio", "property": "value", "value": anio},
                {"id": "inicio-entidad", "property": "data", "value": None},
            ],
        },
        {
            "output": "banda-version.children",
            "outputs": {"id": "banda-version", "property": "children"},
            "inputs": [{"id": "ubicacion", "property": "pathname", "value": "/"}],
            "changedPropIds": ["ubicacion.pathname"],
            "state": [],
        },
    ]


def cuerpo_tablero(salida: str, indicador: str, anio: int, cambio: str) -> dict:
    """Petición del callback del mapa del tablero (``actualizar_mapa``), como la del navegador."""
    return {
        "output": salida,
        "outputs": _salidas(salida),
        "inputs": [
            {"id": "inicio-indicador", "property": "value", "value": indicador},
            {"id": "inicio-anio", "property": "value", "value": anio},
        ],
        "changedPropIds": [cambio],
        # La página guarda la versión con que se abrió; None = la versión servida. La entidad
        # (modo nacional) es un estado opcional: Dash lo manda vacío.
        "state": [
            {"id": "inicio-version", "property": "data", "value": None},
            {"id": "inicio-entidad", "property": "data", "value": None},
        ],
    }


def _salidas(salida: str) -> list[dict]:
    """``"..a.figure@x...b.children.."`` -> ``[{id: a, property: figure@x}, {id: b, ...}]``."""
    partes = salida.strip(".").split("...")
    return [dict(zip(("id", "property"), parte.split(".", 1), strict=True)) for parte in partes]


def cuerpo_ingenuo(indicador: str, anio: int, cambio: str) -> dict:
    return {
        "output": "mapa.figure",
        "outputs": {"id": "mapa", "property": "figure"},
        "inputs": [
            {"id": "indicador", "property": "value", "value": indicador},
            {"id": "anio", "property": "value", "value": anio},
        ],
        "changedPropIds": [cambio],
        "state": [],
    }


def secuencia(anios: list[int], n: int) -> list[tuple[str, int, str]]:
    """``n`` cambios alternando indicador y ciclo: ``(indicador, anio, propiedad cambiada)``."""
    combinaciones = itertools.cycle(itertools.product(anios, list(INDICADORES)))
    cambios = []
    anterior = None
    for anio, indicador in itertools.islice(combinaciones, n):
        cambio = (
            "inicio-anio.value" if anterior and anterior[0] != anio else "inicio-indicador.value"
        )
        cambios.append((indicador, anio, cambio))
        anterior = (anio, indicador)
    return cambios


def actualizaciones(cliente, cuerpos: list[dict]) -> tuple[list[int], list[float]]:
    tamanos, tiempos = [], []
    for cuerpo in cuerpos:
        r = cliente.pedir("POST", "/_dash-update-component", cuerpo)
        assert r.estado == 200, (r.estado, r.cuerpo[:300])
        tamanos.append(len(r.cuerpo))
        tiempos.append(r.segundos * 1000)
    return tamanos, tiempos


def percentil(valores: list[float], p: float) -> float:
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, max(0, round(p / 100 * len(ordenados) + 0.5) - 1))]


def _kb(n: float) -> str:
    return f"{n / 1000:,.1f} kB"


def _mb(n: float) -> str:
    return f"{n / 1e6:,.2f} MB"


# --- programa -------------------------------------------------------------------------------


def main() -> None:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--datos", help="almacén ya cargado (sin él: datos de ejemplo)")
    analizador.add_argument("--actualizaciones", type=int, default=100)
    analizador.add_argument("--ingenuas", type=int, default=20)
    analizador.add_argument("--gunicorn", action="store_true", help="servir con gunicorn")
    args = analizador.parse_args()

    temporal = None if args.datos else tempfile.TemporaryDirectory(prefix="bench-mapa-")
    try:
        _medir(Path(args.datos) if args.datos else Path(temporal.name) / "datos", args)
    finally:
        if temporal is not None:
            temporal.cleanup()


def _medir(raiz: Path, args: argparse.Namespace) -> None:
    if Almacen(raiz).id_actual() is None:
        inicio = time.perf_counter()
        from ingesta.carga import cargar_ejemplo

        cargar_ejemplo(raiz, cache=raiz.parent / (raiz.name + "-cache"))
        print(f"Datos de ejemplo cargados en {time.perf_counter() - inicio:.1f} s")
    anios = [int(a) for a in capas.tabla_estado(capas.abrir(raiz))["anio"]]

    if args.gunicorn:
        tablero = ClienteHttp("tablero.wsgi:server", raiz, [str(RAIZ_REPO)])
        try:
            ingenuo = ClienteHttp(
                "mapa:servidor_ingenuo()", raiz, [str(RAIZ_REPO), str(Path(__file__).parent)]
            )
        except Exception:
            tablero.cerrar()
            raise
        salida = _salida_mapa(tablero)
    else:
        app = crear_app(raiz)
        tablero = ClienteFlask(app.server)
        tablero.pedir("GET", "/")  # registra los callbacks de las páginas en esta aplicación
        salida = _salida_mapa(tablero)
        ingenuo = ClienteFlask(crear_app_ingenua(raiz).server)
    modo = "gunicorn en 127.0.0.1" if args.gunicorn else "cliente de pruebas de Flask"
    print(f"Servidor: {modo}; datos en {raiz}")

    try:
        carga_tablero = primera_carga(
            tablero, ASINCRONOS["tablero"], llamadas_iniciales_tablero(max(anios))
        )
        cuerpo_inicial = cuerpo_ingenuo("cobertura", max(anios), "indicador.value")
        carga_ingenua = primera_carga(ingenuo, ASINCRONOS["ingenuo"], [cuerpo_inicial])

        # calentar: primera lectura de cada ciclo (Parquet, cálculos en caché por versión)
        calentar = secuencia(anios, len(anios) * len(INDICADORES))
        actualizaciones(tablero, [cuerpo_tablero(salida, i, a, c) for i, a, c in calentar])
        actualizaciones(ingenuo, [cuerpo_ingenuo(i, a, c) for i, a, c in calentar[:2]])

        cambios = secuencia(anios, args.actualizaciones)
        tam_t, t_t = actualizaciones(tablero, [cuerpo_tablero(salida, *c) for c in cambios])
        cambios_ing = secuencia(anios, args.ingenuas)
        tam_i, t_i = actualizaciones(
            ingenuo, [cuerpo_ingenuo(i, a, c.replace("inicio-", "")) for i, a, c in cambios_ing]
        )
    finally:
        tablero.cerrar()
        ingenuo.cerrar()

    total_t, total_i = sum(carga_tablero.values()), sum(carga_ingenua.values())
    filas = [
        ("(a) primera carga de / (comprimida)", _mb(total_t), _mb(total_i), "≤ 3 MB"),
        *[
            (f"    {grupo}", _kb(carga_tablero.get(grupo, 0)), _kb(carga_ingenua.get(grupo, 0)), "")
            for grupo in sorted(set(carga_tablero) | set(carga_ingenua))
        ],
        (
            "(b) una actualización del mapa (máx.)",
            _kb(max(tam_t)),
            _kb(max(tam_i)),
            "≤ 25 kB",
        ),
        ("    mediana", _kb(statistics.median(tam_t)), _kb(statistics.median(tam_i)), ""),
        (
            "(c) tiempo por actualización p50",
            f"{percentil(t_t, 50):,.0f} ms",
            f"{percentil(t_i, 50):,.0f} ms",
            "",
        ),
        (
            "    p95",
            f"{percentil(t_t, 95):,.0f} ms",
            f"{percentil(t_i, 95):,.0f} ms",
            "≤ 100 ms",
        ),
        ("    actualizaciones medidas", str(len(t_t)), str(len(t_i)), ""),
    ]
    anchos = [
        max(len(f[i]) for f in filas + [("", "tablero", "ingenuo", "meta")]) for i in range(4)
    ]
    encabezado = ("", "tablero", "ingenuo", "meta")
    print()
    for fila in [encabezado, tuple("-" * a for a in anchos), *filas]:
        print(
            f"{fila[0]:<{anchos[0]}}  {fila[1]:>{anchos[1]}}  {fila[2]:>{anchos[2]}}  "
            f"{fila[3]:<{anchos[3]}}"
        )
    cumple = (
        total_t <= META_PRIMERA_CARGA
        and max(tam_t) <= META_ACTUALIZACION
        and percentil(t_t, 95) <= META_P95_MS
    )
    print()
    print("El tablero cumple las tres metas." if cumple else "El tablero NO cumple alguna meta.")


def _salida_mapa(cliente) -> str:
    """Id del callback del mapa (lleva un sufijo por ``allow_duplicate``)."""
    dependencias = json.loads(_descomprimir(cliente.pedir("GET", "/_dash-dependencies").cuerpo))
    for dependencia in dependencias:
        if dependencia["output"].startswith("..inicio-mapa.figure@"):
            return dependencia["output"]
    raise RuntimeError("No se encontró el callback del mapa de inicio en /_dash-dependencies")


if __name__ == "__main__":
    main()
