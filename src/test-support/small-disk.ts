/**
 * A command prefix that runs what follows it in a private mount namespace (util-linux `unshare`, unprivileged
 * user namespaces) where `folder` is a fresh tmpfs of `size` (`4m`, `1m`): a disk that fills up for real, which
 * only that process (and /proc/PID/root) sees.
 */
export const onSmallDisk = (folder: string, size: string): string[] => smallDiskThen(folder, size, 'exec "$@"');

/**
 * The same, the command run twice on that one disk: the second once the first has exited (stop the first by its
 * own pid: it is the child of the process started, which then becomes the second).
 */
export const twiceOnSmallDisk = (folder: string, size: string): string[] =>
  smallDiskThen(folder, size, '"$@"; exec "$@"');

const smallDiskThen = (folder: string, size: string, run: string): string[] => [
  'unshare',
  '--user',
  '--map-root-user',
  '--mount',
  'sh',
  '-c',
  `mount -t tmpfs -o size=${size} wirestate "$0" && ${run}`,
  folder,
];
