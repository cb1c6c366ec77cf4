package dev.orderpipeline.testkafka;

/**
 * A broker the tests of this JVM share.
 *
 * @param bootstrapServers where clients connect
 * @param description      for the one log line saying which broker the tests use
 * @param stop             run once by the JVM shutdown hook; does nothing for a broker we did not start
 */
record RunningBroker(String bootstrapServers, String description, Runnable stop) {}
