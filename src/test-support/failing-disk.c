/*
 * A disk going bad under a running process, for tests: loaded with LD_PRELOAD, it fails with EIO every write of one
 * file (WIRESTATE_FAILING_FILE, its real path) while the file WIRESTATE_WRITES_FAIL_WHEN exists, and every sync of
 * it while WIRESTATE_SYNCS_FAIL_WHEN exists. Everything else, that file's reads included, goes to the C library.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* Whether a call on `fd` fails now: the file named by the variable `cue` exists and `fd` is the failing file. */
static int failing(int fd, const char *cue) {
  const char *when = getenv(cue);
  const char *file = getenv("WIRESTATE_FAILING_FILE");
  if (when == NULL || file == NULL || access(when, F_OK) != 0) return 0;
  char link[64], path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t length = readlink(link, path, sizeof path - 1);
  if (length <= 0) return 0;
  path[length] = '\0';
  if (strcmp(path, file) != 0) return 0;
  errno = EIO;
  return 1;
}

#define WRITES "WIRESTATE_WRITES_FAIL_WHEN"
#define SYNCS "WIRESTATE_SYNCS_FAIL_WHEN"

/* The C library's own `name`, found once. */
#define REAL(name)                  \
  static __typeof__(name) *real;    \
  if (real == NULL) real = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *bytes, size_t count) {
  REAL(write);
  return failing(fd, WRITES) ? -1 : real(fd, bytes, count);
}

ssize_t pwrite(int fd, const void *bytes, size_t count, off_t offset) {
  REAL(pwrite);
  return failing(fd, WRITES) ? -1 : real(fd, bytes, count, offset);
}

ssize_t pwrite64(int fd, const void *bytes, size_t count, off64_t offset) {
  REAL(pwrite64);
  return failing(fd, WRITES) ? -1 : real(fd, bytes, count, offset);
}

ssize_t pwritev(int fd, const struct iovec *vectors, int count, off_t offset) {
  REAL(pwritev);
  return failing(fd, WRITES) ? -1 : real(fd, vectors, count, offset);
}

int fsync(int fd) {
  REAL(fsync);
  return failing(fd, SYNCS) ? -1 : real(fd);
}

int fdatasync(int fd) {
  REAL(fdatasync);
  return failing(fd, SYNCS) ? -1 : real(fd);
}
