"""padron — Padrón de beneficiarios, una fila por alumno (SIIPP-G, "Estructura Personas").

Los datos personales (nombre, CURP, fecha de nacimiento) solo se usan aquí para contar
alumnos distintos y detectar CURP repetidas entre escuelas: del CSV se leen únicamente las
columnas necesarias (los nombres y fechas de nacimiento ni siquiera se cargan) y al almacén
llegan solo agregados por escuela, ciclo y beneficio. Ningún mensaje muestra una CURP.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from almacen.esquemas import columnas
from ingesta import normalizacion as norm
from ingesta.fuentes import padron_publico
from ingesta.fuentes.base import Contexto, Formato, Fuente, Salida, exigir, fechas
from ingesta.fuentes.escuelas import PATRON_CCT
from ingesta.lectura import Columna

#: CURP: 4 letras, fecha AAMMDD, sexo (H, M o X), 2 letras de entidad, 3 consonantes,
#: homoclave y dígito verificador.
PATRON_CURP = r"^[A-Z]{4}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[A-Z0-9]\d$"

#: Único lugar donde se traducen los códigos numéricos del programa a beneficios.
BENEFICIOS = {
    "UNIFORME": "UNIFORME",
    "UNIFORMES": "UNIFORME",
    "UNIFORME ESCOLAR": "UNIFORME",
    "1": "UNIFORME",
    "UTILES": "UTILES",
    "UTILES ESCOLARES": "UTILES",
    "2": "UTILES",
}

#: Columnas personales del layout: no se leen (y su valor nunca se muestra).
PERSONALES = frozenset(
    {"NB_CURP", "NB_PRIMER_AP", "NB_SEGUNDO_AP", "NB_NOMBRE", "FH_NACIMIENTO", "ID_PERSONA"}
)

COLUMNAS = [
    Columna("NB_CURP", ("CURP",)),
    Columna("CV_CCT", ("CLAVECCT", "CCT")),
    Columna("CICLO", ("ANIO",)),
    Columna("CD_BENEFICIO", ("BENEFICIO",)),
    Columna("NU_IMP_MONETARIO", ("MONTO", "IMPORTE"), requerida=False),
    Columna("FH_ENTREGA", requerida=False),
    Columna("CD_SEXO", requerida=False),
]


def procesar(tabla: pd.DataFrame, ctx: Contexto) -> Salida:
    """Valida el padrón y lo reduce a agregados por escuela, ciclo y beneficio."""
    reg = ctx.registro
    exigir(tabla, ["NB_CURP", "CV_CCT", "CICLO", "CD_BENEFICIO"], ctx)
    curp = _mayusculas(tabla["NB_CURP"])
    reg.rechazar(
        _no_cumple(curp, PATRON_CURP),
        "NB_CURP",
        "CURP con estructura no válida (valor oculto por ser dato personal)",
    )
    cct = _mayusculas(tabla["CV_CCT"])
    cct_mal = _no_cumple(cct, PATRON_CCT)
    publicadas = pd.Series(cct.to_pandas(), index=tabla.index) if cct_mal.any() else None
    reg.rechazar(cct_mal, "CV_CCT", "clave CCT no válida", valores=publicadas)
    _, anio, ciclo_mal = norm.ciclo(tabla["CICLO"])
    reg.rechazar(ciclo_mal, "CICLO", "ciclo no reconocido", valores=tabla["CICLO"])
    beneficio = _beneficio(tabla["CD_BENEFICIO"])
    reg.rechazar(
        tabla["CD_BENEFICIO"].notna() & beneficio.isna(),
        "CD_BENEFICIO",
        "beneficio desconocido (se espera UNIFORME o UTILES)",
        valores=tabla["CD_BENEFICIO"],
    )
    if "NU_IMP_MONETARIO" in tabla.columns:
        monto, monto_mal = _monto(tabla["NU_IMP_MONETARIO"])
        reg.rechazar(monto_mal, "NU_IMP_MONETARIO", "importe no numérico")
        reg.rechazar(monto < 0, "NU_IMP_MONETARIO", "importe negativo")
    else:
        monto = pd.Series(np.nan, index=tabla.index)
    fechas(tabla, {"FH_ENTREGA": "fecha_entrega"}, ctx)
    sexo = tabla["CD_SEXO"].str.upper().str.strip() if "CD_SEXO" in tabla.columns else None

    ok = reg.aceptada
    # Todo se reduce a códigos enteros antes de agregar: la CURP pasa a ser un número de
    # renglón de alumno y se descarta.
    curp_cod = _codigos(curp)[0][ok]
    cct_cod, ccts = _codigos(cct)
    ben_cod, beneficios = pd.factorize(beneficio)
    anio_cod, anios = pd.factorize(anio)
    filas = Codigos(
        curp=curp_cod.astype("int64"),
        cct=cct_cod[ok],
        ccts=ccts,
        anio=anio_cod[ok],
        anios=np.asarray(anios, dtype="int64"),
        beneficio=ben_cod[ok],
        beneficios=np.asarray(beneficios, dtype=object),
        monto=monto.to_numpy(dtype="float64")[ok],
        sexo=sexo.to_numpy(dtype=object, na_value=None)[ok] if sexo is not None else None,
    )
    with ThreadPoolExecutor(max_workers=2) as hilos:  # numpy suelta el GIL al ordenar
        primeras = _primeras(filas)
        repetidos = hilos.submit(_repetidos, filas, primeras[1])
        agregado = _agregar(filas, primeras)
        return Salida(
            capas={
                "padron": (agregado, ["anio"]),
                "padron_repetidos": (repetidos.result(), ["anio"]),
            }
        )


@dataclass
class Codigos:
    """Filas aceptadas del padrón como códigos enteros (índices en ``ccts``, ``anios``...)."""

    curp: np.ndarray
    cct: np.ndarray
    ccts: np.ndarray
    anio: np.ndarray
    anios: np.ndarray
    beneficio: np.ndarray
    beneficios: np.ndarray
    monto: np.ndarray
    sexo: np.ndarray | None


def _mayusculas(serie: pd.Series) -> pa.Array:
    """Columna de texto como arreglo de Arrow en mayúsculas (``utf8_upper``, lo mismo que
    ``str.upper`` de pandas con texto de Arrow)."""
    arreglo = pa.array(serie, type=pa.large_string(), from_pandas=True)
    if isinstance(arreglo, pa.ChunkedArray):
        arreglo = arreglo.combine_chunks()
    return pc.utf8_upper(arreglo)


def _no_cumple(texto: pa.Array, patron: str) -> np.ndarray:
    """Verdadero donde hay un valor que no cumple ``patron`` completo (los nulos, falso).

    Con ``pyarrow.compute.match_substring_regex`` (RE2): ``patron`` va anclado con ``^`` y
    ``$``. Con texto que no es ASCII (``\\d`` de Python acepta dígitos de otros alfabetos y
    RE2 no) se usa ``re`` de Python, como hacía pandas: el resultado es el mismo siempre.
    """
    if pc.all(pc.string_is_ascii(texto)).as_py() is not False:
        cumple = pc.match_substring_regex(texto, patron)
        mal = pc.and_kleene(pc.is_valid(texto), pc.invert(cumple))
        return pc.fill_null(mal, False).to_numpy(zero_copy_only=False)
    serie = pd.Series(texto.to_pylist(), dtype=object)
    return (serie.notna() & ~serie.str.fullmatch(patron).fillna(False).astype(bool)).to_numpy()


def _codigos(texto: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Como ``pd.factorize``: códigos en orden de primera aparición (-1 = nulo) y valores."""
    cod = pc.dictionary_encode(texto)
    codigos = pc.fill_null(cod.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codigos, np.asarray(cod.dictionary.to_pylist(), dtype=object)


@norm.por_valores_unicos
def _monto(serie: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """``norm.monto`` una vez por importe distinto (en un padrón se repiten muchísimo)."""
    return norm.monto(serie)


@norm.por_valores_unicos
def _beneficio(serie: pd.Series) -> pd.Series:
    clave = norm.sin_acentos_mayusculas(serie).str.replace(r"\.0$", "", regex=True)
    return clave.map(BENEFICIOS).astype(object)


def _primeras(filas: Codigos) -> tuple[np.ndarray, np.ndarray]:
    """Primera fila de cada (escuela, ciclo, beneficio, alumno) y de cada (escuela, ciclo,
    alumno), en orden de fila.

    Con códigos enteros y una sola pasada completa: la primera fila de un (escuela, ciclo,
    alumno) es también la primera de su (escuela, ciclo, beneficio, alumno), así que la
    segunda búsqueda se hace solo entre las primeras de la primera.
    """
    n_cct, n_ben = len(filas.ccts), len(filas.beneficios)
    n_curp = int(filas.curp.max()) + 1 if len(filas.curp) else 1
    escuela_ciclo = filas.anio.astype("int64") * n_cct + filas.cct
    con_beneficio = (escuela_ciclo * n_ben + filas.beneficio) * n_curp + filas.curp
    primera = np.flatnonzero(~pd.Series(con_beneficio).duplicated().to_numpy())
    sin_beneficio = escuela_ciclo[primera] * n_curp + filas.curp[primera]
    return primera, primera[~pd.Series(sin_beneficio).duplicated().to_numpy()]


def _agregar(filas: Codigos, primeras: tuple[np.ndarray, np.ndarray]) -> pd.DataFrame:
    """Alumnos distintos, paquetes e importe por escuela, ciclo y beneficio (y TOTAL).

    Con códigos enteros, ``np.unique`` y ``np.bincount``: un padrón de un millón de filas
    se agrega en una fracción de segundo.
    """
    n_cct, n_ben = len(filas.ccts), len(filas.beneficios)
    escuela_ciclo = filas.anio.astype("int64") * n_cct + filas.cct
    monto = filas.monto
    partes = []
    for etiqueta, grupo, n_grupos, primera in (
        (
            None,
            escuela_ciclo * n_ben + filas.beneficio,
            len(filas.anios) * n_cct * n_ben,
            primeras[0],
        ),
        ("TOTAL", escuela_ciclo, len(filas.anios) * n_cct, primeras[1]),
    ):
        paquetes = np.bincount(grupo, minlength=n_grupos)
        suma = np.bincount(grupo, weights=np.nan_to_num(monto), minlength=n_grupos)
        con_monto = np.bincount(grupo, weights=~np.isnan(monto), minlength=n_grupos)
        grupo_par = grupo[primera]
        alumnos = np.bincount(grupo_par, minlength=n_grupos)
        presentes = np.flatnonzero(paquetes)
        ec = presentes if etiqueta else presentes // n_ben
        tabla = pd.DataFrame(
            {
                "cct": filas.ccts[ec % n_cct],
                "anio": filas.anios[ec // n_cct],
                "beneficio": etiqueta or filas.beneficios[presentes % n_ben],
                "alumnos": alumnos[presentes],
                "paquetes": paquetes[presentes],
                "monto": np.where(con_monto[presentes] > 0, suma[presentes], np.nan),
                "mujeres": pd.NA,
                "hombres": pd.NA,
            }
        )
        if etiqueta and filas.sexo is not None:
            for columna, letra in (("mujeres", "M"), ("hombres", "H")):
                conteo = np.bincount(grupo_par[filas.sexo[primera] == letra], minlength=n_grupos)
                tabla[columna] = conteo[presentes]
        partes.append(tabla)
    resultado = pd.concat(partes, ignore_index=True)
    resultado = resultado.astype({"mujeres": "Int64", "hombres": "Int64"})
    return resultado[columnas("padron")].sort_values(
        ["cct", "anio", "beneficio"], ignore_index=True
    )


def _repetidos(filas: Codigos, primera: np.ndarray) -> pd.DataFrame:
    """Alumnos (anónimos) en más de una escuela: ``(anio, grupo, cct)``, sin la CURP.

    ``primera``: la primera fila de cada (escuela, ciclo, alumno), de :func:`_primeras`.
    """
    n_curp = int(filas.curp.max()) + 1 if len(filas.curp) else 1
    alumno = filas.anio.astype("int64") * n_curp + filas.curp
    # Cada (alumno, escuela) una vez (``primera``), y cuántas escuelas tiene cada alumno.
    alumno_u, cct_u = alumno[primera], filas.cct[primera]
    escuelas = np.bincount(alumno_u, minlength=int(alumno.max()) + 1 if len(alumno) else 0)
    repetido = escuelas[alumno_u] > 1
    alumno_r, cct_r = alumno_u[repetido], cct_u[repetido]
    orden = np.lexsort((cct_r, alumno_r))
    alumno_r, cct_r = alumno_r[orden], cct_r[orden]
    _, grupo = np.unique(alumno_r, return_inverse=True)
    return pd.DataFrame(
        {
            "anio": filas.anios[alumno_r // n_curp],
            "grupo": (grupo + 1).astype("int64"),
            "cct": filas.ccts[cct_r],
        }
    )


FUENTE = Fuente(
    tipo="padron",
    descripcion="Padrón de beneficiarios (SIIPP-G por alumno o padrón público agregado de un "
    "programa), solo agregados",
    formatos=[
        Formato(
            nombre="SIIPP-G",
            columnas=COLUMNAS,
            procesar=procesar,
            titulo="SIIPP-G «Estructura Personas» (una fila por alumno, con CURP)",
        ),
        padron_publico.FORMATO,
    ],
    personales=PERSONALES,
)
