package io.flashsale.http.route;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router walks a path in place; this test holds it to a plain reference that splits the path
 * into segments first (how the router used to work), on the routes' own paths and on random paths
 * built from their pieces, odd ids and stray slashes.
 */
class RouterTest
{
    private static final String[] PIECES = {
        "api", "sales", "orders", "admin", "health", "live", "ready", "metrics", "time", "key", "purchase", "pay",
        "cancel", "demo", "token", "1", "42", "9007199254740992", "9007199254740993", "0", "007", "-1", "1e3", "abc",
        "12345678901234567", "", "%20", "sales ", "SALES",
    };
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};

    @Test
    void everyRouteMatchesItsOwnPath()
    {
        final Router router = new Router(true);
        for (final Route route : Route.values())
        {
            if (route == Route.UNMATCHED)
            {
                continue;
            }
            final String path = route.template.replace("{id}", "17");
            final Router.Match match = router.match(route.method, path, new Router.Match());
            assertThat(match.route).as(path).isEqualTo(route);
            assertThat(match.id).isEqualTo(route.template.contains("{id}") ? 17 : 0);
        }
    }

    @Test
    void randomPathsMatchAsTheSplittingReferenceDoes()
    {
        final SplittableRandom random = new SplittableRandom(26_11_2026);
        for (final boolean demo : new boolean[] {false, true})
        {
            final Router router = new Router(demo);
            final Reference reference = new Reference(demo);
            for (int i = 0; i < 200_000; i++)
            {
                final String path = randomPath(random);
                final String method = METHODS[random.nextInt(METHODS.length)];
                final Router.Match actual = router.match(method, path, new Router.Match());
                final Router.Match expected = reference.match(method, path);
                assertThat(actual.route).as("%s %s", method, path).isEqualTo(expected.route);
                assertThat(actual.id).as("%s %s", method, path).isEqualTo(expected.id);
                assertThat(actual.allowed).as("%s %s", method, path).isEqualTo(expected.allowed);
                assertThat(actual.badId).as("%s %s", method, path).isEqualTo(expected.badId);
            }
        }
    }

    private static String randomPath(final SplittableRandom random)
    {
        if (random.nextInt(50) == 0)
        {
            return new String[] {"", "/", "//", "x", "api/time"}[random.nextInt(5)];
        }
        final StringBuilder path = new StringBuilder();
        final int segments = random.nextInt(1, 5);
        for (int i = 0; i < segments; i++)
        {
            path.append(random.nextInt(20) == 0 ? "//" : "/").append(PIECES[random.nextInt(PIECES.length)]);
        }
        if (random.nextInt(20) == 0)
        {
            path.append('/');
        }
        return path.toString();
    }

    /** The router as it was: split the path, then compare segment arrays. */
    private static final class Reference
    {
        private final List<Route> routes = new ArrayList<>();

        Reference(final boolean demo)
        {
            for (final Route route : Route.values())
            {
                if (route != Route.UNMATCHED && (demo || !route.demoOnly()))
                {
                    routes.add(route);
                }
            }
        }

        Router.Match match(final String method, final String path)
        {
            final Router.Match into = new Router.Match();
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
                        into.id = Router.parseId(segments[i], 0, segments[i].length());
                        if (into.id <= 0)
                        {
                            into.badId = segments[i];
                        }
                    }
                }
                return into;
            }
            into.allowed = allowed == null ? null : allowed.toString();
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
    }
}
