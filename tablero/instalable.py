"""Aplicación instalable en el teléfono: manifiesto, íconos y *service worker*.

- ``<prefijo>manifest.webmanifest``: nombre, colores, íconos (192, 512 y *maskable*) y
  ``start_url``/``scope`` con el prefijo de la aplicación (``requests_pathname_prefix``).
- ``<prefijo>sw.js``: el *service worker* (``tablero/sw.js``) servido desde la raíz
  de la aplicación, para que su alcance sea toda la aplicación. Lleva una versión calculada de
  su propio texto y de los scripts y estilos de la página: cambia cuando se publica una versión
  nueva del tablero y el navegador descarta las cachés viejas. Se sirve sin caché larga
  (``no-cache``): el navegador revisa en cada visita si cambió.
- En la cabecera de cada página (:func:`tablero.cabecera.agregar`): ``<link rel="manifest">``,
  ``apple-touch-icon`` y las etiquetas de iOS. El color del tema ya está en los
  ``meta_tags`` de :func:`tablero.app.crear_app`.

Lo que corre en el navegador (registrar el *service worker*, el aviso de "sin conexión" y la
cola de reportes escritos sin conexión) está en ``tablero/assets/instalable.js``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dash
import flask

from tablero import cabecera
from tablero.componentes import lugar_del_sitio, titulo_sitio

CARPETA = Path(__file__).resolve().parent
NOMBRE_CORTO = "Sigue el dinero"
COLOR_TEMA = "#4a1030"
COLOR_FONDO = "#ffffff"
#: (archivo en ``assets/iconos``, tamaño, propósito)
ICONOS = [
    ("icono-192.png", "192x192", "any"),
    ("icono-512.png", "512x512", "any"),
    ("icono-maskable-512.png", "512x512", "maskable"),
]
ICONO_APPLE = "apple-touch-icon.png"
TIPO_JS = "text/javascript; charset=utf-8"
TIPO_MANIFIESTO = "application/manifest+json; charset=utf-8"


def registrar(app: dash.Dash) -> None:
    """Añade las rutas del manifiesto y del *service worker* y sus enlaces en la plantilla."""
    rutas = app.config.routes_pathname_prefix
    app.server.add_url_rule(
        rutas + "manifest.webmanifest", "sigue_manifiesto", lambda: _manifiesto(app)
    )
    app.server.add_url_rule(rutas + "sw.js", "sigue_service_worker", lambda: _service_worker(app))
    etiquetas = enlaces(app.config.requests_pathname_prefix)
    cabecera.agregar(app, lambda: etiquetas)


def enlaces(prefijo: str) -> str:
    """Etiquetas de la cabecera HTML: manifiesto, ícono de iOS y modo de aplicación en iOS."""
    return "\n        ".join(
        [
            f'<link rel="manifest" href="{prefijo}manifest.webmanifest">',
            f'<link rel="apple-touch-icon" href="{prefijo}assets/iconos/{ICONO_APPLE}">',
            '<meta name="apple-mobile-web-app-capable" content="yes">',
            '<meta name="mobile-web-app-capable" content="yes">',
            f'<meta name="apple-mobile-web-app-title" content="{NOMBRE_CORTO}">',
        ]
    )


def manifiesto(prefijo: str, lugar: str) -> dict:
    """El manifiesto de la aplicación web (W3C *Web Application Manifest*) del sitio de
    ``lugar`` (la entidad de la versión servida o «México» en el modo nacional)."""
    return {
        "id": prefijo,
        "name": titulo_sitio(lugar),
        "short_name": NOMBRE_CORTO,
        "description": (
            f"Datos abiertos para seguir el gasto público en {lugar} y reportar problemas."
        ),
        "lang": "es-MX",
        "dir": "ltr",
        "start_url": prefijo,
        "scope": prefijo,
        "display": "standalone",
        "orientation": "any",
        "theme_color": COLOR_TEMA,
        "background_color": COLOR_FONDO,
        "icons": [
            {
                "src": f"{prefijo}assets/iconos/{archivo}",
                "sizes": tamano,
                "type": "image/png",
                "purpose": proposito,
            }
            for archivo, tamano, proposito in ICONOS
        ],
    }


def _manifiesto(app: dash.Dash) -> flask.Response:
    cuerpo = json.dumps(
        manifiesto(app.config.requests_pathname_prefix, lugar_del_sitio()),
        ensure_ascii=False,
        indent=2,
    )
    respuesta = flask.Response(cuerpo, content_type=TIPO_MANIFIESTO)
    respuesta.headers["Cache-Control"] = "public, max-age=3600"
    return respuesta


def _service_worker(app: dash.Dash) -> flask.Response:
    prefijo = app.config.requests_pathname_prefix
    plantilla = (CARPETA / "sw.js").read_text(encoding="utf-8")
    version = version_cache(app, plantilla)
    texto = plantilla.replace("__VERSION__", version).replace(
        "__PREFIJO__", json.dumps(prefijo)[1:-1]
    )
    respuesta = flask.Response(texto, content_type=TIPO_JS)
    # El navegador revisa el service worker en cada navegación; sin caché intermedia.
    respuesta.headers["Cache-Control"] = "no-cache"
    respuesta.headers["Service-Worker-Allowed"] = prefijo
    return respuesta


def version_cache(app: dash.Dash, plantilla: str) -> str:
    """Huella corta del *service worker* y de los scripts y estilos que carga la página.

    Cambia al publicar otra versión del código (otro JavaScript de Dash, otros ``assets``):
    el navegador instala el *service worker* nuevo y borra las cachés viejas.
    """
    huella = hashlib.sha256(plantilla.encode())
    huella.update(dash.__version__.encode())
    try:
        huella.update(app._generate_scripts_html().encode())
        huella.update(app._generate_css_dist_html().encode())
    except Exception:  # noqa: BLE001 - sin la lista de recursos, solo la del código
        pass
    return huella.hexdigest()[:12]
