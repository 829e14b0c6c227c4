// dcc.Graph carga plotly.js (cuando hay una gráfica) desde window._dashPlotlyJSURL, que Dash
// fija al arrancar. Aquí se fija, antes que Dash, a la URL con huella del bundle parcial del
// tablero (solo las trazas que usa; ver scripts/plotly_parcial) que trae la etiqueta
// <meta name="sigue-plotly">; la asignación de Dash se ignora.
(function () {
    "use strict";
    var meta = document.querySelector('meta[name="sigue-plotly"]');
    if (!meta || !meta.getAttribute("content")) {
        return;
    }
    var url = meta.getAttribute("content");
    Object.defineProperty(window, "_dashPlotlyJSURL", {
        configurable: true,
        get: function () {
            return url;
        },
        set: function () {},
    });
})();
