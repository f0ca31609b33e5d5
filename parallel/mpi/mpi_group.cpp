// parallel/mpi/mpi_group.cpp -- see mpi_group.hpp.
#include "parallel/mpi/mpi_group.hpp"

#include <mpi.h>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
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

enum tag : int { claim_tag = 101, answer_tag = 102, row_tag = 103, done_tag = 104 };

/// Rank 0 hands out row groups to whoever asks first (harness::row_sharing). Rank 0's own claims go
/// through the same table under a mutex; a serving thread on rank 0 answers the others (MPI_Iprobe
/// every 100 µs, so it costs no core while idle). Messages: CLAIM "suite\nkey" -> ANSWER "1"/"0";
/// ROW "suite\njson"; DONE.
class world_sharing final : public harness::row_sharing {
public:
  explicit world_sharing(std::shared_ptr<numerics::process_group> g) : group_(std::move(g)) {}
  ~world_sharing() override {
    if (server_.joinable()) server_.join();
  }
  int rank() const override { return group_->rank(); }
  int size() const override { return group_->size(); }

  bool open(bool ready, std::function<bool(const std::string&, const std::string&)> finished,
            std::function<void(const std::string&, const std::string&)> on_row) override {
    ready = group_->broadcast(ready ? "1" : "0") == "1";
    if (!ready) return false;
    finished_ = std::move(finished);
    on_row_ = std::move(on_row);
    if (rank() == 0 && size() > 1) server_ = std::thread([this] { serve(); });
    return true;
  }

  bool claim(const std::string& suite, const std::string& key) override {
    if (rank() == 0) return decide(suite, key, 0);
    send(claim_tag, suite + "\n" + key);
    char answer = 0;
    MPI_Request request;
    check(MPI_Irecv(&answer, 1, MPI_CHAR, 0, answer_tag, MPI_COMM_WORLD, &request), "MPI_Irecv");
    wait_quietly(request);
    return answer == '1';
  }

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
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, int> owner_;
  std::thread server_;
  std::exception_ptr failure_;

  bool decide(const std::string& suite, const std::string& key, int who) {
    std::lock_guard lock(mutex_);
    if (owner_.count({suite, key}) || (finished_ && finished_(suite, key))) return false;
    owner_[{suite, key}] = who;
    return true;
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
        if (status.MPI_TAG == claim_tag) {
          const char answer = decide(suite, rest, status.MPI_SOURCE) ? '1' : '0';
          MPI_Send(&answer, 1, MPI_CHAR, status.MPI_SOURCE, answer_tag, MPI_COMM_WORLD);
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
