"""Peticiones de callback armadas a mano: 400 con mensaje en español, nunca un 500."""

import json

import pytest

from tablero.app import crear_app


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


NO_VALIDA = {"error": "La solicitud tiene datos que el servidor no entiende."}


@pytest.mark.parametrize(
    "cuerpo",
    [
        "xx",
        "[1, 2]",
        '{"output": NaN}',
        '{"a":' * 3000 + "1" + "}" * 3000,
        '{"output": "nada.children", "outputs": {}, "inputs": []}',
        '{"output": ["x"]}',
    ],
)
def test_peticion_mal_formada_es_400(app, cuerpo):
    respuesta = app.server.test_client().post(
        "/_dash-update-component", data=cuerpo, content_type="application/json"
    )
    assert respuesta.status_code == 400
    assert respuesta.get_json() == NO_VALIDA


VALORES_HOSTILES = [
    "../../etc",
    {"x": [1]},
    [[[[["a"]]]]],
    "9" * 400,
    -1,
    None,
    "v" + "9" * 300,
]


def test_cada_callback_con_valores_hostiles_nunca_da_500(app):
    """Cada callback de servidor de cada página, con valores de tipos equivocados en todas sus
    entradas: responde (200/204) o 400, nunca 500."""
    cliente = app.server.test_client()
    dependencias = cliente.get("/_dash-dependencies").get_json()
    servidor = [
        d
        for d in dependencias
        if not d.get("clientside_function") and "{" not in d["output"]  # sin patrones
    ]
    assert len(servidor) >= 10
    estados = []
    for dependencia in servidor:
        for valor in VALORES_HOSTILES:
            cuerpo = {
                "output": dependencia["output"],
                "outputs": _salidas(dependencia["output"]),
                "inputs": [{**e, "value": valor} for e in dependencia["inputs"]],
                "state": [{**e, "value": valor} for e in dependencia["state"]],
                "changedPropIds": [],
            }
            respuesta = cliente.post("/_dash-update-component", json=cuerpo)
            estados.append(respuesta.status_code)
            assert respuesta.status_code in (200, 204, 400), (dependencia["output"], valor)
            if respuesta.status_code == 400:
                assert json.loads(respuesta.data) == NO_VALIDA
    # Los callbacks sí corren con esos valores (no todo se corta en la guardia).
    assert estados.count(200) + estados.count(204) > len(estados) // 4


def _salidas(salida: str):
    """``"a.b"`` -> ``{"id": "a", "property": "b"}``; ``"..a.b...c.d.."`` -> lista."""
    if salida.startswith(".."):
        partes = salida.strip(".").split("...")
        return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in partes]
    identificador, propiedad = salida.rsplit(".", 1)
    return {"id": identificador, "property": propiedad}
