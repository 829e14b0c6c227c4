"""Piezas comunes de las fuentes: formatos, contexto de una carga y georreferencia."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from almacen.esquemas import ESQUEMAS
from ingesta import normalizacion as norm
from ingesta.errores import OpcionFaltante
from ingesta.geografia import MOTIVO_OTRA_ENTIDAD, Municipios, es_la_entidad, es_otra_entidad
from ingesta.lectura import Archivo, Columna, coincidencias, normalizar_columna
from ingesta.normalizacion import Registro


@dataclass
class Contexto:
    """Lo que un formato necesita para procesar una tabla: archivo, geografía, registro y
    las opciones de la carga (``anio``, ``programa``...)."""

    archivo: Archivo
    geo: Municipios
    registro: Registro
    opciones: dict = field(default_factory=dict)

    def opcion(self, nombre: str, motivo: str):
        """Valor de la opción ``--nombre`` o un error claro que la nombra."""
        valor = self.opciones.get(nombre)
        if valor is None:
            raise OpcionFaltante(
                f"El archivo {self.archivo.nombre} {motivo}: indíquelo con --{nombre}",
                archivo=self.archivo.nombre,
                columna=nombre,
            )
        return valor


@dataclass
class Salida:
    """Resultado de procesar una tabla: capas para el almacén y fecha de corte detectada.

    ``capas`` va de nombre de capa a ``(tabla, particion)`` (ver ``Almacen.crear_version``).
    """

    capas: dict[str, tuple[pd.DataFrame, list[str] | None]]
    fecha_corte: str | None = None
    #: Avisos sobre el archivo completo (no sobre una fila), p. ej. «archivo de aprobado».
    avisos: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Formato:
    """Un formato publicado de una fuente (p. ej. SHCP, Ojos al Gasto, OC4IDS).

    El formato es configuración: ``columnas`` declara cada columna publicada con sus alias
    y si es obligatoria. Un archivo tabular corresponde al formato cuando trae todas las
    columnas obligatorias y las ``distintivas``; entre los que corresponden se elige el de
    más columnas encontradas (:func:`ingesta.carga`). Si ``json`` es verdadero, el archivo
    es JSON y ``reconoce_json`` decide. ``procesar`` recibe la tabla con nombres canónicos y
    devuelve una :class:`Salida`.
    """

    nombre: str
    columnas: list[Columna]
    procesar: Callable[[pd.DataFrame, Contexto], Salida]
    distintivas: tuple[str, ...] = ()
    json: bool = False
    leer_json: Callable[[object, Archivo], pd.DataFrame] | None = None
    reconoce_json: Callable[[object], bool] | None = None
    #: Nombre para personas (mensajes «el formato más cercano es ...»).
    titulo: str = ""
    #: Licencia de los datos de origen, si no es la de datos públicos del gobierno (p. ej.
    #: Ojos al Gasto se publica con ODbL 1.0): va en la procedencia y en las descargas.
    licencia: str = ""
    #: Columnas (nombres canónicos, la primera presente) con la entidad federativa de cada
    #: fila en archivos nacionales: las filas de otra entidad se omiten antes de procesar.
    entidad: tuple[str, ...] = ()

    def faltantes(self, encabezado: list[str]) -> list[str]:
        """Columnas obligatorias o distintivas que el encabezado no trae."""
        presentes = {normalizar_columna(c) for c in encabezado}
        faltan = [
            c.nombre
            for c in self.columnas
            if c.requerida and not any(n in presentes for n in c.nombres())
        ]
        faltan += [
            d
            for d in self.distintivas
            if normalizar_columna(d) not in presentes and d not in faltan
        ]
        return faltan

    def puntaje(self, encabezado: list[str]) -> int:
        """Cuántas columnas del formato trae el encabezado."""
        return len(coincidencias(encabezado, self.columnas))


@dataclass(frozen=True)
class Fuente:
    """Un tipo de fuente (``escuelas``, ``obras``...) con sus formatos aceptados."""

    tipo: str
    descripcion: str
    formatos: list[Formato]
    #: Columnas con datos personales: su valor nunca se muestra en mensajes ni rechazos.
    personales: frozenset[str] = field(default_factory=frozenset)


@dataclass
class Georreferencia:
    """Coordenadas validadas de una tabla, municipio donde caen y códigos de advertencia."""

    latitud: pd.Series
    longitud: pd.Series
    cvegeo_coordenadas: pd.Series
    codigos: pd.Series


def georreferenciar(
    latitud: pd.Series,
    longitud: pd.Series,
    cvegeo_declarado: pd.Series,
    ctx: Contexto,
    *,
    obligatoria: bool = False,
    columna: str = "LATITUD",
) -> Georreferencia:
    """Valida coordenadas WGS84 contra los municipios de la entidad.

    - Sin coordenadas: advertencia ``sin_georreferencia`` (rechazo si ``obligatoria``).
    - Fuera de la entidad pero dentro al invertir latitud y longitud: se corrigen, con la
      advertencia ``coordenadas_invertidas``.
    - Fuera de la entidad aun invertidas: advertencia ``fuera_del_estado`` (rechazo si
      ``obligatoria``); el municipio por coordenadas queda vacío.
    - En otro municipio que el declarado: advertencia ``fuera_de_municipio``.
    """
    reg = ctx.registro
    lat, lat_mal = norm.coordenada(latitud)
    lon, lon_mal = norm.coordenada(longitud)
    mal = lat_mal | lon_mal
    # 0,0 (o una de las dos en 0) es como se publica «sin ubicación»: nunca un punto en 0,0.
    cero = ((lat == 0) | (lon == 0)).to_numpy() & ~mal
    lat = lat.where(~mal & ~cero)
    lon = lon.where(~mal & ~cero)
    reg.advertir(mal & ~obligatoria, columna, "coordenada no numérica: se ignora")
    if obligatoria:
        reg.rechazar(mal, columna, "coordenada no numérica")
    vacia = (lat.isna() | lon.isna()).to_numpy()
    cve = ctx.geo.ubicar(lon.to_numpy(), lat.to_numpy())
    fuera = ~vacia & pd.isna(cve)
    invertidas = np.zeros(len(lat), dtype=bool)
    if fuera.any():
        cve_inv = ctx.geo.ubicar(lat.to_numpy()[fuera], lon.to_numpy()[fuera])
        arreglo = ~pd.isna(cve_inv)
        indices = np.flatnonzero(fuera)[arreglo]
        invertidas[indices] = True
        cve[indices] = cve_inv[arreglo]
        lat_v, lon_v = lat.to_numpy().copy(), lon.to_numpy().copy()
        lat_v[indices], lon_v[indices] = lon_v[indices], lat_v[indices]
        lat = pd.Series(lat_v, index=lat.index)
        lon = pd.Series(lon_v, index=lon.index)
        fuera[indices] = False
    cvegeo = pd.Series(cve, index=latitud.index, dtype=object)
    otro_mun = (cvegeo.notna() & cvegeo_declarado.notna() & (cvegeo != cvegeo_declarado)).to_numpy()

    if obligatoria:
        reg.rechazar(vacia & ~mal, columna, "sin coordenadas utilizables")
        reg.rechazar(fuera, columna, "coordenadas fuera de la entidad")
    else:
        reg.advertir(vacia & ~mal & ~cero, columna, "sin_georreferencia: sin coordenadas")
        reg.advertir(cero, columna, "sin_georreferencia: coordenadas 0,0 (sin ubicación)")
        reg.advertir(fuera, columna, "fuera_del_estado: las coordenadas caen fuera de la entidad")
    reg.advertir(
        invertidas, columna, "coordenadas_invertidas: latitud y longitud se intercambiaron"
    )
    nombres = ctx.geo.nombres
    motivo_otro = "fuera_de_municipio: las coordenadas caen en " + cvegeo.map(nombres).fillna("")
    reg.advertir(otro_mun, columna, motivo_otro)

    codigos = norm.unir_codigos(
        _codigo(vacia | mal, "sin_georreferencia", lat.index),
        _codigo(fuera, "fuera_del_estado", lat.index),
        _codigo(invertidas, "coordenadas_invertidas", lat.index),
        _codigo(otro_mun, "fuera_de_municipio", lat.index),
    )
    return Georreferencia(latitud=lat, longitud=lon, cvegeo_coordenadas=cvegeo, codigos=codigos)


def resolver_municipio(
    valores: pd.Series,
    ctx: Contexto,
    columna: str,
    *,
    obligatorio: bool = True,
    entidad: pd.Series | None = None,
) -> pd.Series:
    """Resuelve clave o nombre de municipio a CVEGEO; rechaza los desconocidos o ambiguos.

    ``entidad`` (clave o nombre de la entidad de cada fila) solo se usa en el modo nacional.
    """
    cvegeo, motivo = ctx.geo.resolver(valores, entidad)
    ctx.registro.rechazar(motivo.notna(), columna, motivo)
    if obligatorio:
        ctx.registro.rechazar(valores.isna(), columna, "falta el municipio")
    return cvegeo


def fuera_de_la_entidad(
    valores: pd.Series, columna: str, ctx: Contexto, *, omitir: pd.Series | None = None
) -> pd.Series:
    """Filas que no son de la entidad configurada (verdadero = no procesar su contenido).

    - De otra entidad (clave 1 a 32 o nombre): se omiten, no son errores.
    - ``omitir`` (p. ej. las claves 34/35 de la SHCP): se omiten con su propio motivo, que el
      formato ya registró.
    - Vacía o que no es ninguna entidad (``Oaxca``, ``XX``): se rechazan con su motivo.
    """
    reg = ctx.registro
    propia = es_la_entidad(valores, ctx.geo.estado)
    otra = es_otra_entidad(valores, ctx.geo.estado)
    reg.omitir(otra, MOTIVO_OTRA_ENTIDAD)
    ya = omitir if omitir is not None else pd.Series(False, index=valores.index)
    reg.rechazar(valores.isna() & ~ya, columna, "falta la entidad federativa")
    desconocida = valores.notna() & ~propia & ~otra & ~ya
    reg.rechazar(desconocida, columna, "entidad federativa no reconocida", valores=valores)
    return ~propia


def exigir(tabla: pd.DataFrame, columnas: list[str], ctx: Contexto) -> None:
    """Rechaza filas con celdas vacías en columnas obligatorias."""
    for columna in columnas:
        ctx.registro.rechazar(tabla[columna].isna(), columna, "valor obligatorio vacío")


def montos(tabla: pd.DataFrame, columnas: dict[str, str], ctx: Contexto) -> pd.DataFrame:
    """Convierte columnas de importe (``original -> destino``); rechaza texto y negativos."""
    resultado = {}
    # Una sola convención decimal para todo el archivo: una columna con ``1.234,56`` hace
    # que ``12.000`` de otra columna se lea como doce mil, no como doce.
    europea = norm.coma_decimal([tabla[c] for c in columnas if c in tabla.columns])
    for original, destino in columnas.items():
        if original not in tabla.columns:
            resultado[destino] = pd.Series(np.nan, index=tabla.index)
            continue
        valores, motivo, coma_decimal = norm.importes(tabla[original], europea=europea)
        invalido = motivo.notna().to_numpy()
        ctx.registro.rechazar(invalido, original, motivo, valores=tabla[original])
        ctx.registro.rechazar(valores < 0, original, "importe negativo", valores=tabla[original])
        ctx.registro.advertir(
            tabla[original].notna() & coma_decimal,
            original,
            "el archivo usa coma decimal (1.234,56): se leyó así",
        )
        resultado[destino] = valores.where(~invalido)
    return pd.DataFrame(resultado, index=tabla.index)


def fechas(tabla: pd.DataFrame, columnas: dict[str, str], ctx: Contexto, *, rechazar: bool = False):
    """Convierte columnas de fecha; una fecha ilegible se rechaza o se advierte y queda vacía."""
    resultado = {}
    for original, destino in columnas.items():
        if original not in tabla.columns:
            resultado[destino] = pd.Series(pd.NaT, index=tabla.index, dtype="datetime64[ns]")
            continue
        valores, invalido = norm.fecha(tabla[original])
        if rechazar:
            ctx.registro.rechazar(
                invalido, original, "fecha no reconocida", valores=tabla[original]
            )
        else:
            ctx.registro.advertir(
                invalido, original, "fecha no reconocida (se deja vacía)", valores=tabla[original]
            )
        resultado[destino] = valores
    return pd.DataFrame(resultado, index=tabla.index)


def opcional(tabla: pd.DataFrame, columna: str) -> pd.Series:
    """La columna si existe; si no, una serie vacía (nula) del mismo largo."""
    if columna in tabla.columns:
        return norm.texto(tabla[columna])
    return pd.Series(None, index=tabla.index, dtype=object)


def capa_de_puntos(datos: pd.DataFrame, capa: str) -> gpd.GeoDataFrame:
    """Capa de puntos WGS84 lista para el almacén.

    Las columnas de texto del esquema quedan como texto aunque vengan vacías (para que
    Parquet no las guarde como tipo nulo) y una fila sin coordenadas tiene geometría vacía
    (nula), no ``POINT (NaN NaN)``.
    """
    texto = [c.nombre for c in ESQUEMAS[capa] if c.tipo == "string" and c.nombre in datos]
    datos = datos.astype({c: "str" for c in texto})
    lon = datos["longitud"].to_numpy(dtype="float64", na_value=np.nan)
    lat = datos["latitud"].to_numpy(dtype="float64", na_value=np.nan)
    geometria = np.full(len(datos), None, dtype=object)
    con_punto = np.flatnonzero(~np.isnan(lon) & ~np.isnan(lat))
    if len(con_punto):
        # Un punto por par de coordenadas distinto (bit a bit: ``-0.0`` no es ``0.0``),
        # compartido por sus filas: una obra se publica en cada reporte trimestral con las
        # mismas coordenadas. Las geometrías de shapely son inmutables.
        cod_lon, _ = pd.factorize(lon[con_punto].view(np.int64))
        cod_lat, distintas_lat = pd.factorize(lat[con_punto].view(np.int64))
        par, _ = pd.factorize(cod_lon * len(distintas_lat) + cod_lat)
        # ``factorize`` numera en orden de aparición: la primera fila de cada par es donde
        # el máximo acumulado sube.
        primera = np.flatnonzero(np.r_[True, np.diff(np.maximum.accumulate(par)) > 0])
        i = con_punto[primera]
        geometria[con_punto] = shapely.points(lon[i], lat[i])[par]
    return gpd.GeoDataFrame(datos, geometry=gpd.GeoSeries(geometria, index=datos.index), crs=4326)


def _codigo(mascara: np.ndarray, codigo: str, indice: pd.Index) -> pd.Series:
    return pd.Series(np.where(mascara, codigo, None), index=indice, dtype=object)
