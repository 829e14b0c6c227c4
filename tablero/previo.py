"""Las cifras de la entidad en el HTML de ``/``: se ven antes de que arranque Dash.

Dash no dibuja nada en el servidor: la página llega como «Loading...» y las cifras aparecen
después de bajar y ejecutar React, el renderer y los componentes, pedir ``_dash-layout``,
``_dash-dependencies`` y el callback de la página. En un teléfono lento eso son varios
segundos. Aquí el HTML de ``/`` trae, antes de ``#react-entry-point``, una vista previa
estática (``#sigue-previo``) con el título, la entrada y las tarjetas de cifras del ciclo de
la URL: las mismas que arma la página (:func:`tablero.figuras.inicio.cifras_estado`),
convertidas a HTML por :func:`a_html`. ``assets/previo.js`` la quita en cuanto Dash dibuja la
página; ``assets/carga.css`` oculta el «Loading...» de Dash mientras tanto.

Solo en ``/`` (no en el modo nacional, que elige la entidad en el navegador) y solo con datos;
se arma una vez por versión y ciclo (``datos.memo``). Sin ``id`` (la página real los trae):
nada se duplica cuando Dash dibuja.
"""

from __future__ import annotations

import html as html_std
import re

import dash
import flask

from tablero.paginas import modulo_de

#: Elementos HTML sin etiqueta de cierre.
VACIOS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"}
#: Componentes de ``dash.html`` cuyo nombre no es el de la etiqueta.
ETIQUETAS = {"ObjectEl": "object", "MapEl": "map"}
#: Propiedades de Dash que no son atributos HTML (o que la vista previa no lleva).
OMITIR = {
    "children",
    "id",
    "key",
    "n_clicks",
    "n_clicks_timestamp",
    "disable_n_clicks",
    "loading_state",
    "setProps",
}
#: Atributos que cambian de nombre (React → HTML).
ATRIBUTOS = {"className": "class", "htmlFor": "for", "tabIndex": "tabindex"}
ID_PREVIO = "sigue-previo"


def a_html(componente) -> str:
    """HTML estático de un árbol de componentes de ``dash.html`` (texto escapado).

    Los componentes de otras bibliotecas (``dcc``...) no se dibujan: necesitan JavaScript.
    Se omiten los ``id`` (ver el módulo).
    """
    if componente is None or isinstance(componente, bool):
        return ""
    if isinstance(componente, str | int | float):
        return html_std.escape(str(componente), quote=False)
    if isinstance(componente, list | tuple):
        return "".join(a_html(hijo) for hijo in componente)
    if getattr(componente, "_namespace", None) != "dash_html_components":
        return ""
    tipo = componente._type
    etiqueta = ETIQUETAS.get(tipo, tipo.lower())
    atributos = []
    # Las propiedades dadas, con las comodín (``aria-*``, ``data-*``), en orden alfabético
    # (Dash no las da siempre en el mismo orden).
    for nombre, valor in sorted(componente.to_plotly_json()["props"].items()):
        if nombre in OMITIR or valor is None or valor is False:
            continue
        if nombre == "style" and isinstance(valor, dict):
            valor = "; ".join(f"{_guiones(k)}: {v}" for k, v in valor.items())
        nombre_html = ATRIBUTOS.get(nombre, nombre)
        if valor is True:
            atributos.append(f" {nombre_html}")
        else:
            atributos.append(f' {nombre_html}="{html_std.escape(str(valor), quote=True)}"')
    apertura = f"<{etiqueta}{''.join(atributos)}>"
    if etiqueta in VACIOS:
        return apertura
    return f"{apertura}{a_html(getattr(componente, 'children', None))}</{etiqueta}>"


def _guiones(nombre: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), nombre)


def vista_previa(anio_pedido=None) -> str:
    """HTML de ``#sigue-previo`` para ``/`` con el ciclo ``anio_pedido``; ``""`` si no aplica."""
    from tablero import nacional
    from tablero.componentes import TITULO
    from tablero.datos import datos_servidos, estado_de
    from tablero.figuras import inicio as figuras

    pagina = modulo_de("/")
    if pagina is None:
        return ""
    datos = datos_servidos()
    if datos is None or not datos.nombres_municipios or nacional.es_nacional(datos):
        return ""
    estado = estado_de(datos)
    anio = datos.memo(  # por versión y año pedido (la memoria de la versión tiene tope)
        ("tablero", "anio-previo", anio_pedido),
        lambda: figuras.anio_inicial(estado, anio_pedido),
    )
    if anio is None:
        return ""

    def armar() -> str:
        cifras = estado[estado["anio"] == anio]
        contenido = dash.html.Div(
            [
                dash.html.Div(
                    dash.html.Div(
                        dash.html.Span(TITULO, className="marca"),
                        className="encabezado__interior",
                    ),
                    className="encabezado",
                ),
                dash.html.Div(
                    dash.html.Div(
                        [
                            dash.html.H1("Sigue el dinero"),
                            dash.html.P(pagina.INTRODUCCION, className="entrada"),
                            dash.html.H2(pagina._titulo_cifras(anio)),
                            dash.html.Div(figuras.cifras_estado(cifras), className="indicadores"),
                        ],
                        className="pagina-inicio",
                    ),
                    className="contenido",
                ),
            ],
            className="armazon sigue-previo",
        )
        return f'<div id="{ID_PREVIO}">{a_html(contenido)}</div>'

    return datos.memo(("tablero", "vista-previa", anio), armar)


def registrar(app: dash.Dash) -> None:
    """Pone la vista previa en el HTML de ``/`` (antes de ``#react-entry-point``)."""
    original = app.interpolate_index
    raiz = app.config.routes_pathname_prefix

    def interpolar(**partes):
        if flask.has_request_context() and flask.request.path == raiz:
            previo = vista_previa(flask.request.args.get("anio"))
            if previo:
                partes["app_entry"] = previo + partes.get("app_entry", "")
        return original(**partes)

    app.interpolate_index = interpolar
