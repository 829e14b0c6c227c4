"""Canales Atom para seguir un municipio o una obra sin cuenta (vista delgada).

- ``/feeds/municipio/<cvegeo>.atom``: obras nuevas, alertas nuevas, reportes respondidos y
  versiones nuevas de datos.
- ``/feeds/obra/<folio>.atom``: cambios de la obra entre versiones, reportes y respuestas.

La lógica está en :mod:`capas.canales`. Las páginas del municipio y de la obra anuncian su
canal con ``<link rel="alternate" type="application/atom+xml">`` en el ``<head>`` del HTML
que entrega el servidor (:func:`registrar`), así lo encuentran los lectores de canales, y con
un enlace visible «Seguir este municipio (canal Atom)» (:func:`enlace_suscribirse`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from html import escape
from pathlib import Path

import dash
import flask
import pandas as pd
from dash import html

from capas import canales
from capas.lectura import DatosVersion
from tablero import cabecera
from tablero.componentes import lugar_del_sitio, titulo_sitio
from tablero.datos import almacen_servido, datos_servidos

#: Vigencia en caché de un canal (segundos): los lectores vuelven a pedirlo con ``ETag``.
MAXIMO_EN_CACHE = 300
TIPO_ATOM = "application/atom+xml; charset=utf-8"

rutas = flask.Blueprint("canales", __name__)


def ruta_municipio(cvegeo: str) -> str:
    """Ruta del canal de un municipio."""
    return f"/feeds/municipio/{cvegeo}.atom"


def ruta_obra(folio: str) -> str:
    """Ruta del canal de una obra."""
    return f"/feeds/obra/{folio}.atom"


#: Ruta del canal de cada clase de objeto.
RUTAS = {"municipio": ruta_municipio, "obra": ruta_obra}


@lru_cache(maxsize=64)
def _corte(raiz: str, id_version: str) -> canales.Corte:
    """Una versión reducida para los canales (las versiones son inmutables: caché segura).

    Se lee aparte de la caché de :mod:`capas.lectura` para no desalojar la versión servida.
    """
    from almacen import Almacen

    version = Almacen(raiz).version(id_version)
    meta = version.meta
    if version.tiene("obras"):
        obras = canales.reducir_obras(DatosVersion(version).obras_evaluadas())
    else:
        obras = canales.reducir_obras(pd.DataFrame({"folio": pd.Series([], dtype="string")}))
    return canales.Corte(
        id=version.id,
        creada=canales.fecha_utc(meta.get("creada") or "1970-01-01T00:00:00+00:00"),
        obras=obras,
        tipo=(meta.get("carga") or {}).get("tipo"),
        fecha_corte=meta.get("fecha_corte"),
    )


def cortes() -> list[canales.Corte]:
    """Las últimas :data:`canales.VERSIONES_EN_CANAL` versiones y su base, la más vieja primero.

    Si se llega a la primera versión del almacén, la base es vacía (todo es nuevo).
    """
    almacen = almacen_servido()
    raiz = str(Path(almacen.raiz).resolve())
    metas = almacen.versiones()[: canales.VERSIONES_EN_CANAL + 1]
    lista = [_corte(raiz, m["id"]) for m in reversed(metas)]
    if len(metas) <= canales.VERSIONES_EN_CANAL:
        vacia = canales.reducir_obras(pd.DataFrame({"folio": pd.Series([], dtype="string")}))
        inicio = lista[0].creada if lista else datetime(1970, 1, 1, tzinfo=UTC)
        lista.insert(0, canales.Corte(id=None, creada=inicio, obras=vacia))
    return lista


def _reportes(**filtro) -> list[dict]:
    from tablero.reportes import servicio, web

    try:
        return servicio.reportes_publicos(web.sesion(), **filtro)
    except Exception:  # noqa: BLE001 - el canal de datos sigue aunque la base no responda
        flask.current_app.logger.warning("Canal sin reportes: la base de reportes no respondió")
        return []


def _responder(documento: bytes) -> flask.Response:
    respuesta = flask.Response(documento, content_type=TIPO_ATOM)
    respuesta.set_etag(hashlib.sha256(documento).hexdigest()[:32])
    respuesta.headers["Cache-Control"] = f"public, max-age={MAXIMO_EN_CACHE}"
    return respuesta.make_conditional(flask.request)


def _no_encontrado(mensaje: str):
    """404 con el mensaje en español (texto simple: lo lee una persona o un lector de canales)."""
    flask.abort(flask.Response(mensaje, status=404, content_type="text/plain; charset=utf-8"))


@dataclass(frozen=True)
class Contenido:
    """Lo propio del canal de un municipio o de una obra."""

    titulo: str
    #: Página del tablero que sigue el canal (``<link rel="alternate">`` del documento).
    pagina: str
    entradas: list[canales.Entrada]
    reportes: list[dict]
    #: También los reportes recién recibidos (obra) o solo los respondidos (municipio).
    nuevos: bool


def _municipio(cvegeo: str, lista: list[canales.Corte]) -> Contenido:
    from tablero.nacional import lugar_sitio

    datos = datos_servidos()
    nombres = datos.nombres_municipios if datos is not None else {}
    if cvegeo not in nombres:
        _no_encontrado("No existe un municipio con esa clave (CVEGEO) en los datos publicados.")
    # El lugar es la entidad del municipio (como en el título de su página).
    titulo = f"{nombres[cvegeo]}: novedades en {titulo_sitio(lugar_sitio(datos, cvegeo[:2]))}"
    entradas = canales.entradas_municipio(lista, cvegeo)
    return Contenido(
        titulo, f"/municipio?municipio={cvegeo}", entradas, _reportes(cvegeo=cvegeo), False
    )


def _obra(folio: str, lista: list[canales.Corte]) -> Contenido:
    actual = lista[-1].obras if lista else None
    if actual is None or folio not in actual.index:
        _no_encontrado("No existe una obra con ese folio en los datos publicados.")
    nombre = actual.loc[folio, "nombre"]
    titulo = f"Obra {folio}: {nombre if isinstance(nombre, str) else 'novedades'}"
    reportes = _reportes(objeto="obra", objeto_id=folio)
    return Contenido(
        titulo, f"/obras?folio={folio}", canales.entradas_obra(lista, folio), reportes, True
    )


#: Clase de canal -> lo propio de su canal (404 en español si la clave no existe).
CLASES = {"municipio": _municipio, "obra": _obra}


@rutas.get("/feeds/<clase>/<clave>.atom")
def canal(clase: str, clave: str):
    """Canal Atom de un municipio (``/feeds/municipio/<cvegeo>.atom``) o de una obra
    (``/feeds/obra/<folio>.atom``); 404 en español si la clase o la clave no existen."""
    from tablero.reportes.servicio import ESTADOS, TIPOS

    armar = CLASES.get(clase)
    if armar is None:
        _no_encontrado(
            "No existe ese canal: hay canales de municipio (/feeds/municipio/<cvegeo>.atom) y "
            "de obra (/feeds/obra/<folio>.atom)."
        )
    lista = cortes()
    propio = armar(clave, lista)
    entradas = propio.entradas + canales.entradas_reportes(
        propio.reportes, TIPOS, ESTADOS, nuevos=propio.nuevos
    )
    documento = canales.documento_atom(
        id=canales.urn("canal", clase, clave),
        titulo=propio.titulo,
        raiz=flask.request.url_root,
        propio=RUTAS[clase](clave),
        pagina=propio.pagina,
        entradas=entradas,
        actualizado=lista[-1].creada,
        autor=titulo_sitio(lugar_del_sitio()),
    )
    return _responder(documento)


# --- enlace visible en las páginas ---------------------------------------------------------

#: Texto del enlace visible de cada canal y qué novedades trae.
SUSCRIBIRSE = {
    "municipio": (
        "Seguir este municipio (canal Atom)",
        "obras nuevas, alertas nuevas, respuestas a los reportes ciudadanos y versiones nuevas "
        "de los datos",
    ),
    "obra": (
        "Seguir esta obra (canal Atom)",
        "cambios de avance, montos y alertas en cada versión de los datos, reportes ciudadanos "
        "y sus respuestas",
    ),
}


def enlace_suscribirse(clase: str, clave: str) -> html.Div:
    """Enlace visible al canal Atom (``clase``: ``municipio`` u ``obra``) y qué es un canal.

    El enlace lleva ``aria-describedby`` a la línea que explica cómo usarlo; su dirección es
    la misma del ``<link rel="alternate">`` (con el prefijo de la aplicación).
    """
    texto, trae = SUSCRIBIRSE[clase]
    ayuda = f"canal-{clase}-ayuda"
    return html.Div(
        [
            html.A(
                texto,
                href=dash.get_relative_path(RUTAS[clase](clave)),
                id=f"canal-{clase}",
                className="enlace-canal__enlace",
                **{"aria-describedby": ayuda},
            ),
            html.P(
                f"Un canal Atom le avisa, sin crear una cuenta, de {trae}. Copie la dirección "
                "de este enlace en su lector de noticias o de canales (por ejemplo Feedly, "
                "Inoreader, Thunderbird o NetNewsWire): ahí verá cada novedad.",
                id=ayuda,
                className="enlace-canal__ayuda",
            ),
        ],
        className="enlace-canal",
    )


# --- <link rel="alternate"> en las páginas ------------------------------------------------


def canal_de_la_pagina(ruta: str, parametros) -> tuple[str, str] | None:
    """``(título, ruta del canal)`` de la página pedida, o ``None`` si no tiene canal.

    ``/municipio?municipio=<cvegeo>`` y ``/obras?folio=<folio>`` (la ficha de la obra).
    """
    ruta = "/" + ruta.strip("/")
    if ruta == "/municipio" and parametros.get("municipio"):
        clave = str(parametros.get("municipio"))[:5]
        if clave.isdigit():
            return ("Novedades del municipio (Atom)", ruta_municipio(clave))
    if ruta == "/obras" and parametros.get("folio"):
        folio = str(parametros.get("folio"))[:100]
        if folio.isprintable() and "/" not in folio:
            return ("Novedades de la obra (Atom)", ruta_obra(folio))
    return None


def etiqueta_link(titulo: str, href: str) -> str:
    """``<link rel="alternate" type="application/atom+xml">`` con sus valores escapados."""
    return (
        f'<link rel="alternate" type="application/atom+xml" title="{escape(titulo)}" '
        f'href="{escape(href)}">'
    )


def registrar(app: dash.Dash) -> None:
    """Rutas de los canales y el ``<link rel="alternate">`` en el ``<head>`` de las páginas.

    La etiqueta depende de la dirección pedida: se agrega con :func:`tablero.cabecera.agregar`
    (el resto del HTML no cambia).
    """
    app.server.register_blueprint(rutas)
    prefijo = app.config.requests_pathname_prefix.rstrip("/")
    rutas_app = app.config.routes_pathname_prefix

    def etiqueta() -> str | None:
        if not flask.has_request_context():
            return None
        ruta = flask.request.path
        if ruta.startswith(rutas_app):  # con prefijo (``/tablero/municipio``), sin él
            ruta = "/" + ruta[len(rutas_app) :]
        canal = canal_de_la_pagina(ruta, flask.request.args)
        return etiqueta_link(canal[0], prefijo + canal[1]) if canal else None

    cabecera.agregar(app, etiqueta)
