package io.flashsale.http.limit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The address a request is limited by. Without trusted proxies it is the connection's peer, and
 * X-Forwarded-For is ignored: anyone can write that header. Behind a load balancer or CDN every
 * shopper's connection comes from the proxy, so one per-IP bucket would throttle the whole crowd;
 * list the proxies in {@code limits.trustedProxies} (addresses or CIDR blocks) and, for a request
 * that arrives from one of them, the client is the rightmost X-Forwarded-For entry that is not
 * itself a trusted proxy. A header that is missing, malformed or names only proxies leaves the
 * peer address: a forged header gains nothing.
 *
 * <p>Only IP literals are parsed, never host names, so the IO thread never waits for DNS.
 * Immutable; any thread.
 */
public final class ClientAddress
{
    private final Block[] trusted;

    private ClientAddress(final Block[] trusted)
    {
        this.trusted = trusted;
    }

    /**
     * @param trustedProxies addresses ("10.1.2.3", "2001:db8::1") or CIDR blocks ("10.0.0.0/8")
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static ClientAddress trusting(final List<String> trustedProxies)
    {
        final List<Block> blocks = new ArrayList<>();
        for (final String entry : trustedProxies)
        {
            final Block block = Block.parse(entry);
            if (block == null)
            {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
            }
            blocks.add(block);
        }
        return new ClientAddress(blocks.toArray(new Block[0]));
    }

    /** Null when {@code entry} is an IP address or CIDR block, else why not. */
    public static String problemWith(final String entry)
    {
        return entry != null && Block.parse(entry) != null ? null : "not an IP address or CIDR block";
    }

    /** The address to limit by; {@code forwardedFor} is the X-Forwarded-For header or null. */
    public InetAddress of(final InetAddress peer, final String forwardedFor)
    {
        if (trusted.length == 0 || forwardedFor == null || !isTrusted(peer))
        {
            return peer;
        }
        int end = forwardedFor.length();
        while (end > 0)
        {
            final int comma = forwardedFor.lastIndexOf(',', end - 1);
            final InetAddress hop = literal(forwardedFor.substring(comma + 1, end).trim());
            if (hop == null)
            {
                return peer;
            }
            if (!isTrusted(hop))
            {
                return hop;
            }
            end = comma < 0 ? 0 : comma;
        }
        return peer;
    }

    private boolean isTrusted(final InetAddress address)
    {
        final byte[] bytes = address.getAddress();
        for (final Block block : trusted)
        {
            if (block.contains(bytes))
            {
                return true;
            }
        }
        return false;
    }

    /** An IPv4 or IPv6 literal, or null: anything else (a host name) is refused, never looked up. */
    static InetAddress literal(final String text)
    {
        if (text.isEmpty() || text.length() > 45)
        {
            return null;
        }
        final boolean colon = text.indexOf(':') >= 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            final boolean hexLetter = c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!(c >= '0' && c <= '9' || c == '.' || colon && (c == ':' || hexLetter)))
            {
                return null;
            }
        }
        if (!colon && !dottedQuad(text))
        {
            return null;
        }
        try
        {
            // A literal by the checks above, so getByName parses it and does not resolve anything.
            return InetAddress.getByName(text);
        }
        catch (final UnknownHostException notAnAddress)
        {
            return null;
        }
    }

    private static boolean dottedQuad(final String text)
    {
        final String[] parts = text.split("\\.", -1);
        if (parts.length != 4)
        {
            return false;
        }
        for (final String part : parts)
        {
            if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255)
            {
                return false;
            }
        }
        return true;
    }

    /** An address and how many leading bits of it must match. */
    private record Block(byte[] network, int prefixBits)
    {
        static Block parse(final String entry)
        {
            final String text = entry.trim();
            final int slash = text.indexOf('/');
            final InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null)
            {
                return null;
            }
            final int maxBits = address.getAddress().length * 8;
            int bits = maxBits;
            if (slash >= 0)
            {
                final String suffix = text.substring(slash + 1);
                if (suffix.isEmpty() || suffix.length() > 3 || !suffix.chars().allMatch(Character::isDigit))
                {
                    return null;
                }
                bits = Integer.parseInt(suffix);
                if (bits > maxBits)
                {
                    return null;
                }
            }
            return new Block(address.getAddress(), bits);
        }

        boolean contains(final byte[] address)
        {
            if (address.length != network.length)
            {
                return false;
            }
            final int whole = prefixBits / 8;
            for (int i = 0; i < whole; i++)
            {
                if (address[i] != network[i])
                {
                    return false;
                }
            }
            final int rest = prefixBits % 8;
            if (rest == 0)
            {
                return true;
            }
            final int mask = 0xff << (8 - rest) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }
}
