package io.flashsale.engine.pipeline;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.model.ReferenceEngine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener that copies every reply it gets (the ring reuses the event) and counts replies per
 * attachment, so tests can check that each accepted command was answered exactly once.
 * Called on the reply thread; read from any thread.
 */
final class ReplyRecorder implements ReplyListener
{
    record Reply(Object attachment, CommandType type, ReferenceEngine.Result result, String thread)
    {
    }

    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final Map<Object, AtomicInteger> countByAttachment = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public void onReply(final CommandEvent event)
    {
        replies.add(new Reply(event.attachment, event.type, ReferenceEngine.Result.of(event), Thread.currentThread().getName()));
        if (event.attachment != null)
        {
            countByAttachment.computeIfAbsent(event.attachment, k -> new AtomicInteger()).incrementAndGet();
        }
        count.incrementAndGet();
    }

    int count()
    {
        return count.get();
    }

    int countFor(final Object attachment)
    {
        final AtomicInteger n = countByAttachment.get(attachment);
        return n == null ? 0 : n.get();
    }

    Map<Object, AtomicInteger> countsByAttachment()
    {
        return countByAttachment;
    }

    List<Reply> replies()
    {
        return new ArrayList<>(replies);
    }

    Reply the(final Object attachment)
    {
        return replies.stream().filter(r -> attachment.equals(r.attachment())).findFirst()
            .orElseThrow(() -> new AssertionError("no reply for " + attachment));
    }

    /** Waits until at least {@code n} replies arrived; fails the test after a generous bound. */
    void awaitCount(final int n)
    {
        Poll.until(() -> count.get() >= n, Duration.ofSeconds(20), () -> "replies: " + count.get() + " of " + n);
    }
}
