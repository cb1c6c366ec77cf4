package dev.orderpipeline.worker.security;

import org.apache.kafka.common.security.auth.AuthenticationContext;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.KafkaPrincipalBuilder;
import org.apache.kafka.common.security.auth.KafkaPrincipalSerde;
import org.apache.kafka.common.security.auth.PlaintextAuthenticationContext;
import org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder;

/**
 * The test broker's principal builder: a connection to one of its unauthenticated loopback
 * listeners (the controller's and the internal one the broker uses for itself) is the super
 * user {@code User:admin}, as inter-broker connections are trusted in a real cluster; a SASL
 * connection is {@code User:<name it authenticated as>}, exactly as with Kafka's default builder.
 *
 * <p>It lets the first SCRAM credentials be created without a pre-formatted credential, and
 * keeps {@code super.users=User:admin} the only super user. Instantiated by the broker by name.
 */
public final class InternalListenerPrincipalBuilder implements KafkaPrincipalBuilder, KafkaPrincipalSerde {

    static final String SUPER_USER = "admin";

    // KRaft forwards principals between broker and controller, so the builder must also serialise them.
    private final DefaultKafkaPrincipalBuilder standard = new DefaultKafkaPrincipalBuilder(null, null);

    @Override
    public KafkaPrincipal build(AuthenticationContext context) {
        if (context instanceof PlaintextAuthenticationContext) {
            return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, SUPER_USER);
        }
        return standard.build(context);
    }

    @Override
    public byte[] serialize(KafkaPrincipal principal) {
        return standard.serialize(principal);
    }

    @Override
    public KafkaPrincipal deserialize(byte[] bytes) {
        return standard.deserialize(bytes);
    }
}
