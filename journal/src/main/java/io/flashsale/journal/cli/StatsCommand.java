package io.flashsale.journal.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderTable;
import io.flashsale.engine.sale.Sale;
import io.flashsale.journal.audit.HistoryReplay;
import io.flashsale.journal.audit.JournalFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code stats}: per-sale figures from a replay of the whole journal. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
        "Per-sale figures: stock, sold, paid, cancelled, expired, buyers, commands per second.",
        "",
        "Replays the journal and prints, per sale: stock, sold (units held by buyers at the end: reserved + paid),",
        "reserved, paid, cancelled and expired units, available, distinct buyers, orders, commands, first and last",
        "command time, and commands per second over that span. --json for machines."})
final class StatsCommand implements Callable<Integer>
{
    @Mixin
    JournalOptions options;

    @Option(names = "--sale", paramLabel = "ID", description = "Only this sale.")
    Long saleFilter;

    @Option(names = "--json", description = "One JSON document instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** What the replay learns about one sale beyond the engine's own counts. */
    private static final class Activity
    {
        long commands;
        long firstAt = Long.MAX_VALUE;
        long lastAt = Long.MIN_VALUE;
        long orders;

        void seen(final long timestamp)
        {
            commands++;
            firstAt = Math.min(firstAt, timestamp);
            lastAt = Math.max(lastAt, timestamp);
        }
    }

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final JournalFolder folder = options.folder();
        final Map<Long, Activity> activity = new HashMap<>();
        final Map<CommandType, Long> byType = new EnumMap<>(CommandType.class);
        final long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
        try (HistoryReplay history = HistoryReplay.open(folder))
        {
            final HistoryReplay.Result result;
            try (Progress progress = Progress.start("stats", history.lastRecordSequence(), !options.noProgress))
            {
                result = history.replay((sequence, index, command, engine) ->
                {
                    byType.merge(command.type, 1L, Long::sum);
                    span[0] = Math.min(span[0], command.timestamp);
                    span[1] = Math.max(span[1], command.timestamp);
                    final long saleId = saleOf(command);
                    if (saleId != 0)
                    {
                        activity.computeIfAbsent(saleId, id -> new Activity()).seen(command.timestamp);
                    }
                    return true;
                }, progress);
            }
            if (result.damaged())
            {
                err.println("error: " + result.problemSummary() + " (run `verify`)");
                return JournalCli.UNREADABLE;
            }
            if (result.records() == 0)
            {
                err.println("error: empty journal: " + folder.queue() + " holds no records");
                return JournalCli.UNREADABLE;
            }
            final SaleEngine engine = history.engine();
            if (saleFilter != null && engine.sale(saleFilter) == null)
            {
                err.println("error: no sale " + saleFilter + " in this journal (it has " + engine.saleCount() + ")");
                return JournalCli.UNREADABLE;
            }
            final OrderTable orders = engine.orders();
            for (long orderId = 1; orderId <= orders.count(); orderId++)
            {
                activity.computeIfAbsent(orders.saleId(orderId), id -> new Activity()).orders++;
            }

            final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            final ObjectNode document = mapper.createObjectNode();
            final ObjectNode journal = document.putObject("journal");
            journal.put("folder", folder.root().toString());
            journal.put("commands", result.records());
            journal.put("lastSequence", result.lastSequence());
            journal.put("firstCommandAt", Instant.ofEpochMilli(span[0]).toString());
            journal.put("lastCommandAt", Instant.ofEpochMilli(span[1]).toString());
            final ObjectNode types = journal.putObject("commandsByType");
            byType.forEach((type, count) -> types.put(type.name(), count));
            final ArrayNode sales = document.putArray("sales");
            for (long saleId = 1; saleId <= engine.saleCount(); saleId++)
            {
                if (saleFilter == null || saleFilter == saleId)
                {
                    sales.add(saleNode(mapper, engine.sale(saleId), activity.getOrDefault(saleId, new Activity())));
                }
            }
            if (json)
            {
                out.println(mapper.writeValueAsString(document));
            }
            else
            {
                printTable(out, document);
            }
            out.flush();
            return JournalCli.OK;
        }
    }

    /** The sale a command concerns: the one it names or the one of the order it names; 0 for none. */
    private static long saleOf(final CommandEvent command)
    {
        if (command.type == CommandType.PURCHASE)
        {
            return command.saleId;
        }
        if (command.type == CommandType.CREATE_SALE)
        {
            return command.outcome == Outcome.SALE_CREATED ? command.resultSaleId : 0;
        }
        return command.resultSaleId;
    }

    private static ObjectNode saleNode(final ObjectMapper mapper, final Sale sale, final Activity activity)
    {
        final ObjectNode node = mapper.createObjectNode();
        node.put("id", sale.id);
        node.put("name", sale.name);
        node.put("stock", sale.stock);
        node.put("sold", sale.reservedUnits + sale.paidUnits);
        node.put("reserved", sale.reservedUnits);
        node.put("paid", sale.paidUnits);
        node.put("cancelled", sale.cancelledUnits);
        node.put("expired", sale.expiredUnits);
        node.put("available", sale.available);
        node.put("distinctBuyers", sale.distinctBuyers);
        node.put("orders", activity.orders);
        node.put("commands", activity.commands);
        if (activity.commands > 0)
        {
            node.put("firstCommandAt", Instant.ofEpochMilli(activity.firstAt).toString());
            node.put("lastCommandAt", Instant.ofEpochMilli(activity.lastAt).toString());
            final double seconds = Math.max(1, activity.lastAt - activity.firstAt) / 1000.0;
            node.put("commandsPerSecond", Math.round(activity.commands / seconds * 10) / 10.0);
        }
        return node;
    }

    private static void printTable(final PrintWriter out, final ObjectNode document)
    {
        final ObjectNode journal = (ObjectNode)document.get("journal");
        out.printf("journal %s: %d commands (sequence 1..%d), %s .. %s%n", journal.get("folder").asText(), journal.get("commands").asLong(),
            journal.get("lastSequence").asLong(), journal.get("firstCommandAt").asText(), journal.get("lastCommandAt").asText());
        out.printf("%6s %-20s %9s %9s %9s %9s %9s %9s %9s %8s %9s %9s %-24s %-24s %10s%n",
            "sale", "name", "stock", "sold", "reserved", "paid", "cancelled", "expired", "available", "buyers", "orders", "commands",
            "first command", "last command", "cmds/s");
        for (final var sale : document.get("sales"))
        {
            out.printf("%6d %-20s %9d %9d %9d %9d %9d %9d %9d %8d %9d %9d %-24s %-24s %10.1f%n",
                sale.get("id").asLong(), abbreviate(sale.get("name").asText()), sale.get("stock").asLong(), sale.get("sold").asLong(),
                sale.get("reserved").asLong(), sale.get("paid").asLong(), sale.get("cancelled").asLong(), sale.get("expired").asLong(),
                sale.get("available").asLong(), sale.get("distinctBuyers").asLong(), sale.get("orders").asLong(), sale.get("commands").asLong(),
                sale.path("firstCommandAt").asText("-"), sale.path("lastCommandAt").asText("-"), sale.path("commandsPerSecond").asDouble());
        }
    }

    private static String abbreviate(final String name)
    {
        return name.length() <= 20 ? name : name.substring(0, 19) + "…";
    }
}
