package dev.orderpipeline.cli;

import dev.orderpipeline.cli.orders.BadInputException;
import dev.orderpipeline.cli.orders.GeneratedOrders;
import dev.orderpipeline.cli.orders.JsonLinesOrders;
import dev.orderpipeline.cli.orders.OrderSource;
import dev.orderpipeline.cli.orders.ScenarioMix;
import dev.orderpipeline.cli.pacing.Pacer;
import dev.orderpipeline.contract.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Which orders to send: generated from a scenario mix, or read from a JSON-lines file. A mixin,
 * shared by every command that sends orders.
 */
final class OrderInputOptions {

    /** The options of generated orders. */
    static final class Generated {
        @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "100",
                description = "How many orders to generate. Default: ${DEFAULT-VALUE}.")
        int count;

        @Option(names = "--declines", paramLabel = "SHARE", defaultValue = "0",
                description = "Share (0..1) of orders whose payment is declined.")
        double declines;

        @Option(names = "--vendor-outages", paramLabel = "SHARE", defaultValue = "0",
                description = "Share of orders whose vendor is unavailable.")
        double vendorOutages;

        @Option(names = "--slow-couriers", paramLabel = "SHARE", defaultValue = "0",
                description = "Share of orders whose courier is too slow, so the order times out.")
        double slowCouriers;

        @Option(names = "--crashes", paramLabel = "SHARE", defaultValue = "0",
                description = "Share of orders whose payment step crashes (an internal error).")
        double crashes;

        @Option(names = "--malformed", paramLabel = "SHARE", defaultValue = "0",
                description = "Share of records that are not valid orders (broken JSON, wrong types, missing "
                        + "fields, invalid UTF-8, empty items, negative amount, unknown currency, a JSON array, "
                        + "random bytes, taken in that order), keyed by their order id. "
                        + "The rest of the orders are valid.")
        double malformed;

        @Option(names = "--key-space", paramLabel = "PREFIX",
                description = "Order ids are PREFIX-000001 and up. Default: derived from the seed.")
        String keySpace;

        @Option(names = "--orders-per-key", paramLabel = "N", defaultValue = "1",
                description = "Send each order id, the record key, as N orders in a row, each with its own "
                        + "createdAt, so that 'verify' can find a key answered out of order. "
                        + "Only 'send': 'run' waits for one answer per id. Default: ${DEFAULT-VALUE}.")
        int ordersPerKey;

        @Option(names = "--seed", paramLabel = "LONG",
                description = "Seed for the scenario order and order contents; the summary prints the one used. "
                        + "Default: random.")
        Long seed;
    }

    /** The options of orders read from a file. */
    static final class FromFile {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE",
                description = "Send the orders in FILE, one JSON order per line (- reads stdin); the key is "
                        + "the orderId. Every line is checked before anything is sent.")
        String file;

        @Option(names = "--allow-invalid",
                description = "Send lines that are not orders as they are (key: their orderId, else line-N), "
                        + "to test the dead-letter path, instead of failing with exit 65.")
        boolean allowInvalid;

        @Option(names = "--keep-created-at",
                description = "Send valid lines byte for byte, createdAt included. By default they are "
                        + "re-encoded with createdAt set to the send time. Latency in 'run' is measured from "
                        + "the send either way.")
        boolean keepCreatedAt;
    }

    /** How fast to send. */
    static final class Pacing {
        @Option(names = "--rate", paramLabel = "PER_SECOND",
                description = "Send this many orders a second on a fixed schedule (open loop); each order's "
                        + "createdAt is the moment it was due, so latency includes any time the sender fell "
                        + "behind. Default: as fast as Kafka takes them.")
        Double rate;

        @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "With --rate, instead of --count: send for this long (rate x duration orders).")
        Duration duration;
    }

    private static final List<String> GENERATION_OPTIONS = List.of(
            "--count", "--duration", "--declines", "--vendor-outages", "--slow-couriers", "--crashes", "--malformed",
            "--key-space", "--orders-per-key", "--seed");
    private static final List<String> FILE_ONLY_OPTIONS = List.of("--allow-invalid", "--keep-created-at");

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @ArgGroup(validate = false, heading = "%nGenerated orders (the default):%n")
    Generated generated = new Generated();

    @ArgGroup(validate = false, heading = "%nOrders from a file:%n")
    FromFile fromFile = new FromFile();

    @ArgGroup(validate = false, heading = "%nPace:%n")
    Pacing pacing = new Pacing();

    /**
     * Checks the options and opens the source. A file is read and checked completely here, before
     * any connection is made.
     *
     * @throws CommandLine.ParameterException (exit 64) for contradicting or out-of-range options,
     *                                        or a file that does not exist
     * @throws BadInputException              (exit 65) for lines that are not orders
     */
    OrderSource open(CliContext context) throws IOException, BadInputException {
        return open(context, /* severalOrdersPerKey= */ true);
    }

    /**
     * As {@link #open(CliContext)}; {@code severalOrdersPerKey} false refuses {@code --orders-per-key}
     * above 1, for a command that matches answers to orders by id alone.
     */
    OrderSource open(CliContext context, boolean severalOrdersPerKey) throws IOException, BadInputException {
        CommandLine.ParseResult parsed = command.commandLine().getParseResult();
        if (fromFile.file != null) {
            GENERATION_OPTIONS.stream().filter(parsed::hasMatchedOption).findFirst().ifPresent(option -> {
                throw usage(option + " generates orders; it cannot be combined with --file");
            });
            return readFile(context);
        }
        FILE_ONLY_OPTIONS.stream().filter(parsed::hasMatchedOption).findFirst().ifPresent(option -> {
            throw usage(option + " applies only to --file");
        });
        int count = count(parsed);
        ScenarioMix mix;
        try {
            mix = new ScenarioMix(generated.declines, generated.vendorOutages, generated.slowCouriers,
                    generated.crashes, generated.malformed);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (generated.ordersPerKey < 1) {
            throw usage("--orders-per-key must be at least 1, got " + generated.ordersPerKey);
        }
        if (generated.ordersPerKey > 1 && !severalOrdersPerKey) {
            throw usage("--orders-per-key " + generated.ordersPerKey + ": '" + command.name()
                    + "' waits for one answer per order id; send them with 'send' and check them with 'verify'");
        }
        long seed = generated.seed != null ? generated.seed : context.random().nextLong();
        String keySpace = generated.keySpace != null ? generated.keySpace : GeneratedOrders.defaultKeySpace(seed);
        try {
            return new GeneratedOrders(count, mix, keySpace, seed, generated.ordersPerKey);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * When each order goes out and what its createdAt is: on the --rate schedule, else at once.
     * Call after {@link #open}, which checks the options.
     */
    Pacer pacer(CliContext context) {
        return pacing.rate == null ? Pacer.unpaced(context.clock())
                : Pacer.atRate(pacing.rate, context.clock(), Pacer.sleeping(context.clock()));
    }

    /** --count, or --rate x --duration. */
    private int count(CommandLine.ParseResult parsed) {
        if (pacing.rate != null && (!(pacing.rate > 0) || pacing.rate.isInfinite())) {
            throw usage("--rate must be a positive number of orders per second, got " + pacing.rate);
        }
        if (pacing.duration == null) {
            if (generated.count < 1) {
                throw usage("--count must be at least 1, got " + generated.count);
            }
            return generated.count;
        }
        if (pacing.rate == null) {
            throw usage("--duration needs --rate: it sends rate x duration orders");
        }
        if (parsed.hasMatchedOption("--count")) {
            throw usage("--duration and --count both say how many orders to send; give one");
        }
        double orders = Math.ceil(pacing.rate * pacing.duration.toNanos() / 1e9);
        if (orders < 1 || orders > Integer.MAX_VALUE) {
            throw usage("--rate " + pacing.rate + " for --duration " + Durations.format(pacing.duration)
                    + " makes " + (long) orders + " orders; it must be 1 to " + Integer.MAX_VALUE);
        }
        return (int) orders;
    }

    private OrderSource readFile(CliContext context) throws IOException, BadInputException {
        JsonLinesOrders.Policy policy = new JsonLinesOrders.Policy(fromFile.allowInvalid, fromFile.keepCreatedAt);
        if (fromFile.file.equals("-")) {
            return JsonLinesOrders.read(context.stdin(), "stdin", policy);
        }
        Path path = Path.of(fromFile.file);
        try (InputStream in = Files.newInputStream(path)) {
            return JsonLinesOrders.read(in, fromFile.file, policy);
        } catch (NoSuchFileException e) {
            throw usage("--file " + fromFile.file + ": no such file");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(command.commandLine(), message);
    }
}
