package dev.orderpipeline.worker.app;

import dev.orderpipeline.localkafka.LocalKafkaBroker;
import dev.orderpipeline.worker.config.ConfigException;
import dev.orderpipeline.worker.observe.HealthCheck;
import dev.orderpipeline.worker.observe.HttpEndpoints;
import dev.orderpipeline.worker.observe.Metrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What the worker itself listens on: its HTTP endpoints and, with {@code --embedded-broker}, the
 * local broker. Their ports are checked before anything starts, so that a taken port fails with
 * one line naming the flag. Called by {@link Worker#start} on the starting thread.
 */
final class LocalServers {

    private LocalServers() {
    }

    /**
     * Starts the local broker on a thread of its own. Kafka's classes do not survive an interrupt
     * while they initialise (a stop signal during start-up interrupts this thread): a static
     * initialiser failed, printed its trace and took the process down with exit 1. Interrupted
     * here, the broker finishes starting undisturbed, is closed (its folder deleted), and the
     * interrupt goes on as usual.
     */
    static LocalKafkaBroker startBroker(int port) throws InterruptedException {
        CompletableFuture<LocalKafkaBroker> starting = new CompletableFuture<>();
        Thread.ofPlatform().name("local-kafka-start").start(() -> {
            try {
                starting.complete(LocalKafkaBroker.start(port));
            } catch (Throwable e) {
                starting.completeExceptionally(e);
            }
        });
        try {
            return starting.get();
        } catch (InterruptedException e) {
            try {
                // join() waits without reacting to interrupts.
                starting.join().close();
            } catch (CompletionException failed) {
                // It did not start, so there is nothing to close; the stop is what matters now.
            }
            throw e;
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error r -> throw r;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    /**
     * Fails before anything starts if {@code port} is taken: the real bind comes after the
     * broker and the connection, and its failure would only come then. 0 (any free port) is free.
     */
    static void requireFreePort(int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw portTaken(port, e);
        }
    }

    /** As {@link #requireFreePort}, for the embedded broker's port on the loopback address it listens on. */
    static void requireFreeBrokerPort(int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new ConfigException("--embedded-broker-port", "cannot listen on port " + port + " (" + e.getMessage()
                    + "); stop what uses it (another broker?), or choose another port (0 picks a free one)");
        }
    }

    private static ConfigException portTaken(int port, IOException e) {
        return new ConfigException("--http-port (HTTP_PORT)", "cannot listen on port " + port + " (" + e.getMessage()
                + "); stop what uses it, or choose another port (0 picks a free one)");
    }

    static HttpEndpoints listen(int port, Metrics metrics, HealthCheck health) {
        try {
            return HttpEndpoints.start(port, metrics, health);
        } catch (IOException e) {
            throw portTaken(port, e);
        }
    }
}
