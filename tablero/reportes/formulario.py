"""Formulario de reporte ciudadano en ``/estacionamientos`` (componentes y acciones).

Los callbacks de la página solo pasan los valores del formulario a :func:`enviar` o
:func:`sumarse`, que validan con :mod:`tablero.reportes.servicio` y devuelven el mensaje a
mostrar. El contacto nunca se repite en pantalla.
"""

from __future__ import annotations

from urllib.parse import quote

from dash import dcc, html

from tablero.reportes import fichas, fotos, servicio, web
from tablero.reportes.servicio import ESTADOS, TIPOS, TIPOS_CAJON, ErrorReporte

PREFIJO = "reportar"
ID = {
    n: f"{PREFIJO}-{n}"
    for n in (
        "tipo",
        "descripcion",
        "contacto",
        "latitud",
        "longitud",
        "enviar",
        "resultado",
        "similar",
        "sumarse",
        "lugar",
        "punto",
        "fotos",
    )
}
#: Id del título del formulario: recibe el foco al elegir un espacio con el teclado.
ID_TITULO = "reportar"


def seccion(espacio: str | None) -> html.Section:
    """Sección "Reportar un problema": tipo, descripción, contacto opcional y lugar."""
    return html.Section(
        [
            html.H2("Reportar un problema", id=ID_TITULO, tabIndex=-1),
            html.P(
                "Si un espacio está ocupado sin permiso, dañado, sin señalización u obstruido, o si "
                "falta un cajón, repórtelo. Recibirá un folio para seguir la atención de la "
                "autoridad.",
            ),
            html.P(lugar(espacio), id=ID["lugar"], role="status"),
            html.Fieldset(
                [
                    html.Legend("Tipo de problema"),
                    dcc.RadioItems(
                        id=ID["tipo"],
                        options=[
                            # los de un cajón o un punto (no los de obras y escuelas)
                            {"label": nombre, "value": clave}
                            for clave, nombre in TIPOS_CAJON.items()
                        ],
                        value=None,
                        className="opciones-reporte",
                    ),
                ],
            ),
            html.Label("Describa el problema (máximo 1,000 caracteres)", htmlFor=ID["descripcion"]),
            dcc.Textarea(
                id=ID["descripcion"],
                maxLength=servicio.LARGO_DESCRIPCION,
                rows=4,
                className="campo-texto",
            ),
            html.Label(
                "Correo o teléfono (opcional; nunca se publica, solo lo ve la autoridad)",
                htmlFor=ID["contacto"],
            ),
            dcc.Input(
                id=ID["contacto"], type="text", autoComplete="email", className="campo-texto"
            ),
            html.Details(
                [
                    html.Summary("¿Falta un cajón donde no hay ninguno? Indique el punto"),
                    html.P(
                        "Sin un espacio elegido, escriba la latitud y longitud del lugar (por "
                        "ejemplo 17.0606 y -96.7266)."
                    ),
                    html.Label("Latitud", htmlFor=ID["latitud"]),
                    dcc.Input(id=ID["latitud"], type="text", inputMode="decimal"),
                    html.Label("Longitud", htmlFor=ID["longitud"]),
                    dcc.Input(id=ID["longitud"], type="text", inputMode="decimal"),
                ],
                id=ID["punto"],
                open=not espacio,
            ),
            html.P(enlace_fotos(espacio), id=ID["fotos"], className="reportar-con-fotos"),
            html.Button("Enviar reporte", id=ID["enviar"], type="button", className="boton"),
            dcc.Store(id=ID["similar"], data=""),
            html.Div(id=ID["resultado"], role="status", **{"aria-live": "polite"}),
        ],
        className="formulario-reporte",
        **{"aria-labelledby": ID_TITULO},
    )


def lugar(espacio: str | None) -> str:
    """Texto que dice sobre qué lugar se va a reportar."""
    if espacio:
        return f"Reportará el espacio {espacio} (elegido en el mapa o la tabla)."
    return "Ningún espacio elegido: elija uno en el mapa o la tabla, o indique el punto abajo."


def enlace_fotos(espacio: str | None) -> list:
    """Cómo enviar fotos: este formulario no las lleva; el de ``/reportar`` sí (mismas reglas).

    Las fotos (hasta 5 MB cada una) no viajan bien en un callback de Dash: el formulario HTML
    de ``/reportar`` las envía como archivos y las valida con :mod:`tablero.reportes.fotos`.
    """
    reglas = (
        f"hasta {fotos.MAXIMO_FOTOS}, JPEG, PNG o WebP de hasta "
        f"{fotos.MAXIMO_BYTES // 1024 // 1024} MB cada una"
    )
    if not espacio:
        return [f"¿Quiere enviar fotos ({reglas})? Elija primero un espacio en el mapa o la tabla."]
    return [
        f"¿Quiere enviar fotos ({reglas})? Este formulario no las lleva: ",
        dcc.Link(
            f"reporte el espacio {espacio} con fotos",
            href=f"/reportar?{fichas.PARAMETRO['cajon']}={quote(espacio, safe='')}",
        ),
        ".",
    ]


def enviar(espacio, tipo, descripcion, contacto, latitud, longitud) -> tuple[list, str]:
    """Valida y registra el reporte; devuelve ``(mensaje, folio_similar)``.

    Si el espacio ya tiene un reporte abierto del mismo tipo no se duplica: se muestra ese
    reporte y se ofrece sumarse a él.
    """
    datos = {"tipo": tipo, "descripcion": descripcion or "", "contacto": contacto or None}
    if espacio:
        datos["estacionamiento_id"] = espacio
    else:
        datos["latitud"], datos["longitud"] = _numero(latitud), _numero(longitud)
    sesion = web.sesion()
    try:
        campos = servicio.validar(datos, web.cajones_publicados())
        similar = servicio.abierto_similar(sesion, campos["estacionamiento_id"], campos["tipo"])
        if similar is not None:
            return _similar(similar), similar.folio
        reporte = servicio.crear(sesion, campos, web.cliente(), web.limite_por_hora())
    except ErrorReporte as error:
        return [html.P(error.mensaje, className="mensaje-error", role="alert")], ""
    return _recibido(reporte.folio, "Recibimos su reporte."), ""


def sumarse(folio, descripcion, contacto) -> list:
    """Suma al ciudadano al reporte abierto ``folio``."""
    try:
        reporte = web.sumarse(folio, descripcion, contacto)
    except ErrorReporte as error:
        return [html.P(error.mensaje, className="mensaje-error", role="alert")]
    return _recibido(reporte.folio, "Se sumó al reporte existente.")


def _recibido(folio: str, texto: str) -> list:
    return [
        html.P([texto, " Su folio es ", html.Strong(folio), "."], className="mensaje-ok"),
        html.P(
            [
                "Guárdelo para seguir la atención: ",
                dcc.Link(f"ver el reporte {folio}", href=f"/reporte?folio={folio}"),
                ".",
            ]
        ),
    ]


def _similar(reporte) -> list:
    return [
        html.P(
            [
                "Este espacio ya tiene un reporte abierto del mismo tipo: ",
                dcc.Link(reporte.folio, href=f"/reporte?folio={reporte.folio}"),
                f" ({ESTADOS[reporte.estado]}, {TIPOS[reporte.tipo]}). ",
                "En lugar de duplicarlo, puede sumarse a él con su descripción.",
            ]
        ),
        html.Button("Sumarme a ese reporte", id=ID["sumarse"], type="button", className="boton"),
    ]


def _numero(texto) -> float | None:
    try:
        return float(str(texto).replace(",", "."))
    except (TypeError, ValueError):
        return None
