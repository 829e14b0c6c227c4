"""Capas: el lado de lectura del almacén.

Lee una versión (la actual o una por su id), en caché y de solo lectura, y arma las capas
publicadas con sus indicadores, semáforos y alertas, exactamente como los define la
metodología (``INDICADORES.md``). Los umbrales y textos están en :mod:`capas.config`.

Uso::

    import capas

    datos = capas.abrir(raiz)                       # o capas.abrir(raiz, "v0003")
    for capa in capas.REGISTRO:                     # la única lista de capas
        tabla = capa.leer(datos, anio=2024)
    capas.tabla_estado(datos, anio=2024)            # indicadores 1, 2, 5 y 6 de la entidad
    capas.resumen_calidad(datos)
    capas.programas_municipio(datos, "20067")      # programas sociales del municipio
    capas.capitulos_presupuesto(datos, 2024)        # presupuesto del estado por capítulo
"""

from capas.calidad import resumen_calidad
from capas.lectura import DatosVersion, abrir, datos_de, limpiar_cache
from capas.presupuesto import capitulos_presupuesto, ejercicio_inicial, ejercicios_presupuesto
from capas.registro import NOMBRES, REGISTRO, Capa, capa
from capas.tablas import (
    alertas_de_obra,
    historial_obra,
    programas_municipio,
    resumen_estacionamientos,
    tabla_escuelas,
    tabla_estacionamientos,
    tabla_estado,
    tabla_municipios,
    tabla_obras,
    tabla_padron,
    tabla_presupuesto,
    tabla_programas,
)

__all__ = [
    "NOMBRES",
    "REGISTRO",
    "Capa",
    "DatosVersion",
    "abrir",
    "alertas_de_obra",
    "capa",
    "capitulos_presupuesto",
    "datos_de",
    "ejercicio_inicial",
    "ejercicios_presupuesto",
    "historial_obra",
    "limpiar_cache",
    "programas_municipio",
    "resumen_calidad",
    "resumen_estacionamientos",
    "tabla_escuelas",
    "tabla_estacionamientos",
    "tabla_estado",
    "tabla_municipios",
    "tabla_obras",
    "tabla_padron",
    "tabla_presupuesto",
    "tabla_programas",
]
