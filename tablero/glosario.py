"""Glosario: los términos técnicos del tablero explicados en lenguaje llano.

Los textos viven aquí, en un solo lugar, y cada página los muestra junto al término con
:func:`ayuda`: un ``<details>`` cuyo ``<summary>`` («¿Qué es…?») se abre con el teclado
(Tab y Enter o Espacio), con el dedo o con el ratón, sin JavaScript. El lector de pantalla
anuncia si está abierto o cerrado.
"""

from __future__ import annotations

from dataclasses import dataclass

from dash import html


@dataclass(frozen=True)
class Termino:
    """Un término del glosario: la pregunta del botón y la explicación corta."""

    pregunta: str
    explicacion: str


#: Términos técnicos por clave.
GLOSARIO: dict[str, Termino] = {
    "eficacia": Termino(
        "¿Qué es la eficacia presupuestal?",
        "Qué parte del dinero aprobado para el programa ya se gastó: lo ejercido dividido "
        "entre lo aprobado. 80 % quiere decir que de cada 100 pesos aprobados ya se gastaron 80.",
    ),
    "semaforo_gasto": Termino(
        "¿Cómo se lee el semáforo del gasto?",
        "Compara lo gastado con lo que se esperaba haber gastado a la fecha de corte (la parte "
        "del año que ya pasó). Verde: va en tiempo. Amarillo: va con rezago. Rojo: rezago "
        "grave, o sobregiro (se gastó más de lo asignado). Gris: sin dato.",
    ),
    "sobregiro": Termino(
        "¿Qué es un sobregiro?",
        "Cuando lo gastado es mayor que el monto asignado (el modificado o, si no lo hay, el "
        "aprobado). Puede ser un error en los datos publicados o un gasto de más.",
    ),
    "formula": Termino(
        "¿Cómo se leen las divisiones?",
        "«Ejercido / aprobado» quiere decir lo ejercido dividido entre lo aprobado. El "
        "resultado se muestra como porcentaje: 50 % es la mitad.",
    ),
    "clave_inegi": Termino(
        "¿Qué es la clave INEGI?",
        "El número con que el INEGI identifica a cada municipio: 20 es Oaxaca y los tres "
        "dígitos siguientes, el municipio. Sirve para buscarlo en otras bases de datos.",
    ),
    "cobertura": Termino(
        "¿Qué es la cobertura?",
        "De cada 100 alumnos inscritos en escuelas públicas de educación básica, cuántos "
        "recibieron uniformes o útiles escolares del programa.",
    ),
    "semaforo_cobertura": Termino(
        "¿Cómo se lee el semáforo de cobertura?",
        "Verde: cobertura alta (95 % o más). Amarillo: media (80 % a 95 %). Rojo: baja (menos "
        "de 80 %). Gris: sin dato. Cada luz lleva también un icono y su texto.",
    ),
    "semaforo_obra": Termino(
        "¿Cómo se lee el semáforo de una obra?",
        "Rojo («con alerta»): tiene una alerta grave (pago sin avance, sobrecosto o vencida). "
        "Amarillo («vigilar»): se ha pagado bastante más de lo que avanza. Verde («sin alertas "
        "graves»): ninguna alerta grave, aunque puede tener alertas leves, como no tener "
        "coordenadas. Gris: sin dato para comparar.",
    ),
    "alerta": Termino(
        "¿Qué es una alerta de obra?",
        "Una señal de que algo en los datos de la obra merece revisarse. Hay ocho; tres son "
        "graves (pago sin avance, sobrecosto y vencida) y ponen su semáforo en rojo. Las demás "
        "son leves (p. ej. sin georreferencia). «Con alguna alerta» cuenta las graves y las "
        "leves.",
    ),
    "variacion": Termino(
        "¿Qué es la variación?",
        "La tasa de este ciclo dividida entre la del ciclo anterior: 1 es igual, menos de 1 "
        "quiere decir que bajó y más de 1 que subió.",
    ),
}


def explicacion(clave: str) -> str:
    """El texto de un término (``KeyError`` si no está en :data:`GLOSARIO`)."""
    return GLOSARIO[clave].explicacion


def ayuda(clave: str) -> html.Details:
    """El término explicado, desplegable: «¿Qué es…?» y la explicación al abrirlo.

    Parameters
    ----------
    clave
        Clave de :data:`GLOSARIO` (``"eficacia"``, ``"clave_inegi"``...).
    """
    termino = GLOSARIO[clave]
    return html.Details(
        [
            html.Summary(
                [
                    html.Span("?", className="glosario__icono", **{"aria-hidden": "true"}),
                    " ",
                    termino.pregunta,
                ],
                className="glosario__pregunta",
            ),
            html.P(termino.explicacion, className="glosario__texto"),
        ],
        className="glosario",
        **{"data-termino": clave},
    )
