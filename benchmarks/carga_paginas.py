"""Medición: CPU y bytes de servidor de una carga de ``/`` y de ``/municipio`` y de sus filtros.

Reproduce, con el cliente de pruebas de Flask (mismo proceso, sin red), las peticiones que el
navegador hace al abrir la página: el callback de páginas (``_pages_content``, el *layout* de
la página) y después los callbacks de servidor que se llaman al cargar (los que no tienen
``prevent_initial_call`` y cuyas entradas están en la página). Luego un cambio de indicador y
uno de ciclo en ``/`` y uno de ciclo en ``/municipio``, con todos los callbacks que ese cambio
dispara. Se descubre todo en ``/_dash-dependencies``: sirve antes y después de cambiar cómo
se reparten los callbacks.

Imprime, por operación, la mediana de CPU del proceso (``time.process_time``: no depende de
la carga de la máquina) y de tiempo de reloj, y los bytes de las respuestas (sin comprimir y
con gzip). Con ``--perfil`` imprime además un perfil (cProfile) de una carga de ``/``.

Uso::

    python benchmarks/carga_paginas.py [--datos DIR] [--repeticiones 10] [--perfil]

Sin ``--datos`` carga los datos de ejemplo en una carpeta temporal. No es una prueba.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

RAIZ_REPO = Path(__file__).resolve().parents[1]
if str(RAIZ_REPO) not in sys.path:
    sys.path.insert(0, str(RAIZ_REPO))

from almacen.versiones import Almacen  # noqa: E402
from tablero.app import crear_app  # noqa: E402

PAGINAS = "/_dash-update-component"


def _salidas(salida: str) -> list[dict] | dict:
    """``"..a.b...c.d.."`` -> lista de ``{id, property}``; ``"a.b"`` -> un solo dict."""
    if not salida.startswith(".."):
        id_, prop = salida.split(".", 1)
        return {"id": id_, "property": prop}
    partes = salida.strip(".").split("...")
    return [dict(zip(("id", "property"), p.split(".", 1), strict=True)) for p in partes]


def _componentes(arbol, encontrados: dict) -> dict:
    """``id -> props`` de todos los componentes con ``id`` de un *layout* en JSON."""
    if isinstance(arbol, dict):
        props = arbol.get("props")
        if isinstance(props, dict) and isinstance(props.get("id"), str):
            encontrados[props["id"]] = props
        for valor in arbol.values():
            _componentes(valor, encontrados)
    elif isinstance(arbol, list):
        for valor in arbol:
            _componentes(valor, encontrados)
    return encontrados


class Navegador:
    """Lo mínimo de lo que hace el navegador con las dependencias de Dash."""

    def __init__(self, servidor):
        self.cliente = servidor.test_client()
        self.cliente.get("/")
        self.dependencias = [
            d
            for d in json.loads(self.cliente.get("/_dash-dependencies").data)
            if not d.get("clientside_function")
        ]

    def pedir(self, cuerpo: dict) -> tuple[bytes, float, float]:
        cpu, reloj = time.process_time(), time.perf_counter()
        r = self.cliente.post(PAGINAS, json=cuerpo)
        datos = r.get_data()
        cpu, reloj = time.process_time() - cpu, time.perf_counter() - reloj
        assert r.status_code in (200, 204), (cuerpo["output"], r.status_code, datos[:300])
        return datos, cpu, reloj

    def cuerpo(self, dependencia: dict, props: dict, cambio: list[str]) -> dict:
        def valor(e):
            return {**e, "value": props.get(e["id"], {}).get(e["property"])}

        return {
            "output": dependencia["output"],
            "outputs": _salidas(dependencia["output"]),
            "inputs": [valor(e) for e in dependencia["inputs"]],
            "state": [valor(e) for e in dependencia["state"]],
            "changedPropIds": cambio,
        }

    def abrir(self, ruta: str, busqueda: str = "") -> tuple[dict, list]:
        """Carga de una página: ``(props por id, [(nombre, bytes, cpu, reloj)])``."""
        cuerpo = {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": _salidas(".._pages_content.children..._pages_store.data.."),
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": ruta},
                {"id": "_pages_location", "property": "search", "value": busqueda},
            ],
            "changedPropIds": ["_pages_location.pathname"],
            "state": [],
        }
        datos, cpu, reloj = self.pedir(cuerpo)
        pasos = [("layout", datos, cpu, reloj)]
        props = _componentes(json.loads(datos), {})
        for dep in self.dependencias:
            if dep.get("prevent_initial_call"):
                continue
            ids = [e["id"] for e in dep["inputs"]]
            if not ids or not all(i in props for i in ids):
                continue
            datos, cpu, reloj = self.pedir(self.cuerpo(dep, props, []))
            pasos.append((dep["output"].strip(".").split(".")[0], datos, cpu, reloj))
            self._aplicar(props, datos)
        return props, pasos

    def cambiar(self, props: dict, id_: str, prop: str, valor) -> list:
        """Cambio de un control: todos los callbacks de servidor que lo tienen de entrada."""
        props = {k: dict(v) for k, v in props.items()}
        props.setdefault(id_, {})[prop] = valor
        pasos = []
        for dep in self.dependencias:
            if any(e["id"] == id_ and e["property"] == prop for e in dep["inputs"]):
                datos, cpu, reloj = self.pedir(self.cuerpo(dep, props, [f"{id_}.{prop}"]))
                pasos.append((dep["output"].strip(".").split(".")[0], datos, cpu, reloj))
        return pasos

    @staticmethod
    def _aplicar(props: dict, datos: bytes) -> None:
        if not datos:
            return
        respuesta = json.loads(datos).get("response", {})
        for id_, cambios in respuesta.items():
            for prop, valor in cambios.items():
                if not isinstance(valor, dict) or "__dash_patch_update" not in valor:
                    props.setdefault(id_, {})[prop] = valor


def _resumen(nombre: str, corridas: list[list]) -> None:
    cpu = [sum(p[2] for p in c) * 1000 for c in corridas]
    reloj = [sum(p[3] for p in c) * 1000 for c in corridas]
    ultima = corridas[-1]
    crudo = sum(len(p[1]) for p in ultima)
    comprimido = sum(len(gzip.compress(p[1], 6)) for p in ultima)
    print(
        f"{nombre:<34} CPU {statistics.median(cpu):7.1f} ms   reloj {statistics.median(reloj):7.1f}"
        f" ms   {crudo / 1000:8.1f} kB ({comprimido / 1000:7.1f} kB gzip)"
    )
    for paso in ultima:
        print(f"    {paso[0][:40]:<40} {paso[2] * 1000:7.1f} ms CPU  {len(paso[1]) / 1000:8.1f} kB")


def main() -> None:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--datos", help="almacén ya cargado (sin él: datos de ejemplo)")
    analizador.add_argument("--repeticiones", type=int, default=10)
    analizador.add_argument("--perfil", action="store_true", help="perfil de una carga de /")
    args = analizador.parse_args()
    temporal = None if args.datos else tempfile.TemporaryDirectory(prefix="bench-paginas-")
    raiz = Path(args.datos) if args.datos else Path(temporal.name) / "datos"
    try:
        if Almacen(raiz).id_actual() is None:
            from ingesta.carga import cargar_ejemplo

            cargar_ejemplo(raiz, cache=raiz.parent / (raiz.name + "-cache"))
        _medir(raiz, args)
    finally:
        if temporal is not None:
            temporal.cleanup()


def _medir(raiz: Path, args) -> None:
    import capas

    navegador = Navegador(crear_app(raiz).server)
    municipio = sorted(capas.abrir(raiz).nombres_municipios)[0]
    props, primera = navegador.abrir("/")  # en frío: lee Parquet y llena las cachés
    _resumen("/ (primera, en frío)", [primera])
    anios = [o["value"] for o in props["inicio-anio"]["options"]]
    otro_anio = anios[1] if len(anios) > 1 else anios[0]
    for _ in range(2):  # calentar los cálculos por ciclo
        navegador.cambiar(props, "inicio-anio", "value", otro_anio)
        navegador.abrir("/municipio", f"?municipio={municipio}")
    n = args.repeticiones
    _resumen("/ (carga)", [navegador.abrir("/")[1] for _ in range(n)])
    _resumen(
        "/ cambio de indicador",
        [
            navegador.cambiar(props, "inicio-indicador", "value", "presupuesto_ejercido")
            for _ in range(n)
        ],
    )
    _resumen(
        "/ cambio de ciclo",
        [navegador.cambiar(props, "inicio-anio", "value", otro_anio) for _ in range(n)],
    )
    props_m, _ = navegador.abrir("/municipio", f"?municipio={municipio}")
    _resumen(
        f"/municipio?municipio={municipio}",
        [navegador.abrir("/municipio", f"?municipio={municipio}")[1] for _ in range(n)],
    )
    if "municipio-anio" in props_m:
        _resumen(
            "/municipio cambio de ciclo",
            [navegador.cambiar(props_m, "municipio-anio", "value", otro_anio) for _ in range(n)],
        )
    if args.perfil:
        perfil = cProfile.Profile()
        perfil.enable()
        navegador.abrir("/")
        perfil.disable()
        salida = io.StringIO()
        pstats.Stats(perfil, stream=salida).sort_stats("cumulative").print_stats(35)
        print(salida.getvalue())


if __name__ == "__main__":
    main()
