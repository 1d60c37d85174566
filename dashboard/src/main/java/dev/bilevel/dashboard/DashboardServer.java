package dev.bilevel.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bilevel.hpo.storage.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The read-only web dashboard over a {@link Storage}: a study list, a study page with plots, a
 * sortable and filterable trial table, trial details, and live updates by incremental polling.
 *
 * <p>Security contract: binds to the loopback address unless told otherwise; answers only GET
 * (and HEAD), everything else with 405; never writes to the storage; serves only a fixed set of
 * static files (anything else is 404, so no path traversal); validates every path parameter;
 * on a loopback bind, refuses requests whose {@code Host} header is not a loopback name (DNS
 * rebinding); builds all data-bearing markup in the browser with {@code textContent} and sends a
 * Content-Security-Policy that forbids inline and foreign scripts.
 *
 * <p>Example:
 *
 * <pre>{@code
 * try (DashboardServer server = DashboardServer.start(storage, "127.0.0.1", 0)) {
 *   System.out.println(server.uri());
 * }
 * }</pre>
 */
public final class DashboardServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final String host;

  private DashboardServer(HttpServer server, ExecutorService executor, String host) {
    this.server = server;
    this.executor = executor;
    this.host = host;
  }

  /**
   * Starts serving.
   *
   * @param storage the storage to read (the caller keeps ownership and closes it)
   * @param host the address to bind, {@code 127.0.0.1} for local use
   * @param port the port, or 0 for a free one
   * @return the running server
   * @throws IOException when the address cannot be bound
   */
  public static DashboardServer start(Storage storage, String host, int port) throws IOException {
    InetAddress addr = InetAddress.getByName(host);
    HttpServer server = HttpServer.create(new InetSocketAddress(addr, port), 64);
    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "bilevel-dashboard");
      t.setDaemon(true);
      return t;
    });
    Routes routes = new Routes(storage, new StaticAssets(), addr.isLoopbackAddress());
    server.createContext("/", exchange -> handle(routes, exchange));
    server.setExecutor(executor);
    server.start();
    executor.execute(routes::warmUp);
    return new DashboardServer(server, executor, addr.getHostAddress());
  }

  private static void handle(Routes routes, HttpExchange exchange) throws IOException {
    try (exchange) {
      Response r;
      try {
        r = routes.route(exchange);
      } catch (RuntimeException e) {
        r = Response.json(500, StudyJson.error("Internal error: " + e.getClass().getSimpleName()));
      }
      send(exchange, r);
    }
  }

  private static void send(HttpExchange exchange, Response r) throws IOException {
    var h = exchange.getResponseHeaders();
    h.set("Content-Type", r.contentType());
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
    h.set("Content-Security-Policy", "default-src 'self'; script-src 'self'; "
        + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    h.set("Cache-Control", r.cacheSeconds() > 0 ? "max-age=" + r.cacheSeconds() : "no-store");
    if (r.status() == 405) {
      h.set("Allow", "GET, HEAD");
    }
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    byte[] body = r.body();
    exchange.sendResponseHeaders(r.status(), head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /**
   * The bound port (the chosen one when started with port 0).
   *
   * @return the port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * The dashboard's base URI, for example {@code http://127.0.0.1:8080/}.
   *
   * @return the URI
   */
  public URI uri() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port() + "/");
  }

  /**
   * The address the server is bound to.
   *
   * @return the socket address
   */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops serving and waits up to a second for requests in flight. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * An HTTP response.
   *
   * @param status status code
   * @param contentType content type with charset
   * @param body body bytes
   * @param cacheSeconds how long browsers may cache it, 0 for never
   */
  record Response(int status, String contentType, byte[] body, int cacheSeconds) {
    static Response json(int status, Object value) {
      return new Response(status, "application/json; charset=utf-8",
          dev.bilevel.dashboard.plot.ScriptSafeJson.write(value).getBytes(StandardCharsets.UTF_8),
          0);
    }

    static Response text(int status, String message) {
      return new Response(status, "text/plain; charset=utf-8",
          message.getBytes(StandardCharsets.UTF_8), 0);
    }
  }
}
