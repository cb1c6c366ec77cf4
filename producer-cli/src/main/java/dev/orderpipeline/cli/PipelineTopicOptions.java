package dev.orderpipeline.cli;

import dev.orderpipeline.contract.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The three topics of the pipeline, for the commands that use all of them ({@code run}, {@code verify}). */
final class PipelineTopicOptions {

    @Option(names = "--orders-topic", paramLabel = "TOPIC", defaultValue = Topics.ORDERS,
            description = "Topic the orders are on. Default: ${DEFAULT-VALUE}.")
    String orders;

    @Option(names = "--results-topic", paramLabel = "TOPIC", defaultValue = Topics.RESULTS,
            description = "Topic the outcomes appear on. Default: ${DEFAULT-VALUE}.")
    String results;

    @Option(names = "--dlt-topic", paramLabel = "TOPIC", defaultValue = Topics.DEAD_LETTERS,
            description = "Topic malformed records are dead-lettered to. Default: ${DEFAULT-VALUE}.")
    String deadLetters;

    /** Each topic with the option that named it, for the cluster check's error messages. */
    Map<String, String> byOption() {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put(orders, "--orders-topic");
        topics.put(results, "--results-topic");
        topics.put(deadLetters, "--dlt-topic");
        return topics;
    }
}
