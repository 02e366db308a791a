package io.flashsale.http.page;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The shopper page in a real headless Chromium against a real server on an ephemeral port.
 *
 * <p>The browser's wall clock is wrong by several minutes in every test ({@link #SKEW}), as a
 * shopper's computer may be: the page must not care. Each test makes its own sale; one browser
 * and one server serve them all to keep the class near half a minute. A screenshot of each step
 * goes to {@code target/screenshots/} for a person to look at.
 */
class ShopperPageBrowserTest
{
    /** How wrong the browser's clock is: minutes behind, plus an odd number of milliseconds. */
    static final Duration SKEW = Duration.ofMinutes(-7).minusMillis(321);
    /** How far the countdown may be from the truth: the page promises tens of milliseconds. */
    static final long COUNTDOWN_TOLERANCE_MS = 60;
    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Pattern FAILED_LOAD = Pattern.compile("Failed to load resource: the server responded with a status of (\\d{3})");

    private static PageServer server;
    private static HeadlessChromium chromium;
    private static ChromeDriver driver;

    private String testName;

    @BeforeAll
    static void startServerAndBrowser()
    {
        server = PageServer.start();
        chromium = new HeadlessChromium(DESKTOP);
        chromium.skewClock(SKEW);
        driver = chromium.driver();
    }

    @AfterAll
    static void stopServerAndBrowser()
    {
        try
        {
            if (chromium != null)
            {
                chromium.close();
            }
        }
        finally
        {
            if (server != null)
            {
                server.close();
            }
        }
    }

    @BeforeEach
    void freshWindow(final TestInfo info)
    {
        testName = info.getTestMethod().orElseThrow().getName();
        driver.manage().window().setSize(DESKTOP);
        if (driver.getCurrentUrl().startsWith(server.baseUrl()))
        {
            // Each test is a shopper arriving afresh, not still signed in as the last test's shopper.
            driver.executeScript("sessionStorage.clear();");
        }
        chromium.takeLog();
    }

    @AfterEach
    void noScriptErrors()
    {
        // Failed requests the flow expects (425, 410, 503 ...) are logged by Chrome as errors;
        // anything else at SEVERE (a script error, a CSP refusal, a 404) fails the test.
        assertNoConsoleErrors(Set.of(403, 409, 410, 425, 503));
    }

    @Test
    void countdownRunsOnTheServerClockWhenTheBrowserClockIsMinutesOff()
    {
        final Instant startsAt = Instant.now().plusSeconds(95);
        final long saleId = server.createSale("Skewed-clock sneakers", 5, startsAt, Duration.ofMinutes(10), 1, 60);

        open("/?sale=" + saleId);
        waitUntil("the clock is synced", Duration.ofSeconds(10), () -> !attribute("clock-error", "data-error-ms").isEmpty());
        assertNoConsoleErrors(Set.of());

        final long browserClockOff = ((Number)driver.executeScript("return Date.now();")).longValue() - System.currentTimeMillis();
        assertThat(browserClockOff).as("the browser's clock is really skewed").isCloseTo(SKEW.toMillis(), within(2_000L));

        for (int i = 0; i < 6; i++)
        {
            final long before = System.currentTimeMillis();
            final long remaining = Long.parseLong(attribute("countdown", "data-remaining-ms"));
            final long after = System.currentTimeMillis();
            // The true remaining time lies in [startsAt - after, startsAt - before].
            final long truthHigh = startsAt.toEpochMilli() - before;
            final long truthLow = startsAt.toEpochMilli() - after;
            final long off = remaining > truthHigh ? remaining - truthHigh : remaining < truthLow ? truthLow - remaining : 0;
            assertThat(off).as("countdown %d ms vs truth [%d, %d]", remaining, truthLow, truthHigh).isLessThanOrEqualTo(COUNTDOWN_TOLERANCE_MS);
            sleep(150);
        }
        assertThat(Long.parseLong(attribute("clock-error", "data-error-ms"))).as("estimated error, ms").isBetween(0L, 50L);
        assertThat(text("countdown")).matches("01:3\\d\\.\\d|01:2\\d\\.\\d");
        assertThat(text("clock-error")).contains("±");

        assertThat(element("buy").isEnabled()).as("Buy before the start").isFalse();
        assertThat(keyRequests()).as("purchase-key requests before the start").isZero();
        assertThat(driver.executeScript(
            "return performance.getEntriesByType('resource').map((e) => e.name).filter((url) => !url.startsWith(location.origin + '/'));"))
            .as("anything fetched from outside the server").asList().isEmpty();
        assertThat(element("countdown").getAttribute("role")).isEqualTo("timer");
        assertThat(element("outcome").getAttribute("role")).isEqualTo("status");
        screenshot("countdown-desktop");
        driver.manage().window().setSize(PHONE);
        screenshot("countdown-phone");
        assertThat(((Number)driver.executeScript("return document.documentElement.scrollWidth;")).intValue())
            .as("no sideways scrolling on a phone").isLessThanOrEqualTo(PHONE.width);
    }

    @Test
    void buyOpensAtTheStartReservesAndPaysAndTheNextShopperSeesSoldOut()
    {
        final Instant startsAt = Instant.now().plusSeconds(5);
        final long saleId = server.createSale("Last bottle of 1985", 1, startsAt, Duration.ofMinutes(10), 1, 120);

        open("/?sale=" + saleId);
        signInWithKeyboard("alice");
        screenshot("signed-in-before-start");
        assertThat(element("buy").isEnabled()).as("Buy before the start").isFalse();
        assertThat(keyRequests()).as("purchase-key requests before the start").isZero();

        // Watch Buy flip from disabled to enabled and note when, by the server's (this JVM's) clock.
        long enabledAt = 0;
        while (enabledAt == 0)
        {
            final long before = System.currentTimeMillis();
            final boolean enabled = element("buy").isEnabled();
            if (enabled)
            {
                // Seen enabled somewhere in [before, now]: it was enabled by now at the latest.
                enabledAt = System.currentTimeMillis();
            }
            else
            {
                assertThat(before).as("Buy is still disabled well after the start").isLessThan(startsAt.toEpochMilli() + 5_000);
                sleep(20);
            }
        }
        assertThat(enabledAt).as("Buy enabled at (ms after the start)").isGreaterThanOrEqualTo(startsAt.toEpochMilli() - COUNTDOWN_TOLERANCE_MS);
        assertThat(attribute("countdown", "data-remaining-ms")).isEqualTo("0");
        waitUntil("the start is announced", Duration.ofSeconds(2),
            () -> driver.findElement(By.id("announcer")).getAttribute("textContent").contains("buy now"));
        screenshot("sale-open");

        element("buy").click();
        waitForOutcome("RESERVED");
        assertThat(attribute("order-state", "data-state")).isEqualTo("RESERVED");
        assertThat(Long.parseLong(attribute("pay-countdown", "data-remaining-ms"))).as("time left to pay").isCloseTo(120_000L, within(3_000L));
        assertThat(driver.switchTo().activeElement().getAttribute("data-testid")).as("focus after reserving").isEqualTo("pay");
        screenshot("reserved");

        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        waitUntil("the order is paid", Duration.ofSeconds(5), () -> attribute("order-state", "data-state").equals("PAID"));
        assertThat(element("pay").isDisplayed()).isFalse();
        screenshot("paid");
        final JsonNode books = server.adminSale(saleId);
        assertThat(books.get("paid").asLong()).isEqualTo(1);
        assertThat(books.get("available").asLong()).isZero();

        final String first = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        try
        {
            open("/?sale=" + saleId);
            signInWithKeyboard("bob");
            waitUntil("Buy is enabled for bob", Duration.ofSeconds(5), () -> element("buy").isEnabled());
            element("buy").click();
            waitForOutcome("SOLD_OUT");
            assertThat(text("outcome")).containsIgnoringCase("sold out");
            waitUntil("available shows 0", Duration.ofSeconds(5), () -> attribute("available", "data-available").equals("0"));
            assertThat(attribute("order-state", "data-state")).isEmpty();
            screenshot("second-shopper-sold-out");
            driver.manage().window().setSize(PHONE);
            screenshot("second-shopper-sold-out-phone");
        }
        finally
        {
            driver.close();
            driver.switchTo().window(first);
        }
    }

    @Test
    void cancelGivesTheUnitBack()
    {
        final long saleId = server.createSale("Cancellable kettle", 1, Instant.now().minusSeconds(1), Duration.ofMinutes(10), 1, 120);
        open("/?sale=" + saleId);
        signInWithKeyboard("dave");
        waitUntil("Buy is enabled", Duration.ofSeconds(5), () -> element("buy").isEnabled());
        element("buy").click();
        waitForOutcome("RESERVED");
        element("cancel").click();
        waitUntil("the order is cancelled", Duration.ofSeconds(5), () -> attribute("order-state", "data-state").equals("CANCELLED"));
        waitUntil("the unit is back", Duration.ofSeconds(5), () -> attribute("available", "data-available").equals("1"));
        assertThat(element("buy").isEnabled()).as("Buy again after cancelling").isTrue();
        screenshot("cancelled");
    }

    @Test
    void notAdmittedAttemptIsRetriedAutomaticallyUntilAdmitted()
    {
        final long saleId = server.createSale("Crowded console", 1, Instant.now().minusSeconds(1), Duration.ofMinutes(10), 1, 60);
        open("/?sale=" + saleId);
        signInWithKeyboard("carol");
        waitUntil("Buy is enabled", Duration.ofSeconds(5), () -> element("buy").isEnabled());

        // A crowd (one flooder with a wrong purchase key: admitted attempts buy nothing) drives the
        // admission probability down; the admission clock stands still, so it stays down.
        final double p = floodUntilAdmissionBelow(saleId, 1e-3);
        assertThat(p).isLessThan(1e-3);

        element("buy").click();
        waitForOutcome("NOT_ADMITTED");
        waitUntil("the retry note shows", Duration.ofSeconds(2), () -> element("retry-note").isDisplayed());
        assertThat(text("retry-note")).containsIgnoringCase("trying again automatically");
        assertThat(element("buy").isEnabled()).as("Buy while a retry is scheduled").isFalse();
        screenshot("not-admitted");

        // A screen reader reads a live region out at every change: the retries, every second or so,
        // and the note counting down to the next one must leave the outcome's words alone.
        assertThat(driver.executeScript(
            "return arguments[0].closest('[aria-live], [role=status], [role=alert], [role=log], [role=timer], [role=marquee]') === null;",
            element("retry-note"))).as("the retry note is outside every live region").isEqualTo(true);
        driver.executeScript("""
            const outcome = arguments[0];
            window.liveChanges = [];
            new MutationObserver(() => window.liveChanges.push(outcome.textContent))
              .observe(outcome, { childList: true, subtree: true, characterData: true });
            """, element("outcome"));
        waitUntil("two automatic retries are turned away", Duration.ofSeconds(10),
            () -> Integer.parseInt(attribute("outcome", "data-attempts")) >= 3 && attribute("outcome", "data-outcome").equals("NOT_ADMITTED"));
        assertThat(driver.executeScript("return window.liveChanges;")).as("changes to the outcome's words during retries").asList().isEmpty();

        // The crowd goes; the next window sees almost no one and admits everybody.
        server.advanceAdmissionClock(Duration.ofMinutes(1));
        waitForOutcome("RESERVED");
        assertThat(Integer.parseInt(attribute("outcome", "data-attempts"))).as("attempts it took, all but the last automatic").isGreaterThanOrEqualTo(2);
        assertThat(server.adminSale(saleId).get("reserved").asLong()).isEqualTo(1);
        screenshot("admitted-after-retry");
    }

    @Test
    void aShopperAtThePerShopperLimitIsToldSo()
    {
        final long saleId = server.createSale("One-per-shopper tickets", 5, Instant.now().minusSeconds(1), Duration.ofMinutes(10), 1, 120);
        open("/?sale=" + saleId);
        signInWithKeyboard("erin");
        waitUntil("Buy is enabled", Duration.ofSeconds(5), () -> element("buy").isEnabled());
        element("buy").click();
        waitForOutcome("RESERVED");
        element("pay").click();
        waitUntil("the order is paid", Duration.ofSeconds(5), () -> attribute("order-state", "data-state").equals("PAID"));

        element("buy").click();
        waitForOutcome("LIMIT_REACHED");
        assertThat(text("outcome")).contains("as many");
        assertThat(element("buy").isEnabled()).as("Buy at the limit").isFalse();
        screenshot("limit-reached");
    }

    @Test
    void anEndedSaleSaysSoAndOffersNoBuy()
    {
        final long saleId = server.createSale("Yesterday's deal", 5, Instant.now().minusSeconds(120), Duration.ofMinutes(1), 1, 60);
        open("/?sale=" + saleId);
        signInWithKeyboard("frank");
        waitUntil("the page shows the end", Duration.ofSeconds(5), () -> "ended".equals(attribute("countdown", "data-phase")));
        assertThat(text("countdown")).isEqualTo("Ended");
        assertThat(element("buy").isEnabled()).isFalse();
        assertThat(driver.findElement(By.id("buy-hint")).getText()).contains("ended");
        assertThat(keyRequests()).as("purchase-key requests for an ended sale").isZero();
        screenshot("ended");
    }

    @Test
    void everyStateOfThePageMeetsWcag21AaOnDesktopAndPhoneInLightAndDark()
    {
        // Each serious or critical finding, with the states, widths and colour schemes it was seen in.
        final Map<String, List<String>> findings = new LinkedHashMap<>();
        final long upcoming = server.createSale("Midnight sneakers", 3, Instant.now().plus(Duration.ofHours(2)), Duration.ofHours(1), 1, 60);
        open("/?sale=" + upcoming);
        waitUntil("the countdown runs", Duration.ofSeconds(10), () -> "scheduled".equals(attribute("countdown", "data-phase")));
        audit("before-start-signed-out", findings);

        element("signin-name").sendKeys("not a name!", Keys.ENTER);
        waitUntil("the name is refused", Duration.ofSeconds(5), () -> "true".equals(attribute("signin-name", "aria-invalid")));
        audit("sign-in-refused", findings);

        signInWithKeyboard("grace");
        audit("before-start-signed-in", findings);

        final long open = server.createSale("Last bottle of 1990", 1, Instant.now().minusSeconds(1), Duration.ofMinutes(10), 1, 120);
        open("/?sale=" + open);
        waitUntil("Buy is enabled", Duration.ofSeconds(5), () -> element("buy").isEnabled());
        audit("open-buy", findings);

        element("buy").click();
        waitForOutcome("RESERVED");
        audit("reserved", findings);

        element("pay").click();
        waitUntil("the order is paid", Duration.ofSeconds(5), () -> attribute("order-state", "data-state").equals("PAID"));
        audit("paid", findings);

        signInWithKeyboard("heidi");
        waitUntil("Buy is enabled for heidi", Duration.ofSeconds(5), () -> element("buy").isEnabled());
        element("buy").sendKeys(Keys.SPACE);
        waitForOutcome("SOLD_OUT");
        // Buy is off while the attempt is under way, which takes the focus away from it; a keyboard
        // shopper who may try again finds it back on Buy, not at the top of the page.
        waitUntil("Buy is enabled again", Duration.ofSeconds(5), () -> element("buy").isEnabled());
        assertThat(driver.switchTo().activeElement().getAttribute("data-testid")).as("focus after a sold-out answer").isEqualTo("buy");
        audit("sold-out", findings);

        final long ended = server.createSale("Last week's deal", 5, Instant.now().minusSeconds(120), Duration.ofMinutes(1), 1, 60);
        open("/?sale=" + ended);
        waitUntil("the page shows the end", Duration.ofSeconds(5), () -> "ended".equals(attribute("countdown", "data-phase")));
        audit("ended", findings);

        final List<String> report = new ArrayList<>();
        findings.forEach((finding, where) -> report.add(finding + "\n      seen in " + String.join(", ", where)));
        assertThat(report).as("serious or critical WCAG 2.1 A/AA findings of axe-core %s", AxeAudit.version()).isEmpty();
    }

    @Test
    void outsideDemoModeTheHostShopPassesTheTokenInTheFragment()
    {
        try (PageServer shop = PageServer.start(false))
        {
            final long saleId = shop.createSale("Members' preview", 2, Instant.now().minusSeconds(1), Duration.ofMinutes(10), 1, 60);

            driver.get(shop.baseUrl() + "/?sale=" + saleId);
            waitUntil("the page asks for the shop's sign-in", Duration.ofSeconds(5), () -> driver.findElement(By.id("buy-hint")).getText().contains("at the shop"));
            assertThat(element("signin-name").isDisplayed()).as("demo sign-in outside demo mode").isFalse();
            screenshot("shop-mode-no-token");

            driver.get(shop.baseUrl() + "/?sale=" + saleId + "#token=" + shop.shopperToken("josé@example.com"));
            waitUntil("Buy is enabled for the shop's shopper", Duration.ofSeconds(5), () -> element("buy").isEnabled());
            assertThat(attribute("signed-in-as", "data-name")).isEqualTo("josé@example.com");
            assertThat(driver.getCurrentUrl()).as("the token is taken out of the address bar").doesNotContain("token");
            element("buy").click();
            waitForOutcome("RESERVED");
            screenshot("shop-mode-reserved");
        }
    }

    @Test
    void theRootShowsTheSaleOnNowOrTheNextOne()
    {
        try (PageServer shop = PageServer.start())
        {
            driver.get(shop.baseUrl() + "/");
            waitUntil("the page says there is no sale", Duration.ofSeconds(5), () -> text("sale-name").contains("no sale"));
            assertThat(element("buy").isDisplayed()).as("Buy with no sale").isFalse();
            screenshot("no-sale");

            shop.createSale("Over already", 5, Instant.now().minusSeconds(600), Duration.ofMinutes(1), 1, 60);
            shop.createSale("Next week's drop", 5, Instant.now().plus(Duration.ofDays(7)), Duration.ofHours(1), 1, 60);
            shop.createSale("Tonight's drop", 5, Instant.now().plus(Duration.ofHours(3)), Duration.ofHours(1), 1, 60);
            driver.navigate().refresh();
            waitUntil("the next sale is shown", Duration.ofSeconds(5), () -> text("sale-name").equals("Tonight's drop"));
            waitUntil("its countdown runs", Duration.ofSeconds(5), () -> text("countdown").matches("0[23]:\\d\\d:\\d\\d"));
            screenshot("next-sale");
        }
    }

    @Test
    void clockEstimateTrustsTheShortestRoundTripAndDropsOutliers()
    {
        open("/");
        // The page's own estimator module, loaded through the page's import map.
        @SuppressWarnings("unchecked")
        final Map<String, Object> estimate = (Map<String, Object>)driver.executeAsyncScript("""
            const done = arguments[arguments.length - 1];
            import('/assets/clock.js').then((clock) => done(clock.estimateOffset([
              { t0: 0, t1: 40, server: 1030, resolution: 1 },      // slow: offset somewhere in [990, 1031]
              { t0: 100, t1: 102, server: 1101, resolution: 1 },   // fast: offset in [999, 1002]
              { t0: 200, t1: 203, server: 1201, resolution: 1 },   // fast: offset in [998, 1002]
              { t0: 300, t1: 304, server: 1800, resolution: 1 },   // a stalled answer: offset in [1496, 1501]
            ]))).catch((e) => done({ failure: String(e) }));
            """);
        assertThat(estimate).doesNotContainKey("failure");
        assertThat(((Number)estimate.get("offset")).doubleValue()).isCloseTo(1000.5, within(0.01));
        assertThat(((Number)estimate.get("error")).doubleValue()).isCloseTo(1.5, within(0.01));
        assertThat(((Number)estimate.get("used")).intValue()).isEqualTo(3);
        assertThat(((Number)estimate.get("dropped")).intValue()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ helpers

    private void open(final String path)
    {
        driver.get(server.baseUrl() + path);
        waitUntil("the page has started", Duration.ofSeconds(10),
            () -> Boolean.TRUE.equals(driver.executeScript("return document.readyState === 'complete';")));
    }

    /** Types the name and presses Enter: the sign-in works from the keyboard alone. */
    private void signInWithKeyboard(final String name)
    {
        final WebElement field = element("signin-name");
        field.clear();
        field.sendKeys(name, Keys.ENTER);
        waitUntil("signed in as " + name, Duration.ofSeconds(5), () -> attribute("signed-in-as", "data-name").equals(name));
    }

    private double floodUntilAdmissionBelow(final long saleId, final double target)
    {
        final String token = server.shopperToken("flooder");
        final HttpRequest.Builder attempt = HttpRequest.newBuilder(server.uri("/api/sales/" + saleId + "/purchase"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1,\"key\":\"AAAAAAAAAAAAAAAAAAAAAA\"}"));
        double p = 1.0;
        for (int round = 0; round < 40 && p >= target; round++)
        {
            for (int i = 0; i < 100; i++)
            {
                final int status = server.send(attempt).statusCode();
                assertThat(status).as("a flood attempt is shed (503) or refused for its key (403)").isIn(403, 503);
            }
            p = server.adminSale(saleId).get("admission").get("probability").asDouble();
        }
        return p;
    }

    private long keyRequests()
    {
        return ((Number)driver.executeScript(
            "return performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/key')).length;")).longValue();
    }

    private void waitForOutcome(final String outcome)
    {
        waitUntil("the outcome " + outcome, Duration.ofSeconds(10), () -> attribute("outcome", "data-outcome").equals(outcome));
    }

    private WebElement element(final String testId)
    {
        return driver.findElement(By.cssSelector("[data-testid='" + testId + "']"));
    }

    private String attribute(final String testId, final String name)
    {
        final String value = element(testId).getAttribute(name);
        return value == null ? "" : value;
    }

    private String text(final String testId)
    {
        return element(testId).getText();
    }

    private void waitUntil(final String what, final Duration timeout, final java.util.function.BooleanSupplier condition)
    {
        try
        {
            new WebDriverWait(driver, timeout, Duration.ofMillis(25)).withMessage(what).until(d -> condition.getAsBoolean());
        }
        catch (final org.openqa.selenium.TimeoutException ex)
        {
            screenshot("FAILED-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            throw new AssertionError("timed out waiting for " + what + "; outcome=" + attribute("outcome", "data-outcome") +
                " text='" + text("outcome") + "' hint='" + driver.findElement(By.id("buy-hint")).getText() + "'", ex);
        }
    }

    /**
     * Audits the page as it is now with axe-core at both widths in both colour schemes, with a
     * screenshot of each; adds every serious or critical finding (rule, impact, elements and why)
     * to {@code findings} with where it was seen, and prints the lesser ones and those axe could not
     * decide.
     */
    private void audit(final String state, final Map<String, List<String>> findings)
    {
        try
        {
            for (final String scheme : List.of("light", "dark"))
            {
                chromium.preferColorScheme(scheme);
                for (final Dimension size : List.of(DESKTOP, PHONE))
                {
                    driver.manage().window().setSize(size);
                    final String where = state + "/" + (size.equals(DESKTOP) ? "desktop" : "phone") + "/" + scheme;
                    screenshot("a11y-" + where.replace('/', '-'));
                    final AxeAudit.Result result = AxeAudit.run(driver);
                    assertThat(result.rulesRun()).as("axe rules run at %s", where)
                        .contains("color-contrast", "label", "button-name", "html-has-lang", "aria-allowed-attr", "document-title");
                    for (final AxeAudit.Violation undecided : result.undecided())
                    {
                        System.out.println("axe at " + where + ", to review by hand: " + undecided);
                    }
                    for (final AxeAudit.Violation violation : result.violations())
                    {
                        if (violation.fails())
                        {
                            findings.computeIfAbsent(violation.toString(), finding -> new ArrayList<>()).add(where);
                        }
                        else
                        {
                            System.out.println("axe at " + where + ", not failing: " + violation);
                        }
                    }
                }
            }
        }
        finally
        {
            chromium.preferColorScheme("light");
            driver.manage().window().setSize(DESKTOP);
        }
    }

    private void screenshot(final String step)
    {
        chromium.screenshot(SCREENSHOTS.resolve(testName + "-" + step + ".png"));
    }

    private void assertNoConsoleErrors(final Set<Integer> expectedStatuses)
    {
        final List<String> errors = new ArrayList<>();
        for (final LogEntry entry : chromium.takeLog())
        {
            if (entry.getLevel().intValue() < Level.SEVERE.intValue())
            {
                continue;
            }
            final Matcher failedLoad = FAILED_LOAD.matcher(entry.getMessage());
            if (!(failedLoad.find() && expectedStatuses.contains(Integer.parseInt(failedLoad.group(1)))))
            {
                errors.add(entry.getMessage());
            }
        }
        assertThat(errors).as("errors in the browser console").isEmpty();
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
