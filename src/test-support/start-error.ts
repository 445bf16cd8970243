/**
 * A server or the proxy that cannot start: its one line is a log line on stdout, `TIME error WHY` or, with
 * `--log-format json`, an object with `"event":"error"` and `exit_code`; nothing on stderr; the exit code.
 */
export function expectStartError(
  result: { code: number | null; stdout: string; stderr: string },
  code: number,
  why: RegExp,
  format: 'pretty' | 'json' = 'pretty',
): void {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(code);
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  if (format === 'pretty') {
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z error +\S/);
    expect(lines[0].replace(/^\S+ error +/, '')).toMatch(why);
    return;
  }
  const line = JSON.parse(lines[0]) as { message: string; timestamp: unknown };
  expect(line).toMatchObject({ level: 'error', event: 'error', exit_code: code });
  expect(typeof line.timestamp).toBe('string');
  expect(line.message).toMatch(why);
}

/**
 * A setting that cannot work, said by the command `args` runs: a client's one `wirestate: WHY; see --help` line on
 * stderr, a server's or the proxy's start error on stdout (expectStartError). `why` matches WHY alone.
 */
export function expectSettingRefused(
  result: { code: number | null; stdout: string; stderr: string },
  args: string[],
  code: number,
  why: RegExp,
): void {
  if (!args.slice(0, 2).includes('client')) {
    expectStartError(result, code, why);
    return;
  }
  expect(result.code).toBe(code);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr.trimEnd().replace(/^wirestate: (.*); see --help$/, '$1')).toMatch(why);
}
