package dev.orderpipeline.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * The undoing of one step that had succeeded before its order failed: cancellation is not
 * retroactive, so a payment authorised before the vendor failed has to be voided.
 *
 * @param step       which step was undone
 * @param status     whether it was undone
 * @param errorClass why the undo failed, classified like an order's failure (for example
 *                   {@code vendor_unavailable} when the provider could not be reached, {@code
 *                   timeout} when the compensation deadline passed); {@code null} when compensated
 * @param detail     a short operator-facing note: what was undone (the authorisation, the
 *                   courier id) or why it failed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Compensation(StepName step, CompensationStatus status, ErrorClass errorClass, String detail) {

    public Compensation {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(status, "status");
        if ((status == CompensationStatus.FAILED) != (errorClass != null)) {
            throw new IllegalArgumentException("a failed compensation has an errorClass, a compensated one none; got "
                    + status + " with " + errorClass);
        }
    }

    public static Compensation compensated(StepName step, String detail) {
        return new Compensation(step, CompensationStatus.COMPENSATED, null, detail);
    }

    public static Compensation failed(StepName step, ErrorClass errorClass, String detail) {
        return new Compensation(step, CompensationStatus.FAILED, Objects.requireNonNull(errorClass, "errorClass"), detail);
    }
}
