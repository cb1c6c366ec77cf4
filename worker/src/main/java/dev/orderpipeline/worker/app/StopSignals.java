package dev.orderpipeline.worker.app;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT, from the first statement of {@code main}: while the worker is still
 * starting (parsing, connecting, which can take up to {@code --connect-timeout}) a signal
 * abandons start-up by interrupting the starting thread; once it runs, a signal asks it to drain
 * and stop. Without this, a signal during start-up killed the JVM with exit 143 instead of the
 * documented 0. Installing touches nothing but {@code sun.misc.Signal}: logging is set up only
 * when a signal comes, so that the handlers are in place a few milliseconds after {@code main}
 * begins.
 *
 * <p>Thread-safe: the JVM's signal threads call {@link #received(String)}, the main thread the rest.
 */
final class StopSignals {

    private final Thread starter;
    @GuardedBy("this")
    private Worker worker;
    @GuardedBy("this")
    private boolean received;

    private StopSignals(Thread starter) {
        this.starter = starter;
    }

    /** Handles SIGTERM and SIGINT from now on; the calling thread is the one that starts the worker. */
    static StopSignals install() {
        StopSignals signals = new StopSignals(Thread.currentThread());
        Signal.handle(new Signal("TERM"), signal -> signals.received("SIGTERM"));
        Signal.handle(new Signal("INT"), signal -> signals.received("SIGINT"));
        return signals;
    }

    synchronized void received(String name) {
        Logger log = LoggerFactory.getLogger(StopSignals.class);
        received = true;
        if (worker != null) {
            log.info("{} received: stopping", name);
            worker.requestStop();
        } else {
            log.info("{} received while starting: abandoning start-up", name);
            starter.interrupt();
        }
    }

    /**
     * Start-up is over: later signals stop {@code started}; one that came meanwhile stops it
     * now. Called by the starting thread.
     */
    synchronized void started(Worker started) {
        worker = started;
        if (received) {
            // The interrupt aimed at start-up, which finished anyway: it is answered by stopping.
            Thread.interrupted();
            started.requestStop();
        }
    }

    /** Whether a stop signal has come. */
    synchronized boolean stopRequested() {
        return received;
    }
}
