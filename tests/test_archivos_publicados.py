"""Lectura de archivos tal como se publican: importes, fechas, coordenadas, entidades,
codificación del encabezado, reconocimiento del formato, filas omitidas y la CLI."""

import io
import json
import zipfile
from datetime import date

import pandas as pd
import pytest

from almacen.versiones import Almacen
from ingesta import normalizacion as norm
from ingesta.carga import cargar
from ingesta.cli import main
from ingesta.errores import ErrorIngesta, FormatoNoReconocido
from ingesta.geografia import ENTIDADES, es_la_entidad
from tests.conftest import leer_advertencias, leer_rechazos

# --- Importes ------------------------------------------------------------------------------


@pytest.mark.parametrize("vacio", ["-", " - ", "N/D", "n/d", "ND", "—", ""])
def test_importe_desconocido_es_nulo_no_rechazo(vacio):
    valores, motivo, coma = norm.importes(pd.Series([vacio or None, "10"], dtype=object))
    assert pd.isna(valores.iloc[0]) and valores.iloc[1] == 10.0
    assert motivo.isna().all() and not coma


def test_importe_entre_parentesis_es_negativo():
    valores, motivo, _ = norm.importes(pd.Series(["(1,000)", "($ 2,500.50)"], dtype=object))
    assert valores.tolist() == [-1000.0, -2500.5] and motivo.isna().all()


def test_coma_decimal_en_columna_de_punto_decimal_se_rechaza_sin_cambiar_escala():
    valores, motivo, coma = norm.importes(pd.Series(["1,234.50", "1.234,56", "12,5"]))
    assert not coma
    assert valores.iloc[0] == 1234.5 and valores.iloc[1:].isna().all()
    assert motivo.tolist() == [None, norm.MOTIVO_COMA_DECIMAL, norm.MOTIVO_COMA_DECIMAL]


def test_columna_toda_con_coma_decimal_se_lee_asi():
    valores, motivo, coma = norm.importes(pd.Series(["1.234,56", "10,5", "7", "2.000,00"]))
    assert coma
    assert valores.tolist() == [1234.56, 10.5, 7.0, 2000.0] and motivo.isna().all()


def test_miles_con_coma_ambiguo_se_lee_como_mexicano():
    valores, motivo, coma = norm.importes(pd.Series(["1,234", "5"]))
    assert valores.tolist() == [1234.0, 5.0] and not coma and motivo.isna().all()


def test_texto_no_numerico_conserva_su_motivo():
    _, motivo, _ = norm.importes(pd.Series(["abc", "1e400", "inf"]))
    assert motivo.tolist() == ["importe no numérico"] * 3


# --- Fechas y coordenadas ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texto", "esperada"),
    [
        ("jun-05", "2005-06-01"),
        ("dic-16", "2016-12-01"),
        ("mar-06", "2006-03-01"),
        ("Ene-2019", "2019-01-01"),
        ("sept-18", "2018-09-01"),
        ("31/03/24", "2024-03-31"),
        ("32874", "1990-01-01"),
    ],
)
def test_fechas_publicadas(texto, esperada):
    valores, invalido = norm.fecha(pd.Series([texto], dtype=object))
    assert valores.iloc[0] == pd.Timestamp(esperada) and not invalido.any()


@pytest.mark.parametrize("texto", ["99999", "1", "xyz-05", "jun-5x"])
def test_fechas_fuera_de_rango_o_ilegibles_no_son_fechas(texto):
    valores, invalido = norm.fecha(pd.Series([texto], dtype=object))
    assert pd.isna(valores.iloc[0]) and invalido.all()


def test_coordenada_con_coma_decimal():
    valores, invalido = norm.coordenada(pd.Series(["17,0606", "-96.7266", "1,2,3"]))
    assert valores.iloc[:2].tolist() == [17.0606, -96.7266]
    assert invalido.tolist() == [False, False, True]


# --- Entidades -----------------------------------------------------------------------------


@pytest.mark.parametrize("clave", sorted(ENTIDADES))
def test_cada_entidad_por_nombre_sin_acentos_con_espacios(clave):
    sin_acentos = (
        pd.Series([ENTIDADES[clave]])
        .str.normalize("NFKD")
        .str.encode("ascii", "ignore")
        .str.decode("ascii")
    )
    valores = pd.Series([ENTIDADES[clave], sin_acentos.iloc[0] + " ", clave])
    assert es_la_entidad(valores, clave).tolist() == [True, True, True]
    otra = "20" if clave != "20" else "21"
    assert not es_la_entidad(valores, otra).any()


@pytest.mark.parametrize(
    ("texto", "clave"),
    [
        ("Estado de Mexico", "15"),
        ("Michoacan", "16"),
        ("San Luis Potosi ", "24"),
        ("Veracruz", "30"),
        ("Coahuila", "05"),
        ("Ciudad de Mexico", "09"),
        ("Queretaro", "22"),
        ("Oaxaca", "20"),
    ],
)
def test_nombres_publicados_de_entidades(texto, clave):
    assert es_la_entidad(pd.Series([texto]), clave).tolist() == [True]


def test_nombre_de_entidad_en_nfd():
    nfd = "Michoaca\u0301n"
    assert es_la_entidad(pd.Series([nfd]), "16").tolist() == [True]


# --- Carga completa: encabezado, omitidas, líneas físicas, ZIP, corte futuro ----------------

OJOS = (
    "Estado,Año,Código,Concepto,Aprobado,Devengado,Observaciones\r\n"
    "Oaxaca,2018,COG01, Servicios Personales    ,100.50,90.25,x\r\n"
    "Morelos,2018,COG01,Servicios Personales,5,5,x\r\n"
    "Estado de Mexico,2018,COG01,Servicios Personales,-7,-7,x\r\n"
    "Oaxaca,2018,COG11,Remuneraciones,-,80,x\r\n"
    "Oaxaca,2018,COG12,Otras,abc,1,x\r\n"
)


def test_encabezado_utf8_con_acentos_se_reconoce_y_otras_entidades_se_omiten(tmp_path):
    ruta = tmp_path / "COG Estatal.csv"
    ruta.write_bytes(OJOS.encode("utf-8"))
    resultado = cargar("presupuesto", ruta, tmp_path / "d")
    assert (resultado.filas_leidas, resultado.filas_aceptadas) == (5, 2)
    assert (resultado.filas_rechazadas, resultado.filas_omitidas) == (1, 2)
    # Solo las rechazadas van al archivo de rechazos, con su línea del archivo.
    assert leer_rechazos(resultado) == [(6, "Aprobado", "importe no numérico: abc")]
    meta = Almacen(tmp_path / "d").version().meta["carga"]
    assert (meta["filas_omitidas"], meta["omisiones"]) == (2, {"fila de otra entidad": 2})
    capa = Almacen(tmp_path / "d").version().leer("presupuesto")
    capa = capa.set_index("codigo")
    assert capa.loc["COG01", "aprobado"] == 100.5 and capa.loc["COG01", "devengado"] == 90.25
    assert pd.isna(capa.loc["COG11", "aprobado"]) and capa.loc["COG11", "devengado"] == 80.0


def test_lineas_fisicas_cuentan_lineas_en_blanco(tmp_path):
    ruta = tmp_path / "m.csv"
    ruta.write_text(
        "CV_CCT,CICLO,INSCRITOS\n\n20DPR0001X,2024,10\n\n\n20DPR0002Y,2024,-3\n",
        encoding="utf-8",
    )
    resultado = cargar("matricula", ruta, tmp_path / "d")
    assert leer_rechazos(resultado) == [(6, "INSCRITOS", "se espera un entero no negativo: -3")]


def test_archivo_que_mezcla_codificaciones_lleva_aviso(tmp_path):
    ruta = tmp_path / "m.csv"
    ruta.write_bytes(
        b"CV_CCT,CICLO,INSCRITOS,OBS\n"
        + "20DPR0001X,2024,10,Peña\n".encode()
        + "20DPR0002Y,2024,11,Peña\n".encode("latin-1")
    )
    resultado = cargar("matricula", ruta, tmp_path / "d")
    assert resultado.avisos == [
        "m.csv mezcla codificaciones (UTF-8 y Latin-1): se leyó como cp1252; revise acentos y eñes"
    ]


def test_zip_con_csv_se_lee_y_la_huella_es_la_del_zip(tmp_path):
    contenido = io.BytesIO()
    with zipfile.ZipFile(contenido, "w") as zip_:
        zip_.writestr("fuentes_financiamiento.csv", "A,B\n1,2\n")
        zip_.writestr("ef2024.csv", "CV_CCT,CICLO,INSCRITOS\n20DPR0001X,2024,10\n")
    ruta = tmp_path / "ef2024.zip"
    ruta.write_bytes(contenido.getvalue())
    resultado = cargar("matricula", ruta, tmp_path / "d")
    import hashlib

    assert resultado.filas_aceptadas == 1
    assert resultado.sha256 == hashlib.sha256(contenido.getvalue()).hexdigest()
    assert resultado.archivo == "ef2024.zip:ef2024.csv"


def test_zip_sin_csv_es_error_claro(tmp_path):
    contenido = io.BytesIO()
    with zipfile.ZipFile(contenido, "w") as zip_:
        zip_.writestr("leeme.pdf", "x")
    ruta = tmp_path / "a.zip"
    ruta.write_bytes(contenido.getvalue())
    with pytest.raises(ErrorIngesta, match="^El ZIP a.zip no contiene ningún archivo CSV$"):
        cargar("matricula", ruta, tmp_path / "d")


def test_fecha_de_corte_futura_se_recorta_a_hoy_con_aviso(tmp_path):
    ruta = tmp_path / "m.csv"
    ruta.write_text("CV_CCT,CICLO,INSCRITOS\n20DPR0001X,2024,10\n", encoding="utf-8")
    resultado = cargar("matricula", ruta, tmp_path / "d", fecha_corte="2999-01-01")
    hoy = date.today().isoformat()
    assert resultado.fecha_corte == hoy
    assert resultado.avisos == [
        f"La fecha de corte 2999-01-01 es posterior a hoy: se usa la de hoy ({hoy})"
    ]


def test_coordenadas_cero_son_sin_ubicacion(tmp_path):
    ruta = tmp_path / "e.csv"
    ruta.write_text(
        "CV_CCT,C_NOMBRE,MUNICIPIO,LATITUD,LONGITUD,NIVEL\n"
        "20DPR0001X,Uno,067,0,0,PRIMARIA\n"
        '20DPR0002Y,Dos,067,"17,0606","-96,7266",PRIMARIA\n',
        encoding="utf-8",
    )
    resultado = cargar("escuelas", ruta, tmp_path / "d")
    escuelas = Almacen(tmp_path / "d").version().leer("escuelas").set_index("cct")
    assert escuelas.loc["20DPR0001X", "geometry"] is None
    assert pd.isna(escuelas.loc["20DPR0001X", "latitud"])
    assert (escuelas.loc["20DPR0002Y", "latitud"], escuelas.loc["20DPR0002Y", "longitud"]) == (
        17.0606,
        -96.7266,
    )
    assert escuelas.loc["20DPR0002Y", "cvegeo_coordenadas"] == "20067"
    assert (2, "LATITUD", "sin_georreferencia: coordenadas 0,0 (sin ubicación)") in (
        leer_advertencias(resultado)
    )


# --- Reconocimiento del formato ------------------------------------------------------------


def test_ningun_formato_dice_no_se_reconoce_el_mas_cercano_y_lo_hallado(tmp_path):
    ruta = tmp_path / "x.csv"
    ruta.write_text("Estado,Año,Importe\nOaxaca,2020,5\n", encoding="utf-8")
    with pytest.raises(FormatoNoReconocido) as error:
        cargar("presupuesto", ruta, tmp_path / "d")
    texto = str(error.value)
    assert texto.startswith("No se reconoce el formato de x.csv como presupuesto. El más cercano")
    assert texto.endswith("Columnas encontradas: Estado, Año, Importe")
    assert not (tmp_path / "d" / "ACTUAL").exists()


def test_json_en_la_cli_cuando_falla(tmp_path, capsys):
    ruta = tmp_path / "x.csv"
    ruta.write_text("A,B\n1,2\n", encoding="utf-8")
    assert main(["cargar", "matricula", str(ruta), "--datos", str(tmp_path), "--json"]) == 1
    salida = capsys.readouterr()
    objeto = json.loads(salida.out.strip().splitlines()[-1])
    assert objeto["archivo"] == "x.csv" and objeto["columna"] == "CV_CCT"
    assert objeto["error"].startswith("No se reconoce el formato de x.csv como matricula")
    assert "Traceback" not in salida.err


def test_json_en_la_cli_cuando_el_archivo_no_existe(tmp_path, capsys):
    argumentos = ["cargar", "matricula", str(tmp_path / "no.csv"), "--datos", str(tmp_path)]
    assert main([*argumentos, "--json"]) == 1
    objeto = json.loads(capsys.readouterr().out.strip())
    assert objeto == {
        "error": f"No existe el archivo {tmp_path / 'no.csv'}",
        "archivo": "no.csv",
        "columna": None,
    }


def test_cli_resume_las_tres_cuentas(tmp_path, capsys):
    ruta = tmp_path / "COG.csv"
    ruta.write_bytes(OJOS.encode("utf-8"))
    assert main(["cargar", "presupuesto", str(ruta), "--datos", str(tmp_path / "d"), "--json"]) == 0
    salida = capsys.readouterr().out.strip().splitlines()
    assert (
        "Filas leídas: 5 = aceptadas: 2 + rechazadas: 1 + omitidas (otra entidad o fuera de alcance): 2 · "
        "advertencias: 0"
    ) in salida
    objeto = json.loads(salida[-1])
    assert (objeto["filas_leidas"], objeto["filas_aceptadas"]) == (5, 2)
    assert (objeto["filas_rechazadas"], objeto["filas_omitidas"]) == (1, 2)


def test_anio_fuera_de_rango_en_la_cli(tmp_path, capsys):
    ruta = tmp_path / "m.csv"
    ruta.write_text("CV_CCT,CICLO,INSCRITOS\n20DPR0001X,2024,10\n", encoding="utf-8")
    argumentos = ["cargar", "matricula", str(ruta), "--datos", str(tmp_path), "--anio", "3"]
    assert main(argumentos) == 1
    assert "--anio debe estar entre 1990 y 2100; se recibió 3" in capsys.readouterr().err


# --- Límites: XLSX, JSON y enteros enormes -------------------------------------------------


def test_xlsx_bomba_se_rechaza_antes_de_abrirse(tmp_path, monkeypatch):
    from ingesta import lectura

    contenido = io.BytesIO()
    with zipfile.ZipFile(contenido, "w", zipfile.ZIP_DEFLATED) as zip_:
        zip_.writestr("xl/worksheets/sheet1.xml", "<a>" + " " * 5_000_000 + "</a>")
    ruta = tmp_path / "bomba.xlsx"
    ruta.write_bytes(contenido.getvalue())
    assert ruta.stat().st_size < 100_000
    monkeypatch.setattr(lectura, "MAXIMO_XLSX_DESCOMPRIMIDO", 1_000_000)
    with pytest.raises(ErrorIngesta) as error:
        cargar("matricula", ruta, tmp_path / "d")
    assert str(error.value) == (
        "El XLSX bomba.xlsx ocupa 5 MB descomprimido (máximo 1 MB): guárdelo como CSV"
    )


@pytest.mark.parametrize(
    ("texto", "mensaje"),
    [
        ("[" * 5000 + "]" * 5000, "anida listas u objetos demasiados niveles"),
        ('{"projects": [{"id": ' + "9" * 5000 + "}]}", "un número tiene 5,000 cifras"),
        ('{"projects": [{"id": NaN}]}', "NaN no es un número válido en JSON"),
        ('{"projects": "\\ud800"', "no es un JSON válido"),
    ],
)
def test_json_hostil_es_error_claro(tmp_path, texto, mensaje):
    ruta = tmp_path / "p.json"
    ruta.write_text(texto, encoding="utf-8")
    with pytest.raises(ErrorIngesta, match=mensaje):
        cargar("obras", ruta, tmp_path / "d")


def test_entero_enorme_se_rechaza_sin_traza(tmp_path):
    ruta = tmp_path / "m.csv"
    ruta.write_text(
        f"CV_CCT,CICLO,INSCRITOS\n20DPR0001X,2024,10\n20DPR0002Y,2024,{2**64}\n", encoding="utf-8"
    )
    resultado = cargar("matricula", ruta, tmp_path / "d")
    assert leer_rechazos(resultado) == [
        (3, "INSCRITOS", f"se espera un entero no negativo: {2**64}")
    ]


# --- Hallazgos de la revisión (atacante y persona nueva) -----------------------------------

SRFT_MINIMO = "FOLIO,CICLO,TRIMESTRE,ID_ENTIDAD_FEDERATIVA,ID_MUNICIPIO_RESPONSABLE,MONTO_GLOBAL_APROBADO,FECHA_INICIO\n"


@pytest.mark.parametrize("marcador", ["9999-12-31", "0001-01-01", "31/12/9999", "2200-01-01"])
def test_fecha_fuera_de_rango_no_cancela_la_carga(tmp_path, marcador):
    ruta = tmp_path / "f.csv"
    ruta.write_text(
        SRFT_MINIMO + f"F1,2024,4,20,067,100,{marcador}\nF2,2024,4,20,067,5,2024-01-10\n"
    )
    resultado = cargar("obras", ruta, tmp_path / "d")
    assert (resultado.filas_aceptadas, resultado.filas_rechazadas) == (2, 0)
    assert (2, "FECHA_INICIO", f"fecha no reconocida (se deja vacía): {marcador}") in (
        leer_advertencias(resultado)
    )


def test_una_convencion_decimal_por_archivo(tmp_path):
    """``1.500,50`` en Devengado hace que ``12.000`` de Aprobado se lea como doce mil."""
    ruta = tmp_path / "COG.csv"
    ruta.write_text(
        "Estado,Año,Código,Concepto,Aprobado,Devengado,Observaciones\n"
        'Oaxaca,2020,COG01,Servicios,12.000,"1.500,50",x\n'
        'Oaxaca,2020,COGTOT,Total,250.000,"2.000,00",x\n',
        encoding="utf-8",
    )
    cargar("presupuesto", ruta, tmp_path / "d")
    capa = Almacen(tmp_path / "d").version().leer("presupuesto").set_index("codigo")
    assert capa.loc["COG01", ["aprobado", "devengado"]].tolist() == [12000.0, 1500.5]
    assert capa.loc["COGTOT", ["aprobado", "devengado"]].tolist() == [250000.0, 2000.0]


def test_encabezado_utf8_con_filas_latin1_carga_con_aviso(tmp_path):
    ruta = tmp_path / "mezcla.csv"
    ruta.write_bytes(
        "Estado,Año,Código,Concepto,Aprobado,Devengado,Observaciones\n".encode()
        + "Oaxaca,2020,COG01,Educación,10,9,x\n".encode("latin-1")
    )
    resultado = cargar("presupuesto", ruta, tmp_path / "d")
    assert resultado.filas_aceptadas == 1
    assert resultado.avisos[0].startswith("mezcla.csv mezcla codificaciones")
    capa = Almacen(tmp_path / "d").version().leer("presupuesto")
    assert capa["concepto"].tolist() == ["Educación"]


@pytest.mark.parametrize("valor", ["Oaxca", "XX", "Oaxaca de Juárez"])
def test_entidad_no_reconocida_se_rechaza_no_se_omite(tmp_path, valor):
    ruta = tmp_path / "COG.csv"
    ruta.write_text(
        "Estado,Año,Código,Concepto,Aprobado,Devengado,Observaciones\n"
        "Oaxaca,2020,COG01,Servicios,10,9,x\n"
        f"{valor},2020,COG02,Materiales,10,9,x\n"
        "Morelos,2020,COG02,Materiales,10,9,x\n",
        encoding="utf-8",
    )
    resultado = cargar("presupuesto", ruta, tmp_path / "d")
    assert (resultado.filas_aceptadas, resultado.filas_rechazadas, resultado.filas_omitidas) == (
        1,
        1,
        1,
    )
    assert leer_rechazos(resultado) == [(3, "Estado", f"entidad federativa no reconocida: {valor}")]


def test_zip_bomba_por_razon_de_compresion(tmp_path):
    contenido = io.BytesIO()
    with zipfile.ZipFile(contenido, "w", zipfile.ZIP_DEFLATED) as zip_:
        zip_.writestr("ef2024.csv", "CV_CCT,CICLO,INSCRITOS\n" + "0" * 20_000_000)
    ruta = tmp_path / "ef2024.zip"
    ruta.write_bytes(contenido.getvalue())
    with pytest.raises(ErrorIngesta, match="es demasiado grande .*veces su tamaño comprimido"):
        cargar("matricula", ruta, tmp_path / "d")


@pytest.mark.parametrize("fecha", ["20240101", "2024-W10", "2024-1-5"])
def test_fecha_corte_solo_aaaa_mm_dd(tmp_path, capsys, fecha):
    ruta = tmp_path / "m.csv"
    ruta.write_text("CV_CCT,CICLO,INSCRITOS\n20DPR0001X,2024,10\n", encoding="utf-8")
    argumentos = ["cargar", "matricula", str(ruta), "--datos", str(tmp_path / "d")]
    assert main([*argumentos, "--fecha-corte", fecha]) == 1
    assert "--fecha-corte debe ser una fecha AAAA-MM-DD" in capsys.readouterr().err


def test_argumentos_mal_escritos_en_espanol_y_salida_1(tmp_path, capsys):
    assert main(["cargar", "obras", "x.csv", "--anio", "abc", "--json"]) == 1
    salida = capsys.readouterr()
    assert json.loads(salida.out)["error"].startswith("argumento --anio: no es un número entero")
    assert main(["cargar", "obras"]) == 1
    assert capsys.readouterr().err.startswith("Error: faltan los argumentos: ARCHIVO.")


def test_entidad_configurada_no_valida_es_error_claro(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SIGUE_ESTADO", "99")
    assert main(["versiones", "--datos", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        "Error: SIGUE_ESTADO debe ser una clave de entidad de 01 a 32 (o 00 para todo el "
        "país); se recibió '99'\n"
    )
