"""Armazón del tablero: la aplicación Dash con páginas, menú, banda de versión y pie.

Aquí solo se arma el armazón (``Dash(..., use_pages=True)``, menú desde ``page_registry``,
``page_container``) dentro de una fábrica, para que cada prueba construya su propia aplicación
con su propia carpeta de datos. Cada página vive en ``tablero/paginas/``.

Nada se lee al importar ni al construir la aplicación: la banda de versión se calcula en cada
petición (la función de *layout* y un callback al navegar), porque se puede publicar una versión
nueva con el tablero en marcha.
"""

from __future__ import annotations

import os
from pathlib import Path

import dash
import flask
from dash import ALL, Input, Output, dcc, html
from flask_compress import Compress

from almacen.config import directorio_datos
from almacen.errores import VersionNoEncontrada
from almacen.versiones import Almacen
from tablero import json_rapido, respuestas
from tablero.bases_mapa import precargar as precargar_base_mapa
from tablero.bases_mapa import registrar as registrar_bases_mapa
from tablero.canales import registrar as registrar_canales
from tablero.componentes import (
    ID_BANDA,
    TITULO,
    DescripcionSitio,
    contenido_banda,
    titulo_sitio,
)
from tablero.datos import CLAVE_DATOS, version_servida
from tablero.descargas import registrar_descargas
from tablero.estaticos import aligerar_scripts, diferir_ag_grid, precargar_inicio, url_plotly
from tablero.estaticos import registrar as registrar_estaticos
from tablero.instalable import registrar as registrar_instalable
from tablero.preparar import Preparador
from tablero.previo import registrar as registrar_previo
from tablero.reportes.web import registrar as registrar_reportes
from tablero.seguridad import proteger

CARPETA = Path(__file__).resolve().parent

#: Descripción de las páginas (``<meta name="description">``): la del lugar del sitio.
DESCRIPCION = DescripcionSitio()

#: Plantilla HTML: ``lang="es"`` y sin el ``<footer>`` que Dash pone por omisión alrededor de
#: los scripts (sería un segundo pie para los lectores de pantalla). ``{plotly}`` es la URL
#: con huella del bundle parcial de plotly.js, que ``assets/plotly-parcial.js`` entrega a
#: ``dcc.Graph`` (ver :func:`indice`).
INDICE = """<!DOCTYPE html>
<html lang="es">
    <head>
        {%metas%}
        {plotly}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        <noscript>
            <p class="sin-javascript">Este tablero necesita JavaScript para mostrar los mapas y
            las cifras. Actívelo en su navegador y vuelva a cargar la página.</p>
        </noscript>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""

#: Compresión de las respuestas (JSON de Dash, JavaScript, CSS, HTML). brotli para los
#: navegadores que lo aceptan, gzip para los demás; también para los archivos que Flask envía
#: en flujo (``assets``), que Flask-Compress por omisión no comprime con gzip.
CONFIG_COMPRESION = {
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],
    "COMPRESS_MIN_SIZE": 500,
}

#: Marca el enlace del menú de la página abierta (clase ``activo`` y ``aria-current``), en el
#: navegador, sin ir al servidor.
_JS_MENU_ACTIVO = """
function(ruta) {
    const normalizar = (r) => (r && r.length > 1 ? r.replace(/\\/+$/, "") : r || "/");
    const actual = normalizar(ruta);
    window.requestAnimationFrame(() => {
        document.querySelectorAll(".menu a").forEach((enlace) => {
            if (normalizar(enlace.getAttribute("href")) === actual) {
                enlace.setAttribute("aria-current", "page");
            } else {
                enlace.removeAttribute("aria-current");
            }
        });
    });
    return dash_clientside.callback_context.outputs_list.map((salida) =>
        normalizar(salida.id.ruta) === actual ? "menu__enlace activo" : "menu__enlace"
    );
}
"""


def crear_app(datos: str | os.PathLike | None = None) -> dash.Dash:
    """Construye una aplicación Dash nueva del tablero.

    Parameters
    ----------
    datos
        Carpeta del almacén. Sin ella: ``SIGUE_DATOS`` y luego la carpeta de datos del usuario
        (ver :func:`almacen.config.directorio_datos`). No se lee al construir la aplicación;
        se guarda en ``app.server.config["SIGUE_DATOS"]``.

    Returns
    -------
    dash.Dash
        La aplicación; ``app.server`` es la aplicación Flask (WSGI).
    """
    raiz = directorio_datos(datos)
    json_rapido.activar()  # respuestas de Dash con orjson (y figuras ya serializadas por versión)
    app = dash.Dash(
        # Dash importa las páginas por su ruta y las registra como ``paginas.<pagina>``: no se
        # importan a mano (``import tablero.paginas.obras`` la registraría dos veces).
        __name__,
        use_pages=True,
        pages_folder=str(CARPETA / "paginas"),
        # Sin esto Dash arma en la primera petición un "layout de validación" llamando al
        # layout de TODAS las páginas (lee y calcula datos de todas): cada página valida
        # sus propios callbacks en las pruebas.
        suppress_callback_exceptions=True,
        assets_folder=str(CARPETA / "assets"),
        serve_locally=True,
        compress=False,  # se configura abajo, con brotli y gzip
        title=TITULO,
        update_title=None,
        description=DESCRIPCION,
        index_string=INDICE.replace("{plotly}", ""),
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "theme-color", "content": "#4a1030"},
        ],
    )
    app.index_string = indice(app)
    _titulo_del_indice(app)
    _tomar_callbacks_de_paginas(app)
    app.server.config[CLAVE_DATOS] = str(raiz)
    # Ninguna petición legítima (callbacks, formularios, API) pasa de 1 MB.
    app.server.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    app.server.config.update(CONFIG_COMPRESION)
    # Los estáticos (JavaScript, CSS) se comprimen una vez y se guardan en memoria; esto va
    # antes que las rutas de Dash y que Flask-Compress, que ya no los toca.
    registrar_estaticos(app)
    registrar_bases_mapa(app)  # geometría de los mapas en una URL por versión (caché larga)
    diferir_ag_grid(app)
    aligerar_scripts(app)
    registrar_previo(app)  # las cifras de / en el HTML, antes que Dash
    precargar_inicio(app)  # plotly.js de / en cuanto llega el HTML, con prioridad baja
    precargar_base_mapa(app, "/", "inicio")  # y la base de su mapa, en paralelo
    Compress(app.server)
    registrar_reportes(app.server)
    registrar_descargas(app.server)
    registrar_instalable(app)
    registrar_canales(app)  # /feeds/*.atom y su <link rel="alternate"> en las páginas
    # Cabeceras de seguridad en toda respuesta; errores en español, nunca una traza.
    proteger(app)
    responder_404(app)
    # Lo que no cambia sin cambiar la versión (callbacks y páginas marcados con
    # ``respuestas.pura``), ya comprimido, en memoria: la siguiente petición igual no pasa por Dash.
    respuestas.instalar(app.server, lambda: Almacen(app.server.config[CLAVE_DATOS]).id_actual())
    # Una versión nueva publicada con el tablero en marcha se prepara en otro hilo.
    preparador = Preparador(app)

    @app.server.before_request
    def _preparar_version_nueva() -> None:
        preparador.ver(Almacen(app.server.config[CLAVE_DATOS]).id_actual())

    app.layout = armazon

    @app.callback(
        Output(ID_BANDA, "children"),
        Input("ubicacion", "pathname"),
        prevent_initial_call=True,
    )
    @respuestas.pura
    def _actualizar_banda(_ruta: str | None) -> list:
        # Al navegar dentro del tablero no se vuelve a pedir el layout: se relee la versión.
        return contenido_banda(_version_o_nada())

    @app.callback(
        Output("marca", "children"),
        Input("ubicacion", "search"),
        prevent_initial_call=True,
    )
    @respuestas.pura
    def _actualizar_marca(busqueda: str | None) -> str:
        # Modo nacional: el encabezado dice la entidad de la dirección (o «México»).
        return titulo_sitio(_lugar_de_busqueda(busqueda))

    app.clientside_callback(
        _JS_MENU_ACTIVO,
        Output({"tipo": "menu", "ruta": ALL}, "className"),
        Input("ubicacion", "pathname"),
    )
    return app


def _titulo_del_indice(app: dash.Dash) -> None:
    """El ``<title>`` de la primera carga dice el lugar de la petición (modo nacional: «México»
    o la entidad de ``?entidad=``); el navegador lo cambia después con el de cada página."""
    original = app.interpolate_index

    def interpolar(**partes) -> str:
        if flask.has_request_context():
            partes["title"] = titulo_sitio()
        return original(**partes)

    app.interpolate_index = interpolar


def indice(app: dash.Dash) -> str:
    """La plantilla :data:`INDICE` con la URL del bundle parcial de plotly.js.

    ``dcc.Graph`` carga plotly.js solo cuando hay una gráfica, desde
    ``window._dashPlotlyJSURL``; ``assets/plotly-parcial.js`` la fija a la URL de la etiqueta
    ``<meta name="sigue-plotly">``. Sin el bundle (no construido) queda el plotly.js de Dash.
    """
    url = url_plotly(app)
    meta = f'<meta name="sigue-plotly" content="{url}">' if url else ""
    return INDICE.replace("{plotly}", meta)


def responder_404(app: dash.Dash) -> None:
    """Una dirección que no es página ni ruta conocida responde HTTP 404 (con la página 404).

    Dash sirve su aplicación con estado 200 en cualquier dirección (la ruta comodín
    ``<prefijo><path:path>``) y luego dibuja la página 404. Aquí solo se cambia el estado de
    esas respuestas cuando la ruta no es de ninguna página registrada: el cuerpo sigue siendo
    la aplicación, que muestra el aviso en español. Las demás rutas (``/_dash-*``,
    ``/assets``, ``/descargas``, ``/api``, ``/atencion``...) tienen su propia regla y no pasan
    por aquí.
    """
    comodin = app.config.routes_pathname_prefix + "<path:path>"

    @app.server.after_request
    def _estado_404(respuesta: flask.Response) -> flask.Response:
        regla = flask.request.url_rule
        if regla is None or regla.rule != comodin or respuesta.status_code != 200:
            return respuesta
        ruta = str((flask.request.view_args or {}).get("path", ""))
        if not es_pagina(ruta):
            respuesta.status_code = 404
        return respuesta


def es_pagina(ruta: str) -> bool:
    """Verdadero si ``ruta`` (relativa al prefijo de la aplicación) es de una página registrada.

    La página 404 misma no cuenta.
    """
    from dash._pages import _path_to_page

    pagina, _ = _path_to_page(ruta.strip("/"))
    return bool(pagina) and pagina["module"].rsplit(".", 1)[-1] != "not_found_404"


def _tomar_callbacks_de_paginas(app: dash.Dash) -> None:
    """Pasa a ``app`` los callbacks que sus páginas acaban de registrar con ``dash.callback``.

    Dash los deja en listas globales que cada aplicación vacía en su primera petición: con dos
    aplicaciones creadas antes de servir (pruebas) la primera se llevaría los de ambas y la
    segunda ninguno. Las páginas se importan (y registran) al construir la aplicación.
    """
    from dash import _callback

    app.callback_map.update(_callback.GLOBAL_CALLBACK_MAP)
    _callback.GLOBAL_CALLBACK_MAP.clear()
    app._callback_list.extend(_callback.GLOBAL_CALLBACK_LIST)
    _callback.GLOBAL_CALLBACK_LIST.clear()
    app._inline_scripts.extend(_callback.GLOBAL_INLINE_SCRIPTS)
    _callback.GLOBAL_INLINE_SCRIPTS.clear()


@respuestas.pura
def armazon() -> html.Div:
    """Layout del armazón, calculado en cada carga de página.

    Fuera de una petición (Dash lo llama al asignarlo, para validar) no lee el almacén.
    """
    return html.Div(
        [
            dcc.Location(id="ubicacion"),
            html.A("Saltar al contenido", href="#contenido", className="saltar"),
            html.Header(
                html.Div(
                    [
                        dcc.Link(
                            titulo_sitio() if flask.has_request_context() else TITULO,
                            id="marca",
                            href=dash.get_relative_path("/"),
                            className="marca",
                        ),
                        html.Nav(
                            html.Ul(_enlaces_menu(), className="menu__lista"),
                            className="menu",
                            **{"aria-label": "Secciones"},
                        ),
                    ],
                    className="encabezado__interior",
                ),
                className="encabezado",
            ),
            html.Section(
                contenido_banda(_version_o_nada()),
                id=ID_BANDA,
                className="banda-version",
                **{"aria-label": "Versión de los datos"},
            ),
            html.Main(dash.page_container, id="contenido", tabIndex="-1", className="contenido"),
            _pie(),
        ],
        className="armazon",
    )


def paginas_del_menu() -> list[dict]:
    """Páginas del menú, de ``dash.page_registry`` ordenadas por ``order``.

    Quedan fuera la 404 y las páginas registradas con ``en_menu=False`` (p. ej. el
    seguimiento de un reporte, al que se llega desde su folio).
    """
    paginas = [
        pagina
        for pagina in dash.page_registry.values()
        if pagina["module"].rsplit(".", 1)[-1] != "not_found_404" and pagina.get("en_menu", True)
    ]
    return sorted(paginas, key=lambda p: (p["order"] is None, p["order"] or 0, p["module"]))


def _enlaces_menu() -> list:
    return [
        html.Li(
            dcc.Link(
                pagina["name"],
                href=pagina["relative_path"],
                id={"tipo": "menu", "ruta": pagina["relative_path"]},
                className="menu__enlace",
            )
        )
        for pagina in paginas_del_menu()
    ]


def _lugar_de_busqueda(busqueda: str | None) -> str:
    """Lugar del sitio con la ``?entidad=`` de ``busqueda`` (la de la dirección del navegador)."""
    from urllib.parse import parse_qs

    from tablero import nacional
    from tablero.componentes import entidad_de_argumentos
    from tablero.datos import datos_servidos

    argumentos = {c: v[0] for c, v in parse_qs((busqueda or "").lstrip("?")).items()}
    pedida = entidad_de_argumentos(argumentos)
    return nacional.lugar_sitio(datos_servidos(), pedida)


def _version_o_nada():
    """La versión servida, o ``None`` si el almacén está vacío o no hay petición en curso."""
    if not flask.has_request_context():
        return None
    try:
        return version_servida()
    except VersionNoEncontrada:
        return None


def _pie() -> html.Footer:
    return html.Footer(
        html.Div(
            [
                html.P(
                    [
                        html.Strong(titulo_sitio() if flask.has_request_context() else TITULO),
                        ": plataforma de datos abiertos del Plan de Acción Local de Gobierno "
                        "Abierto de Oaxaca.",
                    ]
                ),
                html.P(
                    [
                        "Todo lo que ve se puede descargar y reutilizar sin registro en ",
                        dcc.Link("Datos abiertos", href=dash.get_relative_path("/datos")),
                        ". Cómo se calcula cada cifra: ",
                        dcc.Link("Metodología", href=dash.get_relative_path("/metodologia")),
                        ".",
                    ]
                ),
                html.P("Software libre con licencia AGPL-3.0 o posterior."),
            ],
            className="pie__interior",
        ),
        className="pie",
    )
