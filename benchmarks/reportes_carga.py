"""Prueba de carga de reportes (acotada, solo en 127.0.0.1).

1. Arranca el servidor de producción (``tablero``, gunicorn con 4 procesos) sobre un almacén
   temporal con cajones de estacionamiento.
2. Envía 200 reportes a la vez (200 hilos que salen juntos): todos deben recibir ``201`` con
   folio, sin folios repetidos, y todos deben poder leerse después.
3. Envía una segunda ráfaga y, a media ráfaga, mata el servidor entero con SIGKILL. Lo vuelve
   a arrancar y comprueba que **cada** reporte confirmado (``201`` recibido) sigue ahí.
4. Ráfaga del mismo cliente: 40 reportes a la vez desde una sola dirección con el límite de
   10 por hora: exactamente 10 aceptados (``201``) y 30 rechazados (``429``).
5. Ráfaga de entradas: 60 contraseñas equivocadas a la vez desde una dirección para una
   cuenta (exactamente 5 verificadas, 55 en espera), 60 desde 60 direcciones distintas (la
   funcionaria entra después desde la suya a la primera) y la mediana del tiempo de una
   entrada fallida con usuario existente frente a uno que no existe.

Cada petición de las ráfagas 1 y 2 sale de una dirección distinta (``X-Forwarded-For`` con
``SIGUE_PROXIES=1``: el servidor solo escucha en 127.0.0.1); así el límite de 10 reportes por
hora y cliente sigue activo todo el tiempo.

Usa SQLite en la carpeta de datos, o PostgreSQL si ``DATABASE_URL`` está definida.

Uso::

    python benchmarks/reportes_carga.py [--reportes 200] [--trabajadores 4] [--puerto 8790]
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CAJONES = (
    "ID,LATITUD,LONGITUD,DIRECCION,CAJONES,ESTADO\n"
    "EST-001,17.0606,-96.7266,Macedonio Alcalá 202,1,bueno\n"
    "EST-002,17.0650,-96.7230,García Vigil 100,2,requiere_rehabilitacion\n"
)


def main() -> None:
    args = _argumentos()
    carpeta = Path(tempfile.mkdtemp(prefix="carga-reportes-"))
    (carpeta / "cajones.csv").write_text(CAJONES, encoding="utf-8")
    datos = carpeta / "datos"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ingesta.cli",
            "cargar",
            "estacionamientos",
            str(carpeta / "cajones.csv"),
            "--datos",
            str(datos),
        ],
        check=True,
        capture_output=True,
    )
    base = f"http://127.0.0.1:{args.puerto}"
    servidor = _arrancar(datos, args)
    try:
        _esperar(base)
        print(f"Servidor listo en {base} con {args.trabajadores} procesos ({_motor()}).")

        # --- ráfaga 1: todo confirmado, todo legible, sin folios repetidos -----------------
        inicio = time.perf_counter()
        resultados = _rafaga(base, args.reportes, "ráfaga 1")
        duracion = time.perf_counter() - inicio
        confirmados = [r for r in resultados if r["estado"] == 201]
        folios = [r["folio"] for r in confirmados]
        errores = [r for r in resultados if r["estado"] != 201]
        legibles = sum(_leer(base, r["folio"]) == r["descripcion"] for r in confirmados)
        tiempos = sorted(r["segundos"] for r in resultados)
        print(
            f"Ráfaga 1: {len(resultados)} enviados a la vez en {duracion:.2f} s; "
            f"{len(confirmados)} confirmados (201), {len(errores)} errores, "
            f"{len(folios) - len(set(folios))} folios repetidos, {legibles} legibles; "
            f"respuesta mediana {statistics.median(tiempos) * 1000:.0f} ms, "
            f"p95 {tiempos[int(0.95 * (len(tiempos) - 1))] * 1000:.0f} ms"
        )
        assert len(confirmados) == args.reportes and not errores, errores[:3]
        assert len(set(folios)) == len(folios) and legibles == len(folios)

        # --- ráfaga 2 con SIGKILL a media ráfaga --------------------------------------------
        confirmados2: list[dict] = []
        candado = threading.Lock()

        def al_confirmar(resultado: dict) -> None:
            with candado:
                confirmados2.append(resultado)

        hilo = threading.Thread(
            target=_rafaga, args=(base, args.reportes, "ráfaga 2", al_confirmar), daemon=True
        )
        hilo.start()
        while len(confirmados2) < args.reportes // 4:
            time.sleep(0.005)
        os.killpg(servidor.pid, signal.SIGKILL)
        servidor.wait()
        hilo.join(timeout=120)
        confirmados_antes = [r for r in confirmados2 if r["estado"] == 201]
        print(
            f"Ráfaga 2: servidor matado con SIGKILL tras {len(confirmados_antes)} confirmaciones "
            f"(el resto de la ráfaga falló por conexión, como se espera)."
        )
        servidor = _arrancar(datos, args)
        _esperar(base)
        perdidos = [
            r["folio"] for r in confirmados_antes if _leer(base, r["folio"]) != r["descripcion"]
        ]
        print(
            f"Tras reiniciar: {len(confirmados_antes) - len(perdidos)} de {len(confirmados_antes)} "
            f"reportes confirmados siguen ahí; perdidos: {len(perdidos)}."
        )
        assert not perdidos, perdidos[:5]
        print("Resultado: todo confirmado es legible, sin folios repetidos y sin pérdidas.")

        # --- ráfaga 3: el mismo cliente, límite de 10 por hora --------------------------
        inicio = time.perf_counter()
        mismo = _rafaga(base, 40, "ráfaga 3", direccion=lambda _i: _direccion_nueva())
        duracion = time.perf_counter() - inicio
        estados = sorted(r["estado"] or 0 for r in mismo)
        print(
            f"Ráfaga 3 (mismo cliente, 40 a la vez, límite 10/h): {estados.count(201)} "
            f"aceptados (201), {estados.count(429)} rechazados (429), "
            f"{len(estados) - estados.count(201) - estados.count(429)} otros, en {duracion:.2f} s"
        )
        assert estados == [201] * 10 + [429] * 30, estados

        # --- ráfaga 4: entradas ----------------------------------------------------------
        _entradas(base, datos)
    finally:
        try:
            os.killpg(servidor.pid, signal.SIGTERM)
            servidor.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(servidor.pid, signal.SIGKILL)


#: Direcciones de prueba de 198.18.0.0/15 (RFC 2544), desde un punto al azar en cada corrida:
#: con PostgreSQL los envíos de una corrida anterior siguen contando una hora.
_DIRECCIONES = iter(range(secrets.randbelow(1 << 17), 1 << 30))
_CANDADO_DIRECCIONES = threading.Lock()


def _direccion_nueva() -> str:
    """Una dirección distinta en cada llamada (de 198.18.0.0/15)."""
    with _CANDADO_DIRECCIONES:
        n = next(_DIRECCIONES) % (1 << 17)
    return f"198.{18 + (n >> 16)}.{(n >> 8) % 256}.{n % 256}"


def _rafaga(base: str, cantidad: int, nombre: str, al_confirmar=None, direccion=None) -> list[dict]:
    """``cantidad`` reportes a la vez; ``direccion(i)`` da la del cliente (una por envío)."""
    barrera = threading.Barrier(cantidad)
    if direccion is None:
        direcciones = [_direccion_nueva() for _ in range(cantidad)]
    else:
        unica = direccion(0)
        direcciones = [unica] * cantidad

    def enviar(i: int) -> dict:
        descripcion = (
            f"{nombre} n.º {i}: cajón ocupado <b>sin permiso</b> '; DROP TABLE reportes; --"
        )
        cuerpo = json.dumps(
            {
                "estacionamiento_id": "EST-001" if i % 2 else "EST-002",
                "tipo": "ocupado_indebidamente",
                "descripcion": descripcion,
            }
        ).encode()
        peticion = urllib.request.Request(
            base + "/api/reportes",
            data=cuerpo,
            headers={"Content-Type": "application/json", "X-Forwarded-For": direcciones[i]},
            method="POST",
        )
        barrera.wait()
        inicio = time.perf_counter()
        try:
            with urllib.request.urlopen(peticion, timeout=60) as respuesta:
                resultado = {
                    "estado": respuesta.status,
                    "folio": json.loads(respuesta.read())["folio"],
                }
        except urllib.error.HTTPError as error:
            resultado = {"estado": error.code, "folio": None}
        except (OSError, http.client.HTTPException) as error:  # conexión cortada al matar
            resultado = {"estado": None, "folio": None, "error": type(error).__name__}
        resultado.update(descripcion=descripcion, segundos=time.perf_counter() - inicio)
        if al_confirmar and resultado["estado"] == 201:
            al_confirmar(resultado)
        return resultado

    with ThreadPoolExecutor(max_workers=cantidad) as hilos:
        return list(hilos.map(enviar, range(cantidad)))


class _SinRedirigir(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _navegante():
    """Cliente HTTP con sus propias cookies y que no sigue redirecciones (un 302 es un 302)."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _SinRedirigir()
    )


def _preparar_entrada(base: str, direccion: str):
    navegante = _navegante()
    peticion = urllib.request.Request(
        base + "/atencion/entrar", headers={"X-Forwarded-For": direccion}
    )
    with navegante.open(peticion, timeout=60) as respuesta:
        token = re.search(r'name="csrf" value="([^"]+)"', respuesta.read().decode()).group(1)
    return navegante, token


def _entrar(base: str, navegante, token: str, direccion: str, usuario: str, contrasena: str):
    """Un intento de entrada; devuelve ``(estado, segundos)``."""
    cuerpo = urllib.parse.urlencode(
        {"usuario": usuario, "contrasena": contrasena, "csrf": token}
    ).encode()
    peticion = urllib.request.Request(
        base + "/atencion/entrar",
        data=cuerpo,
        headers={"X-Forwarded-For": direccion},
        method="POST",
    )
    inicio = time.perf_counter()
    try:
        with navegante.open(peticion, timeout=60) as respuesta:
            estado = respuesta.status
    except urllib.error.HTTPError as error:
        estado = error.code
    return estado, time.perf_counter() - inicio


def _entradas(base: str, datos: Path) -> None:
    """Ráfagas de entrada y tiempos de una entrada fallida (usuario existente o no)."""
    usuario = f"carga.{secrets.token_hex(3)}"
    contrasena = secrets.token_urlsafe(18)
    subprocess.run(
        [sys.executable, "-m", "tablero.cli", "usuario", "crear", usuario, "--datos", str(datos)],
        input=contrasena + "\n",
        text=True,
        check=True,
        capture_output=True,
    )

    def rafaga(direcciones: list[str]) -> tuple[list[int], float]:
        preparados = [_preparar_entrada(base, d) for d in direcciones]
        barrera = threading.Barrier(len(direcciones))

        def intentar(i: int) -> int:
            navegante, token = preparados[i]
            barrera.wait()
            return _entrar(base, navegante, token, direcciones[i], usuario, "equivocada-123")[0]

        inicio = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(direcciones)) as hilos:
            estados = sorted(hilos.map(intentar, range(len(direcciones))))
        return estados, time.perf_counter() - inicio

    una = _direccion_nueva()
    estados, duracion = rafaga([una] * 60)
    print(
        f"Ráfaga 4a (60 entradas a la vez, una dirección, una cuenta): {estados.count(401)} "
        f"contraseñas verificadas (401), {estados.count(429)} en espera (429), en {duracion:.2f} s"
    )
    assert estados == [401] * 5 + [429] * 55, estados

    estados, duracion = rafaga([_direccion_nueva() for _ in range(60)])
    navegante, token = _preparar_entrada(base, "198.51.100.7")
    propia = _entrar(base, navegante, token, "198.51.100.7", usuario, contrasena)[0]
    print(
        f"Ráfaga 4b (60 entradas a la vez desde 60 direcciones, misma cuenta): "
        f"{estados.count(401)} verificadas (401), {estados.count(429)} en espera; la "
        f"funcionaria desde su dirección: {propia} (302 = entró)"
    )
    assert estados == [401] * 60 and propia == 302, (estados, propia)

    tiempos: dict[str, list[float]] = {"existente": [], "desconocido": []}
    for i in range(21):
        for caso, nombre in (("existente", usuario), ("desconocido", f"nadie.{i}.{usuario}")):
            direccion = _direccion_nueva()
            navegante, token = _preparar_entrada(base, direccion)
            estado, segundos = _entrar(base, navegante, token, direccion, nombre, "equivocada-123")
            assert estado == 401, estado
            tiempos[caso].append(segundos)
    medianas = {caso: statistics.median(t) * 1000 for caso, t in tiempos.items()}
    print(
        "Entrada fallida, mediana de 21 (secuenciales): usuario existente "
        f"{medianas['existente']:.0f} ms, usuario desconocido {medianas['desconocido']:.0f} ms"
    )


def _leer(base: str, folio: str) -> str | None:
    try:
        with urllib.request.urlopen(f"{base}/api/reportes/{folio}", timeout=30) as respuesta:
            return json.loads(respuesta.read())["descripcion"]
    except (OSError, http.client.HTTPException):
        return None


def _arrancar(datos: Path, args) -> subprocess.Popen:
    # Límite real de 10 reportes por hora y cliente; la dirección del cliente viene en
    # X-Forwarded-For (un proxy de confianza), para simular muchos clientes desde 127.0.0.1.
    entorno = dict(os.environ, SIGUE_LIMITE_REPORTES="10", SIGUE_PROXIES="1")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tablero.cli",
            "--datos",
            str(datos),
            "--puerto",
            str(args.puerto),
            "--trabajadores",
            str(args.trabajadores),
        ],
        env=entorno,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # grupo propio: SIGKILL al maestro y a sus procesos
    )


def _esperar(base: str, limite: float = 60) -> None:
    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        try:
            urllib.request.urlopen(base + "/api/reportes/R-PRUEBA0", timeout=2)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("El servidor no arrancó a tiempo")


def _motor() -> str:
    return "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"


def _argumentos() -> argparse.Namespace:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--reportes", type=int, default=200)
    analizador.add_argument("--trabajadores", type=int, default=4)
    analizador.add_argument("--puerto", type=int, default=8790)
    return analizador.parse_args()


if __name__ == "__main__":
    main()
