package dev.orderpipeline.worker.steps.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.stubs.StubServices;
import dev.orderpipeline.stubs.StubServices.Behaviour;
import dev.orderpipeline.stubs.StubServices.Service;
import dev.orderpipeline.worker.pipeline.ErrorClassifier;
import dev.orderpipeline.worker.steps.CourierPool;
import dev.orderpipeline.worker.steps.StepContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The three HTTP adapters against {@link StubServices} on a free port: results, failures, deadline, cancellation. */
@Timeout(30)
class HttpStepsTest {

    private static final Duration FAST = Duration.ofMillis(5);

    private final Clock clock = Clock.systemUTC();
    private final HttpClient client = HttpSteps.newClient(Duration.ofSeconds(2));
    private final CourierPool couriers = new CourierPool(2);
    private StubServices stub;
    private HttpPaymentGateway payment;
    private HttpVendorNotifier vendor;
    private HttpCourierDispatcher courier;

    @BeforeEach
    void start() throws IOException {
        stub = StubServices.start(0, Behaviour.succeeding(FAST), new Random(1));
        payment = new HttpPaymentGateway(client, stub.baseUrl());
        vendor = new HttpVendorNotifier(client, stub.baseUrl());
        courier = new HttpCourierDispatcher(client, stub.baseUrl(), couriers);
    }

    @AfterEach
    void stop() throws IOException {
        stub.close();
        client.close();
    }

    private static OrderPlaced order(String id) {
        return SampleOrders.order(id, Instant.parse("2026-11-27T10:00:00Z"), null, new Random(7));
    }

    private StepContext context(String key, Duration left) {
        return new StepContext(clock.instant().plus(left), key, clock);
    }

    /** Runs {@code service}'s adapter for {@code order}; what it returned, as text. */
    private String call(Service service, OrderPlaced order, StepContext context) throws Exception {
        return switch (service) {
            case PAYMENT -> payment.authorize(order, context);
            case VENDOR -> vendor.notify(order, context);
            case COURIER -> {
                try (CourierPool.Lease lease = courier.assign(order, context)) {
                    yield lease.courierId();
                }
            }
        };
    }

    @Test
    void everyStepSucceeds_withReferences_headersAndJsonBody() throws Exception {
        OrderPlaced order = order("o-ok");

        String auth = payment.authorize(order, context("o-ok:payment", Duration.ofSeconds(5)));
        String ack = vendor.notify(order, context("o-ok:vendor", Duration.ofSeconds(5)));
        CourierPool.Lease lease = courier.assign(order, context("o-ok:courier", Duration.ofSeconds(5)));

        assertTrue(auth.startsWith("auth-"), () -> "authorisation " + auth);
        assertTrue(ack.startsWith("ack-"), () -> "acknowledgement " + ack);
        assertEquals(1, couriers.inUse(), "the lease holds a local courier until the order is over");
        lease.close();
        assertEquals(3, stub.requests().size(), () -> "requests " + stub.requests());
        for (StubServices.Request request : stub.requests()) {
            assertEquals("o-ok:" + request.service().name().toLowerCase(java.util.Locale.ROOT), request.idempotencyKey());
            assertTrue(request.deadlineMillis() > 4_000 && request.deadlineMillis() <= 5_000,
                    () -> "Request-Timeout-Ms should be the ~5000 ms left, got " + request);
            assertTrue(request.body().contains("\"orderId\":\"o-ok\""), () -> "body " + request.body());
        }
        assertTrue(stub.requests().getFirst().body().contains("\"minorUnits\":" + order.amount().minorUnits()),
                () -> "payment body has the amount: " + stub.requests().getFirst().body());
    }

    @ParameterizedTest(name = "{0} answers {1} -> {2}")
    @CsvSource({
            "PAYMENT, 402, PAYMENT_DECLINED",
            "PAYMENT, 429, VENDOR_UNAVAILABLE",
            "PAYMENT, 503, VENDOR_UNAVAILABLE",
            "PAYMENT, 500, VENDOR_UNAVAILABLE",
            "PAYMENT, 400, INTERNAL",
            "PAYMENT, 409, INTERNAL",
            "PAYMENT, 422, INTERNAL",
            "VENDOR,  503, VENDOR_UNAVAILABLE",
            "VENDOR,  502, VENDOR_UNAVAILABLE",
            "VENDOR,  504, VENDOR_UNAVAILABLE",
            "VENDOR,  429, VENDOR_UNAVAILABLE",
            "VENDOR,  402, INTERNAL",
            "VENDOR,  404, INTERNAL",
            "COURIER, 503, NO_COURIER_AVAILABLE",
            "COURIER, 502, NO_COURIER_AVAILABLE",
            "COURIER, 429, NO_COURIER_AVAILABLE",
            "COURIER, 400, INTERNAL",
    })
    void failingAnswer_isClassified(Service service, int status, ErrorClass want) {
        stub.behave(service, Behaviour.failing(status, FAST));

        Exception thrown = assertThrows(Exception.class,
                () -> call(service, order("o-f"), context("o-f:" + service, Duration.ofSeconds(5))));

        assertEquals(want, ErrorClassifier.classify(thrown),
                () -> service + " answering " + status + ": got " + thrown);
        assertEquals(0, couriers.inUse(), "a failed courier call gives its local courier back");
        assertEquals(0, stub.charges("o-f:" + service), "a failed call charges nothing");
    }

    @ParameterizedTest
    @CsvSource({"PAYMENT, VENDOR_UNAVAILABLE", "VENDOR, VENDOR_UNAVAILABLE", "COURIER, NO_COURIER_AVAILABLE"})
    void serviceUnreachable_isUnavailable(Service service, ErrorClass want) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/");
        payment = new HttpPaymentGateway(client, nowhere);
        vendor = new HttpVendorNotifier(client, nowhere);
        courier = new HttpCourierDispatcher(client, nowhere, couriers);

        Exception thrown = assertThrows(Exception.class,
                () -> call(service, order("o-down"), context("o-down:x", Duration.ofSeconds(5))));

        assertEquals(want, ErrorClassifier.classify(thrown), () -> "got " + thrown);
        assertEquals(0, couriers.inUse(), "couriers not returned");
    }

    @Test
    void sameOrderTwice_chargesOnce_andAnswersTheSameAuthorisation() throws Exception {
        OrderPlaced order = order("o-twice");

        String first = payment.authorize(order, context("o-twice:payment", Duration.ofSeconds(5)));
        String second = payment.authorize(order, context("o-twice:payment", Duration.ofSeconds(5)));

        assertEquals(first, second, "a replay returns the first authorisation");
        assertEquals(1, stub.charges("o-twice:payment"), "charged once for two calls with one key");
        assertEquals(2, stub.requests().size());
    }

    @Test
    void conflictForOurKey_isAReplay_notAFailure() throws Exception {
        stub.behave(Service.PAYMENT, Behaviour.succeeding(FAST).withReplayStatus(409));
        OrderPlaced order = order("o-409");

        String first = payment.authorize(order, context("o-409:payment", Duration.ofSeconds(5)));
        String replay = payment.authorize(order, context("o-409:payment", Duration.ofSeconds(5)));

        assertEquals(first, replay, "409 echoing our Idempotency-Key is the first call's result");
        assertEquals(1, stub.charges("o-409:payment"));
    }

    @Test
    void answerSlowerThanTheDeadline_isTimeout_andTheServiceSeesTheCallAbandoned() {
        // The stub would answer after 20 s; the call must end at its 300 ms deadline. The upper
        // bound is generous for a loaded machine and still far below the stub's answer.
        stub.behave(Service.VENDOR, Behaviour.succeeding(Duration.ofSeconds(20)));
        long start = System.nanoTime();

        Exception thrown = assertThrows(Exception.class,
                () -> vendor.notify(order("o-slow"), context("o-slow:vendor", Duration.ofMillis(300))));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(ErrorClass.TIMEOUT, ErrorClassifier.classify(thrown), () -> "got " + thrown);
        assertInstanceOf(HttpTimeoutException.class, thrown.getCause(), () -> "cause of " + thrown);
        assertTrue(took.compareTo(Duration.ofMillis(250)) >= 0 && took.compareTo(Duration.ofSeconds(10)) < 0,
                () -> "the call should end at the 300 ms deadline, took " + took.toMillis() + " ms");
        long sent = stub.requests().getFirst().deadlineMillis();
        assertTrue(sent > 0 && sent <= 300, () -> "Request-Timeout-Ms " + sent + ", want (0, 300]");
        await("the stub sees the timed-out call's connection closed").atMost(Duration.ofSeconds(10))
                .until(() -> stub.cancellations().stream().anyMatch(c -> c.idempotencyKey().equals("o-slow:vendor")));
        assertEquals(0, stub.charges("o-slow:vendor"));
    }

    @Test
    void deadlineAlreadyPassed_isTimeout_withoutACall() {
        Exception thrown = assertThrows(Exception.class,
                () -> payment.authorize(order("o-late"), context("o-late:payment", Duration.ofMillis(-1))));

        assertEquals(ErrorClass.TIMEOUT, ErrorClassifier.classify(thrown), () -> "got " + thrown);
        assertEquals(0, stub.requests().size(), "no request for a call that cannot finish");
    }

    @Test
    void interruptedCall_endsAtOnce_andTheServiceSeesItCancelled() throws Exception {
        // The stub would answer after 60 s: the bounds below (10 s) are generous for a loaded
        // machine, and a call that ignores the interrupt fails them.
        stub.behave(Service.PAYMENT, Behaviour.succeeding(Duration.ofSeconds(60)));
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread step = Thread.ofVirtual().start(() -> {
            try {
                payment.authorize(order("o-int"), context("o-int:payment", Duration.ofSeconds(90)));
                ended.complete(null);
            } catch (Throwable t) {
                ended.complete(t);
            }
        });
        await("the payment request reaches the stub").atMost(Duration.ofSeconds(5)).until(() -> !stub.requests().isEmpty());

        long interruptedAt = System.nanoTime();
        step.interrupt();
        Throwable failure = ended.get();
        long returnedAfter = System.nanoTime() - interruptedAt;

        assertInstanceOf(InterruptedException.class, failure, "an interrupted step ends with InterruptedException");
        assertTrue(returnedAfter < Duration.ofSeconds(10).toNanos(), () -> "returned " + returnedAfter / 1_000 + " us after the interrupt");
        await("the stub sees the payment call's connection closed").atMost(Duration.ofSeconds(10))
                .until(() -> stub.cancellations().stream().anyMatch(c -> c.idempotencyKey().equals("o-int:payment")));
        StubServices.Cancellation seen = stub.cancellations().getFirst();
        assertNotNull(seen);
        assertTrue(seen.seenAtNanos() - interruptedAt < Duration.ofSeconds(10).toNanos(),
                () -> "stub saw the hang-up " + (seen.seenAtNanos() - interruptedAt) / 1_000 + " us after the interrupt");
        assertEquals(0, stub.charges("o-int:payment"), "a cancelled call charges nothing");
    }

    @Test
    void voidAndRetraction_carryTheStepsKeys_undoOnce_andRepeatAsReplays() throws Exception {
        OrderPlaced order = order("o-undo");
        StepContext paymentKey = context("o-undo:payment", Duration.ofSeconds(5));
        StepContext vendorKey = context("o-undo:vendor", Duration.ofSeconds(5));
        String auth = payment.authorize(order, paymentKey);
        String ack = vendor.notify(order, vendorKey);

        String voided = payment.voidAuthorization(order, auth, paymentKey);
        String voidedAgain = payment.voidAuthorization(order, auth, paymentKey);
        String retracted = vendor.retract(order, ack, vendorKey);

        assertTrue(voided.startsWith("voided " + auth), () -> "void note " + voided);
        assertEquals(voided, voidedAgain, "a repeated void answers the first one");
        assertTrue(retracted.startsWith("retracted " + ack), () -> "retraction note " + retracted);
        assertEquals(1, stub.undos("o-undo:payment"), "voided once for two calls with one key");
        assertEquals(1, stub.undos("o-undo:vendor"));
        assertEquals(1, stub.charges("o-undo:payment"), "the void charged nothing more");
        List<StubServices.Request> undos = stub.requests().stream().filter(StubServices.Request::undo).toList();
        assertEquals(List.of(HttpPaymentGateway.VOID_PATH, HttpPaymentGateway.VOID_PATH, HttpVendorNotifier.RETRACT_PATH),
                undos.stream().map(StubServices.Request::path).toList());
        assertTrue(undos.getFirst().body().contains("\"authorization\":\"" + auth + "\""), () -> "void body " + undos.getFirst());
    }

    @Test
    void voidOfAnUnansweredCall_voidsWhatTheKeyAuthorised_andSaysNothingWhenItAuthorisedNothing() throws Exception {
        OrderPlaced order = order("o-unanswered");
        StepContext authorised = context("o-unanswered:payment", Duration.ofSeconds(5));
        payment.authorize(order, authorised); // its answer, in the pipeline, never arrived

        String voided = payment.voidUnanswered(order, authorised);
        String nothing = payment.voidUnanswered(order("o-never"), context("o-never:payment", Duration.ofSeconds(5)));

        assertTrue(voided != null && voided.startsWith("voided the authorisation of an unanswered call"),
                () -> "void note " + voided);
        assertEquals(1, stub.undos("o-unanswered:payment"), "the authorisation under the key was not voided");
        assertEquals(null, nothing, "a key that authorised nothing was reported as voided");
        assertEquals(0, stub.undos("o-never:payment"));
    }

    @Test
    void courierRelease_recallsTheDispatch_andReturnsTheCourier_evenWhenTheRecallFails() throws Exception {
        OrderPlaced order = order("o-recall");
        StepContext key = context("o-recall:courier", Duration.ofSeconds(5));
        CourierPool.Lease recalled = courier.assign(order, key);

        String note = courier.release(order, recalled, key);

        assertTrue(note.startsWith(recalled.courierId() + " recalled ("), () -> "note " + note);
        assertEquals(1, stub.undos("o-recall:courier"));
        assertEquals(0, couriers.inUse(), "the local courier is back");

        StepContext otherKey = context("o-recall-2:courier", Duration.ofSeconds(5));
        CourierPool.Lease stuck = courier.assign(order("o-recall-2"), otherKey);
        stub.behaveUndo(Service.COURIER, Behaviour.failing(503, FAST));
        Exception thrown = assertThrows(Exception.class, () -> courier.release(order("o-recall-2"), stuck, otherKey));

        assertEquals(ErrorClass.NO_COURIER_AVAILABLE, ErrorClassifier.classify(thrown), () -> "got " + thrown);
        assertEquals(0, couriers.inUse(), "a failed recall must not keep the local courier");
    }

    @ParameterizedTest(name = "undo answered {0} -> {1}")
    @CsvSource({"503, VENDOR_UNAVAILABLE", "429, VENDOR_UNAVAILABLE", "422, INTERNAL"})
    void failingVoid_isClassified_andUndoesNothing(int status, ErrorClass want) throws Exception {
        OrderPlaced order = order("o-void-" + status);
        StepContext key = context("o-void-" + status + ":payment", Duration.ofSeconds(5));
        String auth = payment.authorize(order, key);
        stub.behaveUndo(Service.PAYMENT, Behaviour.failing(status, FAST));

        Exception thrown = assertThrows(Exception.class, () -> payment.voidAuthorization(order, auth, key));

        assertEquals(want, ErrorClassifier.classify(thrown), () -> "got " + thrown);
        assertEquals(0, stub.undos(key.idempotencyKey()));
    }

    @Test
    void voidForAKeyThatNeverCharged_isInternal() {
        Exception thrown = assertThrows(Exception.class,
                () -> payment.voidAuthorization(order("o-never"), "auth-0", context("o-never:payment", Duration.ofSeconds(5))));

        assertEquals(ErrorClass.INTERNAL, ErrorClassifier.classify(thrown), () -> "got " + thrown);
    }
}
