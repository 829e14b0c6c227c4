"""Reportes ciudadanos en las fichas de obras y escuelas y en el perfil del municipio.

Bloques aislados que las páginas llaman en una línea: :func:`reportes_de_la_ficha` (los
reportes del objeto, sus respuestas y el formulario para reportar), :func:`bloque_escuela`
con :func:`conectar_escuelas` (la escuela buscada en ``/escuelas``) y
:func:`reportes_del_municipio`. El formulario es HTML simple (``POST /reportar``, con fotos):
funciona sin JavaScript y el servidor responde con la página de seguimiento del folio.
"""

from __future__ import annotations

from dash import Input, Output, callback, dcc, html

from tablero.formato import fecha_larga
from tablero.reportes import correo, fotos, servicio
from tablero.reportes.servicio import ABIERTOS, ESTADOS, NOMBRES_OBJETO, TIPOS, TIPOS_POR_OBJETO

#: Reportes que se listan en una ficha (los demás, en la página de seguimiento).
MAXIMO_EN_FICHA = 10
#: Parámetro de ``/reporte`` que lista los reportes de cada clase de objeto.
PARAMETRO = {"cajon": "estacionamiento", "obra": "obra", "escuela": "escuela"}
#: Página del objeto, a la que vuelve el formulario.
PAGINA = {
    "obra": "/obras?folio={}",
    "escuela": "/escuelas?buscar={}",
    "cajon": "/estacionamientos?espacio={}",
}


def reportes_de_la_ficha(objeto: str, id_objeto: str, nombre: str | None = None) -> html.Section:
    """Reportes de una obra o escuela (abiertos primero, con respuestas) y el formulario.

    Si la base de reportes no responde, la ficha se muestra igual con un aviso.
    """
    from tablero.reportes import web

    titulo = f"reportes-{objeto}-titulo"
    try:
        reportes = servicio.reportes_publicos(web.sesion(), objeto=objeto, objeto_id=id_objeto)
    except Exception:  # noqa: BLE001 - la ficha no se cae por la base de reportes
        reportes = None
    abiertos = [r for r in reportes or [] if r["estado"] in ABIERTOS]
    cerrados = [r for r in reportes or [] if r["estado"] not in ABIERTOS]
    if reportes is None:
        resumen = html.P("Los reportes ciudadanos no están disponibles en este momento.")
    elif not reportes:
        resumen = html.P(f"Nadie ha reportado problemas en esta {NOMBRES_OBJETO[objeto]}.")
    else:
        resumen = html.P(
            f"{_cuantos(len(abiertos), 'reporte abierto', 'reportes abiertos')} y "
            f"{_cuantos(len(cerrados), 'cerrado', 'cerrados')}."
        )
    lista = (abiertos + cerrados)[:MAXIMO_EN_FICHA]
    return html.Section(
        [
            html.H3("Reportes ciudadanos", id=titulo),
            resumen,
            html.Ul([_elemento(r) for r in lista], className="lista-reportes") if lista else None,
            html.P(
                dcc.Link(
                    "Ver todos los reportes y su historial",
                    href=f"/reporte?{PARAMETRO[objeto]}={id_objeto}",
                )
            )
            if len(reportes or []) > len(lista)
            else None,
            formulario(objeto, id_objeto, nombre),
        ],
        className="reportes-ficha",
        **{"aria-labelledby": titulo},
    )


def formulario(
    objeto: str,
    id_objeto: str,
    nombre: str | None = None,
    volver: str | None = None,
    nivel: int = 4,
) -> html.Form:
    """Formulario para reportar un problema del objeto (con hasta 3 fotos).

    ``volver`` es la página a la que lleva el enlace «Volver y corregir» si el envío tiene un
    error (por omisión, la página del objeto: :data:`PAGINA`); ``nivel``, el del título
    (``<h4>`` dentro de la ficha, ``<h2>`` en una página propia).

    Es un formulario HTML normal (``POST /reportar``, ``multipart/form-data``): el servidor
    responde con la página del folio. Dash no tiene un campo de archivo que se envíe con un
    formulario, así que ``assets/reportes_fotos.js`` pone el ``<input type="file">`` en el
    lugar marcado con ``data-campo-fotos``.
    """
    prefijo = f"reportar-{objeto}"
    titulo = f"{prefijo}-titulo"
    tipos = TIPOS_POR_OBJETO[objeto]
    articulo = "este" if objeto == "cajon" else "esta"
    cual = f"{articulo} {NOMBRES_OBJETO[objeto]}" + (f" ({nombre})" if nombre else "")
    return html.Form(
        [
            getattr(html, f"H{nivel}")(f"Reportar un problema en {cual}", id=titulo),
            html.P(
                "Recibirá un folio para seguir la atención de la autoridad. Su correo o "
                "teléfono es opcional y nunca se publica."
                + (
                    " Si deja su correo, le avisaremos cada vez que cambie el estado."
                    if correo.configurado()
                    else ""
                )
            ),
            dcc.Input(type="hidden", name=servicio.CAMPO_OBJETO[objeto], value=id_objeto),
            dcc.Input(
                type="hidden", name="volver", value=volver or PAGINA[objeto].format(id_objeto)
            ),
            html.Label("Tipo de problema", htmlFor=f"{prefijo}-tipo"),
            html.Select(
                [html.Option("Elija el tipo de problema", value="")]
                + [html.Option(texto, value=clave) for clave, texto in tipos.items()],
                id=f"{prefijo}-tipo",
                name="tipo",
                required=True,
                className="campo-texto",
            ),
            html.Label(
                "Describa el problema (máximo 1,000 caracteres)", htmlFor=f"{prefijo}-descripcion"
            ),
            html.Textarea(
                id=f"{prefijo}-descripcion",
                name="descripcion",
                maxLength=servicio.LARGO_DESCRIPCION,
                rows=4,
                required=True,
                className="campo-texto",
            ),
            html.Label(
                "Correo o teléfono (opcional; nunca se publica, solo lo ve la autoridad)",
                htmlFor=f"{prefijo}-contacto",
            ),
            dcc.Input(
                id=f"{prefijo}-contacto",
                name="contacto",
                type="text",
                autoComplete="email",
                maxLength=servicio.LARGO_CONTACTO,
                className="campo-texto",
            ),
            html.Label(
                f"Fotos (opcional): hasta {fotos.MAXIMO_FOTOS}, JPEG, PNG o WebP de hasta "
                f"{fotos.MAXIMO_BYTES // 1024 // 1024} MB cada una. Se les quitan los datos "
                "de ubicación y de la cámara, y se publican solo después de revisarlas.",
                htmlFor=f"{prefijo}-fotos",
            ),
            html.Div(className="campo-fotos", **{"data-campo-fotos": f"{prefijo}-fotos"}),
            html.Button("Enviar reporte", type="submit", className="boton"),
        ],
        method="post",
        action="/reportar",
        encType="multipart/form-data",
        className="formulario-reporte",
        id=prefijo,
        **{"aria-labelledby": titulo},
    )


def _elemento(reporte: dict) -> html.Li:
    """Un reporte en la ficha: folio, tipo, estado, descripción, respuesta y fotos."""
    descripcion = (
        html.Em(reporte["nota_moderacion"]) if reporte["texto_oculto"] else reporte["descripcion"]
    )
    return html.Li(
        [
            html.P(
                [
                    dcc.Link(reporte["folio"], href=f"/reporte?folio={reporte['folio']}"),
                    f" · {TIPOS[reporte['tipo']]} · ",
                    html.Strong(ESTADOS[reporte["estado"]]),
                    f" · {fecha_larga(reporte['creado'])}",
                ]
            ),
            html.P(descripcion, className="texto-ciudadano"),
            html.P(["Respuesta de la autoridad: ", reporte["respuesta"]])
            if reporte["respuesta"]
            else None,
            *fotos_publicas(reporte, miniatura=True),
        ]
    )


def fotos_publicas(reporte: dict, miniatura: bool = False) -> list:
    """Fotos aprobadas (con texto alternativo) y avisos de las ocultas o en revisión."""
    ancho = 160 if miniatura else None
    elementos: list = [
        html.A(
            html.Img(
                src=foto["url"],
                alt=f"Foto {i} enviada con el reporte {reporte['folio']}",
                width=ancho or foto["ancho"],
                height=round((ancho or foto["ancho"]) * foto["alto"] / foto["ancho"]),
                className="foto-reporte",
            ),
            href=foto["url"],
        )
        for i, foto in enumerate(reporte.get("fotos") or [], start=1)
    ]
    for oculta in reporte.get("fotos_ocultas") or []:
        elementos.append(html.P(f"Foto oculta: {oculta['nota']}", className="foto-oculta"))
    if reporte.get("fotos_en_revision"):
        elementos.append(
            html.P(
                _cuantos(reporte["fotos_en_revision"], "foto en revisión", "fotos en revisión"),
                className="foto-revision",
            )
        )
    return elementos


# --- /escuelas: la escuela buscada ---------------------------------------------------------

ID_BLOQUE_ESCUELA = "escuelas-reportes"


def bloque_escuela(buscar: str | None) -> html.Div:
    """Contenedor de los reportes de la escuela buscada (se llena al buscar una CCT)."""
    return html.Div(contenido_escuela(buscar), id=ID_BLOQUE_ESCUELA, className="ficha-reportes")


def contenido_escuela(buscar: str | None) -> list:
    """Reportes y formulario si ``buscar`` es la clave (CCT) de una escuela publicada."""
    from tablero.reportes import web

    cct = str(buscar or "").strip().upper()
    lugar = web.catalogo_publicado().lugar("escuela", cct) if cct else None
    if lugar is None:
        return [
            html.P(
                "Para ver los reportes de una escuela o reportar un problema (uniformes que no "
                "llegaron, entrega incompleta, cobros indebidos), tóquela en el mapa o escriba "
                "su clave (CCT) en la búsqueda de la tabla.",
                className="ficha__vacia",
            )
        ]
    return [
        html.H2(f"Escuela {lugar.nombre or cct} ({cct})"),
        reportes_de_la_ficha("escuela", cct, lugar.nombre),
    ]


def conectar_escuelas(id_buscar: str) -> None:
    """Al buscar una CCT en ``/escuelas`` se muestran sus reportes y el formulario."""

    @callback(
        Output(ID_BLOQUE_ESCUELA, "children"),
        Input(id_buscar, "value"),
        prevent_initial_call=True,
    )
    def reportes_de_la_escuela(buscar):
        """Búsqueda de la tabla -> reportes de esa escuela (si es una CCT publicada)."""
        return contenido_escuela(buscar)


# --- Perfil del municipio ------------------------------------------------------------------


def reportes_del_municipio(cvegeo: str) -> html.Section:
    """Cuántos reportes ciudadanos hay en el municipio, por estado y por objeto."""
    from tablero.reportes import web

    try:
        s = web.sesion()
        web.completar_municipios()  # reportes de antes del esquema 3
        por_estado = servicio.conteo_por_estado(s, cvegeo=cvegeo)
        por_objeto = {
            objeto: sum(servicio.conteo_por_estado(s, cvegeo=cvegeo, objeto=objeto).values())
            for objeto in ("obra", "escuela", "cajon", "punto")
        }
    except Exception:  # noqa: BLE001 - el perfil no se cae por la base de reportes
        por_estado, por_objeto = None, {}
    total = sum((por_estado or {}).values())
    abiertos = sum((por_estado or {}).get(e, 0) for e in ABIERTOS)
    if por_estado is None:
        cuerpo = [html.P("Los reportes ciudadanos no están disponibles en este momento.")]
    elif not total:
        cuerpo = [html.P("Todavía no hay reportes ciudadanos en este municipio.")]
    else:
        plurales = {"obra": "obras", "escuela": "escuelas", "cajon": "cajones", "punto": "puntos"}
        cuerpo = [
            html.P(
                [
                    html.Strong(_cuantos(total, "reporte ciudadano", "reportes ciudadanos")),
                    f": {_cuantos(abiertos, 'abierto', 'abiertos')} y "
                    f"{_cuantos(total - abiertos, 'cerrado', 'cerrados')}.",
                ],
                id="municipio-reportes-total",
            ),
            html.Ul(
                [html.Li(f"{ESTADOS[e]}: {por_estado[e]:,}") for e in ESTADOS if por_estado.get(e)]
                + [html.Li(f"Sobre {plurales[o]}: {n:,}") for o, n in por_objeto.items() if n]
            ),
        ]
    return html.Section(
        [
            html.H2("Reportes ciudadanos", id="municipio-reportes-titulo"),
            *cuerpo,
            html.P(
                [
                    "Cada obra y escuela tiene su formulario para reportar en su ficha. ",
                    html.A("Descargar todos los reportes (CSV)", href="/descargas/reportes.csv"),
                ]
            ),
        ],
        className="perfil-reportes",
        **{"aria-labelledby": "municipio-reportes-titulo"},
    )


def _cuantos(n: int, singular: str, plural: str) -> str:
    return f"{n:,} {singular if n == 1 else plural}"
