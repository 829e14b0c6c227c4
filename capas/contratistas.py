"""Contratistas de obra pública: ranking investigable y perfil de un contratista.

Todo se calcula sobre la capa ``obras`` (:func:`capas.tabla_obras`, una fila por obra en su
último reporte) ya filtrada con los filtros de la página ``/obras``, así que el ranking y el
perfil usan exactamente las mismas obras que la tabla de obras::

    obras = capas.tabla_obras(datos, anio=2025, semaforo=["rojo"])
    ranking(obras, por_municipio=False)
    resumen(filtrar(obras, contratista="Urbanizadora Añil S.A. de C.V."))

Definiciones (por obra):

- **con alerta**: tiene al menos una alerta (``num_alertas > 0``, códigos de
  :data:`capas.config.CODIGOS_ALERTA`).
- **sobregiro**: monto ejercido mayor que el aprobado (ambos publicados).
- **retraso**: la alerta ``vencida`` de la metodología (fecha estimada de término vencida y
  avance físico menor a 100 %).
- **adjudicación directa**: ``tipo_adjudicacion`` es «ADJUDICACION DIRECTA» (sin importar
  mayúsculas ni acentos); los porcentajes se calculan sobre las obras que publicaron su tipo
  de adjudicación.
- **sin dato**: contratista vacío o un marcador como «N/D» o «Sin dato»
  (:data:`MARCADORES_SIN_DATO`). No es una empresa: va en un grupo aparte, al final.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from capas.config import ADJUDICACION_DIRECTA, UMBRALES
from capas.numeros import a_flotantes, dividir, normalizar_texto

#: Alerta que define el retraso de una obra (fecha de término vencida y avance < 100 %).
ALERTA_RETRASO = "vencida"

#: Textos (normalizados: minúsculas, sin acentos) que significan «contratista sin dato».
MARCADORES_SIN_DATO = frozenset(
    {
        "",
        "-",
        "--",
        ".",
        "0",
        "n/a",
        "n/d",
        "na",
        "nd",
        "s/d",
        "sd",
        "ninguno",
        "no aplica",
        "no disponible",
        "no especificado",
        "desconocido",
        "por definir",
        "sin contratista",
        "sin dato",
        "sin datos",
        "sin informacion",
    }
)

#: Columnas de :func:`ranking` (más ``cvegeo`` y ``municipio`` al agrupar por municipio).
COLUMNAS_RANKING = [
    "contratista",
    "sin_dato",
    "obras",
    "monto",
    "participacion",
    "obras_adjudicacion_directa",
    "participacion_adjudicacion_directa",
    "obras_con_alerta",
    "obras_con_sobregiro",
    "obras_con_retraso",
]


@dataclass(frozen=True)
class Resumen:
    """Resumen de las obras de un contratista (montos en pesos, partes como fracciones).

    ``directa_por_numero`` y ``directa_por_monto`` son nulos (``None``) cuando ninguna obra
    publicó su tipo de adjudicación (``obras_adjudicacion_conocida == 0``).
    """

    obras: int
    municipios: int
    anios: tuple[int, ...]
    monto_aprobado: float | None
    monto_ejercido: float | None
    monto_pagado: float | None
    obras_adjudicacion_conocida: int
    obras_adjudicacion_directa: int
    directa_por_numero: float | None
    directa_por_monto: float | None
    obras_con_alerta: int
    obras_con_sobregiro: int
    obras_con_retraso: int


def sin_dato(contratistas: pd.Series) -> np.ndarray:
    """Verdadero donde el contratista está vacío o es un marcador de «sin dato»."""
    normalizados = normalizar_texto(contratistas.astype(object))
    return (normalizados.isna() | normalizados.map(lambda t: t in MARCADORES_SIN_DATO)).to_numpy(
        dtype=bool
    )


def marcas(obras: pd.DataFrame) -> pd.DataFrame:
    """Banderas por obra: ``con_alerta``, ``sobregiro``, ``retraso``, ``directa`` y
    ``adjudicacion_conocida`` (booleanas, mismo índice que ``obras``)."""
    aprobado = a_flotantes(obras["monto_aprobado"])
    ejercido = a_flotantes(obras["monto_ejercido"])
    sobregiro = (
        ~np.isnan(aprobado) & ~np.isnan(ejercido) & (ejercido > aprobado + UMBRALES.tolerancia)
    )
    codigos = obras["alertas"].astype(object).fillna("").map(lambda t: str(t).split(";"))
    retraso = codigos.map(lambda c: ALERTA_RETRASO in c).to_numpy(dtype=bool)
    con_alerta = a_flotantes(obras["num_alertas"]) > 0
    if "tipo_adjudicacion" in obras:
        adjudicacion = normalizar_texto(obras["tipo_adjudicacion"].astype(object))
    else:
        adjudicacion = pd.Series([None] * len(obras), index=obras.index, dtype=object)
    return pd.DataFrame(
        {
            "con_alerta": con_alerta,
            "sobregiro": sobregiro,
            "retraso": retraso,
            "directa": (adjudicacion == ADJUDICACION_DIRECTA).to_numpy(dtype=bool),
            "adjudicacion_conocida": adjudicacion.notna().to_numpy(dtype=bool),
        },
        index=obras.index,
    )


def ranking(obras: pd.DataFrame, por_municipio: bool = True) -> pd.DataFrame:
    """Obras por contratista de las obras dadas (ya filtradas), con «sin dato» al final.

    Parameters
    ----------
    obras
        La capa ``obras`` (:func:`capas.tabla_obras`) con los filtros de la página.
    por_municipio
        Una fila por municipio y contratista (verdadero) o por contratista en la entidad.

    Returns
    -------
    DataFrame
        :data:`COLUMNAS_RANKING` (con ``cvegeo`` y ``municipio`` al frente si
        ``por_municipio``): ``obras``; ``monto`` (aprobado); ``participacion`` = monto /
        monto de las obras dadas del municipio (o de la entidad); obras y parte del monto
        (sobre el de tipo publicado) por adjudicación directa; obras con alerta, con
        sobregiro y con retraso. Los contratistas «sin dato» se juntan en una fila
        (``contratista`` nulo, ``sin_dato`` verdadero) por municipio (o una en la entidad),
        siempre después de las empresas. Las empresas van por municipio (``cvegeo``) y de
        mayor a menor monto (empate: por nombre).
    """
    zona = ["cvegeo"] if por_municipio else []
    banderas = marcas(obras)
    vacio = sin_dato(obras["contratista"])
    monto = a_flotantes(obras["monto_aprobado"])
    base = pd.DataFrame({c: obras[c].astype(object).to_numpy() for c in zona})
    base["sin_dato"] = vacio
    base["contratista"] = np.where(vacio, "", obras["contratista"].astype(object).to_numpy())
    base["monto"] = monto
    base["directa"] = banderas["directa"].to_numpy()
    base["monto_directa"] = np.where(
        banderas["adjudicacion_conocida"].to_numpy(),
        np.where(banderas["directa"].to_numpy(), monto, 0.0),
        np.nan,
    )
    base["monto_conocida"] = np.where(banderas["adjudicacion_conocida"].to_numpy(), monto, np.nan)
    for columna in ("con_alerta", "sobregiro", "retraso"):
        base[columna] = banderas[columna].to_numpy()
    claves = [*zona, "sin_dato", "contratista"]
    if base.empty:
        vacia = pd.DataFrame({c: pd.Series(dtype=object) for c in [*zona, *COLUMNAS_RANKING]})
        if por_municipio:
            vacia.insert(1, "municipio", pd.Series(dtype=object))
        return vacia
    grupos = base.groupby(claves, dropna=False, sort=False)
    tabla = pd.DataFrame(
        {
            "obras": grupos.size(),
            "monto": grupos["monto"].sum(min_count=1),
            "obras_adjudicacion_directa": grupos["directa"].sum(),
            "monto_directa": grupos["monto_directa"].sum(min_count=1),
            "monto_conocida": grupos["monto_conocida"].sum(min_count=1),
            "obras_con_alerta": grupos["con_alerta"].sum(),
            "obras_con_sobregiro": grupos["sobregiro"].sum(),
            "obras_con_retraso": grupos["retraso"].sum(),
        }
    ).reset_index()
    if por_municipio:
        total = base.groupby("cvegeo", dropna=False)["monto"].sum(min_count=1)
        totales = a_flotantes(tabla["cvegeo"].map(total))
    else:
        suma = np.nansum(monto) if np.any(~np.isnan(monto)) else np.nan
        totales = np.full(len(tabla), suma)
    tabla["participacion"] = dividir(a_flotantes(tabla["monto"]), totales)
    tabla["participacion_adjudicacion_directa"] = dividir(
        a_flotantes(tabla["monto_directa"]), a_flotantes(tabla["monto_conocida"])
    )
    for columna in (
        "obras",
        "obras_adjudicacion_directa",
        "obras_con_alerta",
        "obras_con_sobregiro",
        "obras_con_retraso",
    ):
        tabla[columna] = tabla[columna].astype("int64")
    tabla["sin_dato"] = tabla["sin_dato"].astype(bool)
    tabla["contratista"] = tabla["contratista"].where(~tabla["sin_dato"], None).astype(object)
    tabla["_monto"] = np.nan_to_num(a_flotantes(tabla["monto"]), nan=-np.inf)
    tabla["_zona"] = tabla["cvegeo"].astype(object).fillna("~") if por_municipio else ""
    tabla = tabla.sort_values(
        ["sin_dato", "_zona", "_monto", "contratista"],
        ascending=[True, True, False, True],
        kind="stable",
        na_position="last",
    ).reset_index(drop=True)
    columnas = [*zona, *COLUMNAS_RANKING]
    tabla = tabla[columnas]
    if por_municipio:
        nombres = obras.groupby("cvegeo", dropna=True)["municipio"].first()
        tabla.insert(1, "municipio", tabla["cvegeo"].map(nombres).astype(object))
    return tabla


def resumen(obras: pd.DataFrame) -> Resumen:
    """Resumen de las obras de un contratista (la capa ``obras`` filtrada por él)."""
    banderas = marcas(obras)
    monto = a_flotantes(obras["monto_aprobado"])
    conocida = banderas["adjudicacion_conocida"].to_numpy()
    directa = banderas["directa"].to_numpy()
    n_conocida = int(conocida.sum())
    anios = sorted({int(a) for a in a_flotantes(obras["anio"]) if not np.isnan(a)})
    return Resumen(
        obras=len(obras),
        municipios=int(obras["cvegeo"].nunique(dropna=True)),
        anios=tuple(anios),
        monto_aprobado=_suma(obras["monto_aprobado"]),
        monto_ejercido=_suma(obras["monto_ejercido"]),
        monto_pagado=_suma(obras["monto_pagado"]),
        obras_adjudicacion_conocida=n_conocida,
        obras_adjudicacion_directa=int(directa.sum()),
        directa_por_numero=(directa.sum() / n_conocida) if n_conocida else None,
        directa_por_monto=_fraccion(
            np.nansum(np.where(directa, monto, 0.0)),
            np.nansum(np.where(conocida, monto, 0.0)),
        )
        if n_conocida
        else None,
        obras_con_alerta=int(banderas["con_alerta"].sum()),
        obras_con_sobregiro=int(banderas["sobregiro"].sum()),
        obras_con_retraso=int(banderas["retraso"].sum()),
    )


def obras_por_municipio_anio(obras: pd.DataFrame) -> pd.DataFrame:
    """Las obras de un contratista ordenadas por municipio (alfabético, sin importar acentos;
    sin municipio al final), año (reciente primero) y monto (mayor primero).

    Agrega a la capa ``obras`` las banderas ``sobregiro`` y ``retraso`` (:func:`marcas`).
    """
    banderas = marcas(obras)
    tabla = obras.assign(
        sobregiro=banderas["sobregiro"].to_numpy(), retraso=banderas["retraso"].to_numpy()
    )
    tabla["_municipio"] = normalizar_texto(tabla["municipio"].astype(object)).fillna("~")
    tabla["_anio"] = np.nan_to_num(a_flotantes(tabla["anio"]), nan=-1.0)
    tabla["_monto"] = np.nan_to_num(a_flotantes(tabla["monto_aprobado"]), nan=-np.inf)
    tabla = tabla.sort_values(
        ["_municipio", "_anio", "_monto", "folio"],
        ascending=[True, False, False, True],
        kind="stable",
    )
    return tabla.drop(columns=["_municipio", "_anio", "_monto"]).reset_index(drop=True)


def nombres_coincidentes(publicados: Iterable, consulta: str | None) -> list[str]:
    """Razones sociales publicadas que corresponden a ``consulta``.

    La coincidencia exacta gana; si no hay, las que coinciden sin importar mayúsculas,
    acentos, espacios ni puntuación (``"urbanizadora anil sa de cv"`` encuentra
    ``"Urbanizadora Añil S.A. de C.V."``). Los marcadores de «sin dato» nunca coinciden.
    """
    if consulta is None or not str(consulta).strip():
        return []
    nombres = sorted({str(n) for n in publicados if isinstance(n, str) and n.strip()})
    nombres = [n for n in nombres if not sin_dato(pd.Series([n]))[0]]
    if consulta in nombres:
        return [consulta]
    clave = _clave(consulta)
    return [n for n in nombres if _clave(n) == clave] if clave else []


def nombres_por_rfc(reportes: pd.DataFrame, rfc: str | None) -> list[str]:
    """Razones sociales publicadas con ese RFC (persona moral) en los reportes de obras."""
    if rfc is None or "rfc_contratista" not in reportes:
        return []
    limpio = re.sub(r"[\s-]", "", str(rfc)).upper()
    if not limpio:
        return []
    filas = (reportes["rfc_contratista"].astype(object) == limpio).fillna(False)
    nombres = reportes.loc[filas.to_numpy(dtype=bool), "contratista"].dropna()
    return sorted({str(n) for n in nombres if not sin_dato(pd.Series([n]))[0]})


def rfcs_de(reportes: pd.DataFrame, nombres: Iterable[str]) -> list[str]:
    """RFC (persona moral) publicados para esas razones sociales, ordenados."""
    if "rfc_contratista" not in reportes:
        return []
    filas = reportes["contratista"].isin(list(nombres)).to_numpy(dtype=bool)
    return sorted({str(r) for r in reportes.loc[filas, "rfc_contratista"].dropna()})


def _clave(texto: str) -> str:
    """Minúsculas, sin acentos, solo letras y números (para comparar razones sociales)."""
    sin_acentos = unicodedata.normalize("NFKD", str(texto))
    sin_acentos = "".join(c for c in sin_acentos if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", sin_acentos.lower())


def _suma(valores) -> float | None:
    numeros = a_flotantes(valores)
    return float(np.nansum(numeros)) if np.any(~np.isnan(numeros)) else None


def _fraccion(parte: float, total: float) -> float | None:
    return float(parte / total) if total else None


# --- lectura de una versión -----------------------------------------------------------------


@dataclass(frozen=True)
class Busqueda:
    """Un contratista buscado en una versión: sus razones sociales, RFC y obras.

    ``nombres`` vacío significa que no se encontró; ``obras`` es la capa ``obras`` filtrada
    por esas razones sociales (vacía si no se encontró).
    """

    nombres: tuple[str, ...]
    rfcs: tuple[str, ...]
    obras: pd.DataFrame
    #: Cómo se encontró: ``"nombre"``, ``"rfc"`` o ``None`` (no se encontró).
    por: str | None = None
    #: El RFC pedido junto con un nombre que no es de ese contratista (no se usó).
    rfc_distinto: str | None = None


def buscar(fuente, nombre: str | None = None, rfc: str | None = None) -> Busqueda:
    """Las obras de un contratista por razón social o por RFC.

    La razón social se busca con :func:`nombres_coincidentes` entre las publicadas en la capa
    ``obras``; el RFC, con :func:`nombres_por_rfc` en los reportes del almacén. Con los dos,
    manda el nombre; si no se encuentra, se busca por RFC, y si se encuentra pero el RFC no es
    de ese contratista, se dice en ``rfc_distinto``.
    """
    from capas.lectura import datos_de
    from capas.tablas import tabla_obras

    datos = datos_de(fuente)
    todas = tabla_obras(datos)
    reportes = datos.tabla("obras")
    nombres, por = [], None
    if nombre is not None and str(nombre).strip():
        nombres = nombres_coincidentes(todas["contratista"].dropna().unique(), nombre)
        por = "nombre" if nombres else None
    if not nombres:
        nombres = nombres_por_rfc(reportes, rfc)
        por = "rfc" if nombres else None
    rfcs = tuple(rfcs_de(reportes, nombres))
    pedido = re.sub(r"[\s-]", "", str(rfc or "")).upper()
    distinto = rfc if por == "nombre" and pedido and pedido not in rfcs else None
    filas = todas["contratista"].isin(nombres).to_numpy(dtype=bool)
    return Busqueda(
        nombres=tuple(nombres),
        rfcs=rfcs,
        obras=todas[filas].reset_index(drop=True),
        por=por,
        rfc_distinto=distinto,
    )


def leer_ranking(fuente, por_municipio: bool = True, **filtros) -> pd.DataFrame:
    """:func:`ranking` de las obras de una versión con los filtros de la capa ``obras``.

    ``filtros`` son los de ``capas.capa("obras").leer`` (los de la página ``/obras`` y de su
    descarga): el ranking cuenta exactamente las obras que se ven y se descargan.
    """
    from capas.registro import capa

    return ranking(capa("obras").leer(fuente, **filtros), por_municipio)


def leer_obras(fuente, nombres: Iterable[str] = ()) -> pd.DataFrame:
    """Las obras de las razones sociales ``nombres`` (las de :func:`buscar`) en el orden de
    :func:`obras_por_municipio_anio`; vacía si no hay nombres."""
    from capas.lectura import datos_de
    from capas.tablas import tabla_obras

    todas = tabla_obras(datos_de(fuente))
    filas = todas["contratista"].isin([str(n) for n in nombres]).to_numpy(dtype=bool)
    return obras_por_municipio_anio(todas[filas].reset_index(drop=True))
