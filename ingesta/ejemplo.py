"""Datos de ejemplo (sintéticos) con los que arranca la plataforma en una máquina nueva.

Se escriben como archivos crudos en los formatos reales que publican los gobiernos
(FORMATOS.md), de modo que la ingesta normal los carga igual que los de cualquier usuario:

============== ===================== ===================================================
tipo           archivo               formato
============== ===================== ===================================================
escuelas       escuelas.csv          catálogo SIGED de la SEP, CP1252, fin de línea CRLF
matricula      matricula.csv         Formato 911 (tres ciclos escolares), UTF-8
padron         padron.csv            SIIPP-G "Estructura Personas", UTF-8
presupuesto    presupuesto.csv       SHCP, diseño A (tres ejercicios fiscales), UTF-8
obras          obras.csv             SHCP SRFT "destino del gasto", UTF-8 con BOM
estacionamientos estacionamientos.csv cajones para personas con discapacidad, UTF-8
============== ===================== ===================================================

Todo es determinista: la misma semilla produce los mismos bytes. Cada parte usa su propio
generador (``numpy.random.default_rng([semilla, parte])``), así que cambiar una parte no
altera las demás. Los nombres de personas, escuelas, empresas y localidades son inventados.

Los datos traen a propósito los problemas de calidad que aparecen en los archivos reales
(coordenadas en otro municipio o invertidas, cobertura mayor a 100 %, avances físicos
imposibles, folios duplicados, sobrecostos...). La lista de los casos sembrados se guarda en
``ejemplo.json`` junto a los archivos, con la semilla y la versión del generador.

La entidad es la configurada (``municipios()``). Solo dos cosas dependen de que sea Oaxaca
(clave 20): el peso de sus ciudades más pobladas al repartir escuelas y obras (en otra
entidad los pesos son aleatorios) y los cajones de estacionamiento, que están en la capital
(Oaxaca de Juárez, 20067); en otra entidad van al municipio con más escuelas.
"""

from __future__ import annotations

import json
import os
import unicodedata
import zlib
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ingesta.config import clave_estado
from ingesta.geografia import Municipios, municipios

#: Cambia cuando cambia el contenido generado: invalida los archivos guardados en caché.
VERSION_GENERADOR = "1"
#: Archivo que marca una generación completa (semilla, versión, filas y casos sembrados).
ARCHIVO_MARCA = "ejemplo.json"
#: Tipo de fuente -> nombre de archivo, en el orden de carga.
ARCHIVOS = {
    "escuelas": "escuelas.csv",
    "matricula": "matricula.csv",
    "padron": "padron.csv",
    "presupuesto": "presupuesto.csv",
    "obras": "obras.csv",
    "estacionamientos": "estacionamientos.csv",
}
CICLOS = ("2023-2024", "2024-2025", "2025-2026")
CICLOS_PADRON = CICLOS[1:]
EJERCICIOS = (2023, 2024, 2025)
CORTES = {2023: date(2023, 12, 31), 2024: date(2024, 12, 31), 2025: date(2025, 9, 30)}
#: Trimestres reportados de obra pública: 2024-T1 a 2025-T3.
TRIMESTRES = ((2024, 1), (2024, 2), (2024, 3), (2024, 4), (2025, 1), (2025, 2), (2025, 3))
PROGRAMA = "Uniformes y útiles escolares gratuitos"
NIVELES_BASICA = ("PREESCOLAR", "PRIMARIA", "SECUNDARIA")
N_ESCUELAS = 4150
N_OBRAS = 1000
N_ESTACIONAMIENTOS = 150

# Tamaño de escuela por nivel: mínimo, mediana del excedente (lognormal), máximo.
_TAMANO = {"PREESCOLAR": (20, 10, 80), "PRIMARIA": (40, 22, 400), "SECUNDARIA": (60, 30, 500)}
# Importe por alumno (uniforme, útiles) por nivel básico, en pesos.
_IMPORTE = {"PREESCOLAR": (380.00, 210.00), "PRIMARIA": (450.00, 320.50), "SECUNDARIA": (520.00, 365.75)}
# Tipo de centro (letras 4-5 de la CCT) por nivel y sostenimiento, con su probabilidad.
_TIPOS = {
    ("PREESCOLAR", "D"): {"JN": 0.7, "CC": 0.3},
    ("PRIMARIA", "D"): {"PR": 0.7, "PB": 0.3},
    ("SECUNDARIA", "D"): {"ES": 0.25, "ST": 0.2, "TV": 0.55},
    ("MEDIA SUPERIOR", "D"): {"CB": 0.6, "CT": 0.4},
    ("EDUCACIÓN ESPECIAL", "D"): {"ML": 1.0},
    ("INICIAL", "D"): {"IN": 1.0},
}
# Habitantes (miles, aproximados) de las ciudades más pobladas, solo para repartir escuelas.
_CIUDADES = {
    "20": {
        "067": 270, "184": 160, "043": 115, "385": 90, "079": 85, "039": 80, "515": 65,
        "482": 55, "390": 50, "413": 50, "059": 50, "044": 45, "318": 45, "324": 45,
        "334": 45, "057": 40, "397": 40, "399": 40, "469": 40, "073": 35, "014": 30,
    }
}  # fmt: skip
# Abreviatura de la entidad en la CURP, por clave INEGI (01 a 32).
_CURP_ENTIDAD = (
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS"
).split()
_LETRAS = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), dtype=object)
_ABREV_ENTIDAD = (
    "AGS BC BCS CAMP COAH COL CHIS CHIH CDMX DGO GTO GRO HGO JAL MEX MICH MOR NAY NL OAX PUE QRO "
    "QROO SLP SIN SON TAB TAMPS TLAX VER YUC ZAC"
).split()


def generar(destino: Path, semilla: int = 2025) -> dict[str, Path]:
    """Escribe los archivos de ejemplo en `destino` y devuelve tipo -> ruta, en el orden de carga.

    Si ``destino`` ya tiene una generación completa con la misma semilla, versión del
    generador y entidad (``ejemplo.json``), la devuelve sin volver a escribir.
    """
    destino = Path(destino)
    destino.mkdir(parents=True, exist_ok=True)
    rutas = {tipo: destino / nombre for tipo, nombre in ARCHIVOS.items()}
    m = municipios()
    marca = destino / ARCHIVO_MARCA
    if _vigente(marca, semilla, m.estado, rutas):
        return rutas
    marca.unlink(missing_ok=True)

    escuelas, casos_esc = _escuelas(m, _rng(semilla, "escuelas"))
    matricula = _matricula(escuelas, _rng(semilla, "matricula"))
    conteos, casos_pad = _conteos_padron(escuelas, matricula, _rng(semilla, "cobertura"))
    presupuesto = _presupuesto(m, escuelas, matricula, _rng(semilla, "presupuesto"))
    obras, casos_obr = _obras(m, _rng(semilla, "obras"))
    estacionamientos = _estacionamientos(m, escuelas, _rng(semilla, "estacionamientos"))

    _csv(escuelas, rutas["escuelas"], encoding="cp1252", fin="\r\n")
    _csv(matricula, rutas["matricula"])
    publicas = escuelas[_es_basica_publica(escuelas)]
    filas_padron = _escribir_padron(
        rutas["padron"],
        publicas["CV_CCT"].to_numpy(),
        publicas["TIPONIVELSUB_C_SERVICION2"].map(NIVELES_BASICA.index).to_numpy(),
        conteos.loc[publicas["CV_CCT"], list(CICLOS_PADRON)].to_numpy(),
        _rng(semilla, "padron"),
        m.estado,
    )
    _csv(presupuesto, rutas["presupuesto"])
    _csv(obras, rutas["obras"], encoding="utf-8-sig")
    _csv(estacionamientos, rutas["estacionamientos"])

    filas = {
        "escuelas": len(escuelas),
        "matricula": len(matricula),
        "padron": filas_padron,
        "presupuesto": len(presupuesto),
        "obras": len(obras),
        "estacionamientos": len(estacionamientos),
    }
    datos = {
        "semilla": semilla,
        "version": VERSION_GENERADOR,
        "estado": m.estado,
        "archivos": {
            tipo: {"archivo": ruta.name, "filas": filas[tipo], "bytes": ruta.stat().st_size}
            for tipo, ruta in rutas.items()
        },
        "casos_sembrados": {"escuelas": casos_esc, "padron": casos_pad, "obras": casos_obr},
    }
    temporal = marca.with_suffix(".tmp")
    temporal.write_text(json.dumps(datos, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporal, marca)
    return rutas


def escribir_padron(
    ruta: Path, filas: int, semilla: int = 2025, escuelas: pd.DataFrame | None = None
) -> Path:
    """Padrón sintético en el layout SIIPP-G (usado también por el benchmark de 1,000,000 filas).

    Parameters
    ----------
    ruta : archivo CSV (UTF-8) a escribir.
    filas : número exacto de renglones de datos.
    semilla : semilla del generador.
    escuelas : catálogo de escuelas, crudo (``CV_CCT``, ``TIPONIVELSUB_C_SERVICION2``,
        ``SOSTENIMIENTO_C_CONTROL``) o normalizado (``cct``, ``nivel``, ``control``); se usan
        las públicas de educación básica. Sin catálogo se inventan 4,000 claves CCT.
    """
    if int(filas) < 1:
        raise ValueError(f"filas debe ser un entero positivo; se recibió {filas!r}")
    filas = int(filas)
    rng = _rng(semilla, "padron")
    cct, nivel = _catalogo_padron(escuelas, rng)
    tamano = _tamanos(np.array(NIVELES_BASICA)[nivel], rng).astype(float)
    alumnos = int(filas / 1.9 * 1.03) + 50
    while True:
        pesos = np.repeat(tamano, len(CICLOS_PADRON)) / (tamano.sum() * len(CICLOS_PADRON))
        conteos = rng.multinomial(alumnos, pesos).reshape(len(cct), len(CICLOS_PADRON))
        escritas = _escribir_padron(ruta, cct, nivel, conteos, rng, clave_estado(), filas)
        if escritas == filas:
            return Path(ruta)
        alumnos = int(alumnos * 1.1)


# --------------------------------------------------------------------------------------
# Escuelas (catálogo SIGED)
# --------------------------------------------------------------------------------------

_NOMBRES_ESCUELA = (
    "BENITO JUÁREZ", "NIÑOS HÉROES", "MIGUEL HIDALGO", "JOSÉ MARÍA MORELOS Y PAVÓN",
    "VICENTE GUERRERO", "EMILIANO ZAPATA", "LÁZARO CÁRDENAS", "JUSTO SIERRA",
    "IGNACIO ZARAGOZA", "CUAUHTÉMOC", "JOSEFA ORTIZ DE DOMÍNGUEZ", "MARGARITA MAZA DE JUÁREZ",
    "GABRIELA MISTRAL", "RICARDO FLORES MAGÓN", "JOSÉ VASCONCELOS", "SOR JUANA INÉS DE LA CRUZ",
    "MOISÉS SÁENZ", "AMADO NERVO", "FRANCISCO I. MADERO", "LEONA VICARIO", "GUADALUPE VICTORIA",
    "ROSAURA ZAPATA", "ESTEFANÍA CASTAÑEDA", "NIÑO ARTILLERO", "REVOLUCIÓN", "INDEPENDENCIA",
    "REFORMA", "5 DE MAYO", "20 DE NOVIEMBRE", "16 DE SEPTIEMBRE", "PATRIA", "ESPAÑA",
    "CRISTÓBAL COLÓN", "NETZAHUALCÓYOTL", "CUITLÁHUAC", "ADOLFO LÓPEZ MATEOS", "AÑO DE JUÁREZ",
    "MANUEL ÁVILA CAMACHO", "FRIDA KAHLO", "ROSARIO CASTELLANOS",
)  # fmt: skip
_NOMBRES_PRIVADA = (
    "COLEGIO NUEVO AMANECER", "INSTITUTO PEÑA AZUL", "COLEGIO ARCOÍRIS", "INSTITUTO SANTA MÓNICA",
    "COLEGIO ALBATROS", "INSTITUTO JEAN PIAGET", "COLEGIO CRECER", "INSTITUTO CUMBRES DEL SUR",
    "COLEGIO MONTESSORI DEL VALLE", "INSTITUTO AMÉRICA", "COLEGIO LUZ Y SABER", "COLEGIO ÑANDÚ",
)  # fmt: skip
_NOMBRES_NUMERADOS = {
    "ST": "ESCUELA SECUNDARIA TÉCNICA NÚM. ",
    "CB": "COLEGIO DE BACHILLERES PLANTEL ",
    "CT": "CENTRO DE BACHILLERATO TECNOLÓGICO NÚM. ",
    "ML": "CENTRO DE ATENCIÓN MÚLTIPLE NÚM. ",
    "IN": "CENTRO DE EDUCACIÓN INICIAL NÚM. ",
}
_LOCALIDADES = (
    "El Progreso", "San José", "La Ciénega", "Río Grande", "Llano de la Cruz", "Cerro de la Peña",
    "El Carrizal", "La Soledad", "Santa Rosa", "Buenavista", "El Porvenir", "La Unión",
    "Guadalupe Victoria", "Loma Larga", "El Paraíso", "San Isidro", "Arroyo Seco", "Piedra Ancha",
    "La Cañada", "Agua Fría", "Los Naranjos", "Barrio Nuevo", "El Mirador", "Peña Colorada",
)  # fmt: skip


def _escuelas(m: Municipios, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Catálogo de escuelas: al menos un preescolar y una primaria públicos por municipio."""
    mun = m.completos.reset_index(drop=True)
    n_mun = len(mun)
    peso = _peso_poblacion(m, rng)
    reparto = rng.multinomial(N_ESCUELAS - 2 * n_mun, peso / peso.sum())
    i_mun = np.concatenate([np.arange(n_mun), np.arange(n_mun), np.repeat(np.arange(n_mun), reparto)])
    n, n_resto = len(i_mun), int(reparto.sum())
    niveles = np.array([*NIVELES_BASICA, "MEDIA SUPERIOR", "EDUCACIÓN ESPECIAL", "INICIAL"])
    i_nivel = np.concatenate(
        [np.zeros(n_mun, int), np.ones(n_mun, int), rng.choice(6, n_resto, p=[0.30, 0.40, 0.245, 0.03, 0.015, 0.01])]
    )
    # Las escuelas particulares se concentran en las ciudades.
    urbano = (peso / peso.max()) ** 0.5
    p_privada = np.clip(0.035 + 0.55 * urbano[i_mun], 0, 0.4)
    privada = (np.arange(n) >= 2 * n_mun) & (rng.random(n) < p_privada) & (i_nivel < 4)
    nivel = niveles[i_nivel]
    control = np.where(privada, "P", "D")

    tipo = np.empty(n, dtype=object)
    nombre = np.array(_NOMBRES_ESCUELA, dtype=object)[rng.integers(0, len(_NOMBRES_ESCUELA), n)]
    for i in np.flatnonzero(privada):
        tipo[i] = {"PREESCOLAR": "JN", "PRIMARIA": "PR", "SECUNDARIA": "ES"}[nivel[i]]
    for (niv, _), tipos in _TIPOS.items():
        sel = np.flatnonzero((nivel == niv) & ~privada)
        tipo[sel] = rng.choice(list(tipos), len(sel), p=list(tipos.values()))
    nombre[privada] = np.array(_NOMBRES_PRIVADA, dtype=object)[rng.integers(0, len(_NOMBRES_PRIVADA), privada.sum())]
    numero = rng.integers(1, 300, n).astype(str)
    for clave_tipo, prefijo in _NOMBRES_NUMERADOS.items():
        sel = tipo == clave_tipo
        nombre[sel] = prefijo + numero[sel].astype(object)
    cct = _claves_cct(m.estado, control, tipo, rng)

    cabecera = rng.random(n) < 0.5
    cve_loc = np.where(cabecera, 1, rng.integers(2, 400, n))
    localidad = np.where(
        cabecera,
        mun["municipio"].to_numpy()[i_mun],
        np.array(_LOCALIDADES, dtype=object)[rng.integers(0, len(_LOCALIDADES), n)],
    )
    turno = np.where(rng.random(n) < 0.12, "VESPERTINO", "MATUTINO")

    # Coordenadas: casi todas dentro del municipio declarado; algunas mal a propósito.
    destino = mun["cvegeo"].to_numpy()[i_mun].copy()
    orden = rng.permutation(n)
    n_fuera, n_vacias, n_invertidas = round(0.02 * n), round(0.01 * n), round(0.005 * n)
    fuera = orden[:n_fuera]
    vacias = orden[n_fuera : n_fuera + n_vacias]
    invertidas = orden[n_fuera + n_vacias : n_fuera + n_vacias + n_invertidas]
    vecino = _vecinos(m)
    destino[fuera] = mun["cvegeo"].to_numpy()[vecino[i_mun[fuera]]]
    lon, lat = _puntos_en(m, destino, rng)
    lon[vacias] = lat[vacias] = np.nan
    lon[invertidas], lat[invertidas] = lat[invertidas].copy(), lon[invertidas].copy()

    df = pd.DataFrame(
        {
            "CV_CCT": cct,
            "C_NOMBRE": nombre,
            "INMUEBLE_CV_ENT": m.estado,
            "INMUEBLE_CV_MUN": mun["cve_mun"].to_numpy()[i_mun],
            "INMUEBLE_C_NOM_MUN": mun["municipio"].to_numpy()[i_mun],
            "INMUEBLE_CV_LOC": pd.Series(cve_loc).map("{:04d}".format).to_numpy(),
            "INMUEBLE_C_NOM_LOC": localidad,
            "INMUEBLE_LATITUD": _decimales(lat, 6),
            "INMUEBLE_LONGITUD": _decimales(lon, 6),
            "TIPONIVELSUB_C_SERVICION2": nivel,
            "SOSTENIMIENTO_C_CONTROL": np.where(privada, "PRIVADO", "PÚBLICO"),
            "C_TURNO_1": turno,
        }
    )
    orden_final = np.lexsort((cct, i_mun))
    df = df.iloc[orden_final].reset_index(drop=True)
    casos = {
        "fuera_de_municipio": sorted(cct[fuera].tolist()),
        "coordenadas_invertidas": sorted(cct[invertidas].tolist()),
        "sin_coordenadas": sorted(cct[vacias].tolist()),
    }
    return df, casos


def _claves_cct(estado: str, control: np.ndarray, tipo: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Claves CCT únicas: entidad + control + tipo + 4 dígitos + letra verificadora."""
    numero = np.zeros(len(tipo), dtype=int)
    grupos = pd.Series(np.arange(len(tipo))).groupby([control, tipo], sort=True)
    for _, indices in grupos:
        numero[indices.to_numpy()] = rng.choice(np.arange(1, 10000), len(indices), replace=False)
    base = pd.Series(control, dtype=object).radd(estado) + pd.Series(tipo, dtype=object)
    base = base + pd.Series(numero).map("{:04d}".format)
    codigos = np.frombuffer("".join(base).encode("ascii"), dtype=np.uint8).reshape(-1, 9)
    letra = (codigos.astype(np.int64) @ np.arange(3, 12)) % 26
    return (base + _LETRAS[letra]).to_numpy(dtype=object)


def _peso_poblacion(m: Municipios, rng: np.random.Generator) -> np.ndarray:
    """Peso de cada municipio (miles de habitantes, aproximado) para repartir escuelas y obras."""
    peso = rng.lognormal(np.log(3.5), 0.9, len(m.completos))
    ciudades = _CIUDADES.get(m.estado, {})
    cve_mun = m.completos["cve_mun"].to_numpy()
    for i, clave in enumerate(cve_mun):
        if clave in ciudades:
            peso[i] = ciudades[clave]
    return peso


def _es_basica_publica(escuelas: pd.DataFrame) -> pd.Series:
    return escuelas["TIPONIVELSUB_C_SERVICION2"].isin(NIVELES_BASICA) & (
        escuelas["SOSTENIMIENTO_C_CONTROL"] == "PÚBLICO"
    )


def _tamanos(nivel: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Alumnos inscritos típicos por escuela según su nivel (sesgados hacia escuelas chicas)."""
    resultado = np.zeros(len(nivel), dtype=np.int64)
    sigma = rng.normal(0, 1, len(nivel))
    for niv, (minimo, mediana, maximo) in _TAMANO.items():
        sel = nivel == niv
        extra = mediana * np.exp(0.95 * sigma[sel])
        resultado[sel] = np.clip(np.round(minimo + extra), minimo, maximo)
    return resultado
