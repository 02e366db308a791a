package io.flashsale.http.route;

import java.util.ArrayList;
import java.util.List;

/**
 * Matches a method and path against the fixed {@link Route} table and parses the one {@code {id}}
 * a path may hold. A path that matches a template with another method gives 405 with the allowed
 * methods; an id that is not a positive integer gives 400. IO threads; immutable.
 */
public final class Router
{
    private static final String ID = "{id}";
    private static final int NO_MATCH = -2;
    private static final int NO_ID = -1;

    private final List<Route> routes = new ArrayList<>();

    public Router(final boolean demo)
    {
        for (final Route route : Route.values())
        {
            if (route != Route.UNMATCHED && (demo || !route.demoOnly()))
            {
                routes.add(route);
            }
        }
    }

    /** The outcome of matching one request. */
    public static final class Match
    {
        public Route route;
        public long id;
        /** Set for a 405: the methods the path does accept. */
        public String allowed;
        /** Set for a 400: the id segment was not an id. */
        public String badId;
    }

    public Match match(final String method, final String path, final Match into)
    {
        into.route = null;
        into.id = 0;
        into.allowed = null;
        into.badId = null;
        if (!wellFormed(path))
        {
            return into;
        }
        StringBuilder allowed = null;
        for (final Route route : routes)
        {
            final int idStart = shapeMatches(route.segments, path);
            if (idStart == NO_MATCH)
            {
                continue;
            }
            if (!route.method.equals(method))
            {
                allowed = allowed == null ? new StringBuilder(route.method) : allowed.append(", ").append(route.method);
                continue;
            }
            into.route = route;
            if (idStart != NO_ID)
            {
                final int idEnd = segmentEnd(path, idStart);
                into.id = parseId(path, idStart, idEnd);
                if (into.id <= 0)
                {
                    into.badId = path.substring(idStart, idEnd);
                }
            }
            return into;
        }
        if (allowed != null)
        {
            into.allowed = allowed.toString();
        }
        return into;
    }

    /** "/" or "/a/b": a leading slash and no empty segment (so not "//", "/a/" or ""). */
    private static boolean wellFormed(final String path)
    {
        if (path == null || path.isEmpty() || path.charAt(0) != '/')
        {
            return false;
        }
        return path.length() == 1 || (path.charAt(path.length() - 1) != '/' && path.indexOf("//") < 0);
    }

    /**
     * Walks the path's segments against the template's in place (a request allocates nothing
     * here): {@link #NO_MATCH}, {@link #NO_ID} for a match without an id, or where the id starts.
     */
    private static int shapeMatches(final String[] template, final String path)
    {
        if (path.length() == 1)
        {
            return template.length == 0 ? NO_ID : NO_MATCH;
        }
        int at = 1;
        int idStart = NO_ID;
        for (final String expected : template)
        {
            if (at > path.length())
            {
                return NO_MATCH; // the path has fewer segments
            }
            final int end = segmentEnd(path, at);
            if (expected.equals(ID))
            {
                idStart = at;
            }
            else if (end - at != expected.length() || !path.regionMatches(at, expected, 0, expected.length()))
            {
                return NO_MATCH;
            }
            at = end + 1;
        }
        return at == path.length() + 1 ? idStart : NO_MATCH;
    }

    private static int segmentEnd(final String path, final int from)
    {
        final int slash = path.indexOf('/', from);
        return slash < 0 ? path.length() : slash;
    }

    /** A positive decimal id up to 2^53 (safe in JavaScript) in {@code text[from, to)}, else 0. */
    static long parseId(final String text, final int from, final int to)
    {
        final int length = to - from;
        if (length <= 0 || length > 16 || text.charAt(from) == '0')
        {
            return 0;
        }
        long value = 0;
        for (int i = from; i < to; i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return 0;
            }
            value = value * 10 + (c - '0');
        }
        return value <= (1L << 53) ? value : 0;
    }
}
