package dev.orderpipeline.worker.security;

import dev.orderpipeline.localkafka.LocalKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * A local single-node broker whose clients must authenticate with SCRAM-SHA-512 and are
 * authorised by ACLs ({@code StandardAuthorizer}, nothing allowed without an ACL), with the
 * super user {@code admin} and any further users the test asks for.
 *
 * <p>Listeners, all on 127.0.0.1: {@code CLIENTS} (SASL_PLAINTEXT, the only one a test's clients
 * use), {@code PLAINTEXT} (the broker's own, and what {@link LocalKafkaBroker} waits on at
 * start-up) and {@code CONTROLLER}. The two unauthenticated ones are the super user (see
 * {@link InternalListenerPrincipalBuilder}); they bootstrap the first SCRAM credentials.
 */
final class ScramBroker implements AutoCloseable {

    static final String MECHANISM = "SCRAM-SHA-512";
    static final String ADMIN = InternalListenerPrincipalBuilder.SUPER_USER;
    private static final String HOST = "127.0.0.1";

    private final LocalKafkaBroker broker;
    private final String saslBootstrap;
    private final String adminPassword;

    private ScramBroker(LocalKafkaBroker broker, String saslBootstrap, String adminPassword) {
        this.broker = broker;
        this.saslBootstrap = saslBootstrap;
        this.adminPassword = adminPassword;
    }

    /** Starts the broker and gives {@code admin} and each of {@code users} (name to password) a SCRAM credential. */
    static ScramBroker start(String adminPassword, Map<String, String> users) throws Exception {
        int internalPort = freePort();
        int controllerPort = freePort();
        int saslPort = freePort();
        Map<String, String> overrides = new HashMap<>();
        overrides.put("listeners", "PLAINTEXT://" + HOST + ":" + internalPort + ",CONTROLLER://" + HOST + ":" + controllerPort
                + ",CLIENTS://" + HOST + ":" + saslPort);
        // Clients are sent back the address of the listener they came in on.
        overrides.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + internalPort + ",CLIENTS://" + HOST + ":" + saslPort);
        overrides.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,CLIENTS:SASL_PLAINTEXT");
        overrides.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        overrides.put("listener.name.clients.sasl.enabled.mechanisms", MECHANISM);
        // The server side of SCRAM needs a login module but no credentials of its own: those are in the metadata log.
        overrides.put("listener.name.clients.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        overrides.put("principal.builder.class", InternalListenerPrincipalBuilder.class.getName());
        overrides.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        overrides.put("super.users", "User:" + ADMIN);
        overrides.put("allow.everyone.if.no.acl.found", "false");
        LocalKafkaBroker broker = LocalKafkaBroker.start(internalPort, overrides);
        try {
            Map<String, String> all = new HashMap<>(users);
            all.put(ADMIN, adminPassword);
            createScramUsers(broker.bootstrapServers(), all);
            ScramBroker secure = new ScramBroker(broker, HOST + ":" + saslPort, adminPassword);
            secure.awaitLogin();
            return secure;
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    /** Where clients connect with SASL_PLAINTEXT. */
    String bootstrapServers() {
        return saslBootstrap;
    }

    /** The client properties that log in as {@code user}: what a worker gets through {@code --kafka}. */
    static Map<String, String> saslProperties(String user, String password) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Client properties of the super user on the SASL listener. */
    Map<String, Object> adminClientProps() {
        Map<String, Object> props = new HashMap<>(saslProperties(ADMIN, adminPassword));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, saslBootstrap);
        return props;
    }

    void createTopics(int partitions, String... names) throws ExecutionException, InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        try (Admin admin = Admin.create(adminClientProps())) {
            admin.createTopics(topics).all().get();
        }
    }

    void createAcls(List<AclBinding> acls) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(adminClientProps())) {
            admin.createAcls(acls).all().get();
        }
    }

    @Override
    public void close() {
        broker.close();
    }

    private static void createScramUsers(String internalBootstrap, Map<String, String> users)
            throws ExecutionException, InterruptedException {
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        users.forEach((user, password) -> alterations.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrap))) {
            admin.alterUserScramCredentials(alterations).all().get();
        }
    }

    /** The credentials reach the broker's metadata cache a moment after the controller took them. */
    private void awaitLogin() {
        org.awaitility.Awaitility.await("admin can log in over SASL").atMost(Duration.ofSeconds(30))
                .pollInSameThread().ignoreExceptions().until(() -> {
                    try (Admin admin = Admin.create(adminClientProps())) {
                        return admin.describeCluster().clusterId().get() != null;
                    }
                });
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
