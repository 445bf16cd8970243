/**
 * A command prefix that runs what follows it in a private mount namespace (util-linux `unshare`, unprivileged
 * user namespaces) where `folder` is a fresh tmpfs of `size` (`4m`, `1m`): a disk that fills up for real, which
 * only that process (and /proc/PID/root) sees.
 */
export const onSmallDisk = (folder: string, size: string): string[] => [
  'unshare',
  '--user',
  '--map-root-user',
  '--mount',
  'sh',
  '-c',
  `mount -t tmpfs -o size=${size} wirestate "$0" && exec "$@"`,
  folder,
];
