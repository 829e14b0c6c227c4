"""Archivo de fuentes (``fuentes.toml``): qué URL descargar y cómo cargar cada archivo.

Ejemplo::

    tiempo_espera = 60      # segundos sin recibir datos antes de abandonar una descarga
    limite_mb = 512         # tamaño máximo de un archivo descargado
    duracion_maxima = 3600  # segundos que puede durar una descarga completa

    [[fuente]]
    nombre = "Matrícula por escuela 2024-2025"
    tipo = "matricula"
    url = "https://www.ejemplo.gob.mx/datos/matricula_2024.csv"
    fecha_corte = 2025-09-30

    [[fuente]]
    nombre = "Ramo 23 del año 2024"
    tipo = "obras"
    url = "https://www.ejemplo.gob.mx/datos/ramo23.xlsx"
    anio = 2024

El archivo se valida completo antes de descargar nada: un error dice qué fuente (número y
nombre) y qué clave están mal.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ingesta.errores import ErrorIngesta
from ingesta.fuentes import FUENTES

#: Valores por omisión de la descarga.
TIEMPO_ESPERA = 60.0
LIMITE_MB = 512.0
DURACION_MAXIMA = 3600.0

CLAVES_GENERALES = ("tiempo_espera", "limite_mb", "duracion_maxima", "fuente")
CLAVES_FUENTE = ("nombre", "tipo", "url", "anio", "programa", "fecha_corte")


class FuentesInvalidas(ErrorIngesta):
    """El archivo de fuentes no existe, no es TOML válido o una fuente está mal escrita."""


@dataclass(frozen=True)
class FuenteRemota:
    """Una fuente publicada en internet y las opciones para cargarla."""

    nombre: str
    tipo: str
    url: str
    anio: int | None = None
    programa: str | None = None
    fecha_corte: str | None = None

    @property
    def opciones(self) -> dict:
        """Opciones de la carga (``anio``, ``programa``) que sí se dieron."""
        return {
            k: v for k, v in (("anio", self.anio), ("programa", self.programa)) if v is not None
        }


@dataclass(frozen=True)
class ConfigFuentes:
    """Las fuentes y los límites de la descarga."""

    fuentes: tuple[FuenteRemota, ...]
    tiempo_espera: float = TIEMPO_ESPERA
    limite_mb: float = LIMITE_MB
    duracion_maxima: float = DURACION_MAXIMA

    @property
    def limite_bytes(self) -> int:
        return int(self.limite_mb * 2**20)


def leer_fuentes(ruta: str | Path) -> ConfigFuentes:
    """Lee y valida el archivo de fuentes.

    Raises
    ------
    FuentesInvalidas
        Si el archivo falta, no es TOML válido o alguna fuente está mal; el mensaje dice cuál.
    """
    ruta = Path(ruta)
    try:
        texto = ruta.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise FuentesInvalidas(
            f"No existe el archivo de fuentes {ruta}. Créelo con una tabla [[fuente]] por "
            "archivo (url, tipo); vea «Seguir las fuentes» en el README",
            archivo=ruta.name,
        ) from None
    except UnicodeDecodeError:
        raise FuentesInvalidas(
            f"El archivo de fuentes {ruta} no está en UTF-8", archivo=ruta.name
        ) from None
    except OSError as error:
        raise FuentesInvalidas(
            f"No se pudo leer el archivo de fuentes {ruta}: {error.strerror}", archivo=ruta.name
        ) from None
    try:
        datos = tomllib.loads(texto)
    except tomllib.TOMLDecodeError as error:
        raise FuentesInvalidas(_mensaje_toml(ruta, texto, error), archivo=ruta.name) from None
    return validar(datos, ruta.name)


def validar(datos: dict, archivo: str = "fuentes.toml") -> ConfigFuentes:
    """Convierte el TOML ya leído en :class:`ConfigFuentes`; error claro si algo sobra o falta."""

    def error(mensaje: str) -> FuentesInvalidas:
        return FuentesInvalidas(f"{archivo}: {mensaje}", archivo=archivo)

    sobran = [k for k in datos if k not in CLAVES_GENERALES]
    if sobran:
        raise error(
            f"clave desconocida {sobran[0]!r}; se aceptan: {', '.join(CLAVES_GENERALES)} "
            "(cada fuente va en una tabla [[fuente]])"
        )
    limites = {
        clave: _positivo(datos[clave], clave, error)
        for clave in CLAVES_GENERALES[:3]
        if clave in datos
    }
    tablas = datos.get("fuente")
    if isinstance(tablas, dict):
        raise error("cada fuente va en una tabla [[fuente]] (con doble corchete), no [fuente]")
    if not tablas:
        raise error("no lista ninguna fuente; agregue una tabla [[fuente]] con url y tipo")
    if not isinstance(tablas, list) or not all(isinstance(t, dict) for t in tablas):
        raise error("«fuente» debe ser una lista de tablas [[fuente]]")
    fuentes = [_fuente(tabla, numero, error) for numero, tabla in enumerate(tablas, start=1)]
    vistas: dict[str, int] = {}
    for numero, fuente in enumerate(fuentes, start=1):
        if fuente.url in vistas:
            raise error(
                f"la fuente {numero} ({fuente.nombre}) repite la url de la fuente {vistas[fuente.url]}"
            )
        vistas[fuente.url] = numero
    return ConfigFuentes(fuentes=tuple(fuentes), **limites)


def _fuente(tabla: dict, numero: int, error) -> FuenteRemota:
    etiqueta = f"la fuente {numero}"
    if isinstance(tabla.get("nombre"), str) and tabla["nombre"].strip():
        etiqueta += f" ({tabla['nombre'].strip()})"
    sobran = [k for k in tabla if k not in CLAVES_FUENTE]
    if sobran:
        raise error(
            f"{etiqueta} tiene la clave desconocida {sobran[0]!r}; se aceptan: "
            f"{', '.join(CLAVES_FUENTE)}"
        )
    for clave in ("url", "tipo"):
        if clave not in tabla:
            raise error(f"a {etiqueta} le falta la clave {clave!r}")
    for clave in ("nombre", "tipo", "url", "programa"):
        if clave in tabla and not (isinstance(tabla[clave], str) and tabla[clave].strip()):
            raise error(f"en {etiqueta}, {clave!r} debe ser un texto no vacío")
    tipo = tabla["tipo"].strip()
    if tipo not in FUENTES:
        raise error(
            f"{etiqueta} tiene el tipo desconocido {tipo!r}; tipos válidos: {', '.join(FUENTES)}"
        )
    url = tabla["url"].strip()
    partes = urlsplit(url)
    if partes.scheme.lower() not in ("http", "https") or not partes.hostname:
        raise error(f"la url de {etiqueta} debe empezar con http:// o https://: {url!r}")
    if partes.username or partes.password:
        raise error(f"la url de {etiqueta} no debe llevar usuario ni contraseña")
    if re.search(r"\s", url):
        raise error(f"la url de {etiqueta} tiene espacios; escríbalos como %20")
    anio = tabla.get("anio")
    if anio is not None and (
        isinstance(anio, bool) or not isinstance(anio, int) or not 1990 <= anio <= 2100
    ):
        raise error(f"en {etiqueta}, 'anio' debe ser un entero entre 1990 y 2100; es {anio!r}")
    return FuenteRemota(
        nombre=tabla.get("nombre", "").strip() or _nombre_de_url(partes.path, partes.hostname),
        tipo=tipo,
        url=url,
        anio=anio,
        programa=tabla["programa"].strip() if "programa" in tabla else None,
        fecha_corte=_fecha(tabla.get("fecha_corte"), etiqueta, error),
    )


def _fecha(valor: object, etiqueta: str, error) -> str | None:
    if valor is None:
        return None
    if isinstance(valor, date) and not isinstance(valor, datetime):
        return valor.isoformat()
    if isinstance(valor, str):
        try:
            return date.fromisoformat(valor.strip()).isoformat()
        except ValueError:
            pass
    raise error(f"en {etiqueta}, 'fecha_corte' debe ser una fecha AAAA-MM-DD; es {valor!r}")


def _positivo(valor: object, clave: str, error) -> float:
    if isinstance(valor, bool) or not isinstance(valor, int | float) or not valor > 0:
        raise error(f"{clave!r} debe ser un número mayor que cero; es {valor!r}")
    return float(valor)


def _nombre_de_url(ruta: str, servidor: str) -> str:
    return unquote(PurePosixPath(ruta).name) or servidor


def _mensaje_toml(ruta: Path, texto: str, error: tomllib.TOMLDecodeError) -> str:
    """Mensaje en español con la línea del error (``tomllib`` lo da en inglés)."""
    posicion = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
    if not posicion:
        return f"El archivo de fuentes {ruta} no es TOML válido (revise comillas y corchetes)"
    linea, columna = int(posicion[1]), int(posicion[2])
    lineas = texto.splitlines()
    contenido = lineas[linea - 1].strip() if 0 < linea <= len(lineas) else ""
    detalle = f": {contenido}" if contenido else ""
    return (
        f"El archivo de fuentes {ruta} no es TOML válido: error en la línea {linea}, "
        f'columna {columna}{detalle} (los textos van entre comillas, p. ej. tipo = "matricula")'
    )
