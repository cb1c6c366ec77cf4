package dev.orderpipeline.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.cli.kafka.TopicRecord;
import dev.orderpipeline.contract.CompensationStatus;
import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.StepResult;
import dev.orderpipeline.contract.SenderText;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.stream.Collectors;

/** How {@code follow} prints an event: one line for people, or one JSON object for scripts. */
public final class FollowFormat {

    private static final ObjectMapper JSON = OrderCodec.newMapper();

    private FollowFormat() {
    }

    /**
     * Ids, keys and header text are shown through {@link SenderText}: a line on a terminal is
     * one line, whatever a sender put in them.
     *
     * <p>{@code TIME ORDER-ID STATUS ERROR-CLASS steps... [undone=...] latency L}; the time is when
     * the worker decided, the latency from the order's createdAt to then. A step called more than
     * once shows its attempts ({@code vendor=succeeded(31.0ms x2)}); a failed order lists what was
     * undone, and what could not be with its class ({@code undone=payment,courier
     * not-undone=vendor:timeout}).
     */
    public static String human(FollowedEvent event) {
        return switch (event) {
            case FollowedEvent.Outcome o -> {
                OrderOutcome out = o.outcome();
                String steps = out.steps().stream().map(FollowFormat::step).collect(Collectors.joining(" "))
                        + compensations(out);
                String latency = out.orderCreatedAt() == null || out.completedAt() == null ? "-"
                        : millis(Duration.between(out.orderCreatedAt(), out.completedAt()));
                yield String.format(Locale.ROOT, "%s  %-24s %-10s %-20s %s%slatency %s",
                        time(out.completedAt(), o.record()), SenderText.of(out.orderId()), status(out.status().name()),
                        out.errorClass() == null ? "-" : out.errorClass().code(),
                        steps, steps.isEmpty() ? "" : "  ", latency);
            }
            case FollowedEvent.DeadLetter d -> {
                TopicRecord r = d.record();
                Instant at = r.header(DeadLetterHeaders.DEAD_LETTERED_AT).map(FollowFormat::instantOrNull).orElse(null);
                yield String.format(Locale.ROOT, "%s  %-24s %-10s %-20s %s: %s  from %s",
                        time(at, r), SenderText.of(r.key()), "dead-letter",
                        SenderText.of(r.header(DeadLetterHeaders.ERROR_CLASS).orElse("-")), SenderText.of(d.problem()),
                        SenderText.reason(r.header(DeadLetterHeaders.REASON).orElse("-")), SenderText.of(original(r)));
            }
            case FollowedEvent.Unreadable u -> String.format(Locale.ROOT, "%s  %-24s %-10s %s (at %s)",
                    time(null, u.record()), SenderText.of(u.record().key()), "unreadable", SenderText.reason(u.reason()),
                    u.record().address());
        };
    }

    /**
     * An outcome as the worker wrote it, byte for byte; a dead letter as
     * {@code {"topic","partition","offset","timestamp","key","headers":{..},"value":BASE64}};
     * an unreadable record like a dead letter, plus {@code "unreadable": reason}.
     */
    public static String json(FollowedEvent event) {
        return switch (event) {
            case FollowedEvent.Outcome o -> new String(o.record().value(), StandardCharsets.UTF_8).strip();
            case FollowedEvent.DeadLetter d -> recordJson(d.record()).toString();
            case FollowedEvent.Unreadable u -> recordJson(u.record()).put("unreadable", u.reason()).toString();
        };
    }

    private static ObjectNode recordJson(TopicRecord r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("topic", r.topic()).put("partition", r.partition()).put("offset", r.offset())
                .put("timestamp", r.timestamp().toString()).put("key", r.key());
        ObjectNode headers = node.putObject("headers");
        // The last value of a repeated header wins, as with Kafka's lastHeader.
        r.headers().forEach(h -> headers.put(h.name(), h.text()));
        node.put("value", r.value() == null ? null : Base64.getEncoder().encodeToString(r.value()));
        return node;
    }

    private static String step(StepResult s) {
        return s.step().name().toLowerCase(Locale.ROOT) + "=" + s.status().name().toLowerCase(Locale.ROOT)
                + "(" + millis(Duration.ofNanos(s.durationMicros() * 1_000))
                + (s.attempts() > 1 ? " x" + s.attempts() : "") + ")";
    }

    private static String compensations(OrderOutcome out) {
        String undone = out.compensations().stream().filter(c -> c.status() == CompensationStatus.COMPENSATED)
                .map(c -> c.step().label()).collect(Collectors.joining(","));
        String notUndone = out.compensations().stream().filter(c -> c.status() == CompensationStatus.FAILED)
                .map(c -> c.step().label() + ":" + c.errorClass().code()).collect(Collectors.joining(","));
        return (undone.isEmpty() ? "" : " undone=" + undone) + (notUndone.isEmpty() ? "" : " not-undone=" + notUndone);
    }

    private static String original(TopicRecord r) {
        return r.header(DeadLetterHeaders.ORIGINAL_TOPIC).orElse("?") + "/"
                + r.header(DeadLetterHeaders.ORIGINAL_PARTITION).orElse("?") + "/"
                + r.header(DeadLetterHeaders.ORIGINAL_OFFSET).orElse("?");
    }

    private static String time(Instant preferred, TopicRecord r) {
        return (preferred != null ? preferred : r.timestamp()).toString();
    }

    private static String status(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static Instant instantOrNull(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1fms", d.toNanos() / 1e6);
    }
}
