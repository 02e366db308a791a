package io.flashsale.http.replication;

/**
 * A standby's automatic promotion: the standby's agent asks ({@link #request}) when its primary,
 * which it was in sync with, fell silent or stepped down; this promotes it on a thread of its own
 * (promoting closes the agent that asked) through the server, the same path as
 * {@code POST /admin/replication/promote}, and remembers when and why for the admin view and
 * the metrics. Any thread.
 */
public final class AutomaticPromotion
{
    private static final System.Logger LOG = System.getLogger(AutomaticPromotion.class.getName());
    /** How long a request made while the server is still starting waits for it to be able to promote. */
    private static final long PROMOTER_WAIT_MILLIS = 30_000;

    private final long afterMillis;
    private volatile Runnable promoter;
    private volatile String reason;
    private volatile long promotedAtMillis;
    private volatile String failure;

    /** @param afterMillis replication.failoverAfterMillis; 0: off */
    public AutomaticPromotion(final long afterMillis)
    {
        this.afterMillis = afterMillis;
    }

    /** What promotes this node once the server can (it updates the front's role too). */
    public void promoteWith(final Runnable promoter)
    {
        this.promoter = promoter;
    }

    /** The standby asks to be promoted, saying why. Hands over and returns. */
    public void request(final String why)
    {
        reason = why;
        final Thread thread = new Thread(() -> promote(why), "flashsale-auto-promote");
        thread.setDaemon(true);
        thread.start();
    }

    private void promote(final String why)
    {
        final long asked = System.nanoTime();
        try
        {
            final long deadline = System.currentTimeMillis() + PROMOTER_WAIT_MILLIS;
            Runnable p;
            while ((p = promoter) == null && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(5);
            }
            if (p == null)
            {
                throw new IllegalStateException("the server was not ready to promote within " + PROMOTER_WAIT_MILLIS + " ms");
            }
            p.run();
            promotedAtMillis = System.currentTimeMillis();
            LOG.log(System.Logger.Level.WARNING, "PROMOTED AUTOMATICALLY (" + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked) +
                " ms after the standby asked): " + why);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException ex)
        {
            failure = String.valueOf(ex.getMessage());
            LOG.log(System.Logger.Level.ERROR, "automatic promotion failed (" + why + "): " + ex.getMessage() +
                "; this node stays a standby, promote it by hand once the cause is fixed", ex);
        }
    }

    /** replication.failoverAfterMillis: 0 when off. */
    public long afterMillis()
    {
        return afterMillis;
    }

    /** When this node promoted itself (epoch millis), 0 if it did not. */
    public long promotedAtMillis()
    {
        return promotedAtMillis;
    }

    /** Why it promoted itself (or was asked to), or null. */
    public String reason()
    {
        return reason;
    }

    /** Why an automatic promotion failed, or null. */
    public String failure()
    {
        return failure;
    }
}
