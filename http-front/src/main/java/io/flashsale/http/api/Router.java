package io.flashsale.http.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Matches a method and path against the fixed {@link Route} table and parses the one {@code {id}}
 * a path may hold. A path that matches a template with another method gives 405 with the allowed
 * methods; an id that is not a positive integer gives 400. IO threads; immutable.
 */
final class Router
{
    private final List<Route> routes = new ArrayList<>();

    Router(final boolean demo)
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
    static final class Match
    {
        Route route;
        long id;
        /** Set for a 405: the methods the path does accept. */
        String allowed;
        /** Set for a 400: the id segment was not an id. */
        String badId;
    }

    Match match(final String method, final String path, final Match into)
    {
        into.route = null;
        into.id = 0;
        into.allowed = null;
        into.badId = null;
        final String[] segments = split(path);
        if (segments == null)
        {
            return into;
        }
        StringBuilder allowed = null;
        for (final Route route : routes)
        {
            if (!shapeMatches(route.segments, segments))
            {
                continue;
            }
            if (!route.method.equals(method))
            {
                allowed = allowed == null ? new StringBuilder(route.method) : allowed.append(", ").append(route.method);
                continue;
            }
            into.route = route;
            for (int i = 0; i < segments.length; i++)
            {
                if (route.segments[i].equals("{id}"))
                {
                    into.id = parseId(segments[i]);
                    if (into.id <= 0)
                    {
                        into.badId = segments[i];
                    }
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

    private static boolean shapeMatches(final String[] template, final String[] segments)
    {
        if (template.length != segments.length)
        {
            return false;
        }
        for (int i = 0; i < template.length; i++)
        {
            if (!template[i].equals("{id}") && !template[i].equals(segments[i]))
            {
                return false;
            }
        }
        return true;
    }

    /** "/a/b" to {"a","b"}; "/" to {}; null for anything with empty segments (e.g. "//", "/a/"). */
    private static String[] split(final String path)
    {
        if (path == null || path.isEmpty() || path.charAt(0) != '/')
        {
            return null;
        }
        if (path.length() == 1)
        {
            return new String[0];
        }
        final String[] segments = path.substring(1).split("/", -1);
        for (final String segment : segments)
        {
            if (segment.isEmpty())
            {
                return null;
            }
        }
        return segments;
    }

    /** A positive decimal id up to 2^53 (safe in JavaScript), else 0. */
    static long parseId(final String text)
    {
        if (text.isEmpty() || text.length() > 16 || text.charAt(0) == '0')
        {
            return 0;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++)
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
