package dev.orderpipeline.worker.steps.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executors;

/** The one {@link HttpClient} the three HTTP adapters share. */
public final class HttpSteps {

    private HttpSteps() {
    }

    /**
     * A client for the step services.
     *
     * <p>HTTP/1.1 on purpose: an aborted exchange then closes its own connection, which every
     * service (and the project's stub services) sees at once; h2c would only reset a stream. The
     * executor runs the client's response handling on virtual threads, like the steps.
     *
     * @param connectTimeout how long a connection attempt may take; shorter than a deadline, so a
     *                       dead service is reported as unavailable, not as a timeout
     */
    public static HttpClient newClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }
}
