"""Modo nacional: qué entidades tiene una versión y sus indicadores por entidad.

Una versión es «nacional» cuando su capa ``municipios`` trae más de una entidad (se cargó
con ``SIGUE_ESTADO=00``). Con una sola entidad nada de esto cambia las páginas.

Los indicadores por entidad se calculan como los de un municipio, con la entidad como zona
(los dos primeros dígitos del ``cvegeo``):

- Cobertura: alumnos distintos con algún beneficio en las escuelas del programa de la
  entidad / alumnos inscritos en ellas (un alumno en varias escuelas de la entidad cuenta
  una vez), como el indicador 1.
- Presupuesto del programa: las líneas de la entidad, municipales y estatales (la columna
  ``cve_ent`` de la capa ``presupuesto``; en versiones sin ella, solo las municipales),
  como la eficacia estatal de :func:`capas.tabla_estado`.
- Obras: las del año con municipio (declarado o por coordenadas) en la entidad.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from almacen.entidades import ENTIDADES, lugar_configurado, nombre_entidad
from capas import cobertura, gasto
from capas.config import ETIQUETAS_GASTO
from capas.lectura import _con_semaforo, datos_de
from capas.numeros import a_flotantes
from capas.tablas import Fuente, _agregar_semaforo_cobertura, _enteros

#: Columnas de :func:`tabla_entidades`, en orden. ``cvegeo`` es la clave de la entidad (2
#: dígitos) y ``municipio`` su nombre: así la tabla sirve tal cual a las figuras del mapa de
#: municipios (misma clave de ubicación, misma etiqueta).
COLUMNAS_ENTIDADES = [
    "cvegeo",
    "municipio",
    "anio",
    "municipios",
    "escuelas",
    "alumnos_inscritos",
    "alumnos_atendidos",
    "cobertura",
    "semaforo_cobertura",
    "etiqueta_cobertura",
    "presupuesto_aprobado",
    "presupuesto_ejercido",
    "eficacia",
    "semaforo_gasto",
    "etiqueta_gasto",
    "obras",
    "obras_monto_aprobado",
    "obras_con_alerta",
    # lo que usan las tarjetas de cifras (las mismas columnas de capas.tabla_estado)
    "cobertura_excedida",
    "presupuesto_modificado",
    "eficacia_modificado",
    "avance_gasto",
    "esperado_gasto",
    "etapa_avance",
    "etapa_base",
    "fecha_corte_presupuesto",
]


def entidades(fuente: Fuente) -> list[str]:
    """Claves (2 dígitos, ordenadas) de las entidades de los municipios de la versión."""
    datos = datos_de(fuente)
    return datos.memo(
        ("entidades", "claves"),
        lambda: sorted({c[:2] for c in datos.municipios["cvegeo"].dropna() if c[:2] in ENTIDADES}),
    )


def es_nacional(fuente: Fuente) -> bool:
    """¿La versión trae municipios de más de una entidad (modo nacional)?"""
    return len(entidades(fuente)) > 1


def entidad_elegida(fuente: Fuente, pedida) -> str | None:
    """La entidad pedida en la URL si la versión la tiene; si no, ``None`` (todo el país).

    Con una sola entidad en la versión, siempre esa.
    """
    claves = entidades(fuente)
    if len(claves) == 1:
        return claves[0]
    texto = str(pedida).strip() if pedida is not None else ""
    clave = texto.zfill(2) if texto.isdigit() and len(texto) <= 2 else None
    return clave if clave in claves else None


def lugar_de(fuente: Fuente, pedida=None) -> str:
    """Nombre del lugar de una versión («Sigue el dinero …», cita, paquete de datos).

    La entidad de una versión de una sola entidad; en una nacional, la entidad ``pedida``
    (``?entidad=``) si la versión la tiene, o «México»; sin municipios, la de
    ``SIGUE_ESTADO``.
    """
    claves = entidades(fuente)
    if len(claves) == 1:
        return nombre_entidad(claves[0])
    if claves:
        return nombre_entidad(entidad_elegida(fuente, pedida))
    return lugar_configurado()


def municipios_de(fuente: Fuente, entidad: str | None) -> list[str]:
    """Claves ``cvegeo`` de los municipios de ``entidad`` (todas si es ``None``)."""
    claves = datos_de(fuente).municipios["cvegeo"]
    if entidad is None:
        return list(claves)
    return [c for c in claves if c.startswith(entidad)]


def nombres_municipios(fuente: Fuente, entidad: str | None) -> dict[str, str]:
    """``cvegeo -> nombre`` de los municipios de ``entidad``; en el país, con la entidad.

    En el modo nacional sin entidad el nombre lleva la entidad (``"Juárez, Chihuahua"``):
    hay muchos municipios con el mismo nombre.
    """
    datos = datos_de(fuente)
    nombres = datos.nombres_municipios
    if entidad is not None:
        return {c: n for c, n in nombres.items() if c.startswith(entidad)}
    if not es_nacional(datos):
        return dict(nombres)
    return {c: f"{n}, {nombre_entidad(c[:2])}" for c, n in nombres.items()}


def tabla_entidades(fuente: Fuente, anio: int) -> pd.DataFrame:
    """Indicadores de cada entidad de la versión en el ciclo ``anio`` (una fila por entidad).

    Ver el docstring del módulo para cómo se suma cada indicador. Las entidades sin escuelas
    no tienen cobertura (sin dato); sin obras en la entidad, 0 obras y $0 si la versión tiene
    obras.
    """
    datos = datos_de(fuente)
    anio = int(anio)
    claves = entidades(datos)
    tabla = pd.DataFrame({"cvegeo": claves}, dtype=object)
    tabla["municipio"] = [nombre_entidad(c) for c in claves]
    tabla["anio"] = anio
    por_entidad = datos.municipios["cvegeo"].str[:2].value_counts()
    tabla["municipios"] = por_entidad.reindex(claves).fillna(0).to_numpy()
    _cobertura(tabla, datos, anio)
    _gasto(tabla, datos, anio)
    _obras(tabla, datos, anio)
    _agregar_semaforo_cobertura(tabla)
    for columna in ("municipios", "escuelas", "alumnos_inscritos", "alumnos_atendidos", "obras"):
        tabla[columna] = _enteros(tabla[columna])
    tabla["obras_con_alerta"] = _enteros(tabla["obras_con_alerta"])
    return tabla[COLUMNAS_ENTIDADES]


def _cobertura(tabla: pd.DataFrame, datos, anio: int) -> None:
    base = datos.base_escolar
    base = base[(base["anio"] == anio).to_numpy()]
    zona = base["cvegeo"].astype(object).str[:2]
    ubicacion = pd.Series(zona.to_numpy(), index=base["cct"].to_numpy()).groupby(level=0).first()
    excedentes = cobertura.excedentes_repetidos(datos.tabla("padron_repetidos"), ubicacion)
    resultado = cobertura.cobertura_por_zona(base, excedentes, zona)
    if len(resultado):
        resultado = resultado.xs(anio, level="anio")
    resultado = resultado.reindex(tabla["cvegeo"])
    tabla["escuelas"] = resultado["escuelas"].fillna(0.0).to_numpy()
    for columna in ("alumnos_inscritos", "alumnos_atendidos", "cobertura"):
        tabla[columna] = resultado[columna].to_numpy()


_GASTO = {
    "aprobado": "presupuesto_aprobado",
    "modificado": "presupuesto_modificado",
    "ejercido": "presupuesto_ejercido",
    "eficacia": "eficacia",
    "eficacia_modificado": "eficacia_modificado",
    "avance": "avance_gasto",
    "esperado": "esperado_gasto",
}
_GASTO_TEXTO = {
    "etapa_avance": "etapa_avance",
    "etapa_base": "etapa_base",
    "fecha_corte": "fecha_corte_presupuesto",
    "semaforo_gasto": "semaforo_gasto",
    "etiqueta_gasto": "etiqueta_gasto",
}


def _gasto(tabla: pd.DataFrame, datos, anio: int) -> None:
    lineas = datos.presupuesto_programa
    lineas = lineas[(lineas["anio"] == anio).to_numpy()]
    lineas = lineas.assign(cve_ent=gasto.entidad_de_lineas(lineas))
    lineas = lineas[lineas["cve_ent"].notna().to_numpy()]
    if len(lineas):
        montos = gasto.montos_por_zona(lineas, ["anio", "cve_ent"]).reset_index()
        montos = _con_semaforo(montos, datos.fecha_corte_fuente("presupuesto"))
        montos = montos.set_index("cve_ent").reindex(tabla["cvegeo"])
    else:
        montos = pd.DataFrame(index=tabla["cvegeo"], columns=[*_GASTO, *_GASTO_TEXTO])
    for origen, destino in _GASTO.items():
        tabla[destino] = a_flotantes(montos[origen])
    for origen, destino in _GASTO_TEXTO.items():
        tabla[destino] = montos[origen].to_numpy(dtype=object)
    sin_gasto = montos["semaforo_gasto"].isna().to_numpy()
    tabla["semaforo_gasto"] = np.where(sin_gasto, "gris", montos["semaforo_gasto"].to_numpy())
    tabla["etiqueta_gasto"] = np.where(
        sin_gasto, ETIQUETAS_GASTO["sin_dato"], montos["etiqueta_gasto"].to_numpy()
    )


def _obras(tabla: pd.DataFrame, datos, anio: int) -> None:
    evaluadas = datos.obras_evaluadas(anio)
    entidad = evaluadas["cvegeo"].astype(object).str[:2].to_numpy()
    grupos = pd.DataFrame(
        {
            "cve_ent": entidad,
            "obras": 1.0,
            "obras_monto_aprobado": a_flotantes(evaluadas["monto_aprobado"]),
            "obras_con_alerta": (evaluadas["num_alertas"].to_numpy() > 0).astype(float),
        }
    ).groupby("cve_ent")
    suma = pd.DataFrame(
        {
            "obras": grupos["obras"].sum(),
            "obras_monto_aprobado": grupos["obras_monto_aprobado"].sum(min_count=1),
            "obras_con_alerta": grupos["obras_con_alerta"].sum(),
        }
    ).reindex(tabla["cvegeo"])
    con_obras = suma["obras"].notna().to_numpy()
    for columna in ("obras", "obras_monto_aprobado", "obras_con_alerta"):
        valores = suma[columna].to_numpy(dtype="float64", copy=True)
        if datos.version.tiene("obras"):
            valores[~con_obras] = 0.0
        tabla[columna] = valores
