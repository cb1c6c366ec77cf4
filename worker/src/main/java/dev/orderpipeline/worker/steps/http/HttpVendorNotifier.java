package dev.orderpipeline.worker.steps.http;

import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.worker.steps.StepContext;
import dev.orderpipeline.worker.steps.StepException;
import dev.orderpipeline.worker.steps.VendorNotifier;
import dev.orderpipeline.worker.steps.VendorUnavailableException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The vendor step over HTTP: {@code POST <baseUrl>/vendor-notifications} with the order id,
 * vendor and items. 429, 5xx and an unreachable service are {@code vendor_unavailable}.
 * Thread-safe.
 */
public final class HttpVendorNotifier implements VendorNotifier {

    public static final String PATH = "/vendor-notifications";

    private final HttpStepCall call;

    public HttpVendorNotifier(HttpClient client, URI baseUrl) {
        this.call = new HttpStepCall(client, baseUrl.resolve(PATH), "vendor system",
                (message, cause) -> new VendorUnavailableException(message, cause), /* declinable= */ false);
    }

    @Override
    public String notify(OrderPlaced order, StepContext context) throws InterruptedException, StepException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", order.orderId());
        body.put("vendorId", order.vendorId());
        body.put("items", order.items());
        return call.post(body, context);
    }
}
