package dev.orderpipeline.worker.offsets;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a newly assigned partition starts: the group's commit, read without blocking the poll
 * thread and one partition's answer independent of another's; without a commit, where
 * {@code auto.offset.reset} says.
 *
 * <p>Why not {@code consumer.committed()}: in exactly-once mode a commit still inside an open
 * transaction cannot be read (the consumer asks for stable offsets, KIP-447), and after its
 * owner was killed that transaction stays open until the broker aborts it, seconds later. The
 * consumer answers for all the partitions asked or for none, in {@code committed()} and in its
 * own start of newly assigned partitions inside {@code poll()}: one held partition would hold
 * every other one with it, and a blocking read would hold the poll thread. The admin client's
 * offset fetch answers per partition and returns a future; a seek to the answer takes the
 * partition out of the consumer's own wait.
 */
public final class GroupCommits {

    /** Reads commits; see {@link #read}. */
    @FunctionalInterface
    interface Reader {
        CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> read(Set<TopicPartition> partitions);
    }

    private final Reader reader;
    private final String offsetReset;

    /**
     * @param offsetReset the consumer's {@code auto.offset.reset}: {@code earliest},
     *                    {@code latest} or {@code none}
     */
    GroupCommits(Reader reader, String offsetReset) {
        this.reader = reader;
        this.offsetReset = offsetReset.strip().toLowerCase(Locale.ROOT);
    }

    /** Through {@code admin}, as a consumer of {@code groupId} that waits for stable offsets when {@code stable} would. */
    public static GroupCommits of(Admin admin, String groupId, boolean stable, String offsetReset) {
        return new GroupCommits(partitions -> admin.listConsumerGroupOffsets(
                        Map.of(groupId, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)),
                        new ListConsumerGroupOffsetsOptions().requireStable(stable))
                .partitionsToOffsetAndMetadata(groupId)
                .toCompletionStage()
                .<Map<TopicPartition, OffsetAndMetadata>>thenApply(HashMap::new)
                .toCompletableFuture(), offsetReset);
    }

    /**
     * Completes with the commits of those of {@code partitions} that can be read now: a
     * partition without a commit maps to {@code null}; one whose commit an open transaction
     * holds is absent. Completes exceptionally if the group cannot be asked.
     */
    CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> read(Set<TopicPartition> partitions) {
        return reader.read(partitions);
    }

    /**
     * Sets where {@code partition} is read from: its {@code commit}, or without one the start or
     * the end of the partition as {@code auto.offset.reset} says, looked up now. With
     * {@code none} the consumer's own start decides (it fails, as that setting asks).
     *
     * <p>The lookup is a seek to an explicit offset, not {@code seekToBeginning}: the consumer
     * resolves such a seek only once it has started every other new partition, which one held
     * commit stops.
     */
    void seekToStart(Consumer<?, ?> consumer, TopicPartition partition, OffsetAndMetadata commit) {
        if (commit != null) {
            consumer.seek(partition, commit);
        } else if (offsetReset.equals("earliest")) {
            consumer.seek(partition, consumer.beginningOffsets(List.of(partition)).get(partition));
        } else if (offsetReset.equals("latest")) {
            consumer.seek(partition, consumer.endOffsets(List.of(partition)).get(partition));
        }
    }
}
