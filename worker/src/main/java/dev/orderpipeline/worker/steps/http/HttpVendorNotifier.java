package dev.orderpipeline.worker.steps.http;

import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.worker.guard.ServiceGuard;
import dev.orderpipeline.worker.steps.StepContext;
import dev.orderpipeline.worker.steps.StepException;
import dev.orderpipeline.worker.steps.VendorNotifier;
import dev.orderpipeline.worker.steps.VendorUnavailableException;
import java.net.URI;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The vendor step over HTTP: {@code POST <baseUrl>/vendor-notifications} with the order id,
 * vendor and items. 429, 5xx and an unreachable service are {@code vendor_unavailable}. A
 * retraction ({@code POST <baseUrl>/vendor-notifications/retractions}) carries the
 * notification's own idempotency key. Thread-safe.
 */
public final class HttpVendorNotifier implements VendorNotifier {

    public static final String PATH = "/vendor-notifications";
    public static final String RETRACT_PATH = "/vendor-notifications/retractions";

    private final HttpStepCall call;
    private final HttpStepCall retractCall;

    /** Without a breaker or a bulkhead. */
    public HttpVendorNotifier(HttpClient client, URI baseUrl) {
        this(client, baseUrl, ServiceGuard.none("vendor"), TextMapPropagator.noop());
    }

    /**
     * Each call through {@code guard}; each retraction through its bulkhead only.
     *
     * @param propagator puts the calling thread's trace context into every request's headers
     */
    public HttpVendorNotifier(HttpClient client, URI baseUrl, ServiceGuard guard, TextMapPropagator propagator) {
        this.call = new HttpStepCall(client, baseUrl.resolve(PATH), "vendor system",
                (message, cause) -> new VendorUnavailableException(message, cause), /* declinable= */ false, guard, propagator);
        this.retractCall = new HttpStepCall(client, baseUrl.resolve(RETRACT_PATH), "vendor system (retraction)",
                (message, cause) -> new VendorUnavailableException(message, cause),
                /* declinable= */ false, guard.withoutBreaker(), propagator);
    }

    @Override
    public String notify(OrderPlaced order, StepContext context) throws InterruptedException, StepException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", order.orderId());
        body.put("vendorId", order.vendorId());
        body.put("items", order.items());
        return call.post(body, context);
    }

    @Override
    public String retract(OrderPlaced order, String acknowledgement, StepContext context)
            throws InterruptedException, StepException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", order.orderId());
        body.put("vendorId", order.vendorId());
        body.put("acknowledgement", acknowledgement);
        return "retracted " + acknowledgement + " (" + retractCall.post(body, context) + ")";
    }
}
