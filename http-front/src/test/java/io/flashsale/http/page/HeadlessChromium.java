package io.flashsale.http.page;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, nothing downloaded: both
 * binaries come from {@code scripts/ensure-test-packages}, and Selenium Manager is never asked because
 * the driver's and the browser's paths are given. Each instance is a fresh browser with its own
 * throw-away profile. When the browser cannot start, the constructor fails with what to do,
 * so a missing browser can never pass for a passing test. Test thread only.
 */
final class HeadlessChromium implements AutoCloseable
{
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    HeadlessChromium(final Dimension windowSize)
    {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER))
        {
            throw new IllegalStateException(BROWSER + " or " + DRIVER + " is missing: run scripts/ensure-test-packages " +
                "(apt-get install chromium chromium-driver), or use scripts/test, which does");
        }
        try
        {
            this.profile = Files.createTempDirectory("flashsale-chromium-profile");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        // Belt and braces: the property and the service both name Debian's driver.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
        this.service = new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withLogOutput(java.io.OutputStream.nullOutputStream())
            .build();
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + profile,
            "--window-size=" + windowSize.width + "," + windowSize.height);
        // The console (and network failures) as the browser log, read by consoleErrors().
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        try
        {
            this.driver = new ChromeDriver(service, options);
        }
        catch (final WebDriverException ex)
        {
            service.stop();
            deleteProfile();
            throw new IllegalStateException("headless Chromium did not start (" + BROWSER + " via " + DRIVER +
                "); check that the two versions match and that scripts/ensure-test-packages ran: " + ex.getMessage(), ex);
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    ChromeDriver driver()
    {
        return driver;
    }

    /**
     * Makes the page's wall clock ({@code Date}, {@code Date.now()}, {@code performance.timeOrigin})
     * wrong by {@code skew}, in every document loaded from now on. The monotonic
     * {@code performance.now()} is left alone: it is relative and has no wall time to be wrong.
     */
    void skewClock(final Duration skew)
    {
        final String script = """
            (() => {
              const skew = %d;
              const RealDate = Date;
              class SkewedDate extends RealDate {
                constructor(...args) {
                  if (args.length === 0) { super(RealDate.now() + skew); } else { super(...args); }
                }
                static now() { return RealDate.now() + skew; }
              }
              globalThis.Date = SkewedDate;
              const origin = performance.timeOrigin + skew;
              Object.defineProperty(Performance.prototype, 'timeOrigin', { get() { return origin; } });
            })();
            """.formatted(skew.toMillis());
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
    }

    /** Makes the page see {@code prefers-color-scheme: light} or {@code dark}, as a shopper's settings may ask. */
    void preferColorScheme(final String scheme)
    {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
            Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /** Everything the browser logged since the last call (console messages, script errors, failed loads). */
    List<LogEntry> takeLog()
    {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Saves a PNG of the whole page, below the fold too, at the current window width. */
    Path screenshot(final Path file)
    {
        @SuppressWarnings("unchecked")
        final Map<String, Object> size = (Map<String, Object>)driver.executeScript(
            "const page = document.documentElement;" +
            "return { width: Math.max(page.scrollWidth, innerWidth), height: Math.max(page.scrollHeight, innerHeight) };");
        final Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
            "format", "png",
            "captureBeyondViewport", true,
            "clip", Map.of("x", 0, "y", 0, "width", size.get("width"), "height", size.get("height"), "scale", 1)));
        try
        {
            Files.createDirectories(file.getParent());
            Files.write(file, Base64.getDecoder().decode((String)shot.get("data")));
            return file;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close()
    {
        try
        {
            driver.quit();
        }
        finally
        {
            service.stop();
            deleteProfile();
        }
    }

    private void deleteProfile()
    {
        try (Stream<Path> files = Files.walk(profile))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            // A leftover profile in /tmp is harmless.
        }
    }
}
