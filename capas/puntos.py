"""Qué puntos dibuja un mapa: a lo más ``maximo``, los más importantes, y el resto contado.

Un mapa de puntos no manda todas las filas: con decenas de miles de obras o escuelas la
figura pesaría megabytes. :func:`elegir_puntos` toma las ``maximo`` filas más importantes
(según un orden de prioridad: :func:`prioridad_obras`, :func:`prioridad_escuelas`), siempre
incluye la fila elegida por el usuario y cuenta las demás por grupo (municipio), con la
posición media de las que no se dibujan: el mapa las muestra como un círculo por municipio.

Funciones puras (numpy y pandas sobre la tabla ya filtrada), sin lectura del almacén.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Orden de gravedad de las luces: primero lo que hay que revisar, al final lo que está bien.
ORDEN_GRAVEDAD = {"rojo": 0, "amarillo": 1, "gris": 2, "verde": 3}


@dataclass(frozen=True)
class Seleccion:
    """Resultado de :func:`elegir_puntos`.

    Attributes
    ----------
    posiciones
        Posiciones (``iloc``) de las filas que se dibujan, en el orden de la tabla.
    grupos
        Las filas con coordenadas que no se dibujan, por grupo: ``grupo`` (clave; ``""`` sin
        grupo), ``nombre``, ``cuantos`` y la ``latitud`` y ``longitud`` medias; ordenado por
        ``grupo``.
    con_coordenadas, sin_coordenadas
        Filas de la tabla con y sin coordenadas utilizables.
    """

    posiciones: np.ndarray
    grupos: pd.DataFrame
    con_coordenadas: int
    sin_coordenadas: int

    @property
    def dibujados(self) -> int:
        """Cuántas filas se dibujan como puntos."""
        return len(self.posiciones)

    @property
    def no_dibujados(self) -> int:
        """Filas con coordenadas que no se dibujan (contadas en ``grupos``)."""
        return self.con_coordenadas - self.dibujados


def prioridad_obras(tabla: pd.DataFrame) -> np.ndarray:
    """Posiciones de las obras de la más a la menos importante para el mapa.

    Primero por gravedad del semáforo (rojo, amarillo, gris, verde), luego más alertas, luego
    mayor monto aprobado (sin monto al final); los empates quedan en el orden de la tabla.
    """
    monto = pd.to_numeric(tabla["monto_aprobado"], errors="coerce").to_numpy(dtype="float64")
    return _ordenar(
        _gravedad(tabla["semaforo"]),
        -tabla["num_alertas"].to_numpy(dtype="float64"),
        np.where(np.isnan(monto), np.inf, -monto),
    )


def prioridad_escuelas(tabla: pd.DataFrame) -> np.ndarray:
    """Posiciones de las escuelas de la más a la menos importante para el mapa.

    Primero por gravedad del semáforo de cobertura (baja, media, sin dato, alta), luego
    mayor matrícula (alumnos inscritos; sin dato al final); empates en el orden de la tabla.
    """
    inscritos = pd.to_numeric(tabla["alumnos_inscritos"], errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    return _ordenar(
        _gravedad(tabla["semaforo_cobertura"]),
        np.where(np.isnan(inscritos), np.inf, -inscritos),
    )


#: Orden de los espacios de estacionamiento en el mapa: primero lo que hay que atender.
ORDEN_ESTACIONAMIENTOS = {
    "requiere_rehabilitacion": 0,
    "en_rehabilitacion": 1,
    "propuesto": 2,
    "rehabilitado": 3,
    "bueno": 4,
}


def prioridad_estacionamientos(tabla: pd.DataFrame) -> np.ndarray:
    """Posiciones de los espacios de estacionamiento del más al menos importante para el mapa.

    Primero los que tienen más reportes ciudadanos abiertos, luego por estado
    (:data:`ORDEN_ESTACIONAMIENTOS`: requiere rehabilitación primero; otro estado o sin
    estado al final); empates en el orden de la tabla.
    """
    abiertos = pd.to_numeric(tabla["reportes_abiertos"], errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    return _ordenar(
        np.where(np.isnan(abiertos), 0.0, -abiertos),
        _gravedad(tabla["estado"], ORDEN_ESTACIONAMIENTOS),
    )


def falta_dibujar(
    tabla: pd.DataFrame,
    prioridad: np.ndarray,
    *,
    maximo: int,
    clave: str,
    elegido: str | None,
) -> bool:
    """Verdadero si la fila ``elegido`` se dibuja solo porque está elegida.

    Es decir: tiene coordenadas y no está entre las ``maximo`` filas que :func:`elegir_puntos`
    dibuja sin elegida. Al elegir una fila así, el mapa se redibuja para que se vea; si ya
    se ve (o no se puede dibujar) no hace falta mandar nada.
    """
    if elegido is None or maximo <= 0:
        return False
    donde = np.flatnonzero((tabla[clave] == elegido).to_numpy(dtype=bool, na_value=False))
    if not len(donde):
        return False
    lat = pd.to_numeric(tabla["latitud"], errors="coerce").to_numpy(dtype="float64")
    lon = pd.to_numeric(tabla["longitud"], errors="coerce").to_numpy(dtype="float64")
    validos = np.isfinite(lat) & np.isfinite(lon)
    if not validos[donde[0]]:
        return False
    orden = np.asarray(prioridad, dtype="int64")
    return not np.isin(donde[0], orden[validos[orden]][:maximo])


def elegir_puntos(
    tabla: pd.DataFrame,
    prioridad: np.ndarray,
    *,
    maximo: int,
    clave: str,
    elegido: str | None = None,
    grupo: str = "cvegeo",
    nombre_grupo: str = "municipio",
) -> Seleccion:
    """Las filas que dibuja el mapa (a lo más ``maximo``) y las demás contadas por grupo.

    Parameters
    ----------
    tabla
        Tabla ya filtrada con ``latitud``, ``longitud``, ``clave``, ``grupo`` y
        ``nombre_grupo``.
    prioridad
        Posiciones de ``tabla`` de la más a la menos importante (:func:`prioridad_obras`).
    maximo
        Puntos que se dibujan como mucho.
    elegido
        Valor de ``clave`` de la fila elegida: si tiene coordenadas se dibuja siempre (en
        lugar de la última de las ``maximo``).
    """
    lat = pd.to_numeric(tabla["latitud"], errors="coerce").to_numpy(dtype="float64")
    lon = pd.to_numeric(tabla["longitud"], errors="coerce").to_numpy(dtype="float64")
    validos = np.isfinite(lat) & np.isfinite(lon)
    orden = np.asarray(prioridad, dtype="int64")
    orden = orden[validos[orden]]
    tomadas = orden[:maximo]
    if elegido is not None and maximo > 0:
        donde = np.flatnonzero((tabla[clave] == elegido).to_numpy(dtype=bool, na_value=False))
        donde = donde[validos[donde]]
        if len(donde) and not np.isin(donde[0], tomadas):
            tomadas = np.append(tomadas[: maximo - 1], donde[0])
    dibujar = np.zeros(len(tabla), dtype=bool)
    dibujar[tomadas] = True
    resto = validos & ~dibujar
    return Seleccion(
        posiciones=np.flatnonzero(dibujar),
        grupos=_por_grupo(tabla, resto, lat, lon, grupo, nombre_grupo),
        con_coordenadas=int(validos.sum()),
        sin_coordenadas=int((~validos).sum()),
    )


def _gravedad(luces: pd.Series, orden: dict[str, int] = ORDEN_GRAVEDAD) -> np.ndarray:
    """Posición de cada luz en ``orden`` (otra o sin luz: al final)."""
    codigos, unicos = pd.factorize(luces)
    fuera = float(len(orden))
    posiciones = np.array([orden.get(luz, fuera) for luz in unicos] + [fuera])
    return posiciones[codigos]  # el código -1 (sin luz) toma la última: «fuera»


def _ordenar(*claves: np.ndarray) -> np.ndarray:
    """Posiciones ordenadas por ``claves`` (la primera manda), estable."""
    return np.lexsort(tuple(reversed(claves))) if claves[0].size else np.array([], dtype="int64")


def _por_grupo(
    tabla: pd.DataFrame,
    filas: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    grupo: str,
    nombre_grupo: str,
) -> pd.DataFrame:
    columnas = ["grupo", "nombre", "cuantos", "latitud", "longitud"]
    if not filas.any():
        return pd.DataFrame({c: [] for c in columnas}).astype(
            {"cuantos": "int64", "latitud": "float64", "longitud": "float64"}
        )
    posiciones = np.flatnonzero(filas)
    # sin ordenar, los códigos aparecen en orden creciente: cada grupo empieza donde el
    # código supera a todos los anteriores (su primera fila da el nombre)
    codigos, unicos = pd.factorize(tabla[grupo].iloc[posiciones], use_na_sentinel=False)
    maximos = np.maximum.accumulate(codigos)
    primera = np.flatnonzero(np.r_[True, codigos[1:] > maximos[:-1]])
    cuantos = np.bincount(codigos)
    nombres = tabla[nombre_grupo].iloc[posiciones[primera]].to_numpy(dtype=object)
    salida = pd.DataFrame(
        {
            "grupo": ["" if pd.isna(c) else str(c) for c in unicos],
            "nombre": [None if pd.isna(n) else str(n) for n in nombres],
            "cuantos": cuantos.astype("int64"),
            "latitud": np.bincount(codigos, lat[posiciones]) / cuantos,
            "longitud": np.bincount(codigos, lon[posiciones]) / cuantos,
        }
    )
    return salida.sort_values("grupo", kind="stable", ignore_index=True)
