package io.flashsale.journal.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.journal.audit.HistoryReplay;
import io.flashsale.journal.audit.JournalFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code dump}: every command with its outcome, as JSON lines. */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    description = {
        "Every command with its outcome, as JSON lines.",
        "",
        "Replays the journal and prints one JSON object per command, with its outcome, one per line.",
        "--from / --to take a journal sequence (a number) or an ISO-8601 time; both are inclusive."})
final class DumpCommand implements Callable<Integer>
{
    @Mixin
    JournalOptions options;

    @Option(names = "--sale", paramLabel = "ID", description = "Only commands about this sale (purchases in it, payments and cancellations of its orders).")
    Long saleFilter;

    @Option(names = "--user", paramLabel = "ID", description = "Only commands of this shopper.")
    Long userFilter;

    @Option(names = "--from", paramLabel = "INDEX|TIME", converter = Bound.Converter.class, description = "First sequence or time.")
    Bound from;

    @Option(names = "--to", paramLabel = "INDEX|TIME", converter = Bound.Converter.class, description = "Last sequence or time.")
    Bound to;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final JournalFolder folder = options.folder();
        try (HistoryReplay history = HistoryReplay.open(folder);
             JsonGenerator json = new JsonFactory().createGenerator(out))
        {
            json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            final long[] written = {0};
            final HistoryReplay.Result result;
            try (Progress progress = Progress.start("dump", history.lastRecordSequence(), !options.noProgress))
            {
                result = history.replay((sequence, index, command, engine) ->
                {
                    if (to != null && to.isSequence() && sequence > to.value())
                    {
                        return false;
                    }
                    if (selected(sequence, command))
                    {
                        write(json, sequence, index, command);
                        written[0]++;
                    }
                    return true;
                }, progress);
            }
            if (written[0] > 0)
            {
                json.writeRaw('\n');
            }
            json.flush();
            if (result.damaged())
            {
                err.println("error: " + result.problemSummary() + (result.poison() ? "" : " (run `verify`)"));
                return JournalCli.UNREADABLE;
            }
            if (result.records() == 0)
            {
                err.println("error: empty journal: " + folder.queue() + " holds no records");
                return JournalCli.UNREADABLE;
            }
            return JournalCli.OK;
        }
    }

    private boolean selected(final long sequence, final CommandEvent command)
    {
        if (from != null && from.below(sequence, command.timestamp) || to != null && to.above(sequence, command.timestamp))
        {
            return false;
        }
        if (userFilter != null && command.userId != userFilter)
        {
            return false;
        }
        if (saleFilter != null)
        {
            final long sale = command.type == CommandType.PURCHASE ? command.saleId : command.resultSaleId;
            return sale == saleFilter;
        }
        return true;
    }

    private static void write(final JsonGenerator json, final long sequence, final long index, final CommandEvent command)
    {
        try
        {
            json.writeStartObject();
            json.writeNumberField("seq", sequence);
            json.writeStringField("index", "0x" + Long.toHexString(index));
            json.writeNumberField("time", command.timestamp);
            json.writeStringField("at", Instant.ofEpochMilli(command.timestamp).toString());
            json.writeStringField("type", command.type.name());
            switch (command.type)
            {
                case CREATE_SALE ->
                {
                    json.writeStringField("name", command.textAsString());
                    json.writeNumberField("stock", command.stock);
                    json.writeNumberField("startsAt", command.startsAt);
                    json.writeNumberField("endsAt", command.endsAt);
                    json.writeNumberField("perUserLimit", command.perUserLimit);
                    json.writeNumberField("paymentWindowMillis", command.paymentWindowMillis);
                }
                case PURCHASE ->
                {
                    json.writeNumberField("saleId", command.saleId);
                    json.writeNumberField("userId", command.userId);
                    json.writeNumberField("qty", command.qty);
                    if (command.idempotencyKey != 0)
                    {
                        json.writeNumberField("idempotencyKey", command.idempotencyKey);
                    }
                }
                case PAY, CANCEL ->
                {
                    json.writeNumberField("orderId", command.orderId);
                    json.writeNumberField("userId", command.userId);
                    if (command.type == CommandType.PAY)
                    {
                        json.writeStringField("paymentRef", command.textAsString());
                    }
                }
                default ->
                {
                }
            }
            json.writeStringField("outcome", command.outcome.name());
            if (command.type == CommandType.CREATE_SALE)
            {
                if (command.resultSaleId != 0)
                {
                    json.writeNumberField("resultSaleId", command.resultSaleId);
                }
            }
            else if (command.resultOrderId != 0)
            {
                json.writeObjectFieldStart("order");
                json.writeNumberField("id", command.resultOrderId);
                json.writeNumberField("saleId", command.resultSaleId);
                json.writeNumberField("userId", command.resultUserId);
                json.writeNumberField("qty", command.resultQty);
                json.writeNumberField("deadline", command.resultDeadline);
                json.writeStringField("state", command.resultOrderState.name());
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
