package dev.orderpipeline.worker.pipeline;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.worker.steps.StepException;
import java.net.http.HttpTimeoutException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The one place that decides an order's {@link ErrorClass} from a failure, like the Go design's
 * {@code errors.Is} switch: it looks through the whole cause chain, so a step may wrap its
 * failure as it likes. What each class means and what to do about it is documented on
 * {@link ErrorClass}.
 */
public final class ErrorClassifier {

    private ErrorClassifier() {
    }

    /** The class of {@code failure}; {@link ErrorClass#INTERNAL} for anything unrecognised. */
    public static ErrorClass classify(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            ErrorClass found = switch (t) {
                case StepException step -> step.errorClass();
                case InvalidOrderException invalid -> ErrorClass.INVALID_ORDER;
                case DeadlineExceededException deadline -> ErrorClass.TIMEOUT;
                case TimeoutException timeout -> ErrorClass.TIMEOUT;
                case HttpTimeoutException timeout -> ErrorClass.TIMEOUT;
                default -> null;
            };
            if (found != null) {
                return found;
            }
        }
        return ErrorClass.INTERNAL;
    }
}
