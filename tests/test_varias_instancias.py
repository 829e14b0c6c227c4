"""Varias instancias del tablero sobre una carpeta de datos y una base de reportes.

Dos servidores de producción (``tablero``: gunicorn con 2 procesos cada uno) en puertos
distintos, en subprocesos, con la misma ``SIGUE_DATOS``: SQLite en esa carpeta o, con
``DATABASE_URL`` (``make test-postgresql``), un PostgreSQL compartido. Se comprueba que

- sirven la misma versión y los mismos datos;
- un reporte creado en uno se lee en el otro (API y descarga), y una sesión de funcionario
  abierta en uno vale en el otro (el secreto de las cookies vive en la carpeta de datos);
- una versión nueva cargada con ``ingesta`` llega a los dos **sin reiniciar**: el puntero
  ``ACTUAL`` se lee en cada petición y las cachés van por versión.

Arrancar dos servidores tarda varios segundos: marca ``instancias``, fuera de la suite rápida
(``make test`` la corre aparte, con ``-n 0``). La preparación del esquema a la vez desde
varias conexiones (lo que hacen dos instancias que arrancan juntas) sí es rápida.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.ayuda_servidor import arrancar_tablero, detener, puerto_libre
from tests.conftest import escribir_csv

RAIZ = Path(__file__).resolve().parents[1]
CAJONES = [
    ["ID", "LATITUD", "LONGITUD", "DIRECCION", "CAJONES", "ESTADO"],
    ["EST-001", "17.0606", "-96.7266", "Macedonio Alcalá 202, Centro", "1", "bueno"],
    ["EST-002", "17.0650", "-96.7230", "García Vigil 100, Centro", "2", "requiere_rehabilitacion"],
]
NUEVO = ["EST-003", "17.0700", "-96.7200", "Independencia 300, Centro", "1", "bueno"]
CONTRASENA = "una-contrasena-larga-de-prueba"
#: Peticiones por comprobación: con 2 procesos por servidor, ambos procesos contestan alguna.
REPETICIONES = 6
#: Arranques simultáneos en la prueba del esquema.
HILOS_ESQUEMA = 8


def _ingesta(*argumentos: str, datos: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ingesta", *argumentos, "--datos", str(datos), "--json"],
        cwd=RAIZ,
        env=dict(os.environ, PYTHONPATH=str(RAIZ)),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )


def _arrancar(datos: Path, puerto: int) -> subprocess.Popen:
    # La carpeta compartida llega por SIGUE_DATOS, como en un despliegue con varias máquinas.
    return arrancar_tablero(
        puerto, "--trabajadores", "2", entorno={"SIGUE_DATOS": str(datos)}, stderr=subprocess.PIPE
    )


def _esperar(base: str, proceso: subprocess.Popen, limite: float = 180) -> None:
    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        if proceso.poll() is not None:
            raise AssertionError(f"el tablero terminó al arrancar: {proceso.stderr.read()[-2000:]}")
        try:
            urllib.request.urlopen(base + "/api/reportes/R-PRUEBA0", timeout=5)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"el tablero en {base} no arrancó en {limite} s")


@pytest.fixture()
def instancias(tmp_path):
    """Dos tableros sobre la misma carpeta de datos (con los dos cajones en ``v0001``)."""
    if os.environ.get("DATABASE_URL"):
        from tests.ayuda_reportes import limpiar_base

        limpiar_base(tmp_path)  # PostgreSQL compartido entre pruebas: de cero
    datos = tmp_path / "datos"
    _ingesta(
        "cargar", "estacionamientos", str(escribir_csv(tmp_path, "c.csv", CAJONES)), datos=datos
    )
    procesos, bases = [], []
    try:
        for _ in range(2):
            puerto = puerto_libre()
            procesos.append(_arrancar(datos, puerto))
            bases.append(f"http://127.0.0.1:{puerto}")
        for base, proceso in zip(bases, procesos, strict=True):
            _esperar(base, proceso)
        yield datos, bases, procesos
    finally:
        for proceso in procesos:
            detener(proceso)


def _leer(url: str, abridor=None) -> tuple[int, bytes]:
    try:
        with (abridor or urllib.request.build_opener()).open(url, timeout=60) as respuesta:
            return respuesta.status, respuesta.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _json(url: str):
    estado, cuerpo = _leer(url)
    assert estado == 200, (url, estado, cuerpo[:300])
    return json.loads(cuerpo)


def _versiones(base: str) -> set[str]:
    """Versiones que sirve ``base`` en :data:`REPETICIONES` peticiones (conexiones nuevas)."""
    return {_json(base + "/descargas/datapackage.json")["version"] for _ in range(REPETICIONES)}


def _cajones(base: str) -> list[str]:
    estado, cuerpo = _leer(base + "/descargas/estacionamientos.csv")
    assert estado == 200
    lineas = cuerpo.decode("utf-8").splitlines()
    columna = lineas[0].split(",").index("id")
    return sorted(linea.split(",")[columna] for linea in lineas[1:])


def _reportar(base: str, cajon: str, descripcion: str) -> str:
    peticion = urllib.request.Request(
        base + "/api/reportes",
        data=json.dumps(
            {"estacionamiento_id": cajon, "tipo": "obstruido", "descripcion": descripcion}
        ).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(peticion, timeout=60) as respuesta:
            estado, cuerpo = respuesta.status, json.loads(respuesta.read())
    except urllib.error.HTTPError as error:
        estado, cuerpo = error.code, json.loads(error.read())
    assert estado == 201, (estado, cuerpo)
    return cuerpo["folio"]


class _SinRedirigir(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_el_esquema_se_prepara_a_la_vez_desde_varias_instancias(tmp_path):
    """Ocho arranques a la vez sobre una base vacía: ninguno falla, una sola fila de versión.

    Con PostgreSQL, sin el candado consultivo dos ``CREATE TABLE`` simultáneos chocaban
    (``IntegrityError``) y una instancia no arrancaba.
    """
    from sqlalchemy import create_engine, func, inspect, select

    from tablero.reportes import bd
    from tablero.reportes.modelo import VERSION_ESQUEMA, Base, Esquema
    from tests.ayuda_reportes import limpiar_base

    limpiar_base(tmp_path)
    url = bd.url_base(tmp_path)
    barrera = threading.Barrier(HILOS_ESQUEMA)
    errores = []

    def arrancar():
        barrera.wait()
        try:
            bd.crear_esquema(url)
        except Exception as error:  # noqa: BLE001 - se informa abajo
            errores.append(repr(error))

    hilos = [threading.Thread(target=arrancar) for _ in range(HILOS_ESQUEMA)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=60)
    assert errores == []
    motor = create_engine(url)
    try:
        assert set(Base.metadata.tables) <= set(inspect(motor).get_table_names())
        with motor.connect() as conexion:
            filas = conexion.execute(select(func.count()).select_from(Esquema)).scalar_one()
            version = conexion.execute(select(Esquema.version)).scalar_one()
        assert (filas, version) == (1, VERSION_ESQUEMA)
    finally:
        motor.dispose()


@pytest.mark.instancias
def test_dos_instancias_comparten_version_reportes_sesiones_y_versiones_nuevas(
    instancias, tmp_path
):
    datos, (a, b), procesos = instancias

    # Misma versión y mismos datos en las dos (y en cada proceso de cada una).
    assert _versiones(a) == _versiones(b) == {"v0001"}
    assert _cajones(a) == _cajones(b) == ["EST-001", "EST-002"]

    # Un reporte creado en A se lee en B, por la API y en la descarga pública.
    folio = _reportar(a, "EST-001", "Camioneta en el cajón (creado en A)")
    publico = _json(f"{b}/api/reportes/{folio}")
    assert (publico["folio"], publico["estacionamiento_id"], publico["descripcion"]) == (
        folio,
        "EST-001",
        "Camioneta en el cajón (creado en A)",
    )
    estado, csv_b = _leer(b + "/descargas/reportes.csv")
    assert estado == 200 and csv_b.decode("utf-8").count(folio) == 1

    # Una sesión de funcionario abierta en A vale en B (mismo secreto y misma base).
    subprocess.run(
        [sys.executable, "-m", "tablero.cli", "usuario", "crear", "ana.atencion"],
        cwd=RAIZ,
        env=dict(os.environ, PYTHONPATH=str(RAIZ), SIGUE_DATOS=str(datos)),
        input=CONTRASENA + "\n",
        text=True,
        capture_output=True,
        check=True,
        timeout=120,
    )
    galletas = http.cookiejar.CookieJar()  # las cookies no distinguen puertos: un solo sitio
    navegante = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(galletas), _SinRedirigir()
    )
    estado, formulario = _leer(a + "/atencion/entrar", navegante)
    token = re.search(r'name="csrf" value="([^"]+)"', formulario.decode()).group(1)
    entrada = urllib.request.Request(
        a + "/atencion/entrar",
        data=urllib.parse.urlencode(
            {"usuario": "ana.atencion", "contrasena": CONTRASENA, "csrf": token}
        ).encode(),
        method="POST",
    )
    assert _leer(entrada, navegante)[0] == 302  # entró en A
    estado, bandeja = _leer(b + "/atencion", navegante)
    assert estado == 200 and folio in bandeja.decode("utf-8")  # B la reconoce y lista el reporte
    assert _leer(a + "/atencion", urllib.request.build_opener(_SinRedirigir()))[0] == 302

    # Versión nueva con ingesta (un cajón más): las dos la sirven sin reiniciar.
    pids = [p.pid for p in procesos]
    carga = _ingesta(
        "cargar",
        "estacionamientos",
        str(escribir_csv(tmp_path, "c2.csv", [*CAJONES, NUEVO])),
        datos=datos,
    )
    assert json.loads(carga.stdout.strip().splitlines()[-1])["version"] == "v0002"
    assert _versiones(a) == _versiones(b) == {"v0002"}
    assert _cajones(a) == _cajones(b) == ["EST-001", "EST-002", "EST-003"]
    # El cajón nuevo ya se puede reportar en B y el reporte se lee en A.
    folio_nuevo = _reportar(b, "EST-003", "Sin señalización (creado en B)")
    assert _json(f"{a}/api/reportes/{folio_nuevo}")["estacionamiento_id"] == "EST-003"
    # La versión anterior sigue disponible en las dos.
    assert _json(a + "/descargas/datapackage.json?version=v0001")["version"] == "v0001"
    assert _json(b + "/descargas/datapackage.json?version=v0001")["version"] == "v0001"
    assert [p.pid for p in procesos] == pids and all(p.poll() is None for p in procesos)
