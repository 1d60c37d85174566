package dev.bilevel.hpo.internal;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.distributions.Distribution;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Search spaces inferred from finished trials, for samplers that sample several parameters
 * jointly (Optuna's {@code IntersectionSearchSpace} and {@code _GroupDecomposedSearchSpace}).
 * Single-valued distributions are left out. Both cost {@code O(n·d)} for {@code n} trials of
 * {@code d} parameters.
 */
public final class SearchSpaces {
  private SearchSpaces() {}

  /**
   * The parameters that every given trial has, with the same distribution in all of them.
   *
   * @param trials the trials (already filtered by state)
   * @return name → distribution, sorted by name; empty when there are no trials
   */
  public static SortedMap<String, Distribution> intersection(List<FrozenTrial> trials) {
    TreeMap<String, Distribution> space = null;
    for (FrozenTrial t : trials) {
      if (space == null) {
        space = new TreeMap<>(t.distributions());
        continue;
      }
      Map<String, Distribution> d = t.distributions();
      space.entrySet().removeIf(e -> !e.getValue().equals(d.get(e.getKey())));
      if (space.isEmpty()) {
        break;
      }
    }
    if (space == null) {
      return new TreeMap<>();
    }
    space.entrySet().removeIf(e -> e.getValue().isSingle());
    return space;
  }

  /**
   * A partition of the parameters into groups that always occur together: each trial's parameter
   * set splits every group into its part inside and its part outside the set, and parameters not
   * seen before form a new group. A parameter keeps its most recent distribution.
   *
   * @param trials the trials (already filtered by state), in number order
   * @return the groups, each sorted by name, in order of first appearance
   */
  public static List<SortedMap<String, Distribution>> groups(List<FrozenTrial> trials) {
    List<SortedMap<String, Distribution>> groups = new ArrayList<>();
    for (FrozenTrial t : trials) {
      Map<String, Distribution> dists = t.distributions();
      Set<String> rest = new HashSet<>(dists.keySet());
      List<SortedMap<String, Distribution>> next = new ArrayList<>();
      for (SortedMap<String, Distribution> g : groups) {
        TreeMap<String, Distribution> in = new TreeMap<>();
        TreeMap<String, Distribution> out = new TreeMap<>();
        for (Map.Entry<String, Distribution> e : g.entrySet()) {
          if (dists.containsKey(e.getKey())) {
            in.put(e.getKey(), dists.get(e.getKey()));
          } else {
            out.put(e.getKey(), e.getValue());
          }
        }
        rest.removeAll(g.keySet());
        if (!in.isEmpty()) {
          next.add(in);
        }
        if (!out.isEmpty()) {
          next.add(out);
        }
      }
      TreeMap<String, Distribution> fresh = new TreeMap<>();
      for (String name : rest) {
        fresh.put(name, dists.get(name));
      }
      if (!fresh.isEmpty()) {
        next.add(fresh);
      }
      groups = next;
    }
    List<SortedMap<String, Distribution>> out = new ArrayList<>();
    for (SortedMap<String, Distribution> g : groups) {
      TreeMap<String, Distribution> kept = new TreeMap<>(g);
      kept.entrySet().removeIf(e -> e.getValue().isSingle());
      if (!kept.isEmpty()) {
        out.add(kept);
      }
    }
    return out;
  }
}
