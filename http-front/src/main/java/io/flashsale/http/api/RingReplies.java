package io.flashsale.http.api;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.http.limit.InFlightLimit;

/**
 * The one reply listener of the front. On the reply thread it copies the result out of the ring
 * event into the {@link Call} that rode along as the attachment, frees the in-flight slot, and
 * hands the call to its exchange's IO thread, which writes the answer (measured faster here than
 * writing from the ring thread, and it keeps Undertow's threading rules). Stateless.
 */
final class RingReplies implements ReplyListener
{
    private final InFlightLimit inFlight;

    RingReplies(final InFlightLimit inFlight)
    {
        this.inFlight = inFlight;
    }

    @Override
    public void onReply(final CommandEvent event)
    {
        final Call call = (Call)event.attachment;
        call.outcome = event.outcome;
        call.resultOrderId = event.resultOrderId;
        call.resultSaleId = event.resultSaleId;
        call.resultQty = event.resultQty;
        call.resultDeadline = event.resultDeadline;
        call.resultState = event.resultOrderState;
        inFlight.release();
        call.exchange.getIoThread().execute(call);
    }
}
