package dev.orderpipeline.worker.commit;

import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits through the consumer, after the results are acknowledged: a crash between the two
 * redoes the orders finished since the last commit. Poll thread only.
 */
public final class AtLeastOnceCommitter implements Committer {

    private static final Logger log = LoggerFactory.getLogger(AtLeastOnceCommitter.class);

    private final Consumer<byte[], byte[]> consumer;

    public AtLeastOnceCommitter(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    @Override
    public TransactionGate gate() {
        return TransactionGate.ALWAYS_OPEN;
    }

    /** Every result that does not reach the broker would be lost: all are fatal. */
    @Override
    public boolean isFatal(Throwable sendFailure) {
        return true;
    }

    @Override
    public Result commitInterval(Offsets offsets) {
        Map<TopicPartition, OffsetAndMetadata> commit = offsets.committable();
        if (!commit.isEmpty()) {
            // The callback runs on the poll thread, inside a later poll() or commit.
            consumer.commitAsync(commit, (committed, error) -> {
                if (error == null) {
                    offsets.committed(committed);
                } else {
                    // The next interval commits the same or higher offsets; nothing is lost.
                    log.warn("offset commit failed, will retry: {}", error.toString());
                }
            });
        }
        return Result.COMMITTED;
    }

    @Override
    public Result commitNow(Offsets offsets) {
        Map<TopicPartition, OffsetAndMetadata> commit = offsets.committable();
        if (!commit.isEmpty()) {
            consumer.commitSync(commit);
            offsets.committed(commit);
        }
        return Result.COMMITTED;
    }

    @Override
    public void commitBeforeHandOver(Offsets offsets) {
        try {
            commitNow(offsets);
        } catch (RuntimeException e) {
            log.warn("commit on revocation failed; the new owner may process some orders again: {}", e.toString());
        }
    }

    @Override
    public void close() {
    }

    /** Their results are on the broker already; the new owner redoes what was not committed. */
    @Override
    public void partitionsLost(Offsets offsets) {
    }
}
