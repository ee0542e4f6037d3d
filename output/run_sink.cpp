#include "output/run_sink.hpp"

namespace pitstop::output {

RunSink::RunSink(const RunDescription& d, const std::string& h5_path) : d_(d), totals_(d) {
  if (!h5_path.empty()) file_ = std::make_unique<ResultsFile>(h5_path, d);
  thread_ = std::thread([this] { loop(); });
}

RunSink::~RunSink() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  room_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RunSink::submit(ReplicateOutput&& out) {
  std::unique_lock<std::mutex> lock(mutex_);
  // The replicate the writer needs next is always let through, so this never deadlocks.
  room_.wait(lock, [&] {
    return stopping_ || error_ || pending_.size() < kMaxPending || out.replicate == next_;
  });
  if (error_) std::rethrow_exception(error_);
  const std::uint32_t r = out.replicate;
  pending_.emplace(r, std::move(out));
  if (r == next_) ready_.notify_one();
}

void RunSink::loop() {
  for (;;) {
    ReplicateOutput out;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || pending_.count(next_) > 0; });
      auto it = pending_.find(next_);
      if (it == pending_.end()) return;  // stopping
      out = std::move(it->second);
      pending_.erase(it);
    }
    try {
      totals_.add(out);
      if (file_) file_->write(out);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = std::current_exception();
      room_.notify_all();
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++next_;
      if (next_ == d_.replicates) stopping_ = true;
    }
    room_.notify_all();
    if (next_ == d_.replicates) return;
  }
}

const RunTotals& RunSink::finish() {
  if (thread_.joinable()) thread_.join();
  if (error_) std::rethrow_exception(error_);
  if (next_ != d_.replicates)
    throw std::logic_error("RunSink::finish before every replicate arrived");
  if (file_) file_->commit(totals_);
  return totals_;
}

void RunSink::abandon() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  room_.notify_all();
  if (thread_.joinable()) thread_.join();
  file_.reset();
}

}  // namespace pitstop::output
