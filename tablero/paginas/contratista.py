"""Página de un contratista: ``/contratista?nombre=<razón social>`` (o ``?rfc=<RFC>``).

Todas las obras del contratista a través de municipios y años: cuántas, dónde, cuánto se
aprobó, ejerció y pagó, qué parte se adjudicó directamente, cuáles tienen alertas, sobregiro
o retraso, y cada obra con el enlace a su ficha en ``/obras``. Un nombre que no está en los
datos da un aviso con el camino de vuelta a ``/obras``. La lógica está en
:mod:`capas.contratistas`; esta página solo pinta.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from capas import contratistas
from tablero import paginado, respuestas, tablas
from tablero.componentes import titulo_pagina
from tablero.datos import datos_servidos
from tablero.figuras import contratista as figuras

dash.register_page(
    __name__,
    path=figuras.RUTA,
    name="Contratista",
    title=titulo_pagina("Contratista"),
    order=91,
    en_menu=False,
)

PAGINA = "contratista"
ID = {nombre: f"{PAGINA}-{nombre}" for nombre in ("obras", "descarga", "version", "nombres")}
#: Filas por página de la tabla de obras del contratista.
FILAS_POR_PAGINA = 20
#: Las obras del contratista se sirven por bloques (orden en ``capas.paginado``).
TABLA = paginado.TablaServida(
    PAGINA,
    leer=contratistas.leer_obras,
    filas=figuras.filas_obras,
    directas=("municipio", "anio", "folio", "nombre", "monto_aprobado", "monto_ejercido"),
    derivadas=("tipo_adjudicacion", "alertas", "sobregiro", "retraso"),
    columnas_texto=("municipio", "folio", "nombre", "adjudicacion", "alertas", "sobregiro_retraso"),
)


def _filtros(_datos, valores: dict) -> dict:
    """Las razones sociales del contratista (el ``dcc.Store`` de la página) como filtro."""
    nombres = valores.get("nombres")
    nombres = nombres if isinstance(nombres, list) else []
    return {"nombres": tuple(n for n in nombres if isinstance(n, str))}


bloque_tabla = paginado.conectar(
    TABLA,
    ID["obras"],
    id_version=ID["version"],
    controles={"nombres": (ID["nombres"], "data")},
    filtros=_filtros,
)


@respuestas.pura
def layout(nombre: str | None = None, rfc: str | None = None, **_parametros) -> html.Div:
    """Resumen y obras del contratista de la URL (o el aviso de que no existe)."""
    datos = datos_servidos()
    if datos is None:
        return _pagina("Contratista", [html.P("Todavía no hay datos publicados en este tablero.")])
    if not datos.version.tiene("obras"):
        return _pagina(
            "Contratista", [html.P("Esta versión de los datos no tiene obras públicas.")]
        )
    nombre, rfc = _uno(nombre), _uno(rfc)
    consulta = nombre if nombre and nombre.strip() else None
    buscado = contratistas.buscar(datos, nombre=consulta, rfc=rfc)
    if not buscado.nombres:
        por_rfc = consulta is None and bool(rfc)
        return _pagina("Contratista", figuras.no_encontrado(consulta or rfc, por_rfc=por_rfc))
    principal = consulta if consulta in buscado.nombres else buscado.nombres[0]
    resumen = contratistas.resumen(buscado.obras)
    obras = contratistas.obras_por_municipio_anio(buscado.obras)
    otros = [n for n in buscado.nombres if n != principal]
    filtros = {"nombres": tuple(buscado.nombres)}
    total, _ = TABLA.total_y_lugar(datos, filtros, "", tabla=obras)
    return _pagina(
        principal,
        [
            dcc.Store(id=ID["version"], data=datos.id),
            dcc.Store(id=ID["nombres"], data=list(buscado.nombres)),
            html.P(
                [
                    "Contratista de obra pública. ",
                    (
                        f"RFC: {', '.join(buscado.rfcs)}."
                        if buscado.rfcs
                        else "RFC: no publicado (solo se publica el de personas morales)."
                    ),
                    *([f" También aparece publicado como: {'; '.join(otros)}."] if otros else []),
                ],
                className="pagina__intro",
            ),
            *figuras.aviso_busqueda(buscado, consulta),
            html.H2("Resumen"),
            figuras.cifras(resumen),
            figuras.adjudicacion(resumen),
            figuras.definiciones(),
            html.H2("Sus obras por municipio y año"),
            html.P(
                "Cada obra en su reporte más reciente, por municipio y del año más reciente al "
                "más antiguo. El folio abre la ficha de la obra (montos, avance y alertas)."
            ),
            tablas.tabla(
                ID["obras"],
                figuras.COLUMNAS_OBRAS,
                [],
                descripcion=f"Obras de {principal}",
                columnas_telefono=figuras.COLUMNAS_OBRAS_TELEFONO,
                filas_por_pagina=FILAS_POR_PAGINA,
                por_bloques=True,
                total=total,
            ),
            html.P(
                [
                    html.A(
                        f"Descargar sus obras (CSV{'' if not otros else ', ' + principal})",
                        href=figuras.enlace_descarga(principal),
                        id=ID["descarga"],
                    ),
                    *[
                        html.Span([" · ", html.A(f"CSV de «{n}»", href=figuras.enlace_descarga(n))])
                        for n in otros
                    ],
                ],
                className="descarga-contratista",
            ),
        ],
    )


def _uno(valor) -> str | None:
    """Un parámetro de la URL: el primero si vino repetido (``?nombre=a&nombre=b``)."""
    if isinstance(valor, list | tuple):
        valor = valor[0] if valor else None
    return None if valor is None else str(valor)


def _pagina(titulo: str, contenido: list) -> html.Div:
    return html.Div(
        [figuras.migas(titulo), html.H1(titulo), *contenido],
        className="pagina pagina-contratista",
    )
