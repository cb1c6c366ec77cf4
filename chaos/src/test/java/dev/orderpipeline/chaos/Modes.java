package dev.orderpipeline.chaos;

import java.util.stream.Stream;

/** The delivery modes every scenario runs in: the one place to add a mode. */
final class Modes {

    private Modes() {
    }

    /** The modes under test, as a JUnit {@code @MethodSource}: every scenario runs in both. */
    static Stream<DeliveryMode> all() {
        // -Dchaos.mode=exactly-once runs one mode only, for a measurement; CI runs both.
        String only = System.getProperty("chaos.mode", "");
        return Stream.of(DeliveryMode.AT_LEAST_ONCE, DeliveryMode.EXACTLY_ONCE)
                .filter(mode -> only.isBlank() || mode.label().equals(only));
    }
}
