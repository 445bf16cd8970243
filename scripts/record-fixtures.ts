/**
 * `npm run fixtures`: records fixtures/traces/ from real runs over loopback,
 * every fixture scenario of every protocol in PROTOCOLS (each descriptor's
 * `fixtures`). A fixture whose new recording says the same is left byte for
 * byte as it was; the lines printed say which were written or removed. The
 * fixture tests replay every trace there against a fresh machine; rerun this
 * after changing a protocol.
 */
import { join } from 'node:path';
import { loadProtocols } from '../machines/protocols';
import { recordFixtures } from './fixture-recorder';

const OUT = join(__dirname, '..', '..', 'fixtures', 'traces');

async function main(): Promise<void> {
  const report = await recordFixtures(await loadProtocols(), OUT);
  for (const file of report.written) console.log(`written  ${file}`);
  for (const file of report.removed) console.log(`removed  ${file}`);
  console.log(
    `${report.kept.length} fixture(s) unchanged, ${report.written.length} written, ${report.removed.length} removed, in ${OUT}`,
  );
}

main().catch((error: unknown) => {
  console.error(`recording fixtures failed: ${error instanceof Error ? String(error.stack) : String(error)}`);
  process.exit(1);
});
