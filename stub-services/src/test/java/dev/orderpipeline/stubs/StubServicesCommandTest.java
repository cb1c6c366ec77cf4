package dev.orderpipeline.stubs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The {@code stub-services} command as a user meets it: its help, its usage errors, and the server it starts. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StubServicesCommandTest {

    private static final Pattern BASE_URL = Pattern.compile("stub services at (http://\\S+/) ");

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = StubServicesCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void help_listsEveryFlag_andExitsZero() {
        Run run = run("--help");

        assertEquals(0, run.exitCode(), run.toString());
        for (String flag : new String[] {"--port", "--host", "--latency", "--jitter", "--payment-failure-rate",
                "--vendor-failure-rate", "--courier-failure-rate", "--seed"}) {
            assertTrue(run.out().contains(flag), () -> flag + " in\n" + run.out());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            --latency              | soon
            --jitter               | -5ms
            --payment-failure-rate | 2
            --vendor-failure-rate  | often
            --courier-failure-rate | -0.1
            --port                 | 70000
            --port                 | http
            --seed                 | lucky
            """)
    void badFlagValue_printsOneLineNamingFlagAndValue_andExits2(String flag, String value) {
        Run run = run(flag, value);

        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        String line = run.err().strip();
        assertTrue(line.startsWith("stub-services: "), line);
        assertTrue(line.contains(flag), () -> "the line does not name " + flag + ": " + line);
        assertTrue(line.contains(value), () -> "the line does not name " + value + ": " + line);
    }

    @Test
    void unknownFlag_printsOneLine_andExits2() {
        Run run = run("--latncy", "5ms");

        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("--latncy"), run.err());
    }

    @Test
    void fractionalLatency_isAccepted_asTheWorkerAcceptsIt() {
        CommandLine cli = StubServicesCommand.commandLine();
        cli.parseArgs("--latency", "1.5s");

        assertEquals(Duration.ofMillis(1500), cli.<StubServicesCommand>getCommand().latency);
    }

    @Test
    void server_answersOnItsPort_untilItsThreadIsInterrupted() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = StubServicesCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread server = Thread.ofVirtual().start(() -> exit.set(cli.execute("--port", "0", "--latency", "0ms", "--seed", "1")));

        String baseUrl = await("the start line with the address").atMost(Duration.ofSeconds(10))
                .until(() -> match(out.toString()), url -> url != null);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "payments"))
                        .header("Idempotency-Key", "order-1/payment")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"orderId\":\"order-1\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"reference\":\"auth-1\"}", response.body());
        assertEquals("order-1/payment", response.headers().firstValue("Idempotency-Key").orElse(""));

        server.interrupt();
        assertTrue(server.join(Duration.ofSeconds(10)), "the command did not return after an interrupt");
        assertEquals(0, exit.get());
        IOException refused = assertThrows(IOException.class, () -> client.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "payments")).header("Idempotency-Key", "order-2/payment")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException,
                () -> "the port still answers after the stop: " + refused);
        assertFalse(server.isAlive());
    }

    private static String match(String output) {
        Matcher m = BASE_URL.matcher(output);
        return m.find() ? m.group(1) : null;
    }
}
