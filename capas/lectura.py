"""Lectura de una versión del almacén, en caché y de solo lectura.

Las versiones son inmutables: lo leído de una versión (y lo que se calcula a partir de ello)
se guarda en caché por ``(carpeta de la versión, id)``, una vez por proceso. Las tablas en
caché se comparten entre usuarios e hilos: ``DatosVersion.tabla`` y
``DatosVersion.obras_evaluadas`` devuelven copias superficiales (con la copia en escritura de
pandas no se copian datos y modificarlas no altera la caché); los demás atributos calculados
(``base_escolar``, ``cobertura_municipal``...) se devuelven tal cual y **no se modifican**.
Las funciones de :mod:`capas.tablas` devuelven siempre tablas nuevas.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from cachetools import LRUCache

from almacen.esquemas import ESQUEMAS
from almacen.versiones import Almacen, Version
from capas import cobertura, gasto, matricula, obras
from capas.config import UMBRALES
from capas.numeros import a_fecha

#: Versiones que se conservan en memoria a la vez.
VERSIONES_EN_CACHE = 8

#: Tipo de pandas de cada tipo de campo del esquema (para capas ausentes).
_TIPOS = {
    "string": "object",
    "integer": "Int64",
    "number": "float64",
    "boolean": "boolean",
    "date": "datetime64[ns]",
    "geojson": "object",
}


def abrir(raiz: str | os.PathLike, version: str | None = None) -> DatosVersion:
    """Datos de una versión del almacén en ``raiz`` (por omisión, la versión actual).

    La versión actual se resuelve en cada llamada (puede cambiar); sus datos se leen una sola
    vez y quedan en caché.
    """
    elegida = Almacen(raiz).version(version)
    return datos_de(elegida)


def datos_de(fuente: Version | DatosVersion) -> DatosVersion:
    """Los datos en caché de una :class:`~almacen.versiones.Version` (o los mismos datos)."""
    if isinstance(fuente, DatosVersion):
        return fuente
    if not isinstance(fuente, Version):
        raise TypeError(
            f"fuente debe ser una Version del almacén o DatosVersion; se recibió "
            f"{type(fuente).__name__}"
        )
    return _en_cache(str(Path(fuente.ruta).resolve()), fuente.id)


def limpiar_cache() -> None:
    """Vacía la caché de versiones (útil en pruebas)."""
    _en_cache.cache_clear()


#: Cálculos guardados por versión (:meth:`DatosVersion.memo`), a lo más. Lo legítimo cabe de
#: sobra (años × entidades × páginas; los perfiles de municipio entran y salen).
MEMO_MAXIMO = 4_096


@dataclass(eq=False)
class DatosVersion:
    """Capas de una versión y cálculos reutilizables, leídos una vez (solo lectura)."""

    version: Version
    _candado: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _obras_por_anio: dict = field(default_factory=dict, repr=False)
    _memo: LRUCache = field(default_factory=lambda: LRUCache(MEMO_MAXIMO), repr=False)

    @property
    def id(self) -> str:
        """Identificador de la versión (``v0001``...)."""
        return self.version.id

    @property
    def es_ejemplo(self) -> bool:
        """Verdadero si la versión contiene datos de ejemplo (sintéticos)."""
        return self.version.es_ejemplo

    @cached_property
    def fecha_corte(self) -> date | None:
        """Fecha de corte de la versión (la más reciente de sus fuentes)."""
        return a_fecha(self.version.meta.get("fecha_corte"))

    def fecha_corte_fuente(self, tipo: str) -> date | None:
        """Fecha de corte de la fuente ``tipo``; si no tiene, la de la versión."""
        fuente = self.version.meta.get("fuentes", {}).get(tipo, {})
        return a_fecha(fuente.get("fecha_corte")) or self.fecha_corte

    def tabla(self, capa: str) -> pd.DataFrame:
        """Capa guardada tal cual (vacía, con sus columnas, si la versión no la tiene).

        Se devuelve una copia superficial (con copia en escritura de pandas no copia datos):
        modificarla no altera la caché.
        """
        return self._tablas[capa].copy(deep=False)

    def memo(self, clave, calcular):
        """Lo que ``calcular()`` devuelve, calculado una vez por versión y ``clave``.

        Es la caché por versión de quien arma algo a partir de estos datos (los GeoJSON del
        mapa, los cajones de los reportes, las opciones de los filtros): vive y se vacía con la
        versión. Lo guardado se comparte entre peticiones y **no se modifica**.

        Muchas claves llevan lo que pide el navegador (un año, un municipio, una entidad):
        se guardan a lo más :data:`MEMO_MAXIMO` (las menos usadas salen primero), así nadie
        llena la memoria pidiendo años que no existen.
        """
        with self._candado:
            if clave in self._memo:
                return self._memo[clave]
        valor = calcular()
        with self._candado:
            if clave in self._memo:
                return self._memo[clave]
            self._memo[clave] = valor
            return valor

    @cached_property
    def _tablas(self) -> _Tablas:
        return _Tablas(self.version)

    # --- cálculos reutilizados, una vez por versión ---------------------------------------

    @cached_property
    def municipios(self) -> pd.DataFrame:
        """``cvegeo`` y ``municipio`` de todos los municipios (sin geometría), ordenados.

        Si la versión no tiene la capa ``municipios``, los que aparecen en los datos.
        """
        capa = self.tabla("municipios")
        if len(capa):
            tabla = pd.DataFrame(
                {"cvegeo": capa["cvegeo"].astype(object), "municipio": capa["municipio"]}
            )
        else:
            claves = set(self.base_escolar["cvegeo"].dropna())
            claves |= set(self.tabla("presupuesto")["cvegeo"].dropna())
            claves |= set(self.tabla("obras")["cvegeo_declarado"].dropna())
            tabla = pd.DataFrame({"cvegeo": sorted(claves), "municipio": None})
        tabla = tabla.drop_duplicates("cvegeo").sort_values("cvegeo", ignore_index=True)
        return tabla.astype({"cvegeo": object, "municipio": object})

    @cached_property
    def nombres_municipios(self) -> dict[str, str]:
        """``cvegeo -> nombre`` del municipio."""
        tabla = self.municipios.dropna(subset=["municipio"])
        return dict(zip(tabla["cvegeo"], tabla["municipio"], strict=True))

    @cached_property
    def base_escolar(self) -> pd.DataFrame:
        """Tabla por escuela del programa y ciclo (:func:`capas.cobertura.base_escolar`)."""
        return cobertura.base_escolar(
            self.tabla("escuelas"), self.tabla("matricula"), self.tabla("padron")
        )

    @cached_property
    def anios_escolares(self) -> list[int]:
        """Ciclos (año de inicio) con matrícula o padrón."""
        return sorted(int(a) for a in pd.unique(self.base_escolar["anio"]))

    @cached_property
    def cobertura_municipal(self) -> pd.DataFrame:
        """Indicador 3 para todos los municipios y ciclos (índice ``(cvegeo, anio)``)."""
        return cobertura.cobertura_municipal(
            self.base_escolar, self.tabla("padron_repetidos"), list(self.municipios["cvegeo"])
        )

    @cached_property
    def cobertura_estatal(self) -> pd.DataFrame:
        """Indicador 1 por ciclo (índice ``anio``)."""
        return cobertura.cobertura_estatal(self.base_escolar, self.tabla("padron_repetidos"))

    @cached_property
    def tasas_municipales(self) -> pd.DataFrame:
        """Indicadores 5 y 6 por municipio y ciclo (índice ``(zona, anio)``)."""
        return matricula.tasas_por_zona(self.base_escolar, "cvegeo")

    @cached_property
    def tasas_escuelas(self) -> pd.DataFrame:
        """Indicadores 5 y 6 por escuela y ciclo (índice ``(zona, anio)``)."""
        return matricula.tasas_por_zona(self.base_escolar, "cct")

    @cached_property
    def tasas_estatales(self) -> pd.DataFrame:
        """Indicadores 5 y 6 de la entidad por ciclo (índice ``anio``)."""
        zona = pd.Series("entidad", index=self.base_escolar.index)
        return matricula.tasas_por_zona(self.base_escolar, zona).droplevel("zona")

    @cached_property
    def presupuesto_programa(self) -> pd.DataFrame:
        """Líneas de presupuesto del programa de uniformes y útiles."""
        lineas = self.tabla("presupuesto")
        return lineas[gasto.lineas_programa(lineas)]

    @cached_property
    def gasto_municipal(self) -> pd.DataFrame:
        """Montos del programa por ``(anio, cvegeo)`` con eficacia y semáforo del gasto."""
        lineas = self.presupuesto_programa
        lineas = lineas[lineas["cvegeo"].notna().to_numpy()]
        montos = gasto.montos_por_zona(lineas, ["anio", "cvegeo"]).reset_index()
        return _con_semaforo(montos, self.fecha_corte_fuente("presupuesto"))

    @cached_property
    def gasto_estatal(self) -> pd.DataFrame:
        """Montos estatales del programa por año con eficacia y semáforo del gasto."""
        montos = gasto.presupuesto_estatal(self.presupuesto_programa).reset_index()
        return _con_semaforo(montos, self.fecha_corte_fuente("presupuesto"))

    @cached_property
    def fecha_referencia_obras(self) -> date | None:
        """Fecha contra la que se decide si una obra está vencida.

        La fecha de corte de la fuente ``obras`` (o de la versión); sin ninguna, el fin del
        periodo del reporte más reciente.
        """
        return self.fecha_corte_fuente("obras") or obras.fecha_referencia_reportes(
            self.tabla("obras")
        )

    def obras_evaluadas(self, anio: int | None = None) -> pd.DataFrame:
        """Estado actual de cada obra con alertas y semáforo (:func:`capas.obras.evaluar_obras`).

        En caché por ``anio``; se devuelve una copia superficial (modificarla no altera la
        caché).
        """
        clave = None if anio is None else int(anio)
        referencia = self.fecha_referencia_obras_anio(clave)
        reportes = self.tabla("obras")
        with self._candado:
            if clave not in self._obras_por_anio:
                self._obras_por_anio[clave] = obras.evaluar_obras(
                    reportes, clave, referencia, UMBRALES
                )
            return self._obras_por_anio[clave].copy(deep=False)

    def fecha_referencia_obras_anio(self, anio: int | None) -> date | None:
        """Fecha de referencia de ``vencida`` para el estado de las obras en ``anio``.

        Sin ``anio``, :attr:`fecha_referencia_obras`. Con ``anio`` (estado en el último
        reporte de ese año), la menor entre esa fecha y el 31 de diciembre de ``anio``: una
        obra no estaba vencida en 2024 si su término estimado era en 2025.
        """
        referencia = self.fecha_referencia_obras
        if anio is None:
            return referencia
        cierre = date(int(anio), 12, 31)
        return cierre if referencia is None else min(referencia, cierre)


class _Tablas:
    """Lee cada capa guardada la primera vez que se pide (con candado)."""

    def __init__(self, version: Version):
        self._version = version
        self._tablas: dict[str, pd.DataFrame] = {}
        self._candado = threading.Lock()

    def __getitem__(self, capa: str) -> pd.DataFrame:
        with self._candado:
            if capa not in self._tablas:
                self._tablas[capa] = _leer(self._version, capa)
            return self._tablas[capa]


@lru_cache(maxsize=VERSIONES_EN_CACHE)
def _en_cache(ruta: str, id_version: str) -> DatosVersion:
    version = Almacen(Path(ruta).parent.parent).version(id_version)
    return DatosVersion(version)


def _leer(version: Version, capa: str) -> pd.DataFrame:
    esquema = ESQUEMAS.get(capa, [])
    if version.tiene(capa):
        tabla = version.leer(capa)
    else:
        tabla = pd.DataFrame(
            {c.nombre: pd.Series(dtype=_TIPOS.get(c.tipo, "object")) for c in esquema}
        )
    for campo in esquema:  # columnas opcionales que una versión anterior no tenga
        if campo.nombre not in tabla:
            tabla[campo.nombre] = pd.Series(
                np.full(len(tabla), None), index=tabla.index, dtype=_TIPOS.get(campo.tipo)
            )
    return tabla


def _con_semaforo(montos: pd.DataFrame, fecha_corte: date | None) -> pd.DataFrame:
    semaforo = gasto.semaforos_gasto(montos, fecha_corte_omision=fecha_corte)
    tabla = pd.concat(
        [montos.drop(columns=list(semaforo.columns), errors="ignore"), semaforo], axis=1
    )
    tabla["eficacia"] = gasto.eficacia_presupuestal(
        tabla["ejercido"].to_numpy(), tabla["aprobado"].to_numpy()
    )
    tabla["eficacia_modificado"] = gasto.eficacia_modificado(
        tabla["ejercido"].to_numpy(), tabla["vigente"].to_numpy()
    )
    tabla["fecha_corte"] = tabla["fecha_corte"].fillna(
        pd.Timestamp(fecha_corte) if fecha_corte else pd.NaT
    )
    return tabla
