"""Medición: cómo crecen la carga y la lectura de obras y escuelas con el tamaño del archivo.

Genera (una vez, en ``--carpeta``) reportes SRFT sintéticos de 1k, 10k, 100k y 300k filas
con el mismo generador que los datos de ejemplo (``ingesta.ejemplo``: obras de Oaxaca con
unas 4 filas trimestrales por obra, ~3 % en el municipio vecino y ~5 % sin coordenadas) y
catálogos de 15k y 50k escuelas. Cada medición corre en un proceso nuevo, con un almacén
vacío: tiempo de ``ingesta.carga.cargar`` (incluida la lectura de la geografía y la
cobertura simplificada, que toda carga en un almacén vacío necesita), memoria pico
(``ru_maxrss``), tiempo de ``capas.capa(...).leer(version)`` sobre la versión creada y lo
que cuesta servir su página (:func:`medir_pagina`: ``layout``, callback de filtros con todas
sus salidas, primer bloque de la tabla, y un bloque con búsqueda y otro ordenado; CPU y kB
de JSON). Se informa la mediana de las repeticiones.

La página de escuelas necesita ciclos escolares: junto a cada catálogo se generan, con los
generadores de ``ingesta.ejemplo`` y las mismas claves CCT, la matrícula (Formato 911, tres
ciclos) y el padrón SIIPP-G del ciclo más reciente (el que la página abre); se cargan por la
vía normal (``cargar``) después del catálogo, con su tiempo aparte (``escolar_s``). El
padrón es de un solo ciclo para acotar el archivo (~74 renglones por escuela: 3.7 millones
con 50k escuelas); los ciclos anteriores quedan con matrícula y sin padrón.

La caché (``SIGUE_CACHE``) es ``--carpeta``/cache: la primera medición de la corrida la
llena (simplificación de la geometría) y las demás la reutilizan, como en una instalación
que ya cargó algo antes.

Uso::

    python benchmarks/crecimiento.py [--obras 1000 10000 100000 300000]
        [--escuelas 15000 50000] [--repeticiones 3] [--carpeta DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

#: Filas trimestrales por obra (aprox.) del generador: se generan obras de más y se recorta.
FILAS_POR_OBRA = 4
#: Obras o escuelas generadas con ``ingesta.ejemplo``; los tamaños mayores las repiten.
BASE = 5_000


def main() -> None:
    args = _argumentos()
    if args.medir:
        _medir(args.medir, Path(args.archivo), args.datos)
        return
    carpeta = Path(args.carpeta or tempfile.mkdtemp(prefix="bench-crecimiento-"))
    carpeta.mkdir(parents=True, exist_ok=True)
    casos = [("obras", n, carpeta / f"srft_{n}.csv") for n in args.obras]
    casos += [("escuelas", n, carpeta / f"escuelas_{n}.csv") for n in args.escuelas]
    for tipo, n, archivo in casos:
        completos = all(a.exists() for a in [archivo, *_escolares(archivo, tipo).values()])
        if not completos:
            inicio = time.perf_counter()
            if tipo == "obras":
                escribir_srft(archivo, n)
            else:
                escribir_escuelas(archivo, n, escolares=_escolares(archivo, tipo))
            print(f"{archivo.name} generado en {time.perf_counter() - inicio:.1f} s", flush=True)
    entorno = {**os.environ, "SIGUE_CACHE": str(carpeta / "cache")}
    filas = []
    for tipo, n, archivo in casos:
        medidas = []
        for i in range(args.repeticiones):
            datos = Path(tempfile.mkdtemp(prefix=f"datos-{tipo}-{n}-{i}-", dir=carpeta))
            salida = subprocess.run(
                [sys.executable, __file__, "--medir", tipo, "--archivo", str(archivo)]
                + ["--datos", str(datos)],
                check=True,
                capture_output=True,
                text=True,
                env=entorno,
            )
            medidas.append(json.loads(salida.stdout.strip().splitlines()[-1]))
        filas.append(_resumen(tipo, n, medidas))
        print(_linea(filas[-1]), flush=True)
    print()
    print(_tabla(filas))


def escribir_srft(ruta: Path, filas: int, semilla: int = 11) -> None:
    """Reporte SRFT sintético (layout del formato A) de exactamente ``filas`` renglones.

    Se generan hasta :data:`BASE` obras con ``ingesta.ejemplo`` (ubicar cada punto por
    muestreo de rechazo es lo caro) y, para tamaños mayores, se repiten con otro folio y las
    coordenadas desplazadas unos metros (las mismas en todos los reportes de una obra): cada
    obra conserva coordenadas propias, como en un archivo publicado.
    """
    from ingesta import ejemplo

    obras = min(filas // FILAS_POR_OBRA + 1, BASE)
    base = _del_ejemplo(ejemplo._obras, "N_OBRAS", obras, semilla)

    def otra_copia(tabla: pd.DataFrame, copia: int) -> pd.DataFrame:
        return tabla.assign(FOLIO=tabla["FOLIO"] + f"-{copia}")

    tabla = _repetir(base, filas, "FOLIO", otra_copia, ("LATITUD", "LONGITUD"), semilla)
    tabla.to_csv(ruta, index=False, encoding="utf-8-sig", lineterminator="\n")


def escribir_escuelas(
    ruta: Path, escuelas: int, semilla: int = 11, escolares: dict[str, Path] | None = None
) -> None:
    """Catálogo de escuelas sintético (layout de ``ingesta.ejemplo``) con ``escuelas`` filas.

    Como :func:`escribir_srft`: hasta :data:`BASE` escuelas generadas y copias con otra letra
    final en la CCT (la clave sigue siendo única) y las coordenadas desplazadas unos metros.
    Con ``escolares`` (``{"matricula": ruta, "padron": ruta}``) escribe además la matrícula
    y el padrón de esas mismas escuelas (:func:`escribir_matricula_padron`).
    """
    from ingesta import ejemplo

    base = _del_ejemplo(ejemplo._escuelas, "N_ESCUELAS", min(escuelas, BASE), semilla)

    def otra_copia(tabla: pd.DataFrame, copia: int) -> pd.DataFrame:
        cct = tabla["CV_CCT"].astype(str)
        letra = ((cct.str[-1].map(ord) - ord("A") + copia) % 26 + ord("A")).map(chr)
        return tabla.assign(CV_CCT=cct.str[:-1] + letra)

    coordenadas = ("INMUEBLE_LATITUD", "INMUEBLE_LONGITUD")
    tabla = _repetir(base, escuelas, "CV_CCT", otra_copia, coordenadas, semilla)
    tabla.to_csv(ruta, index=False, encoding="cp1252", lineterminator="\r\n")
    if escolares:
        escribir_matricula_padron(tabla, escolares["matricula"], escolares["padron"], semilla)


def escribir_matricula_padron(
    catalogo: pd.DataFrame, matricula: Path, padron: Path, semilla: int = 11
) -> None:
    """Matrícula (tres ciclos) y padrón (solo el ciclo más reciente) de ``catalogo`` (crudo).

    Con los generadores de ``ingesta.ejemplo`` sobre el catálogo entero: las claves CCT son
    las del catálogo, la matrícula cubre sus escuelas de educación básica y el padrón sus
    escuelas públicas de básica, con la cobertura desigual por municipio del ejemplo.
    """
    from ingesta import ejemplo

    tabla = ejemplo._matricula(catalogo, ejemplo._rng(semilla, "matricula"))
    tabla.to_csv(matricula, index=False, lineterminator="\n")
    original = ejemplo.CICLOS_PADRON
    ejemplo.CICLOS_PADRON = ejemplo.CICLOS[-1:]
    try:
        conteos, _ = ejemplo._conteos_padron(catalogo, tabla, ejemplo._rng(semilla, "cobertura"))
        publicas = catalogo[ejemplo._es_basica_publica(catalogo)]
        ejemplo._escribir_padron(
            padron,
            publicas["CV_CCT"].to_numpy(),
            publicas["TIPONIVELSUB_C_SERVICION2"].map(ejemplo.NIVELES_BASICA.index).to_numpy(),
            conteos.loc[publicas["CV_CCT"]].to_numpy(),
            ejemplo._rng(semilla, "padron"),
            str(catalogo["INMUEBLE_CV_ENT"].iloc[0]),
        )
    finally:
        ejemplo.CICLOS_PADRON = original


def _escolares(archivo: Path, tipo: str) -> dict[str, Path]:
    """Matrícula y padrón que acompañan a un catálogo de escuelas (nada para las obras)."""
    if tipo != "escuelas":
        return {}
    return {
        otro: archivo.with_name(archivo.name.replace("escuelas_", f"{otro}_"))
        for otro in ("matricula", "padron")
    }


def _del_ejemplo(generador, constante: str, cuantas: int, semilla: int) -> pd.DataFrame:
    """Tabla de ``ingesta.ejemplo`` (``_obras`` o ``_escuelas``) con ``cuantas`` registros."""
    from ingesta import ejemplo
    from ingesta.geografia import municipios

    m = municipios()
    original = getattr(ejemplo, constante)
    setattr(ejemplo, constante, cuantas)
    try:
        peso = ejemplo._peso_poblacion(m, ejemplo._rng(semilla, "poblacion"))
        tabla, _ = generador(m, peso, ejemplo._rng(semilla, generador.__name__[1:]))
    finally:
        setattr(ejemplo, constante, original)
    return tabla


def _repetir(
    base: pd.DataFrame,
    filas: int,
    clave: str,
    otra_copia,
    coordenadas: tuple[str, str],
    semilla: int,
) -> pd.DataFrame:
    """``base`` repetida hasta ``filas`` renglones; cada copia con otra clave y coordenadas
    desplazadas hasta ~50 m (igual en todas las filas de la misma clave)."""
    rng = np.random.default_rng(semilla)
    partes = [base]
    for copia in range(1, -(-filas // len(base))):
        parte = otra_copia(base, copia)
        grupo = pd.factorize(parte[clave])[0]
        for columna in coordenadas:
            valor = pd.to_numeric(parte[columna].replace("", None)).to_numpy(dtype=float)
            valor = valor + rng.uniform(-5e-4, 5e-4, grupo.max() + 1)[grupo]
            parte[columna] = [f"{v:.6f}" if np.isfinite(v) else "" for v in valor]
        partes.append(parte)
    return pd.concat(partes, ignore_index=True).head(filas)


def _medir(tipo: str, archivo: Path, datos: str) -> None:
    from almacen import Almacen
    from ingesta.carga import cargar

    antes = resource.getrusage(resource.RUSAGE_SELF)
    inicio = time.perf_counter()
    resultado = cargar(tipo, archivo, datos)
    segundos = time.perf_counter() - inicio
    uso = resource.getrusage(resource.RUSAGE_SELF)
    memoria_mb = uso.ru_maxrss / 1024
    cpu = uso.ru_utime + uso.ru_stime - antes.ru_utime - antes.ru_stime
    escolar = {}
    if _escolares(archivo, tipo):  # la página de escuelas necesita ciclos (matrícula, padrón)
        inicio, cpu_escolar = time.perf_counter(), time.process_time()
        for otro, ruta in _escolares(archivo, tipo).items():
            cargar(otro, ruta, datos)
        escolar = {
            "escolar_s": time.perf_counter() - inicio,
            "escolar_cpu_s": time.process_time() - cpu_escolar,
        }
    lectura = medir_lectura(tipo, Almacen(datos).version())
    print(
        json.dumps(
            {
                "segundos": segundos,
                "cpu_s": cpu,
                "memoria_mb": memoria_mb,
                "leidas": resultado.filas_leidas,
                "aceptadas": resultado.filas_aceptadas,
                **escolar,
                **lectura,
            }
        )
    )


def medir_lectura(tipo: str, version) -> dict:
    """Lectura de la capa ``tipo`` y lo que cuesta servir su página con esa versión.

    ``lectura_s``: ``capas.capa(tipo).leer(version)`` (con la caché de la versión vacía).
    Luego, en una aplicación nueva del tablero sobre el mismo almacén (:func:`medir_pagina`):
    el ``layout`` de la página (``/obras`` o ``/escuelas``), su callback de filtros (mapa,
    resumen, encuadre...: todas sus salidas, el mapa tal como esté), el primer bloque de la
    tabla y dos bloques más (con búsqueda y con orden). Tiempo de reloj y de CPU y bytes del
    JSON que viajaría.
    """
    from capas import capa

    inicio = time.perf_counter()
    tabla = capa(tipo).leer(version)
    medidas = {"lectura_s": time.perf_counter() - inicio, "filas_capa": len(tabla)}
    medidas.update(medir_pagina(tipo, version))
    return medidas


#: Pedido del primer bloque de la tabla (como lo manda la cuadrícula al abrir).
PRIMER_BLOQUE = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}


def medir_pagina(tipo: str, version) -> dict:
    """Tiempos (s de reloj y de CPU) y bytes de JSON de la página de ``tipo`` (ver arriba).

    Cada medida es la primera vez (caché de la versión vacía, como tras publicar una versión):
    ``layout``; ``callback`` (el de los filtros, sin filtros); ``layout_caliente`` y
    ``callback_caliente``: los mismos otra vez con la caché de la versión llena (lo que
    cuesta cada petición después de la primera); ``bloque`` (el primero de la
    tabla, sin la tabla armada en caché: la arma); ``bloque_busqueda`` (el primero con
    "juchitan": calcula las claves de búsqueda) y ``bloque_orden`` (el primero ordenado por
    municipio, descendente); en ``/obras``, ``contratistas``: el callback del ranking de
    contratistas (al cambiar la agrupación: columnas y total; las filas van por bloques) y
    ``ranking_bloque``: el primer bloque del ranking (por monto, de mayor a menor, como lo
    pide la cuadrícula al abrir; arma el ranking si el callback no lo dejó en caché).
    """
    import plotly.io.json

    import capas
    from tablero.app import crear_app

    capas.limpiar_cache()
    # el almacén de la versión: <raíz>/versiones/<id>
    app = crear_app(Path(version.ruta).parent.parent)
    ruta = f"/{tipo}"
    from tablero.paginas import modulo_de

    pagina = modulo_de(ruta)
    medidas: dict = {}

    def medir(nombre, funcion, *argumentos):
        reloj, cpu = time.perf_counter(), time.process_time()
        salida = funcion(*argumentos)
        medidas[f"{nombre}_s"] = time.perf_counter() - reloj
        medidas[f"{nombre}_cpu_s"] = time.process_time() - cpu
        medidas[f"{nombre}_kb"] = len(plotly.io.json.to_json_plotly(salida)) / 1000
        return salida

    with app.server.test_request_context(ruta):
        datos = capas.datos_de(version)
        # Valores de los controles de ``pagina.FILTROS`` (el último, «Entidad», vacío); el
        # callback de filtros recibe además la obra elegida o la CCT buscada (vacía).
        if tipo == "obras":
            valores = filtros = [None, None, [], [], None, None, [], "", "", None]
            argumentos = [*valores, None]  # y la obra elegida (ninguna)
        else:
            if not datos.anios_escolares:
                return {}
            # anio, municipio, nivel, semáforo, (búsqueda,) entidad: los del ciclo más reciente
            valores = argumentos = [datos.anios_escolares[-1], None, [], [], "", None]
            filtros = valores[:4] + valores[5:]  # los controles de la tabla (sin búsqueda)
        capas.limpiar_cache()  # los ciclos de arriba ya armaron tablas: primera vez de veras
        medir("layout", lambda: pagina.layout())
        medir("layout_caliente", lambda: pagina.layout())
        capas.limpiar_cache()
        datos = capas.datos_de(version)
        medir("callback", pagina.actualizar, *argumentos, datos.id)
        medir("callback_caliente", pagina.actualizar, *argumentos, datos.id)
        medir("bloque", pagina.bloque_tabla, PRIMER_BLOQUE, "", *filtros, datos.id)
        medir("bloque_busqueda", pagina.bloque_tabla, PRIMER_BLOQUE, "juchitan", *filtros, datos.id)
        orden = {**PRIMER_BLOQUE, "sortModel": [{"colId": "municipio", "sort": "desc"}]}
        medir("bloque_orden", pagina.bloque_tabla, orden, "", *filtros, datos.id)
        if tipo == "obras":  # el otro callback de filtros de /obras: el ranking de contratistas
            agrupar = (*filtros, "municipio", datos.id)
            medir(
                "contratistas",
                _disparado_por("obras-agrupar.value"),
                pagina.actualizar_contratistas,
                *agrupar,
            )
            if hasattr(pagina, "bloque_contratistas"):
                por_monto = {**PRIMER_BLOQUE, "sortModel": [{"colId": "monto", "sort": "desc"}]}
                medir("ranking_bloque", pagina.bloque_contratistas, por_monto, *agrupar)
    return medidas


def _disparado_por(id_prop: str):
    """``funcion(*args)`` dentro de un contexto de callback disparado por ``id_prop``."""
    from contextvars import copy_context

    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    def llamar(funcion, *argumentos):
        def dentro():
            context_value.set(AttributeDict(triggered_inputs=[{"prop_id": id_prop, "value": None}]))
            return funcion(*argumentos)

        return copy_context().run(dentro)

    return llamar


def _resumen(tipo: str, n: int, medidas: list[dict]) -> dict:
    return {
        "tipo": tipo,
        "n": n,
        "segundos": statistics.median(m["segundos"] for m in medidas),
        "todas": [m["segundos"] for m in medidas],
        "cpu_s": statistics.median(m["cpu_s"] for m in medidas),
        "memoria_mb": max(m["memoria_mb"] for m in medidas),
        "lectura_s": statistics.median(m["lectura_s"] for m in medidas),
        **{
            clave: statistics.median(m[clave] for m in medidas)
            for clave in ("escolar_s", "escolar_cpu_s")
            if all(clave in m for m in medidas)
        },
        "leidas": medidas[0]["leidas"],
        "aceptadas": medidas[0]["aceptadas"],
        **{
            clave: statistics.median(m[clave] for m in medidas)
            for clave in _CLAVES_PAGINA
            if all(clave in m for m in medidas)
        },
    }


#: Partes de la página que mide :func:`medir_pagina`.
_PARTES = (
    "layout",
    "layout_caliente",
    "callback",
    "callback_caliente",
    "bloque",
    "bloque_busqueda",
    "bloque_orden",
    "contratistas",
    "ranking_bloque",
)
#: Medidas de :func:`medir_pagina` que se resumen (mediana) y se imprimen.
_CLAVES_PAGINA = [f"{parte}_{medida}" for parte in _PARTES for medida in ("s", "cpu_s", "kb")]


def _linea(fila: dict) -> str:
    todas = ", ".join(f"{s:.2f}" for s in fila["todas"])
    return f"{fila['tipo']} {fila['n']:,}: mediana {fila['segundos']:.2f} s (de {todas})"


def _tabla(filas: list[dict]) -> str:
    encabezado = (
        f"{'tipo':<9} {'filas':>9} {'aceptadas':>10} {'carga (s)':>10} "
        f"{'CPU (s)':>8} {'memoria (MB)':>13} {'leer capa (s)':>14} {'matrícula+padrón (s/CPU)':>25}"
    )
    lineas = [encabezado, "-" * len(encabezado)]
    for f in filas:
        escolar = (
            f"{f['escolar_s']:>12.2f} / {f['escolar_cpu_s']:>6.2f} s"
            if "escolar_s" in f
            else f"{'—':>25}"
        )
        lineas.append(
            f"{f['tipo']:<9} {f['leidas']:>9,} {f['aceptadas']:>10,} {f['segundos']:>10.2f} {f['cpu_s']:>8.2f} "
            f"{f['memoria_mb']:>13,.0f} {f['lectura_s']:>14.2f} {escolar}"
        )
    lineas += [
        "",
        "Página (primera vez con la versión; _caliente: otra vez): CPU en s / JSON en kB",
    ]
    encabezado = f"{'tipo':<9} {'filas':>9}" + "".join(f" {parte:>22}" for parte in _PARTES)
    lineas += [encabezado, "-" * len(encabezado)]
    for f in filas:
        celdas = ""
        for parte in _PARTES:
            if f"{parte}_cpu_s" in f:
                celdas += f" {f[parte + '_cpu_s']:>9.3f} s {f[parte + '_kb']:>7,.1f} kB"
            else:
                celdas += f" {'—':>22}"
        lineas.append(f"{f['tipo']:<9} {f['leidas']:>9,}" + celdas)
    return "\n".join(lineas)


def _argumentos() -> argparse.Namespace:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument(
        "--obras", type=int, nargs="*", default=[1_000, 10_000, 100_000, 300_000]
    )
    analizador.add_argument("--escuelas", type=int, nargs="*", default=[15_000, 50_000])
    analizador.add_argument("--repeticiones", type=int, default=3)
    analizador.add_argument("--carpeta")
    analizador.add_argument("--medir", choices=["obras", "escuelas"], help=argparse.SUPPRESS)
    analizador.add_argument("--archivo", help=argparse.SUPPRESS)
    analizador.add_argument("--datos", help=argparse.SUPPRESS)
    return analizador.parse_args()


if __name__ == "__main__":
    main()
