package dev.orderpipeline.worker.app;

import dev.orderpipeline.worker.consume.PollLoop;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@code order-worker} ended, as its process exit code. The help's exit-code list is made
 * from these constants, and the "Shutdown and exit codes" table of docs/operations.md is checked against them.
 */
enum ExitCode {
    /** Stopped on SIGTERM/Ctrl-C, also during start-up; every order taken has its outcome and is committed. */
    CLEAN(0, "stopped on SIGTERM/Ctrl-C (also during start-up); every order taken has its outcome and is committed"),
    /** A fatal error at run time; the log says which. Uncommitted orders are redone on restart. */
    FAILED(1, "fatal error at run time (see the log); uncommitted orders are redone on restart"),
    /** A bad option or value, a malformed --bootstrap-servers, a taken port, or a JVM without preview features. */
    CONFIG(2, "invalid configuration or runtime: one line names the option or the JVM problem, and the fix"),
    /** Stopped, but some orders did not finish within --drain-budget; they are redone. */
    DRAIN_BUDGET_EXCEEDED(3, "stopped, but some orders did not finish within --drain-budget; they will be redone"),
    /**
     * Kafka could not be used at start-up: a host that does not resolve, no answer within
     * --connect-timeout, credentials refused, or a topic missing without --create-topics.
     */
    KAFKA_UNAVAILABLE(4, "Kafka unusable at start-up: host unknown, no answer within --connect-timeout, "
            + "credentials refused, or a topic missing");

    private final int code;
    private final String description;

    ExitCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    int code() {
        return code;
    }

    String description() {
        return description;
    }

    /** How the poll loop ended, as an exit code. */
    static ExitCode of(PollLoop.Exit exit) {
        return switch (exit) {
            case CLEAN -> CLEAN;
            case FAILED -> FAILED;
            case DRAIN_BUDGET_EXCEEDED -> DRAIN_BUDGET_EXCEEDED;
        };
    }

    /** Code to description, for picocli's exit-code list in the help. */
    static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode code : values()) {
            list.put(Integer.toString(code.code), code.description);
        }
        return list;
    }
}
