"""Almacén de versiones inmutables.

Estructura de la carpeta de datos::

    versiones/<id>/version.json     metadatos: id, fecha, fuentes (archivo + sha256), filas
    versiones/<id>/<capa>.parquet   una capa (GeoParquet si tiene geometría)
    versiones/<id>/rechazos/<fuente>.csv
    ACTUAL                          id de la versión que se sirve

Una versión nueva se arma en ``tmp/``, se renombra a ``versiones/`` cuando está completa y
solo entonces se cambia ``ACTUAL`` (``os.replace``, atómico). Un error o una caída a medio
camino deja intacta la versión servida. Las capas que no cambian se enlazan (hard link)
desde la versión anterior, sin copiar.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
from cachetools import LRUCache

from almacen.errores import VersionNoEncontrada

ARCHIVO_META = "version.json"

#: Lo ya leído del disco (el puntero ``ACTUAL`` y los ``version.json``), compartido por todos
#: los ``Almacen`` del proceso: el tablero arma uno por petición. La clave lleva la carpeta y el
#: estado del archivo (inodo, fecha en ns, tamaño): publicar una versión reemplaza ``ACTUAL``
#: (``os.replace``, inodo nuevo) y la siguiente llamada lo vuelve a leer; un archivo borrado
#: no se encuentra. Nada depende del usuario.
_LEIDOS: LRUCache = LRUCache(maxsize=64)
_CANDADO = threading.Lock()


@dataclass(frozen=True)
class Version:
    """Una versión publicada: solo lectura."""

    ruta: Path
    meta: dict

    @property
    def id(self) -> str:
        return self.meta["id"]

    @property
    def capas(self) -> list[str]:
        return sorted(self.meta["capas"])

    @property
    def cargas(self) -> list[dict]:
        """Cargas (archivo, sha256, filas...) cuyos datos siguen en esta versión."""
        return cargas_de(self.meta)

    @property
    def es_ejemplo(self) -> bool:
        """Verdadero si alguna fuente de la versión son datos de ejemplo (sintéticos)."""
        return any(c.get("ejemplo") for c in self.cargas)

    def tiene(self, capa: str) -> bool:
        return capa in self.meta["capas"]

    def leer(self, capa: str) -> pd.DataFrame:
        """Lee una capa; GeoDataFrame si la capa tiene geometría."""
        if capa not in self.meta["capas"]:
            raise KeyError(f"La versión {self.id} no tiene la capa {capa!r}")
        ruta = self.ruta / self.meta["capas"][capa]["archivo"]
        if self.meta["capas"][capa].get("geo"):
            return gpd.read_parquet(ruta)
        return pd.read_parquet(ruta)


class Almacen:
    """Carpeta de datos con versiones inmutables y un puntero atómico a la actual."""

    def __init__(self, raiz: str | os.PathLike):
        self.raiz = Path(raiz)

    @property
    def _versiones(self) -> Path:
        return self.raiz / "versiones"

    def id_actual(self) -> str | None:
        """Id de la versión servida, o ``None`` si el almacén está vacío.

        Se relee solo si ``ACTUAL`` cambió en disco (ver :data:`_LEIDOS`).
        """
        try:
            return _leido(
                self.raiz / "ACTUAL",
                lambda texto: texto.strip() or None,
            )
        except FileNotFoundError:
            return None

    def version(self, id_version: str | None = None) -> Version:
        """La versión ``id_version`` o, si es ``None``, la actual.

        Su ``version.json`` se lee una vez y se comparte mientras no cambie en disco: el
        :class:`Version` devuelto (y su ``meta``) **no se modifica**.
        """
        actual = self.id_actual()
        id_version = id_version or actual
        if id_version is None:
            raise VersionNoEncontrada(f"El almacén {self.raiz} no tiene versiones todavía")
        if not _id_valido(id_version):
            raise VersionNoEncontrada(f"Identificador de versión no válido: {id_version!r}")
        if not self._publicada(id_version, actual):
            raise VersionNoEncontrada(f"No existe la versión {id_version!r}")
        ruta = self._versiones / id_version
        try:
            return _leido(ruta / ARCHIVO_META, lambda texto: Version(ruta, json.loads(texto)))
        except FileNotFoundError:
            raise VersionNoEncontrada(f"No existe la versión {id_version!r}") from None

    def versiones(self) -> list[dict]:
        """Metadatos de todas las versiones, la más nueva primero, con ``actual`` marcada."""
        if not self._versiones.exists():
            return []
        actual = self.id_actual()
        resultado = []
        carpetas = [r for r in self._versiones.iterdir() if self._publicada(r.name, actual)]
        for ruta in sorted(carpetas, key=lambda r: int(r.name[1:]), reverse=True):
            archivo = ruta / ARCHIVO_META
            if archivo.exists():
                meta = json.loads(archivo.read_text(encoding="utf-8"))
                meta["actual"] = meta["id"] == actual
                resultado.append(meta)
        return resultado

    def crear_version(
        self,
        cambios: dict[str, tuple[pd.DataFrame, list[str] | None]],
        carga: dict,
        adjuntos: dict[str, Callable[[Path], None]] | None = None,
        antes_de_publicar: Callable[[Path], None] | None = None,
    ) -> Version:
        """Crea y publica una versión = versión actual + ``cambios``.

        Parameters
        ----------
        cambios
            ``capa -> (tabla, particion)``. Con ``particion`` (lista de columnas), las filas de
            la versión anterior cuyos valores de partición aparecen en la tabla nueva se
            reemplazan y las demás se conservan (p. ej. cargar el ciclo 2025 no borra el 2024).
            Una parte ``"columna[:n]"`` usa los ``n`` primeros caracteres de la columna
            (``"cct[:2]"``: la entidad de la escuela).
            Con ``None`` la capa se reemplaza completa.
        carga
            Metadatos de la carga (tipo, archivo, sha256, filas, fecha de corte...).
        adjuntos
            ``ruta relativa -> función que escribe ese archivo`` (p. ej. los rechazos).
        antes_de_publicar
            Se llama con la carpeta temporal completa justo antes de publicarla (para pruebas
            de fallas).
        """
        self.raiz.mkdir(parents=True, exist_ok=True)
        with self._bloqueo():
            self._limpiar_restos()
            anterior = self.version() if self.id_actual() else None
            id_nueva = _siguiente_id(self._versiones)
            temporal = self.raiz / "tmp" / f"{id_nueva}-{uuid.uuid4().hex[:8]}"
            temporal.mkdir(parents=True)
            try:
                meta_capas = self._escribir_capas(temporal, anterior, cambios)
                for relativa, escribir in (adjuntos or {}).items():
                    (temporal / relativa).parent.mkdir(parents=True, exist_ok=True)
                    escribir(temporal / relativa)
                carga = {**carga, "version": id_nueva, "particiones": _particiones(cambios)}
                fuentes = dict(anterior.meta["fuentes"]) if anterior else {}
                fuentes[carga["tipo"]] = carga
                cargas = [*_sobrevivientes(anterior, carga), carga]
                cortes = [c["fecha_corte"] for c in cargas if c.get("fecha_corte")]
                meta = {
                    "id": id_nueva,
                    "creada": datetime.now(UTC).isoformat(timespec="seconds"),
                    "anterior": anterior.id if anterior else None,
                    "fecha_corte": max(cortes) if cortes else None,
                    "carga": carga,
                    # Última carga de cada tipo (sus rechazos se publican por tipo).
                    "fuentes": fuentes,
                    # Todas las cargas cuyos datos siguen en la versión (procedencia).
                    "cargas": cargas,
                    "capas": meta_capas,
                }
                _escribir_json(temporal / ARCHIVO_META, meta)
                if antes_de_publicar:
                    antes_de_publicar(temporal)
                _sincronizar(temporal)  # todo en disco antes de publicar (corte de luz)
                self._versiones.mkdir(exist_ok=True)
                destino = self._versiones / id_nueva
                os.replace(temporal, destino)
                _sincronizar_carpeta(self._versiones)
                _publicar_actual(self.raiz, id_nueva)
            except BaseException:
                shutil.rmtree(temporal, ignore_errors=True)
                raise
        return Version(ruta=destino, meta=meta)

    def _escribir_capas(
        self,
        temporal: Path,
        anterior: Version | None,
        cambios: dict[str, tuple[pd.DataFrame, list[str] | None]],
    ) -> dict[str, dict]:
        meta_capas: dict[str, dict] = {}
        if anterior:
            for capa, info in anterior.meta["capas"].items():
                if capa not in cambios:
                    os.link(anterior.ruta / info["archivo"], temporal / info["archivo"])
                    meta_capas[capa] = info
        for capa, (tabla, particion) in cambios.items():
            if particion and anterior and anterior.tiene(capa):
                tabla = _reemplazar_particion(anterior.leer(capa), tabla, particion)
            archivo = f"{capa}.parquet"
            tabla = tabla.reset_index(drop=True)
            tabla.to_parquet(temporal / archivo, index=False)
            meta_capas[capa] = {
                "archivo": archivo,
                "filas": len(tabla),
                "geo": isinstance(tabla, gpd.GeoDataFrame),
            }
        return meta_capas

    @staticmethod
    def _publicada(id_version: str, actual: str | None) -> bool:
        """Una versión existe para los lectores solo si ya se publicó (no es posterior a la
        actual): una carga interrumpida entre el renombrado y la publicación no deja una
        versión huérfana visible."""
        if not (_id_valido(id_version) and actual is not None and _id_valido(actual)):
            return False
        return int(id_version[1:]) <= int(actual[1:])

    def _limpiar_restos(self) -> None:
        """Con el bloqueo tomado: borra carpetas temporales y versiones huérfanas de cargas
        interrumpidas (nadie más escribe mientras tanto)."""
        shutil.rmtree(self.raiz / "tmp", ignore_errors=True)
        if not self._versiones.exists():
            return
        actual = self.id_actual()
        if actual is None or not _id_valido(actual):
            return  # puntero vacío o dañado: no se borra nada
        for ruta in self._versiones.iterdir():
            if _id_valido(ruta.name) and not self._publicada(ruta.name, actual):
                shutil.rmtree(ruta, ignore_errors=True)

    @contextlib.contextmanager
    def _bloqueo(self) -> Iterator[None]:
        with open(self.raiz / ".bloqueo", "w") as archivo:
            fcntl.flock(archivo, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(archivo, fcntl.LOCK_UN)


#: Una parte de la partición que es el prefijo de una columna: ``"cct[:2]"`` (la entidad de
#: la escuela son los dos primeros caracteres de su clave).
_PREFIJO = re.compile(r"^(?P<columna>\w+)\[:(?P<largo>\d+)\]$")


def _llaves(tabla: pd.DataFrame, particion: list[str], texto: bool = True) -> pd.DataFrame:
    """Los valores de partición de cada fila: cada columna de ``particion`` o, con
    ``"columna[:n]"``, sus ``n`` primeros caracteres; con ``texto``, como texto. Una columna
    que la tabla no tiene (versión anterior con otro esquema) queda vacía."""
    partes = {}
    for parte in particion:
        prefijo = _PREFIJO.match(parte)
        columna = prefijo["columna"] if prefijo else parte
        if columna not in tabla.columns:
            valores = pd.Series(float("nan"), index=tabla.index)
        elif prefijo:
            valores = tabla[columna].astype(str).str[: int(prefijo["largo"])]
        else:
            valores = tabla[columna]
        partes[parte] = valores.astype(str) if texto else valores
    return pd.DataFrame(partes, index=tabla.index)


def _reemplazar_particion(
    previa: pd.DataFrame, nueva: pd.DataFrame, particion: list[str]
) -> pd.DataFrame:
    llaves_nuevas = pd.MultiIndex.from_frame(_llaves(nueva, particion))
    # Una versión anterior sin alguna columna de la partición (esquema viejo): vacía.
    llaves_previas = pd.MultiIndex.from_frame(_llaves(previa, particion))
    conservar = previa[~llaves_previas.isin(llaves_nuevas)]
    if conservar.empty:
        return nueva
    combinada = pd.concat([conservar, nueva], ignore_index=True)
    if isinstance(nueva, gpd.GeoDataFrame):
        combinada = gpd.GeoDataFrame(combinada, geometry="geometry", crs=nueva.crs)
    return combinada


def cargas_de(meta: dict) -> list[dict]:
    """Cargas vigentes de una versión; las versiones anteriores a ``cargas`` usan ``fuentes``."""
    if "cargas" in meta:
        return list(meta["cargas"])
    return list(meta.get("fuentes", {}).values())


def _particiones(cambios: dict[str, tuple[pd.DataFrame, list[str] | None]]) -> dict:
    """Qué escribe una carga: ``capa -> claves de partición`` (``None`` = la capa completa).

    Los límites municipales no vienen de un archivo publicado y no se cuentan.
    """
    resultado: dict[str, list[str] | None] = {}
    for capa, (tabla, particion) in cambios.items():
        if capa == "municipios":
            continue
        resultado[capa] = sorted(set(_claves(tabla, particion))) if particion else None
    return resultado


def _claves(tabla: pd.DataFrame, particion: list[str]) -> list[str]:
    """Clave de partición de cada fila como texto (igual que ``_reemplazar_particion``)."""
    partes = _llaves(pd.DataFrame(tabla), particion, texto=False).drop_duplicates()
    return ["|".join(map(str, fila)) for fila in partes.itertuples(index=False, name=None)]


def _sobrevivientes(anterior: Version | None, nueva: dict) -> list[dict]:
    """Cargas de ``anterior`` con datos que la carga ``nueva`` no reemplaza.

    Una carga deja de contar cuando todas sus particiones (o capas completas) fueron
    reemplazadas: así, cargar la clasificación administrativa no borra de la procedencia
    el archivo por objeto del gasto, y recargar un trimestre sí reemplaza al anterior.
    """
    if anterior is None:
        return []
    reemplaza = nueva["particiones"]
    resultado = []
    for carga in cargas_de(anterior.meta):
        previas = carga.get("particiones")
        if previas is None:  # versión anterior a las particiones: por tipo, como antes
            if carga.get("tipo") != nueva["tipo"]:
                resultado.append(carga)
            continue
        quedan: dict[str, list[str] | None] = {}
        for capa, claves in previas.items():
            if capa not in reemplaza:
                quedan[capa] = claves
            elif reemplaza[capa] is not None and claves is not None:
                restantes = sorted(set(claves) - set(reemplaza[capa]))
                if restantes:
                    quedan[capa] = restantes
        if quedan:
            resultado.append({**carga, "particiones": quedan})
    return resultado


def _siguiente_id(carpeta: Path) -> str:
    """Siguiente id después de todas las carpetas de versión en disco (publicadas o no)."""
    ids = [r.name for r in carpeta.iterdir()] if carpeta.exists() else []
    numeros = [int(i[1:]) for i in ids if _id_valido(i)]
    return f"v{max(numeros, default=0) + 1:04d}"


def _id_valido(id_version: str) -> bool:
    """``v`` seguido de 4 o más dígitos (``v0001``... ``v10000``): nada de rutas."""
    return (
        len(id_version) >= 5
        and id_version[0] == "v"
        and id_version[1:].isascii()
        and id_version[1:].isdigit()
    )


def _escribir_json(ruta: Path, datos: dict) -> None:
    with open(ruta, "w", encoding="utf-8") as archivo:
        json.dump(datos, archivo, ensure_ascii=False, indent=2, default=str)
        archivo.flush()
        os.fsync(archivo.fileno())


def _publicar_actual(raiz: Path, id_version: str) -> None:
    temporal = raiz / f".ACTUAL.{uuid.uuid4().hex[:8]}"
    with open(temporal, "w", encoding="utf-8") as archivo:
        archivo.write(id_version + "\n")
        archivo.flush()
        os.fsync(archivo.fileno())
    os.replace(temporal, raiz / "ACTUAL")
    _sincronizar_carpeta(raiz)


def _sincronizar(carpeta: Path) -> None:
    """``fsync`` de cada archivo bajo ``carpeta`` y de sus carpetas."""
    for ruta in carpeta.rglob("*"):
        if ruta.is_file():
            with open(ruta, "rb") as archivo:
                os.fsync(archivo.fileno())
    for sub in [carpeta, *(r for r in carpeta.rglob("*") if r.is_dir())]:
        _sincronizar_carpeta(sub)


def _sincronizar_carpeta(carpeta: Path) -> None:
    descriptor = os.open(carpeta, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _estado(archivo: Path) -> tuple[int, int, int]:
    estado = archivo.stat()
    return estado.st_ino, estado.st_mtime_ns, estado.st_size


def _leido(archivo: Path, convertir: Callable[[str], object]):
    """``convertir(texto de archivo)``, en :data:`_LEIDOS` mientras el archivo no cambie.

    Solo se guarda si el archivo no cambió mientras se leía (mismo estado antes y después).

    Raises
    ------
    FileNotFoundError
        Si el archivo no existe.
    """
    antes = _estado(archivo)
    clave = (str(archivo), *antes)
    with _CANDADO:
        guardado = _LEIDOS.get(clave, _LEIDOS)
    if guardado is not _LEIDOS:
        return guardado
    valor = convertir(archivo.read_text(encoding="utf-8"))
    if _estado(archivo) == antes:
        with _CANDADO:
            _LEIDOS[clave] = valor
    return valor
