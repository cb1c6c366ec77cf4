package dev.orderpipeline.contract;

/**
 * Header names on a dead-letter record. The record itself keeps the original key, value bytes
 * and headers untouched; these headers are added to say why it was dead-lettered and where it
 * came from, so it can be inspected and replayed. Values are UTF-8 strings.
 */
public final class DeadLetterHeaders {

    /** The {@link ErrorClass#code()}, {@code invalid_order} for bad input. */
    public static final String ERROR_CLASS = "dlt.error.class";
    /** The {@link DecodedOrder.Problem} name, for example {@code MALFORMED_JSON}. */
    public static final String PROBLEM = "dlt.problem";
    /** One human-readable line: what is wrong with the record. */
    public static final String REASON = "dlt.reason";
    public static final String ORIGINAL_TOPIC = "dlt.original.topic";
    public static final String ORIGINAL_PARTITION = "dlt.original.partition";
    public static final String ORIGINAL_OFFSET = "dlt.original.offset";
    /** The original record's timestamp, epoch milliseconds. */
    public static final String ORIGINAL_TIMESTAMP = "dlt.original.timestamp";
    /** The worker instance that dead-lettered it. */
    public static final String WORKER_ID = "dlt.worker.id";
    /** When it was dead-lettered, ISO-8601. */
    public static final String DEAD_LETTERED_AT = "dlt.dead-lettered.at";
    /** {@code true} when the value had to be cut to fit the broker's size limit. */
    public static final String VALUE_TRUNCATED = "dlt.value.truncated";
    /** The original value's size in bytes, set together with {@link #VALUE_TRUNCATED}. */
    public static final String ORIGINAL_VALUE_SIZE = "dlt.original.value.size";

    private DeadLetterHeaders() {
    }
}
