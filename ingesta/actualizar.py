"""Seguir las fuentes: descargar cada fuente de ``fuentes.toml`` y cargar solo lo que cambió.

Por cada fuente:

1. GET condicional (``If-None-Match`` / ``If-Modified-Since`` con el ETag y la fecha de la
   última descarga, recordados en ``<datos>/fuentes-estado.json``). Un 304 = sin cambios.
2. La descarga se corta si pasa del límite de tamaño, si el servidor no manda datos en
   ``tiempo_espera`` segundos o si tarda más de ``duracion_maxima`` en total. Solo http y
   https, también en las redirecciones.
3. Si el sha256 del archivo ya se cargó antes con el mismo tipo (alguna versión del almacén
   lo registra), no se carga de nuevo: sin cambios.
4. Si no, ``carga.cargar`` publica una versión nueva.

Una fuente que falla (red, tamaño, carga) deja intacta la versión servida y no detiene a las
demás. El ETag se recuerda solo cuando el archivo quedó cargado: si la carga falló, la
siguiente corrida lo descarga y lo intenta de nuevo.

El archivo descargado vive en una carpeta temporal dentro de la caché (no en la carpeta de
datos: un padrón crudo trae nombres y CURP) y se borra al terminar.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import http.client
import json
import os
import re
import socket
import ssl
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from almacen.config import directorio_cache
from almacen.versiones import Almacen
from ingesta.carga import ResultadoCarga, cargar
from ingesta.errores import ErrorDatos, ErrorIngesta
from ingesta.fuentes_config import ConfigFuentes, FuenteRemota, FuentesInvalidas, leer_fuentes

ARCHIVO_ESTADO = "fuentes-estado.json"
ARCHIVO_FUENTES = "fuentes.toml"
AGENTE = "sigue-el-dinero-oaxaca/0.1 (ingesta actualizar)"

#: Extensiones que la carga reconoce.
EXTENSIONES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".zip", ".json", ".geojson")
#: Extensión según Content-Type, cuando ni el nombre ni la URL la traen.
POR_CONTENIDO = {
    "text/csv": ".csv",
    "application/csv": ".csv",
    "text/tab-separated-values": ".tsv",
    "application/zip": ".zip",
    "application/x-zip-compressed": ".zip",
    "application/json": ".json",
    "application/geo+json": ".geojson",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
CODIGOS_HTTP = {
    400: "solicitud no válida",
    401: "requiere autenticación",
    403: "acceso prohibido",
    404: "no encontrado",
    408: "el servidor se cansó de esperar",
    410: "ya no existe",
    429: "demasiadas solicitudes; intente más tarde",
    500: "error interno del servidor",
    502: "puerta de enlace no válida",
    503: "servicio no disponible",
    504: "la puerta de enlace no respondió a tiempo",
}

NUEVA, SIN_CAMBIOS, FALLO = "nueva", "sin_cambios", "fallo"
ETIQUETAS = {NUEVA: "nueva", SIN_CAMBIOS: "sin cambios", FALLO: "falló"}


class DescargaFallida(ErrorIngesta):
    """La descarga no se completó (red, HTTP, tamaño, tiempo); el mensaje dice por qué."""


@dataclass
class Descarga:
    """Un archivo descargado completo."""

    ruta: Path
    sha256: str
    tamano: int
    etag: str | None
    ultima_modificacion: str | None


@dataclass
class ResultadoFuente:
    """Lo que pasó con una fuente: ``nueva``, ``sin_cambios`` o ``fallo`` y por qué."""

    fuente: FuenteRemota
    estado: str
    motivo: str | None = None
    carga: ResultadoCarga | None = None
    sha256: str | None = None
    avisos: list[str] = field(default_factory=list)

    def linea(self) -> str:
        """Una línea legible para la bitácora."""
        cabeza = f"[{ETIQUETAS[self.estado]}] {self.fuente.nombre} ({self.fuente.tipo})"
        if self.carga is not None:
            c = self.carga
            return (
                f"{cabeza}: versión {c.version} con {c.archivo}; filas leídas: "
                f"{c.filas_leidas:,} = aceptadas: {c.filas_aceptadas:,} + rechazadas: "
                f"{c.filas_rechazadas:,} + omitidas: {c.filas_omitidas:,}"
            )
        return f"{cabeza}: {self.motivo}"

    def como_dict(self) -> dict:
        datos = {
            "nombre": self.fuente.nombre,
            "tipo": self.fuente.tipo,
            "url": self.fuente.url,
            "estado": self.estado,
            "motivo": self.motivo,
            "sha256": self.sha256,
            "version": None,
        }
        if self.carga is not None:
            datos.update(self.carga.como_dict())
        return datos


def orden_actualizar(
    raiz: Path,
    fuentes: str | Path | None = None,
    *,
    como_json: bool = False,
    tiempo_espera: float | None = None,
    limite_mb: float | None = None,
) -> int:
    """La orden ``ingesta actualizar``: imprime una línea por fuente; 1 si alguna falló."""
    config = leer_fuentes(Path(fuentes) if fuentes else raiz / ARCHIVO_FUENTES)
    for nombre, valor in (("--tiempo-espera", tiempo_espera), ("--limite-mb", limite_mb)):
        if valor is not None and not valor > 0:
            raise FuentesInvalidas(f"{nombre} debe ser mayor que cero; se recibió {valor:g}")
    config = ConfigFuentes(
        fuentes=config.fuentes,
        tiempo_espera=tiempo_espera or config.tiempo_espera,
        limite_mb=limite_mb or config.limite_mb,
        duracion_maxima=config.duracion_maxima,
    )
    resultados = actualizar(raiz, config)
    for resultado in resultados:
        print(resultado.linea(), flush=True)
        for aviso in resultado.avisos:
            print(f"    aviso: {aviso}")
    cuenta = {e: sum(r.estado == e for r in resultados) for e in ETIQUETAS}
    actual = Almacen(raiz).id_actual()
    print(
        f"Versión servida: {actual or '(ninguna)'} · {cuenta[NUEVA]} nuevas, "
        f"{cuenta[SIN_CAMBIOS]} sin cambios, {cuenta[FALLO]} fallidas"
    )
    if como_json:
        print(
            json.dumps(
                {"version_actual": actual, "fuentes": [r.como_dict() for r in resultados]},
                ensure_ascii=False,
                default=str,
            )
        )
    return 1 if cuenta[FALLO] else 0


def actualizar(
    raiz: str | Path, config: ConfigFuentes, *, cache: str | Path | None = None
) -> list[ResultadoFuente]:
    """Descarga cada fuente de ``config`` y carga las que cambiaron; una falla no detiene a las demás.

    Parameters
    ----------
    raiz
        Carpeta del almacén (ahí queda también ``fuentes-estado.json``).
    config
        Fuentes y límites de la descarga.
    cache
        Carpeta para las descargas temporales (por omisión, la caché del usuario).

    Raises
    ------
    ErrorIngesta
        Solo si otra actualización está en curso sobre la misma carpeta de datos.
    """
    raiz = Path(raiz)
    carpeta_cache = Path(cache) if cache else directorio_cache()
    for carpeta in (raiz, carpeta_cache):
        try:
            carpeta.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ErrorIngesta(f"No se pudo crear la carpeta {carpeta}: {error.strerror}") from None
    resultados = []
    with _bloqueo_exclusivo(raiz):
        estados = _leer_estados(raiz)
        for fuente in config.fuentes:
            with tempfile.TemporaryDirectory(prefix="descarga-", dir=carpeta_cache) as temporal:
                resultado = _una_fuente(raiz, fuente, config, Path(temporal), estados)
            resultados.append(resultado)
            _escribir_estados(raiz, estados)
    return resultados


def _una_fuente(
    raiz: Path, fuente: FuenteRemota, config: ConfigFuentes, carpeta: Path, estados: dict
) -> ResultadoFuente:
    previo = estados.get(fuente.url) or {}
    cargados = huellas_cargadas(Almacen(raiz))
    # Pedir «solo si cambió» únicamente si lo que se descargó la última vez sigue cargado.
    condicional = previo if (fuente.tipo, previo.get("sha256")) in cargados else {}
    try:
        descarga = descargar(
            fuente.url,
            carpeta,
            etag=condicional.get("etag"),
            ultima_modificacion=condicional.get("ultima_modificacion"),
            tiempo_espera=config.tiempo_espera,
            limite_bytes=config.limite_bytes,
            duracion_maxima=config.duracion_maxima,
            respaldo=fuente.tipo,
        )
    except DescargaFallida as error:
        return ResultadoFuente(fuente, FALLO, f"no se pudo descargar: {error}")
    except Exception as error:  # noqa: BLE001  (una fuente rota no detiene a las demás)
        return ResultadoFuente(
            fuente, FALLO, f"no se pudo descargar: error inesperado ({type(error).__name__})"
        )
    if descarga is None:
        previo["revisada"] = datetime.now(UTC).isoformat(timespec="seconds")
        return ResultadoFuente(
            fuente,
            SIN_CAMBIOS,
            "el servidor respondió 304 (no modificado)",
            sha256=previo["sha256"],
        )
    recordar = {
        "sha256": descarga.sha256,
        "etag": descarga.etag,
        "ultima_modificacion": descarga.ultima_modificacion,
        "revisada": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if (fuente.tipo, descarga.sha256) in cargados:
        estados[fuente.url] = recordar
        return ResultadoFuente(
            fuente,
            SIN_CAMBIOS,
            f"el archivo descargado ya está cargado (mismo sha256 {descarga.sha256[:12]}…)",
            sha256=descarga.sha256,
        )
    try:
        carga = cargar(
            fuente.tipo,
            descarga.ruta,
            raiz,
            fecha_corte=fuente.fecha_corte,
            opciones=fuente.opciones,
        )
    except ErrorDatos as error:
        return ResultadoFuente(fuente, FALLO, f"no se pudo cargar: {error}", sha256=descarga.sha256)
    except Exception as error:  # noqa: BLE001  (una fuente rota no detiene a las demás)
        # Sin el texto del error: podría citar una fila del archivo (datos personales).
        return ResultadoFuente(
            fuente,
            FALLO,
            f"error inesperado al cargar {descarga.ruta.name} ({type(error).__name__}); "
            f"pruebe «ingesta cargar {fuente.tipo} ARCHIVO» con el archivo para ver el detalle",
            sha256=descarga.sha256,
        )
    estados[fuente.url] = recordar
    return ResultadoFuente(fuente, NUEVA, carga=carga, sha256=descarga.sha256, avisos=carga.avisos)


def huellas_cargadas(almacen: Almacen) -> set[tuple[str, str]]:
    """``(tipo, sha256)`` de cada archivo cargado en alguna versión del almacén."""
    huellas = set()
    for meta in almacen.versiones():
        for carga in (meta.get("carga") or {}, *(meta.get("fuentes") or {}).values()):
            if carga.get("tipo") and carga.get("sha256"):
                huellas.add((carga["tipo"], carga["sha256"]))
    return huellas


# --- Descarga -----------------------------------------------------------------------------


def descargar(
    url: str,
    carpeta: Path,
    *,
    etag: str | None = None,
    ultima_modificacion: str | None = None,
    tiempo_espera: float,
    limite_bytes: int,
    duracion_maxima: float = 3600.0,
    respaldo: str = "descarga",
) -> Descarga | None:
    """Descarga ``url`` a ``carpeta``; ``None`` si el servidor responde 304 (no modificado).

    El nombre del archivo sale de Content-Disposition, de la URL o, en último caso, de
    ``respaldo`` más la extensión que corresponde al Content-Type.

    Raises
    ------
    DescargaFallida
        Con el motivo en español (HTTP, red, tiempo, tamaño, esquema no permitido).
    """
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise DescargaFallida(f"solo se descargan URL http o https: {url}")
    encabezados = {"User-Agent": AGENTE, "Accept": "*/*"}
    if etag:
        encabezados["If-None-Match"] = etag
    if ultima_modificacion:
        encabezados["If-Modified-Since"] = ultima_modificacion
    peticion = urllib.request.Request(url, headers=encabezados)
    inicio = time.monotonic()
    try:
        with _abridor().open(peticion, timeout=tiempo_espera) as respuesta:
            return _guardar(
                respuesta, url, carpeta, limite_bytes, (inicio, duracion_maxima), respaldo
            )
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 304 and (etag or ultima_modificacion):
            return None
        raise DescargaFallida(
            f"el servidor respondió HTTP {error.code} ({_texto_http(error.code)})"
        ) from None
    except DescargaFallida:
        raise
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
        raise DescargaFallida(_motivo_red(error, url, tiempo_espera)) from None


def _guardar(
    respuesta, url: str, carpeta: Path, limite: int, plazo: tuple[float, float], respaldo: str
) -> Descarga:
    inicio, duracion_maxima = plazo
    longitud = respuesta.headers.get("Content-Length", "").strip()
    if longitud.isdigit() and int(longitud) > limite:
        raise DescargaFallida(
            f"el archivo pesa {_tamano(int(longitud))}, más que el límite de {_tamano(limite)}"
        )
    ruta = carpeta / _nombre_archivo(respuesta.headers, respuesta.geturl(), url, respaldo)
    huella = hashlib.sha256()
    total = 0
    with open(ruta, "wb") as destino:
        # read1: lo que haya llegado (a lo más 64 KB), para revisar el plazo aunque el servidor gotee.
        while bloque := respuesta.read1(1 << 16):
            total += len(bloque)
            if total > limite:
                raise DescargaFallida(
                    f"el archivo pasa del límite de {_tamano(limite)}; se cortó la descarga"
                )
            if time.monotonic() - inicio > duracion_maxima:
                raise DescargaFallida(
                    f"la descarga tardó más de {duracion_maxima:g} s (duracion_maxima); se cortó"
                )
            huella.update(bloque)
            try:
                destino.write(bloque)
            except OSError as error:
                raise DescargaFallida(
                    f"no se pudo guardar la descarga en {carpeta}: {error.strerror}"
                ) from None
    if longitud.isdigit() and total != int(longitud):
        raise DescargaFallida(
            f"la descarga quedó incompleta: llegaron {total:,} de {int(longitud):,} bytes"
        )
    if total == 0:
        raise DescargaFallida("el servidor respondió sin contenido (archivo vacío)")
    return Descarga(
        ruta=ruta,
        sha256=huella.hexdigest(),
        tamano=total,
        etag=respuesta.headers.get("ETag"),
        ultima_modificacion=respuesta.headers.get("Last-Modified"),
    )


class _SoloHttp(urllib.request.HTTPRedirectHandler):
    """Sigue redirecciones solo hacia http y https (nunca file://, ftp://...)."""

    max_redirections = 5

    def http_error_302(self, req, fp, code, msg, headers):
        destino = headers.get("location") or headers.get("uri")
        if destino:
            esquema = urlsplit(urljoin(req.full_url, destino.strip())).scheme.lower()
            if esquema not in ("http", "https"):
                fp.close()
                raise DescargaFallida(
                    f"el servidor redirigió a {esquema}://, que no se sigue (solo http y https)"
                )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _abridor() -> urllib.request.OpenerDirector:
    """Abridor con solo http, https y redirecciones seguras (sin file://, ftp://, data:)."""
    abridor = urllib.request.OpenerDirector()
    for manejador in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(context=ssl.create_default_context()),
        urllib.request.HTTPDefaultErrorHandler(),
        _SoloHttp(),
        urllib.request.HTTPErrorProcessor(),
    ):
        abridor.add_handler(manejador)
    return abridor


def _nombre_archivo(encabezados, url_final: str, url: str, respaldo: str) -> str:
    """Nombre del archivo con la extensión que la carga reconoce (CSV, XLSX, ZIP, JSON...)."""
    try:
        del_servidor = encabezados.get_filename()
    except Exception:  # noqa: BLE001  (encabezado mal formado: se ignora)
        del_servidor = None
    candidatos = [
        _limpiar(n) for n in (del_servidor, _de_url(url_final), _de_url(url)) if n and _limpiar(n)
    ]
    for nombre in candidatos:
        if PurePosixPath(nombre).suffix.lower() in EXTENSIONES:
            return nombre
    nombre = candidatos[0] if candidatos else respaldo
    extension = POR_CONTENIDO.get(encabezados.get_content_type(), "")
    return nombre + extension


def _de_url(url: str) -> str:
    return unquote(PurePosixPath(urlsplit(url).path).name)


def _limpiar(nombre: str) -> str:
    """Solo el último tramo, sin caracteres raros ni rutas; a lo más 120 caracteres."""
    nombre = PurePosixPath(nombre.replace("\\", "/")).name
    nombre = re.sub(r"[^\w.\-]+", "_", nombre).strip("._")
    raiz, extension = os.path.splitext(nombre)
    return raiz[:100] + extension[:20] if len(nombre) > 120 else nombre


def _motivo_red(error: BaseException, url: str, tiempo_espera: float) -> str:
    """Motivo en español de un error de red."""
    servidor = urlsplit(url).hostname or url
    if isinstance(error, urllib.error.URLError):
        if isinstance(error.reason, BaseException):
            return _motivo_red(error.reason, url, tiempo_espera)
        return f"error de red con {servidor}: {error.reason}"
    if isinstance(error, TimeoutError):
        return f"{servidor} no respondió en {tiempo_espera:g} s (tiempo de espera agotado)"
    if isinstance(error, ConnectionRefusedError):
        return f"{servidor} rechazó la conexión (¿está caído el servidor o mal el puerto?)"
    if isinstance(error, ConnectionError | http.client.RemoteDisconnected):
        return f"{servidor} cerró la conexión antes de terminar"
    if isinstance(error, socket.gaierror):
        return f"no se encontró el servidor {servidor} (revise la URL o la conexión a internet)"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"el certificado TLS de {servidor} no es válido ({error.verify_message})"
    if isinstance(error, ssl.SSLError):
        return f"falló la conexión segura (TLS) con {servidor}"
    if isinstance(error, http.client.IncompleteRead):
        return f"la descarga quedó incompleta: llegaron {len(error.partial):,} bytes"
    if isinstance(error, http.client.HTTPException):
        return f"{servidor} dio una respuesta HTTP no válida"
    if isinstance(error, ValueError):
        return f"URL no válida: {url}"
    if isinstance(error, OSError):
        return f"error de red con {servidor}: {error.strerror or error}"
    return f"error de red con {servidor}"  # pragma: no cover


def _texto_http(codigo: int) -> str:
    if codigo in CODIGOS_HTTP:
        return CODIGOS_HTTP[codigo]
    if codigo == 304:
        return "no modificado, sin haberlo preguntado"
    return "error del servidor" if codigo >= 500 else "la petición no se atendió"


def _tamano(n: int) -> str:
    if n >= 2**20:
        return f"{n / 2**20:.1f} MB"
    if n >= 2**10:
        return f"{n / 2**10:.1f} KB"
    return f"{n} bytes"


# --- Estado de las fuentes (ETag, Last-Modified) ------------------------------------------


def _leer_estados(raiz: Path) -> dict:
    try:
        datos = json.loads((raiz / ARCHIVO_ESTADO).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return {}  # sin estado = descargar todo sin condiciones (el sha256 evita recargar)
    if not isinstance(datos, dict):
        return {}
    return {url: estado for url, estado in datos.items() if isinstance(estado, dict)}


def _escribir_estados(raiz: Path, estados: dict) -> None:
    temporal = raiz / f".{ARCHIVO_ESTADO}.{uuid.uuid4().hex[:8]}"
    try:
        with open(temporal, "w", encoding="utf-8") as archivo:
            json.dump(estados, archivo, ensure_ascii=False, indent=2, sort_keys=True)
            archivo.flush()
            os.fsync(archivo.fileno())
        os.replace(temporal, raiz / ARCHIVO_ESTADO)
    except OSError as error:
        temporal.unlink(missing_ok=True)
        raise ErrorIngesta(
            f"No se pudo guardar {raiz / ARCHIVO_ESTADO}: {error.strerror}"
        ) from None


@contextlib.contextmanager
def _bloqueo_exclusivo(raiz: Path) -> Iterator[None]:
    """Una sola actualización a la vez por carpeta de datos (p. ej. dos corridas de cron)."""
    with open(raiz / ".actualizar.bloqueo", "w") as archivo:
        try:
            fcntl.flock(archivo, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ErrorIngesta(
                f"Otra «ingesta actualizar» está en curso sobre {raiz}; no se descargó nada"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(archivo, fcntl.LOCK_UN)
