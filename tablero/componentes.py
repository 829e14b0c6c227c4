"""Piezas de presentación compartidas por el armazón y las páginas.

Funciones puras: reciben datos ya leídos y devuelven componentes; no leen el almacén.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html

import capas
from almacen.versiones import Version
from capas.busqueda import clave_busqueda
from capas.config import PALETA, SIN_DATO
from capas.parametros import leer_parametros
from tablero import respuestas
from tablero.formato import fecha_larga

#: Nombre del tablero sin lugar y con el lugar por omisión (Oaxaca). El de cada petición lo da
#: :func:`titulo_sitio` con la entidad de la versión servida (o «México» en el modo nacional).
NOMBRE = "Sigue el dinero"
TITULO = f"{NOMBRE} Oaxaca"

#: Aviso obligatorio cuando la versión servida contiene datos de ejemplo.
AVISO_EJEMPLO = "Datos de ejemplo (sintéticos): no son cifras oficiales"

#: Id del contenedor de la banda de versión (lo actualiza un callback del armazón).
ID_BANDA = "banda-version"


def titulo_sitio(lugar: str | None = None) -> str:
    """Nombre del tablero con su lugar: ``"Sigue el dinero Morelos"``.

    Sin ``lugar``, el de la petición en curso (:func:`lugar_actual`).
    """
    return f"{NOMBRE} {lugar or lugar_actual()}"


def lugar_actual() -> str:
    """Lugar del sitio en la petición en curso: la entidad de la versión servida; en el modo
    nacional, la de ``?entidad=`` o «México» (:func:`tablero.nacional.lugar_sitio`).

    Fuera de una petición, Oaxaca.
    """
    import flask

    if not flask.has_request_context():
        return TITULO.removeprefix(f"{NOMBRE} ")
    from tablero import nacional
    from tablero.datos import datos_servidos

    return nacional.lugar_sitio(datos_servidos(), _entidad_pedida())


def lugar_del_sitio() -> str:
    """Lugar del sitio entero, sin mirar la dirección: la entidad de la versión servida o, en
    el modo nacional, «México» (:func:`tablero.nacional.lugar_sitio` sin entidad pedida).

    Lo dicen los textos que no son de una página: manifiesto, canales Atom, Open311, páginas
    de error y de reportes, correos. Fuera de una petición (correos), el de ``SIGUE_ESTADO``.
    """
    from tablero import nacional
    from tablero.datos import datos_servidos

    return nacional.lugar_sitio(datos_servidos())


def descripcion_sitio(lugar: str | None = None) -> str:
    """Descripción del sitio (``<meta name="description">``, manifiesto) con su lugar."""
    return (
        f"Datos abiertos para seguir el gasto público en {lugar or lugar_del_sitio()}: "
        "uniformes y útiles escolares, obra pública y estacionamientos para personas con "
        "discapacidad."
    )


def _entidad_pedida() -> str | None:
    """``?entidad=`` de la dirección (o la entidad de ``?municipio=``): la de la petición o,
    en el callback que dibuja la página (Dash llama ahí al ``title`` de la página), la de la
    dirección del navegador."""
    from urllib.parse import parse_qs

    import flask

    argumentos = flask.request.args
    if not {"entidad", "municipio"} & set(argumentos):
        try:
            busqueda = dash.ctx.inputs.get("_pages_location.search")
        except (dash.exceptions.MissingCallbackContextException, LookupError):
            busqueda = None
        argumentos = {c: v[0] for c, v in parse_qs(str(busqueda or "").lstrip("?")).items()}
    return entidad_de_argumentos(argumentos)


def entidad_de_argumentos(argumentos) -> str | None:
    """La entidad de unos argumentos de dirección: la de ``municipio`` (5 dígitos) si lo hay
    (un municipio es de una sola entidad, diga lo que diga ``entidad``), si no ``entidad``."""
    municipio = str(argumentos.get("municipio") or "")
    if len(municipio) == 5 and municipio.isdigit():
        return municipio[:2]
    return argumentos.get("entidad")


class TituloPagina(str):
    """Título de ventana de una página: como texto, el de Oaxaca (``"Obras · Sigue el dinero
    Oaxaca"``); llamado (Dash llama al ``title`` de una página si se puede llamar), el del
    lugar de la petición (``"Obras · Sigue el dinero México"``)."""

    nombre: str

    def __new__(cls, nombre: str) -> TituloPagina:
        titulo = super().__new__(cls, f"{nombre} · {TITULO}")
        titulo.nombre = nombre
        return titulo

    def __call__(self, **_variables) -> str:
        return f"{self.nombre} · {titulo_sitio()}"


class DescripcionSitio(str):
    """Descripción del sitio: como texto, la de Oaxaca; llamada (Dash llama a la
    ``description`` de una página si se puede llamar), la del lugar del sitio."""

    def __new__(cls) -> DescripcionSitio:
        return super().__new__(cls, descripcion_sitio(TITULO.removeprefix(f"{NOMBRE} ")))

    def __call__(self, **_variables) -> str:
        return descripcion_sitio()


class TituloSitio(str):
    """El título de la portada: ``TITULO`` como texto; llamado, :func:`titulo_sitio`."""

    def __new__(cls) -> TituloSitio:
        return super().__new__(cls, TITULO)

    def __call__(self, **_variables) -> str:
        return titulo_sitio()


def titulo_pagina(nombre: str) -> TituloPagina:
    """Título de ventana de una página (ver :class:`TituloPagina`)."""
    return TituloPagina(nombre)


def contenido_banda(version: Version | None) -> list:
    """Contenido de la banda de versión: id, fecha de corte y, si aplica, el aviso de ejemplo.

    Parameters
    ----------
    version
        Versión servida, o ``None`` si el almacén todavía no tiene ninguna.
    """
    if version is None:
        return [
            html.P(
                "Todavía no hay datos publicados en este tablero.",
                className="banda-version__texto",
            )
        ]
    contenido = [
        html.P(
            [
                "Versión de los datos: ",
                html.Strong(version.id),
                html.Span(" · ", className="separador", **{"aria-hidden": "true"}),
                html.Span(
                    ["Fecha de corte: ", html.Strong(fecha_larga(version.meta.get("fecha_corte")))],
                    className="banda-version__corte",
                ),
            ],
            className="banda-version__texto",
        )
    ]
    if version.es_ejemplo:
        contenido.append(
            html.P(
                [
                    html.Span("⚠", className="aviso-ejemplo__icono", **{"aria-hidden": "true"}),
                    " ",
                    html.Strong(AVISO_EJEMPLO + "."),
                    " Sirven para conocer el tablero; no los use para tomar decisiones.",
                ],
                className="aviso-ejemplo",
            )
        )
    return contenido


def pagina_provisional(titulo: str, texto: str) -> html.Div:
    """Página provisional: un encabezado ``h1`` y una frase."""
    return html.Div([html.H1(titulo), html.P(texto)], className="pagina-provisional")


def semaforo(
    luz: str | None, etiqueta: str | None = None, *, detalle: str | None = None
) -> html.Span:
    """Luz de un semáforo con icono y texto además del color (nunca solo el color).

    Parameters
    ----------
    luz
        ``verde``, ``amarillo``, ``rojo`` o ``gris`` (``None`` = gris, sin dato).
    etiqueta
        Texto de la luz (``"en tiempo"``, ``"cobertura baja"``...).
    detalle
        Texto adicional para lectores de pantalla (p. ej. qué etapas se compararon).
    """
    datos = PALETA.get(luz or "gris", PALETA["gris"])
    texto = etiqueta or SIN_DATO
    return html.Span(
        [
            html.Span(datos.icono, className="semaforo__icono", **{"aria-hidden": "true"}),
            html.Span(texto, className="semaforo__texto"),
        ],
        className=f"semaforo semaforo--{datos.valor}",
        title=detalle or f"Semáforo: {texto}",
        style={"backgroundColor": datos.color, "color": datos.color_texto},
    )


# --- Controles de filtro (los comparten las páginas) ---------------------------------------

#: Textos en español de ``dcc.Dropdown`` (Dash 4 los trae en inglés).
TEXTOS_LISTA = {
    "select_all": "Elegir todos",
    "deselect_all": "Quitar todos",
    "selected_count": "{num_selected} elegidos",
    "search": "Buscar",
    "clear_search": "Borrar la búsqueda",
    "clear_selection": "Quitar la selección",
    "no_options_found": "Ninguna opción coincide",
}


def campo(etiqueta: str, control, *, ayuda: str | None = None) -> html.Div:
    """Un control (``dcc.Dropdown``, ``dcc.Input``...) con su etiqueta visible ``<label for>``.

    ``ayuda`` es un texto corto bajo la etiqueta (formato esperado, unidades).
    """
    hijos = [html.Label(etiqueta, htmlFor=control.id, className="campo__etiqueta")]
    if ayuda:
        hijos.append(html.Span(ayuda, className="campo__ayuda"))
    hijos.append(control)
    return html.Div(hijos, className="campo")


def grupo_opciones(leyenda: str, control) -> html.Fieldset:
    """Casillas u opciones (``dcc.Checklist``, ``dcc.RadioItems``) con su ``<legend>`` visible."""
    return html.Fieldset(
        [html.Legend(leyenda, className="campo__etiqueta"), control],
        className="campo campo--grupo",
    )


def opcion(etiqueta: str, valor, **extra) -> dict:
    """Opción de un ``dcc.Dropdown`` que se encuentra escribiendo sin acentos.

    Dash 4 busca cada palabra escrita (en minúsculas) como parte de la etiqueta, del valor o
    de la clave ``search``; con ``search = clave_busqueda(etiqueta)`` también encuentra lo
    escrito sin acentos ni mayúsculas ("santa lucia" -> «Santa Lucía del Camino»). Lo
    escrito con acentos sigue encontrando la etiqueta.
    """
    return {"label": etiqueta, "value": valor, "search": clave_busqueda(etiqueta), **extra}


def opciones_municipios(nombres: dict[str, str]) -> list[dict]:
    """Opciones ``{label, value: cvegeo, search}`` en orden alfabético (sin distinguir acentos).

    Los nombres repetidos (hay municipios homónimos) llevan su clave entre paréntesis.
    ``search`` es la clave de búsqueda (:func:`capas.busqueda.clave_busqueda`) del nombre.
    """
    veces: dict[str, int] = {}
    for nombre in nombres.values():
        veces[nombre] = veces.get(nombre, 0) + 1
    opciones = [
        opcion(nombre if veces[nombre] == 1 else f"{nombre} ({clave})", clave)
        for clave, nombre in nombres.items()
    ]
    return sorted(opciones, key=lambda o: (o["search"], o["value"]))


def opciones_municipios_de(datos) -> list[dict]:
    """:func:`opciones_municipios` de una versión (``capas.DatosVersion``), una vez por versión.

    Lo usan los buscadores de varias páginas: la lista (cientos de municipios, miles en el
    modo nacional) se arma una sola vez y se comparte. **No se modifica.**
    """
    return datos.memo(
        ("tablero", "opciones_municipios"), lambda: opciones_municipios(datos.nombres_municipios)
    )


def bloque_mapa(id_mapa: str, figura, pie: str) -> html.Figure:
    """Mapa de puntos con su pie de figura (qué significan los colores y dónde está la tabla)."""
    from tablero.mapas import CONFIGURACION_MAPA

    return html.Figure(
        [
            dcc.Graph(id=id_mapa, figure=figura, config=CONFIGURACION_MAPA, className="mapa"),
            html.Figcaption(pie),
        ],
        className="figura-mapa",
    )


def selector_ciclo(id_: str, opciones: list[dict], valor) -> html.Div:
    """Lista del ciclo escolar (sin borrar ni buscar), con su etiqueta visible."""
    return html.Div(
        campo(
            "Ciclo escolar",
            dcc.Dropdown(
                id=id_,
                options=opciones,
                value=valor,
                clearable=False,
                searchable=False,
                labels=TEXTOS_LISTA,
            ),
        ),
        className="control control--ciclo",
    )


# --- «Descargar esta vista» ---------------------------------------------------------------

#: Enlaces de «Descargar esta vista»: sufijo del id, formato, texto visible y si va con BOM.
ENLACES_VISTA = (
    ("csv", "csv", "CSV", False),
    ("excel", "csv", "CSV para Excel", True),
    ("geojson", "geojson", "GeoJSON", False),
)


def hrefs_vista(capa: str, filtros: dict, version: str | None = None, datos=None) -> list[str]:
    """Direcciones de los enlaces de :data:`ENLACES_VISTA` con los filtros de la página.

    ``filtros`` son los valores de los controles con el nombre de parámetro que la página
    escribe en su URL (``CONTROLES``); pasan los que la capa acepta como filtro
    (``Capa.filtros``) y se omiten los demás (búsqueda, ficha abierta...). Un valor vacío
    (``None``, ``""``, ``[]``) no se escribe. Con ``datos``, los valores se leen con la
    declaración de la capa (modo tolerante, como la página): uno que la página no reconoce
    (p. ej. un monto «abc») no llega al enlace, que así nunca responde 400.
    """
    registrada = capas.capa(capa)
    elegidos = _elegidos(registrada, filtros)
    if datos is not None:
        elegidos, _ = leer_parametros(registrada, elegidos, datos, estricto=False)
    return _enlaces_vista(capa, elegidos, version)


def _elegidos(registrada, filtros: dict) -> dict:
    """Los valores de ``filtros`` que la capa acepta como filtro y no están vacíos."""
    return {
        nombre: valor
        for nombre, valor in filtros.items()
        if nombre in registrada.filtros and valor not in (None, "") and valor != []
    }


def _enlaces_vista(capa: str, elegidos: dict, version: str | None) -> list[str]:
    from tablero.descargas import url_descarga  # rutas Flask: solo al armar el enlace

    return [
        dash.get_relative_path(
            url_descarga(capa, formato, version, **elegidos, **({"bom": 1} if bom else {}))
        )
        for _sufijo, formato, _texto, bom in ENLACES_VISTA
    ]


def descargar_vista(
    id_: str, capa: str, filtros: dict, *, version: str | None = None, que: str = "esta vista"
) -> html.Div:
    """Enlaces «Descargar esta vista: CSV · CSV para Excel · GeoJSON» con los filtros actuales.

    Los ``href`` los actualiza :func:`conectar_descargar_vista` cuando cambian los controles.

    Parameters
    ----------
    id_
        Prefijo de los ids: ``{id_}-csv``, ``{id_}-excel``, ``{id_}-geojson``.
    capa
        Capa descargable (:data:`capas.REGISTRO`).
    filtros
        Valores de los controles de la página (ver :func:`hrefs_vista`).
    version
        Versión que muestra la página: la descarga trae exactamente esas filas.
    que
        Qué se descarga, para lectores de pantalla (``"las obras de esta vista"``).
    """
    hrefs = hrefs_vista(capa, filtros, version)
    enlaces = [
        html.Li(
            html.A(
                [
                    html.Span("⬇", className="descarga-vista__icono", **{"aria-hidden": "true"}),
                    f" {texto}",
                ],
                id=f"{id_}-{sufijo}",
                href=href,
                download=f"{capa}{'-excel' if bom else ''}.{formato}",
                className="descarga-vista__enlace",
                **{"aria-label": f"{texto}: descargar {que}"},
            )
        )
        for (sufijo, formato, texto, bom), href in zip(ENLACES_VISTA, hrefs, strict=True)
    ]
    return html.Div(
        [
            html.Span(
                "Descargar esta vista:", id=f"{id_}-titulo", className="descarga-vista__titulo"
            ),
            html.Ul(enlaces, className="descarga-vista__lista"),
        ],
        id=id_,
        className="descarga-vista",
        role="group",
        **{"aria-labelledby": f"{id_}-titulo"},
    )


def conectar_descargar_vista(
    id_: str,
    capa: str,
    controles: dict[str, tuple[str, str]],
    id_version: str | None = None,
    aviso: tuple[str, str] | None = None,
) -> None:
    """Registra el callback que reescribe los ``href`` de :func:`descargar_vista`.

    ``controles`` es el ``CONTROLES`` de la página (nombre de parámetro -> id y propiedad);
    solo escuchan los que la capa acepta como filtro. ``id_version`` es el ``dcc.Store`` con la
    versión que muestra la página. Con ``aviso = (id, sustantivo)`` el mismo callback
    reescribe el aviso de valores no reconocidos (:mod:`tablero.avisos`): dice lo que hay en
    los controles ahora, no lo que traía la URL al abrir la página.
    """
    from tablero import avisos
    from tablero.datos import datos_servidos

    registrada = capas.capa(capa)
    nombres = [nombre for nombre in controles if nombre in registrada.filtros]
    estados = [State(id_version, "data", allow_optional=True)] if id_version else []
    salidas_aviso = [Output(aviso[0], "children"), Output(aviso[0], "hidden")] if aviso else []

    @dash.callback(
        *[Output(f"{id_}-{sufijo}", "href") for sufijo, *_ in ENLACES_VISTA],
        *salidas_aviso,
        # Opcionales: una variante de la página puede no tener el control (ni los enlaces).
        *[Input(*controles[nombre], allow_optional=True) for nombre in nombres],
        *estados,
        prevent_initial_call=True,
    )
    @respuestas.pura
    def _actualizar(*valores):
        version = valores[len(nombres)] if id_version else None
        datos = datos_servidos(version)
        elegidos = _elegidos(registrada, dict(zip(nombres, valores, strict=False)))
        if datos is None:
            return (
                *_enlaces_vista(capa, elegidos, version),
                *([dash.no_update] * len(salidas_aviso)),
            )
        # Una sola lectura de los filtros para los enlaces y para el aviso.
        filtros, no_reconocidos = leer_parametros(registrada, elegidos, datos, estricto=False)
        hrefs = _enlaces_vista(capa, filtros, version)
        if not aviso:
            return tuple(hrefs)
        texto = avisos.texto_no_reconocidos(no_reconocidos, aviso[1], bool(filtros))
        return (*hrefs, texto, not texto)
