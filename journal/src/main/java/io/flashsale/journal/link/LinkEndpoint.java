package io.flashsale.journal.link;

import io.aeron.Subscription;
import org.agrona.concurrent.AgentInvoker;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A UDP address of a link end, {@code HOST:PORT} (an IPv4 address or a name; port 0 on a
 * subscribing end means "any free port", resolved once bound). Immutable.
 */
public record LinkEndpoint(String host, int port)
{
    public LinkEndpoint
    {
        if (host == null || host.isBlank() || host.indexOf(':') >= 0)
        {
            throw new IllegalArgumentException("link host must be a name or an IPv4 address: " + host);
        }
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("link port out of range: " + port);
        }
    }

    /** Parses {@code HOST:PORT}. */
    public static LinkEndpoint parse(final String text)
    {
        final int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException("link address must be HOST:PORT, got " + text);
        }
        try
        {
            return new LinkEndpoint(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("link address must be HOST:PORT, got " + text, ex);
        }
    }

    /** The Aeron UDP channel that sends to this address; UDP even on one host, so the same code crosses machines. */
    public String publicationChannel(final int termLength, final int mtu)
    {
        return "aeron:udp?endpoint=" + this + "|term-length=" + termLength + "|mtu=" + mtu;
    }

    /** The Aeron UDP channel that binds this address, and only it. */
    public String subscriptionChannel()
    {
        return "aeron:udp?endpoint=" + this;
    }

    /**
     * The address {@code subscription} is bound to: {@code configured}, with the port the system
     * chose when it asked for port 0. Waits for the channel to bind (the caller's thread runs the
     * Aeron client's conductor through {@code invoker}).
     */
    public static LinkEndpoint bound(final Subscription subscription, final AgentInvoker invoker, final LinkEndpoint configured)
    {
        if (configured.port() != 0)
        {
            return configured;
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0)
        {
            invoker.invoke();
            final List<String> addresses = subscription.localSocketAddresses();
            if (!addresses.isEmpty())
            {
                final String address = addresses.get(0);
                return new LinkEndpoint(configured.host(), Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        throw new IllegalStateException("link channel " + subscription.channel() + " did not bind within 10 s");
    }

    public byte[] ascii()
    {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString()
    {
        return host + ':' + port;
    }
}
