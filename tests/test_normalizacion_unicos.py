"""Conversiones que interpretan cada valor distinto una sola vez (issue 11: carga del SRFT).

Cada función reescrita para la carga rápida se compara con valores calculados a mano,
incluidos los casos límite: guion, N/D, paréntesis, coma decimal, espacios, NBSP y vacíos.
"""

import math
import re
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import shapely

from ingesta import normalizacion as norm
from ingesta.fuentes import obras
from ingesta.lectura import _decodifica, _limpiar
from ingesta.privacidad import _NECESARIO, _candidatos, _puede_cambiar, enmascarar, enmascarar_capa

NO_NUMERICO = "importe no numérico"


def _importes(valores: list, europea=None):
    serie = pd.Series(valores, dtype="str", name="MONTO")
    importes, motivo, coma = norm.importes(serie, europea=europea)
    numeros = [None if math.isnan(v) else v for v in importes.tolist()]
    # Sin motivo: nulo (``None`` o ``NaN``, según el camino, como antes de la issue 11).
    return numeros, [None if pd.isna(m) else m for m in motivo.tolist()], coma


@pytest.mark.parametrize(
    ("texto", "numero", "motivo"),
    [
        ("1234.5", 1234.5, None),
        ("$ 1,234.50", 1234.5, None),
        (" 12 ", 12.0, None),
        ("\xa0123\xa0", 123.0, None),  # NBSP como espacio
        ("-", None, None),
        ("—", None, None),
        ("N/D", None, None),
        ("n/d", None, None),
        ("S/D", None, None),
        ("(1,000)", -1000.0, None),  # negativo entre paréntesis
        ("($ 2,500.75)", -2500.75, None),
        ("-5", -5.0, None),
        ("abc", None, NO_NUMERICO),
        ("1e400", None, NO_NUMERICO),  # no cabe en un número finito
        ("12.5.3", None, NO_NUMERICO),
        (None, None, None),
    ],
)
def test_importe_de_un_valor(texto, numero, motivo):
    # Con otro valor de punto decimal, la columna es mexicana.
    numeros, motivos, coma = _importes([texto, "0.50"])
    assert (numeros[0], motivos[0], coma) == (numero, motivo, False)


def test_importes_columna_de_numeros_simples_camino_rapido():
    numeros, motivos, coma = _importes(["1", "2.5", None, "1", " 7 "])
    assert numeros == [1.0, 2.5, None, 1.0, 7.0]
    assert motivos == [None] * 5 and coma is False


def test_importes_inf_no_es_un_numero():
    numeros, motivos, _ = _importes(["1", "inf", "1"])
    assert numeros == [1.0, None, 1.0] and motivos == [None, NO_NUMERICO, None]


def test_importes_coma_decimal_en_columna_mexicana_se_explica():
    numeros, motivos, coma = _importes(["12,5", "12.50", "12,5"])
    assert numeros == [None, 12.5, None]
    assert motivos == [norm.MOTIVO_COMA_DECIMAL, None, norm.MOTIVO_COMA_DECIMAL]
    assert coma is False


def test_importes_columna_europea():
    numeros, motivos, coma = _importes(["1.234,56", "12,5", "-", "1.234,56", None])
    assert numeros == [1234.56, 12.5, None, 1234.56, None]
    assert motivos == [None] * 5 and coma is True


def test_importes_convencion_del_archivo_manda():
    # ``1,234`` solo: ambiguo, mexicano salvo que el archivo diga coma decimal.
    assert _importes(["1,234"])[0] == [1234.0]
    assert _importes(["1,234"], europea=True)[0] == [1.234]


def test_importes_repetidos_igual_que_uno_por_uno():
    valores = ["$ 1,234.50", "-", "(3)", "abc", None, "N/D", "\xa05\xa0", "12,5", "0.5"] * 40
    numeros, motivos, _ = _importes(valores, europea=False)
    for i, valor in enumerate(valores[:9]):
        solo = _importes([valor], europea=False)
        assert numeros[i::9] == solo[0] * 40 and motivos[i::9] == solo[1] * 40


def test_importes_conservan_el_indice_y_el_tipo():
    serie = pd.Series(["$1", None, "$1"], index=[10, 20, 30], dtype="str")
    importes, motivo, _ = norm.importes(serie)
    assert importes.index.tolist() == [10, 20, 30] and motivo.index.tolist() == [10, 20, 30]
    assert importes.dtype == "float64" and motivo.dtype == object


def test_importes_columna_vacia():
    numeros, motivos, coma = _importes([None, None])
    assert numeros == [None, None] and motivos == [None, None] and coma is False


def test_importes_columna_de_objetos():
    serie = pd.Series(["$ 1,000", None, "-"], dtype=object)
    importes, motivo, _ = norm.importes(serie)
    assert importes.tolist()[0] == 1000.0 and math.isnan(importes.tolist()[2])
    assert motivo.isna().tolist() == [True, True, True]


#: Importes ASCII con todo lo que cambia la lectura: espacios que Python sí cuenta como ``\\s``
#: (``\\v``, ``\\x1c``–``\\x1f``) y RE2 no, paréntesis, signos, exponentes, marcas de «sin dato».
IMPORTES_ASCII = [
    "1,234.50", "$ 1,234.50", "(1,000)", "($ 2,500.75)", "1.234,56", "12,5", "1,234", "12.5",
    "12.000", "1.234.567,8", "1,234,567.891", "-", "--", "N/D", "n/d", "N.D.", "", "()", "(",
    "1e400", "inf", "nan", "+5", "1E5", "1e-3", "$(12)", "0x10", "1\x0b2", "1\x1c,000",
    "\x1f7\x1f", "\t3\n", "1 234,5", "12.5.3", "abc", "(1.234,5)", "-0", "007",
]  # fmt: skip


@pytest.mark.parametrize("europea", [None, False, True])
@pytest.mark.parametrize("quitar", ["", ",", "."])
def test_importes_ascii_en_arrow_igual_que_en_python(europea, quitar):
    # Cada subconjunto cambia la convención que la columna decide por sí sola.
    valores = [v for v in IMPORTES_ASCII if not quitar or quitar not in v]
    _, unicos = pd.factorize(pd.Series(valores, dtype="str"))
    en_arrow = norm._distintos_ascii(unicos, ya_distintos=True)
    assert en_arrow is not None
    v_python, m_python, e_python = norm._interpretar(unicos, europea)
    v_arrow, m_arrow, e_arrow = norm._interpretar_ascii(en_arrow, europea)
    pd.testing.assert_series_equal(v_arrow, v_python)
    pd.testing.assert_series_equal(m_arrow, m_python)
    assert e_arrow == e_python


def test_importes_con_acentos_o_nbsp_van_por_python():
    _, unicos = pd.factorize(pd.Series(["1,000", "\xa05\xa0", "—"], dtype="str"))
    assert norm._distintos_ascii(unicos, ya_distintos=True) is None


@pytest.mark.parametrize(
    "valores",
    [["1.234,56", "12,5"], ["1.234,56", "12.5"], ["12", None], ["(1.234,5)"], ["1\x0b234,56"]],
)
def test_coma_decimal_en_arrow_igual_que_en_python(valores):
    texto = pd.Series(valores, dtype="str")
    assert norm._distintos_ascii(texto) is not None
    assert norm.coma_decimal([texto]) == norm.coma_decimal([texto.astype(object)])


def test_unir_codigos():
    a = pd.Series(["sin_georreferencia", None, None, "sin_georreferencia"], index=[5, 6, 7, 8])
    b = pd.Series([None, None, "folio_duplicado", "folio_duplicado"], index=[5, 6, 7, 8])
    c = pd.Series(["", "x;;y", None, None], index=[5, 6, 7, 8])
    unidos = norm.unir_codigos(a, b, c)
    assert unidos.index.tolist() == [5, 6, 7, 8] and unidos.dtype == object
    assert unidos.tolist() == [
        "sin_georreferencia",
        "x;y",  # los «;» repetidos se juntan, como antes
        "folio_duplicado",
        "sin_georreferencia;folio_duplicado",
    ]


def test_unir_codigos_muchas_filas_y_vacia():
    a = pd.Series(np.where(np.arange(1000) % 3 == 0, "a", None), dtype=object)
    b = pd.Series(np.where(np.arange(1000) % 2 == 0, "b", None), dtype=object)
    unidos = norm.unir_codigos(a, b).tolist()
    esperado = [
        ";".join(c for c, si in (("a", i % 3 == 0), ("b", i % 2 == 0)) if si) or None
        for i in range(1000)
    ]
    assert unidos == esperado
    assert norm.unir_codigos(pd.Series([], dtype=object)).tolist() == []


def test_por_valores_unicos_con_texto_arrow_y_nulos():
    serie = pd.Series(["  a  b ", None, "x\xa0\xa0y", "", "  a  b "] * 3, dtype="str")
    esperado = ["a b", None, "x y", None, "a b"] * 3
    assert [None if pd.isna(v) else v for v in norm.texto(serie)] == esperado


def test_limpiar_espacios_nbsp_vacios_y_nfc():
    columna = pa.chunked_array(
        [["  a ", None, "   ", "Cafe\u0301", "x"], ["Cafe\u0301 ", "\xa0b\xa0", "\t"], []],
        type=pa.string(),
    )
    assert _limpiar(columna).to_pylist() == ["a", None, None, "Café", "x", "Café", "b", None]


def test_limpiar_ascii_sin_vacios_queda_igual():
    columna = pa.chunked_array([["a", "b c", None]], type=pa.string())
    assert _limpiar(columna).to_pylist() == ["a", "b c", None]


@pytest.mark.parametrize("bloque", [1, 2, 3, 1 << 22])
def test_decodifica_por_bloques(bloque):
    texto = "Oaxaca de Juárez, Ñuu Savi €".encode()
    assert _decodifica(texto, "utf-8", bloque) is True
    # Una «á» partida entre bloques sigue siendo válida; un byte suelto no.
    assert _decodifica(texto[:-1], "utf-8", bloque) is False
    assert _decodifica("Juárez".encode("cp1252"), "utf-8", bloque) is False
    assert _decodifica(b"a\x81b", "cp1252", bloque) is False  # 0x81 no existe en CP1252
    assert _decodifica(b"a\x81b", "latin-1", bloque) is True


def test_puede_cambiar():
    def puede(valores):
        return _puede_cambiar(pd.Series(valores, dtype="str"))

    assert puede(["OAX-1", "Obra de agua", None]) is False
    assert puede([]) is False
    assert puede(["tel 951 123 4567"]) is True
    assert puede(["a@b.mx"]) is True
    assert puede(["GOML800101AB1"]) is True
    assert puede(["Añil"]) is False  # sin dígitos ni arroba, aunque no sea ASCII
    assert puede(["tel ٩٥١ ١٢٣ ٤٥٦٧"]) is True  # ``\\d`` de Python acepta otras escrituras


def test_enmascarar_capa_igual_que_valor_por_valor():
    curp = "GOML800101HOCRPS09"
    arabigos = "tel ٩٥١ ١٢٣ ٤٥٦٧"  # ``\d`` de Python acepta otras escrituras
    tabla = pd.DataFrame(
        {
            "nombre": pd.Series([f"obra {curp}", "Obra", None, arabigos], dtype="str"),
            "folio": pd.Series(["A1", "A2", "A3", "A4"], dtype="str"),
            "rfc_contratista": pd.Series(["GOML800101AB1"] * 4, dtype="str"),
            "monto": [1.0, 2.0, 3.0, 4.0],
        }
    )
    resultado = enmascarar_capa(tabla)
    assert resultado["nombre"].tolist()[:2] == ["obra [CURP oculta]", "Obra"]
    assert pd.isna(resultado["nombre"].iloc[2])
    assert resultado["nombre"].iloc[3] == enmascarar(arabigos) != arabigos
    assert resultado["folio"].tolist() == ["A1", "A2", "A3", "A4"]
    assert resultado["rfc_contratista"].tolist() == ["GOML800101AB1"] * 4  # público
    assert resultado["nombre"].dtype == tabla["nombre"].dtype
    assert tabla["nombre"].iloc[0] == f"obra {curp}"  # la tabla original no cambia


def test_fin_de_trimestre():
    capa = pd.DataFrame(
        {
            "anio": pd.array([2024, 2025, 2025, None, 2023], dtype="Int64"),
            "trimestre": pd.array([4, 1, 3, 4, 5], dtype="Int64"),
        }
    )
    assert obras._fin_de_trimestre(capa) == "2025-09-30"
    anual = pd.DataFrame(
        {"anio": pd.array([2024, 2024], dtype="Int64"), "trimestre": pd.array([4, 5], "Int64")}
    )
    assert obras._fin_de_trimestre(anual) == "2024-12-31"
    vacia = pd.DataFrame({"anio": pd.array([None], "Int64"), "trimestre": pd.array([1], "Int64")})
    assert obras._fin_de_trimestre(vacia) is None


def test_formas_rfc_y_folio():
    rfc, moral, fisica = obras._formas_rfc(
        pd.Series([" gcc-990215-737 ", "GOML800101AB1", "", None, "abc"] * 3, dtype="str")
    )
    assert [None if pd.isna(v) else v for v in rfc[:5]] == [
        "GCC990215737",
        "GOML800101AB1",
        None,
        None,
        "ABC",
    ]
    assert moral[:5].tolist() == [True, False, False, False, False]
    assert fisica[:5].tolist() == [False, True, False, False, False]
    folio = obras._folio(pd.Series(["'OAX1", " a   b ", "'", None, "'OAX1"] * 3, dtype="str"))
    assert [None if pd.isna(v) else v for v in folio[:5]] == ["OAX1", "a b", None, None, "OAX1"]


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("Obra", "Obra"),
        (" Obra", "Obra"),
        ("Obra  de   agua", "Obra de agua"),
        ("Obra\tde\nagua", "Obra de agua"),
        ("a\x1cb", "a b"),  # Python trata \x1c como espacio
        ("\xa0Niños\xa0\xa0Héroes\xa0", "Niños Héroes"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_texto_arrow_y_objetos(valor, esperado):
    for dtype in ("str", object):
        serie = pd.Series([valor, "x", valor], dtype=dtype)
        resultado = [None if pd.isna(v) else v for v in norm.texto(serie)]
        assert resultado == [esperado, "x", esperado]


def test_canonica_por_valores_distintos():
    serie = pd.Series(
        ["Adjudicación directa", "OPEN", "selective", "rara", None, "Licitación pública"] * 2,
        dtype="str",
    )
    assert obras._canonica(serie).tolist()[:6] == [
        obras.DIRECTA,
        obras.LICITACION,
        obras.INVITACION,
        None,
        None,
        obras.LICITACION,
    ]


def test_ubicar_igual_que_punto_por_punto():
    from ingesta.geografia import municipios

    m = municipios("20")
    geometrias = m.completos.geometry.values
    # Un vértice compartido por dos municipios (en el límite: gana el de menor índice), un
    # punto dentro, uno fuera de la entidad y uno sin dato, repetidos.
    vertice = shapely.get_coordinates(geometrias[0])[0]
    dentro = shapely.get_coordinates(geometrias[5].representative_point())[0]
    lon = np.array([vertice[0], dentro[0], -99.0, np.nan, dentro[0]])
    lat = np.array([vertice[1], dentro[1], 19.4, 17.0, dentro[1]])
    esperado = []
    for x, y in zip(lon, lat, strict=True):
        if not (np.isfinite(x) and np.isfinite(y)):
            esperado.append(None)
            continue
        punto = shapely.Point(x, y)
        cuales = [i for i, g in enumerate(geometrias) if g.intersects(punto)]
        esperado.append(m.lcc["cvegeo"].iloc[min(cuales)] if cuales else None)
    assert m.ubicar(lon, lat).tolist() == esperado
    assert esperado[0] == m.lcc["cvegeo"].iloc[0] and esperado[2] is None


def test_candidatos_aceptan_todo_digito_de_python():
    """``\\p{Nd}`` de Arrow (RE2) acepta cada carácter que ``\\d`` de Python acepta: el filtro
    en Arrow de :func:`_candidatos` nunca deja fuera un valor que ``enmascarar`` cambiaría."""
    digitos = [chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\d", chr(c))]
    seis = pa.array([d * 6 for d in digitos])
    assert pc.all(pc.match_substring_regex(seis, _NECESARIO)).as_py()
    assert pc.all(_candidatos(pa.array([f"tel {d * 3} {d * 3} {d * 4}" for d in digitos]))).as_py()


def test_enmascarar_capa_columna_grande_igual_que_valor_por_valor():
    valores = ["Obra", "Añil", "tel 951 123 4567", "x@y.com", None, "GOML800101HOCRPS09"] * 50
    tabla = pd.DataFrame({"nombre": pd.Series(valores, dtype="str")})
    resultado = enmascarar_capa(tabla)["nombre"]
    esperado = [None if v is None else enmascarar(v) for v in valores]
    assert resultado.tolist()[:4] == esperado[:4]
    assert [None if pd.isna(v) else v for v in resultado] == esperado
    assert resultado.dtype == tabla["nombre"].dtype


def test_candidatos_ascii_incluyen_toda_coincidencia_de_python():
    """Textos ASCII al azar hechos de las piezas de las formas: todo el que ``enmascarar``
    cambia es candidato en Arrow (el filtro nunca deja pasar un dato personal)."""
    from ingesta.privacidad import _ALGUNA

    rng = np.random.default_rng(3)
    piezas = list("ABCHMXabhmx&Ñ0123456789 -+()@._") + ["52", "GOML", "800101", "OAX", "951"]
    textos = ["".join(rng.choice(piezas, rng.integers(1, 14))) for _ in range(40000)]
    textos += ["GOML800101HOCRPS09", "x GOML800101AB1", "GOML-800101-AB1 y", "a@b.mx",
               "(951) 123-4567", "+52 951 123 4567", "951 123 4567", "OAX2411359321"]  # fmt: skip
    textos = [t for t in textos if t.isascii()]
    candidato = _candidatos(pa.array(textos)).to_pylist()
    cambian = [t for t in textos if _ALGUNA.search(t)]
    assert len(cambian) > 50
    assert all(c for t, c in zip(textos, candidato, strict=True) if _ALGUNA.search(t))
    assert candidato[textos.index("OAX2411359321")] is False


def test_capa_de_puntos_un_punto_por_par_igual_que_fila_por_fila():
    from ingesta.fuentes.base import capa_de_puntos

    rng = np.random.default_rng(5)
    lat = rng.choice([16.5, 17.25, -0.0, 0.0, np.nan, 16.5 + 1e-12], 500)
    lon = rng.choice([-96.5, -97.0, -0.0, np.nan], 500)
    capa = capa_de_puntos(pd.DataFrame({"latitud": lat, "longitud": lon}), "obras")
    esperado = [
        None if np.isnan(y) or np.isnan(x) else shapely.to_wkb(shapely.Point(x, y))
        for x, y in zip(lon, lat, strict=True)
    ]
    assert list(shapely.to_wkb(capa.geometry.values)) == esperado  # bit a bit (-0.0 incluido)
    assert capa.crs.to_epsg() == 4326 and capa.index.equals(pd.RangeIndex(500))
