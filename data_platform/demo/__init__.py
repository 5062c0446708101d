"""The bundled demo: real licensed samples, a drop generator with realistic faults, a runner."""
