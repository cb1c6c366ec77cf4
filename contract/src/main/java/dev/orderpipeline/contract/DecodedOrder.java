package dev.orderpipeline.contract;

import java.util.Optional;

/** The result of reading an {@code orders} record: an order, or why it is not one. */
public sealed interface DecodedOrder {

    /** A well-formed order that satisfies every rule of the contract. */
    record Valid(OrderPlaced order) implements DecodedOrder {
    }

    /**
     * A record that is not a valid order.
     *
     * <p>Both texts go into a log line, a dead letter's header and an outcome, and may hold the
     * sender's own characters: they pass {@link SenderText} here, so no {@code Invalid} carries
     * a control character or kilobytes of text.
     *
     * @param problem what kind of defect, for the dead-letter headers and metrics
     * @param reason  one line for a human: what is wrong and where
     * @param orderId the order id, when the record got far enough to carry one, so that the
     *                sender waiting for an outcome can still be answered
     */
    record Invalid(Problem problem, String reason, Optional<String> orderId) implements DecodedOrder {
        public Invalid {
            reason = SenderText.reason(reason);
            orderId = orderId.map(SenderText::of);
        }
    }

    /** Kinds of bad input, named as they appear in the {@code dlt.problem} header. */
    enum Problem {
        NULL_VALUE,
        OVERSIZED,
        INVALID_UTF8,
        MALFORMED_JSON,
        WRONG_TYPE,
        MISSING_FIELD,
        UNSUPPORTED_VERSION,
        RULE_VIOLATION
    }
}
