package dev.orderpipeline.worker.security;

import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs a worker principal needs, and no more: the list docs/operations.md gives operators.
 * READ and WRITE each imply DESCRIBE, so DESCRIBE is not granted separately. The idempotent
 * producer needs no IDEMPOTENT_WRITE on the cluster: WRITE on a topic is enough (KIP-679).
 */
record WorkerAcls(String principal, String ordersTopic, String resultsTopic, String deadLetterTopic, String groupId) {

    /** Consume orders: fetch, list offsets and topic metadata. */
    AclBinding readOrders() {
        return allow(ResourceType.TOPIC, ordersTopic, AclOperation.READ);
    }

    /** Publish outcomes. */
    AclBinding writeResults() {
        return allow(ResourceType.TOPIC, resultsTopic, AclOperation.WRITE);
    }

    /** Publish dead letters. */
    AclBinding writeDeadLetters() {
        return allow(ResourceType.TOPIC, deadLetterTopic, AclOperation.WRITE);
    }

    /** Join the group, fetch and commit its offsets. */
    AclBinding readGroup() {
        return allow(ResourceType.GROUP, groupId, AclOperation.READ);
    }

    List<AclBinding> all() {
        return List.of(readOrders(), writeResults(), writeDeadLetters(), readGroup());
    }

    private AclBinding allow(ResourceType type, String name, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
