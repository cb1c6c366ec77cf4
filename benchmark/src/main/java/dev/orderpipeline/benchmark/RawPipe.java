package dev.orderpipeline.benchmark;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * W0, the ceiling: consume bytes, produce the same key and bytes to the output topic, commit
 * asynchronously once per poll. No JSON, no steps, no waiting for acks before the commit (so
 * it is not at-least-once: it is what Kafka alone costs on this machine).
 *
 * <p>{@code RawPipe --bootstrap-servers B --in T --out T --group-id G}; stops on SIGTERM.
 */
public final class RawPipe {

    /** Set by the harness, which starts this in a child JVM. */
    @Command(name = "RawPipe")
    static final class Options {
        @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
        String bootstrapServers;

        @Option(names = "--in", required = true, paramLabel = "TOPIC")
        String in;

        @Option(names = "--out", required = true, paramLabel = "TOPIC")
        String out;

        @Option(names = "--group-id", required = true, paramLabel = "GROUP")
        String groupId;
    }

    private RawPipe() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options opts = new Options();
        try {
            new CommandLine(opts).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("RawPipe: " + e.getMessage());
            System.exit(2);
        }
        String bootstrap = opts.bootstrapServers;
        String in = opts.in;
        String out = opts.out;
        var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, opts.groupId,
                // Same as the worker: commits are ours, a new group starts at the backlog's beginning.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        var producer = new KafkaProducer<byte[], byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                // The worker's producer settings, so the comparison is about the worker, not the client.
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        var stopped = new CountDownLatch(1);
        // Written by the SIGTERM hook, read by the poll loop.
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            stop.set(true);
            consumer.wakeup();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Stopped as asked, like the worker: exit 0 rather than the JVM's 143 for SIGTERM.
            Runtime.getRuntime().halt(0);
        }));
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        try {
            consumer.subscribe(List.of(in));
            while (!stop.get()) {
                var records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    producer.send(new ProducerRecord<>(out, r.key(), r.value()));
                }
                if (!records.isEmpty()) {
                    consumer.commitAsync();
                }
                if (parent != null && !parent.isAlive()) {
                    break; // the harness died without stopping us
                }
            }
        } catch (WakeupException e) {
            // SIGTERM
        } finally {
            producer.close(Duration.ofSeconds(10));
            consumer.close();
            stopped.countDown();
        }
    }
}
