"""Canales Atom (RFC 4287) de un municipio y de una obra: qué cambió, para seguirlo sin cuenta.

Funciones puras: reciben las versiones del almacén ya reducidas (:class:`Corte`, la más
vieja primero) y los reportes públicos (diccionarios de la API), y devuelven entradas
(:class:`Entrada`) y el documento Atom. El tablero solo junta los datos y responde.

- Municipio: obras nuevas, alertas nuevas, reportes respondidos y versiones nuevas de datos.
- Obra: sus cambios entre versiones (estatus, avance, montos, término, alertas), sus
  reportes y las respuestas.

Cada entrada tiene un ``id`` estable (``urn:uuid:`` derivado de lo que anuncia, RFC 4122
versión 5): la misma novedad conserva su id en cada lectura del canal.
"""

from __future__ import annotations

import math
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd

from capas.config import ALERTAS

ATOM = "http://www.w3.org/2005/Atom"
#: Autor por omisión de las entradas de datos y del canal (el nombre del sitio; el tablero
#: pasa el de su lugar: la entidad servida o «México» en el modo nacional).
AUTOR = "Sigue el dinero Oaxaca"
#: Autor de las respuestas a los reportes.
AUTOR_RESPUESTAS = "Autoridad que atiende los reportes (respuesta pública)"
#: Entradas por canal (las más recientes).
MAXIMO_ENTRADAS = 100
#: Versiones del almacén que se comparan (más una de base).
VERSIONES_EN_CANAL = 10
#: Columnas de las obras que el canal compara entre versiones.
COLUMNAS_OBRA = (
    "folio",
    "nombre",
    "cvegeo",
    "estatus",
    "avance_fisico",
    "monto_aprobado",
    "monto_modificado",
    "monto_ejercido",
    "fecha_termino",
    "alertas",
)
_TITULOS_ALERTA = {regla.codigo: regla.titulo for regla in ALERTAS}
_ESPACIO_UUID = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/sigue-el-dinero-oaxaca")
#: Caracteres que XML 1.0 no admite (se quitan de los textos publicados).
_NO_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Entrada:
    """Una entrada del canal: ``enlace`` es una ruta del sitio (``/obras?folio=...``)."""

    id: str
    titulo: str
    actualizado: datetime
    enlace: str
    resumen: str = ""
    #: ``None``: el sitio (el ``autor`` de :func:`documento_atom`).
    autor: str | None = None


@dataclass(frozen=True)
class Corte:
    """Una versión del almacén reducida a lo que comparan los canales.

    ``id`` ``None`` marca una base vacía (antes de la primera versión). ``obras``: una fila
    por folio con :data:`COLUMNAS_OBRA` (vacía si la versión no tiene obras).
    """

    id: str | None
    creada: datetime
    obras: pd.DataFrame
    tipo: str | None = None
    fecha_corte: str | None = None


def urn(*partes: object) -> str:
    """Id estable de una entrada o canal: ``urn:uuid:`` (versión 5) de sus partes."""
    return f"urn:uuid:{uuid.uuid5(_ESPACIO_UUID, '/'.join(str(p) for p in partes))}"


def fecha_utc(valor: datetime | str) -> datetime:
    """Fecha con zona UTC (las sin zona se toman como UTC; ``Z`` se acepta)."""
    fecha = datetime.fromisoformat(valor) if isinstance(valor, str) else valor
    return fecha.replace(tzinfo=UTC) if fecha.tzinfo is None else fecha.astimezone(UTC)


def reducir_obras(evaluadas: pd.DataFrame) -> pd.DataFrame:
    """Obras evaluadas (:func:`capas.obras.evaluar_obras`) con solo :data:`COLUMNAS_OBRA`."""
    tabla = evaluadas.copy()
    for columna in COLUMNAS_OBRA:
        if columna not in tabla:
            tabla[columna] = None
    tabla = tabla[list(COLUMNAS_OBRA)]
    tabla = tabla[tabla["folio"].notna()].drop_duplicates("folio", keep="last")
    return tabla.set_index("folio", drop=False)


def _alertas(valor: object) -> list[str]:
    if not isinstance(valor, str) or not valor:
        return []
    return [c for c in valor.split(";") if c]


def _de_municipio(tabla: pd.DataFrame, cvegeo: str) -> pd.DataFrame:
    return tabla[tabla["cvegeo"].astype("string").fillna("") == cvegeo]


def _pares(cortes: Sequence[Corte]):
    return zip(cortes, cortes[1:], strict=False)


def _nombre(fila: Mapping) -> str:
    nombre = fila.get("nombre")
    return str(nombre) if isinstance(nombre, str) and nombre else str(fila["folio"])


def _enlace_obra(folio: str) -> str:
    return f"/obras?folio={folio}"


def entradas_municipio(cortes: Sequence[Corte], cvegeo: str) -> list[Entrada]:
    """Versiones nuevas de datos, obras nuevas y alertas nuevas del municipio ``cvegeo``.

    ``cortes[0]`` es la base: solo se compara contra ella. Una obra es nueva si su folio
    aparece en el municipio y no estaba en la versión anterior; una alerta es nueva si la
    obra no la tenía en la versión anterior. La fecha de cada novedad es la de la versión
    que la trajo.
    """
    entradas = []
    for anterior, actual in _pares(cortes):
        if actual.id is None:
            continue
        detalle = f"carga de {actual.tipo}" if actual.tipo else "datos nuevos"
        if actual.fecha_corte:
            detalle += f", fecha de corte {actual.fecha_corte}"
        entradas.append(
            Entrada(
                urn("version", actual.id),
                f"Datos nuevos publicados: versión {actual.id}",
                actual.creada,
                "/datos",
                f"Se publicó la versión {actual.id} ({detalle}).",
            )
        )
        previas = anterior.obras
        for folio, fila in _de_municipio(actual.obras, cvegeo).iterrows():
            nombre = _nombre(fila)
            if folio not in previas.index:
                entradas.append(
                    Entrada(
                        urn("municipio", cvegeo, "obra-nueva", folio),
                        f"Obra nueva: {nombre}",
                        actual.creada,
                        _enlace_obra(folio),
                        f"La obra {folio} aparece en los datos publicados (versión {actual.id}).",
                    )
                )
                antes: list[str] = []
            else:
                antes = _alertas(previas.loc[folio, "alertas"])
            for codigo in _alertas(fila["alertas"]):
                if codigo in antes:
                    continue
                titulo = _TITULOS_ALERTA.get(codigo, codigo)
                entradas.append(
                    Entrada(
                        urn("obra", folio, "alerta", codigo, actual.id),
                        f"Alerta nueva en {nombre}: {titulo}",
                        actual.creada,
                        _enlace_obra(folio),
                        f"La obra {folio} tiene la alerta «{titulo}» desde la versión {actual.id}.",
                    )
                )
    return entradas


def _texto_valor(columna: str, valor: object) -> str:
    if valor is None or (isinstance(valor, float) and math.isnan(valor)) or valor is pd.NA:
        return "sin dato"
    if columna == "avance_fisico":
        return f"{float(valor) * 100:.0f} %"
    if columna.startswith("monto_"):
        return f"${float(valor):,.2f}"
    if isinstance(valor, datetime | date | pd.Timestamp):
        return valor.strftime("%Y-%m-%d")
    return str(valor)


_ETIQUETAS = {
    "estatus": "Estatus",
    "avance_fisico": "Avance físico",
    "monto_aprobado": "Monto aprobado",
    "monto_modificado": "Monto modificado",
    "monto_ejercido": "Monto ejercido",
    "fecha_termino": "Fecha estimada de término",
}


def _igual(a: object, b: object) -> bool:
    vacio_a = a is None or a is pd.NA or (isinstance(a, float) and math.isnan(a))
    vacio_b = b is None or b is pd.NA or (isinstance(b, float) and math.isnan(b))
    if vacio_a or vacio_b:
        return vacio_a and vacio_b
    return bool(a == b)


def cambios_obra(anterior: Mapping, actual: Mapping) -> list[str]:
    """Frases de lo que cambió en una obra entre dos versiones (vacío si nada)."""
    frases = [
        f"{etiqueta}: {_texto_valor(c, anterior.get(c))} → {_texto_valor(c, actual.get(c))}"
        for c, etiqueta in _ETIQUETAS.items()
        if not _igual(anterior.get(c), actual.get(c))
    ]
    antes, ahora = _alertas(anterior.get("alertas")), _alertas(actual.get("alertas"))
    frases += [f"Alerta nueva: {_TITULOS_ALERTA.get(c, c)}" for c in ahora if c not in antes]
    frases += [
        f"Ya no tiene la alerta: {_TITULOS_ALERTA.get(c, c)}" for c in antes if c not in ahora
    ]
    return frases


def entradas_obra(cortes: Sequence[Corte], folio: str) -> list[Entrada]:
    """Cambios de la obra ``folio`` entre versiones consecutivas (``cortes[0]`` es la base)."""
    entradas = []
    enlace = _enlace_obra(folio)
    for anterior, actual in _pares(cortes):
        if actual.id is None:
            continue
        estaba = folio in anterior.obras.index
        esta = folio in actual.obras.index
        if esta and not estaba:
            fila = actual.obras.loc[folio]
            titulo = f"La obra aparece en los datos: {_nombre(fila)}"
            resumen = f"Primera versión con la obra {folio}: {actual.id}."
        elif estaba and not esta:
            titulo = "La obra ya no aparece en los datos publicados"
            resumen = f"La versión {actual.id} ya no trae la obra {folio}."
        elif esta:
            frases = cambios_obra(anterior.obras.loc[folio], actual.obras.loc[folio])
            if not frases:
                continue
            titulo = f"Cambios en la obra (versión {actual.id})"
            resumen = "; ".join(frases) + "."
        else:
            continue
        entradas.append(
            Entrada(
                urn("obra", folio, "version", actual.id), titulo, actual.creada, enlace, resumen
            )
        )
    return entradas


def entradas_reportes(
    reportes: Sequence[Mapping],
    tipos: Mapping[str, str],
    estados: Mapping[str, str],
    *,
    nuevos: bool,
) -> list[Entrada]:
    """Reportes ciudadanos (campos públicos) como entradas: respuestas y, si ``nuevos``, altas.

    Una respuesta es un cambio del historial con respuesta pública; la descripción oculta
    por moderación sale con su nota. Nunca hay datos de contacto (no están en lo público).
    """
    entradas = []
    for reporte in reportes:
        folio = reporte["folio"]
        enlace = f"/reporte?folio={folio}"
        tipo = tipos.get(reporte["tipo"], reporte["tipo"])
        if nuevos:
            texto = (
                reporte["nota_moderacion"]
                if reporte.get("texto_oculto")
                else reporte["descripcion"]
            )
            entradas.append(
                Entrada(
                    urn("reporte", folio),
                    f"Reporte nuevo {folio}: {tipo}",
                    fecha_utc(reporte["creado"]),
                    enlace,
                    texto or "",
                    "Ciudadanía (reporte anónimo)",
                )
            )
        for numero, cambio in enumerate(reporte.get("historial", [])):
            if not cambio.get("respuesta"):
                continue
            estado = estados.get(cambio["a"], cambio["a"])
            entradas.append(
                Entrada(
                    urn("reporte", folio, "respuesta", numero, cambio["fecha"]),
                    f"Respuesta al reporte {folio} ({tipo}): {estado}",
                    fecha_utc(cambio["fecha"]),
                    enlace,
                    cambio["respuesta"],
                    AUTOR_RESPUESTAS,
                )
            )
    return entradas


def _limpio(texto: object) -> str:
    return _NO_XML.sub("", str(texto))


def _iso(fecha: datetime) -> str:
    return fecha_utc(fecha).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def documento_atom(
    *,
    id: str,
    titulo: str,
    raiz: str,
    propio: str,
    pagina: str,
    entradas: Sequence[Entrada],
    actualizado: datetime,
    autor: str = AUTOR,
) -> bytes:
    """Documento Atom (RFC 4287) en UTF-8: las :data:`MAXIMO_ENTRADAS` más recientes.

    ``autor`` es el nombre del sitio: autor y generador del canal y de las entradas de datos.

    ``raiz`` es la dirección del sitio (``https://.../``); ``propio`` y ``pagina`` son las
    rutas del canal y de la página que sigue. ``updated`` del canal es la fecha de la
    entrada más reciente (o ``actualizado`` si no hay entradas).
    """
    base = raiz.rstrip("/")
    # La más reciente primero; en la misma fecha, la que venía después (una respuesta
    # después de su reporte en el mismo segundo).
    numeradas = sorted(
        enumerate(entradas), key=lambda par: (fecha_utc(par[1].actualizado), par[0]), reverse=True
    )
    orden = [entrada for _, entrada in numeradas[:MAXIMO_ENTRADAS]]
    # Nombres sin calificar y ``xmlns`` explícito: ElementTree no admite atributos sin
    # espacio de nombres (rel, href) junto con ``default_namespace``.
    canal = ET.Element("feed", {"xmlns": ATOM, "{http://www.w3.org/XML/1998/namespace}lang": "es"})

    def hijo(padre, nombre: str, texto: str | None = None, **atributos) -> ET.Element:
        elemento = ET.SubElement(padre, nombre, atributos)
        if texto is not None:
            elemento.text = _limpio(texto)
        return elemento

    hijo(canal, "id", id)
    hijo(canal, "title", titulo)
    hijo(canal, "updated", _iso(orden[0].actualizado if orden else actualizado))
    hijo(hijo(canal, "author"), "name", autor)
    hijo(canal, "link", rel="self", type="application/atom+xml", href=base + propio)
    hijo(canal, "link", rel="alternate", type="text/html", href=base + pagina)
    hijo(canal, "generator", autor)
    for entrada in orden:
        elemento = hijo(canal, "entry")
        hijo(elemento, "id", entrada.id)
        hijo(elemento, "title", entrada.titulo)
        hijo(elemento, "updated", _iso(entrada.actualizado))
        hijo(hijo(elemento, "author"), "name", entrada.autor or autor)
        hijo(elemento, "link", rel="alternate", type="text/html", href=base + entrada.enlace)
        if entrada.resumen:
            hijo(elemento, "summary", entrada.resumen, type="text")
    return ET.tostring(canal, encoding="utf-8", xml_declaration=True)
