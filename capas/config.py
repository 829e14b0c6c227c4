"""Configuración de las capas en un solo lugar: umbrales, textos, iconos y colores.

Todo lo que la página de metodología muestra sale de aquí (no hay una segunda copia de los
números). Los umbrales son fracciones (0.90 = 90 %, 0.25 = 25 puntos porcentuales).

Para cambiar un umbral se construye otro :class:`Umbrales` y se pasa a las funciones que lo
reciben (``umbrales=``); los valores por omisión son los de ``INDICADORES.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

# --------------------------------------------------------------------------------------
# Umbrales
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Umbrales:
    """Umbrales de los semáforos y de las alertas de obra (fracciones, no porcentajes)."""

    gasto_verde: float = 0.90
    gasto_amarillo: float = 0.70
    gasto_sobregiro: float = 1.00
    cobertura_verde: float = 0.95
    cobertura_amarillo: float = 0.80
    obra_pago_sin_avance: float = 0.25
    obra_amarillo: float = 0.10
    obra_sobrecosto: float = 0.10
    tolerancia: float = 1e-9


#: Umbrales por omisión (los de INDICADORES.md).
UMBRALES = Umbrales()

#: Descripción de cada umbral, para la página de metodología (una por campo de Umbrales).
DESCRIPCION_UMBRALES: dict[str, str] = {
    "gasto_verde": "Semáforo del gasto: verde («en tiempo») cuando r = avance / esperado es "
    "al menos este valor y el avance no pasa del monto asignado.",
    "gasto_amarillo": "Semáforo del gasto: amarillo («con rezago») cuando r es al menos este "
    "valor y menor que el umbral verde; debajo de él, rojo («rezago grave»).",
    "gasto_sobregiro": "Semáforo del gasto: rojo («sobregiro») cuando el avance (monto usado / "
    "monto asignado) es mayor que este valor.",
    "cobertura_verde": "Semáforo de cobertura: verde cuando la cobertura es al menos este valor.",
    "cobertura_amarillo": "Semáforo de cobertura: amarillo cuando la cobertura es al menos este "
    "valor y menor que el umbral verde; debajo de él, rojo.",
    "obra_pago_sin_avance": "Alerta «pago sin avance»: el avance financiero supera al físico "
    "por más de estos puntos (fracción: 0.25 = 25 puntos).",
    "obra_amarillo": "Semáforo de obra: amarillo cuando el avance financiero supera al físico "
    "por al menos estos puntos (y no más que el umbral de «pago sin avance»).",
    "obra_sobrecosto": "Alerta «sobrecosto»: el monto ejercido o el modificado supera al "
    "aprobado en más de esta proporción (0.10 = 10 %).",
    "tolerancia": "Tolerancia numérica al comparar con los umbrales (evita que un redondeo "
    "de la computadora cambie un semáforo).",
}

# --------------------------------------------------------------------------------------
# Luces del semáforo: color (apto para daltonismo), icono y texto
# --------------------------------------------------------------------------------------

#: Valores posibles de toda columna ``semaforo*``.
LUCES = ("verde", "amarillo", "rojo", "gris")


@dataclass(frozen=True)
class Luz:
    """Presentación de una luz: el color nunca va solo (icono y texto también)."""

    valor: str
    color: str
    color_texto: str
    icono: str
    nombre_icono: str


#: Paleta probada con simulación de deuteranopía y protanopía (Machado et al. 2009): todas
#: las parejas quedan a ΔE76 > 35. Verde azulado oscuro, amarillo de Okabe-Ito, rojo
#: bermellón de Paul Tol y gris claro. ``color_texto`` da contraste ≥ 4.5:1 sobre el color.
PALETA: dict[str, Luz] = {
    "verde": Luz("verde", "#117A65", "#FFFFFF", "✔", "palomita"),
    "amarillo": Luz("amarillo", "#F0E442", "#000000", "▲", "triángulo de advertencia"),
    "rojo": Luz("rojo", "#CC3311", "#FFFFFF", "✖", "tache"),
    "gris": Luz("gris", "#DDDDDD", "#000000", "?", "signo de interrogación"),
}

#: Borde de los símbolos en mapas y leyendas (contraste 3:1 de los colores claros con el fondo).
COLOR_BORDE = "#333333"

#: Texto de "sin dato" en toda la interfaz.
SIN_DATO = "sin dato"

#: Etiquetas del semáforo del gasto. El rojo tiene dos: rezago grave o sobregiro.
ETIQUETAS_GASTO: dict[str, str] = {
    "en_tiempo": "en tiempo",
    "con_rezago": "con rezago",
    "rezago_grave": "rezago grave",
    "sobregiro": "sobregiro",
    "sin_dato": SIN_DATO,
}

#: Etiquetas del semáforo de cobertura, por luz.
ETIQUETAS_COBERTURA: dict[str, str] = {
    "verde": "cobertura alta",
    "amarillo": "cobertura media",
    "rojo": "cobertura baja",
    "gris": SIN_DATO,
}

#: Etiquetas del semáforo de una obra, por luz.
ETIQUETAS_OBRA: dict[str, str] = {
    "verde": "sin alertas graves",
    "amarillo": "vigilar",
    "rojo": "con alerta",
    "gris": SIN_DATO,
}

# --------------------------------------------------------------------------------------
# Presupuesto
# --------------------------------------------------------------------------------------

#: Etapas del gasto que cuentan como avance, en orden de preferencia.
ETAPAS_AVANCE = ("comprobado", "ejercido", "devengado")
#: Etapas que sirven de base (monto asignado), en orden de preferencia.
ETAPAS_BASE = ("modificado", "aprobado")

#: Nombre de cada etapa para los textos.
NOMBRES_ETAPAS: dict[str, str] = {
    "aprobado": "aprobado",
    "modificado": "modificado",
    "comprometido": "comprometido",
    "devengado": "devengado",
    "ejercido": "ejercido",
    "pagado": "pagado",
    "comprobado": "comprobado",
}

#: Líneas del programa de uniformes y útiles: el nombre del programa (en minúsculas, sin
#: acentos) debe contener alguna de estas palabras. Las columnas de presupuesto de la capa
#: municipios y el indicador 2 usan solo esas líneas.
PROGRAMA_ESCOLAR = re.compile(r"uniforme|utiles")

# --------------------------------------------------------------------------------------
# Escuelas y matrícula
# --------------------------------------------------------------------------------------

#: Niveles de educación básica del programa.
NIVELES_BASICA = ("PREESCOLAR", "PRIMARIA", "SECUNDARIA")

#: Lectura en palabras de las variaciones (indicadores 5 y 6): (menor que 1, igual, mayor).
LECTURA_VARIACION: dict[str, tuple[str, str, str]] = {
    "desercion": (
        "menos deserción que el ciclo anterior (mejoró)",
        "la misma deserción que el ciclo anterior",
        "más deserción que el ciclo anterior (empeoró)",
    ),
    "aprobacion": (
        "menos aprobación que el ciclo anterior (empeoró)",
        "la misma aprobación que el ciclo anterior",
        "más aprobación que el ciclo anterior (mejoró)",
    ),
}

# --------------------------------------------------------------------------------------
# Obras
# --------------------------------------------------------------------------------------

#: Estatus publicados (en minúsculas, sin acentos) que significan "obra terminada".
ESTATUS_TERMINADO = frozenset(
    {"terminado", "terminada", "concluido", "concluida", "finalizado", "finalizada", "cerrado"}
)

#: Tipo de adjudicación directa (en minúsculas, sin acentos).
ADJUDICACION_DIRECTA = "adjudicacion directa"


@dataclass(frozen=True)
class ReglaAlerta:
    """Una alerta de obra: código, título corto, regla en palabras y plantilla del mensaje."""

    codigo: str
    titulo: str
    regla: str
    plantilla: str
    roja: bool = False


#: Las ocho alertas de obra, en el orden en que se muestran. Las plantillas se llenan con los
#: números de la obra ya formateados (porcentajes con " %", montos en pesos).
ALERTAS: tuple[ReglaAlerta, ...] = (
    ReglaAlerta(
        "pago_sin_avance",
        "Pago sin avance",
        "El avance financiero (ejercido / aprobado) supera al avance físico por más de "
        "{obra_pago_sin_avance} puntos.",
        "Se ha ejercido el {avance_financiero} del monto aprobado pero el avance físico es "
        "de {avance_fisico}: {diferencia} puntos de diferencia (el límite es {umbral}).",
        roja=True,
    ),
    ReglaAlerta(
        "sobrecosto",
        "Sobrecosto",
        "El monto ejercido o el modificado supera al aprobado en más del {obra_sobrecosto}.",
        "El monto {etapa} ({monto}) supera al aprobado ({aprobado}) en {exceso} (el límite "
        "es {umbral}).",
        roja=True,
    ),
    ReglaAlerta(
        "vencida",
        "Vencida",
        "La fecha estimada de término ya pasó (a la fecha de corte) y el avance físico es "
        "menor que 100 %.",
        "Debía terminar el {fecha_termino} y al {fecha_referencia} su avance físico es de "
        "{avance_fisico}.",
        roja=True,
    ),
    ReglaAlerta(
        "avance_invalido",
        "Avance inválido",
        "El avance físico publicado está fuera de 0–100 %.",
        "El avance físico publicado es de {avance_fisico}, fuera del rango de 0 a 100 %.",
    ),
    ReglaAlerta(
        "terminada_sin_estatus",
        "Terminada sin estatus",
        "El avance físico es 100 % y el estatus publicado no es de obra terminada.",
        "Tiene avance físico de 100 % pero su estatus publicado es «{estatus}».",
    ),
    ReglaAlerta(
        "folio_duplicado",
        "Folio duplicado",
        "El mismo folio aparece más de una vez en un mismo reporte trimestral.",
        "El folio {folio} aparece {veces} veces en el reporte {reporte}.",
    ),
    ReglaAlerta(
        "fuera_de_municipio",
        "Fuera de su municipio",
        "Las coordenadas caen en un municipio distinto del declarado.",
        "Se declaró en el municipio {declarado} pero sus coordenadas caen en {coordenadas}.",
    ),
    ReglaAlerta(
        "sin_georreferencia",
        "Sin georreferencia",
        "No tiene coordenadas utilizables (faltan o caen fuera de la entidad).",
        "No tiene coordenadas utilizables: {motivo}.",
    ),
)

#: Códigos de alerta en orden.
CODIGOS_ALERTA = tuple(regla.codigo for regla in ALERTAS)
#: Valores del filtro de alertas además de los códigos: obras con alguna alerta, sin ninguna.
ALERTA_CUALQUIERA = "cualquiera"
ALERTA_NINGUNA = "ninguna"
#: Alertas que ponen el semáforo de la obra en rojo.
ALERTAS_ROJAS = tuple(regla.codigo for regla in ALERTAS if regla.roja)

# --------------------------------------------------------------------------------------
# Estacionamientos
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EstadoCajon:
    """Estado de un cajón de estacionamiento: etiqueta, color e icono."""

    valor: str
    etiqueta: str
    color: str
    icono: str


#: Estados publicados de los cajones, en orden de la leyenda (colores de Okabe-Ito).
ESTADOS_ESTACIONAMIENTO: tuple[EstadoCajon, ...] = (
    EstadoCajon("bueno", "En buen estado", "#009E73", "✔"),
    EstadoCajon("requiere_rehabilitacion", "Requiere rehabilitación", "#D55E00", "✖"),
    EstadoCajon("en_rehabilitacion", "En rehabilitación", "#E69F00", "▲"),
    EstadoCajon("rehabilitado", "Rehabilitado", "#0072B2", "★"),
    EstadoCajon("propuesto", "Propuesto", "#CC79A7", "◆"),
)

# --------------------------------------------------------------------------------------
# Calidad de los datos
# --------------------------------------------------------------------------------------

#: Problemas de calidad que resume cada versión: código -> descripción.
PROBLEMAS_CALIDAD: dict[str, str] = {
    "cobertura_mayor_100_escuelas": "Escuelas con cobertura mayor que 100 % (más alumnos "
    "atendidos que inscritos)",
    "cobertura_mayor_100_municipios": "Municipios con cobertura mayor que 100 %",
    "escuelas_fuera_de_municipio": "Escuelas cuyas coordenadas caen en otro municipio que el "
    "declarado",
    "escuelas_sin_georreferencia": "Escuelas sin coordenadas utilizables (se usa el municipio "
    "declarado)",
    "curp_en_varias_escuelas": "Alumnos (CURP) que aparecen en el padrón de más de una escuela",
    "padron_fuera_del_programa": "Escuelas del padrón que no son escuelas públicas de básica "
    "del catálogo (no cuentan para la cobertura)",
    "presupuesto_sobregiro": "Líneas de presupuesto con sobregiro (avance mayor que el monto "
    "asignado)",
}


#: Reglas de cálculo que la página de metodología explica además de las definiciones.
NOTAS_METODOLOGIA: dict[str, str] = {
    "alcance": "Los indicadores del programa cuentan solo escuelas públicas de preescolar, "
    "primaria y secundaria del catálogo de la SEP.",
    "municipio_escuela": "Una escuela pertenece al municipio donde caen sus coordenadas; si "
    "faltan o caen fuera de la entidad, al municipio declarado en el catálogo.",
    "alumnos_distintos": "Un alumno (CURP) que recibió beneficios en varias escuelas del mismo "
    "municipio cuenta una vez en ese municipio; en la entidad cuenta una vez en total.",
    "sin_dato": "Una división entre cero o un dato faltante se publica vacía («sin dato»), "
    "nunca como 0 ni infinito. Un municipio con escuelas y sin beneficiarios tiene cobertura "
    "0; uno sin escuelas, sin dato. Un ciclo sin padrón cargado no tiene alumnos atendidos.",
    "variacion": "La variación compara con el ciclo inmediato anterior; el primer ciclo no "
    "tiene variación.",
    "anio": "El año de un ciclo escolar es el de su inicio (2024 = 2024-2025) y se compara con "
    "el ejercicio fiscal de ese año.",
    "gasto_agregado": "En un municipio o en la entidad cada línea de presupuesto aporta su "
    "propio avance (comprobado, si no ejercido, si no devengado) y su propio monto asignado "
    "(modificado, si no aprobado); las líneas sin alguno de los dos no cuentan. La entidad "
    "suma todas las líneas del programa, municipales y estatales. La eficacia divide las "
    "sumas del ejercido y del aprobado publicados.",
    "sin_doble_conteo": "Capítulos, conceptos y total de la Cuenta Pública son el mismo "
    "dinero desglosado, y las clasificaciones por objeto del gasto y por dependencia son dos "
    "repartos del mismo total: cada suma usa una sola clasificación y un solo nivel (el total "
    "si se publicó; si no, los capítulos).",
    "presupuesto_aprobado": "Un archivo de presupuesto aprobado (el devengado repite el "
    "aprobado en un año que no ha cerrado, o el archivo se llama «aprobado») no dice cuánto "
    "se gastó: su devengado se deja vacío y su semáforo queda sin dato.",
    "esperado": "El gasto esperado es la fracción del año fiscal transcurrida a la fecha de "
    "corte, contando días (30 de septiembre = 273 / 365); 1 con el año cerrado.",
    "obra_actual": "El estado de una obra es su último reporte trimestral; al filtrar por año, "
    "su último reporte de ese año, y una obra está vencida si su término estimado es anterior "
    "a la fecha de corte (o al 31 de diciembre de ese año).",
    "municipio_obra": "Una obra pertenece al municipio declarado como responsable; si falta, "
    "al de sus coordenadas.",
}


@dataclass(frozen=True)
class Indicador:
    """Uno de los seis indicadores del programa: número, nombre, definición y dónde se publica."""

    numero: int
    nombre: str
    definicion: str
    formula: str
    #: ``capa.columna`` de las descargas donde se publica (vacío si solo se ve en pantalla).
    columnas: tuple[str, ...] = ()


#: Los seis indicadores del programa de uniformes y útiles (Plan de Acción), en orden.
INDICADORES: tuple[Indicador, ...] = (
    Indicador(
        1,
        "Cobertura estatal",
        "Alumnos distintos que recibieron uniforme o útiles en la entidad entre los alumnos "
        "inscritos en las escuelas públicas de educación básica de la entidad.",
        "alumnos atendidos / alumnos inscritos",
    ),
    Indicador(
        2,
        "Eficacia presupuestal",
        "Presupuesto ejercido del programa entre el presupuesto aprobado en el presupuesto de "
        "egresos. Si hay presupuesto modificado, también se muestra ejercido / modificado.",
        "presupuesto ejercido / presupuesto aprobado",
        ("municipios.eficacia", "municipios.eficacia_modificado", "presupuesto.eficacia"),
    ),
    Indicador(
        3,
        "Cobertura municipal",
        "Igual que la cobertura estatal, para las escuelas ubicadas en un municipio.",
        "alumnos atendidos / alumnos inscritos (escuelas del municipio)",
        ("municipios.cobertura",),
    ),
    Indicador(
        4,
        "Cobertura por escuela",
        "Igual que la cobertura estatal, para una escuela.",
        "alumnos atendidos / alumnos inscritos (una escuela)",
        ("escuelas.cobertura",),
    ),
    Indicador(
        5,
        "Deserción (variación)",
        "Tasa de deserción del ciclo entre la del ciclo anterior. La tasa de deserción es la "
        "parte de los inscritos al inicio que ya no estaba al final del ciclo.",
        "deserción del ciclo / deserción del ciclo anterior, con deserción = (inscritos − "
        "existencia) / inscritos",
        ("municipios.desercion_variacion", "escuelas.desercion_variacion"),
    ),
    Indicador(
        6,
        "Aprovechamiento (variación)",
        "Tasa de aprobación del ciclo entre la del ciclo anterior. La tasa de aprobación es la "
        "parte de los alumnos que terminaron el ciclo que lo aprobó.",
        "aprobación del ciclo / aprobación del ciclo anterior, con aprobación = aprobados / "
        "existencia",
        ("municipios.aprobacion_variacion", "escuelas.aprobacion_variacion"),
    ),
)


def problema_calidad_obra(codigo: str) -> str:
    """Descripción del problema de calidad «obras con la alerta ``codigo``»."""
    regla = next(r for r in ALERTAS if r.codigo == codigo)
    return f"Obras con la alerta «{regla.titulo}»"


def metodologia(umbrales: Umbrales = UMBRALES) -> dict:
    """Todo lo que documenta la página de metodología, con los umbrales en vigor.

    Returns
    -------
    dict
        ``umbrales`` (nombre, valor, descripción), ``luces``, ``etiquetas_gasto``,
        ``etiquetas_cobertura``, ``etiquetas_obra``, ``etapas_avance``, ``etapas_base``,
        ``alertas`` (con la regla ya llenada con los umbrales), ``estados_estacionamiento`` y
        ``notas`` (reglas de cálculo en palabras) e
        ``indicadores`` (los seis, :data:`INDICADORES`).
    """
    valores = {f.name: getattr(umbrales, f.name) for f in fields(umbrales)}
    en_texto = {
        "obra_pago_sin_avance": f"{valores['obra_pago_sin_avance'] * 100:g}",
        "obra_sobrecosto": f"{valores['obra_sobrecosto'] * 100:g} %",
    }
    return {
        "umbrales": [
            {"nombre": nombre, "valor": valor, "descripcion": DESCRIPCION_UMBRALES[nombre]}
            for nombre, valor in valores.items()
        ],
        "luces": [PALETA[luz] for luz in LUCES],
        "etiquetas_gasto": dict(ETIQUETAS_GASTO),
        "etiquetas_cobertura": dict(ETIQUETAS_COBERTURA),
        "etiquetas_obra": dict(ETIQUETAS_OBRA),
        "etapas_avance": ETAPAS_AVANCE,
        "etapas_base": ETAPAS_BASE,
        "alertas": [
            {
                "codigo": r.codigo,
                "titulo": r.titulo,
                "regla": r.regla.format(**en_texto),
                "roja": r.roja,
            }
            for r in ALERTAS
        ],
        "estados_estacionamiento": list(ESTADOS_ESTACIONAMIENTO),
        "notas": dict(NOTAS_METODOLOGIA),
        "indicadores": list(INDICADORES),
    }


__all__ = [
    "ADJUDICACION_DIRECTA",
    "ALERTA_CUALQUIERA",
    "ALERTA_NINGUNA",
    "ALERTAS",
    "ALERTAS_ROJAS",
    "CODIGOS_ALERTA",
    "COLOR_BORDE",
    "DESCRIPCION_UMBRALES",
    "ESTADOS_ESTACIONAMIENTO",
    "ESTATUS_TERMINADO",
    "ETAPAS_AVANCE",
    "ETAPAS_BASE",
    "ETIQUETAS_COBERTURA",
    "ETIQUETAS_GASTO",
    "ETIQUETAS_OBRA",
    "INDICADORES",
    "LECTURA_VARIACION",
    "LUCES",
    "NIVELES_BASICA",
    "NOMBRES_ETAPAS",
    "NOTAS_METODOLOGIA",
    "PALETA",
    "PROBLEMAS_CALIDAD",
    "PROGRAMA_ESCOLAR",
    "SIN_DATO",
    "UMBRALES",
    "EstadoCajon",
    "Indicador",
    "Luz",
    "ReglaAlerta",
    "Umbrales",
    "metodologia",
    "problema_calidad_obra",
]
