/// <reference lib="dom" />
/**
 * The inspector in a real browser, for the browser tests (inspector-bench.ts) and the README's picture
 * (scripts/inspector-screenshot.ts): a transfer server run by the CLI with `--inspect`, serving a temporary
 * folder that holds a 16 MiB `big.bin`; the stammer proxy in front of it, slowing a transfer enough that the
 * page sees it in flight; and a real browser page (Debian's chromium through playwright-core, headless,
 * offline) at 1400 x 900. Test screenshots go to test-artifacts/inspector/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import winston from 'winston';
import { startProxy, type RunningProxy } from '../proxy/stammer-proxy';
import { CLI, REPO } from './processes';

export const ARTIFACTS = join(REPO, 'test-artifacts', 'inspector');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface InspectorBench {
  /** The temporary folder; `root/` under it is served. */
  base: string;
  inspectorUrl: string;
  serverPort: number;
  /** The proxy's port: a transfer through it is slow enough to watch. */
  proxyPort: number;
  browser: Browser;
  page: Page;
  /** Runs `wait`; if it fails, the error carries what the page showed. */
  explained: <T>(wait: Promise<T>) => Promise<T>;
}

/** How slow the proxy makes a transfer: the largest piece it passes on, and the longest wait before each. */
export interface Pace {
  maxFragment: number;
  maxDelayMs: number;
}

/** Starts the server, the proxy at `pace` and the browser page; `stop` ends them all and removes the folder. */
export async function startInspectorBench(pace: Pace): Promise<{ bench: InspectorBench; stop: () => Promise<void> }> {
  let server: ChildProcess | undefined;
  let proxy: RunningProxy | undefined;
  let browser: Browser | undefined;
  const bench = {
    explained: async <T>(wait: Promise<T>): Promise<T> => {
      try {
        return await wait;
      } catch (error) {
        const shown = await bench.page.evaluate(() => document.body.innerText).catch(() => '(page unreadable)');
        throw new Error(
          `${error instanceof Error ? error.message : String(error)}\n--- the page showed ---\n${shown.slice(0, 3000)}`,
        );
      }
    },
  } as InspectorBench;
  const stop = async () => {
    await browser?.close();
    await proxy?.close();
    server?.kill('SIGTERM');
    if (bench.base) await rm(bench.base, { recursive: true, force: true });
  };
  try {
    await mkdir(ARTIFACTS, { recursive: true });
    bench.base = await mkdtemp(join(tmpdir(), 'wirestate-inspector-'));
    await mkdir(join(bench.base, 'root'));
    await writeFile(join(bench.base, 'root', 'big.bin'), randomBytes(16 * 1024 * 1024));
    const running = spawn(
      process.execPath,
      [CLI, 'server', '-l', '0', '--host', '127.0.0.1', '--root', join(bench.base, 'root'), '--inspect', '0'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    server = running;
    const started = await new Promise<string>((resolve, reject) => {
      let seen = '';
      running.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (/listening on [\d.]+:\d+/.test(seen) && seen.includes('inspector on http')) resolve(seen);
      });
      running.once('exit', (code) => reject(new Error(`server exited ${String(code)}: ${seen}`)));
    });
    bench.inspectorUrl = /inspector on (http:\/\/\S+)/.exec(started)![1];
    bench.serverPort = Number(/listening on [\d.]+:(\d+)/.exec(started)![1]);
    const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
    proxy = await startProxy({
      host: '127.0.0.1',
      port: 0,
      upstream: { host: '127.0.0.1', port: bench.serverPort },
      maxFragment: pace.maxFragment,
      maxDelayMs: pace.maxDelayMs,
      seed: 3,
      log: silent,
    });
    bench.proxyPort = proxy.address.port;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    bench.browser = browser;
    bench.page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  } catch (error) {
    await stop();
    throw error;
  }
  return { bench, stop };
}
