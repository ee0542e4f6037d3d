#include "output/atomic.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace pitstop::output {
namespace {

// Written before the handlers are installed and read only inside them: no allocation there.
char g_temp_path[4096] = {0};
volatile std::sig_atomic_t g_armed = 0;

extern "C" void remove_and_reraise(int sig) {
  if (g_armed) unlink(g_temp_path);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

std::string temporary_path_for(const std::string& target) {
  const std::size_t slash = target.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "" : target.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? target : target.substr(slash + 1);
  return dir + "." + name + ".tmp-" + std::to_string(getpid());
}

void remove_on_signal(const std::string& path) {
  if (path.size() >= sizeof g_temp_path) throw std::runtime_error("output path too long: " + path);
  std::memcpy(g_temp_path, path.c_str(), path.size() + 1);
  g_armed = 1;
  for (int sig : {SIGINT, SIGTERM, SIGHUP})
    std::signal(sig, remove_and_reraise);
}

void forget_on_signal() {
  g_armed = 0;
}

void commit_file(const std::string& temp, const std::string& target) {
  if (std::rename(temp.c_str(), target.c_str()) != 0) {
    throw std::runtime_error("cannot move the finished results into place at '" + target +
                             "': " + std::strerror(errno));
  }
}

}  // namespace pitstop::output
