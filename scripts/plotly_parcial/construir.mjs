// Construye el bundle parcial de plotly.js del tablero: solo las trazas de trazas.json.
//
// Escribe en tablero/vendor/:
//   plotly-parcial.min.js        el bundle (IIFE que define window.Plotly)
//   plotly-parcial.json          manifiesto: versión de plotly.js, trazas, bytes y sha256
//   plotly-parcial.LICENCIAS.txt licencias de todos los paquetes que entran al bundle
//
// Uso (desde la raíz del repositorio): make plotly-parcial
import { createHash } from "node:crypto";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

const require = createRequire(import.meta.url);
const { environmentPlugin } = require("esbuild-plugin-environment");
const { glsl } = require("esbuild-plugin-glsl");
const InlineCSSPlugin = require("esbuild-plugin-inline-css");

const aqui = path.dirname(fileURLToPath(import.meta.url));
const destino = path.resolve(aqui, "..", "..", "tablero", "vendor");
const trazas = JSON.parse(readFileSync(path.join(aqui, "trazas.json"), "utf8")).sort();
const plotly = path.dirname(require.resolve("plotly.js/package.json"));
const version = JSON.parse(readFileSync(path.join(plotly, "package.json"), "utf8")).version;

for (const traza of trazas) {
    if (!existsSync(path.join(plotly, "lib", `${traza}.js`))) {
        throw new Error(`plotly.js ${version} no tiene la traza «${traza}»`);
    }
}

// Punto de entrada: el núcleo y las trazas elegidas (como lib/index-*.js de plotly.js).
const entrada = [
    "'use strict';",
    "var Plotly = require('plotly.js/lib/core');",
    "Plotly.register([",
    ...trazas.map((t) => `    require('plotly.js/lib/${t}'),`),
    "]);",
    "module.exports = Plotly;",
    "",
].join("\n");

mkdirSync(destino, { recursive: true });
const salida = path.join(destino, "plotly-parcial.min.js");

// MapLibre GL 6 viene en tres trozos ESM: el hilo principal (maplibre-gl.mjs) y el worker
// (maplibre-gl-worker.mjs) importan el mismo código compartido (maplibre-gl-shared.mjs, la
// mayor parte). plotly.js los junta en el bundle dos veces: el hilo principal con el
// compartido, y además el worker ya armado con otra copia del compartido como texto
// (build/maplibre_worker.js, 0.5 MB; 120 kB con brotli). Aquí el compartido va una sola vez,
// delante del bundle, dentro de una función (__sigueMaplibreFuente) que el hilo principal
// llama y cuyo texto (Function.prototype.toString) se pone al principio del worker. El
// worker de MapLibre se arma aparte, sin el compartido, y sustituye al de plotly.js.
const maplibre = path.dirname(require.resolve("maplibre-gl/package.json"));
const GLOBAL_COMPARTIDO = "__sigueMaplibre";
const FUENTE_COMPARTIDO = "__sigueMaplibreFuente";
const OBJETIVO = "es2016";
// Cualquier import del compartido lee la variable que lo tiene ya evaluado.
const compartidoGlobal = {
    name: "maplibre-compartido-global",
    setup(build) {
        build.onResolve({ filter: /maplibre-gl-shared\.mjs$/ }, () => ({
            path: "compartido",
            namespace: "sigue-maplibre",
        }));
        build.onLoad({ filter: /.*/, namespace: "sigue-maplibre" }, () => ({
            contents: `module.exports = ${GLOBAL_COMPARTIDO};`,
            loader: "js",
        }));
    },
};
async function armarTexto(entrada, opciones = {}) {
    const armado = await esbuild.build({
        entryPoints: [entrada],
        bundle: true,
        minify: true,
        write: false,
        legalComments: "none",
        target: OBJETIVO,
        logLevel: "warning",
        ...opciones,
    });
    return armado.outputFiles[0].text;
}
const compartido = await armarTexto(path.join(maplibre, "dist", "maplibre-gl-shared.mjs"), {
    format: "iife",
    globalName: "__compartido",
});
const trabajador = await armarTexto(path.join(maplibre, "dist", "maplibre-gl-worker.mjs"), {
    format: "iife",
    plugins: [compartidoGlobal],
});
// Lo que ninguna gráfica del tablero usa y el núcleo de plotly.js registra siempre: menús y
// deslizadores de la propia gráfica, el selector de rangos de ejes de fechas, imágenes de
// fondo y anotaciones 3D. Sin registrar, plotly.js ignora esos atributos del layout. (Las
// anotaciones, formas, barras de error, leyenda y selecciones sí se quedan.)
const COMPONENTES_FUERA = [
    "annotations3d",
    "images",
    "updatemenus",
    "sliders",
    "rangeslider",
    "rangeselector",
];
const nucleoSinComponentes = {
    name: "nucleo-sin-componentes",
    setup(build) {
        build.onLoad({ filter: /plotly\.js[\\/]src[\\/]core\.js$/ }, (args) => {
            let texto = readFileSync(args.path, "utf8");
            for (const nombre of COMPONENTES_FUERA) {
                const linea = `    require('./components/${nombre}'),\n`;
                if (!texto.includes(linea)) {
                    throw new Error(`plotly.js ${version}: core.js ya no registra «${nombre}» así`);
                }
                texto = texto.replace(linea, "");
            }
            return { contents: texto, loader: "js" };
        });
    },
};
// Nombres de países (country-iso-search, 67 kB) solo para locationmode «country names» de
// los mapas geo; las coropletas del tablero usan su GeoJSON (featureidkey).
const sinNombresDePaises = {
    name: "sin-nombres-de-paises",
    setup(build) {
        build.onResolve({ filter: /^country-iso-search$/ }, () => ({
            path: "country-iso-search",
            namespace: "sigue-vacio",
        }));
        build.onLoad({ filter: /.*/, namespace: "sigue-vacio" }, () => ({
            contents:
                "module.exports = { COUNTRIES: [], createLookup: function () {" +
                " return { lookupAlpha3: function () { return undefined; } }; } };",
            loader: "js",
        }));
    },
};

// culori: plotly.js pide el paquete entero (bundled/culori.cjs, todos los espacios de color,
// sin tree-shaking); aquí solo los espacios que entiende CSS (culori/css, los que puede traer
// un color de una figura) y las cinco funciones que usa plotly.js (components/color).
const culoriCss = {
    name: "culori-css",
    setup(build) {
        build.onResolve({ filter: /^culori$/ }, (args) =>
            args.namespace === "sigue-culori"
                ? undefined
                : { path: "culori", namespace: "sigue-culori" },
        );
        build.onLoad({ filter: /.*/, namespace: "sigue-culori" }, () => ({
            contents: [
                'import "culori/css";',
                "export { converter, formatHex, formatRgb, wcagContrast, wcagLuminance }" +
                    ' from "culori/fn";',
            ].join("\n"),
            loader: "js",
            resolveDir: aqui,
        }));
    },
};

// Estilos de MapLibre: plotly.js mete maplibre-gl.css entero (83 kB, la mitad el logotipo
// de MapLibre en SVG). plotly.js no muestra el logotipo ni los controles de MapLibre (tiene
// su propia barra; solo la atribución compacta): fuera las reglas que solo tocan esos.
const CONTROLES_SIN_USO =
    /maplibregl-(ctrl-logo|ctrl-geolocate|ctrl-fullscreen|ctrl-shrink|ctrl-compass|ctrl-zoom-in|ctrl-zoom-out|ctrl-terrain|ctrl-globe|user-location)/;
function cssSinControles(css) {
    let quitadas = 0;
    // reglas sin llaves dentro (las de @media/@keyframes también son así por dentro)
    const limpio = css.replace(/([^{}]+)\{[^{}]*\}/g, (regla, selectores) => {
        const lista = selectores.split(",");
        if (lista.every((sel) => CONTROLES_SIN_USO.test(sel))) {
            quitadas += 1;
            return "";
        }
        return regla;
    });
    if (quitadas < 10) throw new Error(`maplibre-gl.css cambió: solo ${quitadas} reglas quitadas`);
    return limpio;
}
const estilosMaplibre = {
    name: "estilos-maplibre",
    setup(build) {
        build.onLoad({ filter: /maplibre-gl[\\/]dist[\\/]maplibre-gl\.css$/ }, (args) => ({
            contents:
                "(function(){if(!document.getElementById('sigue-maplibre-css')){" +
                "var e=document.createElement('style');e.id='sigue-maplibre-css';" +
                `e.textContent=${JSON.stringify(cssSinControles(readFileSync(args.path, "utf8")))};` +
                "document.head.appendChild(e);}})();",
            loader: "js",
        }));
    },
};
// El estilo «satellite-streets» (57 kB de capas de ArcGIS): el tablero dibuja siempre
// «white-bg» con sus teselas; si alguien lo pidiera, queda el satélite sin calles.
const sinSateliteConCalles = {
    name: "sin-satelite-con-calles",
    setup(build) {
        build.onLoad({ filter: /map[\\/]styles[\\/]arcgis-sat-hybrid\.js$/ }, () => ({
            contents: "module.exports = require('./arcgis-sat');",
            loader: "js",
        }));
    },
};

// Antes del bundle (sin minificar otra vez: su texto es el que recibe el worker). La función
// va entre paréntesis: así V8 la compila mientras baja el archivo (como una IIFE); una
// declaración «function» se compilaría al llamarla, en el hilo principal (0.8 s más en un
// teléfono lento).
const prologo =
    `var ${FUENTE_COMPARTIDO}=(function(){${compartido}return __compartido});\n` +
    `var ${GLOBAL_COMPARTIDO}=${FUENTE_COMPARTIDO}();\n`;
// El worker (un Blob que plotly.js le da a MapLibre): el compartido y luego el worker.
const workerPropio = {
    name: "maplibre-worker-propio",
    setup(build) {
        build.onLoad({ filter: /build[\\/]maplibre_worker\.js$/ }, () => ({
            contents:
                `module.exports = "var ${GLOBAL_COMPARTIDO}=(" + ${FUENTE_COMPARTIDO}.toString()` +
                ` + ")();\\n" + ${JSON.stringify(trabajador)};`,
            loader: "js",
        }));
    },
};
// La misma configuración que usa plotly.js para sus paquetes (esbuild-config.js).
const resultado = await esbuild.build({
    stdin: { contents: entrada, resolveDir: aqui, sourcefile: "plotly-parcial.js" },
    outfile: salida,
    format: "iife",
    globalName: "Plotly",
    bundle: true,
    minify: true,
    sourcemap: false,
    legalComments: "none",
    metafile: true,
    plugins: [
        compartidoGlobal,
        workerPropio,
        nucleoSinComponentes,
        sinNombresDePaises,
        culoriCss,
        estilosMaplibre,
        sinSateliteConCalles,
        InlineCSSPlugin(),
        glsl({ minify: true }),
        environmentPlugin({ NODE_DEBUG: false }),
    ],
    alias: { regl: "@plotly/regl", stream: "stream-browserify" },
    define: { global: "window", "define.amd": "false" },
    banner: { js: prologo },
    target: OBJETIVO,
    logLevel: "warning",
});

// Licencias: una por paquete de npm que aporta código al bundle.
const paquetes = new Map();
for (const archivo of Object.keys(resultado.metafile.inputs)) {
    const partes = archivo.split("node_modules/");
    if (partes.length < 2) continue;
    const resto = partes[partes.length - 1].split("/");
    const nombre = resto[0].startsWith("@") ? `${resto[0]}/${resto[1]}` : resto[0];
    const carpeta = path.join(partes.slice(0, -1).join("node_modules/"), "node_modules", nombre);
    paquetes.set(nombre, path.resolve(aqui, carpeta));
}
const bloques = [
    "Licencias del código de terceros en plotly-parcial.min.js (generado por",
    "scripts/plotly_parcial/construir.mjs). plotly.js es MIT; cada paquete incluido lleva",
    "la suya a continuación.",
    "",
];
for (const nombre of [...paquetes.keys()].sort()) {
    const carpeta = paquetes.get(nombre);
    const info = JSON.parse(readFileSync(path.join(carpeta, "package.json"), "utf8"));
    const archivoLicencia = readdirSync(carpeta).find((f) => /^(licen[cs]e|copying)/i.test(f));
    bloques.push("=".repeat(78), `${nombre}@${info.version} (${info.license ?? "sin campo license"})`);
    bloques.push("=".repeat(78));
    bloques.push(archivoLicencia ? readFileSync(path.join(carpeta, archivoLicencia), "utf8").trim() : "(el paquete no trae archivo de licencia; ver su campo license)");
    bloques.push("");
}
writeFileSync(path.join(destino, "plotly-parcial.LICENCIAS.txt"), bloques.join("\n"));

const contenido = readFileSync(salida);
// Precomprimido una vez con la calidad máxima (brotli 11 tarda segundos: el servidor no lo
// hace al vuelo); el tablero usa estos archivos si descomprimen al mismo contenido.
writeFileSync(
    `${salida}.br`,
    brotliCompressSync(contenido, {
        params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_SIZE_HINT]: contenido.length,
        },
    }),
);
writeFileSync(`${salida}.gz`, gzipSync(contenido, { level: 9 }));
const manifiesto = {
    plotly_js: version,
    trazas,
    bytes: contenido.length,
    bytes_br: readFileSync(`${salida}.br`).length,
    bytes_gzip: readFileSync(`${salida}.gz`).length,
    sha256: createHash("sha256").update(contenido).digest("hex"),
    licencia: "MIT (plotly.js); ver plotly-parcial.LICENCIAS.txt",
    paquetes: [...paquetes.keys()].sort(),
};
writeFileSync(path.join(destino, "plotly-parcial.json"), JSON.stringify(manifiesto, null, 2) + "\n");
console.log(`plotly-parcial.min.js: ${contenido.length} bytes, trazas ${trazas.join(", ")}`);
