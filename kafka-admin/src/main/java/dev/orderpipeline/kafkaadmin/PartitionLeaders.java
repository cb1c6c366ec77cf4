package dev.orderpipeline.kafkaadmin;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Waiting until new topics can be written to. Creating a topic returns once the controller has
 * recorded it; each partition's leader starts serving a little later. An idempotent producer
 * that sends into that window gets NOT_LEADER_OR_FOLLOWER, then OUT_OF_ORDER_SEQUENCE_NUMBER,
 * and can hold the partition's records until its delivery timeout (120 s by default). Only a
 * partition's leader answers "latest offset", so that answer, for every partition, is the
 * readiness check.
 */
public final class PartitionLeaders {

    /**
     * Between two asks while a topic is still unknown. The broker answering learns of a new topic
     * from the controller's metadata a few milliseconds after creation, and no Admin call waits
     * for that: describeTopics and listOffsets both fail at once on a topic they do not know
     * (listOffsets retries by itself only while a known partition has no leader, until its
     * timeout). Short, because the wait it bridges is short.
     */
    private static final Duration UNKNOWN_TOPIC_BACKOFF = Duration.ofMillis(50);

    private PartitionLeaders() {
    }

    /**
     * Returns once every partition of {@code topics} answers its latest offset from its leader.
     * Partitions are looked up, so topics that existed before, with any partition count, are
     * waited for as well. Every failure is asked again until {@code timeout}, as each caller did
     * before this was shared: a topic the broker does not know yet fails exactly like one that
     * does not exist.
     *
     * @throws TimeoutException     if some partition is not served within {@code timeout}; its
     *                              message names the topics, its cause is the last failure seen
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public static void await(Admin admin, Collection<String> topics, Duration timeout)
            throws InterruptedException, TimeoutException {
        List<String> names = List.copyOf(topics);
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names,
                                new DescribeTopicsOptions().timeoutMs(millisUntil(deadline)))
                        .allTopicNames().get(nanosUntil(deadline), TimeUnit.NANOSECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                described.forEach((name, description) -> description.partitions().forEach(
                        p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(latest, new ListOffsetsOptions().timeoutMs(millisUntil(deadline)))
                        .all().get(nanosUntil(deadline), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                last = e.getCause();
            } catch (TimeoutException e) {
                // Out of time inside a call: the broker's last answer, if any, says more than this.
                last = last == null ? e : last;
            }
            long left = nanosUntil(deadline);
            if (left <= 0) {
                TimeoutException timedOut = new TimeoutException("partitions of " + names
                        + " not served by a leader within " + timeout.toMillis() + " ms; last: " + last);
                timedOut.initCause(last);
                throw timedOut;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, UNKNOWN_TOPIC_BACKOFF.toNanos()));
        }
    }

    private static long nanosUntil(long deadline) {
        return deadline - System.nanoTime();
    }

    /** The Admin call's own timeout: what is left of the wait, at least 1 ms. */
    private static int millisUntil(long deadline) {
        return Math.clamp(TimeUnit.NANOSECONDS.toMillis(nanosUntil(deadline)), 1, Integer.MAX_VALUE);
    }
}
