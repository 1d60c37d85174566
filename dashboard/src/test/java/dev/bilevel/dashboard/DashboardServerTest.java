package dev.bilevel.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.storage.InMemoryStorage;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DashboardServerTest {
  static final String EVIL = "</script><img src=x onerror=alert(1)>";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static InMemoryStorage storage;
  private static DashboardServer server;
  private static long studyId;
  private static long evilId;

  @BeforeAll
  static void start() throws IOException {
    storage = new InMemoryStorage();
    studyId = TestStudies.populate(storage, "api-study", 50, 7);
    evilId = storage.createNewStudy(List.of(StudyDirection.MINIMIZE), EVIL);
    Map<String, Distribution> d = Map.of(EVIL, FloatDistribution.uniform(0, 1));
    storage.createNewTrial(evilId, TestStudies.trial(TrialState.COMPLETE, List.of(1.0),
        Map.of(EVIL, 0.5), d, null, 0));
    server = DashboardServer.start(storage, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Sends one raw request, exactly as written, and returns the status line and the body. */
  static String[] raw(DashboardServer s, String method, String path, String host) throws IOException {
    try (Socket socket = new Socket(s.address().getAddress(), s.port())) {
      OutputStream out = socket.getOutputStream();
      out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host
          + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = all.indexOf("\r\n\r\n");
      return new String[] {all.substring(0, all.indexOf("\r\n")), all.substring(0, split),
          all.substring(split + 4)};
    }
  }

  static JsonNode get(DashboardServer s, String path) throws IOException {
    String[] r = raw(s, "GET", path, "127.0.0.1:" + s.port());
    assertThat(r[0]).as(path).contains(" 200 ");
    return JSON.readTree(r[2]);
  }

  @Test
  void bindsToLoopbackByDefaultAddress() {
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(server.uri().toString()).startsWith("http://127.0.0.1:");
  }

  @Test
  void listsStudiesWithCountsAndBest() throws IOException {
    JsonNode list = get(server, "/api/studies");
    JsonNode s = list.get(0);
    assertThat(s.get("name").asText()).isEqualTo("api-study");
    assertThat(s.get("nTrials").asInt()).isEqualTo(50);
    assertThat(s.get("states").get("PRUNED").asInt()).isEqualTo(5);
    assertThat(s.get("states").get("FAIL").asInt()).isEqualTo(1);
    double best = storage.getBestTrial(studyId).value();
    assertThat(s.get("bestValue").asDouble()).isEqualTo(best);
  }

  @Test
  void studyTrialsIncrementalAndDetail() throws IOException {
    JsonNode study = get(server, "/api/studies/" + studyId);
    assertThat(study.get("params")).extracting(JsonNode::asText)
        .containsExactly("layers", "lr", "optimizer", "x");
    JsonNode since = get(server, "/api/studies/" + studyId + "/trials?since=45");
    assertThat(since.get("count").asInt()).isEqualTo(50);
    assertThat(since.get("trials")).extracting(t -> t.get("number").asInt())
        .containsExactly(45, 46, 47, 48, 49);
    JsonNode t = get(server, "/api/studies/" + studyId + "/trials/3");
    assertThat(t.get("number").asInt()).isEqualTo(3);
    assertThat(t.get("intermediate")).hasSize(5);
    assertThat(t.get("params").get("optimizer").isTextual()).isTrue();
    assertThat(t.get("duration").asDouble()).isEqualTo(1.5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"history", "intermediate", "parallel", "contour", "slice", "importance",
      "edf", "timeline"})
  void plotsAreEchartsOptions(String kind) throws IOException {
    JsonNode o = get(server, "/api/studies/" + studyId + "/plots/" + kind);
    assertThat(o.get("series").size()).isPositive();
    assertThat(o.get("tooltip").get("renderMode").asText()).isEqualTo("richText");
  }

  @Test
  void plotParametersAreValidated() throws IOException {
    String base = "/api/studies/" + studyId + "/plots/";
    String host = "127.0.0.1";
    assertThat(raw(server, "GET", base + "contour?params=x,nope", host)[0]).contains(" 400 ");
    assertThat(raw(server, "GET", base + "history?objective=1", host)[0]).contains(" 400 ");
    assertThat(raw(server, "GET", base + "pareto", host)[0]).contains(" 422 ");
    assertThat(raw(server, "GET", base + "pie", host)[0]).contains(" 404 ");
    JsonNode c = get(server, base + "contour?params=lr,x");
    assertThat(c.get("xAxis").get("name").asText()).isEqualTo("log10(lr)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"})
  void onlyGetIsAllowed(String method) throws IOException {
    String[] r = raw(server, method, "/api/studies/" + studyId, "127.0.0.1");
    assertThat(r[0]).contains(" 405 ");
    assertThat(r[1]).containsIgnoringCase("Allow: GET, HEAD");
    assertThat(storage.getAllStudies()).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/static/../pom.xml", "/static/..%2f..%2fDashboardServer.class",
      "/static/%2e%2e/Routes.class", "/static/", "/static/a/b.js", "/../../etc/passwd",
      "/api/studies/../../etc/passwd", "/api/studies/abc", "/api/studies/999",
      "/api/studies/1%2f..", "/studies/x", "/api/studies/1/trials/x", "/api/studies/1/trials/9999",
      "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.js", "/static/StudyJson.class"})
  void unknownAndTraversalPathsAreNotFound(String path) throws IOException {
    assertThat(raw(server, "GET", path, "127.0.0.1")[0]).contains(" 404 ");
  }

  @Test
  void badQueryIsRejectedAndForeignHostForbidden() throws IOException {
    String p = "/api/studies/" + studyId + "/trials?since=-1";
    assertThat(raw(server, "GET", p, "127.0.0.1")[0]).contains(" 400 ");
    assertThat(raw(server, "GET", "/api/studies", "evil.example:80")[0]).contains(" 403 ");
    assertThat(raw(server, "GET", "/api/studies", "localhost:" + server.port())[0]).contains(" 200 ");
  }

  @Test
  void pagesCarrySecurityHeadersAndNoInlineScript() throws IOException {
    for (String path : List.of("/", "/studies/" + studyId)) {
      String[] r = raw(server, "GET", path, "127.0.0.1");
      assertThat(r[0]).contains(" 200 ");
      assertThat(r[1]).containsIgnoringCase("Content-Security-Policy: default-src 'self'; script-src 'self'")
          .containsIgnoringCase("X-Content-Type-Options: nosniff");
      assertThat(r[2]).doesNotContain("<script>").contains("<script src=\"/static/");
    }
    assertThat(raw(server, "GET", "/static/echarts.min.js", "127.0.0.1")[2]).contains("echarts");
  }

  @Test
  void hostileNamesNeverReachTheWireAsMarkup() throws IOException {
    for (String path : List.of("/api/studies", "/api/studies/" + evilId,
        "/api/studies/" + evilId + "/trials", "/api/studies/" + evilId + "/plots/slice")) {
      String body = raw(server, "GET", path, "127.0.0.1")[2];
      assertThat(body).doesNotContain("<").contains("\\u003C/script\\u003E");
    }
    assertThat(get(server, "/api/studies/" + evilId).get("name").asText()).isEqualTo(EVIL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"optuna-3.1.0.db", "optuna-5.0.0.db"})
  void opensOptunaWrittenDatabases(String fixture, @TempDir Path dir) throws IOException {
    Path db = dir.resolve(fixture);
    Files.copy(Path.of("../storage-jdbc/src/test/resources/fixtures", fixture), db,
        StandardCopyOption.REPLACE_EXISTING);
    try (JdbcStorage jdbc = JdbcStorage.open("sqlite:///" + db);
        DashboardServer s = DashboardServer.start(jdbc, "127.0.0.1", 0)) {
      JsonNode list = get(s, "/api/studies");
      assertThat(list).extracting(n -> n.get("name").asText()).contains("fixture", "fixture-mo");
      long id = jdbc.getStudyIdFromName("fixture");
      JsonNode trials = get(s, "/api/studies/" + id + "/trials");
      assertThat(trials.get("count").asInt()).isEqualTo(7);
      assertThat(trials.get("trials").get(1).get("values").get(0).asText()).isEqualTo("Infinity");
      JsonNode first = get(s, "/api/studies/" + id + "/trials/0");
      assertThat(first.get("userAttrs").get("note").asText()).isEqualTo("first");
      for (String kind : List.of("history", "intermediate", "parallel", "contour", "slice",
          "importance", "edf", "timeline")) {
        assertThat(raw(s, "GET", "/api/studies/" + id + "/plots/" + kind, "127.0.0.1")[0])
            .as(kind).containsAnyOf(" 200 ", " 422 ");
      }
      long mo = jdbc.getStudyIdFromName("fixture-mo");
      JsonNode pareto = get(s, "/api/studies/" + mo + "/plots/pareto");
      assertThat(pareto.get("series").get(0).get("data").size()).isEqualTo(1);
    }
  }
}
