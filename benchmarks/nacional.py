"""Medición: la portada ``/`` en el modo nacional (``SIGUE_ESTADO=00``), en tiempo de CPU.

Qué mide, con la muestra nacional de ejemplo (Oaxaca, Morelos y Ciudad de México; los 2,465
municipios en la capa ``municipios``):

- ``layout`` de ``/`` (todo el país, ``?entidad=17`` y ``?entidad=20``): CPU de la primera vez
  (fría: arma la geometría y las tablas de la versión) y p50 / p95 de las siguientes, y los
  bytes del árbol en JSON (sin comprimir y con gzip) y del mapa dentro de él.
- Los callbacks de la portada: ``actualizar_mapa`` (otro indicador u otro ciclo, un
  ``Patch`` con valores; meta ≤ 25 kB y ≤ 100 ms) y ``actualizar_ciclo`` (cifras y tabla).
- ``/obras`` y ``/escuelas`` (país, ``?entidad=17`` y ``?entidad=20``): layout, callback de
  filtros y cuántas opciones trae la lista «Municipio» en la página; en el país, la búsqueda
  de municipios en el servidor (``elegir_entidad.buscar``, «san»).
- Como referencia, lo que pesaría mandar los 2,465 municipios del país en un solo mapa.

El tiempo es ``time.process_time`` del proceso (CPU, no reloj): con la máquina cargada por
otros procesos se puede comparar igual. Se llama a las funciones de la página dentro de una
petición de prueba de Flask (como ``tests/test_pagina_inicio.py``): Dash, capas y la
serialización JSON con el codificador de Plotly, sin la red.

Uso::

    SIGUE_ESTADO=00 python benchmarks/nacional.py [--datos DIR] [--repeticiones 20]

Sin ``--datos`` genera y carga la muestra nacional en una carpeta temporal (un par de
minutos la primera vez; los archivos crudos quedan en la caché). No es una prueba: imprime
una tabla.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

RAIZ_REPO = Path(__file__).resolve().parents[1]
if str(RAIZ_REPO) not in sys.path:
    sys.path.insert(0, str(RAIZ_REPO))

import plotly.utils  # noqa: E402


def _json(objeto) -> bytes:
    return json.dumps(objeto, cls=plotly.utils.PlotlyJSONEncoder, separators=(",", ":")).encode(
        "utf-8"
    )


def _medir(funcion, repeticiones: int) -> tuple[float, list[float], object]:
    inicio = time.process_time()
    resultado = funcion()
    frio = time.process_time() - inicio
    tiempos = []
    for _ in range(repeticiones):
        inicio = time.process_time()
        resultado = funcion()
        _json(resultado)
        tiempos.append(time.process_time() - inicio)
    return frio, tiempos, resultado


def _p(tiempos: list[float], q: float) -> float:
    if len(tiempos) == 1:
        return tiempos[0]
    return statistics.quantiles(tiempos, n=100, method="inclusive")[int(q) - 1]


def _fila(nombre: str, frio: float, tiempos: list[float], resultado, extra: str = "") -> None:
    crudo = _json(resultado)
    print(
        f"{nombre:<42} {frio * 1000:>8.0f} {_p(tiempos, 50) * 1000:>7.1f} "
        f"{_p(tiempos, 95) * 1000:>7.1f} {len(crudo) / 1024:>9.1f} "
        f"{len(gzip.compress(crudo)) / 1024:>8.1f}  {extra}"
    )


def _paginas_de_puntos(app, n: int) -> None:
    """``/obras`` y ``/escuelas``: layout y callback de filtros, del país y con ``?entidad=``.

    Sin soporte del filtro de entidad (código anterior) se mide solo el país.
    """
    import capas

    for ruta, modulo in (("/obras", "paginas.obras"), ("/escuelas", "paginas.escuelas")):
        pagina = sys.modules[modulo]
        con_entidad = "entidad" in capas.capa(pagina.CAPA.nombre).filtros
        for entidad in (None, "17", "20") if con_entidad else (None,):
            nombre = "todo el país" if entidad is None else f"?entidad={entidad}"
            with app.server.test_request_context(ruta):
                parametros = {} if entidad is None else {"entidad": entidad}
                frio, tiempos, arbol = _medir(lambda p=parametros, g=pagina: g.layout(**p), n)
                _fila(f"{ruta} layout {nombre}", frio, tiempos, arbol)
                valores = {f: None for f in pagina.FILTROS}
                if entidad is not None:
                    valores["entidad"] = entidad
                argumentos = _argumentos_actualizar(pagina, valores)
                frio, tiempos, salida = _medir(lambda a=argumentos, g=pagina: g.actualizar(*a), n)
                _fila(f"  {ruta} actualizar (filtros)", frio, tiempos, salida)
                municipios = _opciones_municipio(arbol, pagina)
                if municipios is not None:
                    print(f"    lista «Municipio»: {municipios} opciones en la página")
                buscar = getattr(pagina.elegir_entidad, "buscar", None)
                if entidad is None and buscar is not None:  # el país: busca en el servidor
                    frio, tiempos, salida = _medir(lambda b=buscar: b("san", None, None), n)
                    _fila(f"  {ruta} buscar municipio «san»", frio, tiempos, salida)


def _argumentos_actualizar(pagina, valores: dict) -> list:
    """Entradas del callback ``actualizar`` de la página: los filtros y, después, ``None`` (la
    obra elegida en ``/obras``, la versión). Con parámetros nombrados, por su nombre."""
    import inspect

    parametros = inspect.signature(pagina.actualizar).parameters
    if any(p.kind == p.VAR_POSITIONAL for p in parametros.values()):
        return [valores[f] for f in pagina.FILTROS] + [None, None]
    return [valores.get(nombre) for nombre in parametros]


def _opciones_municipio(arbol, pagina) -> int | None:
    from tests import ayuda_paginas as ayuda

    control = ayuda.por_id(arbol, pagina.ID["municipio"]) if hasattr(pagina, "ID") else None
    return None if control is None else len(control["props"].get("options") or [])


def main(argv: list[str] | None = None) -> int:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--datos", help="almacén con la muestra nacional ya cargada")
    analizador.add_argument("--repeticiones", type=int, default=20)
    args = analizador.parse_args(argv)
    os.environ["SIGUE_ESTADO"] = "00"
    temporal = None
    raiz = args.datos
    if raiz is None:
        from ingesta.carga import cargar_ejemplo

        temporal = tempfile.TemporaryDirectory(prefix="sigue-nacional-")
        raiz = Path(temporal.name) / "datos"
        inicio = time.process_time()
        cargar_ejemplo(raiz)
        print(f"Muestra nacional cargada en {time.process_time() - inicio:.1f} s de CPU")

    import capas
    from tablero import json_rapido
    from tablero.app import crear_app
    from tests import ayuda_paginas as ayuda

    app = crear_app(raiz)
    pagina = sys.modules["paginas.inicio"]
    datos = capas.abrir(raiz)
    anio = max(capas.tabla_estado(datos)["anio"])
    n = args.repeticiones
    print(
        f"{'medición (CPU, ms; tamaños en kB)':<42} {'fría':>8} {'p50':>7} {'p95':>7} "
        f"{'JSON kB':>9} {'gzip kB':>8}"
    )
    with app.server.test_request_context("/"):
        for entidad in (None, "17", "20"):
            nombre = "todo el país" if entidad is None else f"?entidad={entidad}"
            frio, tiempos, arbol = _medir(lambda e=entidad: pagina.layout(entidad=e), n)
            mapa = ayuda.por_id(arbol, "inicio-mapa")["props"]["figure"]
            if mapa.get("data"):
                crudo = _json(mapa)
                extra = (
                    f"(mapa {len(crudo) / 1024:.0f} kB, gzip "
                    f"{len(gzip.compress(crudo)) / 1024:.0f} kB, "
                    f"{len(mapa['data'][0]['locations'])} formas)"
                )
            else:  # el mapa llega después (cargar_mapa): valores aquí, base en su URL con caché
                crudo = json_rapido.a_json(
                    pagina.cargar_mapa(None, "cobertura", anio, entidad)
                ).encode("utf-8")
                extra = (
                    f"(mapa aparte: valores {len(crudo) / 1024:.0f} kB, gzip "
                    f"{len(gzip.compress(crudo)) / 1024:.0f} kB; base con caché de un año)"
                )
            _fila(f"layout {nombre}", frio, tiempos, arbol, extra)
            for indicador in ("cobertura", "semaforo_gasto", "obras_monto_aprobado"):
                frio, tiempos, salida = _medir(
                    lambda i=indicador, e=entidad: pagina.actualizar_mapa(i, anio, None, e), n
                )
                _fila(f"  actualizar_mapa {indicador}", frio, tiempos, salida)
            frio, tiempos, salida = _medir(
                lambda e=entidad: pagina.actualizar_ciclo(anio, None, e), n
            )
            _fila("  actualizar_ciclo", frio, tiempos, salida)
    _paginas_de_puntos(app, n)
    capa = datos.tabla("municipios")
    todo = capa[["cvegeo", "geometry"]].to_json(drop_id=True).encode("utf-8")
    print(
        f"\nReferencia: los {len(capa):,} municipios del país en un mapa: "
        f"{len(todo) / 1024:,.0f} kB de GeoJSON (gzip {len(gzip.compress(todo)) / 1024:,.0f} kB)"
        " — no se manda: primero las entidades, luego los municipios de una."
    )
    if temporal is not None:
        temporal.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
