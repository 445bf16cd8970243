/**
 * Before a run's downloads start: removes what earlier downloads of the same local files left when their
 * process was killed. One read of each folder for the whole run, however many of its files the run names
 * (a sweep per file reads a folder of N files N times). Must finish before this run writes any temporary file.
 */
import { basename, dirname, resolve } from 'node:path';
import { removeStaleTempFiles } from '../storage/temp-names';

/** The paths removed. */
export async function removeStaleDownloads(locals: string[]): Promise<string[]> {
  const namesByFolder = new Map<string, string[]>();
  for (const local of locals) {
    const path = resolve(local);
    const names = namesByFolder.get(dirname(path)) ?? [];
    names.push(basename(path));
    namesByFolder.set(dirname(path), names);
  }
  const removed: string[] = [];
  for (const [folder, names] of namesByFolder)
    removed.push(...(await removeStaleTempFiles(folder, { recursive: false, forNames: names })));
  return removed;
}
