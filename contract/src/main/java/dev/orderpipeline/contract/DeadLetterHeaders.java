package dev.orderpipeline.contract;

/**
 * Header names on a dead-letter record. The record itself keeps the original key, value bytes
 * and headers; these headers are added to say why it was dead-lettered and where it came from,
 * so it can be inspected and replayed. Values are UTF-8 strings.
 *
 * <p>Each of the worker's header names occurs once on a dead letter, and only as the worker's:
 * a header of the original record whose name starts with {@link #PREFIX} is kept under
 * {@link #SENDERS_PREFIX} + its name ({@code dlt.problem} becomes
 * {@code dlt.original.dlt.problem}), a name the worker never writes, so a reader of
 * {@code dlt.problem} never gets the sender's text. No two original names map to the same one,
 * and {@link #senderHeaderName} maps it back for a replay.
 */
public final class DeadLetterHeaders {

    /** What every name of the worker's dead-letter headers starts with. */
    public static final String PREFIX = "dlt.";
    /** Put in front of the name of an original header that starts with {@link #PREFIX}. */
    public static final String SENDERS_PREFIX = "dlt.original.";

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

    /**
     * The name an original record's header keeps on its dead letter: its own, or, if it would
     * pass for one of the worker's, {@link #SENDERS_PREFIX} in front.
     */
    public static String originalHeaderName(String name) {
        return name.startsWith(PREFIX) ? SENDERS_PREFIX + name : name;
    }

    /**
     * The name a dead letter's header had on the original record, or {@code null} if it is one
     * the worker added.
     */
    public static String senderHeaderName(String name) {
        if (name.startsWith(SENDERS_PREFIX + PREFIX)) {
            return name.substring(SENDERS_PREFIX.length());
        }
        return name.startsWith(PREFIX) ? null : name;
    }
}
