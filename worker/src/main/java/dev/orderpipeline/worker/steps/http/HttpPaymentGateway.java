package dev.orderpipeline.worker.steps.http;

import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.worker.guard.ServiceGuard;
import dev.orderpipeline.worker.steps.PaymentGateway;
import dev.orderpipeline.worker.steps.StepContext;
import dev.orderpipeline.worker.steps.StepException;
import dev.orderpipeline.worker.steps.VendorUnavailableException;
import java.net.URI;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The payment step over HTTP: {@code POST <baseUrl>/payments} with the order id, customer and
 * amount. 402 is a decline. A provider that is down or throttling (429, 5xx, unreachable) is
 * reported as {@code vendor_unavailable}: the contract has no payment-specific transient class,
 * and its action (retry later with the same key) is the right one. Thread-safe.
 *
 * <p>A void ({@code POST <baseUrl>/payments/voids}) carries the authorisation's own idempotency
 * key: the provider voids the authorisation made under it, once.
 */
public final class HttpPaymentGateway implements PaymentGateway {

    public static final String PATH = "/payments";
    public static final String VOID_PATH = "/payments/voids";

    private final HttpStepCall call;
    private final HttpStepCall voidCall;

    /** Without a breaker or a bulkhead. */
    public HttpPaymentGateway(HttpClient client, URI baseUrl) {
        this(client, baseUrl, ServiceGuard.none("payment"), TextMapPropagator.noop());
    }

    /**
     * Each call through {@code guard}; each void through its bulkhead only.
     *
     * @param propagator puts the calling thread's trace context into every request's headers
     */
    public HttpPaymentGateway(HttpClient client, URI baseUrl, ServiceGuard guard, TextMapPropagator propagator) {
        this.call = new HttpStepCall(client, baseUrl.resolve(PATH), "payment provider",
                (message, cause) -> new VendorUnavailableException(message, cause), /* declinable= */ true, guard, propagator);
        this.voidCall = new HttpStepCall(client, baseUrl.resolve(VOID_PATH), "payment provider (void)",
                (message, cause) -> new VendorUnavailableException(message, cause),
                /* declinable= */ false, guard.withoutBreaker(), propagator);
    }

    @Override
    public String authorize(OrderPlaced order, StepContext context) throws InterruptedException, StepException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", order.orderId());
        body.put("customerId", order.customerId());
        body.put("amount", order.amount());
        return call.post(body, context);
    }

    @Override
    public String voidAuthorization(OrderPlaced order, String authorization, StepContext context)
            throws InterruptedException, StepException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", order.orderId());
        body.put("authorization", authorization);
        return "voided " + authorization + " (" + voidCall.post(body, context) + ")";
    }

    @Override
    public boolean actsWithoutAnswer() {
        return true;
    }

    /** Voids by the call's idempotency key; the provider answers 404 when it authorised nothing under it. */
    @Override
    public String voidUnanswered(OrderPlaced order, StepContext context) throws InterruptedException, StepException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", order.orderId());
        String voided = voidCall.postIfActed(body, context);
        return voided == null ? null : "voided the authorisation of an unanswered call (" + voided + ")";
    }
}
