"""Presupuesto por capítulo del objeto del gasto: ¿en qué se gastó el dinero?

De la capa ``presupuesto`` se toman las líneas de la clasificación por objeto del gasto
(``objeto_gasto``) de un año y una zona: la entidad (``cvegeo`` vacío) o un municipio. Cada
capítulo (nivel ``capitulo``: servicios personales, transferencias...) es una fila; el total
es la línea de nivel ``total`` (``COGTOT``) si se publicó y, si no, la suma de los capítulos.
Capítulos, conceptos y total son el mismo dinero desglosado: nunca se suman juntos (ver
:func:`capas.gasto.lineas_sumables`).

Monto ejercido: el ``ejercido`` si el año lo publica; si no, el ``devengado``. Un archivo de
presupuesto aprobado guarda el devengado vacío (aún no hay ejercicio): el año se marca
como :attr:`PresupuestoCapitulos.solo_aprobado`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from almacen.versiones import Version
from capas.gasto import PREFERENCIA_FUENTE, entidad_de_lineas
from capas.lectura import DatosVersion, datos_de
from capas.numeros import a_fecha, a_flotantes, dividir

#: Etapas que cuentan como monto ejercido, en orden de preferencia.
ETAPAS_EJERCICIO = ("ejercido", "devengado")

#: Frase para un año con presupuesto aprobado y sin ejercicio publicado.
AVISO_SOLO_APROBADO = "presupuesto aprobado: aún no hay ejercicio publicado"

#: Columnas de :attr:`PresupuestoCapitulos.capitulos`.
COLUMNAS_CAPITULOS = [
    "codigo",
    "concepto",
    "aprobado",
    "ejercido",
    "proporcion_ejercida",
    "participacion_aprobado",
    "participacion_ejercido",
]


@dataclass(frozen=True)
class FuentePresupuesto:
    """Quién publica el presupuesto, de dónde lo toma y con qué licencia."""

    nombre: str
    origen_estatal: str
    origen_municipal: str
    licencia: str | None
    url: str | None

    def cita(self, municipal: bool = False) -> str:
        """``"Ojos al Gasto (Política Colectiva), a partir de la Cuenta Pública estatal;
        licencia ODbL 1.0"``."""
        texto = f"{self.nombre}, a partir de la "
        texto += self.origen_municipal if municipal else self.origen_estatal
        return texto + (f"; licencia {self.licencia}" if self.licencia else "")


#: Fuentes del presupuesto por objeto del gasto (``fuente`` de la capa).
FUENTES: dict[str, FuentePresupuesto] = {
    "ojos_al_gasto": FuentePresupuesto(
        nombre="Ojos al Gasto (Política Colectiva)",
        origen_estatal="Cuenta Pública estatal",
        origen_municipal="Cuenta Pública municipal",
        licencia="ODbL 1.0",
        url="https://github.com/Politica-Colectiva/ojos-al-gasto-datos",
    ),
    "shcp": FuentePresupuesto(
        nombre="Secretaría de Hacienda y Crédito Público (SHCP)",
        origen_estatal="información presupuestaria publicada",
        origen_municipal="información presupuestaria publicada",
        licencia=None,
        url="https://www.transparenciapresupuestaria.gob.mx/",
    ),
}


@dataclass(frozen=True)
class PresupuestoCapitulos:
    """Presupuesto por capítulo de un año y una zona.

    Attributes
    ----------
    anio, cvegeo
        Ejercicio fiscal y zona (``None`` = la entidad).
    capitulos
        Una fila por capítulo, en orden de código (:data:`COLUMNAS_CAPITULOS`):
        ``ejercido`` es el monto de :attr:`etapa`; ``proporcion_ejercida`` = ejercido /
        aprobado; ``participacion_aprobado`` y ``participacion_ejercido`` = monto del
        capítulo / total. Nulos donde no se pueden calcular (aprobado 0, sin ejercicio).
    aprobado, ejercido
        Totales (``NaN`` si faltan).
    total_publicado
        ``True`` si el total es la línea ``total`` publicada; ``False`` si es la suma de los
        capítulos.
    suma_aprobado, suma_ejercido
        Suma de los capítulos (para compararla con el total publicado).
    etapa
        ``"ejercido"``, ``"devengado"`` o ``None`` (sin ejercicio publicado).
    fuente
        Clave de la fuente (``ojos_al_gasto``, ``shcp``).
    fecha_corte
        La más reciente de las líneas usadas.
    """

    anio: int
    cvegeo: str | None
    capitulos: pd.DataFrame
    aprobado: float
    ejercido: float
    total_publicado: bool
    suma_aprobado: float
    suma_ejercido: float
    etapa: str | None
    fuente: str | None
    fecha_corte: date | None

    @property
    def solo_aprobado(self) -> bool:
        """Año con presupuesto aprobado y sin ejercicio publicado."""
        return self.etapa is None

    @property
    def proporcion_ejercida(self) -> float:
        """Total ejercido / total aprobado (``NaN`` si no se puede calcular)."""
        return dividir(self.ejercido, self.aprobado)

    @property
    def aviso(self) -> str | None:
        """:data:`AVISO_SOLO_APROBADO` si el año no tiene ejercicio publicado."""
        return AVISO_SOLO_APROBADO if self.solo_aprobado else None

    @property
    def cita(self) -> str | None:
        """La fuente en palabras, con su licencia (``None`` si la fuente no se conoce)."""
        datos = FUENTES.get(self.fuente or "")
        return datos.cita(municipal=self.cvegeo is not None) if datos else self.fuente


# --- sobre líneas (funciones puras) ---------------------------------------------------------


def lineas_objeto_gasto(lineas: pd.DataFrame, cvegeo: str | None = None) -> pd.DataFrame:
    """Líneas de capítulo y de total del objeto del gasto de la zona (``None`` = la entidad)."""
    filas = _capitulos_y_totales(lineas)
    zonas = lineas["cvegeo"]
    if cvegeo is None:
        filas &= (zonas.isna() | zonas.eq("")).fillna(True).to_numpy(dtype=bool)
    else:
        filas &= zonas.eq(str(cvegeo)).fillna(False).to_numpy(dtype=bool)
    return lineas[filas]


def _capitulos_y_totales(lineas: pd.DataFrame) -> np.ndarray:
    """Máscara de las líneas de capítulo o de total de la clasificación por objeto del gasto."""
    clases = lineas["clasificacion"].eq("objeto_gasto").fillna(False).to_numpy(dtype=bool)
    niveles = lineas["nivel"].isin(["capitulo", "total"]).to_numpy(dtype=bool)
    return clases & niveles


def anios_con_presupuesto(lineas: pd.DataFrame, cvegeo: str | None = None) -> list[int]:
    """Años con capítulos o total del objeto del gasto en la zona, del más antiguo al último."""
    anios = lineas_objeto_gasto(lineas, cvegeo)["anio"].dropna()
    return sorted({int(a) for a in anios})


def anios_con_ejercicio(lineas: pd.DataFrame, cvegeo: str | None = None) -> list[int]:
    """Años de :func:`anios_con_presupuesto` con algún monto ejercido o devengado."""
    propias = lineas_objeto_gasto(lineas, cvegeo)
    con_monto = np.zeros(len(propias), dtype=bool)
    for etapa in ETAPAS_EJERCICIO:
        if etapa in propias:
            con_monto |= ~np.isnan(a_flotantes(propias[etapa]))
    return sorted({int(a) for a in propias.loc[con_monto, "anio"].dropna()})


def elegir_anio(
    lineas: pd.DataFrame, pedido=None, cvegeo: str | None = None
) -> tuple[int | None, bool]:
    """Año a mostrar y si es el pedido.

    El pedido (``"2024"``, ``2024``) si tiene presupuesto; si no (falta, no es un número o
    no hay ese año), el último con ejercicio publicado y, si ninguno lo tiene, el último.

    Returns
    -------
    tuple
        ``(anio, es_el_pedido)``; ``(None, False)`` si la zona no tiene presupuesto.
    """
    anios = anios_con_presupuesto(lineas, cvegeo)
    try:
        numero = int(str(pedido).strip())
    except (TypeError, ValueError):
        numero = None
    if numero in anios:
        return numero, True
    ejercidos = anios_con_ejercicio(lineas, cvegeo)
    if ejercidos:
        return ejercidos[-1], False
    return (anios[-1] if anios else None), False


def presupuesto_por_capitulo(
    lineas: pd.DataFrame, anio: int, cvegeo: str | None = None
) -> PresupuestoCapitulos | None:
    """Presupuesto de ``anio`` en la zona, por capítulo (``None`` si no hay líneas).

    Se usa una sola fuente (la primera de :data:`capas.gasto.PREFERENCIA_FUENTE` que publique
    ese año); el monto ejercido es el de la primera etapa de :data:`ETAPAS_EJERCICIO` que
    alguna línea publique (la misma para todas las filas).
    """
    propias = lineas_objeto_gasto(lineas, cvegeo)
    propias = propias[a_flotantes(propias["anio"]) == int(anio)]
    if not len(propias):
        return None
    fuentes = [f for f in pd.unique(propias["fuente"].astype(object)) if isinstance(f, str)]
    orden = {f: i for i, f in enumerate(PREFERENCIA_FUENTE)}
    fuente = min(fuentes, key=lambda f: (orden.get(f, len(orden)), f)) if fuentes else None
    if fuente is not None:
        propias = propias[(propias["fuente"].astype(object) == fuente).to_numpy()]
    etapa = _etapa_publicada(propias)
    nivel = propias["nivel"].astype(object).to_numpy()
    capitulos = propias[nivel == "capitulo"]
    totales = propias[nivel == "total"]
    aprobado = a_flotantes(capitulos["aprobado"])
    ejercido = a_flotantes(capitulos[etapa]) if etapa else np.full(len(capitulos), np.nan)
    suma_aprobado = _suma(aprobado)
    suma_ejercido = _suma(ejercido)
    if len(totales):
        total_aprobado = _suma(a_flotantes(totales["aprobado"]))
        total_ejercido = _suma(a_flotantes(totales[etapa])) if etapa else np.nan
    else:
        total_aprobado, total_ejercido = suma_aprobado, suma_ejercido
    tabla = pd.DataFrame(
        {
            "codigo": capitulos["codigo"].astype(object).to_numpy(),
            "concepto": capitulos["concepto"].astype(object).to_numpy(),
            "aprobado": aprobado,
            "ejercido": ejercido,
            "proporcion_ejercida": dividir(ejercido, aprobado),
            "participacion_aprobado": dividir(aprobado, np.full(len(aprobado), total_aprobado)),
            "participacion_ejercido": dividir(ejercido, np.full(len(ejercido), total_ejercido)),
        },
        columns=COLUMNAS_CAPITULOS,
    )
    tabla = tabla.iloc[_orden_codigos(tabla["codigo"])].reset_index(drop=True)
    fechas = pd.to_datetime(propias["fecha_corte"], errors="coerce").dropna()
    return PresupuestoCapitulos(
        anio=int(anio),
        cvegeo=None if cvegeo is None else str(cvegeo),
        capitulos=tabla,
        aprobado=total_aprobado,
        ejercido=total_ejercido,
        total_publicado=bool(len(totales)),
        suma_aprobado=suma_aprobado,
        suma_ejercido=suma_ejercido,
        etapa=etapa,
        fuente=fuente,
        fecha_corte=a_fecha(fechas.max()) if len(fechas) else None,
    )


def _etapa_publicada(lineas: pd.DataFrame) -> str | None:
    """La primera etapa de :data:`ETAPAS_EJERCICIO` con algún monto en ``lineas``."""
    for etapa in ETAPAS_EJERCICIO:
        if etapa in lineas and not np.isnan(a_flotantes(lineas[etapa])).all():
            return etapa
    return None


def _suma(valores: np.ndarray) -> float:
    """Suma como la de una hoja de cálculo: sin los vacíos; ``NaN`` si todos están vacíos."""
    presentes = valores[~np.isnan(valores)]
    return float(presentes.sum()) if len(presentes) else float("nan")


def _orden_codigos(codigos: pd.Series) -> np.ndarray:
    """Posiciones que ordenan ``COG1``, ``COG01``... ``COG09`` por su número."""
    numeros = pd.to_numeric(codigos.astype(str).str.extract(r"(\d+)")[0], errors="coerce")
    return np.lexsort((codigos.astype(str).to_numpy(), numeros.fillna(np.inf).to_numpy()))


# --- sobre una versión del almacén ----------------------------------------------------------


def _por_zona(datos: DatosVersion) -> dict[str | None, pd.DataFrame]:
    """Capítulos y totales del objeto del gasto de una versión, por zona (``None`` = entidad).

    Una versión no cambia nunca: se separan una vez por versión (``datos.memo``) y se
    comparten (solo lectura). Así cada vista filtra unas decenas de líneas, no todas las
    municipales.
    """
    return datos.memo(("presupuesto", "por_zona"), lambda: _separar_por_zona(datos))


def _separar_por_zona(datos: DatosVersion) -> dict:
    """Zonas: cada municipio (``cvegeo``), la entidad o el país entero (``None``: todas las
    líneas estatales) y cada entidad (``("entidad", "17")``: sus líneas estatales)."""
    from capas.entidades import entidades  # capas.entidades importa capas.tablas

    lineas = datos.tabla("presupuesto")
    lineas = lineas[_capitulos_y_totales(lineas)]
    zonas = lineas["cvegeo"].astype(object).where(lineas["cvegeo"].notna(), "")
    por_zona: dict = {
        (clave or None): grupo
        for clave, grupo in lineas.groupby(zonas.to_numpy(), sort=False, dropna=False)
    }
    estatales = por_zona.get(None)
    if estatales is not None:
        claves = entidades(datos)
        cve_ent = entidad_de_lineas(estatales, claves[0] if len(claves) == 1 else None)
        for clave in pd.unique(cve_ent[pd.notna(cve_ent)]):
            por_zona[("entidad", clave)] = estatales[cve_ent == clave]
    return por_zona


def _lineas_zona(
    fuente: Version | DatosVersion, municipio: str | None, entidad: str | None = None
) -> pd.DataFrame:
    zonas = _por_zona(datos_de(fuente))
    if municipio is not None:
        clave = str(municipio)
    elif entidad is not None:
        clave = ("entidad", str(entidad))
    else:
        clave = None
    vacia = datos_de(fuente).tabla("presupuesto").iloc[0:0]
    return zonas.get(clave, vacia)


def ejercicios_presupuesto(
    fuente: Version | DatosVersion, municipio: str | None = None, entidad: str | None = None
) -> list[int]:
    """Años con presupuesto por objeto del gasto de la entidad o de ``municipio`` (cvegeo).

    ``entidad`` (modo nacional): las líneas estatales de esa entidad; sin ella, las de todas.
    """
    return anios_con_presupuesto(_lineas_zona(fuente, municipio, entidad), municipio)


def ejercicio_inicial(
    fuente: Version | DatosVersion,
    pedido=None,
    municipio: str | None = None,
    entidad: str | None = None,
) -> tuple[int | None, bool]:
    """:func:`elegir_anio` sobre el presupuesto de una versión."""
    return elegir_anio(_lineas_zona(fuente, municipio, entidad), pedido, municipio)


def capitulos_presupuesto(
    fuente: Version | DatosVersion,
    anio: int,
    municipio: str | None = None,
    entidad: str | None = None,
) -> PresupuestoCapitulos | None:
    """:func:`presupuesto_por_capitulo` de la entidad o de ``municipio`` en una versión.

    ``entidad`` (modo nacional): las líneas estatales de esa entidad, no las del país.
    """
    return presupuesto_por_capitulo(_lineas_zona(fuente, municipio, entidad), anio, municipio)
