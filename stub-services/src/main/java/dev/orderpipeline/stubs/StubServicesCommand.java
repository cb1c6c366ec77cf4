package dev.orderpipeline.stubs;

import dev.orderpipeline.contract.Durations;
import dev.orderpipeline.stubs.StubServices.Behaviour;
import dev.orderpipeline.stubs.StubServices.Service;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stub-services}: runs {@link StubServices} until killed, for demos, docker compose and
 * load by hand. {@link #main} only wires; tests call {@link #commandLine()}.
 */
@Command(name = "stub-services", sortOptions = false, usageHelpAutoWidth = true,
        description = "Stand-ins for the payment provider, the vendor system and the courier service over HTTP "
                + "(POST /payments, /vendor-notifications, /courier-dispatches and their undos), with latency "
                + "and failure knobs; idempotency keys are honoured. POST /admin/outages/<payment|vendor|courier>?ms=N "
                + "takes a service down for N ms (its calls answer 503; ms=0 brings it back). Runs until killed.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"1:cannot listen on --host/--port (taken, say)",
                "2:bad option or value: one line names it"})
public final class StubServicesCommand implements Callable<Integer> {

    private static final String NAME = "stub-services";
    private static final int CANNOT_LISTEN = 1;
    private static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--port", defaultValue = "8089", converter = PortConverter.class, paramLabel = "PORT",
            description = "Port to listen on; 0 picks a free one (the start line says which). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "Address to listen on; 0.0.0.0 in a container. Default: the loopback address.")
    InetAddress host;

    @Option(names = "--latency", defaultValue = "20ms", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Mean time before each answer. Default: ${DEFAULT-VALUE}.")
    Duration latency;

    @Option(names = "--jitter", defaultValue = "0ms", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "The latency varies uniformly by up to this much either way. Default: ${DEFAULT-VALUE}.")
    Duration jitter;

    @Option(names = "--payment-failure-rate", defaultValue = "0", converter = RateConverter.class, paramLabel = "0..1",
            description = "Share of fresh payments declined (402). Default: ${DEFAULT-VALUE}.")
    double paymentFailureRate;

    @Option(names = "--vendor-failure-rate", defaultValue = "0", converter = RateConverter.class, paramLabel = "0..1",
            description = "Share of fresh vendor notifications answered 503. Default: ${DEFAULT-VALUE}.")
    double vendorFailureRate;

    @Option(names = "--courier-failure-rate", defaultValue = "0", converter = RateConverter.class, paramLabel = "0..1",
            description = "Share of fresh courier dispatches answered 503. Default: ${DEFAULT-VALUE}.")
    double courierFailureRate;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the jitter and failure draws, for a repeatable run. Default: a new one each start.")
    Long seed;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its one-line usage errors. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new StubServicesCommand());
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(NAME + ": " + e.getMessage() + " (see --help)");
            err.flush();
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof InterruptedException) {
                // Asked to stop (the stub is closed by then): keep the flag for whoever runs this thread.
                Thread.currentThread().interrupt();
                return 0;
            }
            commandLine.getErr().println(NAME + ": stopped by an unexpected error: " + e);
            return CANNOT_LISTEN;
        });
        return cli;
    }

    /** Listens, prints one line saying where, and serves until the process ends (or this thread is interrupted). */
    @Override
    public Integer call() throws InterruptedException {
        InetAddress address = host == null ? InetAddress.getLoopbackAddress() : host;
        StubServices stub;
        try {
            stub = StubServices.start(address, port, Behaviour.succeeding(latency),
                    new Random(seed == null ? System.nanoTime() : seed));
        } catch (IOException e) {
            spec.commandLine().getErr().println(NAME + ": cannot listen on " + address.getHostAddress() + ":" + port
                    + ": " + e.getMessage());
            return CANNOT_LISTEN;
        }
        try (stub) {
            behave(stub, Service.PAYMENT, paymentFailureRate, 402);
            behave(stub, Service.VENDOR, vendorFailureRate, 503);
            behave(stub, Service.COURIER, courierFailureRate, 503);
            PrintWriter out = spec.commandLine().getOut();
            out.println("stub services at " + stub.baseUrl() + " (" + Service.PAYMENT.path() + ", "
                    + Service.VENDOR.path() + ", " + Service.COURIER.path() + "), latency " + latency + " +/- " + jitter
                    + ", failure rates payment " + paymentFailureRate + ", vendor " + vendorFailureRate
                    + ", courier " + courierFailureRate);
            out.flush();
            Thread.currentThread().join();
        } catch (IOException e) {
            // Closing: connections already gone are nothing to report.
        }
        return 0;
    }

    /** Fresh calls to {@code service} fail with {@code status} at {@code rate}; replays answer 200. */
    private void behave(StubServices stub, Service service, double rate, int status) {
        stub.behave(service, new Behaviour(latency, jitter, rate, status, 200));
    }

    /** The project's duration grammar ({@link Durations}) for picocli. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** A share between 0 and 1. */
    static final class RateConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double rate;
            try {
                rate = Double.parseDouble(value.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("\"" + value + "\" is not a number; write a share such as 0.05");
            }
            if (!(rate >= 0.0 && rate <= 1.0)) {
                throw new CommandLine.TypeConversionException("\"" + value + "\" is not between 0 and 1");
            }
            return rate;
        }
    }

    /** A TCP port, or 0 for a free one. */
    static final class PortConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port;
            try {
                port = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("\"" + value + "\" is not a port number");
            }
            if (port < 0 || port > 65535) {
                throw new CommandLine.TypeConversionException("\"" + value + "\" is not a port: 1..65535, or 0 for a free one");
            }
            return port;
        }
    }
}
