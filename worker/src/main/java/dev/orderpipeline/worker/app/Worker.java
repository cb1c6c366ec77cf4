package dev.orderpipeline.worker.app;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.localkafka.LocalKafkaBroker;
import dev.orderpipeline.worker.config.BootstrapServers;
import dev.orderpipeline.worker.config.ConfigException;
import dev.orderpipeline.worker.config.KafkaConnection;
import dev.orderpipeline.worker.config.StepSettings;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.consume.PollLoop;
import dev.orderpipeline.worker.guard.ServiceGuards;
import dev.orderpipeline.worker.guard.StartGate;
import dev.orderpipeline.worker.kafka.KafkaWorker;
import dev.orderpipeline.worker.kafka.StartupChecks;
import dev.orderpipeline.worker.observe.GuardMeters;
import dev.orderpipeline.worker.observe.HealthCheck;
import dev.orderpipeline.worker.observe.HttpEndpoints;
import dev.orderpipeline.worker.observe.KafkaReachability;
import dev.orderpipeline.worker.observe.Metrics;
import dev.orderpipeline.worker.observe.PollHealth;
import dev.orderpipeline.worker.observe.WorkerMetrics;
import dev.orderpipeline.worker.pipeline.OrderPipeline;
import dev.orderpipeline.worker.pipeline.StepTracker;
import dev.orderpipeline.worker.steps.CourierPool;
import dev.orderpipeline.worker.steps.PaymentLedger;
import dev.orderpipeline.worker.steps.SimulatedSteps;
import dev.orderpipeline.worker.trace.Tracing;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the whole worker from a {@link WorkerConfig} and owns what it
 * built. {@link Main} and the tests start the worker through here, so tests run the real thing.
 */
public final class Worker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final LocalKafkaBroker broker;
    private final KafkaWorker kafka;
    private final StepTracker tracker;
    private final CourierPool couriers;
    private final String bootstrapServers;
    private final Metrics metrics;
    private final HttpEndpoints http;
    private final PaymentLedger payments;
    private final Tracing tracing;

    private Worker(LocalKafkaBroker broker, KafkaWorker kafka, StepTracker tracker, CourierPool couriers,
                   String bootstrapServers, Metrics metrics, HttpEndpoints http, PaymentLedger payments,
                   Tracing tracing) {
        this.payments = payments;
        this.tracing = tracing;
        this.broker = broker;
        this.kafka = kafka;
        this.tracker = tracker;
        this.couriers = couriers;
        this.bootstrapServers = bootstrapServers;
        this.metrics = metrics;
        this.http = http;
    }

    /**
     * Starts the worker: the local broker if asked for, a connection check, topics if asked
     * for, the HTTP endpoints, then the poll thread.
     *
     * @throws IllegalStateException if the cluster cannot be reached or used (a topic missing)
     * @throws ConfigException       if the HTTP port cannot be listened on
     */
    public static Worker start(WorkerConfig config, Clock clock) throws InterruptedException {
        return start(config, clock, Tracing.off());
    }

    /**
     * Starts the worker with {@code tracing}, which it owns from here: it is closed (its last
     * spans exported) when the worker has stopped, or at once if start-up fails.
     */
    public static Worker start(WorkerConfig config, Clock clock, Tracing tracing) throws InterruptedException {
        LocalKafkaBroker broker = null;
        Metrics metrics = null;
        HttpEndpoints http = null;
        boolean started = false;
        KafkaConnection connection = config.kafka();
        String bootstrap = connection.bootstrapServers();
        try {
            // The cheap checks first, so that a typo fails before a broker was started for nothing.
            LocalServers.requireFreePort(config.http().port());
            if (connection.embeddedBroker()) {
                LocalServers.requireFreeBrokerPort(connection.embeddedBrokerPort());
            }
            if (!connection.embeddedBroker()) {
                StartupChecks.requireResolvable(bootstrap, BootstrapServers.parse(bootstrap).stream()
                        .map(BootstrapServers.Address::host).toList());
            }
            if (connection.embeddedBroker()) {
                broker = LocalServers.startBroker(connection.embeddedBrokerPort());
                bootstrap = broker.bootstrapServers();
                log.warn("LOCAL DEVELOPMENT BROKER in use at {} (--embedded-broker): single node, data deleted on exit. "
                        + "Not for production.", bootstrap);
            }
            KafkaWorker.Settings settings = KafkaWorker.Settings.of(config, bootstrap);
            String clusterId = StartupChecks.checkConnection(settings, connection.connectTimeout());
            log.info("connected to Kafka cluster {} at {}", clusterId, bootstrap);
            if (config.topics().create() || connection.embeddedBroker()) {
                KafkaWorker.createTopics(settings);
            } else {
                StartupChecks.requireTopics(settings, connection.connectTimeout());
            }
            metrics = Metrics.create();
            WorkerMetrics workerMetrics = new WorkerMetrics(metrics.registry());
            PollHealth health = new PollHealth(clock.instant());
            StepSettings steps = config.steps();
            // Breakers and bulkheads guard real services; simulated steps have none to protect.
            ServiceGuards guards = steps.overHttp()
                    ? new ServiceGuards(List.of(StepName.PAYMENT.label(), StepName.VENDOR.label(), StepName.COURIER.label()),
                            steps.guarding(), config.flow().orderDeadline(), clock, new GuardMeters(metrics.registry()))
                    : null;
            http = LocalServers.listen(config.http().port(), metrics, new HealthCheck(health,
                    HealthCheck.staleAfter(config.delivery().commitInterval()),
                    KafkaReachability.of(bootstrap, clock), clock, guards == null ? Map::of : guards::degraded));
            log.info("metrics and health at http://0.0.0.0:{}/metrics, /health/live, /health/ready", http.port());
            StepTracker tracker = new StepTracker();
            workerMetrics.bindStepThreads(tracker::running);
            CourierPool couriers = new CourierPool(steps.courierPoolSize());
            workerMetrics.bindCourierPool(couriers::inUse, couriers.size());
            Random random = new Random();
            PaymentLedger payments = steps.overHttp() ? null : new PaymentLedger();
            if (payments != null) {
                workerMetrics.bindPaymentLedger(payments::charges, payments::voids);
            }
            OrderPipeline pipeline = steps.overHttp()
                    ? Pipelines.overHttp(config, guards, couriers, tracker, clock, random, workerMetrics, tracing)
                    : Pipelines.of(config, SimulatedSteps.payment(steps.simulation(), random, payments),
                            SimulatedSteps.vendor(steps.simulation(), random),
                            SimulatedSteps.courier(steps.simulation(), random, couriers), tracker, clock, random,
                            workerMetrics, tracing);
            if (steps.overHttp()) {
                log.info("steps call payment at {}, vendor at {}, courier at {}; circuit breakers {}, at most {} calls at "
                                + "once per service", steps.services().payment(), steps.services().vendor(),
                        steps.services().courier(), steps.guarding().breakers() ? "on" : "off",
                        steps.guarding().maxCalls());
            }

            KafkaWorker kafka = KafkaWorker.start(settings, pipeline, new OrderCodec(config.flow().maxOrderBytes()), clock,
                    workerMetrics, health, guards == null ? StartGate.ALWAYS_OPEN : guards, tracing);
            log.info("worker {} consuming {} in group {}; outcomes to {}, dead letters to {}; deadline {} ms, "
                            + "max in flight {}, ordering {}, delivery {}, couriers {}", connection.workerId(),
                    config.topics().orders(), connection.groupId(), config.topics().results(),
                    config.topics().deadLetters(), config.flow().orderDeadline().toMillis(), config.flow().maxInFlight(),
                    config.delivery().ordering().name().toLowerCase(java.util.Locale.ROOT), config.delivery().mode().option(),
                    steps.courierPoolSize());
            if (tracing.on()) {
                log.info("tracing on: spans of every order exported as the OTEL_* variables say");
            }
            Worker worker = new Worker(broker, kafka, tracker, couriers, bootstrap, metrics, http, payments, tracing);
            started = true;
            return worker;
        } finally {
            // Whatever stopped start-up, also an Error: nothing it started may outlive it (the
            // broker's threads would keep the JVM up, its temporary folder would stay behind).
            if (!started) {
                // A stop signal interrupted start-up: the clean-up itself must not be cut short.
                boolean interrupted = Thread.interrupted();
                try {
                    if (http != null) {
                        http.close();
                    }
                    if (metrics != null) {
                        metrics.close();
                    }
                    if (broker != null) {
                        broker.close();
                    }
                    tracing.close();
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    /** Asks the worker to stop: no new orders, in-flight ones finish within the drain budget. */
    public void requestStop() {
        kafka.requestStop();
    }

    /** Waits for the poll loop to end and says how. */
    public PollLoop.Exit awaitExit() throws InterruptedException {
        return kafka.awaitExit();
    }

    /** The address the worker's clients use: the local broker's when embedded. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public StepTracker tracker() {
        return tracker;
    }

    public CourierPool couriers() {
        return couriers;
    }

    /** The simulated payment provider's ledger; {@code null} when the steps call real services over HTTP. */
    public PaymentLedger payments() {
        return payments;
    }

    /** What the worker counted; its totals are logged at stop. */
    public WorkerMetrics stats() {
        return kafka.metrics();
    }

    /** The port of /metrics and /health/*: the one picked when configured as 0. */
    public int httpPort() {
        return http.port();
    }

    public int inFlight() {
        return kafka.inFlight();
    }

    /** Orders running and waiting now, and the most there ever were. */
    public WorkerMetrics.Load load() {
        return kafka.load();
    }

    /** Stops (if not yet stopped), closes the clients and the local broker, and logs the totals. */
    @Override
    public void close() throws InterruptedException {
        try {
            kafka.close();
            log.info("worker stopped: {} step_threads_running={} couriers_in_use={} in_flight_peak={} held_peak={}",
                    kafka.metrics(), tracker.running(), couriers.inUse(), kafka.load().inFlightPeak(),
                    kafka.load().heldPeak());
        } finally {
            // Until here the endpoints answered: live turned 503 when the poll loop ended.
            http.close();
            metrics.close();
            if (broker != null) {
                broker.close();
            }
            // After the drain: the last orders' spans are ended, and exported now.
            tracing.close();
        }
    }
}
