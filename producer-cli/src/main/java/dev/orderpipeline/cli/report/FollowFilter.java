package dev.orderpipeline.cli.report;

import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderStatus;
import java.util.Set;

/**
 * Which events {@code follow} prints. An empty set does not filter. Dead letters have no status:
 * a status filter leaves them out; their error class is the {@code dlt.error.class} header and
 * their order id is the record key.
 */
public record FollowFilter(Set<OrderStatus> statuses, Set<ErrorClass> errorClasses, Set<String> orderIds) {

    public FollowFilter {
        statuses = Set.copyOf(statuses);
        errorClasses = Set.copyOf(errorClasses);
        orderIds = Set.copyOf(orderIds);
    }

    public boolean accepts(FollowedEvent event) {
        return switch (event) {
            case FollowedEvent.Outcome o -> (statuses.isEmpty() || statuses.contains(o.outcome().status()))
                    && (errorClasses.isEmpty() || (o.outcome().errorClass() != null && errorClasses.contains(o.outcome().errorClass())))
                    && (orderIds.isEmpty() || (o.outcome().orderId() != null && orderIds.contains(o.outcome().orderId())));
            case FollowedEvent.DeadLetter d -> statuses.isEmpty()
                    && (errorClasses.isEmpty() || d.record().header(DeadLetterHeaders.ERROR_CLASS)
                            .flatMap(ErrorClass::fromCode).filter(errorClasses::contains).isPresent())
                    && (orderIds.isEmpty() || (d.record().key() != null && orderIds.contains(d.record().key())));
            // Unreadable records are shown only when nothing is filtered: they match no filter.
            case FollowedEvent.Unreadable u -> statuses.isEmpty() && errorClasses.isEmpty() && orderIds.isEmpty();
        };
    }
}
