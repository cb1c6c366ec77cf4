package dev.orderpipeline.worker.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.orderpipeline.contract.SenderText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's HTTP side, on the JDK's built-in server: {@code GET /metrics} (Prometheus text),
 * {@code GET /health/live} and {@code GET /health/ready} (200 or 503 with a small JSON body).
 * Anything else is 404, another method 405. Each exchange runs on its own virtual thread and
 * never touches the Kafka clients.
 */
public final class HttpEndpoints implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);

    private static final Set<String> PATHS = Set.of("/metrics", "/health/live", "/health/ready");
    private static final String JSON = "application/json";

    private final HttpServer server;
    private final ExecutorService threads;
    private final Metrics metrics;
    private final HealthCheck health;

    private HttpEndpoints(HttpServer server, ExecutorService threads, Metrics metrics, HealthCheck health) {
        this.server = server;
        this.threads = threads;
        this.metrics = metrics;
        this.health = health;
    }

    /**
     * Serves on {@code port} on every interface (0 picks a free port; {@link #port()} says which).
     *
     * @throws BindException if the port is taken
     */
    public static HttpEndpoints start(int port, Metrics metrics, HealthCheck health) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), /* backlog= */ 0);
        ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-", 1).factory());
        HttpEndpoints endpoints = new HttpEndpoints(server, threads, metrics, health);
        server.createContext("/", endpoints::handle);
        server.setExecutor(threads);
        server.start();
        return endpoints;
    }

    /** The port actually listened on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!PATHS.contains(path)) {
                send(exchange, 404, JSON, "{\"error\":\"not found; try /metrics, /health/live, /health/ready\"}");
            } else if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, JSON, "{\"error\":\"only GET\"}");
            } else if (path.equals("/metrics")) {
                ByteArrayOutputStream text = new ByteArrayOutputStream(64 * 1024);
                metrics.scrape(text);
                send(exchange, 200, Metrics.CONTENT_TYPE, text.toByteArray());
            } else {
                HealthCheck.Answer answer = path.equals("/health/live") ? health.live() : health.ready();
                send(exchange, answer.status(), JSON, answer.json());
            }
        } catch (IOException e) {
            // The client went away mid-answer: nothing to do for it.
            log.debug("HTTP exchange failed: {}", e.toString());
        } catch (RuntimeException e) {
            log.warn("HTTP {} failed", SenderText.of(String.valueOf(exchange.getRequestURI())), e);
            throw e;
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops listening and ends open exchanges: a scrape or probe cut short is simply retried. */
    @Override
    public void close() {
        server.stop(/* delaySeconds= */ 0);
        threads.close();
    }
}
