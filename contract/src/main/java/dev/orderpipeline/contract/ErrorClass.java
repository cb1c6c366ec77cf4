package dev.orderpipeline.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * Why an order did not succeed: a small closed set that callers can act on, the Java form of
 * the Go design's sentinel errors. The wire name ({@link #code()}) is part of the contract.
 * Each constant says when it happens and what the caller should do.
 *
 * <p>The same classes classify a failed {@link Compensation} (the undo of a step that had
 * succeeded before its order failed): there the action applies to the undo, not to the order,
 * e.g. {@link #VENDOR_UNAVAILABLE} means "void the authorisation again later, with the same
 * idempotency key". The order keeps the class of its own first failure.
 */
public enum ErrorClass {
    /**
     * The payment provider declined the payment (insufficient funds, card blocked). A business
     * outcome: never retried; tell the customer. HTTP equivalent 402.
     */
    PAYMENT_DECLINED("payment_declined", Action.TELL_CUSTOMER, 402),
    /**
     * The vendor system (or the payment provider: there is no payment-specific transient class)
     * could not be reached or answered with a server error. Transient: the worker retries it
     * with backoff when configured to ({@code --retry-on}); an outcome with this class has used
     * up its attempts. Safe to retry later with the same idempotency key. HTTP equivalent 503.
     */
    VENDOR_UNAVAILABLE("vendor_unavailable", Action.RETRY_LATER, 503),
    /**
     * No courier became free in the courier pool before the deadline. Capacity: the worker
     * retries it with backoff when configured to; retry later or add couriers. HTTP
     * equivalent 503.
     */
    NO_COURIER_AVAILABLE("no_courier_available", Action.RETRY_LATER, 503),
    /**
     * The per-order deadline passed before every step finished; all steps were cancelled. Also
     * one step attempt that took longer than {@code --step-attempt-timeout}, which the worker
     * retries only when {@code timeout} is in {@code --retry-on}. Retry only if the steps are
     * idempotent (they are keyed by order id). HTTP 504.
     */
    TIMEOUT("timeout", Action.RETRY_LATER, 504),
    /**
     * The order event is malformed or breaks a business rule (no items, negative amount,
     * unknown currency). Fix the sender; the record is in the dead-letter topic. HTTP 400.
     */
    INVALID_ORDER("invalid_order", Action.FIX_INPUT, 400),
    /**
     * Anything else: a bug in a step or in the worker. Investigate the worker's log; the order
     * can be replayed once fixed. HTTP 500.
     */
    INTERNAL("internal", Action.INVESTIGATE, 500);

    /** What whoever reads an outcome should do about it. */
    public enum Action {
        /** Nothing technical is wrong; the business answer is no. */
        TELL_CUSTOMER,
        /** A dependency or resource was short; the same order can succeed later. */
        RETRY_LATER,
        /** The input is wrong; retrying the same bytes gives the same answer. */
        FIX_INPUT,
        /** A defect; a human has to look. */
        INVESTIGATE
    }

    private final String code;
    private final Action action;
    private final int httpStatus;

    ErrorClass(String code, Action action, int httpStatus) {
        this.code = code;
        this.action = action;
        this.httpStatus = httpStatus;
    }

    /** The wire name, for example {@code payment_declined}. */
    @JsonValue
    public String code() {
        return code;
    }

    public Action action() {
        return action;
    }

    /** Whether retrying the same order may succeed. */
    public boolean retryable() {
        return action == Action.RETRY_LATER;
    }

    /** The HTTP status an API in front of the pipeline would answer with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The constant with the wire name {@code code}, if any. */
    public static Optional<ErrorClass> fromCode(String code) {
        return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
    }
}
