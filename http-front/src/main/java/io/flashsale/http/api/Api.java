package io.flashsale.http.api;

import io.flashsale.engine.command.CommandType;
import io.flashsale.http.auth.Role;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * The root handler and every route's filter chain, wired in one place so each path reads top to
 * bottom, cheapest filter first: route → auth → sale gate → rate limit → admission → body → ring.
 * IO threads.
 */
public final class Api implements HttpHandler
{
    private static final System.Logger LOG = System.getLogger(Api.class.getName());

    private final Front front;
    private final Router router;
    private final HttpHandler[] chains = new HttpHandler[Route.values().length];

    public Api(final Front front, final int port)
    {
        this.front = front;
        this.router = new Router(front.demo);

        chains(Route.TIME, Reads.time(front));
        chains(Route.SALE, Reads.sale(front));
        chains(Route.SALE_KEY,
            shopper(new SaleGate(front, false,
            new RateLimit(front,
            Reads.purchaseKey(front)))));
        chains(Route.PURCHASE,
            shopper(new IdempotencyCheck(front,
            new SaleGate(front, true,
            new RateLimit(front,
            new Admit(front,
            new ReadBody(front, BodyReaders.purchase(front), false,
            new PublishPurchase(front))))))));
        chains(Route.ORDER,
            shopper(new RateLimit(front,
            new PublishOrderCommand(front, CommandType.QUERY_ORDER))));
        chains(Route.PAY,
            shopper(new RateLimit(front,
            new ReadBody(front, BodyReaders.pay(), false,
            new PublishOrderCommand(front, CommandType.PAY)))));
        chains(Route.CANCEL,
            shopper(new RateLimit(front,
            new ReadBody(front, BodyReaders.cancel(), true,
            new PublishOrderCommand(front, CommandType.CANCEL)))));
        chains(Route.ADMIN_LIST_SALES, admin(Reads.adminSales(front)));
        chains(Route.ADMIN_CREATE_SALE, admin(new ReadBody(front, BodyReaders.newSale(), false, new PublishCreateSale(front))));
        chains(Route.ADMIN_SALE, admin(Reads.adminSale(front)));
        chains(Route.HEALTH_LIVE, Reads.live(front));
        chains(Route.HEALTH_READY, Reads.ready(front));
        chains(Route.METRICS, Reads.metrics(front));
        chains(Route.DEMO_HOME, Reads.demoHome(front, port));
        chains(Route.DEMO_TOKEN, new ReadBody(front, BodyReaders.demoToken(), false, Reads.demoToken(front)));
    }

    private void chains(final Route route, final HttpHandler chain)
    {
        chains[route.ordinal()] = chain;
    }

    private HttpHandler shopper(final HttpHandler next)
    {
        return new Authenticate(front, Role.SHOPPER, next);
    }

    private HttpHandler admin(final HttpHandler next)
    {
        return new Authenticate(front, Role.ADMIN, next);
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange)
    {
        final long start = System.nanoTime();
        final Router.Match match = router.match(exchange.getRequestMethod().toString(), exchange.getRequestPath(), new Router.Match());
        final Route route = match.route == null ? Route.UNMATCHED : match.route;
        final Call call = new Call(exchange, route, match.id, start);
        exchange.putAttachment(Call.KEY, call);
        try
        {
            if (match.route == null)
            {
                if (match.allowed != null)
                {
                    exchange.getResponseHeaders().put(Headers.ALLOW, match.allowed);
                    front.responses.problem(call, Problem.METHOD_NOT_ALLOWED,
                        exchange.getRequestMethod() + " is not allowed here; allowed: " + match.allowed);
                }
                else
                {
                    front.responses.problem(call, Problem.NOT_FOUND, "no route for " + JsonFields.printable(exchange.getRequestPath()));
                }
                return;
            }
            if (match.badId != null)
            {
                front.responses.problem(call, Problem.INVALID,
                    "'" + JsonFields.printable(match.badId) + "' is not an id: ids are positive integers");
                return;
            }
            if (route.needsCore() && front.pipeline() == null)
            {
                front.responses.problem(call, Problem.NOT_READY, "the engine is still being assembled (recovery)", 1);
                return;
            }
            chains[route.ordinal()].handleRequest(exchange);
        }
        catch (final BadRequest ex)
        {
            front.responses.problem(call, ex.problem, ex.getMessage());
        }
        catch (final Exception ex)
        {
            LOG.log(System.Logger.Level.ERROR, "handler failed on " + route, ex);
            if (!exchange.isResponseStarted())
            {
                front.responses.problem(call, Problem.INTERNAL_ERROR, "unexpected server error");
            }
        }
    }
}
