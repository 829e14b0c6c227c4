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
_TAMANO = {"PREESCOLAR": (20, 7, 80), "PRIMARIA": (40, 15, 400), "SECUNDARIA": (60, 22, 500)}
# Importe por alumno (uniforme, útiles) por nivel básico, en pesos.
_IMPORTE = {
    "PREESCOLAR": (380.00, 210.00),
    "PRIMARIA": (450.00, 320.50),
    "SECUNDARIA": (520.00, 365.75),
}
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

    peso = _peso_poblacion(m, _rng(semilla, "poblacion"))
    escuelas, casos_esc = _escuelas(m, peso, _rng(semilla, "escuelas"))
    matricula = _matricula(escuelas, _rng(semilla, "matricula"))
    conteos, casos_pad = _conteos_padron(escuelas, matricula, _rng(semilla, "cobertura"))
    presupuesto, casos_pre = _presupuesto(m, escuelas, matricula, _rng(semilla, "presupuesto"))
    obras, casos_obr = _obras(m, peso, _rng(semilla, "obras"))
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
        "casos_sembrados": {
            "escuelas": casos_esc,
            "padron": casos_pad,
            "presupuesto": casos_pre,
            "obras": casos_obr,
        },
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


def _escuelas(
    m: Municipios, peso: np.ndarray, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict]:
    """Catálogo de escuelas: al menos un preescolar y una primaria públicos por municipio."""
    mun = m.completos.reset_index(drop=True)
    n_mun = len(mun)
    reparto = rng.multinomial(N_ESCUELAS - 2 * n_mun, peso / peso.sum())
    i_mun = np.concatenate(
        [np.arange(n_mun), np.arange(n_mun), np.repeat(np.arange(n_mun), reparto)]
    )
    n, n_resto = len(i_mun), int(reparto.sum())
    niveles = np.array([*NIVELES_BASICA, "MEDIA SUPERIOR", "EDUCACIÓN ESPECIAL", "INICIAL"])
    i_nivel = np.concatenate(
        [
            np.zeros(n_mun, int),
            np.ones(n_mun, int),
            rng.choice(6, n_resto, p=[0.30, 0.40, 0.245, 0.03, 0.015, 0.01]),
        ]
    )
    # Las escuelas particulares se concentran en las ciudades.
    urbano = (peso / peso.max()) ** 0.5
    p_privada = np.clip(0.03 + 0.4 * urbano[i_mun], 0, 0.3)
    privada = (np.arange(n) >= 2 * n_mun) & (rng.random(n) < p_privada) & (i_nivel < 3)
    nivel = niveles[i_nivel]
    control = np.where(privada, "P", "D")

    tipo = np.empty(n, dtype=object)
    nombre = np.array(_NOMBRES_ESCUELA, dtype=object)[rng.integers(0, len(_NOMBRES_ESCUELA), n)]
    for (niv, _), tipos in _TIPOS.items():
        sel = np.flatnonzero((nivel == niv) & ~privada)
        tipo[sel] = rng.choice(list(tipos), len(sel), p=list(tipos.values()))
    tipo[privada] = np.array(["JN", "PR", "ES"], dtype=object)[i_nivel[privada]]
    nombre[privada] = np.array(_NOMBRES_PRIVADA, dtype=object)[
        rng.integers(0, len(_NOMBRES_PRIVADA), privada.sum())
    ]
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


def _claves_cct(
    estado: str, control: np.ndarray, tipo: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
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


# --------------------------------------------------------------------------------------
# Matrícula (Formato 911) y cobertura del padrón
# --------------------------------------------------------------------------------------


def _matricula(escuelas: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Inscritos, existencia y aprobados de cada escuela básica en los tres ciclos."""
    basica = escuelas[escuelas["TIPONIVELSUB_C_SERVICION2"].isin(NIVELES_BASICA)]
    n = len(basica)
    i_mun, claves = pd.factorize(basica["INMUEBLE_CV_MUN"])
    nivel = basica["TIPONIVELSUB_C_SERVICION2"]
    base = _tamanos(nivel.to_numpy(), rng)
    minimo = nivel.map(lambda x: _TAMANO[x][0]).to_numpy()
    maximo = nivel.map(lambda x: _TAMANO[x][2]).to_numpy()
    tendencia = rng.normal(0.0, 0.03, n)
    desercion_mun = rng.uniform(0.015, 0.05, len(claves))
    aprobacion_mun = rng.uniform(0.87, 0.97, len(claves))
    partes = []
    for k, ciclo in enumerate(CICLOS):
        inscritos = np.round(base * (1 + tendencia * k) * rng.normal(1, 0.03, n))
        inscritos = np.clip(inscritos, minimo, maximo).astype(np.int64)
        desercion = np.clip(desercion_mun + rng.normal(0, 0.008, len(claves)), 0.01, 0.06)
        aprobacion = np.clip(aprobacion_mun + rng.normal(0, 0.015, len(claves)), 0.85, 0.99)
        existencia = inscritos - _repartir(inscritos, desercion, i_mun, rng)
        aprobados = _repartir(existencia, aprobacion, i_mun, rng)
        partes.append(
            pd.DataFrame(
                {
                    "CV_CCT": basica["CV_CCT"].to_numpy(),
                    "CICLO": ciclo,
                    "INSCRITOS": inscritos,
                    "EXISTENCIA": existencia,
                    "APROBADOS": aprobados,
                }
            )
        )
    return pd.concat(partes, ignore_index=True)


def _repartir(
    base: np.ndarray, tasa: np.ndarray, i_mun: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Enteros ``<= base`` por escuela, cerca de ``base * tasa`` de su municipio.

    Redondeo aleatorio por escuela; la escuela más grande de cada municipio absorbe la
    diferencia para que la tasa municipal sea la buscada (1-6 % de deserción, etc.).
    """
    cuenta = np.floor(base * tasa[i_mun] + rng.random(len(base))).astype(np.int64)
    objetivo = np.round(np.bincount(i_mun, base * tasa[i_mun], len(tasa))).astype(np.int64)
    faltan = objetivo - np.bincount(i_mun, cuenta, len(tasa))
    orden = np.lexsort((base, i_mun))
    mayor = orden[np.r_[i_mun[orden][1:] != i_mun[orden][:-1], True]]
    cuenta[mayor] = np.clip(cuenta[mayor] + faltan[i_mun[mayor]], 0, base[mayor])
    return cuenta


def _conteos_padron(
    escuelas: pd.DataFrame, matricula: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict]:
    """Alumnos beneficiarios por escuela pública (filas) y ciclo del padrón (columnas).

    La cobertura es desigual por municipio: la mayoría 85-100 %, algunos 60-80 %, un puñado
    sin beneficiarios y un par por encima de 100 % (más beneficiarios que inscritos).
    """
    publicas = escuelas[_es_basica_publica(escuelas)].set_index("CV_CCT")
    inscritos = matricula.pivot(index="CV_CCT", columns="CICLO", values="INSCRITOS")
    inscritos = inscritos.loc[publicas.index, list(CICLOS_PADRON)].to_numpy()
    i_mun, claves = pd.factorize(publicas["INMUEBLE_CV_MUN"])
    n_mun = len(claves)
    cobertura = rng.uniform(0.86, 0.99, n_mun)
    orden = rng.permutation(n_mun)
    sin, sobre, baja = orden[:5], orden[5:7], orden[7 : 7 + round(0.12 * n_mun)]
    cobertura[baja] = rng.uniform(0.62, 0.80, len(baja))
    cobertura[sin] = 0.0
    conteos = np.zeros_like(inscritos)
    for k in range(len(CICLOS_PADRON)):
        p = np.clip(cobertura + rng.normal(0, 0.012, n_mun), 0, 0.995)
        p[sin] = 0.0
        p = p[i_mun]
        # Escuelas que no recibieron nada, en municipios con muchas escuelas.
        p[(rng.random(len(p)) < 0.02) & (np.bincount(i_mun)[i_mun] >= 8)] = 0.0
        conteos[:, k] = rng.binomial(inscritos[:, k], p)
        en_sobre = np.isin(i_mun, sobre)
        conteos[en_sobre, k] = inscritos[en_sobre, k] + rng.binomial(inscritos[en_sobre, k], 0.08)
    estado = escuelas["INMUEBLE_CV_ENT"].iloc[0]
    casos = {
        "municipios_sin_beneficiarios": sorted(estado + claves[sin]),
        "municipios_cobertura_mayor_100": sorted(estado + claves[sobre]),
        "municipios_cobertura_baja": sorted(estado + claves[baja]),
    }
    return pd.DataFrame(conteos, index=publicas.index, columns=list(CICLOS_PADRON)), casos


# --------------------------------------------------------------------------------------
# Padrón de beneficiarios (SIIPP-G, Estructura Personas)
# --------------------------------------------------------------------------------------

# Apellidos y nombres comunes con su frecuencia relativa; los datos resultantes son ficticios.
_APELLIDOS = {
    "HERNÁNDEZ": 10, "GARCÍA": 9, "MARTÍNEZ": 9, "LÓPEZ": 8, "PÉREZ": 7, "GONZÁLEZ": 6,
    "SANTIAGO": 6, "CRUZ": 6, "RAMÍREZ": 5, "SÁNCHEZ": 5, "JIMÉNEZ": 5, "RUIZ": 4, "VÁSQUEZ": 4,
    "MORALES": 4, "REYES": 4, "LUIS": 3, "JOSÉ": 3, "ANTONIO": 3, "BAUTISTA": 3, "AQUINO": 3,
    "MENDOZA": 3, "GÓMEZ": 3, "DÍAZ": 3, "TORRES": 3, "VELASCO": 2, "MATÍAS": 2, "RAMOS": 2,
    "ORTIZ": 2, "JUÁREZ": 2, "CASTILLO": 2, "CHÁVEZ": 2, "ZÁRATE": 2, "NUÑEZ": 2, "PEÑA": 2,
    "MUÑOZ": 2, "IBÁÑEZ": 1, "ORDÓÑEZ": 1, "ZÚÑIGA": 1, "TOLEDO": 1, "CORTÉS": 1,
    "DE LA CRUZ": 1, "ESPAÑA": 1,
}  # fmt: skip
_NOMBRES_H = {
    "JOSÉ LUIS": 4, "JUAN CARLOS": 3, "SANTIAGO": 5, "MATEO": 4, "DIEGO": 3, "EMILIANO": 4,
    "ÁNGEL": 3, "LEONARDO": 3, "SEBASTIÁN": 3, "JESÚS": 3, "MIGUEL ÁNGEL": 3, "IKER": 2,
    "GAEL": 3, "DAVID": 2, "ALEXANDER": 2, "ERICK": 2, "JOSUÉ": 2, "ADRIÁN": 2, "MOISÉS": 1,
    "NOÉ": 1, "FERNANDO": 2, "ISAAC": 2, "MAXIMILIANO": 2, "AXEL": 2, "ÍÑIGO": 1,
}  # fmt: skip
_NOMBRES_M = {
    "MARÍA FERNANDA": 4, "MARÍA JOSÉ": 3, "XIMENA": 4, "SOFÍA": 4, "VALERIA": 3, "CAMILA": 3,
    "REGINA": 3, "GUADALUPE": 3, "ITZEL": 3, "YARETZI": 2, "NAYELI": 2, "ANA PAULA": 2,
    "LUCÍA": 2, "RENATA": 3, "JIMENA": 2, "CITLALI": 2, "MONTSERRAT": 2, "ZOÉ": 1, "ÁNGELA": 2,
    "DANIELA": 2, "NATALIA": 2, "ANDREA": 2, "ESMERALDA": 1, "YAMILETH": 1, "BEGOÑA": 1,
}  # fmt: skip
_EDAD = {0: (3, 6), 1: (6, 12), 2: (12, 15)}  # rango de edad por nivel al inicio del ciclo
_ENCABEZADO_PADRON = (
    "ID_PERSONA", "NB_PRIMER_AP", "NB_SEGUNDO_AP", "NB_NOMBRE", "NB_CURP", "FH_NACIMIENTO",
    "CD_SEXO", "CV_CCT", "CICLO", "CD_BENEFICIO", "NU_IMP_MONETARIO", "FH_ENTREGA",
)  # fmt: skip


def _escribir_padron(
    ruta: Path,
    cct: np.ndarray,
    nivel: np.ndarray,
    conteos: np.ndarray,
    rng: np.random.Generator,
    estado: str,
    filas: int | None = None,
) -> int:
    """Escribe el padrón: ``conteos[escuela, ciclo]`` alumnos distintos; devuelve las filas.

    Cada alumno recibe los dos beneficios (dos renglones) o uno solo; el 0.2 % aparece
    además en otra escuela del mismo nivel con la misma CURP. Con ``filas`` se corta ahí.
    """
    n_esc, n_cic = conteos.shape
    celda = np.repeat(np.arange(n_esc * n_cic), conteos.ravel())
    esc, cic = celda // n_cic, celda % n_cic
    n = len(esc)
    niv = np.asarray(nivel)[esc]
    anio = np.array([int(c[:4]) for c in CICLOS_PADRON])[cic]
    apellidos, p_apellidos = _lista(_APELLIDOS)
    nombres_h, p_h = _lista(_NOMBRES_H)
    nombres_m, p_m = _lista(_NOMBRES_M)
    mujer = rng.random(n) < 0.49
    ap1 = rng.choice(len(apellidos), n, p=p_apellidos)
    ap2 = rng.choice(len(apellidos), n, p=p_apellidos)
    nom = np.where(
        mujer,
        len(nombres_h) + rng.choice(len(nombres_m), n, p=p_m),
        rng.choice(len(nombres_h), n, p=p_h),
    )
    edad_min = np.array([_EDAD[k][0] for k in range(3)])[niv]
    edad_max = np.array([_EDAD[k][1] for k in range(3)])[niv]
    edad = rng.integers(edad_min, edad_max) + (rng.random(n) < 0.03)
    nacimiento = _dia(anio - edad - 1, 9, 2) + rng.integers(0, 365, n)
    curp = _curps(apellidos, nombres_h + nombres_m, ap1, ap2, nom, nacimiento, mujer, estado, rng)

    # Alumnos registrados también en otra escuela del mismo nivel y ciclo: un registro de esa
    # otra escuela toma los datos personales (y la CURP) del alumno.
    grupo = cic * 3 + niv
    por_grupo = np.argsort(grupo, kind="stable")
    inicio_grupo = np.searchsorted(grupo[por_grupo], np.arange(3 * n_cic))
    tamano_grupo = np.bincount(grupo, minlength=3 * n_cic)
    origen = rng.choice(n, round(0.002 * n), replace=False)
    salto = (rng.random(len(origen)) * tamano_grupo[grupo[origen]]).astype(np.int64)
    copia = por_grupo[inicio_grupo[grupo[origen]] + salto]
    valido = (esc[copia] != esc[origen]) & ~np.isin(copia, origen)
    _, primera = np.unique(np.where(valido, copia, -1), return_index=True)
    primera = primera[valido[primera]]
    origen, copia = origen[primera], copia[primera]
    for arreglo in (ap1, ap2, nom, mujer, nacimiento, curp):
        arreglo[copia] = arreglo[origen]
    indice = np.lexsort((nom, ap2, ap1, esc, cic))  # registro -> alumno
    esc, cic = esc[indice], cic[indice]
    n_reg = n

    # Beneficios: ambos (90 %), solo uniforme (4 %) o solo útiles (6 %).
    u = rng.random(n_reg)
    k = np.where(u < 0.90, 2, 1)
    solo = np.where(u < 0.94, 0, 1)
    reg = np.repeat(np.arange(n_reg), k)
    primero = np.repeat(np.cumsum(k) - k, k)
    beneficio = np.where(k[reg] == 2, np.arange(len(reg)) - primero, solo[reg])
    if filas is not None:
        reg, beneficio = reg[:filas], beneficio[:filas]
    celda = esc[reg] * n_cic + cic[reg]
    entrega = _dia(np.array([int(c[:4]) for c in CICLOS_PADRON])[celda % n_cic], 8, 18)
    entrega += (
        rng.integers(0, 75, n_esc * n_cic)[celda]
        + beneficio * rng.integers(0, 21, n_esc * n_cic)[celda]
    )
    importes = [f"${v:,.2f}" for x in NIVELES_BASICA for v in _IMPORTE[x]]
    fechas = _tabla_fechas()[1]
    alumno = indice[reg]
    nivel_reg = np.asarray(nivel)[esc[reg]]
    tabla = pa.table(
        [
            pa.array(reg + 1),
            _tomar(apellidos, ap1[alumno]),
            _tomar(apellidos, ap2[alumno]),
            _tomar(nombres_h + nombres_m, nom[alumno]),
            pa.array(np.ascontiguousarray(curp[alumno]).view("S18").ravel()).cast(pa.string()),
            pc.take(fechas, nacimiento[alumno]),
            _tomar(["H", "M"], mujer[alumno].astype(np.int8)),
            _tomar(list(cct), esc[reg]),
            _tomar(list(CICLOS_PADRON), cic[reg]),
            _tomar(["UNIFORME", "UTILES"], beneficio),
            _tomar(importes, nivel_reg * 2 + beneficio),
            pc.take(fechas, entrega),
        ],
        names=list(_ENCABEZADO_PADRON),
    )
    with pa.OSFile(str(ruta), "wb") as salida:
        salida.write((",".join(_ENCABEZADO_PADRON) + "\n").encode("utf-8"))
        opciones = pacsv.WriteOptions(include_header=False, quoting_style="none")
        pacsv.write_csv(tabla, salida, opciones)
    return len(reg)


def _tomar(valores: list[str], indices: np.ndarray) -> pa.Array:
    """``valores[indices]`` como columna de texto de Arrow (rápido para millones de filas)."""
    return pc.take(pa.array(valores, type=pa.string()), pa.array(indices))


def _lista(frecuencias: dict[str, int]) -> tuple[list[str], np.ndarray]:
    """Nombres en orden alfabético (sin acentos) y sus probabilidades."""
    nombres = sorted(frecuencias, key=_sin_acentos)
    pesos = np.array([frecuencias[x] for x in nombres], dtype=float)
    return nombres, pesos / pesos.sum()


def _catalogo_padron(
    escuelas: pd.DataFrame | None, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Claves CCT y nivel (0 preescolar, 1 primaria, 2 secundaria) de las escuelas públicas básicas."""
    if escuelas is None:
        n = 4000
        nivel = rng.choice(3, n, p=[0.38, 0.44, 0.18])
        tipo = np.array(["JN", "PR", "ES"], dtype=object)[nivel]
        return _claves_cct(clave_estado(), np.full(n, "D"), tipo, rng), nivel
    columnas = {_sin_acentos(c).upper().replace(" ", "_"): c for c in escuelas.columns}
    c_cct = next((columnas[c] for c in ("CV_CCT", "CCT", "CLAVECCT") if c in columnas), None)
    c_nivel = next(
        (columnas[c] for c in ("TIPONIVELSUB_C_SERVICION2", "NIVEL") if c in columnas), None
    )
    if c_cct is None or c_nivel is None:
        raise ValueError(
            "escuelas debe traer la clave CCT (CV_CCT o cct) y el nivel "
            f"(TIPONIVELSUB_C_SERVICION2 o nivel); se recibieron {list(escuelas.columns)}"
        )
    nivel = escuelas[c_nivel].map(lambda v: _sin_acentos(str(v)).upper().strip())
    conservar = nivel.isin(NIVELES_BASICA)
    c_control = next(
        (columnas[c] for c in ("SOSTENIMIENTO_C_CONTROL", "CONTROL") if c in columnas), None
    )
    if c_control is not None:
        control = escuelas[c_control].map(lambda v: _sin_acentos(str(v)).upper().strip())
        conservar &= control == "PUBLICO"
    if not conservar.any():
        raise ValueError("escuelas no tiene escuelas públicas de educación básica")
    cct = escuelas.loc[conservar, c_cct].astype(str).to_numpy(dtype=object)
    return cct, nivel[conservar].map(NIVELES_BASICA.index).to_numpy()


def _curps(
    apellidos: list[str],
    nombres: list[str],
    ap1: np.ndarray,
    ap2: np.ndarray,
    nom: np.ndarray,
    nacimiento: np.ndarray,
    mujer: np.ndarray,
    estado: str,
    rng: np.random.Generator,
) -> np.ndarray:
    """CURP estructuralmente válidas y únicas, como matriz ``(n, 18)`` de bytes ASCII.

    Posiciones: inicial y primera vocal interna del primer apellido, inicial del segundo,
    inicial del nombre, AAMMDD, sexo, entidad, primeras consonantes internas de los dos
    apellidos y del nombre, homoclave (letra: nacidos desde 2000) y dígito verificador.
    """
    n = len(ap1)
    p_ap, p_nom = _partes_curp(tuple(apellidos)), _partes_curp(tuple(nombres))
    curp = np.empty((n, 18), dtype=np.uint8)
    curp[:, 0], curp[:, 1], curp[:, 2], curp[:, 3] = (
        p_ap[ap1, 0],
        p_ap[ap1, 1],
        p_ap[ap2, 0],
        p_nom[nom, 0],
    )
    curp[:, 4:10] = _tabla_fechas()[0][nacimiento]
    curp[:, 10] = np.where(mujer, ord("M"), ord("H"))
    curp[:, 11:13] = np.frombuffer(_CURP_ENTIDAD[int(estado) - 1].encode("ascii"), dtype=np.uint8)
    curp[:, 13], curp[:, 14], curp[:, 15] = p_ap[ap1, 2], p_ap[ap2, 2], p_nom[nom, 2]
    letras = curp[:, [0, 1, 2, 3, 13, 14, 15]].astype(np.int64) - 65
    clave = np.zeros(n, dtype=np.int64)
    for j in range(4):
        clave = clave * 26 + letras[:, j]
    clave = (clave * 12000 + nacimiento) * 2 + mujer
    for j in range(4, 7):
        clave = clave * 26 + letras[:, j]
    homoclave = rng.integers(0, 26, n)
    for _ in range(100):
        repetida = pd.Series(clave * 26 + homoclave).duplicated().to_numpy()
        if not repetida.any():
            break
        homoclave[repetida] = rng.integers(0, 26, repetida.sum())
    else:  # pragma: no cover - requeriría millones de homónimos nacidos el mismo día
        raise RuntimeError("no se pudieron generar CURP únicas")
    curp[:, 16] = 65 + homoclave
    valor = np.zeros(256, dtype=np.int64)
    valor[48:58] = np.arange(10)
    valor[65:79] = np.arange(10, 24)  # A-N; la Ñ (24) no aparece: se escribe X
    valor[79:91] = np.arange(25, 37)  # O-Z
    suma = valor[curp[:, :17]] @ np.arange(18, 1, -1)
    curp[:, 17] = 48 + (10 - suma % 10) % 10
    return curp


@cache
def _partes_curp(nombres: tuple[str, ...]) -> np.ndarray:
    """Por nombre: inicial, primera vocal interna y primera consonante interna (bytes ASCII)."""
    resultado = np.empty((len(nombres), 3), dtype=np.uint8)
    for i, nombre in enumerate(nombres):
        palabras = _sin_acentos(nombre.upper().replace("Ñ", "X")).split()
        palabras = [
            p for p in palabras if p not in ("DE", "LA", "LAS", "LOS", "DEL", "Y")
        ] or palabras
        if len(palabras) > 1 and palabras[0] in ("MARIA", "JOSE", "MA.", "J."):
            palabras = palabras[1:]
        palabra = palabras[0]
        vocal = next((c for c in palabra[1:] if c in "AEIOU"), "X")
        consonante = next((c for c in palabra[1:] if c.isalpha() and c not in "AEIOU"), "X")
        resultado[i] = [ord(palabra[0]), ord(vocal), ord(consonante)]
    return resultado


# --------------------------------------------------------------------------------------
# Presupuesto del programa (SHCP, diseño A)
# --------------------------------------------------------------------------------------

# Reparto de los semáforos por municipio y ejercicio: verde, amarillo, rojo por rezago grave,
# rojo por sobregiro y gris (sin monto ejercido).
_SEMAFOROS = ("verde", "amarillo", "rezago_grave", "sobregiro", "sin_dato")
_P_SEMAFOROS = (0.68, 0.17, 0.09, 0.03, 0.03)
_P_COMPROBADO = {2023: 0.6, 2024: 0.5, 2025: 0.25}


def _presupuesto(
    m: Municipios, escuelas: pd.DataFrame, matricula: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict]:
    """Aprobado, modificado, ejercido y comprobado por municipio y concepto, más líneas estatales."""
    publicas = escuelas.loc[
        _es_basica_publica(escuelas), ["CV_CCT", "INMUEBLE_CV_MUN", "TIPONIVELSUB_C_SERVICION2"]
    ]
    mat = matricula.merge(publicas, on="CV_CCT")
    nivel = mat["TIPONIVELSUB_C_SERVICION2"]
    mat["uniformes"] = mat["INSCRITOS"] * nivel.map(lambda x: _IMPORTE[x][0])
    mat["utiles"] = mat["INSCRITOS"] * nivel.map(lambda x: _IMPORTE[x][1])
    montos = mat.groupby(["CICLO", "INMUEBLE_CV_MUN"])[["uniformes", "utiles"]].sum()
    claves = m.completos["cve_mun"].to_numpy()
    n = len(claves)
    partes, casos = [], {}
    for ciclo, anio in zip(CICLOS, EJERCICIOS, strict=True):
        corte = CORTES[anio]
        esperado = min(
            1.0, (corte - date(anio, 1, 1)).days / (date(anio, 12, 31) - date(anio, 1, 1)).days
        )
        base_u = montos.loc[ciclo].reindex(claves, fill_value=0.0).to_numpy()
        factor = rng.uniform(0.95, 1.08, n)
        aprobado = base_u * factor[:, None]  # columnas: uniformes, útiles
        total = aprobado.sum(axis=1)
        modificado = total * rng.uniform(0.92, 1.08, n) if anio >= 2024 else np.full(n, np.nan)
        referencia = np.where(np.isnan(modificado), total, modificado)
        semaforo = rng.choice(len(_SEMAFOROS), n, p=_P_SEMAFOROS)
        r = np.select(
            [semaforo == 0, semaforo == 1, semaforo == 2],
            [rng.uniform(0.92, 1.15, n), rng.uniform(0.72, 0.88, n), rng.uniform(0.2, 0.65, n)],
            np.nan,
        )
        avance = np.where(semaforo == 0, np.minimum(r * esperado, 0.995), r * esperado)
        avance = np.where(semaforo == 3, rng.uniform(1.03, 1.2, n), avance)
        con_comprobado = (rng.random(n) < _P_COMPROBADO[anio]) & (semaforo < 3)
        comprobado = np.where(con_comprobado, avance * referencia, np.nan)
        ejercido = np.where(
            con_comprobado,
            np.minimum(comprobado * rng.uniform(1.02, 1.15, n), referencia),
            avance * referencia,
        )
        proporcion = np.divide(aprobado[:, 0], total, out=np.full(n, 0.5), where=total > 0)
        for j, concepto in enumerate(("Uniformes escolares", "Útiles escolares")):
            parte = proporcion if j == 0 else 1 - proporcion
            partes.append(
                pd.DataFrame(
                    {
                        "CICLO": anio,
                        "ID_MUNICIPIO": claves,
                        "CONCEPTO": concepto,
                        "MONTO_APROBADO": aprobado[:, j],
                        "MONTO_MODIFICADO": modificado * parte,
                        "MONTO_EJERCIDO": ejercido * parte,
                        "MONTO_COMPROBADO": comprobado * parte,
                    }
                )
            )
        # Líneas estatales (sin municipio): logística y supervisión.
        for concepto, fraccion in (
            ("Distribución y logística", 0.03),
            ("Supervisión y difusión", 0.008),
        ):
            apr = total.sum() * fraccion
            mod = apr * rng.uniform(0.95, 1.05) if anio >= 2024 else np.nan
            eje = (apr if np.isnan(mod) else mod) * esperado * rng.uniform(0.93, 0.99)
            partes.append(
                pd.DataFrame(
                    {
                        "CICLO": [anio],
                        "ID_MUNICIPIO": [""],
                        "CONCEPTO": [concepto],
                        "MONTO_APROBADO": [apr],
                        "MONTO_MODIFICADO": [mod],
                        "MONTO_EJERCIDO": [eje],
                        "MONTO_COMPROBADO": [eje * 0.97 if esperado == 1.0 else np.nan],
                    }
                )
            )
        casos[str(anio)] = {
            nombre: sorted(m.estado + claves[semaforo == k])
            for k, nombre in enumerate(_SEMAFOROS)
            if k > 0
        }
    df = pd.concat(partes, ignore_index=True)
    df.insert(1, "ID_ENTIDAD_FEDERATIVA", m.estado)
    df.insert(3, "DESC_PP", PROGRAMA)
    for columna in ("MONTO_APROBADO", "MONTO_MODIFICADO", "MONTO_EJERCIDO", "MONTO_COMPROBADO"):
        df[columna] = _pesos(df[columna].to_numpy())
    df["FECHA_CORTE"] = df["CICLO"].map(lambda a: CORTES[a].strftime("%d/%m/%Y"))
    return df, casos


# --------------------------------------------------------------------------------------
# Obra pública (SHCP SRFT, destino del gasto)
# --------------------------------------------------------------------------------------

_OBJETOS = {
    "Educación": ("aulas didácticas", "sanitarios escolares", "techado de plaza cívica escolar", "barda perimetral escolar"),
    "Urbanización": ("calle con concreto hidráulico", "guarniciones y banquetas", "alumbrado público", "parque municipal"),
    "Agua y saneamiento": ("sistema de agua potable", "red de drenaje sanitario", "planta de tratamiento de aguas residuales", "tanque de almacenamiento de agua potable"),
    "Transportes y vialidades": ("camino rural", "puente vehicular", "camino con pavimento asfáltico"),
    "Salud": ("centro de salud", "casa de salud", "unidad médica rural"),
    "Vivienda": ("cuartos dormitorio", "techos firmes", "pisos firmes"),
    "Deporte": ("cancha de usos múltiples", "unidad deportiva"),
    "Electrificación": ("red de distribución eléctrica", "alumbrado público con energía solar"),
}  # fmt: skip
_P_CATEGORIAS = (0.16, 0.2, 0.18, 0.16, 0.07, 0.09, 0.08, 0.06)
_CLASIFICACIONES = ("Construcción", "Rehabilitación", "Ampliación", "Mantenimiento", "Equipamiento")
_P_CLASIFICACIONES = (0.45, 0.25, 0.15, 0.1, 0.05)
_NIVELES_GOBIERNO = ("FEDERAL", "ESTATAL", "MUNICIPAL")
_MEDIANA_MONTO = (25e6, 6e6, 1.8e6)
_ADJUDICACION = ("LICITACION PUBLICA", "INVITACION A TRES", "ADJUDICACION DIRECTA")
_EMPRESA_TIPO = (
    "Constructora", "Grupo Constructor", "Edificaciones", "Ingeniería y Proyectos", "Desarrollos",
    "Obras y Caminos", "Urbanizadora", "Construcciones",
)  # fmt: skip
_EMPRESA_NOMBRE = (
    "Peña Alta", "del Sur", "Añil", "Cerro Verde", "Tres Ríos", "Ocotal", "Los Álamos", "Sabino",
    "Huaje", "Jícara", "Piedra Azul", "Cañada Honda",
)  # fmt: skip
_VALORES_ABSURDOS = (3600000.0, 104.5, 110.0, 120.0, 150.0, 250.0, 1000.0, 180.0, 101.0, 360.0)


def _obras(m: Municipios, peso: np.ndarray, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Unas 1,000 obras de los tres órdenes de gobierno con su historial trimestral."""
    mun = m.completos.reset_index(drop=True)
    n = N_OBRAS
    i_mun = rng.choice(len(mun), n, p=peso**0.6 / (peso**0.6).sum())
    i_nivel = rng.choice(3, n, p=[0.15, 0.3, 0.55])
    aprobado = np.round(np.array(_MEDIANA_MONTO)[i_nivel] * rng.lognormal(0, 0.8, n), 2)
    categorias = list(_OBJETOS)
    i_cat = rng.choice(len(categorias), n, p=_P_CATEGORIAS)
    i_obj = (rng.random(n) * np.array([len(_OBJETOS[c]) for c in categorias])[i_cat]).astype(int)
    i_clas = rng.choice(len(_CLASIFICACIONES), n, p=_P_CLASIFICACIONES)

    # Calendario (días desde 2000-01-01): inicio, término estimado y término real.
    corte = _dia(2025, 9, 30)
    inicio = _dia(2023, 7, 1) + rng.integers(0, 700, n)
    futuras = rng.random(n) < 0.03
    inicio[futuras] = corte + rng.integers(1, 90, futuras.sum())
    termino = inicio + rng.integers(90, 450, n) + (i_nivel == 0) * rng.integers(0, 300, n)
    real = termino + rng.integers(-20, 31, n)
    candidatas = np.flatnonzero((termino < corte - 45) & ~futuras)
    retrasadas = rng.choice(candidatas, round(0.06 * n), replace=False)
    real[retrasadas] = corte + rng.integers(60, 400, len(retrasadas))
    libres = np.setdiff1d(np.flatnonzero((inicio < corte - 120) & ~futuras), retrasadas)
    elegidas = rng.choice(libres, round(0.065 * n), replace=False)
    suspendidas, canceladas = elegidas[: round(0.04 * n)], elegidas[round(0.04 * n) :]
    evento = np.full(n, 10**6)
    duracion = np.minimum(real[elegidas], corte) - inicio[elegidas]
    evento[elegidas] = inicio[elegidas] + (duracion * rng.uniform(0.2, 0.8, len(elegidas))).astype(
        int
    )

    fin_trim = np.array([_dia(a, 3 * t, 31 if t in (1, 4) else 30) for a, t in TRIMESTRES]).ravel()
    q_ini = np.clip(np.searchsorted(fin_trim, inicio - rng.integers(0, 60, n)), 0, 6)
    q_fin = np.full(n, 6)
    terminadas = real <= corte
    terminadas[elegidas] = False
    q_fin[terminadas] = np.minimum(
        np.searchsorted(fin_trim, real[terminadas]) + rng.integers(0, 2, terminadas.sum()), 6
    )
    q_fin[canceladas] = np.minimum(np.searchsorted(fin_trim, evento[canceladas]), 6)
    q_fin = np.maximum(q_fin, q_ini)

    # Un renglón por obra y trimestre reportado.
    rep = q_fin - q_ini + 1
    w = np.repeat(np.arange(n), rep)
    ultimo = np.cumsum(rep) - 1
    q = q_ini[w] + np.arange(len(w)) - np.repeat(ultimo - rep + 1, rep)
    t = fin_trim[q]
    t_efectivo = np.minimum(t, evento[w])
    fraccion = np.clip((t_efectivo - inicio[w]) / np.maximum(real[w] - inicio[w], 1), 0, 1)
    avance = np.round(100 * fraccion ** rng.uniform(0.8, 1.25, n)[w], 1)
    estatus = np.select(
        [
            t < inicio[w],
            (t >= evento[w]) & np.isin(w, canceladas),
            (t >= evento[w]) & np.isin(w, suspendidas),
            avance >= 100,
        ],
        ["Registrado", "Cancelado", "Suspendido", "Terminado"],
        "En ejecución",
    ).astype(object)
    financiero = avance / 100 * rng.uniform(0.85, 1.0, n)[w]
    amarillas = rng.random(n) < 0.2
    financiero += np.where(
        amarillas[w] & (avance > 0) & (avance < 100), rng.uniform(0.12, 0.24, n)[w], 0
    )
    financiero = np.clip(financiero, 0, 1)

    # Problemas de calidad sembrados en el último reporte de cada obra.
    ult_estatus, ult_avance = estatus[ultimo], avance[ultimo]
    usadas: set[int] = set()

    def elegir(condicion: np.ndarray, cuantas: int) -> np.ndarray:
        pool = np.setdiff1d(np.flatnonzero(condicion), list(usadas))
        sel = np.sort(rng.choice(pool, min(cuantas, len(pool)), replace=False))
        usadas.update(sel.tolist())
        return sel

    sin_estatus = elegir(ult_estatus == "Terminado", round(0.02 * n))
    invalidas = elegir((ult_estatus == "En ejecución") & (ult_avance >= 40), round(0.01 * n))
    sobrecosto = elegir(
        np.isin(ult_estatus, ["En ejecución", "Terminado"]) & (ult_avance >= 90), round(0.04 * n)
    )
    pago = elegir(
        (ult_estatus == "En ejecución") & (ult_avance >= 5) & (ult_avance <= 60), round(0.08 * n)
    )
    estatus[ultimo[sin_estatus]] = "En ejecución"
    avance[ultimo[invalidas]] = np.array(_VALORES_ABSURDOS)[
        np.arange(len(invalidas)) % len(_VALORES_ABSURDOS)
    ]
    # Sobrecosto de 12 % o más sin que el avance financiero rebase al físico por 25 puntos.
    extra = avance[ultimo[sobrecosto]] / 100 + rng.uniform(0.12, 0.24, len(sobrecosto))
    financiero[ultimo[sobrecosto]] = np.maximum(1.12, extra)
    financiero[ultimo[pago]] = np.minimum(
        1.0, avance[ultimo[pago]] / 100 + rng.uniform(0.3, 0.55, len(pago))
    )

    ejercido = aprobado[w] * financiero
    devengado = ejercido * rng.uniform(1.0, 1.05, n)[w]
    comprometido = np.where(
        estatus == "Registrado",
        0.0,
        np.maximum(aprobado[w] * rng.uniform(0.95, 1.0, n)[w], devengado),
    )
    pagado = ejercido * rng.uniform(0.9, 1.0, n)[w]

    # Ubicación: casi todas en su municipio; algunas en el vecino o sin coordenadas.
    orden = rng.permutation(n)
    fuera, vacias = orden[: round(0.03 * n)], orden[round(0.03 * n) : round(0.08 * n)]
    destino = mun["cvegeo"].to_numpy()[i_mun].copy()
    destino[fuera] = mun["cvegeo"].to_numpy()[_vecinos(m)[i_mun[fuera]]]
    lon, lat = _puntos_en(m, destino, rng, p_centro=0.6)
    lon[vacias] = lat[vacias] = np.nan

    # Contratistas (sesgados: pocos concentran muchas obras) y tipo de adjudicación.
    empresas, rfc = _contratistas(rng)
    i_emp = rng.choice(
        len(empresas), n, p=(w_emp := 1 / np.arange(1, len(empresas) + 1) ** 0.8) / w_emp.sum()
    )
    tramo = np.digitize(aprobado, [1.5e6, 6e6])
    p_adj = np.array([[0.05, 0.2, 0.75], [0.25, 0.55, 0.2], [0.8, 0.12, 0.08]])
    i_adj = (rng.random(n)[:, None] > np.cumsum(p_adj[tramo], axis=1)).sum(axis=1)
    sin_contrato = futuras | ((i_nivel == 2) & (rng.random(n) < 0.05))

    abrev = _ABREV_ENTIDAD[int(m.estado) - 1]
    yymm = pd.Series(_tabla_fechas()[2][inicio]).str.slice(2, 7).str.replace("-", "")
    folio = (
        abrev
        + yymm
        + pd.Series(rng.choice(np.arange(100000, 1000000), n, replace=False)).astype(str)
    ).to_numpy()
    municipio = mun["municipio"].to_numpy()[i_mun]
    localidad = np.where(
        rng.random(n) < 0.5,
        "la cabecera municipal de " + municipio.astype(object),
        "la localidad "
        + np.array(_LOCALIDADES, dtype=object)[rng.integers(0, len(_LOCALIDADES), n)]
        + ", "
        + municipio,
    )
    objeto = np.array(
        [_OBJETOS[categorias[c]][o] for c, o in zip(i_cat, i_obj, strict=True)], dtype=object
    )
    nombre = np.array(_CLASIFICACIONES, dtype=object)[i_clas] + " de " + objeto + " en " + localidad

    anio = np.array([a for a, _ in TRIMESTRES])[q]
    iso = rng.random(len(w)) < np.where(anio == 2024, 0.85, 0.15)
    df = pd.DataFrame(
        {
            "FOLIO": folio[w],
            "CICLO": anio,
            "TRIMESTRE": np.array([tr for _, tr in TRIMESTRES])[q],
            "ID_ENTIDAD_FEDERATIVA": m.estado,
            "ID_MUNICIPIO_RESPONSABLE": mun["cve_mun"].to_numpy()[i_mun][w],
            "CATEGORIA": np.array(categorias, dtype=object)[i_cat][w],
            "TIPO_PROGRAMA_PROYECTO": np.where(
                rng.random(n) < 0.85, "Proyecto de inversión", "Otros proyectos"
            )[w],
            "CLASIFICACION": np.array(_CLASIFICACIONES, dtype=object)[i_clas][w],
            "MONTO_GLOBAL_APROBADO": _pesos(aprobado[w]),
            "MONTO_COMPROMETIDO": _pesos(comprometido),
            "MONTO_DEVENGADO": _pesos(devengado),
            "MONTO_EJERCIDO": _pesos(ejercido),
            "MONTO_PAGADO": _pesos(pagado),
            "FECHA_INICIO": _fechas_texto(inicio[w], iso),
            "FECHA_ESTIMADA_TERMINO": _fechas_texto(termino[w], iso),
            "ESTATUS": estatus,
            "NOMBRE_PROYECTO": nombre[w],
            "NIVEL_GOBIERNO": np.array(_NIVELES_GOBIERNO, dtype=object)[i_nivel][w],
            "AVANCE_FISICO": avance,
            "LATITUD": _decimales(lat, 6)[w],
            "LONGITUD": _decimales(lon, 6)[w],
            "CONTRATISTA": np.where(sin_contrato, "", np.array(empresas, dtype=object)[i_emp])[w],
            "RFC_CONTRATISTA": np.where(sin_contrato, "", np.array(rfc, dtype=object)[i_emp])[w],
            "TIPO_ADJUDICACION": np.where(
                sin_contrato, "", np.array(_ADJUDICACION, dtype=object)[i_adj]
            )[w],
        }
    )
    # Folios duplicados dentro de un mismo reporte: el último renglón repetido con otro pagado.
    duplicadas = elegir(ult_estatus != "Registrado", max(1, round(0.005 * n)))
    copia = df.iloc[ultimo[duplicadas]].copy()
    copia["MONTO_PAGADO"] = _pesos(
        pagado[ultimo[duplicadas]] * rng.uniform(0.5, 0.95, len(duplicadas))
    )
    df = pd.concat([df, copia]).sort_index(kind="stable").reset_index(drop=True)

    casos = {
        "avance_invalido": sorted(folio[invalidas].tolist()),
        "folio_duplicado": sorted(folio[duplicadas].tolist()),
        "fuera_de_municipio": sorted(folio[fuera].tolist()),
        "sin_georreferencia": sorted(folio[vacias].tolist()),
        "sobrecosto": sorted(folio[sobrecosto].tolist()),
        "pago_sin_avance": sorted(folio[pago].tolist()),
        "vencida": sorted(folio[retrasadas].tolist()),
        "terminada_sin_estatus": sorted(folio[sin_estatus].tolist()),
    }
    return df, casos


def _contratistas(rng: np.random.Generator, cuantos: int = 60) -> tuple[list[str], list[str]]:
    """Razones sociales inventadas y su RFC de persona moral (12 caracteres)."""
    combinaciones = [(a, b) for a in _EMPRESA_TIPO for b in _EMPRESA_NOMBRE]
    elegidas = rng.choice(len(combinaciones), cuantos, replace=False)
    nombres, rfcs = [], []
    alfanum = "ABCDEFGHIJKLMNPQRSTUVWXYZ123456789"
    for k in elegidas:
        tipo, nombre = combinaciones[k]
        sociedad = " S.A. de C.V." if rng.random() < 0.8 else " S. de R.L. de C.V."
        nombres.append(f"{tipo} {nombre}{sociedad}")
        palabras = [
            p
            for p in _sin_acentos(f"{tipo} {nombre}").upper().replace("Ñ", "X").split()
            if p not in ("DE", "DEL", "Y", "LOS", "LA")
        ]
        siglas = "".join(p[0] for p in palabras)[:3].ljust(3, "X")
        fecha = date(1995, 1, 1).toordinal() + int(rng.integers(0, 9000))
        homoclave = "".join(alfanum[i] for i in rng.integers(0, len(alfanum), 2)) + str(
            rng.integers(0, 10)
        )
        rfcs.append(siglas + date.fromordinal(fecha).strftime("%y%m%d") + homoclave)
    return nombres, rfcs


# --------------------------------------------------------------------------------------
# Estacionamientos para personas con discapacidad
# --------------------------------------------------------------------------------------

_CALLES = (
    "Calle Macedonio Alcalá", "Av. Independencia", "Calle Morelos", "Av. Hidalgo", "Calle Reforma",
    "Calle García Vigil", "Calle Porfirio Díaz", "Calle Abasolo", "Calle Constitución",
    "Calle Murguía", "Calle Allende", "Calle Bustamante", "Calle Armenta y López",
    "Calle Miguel Cabrera", "Calle Xicoténcatl", "Calle Aldama", "Calle Las Casas", "Calle Trujano",
    "Calle Mina", "Calle Zaragoza", "Calle Colón", "Calle Tinoco y Palacios", "Calle 20 de Noviembre",
    "Av. Juárez", "Calzada Madero", "Av. Niños Héroes de Chapultepec", "Calle Eduardo Mata",
)  # fmt: skip
_COLONIAS = (
    "Centro",
    "Centro",
    "Centro",
    "Reforma",
    "Jalatlaco",
    "Xochimilco",
    "Del Maestro",
    "Volcanes",
    "Estrella",
    "América",
)
_ESTADOS_CAJON = (
    "bueno",
    "requiere_rehabilitacion",
    "en_rehabilitacion",
    "rehabilitado",
    "propuesto",
)
_OBSERVACIONES = {
    "bueno": ("", "", "", "Señalización completa"),
    "requiere_rehabilitacion": ("Pintura desgastada", "Señal vertical dañada", "Rampa obstruida", "Falta señalización en piso"),
    "en_rehabilitacion": ("Trabajos de pintura en curso", "Se reconstruye la rampa"),
    "rehabilitado": ("", "Pintura y señal nuevas"),
    "propuesto": ("Solicitud ciudadana", "Propuesto frente a clínica", "Propuesto frente a oficina pública"),
}  # fmt: skip


def _estacionamientos(
    m: Municipios, escuelas: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Cajones en la capital: Oaxaca de Juárez (20067) o, en otra entidad, el municipio con más escuelas."""
    if m.estado == "20":
        clave, centro = m.estado + "067", (-96.726, 17.061)
    else:
        clave = m.estado + escuelas["INMUEBLE_CV_MUN"].value_counts().sort_index().idxmax()
        punto = _representativos(m).loc[clave]
        centro = (float(punto["x"]), float(punto["y"]))
    n = N_ESTACIONAMIENTOS
    sigma = np.where(rng.random(n) < 0.8, 0.007, 0.018)
    lon, lat = _puntos_en(
        m, np.full(n, clave, dtype=object), rng, centro=centro, sigma=sigma, p_centro=1.0
    )
    estado = rng.choice(len(_ESTADOS_CAJON), n, p=[0.38, 0.25, 0.1, 0.15, 0.12])
    estado[rng.choice(n, len(_ESTADOS_CAJON), replace=False)] = np.arange(len(_ESTADOS_CAJON))
    estado = np.array(_ESTADOS_CAJON, dtype=object)[estado]
    observaciones = np.array(
        [_OBSERVACIONES[e][rng.integers(0, len(_OBSERVACIONES[e]))] for e in estado], dtype=object
    )
    revision = _dia(2025, 1, 15) + rng.integers(0, 245, n)
    ids = pd.Series(np.arange(1, n + 1)).map("EST-{:04d}".format).to_numpy()
    foto = np.where(
        rng.random(n) < 0.12, "https://datos.example.org/estacionamientos/" + ids + ".jpg", ""
    )
    numero = (rng.integers(1, 130, n) * 2 + rng.integers(0, 2, n)).astype(str).astype(object)
    calle = np.array(_CALLES, dtype=object)[rng.integers(0, len(_CALLES), n)]
    colonia = np.array(_COLONIAS, dtype=object)[rng.integers(0, len(_COLONIAS), n)]
    direccion = calle + " " + numero + ", " + colonia
    return pd.DataFrame(
        {
            "ID": ids,
            "LATITUD": _decimales(lat, 6),
            "LONGITUD": _decimales(lon, 6),
            "DIRECCION": direccion,
            "CAJONES": rng.choice([1, 2, 3, 4], n, p=[0.75, 0.15, 0.06, 0.04]),
            "ESTADO": estado,
            "FECHA_REVISION": np.where(estado == "propuesto", "", _tabla_fechas()[2][revision]),
            "OBSERVACIONES": observaciones,
            "FOTO_URL": foto,
        }
    )


# --------------------------------------------------------------------------------------
# Geografía, fechas, formatos y caché
# --------------------------------------------------------------------------------------


def _puntos_en(
    m: Municipios,
    claves: np.ndarray,
    rng: np.random.Generator,
    *,
    centro: tuple[float, float] | None = None,
    sigma: float | np.ndarray | None = None,
    p_centro: float = 0.5,
) -> tuple[np.ndarray, np.ndarray]:
    """Puntos (6 decimales) dentro del municipio ``claves[i]``, por muestreo de rechazo.

    Una parte se concentra alrededor del centro (el punto representativo del municipio o
    ``centro``) con dispersión ``sigma`` en grados; el resto, uniforme en su rectángulo.
    """
    claves = np.asarray(claves, dtype=object)
    n = len(claves)
    limites = m.completos.set_index("cvegeo").bounds.loc[claves].to_numpy()
    if centro is None:
        rep = _representativos(m).loc[claves]
        cx, cy = rep["x"].to_numpy(), rep["y"].to_numpy()
    else:
        cx, cy = np.full(n, centro[0]), np.full(n, centro[1])
    if sigma is None:
        sx, sy = 0.15 * (limites[:, 2] - limites[:, 0]), 0.15 * (limites[:, 3] - limites[:, 1])
    else:
        sx = sy = np.broadcast_to(np.asarray(sigma, dtype=float), (n,))
    lon, lat = np.full(n, np.nan), np.full(n, np.nan)
    pendientes = np.arange(n)
    for _ in range(200):
        if len(pendientes) == 0:
            break
        k, p = len(pendientes), pendientes
        cerca = rng.random(k) < p_centro
        x = np.where(
            cerca, cx[p] + sx[p] * rng.normal(size=k), rng.uniform(limites[p, 0], limites[p, 2])
        )
        y = np.where(
            cerca, cy[p] + sy[p] * rng.normal(size=k), rng.uniform(limites[p, 1], limites[p, 3])
        )
        x, y = np.round(x, 6), np.round(y, 6)
        dentro = m.ubicar(x, y) == claves[p]
        lon[p[dentro]], lat[p[dentro]] = x[dentro], y[dentro]
        pendientes = p[~dentro]
    else:  # pragma: no cover
        raise RuntimeError(f"no se pudieron ubicar {len(pendientes)} puntos dentro de su municipio")
    return lon, lat


@cache
def _representativos(m: Municipios) -> pd.DataFrame:
    """Un punto seguro dentro de cada municipio (``representative_point``), por CVEGEO."""
    puntos = m.completos.geometry.representative_point()
    return pd.DataFrame(
        {"x": puntos.x.to_numpy(), "y": puntos.y.to_numpy()}, index=m.completos["cvegeo"].to_numpy()
    )


@cache
def _vecinos(m: Municipios) -> np.ndarray:
    """Índice del municipio vecino de cada uno: el de centroide más cercano (en metros)."""
    centroides = m.lcc.geometry.centroid
    xy = np.column_stack([centroides.x.to_numpy(), centroides.y.to_numpy()])
    distancia = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(distancia, np.inf)
    return distancia.argmin(axis=1)


_DIA_BASE = np.datetime64("2000-01-01")


def _dia(anio: int | np.ndarray, mes: int, dia: int) -> np.ndarray:
    """Días desde 2000-01-01 de la fecha ``anio-mes-dia`` (vectorizado sobre ``anio``)."""
    anios = (np.asarray(anio) - 1970).astype("datetime64[Y]")
    fecha = anios.astype("datetime64[M]") + (mes - 1)
    return (fecha.astype("datetime64[D]") + (dia - 1) - _DIA_BASE).astype(np.int64)


@cache
def _tabla_fechas() -> tuple[np.ndarray, pa.Array, np.ndarray, np.ndarray]:
    """Por día desde 2000-01-01 hasta 2029: AAMMDD (bytes), dd/mm/aaaa (Arrow), ISO y dd/mm/aaaa."""
    inicio = date(2000, 1, 1).toordinal()
    dias = [date.fromordinal(inicio + k) for k in range(date(2030, 1, 1).toordinal() - inicio)]
    aammdd = np.frombuffer(
        "".join(d.strftime("%y%m%d") for d in dias).encode("ascii"), dtype=np.uint8
    )
    mexicana = np.array([d.strftime("%d/%m/%Y") for d in dias], dtype=object)
    iso = np.array([d.isoformat() for d in dias], dtype=object)
    return aammdd.reshape(-1, 6), pa.array(mexicana, type=pa.string()), iso, mexicana


def _fechas_texto(dias: np.ndarray, iso: np.ndarray) -> np.ndarray:
    """Fechas en formato mixto, como en los archivos reales: ISO o dd/mm/aaaa."""
    _, _, tabla_iso, tabla_mx = _tabla_fechas()
    return np.where(iso, tabla_iso[dias], tabla_mx[dias])


def _pesos(valores: np.ndarray) -> np.ndarray:
    """Montos al estilo ``$1,234,567.89``; vacío cuando no hay dato."""
    return np.array([f"${v:,.2f}" if np.isfinite(v) else "" for v in valores], dtype=object)


def _decimales(valores: np.ndarray, decimales: int) -> np.ndarray:
    """Números con ``decimales`` fijos como texto; vacío cuando no hay dato."""
    return np.array([f"{v:.{decimales}f}" if np.isfinite(v) else "" for v in valores], dtype=object)


def _sin_acentos(texto: str) -> str:
    """Quita acentos conservando la Ñ."""
    texto = texto.replace("Ñ", "\0").replace("ñ", "\1")
    limpio = "".join(
        c for c in unicodedata.normalize("NFKD", texto) if not unicodedata.combining(c)
    )
    return limpio.replace("\0", "Ñ").replace("\1", "ñ")


def _rng(semilla: int, parte: str) -> np.random.Generator:
    """Generador propio de cada parte, derivado de la semilla y del nombre de la parte."""
    if isinstance(semilla, bool) or not isinstance(semilla, (int, np.integer)) or semilla < 0:
        raise ValueError(f"semilla debe ser un entero no negativo; se recibió {semilla!r}")
    return np.random.default_rng([int(semilla), zlib.crc32(parte.encode("utf-8"))])


def _csv(df: pd.DataFrame, ruta: Path, encoding: str = "utf-8", fin: str = "\n") -> None:
    df.to_csv(ruta, index=False, encoding=encoding, lineterminator=fin)


def _vigente(marca: Path, semilla: int, estado: str, rutas: dict[str, Path]) -> bool:
    """¿``marca`` registra una generación completa con esta semilla, versión y entidad?"""
    try:
        datos = json.loads(marca.read_text(encoding="utf-8"))
        return (
            datos["semilla"] == semilla
            and datos["version"] == VERSION_GENERADOR
            and datos["estado"] == estado
            and all(
                ruta.stat().st_size == datos["archivos"][tipo]["bytes"]
                for tipo, ruta in rutas.items()
            )
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False
