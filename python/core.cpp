// python/core.cpp -- collapse._core, the compiled half of the Python package `collapse` (issue 14). The
// public API, its docstrings and the conversions to mpmath/Fraction/numpy live in python/collapse/__init__.py;
// this file only crosses the language boundary, always through the same library entry points as the
// command line:
//   eval      -> eval::build_request (the one request builder) + eval::evaluate_certified
//   sweep     -> eval::build_request once, then per grid point eval::validate + the entry's double evaluator
//   simulate  -> cli::simulation_config_from (the options of `collapse simulate`) + numerics::run_simulation
//   verify    -> harness::select_suites/run_suites + the summary table of `collapse verify` (as JSON)
// Errors: collapse::domain_error -> ValueError (its message is the CLI's line after "collapse: error: ");
// collapse::convergence_error -> collapse.CertificationError. Long calls release the GIL and poll
// PyErr_CheckSignals (Ctrl-C): about every 50 ms between sweep points, in the simulator's progress callback
// (which cancels the run) and while waiting for a certified evaluation; at every log line of verify.
#include "cli/simulate_config.hpp"
#include "eval/catalogue.hpp"
#include "eval/decimal.hpp"
#include "harness/runner.hpp"
#include "numerics/simulate.hpp"
#include "report/table.hpp"
#include "theory/errors.hpp"

#include <fmt/format.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <thread>

namespace py = pybind11;
using namespace collapse;

namespace {

using clock_type = std::chrono::steady_clock;

/// Polls Python's signal handlers (Ctrl-C) at most every 50 ms, from a thread that released the GIL; a
/// pending KeyboardInterrupt becomes py::error_already_set, thrown on the calling thread.
class signal_poll {
public:
  void operator()() {
    const auto now = clock_type::now();
    if (now - last_ < std::chrono::milliseconds(50)) return;
    last_ = now;
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  }

private:
  clock_type::time_point last_ = clock_type::now();
};

/// The thread certified evaluations run on. It lives across calls because the evaluators keep per-thread
/// caches (power-law head powers, Gauss-Legendre nodes, zeta values): a fresh thread per call made a
/// 10 ms evaluation take 240 ms. An empty job retires it. Touched only with the GIL held.
struct worker {
  std::mutex m;
  std::condition_variable cv;
  std::deque<std::function<void()>> jobs;

  static std::shared_ptr<worker> start() {
    auto w = std::make_shared<worker>();
    std::thread([w] {
      for (;;) {
        std::function<void()> job;
        {
          std::unique_lock lock(w->m);
          w->cv.wait(lock, [&] { return !w->jobs.empty(); });
          job = std::move(w->jobs.front());
          w->jobs.pop_front();
        }
        if (!job) return;
        job();
      }
    }).detach();
    return w;
  }
  void post(std::function<void()> job) {
    std::lock_guard lock(m);
    jobs.push_back(std::move(job));
    cv.notify_one();
  }
};
std::shared_ptr<worker> evaluation_worker;

/// Runs f() on the evaluation worker while the calling thread (GIL released) waits and polls for Ctrl-C. On
/// an interrupt the call returns at once with KeyboardInterrupt; the worker, which cannot be stopped inside
/// the evaluator, finishes that evaluation in the background, drops its result and retires (the next call
/// starts a new worker).
template <class T, class F> T interruptible(F f) {
  struct state {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::optional<T> value;
    std::exception_ptr error;
  };
  auto s = std::make_shared<state>();
  if (!evaluation_worker) evaluation_worker = worker::start();
  evaluation_worker->post([s, f = std::move(f)]() mutable {
    std::optional<T> v;
    std::exception_ptr e;
    try { v.emplace(f()); } catch (...) { e = std::current_exception(); }
    std::lock_guard lock(s->m);
    s->value = std::move(v);
    s->error = e;
    s->done = true;
    s->cv.notify_all();
  });
  try {
    py::gil_scoped_release release;
    signal_poll poll;
    std::unique_lock lock(s->m);
    while (!s->cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return s->done; })) {
      lock.unlock();
      poll();
      lock.lock();
    }
  } catch (const py::error_already_set&) {
    evaluation_worker->post({});  // retire the busy worker after its evaluation
    evaluation_worker.reset();
    throw;
  }
  if (s->error) std::rethrow_exception(s->error);
  return std::move(*s->value);
}

py::object json_to_python(const nlohmann::json& j) {
  return py::module_::import("json").attr("loads")(j.dump());
}

// ---- eval ------------------------------------------------------------------------------------------------

py::dict eval_certified(const std::string& quantity, const std::map<std::string, std::string>& options, int digits) {
  eval::eval_request req = eval::build_request(quantity, options, digits);  // parse errors: ValueError, GIL held
  eval::eval_output out = interruptible<eval::eval_output>([req] { return eval::evaluate_certified(req); });
  py::dict d;
  d["quantity"] = out.quantity;
  d["digits"] = out.digits;
  d["value"] = out.value;
  d["exact"] = out.exact ? py::cast(*out.exact) : py::none();
  py::list comps;
  for (const auto& [k, v] : out.components) comps.append(py::make_tuple(k, v));
  d["components"] = comps;
  d["diagnostics"] = json_to_python(out.diagnostics);
  return d;
}

// ---- sweep -----------------------------------------------------------------------------------------------

py::dict sweep(const std::string& quantity, std::map<std::string, std::string> options, const std::string& over,
               py::array_t<double, py::array::c_style | py::array::forcecast> grid) {
  if (grid.ndim() != 1) throw domain_error("grid", fmt::format("an array of {} dimensions", grid.ndim()), "a one-dimensional array");
  const std::size_t n = static_cast<std::size_t>(grid.shape(0));
  if (n == 0) throw domain_error("grid", "(empty)", "at least one value");
  const double* x = grid.data();
  const eval::quantity_info& qi = eval::find_quantity(quantity);
  if (!qi.find_parameter(over)) {
    std::string ps;
    for (const auto& p : qi.parameters) ps += " " + p.name;
    for (const auto& p : qi.generator_parameters) ps += " " + p.name;
    throw domain_error("over", over, "a numeric parameter of " + qi.name + ":" + ps);
  }
  options[over] = "0";  // a placeholder the builder parses; each point replaces it with its exact value
  eval::eval_request req = eval::build_request(quantity, options, 30);
  std::vector<py::array_t<double>> arrays;
  std::vector<std::string> names;
  py::array_t<double> values(n);
  double* v = values.mutable_data();
  std::vector<std::vector<double>> comps;
  {
    py::gil_scoped_release release;
    signal_poll poll;
    for (std::size_t i = 0; i < n; ++i) {
      poll();
      // A float is its exact binary value; messages show its shortest round-trip decimal.
      if (!std::isfinite(x[i])) throw domain_error("--" + over, fmt::format("{}", x[i]), "a finite number");
      req.params[over] = exact_number{eval::exact_value(x[i]), false, fmt::format("{}", x[i])};
      eval::validate(req, qi);
      const eval::arguments args(req);
      std::vector<std::pair<std::string, double>> c;
      if (qi.exact()) {
        auto e = qi.evaluate_exact(args);
        v[i] = to_real<double>(e.value);
        for (auto& [k, q] : e.components) c.emplace_back(k, to_real<double>(q));
      } else {
        auto e = qi.evaluate_double(args, eval::route::primary);
        v[i] = e.value;
        c = std::move(e.components);
      }
      if (i == 0) {
        for (auto& [k, q] : c) names.push_back(k);
        comps.assign(names.size(), std::vector<double>(n));
      }
      bool same = c.size() == names.size();
      for (std::size_t j = 0; same && j < c.size(); ++j) same = c[j].first == names[j];
      if (!same)
        throw domain_error("--" + over, fmt::format("{}", x[i]), "a grid on which " + qi.name + " has the same components throughout",
                           "its components differ from those at the first grid point");
      for (std::size_t j = 0; j < c.size(); ++j) comps[j][i] = c[j].second;
      if (!std::isfinite(v[i]))
        throw convergence_error(fmt::format("{}: a non-finite value in double at {} = {}", qi.name, over, x[i]));
    }
  }
  py::dict d;
  d["value"] = values;
  py::dict cd;
  for (std::size_t j = 0; j < names.size(); ++j) cd[py::str(names[j])] = py::array_t<double>(n, comps[j].data());
  d["components"] = cd;
  return d;
}

// ---- simulate --------------------------------------------------------------------------------------------

py::dict simulate(const std::map<std::string, std::string>& options) {
  const numerics::simulation_config c = cli::simulation_config_from(options);
  numerics::simulation_result r;
  {
    py::gil_scoped_release release;
    signal_poll poll;
    r = numerics::run_simulation(c, [&](const numerics::progress_info&) { poll(); });
  }
  const std::size_t n = r.rows.size();
  py::array_t<long long> generation(n), trials(n);
  py::array_t<double> lambda(n), mean(n), se(n), lo(n), hi(n);
  py::list reasons;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& e = r.rows[i];
    generation.mutable_at(i) = e.generation;
    trials.mutable_at(i) = static_cast<long long>(e.trials);
    lambda.mutable_at(i) = e.lambda;
    mean.mutable_at(i) = e.mean;
    se.mutable_at(i) = e.se;  // NaN exactly when the row has no interval (infinite variance); reason below
    lo.mutable_at(i) = e.ci95_low;
    hi.mutable_at(i) = e.ci95_high;
    reasons.append(e.interval ? py::none() : py::cast(e.no_interval_reason));
  }
  py::dict d;
  d["generation"] = generation;
  d["lambda"] = lambda;
  d["mean"] = mean;
  d["se"] = se;
  d["ci_lo"] = lo;
  d["ci_hi"] = hi;
  d["trials"] = trials;
  d["no_interval"] = reasons;
  d["total_trials"] = r.trials;
  d["elapsed_seconds"] = r.elapsed_seconds;
  d["seed"] = c.seed;
  d["engine"] = numerics::to_string(c.engine);
  d["estimator"] = numerics::to_string(c.estimator);
  return d;
}

// ---- verify ----------------------------------------------------------------------------------------------

/// The log of run_suites: lines go to a Python callable (or nowhere); on the calling thread every line
/// also polls for Ctrl-C. Lines written by worker threads are serialised by the runner's own mutex.
class log_buffer : public std::streambuf {
public:
  log_buffer(py::object sink) : sink_(std::move(sink)), owner_(std::this_thread::get_id()) {}

protected:
  int overflow(int ch) override {
    if (ch == traits_type::eof()) return 0;
    line_ += static_cast<char>(ch);
    if (ch == '\n') flush_line();
    return ch;
  }
  std::streamsize xsputn(const char* s, std::streamsize k) override {
    for (std::streamsize i = 0; i < k; ++i) overflow(static_cast<unsigned char>(s[i]));
    return k;
  }

private:
  void flush_line() {
    std::string line;
    line.swap(line_);
    const bool owner = std::this_thread::get_id() == owner_;
    if (sink_.is_none() && !owner) return;
    py::gil_scoped_acquire gil;
    if (!sink_.is_none()) sink_(line);
    if (owner && PyErr_CheckSignals() != 0) throw py::error_already_set();
  }
  py::object sink_;
  std::thread::id owner_;
  std::string line_;
};

py::tuple verify(const std::vector<std::string>& suites, const std::string& suites_dir, bool full, std::uint64_t seed, int threads,
                 py::object log) {
  harness::run_options opt;
  opt.suites = suites;
  opt.suites_dir = suites_dir.empty() ? harness::default_suites_dir() : suites_dir;
  opt.full = full;
  opt.seed = seed;
  if (threads < 1 || threads > 256) throw domain_error("threads", std::to_string(threads), "an integer 1 <= threads <= 256");
  opt.threads = threads;
  harness::run_outcome out;
  std::string summary;
  {
    log_buffer buf(std::move(log));
    py::gil_scoped_release release;
    std::ostream os(&buf);
    os.exceptions(std::ios::badbit);  // an interrupt thrown by the buffer propagates instead of setting badbit
    out = harness::run_suites(opt, os);
    summary = harness::render_summary(out, "json");
  }
  return py::make_tuple(json_to_python(nlohmann::json::parse(summary)), out.pass, out.seconds);
}

// ---- the catalogue ---------------------------------------------------------------------------------------

py::list quantities() {
  py::list out;
  for (const auto& q : eval::catalogue()) {
    py::dict d;
    d["name"] = q.name;
    d["section"] = q.section;
    d["description"] = q.description;
    std::vector<std::string> ps, gs;
    for (const auto& p : q.parameters) ps.push_back(p.name);
    for (const auto& p : q.generator_parameters) gs.push_back(p.name);
    d["parameters"] = ps;
    d["generator_parameters"] = gs;
    d["uses_spectrum"] = q.uses_spectrum;
    d["components"] = q.components;
    d["exact"] = q.exact();
    out.append(d);
  }
  return out;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "collapse._core: the compiled part of the Python package collapse (use `import collapse`).";
  static py::exception<convergence_error> certification_error(m, "CertificationError", PyExc_ArithmeticError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const domain_error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const convergence_error& e) {
      certification_error(e.what());
    }
  });
  m.def("eval", &eval_certified, py::arg("quantity"), py::arg("options"), py::arg("digits"));
  m.def("sweep", &sweep, py::arg("quantity"), py::arg("options"), py::arg("over"), py::arg("grid"));
  m.def("simulate", &simulate, py::arg("options"));
  m.def("verify", &verify, py::arg("suites"), py::arg("suites_dir"), py::arg("full"), py::arg("seed"), py::arg("threads"),
        py::arg("log"));
  m.def("quantities", &quantities);
  m.def("parameter_names", [] { return eval::all_parameter_names(); });
  m.def("parameter_help", &eval::parameter_help);
  m.def("data_dir", [] { return harness::default_suites_dir(); }, "the suites directory verify() reads by default");
}
