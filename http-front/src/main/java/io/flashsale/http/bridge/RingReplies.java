package io.flashsale.http.bridge;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.limit.InFlightLimit;
import org.xnio.XnioIoThread;

import java.util.concurrent.RejectedExecutionException;

/**
 * The one reply listener of the {@link RingBridge}. On the reply thread it copies the result out of
 * the ring event into the {@link RequestState} that rode along as the attachment and frees the
 * in-flight slot; the requests of one ring batch are chained per IO thread, and at the end of the
 * batch each IO thread gets its chain as one task ({@link RequestState#run()} answers the whole
 * chain). Writing on the IO
 * thread keeps Undertow's threading rules and was measured faster than writing from the ring
 * thread; one hand-off per IO thread per batch, rather than per reply, saves a lock and a selector
 * wake-up for every reply but the first.
 *
 * <p>Reply thread only: the chains are its own until handed off, and the hand-off (the IO thread's
 * task queue) publishes them.
 */
public final class RingReplies implements ReplyListener
{
    /** Enough for any sensible number of IO threads; more only means more hand-offs. */
    private static final int MAX_CHAINS = 64;
    private static final System.Logger LOG = System.getLogger(RingReplies.class.getName());

    private final InFlightLimit inFlight;
    private final XnioIoThread[] threads = new XnioIoThread[MAX_CHAINS];
    private final RequestState[] heads = new RequestState[MAX_CHAINS];
    private final RequestState[] tails = new RequestState[MAX_CHAINS];
    private int chains;

    public RingReplies(final InFlightLimit inFlight)
    {
        this.inFlight = inFlight;
    }

    @Override
    public void onReply(final CommandEvent event)
    {
        final RequestState request = (RequestState)event.attachment;
        request.result(event.outcome, event.resultOrderId, event.resultSaleId, event.resultQty,
            event.resultDeadline, event.resultOrderState);
        request.inspection(event.resultReservedAt, event.resultSubject);
        inFlight.release();
        chain(request);
    }

    private void chain(final RequestState request)
    {
        final XnioIoThread thread = request.exchange.getIoThread();
        for (int i = 0; i < chains; i++)
        {
            if (threads[i] == thread)
            {
                tails[i].nextInBatch = request;
                tails[i] = request;
                return;
            }
        }
        if (chains == MAX_CHAINS)
        {
            onBatchEnd();
        }
        threads[chains] = thread;
        heads[chains] = request;
        tails[chains] = request;
        chains++;
    }

    @Override
    public void onBatchEnd()
    {
        for (int i = 0; i < chains; i++)
        {
            final RequestState head = heads[i];
            final XnioIoThread thread = threads[i];
            threads[i] = null;
            heads[i] = null;
            tails[i] = null;
            try
            {
                thread.execute(head);
            }
            catch (final RejectedExecutionException stopping)
            {
                // The IO thread is stopping with the server: its connections are being closed anyway.
                LOG.log(System.Logger.Level.DEBUG, "an IO thread refused replies while stopping", stopping);
            }
        }
        chains = 0;
    }
}
