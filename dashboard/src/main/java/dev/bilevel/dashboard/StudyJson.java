package dev.bilevel.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bilevel.dashboard.plot.ScriptSafeJson;
import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.storage.FrozenStudy;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The dashboard API's JSON shapes, built from the Storage SPI's values. Times are ISO-8601
 * strings; non-finite values are the strings {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"}.
 */
final class StudyJson {
  private StudyJson() {}

  static ObjectNode studySummary(FrozenStudy s, List<FrozenTrial> trials) {
    ObjectNode o = study(s);
    o.put("nTrials", trials.size());
    ObjectNode counts = o.putObject("states");
    for (TrialState st : TrialState.values()) {
      counts.put(st.name(), trials.stream().filter(t -> t.state() == st).count());
    }
    if (s.directions().size() == 1) {
      StudyDirection d = s.directions().get(0);
      FrozenTrial best = null;
      for (FrozenTrial t : trials) {
        if (t.state() == TrialState.COMPLETE && t.values().size() == 1
            && !Double.isNaN(t.value()) && (best == null || d.isBetter(t.value(), best.value()))) {
          best = t;
        }
      }
      if (best != null) {
        o.put("bestValue", best.value());
        o.put("bestTrial", best.number());
      }
    }
    Instant last = null;
    for (FrozenTrial t : trials) {
      Instant i = t.datetimeComplete() != null ? t.datetimeComplete() : t.datetimeStart();
      if (i != null && (last == null || i.isAfter(last))) {
        last = i;
      }
    }
    o.put("lastActivity", last == null ? null : last.toString());
    return o;
  }

  static ObjectNode study(FrozenStudy s) {
    ObjectNode o = ScriptSafeJson.mapper().createObjectNode();
    o.put("id", s.studyId());
    o.put("name", s.studyName());
    ArrayNode dirs = o.putArray("directions");
    s.directions().forEach(d -> dirs.add(d.name()));
    return o;
  }

  static ObjectNode studyDetail(FrozenStudy s, List<String> params) {
    ObjectNode o = study(s);
    o.set("userAttrs", tree(s.userAttrs()));
    o.set("systemAttrs", tree(s.systemAttrs()));
    ArrayNode p = o.putArray("params");
    params.forEach(p::add);
    return o;
  }

  /** The row shape: everything the trial table needs, no attributes. */
  static ObjectNode trialRow(FrozenTrial t) {
    ObjectNode o = ScriptSafeJson.mapper().createObjectNode();
    o.put("number", t.number());
    o.put("state", t.state().name());
    ArrayNode v = o.putArray("values");
    t.values().forEach(v::add);
    o.put("start", t.datetimeStart() == null ? null : t.datetimeStart().toString());
    o.put("complete", t.datetimeComplete() == null ? null : t.datetimeComplete().toString());
    if (t.datetimeStart() != null && t.datetimeComplete() != null) {
      o.put("duration",
          (t.datetimeComplete().toEpochMilli() - t.datetimeStart().toEpochMilli()) / 1000.0);
    }
    o.set("params", tree(t.params()));
    o.put("steps", t.intermediateValues().size());
    return o;
  }

  /** The detail shape: the row plus attributes, distributions and intermediate values. */
  static ObjectNode trialDetail(FrozenTrial t) {
    ObjectNode o = trialRow(t);
    o.put("trialId", t.trialId());
    ObjectNode d = o.putObject("distributions");
    t.distributions().forEach((k, dist) -> d.put(k, dist.toString()));
    o.set("userAttrs", tree(t.userAttrs()));
    o.set("systemAttrs", tree(t.systemAttrs()));
    ArrayNode iv = o.putArray("intermediate");
    t.intermediateValues().forEach((step, val) -> iv.addArray().add(step).add(val));
    return o;
  }

  static ObjectNode error(String message) {
    return ScriptSafeJson.mapper().createObjectNode().put("error", message);
  }

  private static JsonNode tree(Map<String, Object> map) {
    return ScriptSafeJson.mapper().valueToTree(map);
  }
}
