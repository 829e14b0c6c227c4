"""Conversión vectorizada de texto publicado a valores, con registro de rechazos y advertencias.

Cada función recibe una columna de texto y devuelve los valores convertidos más una máscara
de los que no se pudieron interpretar; :class:`Registro` junta los motivos por fila.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

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

    def advertir(self, mascara, columna: str, motivo, valores: pd.Series | None = None) -> None:
        """Anota una advertencia en las filas de ``mascara`` (se aceptan igual)."""
        mascara = _mascara(mascara)
        if mascara.any():
            self._advertencias.append(self._tabla(mascara, columna, motivo, valores))

    @property
    def aceptada(self) -> np.ndarray:
        return ~self.rechazada

    def rechazos(self) -> pd.DataFrame:
        """Tabla ``fila, columna, motivo`` ordenada por fila."""
        return _unir(self._rechazos)

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
        base = pd.Series([*unicos, None], dtype=serie.dtype if serie.dtype != object else object)
        resultado = funcion(base, *args, **kwargs)
        if isinstance(resultado, tuple):
            return tuple(_expandir(parte, codigos, serie.index) for parte in resultado)
        return _expandir(resultado, codigos, serie.index)

    return envoltura


def _expandir(parte, codigos: np.ndarray, indice: pd.Index):
    if isinstance(parte, pd.Series):
        expandida = parte.take(codigos)
        expandida.index = indice
        return expandida
    return np.asarray(parte)[codigos]


@por_valores_unicos
def texto(serie: pd.Series) -> pd.Series:
    """Texto sin espacios sobrantes; vacío -> nulo."""
    return serie.astype("str").str.strip().str.replace(r"\s+", " ", regex=True).replace("", None)


@por_valores_unicos
def monto(serie: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """``'$ 1,234.50'`` -> 1234.5. Vacío -> nulo. Devuelve ``(valores, no_interpretables)``.

    Convención mexicana: coma de miles y punto decimal.
    """
    limpio = serie.str.replace(r"[\s$,]", "", regex=True).replace("", None)
    return _finitos(pd.to_numeric(limpio, errors="coerce").astype("float64"), limpio)


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
    no_entero = valores.notna().to_numpy() & (
        (valores.to_numpy() != np.floor(valores.to_numpy())) | (valores.to_numpy() < 0)
    )
    invalido = invalido | no_entero
    valores = valores.where(~no_entero)
    return valores.astype("Int64"), invalido


@por_valores_unicos
def fecha(serie: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """ISO ``2024-03-31``, mexicana ``31/03/2024`` o número de serie de Excel -> fecha.

    Devuelve ``(datetime64, no_interpretables)``.
    """
    serie = serie.astype("str") if serie.dtype == object else serie
    iso = pd.to_datetime(serie.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    mexicana = pd.to_datetime(serie, format="%d/%m/%Y", errors="coerce")
    corta = pd.to_datetime(serie, format="%d/%m/%y", errors="coerce")
    serial = pd.to_numeric(serie, errors="coerce")
    serial = serial.where((serial >= 1) & (serial < 2958466))
    desde_excel = ORIGEN_EXCEL + pd.to_timedelta(serial.round(), unit="D")
    valores = iso.fillna(mexicana).fillna(corta).fillna(desde_excel).astype("datetime64[ns]")
    invalido = serie.notna().to_numpy() & valores.isna().to_numpy()
    return valores, invalido


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
    """Une máscaras de advertencia en un texto ``'a;b'`` por fila (nulo si no hay ninguna)."""
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
