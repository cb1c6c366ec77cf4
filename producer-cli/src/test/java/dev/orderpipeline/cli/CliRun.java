package dev.orderpipeline.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import java.util.SplittableRandom;
import picocli.CommandLine;

/**
 * Runs order-cli in-process as its composition root builds it, with captured stdout and stderr:
 * what a user would see, minus the process.
 */
record CliRun(int exitCode, String out, String err) {

    static CliRun execute(Map<String, String> environment, String... args) {
        return execute(environment, new ByteArrayInputStream(new byte[0]), args);
    }

    static CliRun execute(Map<String, String> environment, InputStream stdin, String... args) {
        CliContext context = new CliContext(environment, Clock.systemUTC(), new SplittableRandom(1), stdin);
        CommandLine cli = OrderCli.commandLine(context);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
