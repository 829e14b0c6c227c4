"""Una carga: leer -> mapear columnas -> validar -> normalizar -> georreferenciar -> escribir.

Todas las fuentes pasan por los mismos pasos; lo propio de cada una vive en
``ingesta/fuentes/<tipo>.py``. Si la carga falla no se crea ninguna versión.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from almacen.config import directorio_cache
from almacen.csv_seguro import escribir_csv
from almacen.versiones import Almacen, Version
from ingesta import lectura
from ingesta.errores import ArchivoIlegible, ErrorIngesta, TipoDesconocido
from ingesta.fuentes import FUENTES
from ingesta.fuentes.base import Contexto, Formato, Fuente, Salida
from ingesta.geografia import ENTIDADES, MOTIVO_OTRA_ENTIDAD, es_otra_entidad, municipios
from ingesta.lectura import Archivo
from ingesta.normalizacion import Registro
from ingesta.privacidad import enmascarar_capa

log = logging.getLogger(__name__)


@dataclass
class ResultadoCarga:
    """Resumen de una carga para la CLI (``--json``) y las pruebas."""

    version: str
    tipo: str
    formato: str
    archivo: str
    sha256: str
    filas_leidas: int
    filas_aceptadas: int
    filas_rechazadas: int
    filas_omitidas: int
    advertencias: int
    rechazos: str | None
    fecha_corte: str | None
    #: Avisos de la carga completa (codificación mezclada, fecha de corte futura...).
    avisos: list[str]

    def como_dict(self) -> dict:
        return dict(self.__dict__)


def cargar(
    tipo: str,
    ruta: str | Path,
    raiz: str | Path,
    *,
    fecha_corte: str | None = None,
    ejemplo: bool = False,
    antes_de_publicar: Callable[[Path], None] | None = None,
    opciones: dict | None = None,
) -> ResultadoCarga:
    """Carga un archivo de la fuente ``tipo`` y publica una versión nueva del almacén.

    Parameters
    ----------
    tipo
        Una de las fuentes de ``ingesta.fuentes.FUENTES``.
    ruta
        Archivo publicado (CSV, XLSX, JSON o GeoJSON).
    raiz
        Carpeta del almacén.
    fecha_corte
        Fecha de corte ISO; si falta se toma del archivo o, en último caso, la de hoy. Nunca
        es posterior al día de la carga: una fecha futura se recorta con un aviso.
    opciones
        Opciones de la carga para archivos que no las traen (``anio``, ``programa``).
    ejemplo
        Marca la carga como datos de ejemplo (sintéticos).

    Raises
    ------
    ErrorIngesta
        Cuando el archivo no se puede cargar; no se crea ninguna versión.
    """
    fuente = _fuente(tipo)
    pasos = tqdm(total=4, desc=f"Cargando {tipo}", disable=not sys.stderr.isatty(), leave=False)
    archivo = lectura.abrir(ruta)
    with ThreadPoolExecutor(max_workers=1) as hilo:
        # La huella sha256 se calcula mientras Arrow lee el archivo (hashlib suelta el GIL).
        huella = hilo.submit(lambda: archivo.sha256)
        formato, tabla = _leer(fuente, archivo)
        huella.result()
    mezcla = archivo.extension in (".csv", ".txt", ".tsv", "") and archivo.mezcla_codificaciones
    archivo.datos = b""  # ya leído (y su huella calculada): no ocupa memoria durante la carga
    pasos.update()
    if tabla.empty:
        raise ErrorIngesta(f"El archivo {archivo.nombre} no tiene filas de datos (solo encabezado)")
    filas = tabla.attrs.get("lineas")
    if filas is None:
        filas = tabla.index.to_numpy() + (1 if formato.json else 2)
    leidas = len(tabla)
    geo = municipios()
    tabla, filas, fuera = _omitir_otras_entidades(formato, tabla, np.asarray(filas), geo.estado)
    if tabla.empty:
        raise ErrorIngesta(
            f"Ninguna de las {leidas:,} filas de {archivo.nombre} es de la entidad "
            f"{geo.estado} ({ENTIDADES[geo.estado]}): todas son de otras entidades. Revise "
            "SIGUE_ESTADO o el archivo.",
            archivo=archivo.nombre,
        )
    registro = Registro(filas, tabla.attrs.get("originales"), fuente.personales)
    ctx = Contexto(archivo=archivo, geo=geo, registro=registro, opciones=opciones or {})
    # Sin otra referencia a la tabla leída: ``procesar`` puede soltar cada columna en cuanto
    # la usó (memoria pico de un archivo grande).
    entrada = [tabla.reset_index(drop=True)]
    del tabla
    salida: Salida = formato.procesar(entrada.pop(), ctx)
    pasos.update()
    rechazos = registro.rechazos()
    advertencias = registro.advertencias()
    aceptadas = int(registro.aceptada.sum())
    omitidas = int(registro.omitida.sum()) + fuera
    omisiones = registro.omisiones()
    if fuera:
        omisiones[MOTIVO_OTRA_ENTIDAD] = omisiones.get(MOTIVO_OTRA_ENTIDAD, 0) + fuera
    rechazadas = leidas - aceptadas - omitidas
    if aceptadas == 0:
        destino = _guardar_rechazos_fallidos(Path(raiz), tipo, rechazos)
        detalle = f" ({omitidas:,} omitidas por ser de otra entidad)" if omitidas else ""
        raise ErrorIngesta(
            f"Ninguna de las {leidas:,} filas de {archivo.nombre} se pudo aceptar{detalle}; "
            f"los motivos están en {destino}",
            archivo=archivo.nombre,
        )
    avisos = list(salida.avisos)
    if mezcla:
        avisos.append(
            f"{archivo.nombre} mezcla codificaciones (UTF-8 y Latin-1): se leyó como "
            f"{archivo.codificacion}; revise acentos y eñes"
        )
    corte = fecha_corte or salida.fecha_corte or date.today().isoformat()
    if corte > date.today().isoformat():
        avisos.append(
            f"La fecha de corte {corte} es posterior a hoy: se usa la de hoy "
            f"({date.today().isoformat()})"
        )
        corte = date.today().isoformat()
    carga = {
        "tipo": tipo,
        "descripcion": FUENTES[tipo].descripcion,
        "formato": formato.nombre,
        "formato_titulo": formato.titulo or formato.nombre,
        **({"licencia_origen": formato.licencia} if formato.licencia else {}),
        "archivo": archivo.nombre,
        "sha256": archivo.sha256,
        "filas_leidas": leidas,
        "filas_aceptadas": aceptadas,
        "filas_rechazadas": rechazadas,
        "filas_omitidas": omitidas,
        "omisiones": omisiones,
        "advertencias": len(advertencias),
        "avisos": avisos,
        "fecha_corte": corte,
        "ejemplo": ejemplo,
        **{k: v for k, v in (opciones or {}).items() if v is not None},
    }
    almacen = Almacen(raiz)
    # Texto libre publicado (nombres de obra, contratista, observaciones...) sin datos
    # personales por su forma, en cualquier columna.
    cambios = {
        capa: (enmascarar_capa(tabla), particion)
        for capa, (tabla, particion) in salida.capas.items()
    }
    if ctx.geo.nacional:
        cambios = _por_entidad(cambios)
    actual = almacen.version() if almacen.id_actual() else None
    if actual is None or not actual.tiene("municipios"):
        cambios["municipios"] = (ctx.geo.simplificados, None)
    adjuntos = {
        f"rechazos/{tipo}.csv": lambda ruta: _escribir_motivos(rechazos, ruta),
        f"rechazos/{tipo}-advertencias.csv": lambda ruta: _escribir_motivos(advertencias, ruta),
    }
    pasos.update()
    version: Version = almacen.crear_version(
        cambios, carga, adjuntos=adjuntos, antes_de_publicar=antes_de_publicar
    )
    pasos.update()
    pasos.close()
    log.info("Versión %s creada con %s (%s filas aceptadas)", version.id, archivo.nombre, aceptadas)
    return ResultadoCarga(
        version=version.id,
        tipo=tipo,
        formato=formato.nombre,
        archivo=archivo.nombre,
        sha256=archivo.sha256,
        filas_leidas=leidas,
        filas_aceptadas=aceptadas,
        filas_rechazadas=rechazadas,
        filas_omitidas=omitidas,
        advertencias=len(advertencias),
        rechazos=str(version.ruta / f"rechazos/{tipo}.csv"),
        fecha_corte=carga["fecha_corte"],
        avisos=avisos,
    )


def cargar_ejemplo(raiz: str | Path, cache: str | Path | None = None) -> list[ResultadoCarga]:
    """Genera el conjunto de datos de ejemplo (sintético) y lo carga por la vía normal.

    Los archivos crudos se guardan en ``cache`` (por omisión la carpeta de caché del
    usuario), fuera del almacén: el padrón crudo trae nombres y CURP (ficticios) que no
    deben quedar junto a los datos publicados.
    """
    from ingesta.ejemplo import generar

    raiz = Path(raiz)
    archivos = generar(Path(cache) if cache else directorio_cache() / "ejemplo")
    return [
        cargar(tipo, ruta, raiz, ejemplo=True, fecha_corte=CORTES_EJEMPLO.get(tipo))
        for tipo, ruta in archivos.items()
    ]


#: Fecha de corte de los archivos de ejemplo que no la traen dentro (el catálogo, la
#: matrícula y el padrón): la misma del presupuesto de ejemplo, no la del día de la carga.
CORTES_EJEMPLO = {"escuelas": "2025-09-30", "matricula": "2025-09-30", "padron": "2025-09-30"}


#: Cómo se sabe la entidad de cada fila, en orden de preferencia: la columna ``cve_ent``
#: (presupuesto), los dos primeros caracteres de la clave de la escuela (``cct``: escuelas,
#: matrícula y padrón) o del municipio (``cvegeo``: padrones públicos). Es una parte de la
#: partición (``Almacen.crear_version``).
ENTIDAD_DE_FILA = (("cve_ent", "cve_ent"), ("cct", "cct[:2]"), ("cvegeo", "cvegeo[:2]"))


def _por_entidad(cambios: dict) -> dict:
    """Modo nacional: una carga reemplaza solo las filas de las entidades que trae.

    En las capas que dicen la entidad de cada fila (:data:`ENTIDAD_DE_FILA`) la entidad se
    suma a la partición (o es la partición, si la capa se reemplazaba completa): cargar la
    Cuenta Pública (o el catálogo de escuelas, la matrícula, el padrón) de Morelos no borra
    la de Oaxaca del mismo año, y volver a cargar la de Oaxaca reemplaza solo la de Oaxaca.
    Las obras no guardan su entidad (una obra estatal no tiene municipio): siguen por
    formato, año y trimestre. Con una sola entidad no se usa (nada cambia).
    """
    resultado = {}
    for capa, (tabla, particion) in cambios.items():
        parte = next((p for columna, p in ENTIDAD_DE_FILA if columna in tabla.columns), None)
        if parte is not None and parte not in (particion or []):
            particion = [*(particion or []), parte]
        resultado[capa] = (tabla, particion)
    return resultado


def _fuente(tipo: str) -> Fuente:
    if tipo not in FUENTES:
        raise TipoDesconocido(
            f"Tipo de fuente desconocido: {tipo!r}. Tipos válidos: {', '.join(FUENTES)}"
        )
    return FUENTES[tipo]


def _omitir_otras_entidades(
    formato: Formato, tabla: pd.DataFrame, filas: np.ndarray, estado: str
) -> tuple[pd.DataFrame, np.ndarray, int]:
    """Quita antes de procesar las filas que son con certeza de otra entidad (archivos
    nacionales: en el SRFT o en Ojos al Gasto son más del 95 %). Se cuentan como omitidas."""
    columna = next((c for c in formato.entidad if c in tabla.columns), None)
    if columna is None:
        return tabla, filas, 0
    fuera = es_otra_entidad(tabla[columna], estado).to_numpy()
    if not fuera.any():
        return tabla, filas, 0
    atributos = dict(tabla.attrs)
    tabla = tabla[~fuera].reset_index(drop=True)
    tabla.attrs.update(atributos)
    return tabla, filas[~fuera], int(fuera.sum())


def _leer(fuente: Fuente, archivo: Archivo) -> tuple[Formato, pd.DataFrame]:
    if archivo.extension in (".json", ".geojson"):
        datos = lectura.leer_json(archivo)
        for formato in fuente.formatos:
            if formato.json and formato.reconoce_json and formato.reconoce_json(datos):
                return formato, formato.leer_json(datos, archivo)
        raise TipoDesconocido(
            f"El JSON {archivo.nombre} no corresponde a ningún formato de {fuente.tipo}",
            archivo=archivo.nombre,
        )
    tabulares = [f for f in fuente.formatos if not f.json]
    if not tabulares:
        raise TipoDesconocido(
            f"La fuente {fuente.tipo} solo acepta archivos JSON o GeoJSON", archivo=archivo.nombre
        )
    formato = reconocer(fuente, archivo)
    return formato, lectura.leer_tabla(archivo, formato.columnas)


def reconocer(fuente: Fuente, archivo: Archivo) -> Formato:
    """El formato tabular de ``fuente`` que mejor corresponde al encabezado del archivo.

    Corresponden los formatos cuyas columnas obligatorias y distintivas están todas; entre
    ellos gana el que reconoce más columnas. Si ninguno corresponde, el error dice «no se
    reconoce el formato», el formato más cercano, las columnas que le faltan y las halladas.
    """
    if archivo.extension not in (".xlsx", ".xlsm", ".csv", ".txt", ".tsv", ""):
        raise ArchivoIlegible(
            f"Formato no reconocido para {archivo.nombre}: se aceptan CSV, XLSX, ZIP con CSV, "
            "JSON y GeoJSON",
            archivo=archivo.nombre,
        )
    encabezado = archivo.encabezado()
    tabulares = [f for f in fuente.formatos if not f.json]
    completos = [f for f in tabulares if not f.faltantes(encabezado)]
    if completos:
        return max(completos, key=lambda f: f.puntaje(encabezado))
    cercano = min(tabulares, key=lambda f: (len(f.faltantes(encabezado)), -f.puntaje(encabezado)))
    raise lectura.no_reconocido(
        archivo,
        fuente.tipo,
        cercano.titulo or cercano.nombre,
        cercano.faltantes(encabezado),
        encabezado,
    )


def _escribir_motivos(tabla: pd.DataFrame, ruta: Path) -> None:
    escribir_csv(tabla, ruta)


def _guardar_rechazos_fallidos(raiz: Path, tipo: str, rechazos: pd.DataFrame) -> Path:
    carpeta = raiz / "rechazos_fallidos"
    carpeta.mkdir(parents=True, exist_ok=True)
    marca = pd.Timestamp.now().strftime("%Y%m%dT%H%M%S")
    destino = carpeta / f"{tipo}-{marca}-{np.random.default_rng().integers(1e6):06d}.csv"
    _escribir_motivos(rechazos, destino)
    return destino
