// parallel/mpi/mpi_group.cpp -- see mpi_group.hpp.
#include "parallel/mpi/mpi_group.hpp"

#include <mpi.h>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <exception>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

namespace collapse::parallel {

namespace {

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) {
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, text, &len);
    throw std::runtime_error(fmt::format("MPI: {} failed: {}", what, std::string(text, len)));
  }
}

/// Waits for a request without spinning a core (Open MPI's blocking calls poll): MPI_Test every 200 µs.
void wait_quietly(MPI_Request& request) {
  for (int done = 0;;) {
    check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), "MPI_Test");
    if (done) return;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

class world_group final : public numerics::process_group {
public:
  world_group() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  std::vector<std::string> gather(const std::string& bytes) override {
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) throw std::runtime_error("MPI: a share above 2 GiB");
    int mine = static_cast<int>(bytes.size());
    std::vector<int> sizes(rank_ == 0 ? size_ : 0), offsets(sizes.size());
    check(MPI_Gather(&mine, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather");
    std::string all;
    long long total = 0;
    for (int r = 0; r < static_cast<int>(sizes.size()); ++r) {
      offsets[r] = static_cast<int>(total);
      total += sizes[r];
    }
    if (total > std::numeric_limits<int>::max()) throw std::runtime_error("MPI: a gathered batch above 2 GiB");
    all.resize(static_cast<std::size_t>(total));
    check(MPI_Gatherv(bytes.data(), mine, MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE, 0, MPI_COMM_WORLD), "MPI_Gatherv");
    std::vector<std::string> out;
    for (int r = 0; r < static_cast<int>(sizes.size()); ++r) out.push_back(all.substr(offsets[r], sizes[r]));
    return out;
  }

  std::string broadcast(const std::string& bytes) override {
    long long n = static_cast<long long>(bytes.size());
    check(MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD), "MPI_Bcast");
    std::string out = rank_ == 0 ? bytes : std::string(static_cast<std::size_t>(n), '\0');
    check(MPI_Bcast(out.data(), static_cast<int>(n), MPI_BYTE, 0, MPI_COMM_WORLD), "MPI_Bcast");
    return out;
  }

private:
  int rank_ = 0, size_ = 1;
};

enum tag : int {
  claim_tag = 101, answer_tag = 102, row_tag = 103, done_tag = 104,
  finished_tag = 105, take_tag = 106, part_answer_tag = 107, part_tag = 108
};

/// Rank 0 hands out row groups, and the parts of shared simulations, to whoever asks first
/// (harness::row_sharing). Rank 0's own requests go through the same tables under a mutex; a serving
/// thread on rank 0 answers the others (MPI_Iprobe every 100 µs, so it costs no core while idle).
/// Messages: CLAIM "suite\nkey" -> ANSWER "1"/"0"; FINISHED "suite\nkey" -> ANSWER "1"/"0";
/// TAKE "suite\nunit\nparts" -> PART_ANSWER (long long: the part, or -1); ROW "suite\njson";
/// PART "suite\nunit\nfirst\ncount\n" + the part's doubles as raw bytes; DONE.
class world_sharing final : public harness::row_sharing {
public:
  explicit world_sharing(std::shared_ptr<numerics::process_group> g) : group_(std::move(g)) {}
  ~world_sharing() override {
    if (server_.joinable()) server_.join();
  }
  int rank() const override { return group_->rank(); }
  int size() const override { return group_->size(); }

  bool open(bool ready, std::function<bool(const std::string&, const std::string&)> finished,
            std::function<void(const std::string&, const std::string&)> on_row,
            std::function<void(const std::string&, const std::string&, const harness::trial_part&)> on_part) override {
    ready = group_->broadcast(ready ? "1" : "0") == "1";
    if (!ready) return false;
    finished_ = std::move(finished);
    on_row_ = std::move(on_row);
    on_part_ = std::move(on_part);
    if (rank() == 0 && size() > 1) server_ = std::thread([this] { serve(); });
    return true;
  }

  bool claim(const std::string& suite, const std::string& key) override {
    if (rank() == 0) return decide(suite, key, 0);
    return ask(claim_tag, suite + "\n" + key);
  }

  bool finished(const std::string& suite, const std::string& key) override {
    if (rank() == 0) return is_finished(suite, key);
    return ask(finished_tag, suite + "\n" + key);
  }

  long take(const std::string& suite, const std::string& unit, long parts) override {
    if (rank() == 0) return next_part(suite, unit, parts);
    send(take_tag, suite + "\n" + unit + "\n" + std::to_string(parts));
    long long answer = -1;
    MPI_Request request;
    check(MPI_Irecv(&answer, 1, MPI_LONG_LONG, 0, part_answer_tag, MPI_COMM_WORLD, &request), "MPI_Irecv");
    wait_quietly(request);
    return static_cast<long>(answer);
  }

  void deliver_part(const std::string& suite, const std::string& unit, const harness::trial_part& part) override {
    if (rank() == 0) {
      std::lock_guard lock(mutex_);
      on_part_(suite, unit, part);
      return;
    }
    std::string bytes = fmt::format("{}\n{}\n{}\n{}\n", suite, unit, part.first, part.count);
    // a range above 2 GiB goes as failed (no values): rank 0 computes it itself rather than wait for it
    if (part.values.size() * sizeof(double) < static_cast<std::size_t>(std::numeric_limits<int>::max()) - bytes.size())
      bytes.append(reinterpret_cast<const char*>(part.values.data()), part.values.size() * sizeof(double));
    send(part_tag, bytes);
  }

  bool gathers() const override { return rank() == 0 && size() > 1; }

  void deliver(const std::string& suite, const std::string& row_json) override {
    if (rank() == 0) {
      std::lock_guard lock(mutex_);
      on_row_(suite, row_json);
    } else {
      send(row_tag, suite + "\n" + row_json);
    }
  }

  void close() override {
    if (rank() != 0) {
      send(done_tag, "");
      return;
    }
    if (server_.joinable()) server_.join();
    if (failure_) std::rethrow_exception(failure_);
  }

private:
  std::shared_ptr<numerics::process_group> group_;
  std::function<bool(const std::string&, const std::string&)> finished_;
  std::function<void(const std::string&, const std::string&)> on_row_;
  std::function<void(const std::string&, const std::string&, const harness::trial_part&)> on_part_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, int> owner_;
  std::map<std::pair<std::string, std::string>, long> next_;  // (suite, unit) -> the next part to hand out
  std::thread server_;
  std::exception_ptr failure_;

  bool decide(const std::string& suite, const std::string& key, int who) {
    std::lock_guard lock(mutex_);
    if (owner_.count({suite, key}) || (finished_ && finished_(suite, key))) return false;
    owner_[{suite, key}] = who;
    return true;
  }

  bool is_finished(const std::string& suite, const std::string& key) {
    std::lock_guard lock(mutex_);
    return finished_ && finished_(suite, key);
  }

  long next_part(const std::string& suite, const std::string& unit, long parts) {
    std::lock_guard lock(mutex_);
    long& next = next_[{suite, unit}];
    return next < parts ? next++ : -1;
  }

  /// A question to rank 0 answered by one character, '1' = yes.
  static bool ask(int t, const std::string& bytes) {
    send(t, bytes);
    char answer = 0;
    MPI_Request request;
    check(MPI_Irecv(&answer, 1, MPI_CHAR, 0, answer_tag, MPI_COMM_WORLD, &request), "MPI_Irecv");
    wait_quietly(request);
    return answer == '1';
  }

  /// A PART message after its suite line: "unit\nfirst\ncount\n", then the raw doubles.
  static std::pair<std::string, harness::trial_part> read_part(const std::string& bytes) {
    std::size_t at = 0;
    std::string fields[3];
    for (auto& f : fields) {
      const auto nl = bytes.find('\n', at);
      if (nl == std::string::npos) throw std::runtime_error("MPI: a malformed trial range message");
      f = bytes.substr(at, nl - at);
      at = nl + 1;
    }
    harness::trial_part part{std::stoull(fields[1]), std::stoull(fields[2]), {}};
    part.values.resize((bytes.size() - at) / sizeof(double));
    std::memcpy(part.values.data(), bytes.data() + at, part.values.size() * sizeof(double));
    return {fields[0], std::move(part)};
  }

  static void send(int t, const std::string& bytes) {
    check(MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, 0, t, MPI_COMM_WORLD), "MPI_Send");
  }

  void serve() {
    int done = 0;
    while (done < size() - 1) {
      int flag = 0;
      MPI_Status status;
      if (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status) != MPI_SUCCESS) break;
      if (!flag) {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        continue;
      }
      int count = 0;
      MPI_Get_count(&status, MPI_CHAR, &count);
      std::string bytes(static_cast<std::size_t>(count), '\0');
      MPI_Recv(bytes.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      const auto nl = bytes.find('\n');
      const std::string suite = bytes.substr(0, nl), rest = nl == std::string::npos ? "" : bytes.substr(nl + 1);
      try {
        if (status.MPI_TAG == claim_tag || status.MPI_TAG == finished_tag) {
          const bool yes = status.MPI_TAG == claim_tag ? decide(suite, rest, status.MPI_SOURCE) : is_finished(suite, rest);
          const char answer = yes ? '1' : '0';
          MPI_Send(&answer, 1, MPI_CHAR, status.MPI_SOURCE, answer_tag, MPI_COMM_WORLD);
        } else if (status.MPI_TAG == take_tag) {
          const auto nl = rest.find('\n');
          const long long answer = next_part(suite, rest.substr(0, nl), std::stol(rest.substr(nl + 1)));
          MPI_Send(&answer, 1, MPI_LONG_LONG, status.MPI_SOURCE, part_answer_tag, MPI_COMM_WORLD);
        } else if (status.MPI_TAG == part_tag) {
          auto [unit, part] = read_part(rest);
          std::lock_guard lock(mutex_);
          on_part_(suite, unit, part);
        } else if (status.MPI_TAG == row_tag) {
          std::lock_guard lock(mutex_);
          on_row_(suite, rest);
        } else if (status.MPI_TAG == done_tag) {
          ++done;
        }
      } catch (...) {  // e.g. a checkpoint that cannot be written: keep serving, fail the run at close()
        std::lock_guard lock(mutex_);
        if (!failure_) failure_ = std::current_exception();
      }
    }
  }
};

}  // namespace

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMI_RANK", "PMIX_RANK"})
    if (std::getenv(v)) return true;
  return false;
}

mpi_session::mpi_session(int& argc, char**& argv) {
  int provided = 0;
  check(MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw std::runtime_error("MPI: this MPI library does not provide MPI_THREAD_SERIALIZED");
  }
  group_ = std::make_shared<world_group>();
  sharing_ = std::make_shared<world_sharing>(group_);
}

mpi_session::~mpi_session() {
  // A quiet barrier first: a rank that finished early must not spin a core inside MPI_Finalize while
  // rank 0 still writes its report.
  MPI_Request request;
  if (MPI_Ibarrier(MPI_COMM_WORLD, &request) == MPI_SUCCESS) {
    try { wait_quietly(request); } catch (...) {}
  }
  sharing_.reset();
  MPI_Finalize();
}

}  // namespace collapse::parallel
