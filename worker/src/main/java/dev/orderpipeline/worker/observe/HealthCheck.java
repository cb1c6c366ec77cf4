package dev.orderpipeline.worker.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Liveness and readiness, decided from what the poll thread published in {@link PollHealth}.
 *
 * <ul>
 *   <li><b>live</b>: a restart would not help. The poll thread completes a poll at least every
 *       100 ms and a commit every commit interval, so no poll for {@code staleAfter} means it
 *       hangs, unless no broker accepts connections: then it waits for the cluster (a commit or
 *       a fetch of committed offsets blocks until the broker is back), and a restarted worker
 *       would wait the same. Starting and draining workers are live; a loop that ended is not.
 *   <li><b>ready</b>: live, running (not starting or stopping), connected to at least one
 *       broker and holding at least one partition, so it is taking orders. A poll thread that
 *       has not polled for {@link #READY_STALE_AFTER} while no broker is reachable is not.
 *       A service's circuit breaker that is not closed leaves it ready (200: the worker is
 *       fine, a restart or another instance would meet the same dead service) but adds
 *       {@code "degraded":{"vendor":"open"}} to the body, so a dashboard shows why no orders flow.
 * </ul>
 * Thread-safe.
 */
public final class HealthCheck {

    /** The poll-free time after which the loop counts as stuck, when the commit interval is short. */
    static final Duration MIN_STALE_AFTER = Duration.ofSeconds(10);
    /**
     * A poll this late makes readiness ask whether Kafka is reachable: the connection count the
     * poll thread last published is as old as its last poll.
     */
    static final Duration READY_STALE_AFTER = Duration.ofSeconds(2);

    /** An HTTP status and a small JSON body saying why. */
    record Answer(int status, String json) {
    }

    private final PollHealth poll;
    private final Duration staleAfter;
    private final BooleanSupplier kafkaReachable;
    private final Clock clock;
    private final Supplier<Map<String, String>> degraded;

    /** Without circuit breakers. */
    public HealthCheck(PollHealth poll, Duration staleAfter, BooleanSupplier kafkaReachable, Clock clock) {
        this(poll, staleAfter, kafkaReachable, clock, Map::of);
    }

    /**
     * @param staleAfter     no poll for this long means the poll thread is stuck (if Kafka is
     *                       reachable); see {@link #staleAfter(Duration)}
     * @param kafkaReachable whether a broker accepts connections now ({@link KafkaReachability});
     *                       asked only when the poll thread is late, from the HTTP thread
     * @param degraded       the services whose circuit breaker is not closed, with its state
     */
    public HealthCheck(PollHealth poll, Duration staleAfter, BooleanSupplier kafkaReachable, Clock clock,
                       Supplier<Map<String, String>> degraded) {
        this.degraded = degraded;
        this.poll = poll;
        this.staleAfter = staleAfter;
        this.kafkaReachable = kafkaReachable;
        this.clock = clock;
    }

    /**
     * Three commit intervals, and at least {@link #MIN_STALE_AFTER}: a GC pause, a slow
     * rebalance call or a broker fail-over may hold one poll for a few seconds without anything
     * being wrong that a restart would fix.
     */
    public static Duration staleAfter(Duration commitInterval) {
        Duration three = commitInterval.multipliedBy(3);
        return three.compareTo(MIN_STALE_AFTER) > 0 ? three : MIN_STALE_AFTER;
    }

    Answer live() {
        PollHealth.Phase phase = poll.phase();
        long sinceMs = Duration.between(poll.lastPoll(), clock.instant()).toMillis();
        if (phase == PollHealth.Phase.ENDED) {
            return down("poll loop ended", phase, sinceMs);
        }
        if (phase != PollHealth.Phase.STARTING && sinceMs > staleAfter.toMillis()) {
            if (kafkaReachable.getAsBoolean()) {
                return down("no poll for " + sinceMs + " ms (limit " + staleAfter.toMillis() + " ms) while Kafka is reachable",
                        phase, sinceMs);
            }
            return new Answer(200, "{\"status\":\"UP\",\"phase\":\"" + phase(phase) + "\",\"lastPollMsAgo\":" + sinceMs
                    + ",\"waitingFor\":\"kafka\"}");
        }
        return new Answer(200, "{\"status\":\"UP\",\"phase\":\"" + phase(phase) + "\",\"lastPollMsAgo\":" + sinceMs + "}");
    }

    Answer ready() {
        Answer live = live();
        PollHealth.Phase phase = poll.phase();
        String reason;
        if (live.status() != 200) {
            reason = "not live";
        } else if (phase != PollHealth.Phase.RUNNING) {
            reason = phase == PollHealth.Phase.STARTING ? "starting" : "stopping";
        } else if (poll.connections() == 0 || (pollLate() && !kafkaReachable.getAsBoolean())) {
            reason = "no connection to Kafka";
        } else if (poll.partitions() == 0) {
            reason = "no partitions assigned";
        } else {
            reason = null;
        }
        String load = "\"partitions\":" + poll.partitions() + ",\"inFlight\":" + poll.inFlight()
                + ",\"waiting\":" + poll.waiting() + degraded();
        if (reason == null) {
            return new Answer(200, "{\"status\":\"UP\"," + load + "}");
        }
        return new Answer(503, "{\"status\":\"DOWN\",\"reason\":\"" + reason + "\"," + load + "}");
    }

    /** {@code ,"degraded":{"vendor":"open"}}, or nothing while every breaker is closed. */
    private String degraded() {
        Map<String, String> open = degraded.get();
        if (open.isEmpty()) {
            return "";
        }
        StringBuilder json = new StringBuilder(",\"degraded\":{");
        open.forEach((service, state) -> json.append(json.charAt(json.length() - 1) == '{' ? "" : ",")
                .append('"').append(service).append("\":\"").append(state).append('"'));
        return json.append('}').toString();
    }

    private boolean pollLate() {
        return Duration.between(poll.lastPoll(), clock.instant()).compareTo(READY_STALE_AFTER) > 0;
    }

    private static Answer down(String reason, PollHealth.Phase phase, long sinceMs) {
        return new Answer(503, "{\"status\":\"DOWN\",\"reason\":\"" + reason + "\",\"phase\":\"" + phase(phase)
                + "\",\"lastPollMsAgo\":" + sinceMs + "}");
    }

    private static String phase(PollHealth.Phase phase) {
        return phase.name().toLowerCase(java.util.Locale.ROOT);
    }
}
