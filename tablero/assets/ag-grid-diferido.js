// AG Grid solo cuando se muestra una tabla. El servidor quita del HTML el paquete de
// dash-ag-grid (≈ 0.3 MB comprimido, y su chunk de AG Grid ≈ 0.2 MB) y deja su URL en
// <meta name="sigue-ag-grid">. Aquí window.dash_ag_grid.AgGrid es un componente que pide ese
// paquete al montarse (o, dentro de un <details> cerrado, al abrirlo) y luego dibuja la tabla
// real con las mismas propiedades. Ver tablero/estaticos.py (diferir_ag_grid).
(function () {
    "use strict";
    var meta = document.querySelector('meta[name="sigue-ag-grid"]');
    if (!meta || window.dash_ag_grid || !window.React) {
        return;
    }
    var url = meta.getAttribute("content");
    var React = window.React;
    var carga = null;
    var real = null;

    function cargar() {
        if (!carga) {
            carga = new Promise(function (resolver, fallar) {
                var script = document.createElement("script");
                script.src = url;
                script.onload = function () {
                    var espacio = window.dash_ag_grid;
                    real = espacio.AgGrid;
                    if (real.dashPersistence) {
                        Perezoso.dashPersistence = real.dashPersistence;
                    }
                    // El tipo de componente no cambia: Dash sigue dibujando Perezoso, que ya
                    // dibuja la tabla real (sin volver a montarla).
                    window.dash_ag_grid = Object.assign({}, espacio, {AgGrid: Perezoso});
                    resolver(real);
                };
                script.onerror = function () {
                    carga = null;
                    fallar(new Error("No se pudo cargar la tabla"));
                };
                document.head.appendChild(script);
            });
        }
        return carga;
    }

    function Perezoso(props) {
        var estado = React.useState(function () {
            return real;
        });
        var componente = estado[0];
        var fijar = estado[1];
        var error = React.useState(false);
        var nodo = React.useRef(null);
        React.useEffect(
            function () {
                if (componente) {
                    return undefined;
                }
                var vivo = true;
                var detalles = nodo.current && nodo.current.closest("details");
                function pedir() {
                    if (detalles && !detalles.open) {
                        return;
                    }
                    cargar().then(
                        function (c) {
                            if (vivo) {
                                fijar(function () {
                                    return c;
                                });
                            }
                        },
                        function () {
                            if (vivo) {
                                error[1](true);
                            }
                        }
                    );
                }
                pedir();
                if (detalles) {
                    detalles.addEventListener("toggle", pedir);
                }
                return function () {
                    vivo = false;
                    if (detalles) {
                        detalles.removeEventListener("toggle", pedir);
                    }
                };
            },
            [componente]
        );
        if (componente) {
            return React.createElement(componente, props);
        }
        return React.createElement(
            "div",
            {
                id: props.id,
                ref: nodo,
                className: ((props.className || "") + " sigue-tabla-cargando").trim(),
                style: props.style,
                "aria-busy": error[0] ? "false" : "true",
            },
            error[0]
                ? "No se pudo cargar la tabla. Vuelva a cargar la página."
                : "Cargando la tabla…"
        );
    }
    // Como el AgGrid real: Dash le pasa dashRenderType y guarda selectedRows.
    Perezoso.dashRenderType = true;
    Perezoso.dashPersistence = {persisted_props: ["selectedRows"], persistence_type: "local"};

    window.dash_ag_grid = {
        AgGrid: Perezoso,
        getApi: function (id) {
            throw new Error("La tabla " + id + " todavía no se carga");
        },
        getApiAsync: function (id) {
            return cargar().then(function () {
                return window.dash_ag_grid.getApiAsync(id);
            });
        },
    };
})();
