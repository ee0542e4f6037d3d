#include "engine/network_graph.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <cmath>
#include <functional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "engine/error.hpp"
#include "engine/text.hpp"

namespace pitstop::engine {
namespace {

// Vertices: services 0..S-1, then exit. Edges: routes with p > 0.
using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                          boost::property<boost::edge_weight_t, double>>;

std::string service_key(const ServiceSpec& s) {
  return "services." + s.name;
}

std::string fmt_p(double p) {
  std::ostringstream os;
  os << p;
  return os.str();
}

std::string dot_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

NetworkGraph::NetworkGraph(const NetworkSpec& spec) : spec_(spec) {
  const std::size_t n = spec_.services.size();
  if (n == 0) throw SpecError("services", "the network has no services");
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& name = spec_.services[i].name;
    if (name == kExitName) {
      throw SpecError(service_key(spec_.services[i]), "'exit' is reserved for leaving the network");
    }
    if (!index.emplace(name, i).second) {
      throw SpecError(service_key(spec_.services[i]), "duplicate service name '" + name + "'");
    }
    names.push_back(name);
  }
  std::vector<std::string> destinations = names;
  destinations.push_back(kExitName);
  auto unknown = [&](const std::string& key, const std::string& to) {
    std::string msg = "unknown destination '" + to + "'";
    std::string guess = closest_name(to, destinations);
    if (!guess.empty()) msg += " (did you mean '" + guess + "'?)";
    msg += "; a destination is 'exit' or one of the services";
    throw SpecError(key, msg);
  };

  for (std::size_t s = 0; s < spec_.sources.size(); ++s) {
    const SourceSpec& src = spec_.sources[s];
    const std::string key = "arrivals[" + std::to_string(s) + "]";
    auto it = index.find(src.to);
    if (it == index.end()) {
      if (src.to == kExitName)
        throw SpecError(key + ".to", "arrivals must go to a service, not 'exit'");
      unknown(key + ".to", src.to);
    }
    source_to_.push_back(it->second);
    for (std::size_t k = 1; k < src.at_days.size(); ++k) {
      if (src.at_days[k] < src.at_days[k - 1]) {
        throw SpecError(key + ".at_days", "scripted arrival times must not decrease");
      }
    }
  }

  routes_ = check_services(spec_, index, unknown, "");

  // Later terms: dated, and the network as it stands from each date passes the same checks.
  std::vector<Time> dates;
  for (const ServiceSpec& s : spec_.services) {
    for (std::size_t k = 0; k < s.later.size(); ++k) {
      const Time from = s.later[k].from;
      if (!(from > 0) || (k > 0 && !(from > s.later[k - 1].from))) {
        throw SpecError(service_key(s), "later terms of '" + s.name +
                                            "' must start after day 0, in increasing "
                                            "order of date");
      }
      dates.push_back(from);
    }
  }
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  later_routes_.resize(n);
  for (Time t : dates) {
    NetworkSpec at = spec_;
    for (ServiceSpec& s : at.services) {
      for (const ServiceTerms& terms : s.later) {
        if (terms.from > t) break;
        s.duration = terms.duration;
        s.queue_capacity = terms.queue_capacity;
        s.renege_after_days = terms.renege_after_days;
        s.routes = terms.routes;
      }
      s.later.clear();
    }
    auto routes = check_services(at, index, unknown, " (in the terms from day " + fmt_p(t) + ")");
    for (std::size_t i = 0; i < n; ++i) {
      const auto& later = spec_.services[i].later;
      for (std::size_t k = 0; k < later.size(); ++k) {
        if (later[k].from == t) later_routes_[i].push_back(routes[i]);
      }
    }
  }
}

const std::vector<ResolvedRoute>& NetworkGraph::routes_in_terms(std::size_t service,
                                                                std::size_t terms) const {
  return terms == 0 ? routes_[service] : later_routes_[service][terms - 1];
}

std::vector<std::vector<ResolvedRoute>> NetworkGraph::check_services(
    const NetworkSpec& spec, const std::unordered_map<std::string, std::size_t>& index,
    const std::function<void(const std::string&, const std::string&)>& unknown,
    const std::string& when) {
  const std::size_t n = spec.services.size();
  std::vector<std::vector<ResolvedRoute>> out(n);
  Graph g(n + 1);
  const std::size_t exit_v = n;
  for (std::size_t i = 0; i < n; ++i) {
    const ServiceSpec& s = spec.services[i];
    const std::string key = service_key(s) + ".routes";
    if (s.routes.empty()) {
      out[i].push_back({kExitIndex, 1.0});
      boost::add_edge(i, exit_v, 1.0, g);
      continue;
    }
    double sum = 0;
    for (std::size_t k = 0; k < s.routes.size(); ++k) {
      const RouteSpec& r = s.routes[k];
      const std::string rkey = key + "[" + std::to_string(k) + "]";
      if (!(r.p >= 0 && r.p <= 1)) {
        throw SpecError(rkey + ".p",
                        "a route probability must be between 0 and 1, got " + fmt_p(r.p) + when);
      }
      std::size_t to;
      if (r.to == kExitName) {
        to = kExitIndex;
      } else {
        auto it = index.find(r.to);
        if (it == index.end()) unknown(rkey + ".to", r.to);
        to = it->second;
      }
      sum += r.p;
      out[i].push_back({to, r.p});
      if (r.p > 0) boost::add_edge(i, to == kExitIndex ? exit_v : to, r.p, g);
    }
    if (std::fabs(sum - 1.0) > 1e-9) {
      throw SpecError(
          key, "route probabilities of '" + s.name + "' sum to " + fmt_p(sum) + ", not 1" + when);
    }
  }

  // A keeps_origin service holds its entrants' previous place: its routes may not lead into a
  // service that would hold a second one (another keeps_origin service, or itself).
  for (std::size_t i = 0; i < n; ++i) {
    const ServiceSpec& s = spec.services[i];
    if (!s.keeps_origin) continue;
    for (std::size_t k = 0; k < out[i].size(); ++k) {
      const ResolvedRoute& r = out[i][k];
      if (r.to == kExitIndex || !(r.p > 0) || !spec.services[r.to].keeps_origin) continue;
      const std::string rkey = service_key(s) + ".routes[" + std::to_string(k) + "].to";
      if (r.to == i) {
        throw SpecError(rkey, "'" + s.name +
                                  "' keeps the place its people came from (keeps_origin) and "
                                  "routes back to itself; route elsewhere or to exit" +
                                  when);
      }
      throw SpecError(rkey, "'" + s.name + "' and '" + spec.services[r.to].name +
                                "' both keep the place their people came from (keeps_origin): "
                                "a route from one to the other would hold two places; route "
                                "through a service that does not keep origins" +
                                when);
    }
  }

  // Every service must be able to reach exit (search backwards from exit).
  std::vector<boost::default_color_type> colour(n + 1, boost::white_color);
  auto reversed = boost::make_reverse_graph(g);
  boost::breadth_first_search(reversed, exit_v,
                              boost::color_map(boost::make_iterator_property_map(
                                  colour.begin(), boost::get(boost::vertex_index, reversed))));
  for (std::size_t i = 0; i < n; ++i) {
    if (colour[i] == boost::white_color) {
      throw SpecError(service_key(spec.services[i]) + ".routes",
                      "'" + spec.services[i].name +
                          "' can never reach exit: every path from it loops back without leaving" +
                          when);
    }
  }

  // Cycles made only of services whose duration can be zero would loop forever in one instant.
  Graph zero(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!spec.services[i].duration.can_be_zero()) continue;
    for (const ResolvedRoute& r : out[i]) {
      if (r.to != kExitIndex && r.p > 0 && spec.services[r.to].duration.can_be_zero()) {
        if (r.to == i) {
          throw SpecError(service_key(spec.services[i]) + ".duration_days",
                          "'" + spec.services[i].name +
                              "' routes back to itself with a duration that can be zero: a "
                              "cycle of zero duration" +
                              when);
        }
        boost::add_edge(i, r.to, 1.0, zero);
      }
    }
  }
  std::vector<std::size_t> component(n);
  const std::size_t count = boost::strong_components(
      zero,
      boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, zero)));
  std::vector<std::size_t> size(count, 0);
  for (std::size_t c : component)
    ++size[c];
  for (std::size_t i = 0; i < n; ++i) {
    if (size[component[i]] > 1) {
      std::string members;
      for (std::size_t j = 0; j < n; ++j) {
        if (component[j] == component[i])
          members += (members.empty() ? "" : ", ") + spec.services[j].name;
      }
      throw SpecError(service_key(spec.services[i]) + ".duration_days",
                      "a cycle of zero duration through " + members +
                          ": at least one service on a cycle needs a duration that cannot be 0" +
                          when);
    }
  }
  return out;
}

std::size_t NetworkGraph::service_index(const std::string& name) const {
  if (name == kExitName) return kExitIndex;
  for (std::size_t i = 0; i < spec_.services.size(); ++i) {
    if (spec_.services[i].name == name) return i;
  }
  throw SpecError("services", "no service named '" + name + "'");
}

std::vector<OfferedLoad> NetworkGraph::offered_loads(Time horizon) const {
  const std::size_t n = spec_.services.size();
  // (I − Pᵀ) λ = γ, solved by Gaussian elimination with partial pivoting.
  std::vector<std::vector<double>> a(n, std::vector<double>(n + 1, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    a[i][i] = 1.0;
  for (std::size_t s = 0; s < spec_.sources.size(); ++s) {
    const SourceSpec& src = spec_.sources[s];
    double gamma = src.at_days.empty() ? src.rate.expected_count(0, horizon) / horizon
                                       : static_cast<double>(src.at_days.size()) / horizon;
    a[source_to_[s]][n] += gamma;
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (const ResolvedRoute& r : routes_[i]) {
      if (r.to != kExitIndex) a[r.to][i] -= r.p;
    }
  }
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < n; ++r) {
      if (std::fabs(a[r][col]) > std::fabs(a[pivot][col])) pivot = r;
    }
    std::swap(a[col], a[pivot]);
    const double d = a[col][col];
    if (std::fabs(d) < 1e-300) continue;
    for (std::size_t c = col; c <= n; ++c)
      a[col][c] /= d;
    for (std::size_t r = 0; r < n; ++r) {
      if (r == col || a[r][col] == 0) continue;
      const double f = a[r][col];
      for (std::size_t c = col; c <= n; ++c)
        a[r][c] -= f * a[col][c];
    }
  }
  std::vector<OfferedLoad> out;
  for (std::size_t i = 0; i < n; ++i) {
    const ServiceSpec& s = spec_.services[i];
    OfferedLoad l;
    l.service = s.name;
    l.arrival_rate = a[i][n];
    l.mean_capacity = s.capacity.average(0, horizon);
    // Time in a place here: the duration, plus the time at a keeps_origin service routed to
    // (while the place here is held; waits there are not counted).
    double hold = s.duration.mean();
    for (const ResolvedRoute& r : routes_[i]) {
      if (r.to != kExitIndex && r.to != i && spec_.services[r.to].keeps_origin)
        hold += r.p * spec_.services[r.to].duration.mean();
    }
    const double work = l.arrival_rate * hold;
    l.load = l.mean_capacity > 0 ? work / l.mean_capacity : (work > 0 ? INFINITY : 0.0);
    out.push_back(l);
  }
  return out;
}

std::string NetworkGraph::to_dot() const {
  std::ostringstream os;
  os << "digraph \"" << dot_escape(spec_.name) << "\" {\n"
     << "  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
  for (std::size_t s = 0; s < spec_.sources.size(); ++s) {
    os << "  \"src:" << dot_escape(spec_.sources[s].name) << "\" [shape=ellipse, label=\""
       << dot_escape(spec_.sources[s].name) << "\"];\n";
  }
  for (const ServiceSpec& s : spec_.services) {
    os << "  \"" << dot_escape(s.name) << "\" [shape=box, label=\"" << dot_escape(s.name)
       << "\\ncapacity " << s.capacity.value_at(0)
       << (s.capacity.is_constant() ? "" : " (scheduled)")
       << (s.keeps_origin ? "\\nkeeps origin place" : "") << "\"];\n";
  }
  os << "  \"" << kExitName << "\" [shape=doublecircle];\n";
  for (std::size_t s = 0; s < spec_.sources.size(); ++s) {
    os << "  \"src:" << dot_escape(spec_.sources[s].name) << "\" -> \""
       << dot_escape(spec_.services[source_to_[s]].name) << "\";\n";
  }
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    for (const ResolvedRoute& r : routes_[i]) {
      const std::string to = r.to == kExitIndex ? kExitName : spec_.services[r.to].name;
      os << "  \"" << dot_escape(spec_.services[i].name) << "\" -> \"" << dot_escape(to)
         << "\" [label=\"" << fmt_p(r.p) << "\"];\n";
    }
  }
  os << "}\n";
  return os.str();
}

}  // namespace pitstop::engine
