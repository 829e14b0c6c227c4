"""Fuzz acotado de la API pública de reportes (hypothesis): cualquier cuerpo JSON o texto
responde 201 o un 4xx con ``{"error": ...}`` en español, nunca un 500; y un folio cualquiera
en el seguimiento responde 200 o 404."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ayuda_reportes import crear_app_de_prueba

pytestmark = pytest.mark.fuzz

escalares = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["EST-1", "ocupado_indebidamente", "otro", "17.06", "-96.72", "=1+1"]),
)
json_arbitrario = st.recursive(
    escalares,
    lambda hijos: (
        st.lists(hijos, max_size=4) | st.dictionaries(st.text(max_size=12), hijos, max_size=4)
    ),
    max_leaves=12,
)
cuerpos = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "estacionamiento_id": json_arbitrario,
            "tipo": json_arbitrario,
            "descripcion": json_arbitrario,
            "contacto": json_arbitrario,
            "latitud": json_arbitrario,
            "longitud": json_arbitrario,
        },
    ),
    json_arbitrario,
)


@pytest.fixture()
def cliente(tmp_path, monkeypatch):
    aplicacion = crear_app_de_prueba(tmp_path, monkeypatch)  # borra el límite configurado
    monkeypatch.setenv("SIGUE_LIMITE_REPORTES", "100000")
    return aplicacion.server.test_client()


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cuerpo=cuerpos)
def test_post_reportes_nunca_500(cliente, cuerpo):
    respuesta = cliente.post(
        "/api/reportes", data=json.dumps(cuerpo), content_type="application/json"
    )
    assert respuesta.status_code in (201, 400, 413, 415, 429), respuesta.data[:200]
    if respuesta.status_code != 201:
        assert isinstance(respuesta.get_json()["error"], str)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(texto=st.text(min_size=1, max_size=60))
def test_cuerpo_de_texto_y_folios_cualesquiera(cliente, texto):
    respuesta = cliente.post("/api/reportes", data=texto.encode("utf-8", "surrogatepass"))
    assert respuesta.status_code in (400, 413, 415), respuesta.data[:200]
    folio = texto.replace("/", "_").replace("?", "_").replace("#", "_")
    seguimiento = cliente.get(f"/api/reportes/{folio}")
    assert seguimiento.status_code in (200, 400, 404), seguimiento.data[:200]
