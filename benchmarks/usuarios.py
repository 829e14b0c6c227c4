"""Prueba de carga acotada con usuarios que repiten las peticiones de un navegador real.

Solo en 127.0.0.1. Pasos:

1. Arranca el servidor de producción (``tablero``: gunicorn, 2 procesos × 4 hilos, igual que
   ``make tablero``) en un puerto libre sobre ``--datos`` (por omisión una carpeta temporal,
   que ``tablero`` llena con los datos de ejemplo), o usa uno que ya corre (``--url``).
2. **Captura una vez** lo que pide de verdad un navegador: abre cada página (``/`` y
   ``/obras``) en Chromium sin pantalla con el registro de rendimiento de DevTools (eventos
   ``Network.*``) y guarda cada petición al servidor con su método, cabeceras y cuerpo: la
   página, ``_dash-layout``, ``_dash-dependencies`` y los callbacks que el navegador manda al
   cargarla (con sus cuerpos exactos, también ``Patch`` o el ``getRowsRequest`` de una tabla
   AG Grid infinita). Después cambia filtros como lo haría una persona
   (``dash_clientside.set_props`` sobre el componente, que dispara la misma cadena de
   callbacks que un clic) y guarda esas peticiones. Los filtros se **descubren** en
   ``_dash-dependencies``: entradas ``value`` de componentes de la página con dos o más
   ``options`` (se prefieren los de indicador y año); nada de ids fijos. La descarga es el
   primer enlace ``/descargas/…csv`` de la página (el de «Descargar esta vista»).
   Los archivos estáticos (JS, CSS) no se repiten, ni nada que el navegador guarde en su
   caché (respuesta con ``Cache-Control: max-age`` > 0, como plotly.js y la base del mapa con
   su huella, o servida desde su caché): en la vuelta siguiente un navegador no los pide. Se
   mide la parte del servidor.
3. Para N = 1, 10 y 50 usuarios concurrentes (hilos), cada usuario repite la secuencia
   (cargar ``/``, cambiar sus filtros, cargar ``/obras``, cambiar su filtro, descargar) un
   número acotado de veces (``--iteraciones``) o hasta ``--duracion`` segundos. Dentro de
   una acción las peticiones salen como en el navegador: las que Chromium mandó a la vez
   (sin esperar una respuesta intermedia) salen juntas, hasta 6 conexiones por usuario.
4. Imprime p50/p95/p99 por tipo de petición y por acción (carga de página, cambio de
   filtro, descarga: el tiempo de pared de toda la cadena de peticiones), peticiones por
   segundo y errores (todo estado que no sea 2xx ni 304 cuenta, y también una conexión
   fallida o un tiempo agotado).

Antes de medir, una vuelta sin contar (4 usuarios) llena las cachés de ambos procesos.

Uso::

    python benchmarks/usuarios.py [--usuarios 1 10 50] [--iteraciones 5] [--duracion 60]
        [--datos DIR | --url http://127.0.0.1:PUERTO] [--json resultados.json] [--detalle]

Necesita Chromium y chromedriver (los mismos de las pruebas de navegador).
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
if str(RAIZ) not in sys.path:
    sys.path.insert(0, str(RAIZ))

from tests.ayuda_servidor import arrancar_tablero, detener, puerto_libre  # noqa: E402
from tests.navegador.chromium import opciones_chromium  # noqa: E402

PAGINAS = ["/", "/obras"]
#: Cambios de filtro por página (el brief de la issue 11: indicador y año en ``/``).
FILTROS_POR_PAGINA = {"/": 2}
FILTROS_OMISION = 1
#: Palabras que hacen preferible un filtro (en este orden); después, el orden de las dependencias.
PREFERIDOS = ("indicador", "anio", "ciclo", "ejercicio")
#: Conexiones simultáneas por usuario (las de un navegador por anfitrión).
CONEXIONES = 6
#: Cabeceras que no se repiten (las pone el cliente o son de la conexión).
CABECERAS_FUERA = {"host", "content-length", "connection", "cookie", "if-none-match"}
#: Rutas estáticas (no se repiten).
ESTATICOS = ("/_dash-component-suites/", "/assets/", "/_favicon", "/_reload-hash")


# --------------------------------------------------------------------------------------------
# Captura con Chromium
# --------------------------------------------------------------------------------------------


@dataclass
class Peticion:
    """Una petición del navegador al servidor, lista para repetirse."""

    tipo: str
    metodo: str
    ruta: str
    cabeceras: dict
    cuerpo: bytes | None
    #: Índice (en su acción) de la petición cuya respuesta esperó el navegador, o -1.
    espera: int = -1
    detalle: str = ""


@dataclass
class Accion:
    """Lo que hace una persona (cargar una página, cambiar un filtro, descargar)."""

    nombre: str
    peticiones: list[Peticion] = field(default_factory=list)

    def oleadas(self) -> list[list[Peticion]]:
        """Grupos de peticiones que salen a la vez, en orden (cada grupo espera al anterior)."""
        grupos: list[list[Peticion]] = []
        previa = None
        for peticion in self.peticiones:
            if grupos and peticion.espera == previa:
                grupos[-1].append(peticion)
            else:
                grupos.append([peticion])
                previa = peticion.espera
        return grupos


def _navegador():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opciones = opciones_chromium()
    opciones.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    servicio = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=servicio, options=opciones)


class Registro:
    """Peticiones de red vistas por DevTools (``Network.*`` del registro de rendimiento)."""

    def __init__(self, driver, base: str):
        self.driver = driver
        self.base = base
        self.peticiones: dict[str, dict] = {}
        self.orden: list[str] = []
        self.extras: dict[str, dict] = {}

    def leer(self) -> None:
        for entrada in self.driver.get_log("performance"):
            mensaje = json.loads(entrada["message"])["message"]
            metodo, p = mensaje["method"], mensaje.get("params", {})
            if metodo == "Network.requestWillBeSentExtraInfo":
                # las cabeceras que de verdad salen (Accept-Encoding...); a veces llegan antes
                extra = self.extras.setdefault(p["requestId"], {})
                for nombre, valor in p.get("headers", {}).items():
                    if not nombre.startswith(":"):
                        extra[nombre.lower()] = valor
            elif metodo == "Network.requestWillBeSent":
                url = p["request"]["url"]
                if not url.startswith(self.base) or p.get("redirectResponse"):
                    continue
                self.peticiones[p["requestId"]] = {
                    "url": url,
                    "metodo": p["request"]["method"],
                    "cabeceras": p["request"].get("headers", {}),
                    "cuerpo": p["request"].get("postData"),
                    "con_cuerpo": p["request"].get("hasPostData", False),
                    "salida": p["timestamp"],
                    "fin": None,
                    "estado": None,
                    "id": p["requestId"],
                }
                self.orden.append(p["requestId"])
            elif p.get("requestId") in self.peticiones:
                registro = self.peticiones[p["requestId"]]
                if metodo == "Network.responseReceived":
                    respuesta = p["response"]
                    registro["estado"] = respuesta["status"]
                    cabeceras = {k.lower(): v for k, v in respuesta.get("headers", {}).items()}
                    registro["en_cache"] = _se_guarda(
                        cabeceras.get("cache-control", "")
                    ) or respuesta.get("fromDiskCache", False)
                elif metodo in ("Network.loadingFinished", "Network.loadingFailed"):
                    registro["fin"] = p["timestamp"]

    def esperar_quietud(
        self, desde: int, quieto: float = 1.5, limite: float = 60, al_menos_una: bool = True
    ) -> None:
        """Espera a que no haya peticiones pendientes ni nuevas durante ``quieto`` segundos
        (y, con ``al_menos_una``, a que haya salido alguna desde ``desde``)."""
        fin = time.monotonic() + limite
        ultima, cuenta = time.monotonic(), len(self.orden)
        while time.monotonic() < fin:
            time.sleep(0.2)
            self.leer()
            pendientes = [i for i in self.orden[desde:] if self.peticiones[i]["fin"] is None]
            if len(self.orden) != cuenta or pendientes:
                ultima, cuenta = time.monotonic(), len(self.orden)
            elif time.monotonic() - ultima >= quieto and (
                len(self.orden) > desde or not al_menos_una
            ):
                return
        # Una página que nunca queda quieta (p. ej. un dcc.Interval): se toma lo capturado.
        print(f"  aviso: la red no quedó quieta en {limite:.0f} s; se usa lo capturado hasta aquí")

    def accion(self, nombre: str, desde: int, tipo_callback: str) -> Accion:
        """Las peticiones dinámicas desde ``desde`` como una :class:`Accion`."""
        elegidas = []
        for id_peticion in self.orden[desde:]:
            registro = self.peticiones[id_peticion]
            ruta = urllib.parse.urlsplit(registro["url"])
            ruta_completa = ruta.path + (f"?{ruta.query}" if ruta.query else "")
            if any(ruta.path.startswith(e) or e in ruta.path for e in ESTATICOS):
                continue
            if registro.get("en_cache"):
                continue  # el navegador ya la tiene en su caché en la vuelta siguiente
            if registro["con_cuerpo"] and registro["cuerpo"] is None:
                registro["cuerpo"] = self.driver.execute_cdp_cmd(
                    "Network.getRequestPostData", {"requestId": id_peticion}
                )["postData"]
            elegidas.append((registro, ruta.path, ruta_completa))
        accion = Accion(nombre)
        for registro, ruta, completa in elegidas:
            espera = -1
            mejor = None
            for j, (previo, _, _) in enumerate(elegidas):
                if previo is registro:
                    break
                if previo["fin"] is not None and previo["fin"] <= registro["salida"]:
                    if mejor is None or previo["fin"] >= mejor:
                        mejor, espera = previo["fin"], j
            detalle = ""
            if ruta.endswith("/_dash-update-component"):
                tipo = tipo_callback
                detalle = salidas_cortas(json.loads(registro["cuerpo"]).get("output", ""))
            elif ruta.endswith("/_dash-layout"):
                tipo = "_dash-layout"
            elif ruta.endswith("/_dash-dependencies"):
                tipo = "_dash-dependencies"
            elif registro["metodo"] == "GET" and registro is elegidas[0][0]:
                tipo = f"página {ruta}"
            else:
                tipo = f"otra {ruta}"
            todas = {k.lower(): v for k, v in registro["cabeceras"].items()}
            todas.update(self.extras.get(registro["id"], {}))
            todas.setdefault("accept-encoding", "gzip, deflate, br, zstd")
            cabeceras = {k: v for k, v in todas.items() if k not in CABECERAS_FUERA}
            cuerpo = registro["cuerpo"].encode() if registro["cuerpo"] is not None else None
            accion.peticiones.append(
                Peticion(tipo, registro["metodo"], completa, cabeceras, cuerpo, espera, detalle)
            )
        return accion


def _se_guarda(cache_control: str) -> bool:
    """``Cache-Control`` con ``max-age`` > 0 y sin ``no-cache``/``no-store``: en la vuelta
    siguiente el navegador usa su copia sin preguntar al servidor (plotly.js y la base del mapa,
    con huella e ``immutable``; el manifiesto, una hora)."""
    directivas = [d.strip().lower() for d in cache_control.split(",")]
    if "no-cache" in directivas or "no-store" in directivas:
        return False
    for directiva in directivas:
        if directiva.startswith("max-age="):
            try:
                return int(directiva.split("=", 1)[1]) > 0
            except ValueError:
                return False
    return False


def salidas_cortas(salida: str, maximo: int = 2) -> str:
    """Los ids de las salidas de un callback, sin propiedades ni sufijos ``@hash``.

    ``"..a.children...b.data.."`` -> ``"a+b"``; con más de ``maximo`` ids, ``"a+b+2 más"``.
    """
    partes = salida.strip(".").split("...") if salida.startswith("..") else [salida]
    ids = []
    for parte in partes:
        componente = parte.split("@", 1)[0].rsplit(".", 1)[0]
        if componente not in ids:
            ids.append(componente)
    texto = "+".join(ids[:maximo])
    return texto + (f"+{len(ids) - maximo} más" if len(ids) > maximo else "")


#: Componentes de la página que son entradas ``value`` de algún callback, con sus opciones.
_JS_FILTROS = """
const ids = arguments[0];
const salida = [];
for (const id of ids) {
  let c = null;
  try { c = window.dash_component_api.getLayout(id); } catch (e) { c = null; }
  if (!c || !c.props || !Array.isArray(c.props.options) || c.props.options.length < 2) continue;
  salida.push({id: id, value: c.props.value === undefined ? null : c.props.value,
               options: c.props.options, disabled: !!c.props.disabled});
}
return salida;
"""


def _valor_de(opcion):
    return opcion.get("value") if isinstance(opcion, dict) else opcion


def _otro_valor(filtro: dict):
    """Un valor distinto del actual (la opción siguiente), o ``None`` si no hay."""
    valores = [
        _valor_de(o) for o in filtro["options"] if not (isinstance(o, dict) and o.get("disabled"))
    ]
    actual = filtro["value"]
    if isinstance(actual, list):
        libres = [v for v in valores if v not in actual]
        return [libres[0]] if libres else None
    if actual in valores:
        return valores[(valores.index(actual) + 1) % len(valores)]
    return valores[0] if valores else None


def _filtros(driver, dependencias: list[dict], cuantos: int) -> list[dict]:
    """Filtros (entradas ``value`` con opciones) de la página abierta, los preferidos antes."""
    ids = []
    for callback in dependencias:
        for entrada in callback["inputs"]:
            if entrada["property"] == "value" and isinstance(entrada["id"], str):
                if entrada["id"] not in ids:
                    ids.append(entrada["id"])
    encontrados = [f for f in driver.execute_script(_JS_FILTROS, ids) if not f["disabled"]]

    def prioridad(f):
        for i, palabra in enumerate(PREFERIDOS):
            if palabra in f["id"].lower():
                return i
        return len(PREFERIDOS)

    return sorted(encontrados, key=prioridad)[:cuantos]


def capturar(base: str) -> tuple[list[Accion], Accion | None]:
    """Abre cada página en Chromium y devuelve sus acciones (carga y filtros) y una descarga."""
    driver = _navegador()
    acciones: list[Accion] = []
    descarga = None
    try:
        # Sin el service worker: lo que él pide no pasa por la red de la página (la captura
        # no lo vería) y un navegador que vuelve igual manda esas peticiones al servidor.
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setBypassServiceWorker", {"bypass": True})
        registro = Registro(driver, base)
        for pagina in PAGINAS:
            desde = len(registro.orden)
            driver.get(base + pagina)
            registro.esperar_quietud(desde)
            acciones.append(registro.accion(f"carga {pagina}", desde, f"callback {pagina}"))
            dependencias = json.loads(
                driver.execute_script("return fetch('/_dash-dependencies').then(r => r.text())")
            )
            registro.leer()  # esa petición es del script, no del navegador: se descarta
            cuantos = FILTROS_POR_PAGINA.get(pagina, FILTROS_OMISION)
            for filtro in _filtros(driver, dependencias, cuantos):
                valor = _otro_valor(filtro)
                if valor is None:
                    continue
                desde = len(registro.orden)
                driver.execute_script(
                    "window.dash_clientside.set_props(arguments[0], {value: arguments[1]})",
                    filtro["id"],
                    valor,
                )
                registro.esperar_quietud(desde, limite=30, al_menos_una=False)
                accion = registro.accion(
                    f"filtro {pagina} ({filtro['id']})", desde, f"callback filtro {pagina}"
                )
                if accion.peticiones:
                    acciones.append(accion)
            enlaces = driver.execute_script(
                "return Array.from(document.querySelectorAll('a[href*=\"/descargas/\"]'))"
                ".map(a => a.getAttribute('href'))"
            )
            csv = [e for e in enlaces if urllib.parse.urlsplit(e).path.endswith(".csv")]
            if csv:  # la última página con descarga gana (/obras)
                ruta = urllib.parse.urljoin(base + pagina, csv[0])
                partes = urllib.parse.urlsplit(ruta)
                completa = partes.path + (f"?{partes.query}" if partes.query else "")
                descarga = Accion(
                    "descarga",
                    [Peticion("descarga", "GET", completa, {"Accept-Encoding": "gzip, br"}, None)],
                )
    finally:
        driver.quit()
    return acciones, descarga


# --------------------------------------------------------------------------------------------
# Repetición con N usuarios
# --------------------------------------------------------------------------------------------


class Cliente:
    """Conexiones HTTP/1.1 persistentes de un usuario (como un navegador, hasta 6)."""

    def __init__(self, anfitrion: str, puerto: int, tiempo: float):
        self.anfitrion, self.puerto, self.tiempo = anfitrion, puerto, tiempo
        self.libres: list[http.client.HTTPConnection] = []
        self.candado = threading.Lock()

    def pedir(self, peticion: Peticion) -> tuple[int | None, int, float]:
        """Devuelve ``(estado o None, bytes recibidos, segundos)``."""
        with self.candado:
            conexion = self.libres.pop() if self.libres else None
        inicio = time.perf_counter()
        for intento in range(2):
            if conexion is None:
                conexion = http.client.HTTPConnection(
                    self.anfitrion, self.puerto, timeout=self.tiempo
                )
            try:
                conexion.request(
                    peticion.metodo, peticion.ruta, body=peticion.cuerpo, headers=peticion.cabeceras
                )
                respuesta = conexion.getresponse()
                cuerpo = respuesta.read()
                estado = respuesta.status
                if respuesta.will_close:
                    conexion.close()
                else:
                    with self.candado:
                        self.libres.append(conexion)
                return estado, len(cuerpo), time.perf_counter() - inicio
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # conexión persistente cerrada por el servidor (keep-alive vencido): otra vez
                conexion.close()
                conexion = None
                if intento == 1:
                    return None, 0, time.perf_counter() - inicio
            except (OSError, http.client.HTTPException):
                conexion.close()
                return None, 0, time.perf_counter() - inicio
        return None, 0, time.perf_counter() - inicio

    def cerrar(self) -> None:
        for conexion in self.libres:
            conexion.close()


@dataclass
class Medicion:
    tipo: str
    segundos: float
    estado: int | None
    bytes: int = 0


def _correcto(estado: int | None) -> bool:
    return estado is not None and (200 <= estado < 300 or estado == 304)


def _hacer_accion(cliente: Cliente, hilos: ThreadPoolExecutor, accion: Accion, detalle: bool):
    """Una acción, oleada por oleada; cada callback se mide por sus salidas."""
    mediciones = []
    inicio = time.perf_counter()
    todo_bien = True
    for oleada in accion.oleadas():
        resultados = list(hilos.map(cliente.pedir, oleada))
        for peticion, (estado, tamano, segundos) in zip(oleada, resultados, strict=True):
            tipo = peticion.tipo + (f" · {peticion.detalle}" if peticion.detalle else "")
            mediciones.append(Medicion(tipo, segundos, estado, tamano))
            todo_bien &= _correcto(estado)
    nombre = "acción: " + (accion.nombre if detalle else accion.nombre.split(" (")[0])
    mediciones.append(Medicion(nombre, time.perf_counter() - inicio, 200 if todo_bien else 0))
    return mediciones


def repetir(
    url: str,
    acciones: list[Accion],
    usuarios: int,
    iteraciones: int,
    duracion: float,
    detalle: bool = False,
    grupo: int | None = None,
) -> dict:
    """``usuarios`` hilos repiten ``acciones`` hasta ``iteraciones`` veces o ``duracion`` s."""
    partes = urllib.parse.urlsplit(url)
    barrera = threading.Barrier(usuarios)
    mediciones: list[Medicion] = []
    candado = threading.Lock()
    limite = [0.0]

    def usuario(_i: int) -> int:
        cliente = Cliente(partes.hostname, partes.port or 80, tiempo=120)
        hechas = 0
        with ThreadPoolExecutor(max_workers=CONEXIONES) as hilos:
            barrera.wait()
            for _ in range(iteraciones):
                if time.perf_counter() > limite[0]:
                    break
                propias = []
                for accion in acciones:
                    propias += _hacer_accion(cliente, hilos, accion, detalle)
                with candado:
                    mediciones.extend(propias)
                hechas += 1
        cliente.cerrar()
        return hechas

    limite[0] = time.perf_counter() + duracion
    cpu_antes = cpu_servidor(grupo)
    inicio = time.perf_counter()
    with ThreadPoolExecutor(max_workers=usuarios) as hilos_usuarios:
        vueltas = list(hilos_usuarios.map(usuario, range(usuarios)))
    pared = time.perf_counter() - inicio
    resumen = _resumir(mediciones, usuarios, pared, sum(vueltas))
    if cpu_antes is not None:
        cpu = cpu_servidor(grupo) - cpu_antes
        resumen["cpu_servidor_s"] = round(cpu, 2)
        if resumen["peticiones"]:
            resumen["cpu_ms_por_peticion"] = round(cpu * 1000 / resumen["peticiones"], 1)
        if sum(vueltas):
            resumen["cpu_ms_por_vuelta"] = round(cpu * 1000 / sum(vueltas), 1)
    return resumen


def _percentil(valores: list[float], p: float) -> float:
    """Percentil por rango más cercano (``valores`` ordenados)."""
    return valores[max(0, math.ceil(p / 100 * len(valores)) - 1)]


def _resumir(mediciones: list[Medicion], usuarios: int, pared: float, vueltas: int) -> dict:
    tipos: dict[str, list[Medicion]] = {}
    for m in mediciones:
        tipos.setdefault(m.tipo, []).append(m)
    filas = {}
    for tipo, lista in tipos.items():
        tiempos = sorted(m.segundos * 1000 for m in lista)
        filas[tipo] = {
            "n": len(lista),
            "p50_ms": round(_percentil(tiempos, 50), 1),
            "p95_ms": round(_percentil(tiempos, 95), 1),
            "p99_ms": round(_percentil(tiempos, 99), 1),
            "errores": sum(not _correcto(m.estado) for m in lista),
            "kb_medio": round(sum(m.bytes for m in lista) / len(lista) / 1024, 1),
        }
    peticiones = [m for m in mediciones if not m.tipo.startswith("acción")]
    return {
        "usuarios": usuarios,
        "iteraciones_completas": vueltas,
        "segundos": round(pared, 2),
        "peticiones": len(peticiones),
        "peticiones_por_segundo": round(len(peticiones) / pared, 2) if pared else 0,
        "errores": sum(not _correcto(m.estado) for m in peticiones),
        "estados_con_error": sorted({str(m.estado) for m in peticiones if not _correcto(m.estado)}),
        "tipos": filas,
    }


def imprimir(resultado: dict) -> None:
    print(
        f"\n== {resultado['usuarios']} usuario(s): {resultado['iteraciones_completas']} vueltas, "
        f"{resultado['peticiones']} peticiones en {resultado['segundos']:.1f} s = "
        f"{resultado['peticiones_por_segundo']:.1f} pet/s; errores: {resultado['errores']}"
        + (
            f" (estados {', '.join(resultado['estados_con_error'])})"
            if resultado["errores"]
            else ""
        )
    )
    if "cpu_servidor_s" in resultado:
        print(
            f"CPU del servidor: {resultado['cpu_servidor_s']:.1f} s = "
            f"{resultado.get('cpu_ms_por_vuelta', 0):.0f} ms por vuelta de un usuario, "
            f"{resultado.get('cpu_ms_por_peticion', 0):.0f} ms por petición"
        )
    ancho = max(len(t) for t in resultado["tipos"])
    print(
        f"{'tipo':<{ancho}}  {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'err':>4} {'kB':>7}"
    )
    orden = sorted(
        resultado["tipos"].items(), key=lambda par: (par[0].startswith("acción"), par[0])
    )
    for tipo, f in orden:
        print(
            f"{tipo:<{ancho}}  {f['n']:>5} {f['p50_ms']:>8.0f} {f['p95_ms']:>8.0f} "
            f"{f['p99_ms']:>8.0f} {f['errores']:>4} {f['kb_medio']:>7.1f}"
        )
    sys.stdout.flush()


# --------------------------------------------------------------------------------------------
# Servidor
# --------------------------------------------------------------------------------------------


def cpu_servidor(grupo: int | None) -> float | None:
    """Segundos de CPU (usuario + sistema) de los procesos del grupo ``grupo`` (Linux).

    Con la máquina compartida, el tiempo de pared sube con la carga de los demás; la CPU que
    gasta el servidor por petición casi no.
    """
    if grupo is None or not Path("/proc").is_dir():
        return None
    total = 0
    for entrada in Path("/proc").iterdir():
        if not entrada.name.isdigit():
            continue
        try:
            campos = (entrada / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(campos[2]) == grupo:  # pgrp; utime y stime son los campos 14 y 15
            total += int(campos[11]) + int(campos[12])
    return total / os.sysconf("SC_CLK_TCK")


def arrancar_servidor(datos: Path, puerto: int) -> subprocess.Popen:
    """``tablero`` (gunicorn, sus procesos e hilos por omisión) con el código de este árbol."""
    return arrancar_tablero(puerto, "--datos", str(datos))


def esperar_servidor(url: str, proceso: subprocess.Popen | None, limite: float = 300) -> None:
    partes = urllib.parse.urlsplit(url)
    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        if proceso is not None and proceso.poll() is not None:
            raise RuntimeError(f"El servidor terminó al arrancar (salida {proceso.returncode})")
        try:
            conexion = http.client.HTTPConnection(partes.hostname, partes.port, timeout=5)
            conexion.request("GET", "/_dash-dependencies")
            if conexion.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("El servidor no arrancó a tiempo")


def _solo_local(url: str) -> str:
    partes = urllib.parse.urlsplit(url)
    try:
        local = ipaddress.ip_address(partes.hostname or "").is_loopback
    except ValueError:
        local = partes.hostname == "localhost"
    if partes.scheme != "http" or not local or not partes.port:
        raise SystemExit(f"--url debe ser http://127.0.0.1:PUERTO (solo local); se recibió {url}")
    return f"http://127.0.0.1:{partes.port}"


def main(argv=None) -> int:
    args = _argumentos(argv)
    proceso = None
    temporal = None
    try:
        if args.url:
            url = _solo_local(args.url)
        else:
            if args.datos:
                datos = Path(args.datos)
            else:
                temporal = Path(tempfile.mkdtemp(prefix="bench-usuarios-"))
                datos = temporal / "datos"
            url = f"http://127.0.0.1:{args.puerto or puerto_libre()}"
            print(f"Arrancando el servidor de producción en {url} (datos en {datos})…", flush=True)
            memoria = os.environ.get("SIGUE_CACHE_RESPUESTAS_MB", "").strip() or "64 (omisión)"
            print(f"Memoria de respuestas (SIGUE_CACHE_RESPUESTAS_MB): {memoria}", flush=True)
            proceso = arrancar_servidor(datos, urllib.parse.urlsplit(url).port)
        esperar_servidor(url, proceso)
        grupo = proceso.pid if proceso is not None else None  # start_new_session: pgid = pid

        inicio = time.perf_counter()
        acciones, descarga = capturar(url)
        if descarga:
            acciones.append(descarga)
        print(f"Captura en Chromium: {time.perf_counter() - inicio:.1f} s", flush=True)
        for accion in acciones:
            print(
                f"  {accion.nombre}: {len(accion.peticiones)} peticiones en "
                f"{len(accion.oleadas())} oleadas"
            )
            if args.detalle:
                for p in accion.peticiones:
                    print(f"      {p.metodo} {p.ruta[:60]} {p.detalle} (espera {p.espera})")

        # Calentamiento: llena cachés de ambos procesos de gunicorn; no cuenta.
        calentamiento = repetir(url, acciones, 4, 1, args.duracion)
        print(
            f"Calentamiento (4 usuarios, 1 vuelta, no cuenta): {calentamiento['segundos']:.1f} s, "
            f"errores {calentamiento['errores']}",
            flush=True,
        )

        resultados = []
        for n in args.usuarios:
            resultado = repetir(
                url, acciones, n, args.iteraciones, args.duracion, args.detalle, grupo
            )
            imprimir(resultado)
            resultados.append(resultado)
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "url": url,
                        "iteraciones": args.iteraciones,
                        "duracion_maxima": args.duracion,
                        "acciones": [
                            {
                                "nombre": a.nombre,
                                "peticiones": [
                                    {
                                        "tipo": p.tipo,
                                        "metodo": p.metodo,
                                        "ruta": p.ruta,
                                        "detalle": p.detalle,
                                    }
                                    for p in a.peticiones
                                ],
                            }
                            for a in acciones
                        ],
                        "resultados": resultados,
                    },
                    ensure_ascii=False,
                    indent=2,
                ),
                encoding="utf-8",
            )
            print(f"\nResultados en {args.json}")
    finally:
        if proceso is not None:
            detener(proceso)
        if temporal is not None:
            shutil.rmtree(temporal, ignore_errors=True)
    return 0


def _argumentos(argv=None) -> argparse.Namespace:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--usuarios", type=int, nargs="+", default=[1, 10, 50])
    analizador.add_argument(
        "--iteraciones", type=int, default=5, help="vueltas por usuario (por omisión 5)"
    )
    analizador.add_argument(
        "--duracion",
        type=float,
        default=60,
        help="segundos máximos por N: ningún usuario empieza otra vuelta después (por omisión 60)",
    )
    analizador.add_argument(
        "--datos", help="carpeta de datos (por omisión, temporal con el ejemplo)"
    )
    analizador.add_argument(
        "--puerto", type=int, help="puerto del servidor (por omisión, uno libre)"
    )
    analizador.add_argument("--url", help="servidor que ya corre (solo http://127.0.0.1:PUERTO)")
    analizador.add_argument("--json", help="guarda los resultados en este archivo")
    analizador.add_argument(
        "--detalle",
        action="store_true",
        help="lista las peticiones capturadas y separa cada cambio de filtro por componente",
    )
    return analizador.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
