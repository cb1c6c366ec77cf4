package dev.orderpipeline.worker.config;

/**
 * Where {@code /metrics} and {@code /health/*} listen.
 *
 * @param port 0 picks a free one (logged at start-up)
 */
public record HttpSettings(int port) {

    /** A free port, as tests and embedders want; {@code order-worker} defaults to 8080. */
    public static final HttpSettings ANY_FREE_PORT = new HttpSettings(0);

    public HttpSettings {
        Checks.requirePort("--http-port (HTTP_PORT)", port);
    }
}
