package dev.orderpipeline.cli;

import dev.orderpipeline.cli.kafka.BrokerUnavailableException;
import dev.orderpipeline.cli.orders.BadInputException;
import java.io.IOException;
import picocli.CommandLine;

/**
 * The process exit codes, sysexits(3)-style, so a script can tell "fix the command" from "fix
 * the input" from "try again later". The help footer is generated from these constants, and
 * {@link #of} is the one place that decides which failure gets which code.
 */
enum ExitCode {
    /** Every record was acknowledged; for {@code run}, every order was also answered. */
    OK(0, "success"),
    /**
     * verify: the topics show lost orders (or, with --exactly-once, duplicates). 1, as for diff
     * and cmp: the check ran and the answer is no; every other non-zero code means it could not run.
     */
    CHECK_FAILED(1, "verify: orders lost, or duplicated with --exactly-once"),
    /** Unknown option, bad value, no broker address, unreadable --client-config. Fix the command line. */
    USAGE(64, "usage error: bad option or value, no broker address"),
    /** A line of --file is not an order. Fix the file, or send it as it is with --allow-invalid. */
    DATA_ERROR(65, "bad input data: a line of --file is not an order"),
    /** Kafka unreachable, credentials refused, a topic missing, or records not acknowledged. Retry later. */
    UNAVAILABLE(69, "Kafka unavailable: unreachable, topic missing, or records not acked"),
    /** A bug in order-cli; the message says what to report. */
    SOFTWARE(70, "internal error in order-cli"),
    /** run: some orders got no answer before --timeout: the worker is down, slow, or lost them. */
    TEMP_FAILURE(75, "run: some orders got no outcome within --timeout");

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

    /** {@link #of} as a number, for picocli's exit code mapper. */
    static int codeOf(Throwable failure) {
        return of(failure).code();
    }

    /** The exit code for a command that failed with {@code failure}. */
    static ExitCode of(Throwable failure) {
        return switch (failure) {
            case CommandLine.ParameterException p -> USAGE;
            case BadInputException b -> DATA_ERROR;
            case IOException i -> DATA_ERROR;
            case BrokerUnavailableException b -> UNAVAILABLE;
            default -> SOFTWARE;
        };
    }
}
