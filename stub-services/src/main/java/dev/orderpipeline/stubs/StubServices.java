package dev.orderpipeline.stubs;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Stand-ins for the payment provider, the vendor system and the courier service over HTTP, for
 * tests, demos and the benchmark: configurable latency and failure rates per service,
 * idempotency keys honoured, and a record of every request a client gave up on.
 *
 * <p><b>Why not {@code com.sun.net.httpserver}:</b> its handler cannot see the connection. While
 * a handler waits, nothing reads the socket, so a client that hangs up goes unnoticed; writing a
 * response afterwards does not tell either (the kernel takes the bytes, the peer's reset only
 * comes back later). This server is a minimal HTTP/1.1 one (Content-Length bodies, keep-alive,
 * no pipelining, which {@code java.net.http} does not do) on a plain {@link ServerSocket}, one
 * virtual thread per connection, so one per request in flight.
 *
 * <p><b>How a cancelled request is detected:</b> instead of sleeping its latency, the request's
 * thread blocks reading the connection with the latency as socket timeout. A client that waits
 * sends nothing more, so the read times out and the answer is written. A client that aborts
 * closes the connection: the read returns end-of-stream (FIN) or fails (RST) at once, and the
 * request is recorded in {@link #cancellations()} with its idempotency key, without charging.
 *
 * <p><b>Idempotency:</b> the first successful call for an {@code Idempotency-Key} acts (charges,
 * notifies, dispatches) and gets a fresh reference; later calls with the key act no more and get
 * the same reference, with status {@link Behaviour#replayStatus()} (200, or 409 to test clients).
 * Failed and cancelled calls act on nothing. Thread-safe.
 *
 * <p><b>Undo:</b> each service also takes an undo ({@link Service#undoPath()}: {@code
 * /payments/voids}, {@code /vendor-notifications/retractions}, {@code
 * /courier-dispatches/cancellations}) with the same {@code Idempotency-Key} as the
 * call they undo: the first one undoes it, later ones are replays; an undo for a key that never
 * acted is 404. Undos behave as {@link #behaveUndo} says (succeeding after the initial latency).
 *
 * <p><b>Outages:</b> {@link #outage} takes a service down for a time window (its calls and
 * undos answer 503 after their latency), and so does {@code POST /admin/outages/<service>?ms=N}
 * over HTTP ({@code ms=0} ends it), so a test or a demo can take a dependency down and bring it
 * back while the worker runs.
 */
public final class StubServices implements AutoCloseable {

    /**
     * The three services and the paths the worker's HTTP adapters post to. The paths are the
     * services' API, written here as the worker writes them; the worker's adapter tests run
     * against this stub, so a path that differs fails them.
     */
    public enum Service {
        PAYMENT("/payments", "auth", "/payments/voids"),
        VENDOR("/vendor-notifications", "ack", "/vendor-notifications/retractions"),
        COURIER("/courier-dispatches", "dispatch", "/courier-dispatches/cancellations");

        private final String path;
        private final String referencePrefix;
        private final String undoPath;

        Service(String path, String referencePrefix, String undoPath) {
            this.path = path;
            this.referencePrefix = referencePrefix;
            this.undoPath = undoPath;
        }

        public String path() {
            return path;
        }

        /** Where a call of this service is undone: a void, a retraction, a cancellation. */
        public String undoPath() {
            return undoPath;
        }
    }

    /**
     * How one service behaves.
     *
     * @param latency       mean time before the answer
     * @param jitter        the latency varies uniformly by up to this much either way
     * @param failureRate   share of fresh calls answered {@code failureStatus}, 0..1
     * @param failureStatus e.g. 402 (decline), 503, 429, 422
     * @param replayStatus  status of a repeated call for a key already acted on: 200 or 409
     */
    public record Behaviour(Duration latency, Duration jitter, double failureRate, int failureStatus,
                            int replayStatus) {

        public Behaviour {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(jitter, "jitter");
            if (latency.isNegative() || jitter.isNegative()) {
                throw new IllegalArgumentException("latency and jitter must not be negative");
            }
            if (!(failureRate >= 0.0 && failureRate <= 1.0)) {
                throw new IllegalArgumentException("failureRate must be between 0 and 1, got " + failureRate);
            }
            if (failureStatus < 100 || failureStatus > 599 || (replayStatus != 200 && replayStatus != 409)) {
                throw new IllegalArgumentException("bad status: failure " + failureStatus + ", replay " + replayStatus);
            }
        }

        /** Always succeeds after {@code latency}. */
        public static Behaviour succeeding(Duration latency) {
            return new Behaviour(latency, Duration.ZERO, 0.0, 503, 200);
        }

        /** Every fresh call answers {@code status} after {@code latency}. */
        public static Behaviour failing(int status, Duration latency) {
            return new Behaviour(latency, Duration.ZERO, 1.0, status, 200);
        }

        public Behaviour withReplayStatus(int status) {
            return new Behaviour(latency, jitter, failureRate, failureStatus, status);
        }
    }

    /**
     * A request as it arrived.
     *
     * @param deadlineMillis the {@code Request-Timeout-Ms} header, or -1 without one
     * @param path           where it was posted: the service's path, or its undo path
     * @param traceparent    the W3C {@code traceparent} header, or {@code null} without one: the
     *                       caller's trace, which a real service would continue
     */
    public record Request(Service service, String idempotencyKey, long deadlineMillis, String body, String path,
                          String traceparent) {

        /** Whether this request undoes an earlier call (a void or a retraction). */
        public boolean undo() {
            return path.equals(service.undoPath());
        }
    }

    /**
     * A request whose client closed the connection before the answer was due.
     *
     * @param waited      how long after its arrival the hang-up was seen
     * @param seenAtNanos {@link System#nanoTime()} when it was seen, to compare with the client's times
     */
    public record Cancellation(Service service, String idempotencyKey, Duration waited, long seenAtNanos) {
    }

    private final ServerSocket server;
    private final Thread acceptor;
    // Written by tests or main, read by request threads.
    private final Map<Service, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<Service, Behaviour> undoBehaviours = new ConcurrentHashMap<>();
    // Guarded by synchronizing on itself; only for the stub's own jitter and failure rolls.
    private final RandomGenerator random;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    // Key -> reference of the call that acted; the key's presence means "acted once".
    private final Map<String, String> references = new ConcurrentHashMap<>();
    private final Map<String, Integer> charges = new ConcurrentHashMap<>();
    // Key -> reference of the undo that acted, separate: an undo shares its call's key.
    private final Map<String, String> undone = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Cancellation> cancellations = new CopyOnWriteArrayList<>();
    private final Map<Service, Concurrency> concurrency = new EnumMap<>(Service.class);
    // System.nanoTime() until which a service is down; Long.MIN_VALUE when up. Written by tests
    // or the admin endpoint, read by request threads.
    private final Map<Service, AtomicLong> downUntil = new EnumMap<>(Service.class);
    private final Map<Service, AtomicLong> actedCount = new EnumMap<>(Service.class);
    private final Map<Service, AtomicLong> undoneCount = new EnumMap<>(Service.class);

    /** The admin path that takes a service down: {@code /admin/outages/<service>?ms=N}. */
    public static final String OUTAGE_PATH = "/admin/outages/";

    /** Calls to one service in progress right now, and the most there ever were at once. Thread-safe. */
    private static final class Concurrency {
        private final AtomicInteger now = new AtomicInteger();
        private final AtomicInteger peak = new AtomicInteger();

        void enter() {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        void exit() {
            now.decrementAndGet();
        }
    }

    private StubServices(ServerSocket server, Behaviour behaviour, RandomGenerator random) {
        this.server = server;
        this.random = random;
        for (Service service : Service.values()) {
            behaviours.put(service, behaviour);
            undoBehaviours.put(service, Behaviour.succeeding(behaviour.latency()));
            concurrency.put(service, new Concurrency());
            downUntil.put(service, new AtomicLong(Long.MIN_VALUE));
            actedCount.put(service, new AtomicLong());
            undoneCount.put(service, new AtomicLong());
        }
        this.acceptor = Thread.ofVirtual().name("stub-services-accept").unstarted(this::accept);
    }

    /**
     * Listens on {@code port} of the loopback address (0: a free one), every service behaving
     * as {@code behaviour} until told otherwise.
     */
    public static StubServices start(int port, Behaviour behaviour, RandomGenerator random) throws IOException {
        return start(InetAddress.getLoopbackAddress(), port, behaviour, random);
    }

    /** As {@link #start(int, Behaviour, RandomGenerator)}, on {@code address} (a container needs 0.0.0.0). */
    public static StubServices start(InetAddress address, int port, Behaviour behaviour, RandomGenerator random)
            throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(address, port), 128);
        StubServices stub = new StubServices(server, behaviour, random);
        stub.acceptor.start();
        return stub;
    }

    /** The base URL every adapter can be given, e.g. {@code http://127.0.0.1:40123/}. */
    public URI baseUrl() {
        return URI.create("http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort() + "/");
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Changes how {@code service} behaves for requests that arrive from now on. */
    public void behave(Service service, Behaviour behaviour) {
        behaviours.put(service, Objects.requireNonNull(behaviour, "behaviour"));
    }

    /** Changes how undos of {@code service}'s calls behave, for requests that arrive from now on. */
    public void behaveUndo(Service service, Behaviour behaviour) {
        undoBehaviours.put(service, Objects.requireNonNull(behaviour, "behaviour"));
    }

    /**
     * Takes {@code service} down for {@code duration} from now: every call and undo that arrives
     * meanwhile answers 503 after its latency. {@link Duration#ZERO} brings it back at once;
     * {@code null} keeps it down until told otherwise.
     */
    public void outage(Service service, Duration duration) {
        long until = duration == null ? Long.MAX_VALUE
                : duration.isZero() || duration.isNegative() ? Long.MIN_VALUE : System.nanoTime() + duration.toNanos();
        downUntil.get(service).set(until);
    }

    /** Whether {@code service} is down now. */
    public boolean down(Service service) {
        long until = downUntil.get(service).get();
        return until != Long.MIN_VALUE && (until == Long.MAX_VALUE || System.nanoTime() - until < 0);
    }

    /** Calls of {@code service} that acted (charged, notified, dispatched), each key once. */
    public long actions(Service service) {
        return actedCount.get(service).get();
    }

    /** Undos of {@code service} that acted (voids, retractions, cancellations), each key once. */
    public long undos(Service service) {
        return undoneCount.get(service).get();
    }

    /** How many times the call with {@code idempotencyKey} was undone: 0 or 1, never more. */
    public int undos(String idempotencyKey) {
        return undone.containsKey(idempotencyKey) ? 1 : 0;
    }

    /** How many times the call with {@code idempotencyKey} acted: 0 or 1, never more. */
    public int charges(String idempotencyKey) {
        return charges.getOrDefault(idempotencyKey, 0);
    }

    /** Every request received so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * The most calls to {@code service} (its action and its undo) that were in progress at once,
     * from the request's arrival to its answer or the client's hang-up: what a limit on the
     * caller's side looks like from the service.
     */
    public int peakConcurrentCalls(Service service) {
        return concurrency.get(service).peak.get();
    }

    /** Every request whose client hung up before its answer, in the order they were seen. */
    public List<Cancellation> cancellations() {
        return List.copyOf(cancellations);
    }

    /** Stops listening and closes every connection; requests in flight end without an answer. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : connections) {
            socket.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.add(socket);
            Thread.ofVirtual().name("stub-services-" + socket.getPort()).start(() -> serve(socket));
        }
    }

    /** Answers the requests of one connection, one after the other, until the client closes it. */
    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                if (!answer(requestLine, socket, in, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away between requests or mid-answer: nothing to record.
        } finally {
            connections.remove(socket);
        }
    }

    /** @return whether the connection may carry another request */
    private boolean answer(String requestLine, Socket socket, InputStream in, OutputStream out) throws IOException {
        long arrived = System.nanoTime();
        String[] parts = requestLine.split(" ");
        Map<String, String> headers = new HashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
            }
        }
        if (headers.containsKey("transfer-encoding")) {
            write(out, 411, "{\"error\":\"send a Content-Length\"}", null, /* close= */ true);
            return false;
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        String key = headers.get("idempotency-key");
        if (parts.length == 3 && "POST".equals(parts[0]) && parts[1].startsWith(OUTAGE_PATH)) {
            adminOutage(parts[1], out);
            return true;
        }
        Service service = parts.length == 3 ? service(parts[1]) : null;
        boolean undo = service != null && parts[1].equals(service.undoPath);
        if (service == null || !"POST".equals(parts[0])) {
            write(out, 404, "{\"error\":\"no such service: " + requestLine + "\"}", key, false);
            return true;
        }
        requests.add(new Request(service, key, deadline(headers.get("request-timeout-ms")),
                new String(body, StandardCharsets.UTF_8), parts[1], headers.get("traceparent")));
        if (key == null || key.isBlank()) {
            write(out, 400, "{\"error\":\"Idempotency-Key is required\"}", null, false);
            return true;
        }
        Behaviour behaviour = (undo ? undoBehaviours : behaviours).get(service);
        Concurrency calls = concurrency.get(service);
        calls.enter();
        try {
            return answer(service, key, undo, behaviour, arrived, socket, in, out);
        } finally {
            calls.exit();
        }
    }

    /** Answers one call to {@code service}, counted as in progress by the caller. */
    private boolean answer(Service service, String key, boolean undo, Behaviour behaviour, long arrived, Socket socket,
                           InputStream in, OutputStream out) throws IOException {
        if (clientHungUpWithin(delay(behaviour), socket, in)) {
            long seen = System.nanoTime();
            cancellations.add(new Cancellation(service, key, Duration.ofNanos(seen - arrived), seen));
            return false;
        }
        if (down(service)) {
            write(out, 503, "{\"error\":\"the " + service.name().toLowerCase(Locale.ROOT) + " stub is down (outage)\"}",
                    null, false);
            return true;
        }
        if (undo) {
            answerUndo(service, key, behaviour, out);
            return true;
        }
        String done = references.get(key);
        if (done != null) {
            write(out, behaviour.replayStatus(), "{\"reference\":\"" + done + "\",\"replay\":true}", key, false);
            return true;
        }
        if (roll(behaviour.failureRate())) {
            // No Idempotency-Key echoed: this answer is not about an action taken for the key.
            write(out, behaviour.failureStatus(), "{\"error\":\"simulated " + behaviour.failureStatus() + " from the "
                    + service.name().toLowerCase(Locale.ROOT) + " stub\"}", null, false);
            return true;
        }
        String fresh = service.referencePrefix + "-" + sequence.incrementAndGet();
        String previous = references.putIfAbsent(key, fresh);
        if (previous == null) {
            charges.merge(key, 1, Integer::sum);
            actedCount.get(service).incrementAndGet();
        }
        String reference = previous == null ? fresh : previous;
        write(out, previous == null ? 200 : behaviour.replayStatus(), "{\"reference\":\"" + reference + "\"}", key, false);
        return true;
    }

    /** Undoes what the call with {@code key} did, once; a repeated undo is a replay. */
    private void answerUndo(Service service, String key, Behaviour behaviour, OutputStream out) throws IOException {
        String acted = references.get(key);
        if (acted == null) {
            write(out, 404, "{\"error\":\"nothing to undo for this Idempotency-Key\"}", key, false);
            return;
        }
        String previous = undone.get(key);
        if (previous != null) {
            write(out, behaviour.replayStatus(), "{\"reference\":\"" + previous + "\",\"replay\":true}", key, false);
            return;
        }
        if (roll(behaviour.failureRate())) {
            write(out, behaviour.failureStatus(), "{\"error\":\"simulated " + behaviour.failureStatus() + " from the "
                    + service.name().toLowerCase(Locale.ROOT) + " stub's undo\"}", null, false);
            return;
        }
        String fresh = "undo-" + acted;
        previous = undone.putIfAbsent(key, fresh);
        if (previous == null) {
            undoneCount.get(service).incrementAndGet();
        }
        write(out, previous == null ? 200 : behaviour.replayStatus(),
                "{\"reference\":\"" + (previous == null ? fresh : previous) + "\"}", key, false);
    }

    /** {@code POST /admin/outages/<service>?ms=N}: down for N ms from now; 0 brings it back. */
    private void adminOutage(String target, OutputStream out) throws IOException {
        String rest = target.substring(OUTAGE_PATH.length());
        int query = rest.indexOf('?');
        String name = query < 0 ? rest : rest.substring(0, query);
        String ms = query < 0 ? "" : rest.substring(query + 1);
        Service service = null;
        for (Service s : Service.values()) {
            if (s.name().equalsIgnoreCase(name)) {
                service = s;
            }
        }
        if (service == null || !ms.matches("ms=\\d{1,12}")) {
            write(out, 400, "{\"error\":\"use POST /admin/outages/<payment|vendor|courier>?ms=<milliseconds>\"}", null, false);
            return;
        }
        long millis = Long.parseLong(ms.substring(3));
        outage(service, Duration.ofMillis(millis));
        write(out, 200, "{\"service\":\"" + service.name().toLowerCase(Locale.ROOT) + "\",\"downForMs\":" + millis + "}",
                null, false);
    }

    /**
     * Waits {@code delay} by reading the connection with it as timeout: a waiting client sends
     * nothing, so the read times out; a client that aborted closed the connection, so the read
     * ends at once with end-of-stream or a reset.
     */
    private static boolean clientHungUpWithin(Duration delay, Socket socket, InputStream in) throws IOException {
        long millis = delay.toMillis();
        if (millis <= 0) {
            return false;
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, millis));
        try {
            // Returns -1 at the client's FIN. A byte instead would be a pipelined request, which
            // java.net.http never sends: the connection is dropped all the same, as a hang-up.
            in.read();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the client
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(0);
            }
        }
    }

    private Duration delay(Behaviour behaviour) {
        long jitter = behaviour.jitter().toNanos();
        if (jitter == 0) {
            return behaviour.latency();
        }
        long delta;
        synchronized (random) {
            delta = random.nextLong(-jitter, jitter + 1);
        }
        return Duration.ofNanos(Math.max(0, behaviour.latency().toNanos() + delta));
    }

    private boolean roll(double share) {
        if (share <= 0) {
            return false;
        }
        synchronized (random) {
            return random.nextDouble() < share;
        }
    }

    private static Service service(String path) {
        for (Service service : Service.values()) {
            if (service.path.equals(path) || path.equals(service.undoPath)) {
                return service;
            }
        }
        return null;
    }

    private static long deadline(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void write(OutputStream out, int status, String json, String key, boolean close) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        if (key != null) {
            head.append("Idempotency-Key: ").append(key).append("\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 402 -> "Payment Required";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 429 -> "Too Many Requests";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }

    /** One CRLF-terminated line, or {@code null} at end of stream before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                buffer.write(b);
            }
            if (buffer.size() > 16 * 1024) {
                throw new IOException("header line too long");
            }
        }
        if (b == -1 && buffer.size() == 0) {
            return null;
        }
        return buffer.toString(StandardCharsets.ISO_8859_1);
    }
}
