"""estacionamientos — Cajones de estacionamiento para personas con discapacidad.

Dos orígenes, cada uno en su propia partición del almacén (``origen``): el levantamiento en
CSV (con el estado de conservación de cada cajón) y la exportación GeoJSON de OpenStreetMap.
Cargar uno reemplaza solo los puntos de ese origen.

OpenStreetMap no registra el estado de conservación: esos puntos se guardan con ``estado``
vacío, que el tablero muestra como «sin dato» (nunca se supone «bueno»).
Un cajón sin ubicación utilizable, o fuera de la entidad, es una fila rechazada.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import shapely
import shapely.geometry

from almacen.esquemas import columnas
from ingesta import normalizacion as norm
from ingesta.fuentes.base import (
    Contexto,
    Formato,
    Fuente,
    Salida,
    capa_de_puntos,
    exigir,
    fechas,
    georreferenciar,
)
from ingesta.lectura import Archivo, Columna

#: Estados de conservación aceptados, en el orden de la leyenda del tablero.
ESTADOS = ("bueno", "requiere_rehabilitacion", "en_rehabilitacion", "rehabilitado", "propuesto")
#: Otras formas de escribir un estado (ya sin acentos, en minúsculas y con ``_``).
SINONIMOS_ESTADO = {"buen_estado": "bueno", "requiere_rehabilitar": "requiere_rehabilitacion"}

NO_ES_PARA_DISCAPACIDAD = (
    "no es un estacionamiento para personas con discapacidad (se espera amenity=parking_space "
    "con parking_space=disabled, o amenity=parking con capacity:disabled)"
)

COLUMNAS_CSV = [
    Columna("ID", ("IDENTIFICADOR", "ID_CAJON")),
    Columna("LATITUD", ("LAT",)),
    Columna("LONGITUD", ("LON", "LNG")),
    Columna("DIRECCION", ("DOMICILIO", "REFERENCIA"), requerida=False),
    Columna("CAJONES", requerida=False),
    Columna("ESTADO", requerida=False),
    Columna("FECHA_REVISION", requerida=False),
    Columna("OBSERVACIONES", requerida=False),
    Columna("FOTO_URL", ("FOTO",), requerida=False),
]

#: Columnas (texto) que ``leer_osm`` arma por elemento; el nombre es la etiqueta OSM de origen.
COLUMNAS_OSM = [
    "id",
    "geometry",
    "latitud",
    "longitud",
    "amenity",
    "capacity",
    "direccion",
    "check_date",
    "description",
    "image",
    "problema",
]


def _ultima_revision(capa: pd.DataFrame) -> str | None:
    """Fecha de corte: la revisión más reciente de los espacios, si se publicó."""
    ultima = pd.to_datetime(capa["fecha_revision"], errors="coerce").max()
    return None if pd.isna(ultima) else ultima.date().isoformat()


def procesar_csv(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """Levantamiento en CSV: un renglón por cajón o grupo de cajones, con su estado."""
    reg = ctx.registro
    estado = _estado(_columna(tabla, "ESTADO"))
    reg.rechazar(
        estado.isna() & _columna(tabla, "ESTADO").notna(),
        "ESTADO",
        f"estado no reconocido (se acepta: {', '.join(ESTADOS)})",
        valores=_columna(tabla, "ESTADO"),
    )
    capa = _procesar(
        tabla,
        ctx,
        origen="csv",
        nombres={
            "id": "ID",
            "latitud": "LATITUD",
            "longitud": "LONGITUD",
            "cajones": "CAJONES",
            "direccion": "DIRECCION",
            "fecha_revision": "FECHA_REVISION",
            "observaciones": "OBSERVACIONES",
            "foto_url": "FOTO_URL",
        },
        estado=estado,
    )
    return Salida(
        capas={"estacionamientos": (capa, ["origen"])}, fecha_corte=_ultima_revision(capa)
    )


def reconoce_osm(datos: object) -> bool:
    """Una colección GeoJSON (``FeatureCollection``), como la que exporta Overpass Turbo."""
    return (
        isinstance(datos, dict)
        and datos.get("type") == "FeatureCollection"
        and isinstance(datos.get("features"), list)
    )


def leer_osm(datos: object, archivo: Archivo) -> pd.DataFrame:
    """Aplana los elementos de OpenStreetMap a una tabla de texto: uno por renglón.

    - ``amenity=parking_space`` + ``parking_space=disabled``: ``capacity`` cajones (1 si no
      viene).
    - ``amenity=parking`` (o ``parking_space``) con ``capacity:disabled=N``: N cajones
      (``yes`` = al menos 1; ``no`` o ``0``: no es para personas con discapacidad).
    - Punto tal cual; polígono o línea: su punto representativo (dentro de la figura).
    """
    filas = [_elemento(f) for f in datos["features"]]
    tabla = pd.DataFrame(filas, columns=COLUMNAS_OSM, dtype=object)
    return tabla.where(tabla.notna(), None)


def procesar_osm(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """Elementos de OpenStreetMap: solo estacionamientos para personas con discapacidad."""
    ctx.registro.rechazar(tabla["problema"].notna(), "amenity", tabla["problema"])
    ctx.registro.rechazar(tabla["geometry"].notna(), "geometry", tabla["geometry"])
    capa = _procesar(
        tabla,
        ctx,
        origen="osm",
        nombres={
            "id": "id",
            "latitud": "latitud",
            "longitud": "longitud",
            "cajones": "capacity",
            "direccion": "direccion",
            "fecha_revision": "check_date",
            "observaciones": "description",
            "foto_url": "image",
        },
        estado=pd.Series(None, index=tabla.index, dtype=object),
        columna_geo="geometry",
    )
    return Salida(
        capas={"estacionamientos": (capa, ["origen"])}, fecha_corte=_ultima_revision(capa)
    )


FUENTE = Fuente(
    tipo="estacionamientos",
    descripcion="Cajones de estacionamiento para personas con discapacidad (CSV u OpenStreetMap)",
    formatos=[
        Formato(nombre="CSV", columnas=COLUMNAS_CSV, procesar=procesar_csv),
        Formato(
            nombre="OSM",
            columnas=[],
            procesar=procesar_osm,
            json=True,
            leer_json=leer_osm,
            reconoce_json=reconoce_osm,
        ),
    ],
)


def _procesar(
    tabla: pd.DataFrame,
    ctx: Contexto,
    *,
    origen: str,
    nombres: dict[str, str],
    estado: pd.Series,
    columna_geo: str | None = None,
) -> gpd.GeoDataFrame:
    """Validación común: identificador único, cajones, coordenadas obligatorias, fecha, foto.

    ``nombres`` va de campo del almacén a columna de ``tabla`` (para nombrarla en los motivos).
    """
    reg = ctx.registro
    col_id = nombres["id"]
    exigir(tabla, [col_id], ctx)
    ident = norm.texto(tabla[col_id])
    repetido = ident.notna() & ident.duplicated(keep="first")
    reg.rechazar(repetido, col_id, "identificador repetido en el archivo", valores=ident)
    cajones = _cajones(_columna(tabla, nombres["cajones"]), nombres["cajones"], ctx)
    sin_municipio = pd.Series(None, index=tabla.index, dtype=object)
    geo = georreferenciar(
        tabla[nombres["latitud"]],
        tabla[nombres["longitud"]],
        sin_municipio,
        ctx,
        obligatoria=True,
        columna=columna_geo or nombres["latitud"],
    )
    revision = fechas(tabla, {nombres["fecha_revision"]: "fecha_revision"}, ctx)["fecha_revision"]
    datos = pd.DataFrame(
        {
            "id": ident,
            "direccion": norm.texto(_columna(tabla, nombres["direccion"])),
            "cajones": cajones,
            "estado": estado,
            "fecha_revision": revision,
            "observaciones": norm.texto(_columna(tabla, nombres["observaciones"])),
            "foto_url": _foto(_columna(tabla, nombres["foto_url"]), nombres["foto_url"], ctx),
            "latitud": geo.latitud,
            "longitud": geo.longitud,
            "cvegeo": geo.cvegeo_coordenadas,
            "origen": origen,
            "advertencias": geo.codigos,
        }
    )[columnas("estacionamientos")]
    return capa_de_puntos(datos[reg.aceptada], "estacionamientos")


def _columna(tabla: pd.DataFrame, nombre: str) -> pd.Series:
    if nombre in tabla.columns:
        return tabla[nombre]
    return pd.Series(None, index=tabla.index, dtype=object)


def _estado(serie: pd.Series) -> pd.Series:
    """``'Requiere rehabilitación'`` -> ``'requiere_rehabilitacion'``; desconocido -> nulo."""
    clave = (
        # Como ``object``: con ``str`` y solo nulos, ``sin_acentos_mayusculas`` falla.
        norm.sin_acentos_mayusculas(serie.astype(object))
        .str.lower()
        .str.replace(r"[\s\-]+", "_", regex=True)
        .replace(SINONIMOS_ESTADO)
    )
    return clave.where(clave.isin(ESTADOS)).astype(object)


def _cajones(serie: pd.Series, columna: str, ctx: Contexto) -> pd.Series:
    """Número de cajones: 1 si viene vacío; un valor que no es entero ≥ 1 se rechaza."""
    valores, invalido = norm.entero_no_negativo(serie)
    invalido = invalido | (valores < 1).fillna(False).to_numpy()
    ctx.registro.rechazar(
        invalido,
        columna,
        "número de cajones no válido (se espera un entero mayor o igual a 1)",
        valores=serie,
    )
    return valores.fillna(1).where(~invalido).astype("Int64")


def _foto(serie: pd.Series, columna: str, ctx: Contexto) -> pd.Series:
    """Solo direcciones ``http(s)://`` (otra cosa, p. ej. ``javascript:``, no se enlaza)."""
    url = norm.texto(serie)
    valida = url.str.match(r"^https?://\S+$").fillna(False).astype(bool)
    ctx.registro.advertir(
        url.notna() & ~valida,
        columna,
        "la foto no es una dirección http(s): se deja vacía",
        valores=url,
    )
    return url.where(valida).astype(object)


def _elemento(elemento: object) -> dict:
    """Un renglón de texto por elemento GeoJSON de OpenStreetMap."""
    if not isinstance(elemento, dict):
        return {"problema": "el elemento no es un objeto GeoJSON"}
    propiedades = elemento.get("properties")
    propiedades = propiedades if isinstance(propiedades, dict) else {}
    # osmtogeojson antiguo anida las etiquetas en ``tags``; Overpass Turbo las deja planas.
    etiquetas = (
        propiedades.get("tags") if isinstance(propiedades.get("tags"), dict) else propiedades
    )
    fila = {
        "id": _id_osm(elemento, propiedades),
        "amenity": _texto(etiquetas.get("amenity")),
        "check_date": _texto(etiquetas.get("check_date") or etiquetas.get("survey:date")),
        "description": _texto(etiquetas.get("description")),
        "image": _texto(etiquetas.get("image")),
    }
    calle = " ".join(
        t for t in (_texto(etiquetas.get(k)) for k in ("addr:street", "addr:housenumber")) if t
    )
    fila["direccion"] = calle or _texto(etiquetas.get("name"))
    fila["capacity"], fila["problema"] = _capacidad(etiquetas)
    fila["latitud"], fila["longitud"], fila["geometry"] = _punto(elemento.get("geometry"))
    return fila


def _capacidad(etiquetas: dict) -> tuple[str | None, str | None]:
    """``(cajones, problema)`` según las etiquetas de estacionamiento para discapacidad."""
    amenity = _texto(etiquetas.get("amenity"))
    para_discapacidad = _texto(etiquetas.get("capacity:disabled"))
    if para_discapacidad is not None and para_discapacidad.lower() in ("no", "0"):
        para_discapacidad = None
    if amenity == "parking_space" and _texto(etiquetas.get("parking_space")) == "disabled":
        return _texto(etiquetas.get("capacity")), None
    if amenity in ("parking", "parking_space") and para_discapacidad is not None:
        return ("1" if para_discapacidad.lower() == "yes" else para_discapacidad), None
    return None, NO_ES_PARA_DISCAPACIDAD


def _punto(geometria: object) -> tuple[str | None, str | None, str | None]:
    """``(latitud, longitud, problema)``: el punto, o el representativo de otra figura."""
    if not geometria:
        return None, None, None
    try:
        forma = shapely.geometry.shape(geometria)
        punto = forma if forma.geom_type == "Point" else forma.representative_point()
    except Exception:  # shapely lanza varios tipos ante geometrías mal formadas
        punto = None
    if punto is None or punto.is_empty:
        return None, None, "geometría no reconocida: " + json.dumps(geometria)[:80]
    return repr(float(punto.y)), repr(float(punto.x)), None


def _id_osm(elemento: dict, propiedades: dict) -> str | None:
    """``node/123``: de ``properties['@id']``, del ``id`` del elemento o de ``type`` + ``id``."""
    for candidato in (propiedades.get("@id"), elemento.get("id"), propiedades.get("id")):
        texto = _texto(candidato)
        if texto and "/" in texto:
            return texto
    numero = _texto(elemento.get("id")) or _texto(propiedades.get("id"))
    tipo = _texto(propiedades.get("@type") or propiedades.get("type"))
    if numero and tipo in ("node", "way", "relation"):
        return f"{tipo}/{numero}"
    return numero


def _texto(valor: object) -> str | None:
    if valor is None or isinstance(valor, bool | dict | list):
        return None
    return str(valor).strip() or None
