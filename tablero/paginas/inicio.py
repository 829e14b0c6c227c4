"""Página de inicio «Sigue el dinero»: mapa de los municipios y cifras de la entidad.

- Las cifras llegan con la página; el mapa, en su propio callback justo después (:func:`cargar_mapa`):
  los números no esperan a la geometría.
- Lo fijo del mapa (geometría, ubicaciones, nombres, *layout*) se arma y se serializa una vez
  por versión (:func:`mapa_base`, en ``datos.memo``) y cada respuesta solo le suma los valores;
  al cambiar de indicador o de ciclo el callback devuelve un ``dash.Patch`` con valores,
  colores y textos (sin formas).
- Indicador y ciclo viven en la URL (``/?indicador=cobertura&anio=2025``): la vista se puede
  compartir.
- «Presupuesto del estado»: el gasto del gobierno del estado por capítulo, con su propio
  ejercicio fiscal en la URL (``?ejercicio=2024``; por omisión el último con gasto publicado).
  Un ejercicio que no hay vuelve al de omisión y lo dice. Sin presupuesto, una sola línea.
- Buscar un municipio por nombre o hacer clic en él en el mapa lleva a su perfil.
- La tabla de todos los municipios es la alternativa al mapa para lectores de pantalla y
  teclado.
- Modo nacional (una versión con varias entidades, :mod:`tablero.nacional`): la entidad va en
  la URL (``?entidad=17``); sin ella el mapa muestra las entidades y tocar una (o elegirla en
  la lista) baja a sus municipios.
"""

from __future__ import annotations

import dash
import pandas as pd
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
from tablero.bases_mapa import registrar_base, url_base
from tablero.componentes import (
    TEXTOS_LISTA,
    TituloSitio,
    campo,
    conectar_descargar_vista,
    descargar_vista,
    selector_ciclo,
)
from tablero.datos import datos_servidos, estado_de
from tablero.figuras import inicio as figuras
from tablero.figuras import presupuesto as figuras_presupuesto
from tablero.mapas import (
    CONFIGURACION_MAPA,
    centro_de,
    fragmentos_figura,
    geojson_entidad,
    geojson_municipios,
    limites_municipios,
)
from tablero.url import almacen_url, sincronizar_url

dash.register_page(__name__, path="/", name="Inicio", title=TituloSitio(), order=0)

#: Filtros de la página que viven en la URL (el ejercicio es el de la sección de presupuesto;
#: una variante de la página sin mapa o sin presupuesto no tiene todos).
CONTROLES = {
    "indicador": ("inicio-indicador", "value"),
    "anio": ("inicio-anio", "value"),
    "ejercicio": ("inicio-ejercicio", "value"),
    # Solo en el modo nacional (la entidad no cambia sin recargar la página).
    "entidad": ("inicio-entidad", "data"),
}
sincronizar_url("inicio", CONTROLES)
conectar_descargar_vista("inicio-descarga-vista", "municipios", CONTROLES, "inicio-version")

# El mapa llega de :func:`cargar_mapa` a un dcc.Store con sus límites; el navegador lo pasa a
# la gráfica con el acercamiento ya ajustado al ancho de la pantalla (la entidad entera se ve
# en un teléfono y en una pantalla ancha), así se dibuja una sola vez. No va al servidor.
clientside_callback(
    ClientsideFunction(namespace="sigue_mapas", function_name="figura_ajustada"),
    Output("inicio-mapa", "figure"),
    Input("inicio-mapa-datos", "data"),
    State("inicio-mapa", "id"),
    prevent_initial_call=True,
)

INTRODUCCION = (
    "Consulte en qué se gasta el dinero público en Oaxaca: uniformes y útiles escolares, obra "
    "pública y estacionamientos para personas con discapacidad. Cada cifra indica su fuente, su "
    "versión y su fecha de corte."
)

#: Configuración del mapa: sin barra de botones ni zoom con la rueda (la página se desplaza).
CONFIGURACION = {
    **CONFIGURACION_MAPA,
    "displayModeBar": False,
    "scrollZoom": False,
    "responsive": True,
}


@respuestas.pura
def layout(
    indicador: str | None = None,
    anio: str | None = None,
    ejercicio: str | None = None,
    entidad: str | None = None,
    **_parametros,
) -> html.Div:
    """Página con el indicador, el ciclo, el ejercicio y (modo nacional) la entidad de la URL."""
    datos = datos_servidos()
    en_pais = datos is not None and nacional.es_nacional(datos)
    elegida = nacional.entidad_elegida(datos, entidad) if en_pais else None
    lugar = nacional.lugar(datos, elegida)
    # la entidad elegida, «México» o, con una sola entidad, la de la versión
    introduccion = INTRODUCCION.replace("Oaxaca", lugar or nacional.lugar_sitio(datos))
    encabezado = [html.H1("Sigue el dinero"), html.P(introduccion, className="entrada")]
    if en_pais:
        encabezado += [
            dcc.Store(id="inicio-entidad", data=elegida),
            _selector_entidad(datos, elegida),
        ]
    if datos is None or not datos.nombres_municipios:
        return html.Div(
            [
                *encabezado,
                *([seccion_presupuesto(datos, ejercicio, elegida)] if datos is not None else []),
                html.P(
                    "Todavía no hay datos de municipios publicados en este tablero. Cuando se "
                    "publique una versión con escuelas, presupuesto u obras, aquí verá el mapa."
                ),
            ],
            className="pagina-inicio",
        )
    estado = estado_de(datos)
    anio_elegido = figuras.anio_inicial(estado, anio)
    comunes = [
        almacen_url("inicio", CONTROLES),
        # La versión con la que se abrió la página: los filtros no mezclan versiones.
        dcc.Store(id="inicio-version", data=datos.id),
        dcc.Location(id="inicio-navegar", refresh="callback-nav"),
        *encabezado,
        _buscador(datos, elegida),
        seccion_presupuesto(datos, ejercicio, elegida),
    ]
    if anio_elegido is None:  # sin ciclos con datos (p. ej. solo presupuesto por capítulo)
        return html.Div(
            [
                *comunes,
                html.P(
                    "Todavía no hay indicadores del programa de uniformes y útiles ni obras "
                    "publicados: cuando se publiquen, aquí verá sus cifras y el mapa de los "
                    "municipios.",
                    id="inicio-sin-ciclos",
                ),
            ],
            className="pagina-inicio",
        )
    clave = figuras.indicador_valido(indicador)
    tabla = municipios_del_ciclo(datos, anio_elegido, elegida)
    de_entidades = en_pais and elegida is None
    cifras = (
        nacional.cifras(datos, anio_elegido, elegida)
        if elegida is not None and en_pais
        else estado[estado["anio"] == anio_elegido]
    )
    return html.Div(
        [
            *comunes,
            # El mapa y sus límites (para el acercamiento), de :func:`cargar_mapa`.
            dcc.Store(id="inicio-mapa-datos"),
            selector_ciclo(
                "inicio-anio", figuras.opciones_anio(list(estado["anio"])), anio_elegido
            ),
            html.Section(
                [
                    html.H2(_titulo_cifras(anio_elegido, lugar), id="inicio-titulo-cifras"),
                    html.Div(
                        figuras.cifras_estado(cifras),
                        id="inicio-cifras",
                        className="indicadores",
                    ),
                ],
                **{"aria-labelledby": "inicio-titulo-cifras"},
            ),
            html.Section(
                [
                    html.H2(nacional.titulo_mapa(lugar, elegida), id="inicio-titulo-mapa"),
                    html.Div(
                        campo(
                            "Indicador del mapa",
                            dcc.Dropdown(
                                id="inicio-indicador",
                                options=figuras.opciones_indicador(),
                                value=clave,
                                clearable=False,
                                searchable=False,
                                labels=TEXTOS_LISTA,
                            ),
                        ),
                        className="control",
                    ),
                    html.Figure(
                        [
                            dcc.Graph(
                                id="inicio-mapa",
                                figure=figuras.figura_cargando(),
                                config=CONFIGURACION,
                                className="inicio-mapa",
                            ),
                            html.Div(figuras.leyenda_mapa(clave), id="inicio-leyenda"),
                            html.Figcaption(
                                [
                                    html.Span(
                                        _pie_mapa(tabla, clave, anio_elegido, de_entidades),
                                        id="inicio-pie-mapa",
                                    ),
                                    " Toque o haga clic en una entidad para ver sus municipios; "
                                    "la tabla de abajo tiene los mismos datos."
                                    if de_entidades
                                    else " Toque o haga clic en un municipio para ver su "
                                    "perfil; la tabla de abajo tiene los mismos datos.",
                                ],
                                className="inicio-mapa__pie",
                            ),
                        ],
                        className="inicio-figura",
                    ),
                    descargar_vista(
                        "inicio-descarga-vista",
                        "municipios",
                        {"anio": anio_elegido, "entidad": elegida},
                        version=datos.id,
                        que="los municipios de este mapa (ciclo elegido)",
                    ),
                    html.Details(
                        [
                            html.Summary("Ver los datos del mapa en una tabla"),
                            html.P(
                                "Todos los municipios con los indicadores del mapa. Ordene con "
                                "el encabezado de una columna; el nombre lleva al perfil del "
                                "municipio.",
                            ),
                            figuras.tabla_alternativa(
                                "inicio-tabla",
                                tabla,
                                anio_elegido,
                                _ruta_municipio(),
                                filas=filas_del_ciclo(datos, anio_elegido, elegida),
                            ),
                        ],
                        className="inicio-tabla",
                    ),
                    html.P(
                        html.A(
                            "Descargar estos datos de los municipios (CSV)",
                            href=_enlace_descarga(anio_elegido, elegida),
                            id="inicio-descarga",
                        ),
                        className="inicio-descarga",
                    ),
                ],
                **{"aria-labelledby": "inicio-titulo-mapa"},
            ),
        ],
        className="pagina-inicio",
    )


@callback(
    Output("inicio-mapa-datos", "data"),
    Input("inicio-version", "data"),
    State("inicio-indicador", "value"),
    State("inicio-anio", "value"),
    State("inicio-entidad", "data", allow_optional=True),
)
@respuestas.pura
def cargar_mapa(version: str | None, indicador: str, anio: int, entidad: str | None = None):
    """El mapa justo después de la página: la URL de su base y los valores del indicador.

    La página (cifras, selectores, tabla) se dibuja sin esperarlo. Lo fijo de la versión
    (geometría, ubicaciones, nombres, *layout*: :func:`mapa_base`) no viaja aquí: se sirve en
    una URL con la versión y la huella (``base``, :mod:`tablero.bases_mapa`, caché de un año)
    que el navegador pide una vez. Solo los valores del indicador y del ciclo (``valores``,
    para ``data[0]``) se serializan en esta respuesta, con los límites de la entidad
    (``vista``): el navegador junta base y valores y ajusta el acercamiento a su pantalla
    antes de dibujar (``sigue_mapas.figura_ajustada``, assets/mapas.js).
    """
    datos = datos_servidos(version)
    if datos is None or anio is None:
        return no_update
    clave = figuras.indicador_valido(indicador)
    tabla = municipios_del_ciclo(datos, int(anio), entidad)
    limites = _geometria(datos, entidad)[1]
    return {
        "base": url_base(datos, BASE, entidad if nacional.es_nacional(datos) else None),
        "valores": figuras.propiedades_mapa(tabla, clave),
        "vista": {"limites": list(limites), "margen": figuras.MARGEN_BARRA},
    }


def _geometria(datos: DatosVersion, entidad: str | None) -> tuple[dict, tuple, dict | None]:
    """``(geojson, límites, contorno)`` del mapa de la portada."""
    if nacional.es_nacional(datos):
        return nacional.geometria(datos, entidad)
    return geojson_municipios(datos), limites_municipios(datos), geojson_entidad(datos)


def mapa_base(datos: DatosVersion, entidad: str | None = None, tabla=None) -> dict:
    """:func:`figuras.mapa_base` con cada parte ya serializada, una vez por versión.

    Se guarda en ``datos.memo``: dos peticiones (o dos usuarios) de la misma versión reciben
    los mismos bytes de geometría y *layout* sin volver a armarlos ni a serializarlos. En el
    modo nacional hay una base por vista (las entidades o los municipios de una), con las
    filas de ``tabla`` (:func:`municipios_del_ciclo`, el mismo orden en todos los ciclos).
    """
    nacional_ = nacional.es_nacional(datos)

    def armar() -> dict:
        geojson, limites, contorno = _geometria(datos, entidad)
        filas = tabla if nacional_ else datos.municipios
        figura = figuras.mapa_base(
            filas,
            geojson,
            centro_de(limites),
            contorno=contorno,
            sin_dato=nacional_ and entidad is None,
        )
        return fragmentos_figura(figura)

    return datos.memo(("inicio", "mapa_base", entidad if nacional_ else None), armar)


def _base_servida(datos: DatosVersion, entidad: str | None) -> dict:
    """La base de :func:`mapa_base` para :mod:`tablero.bases_mapa` (la pide su URL).

    ``LookupError`` si la entidad no es de la versión (o se pide una fuera del modo nacional)
    o si la versión no tiene ciclos con los que ordenar las filas del mapa.
    """
    if not nacional.es_nacional(datos):
        if entidad is not None:
            raise LookupError(
                f"La versión {datos.id} no es nacional: no tiene la entidad {entidad}"
            )
        if not datos.nombres_municipios:
            raise LookupError(f"La versión {datos.id} no tiene municipios")
        return mapa_base(datos)
    if entidad is not None and nacional.entidad_elegida(datos, entidad) != entidad:
        raise LookupError(f"La versión {datos.id} no tiene la entidad {entidad}")
    anio = figuras.anio_inicial(estado_de(datos), None)
    if anio is None:
        raise LookupError(f"La versión {datos.id} no tiene ciclos con datos para el mapa")
    return mapa_base(datos, entidad, municipios_del_ciclo(datos, anio, entidad))


#: Nombre de la base del mapa de la portada en :mod:`tablero.bases_mapa`.
BASE = "inicio"
registrar_base(BASE, _base_servida)


@callback(
    Output("inicio-mapa", "figure", allow_duplicate=True),
    Output("inicio-pie-mapa", "children"),
    Output("inicio-leyenda", "children"),
    Input("inicio-indicador", "value"),
    Input("inicio-anio", "value"),
    State("inicio-version", "data"),
    State("inicio-entidad", "data", allow_optional=True),
    prevent_initial_call=True,
)
@respuestas.pura
def actualizar_mapa(
    indicador: str, anio: int, version: str | None = None, entidad: str | None = None
):
    """Otro indicador u otro ciclo: solo los valores del mapa (``Patch``), nunca la geometría."""
    datos = datos_servidos(version)
    if datos is None:
        return no_update, no_update, no_update
    clave = figuras.indicador_valido(indicador)
    tabla = municipios_del_ciclo(datos, int(anio), entidad)
    de_entidades = entidad is None and nacional.es_nacional(datos)
    return (
        figuras.parche_mapa(tabla, clave, 1 if de_entidades else 0),
        _pie_mapa(tabla, clave, int(anio), de_entidades),
        figuras.leyenda_mapa(clave),
    )


@callback(
    Output("inicio-titulo-cifras", "children"),
    Output("inicio-cifras", "children"),
    Output("inicio-tabla", "rowData"),
    Output("inicio-descarga", "href"),
    Input("inicio-anio", "value"),
    State("inicio-version", "data"),
    State("inicio-entidad", "data", allow_optional=True),
    prevent_initial_call=True,
)
@respuestas.pura
def actualizar_ciclo(anio: int, version: str | None = None, entidad: str | None = None):
    """Otro ciclo: cifras de la entidad, filas de la tabla y enlace de descarga."""
    datos = datos_servidos(version)
    if datos is None:
        return no_update, no_update, no_update, no_update
    anio = int(anio)
    filas = filas_del_ciclo(datos, anio, entidad)
    cifras = (
        nacional.cifras(datos, anio, entidad)
        if nacional.es_nacional(datos) and entidad is not None
        else estado_de(datos, anio)
    )
    return (
        _titulo_cifras(anio, nacional.lugar(datos, entidad)),
        figuras.cifras_estado(cifras),
        filas,
        _enlace_descarga(anio, entidad),
    )


@callback(
    Output("inicio-presupuesto-contenido", "children"),
    Input("inicio-ejercicio", "value"),
    State("inicio-version", "data"),
    State("inicio-entidad", "data", allow_optional=True),
    prevent_initial_call=True,
)
@respuestas.pura
def actualizar_presupuesto(ejercicio, version: str | None = None, entidad: str | None = None):
    """Otro ejercicio fiscal: cifras, gráfica, tabla y descarga del presupuesto del estado
    (en el modo nacional, de la entidad elegida)."""
    datos = datos_servidos(version)
    if datos is None:
        return no_update
    anio, _ = capas.ejercicio_inicial(datos, ejercicio, entidad=entidad)
    if anio is None:
        return no_update
    return contenido_presupuesto(datos, anio, entidad=entidad)


@callback(
    Output("inicio-navegar", "href"),
    Input("inicio-buscar", "value"),
    # Opcional: la portada sin ciclos escolares no tiene selector de ciclo (ni mapa).
    State("inicio-anio", "value", allow_optional=True),
    prevent_initial_call=True,
)
@respuestas.pura
def ir_al_municipio(buscado: str | None, anio: int | None):
    """Municipio elegido en el buscador: lleva a su perfil (sin recargar)."""
    return destino("inicio-buscar", buscado, None, anio) or no_update


# Aparte del buscador: un Input opcional no recibe los clics del mapa, y la portada sin
# ciclos escolares no tiene mapa.
@callback(
    Output("inicio-navegar", "href", allow_duplicate=True),
    Input("inicio-mapa", "clickData"),
    State("inicio-anio", "value"),
    State("inicio-entidad", "data", allow_optional=True),
    State("inicio-indicador", "value", allow_optional=True),
    prevent_initial_call=True,
)
@respuestas.pura
def tocar_municipio(
    clic: dict | None, anio: int | None, entidad: str | None = None, indicador=None
):
    """Municipio tocado en el mapa: lleva a su perfil (sin recargar).

    En el mapa de las entidades (modo nacional, sin entidad elegida) lleva a la entidad.
    """
    clave = figuras.clave_del_clic(clic)
    if entidad is None and clave and len(clave) == 2:
        return nacional.enlace_entidad(clave, anio, indicador)
    return destino("inicio-mapa", None, clic, anio) or no_update


@callback(
    Output("inicio-navegar", "href", allow_duplicate=True),
    Input("inicio-lista-entidad", "value"),
    State("inicio-anio", "value", allow_optional=True),
    State("inicio-indicador", "value", allow_optional=True),
    prevent_initial_call=True,
)
@respuestas.pura
def elegir_entidad(elegida: str | None, anio=None, indicador=None):
    """Entidad elegida en la lista (modo nacional): la portada de esa entidad o del país."""
    return nacional.enlace_entidad(elegida, anio, indicador)


def destino(disparo: str | None, buscado: str | None, clic: dict | None, anio=None) -> str | None:
    """Dirección del perfil elegido: por el mapa (``disparo == "inicio-mapa"``) o el buscador."""
    clave = figuras.clave_del_clic(clic) if disparo == "inicio-mapa" else buscado
    return enlace_municipio(clave, anio) if clave else None


def seccion_presupuesto(
    datos: DatosVersion, pedido=None, entidad: str | None = None
) -> html.Section:
    """Sección «Presupuesto del estado» con su selector de ejercicio (una línea si no hay).

    En el modo nacional, el de la entidad elegida (``entidad``) o, sin ella, la suma de las
    entidades.
    """
    lugar = nacional.lugar(datos, entidad)
    de_todas = lugar is not None and entidad is None
    titulo = html.H2(
        "Presupuesto de las entidades" if de_todas else "Presupuesto del estado",
        id="inicio-titulo-presupuesto",
    )
    anio, es_el_pedido = capas.ejercicio_inicial(datos, pedido, entidad=entidad)
    if anio is None:
        return html.Section(
            [
                titulo,
                html.P(
                    "No hay datos del presupuesto total del gobierno del estado por capítulo (su "
                    "Cuenta Pública) en esta versión. El presupuesto del programa de uniformes y "
                    "útiles es otro dato y se mide aparte, en la eficacia presupuestal.",
                    id="inicio-presupuesto-contenido",
                ),
            ],
            className="presupuesto-seccion inicio-presupuesto",
            **{"aria-labelledby": "inicio-titulo-presupuesto"},
        )
    aviso = None if es_el_pedido else figuras_presupuesto.aviso_pedido(pedido, anio)
    return html.Section(
        [
            titulo,
            html.P(
                (
                    "¿En qué se gastó el dinero de las entidades? La suma del presupuesto de "
                    "los gobiernos de los estados que lo publican"
                    if de_todas
                    else "¿En qué se gastó el dinero de "
                    f"{lugar or nacional.lugar_sitio(datos)}? El presupuesto "
                    "del gobierno del estado"
                )
                + " por capítulo del gasto: lo aprobado y lo devengado (gastado) en cada "
                "ejercicio fiscal, según su Cuenta Pública."
            ),
            figuras_presupuesto.selector_ejercicio(
                "inicio-ejercicio", capas.ejercicios_presupuesto(datos, entidad=entidad), anio
            ),
            html.Div(
                contenido_presupuesto(datos, anio, aviso, entidad),
                id="inicio-presupuesto-contenido",
            ),
        ],
        className="presupuesto-seccion inicio-presupuesto",
        **{"aria-labelledby": "inicio-titulo-presupuesto"},
    )


def contenido_presupuesto(
    datos: DatosVersion, anio: int, aviso=None, entidad: str | None = None
) -> list:
    """Lo que cambia con el ejercicio: lee de capas y arma las piezas (sin lógica de datos)."""
    return figuras_presupuesto.contenido(
        capas.capitulos_presupuesto(datos, anio, entidad=entidad),
        "inicio-presupuesto",
        "del estado",
        _enlace_presupuesto(anio, entidad),
        aviso,
    )


def _selector_entidad(datos: DatosVersion, elegida: str | None) -> html.Div:
    """Lista de entidades del modo nacional: elegir una baja a sus municipios."""
    return html.Div(
        campo(
            "Entidad",
            dcc.Dropdown(
                id="inicio-lista-entidad",
                options=nacional.opciones_entidades(datos),
                value=elegida or nacional.TODO_EL_PAIS,
                clearable=False,
                searchable=True,
                labels=TEXTOS_LISTA,
            ),
        ),
        className="control inicio-entidad",
    )


def _pie_mapa(tabla: pd.DataFrame, clave: str, anio: int, de_entidades: bool) -> str:
    texto = figuras.pie_mapa(tabla, clave, anio)
    return nacional.pie_entidades(texto) if de_entidades else texto


def _buscador(datos: DatosVersion, entidad: str | None = None) -> html.Section:
    if entidad is None and nacional.es_nacional(datos):
        return _buscador_pais()
    return html.Section(
        [
            html.H2("Busque su municipio", id="inicio-titulo-buscar"),
            campo(
                "Escriba el nombre y elíjalo de la lista para ver su perfil",
                dcc.Dropdown(
                    id="inicio-buscar",
                    options=nacional.opciones_buscar_municipio(datos, entidad),
                    placeholder="Nombre del municipio…",
                    searchable=True,
                    clearable=True,
                    labels=TEXTOS_LISTA,
                ),
            ),
        ],
        className="inicio-buscar",
        **{"aria-labelledby": "inicio-titulo-buscar"},
    )


def _buscador_pais() -> html.Section:
    """Buscador de los municipios de todo el país: las opciones llegan al escribir."""
    return html.Section(
        [
            html.H2("Busque su municipio", id="inicio-titulo-buscar"),
            campo(
                "Escriba al menos dos letras del nombre y elíjalo de la lista para ver su perfil",
                dcc.Dropdown(
                    id="inicio-buscar-pais",
                    options=[],
                    placeholder="Nombre del municipio…",
                    searchable=True,
                    clearable=True,
                    labels=TEXTOS_LISTA,
                ),
            ),
        ],
        className="inicio-buscar",
        **{"aria-labelledby": "inicio-titulo-buscar"},
    )


@callback(
    Output("inicio-buscar-pais", "options"),
    Input("inicio-buscar-pais", "search_value"),
    State("inicio-buscar-pais", "value"),
    State("inicio-version", "data"),
    prevent_initial_call=True,
)
@respuestas.pura
def buscar_en_el_pais(consulta: str | None, elegido: str | None, version: str | None = None):
    """Municipios del país que coinciden con lo escrito (modo nacional, vista del país)."""
    datos = datos_servidos(version)
    if datos is None or not consulta:
        return no_update
    return nacional.opciones_buscadas(datos, consulta)


@callback(
    Output("inicio-navegar", "href", allow_duplicate=True),
    Input("inicio-buscar-pais", "value"),
    State("inicio-anio", "value", allow_optional=True),
    prevent_initial_call=True,
)
@respuestas.pura
def ir_al_municipio_del_pais(buscado: str | None, anio: int | None):
    """Municipio elegido en el buscador del país: lleva a su perfil (sin recargar)."""
    return enlace_municipio(buscado, anio) if buscado else no_update


def municipios_del_ciclo(
    datos: DatosVersion, anio: int, entidad: str | None = None
) -> pd.DataFrame:
    """:func:`capas.tabla_municipios` de un ciclo, calculada una vez por versión y ciclo.

    Una versión no cambia nunca (se guarda en la caché de la versión, ``datos.memo``), así
    que la tabla se reutiliza entre peticiones y usuarios: cada cambio de indicador o de
    ciclo tarda milisegundos. Es de solo lectura: los constructores de figuras no la modifican.

    En el modo nacional, las filas del mapa (:func:`tablero.nacional.tabla_mapa`): las
    entidades o, con ``entidad``, sus municipios.
    """
    anio = int(anio)
    if nacional.es_nacional(datos):
        return nacional.tabla_mapa(datos, anio, nacional.entidad_elegida(datos, entidad))
    return datos.memo(
        ("inicio", "municipios_del_ciclo", anio), lambda: capas.tabla_municipios(datos, anio=anio)
    )


def filas_del_ciclo(datos: DatosVersion, anio: int, entidad: str | None = None) -> list[dict]:
    """Filas de la tabla de municipios de un ciclo (:func:`figuras.filas_tabla`), una vez por
    versión, ciclo, entidad y prefijo de la aplicación. Se comparten entre peticiones: no se
    modifican. En el modo nacional sin entidad, son las filas de las entidades.
    """
    anio, ruta = int(anio), _ruta_municipio()

    def armar() -> list[dict]:
        tabla = municipios_del_ciclo(datos, anio, entidad)
        filas = figuras.filas_tabla(tabla, anio, ruta)
        if entidad is None and nacional.es_nacional(datos):
            filas = nacional.filas_entidades(tabla, anio, filas)
        return filas

    return datos.memo(("inicio", "filas_tabla", anio, ruta, entidad), armar)


def enlace_municipio(clave: str, anio: int | None = None) -> str:
    """Dirección del perfil de un municipio (con el ciclo, si se da)."""
    enlace = f"{_ruta_municipio()}?municipio={clave}"
    return enlace + (f"&anio={int(anio)}" if anio else "")


def _titulo_cifras(anio: int, lugar: str | None = None) -> str:
    if lugar is not None:
        return f"Cifras de {lugar}, ciclo {figuras.ciclo(anio)}"
    return f"Cifras del estado, ciclo {figuras.ciclo(anio)}"


def _ruta_municipio() -> str:
    return dash.get_relative_path("/municipio")


def _enlace_descarga(anio: int, entidad: str | None = None) -> str:
    filtro_entidad = f"&entidad={entidad}" if entidad else ""
    return dash.get_relative_path(f"/descargas/municipios.csv?anio={int(anio)}{filtro_entidad}")


def _enlace_presupuesto(anio: int, entidad: str | None = None) -> str:
    filtro_entidad = f"&entidad={entidad}" if entidad else ""
    return dash.get_relative_path(
        f"/descargas/presupuesto.csv?anio={int(anio)}&clasificacion=objeto_gasto{filtro_entidad}"
    )
