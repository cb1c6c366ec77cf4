package dev.orderpipeline.worker.steps.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.worker.guard.ServiceGuard;
import dev.orderpipeline.worker.steps.PaymentDeclinedException;
import dev.orderpipeline.worker.steps.StepContext;
import dev.orderpipeline.worker.steps.StepException;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One POST to a step's service, and the one mapping from its answer to the step's result or
 * failure. Shared by the three adapters; thread-safe (immutable).
 *
 * <p>Cancellation: the step's virtual thread is interrupted when a sibling fails or the deadline
 * passes. {@link HttpClient#send} then cancels the exchange's future ({@code cf.cancel(true)} in
 * {@code HttpClientImpl.send}), which on HTTP/1.1 closes the exchange's connection: the service
 * sees its client go away (HttpStepsTest and HttpPipelineCancellationTest prove it; with
 * {@code sendAsync(...).get()} and no cancel, the interrupt test fails: the exchange runs on).
 */
final class HttpStepCall {

    /** The time left until the order's deadline, in whole milliseconds, relative so no clock sync is needed. */
    static final String DEADLINE_HEADER = "Request-Timeout-Ms";
    /** {@code <orderId>:<step>}: the service must not act twice on one key. */
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private static final ObjectMapper JSON = OrderCodec.newMapper();

    /** Builds the step's own transient failure (vendor or courier unavailable). */
    @FunctionalInterface
    interface Unavailable {
        StepException of(String message, Throwable cause);
    }

    private final HttpClient client;
    private final URI endpoint;
    private final String service;
    private final Unavailable unavailable;
    private final boolean declinable;
    private final ServiceGuard guard;
    private final TextMapPropagator propagator;

    /**
     * @param service    names the service in failure messages, e.g. {@code payment}
     * @param declinable whether 402 means a business decline (payment only)
     * @param guard      the service's circuit breaker and bulkhead around each call
     * @param propagator writes the calling thread's trace context ({@code traceparent}) into the
     *                   request, so the service's own spans join the order's trace
     */
    HttpStepCall(HttpClient client, URI endpoint, String service, Unavailable unavailable, boolean declinable,
                 ServiceGuard guard, TextMapPropagator propagator) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.client = Objects.requireNonNull(client, "client");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.service = service;
        this.unavailable = unavailable;
        this.declinable = declinable;
        this.propagator = Objects.requireNonNull(propagator, "propagator");
    }

    /**
     * Posts {@code body} as JSON with the deadline and idempotency headers.
     *
     * @return the service's reference for what it did (a fresh call or a replay of the same key)
     * @throws InterruptedException   when the step is cancelled; the exchange is aborted by then
     * @throws StepException          the step's business or transient failure (see the mapping)
     * @throws UncheckedIOException   wrapping {@link HttpTimeoutException} when the deadline passes
     *                                mid-call: the classifier reports {@code timeout}
     * @throws UnexpectedResponseException an answer that means our request is wrong: {@code internal}
     */
    String post(Map<String, ?> body, StepContext context) throws InterruptedException, StepException {
        return send(body, context, /* absentIsNull= */ false);
    }

    /**
     * As {@link #post}, for an undo of what a call under the same key may have done: a 404
     * ("nothing under this key") returns {@code null} instead of failing.
     */
    String postIfActed(Map<String, ?> body, StepContext context) throws InterruptedException, StepException {
        return send(body, context, /* absentIsNull= */ true);
    }

    private String send(Map<String, ?> body, StepContext context, boolean absentIsNull)
            throws InterruptedException, StepException {
        HttpResponse<String> response;
        // Refused at once while the breaker is open; waits for a call slot within the deadline,
        // so the time left is measured after the wait.
        try (ServiceGuard.Permit permit = enter()) {
            Duration remaining = context.remaining();
            if (remaining.toMillis() <= 0) {
                // HttpRequest.timeout must be positive; the call could not finish anyway.
                throw new UncheckedIOException(new HttpTimeoutException(service + " not called: the order's deadline has passed"));
            }
            HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                    .timeout(remaining)
                    .header("Content-Type", "application/json")
                    .header(DEADLINE_HEADER, Long.toString(remaining.toMillis()))
                    .header(IDEMPOTENCY_HEADER, context.idempotencyKey())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json(body)));
            // The step attempt's span is current on this thread: the service's spans become its children.
            propagator.inject(Context.current(), builder, HttpRequest.Builder::header);
            HttpRequest request = builder.build();
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpConnectTimeoutException e) {
                permit.failed(e);
                throw unavailable.of(service + " unreachable at " + endpoint + ": connect timed out", e);
            } catch (HttpTimeoutException e) {
                permit.failed(e);
                throw new UncheckedIOException(service + " did not answer within " + remaining.toMillis() + " ms", e);
            } catch (IOException e) {
                // Refused, reset, closed mid-answer: the service is down or going down.
                permit.failed(e);
                throw unavailable.of(service + " unreachable at " + endpoint + ": " + e, e);
            }
            // Cancelled mid-call (InterruptedException above): neither, the permit is given back.
            int status = response.statusCode();
            if (status == 429 || status >= 500) {
                permit.failed(new IOException(service + " answered " + status));
            } else {
                permit.answered();
            }
        }
        return map(response, context.idempotencyKey(), absentIsNull);
    }

    private ServiceGuard.Permit enter() throws InterruptedException, StepException {
        try {
            return guard.enter();
        } catch (ServiceGuard.CircuitOpenException e) {
            throw unavailable.of(e.getMessage(), e);
        } catch (ServiceGuard.NoSlotException e) {
            // Waiting for a slot took the order's deadline: the order's usual timeout.
            throw new UncheckedIOException(new HttpTimeoutException(e.getMessage()));
        }
    }

    private String map(HttpResponse<String> response, String key, boolean absentIsNull) throws StepException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return reference(response, key);
        }
        if (status == 404 && absentIsNull) {
            return null;
        }
        if (status == 409 && key.equals(response.headers().firstValue(IDEMPOTENCY_HEADER).orElse(null))) {
            // The service already did this for our key: a replay, not a second action.
            return reference(response, key);
        }
        if (status == 402 && declinable) {
            throw new PaymentDeclinedException(service + " declined (402): " + abbreviate(response.body()));
        }
        if (status == 429 || status >= 500) {
            throw unavailable.of(service + " answered " + status + ": " + abbreviate(response.body()), null);
        }
        throw new UnexpectedResponseException(service + " rejected our request with " + status + ": "
                + abbreviate(response.body()));
    }

    private static String reference(HttpResponse<String> response, String key) {
        try {
            JsonNode node = JSON.readTree(response.body());
            String reference = node == null ? null : node.path("reference").asText(null);
            return reference == null || reference.isBlank() ? key : reference;
        } catch (JsonProcessingException e) {
            // The action is done; a body we cannot read must not undo that.
            return key;
        }
    }

    private static byte[] json(Map<String, ?> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the request as JSON", e);
        }
    }

    private static String abbreviate(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}
