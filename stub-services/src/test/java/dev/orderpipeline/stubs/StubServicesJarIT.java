package dev.orderpipeline.stubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runnable jar that docker compose and docs/operations.md start: {@code java -jar stub-services.jar},
 * without {@code --enable-preview}, listens and answers. Runs after {@code package}, hence an IT
 * (it needs no broker).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StubServicesJarIT {

    private static final Path JAR = Path.of("target", "stub-services.jar").toAbsolutePath();
    private static final Pattern START_LINE = Pattern.compile("^stub services at (http://\\S+/) ");

    @Test
    void jar_listensOnThePortItNames_andAnswersACourierDispatch() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " was not built");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--port", "0", "--latency", "0ms")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            // Blocks until the line or the process's end; the class-level timeout bounds it.
            String line = out.readLine();
            Matcher m = START_LINE.matcher(String.valueOf(line));
            assertTrue(m.find(), () -> "first line: " + line);

            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create(m.group(1) + "courier-dispatches"))
                            .header("Idempotency-Key", "order-1/courier")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"orderId\":\"order-1\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode(), response.body());
            assertEquals("{\"reference\":\"dispatch-1\"}", response.body());
        } finally {
            process.destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the stub did not stop on SIGTERM");
        }
    }
}
