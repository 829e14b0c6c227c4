"""Ingesta: lee los archivos publicados, los valida, normaliza, georreferencia y los guarda
como una versión nueva e inmutable del almacén."""
