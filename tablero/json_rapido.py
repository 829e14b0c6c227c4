"""JSON rápido para todas las respuestas de Dash (orjson) y figuras ya serializadas.

Dash 4 convierte el *layout*, las dependencias y cada respuesta de callback con
``plotly.io.json.to_json_plotly`` (``dash._utils.to_json`` lo importa en cada llamada). Con
el motor ``"orjson"`` de Plotly un árbol de componentes de Dash es **más lento** que con
``json``: orjson no sabe qué es un componente, falla, y Plotly recorre entonces todo el árbol
en Python (``clean_to_json_compatible``) antes de volver a llamar a orjson. Aquí orjson recibe
un ``default`` que convierte cada componente o figura con su ``to_plotly_json()``: un solo
recorrido, en C (unas 8 veces más rápido que el motor ``json`` en la página de inicio).

La salida es la misma que la de Plotly: NaN e infinitos como ``null``, números de numpy,
fechas, y los caracteres ``< > /`` y los separadores de línea escapados (el JSON se puede
incrustar en HTML sin cerrar un ``<script>``). Lo que orjson no sabe convertir pasa por la
limpieza de Plotly y, si aun así falla, se usa el codificador original de Plotly.

:func:`fragmento` deja un valor ya serializado (p. ej. la geometría del mapa, una vez por
versión) que orjson copia tal cual en cada respuesta, sin volver a recorrerlo.
"""

from __future__ import annotations

import orjson
import plotly.io as pio
import plotly.io.json as pio_json
from plotly.io import _json as _plotly_json

#: Opciones de orjson: las mismas que usa Plotly con ese motor.
OPCIONES = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS

#: Codificador de Plotly (el que se reemplaza): respaldo y para ``pretty=True``.
ORIGINAL = _plotly_json.to_json_plotly

#: Caracteres que Plotly escapa (``_swap_orjson``): el JSON va también dentro de HTML.
_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("/", "\\u002f"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def _modulos() -> dict:
    import numpy
    import pandas

    return {"sage_all": None, "np": numpy, "pd": pandas, "image": None}


def _por_defecto(objeto):
    """Lo que orjson no sabe serializar: componentes, figuras, ``Patch``, ``pd.NA``..."""
    convertir = getattr(objeto, "to_plotly_json", None)
    if convertir is not None:
        return convertir()
    limpio = _plotly_json.clean_to_json_compatible(
        objeto, numpy_allowed=True, datetime_allowed=True, modules=_modulos()
    )
    if limpio is objeto:
        raise TypeError(f"no se sabe convertir a JSON: {type(objeto).__name__}")
    return limpio


def a_json(valor, pretty: bool = False, engine: str | None = None) -> str:
    """``valor`` (componentes, figuras, dicts...) como texto JSON, con orjson.

    Misma firma que ``plotly.io.json.to_json_plotly``: con ``pretty`` o ``engine="json"``
    usa el codificador original de Plotly.
    """
    if pretty or engine == "json":
        return ORIGINAL(valor, pretty=pretty, engine=engine)
    try:
        texto = orjson.dumps(valor, default=_por_defecto, option=OPCIONES).decode("utf8")
    except TypeError:
        return ORIGINAL(valor, engine="orjson")
    for caracter, escape in _ESCAPES:
        if caracter in texto:
            texto = texto.replace(caracter, escape)
    return texto


def activar() -> None:
    """Dash (y ``plotly.io.json.to_json_plotly``) serializan con :func:`a_json`.

    También fija el motor de Plotly en ``"orjson"`` (no ``"auto"``): si faltara el paquete,
    la aplicación falla al arrancar en lugar de volver en silencio al codificador lento.
    Es idempotente.

    Es un parche del proceso entero, no de una aplicación, porque no hay otro punto de
    entrada: Dash 4.4 no tiene un codificador configurable (``dash._utils.to_json`` importa
    ``plotly.io.json.to_json_plotly`` en cada llamada y ``dash.dash`` y ``dash._callback``
    lo usan directamente; los *hooks* de Dash no cubren la serialización), y Plotly 7 solo
    deja elegir el motor (``pio.json.config.default_engine``: ``"json"`` u ``"orjson"``),
    no un ``default`` para los componentes, que es lo que hace lento a su motor orjson.
    Parchear ``dash._utils.to_json`` sería igual de global y más frágil (lo copian dos
    módulos al importarse). La salida es la misma que la de Plotly, así que otra aplicación
    del mismo proceso no nota el cambio.
    """
    pio.json.config.default_engine = "orjson"
    pio_json.to_json_plotly = a_json


def fragmento(valor) -> orjson.Fragment:
    """``valor`` ya serializado: orjson lo incrusta tal cual en la respuesta (sin recorrerlo)."""
    return orjson.Fragment(orjson.dumps(valor, default=_por_defecto, option=OPCIONES))
