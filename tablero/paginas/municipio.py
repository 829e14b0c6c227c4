"""Perfil de un municipio: ``/municipio?municipio=<cvegeo>&anio=<anio>``.

Sin municipio, la página pide elegir uno (buscador por nombre). Con un municipio: los seis
indicadores con su semáforo y una frase, el presupuesto del programa (asignado frente a
ejercido), sus escuelas en un mapa y en una tabla, sus obras con alertas, la deserción y la
aprobación año con año, el presupuesto del municipio por capítulo del gasto (si se publicó su
Cuenta Pública municipal, con su propio ejercicio fiscal) y, de todos los años, los programas
sociales de los padrones públicos (beneficiarios e importe). Una clave que no existe da un
aviso en español.

Municipio, ciclo y ejercicio viven en la URL (``?municipio=20067&anio=2025&ejercicio=2024``);
cambiar de ciclo vuelve a dibujar solo el perfil y cambiar de ejercicio, solo el presupuesto.

Modo nacional (:mod:`tablero.nacional`): el perfil dice la entidad del municipio (con enlace a
su mapa) y compara con ella, no con el país; el buscador ofrece los municipios de esa entidad
(o de ``?entidad=17``) y, sin entidad, los del país con su entidad en el nombre.
"""

from __future__ import annotations

import dash
from dash import (
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    dcc,
    html,
    no_update,
)

import capas
from capas.lectura import DatosVersion
from tablero import nacional, respuestas
from tablero.canales import enlace_suscribirse
from tablero.componentes import (
    TEXTOS_LISTA,
    campo,
    selector_ciclo,
    titulo_pagina,
)
from tablero.datos import datos_servidos, estado_de
from tablero.figuras import inicio as figuras_inicio
from tablero.figuras import municipio as figuras
from tablero.figuras import presupuesto as figuras_presupuesto
from tablero.mapas import CONFIGURACION_MAPA, geojson_municipios
from tablero.reportes.fichas import reportes_del_municipio
from tablero.url import almacen_url, sincronizar_url

dash.register_page(
    __name__,
    path="/municipio",
    name="Mi municipio",
    title=titulo_pagina("Mi municipio"),
    order=1,
)

#: Filtros de la página que viven en la URL (el municipio no cambia sin navegar). El
#: ejercicio es el del presupuesto municipal (no está si el municipio no lo tiene).
CONTROLES = {
    "municipio": ("municipio-clave", "data"),
    "anio": ("municipio-anio", "value"),
    "ejercicio": ("municipio-ejercicio", "value"),
}

sincronizar_url("municipio", CONTROLES)

# El acercamiento del mapa de escuelas se ajusta al ancho de la pantalla, en el navegador.
clientside_callback(
    ClientsideFunction(namespace="sigue_mapas", function_name="ajustar_acercamiento"),
    Output("municipio-mapa", "figure"),
    Input("municipio-vista", "data"),
    State("municipio-mapa", "id"),
)

#: Configuración del mapa de escuelas: botones para acercar y alejar, sin rueda del ratón.
CONFIGURACION = {
    **CONFIGURACION_MAPA,
    "scrollZoom": False,
    "responsive": True,
}


def layout(
    municipio: str | None = None,
    anio: str | None = None,
    ejercicio: str | None = None,
    entidad: str | None = None,
    **_parametros,
) -> html.Div:
    """Perfil del municipio pedido en la URL; sin él (o si no existe), el buscador."""
    datos = datos_servidos()
    if datos is not None and nacional.es_nacional(datos):
        pedida = (municipio or "").strip()[:2] if municipio else entidad
        entidad = nacional.entidad_elegida(datos, pedida)
    else:
        entidad = None
    if datos is None or not datos.nombres_municipios:
        return html.Div(
            [
                html.H1("Mi municipio"),
                html.P(
                    "Todavía no hay datos de municipios publicados en este tablero. Cuando se "
                    "publique una versión con escuelas, presupuesto u obras, aquí verá el perfil "
                    "de cada municipio."
                ),
            ],
            className="pagina-municipio",
        )
    clave = (municipio or "").strip()
    if not clave or clave not in datos.nombres_municipios:
        avisos = []
        if clave:
            avisos.append(
                html.P(
                    f"No encontramos ningún municipio con la clave «{clave}». Revise la "
                    "dirección o búsquelo por su nombre.",
                    className="aviso-municipio",
                    role="alert",
                )
            )
        else:
            avisos.append(
                html.P(
                    "Elija su municipio para ver cuánto se gastó, en qué y con qué avance: "
                    "cobertura de uniformes y útiles, presupuesto, escuelas y obra pública."
                )
            )
        return html.Div(
            [
                html.H1("Mi municipio"),
                *avisos,
                dcc.Location(id="municipio-navegar", refresh="callback-nav"),
                _buscador(datos, "Busque su municipio", entidad),
            ],
            className="pagina-municipio",
        )

    estado = estado_de(datos)
    anio_elegido = figuras_inicio.anio_inicial(estado, anio)
    programas = _programas(datos, clave)
    presupuesto = seccion_presupuesto(datos, clave, ejercicio)
    if anio_elegido is None:  # sin ciclos con datos (p. ej. solo un padrón público cargado)
        return html.Div(
            [
                almacen_url("municipio", CONTROLES),
                dcc.Store(id="municipio-clave", data=clave),
                html.H1(datos.nombres_municipios[clave]),
                *_entidad_del_municipio(datos, clave),
                html.P(f"Clave INEGI {clave}", className="perfil-subtitulo"),
                enlace_suscribirse("municipio", clave),
                html.P(
                    "Todavía no hay indicadores del programa de uniformes y útiles (cobertura, "
                    "presupuesto del programa) ni obras publicados para este municipio.",
                    id="municipio-perfil",
                ),
                presupuesto,
                programas,
                reportes_del_municipio(clave),
                dcc.Location(id="municipio-navegar", refresh="callback-nav"),
                _buscador(datos, "Ver otro municipio", entidad),
            ],
            className="pagina-municipio",
        )
    historial = historial_de(datos, clave)
    return html.Div(
        [
            almacen_url("municipio", CONTROLES),
            dcc.Store(id="municipio-clave", data=clave),
            dcc.Location(id="municipio-navegar", refresh="callback-nav"),
            html.H1(datos.nombres_municipios[clave]),
            *_entidad_del_municipio(datos, clave),
            html.Div(
                figuras.subtitulo(clave, anio_elegido),
                id="municipio-subtitulo",
            ),
            enlace_suscribirse("municipio", clave),
            html.Div(
                [
                    selector_ciclo(
                        "municipio-anio",
                        figuras_inicio.opciones_anio(list(historial["anio"])),
                        anio_elegido,
                    ),
                    html.P(
                        html.A(
                            "Descargar los datos de este municipio (CSV)",
                            href=_enlace_descarga(clave, anio_elegido),
                            id="municipio-descarga",
                        ),
                        className="perfil-descarga",
                    ),
                ],
                className="perfil-controles",
            ),
            html.Div(_perfil(datos, clave, anio_elegido, historial), id="municipio-perfil"),
            presupuesto,
            programas,
            reportes_del_municipio(clave),
            _buscador(datos, "Ver otro municipio", entidad),
        ],
        className="pagina-municipio",
    )


@callback(
    Output("municipio-perfil", "children"),
    Output("municipio-subtitulo", "children"),
    Output("municipio-descarga", "href"),
    Input("municipio-anio", "value"),
    State("municipio-clave", "data"),
    prevent_initial_call=True,
)
@respuestas.pura
def cambiar_ciclo(anio: int, clave: str):
    """Otro ciclo: se vuelve a armar el perfil del mismo municipio.

    Solo un ciclo publicado de un municipio de la versión (lo demás no viene de la página).
    """
    datos = datos_servidos()
    try:
        anio = int(anio)
    except (TypeError, ValueError, OverflowError):
        return (no_update,) * 3
    if (
        datos is None
        or anio not in datos.anios_escolares
        or not isinstance(clave, str)
        or clave not in (datos.nombres_municipios or {})
    ):
        return (no_update,) * 3
    historial = historial_de(datos, clave)
    return (
        _perfil(datos, clave, anio, historial),
        figuras.subtitulo(clave, anio),
        _enlace_descarga(clave, anio),
    )


@callback(
    Output("municipio-capitulos-contenido", "children"),
    Input("municipio-ejercicio", "value"),
    State("municipio-clave", "data"),
    prevent_initial_call=True,
)
@respuestas.pura
def cambiar_ejercicio(ejercicio, clave: str):
    """Otro ejercicio fiscal: se vuelve a armar solo el presupuesto del municipio."""
    datos = datos_servidos()
    if datos is None:
        return no_update
    anio, _ = capas.ejercicio_inicial(datos, ejercicio, municipio=clave)
    if anio is None:
        return no_update
    return contenido_presupuesto(datos, clave, anio)


@callback(
    Output("municipio-navegar", "href"),
    Input("municipio-buscar", "value"),
    prevent_initial_call=True,
)
@respuestas.pura
def ir_al_municipio(clave: str | None):
    """Municipio elegido en el buscador: lleva a su perfil (sin recargar la página)."""
    if not clave:
        return no_update
    return f"{dash.get_relative_path('/municipio')}?municipio={clave}"


def _perfil(datos: DatosVersion, clave: str, anio: int, historial) -> list:
    """Lee de capas lo del municipio y el ciclo, y arma el perfil (sin lógica de datos aquí)."""
    return figuras.perfil(
        clave,
        anio,
        historial,
        _cifras_de_referencia(datos, clave, anio),
        datos.memo(
            ("municipio", "escuelas", anio, clave),
            lambda: capas.tabla_escuelas(datos, anio=anio, municipio=clave),
        ),
        datos.memo(
            ("municipio", "obras", anio, clave),
            lambda: capas.tabla_obras(datos, anio=anio, municipio=clave),
        ),
        figuras.contorno_de(_geojson_de(datos, clave), clave),
        CONFIGURACION,
        ruta=dash.get_relative_path,
    )


def _cifras_de_referencia(datos: DatosVersion, clave: str, anio: int):
    """Cifras con que se compara el municipio: las del estado o, en el modo nacional, las de
    su entidad (no las del país)."""
    if nacional.es_nacional(datos):
        return nacional.cifras(datos, anio, clave[:2])
    return estado_de(datos, anio)


def _geojson_de(datos: DatosVersion, clave: str) -> dict:
    """Municipios de donde sacar el contorno: en el modo nacional, solo los de su entidad."""
    if nacional.es_nacional(datos):
        return nacional.geojson_municipios_de(datos, clave[:2])
    return geojson_municipios(datos)


def _entidad_del_municipio(datos: DatosVersion, clave: str) -> list:
    """Modo nacional: la entidad del municipio con enlace a sus municipios en el mapa."""
    lugar = nacional.lugar(datos, clave[:2])
    if lugar is None:
        return []
    return [
        html.P(
            [
                f"{lugar} · ",
                dcc.Link(
                    f"Ver los municipios de {lugar} en el mapa",
                    href=nacional.enlace_entidad(clave[:2]),
                ),
            ],
            className="perfil-entidad",
            id="municipio-entidad",
        )
    ]


def historial_de(datos: DatosVersion, clave: str):
    """:func:`capas.tabla_municipios` del municipio (todos los ciclos), una vez por versión.

    Como las escuelas y las obras del municipio en un ciclo (en :func:`_perfil`), se guarda en
    ``datos.memo``: volver al mismo perfil o cambiar de ciclo no repite los cálculos. Son
    tablas de solo lectura.
    """
    return datos.memo(
        ("municipio", "historial", clave), lambda: capas.tabla_municipios(datos, municipio=clave)
    )


def seccion_presupuesto(datos: DatosVersion, clave: str, pedido=None) -> html.Section:
    """Presupuesto del municipio por capítulo, con su selector de ejercicio (si lo hay)."""
    titulo = html.H2("Presupuesto del municipio", id="municipio-titulo-capitulos")
    anio, es_el_pedido = capas.ejercicio_inicial(datos, pedido, municipio=clave)
    if anio is None:
        return html.Section(
            [
                titulo,
                html.P(
                    "Sin presupuesto municipal publicado: no se ha cargado la Cuenta Pública "
                    "de este municipio por capítulo del gasto.",
                    id="municipio-capitulos-contenido",
                ),
            ],
            **{"aria-labelledby": "municipio-titulo-capitulos"},
        )
    aviso = None if es_el_pedido else figuras_presupuesto.aviso_pedido(pedido, anio)
    return html.Section(
        [
            titulo,
            html.P(
                "Todo el gasto del ayuntamiento por capítulo (no solo el del programa de "
                "uniformes y útiles): lo aprobado y lo devengado en cada ejercicio fiscal, "
                "según su Cuenta Pública."
            ),
            figuras_presupuesto.selector_ejercicio(
                "municipio-ejercicio", capas.ejercicios_presupuesto(datos, municipio=clave), anio
            ),
            html.Div(
                contenido_presupuesto(datos, clave, anio, aviso),
                id="municipio-capitulos-contenido",
            ),
        ],
        className="presupuesto-seccion",
        **{"aria-labelledby": "municipio-titulo-capitulos"},
    )


def contenido_presupuesto(datos: DatosVersion, clave: str, anio: int, aviso=None) -> list:
    """Lo que cambia con el ejercicio: lee de capas y arma las piezas (sin lógica de datos)."""
    enlace = dash.get_relative_path(
        f"/descargas/presupuesto.csv?anio={int(anio)}&municipio={clave}&clasificacion=objeto_gasto"
    )
    return figuras_presupuesto.contenido(
        capas.capitulos_presupuesto(datos, anio, municipio=clave),
        "municipio-capitulos",
        "del municipio",
        enlace,
        aviso,
    )


def _programas(datos: DatosVersion, clave: str) -> html.Section:
    """Programas sociales del municipio, todos los años (no cambia con el ciclo elegido)."""
    enlace = dash.get_relative_path(f"/descargas/programas.csv?municipio={clave}")
    return figuras.seccion_programas(capas.programas_municipio(datos, clave), enlace)


def _buscador(datos: DatosVersion, titulo: str, entidad: str | None = None) -> html.Section:
    return html.Section(
        [
            html.H2(titulo, id="municipio-titulo-buscar"),
            campo(
                "Escriba el nombre y elíjalo de la lista",
                dcc.Dropdown(
                    id="municipio-buscar",
                    options=nacional.opciones_buscar_municipio(datos, entidad),
                    placeholder="Nombre del municipio…",
                    searchable=True,
                    clearable=True,
                    labels=TEXTOS_LISTA,
                ),
            ),
        ],
        className="perfil-buscar",
        **{"aria-labelledby": "municipio-titulo-buscar"},
    )


def _enlace_descarga(clave: str, anio: int) -> str:
    return dash.get_relative_path(f"/descargas/municipios.csv?municipio={clave}&anio={int(anio)}")
