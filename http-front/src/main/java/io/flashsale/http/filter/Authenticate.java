package io.flashsale.http.filter;

import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.auth.AuthFailure;
import io.flashsale.http.auth.Principal;
import io.flashsale.http.auth.Role;
import io.flashsale.http.reply.Problem;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * The auth step, first after routing in every chain that needs a token ({@link io.flashsale.http.api.Api}):
 * a valid bearer token of the route's role (401 without, 403 with the wrong role); sets the
 * request's principal. IO threads.
 */
public final class Authenticate implements HttpHandler
{
    private final FrontContext context;
    private final Role role;
    private final HttpHandler next;

    public Authenticate(final FrontContext context, final Role role, final HttpHandler next)
    {
        this.context = context;
        this.role = role;
        this.next = next;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        final RequestState request = exchange.getAttachment(RequestState.KEY);
        final Object verdict = context.tokens().verifyHeader(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
        if (verdict instanceof AuthFailure failure)
        {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
            context.responses().problem(request, failure == AuthFailure.EXPIRED ? Problem.TOKEN_EXPIRED : Problem.UNAUTHENTICATED, failure.detail());
            return;
        }
        final Principal principal = (Principal)verdict;
        if (principal.role() != role)
        {
            context.responses().problem(request, Problem.FORBIDDEN,
                "this route needs a " + role.claim() + " token; this is a " + principal.role().claim() + " token");
            return;
        }
        request.principal = principal;
        next.handleRequest(exchange);
    }
}
