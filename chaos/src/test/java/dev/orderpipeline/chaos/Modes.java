package dev.orderpipeline.chaos;

import java.util.stream.Stream;

/** The delivery modes every scenario runs in: the one place to add a mode. */
final class Modes {

    private Modes() {
    }

    /** The modes under test, as a JUnit {@code @MethodSource}: every scenario runs in both. */
    static Stream<DeliveryMode> all() {
        return Stream.of(DeliveryMode.AT_LEAST_ONCE, DeliveryMode.EXACTLY_ONCE);
    }
}
