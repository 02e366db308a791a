package io.flashsale.bench.drill.crash;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.collections.Long2LongHashMap;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's own record of every acknowledged response across all cycles: the orders it was
 * told were reserved, paid and cancelled, and how many purchases got no answer. Each cycle's
 * acknowledgements are also appended to {@code acks.jsonl}, so a failed drill leaves the evidence.
 *
 * <p>Main thread of the drill.
 */
final class Ledger
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Long, Ack> orders = new LinkedHashMap<>();
    private final Long2LongHashMap unknownPurchases = new Long2LongHashMap(0);
    private final List<String> idempotencyViolations = new ArrayList<>();
    private final Path file;
    private long duplicatesConfirmed;

    Ledger(final Path file)
    {
        this.file = file;
    }

    /** Folds one loop's log of one cycle in, and appends it to the file. */
    void add(final CycleLog log, final int cycle) throws IOException
    {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND))
        {
            for (final Ack ack : log.reserved)
            {
                if (orders.putIfAbsent(ack.orderId, ack) != null)
                {
                    idempotencyViolations.add("order " + ack.orderId + " was acknowledged as a new reservation twice");
                }
                final ObjectNode line = event(cycle, "RESERVED", ack.orderId);
                line.put("saleId", ack.saleId).put("shopper", ack.shopper).put("qty", ack.qty)
                    .put("idempotencyKey", ack.idempotencyKey).put("paymentDeadlineMillis", ack.deadlineMillis);
                write(out, line);
            }
            mark(log.payAsked, ack -> ack.payAsked = true);
            mark(log.cancelAsked, ack -> ack.cancelAsked = true);
            for (int i = 0; i < log.paid.size(); i++)
            {
                mark(log.paid.getLong(i), ack -> ack.paid = true);
                write(out, event(cycle, "PAID", log.paid.getLong(i)));
            }
            for (int i = 0; i < log.cancelled.size(); i++)
            {
                mark(log.cancelled.getLong(i), ack -> ack.cancelled = true);
                write(out, event(cycle, "CANCELLED", log.cancelled.getLong(i)));
            }
        }
        log.unknownPurchases.longForEach((sale, count) -> unknownPurchases.put(sale, unknownPurchases.get(sale) + count));
        idempotencyViolations.addAll(log.idempotencyViolations);
        duplicatesConfirmed += log.duplicatesConfirmed;
    }

    private static ObjectNode event(final int cycle, final String event, final long orderId)
    {
        return JSON.createObjectNode().put("cycle", cycle).put("event", event).put("orderId", orderId);
    }

    private static void write(final BufferedWriter out, final ObjectNode line) throws IOException
    {
        out.write(JSON.writeValueAsString(line));
        out.newLine();
    }

    private void mark(final org.agrona.collections.LongArrayList orderIds, final java.util.function.Consumer<Ack> change)
    {
        for (int i = 0; i < orderIds.size(); i++)
        {
            mark(orderIds.getLong(i), change);
        }
    }

    private void mark(final long orderId, final java.util.function.Consumer<Ack> change)
    {
        final Ack ack = orders.get(orderId);
        if (ack != null)
        {
            change.accept(ack);
        }
    }

    List<Ack> all()
    {
        return new ArrayList<>(orders.values());
    }

    /** Orders neither paid nor cancelled as far as the client knows: later cycles may pay or cancel them. */
    List<Ack> open()
    {
        return orders.values().stream().filter(a -> !a.paid && !a.cancelled).toList();
    }

    int size()
    {
        return orders.size();
    }

    long unknownPurchases(final long saleId)
    {
        return unknownPurchases.get(saleId);
    }

    List<String> idempotencyViolations()
    {
        return idempotencyViolations;
    }

    long duplicatesConfirmed()
    {
        return duplicatesConfirmed;
    }

    /** Units of acknowledged orders of a sale that match {@code filter}. */
    long units(final long saleId, final java.util.function.Predicate<Ack> filter)
    {
        return orders.values().stream().filter(a -> a.saleId == saleId && filter.test(a)).mapToLong(a -> a.qty).sum();
    }
}
