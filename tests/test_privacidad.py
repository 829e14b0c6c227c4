"""Ningún dato personal del padrón de ejemplo llega al almacén (CURP, nombres, nacimiento)."""

import pandas as pd

from tests.conftest import textos_de_archivos


def test_el_almacen_de_ejemplo_no_contiene_curp_ni_nombres(raiz_ejemplo, cache_ejemplo):
    crudo = pd.read_csv(cache_ejemplo / "padron.csv", dtype=str, nrows=300)
    curps = set(crudo["NB_CURP"])
    nombres = set(crudo["NB_NOMBRE"] + " " + crudo["NB_PRIMER_AP"] + " " + crudo["NB_SEGUNDO_AP"])
    nacimientos = set(crudo["FH_NACIMIENTO"])
    assert len(curps) > 100 and len(nombres) > 50
    archivos = list(textos_de_archivos(raiz_ejemplo))
    assert any(crudo["CV_CCT"].iloc[0] in texto for _, texto in archivos)
    for ruta, texto in archivos:
        palabras = set(texto.replace(",", " ").split())
        assert not curps & palabras, ruta
        assert not nacimientos & palabras, ruta
        for nombre in nombres:
            assert nombre not in texto, (ruta, nombre)
