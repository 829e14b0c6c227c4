"""Fotos de los reportes: validar, limpiar (re-codificar sin metadatos), guardar y servir.

Cada foto recibida se abre con Pillow solo si su contenido es JPEG, PNG o WebP y coincide
con su extensión; se decodifica completa (un archivo truncado o corrupto se rechaza), se
gira según su orientación EXIF, se reduce a :data:`LADO_MAXIMO` px por lado y se vuelve a
codificar como JPEG en una imagen nueva: no sobrevive ningún metadato (EXIF con GPS, XMP,
ICC, comentarios). Se guarda con un nombre aleatorio en ``<datos>/reportes_fotos/`` (nunca en
la base) y solo se sirve cuando un funcionario la aprueba.
"""

from __future__ import annotations

import io
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from tablero.reportes.servicio import ErrorReporte

#: Fotos por reporte.
MAXIMO_FOTOS = 3
#: Tamaño máximo de cada foto recibida.
MAXIMO_BYTES = 5 * 1024 * 1024
#: Lado mayor de la foto publicada (cabe en la pantalla de un teléfono y pesa poco).
LADO_MAXIMO = 1600
#: Píxeles máximos de una foto recibida (50 megapíxeles; evita bombas de descompresión).
MAXIMO_PIXELES = 50_000_000
CALIDAD_JPEG = 85
#: Formatos aceptados (nombre de Pillow) y su nombre para mostrar.
FORMATOS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
#: Formato que anuncia cada extensión.
EXTENSIONES = {".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG", ".png": "PNG", ".webp": "WEBP"}
CARPETA = "reportes_fotos"
_ARCHIVO = re.compile(r"[0-9a-f]{32}\.jpg")


@dataclass(frozen=True)
class FotoProcesada:
    """Foto ya limpia: JPEG sin metadatos, con su tamaño en píxeles."""

    contenido: bytes
    ancho: int
    alto: int


def procesar(datos: bytes, nombre: str | None = None) -> FotoProcesada:
    """Valida y limpia una foto recibida.

    Decisión: un archivo cuyo contenido no coincide con su extensión (un PNG renombrado
    ``.jpg``) se **rechaza**: quien lo envía sabe qué corregir y ningún archivo disfrazado
    llega a la base. Sin extensión, decide el contenido.

    Raises
    ------
    ErrorReporte
        Con un mensaje en español que nombra el archivo y el problema.
    """
    etiqueta = _etiqueta(nombre)
    if not datos:
        raise ErrorReporte(f"La foto {etiqueta} está vacía", "fotos")
    if len(datos) > MAXIMO_BYTES:
        raise ErrorReporte(
            f"La foto {etiqueta} pesa {len(datos) / 1024 / 1024:.1f} MB; "
            f"el máximo es {MAXIMO_BYTES // 1024 // 1024} MB por foto",
            "fotos",
        )
    extension = Path(nombre or "").suffix.lower()
    anunciado = EXTENSIONES.get(extension)
    if extension and anunciado is None:
        raise ErrorReporte(
            f"La foto {etiqueta} no es JPEG, PNG ni WebP (extensión {extension[:10]})", "fotos"
        )
    try:
        imagen = Image.open(io.BytesIO(datos), formats=list(FORMATOS))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ErrorReporte(
            f"El archivo {etiqueta} no es una imagen JPEG, PNG ni WebP válida", "fotos"
        ) from None
    if anunciado is not None and imagen.format != anunciado:
        raise ErrorReporte(
            f"El archivo {etiqueta} dice ser {FORMATOS[anunciado]} por su extensión, pero su "
            f"contenido es {FORMATOS.get(imagen.format, imagen.format)}: guárdelo con la "
            "extensión correcta o envíe otra foto",
            "fotos",
        )
    ancho, alto = imagen.size
    if ancho < 1 or alto < 1 or ancho * alto > MAXIMO_PIXELES:
        raise ErrorReporte(
            f"La foto {etiqueta} mide {ancho:,} × {alto:,} píxeles; el máximo es "
            f"{MAXIMO_PIXELES // 1_000_000} megapíxeles",
            "fotos",
        )
    try:
        imagen.load()  # decodifica todo: un archivo truncado o dañado falla aquí
        limpia = _limpiar(imagen)
    except Exception:  # noqa: BLE001 - cualquier falla del decodificador es un archivo dañado
        raise ErrorReporte(
            f"La foto {etiqueta} está dañada o incompleta: no se pudo leer la imagen completa",
            "fotos",
        ) from None
    salida = io.BytesIO()
    limpia.save(salida, "JPEG", quality=CALIDAD_JPEG, optimize=True)
    return FotoProcesada(salida.getvalue(), limpia.width, limpia.height)


def _limpiar(imagen: Image.Image) -> Image.Image:
    """Imagen RGB nueva, girada según su EXIF y reducida, sin ningún metadato."""
    girada = ImageOps.exif_transpose(imagen) or imagen
    if girada.mode in ("RGBA", "LA", "PA") or (
        girada.mode == "P" and "transparency" in girada.info
    ):
        girada = girada.convert("RGBA")
        fondo = Image.new("RGB", girada.size, (255, 255, 255))
        fondo.paste(girada, mask=girada.getchannel("A"))
        girada = fondo
    else:
        girada = girada.convert("RGB")
    girada.thumbnail((LADO_MAXIMO, LADO_MAXIMO), Image.Resampling.LANCZOS)
    limpia = Image.new("RGB", girada.size)
    limpia.paste(girada)
    return limpia


def _etiqueta(nombre: str | None) -> str:
    """Nombre del archivo para los mensajes: corto y sin caracteres de control."""
    if not nombre:
        return "enviada"
    limpio = re.sub(r"[\x00-\x1f\x7f<>\"\\\\]", "?", Path(nombre).name)[:60]
    return f"«{limpio}»"


def carpeta_fotos(datos: str | Path) -> Path:
    """Carpeta de las fotos dentro de la carpeta de datos."""
    return Path(datos) / CARPETA


def guardar(carpeta: Path | None, contenido: bytes) -> str:
    """Escribe una foto limpia con un nombre aleatorio (solo para el dueño) y devuelve el nombre."""
    if carpeta is None:
        raise ValueError("Falta la carpeta de las fotos")
    carpeta.mkdir(parents=True, exist_ok=True)
    archivo = f"{secrets.token_hex(16)}.jpg"
    descriptor = os.open(carpeta / archivo, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as salida:
        salida.write(contenido)
        salida.flush()
        os.fsync(salida.fileno())
    return archivo


def ruta(carpeta: Path, archivo: str) -> Path | None:
    """Ruta de una foto guardada, solo si ``archivo`` tiene la forma de los nombres generados."""
    if not isinstance(archivo, str) or not _ARCHIVO.fullmatch(archivo):
        return None
    camino = carpeta / archivo
    return camino if camino.is_file() else None


def borrar(carpeta: Path | None, archivo: str) -> None:
    """Borra una foto guardada (si existe)."""
    if carpeta is not None and _ARCHIVO.fullmatch(archivo):
        (carpeta / archivo).unlink(missing_ok=True)
