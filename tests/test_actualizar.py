"""``ingesta actualizar``: descargar las fuentes de ``fuentes.toml`` y cargar lo que cambió.

Un servidor HTTP local (127.0.0.1, puerto libre) sirve CSV de estacionamientos escritos en la
prueba, con ETag y Last-Modified. Después de cada paso se revisa la versión servida.
"""

from __future__ import annotations

import email.message
import fcntl
import hashlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from almacen.versiones import Almacen
from ingesta.actualizar import (
    ARCHIVO_ESTADO,
    FALLO,
    NUEVA,
    SIN_CAMBIOS,
    _nombre_archivo,
    actualizar,
)
from ingesta.carga import cargar
from ingesta.cli import main
from ingesta.errores import ErrorIngesta
from ingesta.fuentes_config import ConfigFuentes, FuenteRemota, FuentesInvalidas, leer_fuentes

ENCABEZADO = "ID,LATITUD,LONGITUD,DIRECCION,CAJONES,ESTADO,FECHA_REVISION,OBSERVACIONES,FOTO_URL\n"
CSV_1 = (
    ENCABEZADO
    + "E-1,17.0606,-96.7266,Macedonio Alcalá 100,2,bueno,2024-03-31,,\n"
    + "E-2,17.0677,-96.6734,Periférico,1,bueno,2024-04-01,,\n"
).encode()
CSV_2 = CSV_1 + b"E-3,17.0606,-96.7266,Garc\xc3\xada Vigil 5,1,bueno,2024-04-02,,\n"
COLUMNAS_MALAS = b"A,B\n1,2\n"
ULTIMA_MODIFICACION = "Wed, 01 Oct 2025 12:00:00 GMT"


def _etag(datos: bytes) -> str:
    return f'"{hashlib.sha256(datos).hexdigest()[:16]}"'


class _Servidor(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Manejador)
        self.archivos: dict[str, bytes] = {}
        self.disposicion: dict[str, str] = {}
        self.ignorar_condicional = False
        #: (ruta, If-None-Match, If-Modified-Since) de cada petición.
        self.peticiones: list[tuple[str, str | None, str | None]] = []
        self.liberar = threading.Event()

    def url(self, ruta: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{ruta}"


class _Manejador(BaseHTTPRequestHandler):
    server: _Servidor

    def log_message(self, *args):  # silencio
        pass

    def do_GET(self):
        srv = self.server
        ruta = urlsplit(self.path).path
        srv.peticiones.append(
            (ruta, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"))
        )
        if ruta == "/lento.csv":  # no responde hasta que la prueba termine
            srv.liberar.wait(10)
            return
        if ruta == "/redirige.csv":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        if ruta == "/grande-sin-longitud.csv":  # HTTP/1.0 sin Content-Length: hasta cerrar
            self.send_response(200)
            self.end_headers()
            self.wfile.write(ENCABEZADO.encode() + b"x" * 20_000)
            return
        if ruta == "/gotea.csv":  # un byte cada 50 ms, sin fin
            self.send_response(200)
            self.end_headers()
            try:
                while not srv.liberar.wait(0.05):
                    self.wfile.write(b"x")
                    self.wfile.flush()
            except OSError:  # el cliente se fue
                pass
            return
        if ruta not in srv.archivos:
            self.send_error(404)
            return
        datos = srv.archivos[ruta]
        if not srv.ignorar_condicional and self.headers.get("If-None-Match") == _etag(datos):
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/csv; charset=utf-8")
        self.send_header("Content-Length", str(len(datos)))
        self.send_header("ETag", _etag(datos))
        self.send_header("Last-Modified", ULTIMA_MODIFICACION)
        if ruta in srv.disposicion:
            self.send_header("Content-Disposition", srv.disposicion[ruta])
        self.end_headers()
        self.wfile.write(datos)


@pytest.fixture
def servidor():
    srv = _Servidor()
    hilo = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    hilo.start()
    yield srv
    srv.liberar.set()
    srv.shutdown()
    srv.server_close()


def _config(*fuentes: FuenteRemota, **limites) -> ConfigFuentes:
    return ConfigFuentes(fuentes=fuentes, **{"tiempo_espera": 5.0, **limites})


def _fuente(url: str, nombre: str = "Estacionamientos") -> FuenteRemota:
    return FuenteRemota(nombre=nombre, tipo="estacionamientos", url=url)


def test_secuencia_nueva_304_sha256_cambio(servidor, tmp_path):
    raiz, cache = tmp_path / "datos", tmp_path / "cache"
    servidor.archivos["/estacionamientos.csv"] = CSV_1
    config = _config(_fuente(servidor.url("/estacionamientos.csv")))

    # (1) Archivo nuevo -> versión nueva con sus filas.
    [r] = actualizar(raiz, config, cache=cache)
    assert (r.estado, r.carga.version, r.carga.archivo) == (NUEVA, "v0001", "estacionamientos.csv")
    assert (r.carga.filas_leidas, r.carga.filas_aceptadas, r.carga.filas_rechazadas) == (2, 2, 0)
    assert r.sha256 == hashlib.sha256(CSV_1).hexdigest()
    assert servidor.peticiones[-1] == ("/estacionamientos.csv", None, None)
    assert Almacen(raiz).id_actual() == "v0001"
    tabla = Almacen(raiz).version().leer("estacionamientos")
    assert tabla["id"].tolist() == ["E-1", "E-2"]
    assert Almacen(raiz).version().meta["fuentes"]["estacionamientos"]["sha256"] == r.sha256
    estado = json.loads((raiz / ARCHIVO_ESTADO).read_text(encoding="utf-8"))
    assert estado[config.fuentes[0].url]["etag"] == _etag(CSV_1)
    assert estado[config.fuentes[0].url]["ultima_modificacion"] == ULTIMA_MODIFICACION
    assert r.linea() == (
        "[nueva] Estacionamientos (estacionamientos): versión v0001 con estacionamientos.csv; "
        "filas leídas: 2 = aceptadas: 2 + rechazadas: 0 + omitidas: 0"
    )

    # (2) Mismo archivo -> GET condicional, 304, misma versión.
    [r] = actualizar(raiz, config, cache=cache)
    assert servidor.peticiones[-1] == ("/estacionamientos.csv", _etag(CSV_1), ULTIMA_MODIFICACION)
    assert (r.estado, r.motivo) == (SIN_CAMBIOS, "el servidor respondió 304 (no modificado)")
    assert Almacen(raiz).id_actual() == "v0001"

    # (3) El servidor ignora los encabezados condicionales: 200 con el mismo contenido.
    servidor.ignorar_condicional = True
    [r] = actualizar(raiz, config, cache=cache)
    assert r.estado == SIN_CAMBIOS
    assert r.motivo == (
        f"el archivo descargado ya está cargado (mismo sha256 {hashlib.sha256(CSV_1).hexdigest()[:12]}…)"
    )
    assert Almacen(raiz).id_actual() == "v0001"
    assert len(Almacen(raiz).versiones()) == 1

    # (4) Archivo cambiado -> versión nueva.
    servidor.ignorar_condicional = False
    servidor.archivos["/estacionamientos.csv"] = CSV_2
    [r] = actualizar(raiz, config, cache=cache)
    assert servidor.peticiones[-1][1] == _etag(CSV_1)  # se preguntó por la versión anterior
    assert (r.estado, r.carga.version, r.carga.filas_aceptadas) == (NUEVA, "v0002", 3)
    assert Almacen(raiz).id_actual() == "v0002"
    assert Almacen(raiz).version().leer("estacionamientos")["id"].tolist() == ["E-1", "E-2", "E-3"]

    # Las descargas temporales se borraron (un padrón crudo trae datos personales).
    assert list(cache.iterdir()) == []


@pytest.fixture(scope="module")
def cargada(tmp_path_factory):
    """Almacén con una versión (v0001), compartido por las pruebas de fallas (que no lo cambian)."""
    carpeta = tmp_path_factory.mktemp("cargada")
    (carpeta / "base.csv").write_bytes(CSV_1)
    cargar("estacionamientos", carpeta / "base.csv", carpeta / "datos")
    assert Almacen(carpeta / "datos").id_actual() == "v0001"
    return carpeta / "datos"


def _falla(raiz: Path, fuente: FuenteRemota, **limites) -> str:
    """Actualiza con una sola fuente que debe fallar; devuelve el motivo."""
    [r] = actualizar(raiz, _config(fuente, **limites), cache=raiz.parent / "cache")
    assert r.estado == FALLO and r.carga is None
    assert r.linea() == f"[falló] {fuente.nombre} (estacionamientos): {r.motivo}"
    assert Almacen(raiz).id_actual() == "v0001"
    assert [v["id"] for v in Almacen(raiz).versiones()] == ["v0001"]
    return r.motivo


def test_404_falla_y_version_intacta(servidor, cargada):
    motivo = _falla(cargada, _fuente(servidor.url("/no-existe.csv")))
    assert motivo == "no se pudo descargar: el servidor respondió HTTP 404 (no encontrado)"


def test_tiempo_de_espera_falla_y_version_intacta(servidor, cargada):
    motivo = _falla(cargada, _fuente(servidor.url("/lento.csv")), tiempo_espera=0.5)
    assert motivo == (
        "no se pudo descargar: 127.0.0.1 no respondió en 0.5 s (tiempo de espera agotado)"
    )


def test_cuerpo_mayor_que_el_limite_con_content_length(servidor, cargada):
    servidor.archivos["/mediano.csv"] = CSV_2
    limite_mb = 100 / 2**20  # 100 bytes; CSV_2 pesa más
    motivo = _falla(cargada, _fuente(servidor.url("/mediano.csv")), limite_mb=limite_mb)
    assert motivo == (
        f"no se pudo descargar: el archivo pesa {len(CSV_2)} bytes, más que el límite de 100 bytes"
    )


def test_cuerpo_mayor_que_el_limite_sin_content_length(servidor, cargada):
    fuente = _fuente(servidor.url("/grande-sin-longitud.csv"))
    motivo = _falla(cargada, fuente, limite_mb=10 * 2**10 / 2**20)  # 10 KB
    assert (
        motivo
        == "no se pudo descargar: el archivo pasa del límite de 10.0 KB; se cortó la descarga"
    )


def test_duracion_maxima_corta_un_servidor_que_gotea(servidor, cargada):
    """Cada byte llega antes del tiempo de espera, pero la descarga completa no termina nunca."""
    fuente = _fuente(servidor.url("/gotea.csv"))
    motivo = _falla(cargada, fuente, tiempo_espera=1.0, duracion_maxima=0.3)
    assert (
        motivo == "no se pudo descargar: la descarga tardó más de 0.3 s (duracion_maxima); se cortó"
    )


def test_sin_condicional_si_lo_recordado_no_esta_cargado(servidor, cargada):
    """Un ETag recordado de un archivo que ninguna versión tiene no se manda (se pediría un 304
    por algo que no se sirve)."""
    fuente = _fuente(servidor.url("/olvidado.csv"))
    estados = {fuente.url: {"sha256": "0" * 64, "etag": '"viejo"', "ultima_modificacion": None}}
    (cargada / ARCHIVO_ESTADO).write_text(json.dumps(estados), encoding="utf-8")
    _falla(cargada, fuente)
    assert servidor.peticiones[-1] == ("/olvidado.csv", None, None)


def test_una_actualizacion_a_la_vez(tmp_path):
    raiz = tmp_path / "datos"
    raiz.mkdir()
    with open(raiz / ".actualizar.bloqueo", "w") as otra:
        fcntl.flock(otra, fcntl.LOCK_EX)
        with pytest.raises(ErrorIngesta, match="Otra «ingesta actualizar» está en curso"):
            actualizar(raiz, _config(_fuente("http://127.0.0.1:9/x.csv")), cache=tmp_path / "c")


def test_archivo_que_no_se_puede_cargar(servidor, cargada, tmp_path):
    servidor.archivos["/malo.csv"] = COLUMNAS_MALAS
    fuente = _fuente(servidor.url("/malo.csv"))
    motivo = _falla(cargada, fuente)
    # El mismo mensaje que da la carga del archivo a mano.
    (tmp_path / "a_mano").mkdir()
    (tmp_path / "a_mano" / "malo.csv").write_bytes(COLUMNAS_MALAS)
    with pytest.raises(ErrorIngesta) as error:
        cargar("estacionamientos", tmp_path / "a_mano" / "malo.csv", tmp_path / "otro")
    assert motivo == f"no se pudo cargar: {error.value}"
    assert "No se reconoce el formato de malo.csv como estacionamientos" in motivo
    # No se recordó el ETag: la corrida siguiente vuelve a descargar y vuelve a fallar.
    assert _falla(cargada, fuente) == motivo
    assert servidor.peticiones[-1] == ("/malo.csv", None, None)


def test_redireccion_a_file_no_se_sigue(servidor, cargada):
    motivo = _falla(cargada, _fuente(servidor.url("/redirige.csv")))
    assert motivo == (
        "no se pudo descargar: el servidor redirigió a file://, que no se sigue (solo http y https)"
    )


def test_conexion_rechazada(cargada):
    with socket.socket() as libre:
        libre.bind(("127.0.0.1", 0))
        puerto = libre.getsockname()[1]
    motivo = _falla(cargada, _fuente(f"http://127.0.0.1:{puerto}/x.csv"))
    assert motivo == (
        "no se pudo descargar: 127.0.0.1 rechazó la conexión (¿está caído el servidor o mal el puerto?)"
    )


def test_nombre_de_content_disposition(servidor, tmp_path):
    """Una URL sin extensión: el nombre (y la extensión) salen de Content-Disposition."""
    servidor.archivos["/descarga"] = CSV_1
    servidor.disposicion["/descarga"] = 'attachment; filename="../estac 2025.csv"'
    [r] = actualizar(
        tmp_path / "datos",
        _config(_fuente(servidor.url("/descarga?id=7"))),
        cache=tmp_path / "cache",
    )
    assert (r.estado, r.carga.archivo, r.carga.filas_aceptadas) == (NUEVA, "estac_2025.csv", 2)


# --- Orden de la CLI -----------------------------------------------------------------------


def _cli(capsys, *argumentos: str) -> tuple[int, list[str], str]:
    codigo = main(["actualizar", *argumentos])
    salida = capsys.readouterr()
    return codigo, salida.out.splitlines(), salida.err


def test_cli_una_falla_no_detiene_a_las_demas(servidor, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SIGUE_CACHE", str(tmp_path / "cache"))
    datos = tmp_path / "datos"
    datos.mkdir()
    servidor.archivos["/e.csv"] = CSV_1
    (datos / "fuentes.toml").write_text(
        f"""
tiempo_espera = 5

[[fuente]]
nombre = "Caída"
tipo = "estacionamientos"
url = "{servidor.url("/no-hay.csv")}"

[[fuente]]
nombre = "Levantamiento de estacionamientos"
tipo = "estacionamientos"
url = "{servidor.url("/e.csv")}"
fecha_corte = 2024-05-01
""",
        encoding="utf-8",
    )
    codigo, lineas, error = _cli(capsys, "--datos", str(datos), "--json")
    assert codigo == 1 and error == ""
    assert lineas[:3] == [
        "[falló] Caída (estacionamientos): no se pudo descargar: el servidor respondió HTTP 404 (no encontrado)",
        "[nueva] Levantamiento de estacionamientos (estacionamientos): versión v0001 con e.csv; "
        "filas leídas: 2 = aceptadas: 2 + rechazadas: 0 + omitidas: 0",
        "Versión servida: v0001 · 1 nuevas, 0 sin cambios, 1 fallidas",
    ]
    resumen = json.loads(lineas[-1])
    assert resumen["version_actual"] == "v0001"
    assert [(f["estado"], f["version"]) for f in resumen["fuentes"]] == [
        ("fallo", None),
        ("nueva", "v0001"),
    ]
    assert (
        Almacen(datos).version().meta["fuentes"]["estacionamientos"]["fecha_corte"] == "2024-05-01"
    )

    # Otra vez, sin la fuente caída: sin cambios y salida 0.
    servidor.archivos["/no-hay.csv"] = CSV_1
    codigo, lineas, _ = _cli(capsys, "--datos", str(datos))
    assert codigo == 0
    assert lineas == [
        "[sin cambios] Caída (estacionamientos): el archivo descargado ya está cargado "
        f"(mismo sha256 {hashlib.sha256(CSV_1).hexdigest()[:12]}…)",
        "[sin cambios] Levantamiento de estacionamientos (estacionamientos): el servidor respondió 304 (no modificado)",
        "Versión servida: v0001 · 0 nuevas, 2 sin cambios, 0 fallidas",
    ]


@pytest.mark.parametrize(
    ("contenido", "mensaje"),
    [
        (
            '[[fuente]]\ntipo = "estacionamientos"\nurl = http://x/a.csv\n',
            "no es TOML válido: error en la línea 3, columna 7: url = http://x/a.csv",
        ),
        (
            '[[fuente]]\nnombre = "Becas"\ntipo = "becas"\nurl = "https://x/a.csv"\n',
            "fuentes.toml: la fuente 1 (Becas) tiene el tipo desconocido 'becas'; tipos válidos: "
            "escuelas, matricula, padron, presupuesto, obras, estacionamientos",
        ),
        (
            '[[fuente]]\ntipo = "obras"\nurl = "file:///etc/passwd"\n',
            "fuentes.toml: la url de la fuente 1 debe empezar con http:// o https://: 'file:///etc/passwd'",
        ),
        (
            '[[fuente]]\ntipo = "obras"\nurl = "https://x/a.xlsx"\nano = 2024\n',
            "fuentes.toml: la fuente 1 tiene la clave desconocida 'ano'; se aceptan: nombre, tipo, "
            "url, anio, programa, fecha_corte",
        ),
        (
            '[fuente]\ntipo = "obras"\nurl = "https://x/a.xlsx"\n',
            "fuentes.toml: cada fuente va en una tabla [[fuente]] (con doble corchete), no [fuente]",
        ),
        ("limite_mb = 0\n", "fuentes.toml: 'limite_mb' debe ser un número mayor que cero; es 0"),
    ],
)
def test_cli_fuentes_invalidas(tmp_path, capsys, contenido, mensaje):
    ruta = tmp_path / "fuentes.toml"
    ruta.write_text(contenido, encoding="utf-8")
    codigo, lineas, error = _cli(
        capsys, "--datos", str(tmp_path / "datos"), "--fuentes", str(ruta), "--json"
    )
    assert codigo == 1
    assert error.startswith("Error: ") and mensaje in error and "Traceback" not in error
    assert json.loads(lineas[-1])["archivo"] == "fuentes.toml"
    with pytest.raises(FuentesInvalidas):
        leer_fuentes(ruta)
    assert Almacen(tmp_path / "datos").id_actual() is None


def test_cli_sin_archivo_de_fuentes(tmp_path, capsys):
    codigo, _, error = _cli(capsys, "--datos", str(tmp_path))
    assert codigo == 1
    assert error == (
        f"Error: No existe el archivo de fuentes {tmp_path / 'fuentes.toml'}. Créelo con una "
        "tabla [[fuente]] por archivo (url, tipo); vea «Seguir las fuentes» en el README\n"
    )


def test_leer_fuentes_opciones(tmp_path):
    ruta = tmp_path / "fuentes.toml"
    ruta.write_text(
        """
limite_mb = 64
tiempo_espera = 30

[[fuente]]
tipo = "padron"
url = "https://www.ejemplo.gob.mx/datos/Padr%C3%B3n%20S311.csv"
programa = "S311"
anio = 2024
fecha_corte = "2025-06-30"
""",
        encoding="utf-8",
    )
    config = leer_fuentes(ruta)
    assert (config.limite_bytes, config.tiempo_espera, config.duracion_maxima) == (
        64 * 2**20,
        30.0,
        3600.0,
    )
    [fuente] = config.fuentes
    assert fuente.nombre == "Padrón S311.csv"  # sin nombre: el del archivo en la URL
    assert (fuente.tipo, fuente.fecha_corte) == ("padron", "2025-06-30")
    assert fuente.opciones == {"anio": 2024, "programa": "S311"}


@pytest.mark.parametrize(
    ("encabezados", "url", "esperado"),
    [
        ({}, "https://x.mx/datos/ef2024.zip?v=2", "ef2024.zip"),
        ({"Content-Type": "text/csv"}, "https://x.mx/descarga/37", "37.csv"),
        ({"Content-Type": "application/octet-stream"}, "https://x.mx/", "matricula"),
        (
            {"Content-Disposition": "attachment; filename*=UTF-8''Padr%C3%B3n%202024.xlsx"},
            "https://x.mx/descarga/37",
            "Padrón_2024.xlsx",
        ),
    ],
)
def test_nombre_del_archivo_descargado(encabezados, url, esperado):
    mensaje = email.message.Message()
    for clave, valor in encabezados.items():
        mensaje[clave] = valor
    assert _nombre_archivo(mensaje, url, url, "matricula") == esperado
