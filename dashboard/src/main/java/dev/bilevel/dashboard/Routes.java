package dev.bilevel.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.bilevel.dashboard.DashboardServer.Response;
import dev.bilevel.dashboard.plot.EchartsOptions;
import dev.bilevel.dashboard.plot.PlotData;
import dev.bilevel.dashboard.plot.PlotKind;
import dev.bilevel.dashboard.plot.ScriptSafeJson;
import dev.bilevel.dashboard.plot.StudyPlots;
import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.storage.FrozenStudy;
import dev.bilevel.hpo.storage.Storage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps GET requests to pages, static files and the JSON API; read-only over the storage.
 *
 * <pre>
 * /                                      study list page
 * /studies/{id}                          study page
 * /static/{name}                         fixed static files
 * /api/studies                           studies with trial counts and best values
 * /api/studies/{id}                      one study: directions, attributes, parameter names
 * /api/studies/{id}/trials?since=N       rows of trials numbered N and above (incremental polling)
 * /api/studies/{id}/trials/{number}      one trial in full
 * /api/studies/{id}/plots/{kind}?params=a,b&amp;objective=0   an ECharts option
 * </pre>
 */
final class Routes {
  private static final Pattern ID = Pattern.compile("\\d{1,18}");
  private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");
  private static final Pattern LOOPBACK_HOST =
      Pattern.compile("(localhost|127\\.0\\.0\\.1|\\[::1\\])(:\\d{1,5})?", Pattern.CASE_INSENSITIVE);
  private static final int CACHE_SIZE = 32;

  private final Storage storage;
  private final TrialCache cache;
  private final StaticAssets assets;
  private final boolean loopbackOnly;
  private final Map<String, Response> plotCache = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Response> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  /** study/since → (the trial list it was built from, the response); reused while unchanged. */
  private final Map<String, Object[]> rowsCache = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Object[]> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  Routes(Storage storage, StaticAssets assets, boolean loopbackOnly) {
    this.storage = storage;
    this.cache = new TrialCache(storage);
    this.assets = assets;
    this.loopbackOnly = loopbackOnly;
  }

  /** Reads every study's trials once, so that the first page load finds them in the cache. */
  void warmUp() {
    try {
      for (FrozenStudy s : storage.getAllStudies()) {
        cache.trials(s.studyId());
      }
    } catch (RuntimeException e) {
      // a storage that fails here fails again, visibly, on the first request
    }
  }

  Response route(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return Response.text(405, "Method not allowed: the dashboard is read-only");
    }
    String hostHeader = exchange.getRequestHeaders().getFirst("Host");
    if (loopbackOnly && (hostHeader == null || !LOOPBACK_HOST.matcher(hostHeader).matches())) {
      return Response.text(403, "Forbidden host");
    }
    String path = exchange.getRequestURI().getRawPath();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String[] seg = path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
    if (seg.length == 0) {
      return page("index.html");
    }
    if (seg.length == 2 && seg[0].equals("static")) {
      return assets.get(seg[1]).orElseGet(Routes::notFound);
    }
    if (seg.length == 2 && seg[0].equals("studies") && ID.matcher(seg[1]).matches()) {
      return page("study.html");
    }
    if (seg.length >= 2 && seg[0].equals("api") && seg[1].equals("studies")) {
      return api(Arrays.copyOfRange(seg, 2, seg.length), query);
    }
    return notFound();
  }

  private Response page(String name) {
    Response r = assets.get(name).orElseThrow();
    return new Response(200, r.contentType(), r.body(), 0);
  }

  private Response api(String[] seg, Map<String, String> query) {
    if (seg.length == 0) {
      ArrayNode list = ScriptSafeJson.mapper().createArrayNode();
      for (FrozenStudy s : storage.getAllStudies()) {
        list.add(StudyJson.studySummary(s, cache.trials(s.studyId())));
      }
      return Response.json(200, list);
    }
    if (!ID.matcher(seg[0]).matches()) {
      return notFound();
    }
    Optional<FrozenStudy> found = study(Long.parseLong(seg[0]));
    if (found.isEmpty()) {
      cache.forget(Long.parseLong(seg[0]));
      return notFound();
    }
    FrozenStudy study = found.get();
    List<FrozenTrial> trials = cache.trials(study.studyId());
    if (seg.length == 1) {
      return Response.json(200, StudyJson.studyDetail(study, StudyPlots.paramNames(trials)));
    }
    if (seg.length == 2 && seg[1].equals("trials")) {
      String since = query.getOrDefault("since", "0");
      if (!NUMBER.matcher(since).matches()) {
        return Response.json(400, StudyJson.error("since must be a trial number"));
      }
      int from = Integer.parseInt(since);
      String key = study.studyId() + "/" + from;
      synchronized (rowsCache) {
        Object[] hit = rowsCache.get(key);
        if (hit != null && hit[0] == trials) {
          return (Response) hit[1];
        }
      }
      ObjectNode o = ScriptSafeJson.mapper().createObjectNode();
      o.put("count", trials.size());
      ArrayNode rows = o.putArray("trials");
      for (FrozenTrial t : trials) {
        if (t.number() >= from) {
          rows.add(StudyJson.trialRow(t));
        }
      }
      Response r = Response.json(200, o);
      synchronized (rowsCache) {
        rowsCache.put(key, new Object[] {trials, r});
      }
      return r;
    }
    if (seg.length == 3 && seg[1].equals("trials") && NUMBER.matcher(seg[2]).matches()) {
      int number = Integer.parseInt(seg[2]);
      return trials.stream().filter(t -> t.number() == number).findFirst()
          .map(t -> Response.json(200, StudyJson.trialDetail(t))).orElseGet(Routes::notFound);
    }
    if (seg.length == 3 && seg[1].equals("plots")) {
      return plot(study, trials, seg[2], query);
    }
    return notFound();
  }

  private Response plot(
      FrozenStudy study, List<FrozenTrial> trials, String kindName, Map<String, String> query) {
    PlotKind kind;
    try {
      kind = PlotKind.parse(kindName);
    } catch (IllegalArgumentException e) {
      return notFound();
    }
    List<String> known = StudyPlots.paramNames(trials);
    List<String> params = new ArrayList<>();
    String p = query.getOrDefault("params", "");
    if (!p.isEmpty()) {
      for (String name : p.split(",", -1)) {
        if (!known.contains(name)) {
          return Response.json(400, StudyJson.error("Unknown parameter"));
        }
        params.add(name);
      }
    }
    String obj = query.getOrDefault("objective", "0");
    if (!NUMBER.matcher(obj).matches() || Integer.parseInt(obj) >= study.directions().size()) {
      return Response.json(400, StudyJson.error("objective must be an objective index"));
    }
    int objective = Integer.parseInt(obj);
    long finished = trials.stream().filter(t -> t.state().isFinished()).count();
    String key = study.studyId() + "/" + kind + "/" + params + "/" + objective + "/"
        + trials.size() + "/" + finished;
    synchronized (plotCache) {
      Response cached = plotCache.get(key);
      if (cached != null && kind != PlotKind.TIMELINE) {
        return cached;
      }
    }
    Response r;
    try {
      PlotData data = StudyPlots.of(kind, trials, study.directions(), params, objective);
      r = Response.json(200, EchartsOptions.option(data));
    } catch (IllegalArgumentException e) {
      r = Response.json(422, StudyJson.error(e.getMessage()));
    }
    synchronized (plotCache) {
      plotCache.put(key, r);
    }
    return r;
  }

  private Optional<FrozenStudy> study(long id) {
    for (FrozenStudy s : storage.getAllStudies()) {
      if (s.studyId() == id) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static Response notFound() {
    return Response.text(404, "Not found");
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        q.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        q.putIfAbsent("", "");
      }
    }
    return q;
  }
}
