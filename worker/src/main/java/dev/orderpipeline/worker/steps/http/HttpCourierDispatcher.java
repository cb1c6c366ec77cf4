package dev.orderpipeline.worker.steps.http;

import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.worker.guard.ServiceGuard;
import dev.orderpipeline.worker.steps.CourierDispatcher;
import dev.orderpipeline.worker.steps.CourierPool;
import dev.orderpipeline.worker.steps.NoCourierAvailableException;
import dev.orderpipeline.worker.steps.StepContext;
import dev.orderpipeline.worker.steps.StepException;
import java.net.URI;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The courier step over HTTP: takes a courier from the local {@link CourierPool}, then asks the
 * courier service to dispatch it ({@code POST <baseUrl>/courier-dispatches}).
 *
 * <p>Why the local pool stays: {@link CourierDispatcher#assign} returns a
 * {@link CourierPool.Lease}, which only a pool can make, and the pipeline closes it when the
 * order is decided. So the pool bounds how many dispatches this worker has open at once, and the
 * remote service decides whether a real courier goes. The lease is taken first so that a worker
 * without capacity never makes a remote dispatch it would have to undo; it is given back when the
 * remote call fails or is cancelled. The service's dispatch reference is not kept: the lease has
 * no room for it (the outcome's detail stays the local courier id).
 *
 * <p>429, 5xx and an unreachable service are {@code no_courier_available}. When a sibling step
 * fails, {@link #release} cancels the dispatch ({@code POST <baseUrl>/courier-dispatches/cancellations},
 * same idempotency key) and returns the local courier whether or not the service answered. Thread-safe.
 */
public final class HttpCourierDispatcher implements CourierDispatcher {

    public static final String PATH = "/courier-dispatches";
    public static final String CANCEL_PATH = "/courier-dispatches/cancellations";

    private final HttpStepCall call;
    private final HttpStepCall cancelCall;
    private final CourierPool pool;

    /** Without a breaker or a bulkhead. */
    public HttpCourierDispatcher(HttpClient client, URI baseUrl, CourierPool pool) {
        this(client, baseUrl, pool, ServiceGuard.none("courier"), TextMapPropagator.noop());
    }

    /**
     * Each dispatch through {@code guard}; each cancellation through its bulkhead only.
     *
     * @param propagator puts the calling thread's trace context into every request's headers
     */
    public HttpCourierDispatcher(HttpClient client, URI baseUrl, CourierPool pool, ServiceGuard guard, TextMapPropagator propagator) {
        this.call = new HttpStepCall(client, baseUrl.resolve(PATH), "courier service",
                (message, cause) -> new NoCourierAvailableException(message, cause), /* declinable= */ false, guard, propagator);
        this.cancelCall = new HttpStepCall(client, baseUrl.resolve(CANCEL_PATH), "courier service (cancellation)",
                (message, cause) -> new NoCourierAvailableException(message, cause),
                /* declinable= */ false, guard.withoutBreaker(), propagator);
        this.pool = pool;
    }

    @Override
    public CourierPool.Lease assign(OrderPlaced order, StepContext context) throws InterruptedException, StepException {
        CourierPool.Lease lease = pool.tryTake(context.remaining());
        if (lease == null) {
            throw new NoCourierAvailableException("all " + pool.size() + " couriers busy until the deadline");
        }
        boolean dispatched = false;
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("orderId", order.orderId());
            body.put("vendorId", order.vendorId());
            body.put("deliveryZone", order.deliveryZone());
            body.put("courierId", lease.courierId());
            call.post(body, context);
            dispatched = true;
            return lease;
        } finally {
            if (!dispatched) {
                lease.close();
            }
        }
    }

    @Override
    public String release(OrderPlaced order, CourierPool.Lease lease, StepContext context)
            throws InterruptedException, StepException {
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("orderId", order.orderId());
            body.put("courierId", lease.courierId());
            return lease.courierId() + " recalled (" + cancelCall.post(body, context) + ") and returned to the pool";
        } finally {
            // The local pool gets its courier back even if the service did not answer: the
            // failed recall is reported in the outcome, and a courier slot must not leak.
            lease.close();
        }
    }
}
