"""Filtros de URL de cada capa, declarados una sola vez: nombre, lector y mensaje en español.

Las páginas (``/obras?alerta=cualquiera``), las descargas (``/descargas/obras.csv?...``) y la
API leen sus parámetros con :func:`leer_parametros` y piden la capa con el resultado:
``capa.leer(datos, **filtros)``. Una misma URL da las mismas filas en la página y en el archivo.

Uso::

    from capas.parametros import leer_parametros

    capa = capas.capa("obras")
    filtros, no_reconocidos = leer_parametros(capa, {"anio": "abc"}, datos, estricto=False)
    tabla = capa.leer(datos, **filtros)          # sin el año: no se reconoció
    leer_parametros(capa, {"anio": "abc"}, datos, estricto=True)  # ParametroInvalido

Cada :class:`Filtro` es su nombre (un ``str``) con su lector: ``lector(texto, datos)``
convierte un valor de la URL (ya sin espacios, no vacío) o lanza ``ValueError`` con el motivo
en español, que completa la frase «El filtro «anio» ...».
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from capas.busqueda import clave_busqueda
from capas.config import (
    ALERTA_CUALQUIERA,
    ALERTA_NINGUNA,
    CODIGOS_ALERTA,
    ESTADOS_ESTACIONAMIENTO,
    LUCES,
    NIVELES_BASICA,
)
from capas.gasto import PREFERENCIA_CLASIFICACION

Lector = Callable[[str, Any], Any]


class Filtro(str):
    """Un filtro de URL: su nombre (el ``str`` mismo), su lector y si acepta varios valores.

    Parameters
    ----------
    nombre
        Nombre del parámetro en la URL y en ``capa.leer`` (``anio``).
    lector
        ``lector(texto, datos) -> valor``; ``ValueError(motivo)`` si el texto no vale.
    varios
        Acepta varios valores separados por comas (``?nivel=FEDERAL,ESTATAL``).
    """

    lector: Lector
    varios: bool

    def __new__(cls, nombre: str, lector: Lector, varios: bool = False) -> Filtro:
        filtro = super().__new__(cls, nombre)
        filtro.lector = lector
        filtro.varios = varios
        return filtro

    @property
    def nombre(self) -> str:
        """El nombre como ``str`` simple."""
        return str(self)


class ParametroInvalido(ValueError):
    """Un parámetro de URL que no vale (modo estricto): nombre, valor y mensaje en español."""

    def __init__(self, nombre: str, valor: str, mensaje: str):
        super().__init__(mensaje)
        self.nombre = nombre
        self.valor = valor
        self.mensaje = mensaje


@dataclass(frozen=True)
class NoReconocido:
    """Un valor de URL que se ignoró (modo tolerante): se nombra en la página."""

    nombre: str
    valor: str
    motivo: str

    def __str__(self) -> str:
        return f"{visible(self.nombre)}={visible(self.valor)}"


#: Largo máximo de un valor de la URL repetido en un aviso o un mensaje de error.
LARGO_VISIBLE = 60


def visible(texto: str) -> str:
    """``texto`` de una URL tal como se puede repetir en pantalla o en un mensaje.

    Sin caracteres de control ni de formato (p. ej. U+202E, que invierte el texto que le
    sigue) y recortado a :data:`LARGO_VISIBLE` caracteres con «…».
    """
    limpio = "".join(c for c in str(texto) if unicodedata.category(c)[0] != "C")
    limpio = " ".join(limpio.split())
    return limpio if len(limpio) <= LARGO_VISIBLE else limpio[: LARGO_VISIBLE - 1] + "…"


def leer_parametros(
    capa, argumentos: Mapping, datos, estricto: bool
) -> tuple[dict[str, Any], list[NoReconocido]]:
    """Filtros de ``capa`` leídos de los parámetros de una URL (o de los controles de la página).

    Parameters
    ----------
    capa
        Una :class:`capas.Capa` (sus ``filtros`` son :class:`Filtro`).
    argumentos
        ``nombre -> valor``: texto de la URL (``"2024"``, ``"A,B"``), valores de los controles
        (``2024``, ``["A", "B"]``) o un ``MultiDict`` de Flask (se leen todos sus valores).
        Vacío o ``None`` es «sin filtro».
    datos
        Los :class:`capas.DatosVersion` contra los que se validan años, municipios...
    estricto
        Verdadero (descargas, API): un nombre desconocido o un valor malo lanza
        :class:`ParametroInvalido`. Falso (páginas): los nombres que no son filtros se
        ignoran (son de la página: ``buscar``, ``folio``) y los valores malos se omiten y se
        devuelven en ``no_reconocidos``.

    Returns
    -------
    filtros, no_reconocidos
        ``filtros`` va tal cual a ``capa.leer(datos, **filtros)``: un valor, o una lista
        ordenada y sin repetidos si el filtro acepta varios y se dieron varios.
    """
    declarados = {str(f): f for f in capa.filtros}
    if estricto:
        desconocidos = [n for n in argumentos if n not in declarados]
        if desconocidos:
            aceptados = ", ".join(declarados)
            raise ParametroInvalido(
                desconocidos[0],
                "",
                f"La capa {capa.nombre} no acepta el parámetro «{visible(desconocidos[0])}». "
                f"Acepta: "
                f"{aceptados}.",
            )
    filtros: dict[str, Any] = {}
    no_reconocidos: list[NoReconocido] = []
    for nombre, filtro in declarados.items():
        textos = _textos(argumentos, nombre)
        if not textos:
            continue
        if filtro.varios:
            textos = [p.strip() for t in textos for p in t.split(",") if p.strip()]
        elif len(textos) > 1:
            mensaje = f"El filtro «{nombre}» se dio {len(textos)} veces; acepta un solo valor."
            if estricto:
                raise ParametroInvalido(nombre, ",".join(textos), mensaje)
            no_reconocidos.append(NoReconocido(nombre, ",".join(textos), mensaje))
            continue
        leidos = []
        for texto in textos:
            try:
                leidos.append(filtro.lector(texto, datos))
            except ValueError as error:
                mensaje = f"El filtro «{nombre}» {error}; se recibió «{visible(texto)}»."
                if estricto:
                    raise ParametroInvalido(nombre, texto, mensaje) from None
                no_reconocidos.append(NoReconocido(nombre, texto, mensaje))
        if not leidos:
            continue
        if filtro.varios and len(set(leidos)) > 1:
            # ``?municipio=B,A,A`` y ``?municipio=A,B`` son la misma vista (y la misma caché).
            filtros[nombre] = sorted(set(leidos), key=str)
        else:
            filtros[nombre] = leidos[0]
    return filtros, no_reconocidos


def _textos(argumentos: Mapping, nombre: str) -> list[str]:
    """Los valores de ``nombre`` como textos sin espacios ni vacíos."""
    if hasattr(argumentos, "getlist"):
        valores: Iterable = argumentos.getlist(nombre)
    else:
        valor = argumentos.get(nombre)
        if valor is None:
            valores = []
        elif isinstance(valor, str) or not isinstance(valor, Iterable):
            valores = [valor]
        else:
            valores = list(valor)
    textos = []
    for valor in valores:
        if valor is None or (isinstance(valor, float) and math.isnan(valor)):
            continue
        texto = str(valor).strip()
        if texto:
            textos.append(texto)
    return textos


# --- Lectores -------------------------------------------------------------------------------


def lector_anio(anios: Callable[[Any], Iterable[int]]) -> Lector:
    """Lector de un año de cuatro cifras con datos en la versión (``anios(datos)``).

    Si la versión no tiene ningún año de la capa, cualquier año vale (la capa está vacía).
    """

    def leer(texto: str, datos) -> int:
        if not re.fullmatch(r"\d{4}", texto):
            raise ValueError("debe ser un año de cuatro cifras (por ejemplo 2024)")
        anio = int(texto)
        validos = sorted({int(a) for a in anios(datos)})
        if validos and anio not in validos:
            raise ValueError(
                f"debe ser un año con datos en la versión {datos.id} "
                f"({', '.join(map(str, validos))})"
            )
        return anio

    return leer


def municipio(texto: str, datos) -> str:
    """Clave INEGI de 5 cifras de un municipio de la versión."""
    if not re.fullmatch(r"\d{5}", texto):
        raise ValueError(
            "debe ser la clave INEGI de 5 cifras del municipio (por ejemplo 20067; varias "
            "separadas por comas)"
        )
    conocidas = set(datos.municipios["cvegeo"])
    if conocidas and texto not in conocidas:
        raise ValueError(f"nombra un municipio que no existe en la versión {datos.id}")
    return texto


def entidad(texto: str, datos) -> str:
    """Clave INEGI de 2 cifras de una entidad de la versión (``17`` o ``7`` -> ``"17"``).

    En una versión de una sola entidad solo vale esa (y no filtra nada: ver
    :meth:`capas.registro.Capa.leer`).
    """
    from capas.entidades import entidades  # capas.entidades importa capas.tablas

    if not re.fullmatch(r"\d{1,2}", texto):
        raise ValueError(
            "debe ser la clave INEGI de 2 cifras de la entidad (por ejemplo 20 para Oaxaca)"
        )
    clave = texto.zfill(2)
    if clave not in entidades(datos):
        raise ValueError(f"nombra una entidad que no está en la versión {datos.id}")
    return clave


def uno_de(descripcion: str, validos: Iterable[str], alias: Mapping[str, str] | None = None):
    """Lector de un valor de una lista fija (``descripcion``: «un código de alerta»)."""
    validos = tuple(validos)
    alias = dict(alias or {})

    por_clave = _por_clave(validos)

    def leer(texto: str, _datos) -> str:
        texto = alias.get(texto, texto)
        valor = _canonico(texto, validos, por_clave)
        if valor is None:
            raise ValueError(f"debe ser {descripcion}: {', '.join(validos)}")
        return valor

    return leer


def _por_clave(validos: Iterable[str]) -> dict[str, str]:
    """``clave_busqueda(valor) -> valor`` de los valores cuya clave no se repite."""
    claves: dict[str, list[str]] = {}
    for valor in validos:
        claves.setdefault(clave_busqueda(valor), []).append(valor)
    return {clave: lista[0] for clave, lista in claves.items() if len(lista) == 1}


def _canonico(texto: str, validos, por_clave: Mapping[str, str]) -> str | None:
    """El valor válido que nombra ``texto``: igual, o igual sin mayúsculas, acentos ni
    espacios de más (``?nivel=federal`` -> ``FEDERAL``); ``None`` si no nombra ninguno."""
    if texto in validos:
        return texto
    return por_clave.get(clave_busqueda(texto))


def publicado(descripcion: str, capa: str, columna: str) -> Lector:
    """Lector de un valor publicado en ``columna`` del estado actual de ``capa``.

    Son los mismos valores que ofrecen los controles de la página (p. ej. los contratistas).
    """

    def leer(texto: str, datos) -> str:
        validos = valores_publicados(datos, capa, columna)
        por_clave = datos.memo(("valores_por_clave", capa, columna), lambda: _por_clave(validos))
        valor = _canonico(texto, validos, por_clave)
        if valor is None:
            raise ValueError(f"debe ser {descripcion} de la versión {datos.id}")
        return valor

    return leer


def valores_publicados(datos, capa: str, columna: str) -> frozenset:
    """Valores distintos (sin nulos) de ``columna`` en ``capa``, en caché por versión."""

    def calcular() -> frozenset:
        tabla = datos.obras_evaluadas(None) if capa == "obras" else datos.tabla(capa)
        if columna not in tabla:
            return frozenset()
        return frozenset(str(v) for v in pd.unique(tabla[columna].dropna()))

    return datos.memo(("valores_publicados", capa, columna), calcular)


def monto(texto: str, _datos) -> float:
    """Un monto en pesos como lo escribe una persona: ``1,500,000``, ``$2500000.50``."""
    limpio = texto.replace(",", "").replace("$", "").replace(" ", "")
    try:
        numero = float(limpio) if re.fullmatch(r"\d+(\.\d*)?|\.\d+", limpio) else math.nan
    except ValueError:
        numero = math.nan
    if not math.isfinite(numero):
        raise ValueError("debe ser un monto en pesos (por ejemplo 1500000 o 1,500,000)")
    return numero


def texto(texto: str, _datos) -> str:
    """Cualquier texto (se busca tal cual)."""
    return texto


def _anios_columna(capa: str) -> Callable[[Any], list[int]]:
    def anios(datos) -> list[int]:
        def calcular() -> tuple[int, ...]:
            valores = pd.to_numeric(datos.tabla(capa)["anio"], errors="coerce").dropna()
            return tuple(sorted({int(a) for a in valores}))

        return datos.memo(("anios", capa), calcular)

    return anios


def _anios_municipios(datos) -> list[int]:
    from capas.tablas import _anios

    return datos.memo(("anios", "municipios"), lambda: tuple(_anios(datos)))


def _anios_escolares(datos) -> list[int]:
    return datos.anios_escolares


# --- Declaraciones --------------------------------------------------------------------------

MUNICIPIO = Filtro("municipio", municipio, varios=True)
#: Entidad federativa (modo nacional): las filas de los municipios de la entidad.
ENTIDAD = Filtro("entidad", entidad)
SEMAFORO = Filtro("semaforo", uno_de("una luz del semáforo", LUCES), varios=True)

ANIO_MUNICIPIOS = Filtro("anio", lector_anio(_anios_municipios))
ANIO_ESCOLAR = Filtro("anio", lector_anio(_anios_escolares))
ANIO_PADRON = Filtro("anio", lector_anio(_anios_columna("padron")))
ANIO_PRESUPUESTO = Filtro("anio", lector_anio(_anios_columna("presupuesto")))
ANIO_OBRAS = Filtro("anio", lector_anio(_anios_columna("obras")))
ANIO_PROGRAMAS = Filtro("anio", lector_anio(_anios_columna("programas")))

NIVEL_ESCOLAR = Filtro("nivel", uno_de("un nivel educativo", NIVELES_BASICA), varios=True)

ALERTA = Filtro(
    "alerta",
    uno_de(
        "un código de alerta, «cualquiera» o «ninguna»",
        (ALERTA_CUALQUIERA, ALERTA_NINGUNA, *CODIGOS_ALERTA),
        alias={"sin_alertas": ALERTA_NINGUNA},
    ),
)
NIVEL_GOBIERNO = Filtro(
    "nivel", publicado("un nivel de gobierno", "obras", "nivel_gobierno"), varios=True
)
ESTATUS = Filtro("estatus", publicado("un estatus de obra", "obras", "estatus"), varios=True)
# Las razones sociales llevan comas: un solo valor.
CONTRATISTA = Filtro("contratista", publicado("un contratista", "obras", "contratista"))
MONTO_MIN = Filtro("monto_min", monto)
MONTO_MAX = Filtro("monto_max", monto)

ESTADO_CAJON = Filtro(
    "estado",
    uno_de("un estado del cajón", [e.valor for e in ESTADOS_ESTACIONAMIENTO]),
    varios=True,
)
PROGRAMA = Filtro("programa", texto)
CLASIFICACION = Filtro(
    "clasificacion", uno_de("una clasificación del gasto", PREFERENCIA_CLASIFICACION)
)
