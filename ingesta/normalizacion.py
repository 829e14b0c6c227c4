"""Conversión vectorizada de texto publicado a valores, con registro de rechazos y advertencias.

Cada función recibe una columna de texto y devuelve los valores convertidos más una máscara
de los que no se pudieron interpretar; :class:`Registro` junta los motivos por fila.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingesta.privacidad import enmascarar_serie

#: Fecha base de los números de serie de Excel (sistema 1900, con el error del 29-feb-1900).
ORIGEN_EXCEL = pd.Timestamp("1899-12-30")


class Registro:
    """Rechazos y advertencias por fila de una carga.

    ``filas`` son los números de fila del archivo (encabezado = fila 1), alineados con la
    tabla. Una fila con al menos un rechazo no se acepta; las advertencias no impiden aceptar.
    """

    def __init__(
        self,
        filas: pd.Series | np.ndarray,
        originales: dict[str, str] | None = None,
        personales: frozenset[str] = frozenset(),
    ):
        self.filas = np.asarray(filas)
        #: Columnas con datos personales: su valor nunca se copia a un motivo.
        self.personales = personales
        #: Nombre canónico -> nombre de la columna tal como viene en el archivo.
        self.originales = originales or {}
        self.rechazada = np.zeros(len(self.filas), dtype=bool)
        #: Filas fuera de alcance (otra entidad): ni aceptadas ni rechazadas.
        self.omitida = np.zeros(len(self.filas), dtype=bool)
        self._omisiones: dict[str, int] = {}
        self._rechazos: list[pd.DataFrame] = []
        self._advertencias: list[pd.DataFrame] = []

    def rechazar(self, mascara, columna: str, motivo, valores: pd.Series | None = None) -> None:
        """Marca como rechazadas las filas de ``mascara`` con el motivo dado (texto o serie).

        Con ``valores`` el motivo termina con el valor publicado: ``'importe negativo: -5'``.
        """
        mascara = _mascara(mascara)
        if mascara.any():
            self.rechazada |= mascara
            self._rechazos.append(self._tabla(mascara, columna, motivo, valores))

    def omitir(self, mascara, motivo: str) -> None:
        """Marca filas fuera de alcance (p. ej. de otra entidad): no son errores, no van al
        archivo de rechazos y se cuentan aparte (``filas_omitidas``) con su motivo."""
        mascara = _mascara(mascara) & ~self.omitida
        if mascara.any():
            self.omitida |= mascara
            self._omisiones[motivo] = self._omisiones.get(motivo, 0) + int(mascara.sum())

    def omisiones(self) -> dict[str, int]:
        """Motivo -> número de filas omitidas."""
        return dict(self._omisiones)

    def advertir(self, mascara, columna: str, motivo, valores: pd.Series | None = None) -> None:
        """Anota una advertencia en las filas de ``mascara`` (se aceptan igual)."""
        mascara = _mascara(mascara)
        if mascara.any():
            self._advertencias.append(self._tabla(mascara, columna, motivo, valores))

    @property
    def aceptada(self) -> np.ndarray:
        return ~self.rechazada & ~self.omitida

    @property
    def rechazadas(self) -> np.ndarray:
        """Filas rechazadas que no se omitieron (una fila omitida no es un error)."""
        return self.rechazada & ~self.omitida

    def rechazos(self) -> pd.DataFrame:
        """Tabla ``fila, columna, motivo`` de las filas rechazadas (no omitidas), por fila."""
        tabla = _unir(self._rechazos)
        omitidas = set(self.filas[self.omitida].tolist())
        if not omitidas:
            return tabla
        return tabla[~tabla["fila"].isin(omitidas)].reset_index(drop=True)

    def advertencias(self) -> pd.DataFrame:
        """Advertencias de las filas aceptadas (``fila, columna, motivo``)."""
        tabla = _unir(self._advertencias)
        aceptadas = set(self.filas[self.aceptada].tolist())
        return tabla[tabla["fila"].isin(aceptadas)].reset_index(drop=True)

    def _tabla(self, mascara: np.ndarray, columna: str, motivo, valores=None) -> pd.DataFrame:
        if isinstance(motivo, pd.Series):
            motivos = motivo.to_numpy(dtype=object)[mascara]
        else:
            motivos = np.full(int(mascara.sum()), motivo, dtype=object)
        if valores is not None and columna not in self.personales:
            publicados = pd.Series(valores.to_numpy(dtype=object)[mascara]).fillna("")
            motivos = (pd.Series(motivos, dtype=object) + ": " + publicados.astype(str)).to_numpy()
        columna = self.originales.get(columna, columna)
        # Por la forma del valor, no por la columna: una CURP escrita donde iba el CCT, un
        # correo en observaciones... nunca llegan a un motivo.
        motivos = enmascarar_serie(pd.Series(motivos, dtype=object)).to_numpy()
        return pd.DataFrame({"fila": self.filas[mascara], "columna": columna, "motivo": motivos})


def por_valores_unicos(funcion):
    """Aplica ``funcion`` a los valores distintos de la serie y expande el resultado.

    Los archivos publicados repiten mucho los mismos textos (ciclo, beneficio, fechas,
    importes): interpretar cada valor distinto una sola vez hace la conversión de un millón
    de filas casi gratuita. El resultado es idéntico al de aplicar la función fila por fila.
    """

    @functools.wraps(funcion)
    def envoltura(serie: pd.Series, *args, **kwargs):
        codigos, unicos = pd.factorize(serie, use_na_sentinel=True)
        if len(unicos) * 2 > len(serie):
            return funcion(serie, *args, **kwargs)
        codigos = np.where(codigos < 0, len(unicos), codigos)
        resultado = funcion(_con_nulo(unicos, serie.dtype), *args, **kwargs)
        if isinstance(resultado, tuple):
            return tuple(_expandir(parte, codigos, serie.index) for parte in resultado)
        return _expandir(resultado, codigos, serie.index)

    return envoltura


def _con_nulo(unicos: pd.Index, dtype) -> pd.Series:
    """Valores distintos (de ``pd.factorize``) más un nulo al final, con el tipo de la serie."""
    if isinstance(dtype, pd.StringDtype):  # sin pasar cada texto por Python
        posiciones = np.append(np.arange(len(unicos)), -1)
        return pd.Series(unicos.take(posiciones, allow_fill=True).array, dtype=dtype)
    return pd.Series([*unicos, None], dtype=dtype)


def _expandir(parte, codigos: np.ndarray, indice: pd.Index):
    if isinstance(parte, pd.Series):
        expandida = parte.take(codigos)
        expandida.index = indice
        return expandida
    return np.asarray(parte)[codigos]


#: Texto ASCII que :func:`texto` puede cambiar: un espacio en un borde, dos seguidos o uno que
#: no es « » (tabulador, salto... y ``\x1c``–``\x1f``, que Python también trata como espacio).
_ESPACIOS_ASCII = r"^[\x09-\x0d\x1c-\x1f ]|[\x09-\x0d\x1c-\x1f ]$|[\x09-\x0d\x1c-\x1f]|  "
#: Tipo de texto de pandas (Arrow, nulo = NaN): el de las columnas leídas.
_TEXTO_ARROW = pd.StringDtype(storage="pyarrow", na_value=np.nan)


@por_valores_unicos
def texto(serie: pd.Series) -> pd.Series:
    """Texto sin espacios sobrantes; vacío -> nulo.

    En una columna de texto de Arrow solo se pasan por Python los valores que pueden cambiar
    (no ASCII, vacíos o con espacios de más, buscados en Arrow); los demás quedan igual.
    """
    if serie.dtype == _TEXTO_ARROW:
        valores = pa.array(serie.array)
        revisar = pc.or_(
            pc.or_(
                pc.invert(pc.string_is_ascii(valores)),
                pc.match_substring_regex(valores, _ESPACIOS_ASCII),
            ),
            pc.equal(pc.binary_length(valores), 0),
        )
        revisar = revisar.fill_null(False).to_numpy(zero_copy_only=False)
        resultado = serie.copy()
        if revisar.any():
            resultado[revisar] = _texto_filas(serie[revisar]).to_numpy()
        return resultado
    return _texto_filas(serie)


def _texto_filas(serie: pd.Series) -> pd.Series:
    """:func:`texto` valor por valor, en Python."""
    return serie.astype("str").str.strip().str.replace(r"\s+", " ", regex=True).replace("", None)


#: Cómo se publica un importe desconocido: vacío, guion o «no disponible».
IMPORTES_NULOS = frozenset({"-", "--", "–", "—", "N/D", "ND", "N.D.", "N/A", "NA", "S/D", "SD"})
_MEXICANO = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?"
_EUROPEO = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+"
#: Solo puede ser coma decimal: puntos de miles antes de la coma, o coma seguida de un
#: número de cifras que no es 3 (``12,5``; ``1,234`` es ambiguo y se lee como mexicano).
_SOLO_EUROPEO = r"[+-]?(?:\d{1,3}(?:\.\d{3})+,\d+|\d+,(?:\d{1,2}|\d{4,}))"
#: Solo puede ser punto decimal: punto seguido de un número de cifras que no es 3, o coma
#: de miles antes del punto.
_SOLO_MEXICANO = r"[+-]?(?:\d{1,3}(?:,\d{3})+\.\d+|\d+\.(?:\d{1,2}|\d{4,}))"

MOTIVO_COMA_DECIMAL = (
    "importe con coma decimal (estilo 1.234,56) en una columna con punto decimal: "
    "no se interpreta para no cambiar su escala"
)


def coma_decimal(columnas: list[pd.Series]) -> bool | None:
    """Convención de un archivo a partir de todas sus columnas de importe: ``True`` si alguna
    trae valores que solo pueden ser de coma decimal (``1.234,56``) y ninguna trae valores
    que solo pueden ser de punto decimal (``1,234.56``, ``12.5``); ``None`` si no hay
    ninguna señal (se usa la convención mexicana)."""
    europeos = mexicanos = False
    for serie in columnas:
        ascii_ = _distintos_ascii(serie)
        if ascii_ is not None:  # en Arrow, sin pasar cada valor por Python
            texto = pc.replace_substring_regex(ascii_, _ESPACIOS_DINERO_PARENTESIS_RE2, "")
            europeos |= bool(_completo(texto, _SOLO_EUROPEO).any())
            mexicanos |= bool(_completo(texto, _SOLO_MEXICANO).any())
            continue
        texto = pd.Series(pd.unique(serie.dropna()), dtype=object).astype(str)
        texto = texto.str.replace(r"[\s$()]", "", regex=True)
        europeos |= bool(texto.str.fullmatch(_SOLO_EUROPEO).any())
        mexicanos |= bool(texto.str.fullmatch(_SOLO_MEXICANO).any())
    if europeos and not mexicanos:
        return True
    return False if mexicanos else None


def importes(serie: pd.Series, europea: bool | None = None) -> tuple[pd.Series, pd.Series, bool]:
    """Interpreta una columna de importes publicados.

    - ``1234.5``, ``1,234.50``, ``$ 1,234.50`` -> 1234.5 (convención mexicana).
    - Vacío, ``-``, ``N/D``... -> nulo (desconocido, nunca 0).
    - ``(1,000)`` -> -1000 (negativo entre paréntesis).
    - Coma decimal (``1.234,56``): si toda la columna la usa (ningún valor es solo de punto
      decimal) se lee así; si no, esos valores quedan sin interpretar con su motivo.

    Devuelve ``(valores, motivo, coma_decimal)``: ``motivo`` es nulo donde el valor se
    interpretó o venía vacío; ``coma_decimal`` dice si la columna se leyó con coma decimal.

    Cada valor distinto se interpreta una sola vez (los importes se repiten entre los reportes
    trimestrales de una obra) y el resultado se reparte a sus filas: es idéntico al de
    interpretar fila por fila.
    """
    codigos, unicos = pd.factorize(serie, use_na_sentinel=True)
    valores, motivo, europea, directo = _importes_distintos(_con_nulo(unicos, serie.dtype), europea)
    codigos = np.where(codigos < 0, len(unicos), codigos)
    valores = pd.Series(valores.to_numpy()[codigos], index=serie.index, dtype="float64")
    motivo = pd.Series(motivo.to_numpy(dtype=object)[codigos], index=serie.index, dtype=object)
    valores.name = serie.name if directo else None
    return valores, motivo, europea


def _importes_distintos(
    serie: pd.Series, europea: bool | None
) -> tuple[pd.Series, pd.Series, bool, bool]:
    """:func:`importes` sobre valores ya distintos; el último dato dice si se tomó el camino
    rápido (todo numérico simple)."""
    # Camino rápido: una columna de números simples (sin comas, $ ni guiones sueltos), que es
    # lo común en archivos grandes, se convierte de una vez.
    # ``$`` o una coma nunca son un número para ``pd.to_numeric``: no hace falta intentarlo.
    if isinstance(serie.dtype, pd.StringDtype):
        simples = not serie.str.contains(r"[$,]", regex=True).fillna(False).any()
    else:
        simples = not any(isinstance(v, str) and ("$" in v or "," in v) for v in serie)
    directos = pd.to_numeric(serie, errors="coerce") if simples and not europea else None
    if directos is not None and bool((directos.notna() | serie.isna()).all()):
        valores = directos.astype("float64")
        finitos = np.isfinite(valores.to_numpy()) | valores.isna().to_numpy()
        if finitos.all():
            return valores, pd.Series(None, index=serie.index, dtype=object), False, True
    codigos, unicos = pd.factorize(serie, use_na_sentinel=True)
    ascii_ = _distintos_ascii(unicos, ya_distintos=True)
    if ascii_ is not None:
        valores, motivo, europea = _interpretar_ascii(ascii_, europea)
    else:
        valores, motivo, europea = _interpretar(unicos, europea)
    codigos_ok = np.where(codigos < 0, len(unicos), codigos)
    valores = pd.concat([valores, pd.Series([np.nan])], ignore_index=True).take(codigos_ok)
    motivo = pd.concat([motivo, pd.Series([None], dtype=object)], ignore_index=True)
    motivo = motivo.take(codigos_ok)
    valores.index = serie.index
    motivo.index = serie.index
    return valores.astype("float64"), motivo, europea, False


#: ``[\s$]`` de Python sobre texto ASCII, para RE2 (Arrow): su ``\s`` no incluye ``\v`` ni
#: ``\x1c``–``\x1f``, que para Python sí son espacio.
_ESPACIOS_DINERO_RE2 = r"[\t\n\x0b\x0c\r\x1c-\x1f $]"
#: ``[\s$()]`` de Python sobre texto ASCII, para RE2 (:func:`coma_decimal`).
_ESPACIOS_DINERO_PARENTESIS_RE2 = r"[\t\n\x0b\x0c\r\x1c-\x1f $()]"


def _distintos_ascii(valores, *, ya_distintos: bool = False) -> pa.Array | None:
    """Los valores distintos no nulos de una columna de texto de Arrow como arreglo de Arrow
    (``ya_distintos``: los de ``pd.factorize``, en su orden), si todos son ASCII; si no (o
    la columna no es de texto de Arrow), ``None``.

    Con texto ASCII las expresiones de :func:`importes` (``\\d``, ``.``, clases explícitas)
    significan lo mismo en RE2 (Arrow) que en ``re`` (Python): el resultado es idéntico.
    """
    if valores.dtype != _TEXTO_ARROW:
        return None
    arreglo = pa.array(valores.array)
    if isinstance(arreglo, pa.ChunkedArray):
        arreglo = arreglo.combine_chunks()
    if not ya_distintos:
        arreglo = pc.unique(arreglo.drop_null())
    elif arreglo.null_count:
        return None
    if pc.all(pc.string_is_ascii(arreglo)).as_py() is False:
        return None
    return arreglo


def _completo(texto: pa.Array, patron: str) -> np.ndarray:
    """``str.fullmatch(patron)`` de pandas en Arrow (booleano de numpy)."""
    return pc.match_substring_regex(texto, f"^(?:{patron})$").to_numpy(zero_copy_only=False)


def _interpretar_ascii(unicos: pa.Array, europea: bool | None) -> tuple[pd.Series, pd.Series, bool]:
    """:func:`_interpretar` sobre valores distintos ASCII, en Arrow (mismo resultado)."""
    texto = pc.utf8_upper(pc.replace_substring_regex(unicos, _ESPACIOS_DINERO_RE2, ""))
    nulo = pc.or_(
        pc.is_in(texto, value_set=pa.array(sorted(IMPORTES_NULOS), type=texto.type)),
        pc.equal(texto, ""),
    ).to_numpy(zero_copy_only=False)
    parentesis = _completo(texto, r"\(.*\)")
    if parentesis.any():
        # ``(1,000)`` -> ``-1,000``: el primer carácter por «-» y sin el último.
        negativo = pc.utf8_slice_codeunits(pc.utf8_replace_slice(texto, 0, 1, "-"), 0, -1)
        texto = pc.if_else(pa.array(parentesis), negativo, texto)
    if europea is None:  # sin la convención del archivo, la de esta columna
        europea = bool(_completo(texto, _SOLO_EUROPEO).any()) and not bool(
            _completo(texto, _SOLO_MEXICANO).any()
        )
    if europea:
        forma = _completo(texto, r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
        limpio = pc.replace_substring(pc.replace_substring(texto, ".", ""), ",", ".")
    else:
        forma = _completo(texto, _MEXICANO)
        limpio = pc.replace_substring(texto, ",", "")
    limpio = pd.Series(limpio.to_numpy(zero_copy_only=False), dtype=object)
    return _valores_y_motivo(texto, limpio.where(forma & ~nulo), nulo, europea)


def _valores_y_motivo(texto, limpio: pd.Series, nulo: np.ndarray, europea: bool):
    """Número de cada valor distinto ya limpio y el motivo de los que no se interpretan."""
    valores = pd.to_numeric(limpio, errors="coerce").astype("float64")
    valores = valores.where(np.isfinite(valores.to_numpy()))
    no_numerico = (~nulo & valores.isna().to_numpy()).astype(bool)
    if isinstance(texto, pa.Array):
        solo_europeo = _completo(texto, _SOLO_EUROPEO)
    else:
        solo_europeo = texto.str.fullmatch(_SOLO_EUROPEO).to_numpy(dtype=bool)
    coma = (~nulo & solo_europeo).astype(bool) & (not europea)
    motivo = pd.Series(
        np.select([coma, no_numerico], [MOTIVO_COMA_DECIMAL, "importe no numérico"], None),
        index=valores.index,
        dtype=object,
    )
    return valores, motivo, europea


def _interpretar(unicos: pd.Index, europea: bool | None) -> tuple[pd.Series, pd.Series, bool]:
    """Importes distintos -> ``(valores, motivo, europea)`` (ver :func:`importes`), valor
    por valor en Python."""
    texto = pd.Series(unicos, dtype=object).astype(str).str.replace(r"[\s$]", "", regex=True)
    texto = texto.str.upper()
    nulo = texto.isin(IMPORTES_NULOS) | (texto == "")
    parentesis = texto.str.fullmatch(r"\(.*\)")
    texto = texto.where(~parentesis, "-" + texto.str.slice(1, -1))
    if europea is None:  # sin la convención del archivo, la de esta columna
        europea = bool(texto.str.fullmatch(_SOLO_EUROPEO).any()) and not bool(
            texto.str.fullmatch(_SOLO_MEXICANO).any()
        )
    if europea:
        forma = texto.str.fullmatch(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
        limpio = texto.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        forma = texto.str.fullmatch(_MEXICANO)
        limpio = texto.str.replace(",", "", regex=False)
    return _valores_y_motivo(texto, limpio.where(forma & ~nulo), nulo.to_numpy(dtype=bool), europea)


def monto(serie: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """``'$ 1,234.50'`` -> 1234.5. Vacío o ``-`` -> nulo. Devuelve ``(valores, no_interpretables)``.

    Ver :func:`importes` (convención mexicana: coma de miles y punto decimal).
    """
    valores, motivo, _ = importes(serie)
    return valores, motivo.notna().to_numpy()


@por_valores_unicos
def coordenada(serie: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Grados decimales; acepta coma decimal (``17,0606``). Devuelve ``(valores, no_interpretables)``."""
    directos = pd.to_numeric(serie, errors="coerce").astype("float64")
    if bool((directos.notna() | serie.isna()).all()):  # camino rápido: todo numérico
        return _finitos(directos, serie)
    texto = serie.astype(object).str.strip()
    coma = texto.str.fullmatch(r"[+-]?\d+,\d+").fillna(False).astype(bool)
    texto = texto.where(~coma, texto.str.replace(",", ".", regex=False)).replace("", None)
    return _finitos(pd.to_numeric(texto, errors="coerce").astype("float64"), texto)


@por_valores_unicos
def numero(serie: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Número decimal (acepta ``%`` y comas de miles). Devuelve ``(valores, no_interpretables)``."""
    limpio = serie.str.replace(r"[\s%,]", "", regex=True).replace("", None)
    return _finitos(pd.to_numeric(limpio, errors="coerce").astype("float64"), limpio)


def _finitos(valores: pd.Series, limpio: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """``inf``, ``nan`` o ``1e400`` escritos en el archivo no son números válidos."""
    valores = valores.where(np.isfinite(valores.to_numpy()))
    invalido = limpio.notna().to_numpy() & valores.isna().to_numpy()
    return valores, invalido


@por_valores_unicos
def entero_no_negativo(serie: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Entero ≥ 0 (``'1,234'`` o ``'12.0'`` valen). Devuelve ``(Int64, no_interpretables)``."""
    valores, invalido = numero(serie)
    # Más allá de 2^53 un float ya no es un entero exacto (y de 2^63 no cabe en Int64).
    no_entero = valores.notna().to_numpy() & (
        (valores.to_numpy() != np.floor(valores.to_numpy()))
        | (valores.to_numpy() < 0)
        | (valores.to_numpy() >= 2**53)
    )
    invalido = invalido | no_entero
    valores = valores.where(~no_entero)
    return valores.astype("Int64"), invalido


#: Meses en español (abreviados y completos) para fechas como ``jun-05`` o ``dic-2016``.
MESES = {
    "ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6, "jul": 7, "ago": 8,
    "sep": 9, "set": 9, "oct": 10, "nov": 11, "dic": 12,
}  # fmt: skip
#: Fechas aceptadas (fuera de este rango son marcadores como ``9999-12-31`` o errores).
FECHA_MINIMA, FECHA_MAXIMA = pd.Timestamp("1900-01-01"), pd.Timestamp("2100-12-31")
#: Números de serie de Excel aceptados: 1990-01-01 a 2100-12-31.
SERIAL_MINIMO, SERIAL_MAXIMO = 32874, 73415


@por_valores_unicos
def fecha(serie: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Fecha publicada -> ``datetime64``. Devuelve ``(fechas, no_interpretables)``.

    Acepta ISO ``2024-03-31``, mexicana ``31/03/2024`` y ``31/03/24``, mes y año en español
    (``jun-05`` = junio de 2005, ``dic-2016``; el día 1) y números de serie de Excel entre
    1990 y 2100 (uno fuera de ese rango no es una fecha).
    """
    serie = serie.astype("str") if serie.dtype == object else serie
    iso = pd.to_datetime(serie.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    mexicana = pd.to_datetime(serie, format="%d/%m/%Y", errors="coerce")
    corta = pd.to_datetime(serie, format="%d/%m/%y", errors="coerce")
    serial = pd.to_numeric(serie, errors="coerce")
    serial = serial.where((serial >= SERIAL_MINIMO) & (serial <= SERIAL_MAXIMO))
    desde_excel = ORIGEN_EXCEL + pd.to_timedelta(serial.round(), unit="D")
    partes = [iso, mexicana, corta, _mes_anio(serie), desde_excel]
    # Fuera de 1900–2100 no es una fecha de estos datos (``9999-12-31`` se publica como «sin
    # fecha»); además no cabría en ``datetime64[ns]``.
    partes = [p.astype("datetime64[s]") for p in partes]
    valores = partes[0]
    for parte in partes[1:]:
        valores = valores.fillna(parte)
    dentro = (valores >= FECHA_MINIMA) & (valores <= FECHA_MAXIMA)
    valores = valores.where(dentro).astype("datetime64[ns]")
    invalido = serie.notna().to_numpy() & valores.isna().to_numpy()
    return valores, invalido


def _mes_anio(serie: pd.Series) -> pd.Series:
    """``jun-05``, ``Jun 2005``, ``dic./16`` -> primer día de ese mes."""
    partes = (
        serie.astype(object)
        .str.lower()
        .str.extract(r"^\s*([a-záéíóú]{3})[a-záéíóú]*\.?\s*[-/ ]\s*(\d{2}|\d{4})\s*$")
    )
    mes = partes[0].str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    mes = mes.map(MESES)
    anio = pd.to_numeric(partes[1], errors="coerce")
    anio = anio.where(partes[1].str.len() == 4, anio + np.where(anio < 70, 2000, 1900))
    texto = anio.astype("Int64").astype(str) + "-" + mes.astype("Int64").astype(str) + "-01"
    return pd.to_datetime(
        texto.where(mes.notna() & anio.notna()), format="%Y-%m-%d", errors="coerce"
    )


@por_valores_unicos
def ciclo(serie: pd.Series) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Ciclo escolar ``'2023-2024'`` (o año ``2023``) -> ``(ciclo_texto, año_inicio, inválidos)``."""
    partes = serie.str.extract(r"^\s*(\d{4})\s*(?:[-/]\s*(\d{4}|\d{2}))?\s*$")
    inicio = pd.to_numeric(partes[0], errors="coerce")
    fin = pd.to_numeric(partes[1], errors="coerce")
    fin = fin.where(fin.isna() | (fin >= 100), fin + (inicio // 100) * 100)
    invalido = serie.notna().to_numpy() & (
        inicio.isna().to_numpy() | (fin.notna() & (fin != inicio + 1)).to_numpy()
    )
    inicio = inicio.where(~invalido).astype("Int64")
    texto_ciclo = inicio.astype("str").str.cat((inicio + 1).astype("str"), sep="-")
    texto_ciclo = texto_ciclo.where(inicio.notna(), None)
    return texto_ciclo, inicio, invalido


@por_valores_unicos
def sin_acentos_mayusculas(serie: pd.Series) -> pd.Series:
    """``'Pública '`` -> ``'PUBLICA'`` (para comparar categorías publicadas)."""
    serie = serie.astype(object)  # una columna toda vacía no es de texto para ``.str``
    return (
        serie.str.normalize("NFKD")
        .str.encode("ascii", errors="ignore")
        .str.decode("ascii")
        .str.upper()
        .str.strip()
        .str.replace(r"\s+", " ", regex=True)
    )


def unir_codigos(*columnas: pd.Series) -> pd.Series:
    """Une máscaras de advertencia en un texto ``'a;b'`` por fila (nulo si no hay ninguna).

    Las filas repiten pocas combinaciones de códigos: cada combinación distinta se une una
    sola vez (:func:`_unir_codigos_filas`) y el texto se reparte a sus filas.
    """
    indice = columnas[0].index
    combinacion = np.zeros(len(indice), dtype=np.int64)
    for parte in columnas:
        codigos, unicos = pd.factorize(parte, use_na_sentinel=True)
        combinacion, _ = pd.factorize(combinacion * (len(unicos) + 1) + codigos + 1)
    # ``factorize`` numera en orden de aparición: la primera fila de cada combinación.
    _, primera = np.unique(combinacion, return_index=True)
    muestra = [parte.iloc[primera].reset_index(drop=True) for parte in columnas]
    unidos = _unir_codigos_filas(*muestra).to_numpy(dtype=object)
    return pd.Series(unidos[combinacion], index=indice, dtype=object)


def _unir_codigos_filas(*columnas: pd.Series) -> pd.Series:
    """:func:`unir_codigos` fila por fila."""
    partes = [col for col in columnas]
    resultado = pd.Series([""] * len(partes[0]), index=partes[0].index, dtype=object)
    for parte in partes:
        resultado = resultado.str.cat(parte.fillna(""), sep=";")
    resultado = resultado.str.replace(r";+", ";", regex=True).str.strip(";")
    return resultado.replace("", None)


def _mascara(mascara) -> np.ndarray:
    if isinstance(mascara, pd.Series):
        return mascara.fillna(False).to_numpy(dtype=bool)
    return np.asarray(mascara, dtype=bool)


def _unir(partes: list[pd.DataFrame]) -> pd.DataFrame:
    if not partes:
        return pd.DataFrame({"fila": pd.Series(dtype="int64"), "columna": [], "motivo": []})
    return (
        pd.concat(partes, ignore_index=True)
        .sort_values("fila", kind="stable")
        .reset_index(drop=True)
    )
