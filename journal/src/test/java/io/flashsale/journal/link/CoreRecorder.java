package io.flashsale.journal.link;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A core's handler for tests: keeps a copy of everything the edges send and, when answering,
 * replies to each command with an outcome derived from it (order id = correlation id + 1000,
 * the command's user and sale echoed), so a test can tell which outcome belongs to which command.
 */
class CoreRecorder implements LinkHandler
{
    record Received(int edgeId, long correlationId, CommandEvent command)
    {
    }

    record Report(int edgeId, long saleId, long attempts, long online, long windowMillis)
    {
    }

    private final List<Received> commands = Collections.synchronizedList(new ArrayList<>());
    final List<Report> reports = new CopyOnWriteArrayList<>();
    final List<Integer> joined = new CopyOnWriteArrayList<>();
    final List<Integer> left = new CopyOnWriteArrayList<>();
    private final boolean answer;
    volatile LinkServer server;

    CoreRecorder(final boolean answer)
    {
        this.answer = answer;
    }

    /** A copy of the commands received so far, in arrival order. */
    List<Received> commands()
    {
        synchronized (commands)
        {
            return new ArrayList<>(commands);
        }
    }

    @Override
    public void onCommand(final int edgeId, final long correlationId, final CommandEvent command)
    {
        final CommandEvent copy = new CommandEvent();
        copy.copyInputFrom(command);
        commands.add(new Received(edgeId, correlationId, copy));
        if (answer)
        {
            server.sendOutcome(edgeId, correlationId, answerTo(correlationId, command));
        }
    }

    static CommandEvent answerTo(final long correlationId, final CommandEvent command)
    {
        final CommandEvent result = new CommandEvent();
        result.outcome = command.type == CommandType.PURCHASE ? Outcome.RESERVED :
            command.type == CommandType.PAY ? Outcome.PAID :
            command.type == CommandType.CANCEL ? Outcome.CANCELLED : Outcome.OK;
        result.resultOrderId = correlationId + 1000;
        result.resultSaleId = command.saleId;
        result.resultUserId = command.userId;
        result.resultQty = command.qty;
        result.resultDeadline = command.timestamp + 60_000;
        result.resultOrderState = command.type == CommandType.PAY ? OrderState.PAID : OrderState.RESERVED;
        return result;
    }

    @Override
    public void onReport(final int edgeId, final long saleId, final long attempts, final long onlineShoppers, final long windowMillis)
    {
        reports.add(new Report(edgeId, saleId, attempts, onlineShoppers, windowMillis));
    }

    @Override
    public void onEdgeJoined(final int edgeId, final LinkEndpoint endpoint)
    {
        joined.add(edgeId);
    }

    @Override
    public void onEdgeLeft(final int edgeId)
    {
        left.add(edgeId);
    }
}
