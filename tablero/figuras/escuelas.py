"""Página de escuelas: opciones de los filtros, mapa, filas de la tabla y resumen.

Funciones puras: reciben la tabla de :func:`capas.tabla_escuelas` (ya filtrada) y devuelven
figuras, ``Patch`` o listas; no leen el almacén.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from capas.config import ETIQUETAS_COBERTURA, LUCES, NIVELES_BASICA, PALETA, UMBRALES
from capas.puntos import elegir_puntos, prioridad_escuelas
from tablero import tablas
from tablero.figuras import puntos as mapa_puntos
from tablero.formato import entero, porcentaje
from tablero.mapas import texto_seguro

#: Los niveles en palabras (la capa los trae en mayúsculas, como el catálogo de la SEP).
NIVELES = {nivel: nivel.capitalize() for nivel in NIVELES_BASICA}

#: Rango de cada luz del semáforo de cobertura, en palabras (umbrales de capas.config).
RANGOS_COBERTURA = {
    "verde": f"{porcentaje(UMBRALES.cobertura_verde, 0)} o más",
    "amarillo": f"{porcentaje(UMBRALES.cobertura_amarillo, 0)} a "
    f"{porcentaje(UMBRALES.cobertura_verde, 0)}",
    "rojo": f"menos de {porcentaje(UMBRALES.cobertura_amarillo, 0)}",
    "gris": "sin padrón o sin matrícula",
}

#: Columnas de la tabla (la alternativa en texto del mapa).
COLUMNAS = [
    tablas.texto("cct", "Clave (CCT)", width=125, minWidth=125),
    tablas.texto("nombre", "Escuela", width=220, minWidth=90, wrapText=True, autoHeight=True),
    tablas.texto("nivel", "Nivel", width=100),
    tablas.texto("municipio", "Municipio", width=160, wrapText=True, autoHeight=True),
    tablas.entero("inscritos", "Alumnos inscritos", width=100),
    tablas.entero("atendidos", "Alumnos atendidos", width=100),
    tablas.porcentaje("cobertura", "Cobertura", width=100, minWidth=92),
    tablas.texto("semaforo", "Semáforo", width=150, minWidth=100, wrapText=True, autoHeight=True),
]
COLUMNAS_TELEFONO = ["nombre", "cobertura", "semaforo"]


def texto_luz(luz: str) -> str:
    """Texto de una luz del semáforo de cobertura con su icono: ``"✔ cobertura alta"``."""
    return f"{PALETA[luz].icono} {ETIQUETAS_COBERTURA[luz]}"


def opciones_anio(anios: list[int]) -> list[dict]:
    """Ciclos escolares (``2024`` -> ``"2024-2025"``), el más reciente primero."""
    return [{"label": f"{a}-{a + 1}", "value": a} for a in sorted(anios, reverse=True)]


def opciones_nivel() -> list[dict]:
    """Los tres niveles de educación básica del programa."""
    return [{"label": texto, "value": nivel} for nivel, texto in NIVELES.items()]


def opciones_semaforo() -> list[dict]:
    """Las cuatro luces con icono, texto y rango (nunca solo el color)."""
    return [
        {
            "label": html.Span(
                [
                    html.Span(
                        PALETA[luz].icono,
                        className=f"muestra muestra--{luz}",
                        **{"aria-hidden": "true"},
                    ),
                    f" {ETIQUETAS_COBERTURA[luz].capitalize()} ({RANGOS_COBERTURA[luz]})",
                ]
            ),
            "value": luz,
        }
        for luz in LUCES
    ]


def filas(tabla: pd.DataFrame) -> list[dict]:
    """``rowData`` de la tabla: solo las columnas que se muestran, números como números."""
    excedida = tabla["cobertura_excedida"].to_numpy(dtype=bool)
    semaforos = [
        texto_luz(luz) + (" · ⚠ más de 100 %: revisar datos" if mas else "")
        for luz, mas in zip(tabla["semaforo_cobertura"], excedida, strict=True)
    ]
    cobertura = tabla["cobertura"].round(3)  # 87.3 %: de sobra para un decimal
    salida = pd.DataFrame(
        {
            "cct": tabla["cct"].astype(object),
            "nombre": tabla["nombre"].astype(object),
            "nivel": tabla["nivel"].map(NIVELES).fillna(tabla["nivel"]).astype(object),
            "municipio": tabla["municipio"].astype(object),
            "inscritos": tabla["alumnos_inscritos"].astype(object),
            "atendidos": tabla["alumnos_atendidos"].astype(object),
            "cobertura": cobertura.astype(object),
            "semaforo": semaforos,
        }
    )
    return salida.where(salida.notna(), None).to_dict("records")


def leyenda(tabla: pd.DataFrame) -> list[str]:
    """Textos de la leyenda del mapa con cuántas escuelas hay de cada luz."""
    cuentas = tabla["semaforo_cobertura"].value_counts()
    return [f"{texto_luz(luz)}: {entero(cuentas.get(luz, 0))}" for luz in LUCES]


#: Texto de cada punto al pasar o tocar: «CCT · nombre», y en otra línea la cobertura con su
#: luz en palabras. La clave viaja una vez (``customdata``, la que busca la tabla al tocar),
#: el nombre en ``hovertext`` y lo demás en ``text``.
PLANTILLA_MAPA = "%{customdata} · %{hovertext}<br>Cobertura: %{text}<extra></extra>"

#: Qué escuelas dibuja primero el mapa cuando no caben todas
#: (:func:`capas.puntos.prioridad_escuelas`).
CRITERIO_MAPA = "primero las de cobertura baja y con más alumnos inscritos"


def figura_mapa(
    tabla: pd.DataFrame,
    *,
    vista: mapa_puntos.Vista,
    entidad: dict | None,
    elegida: str | None = None,
) -> dict:
    """Mapa de las escuelas coloreadas por su semáforo de cobertura, con leyenda en texto.

    Dibuja a lo más ``mapa_puntos.MAXIMO_PUNTOS`` escuelas (cobertura baja y más alumnos
    primero, y siempre la ``elegida``: su CCT); las demás, contadas por municipio.
    """
    return mapa_puntos.figura(
        _puntos(tabla, elegida),
        list(zip([PALETA[luz].color for luz in LUCES], leyenda(tabla), strict=True)),
        vista=vista,
        entidad=entidad,
        etiqueta_mapa="escuelas",
        plural="escuelas",
        plantilla=PLANTILLA_MAPA,
    )


def parche_mapa(
    tabla: pd.DataFrame, *, vista: mapa_puntos.Vista, elegida: str | None = None
) -> dash.Patch:
    """``Patch`` del mapa con las escuelas filtradas (acotadas como en :func:`figura_mapa`)."""
    return mapa_puntos.parche(
        _puntos(tabla, elegida),
        leyenda(tabla),
        vista=vista,
        etiqueta_mapa="escuelas",
        plural="escuelas",
    )


def falta_en_el_mapa(tabla: pd.DataFrame, elegida: str | None) -> bool:
    """Verdadero si la escuela ``elegida`` (su CCT) no está entre las que el mapa dibuja sin
    elegida: al buscarla hay que redibujar los puntos para que se vea."""
    return mapa_puntos.falta_en_el_mapa(tabla, prioridad_escuelas(tabla), "cct", elegida)


def resumen(tabla: pd.DataFrame, anio: int | None) -> str:
    """Frase con cuántas escuelas se muestran y cuántas no caben en el mapa."""
    n = len(tabla)
    if n == 0:
        return "Ninguna escuela cumple los filtros elegidos."
    ciclo = f" del ciclo {anio}-{anio + 1}" if anio is not None else ""
    frase = f"Se muestran {entero(n)} {'escuela' if n == 1 else 'escuelas'}{ciclo}."
    sin = int((tabla["latitud"].isna() | tabla["longitud"].isna()).sum())
    if sin:
        frase += (
            f" {entero(sin)} sin coordenadas no aparecen en el mapa"
            f" ({'está' if sin == 1 else 'están'} en la tabla)."
        )
    limite = mapa_puntos.nota(n - sin, "escuelas", CRITERIO_MAPA)
    return f"{frase} {limite}" if limite else frase


def _puntos(tabla: pd.DataFrame, elegida: str | None = None) -> mapa_puntos.Puntos:
    seleccion = elegir_puntos(
        tabla,
        prioridad_escuelas(tabla),
        maximo=mapa_puntos.MAXIMO_PUNTOS,
        clave="cct",
        elegido=elegida,
    )
    columnas = ["cct", "nombre", "cobertura", "semaforo_cobertura", "latitud", "longitud"]
    tabla = tabla[columnas].iloc[seleccion.posiciones]
    luces = tabla["semaforo_cobertura"].tolist()
    textos = [
        f"{porcentaje(cob)} · {ETIQUETAS_COBERTURA[luz]}"
        for cob, luz in zip(tabla["cobertura"], luces, strict=True)
    ]
    nombres = [texto_seguro(mapa_puntos.corto(nombre)) for nombre in tabla["nombre"]]
    return mapa_puntos.puntos(
        tabla["latitud"],
        tabla["longitud"],
        [mapa_puntos.POSICION_LUZ[luz] for luz in luces],
        textos,
        tabla["cct"].tolist(),
        grupos=mapa_puntos.grupos(seleccion, "escuela", "escuelas"),
        sin_coordenadas=seleccion.sin_coordenadas,
        paleta=mapa_puntos.COLORES_LUCES,
        titulos=nombres,
    )
