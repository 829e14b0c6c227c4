"""Lectura de archivos publicados a una tabla de texto con columnas canónicas.

Acepta CSV (UTF-8, UTF-8 con BOM, CP1252 / Latin-1, separador ``,`` ``;`` ``|`` o tabulador),
XLSX (primera hoja) y JSON / GeoJSON. Todas las celdas se leen como texto: la validación y
la conversión de tipos son pasos posteriores, para poder explicar cada rechazo.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ingesta.errores import ArchivoIlegible, ColumnaFaltante, FormatoNoReconocido
from ingesta.geografia import normalizar_nombre

CODIFICACIONES = ("utf-8", "cp1252", "latin-1")


@dataclass(frozen=True)
class Columna:
    """Columna canónica de una fuente con sus alias tal como aparecen en archivos oficiales."""

    nombre: str
    alias: tuple[str, ...] = ()
    requerida: bool = True

    def nombres(self) -> list[str]:
        return [normalizar_columna(n) for n in (self.nombre, *self.alias)]


@dataclass(eq=False)
class Archivo:
    """Contenido crudo de un archivo: bytes, nombre y huella sha256."""

    ruta: Path
    datos: bytes = field(repr=False)

    @property
    def nombre(self) -> str:
        return self.ruta.name

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.datos).hexdigest()

    @cached_property
    def codificacion(self) -> str:
        """Codificación del texto: UTF-8 (con o sin BOM), CP1252 o Latin-1."""
        for codificacion in CODIFICACIONES:
            if _decodifica(self.datos, codificacion):
                return codificacion
        raise ArchivoIlegible(
            f"No se reconoce la codificación de {self.nombre}"
        )  # pragma: no cover

    @cached_property
    def extension(self) -> str:
        return self.ruta.suffix.lower()

    @cached_property
    def mezcla_codificaciones(self) -> bool:
        """Verdadero si el texto no es UTF-8 válido pero trae secuencias UTF-8 de acentos
        (``Ã©``): el archivo mezcla codificaciones y algunas letras pueden verse mal."""
        return (
            self.codificacion != "utf-8"
            and re.search(rb"[\xc2\xc3][\x80-\xbf]", self.datos) is not None
        )

    def encabezado(self) -> list[str]:
        """Nombres de columna tal como vienen en el archivo (CSV, XLSX), con la misma
        codificación que el cuerpo; vacío si el archivo no es tabular o no se puede leer."""
        if self.extension in (".xlsx", ".xlsm"):
            return _encabezado_xlsx(self)
        if self.extension not in (".csv", ".txt", ".tsv", ""):
            return []
        primera = _primera_linea_detectada(self.datos)
        return next(csv.reader([primera], delimiter=_separador(primera)), [])


def _decodifica(datos: bytes, codificacion: str, bloque: int = 1 << 22) -> bool:
    """``datos`` es texto válido en ``codificacion`` (como ``datos.decode(codificacion)``, pero
    por bloques: sin armar en memoria el texto completo de un archivo grande)."""
    import codecs

    decodificador = codecs.getincrementaldecoder(codificacion)()
    vista = memoryview(datos)
    try:
        for inicio in range(0, len(datos), bloque):
            decodificador.decode(vista[inicio : inicio + bloque], final=False)
        decodificador.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def abrir(ruta: str | Path) -> Archivo:
    """Lee los bytes de un archivo; error claro si no existe o está vacío."""
    ruta = Path(ruta)
    if ruta.exists() and not ruta.is_dir() and not ruta.is_file():
        raise ArchivoIlegible(
            f"{ruta} no es un archivo común (dispositivo o tubería): no se lee", archivo=ruta.name
        )
    try:
        datos = ruta.read_bytes()
    except FileNotFoundError:
        raise ArchivoIlegible(f"No existe el archivo {ruta}") from None
    except IsADirectoryError:
        raise ArchivoIlegible(f"{ruta} es una carpeta, no un archivo") from None
    except OSError as error:
        raise ArchivoIlegible(f"No se pudo leer el archivo {ruta}: {error.strerror}") from None
    if not datos or datos.isspace():
        raise ArchivoIlegible(f"El archivo {ruta.name} está vacío")
    if ruta.suffix.lower() == ".zip":
        return _de_zip(ruta, datos)
    return Archivo(ruta=ruta, datos=datos)


#: Tamaño máximo de un archivo dentro de un ZIP y razón máxima de compresión (un CSV real
#: se comprime de 5 a 20 veces; una «bomba», miles).
MAXIMO_EN_ZIP = 2 << 30
MAXIMA_COMPRESION = 200


def _de_zip(ruta: Path, datos: bytes) -> Archivo:
    """El CSV más grande dentro de un ZIP (SRFT publica ``efAAAA.zip`` con el reporte y un
    ``fuentes_financiamiento.csv`` pequeño). La huella sha256 es la del ZIP publicado."""
    try:
        with zipfile.ZipFile(io.BytesIO(datos)) as zip_:
            tablas = [
                i
                for i in zip_.infolist()
                if not i.is_dir() and Path(i.filename).suffix.lower() in (".csv", ".txt")
            ]
            if not tablas:
                raise ArchivoIlegible(f"El ZIP {ruta.name} no contiene ningún archivo CSV")
            elegido = max(tablas, key=lambda i: i.file_size)
            razon = elegido.file_size / max(elegido.compress_size, 1)
            if elegido.file_size > MAXIMO_EN_ZIP or razon > MAXIMA_COMPRESION:
                raise ArchivoIlegible(
                    f"El archivo {elegido.filename} dentro de {ruta.name} es demasiado grande "
                    f"({elegido.file_size / 1e6:,.0f} MB, {razon:,.0f} veces su tamaño "
                    "comprimido): descomprímalo y revíselo antes de cargarlo",
                    archivo=ruta.name,
                )
            contenido = zip_.read(elegido)
    except RuntimeError:  # zipfile lo lanza para archivos cifrados
        raise ArchivoIlegible(
            f"El ZIP {ruta.name} está cifrado (con contraseña): no se puede leer",
            archivo=ruta.name,
        ) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise ArchivoIlegible(f"El ZIP {ruta.name} está dañado: {error}") from None
    if not contenido or contenido.isspace():
        raise ArchivoIlegible(f"El archivo {elegido.filename} dentro de {ruta.name} está vacío")
    archivo = Archivo(
        ruta=ruta.with_name(f"{ruta.name}:{Path(elegido.filename).name}"), datos=contenido
    )
    archivo.__dict__["sha256"] = hashlib.sha256(datos).hexdigest()
    archivo.__dict__["extension"] = Path(elegido.filename).suffix.lower()
    return archivo


def normalizar_columna(nombre: str) -> str:
    """Nombre de columna comparable: sin acentos, minúsculas, ``_`` = espacio, sin bordes."""
    return normalizar_nombre(str(nombre).replace("\ufeff", "")).replace(" ", "_")


def coincidencias(encabezado: list[str], columnas: list[Columna]) -> list[Columna]:
    """Columnas de ``columnas`` que aparecen en ``encabezado`` (por nombre o alias)."""
    presentes = {normalizar_columna(c) for c in encabezado}
    return [c for c in columnas if any(n in presentes for n in c.nombres())]


def no_reconocido(
    archivo: Archivo, tipo: str, cercano: str, faltan: list[str], encabezado: list[str]
) -> FormatoNoReconocido:
    """Error «no se reconoce el formato» con el formato más cercano, lo que le falta y lo hallado."""
    hallados = ", ".join(c for c in encabezado if str(c).strip()) or "(ninguna)"
    return FormatoNoReconocido(
        f"No se reconoce el formato de {archivo.nombre} como {tipo}. El más cercano es "
        f"«{cercano}», al que le faltan las columnas: {', '.join(faltan)}. "
        f"Columnas encontradas: {hallados}",
        archivo=archivo.nombre,
        columna=faltan[0] if faltan else None,
    )


def leer_tabla(archivo: Archivo, columnas: list[Columna]) -> pd.DataFrame:
    """Lee un CSV o XLSX y devuelve solo las columnas conocidas, con su nombre canónico.

    Las columnas que no están en ``columnas`` (p. ej. datos personales no necesarios) no
    se convierten siquiera a texto en memoria cuando el archivo es CSV.
    Falta de una columna requerida: :class:`ColumnaFaltante` con el nombre y el archivo.
    """
    if archivo.extension in (".xlsx", ".xlsm"):
        tabla = _leer_xlsx(archivo)
        encabezado = list(tabla.columns)
        mapa = mapear_columnas(encabezado, columnas, archivo.nombre)
        tabla = tabla[list(mapa)].rename(columns=mapa)
        tabla.attrs["originales"] = {c: o for o, c in mapa.items()}
    elif archivo.extension in (".csv", ".txt", ".tsv", ""):
        tabla = _leer_csv(archivo, columnas)
    else:
        raise ArchivoIlegible(
            f"Formato no reconocido para {archivo.nombre}: se aceptan CSV, XLSX, JSON y GeoJSON"
        )
    return tabla


def mapear_columnas(
    encabezado: list[str], columnas: list[Columna], nombre_archivo: str
) -> dict[str, str]:
    """Relaciona encabezados del archivo con nombres canónicos (``original -> canónico``)."""
    por_normal: dict[str, str] = {}
    for original in encabezado:
        por_normal.setdefault(normalizar_columna(original), original)
    mapa: dict[str, str] = {}
    for columna in columnas:
        encontrada = next((por_normal[n] for n in columna.nombres() if n in por_normal), None)
        if encontrada is not None:
            mapa[encontrada] = columna.nombre
        elif columna.requerida:
            alias = ", ".join(columna.alias)
            detalle = f" (o alguno de sus alias: {alias})" if alias else ""
            raise ColumnaFaltante(
                f"Falta la columna obligatoria {columna.nombre}{detalle} en el archivo {nombre_archivo}",
                archivo=nombre_archivo,
                columna=columna.nombre,
            )
    return mapa


def exigir_alguna(tabla: pd.DataFrame, opciones: list[str], nombre_archivo: str) -> None:
    """Error claro si no está ninguna de las columnas ``opciones`` (se requiere al menos una)."""
    if not any(opcion in tabla.columns for opcion in opciones):
        raise ColumnaFaltante(
            f"El archivo {nombre_archivo} necesita al menos una de las columnas: {', '.join(opciones)}"
        )


def leer_json(archivo: Archivo) -> object:
    """Decodifica un JSON / GeoJSON (UTF-8) con un error claro si no es válido."""
    try:
        texto = archivo.datos.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ArchivoIlegible(
            f"El archivo {archivo.nombre} no es un JSON válido: no está en UTF-8",
            archivo=archivo.nombre,
        ) from None
    try:
        return json.loads(texto, parse_int=_entero_json, parse_constant=_constante_json)
    except RecursionError:
        raise ArchivoIlegible(
            f"El archivo {archivo.nombre} anida listas u objetos demasiados niveles: no se lee",
            archivo=archivo.nombre,
        ) from None
    except (json.JSONDecodeError, ValueError) as error:
        raise ArchivoIlegible(
            f"El archivo {archivo.nombre} no es un JSON válido: {error}", archivo=archivo.nombre
        ) from None


def _entero_json(texto: str) -> int:
    if len(texto) > MAXIMAS_CIFRAS_JSON:
        raise ValueError(f"un número tiene {len(texto):,} cifras (máximo {MAXIMAS_CIFRAS_JSON})")
    return int(texto)


def _constante_json(texto: str) -> float:
    raise ValueError(f"{texto} no es un número válido en JSON")


class _NoEsUtf8(Exception):
    """El texto no es UTF-8 válido: se vuelve a leer con la codificación detectada."""


def _leer_csv(archivo: Archivo, columnas: list[Columna]) -> pd.DataFrame:
    # Primero UTF-8, que valida Arrow mientras lee (en paralelo); solo si falla se revisa
    # el archivo completo para elegir entre CP1252 y Latin-1.
    if _inicio_es_utf8(archivo.datos):
        try:
            return _leer_csv_como(archivo, columnas, "utf-8")
        except _NoEsUtf8:
            pass
    return _leer_csv_como(archivo, columnas, archivo.codificacion)


def _inicio_es_utf8(datos: bytes, tamano: int = 1 << 22) -> bool:
    """Los primeros 4 MB son UTF-8 válido (un archivo Latin-1 con acentos casi siempre falla
    antes): evita leer dos veces un CSV grande que no es UTF-8."""
    import codecs

    try:
        codecs.getincrementaldecoder("utf-8")().decode(datos[:tamano], final=False)
    except UnicodeDecodeError:
        return False
    return True


def _leer_csv_como(archivo: Archivo, columnas: list[Columna], codificacion: str) -> pd.DataFrame:
    try:
        primera = _primera_linea(archivo.datos, codificacion)
    except UnicodeDecodeError:
        raise _NoEsUtf8() from None
    if codificacion != "utf-8":
        # Un archivo que mezcla codificaciones suele traer el encabezado en UTF-8 (``Año``)
        # y filas en Latin-1: el encabezado se lee como lo que es.
        try:
            primera = _primera_linea(archivo.datos, "utf-8")
        except UnicodeDecodeError:
            pass
    separador = _separador(primera)
    encabezado = next(csv.reader([primera], delimiter=separador))
    if not any(c.strip() for c in encabezado):
        raise ArchivoIlegible(f"El archivo {archivo.nombre} no tiene encabezado")
    mapa = mapear_columnas(encabezado, columnas, archivo.nombre)
    nombres_unicos = _nombres_unicos(encabezado)
    incluir = [nombres_unicos[encabezado.index(original)] for original in mapa]
    opciones = dict(
        read_options=pacsv.ReadOptions(
            encoding=codificacion, column_names=nombres_unicos, skip_rows=1, block_size=1 << 24
        ),
        convert_options=pacsv.ConvertOptions(
            include_columns=incluir,
            column_types={n: pa.string() for n in incluir},
            strings_can_be_null=True,
            null_values=[""],
            quoted_strings_can_be_null=True,
        ),
    )
    saltos_en_valores = False
    try:
        try:
            # Sin saltos de línea dentro de valores Arrow lee por bloques en paralelo; si un
            # valor entre comillas sí trae saltos, las columnas no cuadran y se relee.
            tabla = pacsv.read_csv(
                io.BytesIO(archivo.datos),
                parse_options=pacsv.ParseOptions(delimiter=separador),
                **opciones,
            )
        except pa.ArrowInvalid as error:
            if "Expected" not in str(error):
                raise
            saltos_en_valores = True
            tabla = pacsv.read_csv(
                io.BytesIO(archivo.datos),
                parse_options=pacsv.ParseOptions(delimiter=separador, newlines_in_values=True),
                **opciones,
            )
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        if codificacion == "utf-8" and "UTF8" in str(error):
            raise _NoEsUtf8() from None
        raise ArchivoIlegible(
            f"No se pudo leer el CSV {archivo.nombre}: {_explicar(error, archivo, separador, opciones)}"
        ) from None
    renombre = {nombres_unicos[encabezado.index(o)]: c for o, c in mapa.items()}
    nombres = [renombre[n] for n in tabla.column_names]
    columnas_leidas = tabla.columns
    del tabla
    limpias = []
    for i in range(len(columnas_leidas)):
        # Cada columna leída se suelta en cuanto está limpia: en memoria nunca están a la
        # vez el archivo leído completo y el limpio (memoria pico de un archivo grande).
        limpias.append(_limpiar(columnas_leidas[i]))
        columnas_leidas[i] = None
    datos = pa.table(limpias, names=nombres)
    del limpias
    datos = datos.to_pandas()
    datos.attrs["originales"] = {c: o for o, c in mapa.items()}
    # Líneas en blanco o saltos dentro de comillas (Arrow los lee sin error si caben en un
    # bloque): hay más líneas que filas y la fila ya no es «índice + 2».
    lineas = archivo.datos.count(b"\n") + (not archivo.datos.endswith(b"\n"))
    if saltos_en_valores or lineas != len(datos) + 1:
        datos.attrs["lineas"] = _lineas_fisicas(archivo, codificacion, separador, len(datos))
    return datos


def _lineas_fisicas(archivo: Archivo, codificacion: str, separador: str, n: int) -> np.ndarray:
    """Línea del archivo donde empieza cada fila (cuenta líneas en blanco y saltos dentro de
    valores entre comillas), para que un rechazo diga la línea que una persona ve."""
    texto = io.StringIO(archivo.datos.decode(codificacion, errors="replace"), newline="")
    lector = csv.reader(texto, delimiter=separador)
    next(lector, None)
    lineas, anterior = [], lector.line_num
    for fila in lector:
        if fila:
            lineas.append(anterior + 1)
        anterior = lector.line_num
    if len(lineas) != n:  # el lector de Python no coincide con Arrow: índice + encabezado
        return np.arange(n) + 2
    return np.asarray(lineas)


def _limpiar(columna: pa.ChunkedArray) -> pa.ChunkedArray:
    """Quita espacios de los bordes, pasa a NFC y convierte el texto vacío en nulo (en Arrow,
    sin copiar a Python).

    La forma NFC (lo caro) se calcula solo en los valores distintos de una columna con
    acentos y se reparte a sus filas; el texto vacío solo se reemplaza si lo hay (Arrow ya
    lee ``""`` como nulo: quedan las celdas de puros espacios).
    """
    recortada = pc.utf8_trim_whitespace(columna)
    if not pc.all(pc.string_is_ascii(recortada)).as_py():  # NFC solo donde hay acentos
        recortada = _por_diccionario(recortada, lambda v: pc.utf8_normalize(v, "NFC"))
    if pc.any(pc.equal(pc.binary_length(recortada), 0)).as_py():
        recortada = pc.if_else(pc.equal(recortada, ""), pa.scalar(None, pa.string()), recortada)
    return recortada


def _por_diccionario(columna: pa.ChunkedArray, funcion) -> pa.ChunkedArray:
    """``funcion`` (texto -> texto, elemento por elemento) sobre los valores distintos de
    ``columna`` y repartida a sus filas: el mismo resultado que sobre cada fila."""
    partes = []
    for parte in columna.chunks:  # por bloque: un bloque nunca pasa del límite de 2 GB
        codificada = parte.dictionary_encode()
        partes.append(funcion(codificada.dictionary).take(codificada.indices))
    return pa.chunked_array(partes, type=columna.type)


#: Límites de un XLSX: tamaño descomprimido total, filas y columnas de la hoja.
MAXIMO_XLSX_DESCOMPRIMIDO = 1 << 30
MAXIMO_XLSX_FILAS = 2_000_000
MAXIMO_XLSX_COLUMNAS = 500
#: Cifras máximas de un número entero en un JSON.
MAXIMAS_CIFRAS_JSON = 100


def _revisar_xlsx(archivo: Archivo) -> None:
    """Rechaza antes de abrirlo un XLSX que al descomprimirse sería enorme («bomba») o cuya
    hoja declara demasiadas filas o columnas."""
    try:
        with zipfile.ZipFile(io.BytesIO(archivo.datos)) as zip_:
            total = sum(i.file_size for i in zip_.infolist())
            if total > MAXIMO_XLSX_DESCOMPRIMIDO:
                raise ArchivoIlegible(
                    f"El XLSX {archivo.nombre} ocupa {total / 1e6:,.0f} MB descomprimido "
                    f"(máximo {MAXIMO_XLSX_DESCOMPRIMIDO / 1e6:,.0f} MB): guárdelo como CSV",
                    archivo=archivo.nombre,
                )
    except zipfile.BadZipFile:
        raise ArchivoIlegible(
            f"No se pudo leer el XLSX {archivo.nombre}: no es un libro de Excel válido",
            archivo=archivo.nombre,
        ) from None


def _leer_xlsx(archivo: Archivo) -> pd.DataFrame:
    _revisar_xlsx(archivo)
    try:
        import openpyxl

        libro = openpyxl.load_workbook(io.BytesIO(archivo.datos), read_only=True)
        hoja = libro.worksheets[0]
        filas, columnas = hoja.max_row or 0, hoja.max_column or 0
    except Exception as error:  # openpyxl lanza varios tipos para archivos dañados
        raise ArchivoIlegible(f"No se pudo leer el XLSX {archivo.nombre}: {error}") from None
    if filas > MAXIMO_XLSX_FILAS or columnas > MAXIMO_XLSX_COLUMNAS:
        raise ArchivoIlegible(
            f"El XLSX {archivo.nombre} declara {filas:,} filas y {columnas:,} columnas "
            f"(máximo {MAXIMO_XLSX_FILAS:,} y {MAXIMO_XLSX_COLUMNAS:,}): guárdelo como CSV",
            archivo=archivo.nombre,
        )
    try:
        tabla = pd.read_excel(io.BytesIO(archivo.datos), sheet_name=0, dtype=str, engine="openpyxl")
    except Exception as error:  # openpyxl lanza varios tipos para archivos dañados
        raise ArchivoIlegible(f"No se pudo leer el XLSX {archivo.nombre}: {error}") from None
    tabla.columns = [str(c) for c in tabla.columns]
    for columna in tabla.columns:
        tabla[columna] = tabla[columna].str.strip().str.normalize("NFC").replace("", None)
    return tabla


def _primera_linea_detectada(datos: bytes) -> str:
    """Primera línea decodificada como el cuerpo: UTF-8 si lo es, si no CP1252 / Latin-1."""
    try:
        return _primera_linea(datos, "utf-8")
    except UnicodeDecodeError:
        return _primera_linea(datos, "cp1252", errores="replace")


def _encabezado_xlsx(archivo: Archivo) -> list[str]:
    import openpyxl

    _revisar_xlsx(archivo)
    try:
        libro = openpyxl.load_workbook(io.BytesIO(archivo.datos), read_only=True)
        fila = next(libro.worksheets[0].iter_rows(max_row=1, values_only=True), ())
    except Exception:  # archivo dañado: lo explica la lectura completa
        return []
    return [str(c) for c in fila if c is not None]


def _primera_linea(datos: bytes, codificacion: str, errores: str = "strict") -> str:
    fin = datos.find(b"\n")
    linea = datos[: fin if fin >= 0 else len(datos)].removeprefix(b"\xef\xbb\xbf")
    return linea.decode(codificacion, errors=errores).rstrip("\r")


def _separador(linea: str) -> str:
    candidatos = [",", ";", "|", "\t"]
    return max(candidatos, key=linea.count)


def _nombres_unicos(encabezado: list[str]) -> list[str]:
    vistos: dict[str, int] = {}
    resultado = []
    for nombre in encabezado:
        base = nombre.lstrip("\ufeff") or "columna"
        vistos[base] = vistos.get(base, 0) + 1
        resultado.append(base if vistos[base] == 1 else f"{base}.{vistos[base]}")
    return resultado


def _explicar(error: Exception, archivo: Archivo, separador: str, opciones: dict) -> str:
    """Explica un error de lectura sin repetir el contenido de la fila (puede ser personal)."""
    texto = str(error)
    columnas = re.search(r"Expected (\d+) columns, got (\d+)", texto)
    if not columnas:
        return texto.split(":")[0]
    invalidas: list = []

    def anotar(fila) -> str:
        invalidas.append(fila)
        return "skip"

    try:
        pacsv.read_csv(
            io.BytesIO(archivo.datos),
            parse_options=pacsv.ParseOptions(
                delimiter=separador, newlines_in_values=True, invalid_row_handler=anotar
            ),
            read_options=pacsv.ReadOptions(
                **{**_opciones_lectura(opciones["read_options"]), "use_threads": False}
            ),
        )
    except pa.ArrowInvalid:
        pass
    fila = f"la fila {invalidas[0].number} " if invalidas and invalidas[0].number else "una fila "
    return (
        f"{fila}tiene {columnas.group(2)} columnas y el encabezado {columnas.group(1)} "
        "(revise separadores y comillas)"
    )


def _opciones_lectura(opciones: pacsv.ReadOptions) -> dict:
    return {
        "encoding": "latin-1",  # solo se cuentan columnas: ningún byte impide leer la fila
        "column_names": opciones.column_names,
        "skip_rows": opciones.skip_rows,
    }
