package dev.orderpipeline.stubs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Taking a service down for a while over the admin endpoint, as a test or a demo does to the running stub. */
@Timeout(20)
class StubOutageTest {

    private static HttpResponse<String> post(HttpClient client, URI uri, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void adminOutage_answers503ForItsWindow_onlyForThatService_thenTheServiceIsBack() throws Exception {
        try (StubServices stub = StubServices.start(0, StubServices.Behaviour.succeeding(Duration.ZERO), new Random(1));
             HttpClient client = HttpClient.newHttpClient()) {
            URI base = stub.baseUrl();

            HttpResponse<String> admin = post(client, base.resolve("/admin/outages/vendor?ms=1500"), null);

            assertEquals(200, admin.statusCode(), admin::body);
            assertEquals(503, post(client, base.resolve("/vendor-notifications"), "o1:vendor").statusCode());
            assertEquals(200, post(client, base.resolve("/payments"), "o1:payment").statusCode(), "payment stays up");
            await("the vendor is back after its window").atMost(Duration.ofSeconds(10))
                    .until(() -> post(client, base.resolve("/vendor-notifications"), "o2:vendor").statusCode() == 200);
            assertEquals(1, stub.actions(StubServices.Service.VENDOR), "only the call after the outage acted");
            assertEquals(1, stub.actions(StubServices.Service.PAYMENT));
        }
    }

    @Test
    void adminOutage_ofZero_endsItAtOnce_andABadRequestIsRefusedWithTheUsage() throws Exception {
        try (StubServices stub = StubServices.start(0, StubServices.Behaviour.succeeding(Duration.ZERO), new Random(1));
             HttpClient client = HttpClient.newHttpClient()) {
            URI base = stub.baseUrl();
            stub.outage(StubServices.Service.COURIER, null);
            assertTrue(stub.down(StubServices.Service.COURIER));

            assertEquals(200, post(client, base.resolve("/admin/outages/courier?ms=0"), null).statusCode());

            assertEquals(200, post(client, base.resolve("/courier-dispatches"), "o1:courier").statusCode());
            HttpResponse<String> bad = post(client, base.resolve("/admin/outages/kitchen?ms=10"), null);
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("/admin/outages/<payment|vendor|courier>?ms="), bad::body);
        }
    }
}
