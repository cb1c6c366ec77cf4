package dev.orderpipeline.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.worker.steps.NoCourierAvailableException;
import dev.orderpipeline.worker.steps.PaymentDeclinedException;
import dev.orderpipeline.worker.steps.VendorUnavailableException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorClassifierTest {

    static Stream<Arguments> cases() {
        PaymentDeclinedException declined = new PaymentDeclinedException("card blocked");
        return Stream.of(
                Arguments.of("payment declined", declined, ErrorClass.PAYMENT_DECLINED),
                Arguments.of("declined wrapped twice", new CompletionException(new ExecutionException(declined)),
                        ErrorClass.PAYMENT_DECLINED),
                Arguments.of("vendor unavailable", new VendorUnavailableException("503"), ErrorClass.VENDOR_UNAVAILABLE),
                Arguments.of("vendor wrapped in runtime", new RuntimeException("call failed",
                        new VendorUnavailableException("connection refused")), ErrorClass.VENDOR_UNAVAILABLE),
                Arguments.of("no courier", new NoCourierAvailableException("pool empty"), ErrorClass.NO_COURIER_AVAILABLE),
                Arguments.of("deadline", new DeadlineExceededException(Duration.ofSeconds(1)), ErrorClass.TIMEOUT),
                Arguments.of("j.u.c timeout", new TimeoutException("slow"), ErrorClass.TIMEOUT),
                Arguments.of("http timeout wrapped", new UncheckedIOException(new HttpTimeoutException("timed out")),
                        ErrorClass.TIMEOUT),
                Arguments.of("invalid order", new InvalidOrderException("no items"), ErrorClass.INVALID_ORDER),
                Arguments.of("a bug", new NullPointerException("oops"), ErrorClass.INTERNAL),
                Arguments.of("a bug wrapping nothing known", new IllegalStateException(new RuntimeException()),
                        ErrorClass.INTERNAL),
                Arguments.of("the outermost known class wins",
                        new VendorUnavailableException("while paying", declined), ErrorClass.VENDOR_UNAVAILABLE),
                Arguments.of("a cause cycle terminates", cycle(), ErrorClass.INTERNAL));
    }

    private static Throwable cycle() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void classify(String name, Throwable failure, ErrorClass want) {
        ErrorClass got = ErrorClassifier.classify(failure);
        assertEquals(want, got, () -> "classify(" + failure + "): got " + got + ", want " + want);
    }
}
